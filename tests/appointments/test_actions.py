"""Booking rules and the lifecycle of a convocation, each with its history event."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jalon.appointments import actions
from jalon.appointments.models import Appointment, AppointmentType
from jalon.history.models import Event
from jalon.people.models import Follow
from tests.factories import AppointmentFactory, PersonFactory, appointment_type

PARIS = ZoneInfo("Europe/Paris")
Status = Appointment.Status


def at(day: str, hour: int = 10, minute: int = 0, zone: ZoneInfo = PARIS) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=zone)


def book(agent, person, agenda, starts_at, code="spip_follow_up", **kwargs):
    return actions.book_appointment(
        agent=agent,
        person=person,
        appointment_type=appointment_type(code),
        agenda=agenda,
        starts_at=starts_at,
        **kwargs,
    )


def actions_on(obj) -> list[str]:
    return list(Event.objects.for_object(obj).order_by("pk").values_list("action", flat=True))


def test_booking_creates_the_convocation_and_records_it_on_both_records(
    frozen_now, cpip, person, agendas
):
    appointment = book(
        cpip, person, agendas.spip_alpha, at("2027-07-06"), prosecution_number=" 27/123 "
    )
    assert appointment.status == Status.BOOKED
    assert appointment.service == agendas.spip_alpha.place.service
    assert appointment.created_by == cpip and appointment.created_by_service == cpip.service
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=45)
    assert appointment.prosecution_number == "27/123"
    assert actions_on(appointment) == ["appointment.booked"]
    assert actions_on(person) == ["appointment.booked"]


def test_booking_makes_the_receiving_service_follow_the_person(
    frozen_now, make_agent, org, agendas
):
    person = PersonFactory(followed_by=[org.spip_alpha])
    jap = make_agent("jap", service=org.sap_alpha)
    book(jap, person, agendas.sap_alpha, at("2027-07-06"), code="jap_follow_up")
    assert set(Follow.objects.filter(person=person).values_list("service", flat=True)) == {
        org.spip_alpha.pk,
        org.sap_alpha.pk,
    }


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (at("2027-07-05", 9), "dans le futur"),
        (at("2027-07-14"), "férié"),
        (at("2027-07-10"), "samedi"),
        (at("2027-07-11"), "dimanche"),
        (at("2028-07-06"), "un an"),
    ],
)
def test_booking_refuses_past_holiday_weekend_and_far_dates(
    frozen_now, cpip, person, agendas, starts_at, message
):
    with pytest.raises(ValidationError) as error:
        book(cpip, person, agendas.spip_alpha, starts_at)
    assert message in error.value.message_dict["starts_at"][0]
    assert not Appointment.objects.exists()


def test_alsace_moselle_holidays_apply_to_services_on_that_calendar(cpip, person, agendas, org):
    org.spip_alpha.holiday_subdivision = "6AE"
    org.spip_alpha.save()
    with pytest.raises(ValidationError, match="Saint-Étienne"):
        with_frozen(
            dt.datetime(2028, 12, 20, 9, tzinfo=dt.UTC),
            lambda: book(cpip, person, agendas.spip_alpha, at("2028-12-26")),
        )


def with_frozen(moment: dt.datetime, call):
    with time_machine.travel(moment.timestamp(), tick=False):
        return call()


def test_a_weekend_type_books_on_the_daylight_saving_day_at_the_right_utc_time(
    frozen_now, cpip, person, agendas, org
):
    kind = AppointmentType.objects.create(
        code="weekend_test",
        label="Type de week-end (test)",
        service_kinds=["spip"],
        allows_weekends=True,
    )
    appointment = with_frozen(
        dt.datetime(2027, 3, 20, 9, tzinfo=dt.UTC),
        lambda: actions.book_appointment(
            agent=cpip,
            person=person,
            appointment_type=kind,
            agenda=agendas.spip_alpha,
            starts_at=at("2027-03-28", 10),
        ),
    )
    # Clocks went forward at 02:00 that Sunday: 10:00 in Paris is 08:00 UTC, not 09:00.
    assert appointment.starts_at == dt.datetime(2027, 3, 28, 8, 0, tzinfo=dt.UTC)
    assert appointment.local_start.hour == 10


def test_an_overlapping_convocation_of_the_same_person_is_refused(
    frozen_now, cpip, person, agendas, make_agent, org
):
    book(cpip, person, agendas.spip_alpha, at("2027-07-06", 10))
    jap = make_agent("jap", service=org.sap_alpha)
    with pytest.raises(ValidationError) as error:
        book(jap, person, agendas.sap_alpha, at("2027-07-06", 10, 30), code="jap_follow_up")
    assert "déjà une convocation" in error.value.message_dict["starts_at"][0]
    # Right after the first one ends (45 minutes) is fine.
    book(jap, person, agendas.sap_alpha, at("2027-07-06", 10, 45), code="jap_follow_up")


def test_a_cancelled_convocation_frees_its_time(frozen_now, cpip, person, agendas):
    first = book(cpip, person, agendas.spip_alpha, at("2027-07-06", 10))
    actions.cancel_appointment(agent=cpip, appointment=first)
    book(cpip, person, agendas.spip_alpha, at("2027-07-06", 10))


def test_an_archived_person_cannot_be_convoked(frozen_now, cpip, person, agendas):
    from jalon.people.actions import archive_person

    archive_person(agent=cpip, person=person)
    with pytest.raises(ValidationError) as error:
        book(cpip, person, agendas.spip_alpha, at("2027-07-06"))
    assert "archivée" in error.value.message_dict["person"][0]


def test_slot_types_are_not_booked_on_free_times(frozen_now, make_agent, org, person, agendas):
    bex = make_agent("bex", service=org.bex_alpha)
    with pytest.raises(ValidationError) as error:
        book(bex, person, agendas.sap_alpha, at("2027-07-06"), code="sortie_audience_sap")
    assert "créneau" in error.value.message_dict["appointment_type"][0]


@pytest.mark.parametrize(
    ("profile_code", "service_attr", "agenda_attr", "code"),
    [
        ("cpip", "spip_alpha", "sap_alpha", "spip_follow_up"),  # a SAP place for a SPIP type
        ("cpip", "spip_alpha", "spip_alpha", "jap_follow_up"),  # a type outside the list
        ("jap", "sap_alpha", "sap_beta", "jap_follow_up"),  # another service's agenda
        ("bex", "bex_alpha", "sap_alpha", "jap_follow_up"),  # BEX books only sortie d'audience
        ("parquet", None, "sap_alpha", "jap_follow_up"),  # SISPoPP profiles do not convoke
    ],
)
def test_agents_book_only_their_types_in_their_agendas(
    frozen_now, make_agent, org, person, agendas, profile_code, service_attr, agenda_attr, code
):
    from tests.factories import ServiceFactory

    service = (
        getattr(org, service_attr)
        if service_attr
        else ServiceFactory(kind="parquet", jurisdiction=org.tj_alpha)
    )
    agent = make_agent(profile_code, service=service)
    with pytest.raises(ValidationError) as error:
        book(agent, person, getattr(agendas, agenda_attr), at("2027-07-06"), code=code)
    assert "agenda" in error.value.message_dict


# --- Lifecycle ------------------------------------------------------------------------


@pytest.fixture
def past(frozen_now, person, agendas):
    return AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now - dt.timedelta(days=2)
    )


@pytest.fixture
def future(frozen_now, person, agendas):
    return AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now + dt.timedelta(days=2)
    )


@pytest.mark.parametrize("status", [Status.HONOURED, Status.MISSED, Status.EXCUSED])
def test_recording_an_outcome_sets_status_author_and_history(cpip, past, status):
    actions.record_outcome(agent=cpip, appointment=past, status=status)
    past.refresh_from_db()
    assert (past.status, past.outcome_by) == (status, cpip)
    assert actions_on(past) == [f"appointment.{status}"]
    assert actions_on(past.person) == [f"appointment.{status}"]


@pytest.mark.parametrize("status", [Status.HONOURED, Status.MISSED])
def test_a_future_convocation_cannot_be_marked_honoured_or_missed(cpip, future, status):
    with pytest.raises(ValidationError):
        actions.record_outcome(agent=cpip, appointment=future, status=status)


def test_a_future_convocation_can_be_excused(cpip, future):
    actions.record_outcome(agent=cpip, appointment=future, status=Status.EXCUSED)
    future.refresh_from_db()
    assert future.status == Status.EXCUSED


def test_a_wrong_outcome_is_reverted_to_planned(cpip, past):
    actions.record_outcome(agent=cpip, appointment=past, status=Status.MISSED)
    actions.revert_outcome(agent=cpip, appointment=past)
    past.refresh_from_db()
    assert (past.status, past.outcome_by, past.outcome_at) == (Status.BOOKED, None, None)
    assert actions_on(past) == ["appointment.missed", "appointment.reverted"]
    with pytest.raises(ValidationError):
        actions.revert_outcome(agent=cpip, appointment=past)


def test_cancel_only_planned_future_convocations(cpip, past, future):
    actions.cancel_appointment(agent=cpip, appointment=future, reason="Hospitalisation")
    future.refresh_from_db()
    assert future.status == Status.CANCELLED
    event = Event.objects.for_object(future).get()
    assert event.details["reason"] == "Hospitalisation"
    with pytest.raises(ValidationError):
        actions.cancel_appointment(agent=cpip, appointment=past)


def test_reschedule_cancels_the_old_one_and_links_it_to_the_new_one(cpip, future, agendas):
    new = actions.reschedule_appointment(
        agent=cpip,
        appointment=future,
        agenda=agendas.spip_alpha,
        starts_at=future.starts_at + dt.timedelta(minutes=15),  # overlaps the old time
    )
    future.refresh_from_db()
    assert future.status == Status.CANCELLED
    assert future.rescheduled_to == new
    assert new.status == Status.BOOKED and new.rescheduled_from == future
    assert actions_on(future) == ["appointment.rescheduled"]
    assert actions_on(new) == ["appointment.rescheduled_booking"]


def test_a_refused_reschedule_leaves_the_old_convocation_untouched(cpip, future, agendas):
    with pytest.raises(ValidationError):
        actions.reschedule_appointment(
            agent=cpip,
            appointment=future,
            agenda=agendas.spip_alpha,
            starts_at=at("2027-07-14"),
        )
    future.refresh_from_db()
    assert future.status == Status.BOOKED and future.rescheduled_to is None


@pytest.mark.parametrize("status", [Status.MISSED, Status.EXCUSED])
def test_reconvene_after_a_missed_or_excused_convocation(cpip, past, agendas, status):
    actions.record_outcome(agent=cpip, appointment=past, status=status)
    new = actions.reconvene(
        agent=cpip, appointment=past, agenda=agendas.spip_alpha, starts_at=at("2027-07-07")
    )
    assert new.reconvened_from == past
    assert new.appointment_type == past.appointment_type
    assert actions_on(new) == ["appointment.reconvened"]


def test_a_planned_convocation_cannot_be_reconvened(cpip, future, agendas):
    with pytest.raises(ValidationError):
        actions.reconvene(
            agent=cpip, appointment=future, agenda=agendas.spip_alpha, starts_at=at("2027-07-07")
        )


@pytest.mark.parametrize(
    ("profile_code", "service_attr"),
    [
        ("bex", "bex_alpha"),  # the BEX never records outcomes
        ("jap", "sap_alpha"),  # another service's convocation
        ("greff_sap", "sap_beta"),  # another ressort
    ],
)
def test_only_the_receiving_service_records_outcomes(
    make_agent, org, past, profile_code, service_attr
):
    agent = make_agent(profile_code, service=getattr(org, service_attr))
    with pytest.raises(PermissionDenied):
        actions.record_outcome(agent=agent, appointment=past, status=Status.HONOURED)
    past.refresh_from_db()
    assert past.status == Status.BOOKED
