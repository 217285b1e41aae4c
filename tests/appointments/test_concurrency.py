"""Two agents booking the same person at the same time: the person's row lock lets one win."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jalon.appointments import actions
from jalon.appointments.models import Appointment
from tests.dates import working_day_at
from tests.factories import PersonFactory, appointment_type


@pytest.mark.django_db(transaction=True)
def test_parallel_overlapping_bookings_of_one_person_give_one_convocation(
    awkward_day, org, agendas, make_agent
):
    person = PersonFactory(followed_by=[org.spip_alpha])
    agents = [make_agent("cpip", service=org.spip_alpha) for _ in range(4)]
    starts_at = working_day_at(30, service=org.spip_alpha)  # a day the service works
    barrier = threading.Barrier(len(agents))
    outcomes: list[str] = []

    def book(agent, minutes):
        try:
            barrier.wait()
            actions.book_appointment(
                agent=agent,
                person=person,
                appointment_type=appointment_type("spip_follow_up"),
                agenda=agendas.spip_alpha,
                starts_at=starts_at + dt.timedelta(minutes=minutes),
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.message_dict["starts_at"][0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(agent, index * 10))
        for index, agent in enumerate(agents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    assert all("déjà une convocation" in outcome for outcome in outcomes if outcome != "booked")
    assert Appointment.objects.filter(person=person).count() == 1
