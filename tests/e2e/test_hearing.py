"""Sortie d'audience in the browser: a BEX agent registers a person at the end of a hearing and
books a SAP and a SPIP slot in one screen, then prints the letters."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jalon.appointments.models import Appointment, Slot
from jalon.people.models import Person
from tests.dates import working_day
from tests.factories import SlotFactory, appointment_type

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def slots(org, agendas):
    day = working_day(3)  # in the mainland calendar of the org's services
    return {
        "sap": SlotFactory(
            agenda=agendas.sap_alpha,
            appointment_type=appointment_type("sortie_audience_sap"),
            starts_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=PARIS),
        ),
        "spip": SlotFactory(
            agenda=agendas.spip_alpha,
            appointment_type=appointment_type("sortie_audience_spip"),
            starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=PARIS),
        ),
    }


def _fill_new_person(page: Any) -> None:
    page.fill("#id_q", "Garnier")
    page.click("button:has-text('Rechercher')")
    page.wait_for_selector("[data-testid=hearing-no-result]")
    page.fill("#id_p-last_name", "Garnier")
    page.fill("#id_p-first_names", "Inès")
    page.fill("#id_p-birth_date", "14071992")
    page.fill("#id_p-phone", "06 98 76 54 32")
    page.fill("#id_prosecution_number", "27123000099")


def test_a_bex_agent_books_sap_and_spip_at_the_end_of_a_hearing(
    log_in, page, make_agent, org, slots
):
    agent = make_agent("greff_co", service=org.bex_alpha)
    log_in(agent.email)
    page.click("nav button:has-text('Convocations')")  # the menu opens
    page.click("nav a:has-text('Sortie d’audience')")
    page.wait_for_url("**/sortie-audience/")
    _fill_new_person(page)
    page.click(f"label[for=creneau_{slots['sap'].appointment_type_id}-{slots['sap'].pk}]")
    page.click(f"label[for=creneau_{slots['spip'].appointment_type_id}-{slots['spip'].pk}]")
    page.click("[data-testid=hearing-submit]")

    page.wait_for_url("**/sortie-audience/confirmation/**")
    assert page.locator(".fr-alert--success").inner_text() == "Convocations enregistrées."
    assert "GARNIER" in page.locator("[data-testid=done-person]").inner_text()
    letters = page.locator("[data-testid=letter-link]")
    assert letters.count() == 2
    page.screenshot(path="test-artifacts/hearing-done.png", full_page=True)
    pdf = page.request.get(letters.first.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF-")

    person = Person.objects.get()
    booked = Appointment.objects.filter(person=person).order_by("starts_at")
    assert [appointment.slot_id for appointment in booked] == [slots["sap"].pk, slots["spip"].pk]
    assert {appointment.prosecution_number for appointment in booked} == {"27123000099"}


def test_a_slot_taken_meanwhile_books_nothing_and_keeps_the_form(
    log_in, page, make_agent, org, slots
):
    agent = make_agent("bex", service=org.bex_alpha)
    log_in(agent.email)
    page.goto("/sortie-audience/")
    _fill_new_person(page)
    page.click(f"label[for=creneau_{slots['sap'].appointment_type_id}-{slots['sap'].pk}]")
    page.click(f"label[for=creneau_{slots['spip'].appointment_type_id}-{slots['spip'].pk}]")
    Slot.objects.filter(pk=slots["spip"].pk).update(booked_count=1)  # another desk was faster
    page.click("[data-testid=hearing-submit]")

    error = page.locator("[data-testid=slot-error]")
    error.wait_for()
    assert "Ce créneau est complet" in error.inner_text()
    assert page.locator("#id_p-last_name").input_value() == "Garnier"
    assert page.locator("#id_prosecution_number").input_value() == "27123000099"
    page.screenshot(path="test-artifacts/hearing-full-slot.png", full_page=True)
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()
    assert Slot.objects.get(pk=slots["sap"].pk).booked_count == 0
