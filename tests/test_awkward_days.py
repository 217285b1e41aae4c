"""The suite's date choices hold on the days they used to break on.

Every way a test picks a date from the clock (``tests/dates.py``, the factories' defaults)
is run here with the clock frozen at each of ``AWKWARD_MOMENTS`` (24 and 31 December, the
eve of 14 July, Good Friday in Alsace, the two Sundays the clocks change…), for services
of several calendars, and checked against the service's own scheduling rules.

The date-sensitive tests themselves also run once per awkward moment, through the
``awkward_day`` fixture (``tests/conftest.py``): the concurrency tests of
``tests/appointments/``, the outcome queue, home page warnings and letter of
``tests/appointments/test_views.py``, the person page of ``tests/people/test_views.py``.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from jalon.appointments.scheduling import SchedulingError, check_start
from jalon.core.dates import holiday_name, is_working_day
from jalon.core.forms import UpcomingDateField
from tests.dates import (
    AWKWARD_MOMENTS,
    days_ago,
    local_today,
    next_weekday_holiday,
    working_day,
    working_day_at,
)
from tests.factories import AgendaFactory, AppointmentFactory, SlotFactory

SERVICES = {
    "metropole": SimpleNamespace(time_zone="Europe/Paris", holiday_subdivision=""),
    "alsace": SimpleNamespace(time_zone="Europe/Paris", holiday_subdivision="6AE"),
    "moselle": SimpleNamespace(time_zone="Europe/Paris", holiday_subdivision="57"),
    "la-reunion": SimpleNamespace(time_zone="Indian/Reunion", holiday_subdivision="974"),
    "guadeloupe": SimpleNamespace(time_zone="America/Guadeloupe", holiday_subdivision="971"),
}
# The delays the suite asks for (factories: 2 and 3 days; tests: up to 30).
DELAYS = [1, 2, 3, 7, 9, 21, 30]


@pytest.fixture(params=list(AWKWARD_MOMENTS))
def moment(request):
    at = AWKWARD_MOMENTS[request.param]
    with time_machine.travel(at, tick=False):
        yield at


def accepted(starts_at: dt.datetime, service) -> bool:
    try:
        check_start(
            starts_at,
            now=timezone.now(),
            time_zone=service.time_zone,
            holiday_subdivision=service.holiday_subdivision,
            allows_weekends=False,
        )
    except SchedulingError:
        return False
    return True


def test_the_awkward_moments_are_the_days_asked_for():
    """They really are what their names say (a wrong year would test ordinary days)."""
    day = {
        key: moment.astimezone(ZoneInfo("Europe/Paris")) for key, moment in AWKWARD_MOMENTS.items()
    }
    assert holiday_name(day["4-decembre"].date() + dt.timedelta(days=21)) == "Noël"
    assert holiday_name(day["24-decembre"].date() + dt.timedelta(days=1)) == "Noël"
    assert holiday_name(day["31-decembre"].date() + dt.timedelta(days=1)) == "Jour de l'an"
    assert holiday_name(day["13-juillet"].date() + dt.timedelta(days=1)) == "Fête nationale"
    good_friday = day["vendredi-saint-alsace"].date()
    assert good_friday.weekday() == 4 and holiday_name(good_friday) is None
    assert holiday_name(good_friday, "6AE") == "Vendredi saint"
    assert holiday_name(good_friday + dt.timedelta(days=3)) == "Lundi de Pâques"
    for key, month in (("passage-heure-ete", 3), ("passage-heure-hiver", 10)):
        sunday = day[key]
        assert sunday.weekday() == 6 and sunday.month == month
        assert (sunday.date() + dt.timedelta(days=7)).month != month  # the last one
        midnight, evening = (
            dt.datetime.combine(sunday.date(), dt.time(hour), tzinfo=sunday.tzinfo)
            for hour in (0, 23)
        )
        assert midnight.utcoffset() != evening.utcoffset()


@pytest.mark.parametrize("service", list(SERVICES))
def test_a_working_day_ahead_is_accepted_by_the_service(moment, service):
    calendar = SERVICES[service]
    today = local_today(calendar.time_zone)
    for after_days in DELAYS:
        starts_at = working_day_at(after_days, service=calendar)
        local = starts_at.astimezone(ZoneInfo(calendar.time_zone))
        assert local.date() >= today + dt.timedelta(days=after_days)
        assert local.time() == dt.time(10)
        assert accepted(starts_at, calendar), f"{local:%A %d/%m/%Y} refused ({after_days} days)"


@pytest.mark.parametrize("subdivision", ["", "6AE", "57"])
def test_the_browser_tests_dates(moment, subdivision):
    # tests/e2e/test_hearing.py and test_registration.py: working days ahead...
    for after_days in (3, 7):
        day = working_day(after_days, subdivision)
        assert day > local_today() and is_working_day(day, subdivision)
    # ...a weekday holiday typed as JJ/MM, which must land on that very day...
    holiday = next_weekday_holiday(subdivision)
    assert holiday > local_today() and holiday.weekday() < 5
    assert holiday_name(holiday, subdivision) is not None
    assert UpcomingDateField().to_python(f"{holiday.day}/{holiday.month}") == holiday
    # ...and a past day typed in full, refused as such.
    past = local_today() - dt.timedelta(days=3)
    assert not accepted(
        dt.datetime.combine(past, dt.time(10, 30), tzinfo=dt.UTC), SERVICES["metropole"]
    )
    assert days_ago(1) < timezone.now()


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["metropole", "alsace", "la-reunion"])
def test_the_factories_default_convocations_and_slots_are_on_working_days(moment, service):
    calendar = SERVICES[service]
    agenda = AgendaFactory(
        place__service__time_zone=calendar.time_zone,
        place__service__holiday_subdivision=calendar.holiday_subdivision,
    )
    appointment = AppointmentFactory(agenda=agenda)
    slots = [SlotFactory(agenda=agenda) for _ in range(3)]
    assert accepted(appointment.starts_at, calendar)
    assert all(accepted(slot.starts_at, calendar) for slot in slots)
    assert len({slot.starts_at for slot in slots}) == 3  # unique per agenda, type and start
