"""Cancelling a convocation asks first and says which SMS leaves to which number (fault 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.sms.models import Message, MessageKind
from tests.factories import AppointmentFactory, PersonFactory

TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00"


@pytest.fixture
def future(org, agendas):
    person = PersonFactory(phone="+33612345678", followed_by=[org.spip_alpha])
    return AppointmentFactory(person=person, agenda=agendas.spip_alpha)


def test_the_detail_page_links_to_the_confirmation_instead_of_cancelling(client_for, cpip, future):
    page = client_for(cpip).get(reverse("appointment_detail", args=[future.pk])).content.decode()
    assert reverse("appointment_cancel", args=[future.pk]) in page
    assert reverse("appointment_operation", args=[future.pk, "annuler"]) not in page


def test_the_confirmation_shows_the_sms_and_the_number_and_changes_nothing(
    client_for, cpip, future
):
    response = client_for(cpip).get(reverse("appointment_cancel", args=[future.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Annuler la convocation de" in page
    assert "06 12 34 56 78" in page
    assert 'name="notify" value="1" checked' in page
    preview = response.context["sms_text"]
    assert preview.startswith("Annulation : Convocation de suivi SPIP du ")
    assert preview.endswith("STOP SMS : [lien personnel]")
    assert preview[:60] in page
    future.refresh_from_db()
    assert future.status == Appointment.Status.BOOKED
    assert not Message.objects.filter(kind=MessageKind.CANCELLATION).exists()


def test_without_sms_the_confirmation_says_none_will_leave(client_for, cpip, org, agendas):
    person = PersonFactory(refuses_sms=True, followed_by=[org.spip_alpha])
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)

    response = client_for(cpip).get(reverse("appointment_cancel", args=[appointment.pk]))

    page = response.content.decode()
    assert "Aucun SMS ne sera envoyé : la personne refuse les SMS." in page
    assert 'name="notify"' not in page


def test_confirming_twice_cancels_once_and_sends_one_sms(client_for, cpip, future):
    client = client_for(cpip)
    url = reverse("appointment_operation", args=[future.pk, "annuler"])

    first = client.post(url, {"notify": "1"})
    second = client.post(url, {"notify": "1"}, follow=True)

    assert first.status_code == 302
    future.refresh_from_db()
    assert future.status == Appointment.Status.CANCELLED
    assert Message.objects.filter(kind=MessageKind.CANCELLATION).count() == 1
    # one event on the person's history, one on the convocation's: recorded once
    assert Event.objects.filter(action="appointment.cancelled").count() == 2
    page = second.content.decode()
    assert "Convocation annulée." in page and "fr-alert--error" not in page


def test_the_confirmation_is_refused_outside_the_scope(client_for, make_agent, org, future):
    other = make_agent("cpip", service=org.sap_beta)
    response = client_for(other).get(reverse("appointment_cancel", args=[future.pk]))
    assert response.status_code == 404
