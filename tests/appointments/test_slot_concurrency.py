"""Agents booking different persons on the last place of a slot at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jalon.appointments import actions
from jalon.appointments.models import Appointment, Slot
from tests.dates import working_day_at
from tests.factories import PersonFactory, appointment_type

BOOKERS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_the_last_place_give_one_convocation(
    awkward_day, org, agendas, make_agent
):
    slot = Slot.objects.create(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        # Three weeks ahead, on a day the service holds convocations (not Christmas).
        starts_at=working_day_at(21, service=org.spip_alpha),
        duration_minutes=30,
        capacity=3,
        booked_count=2,  # one place left
    )
    agents = [make_agent("bex", service=org.bex_alpha) for _ in range(BOOKERS)]
    persons = [PersonFactory(followed_by=[org.spip_alpha]) for _ in range(BOOKERS)]
    barrier = threading.Barrier(BOOKERS)
    outcomes: list[str] = []

    def book(agent, person):
        try:
            barrier.wait()
            actions.book_appointment(agent=agent, person=person, slot=slot)
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.message_dict["slot"][0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=pair) for pair in zip(agents, persons, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    assert [outcome for outcome in outcomes if outcome != "booked"] == [
        "Ce créneau est complet : choisissez-en un autre."
    ] * (BOOKERS - 1)
    slot.refresh_from_db()
    assert slot.booked_count == slot.capacity == 3
    assert Appointment.objects.filter(slot=slot).count() == 1
