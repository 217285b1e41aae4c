"""One-screen registration and first convocation (MSJ-16), typed at the keyboard.

The agent types as a trained agent does: "Nom" has the focus on arrival, Tab moves to the
next field in the order of work, dates and times are text in their short French forms
(24031987, 24/03/1987, JJ/MM for the next occurrence of a day, 10h, 10h30) and Enter
submits.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from jalon.appointments.models import Appointment
from jalon.core.dates import holiday_name
from jalon.people.models import Person
from tests.dates import local_today, next_weekday_holiday, working_day
from tests.factories import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BIRTH_DATE = datetime.date(1987, 3, 24)
MAX_TABS = 12  # more Tabs than this between two fields means the keyboard cannot reach it


def _focused(page: Any) -> str:
    return page.evaluate("() => document.activeElement.id")


def _tab_to(page: Any, selector: str) -> int:
    """Press Tab until ``selector`` has the focus; the number of presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _type_identity(page: Any, last_name: str, first_names: str, birth_date: str) -> None:
    """From the autofocused "Nom" to the phone, one Tab between fields."""
    assert _focused(page) == "id_last_name"
    page.keyboard.type(last_name)
    assert _tab_to(page, "#id_first_names") == 1
    page.keyboard.type(first_names)
    assert _tab_to(page, "#id_birth_date") == 1
    page.keyboard.type(birth_date)
    assert _tab_to(page, "#id_phone") == 1
    page.keyboard.type("06 12 34 56 78")


def _type_convocation(page: Any, day: str, at: str) -> None:
    """Type chosen by its first character; Tab goes past the preselected agenda."""
    assert _tab_to(page, "#id_rdv-appointment_type") == 1
    page.keyboard.type("1")  # the select jumps to "1er rendez-vous SPIP"
    assert _tab_to(page, "#id_rdv-day") == 2  # the only agenda is preselected
    page.keyboard.type(day)
    assert _tab_to(page, "#id_rdv-time") == 1
    page.keyboard.type(at)


def test_a_cpip_registers_and_convokes_with_the_keyboard(log_in, page, make_agent, org, agendas):
    agent = make_agent("cpip", service=org.spip_alpha)
    day = working_day(7, org.spip_alpha.holiday_subdivision)
    log_in(agent.email)
    page.click("a:has-text('Nouvelle personne')")
    page.wait_for_url("**/personnes/nouvelle/")
    assert page.locator("#id_rdv-agenda").input_value() == str(agendas.spip_alpha.pk)
    assert page.locator("#id_rdv-appointment_type").input_value() == ""  # several types

    _type_identity(page, "Dupont", "jean-michel", f"{BIRTH_DATE:%d%m%Y}")
    _type_convocation(page, f"{day.day}/{day.month}", "10h")  # "6/7": the next 6 July
    assert page.locator("#id_rdv-appointment_type option:checked").inner_text() == (
        "1er rendez-vous SPIP"
    )
    assert _tab_to(page, "#id_rdv-prosecution_number") == 1
    page.keyboard.type("24123000042")
    page.keyboard.press("Enter")

    page.wait_for_url("**/personnes/*/")
    assert page.locator("[data-testid=person-name]").inner_text() == "DUPONT Jean-Michel"
    assert page.locator(".fr-alert--success").inner_text() == "Personne enregistrée et convoquée."
    assert page.locator("dt:has-text('CPIP référent') + dd").inner_text() == agent.full_name
    row = page.locator("[data-testid=appointments] tbody tr")
    assert row.count() == 1
    assert f"{day:%d/%m/%Y} à 10 h 00" in row.inner_text()
    assert "1er rendez-vous SPIP" in row.inner_text()
    page.screenshot(path="test-artifacts/registration-person.png", full_page=True)

    person = Person.objects.get()
    assert (person.last_name, person.first_names, person.birth_date) == (
        "DUPONT",
        "Jean-Michel",
        BIRTH_DATE,
    )
    assert person.phone == "+33612345678"
    assert person.created_by == agent
    assert person.referent == agent
    assert list(person.follows.values_list("service", flat=True)) == [org.spip_alpha.pk]
    appointment = Appointment.objects.get()
    assert appointment.person == person
    assert appointment.appointment_type.code == "spip_first"
    assert appointment.agenda == agendas.spip_alpha
    assert appointment.service == org.spip_alpha
    assert appointment.local_start.date() == day
    assert appointment.local_start.time() == datetime.time(10, 0)
    assert appointment.prosecution_number == "24123000042"
    assert appointment.assigned_agent == agent
    assert page.url.endswith(f"/personnes/{person.pk}/")

    page.goto("/personnes/nouvelle/")  # the next registration offers the same type again
    assert page.locator("#id_rdv-appointment_type").input_value() == str(
        appointment.appointment_type.pk
    )
    assert page.locator("#id_rdv-agenda").input_value() == str(agendas.spip_alpha.pk)


def test_a_probable_duplicate_links_to_the_existing_record(log_in, page, make_agent, org, agendas):
    agent = make_agent("cpip", service=org.spip_alpha)
    existing = PersonFactory(
        last_name="DUPOND",
        first_names="Jean-Michel",
        birth_date=BIRTH_DATE,
        phone="+33698765432",
        followed_by=[org.spip_alpha],
    )
    log_in(agent.email)
    page.goto("/personnes/nouvelle/")
    _type_identity(page, "Dupont", "Jean-Michel", "24/03/1987")  # one letter from DUPOND
    page.keyboard.press("Enter")

    warning = page.locator("[data-testid=duplicate-probable]")
    warning.wait_for()
    assert "Cette personne est peut-être déjà enregistrée" in warning.inner_text()
    assert "DUPOND Jean-Michel" in warning.inner_text()
    assert page.locator("#confirm_probable").count() == 1
    assert Person.objects.count() == 1
    link = page.locator("[data-testid=duplicate-link]")
    assert link.count() == 1
    link.click()

    page.wait_for_url(f"**/personnes/{existing.pk}/")
    assert page.locator("[data-testid=person-name]").inner_text() == "DUPOND Jean-Michel"
    page.screenshot(path="test-artifacts/registration-duplicate.png", full_page=True)


@pytest.mark.parametrize("when", ["holiday", "past"])
def test_a_refused_date_keeps_what_was_typed(log_in, page, make_agent, org, agendas, when):
    agent = make_agent("cpip", service=org.spip_alpha)
    subdivision = org.spip_alpha.holiday_subdivision
    if when == "holiday":
        day = next_weekday_holiday(subdivision)
        typed_day = f"{day.day}/{day.month}"  # the shorthand lands on the coming holiday
        expected = f"Le {day:%d/%m/%Y} est férié dans ce service ({holiday_name(day, subdivision)})"
    else:
        day = local_today() - datetime.timedelta(days=3)
        typed_day = f"{day:%d/%m/%Y}"  # in full: "JJ/MM" would mean next year
        expected = "La date et l’heure de convocation doivent être dans le futur."
    log_in(agent.email)
    page.goto("/personnes/nouvelle/")
    _type_identity(page, "Lefebvre", "Anne Sophie", "24/03/1987")
    _type_convocation(page, typed_day, "10h30")
    page.keyboard.press("Enter")

    error = page.locator("#id_rdv-day-error")
    error.wait_for()
    assert expected in error.inner_text()
    assert page.locator("#id_rdv-day").get_attribute("aria-describedby") == "id_rdv-day-error"
    assert page.locator("#id_last_name").input_value() == "Lefebvre"
    assert page.locator("#id_first_names").input_value() == "Anne Sophie"
    assert page.locator("#id_birth_date").input_value() == "24/03/1987"
    assert page.locator("#id_phone").input_value() == "06 12 34 56 78"
    assert page.locator("#id_rdv-appointment_type option:checked").inner_text() == (
        "1er rendez-vous SPIP"
    )
    assert page.locator("#id_rdv-day").input_value() == typed_day
    assert page.locator("#id_rdv-time").input_value() == "10h30"
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()
    page.screenshot(path=f"test-artifacts/registration-{when}-date.png", full_page=True)
