"""The dashboard's charts draw in a real browser under our Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.dates import local_today
from tests.e2e.test_csp import _log_in, _watch_violations
from tests.factories import AppointmentFactory, MessageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_charts_draw_without_any_csp_violation(page, make_agent, org, agendas):
    # Within the default period (the service's last 28 days), whatever day it runs.
    today = dt.datetime.combine(local_today(), dt.time(9), tzinfo=ZoneInfo("Europe/Paris"))
    for days, status in [(3, "honoured"), (4, "missed"), (10, "honoured"), (11, "excused")]:
        appointment = AppointmentFactory(
            agenda=agendas.spip_alpha, status=status, starts_at=today - dt.timedelta(days=days)
        )
        MessageFactory(appointment=appointment, status="delivered")
    dpip = make_agent("dpip", service=org.spip_alpha)
    refused = _watch_violations(page)
    _log_in(page, dpip.email)
    page.click("a.fr-nav__link:has-text('Statistiques')")
    page.wait_for_selector("h1:has-text('Statistiques — SPIP Alpha')")
    page.wait_for_load_state("networkidle")
    # Each web component rendered a canvas (Chart.js) inside itself.
    for element in ("bar-chart", "line-chart"):
        page.wait_for_selector(f"{element} canvas", state="attached")
    assert page.locator("bar-chart canvas").count() == 2
    assert refused == []
    assert page.url.endswith(reverse("stats_service", args=[org.spip_alpha.pk]))
    if shot := __import__("os").environ.get("JALON_STATS_SCREENSHOT"):
        page.screenshot(path=shot, full_page=True)
