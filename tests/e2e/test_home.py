"""Each role's home page in a real browser shows the blocks of its daily work (issue 18,
point 7): a CPIP, a BEX, the parquet, a JAF and a head of service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jalon.situations.models import Meeting, SituationEvent
from tests.dates import days_ago, working_day_at
from tests.factories import (
    AppointmentFactory,
    ListEntryFactory,
    PersonFactory,
    SituationFactory,
    appointment_type,
)
from tests.situations.world import agents, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _home_of(page: Any, log_in: Any, email: str) -> None:
    page.context.clear_cookies()
    log_in(email)


def _block(page: Any, testid: str) -> str:
    block = page.get_by_test_id(testid)
    assert block.is_visible(), testid
    return block.inner_text()


def test_each_role_sees_its_own_blocks(log_in, page, make_agent, org, agendas):
    cpip = make_agent("cpip", service=org.spip_alpha)
    mine = PersonFactory(last_name="Schneider", followed_by=[org.spip_alpha], referent=cpip)
    AppointmentFactory(  # now: today, whatever the hour
        person=mine, agenda=agendas.spip_alpha, starts_at=timezone.now(), assigned_agent=cpip
    )
    other = PersonFactory(last_name="Nguyen", followed_by=[org.spip_alpha])
    AppointmentFactory(
        person=other,
        agenda=agendas.spip_alpha,
        starts_at=working_day_at(1, service=org.spip_alpha),
        assigned_agent=cpip,
    )
    _home_of(page, log_in, cpip.email)
    assert "SCHNEIDER" in _block(page, "home-today").upper()
    assert "NGUYEN" in _block(page, "home-upcoming").upper()
    assert "SCHNEIDER" in _block(page, "home-my-persons").upper()
    assert page.get_by_test_id("home-overdue").count() == 0

    bex = make_agent("bex", service=org.bex_alpha)
    AppointmentFactory(
        person=PersonFactory(last_name="Bauer", followed_by=[org.sap_alpha]),
        agenda=agendas.sap_alpha,
        appointment_type=appointment_type("sortie_audience_sap"),
        starts_at=working_day_at(2, service=org.sap_alpha),
        created_by=bex,
        created_by_service=org.bex_alpha,
    )
    _home_of(page, log_in, bex.email)
    assert "BAUER" in _block(page, "home-hearing-exits").upper()
    assert "Aucune décision à exécuter." in _block(page, "home-executions")
    assert page.get_by_test_id("home-today").count() == 0

    world = build_world(org)
    people = agents(world, make_agent)
    today = timezone.localdate()
    overdue = SituationFactory(
        jurisdiction=org.tj_alpha,
        mec=PersonFactory(last_name="Keller"),
        mec_procedure_jaf=True,
        next_review_on=today - dt.timedelta(days=3),
    )
    SituationEvent.objects.create(
        situation=overdue, occurred_on=today, text="Nouvelle plainte de la victime."
    )
    Meeting.objects.create(
        instance=ListEntryFactory(jurisdiction=org.tj_alpha, name="Comité VIF"),
        held_on=today + dt.timedelta(days=7),
    )
    for role in ("parquet_alpha", "jaf_alpha"):
        _home_of(page, log_in, people[role].email)
        assert "KELLER" in _block(page, "home-overdue").upper()
        assert "Nouvelle plainte" in _block(page, "home-events")
        assert "Comité VIF" in _block(page, "home-meeting")

    dpip = make_agent("dpip", service=org.spip_alpha)
    AppointmentFactory(person=other, agenda=agendas.spip_alpha, starts_at=days_ago(3))
    _home_of(page, log_in, dpip.email)
    figures = _block(page, "home-indicators")
    assert "Convocations prévues" in figures and "Taux d’absentéisme" in figures
    page.get_by_role("link", name="Voir le tableau de bord du service").click()
    page.wait_for_url("**/statistiques/service/**")
