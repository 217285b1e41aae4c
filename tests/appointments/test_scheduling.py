from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from jalon.appointments.scheduling import (
    MAX_DAYS_AHEAD,
    SchedulingError,
    check_start,
    local_datetime,
)

PARIS = "Europe/Paris"
CAYENNE = "America/Cayenne"


def at(day: date, hour: int = 10, time_zone: str = PARIS) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(time_zone))


def check(
    starts_at: datetime,
    *,
    now: datetime | None = None,
    time_zone: str = PARIS,
    subdivision: str = "",
    allows_weekends: bool = False,
) -> None:
    check_start(
        starts_at,
        now=now or starts_at - timedelta(days=30),
        time_zone=time_zone,
        holiday_subdivision=subdivision,
        allows_weekends=allows_weekends,
    )


@pytest.mark.parametrize(
    ("day", "subdivision", "holiday"),
    [
        (date(2027, 7, 14), "", "Fête nationale"),  # a Wednesday
        (date(2027, 7, 14), "6AE", "Fête nationale"),
        (date(2027, 7, 14), "973", "Fête nationale"),
        (date(2028, 12, 26), "6AE", "Saint-Étienne"),  # a Tuesday
        (date(2028, 12, 26), "57", "Saint-Étienne"),
        (date(2027, 3, 26), "6AE", "Vendredi saint"),  # Good Friday 2027
        (date(2027, 6, 10), "973", "Abolition de l'esclavage"),  # a Thursday
        (date(2027, 3, 29), "", "Lundi de Pâques"),
    ],
)
def test_public_holidays_of_the_service_are_refused(day, subdivision, holiday):
    assert day.weekday() < 5
    with pytest.raises(SchedulingError) as error:
        check(at(day), subdivision=subdivision)
    message = str(error.value)
    assert f"Le {day:%d/%m/%Y} est férié dans ce service" in message
    assert holiday in message


@pytest.mark.parametrize(
    ("day", "subdivision"),
    [
        (date(2028, 12, 26), ""),  # Saint-Étienne is Alsace-Moselle only
        (date(2027, 3, 26), ""),  # Vendredi saint too
        (date(2027, 6, 10), ""),  # abolition of slavery: Guyane only on 10 June
        (date(2027, 6, 10), "6AE"),
        (date(2028, 12, 26), "973"),
    ],
)
def test_regional_holidays_are_working_days_elsewhere(day, subdivision):
    assert day.weekday() < 5
    check(at(day), subdivision=subdivision)


@pytest.mark.parametrize(
    ("day", "day_name"),
    [(date(2027, 1, 9), "samedi"), (date(2027, 1, 10), "dimanche")],
)
def test_weekends_are_refused_unless_the_type_allows_them(day, day_name):
    with pytest.raises(SchedulingError) as error:
        check(at(day))
    assert str(error.value) == (
        f"Le {day:%d/%m/%Y} est un {day_name} : ce type de convocation se tient un jour ouvré."
    )
    check(at(day), allows_weekends=True)


def test_the_weekday_is_read_in_the_service_time_zone():
    friday_night_utc = datetime(2027, 1, 8, 23, 30, tzinfo=UTC)
    with pytest.raises(SchedulingError, match="samedi"):
        check(friday_night_utc, time_zone=PARIS)  # 00:30 on Saturday in Paris
    check(friday_night_utc, time_zone=CAYENNE)  # 20:30 on Friday in Cayenne


def test_the_holiday_is_read_in_the_service_time_zone():
    # 01:00 UTC on 15 July is still 14 July, 22:00, in Cayenne.
    starts_at = datetime(2027, 7, 15, 1, 0, tzinfo=UTC)
    with pytest.raises(SchedulingError, match="Fête nationale"):
        check(starts_at, time_zone=CAYENNE, subdivision="973")
    check(starts_at, time_zone=PARIS)


def test_an_ordinary_working_day_is_accepted():
    check(at(date(2027, 1, 12)))  # a Tuesday


@pytest.mark.parametrize(
    "delta", [timedelta(0), timedelta(minutes=1), timedelta(days=3)], ids=["now", "1min", "3d"]
)
def test_past_starts_are_refused(delta):
    now = at(date(2027, 1, 12), hour=11)
    with pytest.raises(SchedulingError) as error:
        check(now - delta, now=now, allows_weekends=True)
    assert "dans le futur" in str(error.value)


def test_a_start_one_minute_ahead_is_accepted():
    now = at(date(2027, 1, 12), hour=11)
    check(now + timedelta(minutes=1), now=now)


def test_a_start_one_year_ahead_is_accepted():
    now = at(date(2027, 1, 12))
    check(at(date(2028, 1, 12)), now=now)  # a Wednesday


@pytest.mark.parametrize(
    ("days_ahead", "accepted"),
    [(MAX_DAYS_AHEAD, True), (MAX_DAYS_AHEAD + 1, False), (500, False)],
)
def test_starts_more_than_a_year_ahead_are_refused(days_ahead, accepted):
    now = at(date(2027, 1, 12))
    starts_at = at(date(2027, 1, 12) + timedelta(days=days_ahead), hour=9)
    if accepted:
        check(starts_at, now=now, allows_weekends=True)
    else:
        with pytest.raises(SchedulingError) as error:
            check(starts_at, now=now, allows_weekends=True)
        assert str(error.value) == "Une convocation se prend au plus un an à l’avance."


def test_the_one_year_limit_is_checked_before_the_weekend():
    now = at(date(2027, 1, 12))
    with pytest.raises(SchedulingError, match="un an"):
        check(at(date(2030, 1, 12)), now=now)  # a Saturday


def test_a_time_skipped_when_clocks_go_forward_is_refused():
    with pytest.raises(SchedulingError) as error:
        local_datetime(date(2027, 3, 28), time(2, 30), PARIS)
    assert str(error.value) == (
        "02:30 n’existe pas le 28/03/2027 (changement d’heure) : choisissez une autre heure."
    )


@pytest.mark.parametrize(
    ("day", "at_time", "time_zone", "utc"),
    [
        (date(2027, 3, 27), time(10, 0), PARIS, datetime(2027, 3, 27, 9, 0, tzinfo=UTC)),
        (date(2027, 3, 28), time(10, 0), PARIS, datetime(2027, 3, 28, 8, 0, tzinfo=UTC)),
        (date(2027, 3, 28), time(1, 59), PARIS, datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),
        (date(2027, 3, 28), time(3, 0), PARIS, datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        # Ambiguous when clocks go back: the first 02:30 (summer time) is taken.
        (date(2027, 10, 31), time(2, 30), PARIS, datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        (date(2027, 10, 31), time(10, 0), PARIS, datetime(2027, 10, 31, 9, 0, tzinfo=UTC)),
        # Guyane has no daylight saving time: UTC−3 all year.
        (date(2027, 3, 28), time(10, 0), CAYENNE, datetime(2027, 3, 28, 13, 0, tzinfo=UTC)),
        (date(2027, 3, 28), time(2, 30), CAYENNE, datetime(2027, 3, 28, 5, 30, tzinfo=UTC)),
        (date(2027, 7, 1), time(10, 0), CAYENNE, datetime(2027, 7, 1, 13, 0, tzinfo=UTC)),
        (date(2027, 7, 1), time(10, 0), "Indian/Reunion", datetime(2027, 7, 1, 6, 0, tzinfo=UTC)),
    ],
)
def test_local_times_are_converted_with_the_service_time_zone(day, at_time, time_zone, utc):
    result = local_datetime(day, at_time, time_zone)
    assert result == utc
    local = result.astimezone(ZoneInfo(time_zone))
    assert (local.date(), local.time()) == (day, at_time)


@pytest.mark.parametrize("at_time", [time(1, 45), time(2, 0), time(2, 30), time(2, 59)])
def test_durations_around_the_autumn_change_are_real_durations(at_time):
    starts_at = local_datetime(date(2027, 10, 31), at_time, PARIS)
    ends_at = starts_at + timedelta(hours=1)
    assert ends_at.astimezone(UTC) - starts_at.astimezone(UTC) == timedelta(hours=1)
