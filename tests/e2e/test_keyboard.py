"""The main flows with the keyboard only: Tab, Shift+Tab, Enter and Space, no mouse click.

Each step moves the focus with Tab until the control wanted has it (``tab_to``), then types or
presses Enter/Space: a control the keyboard cannot reach fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from jalon.appointments.models import Appointment
from jalon.people.models import Person
from tests.dates import days_ago, working_day
from tests.e2e.axe import check
from tests.e2e.test_registration import _type_convocation, _type_identity
from tests.factories import PASSWORD, AppointmentFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 60  # the header and the menu come first on an agent's page


def tab_to(page: Any, selector: str, *, backwards: bool = False) -> int:
    """Press Tab (Shift+Tab) until ``selector`` has the focus; the number of presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def keyboard_log_in(page: Any, email: str) -> None:
    page.goto("/connexion/")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Bonjour')")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, cpip):
    """On the public pages and the agents' (after logging in), the first Tab reaches
    "Aller au contenu"; Enter on it, and the next Tab is in the main content."""
    for url, first_in_content in (
        ("/informations/", "main a"),
        ("/", "#home-q"),
    ):
        if url == "/":
            keyboard_log_in(page, cpip.email)
        page.goto(url)
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        assert focused == "Aller au contenu", url
        page.keyboard.press("Enter")
        # The next Tab lands in the main content, past the header and the menu.
        page.keyboard.press("Tab")
        assert page.evaluate("(s) => document.activeElement.matches(s)", first_in_content), (
            page.evaluate("() => document.activeElement.outerHTML")
        )


def test_the_login_field_has_the_focus_and_the_skip_link_is_just_before(page):
    page.goto("/connexion/")
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    tab_to(page, "a[href='#content']", backwards=True)


def test_an_agent_logs_in_with_the_keyboard(page, cpip):
    page.goto("/connexion/")
    tab_to(page, "#id_username")
    page.keyboard.type(cpip.email)
    page.keyboard.press("Tab")
    page.keyboard.type("pas le bon mot de passe")
    # Back to the password with Shift+Tab from the button after it, then Enter submits.
    tab_to(page, "button[type=submit]")
    tab_to(page, "#id_password", backwards=True)
    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Bonjour')")
    assert page.url.endswith("/")


def test_an_agent_finds_a_person_and_opens_the_record_with_the_keyboard(page, org, cpip):
    person = PersonFactory(last_name="DURAND", first_names="Léa", followed_by=[org.spip_alpha])
    keyboard_log_in(page, cpip.email)
    tab_to(page, "#home-q")
    page.keyboard.type("durand")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personnes/?*")
    tab_to(page, f"main a[href='/personnes/{person.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personnes/{person.pk}/")
    assert page.locator("[data-testid=person-name]").inner_text() == "DURAND Léa"


def test_an_agent_registers_a_person_and_books_a_first_convocation_with_the_keyboard(
    page, org, agendas, cpip
):
    day = working_day(7, org.spip_alpha.holiday_subdivision)
    keyboard_log_in(page, cpip.email)
    tab_to(page, "main a[href='/personnes/nouvelle/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personnes/nouvelle/")
    _type_identity(page, "Dupont", "jean-michel", "24031987")
    _type_convocation(page, f"{day.day}/{day.month}", "10h")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personnes/*/")
    assert page.locator(".fr-alert--success").inner_text() == "Personne enregistrée et convoquée."
    person = Person.objects.get()
    assert person.last_name == "DUPONT"
    assert Appointment.objects.get().person == person


def test_an_agent_records_that_a_convocation_was_honoured_with_the_keyboard(
    page, org, agendas, cpip
):
    person = PersonFactory(followed_by=[org.spip_alpha])
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    keyboard_log_in(page, cpip.email)
    page.goto(f"/convocations/{appointment.pk}/")
    tab_to(page, "main form[action$='/honoree/'] button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "Honorée" in page.locator("main").inner_text()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HONOURED


def test_axe_finds_what_it_is_meant_to_find(page):
    """The check itself can fail: an image without text and an unlabelled field."""
    page.goto("/connexion/")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/static/none.png"><input type="text" id="stray">')"""
    )
    rules = {(v.rule, v.impact) for v in check(page, "login")}
    assert ("image-alt", "critical") in rules
    assert ("label", "critical") in rules
