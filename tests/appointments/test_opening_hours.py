"""A convocation on a free date keeps to the service's opening hours, as slots do (fault 3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalon.appointments import actions
from jalon.appointments.models import Appointment
from jalon.people.models import Person
from tests.factories import PersonFactory, appointment_type

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("hour", "minute", "duration", "accepted"),
    [
        (7, 0, 30, True),
        (19, 30, 30, True),  # ends at 20h00 sharp
        (6, 59, 30, False),
        (19, 45, 30, False),  # would end after 20h00
        (23, 30, 30, False),
    ],
)
def test_a_free_booking_must_fit_in_the_opening_hours(
    frozen_now, cpip, agendas, org, hour, minute, duration, accepted
):
    person = PersonFactory(followed_by=[org.spip_alpha])

    def book():
        return actions.book_appointment(
            agent=cpip,
            person=person,
            appointment_type=appointment_type("spip_follow_up"),
            agenda=agendas.spip_alpha,
            starts_at=dt.datetime(2027, 7, 6, hour, minute, tzinfo=PARIS),
            duration_minutes=duration,
        )

    if accepted:
        assert book().person == person
    else:
        with pytest.raises(ValidationError) as refused:
            book()
        assert refused.value.message_dict["starts_at"] == [
            "Les convocations se tiennent entre 7 h 00 et 20 h 00 (heure locale du service) : "
            f"{hour} h {minute:02d} est en dehors de ces horaires, choisissez une autre heure."
        ]
        assert not Appointment.objects.exists()


def test_the_registration_screen_says_why_and_keeps_what_was_typed(
    client_for, cpip, agendas, frozen_now
):
    response = client_for(cpip).post(
        reverse("person_create"),
        {
            "last_name": "nguyen",
            "first_names": "thi lan",
            "birth_date": "21/07/1988",
            "phone": "06 98 76 54 32",
            "rdv-appointment_type": appointment_type("spip_first").pk,
            "rdv-agenda": agendas.spip_alpha.pk,
            "rdv-day": "06/07/2027",
            "rdv-time": "23h30",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "23 h 30 est en dehors de ces horaires" in page
    assert 'value="23h30"' in page and 'value="nguyen"' in page
    assert not Person.objects.exists() and not Appointment.objects.exists()
