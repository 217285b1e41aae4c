"""Choosing dates in tests: never from the real clock alone.

A test that needs "a day a convocation may be held" asks the service's calendar
(``jalon.core.dates``) from the current (usually frozen) moment instead of adding a number
of days to today: "today + 21 days, next weekday" is Christmas when run on 4 December.

``AWKWARD_MOMENTS`` are the days such choices go wrong on; the ``awkward_day`` fixture
(``tests/conftest.py``) runs a date-sensitive test once under each of them, and
``tests/test_awkward_days.py`` checks every date helper of the suite under each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from jalon.core.dates import holiday_name, is_working_day

PARIS = ZoneInfo("Europe/Paris")


def _paris(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


# Moments (not only days): late in the evening or just after midnight the local date and the
# UTC date differ, and the two Sundays are those when the clocks change.
AWKWARD_MOMENTS: dict[str, dt.datetime] = {
    # Today + 21 days is Christmas (the original failure).
    "4-decembre": _paris(2026, 12, 4, 16, 0),
    # Christmas tomorrow, then a weekend: the next two days are not working days.
    "24-decembre": _paris(2026, 12, 24, 23, 30),
    # New Year's Day tomorrow, and the days after it are in next year's calendar.
    "31-decembre": _paris(2026, 12, 31, 23, 30),
    # Bastille Day tomorrow; 00:30 in Paris is still the 12th in UTC.
    "13-juillet": _paris(2027, 7, 13, 0, 30),
    # Good Friday, a holiday in Alsace-Moselle only, before Easter Monday (everywhere).
    "vendredi-saint-alsace": _paris(2027, 3, 26, 9, 0),
    # Last Sunday of March: 02:00 to 03:00 does not exist in Paris (also Easter Sunday).
    "passage-heure-ete": _paris(2027, 3, 28, 3, 30),
    # Last Sunday of October: 02:00 to 03:00 happens twice in Paris (this is the first).
    "passage-heure-hiver": dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
}


def local_today(time_zone: str = "Europe/Paris") -> dt.date:
    return timezone.now().astimezone(ZoneInfo(time_zone)).date()


def working_day(
    after_days: int = 1, subdivision: str = "", time_zone: str = "Europe/Paris"
) -> dt.date:
    """The first working day (weekday, not a public holiday of ``subdivision``) at least
    ``after_days`` days after today in ``time_zone``."""
    day = local_today(time_zone) + dt.timedelta(days=after_days)
    while not is_working_day(day, subdivision):
        day += dt.timedelta(days=1)
    return day


def working_day_at(
    after_days: int = 1,
    hour: int = 10,
    minute: int = 0,
    *,
    service: Any = None,
) -> dt.datetime:
    """``hour``:``minute`` on ``working_day(after_days)`` in ``service``'s time zone and
    calendar (mainland Paris without a service), as an aware datetime in UTC."""
    time_zone = service.time_zone if service is not None else "Europe/Paris"
    subdivision = service.holiday_subdivision if service is not None else ""
    day = working_day(after_days, subdivision, time_zone)
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(time_zone))
    return local.astimezone(dt.UTC)


def days_ago(days: float) -> dt.datetime:
    """A moment in the past (convocations held, missed…): any day will do."""
    return timezone.now() - dt.timedelta(days=days)


def next_weekday_holiday(subdivision: str = "", after_days: int = 1) -> dt.date:
    """The first public holiday of ``subdivision`` falling on a weekday, from tomorrow."""
    day = local_today() + dt.timedelta(days=after_days)
    while day.weekday() >= 5 or holiday_name(day, subdivision) is None:
        day += dt.timedelta(days=1)
    return day
