"""Registering and booking in one action, all or nothing, and who a convocation is assigned to."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from jalon.appointments import actions
from jalon.appointments.actions import BookingRefused, BookingRequest, register_and_book
from jalon.appointments.models import Appointment, Slot
from jalon.history.models import Event
from jalon.people.actions import DuplicatePersonError, Identity
from jalon.people.models import Follow, Person
from tests.factories import PersonFactory, SlotFactory, appointment_type

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int = 10) -> dt.datetime:
    """A time in July 2027 (``frozen_now`` is Monday 5 July; the 14th is a holiday)."""
    return dt.datetime(2027, 7, day, hour, tzinfo=PARIS)


def identity(**overrides) -> Identity:
    values = {
        "last_name": "Nguyen",
        "first_names": "Thi Lan",
        "birth_date": dt.date(1988, 7, 21),
        "phone": "+33698765432",
    }
    return Identity(**(values | overrides))


def follow_up(agenda, starts_at, code="spip_follow_up") -> BookingRequest:
    return BookingRequest(
        appointment_type=appointment_type(code), agenda=agenda, starts_at=starts_at
    )


def test_registers_the_person_and_books_the_convocation(frozen_now, cpip, agendas, org):
    person, booked = register_and_book(
        agent=cpip,
        identity=identity(),
        bookings=[follow_up(agendas.spip_alpha, at(6))],
        prosecution_number="27123000042",
        send_sms_now=True,
    )

    assert Person.objects.get() == person
    assert [appointment.person for appointment in booked] == [person]
    assert booked[0].prosecution_number == "27123000042"
    assert booked[0].messages.exists()  # the SMS asked for now
    assert Follow.objects.filter(person=person, service=org.spip_alpha).exists()
    assert person.referent == cpip  # a CPIP becomes the référent of whom they register
    assert set(Event.objects.for_object(person).values_list("action", flat=True)) == {
        "person.created",
        "appointment.booked",
    }


def test_without_bookings_it_only_registers(frozen_now, make_agent, org):
    greffier = make_agent("greff_sap", service=org.sap_alpha)

    person, booked = register_and_book(agent=greffier, identity=identity(), bookings=[])

    assert booked == [] and not Appointment.objects.exists()
    assert person.referent is None  # a greffier is nobody's référent


def test_a_refused_booking_registers_nobody(frozen_now, cpip, agendas):
    holiday = follow_up(agendas.spip_alpha, at(14))

    with pytest.raises(BookingRefused) as refused:
        register_and_book(agent=cpip, identity=identity(), bookings=[holiday])

    assert refused.value.request is holiday
    assert "férié" in " ".join(refused.value.error.messages)
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()
    assert not Event.objects.filter(action="person.created").exists()


def test_a_refused_second_slot_books_nothing_and_gives_the_first_place_back(
    frozen_now, make_agent, org, agendas
):
    bex = make_agent("bex", service=org.bex_alpha)
    person = PersonFactory(followed_by=[org.spip_alpha])
    sap_slot = SlotFactory(
        agenda=agendas.sap_alpha,
        appointment_type=appointment_type("sortie_audience_sap"),
        starts_at=at(7, 9),
    )
    closed = SlotFactory(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=at(7, 14),
        is_open=False,
    )
    bookings = [BookingRequest(slot=sap_slot, key="sap"), BookingRequest(slot=closed, key="spip")]

    with pytest.raises(BookingRefused) as refused:
        register_and_book(agent=bex, person=person, bookings=bookings)

    assert refused.value.request.key == "spip"
    assert not Appointment.objects.exists()
    assert Slot.objects.get(pk=sap_slot.pk).booked_count == 0


def test_a_refused_registration_books_nothing(frozen_now, cpip, agendas):
    PersonFactory(phone="+33698765432")

    with pytest.raises((DuplicatePersonError, ValidationError)):
        register_and_book(
            agent=cpip, identity=identity(), bookings=[follow_up(agendas.spip_alpha, at(6))]
        )

    assert Person.objects.count() == 1
    assert not Appointment.objects.exists()


def test_an_existing_person_is_booked_without_a_new_registration(frozen_now, cpip, agendas, org):
    person = PersonFactory(followed_by=[org.spip_alpha])

    same, booked = register_and_book(
        agent=cpip, person=person, bookings=[follow_up(agendas.spip_alpha, at(6))]
    )

    assert same == person and Person.objects.count() == 1
    assert booked[0].person == person


# --- Who the convocation is assigned to ------------------------------------------------


def test_booking_in_the_agents_own_service_assigns_it_to_them(frozen_now, cpip, agendas, org):
    person = PersonFactory(followed_by=[org.spip_alpha])
    appointment = actions.book_appointment(
        agent=cpip,
        person=person,
        appointment_type=appointment_type("spip_follow_up"),
        agenda=agendas.spip_alpha,
        starts_at=at(6),
    )
    assert appointment.assigned_agent == cpip


def test_booking_for_another_service_leaves_it_unassigned(frozen_now, make_agent, org, agendas):
    bex = make_agent("bex", service=org.bex_alpha)
    person = PersonFactory(followed_by=[org.spip_alpha])
    slot = SlotFactory(
        agenda=agendas.sap_alpha,
        appointment_type=appointment_type("sortie_audience_sap"),
        starts_at=at(7, 9),
    )
    appointment = actions.book_appointment(agent=bex, person=person, slot=slot)
    assert appointment.assigned_agent is None  # the SAP assigns it itself


@pytest.mark.parametrize("assignee", ["colleague", "nobody"])
def test_a_given_assignee_is_kept_even_when_rescheduled(
    frozen_now, cpip, make_agent, agendas, org, assignee
):
    given = make_agent("cpip", service=org.spip_alpha) if assignee == "colleague" else None
    person = PersonFactory(followed_by=[org.spip_alpha])
    booked = actions.book_appointment(
        agent=cpip,
        person=person,
        appointment_type=appointment_type("spip_follow_up"),
        agenda=agendas.spip_alpha,
        starts_at=at(6),
        assigned_agent=given,
    )
    moved = actions.reschedule_appointment(
        agent=cpip, appointment=booked, agenda=agendas.spip_alpha, starts_at=at(8)
    )
    assert booked.assigned_agent == given
    assert moved.assigned_agent == given  # not the rescheduling agent
