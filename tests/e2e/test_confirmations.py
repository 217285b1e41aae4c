"""Destructive actions ask first, and a double click on the confirmation acts once (fault 5)."""

from __future__ import annotations

import pytest

from jalon.appointments.models import Appointment
from jalon.sms.models import Message, MessageKind
from tests.factories import AppointmentFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cancelling_shows_the_sms_then_a_double_click_cancels_once(
    log_in, page, make_agent, org, agendas
):
    agent = make_agent("cpip", service=org.spip_alpha)
    person = PersonFactory(phone="+33612345678", followed_by=[org.spip_alpha])
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    log_in(agent.email)
    page.goto(f"/convocations/{appointment.pk}/")

    page.click("[data-testid=cancel-link]")

    page.wait_for_url(f"**/convocations/{appointment.pk}/annulation/")
    assert page.locator("[data-testid=cancel-phone]").inner_text() == "06 12 34 56 78"
    assert "Annulation : " in page.locator("[data-testid=cancel-sms]").inner_text()
    assert page.locator("#notify").is_checked()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED  # nothing happened yet

    page.locator("button:has-text('Confirmer l’annulation')").dblclick()

    page.wait_for_url(f"**/convocations/{appointment.pk}/")
    assert page.locator(".fr-alert--success").inner_text() == "Convocation annulée."
    assert page.locator(".fr-alert--error").count() == 0
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert Message.objects.filter(kind=MessageKind.CANCELLATION).count() == 1


def test_archiving_says_what_it_does_then_a_double_click_archives_once(
    log_in, page, make_agent, org
):
    agent = make_agent("cpip", service=org.spip_alpha)
    person = PersonFactory(followed_by=[org.spip_alpha])
    log_in(agent.email)
    page.goto(f"/personnes/{person.pk}/")

    page.click("[data-testid=archive-link]")

    effects = page.locator("[data-testid=archive-effects]")
    assert "Plus aucune convocation ne pourra être prise" in effects.inner_text()
    person.refresh_from_db()
    assert not person.is_archived

    page.locator("button:has-text('Confirmer l’archivage')").dblclick()

    page.wait_for_url(f"**/personnes/{person.pk}/")
    assert "Fiche archivée" in page.locator(".fr-alert--success").inner_text()
    person.refresh_from_db()
    assert person.is_archived
