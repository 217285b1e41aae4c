"""Agents booking different persons on the last place of a slot at the same moment."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jalon.appointments import actions
from jalon.appointments.models import Appointment, Slot
from tests.factories import PersonFactory, appointment_type

PARIS = ZoneInfo("Europe/Paris")
BOOKERS = 8


def next_weekday_at_ten() -> dt.datetime:
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=21)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=PARIS)


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_the_last_place_give_one_convocation(org, agendas, make_agent):
    slot = Slot.objects.create(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=next_weekday_at_ten(),
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
