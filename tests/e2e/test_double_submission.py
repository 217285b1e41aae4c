"""A double click on "Enregistrer" registers and convokes once, and says so (fault 1)."""

from __future__ import annotations

from typing import Any

import pytest

from jalon.appointments.models import Appointment
from jalon.people.models import Person
from tests.dates import working_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_registration(page: Any, org: Any) -> None:
    day = working_day(7, org.spip_alpha.holiday_subdivision)
    page.goto("/personnes/nouvelle/")
    page.fill("#id_last_name", "Dupont")
    page.fill("#id_first_names", "Jean")
    page.fill("#id_birth_date", "24/03/1987")
    page.fill("#id_phone", "06 12 34 56 78")
    page.select_option("#id_rdv-appointment_type", label="1er rendez-vous SPIP")
    page.fill("#id_rdv-day", f"{day:%d/%m/%Y}")
    page.fill("#id_rdv-time", "10h")


def test_a_double_click_registers_once_and_shows_the_success(
    log_in, page, make_agent, org, agendas
):
    agent = make_agent("cpip", service=org.spip_alpha)
    log_in(agent.email)
    _fill_registration(page, org)
    button = page.locator("main button[type=submit]:has-text('Enregistrer')")

    button.dblclick()

    page.wait_for_url("**/personnes/*/")
    assert page.locator(".fr-alert--success").inner_text() == "Personne enregistrée et convoquée."
    assert "déjà enregistré" not in page.content()
    person = Person.objects.get()
    assert Appointment.objects.get().person == person
    assert page.url.endswith(f"/personnes/{person.pk}/")


def test_the_sending_button_is_disabled_and_says_so(log_in, page, make_agent, org, agendas):
    agent = make_agent("cpip", service=org.spip_alpha)
    log_in(agent.email)
    _fill_registration(page, org)
    # "204 No Content" keeps the browser on the page, as a slow answer would.
    page.route("**/personnes/nouvelle/", lambda route: route.fulfill(status=204))
    button = page.locator("main button[type=submit]:has-text('Enregistrer')")

    button.click(no_wait_after=True)

    sending = page.locator("main button[aria-busy=true]")
    sending.wait_for()
    assert sending.is_disabled()
    assert sending.inner_text() == "Envoi en cours…"
    assert not Person.objects.exists()


def test_the_same_form_sent_twice_at_once_registers_once(log_in, page, make_agent, org, agendas):
    """What a double click does without this page's script: two POSTs with one token."""
    agent = make_agent("cpip", service=org.spip_alpha)
    log_in(agent.email)
    _fill_registration(page, org)

    landed = page.evaluate(
        """async () => {
            const form = document.querySelector("main form[method=post]");
            const send = () => fetch(form.action || location.href, {
                method: "POST", body: new FormData(form), credentials: "same-origin",
            });
            const answers = await Promise.all([send(), send()]);
            return answers.map((answer) => [answer.status, new URL(answer.url).pathname]);
        }"""
    )

    person = Person.objects.get()
    assert Appointment.objects.get().person == person
    assert landed == [[200, f"/personnes/{person.pk}/"]] * 2
