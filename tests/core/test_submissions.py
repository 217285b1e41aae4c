"""A POST form sent twice with the same token runs its action once (double submission)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.core.models import Submission
from jalon.core.submissions import forget_old_submissions
from jalon.people.models import Person
from tests.dates import working_day
from tests.factories import appointment_type

TOKEN = "0123456789abcdef0123456789abcdef"


def registration(agendas, day: dt.date, **extra) -> dict:
    return {
        "last_name": "nguyen",
        "first_names": "thi lan",
        "birth_date": "1988-07-21",
        "phone": "06 98 76 54 32",
        "rdv-appointment_type": appointment_type("spip_first").pk,
        "rdv-agenda": agendas.spip_alpha.pk,
        "rdv-day": day.isoformat(),
        "rdv-time": "10:00",
    } | extra


def test_the_same_registration_sent_twice_leads_to_the_person_created_once(
    client_for, cpip, agendas, frozen_now
):
    client = client_for(cpip)
    data = registration(agendas, dt.date(2027, 7, 6), submission_token=TOKEN)

    first = client.post(reverse("person_create"), data)
    second = client.post(reverse("person_create"), data, follow=True)

    person = Person.objects.get()
    assert Appointment.objects.get().person == person
    assert first.status_code == 302
    assert second.redirect_chain == [(first["Location"], 302)]
    page = second.content.decode()
    assert "Personne enregistrée et convoquée." in page
    assert "déjà enregistré" not in page


def test_without_a_token_the_second_request_is_refused_as_before(
    client_for, cpip, agendas, frozen_now
):
    client = client_for(cpip)
    data = registration(agendas, dt.date(2027, 7, 6))
    client.post(reverse("person_create"), data)

    second = client.post(reverse("person_create"), data)

    assert second.status_code == 200  # the duplicate warning of the form, as before
    assert Person.objects.count() == 1


def test_a_form_refused_by_validation_can_be_corrected_and_sent_again(
    client_for, cpip, agendas, frozen_now
):
    client = client_for(cpip)
    refused = client.post(
        reverse("person_create"),
        registration(agendas, dt.date(2027, 7, 6), phone="12", submission_token=TOKEN),
    )
    assert refused.status_code == 200 and not Submission.objects.exists()

    accepted = client.post(
        reverse("person_create"), registration(agendas, dt.date(2027, 7, 6), submission_token=TOKEN)
    )
    assert accepted.status_code == 302 and Person.objects.count() == 1


def test_another_agents_token_is_not_replayed(
    client_for, cpip, make_agent, org, agendas, frozen_now
):
    client_for(cpip).post(
        reverse("person_create"), registration(agendas, dt.date(2027, 7, 6), submission_token=TOKEN)
    )
    other = make_agent("cpip", service=org.spip_alpha)
    client = Client()
    client.force_login(other, backend="jalon.access.backends.AgentBackend")

    response = client.post(
        reverse("person_create"),
        registration(
            agendas,
            dt.date(2027, 7, 6),
            last_name="martin",
            first_names="paul",
            birth_date="1990-01-02",
            phone="06 11 22 33 44",
            submission_token=TOKEN,
        ),
    )

    assert response.status_code == 302  # ran (and was not told where the first one went)
    assert Person.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_token_register_once(cpip, agendas, org):
    day = working_day(7, org.spip_alpha.holiday_subdivision)
    data = registration(agendas, day, submission_token=TOKEN)
    barrier = threading.Barrier(2)
    locations: list[str] = []

    def send() -> None:
        client = Client()
        client.force_login(cpip, backend="jalon.access.backends.AgentBackend")
        try:
            barrier.wait()
            response = client.post(reverse("person_create"), data)
            locations.append(response.get("Location", str(response.status_code)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    person = Person.objects.get()
    assert Appointment.objects.get().person == person
    assert locations == [reverse("person_detail", args=[person.pk])] * 2


def test_tokens_are_forgotten_after_a_day(cpip, time_machine):
    time_machine.move_to(dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC), tick=False)
    Submission.objects.create(token=TOKEN, user_pk=cpip.pk, path="/", location="/")
    time_machine.move_to(dt.datetime(2027, 7, 6, 7, tzinfo=dt.UTC), tick=False)
    assert forget_old_submissions() == 0
    time_machine.move_to(dt.datetime(2027, 7, 6, 9, tzinfo=dt.UTC), tick=False)
    assert forget_old_submissions() == 1
