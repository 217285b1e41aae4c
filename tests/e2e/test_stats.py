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


def test_a_tj_dashboard_draws_its_charts_per_service(page, make_agent, org, agendas):
    """The procureur of TJ Alpha: "Statistiques" opens the TJ's dashboard, whose per-service
    chart draws like the others, under the same policy."""
    from jalon.access.roles import ServiceKind
    from tests.factories import ServiceFactory

    today = dt.datetime.combine(local_today(), dt.time(9), tzinfo=ZoneInfo("Europe/Paris"))
    for agenda, status in [(agendas.spip_alpha, "missed"), (agendas.sap_alpha, "honoured")]:
        AppointmentFactory(agenda=agenda, status=status, starts_at=today - dt.timedelta(days=3))
    parquet = ServiceFactory(
        name="Parquet Alpha", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha
    )
    procureur = make_agent("procureur_republique", service=parquet)
    refused = _watch_violations(page)
    _log_in(page, procureur.email)
    page.click("a.fr-nav__link:has-text('Statistiques')")
    page.wait_for_selector("h1:has-text('Statistiques — TJ Alpha')")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("bar-chart canvas", state="attached")
    # Convocations, SMS, and the absenteeism per service.
    assert page.locator("bar-chart canvas").count() == 3
    assert refused == []
    assert page.url.endswith(reverse("stats_jurisdiction", args=[org.tj_alpha.pk]))
