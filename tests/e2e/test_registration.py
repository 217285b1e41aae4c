"""One-screen registration and first convocation (MSJ-16), typed at the keyboard.

The agent focuses the first field, types, moves on with Tab and submits with Enter.
Chromium's native date inputs take digits in the browser's locale order (JJMMAAAA in a
French Chromium, MMDDYYYY in Debian's Chromium without chromium-l10n): a probe on a scratch
page finds the order once, so the tests type what the agent's browser would accept.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from jalon.appointments.models import Appointment
from jalon.core.dates import holiday_name, is_working_day
from jalon.people.models import Person
from tests.factories import PASSWORD, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BIRTH_DATE = datetime.date(1987, 3, 24)
MAX_TABS = 12  # more Tabs than this between two fields means the keyboard cannot reach it


def _log_in(page: Any, email: str) -> None:
    page.goto("/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_selector("h1:has-text('Bonjour')")


def _date_order(page: Any) -> str:
    """``"dmy"`` or ``"mdy"``: how this Chromium's date input reads typed digits."""
    probe = page.context.new_page()
    probe.set_content('<input type="date" id="probe">')
    probe.focus("#probe")
    probe.keyboard.type("01022003")
    value = probe.input_value("#probe")
    probe.close()
    orders = {"2003-02-01": "dmy", "2003-01-02": "mdy"}
    assert value in orders, f"unexpected date input behaviour: {value!r}"
    return orders[value]


def _date_keys(day: datetime.date, order: str) -> str:
    return f"{day:%d%m%Y}" if order == "dmy" else f"{day:%m%d%Y}"


def _tab_to(page: Any, selector: str) -> int:
    """Press Tab until ``selector`` has the focus; the number of presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _next_working_day(after: datetime.date, subdivision: str) -> datetime.date:
    day = after
    while not is_working_day(day, subdivision):
        day += datetime.timedelta(days=1)
    return day


def _next_weekday_holiday(subdivision: str) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5 or holiday_name(day, subdivision) is None:
        day += datetime.timedelta(days=1)
    return day


def _type_identity(page: Any, order: str, last_name: str, first_names: str) -> None:
    page.focus("#id_last_name")
    page.keyboard.type(last_name)
    _tab_to(page, "#id_first_names")
    page.keyboard.type(first_names)
    _tab_to(page, "#id_birth_date")
    page.keyboard.type(_date_keys(BIRTH_DATE, order))
    _tab_to(page, "#id_phone")
    page.keyboard.type("06 12 34 56 78")


def _type_convocation(page: Any, order: str, day: datetime.date) -> None:
    _tab_to(page, "#id_rdv-appointment_type")
    page.keyboard.type("1")  # the select jumps to "1er rendez-vous SPIP"
    _tab_to(page, "#id_rdv-day")  # the only agenda is preselected: Tab goes past it
    page.keyboard.type(_date_keys(day, order))
    _tab_to(page, "#id_rdv-time")
    page.keyboard.type("1000")  # 10:00, also in a 12-hour Chromium
    _tab_to(page, "#id_rdv-prosecution_number")
    page.keyboard.type("24123000042")


def test_a_cpip_registers_and_convokes_with_the_keyboard(page, make_agent, org, agendas):
    agent = make_agent("cpip", service=org.spip_alpha)
    day = _next_working_day(
        timezone.localdate() + datetime.timedelta(days=7), org.spip_alpha.holiday_subdivision
    )
    order = _date_order(page)
    _log_in(page, agent.email)
    page.click("a:has-text('Nouvelle personne')")
    page.wait_for_url("**/personnes/nouvelle/")
    assert page.locator("#id_rdv-agenda").input_value() == str(agendas.spip_alpha.pk)

    _type_identity(page, order, "Dupont", "jean-michel")
    assert page.locator("#id_birth_date").input_value() == BIRTH_DATE.isoformat()
    _type_convocation(page, order, day)
    assert page.locator("#id_rdv-appointment_type option:checked").inner_text() == (
        "1er rendez-vous SPIP"
    )
    assert page.locator("#id_rdv-day").input_value() == day.isoformat()
    assert page.locator("#id_rdv-time").input_value() == "10:00"
    page.keyboard.press("Enter")

    page.wait_for_url("**/personnes/*/")
    assert page.locator("[data-testid=person-name]").inner_text() == "DUPONT Jean-Michel"
    assert "Personne enregistrée et convoquée." in page.locator("main").inner_text()
    row = page.locator("[data-testid=appointments] tbody tr")
    assert row.count() == 1
    assert f"{day:%d/%m/%Y} 10:00" in row.inner_text()
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


def test_a_probable_duplicate_links_to_the_existing_record(page, make_agent, org, agendas):
    agent = make_agent("cpip", service=org.spip_alpha)
    existing = PersonFactory(
        last_name="DUPOND",
        first_names="Jean-Michel",
        birth_date=BIRTH_DATE,
        phone="+33698765432",
        followed_by=[org.spip_alpha],
    )
    order = _date_order(page)
    _log_in(page, agent.email)
    page.goto("/personnes/nouvelle/")
    _type_identity(page, order, "Dupont", "Jean-Michel")  # one letter away from DUPOND
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
def test_a_refused_date_keeps_what_was_typed(page, make_agent, org, agendas, when):
    agent = make_agent("cpip", service=org.spip_alpha)
    subdivision = org.spip_alpha.holiday_subdivision
    if when == "holiday":
        day = _next_weekday_holiday(subdivision)
        expected = f"Le {day:%d/%m/%Y} est férié dans ce service ({holiday_name(day, subdivision)})"
    else:
        day = timezone.localdate() - datetime.timedelta(days=3)
        expected = "La date et l’heure de convocation doivent être dans le futur."
    order = _date_order(page)
    _log_in(page, agent.email)
    page.goto("/personnes/nouvelle/")
    _type_identity(page, order, "Lefebvre", "Anne Sophie")
    _type_convocation(page, order, day)
    page.keyboard.press("Enter")

    error = page.locator("#id_rdv-day-error")
    error.wait_for()
    assert expected in error.inner_text()
    assert page.locator("#id_rdv-day").get_attribute("aria-describedby") == "id_rdv-day-error"
    assert page.locator("#id_last_name").input_value() == "Lefebvre"
    assert page.locator("#id_first_names").input_value() == "Anne Sophie"
    assert page.locator("#id_birth_date").input_value() == BIRTH_DATE.isoformat()
    assert page.locator("#id_rdv-day").input_value() == day.isoformat()
    assert page.locator("#id_rdv-time").input_value() == "10:00"
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()
    page.screenshot(path=f"test-artifacts/registration-{when}-date.png", full_page=True)
