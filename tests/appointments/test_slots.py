"""Slots and recurring slots: generation, re-planning, closing, booking on a slot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from jalon.appointments import actions, slots
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.models import Appointment, Slot, SlotPattern
from jalon.history.models import Event
from tests.factories import AgendaFactory, PersonFactory, ServiceFactory, appointment_type

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
WEEKDAYS = [0, 1, 2, 3, 4]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def local_days(queryset, zone=PARIS) -> set[dt.date]:
    return {start.astimezone(zone).date() for start in queryset.values_list("starts_at", flat=True)}


def travel(moment: dt.datetime):
    return time_machine.travel(moment.timestamp(), tick=False)


def make_pattern(agent, agenda, code="sortie_audience_spip", **values):
    defaults = {
        "weekdays": WEEKDAYS,
        "start_time": dt.time(9),
        "end_time": dt.time(11),
        "interval_minutes": 30,
        "duration_minutes": 30,
        "capacity": 2,
        "valid_from": dt.date(2027, 7, 1),
    }
    return slot_actions.create_pattern(
        agent=agent, agenda=agenda, appointment_type=appointment_type(code), **defaults | values
    ).pattern


def book_on(agent, slot, person=None, org=None):
    return actions.book_appointment(
        agent=agent, person=person or PersonFactory(followed_by=[org.spip_alpha]), slot=slot
    )


# --- Pure functions -------------------------------------------------------------------------


@dataclass
class Pattern:
    weekdays: list[int] = field(default_factory=lambda: list(EVERY_DAY))
    start_time: dt.time = dt.time(9)
    end_time: dt.time = dt.time(10)
    interval_minutes: int = 30
    duration_minutes: int = 30
    valid_from: dt.date = dt.date(2027, 1, 1)
    valid_until: dt.date | None = None
    includes_holidays: bool = False


def test_times_of_day_stop_when_a_slot_no_longer_fits():
    assert slots.times_of_day(dt.time(9), dt.time(10, 10), 20, 30) == [
        dt.time(9),
        dt.time(9, 20),
        dt.time(9, 40),
    ]


def test_occurrences_skip_the_hour_clocks_skip_and_take_the_repeated_hour_once():
    night = Pattern(start_time=dt.time(2), end_time=dt.time(4))
    spring = list(
        slots.occurrences(night, dt.date(2027, 3, 28), dt.date(2027, 3, 28), "", "Europe/Paris")
    )
    # 02:00 and 02:30 do not exist on 28 March 2027 in Paris.
    assert [start.astimezone(PARIS).time() for start in spring] == [dt.time(3), dt.time(3, 30)]
    autumn = list(
        slots.occurrences(night, dt.date(2027, 10, 31), dt.date(2027, 10, 31), "", "Europe/Paris")
    )
    assert len(autumn) == 4 and len(set(autumn)) == 4


def test_occurrences_respect_validity_and_holidays():
    pattern = Pattern(valid_from=dt.date(2027, 7, 13), valid_until=dt.date(2027, 7, 15))
    days = {
        start.date()
        for start in slots.occurrences(
            pattern, dt.date(2027, 7, 1), dt.date(2027, 7, 31), "", "Europe/Paris"
        )
    }
    assert days == {dt.date(2027, 7, 13), dt.date(2027, 7, 15)}
    pattern.includes_holidays = True
    days = {
        start.date()
        for start in slots.occurrences(
            pattern, dt.date(2027, 7, 1), dt.date(2027, 7, 31), "", "Europe/Paris"
        )
    }
    assert dt.date(2027, 7, 14) in days


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert slots.add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert slots.add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


@pytest.mark.parametrize(
    ("changes", "allows_weekends", "field_name"),
    [
        ({"weekdays": []}, False, "weekdays"),
        ({"weekdays": [5]}, False, "weekdays"),
        ({"includes_holidays": True}, False, "includes_holidays"),
        ({"end_time": dt.time(9)}, True, "end_time"),
        ({"start_time": dt.time(6)}, True, "start_time"),
        ({"end_time": dt.time(21)}, True, "start_time"),
        ({"duration_minutes": 90, "interval_minutes": 90}, True, "duration_minutes"),
        ({"interval_minutes": 15}, True, "interval_minutes"),
        ({"valid_until": dt.date(2026, 1, 1)}, True, "valid_until"),
    ],
)
def test_pattern_errors_name_the_wrong_field(changes, allows_weekends, field_name):
    pattern = Pattern(**{"weekdays": [0]} | changes)
    assert field_name in slots.pattern_errors(pattern, allows_weekends=allows_weekends)


def test_a_weekend_type_may_recur_on_weekends_and_holidays():
    assert slots.pattern_errors(Pattern(includes_holidays=True), allows_weekends=True) == {}


# --- Generation -------------------------------------------------------------------------------


def test_generation_over_july_and_august_skips_14_july_and_15_august(
    frozen_now, admin_spip, agendas
):
    weekdays = make_pattern(admin_spip, agendas.spip_alpha)
    # DDSE is held on weekends too: 15 August 2027 is a Sunday.
    every_day = make_pattern(
        admin_spip, agendas.spip_alpha, "sap_ddse", weekdays=EVERY_DAY, start_time=dt.time(14),
        end_time=dt.time(15), interval_minutes=60, duration_minutes=60,
    )  # fmt: skip
    weekday_days = local_days(Slot.objects.filter(pattern=weekdays))
    every_days = local_days(Slot.objects.filter(pattern=every_day))
    assert dt.date(2027, 7, 14) not in weekday_days | every_days
    assert dt.date(2027, 8, 15) not in every_days
    assert {dt.date(2027, 7, 13), dt.date(2027, 7, 15), dt.date(2027, 8, 16)} <= weekday_days
    assert {dt.date(2027, 8, 14), dt.date(2027, 8, 8)} <= every_days  # weekends are generated
    assert not {day for day in weekday_days if day.weekday() >= 5}
    # Three months ahead by default, from now (Monday 5 July, 10:00): up to 5 October.
    assert max(weekday_days) == dt.date(2027, 10, 5)
    first_slots = Slot.objects.filter(pattern=weekdays).order_by("starts_at")[:5]
    assert [slot.local_start.replace(tzinfo=None) for slot in first_slots] == [
        dt.datetime(2027, 7, 5, 10, 30),  # 09:00 to 10:00 have started: not generated
        dt.datetime(2027, 7, 6, 9), dt.datetime(2027, 7, 6, 9, 30),
        dt.datetime(2027, 7, 6, 10), dt.datetime(2027, 7, 6, 10, 30),
    ]  # fmt: skip
    first_day = first_slots
    assert {slot.capacity for slot in first_day} == {2}


def test_the_horizon_comes_from_the_setting(frozen_now, admin_spip, agendas, settings):
    settings.JALON_SLOT_MONTHS_AHEAD = 1
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    assert max(local_days(Slot.objects.filter(pattern=pattern))) == dt.date(2027, 8, 5)


def test_an_alsace_service_has_no_slot_on_good_friday(make_agent, org, agendas):
    alsace = ServiceFactory(
        name="SPIP Alsace", kind="spip", jurisdiction=org.tj_alpha, holiday_subdivision="6AE"
    )
    alsace_agenda = AgendaFactory(place__service=alsace)
    with travel(dt.datetime(2027, 3, 1, 8, tzinfo=UTC)):
        admin = make_agent("local_admin", service=alsace)
        mainland_admin = make_agent("local_admin", service=org.spip_alpha)
        values = {"valid_from": dt.date(2027, 3, 1)}
        in_alsace = make_pattern(admin, alsace_agenda, **values)
        mainland = make_pattern(mainland_admin, agendas.spip_alpha, **values)
    good_friday, easter_monday = dt.date(2027, 3, 26), dt.date(2027, 3, 29)
    assert good_friday not in local_days(Slot.objects.filter(pattern=in_alsace))
    assert dt.date(2027, 3, 25) in local_days(Slot.objects.filter(pattern=in_alsace))
    assert good_friday in local_days(Slot.objects.filter(pattern=mainland))
    assert easter_monday not in local_days(Slot.objects.filter(pattern=mainland))


def test_slots_keep_their_local_time_across_the_clock_change(admin_spip, agendas):
    with travel(dt.datetime(2027, 3, 15, 8, tzinfo=UTC)):
        pattern = make_pattern(
            admin_spip, agendas.spip_alpha, "sap_ddse", weekdays=[6], start_time=dt.time(9),
            end_time=dt.time(10), interval_minutes=60, duration_minutes=60,
            valid_from=dt.date(2027, 3, 15),
        )  # fmt: skip
    starts = {
        start.date(): start
        for start in Slot.objects.filter(pattern=pattern).values_list("starts_at", flat=True)
    }
    assert starts[dt.date(2027, 3, 21)] == dt.datetime(2027, 3, 21, 8, tzinfo=UTC)  # 09:00 CET
    assert starts[dt.date(2027, 3, 28)] == dt.datetime(2027, 3, 28, 7, tzinfo=UTC)  # 09:00 CEST


def test_regeneration_is_idempotent(frozen_now, admin_spip, agendas):
    make_pattern(admin_spip, agendas.spip_alpha)
    count = Slot.objects.count()
    assert slots.generate_slots() == []
    assert slot_actions.generate_upcoming_slots() == []
    assert Slot.objects.count() == count


def test_the_nightly_generation_extends_the_horizon_and_records_once(
    frozen_now, admin_spip, agendas
):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    before = Slot.objects.filter(pattern=pattern).count()
    with travel(dt.datetime(2027, 7, 12, 1, tzinfo=UTC)):
        created = slot_actions.generate_upcoming_slots()
        assert slot_actions.generate_upcoming_slots() == []
    assert len(created) == 5 * 4  # a week later: one more week of four slots a day
    assert Slot.objects.filter(pattern=pattern).count() == before + len(created)
    assert Event.objects.filter(action="slots.generated").count() == 1


def test_the_periodic_task_runs_the_generation(frozen_now, admin_spip, agendas):
    from jalon.appointments.tasks import generate_slots

    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    Slot.objects.filter(pattern=pattern).delete()
    generate_slots(timestamp=0)
    assert Slot.objects.filter(pattern=pattern).exists()


def test_the_command_dry_run_prints_and_creates_nothing(frozen_now, admin_spip, agendas):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    count = Slot.objects.filter(pattern=pattern).count()
    Slot.objects.filter(pattern=pattern).delete()
    out = StringIO()
    call_command("generate_slots", "--dry-run", stdout=out)
    assert f"Would create {count} slot(s) up to 3 month(s) ahead." in out.getvalue()
    assert "2027-07-06 09:00 (30 min, 2 place(s))" in out.getvalue()
    assert not Slot.objects.exists()
    call_command("generate_slots", stdout=StringIO())
    assert Slot.objects.count() == count


def test_inactive_patterns_and_agendas_generate_nothing(frozen_now, admin_spip, agendas):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    slot_actions.update_pattern(agent=admin_spip, pattern=pattern, is_active=False)
    assert not Slot.objects.exists()
    assert slots.generate_slots() == []


# --- Re-planning ---------------------------------------------------------------------------------


def test_changing_a_pattern_replans_empty_slots_and_keeps_booked_ones(
    frozen_now, admin_spip, bex, agendas, org
):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    booked_slot = Slot.objects.get(starts_at=dt.datetime(2027, 7, 6, 9, 30, tzinfo=PARIS))
    appointment = book_on(bex, booked_slot, org=org)
    before = Slot.objects.filter(pattern=pattern).count()
    report = slot_actions.update_pattern(
        agent=admin_spip, pattern=pattern, start_time=dt.time(14), end_time=dt.time(16), capacity=3
    )
    booked_slot.refresh_from_db()
    assert booked_slot.booked_count == 1 and booked_slot.capacity == 2
    assert booked_slot.pattern == pattern and booked_slot.local_start.time() == dt.time(9, 30)
    appointment.refresh_from_db()
    assert appointment.slot == booked_slot and appointment.status == Appointment.Status.BOOKED
    others = Slot.objects.filter(pattern=pattern).exclude(pk=booked_slot.pk)
    assert {slot.local_start.hour for slot in others} == {14, 15}
    assert {slot.capacity for slot in others} == {3}
    assert report.kept_booked == 1 and report.removed == before - 1
    assert report.created == others.count()  # 5 July 14:00 onwards, then every weekday
    assert Event.objects.filter(action="slot_pattern.changed").get().details["kept_booked"] == 1


def test_a_change_keeps_closed_empty_slots_closed_and_updates_their_capacity(
    frozen_now, admin_spip, agendas
):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    slot_actions.close_slots(
        agent=admin_spip, agenda=agendas.spip_alpha, date_from=dt.date(2027, 7, 6),
        date_to=dt.date(2027, 7, 6), reason="Congés",
    )  # fmt: skip
    slot_actions.update_pattern(agent=admin_spip, pattern=pattern, capacity=5)
    closed = Slot.objects.filter(is_open=False)
    assert closed.count() == 4 and {slot.capacity for slot in closed} == {5}


def test_deleting_a_pattern_removes_empty_slots_and_keeps_booked_ones(
    frozen_now, admin_spip, bex, agendas, org
):
    pattern = make_pattern(admin_spip, agendas.spip_alpha)
    booked_slot = Slot.objects.filter(pattern=pattern).first()
    book_on(bex, booked_slot, org=org)
    report = slot_actions.delete_pattern(agent=admin_spip, pattern=pattern)
    assert list(Slot.objects.all()) == [booked_slot]
    booked_slot.refresh_from_db()
    assert booked_slot.pattern is None and booked_slot.booked_count == 1
    assert report.kept_booked == 1 and not SlotPattern.objects.exists()
    assert Event.objects.filter(action="slot_pattern.deleted").exists()


def test_an_overlapping_pattern_is_refused_and_nothing_is_saved(frozen_now, admin_spip, agendas):
    first = make_pattern(admin_spip, agendas.spip_alpha)
    count = Slot.objects.count()
    with pytest.raises(ValidationError) as error:
        make_pattern(
            admin_spip, agendas.spip_alpha, "sap_ddse", weekdays=[4, 5], start_time=dt.time(10, 30),
            end_time=dt.time(12),
        )  # fmt: skip
    messages = error.value.message_dict
    assert "chevauchent" in messages["start_time"][0] and str(first) in messages["start_time"][0]
    assert messages["weekdays"] == ["Jour(s) en commun : vendredi."]
    assert SlotPattern.objects.count() == 1 and Slot.objects.count() == count


def test_patterns_that_do_not_meet_are_accepted(frozen_now, admin_spip, agendas):
    make_pattern(admin_spip, agendas.spip_alpha, valid_until=dt.date(2027, 7, 31))
    make_pattern(admin_spip, agendas.spip_alpha, start_time=dt.time(11), end_time=dt.time(12))
    make_pattern(admin_spip, agendas.spip_alpha, valid_from=dt.date(2027, 8, 1))
    make_pattern(admin_spip, agendas.spip_alpha, "sap_ddse", weekdays=[5, 6])
    assert SlotPattern.objects.count() == 4


def test_a_pattern_needs_a_slot_type_held_in_the_agenda(frozen_now, admin_spip, agendas):
    with pytest.raises(ValidationError) as error:
        make_pattern(admin_spip, agendas.spip_alpha, "sortie_audience_sap")
    assert "appointment_type" in error.value.message_dict


def test_a_pattern_of_another_service_is_refused(frozen_now, admin_spip, agendas):
    with pytest.raises(PermissionDenied):
        make_pattern(admin_spip, agendas.sap_alpha, "sortie_audience_sap")


# --- Single slots, capacity and closing -------------------------------------------------------------


def create_slot(agent, agenda, day="2027-07-07", hour=9, code="sortie_audience_spip", **kwargs):
    values = {"duration_minutes": 30, "capacity": 1} | kwargs
    return slot_actions.create_slot(
        agent=agent, agenda=agenda, appointment_type=appointment_type(code),
        day=dt.date.fromisoformat(day), at=dt.time(hour), **values,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "hour", "code", "field_name", "message"),
    [
        ("2027-07-14", 9, "sortie_audience_spip", "day", "férié"),
        ("2027-07-10", 9, "sortie_audience_spip", "day", "samedi"),
        ("2027-07-05", 9, "sortie_audience_spip", "day", "futur"),
        ("2027-07-07", 6, "sortie_audience_spip", "time", "entre 7 h 00 et 20 h 00"),
        ("2027-07-07", 19, "sap_ddse", "time", "entre 7 h 00 et 20 h 00"),  # 19:00 + 90 minutes
    ],
)
def test_a_single_slot_on_a_holiday_or_out_of_hours_is_refused(
    frozen_now, admin_spip, agendas, day, hour, code, field_name, message
):
    with pytest.raises(ValidationError) as error:
        create_slot(admin_spip, agendas.spip_alpha, day, hour, code, duration_minutes=90)
    assert message in error.value.message_dict[field_name][0]
    assert not Slot.objects.exists()


def test_a_weekend_type_may_have_a_single_slot_on_a_holiday(frozen_now, admin_spip, agendas):
    slot = create_slot(admin_spip, agendas.spip_alpha, "2027-07-14", 9, "sap_ddse")
    assert slot.local_start == dt.datetime(2027, 7, 14, 9, tzinfo=PARIS)
    assert Event.objects.filter(action="slot.created").count() == 1


def test_two_slots_of_a_type_cannot_start_together_in_one_agenda(frozen_now, admin_spip, agendas):
    create_slot(admin_spip, agendas.spip_alpha)
    with pytest.raises(ValidationError) as error:
        create_slot(admin_spip, agendas.spip_alpha)
    assert "existe déjà" in error.value.message_dict["time"][0] or "déjà" in str(error.value)


def test_capacity_cannot_go_below_the_places_taken(frozen_now, admin_spip, bex, agendas, org):
    slot = create_slot(admin_spip, agendas.spip_alpha, capacity=3)
    book_on(bex, slot, org=org)
    book_on(bex, slot, org=org)
    with pytest.raises(ValidationError) as error:
        slot_actions.update_slot(agent=admin_spip, slot=slot, capacity=1, is_open=True)
    assert "2 personne(s) déjà convoquée(s)" in error.value.message_dict["capacity"][0]
    slot.refresh_from_db()
    assert slot.capacity == 3
    slot_actions.update_slot(agent=admin_spip, slot=slot, capacity=2, is_open=True)
    slot.refresh_from_db()
    assert slot.capacity == 2 and slot.is_full


def test_closing_a_period_reports_the_slots_with_bookings(
    frozen_now, admin_spip, bex, agendas, org
):
    make_pattern(admin_spip, agendas.spip_alpha)
    monday = Slot.objects.filter(starts_at__date=dt.date(2027, 7, 12)).order_by("starts_at")
    book_on(bex, monday[0], org=org)
    book_on(bex, monday[0], org=org)
    report = slot_actions.close_slots(
        agent=admin_spip, agenda=agendas.spip_alpha, date_from=dt.date(2027, 7, 12),
        date_to=dt.date(2027, 7, 16), reason="Grève",
    )  # fmt: skip
    # Four slots a day on four days: 14 July has none.
    assert report.closed == 4 * 4 and report.with_bookings == [monday[0]]
    assert report.persons_to_warn == 2
    assert Slot.objects.filter(is_open=False, closed_reason="Grève").count() == 16
    assert Appointment.objects.filter(status=Appointment.Status.BOOKED).count() == 2
    assert Event.objects.get(action="slots.closed").details["closed"] == 16


def test_closing_needs_a_reason_and_an_ordered_period(frozen_now, admin_spip, agendas):
    with pytest.raises(ValidationError) as error:
        slot_actions.close_slots(
            agent=admin_spip, agenda=agendas.spip_alpha, date_from=dt.date(2027, 7, 12),
            date_to=dt.date(2027, 7, 11), reason=" ",
        )  # fmt: skip
    assert set(error.value.message_dict) == {"reason", "date_to"}


def test_an_overseer_closes_only_tag_fitting_slots(
    frozen_now, admin_spip, make_agent, org, agendas
):
    create_slot(admin_spip, agendas.spip_alpha, hour=9)
    ddse = create_slot(admin_spip, agendas.spip_alpha, hour=10, code="sap_ddse")
    overseer = make_agent("overseer", service=org.spip_alpha)
    report = slot_actions.close_slots(
        agent=overseer, agenda=agendas.spip_alpha, date_from=dt.date(2027, 7, 7),
        date_to=dt.date(2027, 7, 7), reason="Formation",
    )  # fmt: skip
    assert report.closed == 1
    assert list(Slot.objects.filter(is_open=False)) == [ddse]
    with pytest.raises(PermissionDenied):
        create_slot(overseer, agendas.spip_alpha, hour=11)


# --- Booking on a slot -------------------------------------------------------------------------------


def test_booking_on_a_slot_takes_a_place_and_uses_the_slot(
    frozen_now, admin_spip, bex, agendas, org
):
    slot = create_slot(admin_spip, agendas.spip_alpha, capacity=2)
    person = PersonFactory(followed_by=[org.spip_alpha])
    appointment = actions.book_appointment(agent=bex, person=person, slot=slot, send_sms_now=True)
    slot.refresh_from_db()
    assert slot.booked_count == 1
    assert appointment.slot == slot and appointment.agenda == agendas.spip_alpha
    assert appointment.appointment_type.code == "sortie_audience_spip"
    assert appointment.starts_at == slot.starts_at and appointment.ends_at == slot.ends_at
    assert Event.objects.for_object(appointment).get().details["slot"] == slot.pk


@pytest.mark.parametrize(
    ("state", "message"),
    [("closed", "Ce créneau est fermé"), ("full", "Ce créneau est complet")],
)
def test_a_closed_or_full_slot_is_refused_and_nothing_changes(
    frozen_now, admin_spip, bex, agendas, org, state, message
):
    slot = create_slot(admin_spip, agendas.spip_alpha)
    if state == "closed":
        slot_actions.update_slot(agent=admin_spip, slot=slot, capacity=1, is_open=False)
    else:
        book_on(bex, slot, org=org)
    count = Appointment.objects.count()
    with pytest.raises(ValidationError) as error:
        book_on(bex, slot, org=org)
    assert error.value.message_dict["slot"][0].startswith(message)
    slot.refresh_from_db()
    assert slot.booked_count == (0 if state == "closed" else 1)
    assert Appointment.objects.count() == count


def test_a_past_slot_is_refused(frozen_now, admin_spip, bex, agendas, org):
    slot = create_slot(admin_spip, agendas.spip_alpha)
    with travel(dt.datetime(2027, 7, 8, 8, tzinfo=UTC)), pytest.raises(ValidationError) as error:
        book_on(bex, slot, org=org)
    assert "passé" in error.value.message_dict["slot"][0]


def test_a_refused_booking_gives_the_place_back(frozen_now, admin_spip, bex, agendas, org):
    slot = create_slot(admin_spip, agendas.spip_alpha, capacity=2)
    person = PersonFactory(followed_by=[org.spip_alpha])
    book_on(bex, slot, person=person)
    with pytest.raises(ValidationError) as error:
        book_on(bex, slot, person=person)  # the same person at the same time
    assert "déjà une convocation" in error.value.message_dict["starts_at"][0]
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_an_agent_books_only_slots_of_their_list_and_reach(
    frozen_now, admin_spip, make_agent, agendas, org
):
    slot = create_slot(admin_spip, agendas.spip_alpha, code="sap_ddse")
    cpip = make_agent("cpip", service=org.spip_alpha)  # SAP DDSE is not in a CPIP's list
    with pytest.raises(ValidationError) as error:
        book_on(cpip, slot, org=org)
    assert "Vous ne pouvez pas convoquer sur ce créneau" in error.value.message_dict["slot"][0]
    greff_sap = make_agent("greff_sap", service=org.sap_alpha)
    assert book_on(greff_sap, slot, org=org).slot == slot


def test_cancelling_frees_the_place(frozen_now, admin_spip, bex, agendas, org):
    slot = create_slot(admin_spip, agendas.spip_alpha)
    appointment = book_on(bex, slot, org=org)
    actions.cancel_appointment(agent=bex, appointment=appointment)
    slot.refresh_from_db()
    assert slot.booked_count == 0
    book_on(bex, slot, org=org)


def test_rescheduling_moves_the_place_to_the_new_slot(frozen_now, admin_spip, bex, agendas, org):
    first = create_slot(admin_spip, agendas.spip_alpha, hour=9)
    second = create_slot(admin_spip, agendas.spip_alpha, hour=10)
    old = book_on(bex, first, org=org)
    new = actions.reschedule_appointment(agent=bex, appointment=old, slot=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked_count, second.booked_count) == (0, 1)
    assert new.slot == second and new.starts_at == second.starts_at


def test_an_excused_convocation_keeps_its_place(frozen_now, admin_spip, make_agent, agendas, org):
    slot = create_slot(admin_spip, agendas.spip_alpha)
    appointment = book_on(admin_spip, slot, org=org)
    actions.record_outcome(
        agent=admin_spip, appointment=appointment, status=Appointment.Status.EXCUSED
    )
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_the_database_refuses_an_overbooked_slot(frozen_now, admin_spip, agendas):
    from django.db import IntegrityError, transaction

    slot = create_slot(admin_spip, agendas.spip_alpha)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked_count=2)
