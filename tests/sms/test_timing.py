"""Reminder due times and quiet hours in the service's time zone (issue 5, §4)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from jalon.sms.timing import (
    LATEST_EVENING,
    QUIET_END,
    QUIET_START,
    convocation_send_at,
    is_quiet,
    reminder_due,
)

UTC = datetime.UTC
PARIS = "Europe/Paris"
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=UTC)


def local(
    time_zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(time_zone))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def due(
    starts_at: datetime.datetime,
    delay_hours: int,
    time_zone: str = PARIS,
    now: datetime.datetime = LONG_AGO,
) -> datetime.datetime | None:
    return reminder_due(starts_at, delay_hours=delay_hours, time_zone=time_zone, now=now)


def test_constants() -> None:
    assert (
        datetime.time(20),
        datetime.time(8),
        datetime.time(19, 30),
    ) == (QUIET_START, QUIET_END, LATEST_EVENING)


@pytest.mark.parametrize(
    ("starts_at", "delay", "expected"),
    [
        # Summer (UTC+2) and winter (UTC+1) in Paris: the same local time the day(s) before.
        (local(PARIS, 2027, 6, 15, 10, 0), 24, utc(2027, 6, 14, 8, 0)),
        (local(PARIS, 2027, 6, 15, 10, 0), 48, utc(2027, 6, 13, 8, 0)),
        (local(PARIS, 2027, 1, 12, 14, 15), 24, utc(2027, 1, 11, 13, 15)),
        # 09:00 and 08:30 the day before are outside the quiet hours.
        (local(PARIS, 2027, 6, 15, 9, 0), 24, utc(2027, 6, 14, 7, 0)),
        (local(PARIS, 2027, 6, 15, 8, 30), 24, utc(2027, 6, 14, 6, 30)),
        (local(PARIS, 2027, 6, 15, 8, 0), 24, utc(2027, 6, 14, 6, 0)),
        (local(PARIS, 2027, 6, 15, 19, 59), 24, utc(2027, 6, 14, 17, 59)),
        # A weekend 21:00 convocation: due 21:00 the day before, moved to 19:30 that evening.
        (local(PARIS, 2027, 6, 19, 21, 0), 24, utc(2027, 6, 18, 17, 30)),
        (local(PARIS, 2027, 6, 19, 20, 0), 24, utc(2027, 6, 18, 17, 30)),
        # A 07:00 convocation: due 07:00 the day before, moved to 19:30 the evening before that.
        (local(PARIS, 2027, 6, 19, 7, 0), 24, utc(2027, 6, 17, 17, 30)),
        (local(PARIS, 2027, 6, 19, 0, 30), 24, utc(2027, 6, 17, 17, 30)),
        # Short delays that fall in the evening stay before the convocation.
        (local(PARIS, 2027, 6, 19, 21, 0), 2, utc(2027, 6, 19, 17, 0)),
        (local(PARIS, 2027, 6, 19, 21, 30), 2, utc(2027, 6, 19, 17, 30)),
        (local(PARIS, 2027, 6, 19, 7, 30), 1, utc(2027, 6, 18, 17, 30)),
    ],
)
def test_paris(starts_at: datetime.datetime, delay: int, expected: datetime.datetime) -> None:
    result = due(starts_at, delay)
    assert result == expected
    assert result is not None and result.tzinfo is UTC


@pytest.mark.parametrize(
    ("starts_at", "delay", "expected_local", "real_hours"),
    [
        # Spring forward on Sunday 28 March 2027 (02:00 → 03:00): 23 real hours, not 24.
        (local(PARIS, 2027, 3, 28, 10, 0), 24, local(PARIS, 2027, 3, 27, 10, 0), 23),
        (local(PARIS, 2027, 3, 29, 10, 0), 48, local(PARIS, 2027, 3, 27, 10, 0), 47),
        (local(PARIS, 2027, 3, 29, 10, 0), 24, local(PARIS, 2027, 3, 28, 10, 0), 24),
        # Counting real hours would give 07:30 on Saturday, i.e. Friday 19:30 after the move.
        (local(PARIS, 2027, 3, 29, 8, 30), 48, local(PARIS, 2027, 3, 27, 8, 30), 47),
        (local(PARIS, 2027, 3, 28, 8, 0), 24, local(PARIS, 2027, 3, 27, 8, 0), 23),
        # Fall back on Sunday 31 October 2027 (03:00 → 02:00): 25 real hours.
        (local(PARIS, 2027, 10, 31, 10, 0), 24, local(PARIS, 2027, 10, 30, 10, 0), 25),
        (local(PARIS, 2027, 11, 1, 10, 0), 48, local(PARIS, 2027, 10, 30, 10, 0), 49),
        (local(PARIS, 2027, 11, 1, 10, 0), 24, local(PARIS, 2027, 10, 31, 10, 0), 24),
        (local(PARIS, 2027, 11, 1, 19, 45), 48, local(PARIS, 2027, 10, 30, 19, 45), 49),
        # Evening convocations on the change days are still moved to 19:30 local.
        (local(PARIS, 2027, 3, 28, 21, 0), 24, local(PARIS, 2027, 3, 27, 19, 30), 24.5),
        (local(PARIS, 2027, 10, 31, 21, 0), 24, local(PARIS, 2027, 10, 30, 19, 30), 26.5),
    ],
)
def test_daylight_saving_days_keep_the_wall_clock(
    starts_at: datetime.datetime,
    delay: int,
    expected_local: datetime.datetime,
    real_hours: float,
) -> None:
    result = due(starts_at, delay)
    assert result == expected_local
    assert result is not None
    assert (starts_at - result) == datetime.timedelta(hours=real_hours)
    assert result.astimezone(ZoneInfo(PARIS)).time() == expected_local.time()


@pytest.mark.parametrize(
    ("time_zone", "starts_at", "delay", "expected"),
    [
        # Guyane, UTC−3 all year: 17:00 local is 20:00 UTC, not a quiet hour there.
        ("America/Cayenne", (2027, 3, 29, 17, 0), 24, utc(2027, 3, 28, 20, 0)),
        ("America/Cayenne", (2027, 3, 29, 9, 0), 48, utc(2027, 3, 27, 12, 0)),
        ("America/Cayenne", (2027, 10, 31, 21, 0), 24, utc(2027, 10, 30, 22, 30)),
        # La Réunion, UTC+4: 09:00 local is 05:00 UTC (07:00 in Paris) and is allowed.
        ("Indian/Reunion", (2027, 6, 15, 9, 0), 24, utc(2027, 6, 14, 5, 0)),
        ("Indian/Reunion", (2027, 6, 15, 7, 45), 24, utc(2027, 6, 13, 15, 30)),
        # Mayotte, UTC+3.
        ("Indian/Mayotte", (2027, 6, 15, 8, 30), 24, utc(2027, 6, 14, 5, 30)),
        ("Indian/Mayotte", (2027, 6, 15, 20, 30), 48, utc(2027, 6, 13, 16, 30)),
        # Martinique, UTC−4, no daylight saving.
        ("America/Martinique", (2027, 3, 29, 10, 0), 24, utc(2027, 3, 28, 14, 0)),
        ("America/Martinique", (2027, 6, 19, 21, 0), 24, utc(2027, 6, 18, 23, 30)),
    ],
)
def test_overseas_time_zones(
    time_zone: str,
    starts_at: tuple[int, ...],
    delay: int,
    expected: datetime.datetime,
) -> None:
    assert due(local(time_zone, *starts_at), delay, time_zone) == expected


def test_starts_at_in_another_zone_is_read_in_the_service_zone() -> None:
    starts_at = utc(2027, 6, 15, 12, 0)  # 09:00 in Cayenne, 14:00 in Paris
    assert due(starts_at, 24, "America/Cayenne") == utc(2027, 6, 14, 12, 0)
    # 24 h before 07:00 in Cayenne (10:00 UTC) is quiet there: Cayenne's 19:30 two days before.
    assert due(utc(2027, 6, 15, 10, 0), 24, "America/Cayenne") == utc(2027, 6, 13, 22, 30)


def test_booked_inside_the_delay_gets_no_separate_reminder() -> None:
    starts_at = local(PARIS, 2027, 6, 15, 10, 0)
    day_before = local(PARIS, 2027, 6, 14, 10, 0)
    assert due(starts_at, 48, now=day_before) is None
    assert due(starts_at, 24, now=day_before) is None  # due exactly now
    later = day_before - datetime.timedelta(seconds=1)
    assert due(starts_at, 24, now=later) == day_before
    assert due(starts_at, 24, now=starts_at + datetime.timedelta(days=1)) is None


def test_moved_reminder_already_past_gives_none() -> None:
    starts_at = local(PARIS, 2027, 6, 19, 21, 0)  # due 21:00 on the 18th, moved to 19:30
    assert due(starts_at, 24, now=local(PARIS, 2027, 6, 18, 19, 0)) == local(
        PARIS, 2027, 6, 18, 19, 30
    )
    assert due(starts_at, 24, now=local(PARIS, 2027, 6, 18, 19, 45)) is None


@pytest.mark.parametrize(
    "time_zone",
    [PARIS, "America/Cayenne", "Indian/Reunion", "Indian/Mayotte", "America/Martinique"],
)
@pytest.mark.parametrize("day", [(2027, 3, 27), (2027, 3, 28), (2027, 10, 31), (2027, 11, 1)])
@pytest.mark.parametrize("delay", [1, 2, 12, 24, 36, 48])
def test_never_in_quiet_hours_and_never_after_the_convocation(
    time_zone: str, day: tuple[int, int, int], delay: int
) -> None:
    zone = ZoneInfo(time_zone)
    first = datetime.datetime(*day, tzinfo=zone).astimezone(UTC)
    for quarter in range(24 * 4):
        starts_at = (first + datetime.timedelta(minutes=15 * quarter)).astimezone(zone)
        result = due(starts_at, delay, time_zone)
        assert result is not None
        assert result < starts_at
        assert not is_quiet(result, time_zone)
        # Moved at most to the evening before (12.5 h), plus an hour on change days.
        assert starts_at - result < datetime.timedelta(hours=delay + 14)


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        due(datetime.datetime(2027, 6, 15, 10), 24)
    with pytest.raises(ValueError):
        due(local(PARIS, 2027, 6, 15, 10), 0)
    with pytest.raises(ValueError):
        convocation_send_at(datetime.datetime(2027, 6, 15, 10), PARIS)


@pytest.mark.parametrize(
    ("time_zone", "now", "expected"),
    [
        (PARIS, (2027, 6, 15, 10, 0), utc(2027, 6, 15, 8, 0)),  # at once
        (PARIS, (2027, 6, 15, 8, 0), utc(2027, 6, 15, 6, 0)),
        (PARIS, (2027, 6, 15, 19, 59), utc(2027, 6, 15, 17, 59)),
        (PARIS, (2027, 6, 15, 20, 0), utc(2027, 6, 16, 6, 0)),  # next morning 08:00
        (PARIS, (2027, 6, 15, 23, 30), utc(2027, 6, 16, 6, 0)),
        (PARIS, (2027, 6, 16, 3, 0), utc(2027, 6, 16, 6, 0)),
        (PARIS, (2027, 3, 27, 22, 0), utc(2027, 3, 28, 6, 0)),  # 08:00 summer time
        (PARIS, (2027, 10, 30, 22, 0), utc(2027, 10, 31, 7, 0)),  # 08:00 winter time
        ("America/Cayenne", (2027, 6, 15, 21, 0), utc(2027, 6, 16, 11, 0)),
        ("Indian/Reunion", (2027, 6, 15, 7, 59), utc(2027, 6, 15, 4, 0)),
    ],
)
def test_convocation_send_at(
    time_zone: str, now: tuple[int, ...], expected: datetime.datetime
) -> None:
    result = convocation_send_at(local(time_zone, *now), time_zone)
    assert result == expected
    assert result.tzinfo is UTC


def test_is_quiet() -> None:
    assert is_quiet(local(PARIS, 2027, 6, 15, 20, 0), PARIS)
    assert is_quiet(local(PARIS, 2027, 6, 15, 7, 59), PARIS)
    assert not is_quiet(local(PARIS, 2027, 6, 15, 8, 0), PARIS)
    assert not is_quiet(local(PARIS, 2027, 6, 15, 19, 59), PARIS)
    # 22:00 UTC is midnight in Paris but 19:00 in Cayenne.
    assert is_quiet(utc(2027, 6, 15, 22, 0), PARIS)
    assert not is_quiet(utc(2027, 6, 15, 22, 0), "America/Cayenne")
