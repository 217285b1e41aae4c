"""Loading an SMS through the access layer: 404 for missing and out of scope alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from jalon.access.lookups import access_message
from jalon.access.rules import scope_for
from jalon.sms.models import Message, MessageKind
from tests.factories import AgentFactory, AppointmentFactory, PersonFactory, profile


@pytest.fixture
def message(org, agendas):
    person = PersonFactory(followed_by=[org.spip_alpha])
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    return Message.objects.create(
        kind=MessageKind.REMINDER,
        appointment=appointment,
        person=person,
        service=appointment.service,
        phone=person.phone,
        send_after=dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC),
        status=Message.Status.FAILED,
    )


def test_an_sms_of_the_ressort_is_loaded_with_its_convocation(
    cpip, message, django_assert_num_queries
):
    scope_for(cpip)  # computed once per request by the middleware
    with django_assert_num_queries(1):
        loaded = access_message(cpip, message.pk)
        assert loaded == message and loaded.appointment == message.appointment
        assert loaded.service == message.service


def test_an_sms_of_another_ressort_is_not_found(make_agent, org, message):
    outsider = make_agent("greff_sap", service=org.sap_beta)
    with pytest.raises(Http404):
        access_message(outsider, message.pk)


def test_a_missing_sms_is_not_found(cpip, message):
    with pytest.raises(Http404):
        access_message(cpip, message.pk + 1)


def test_a_national_admin_reaches_every_sms(org, message):
    admin = AgentFactory(profile=profile("national_admin"), service=org.national)
    assert access_message(admin, message.pk) == message


def test_resending_an_sms_out_of_scope_answers_404_and_sends_nothing(
    client_for, make_agent, org, message
):
    outsider = client_for(make_agent("greff_sap", service=org.sap_beta))
    assert outsider.post(reverse("sms_resend", args=[message.pk])).status_code == 404
    assert Message.objects.count() == 1
