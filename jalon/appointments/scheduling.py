"""Turning a date and a time typed in a service into a convocation start, with the rules.

Plain functions: no database, tested alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jalon.core.dates import holiday_name

MAX_DAYS_AHEAD = 366


class SchedulingError(ValueError):
    pass


def local_datetime(day: date, at: time, time_zone: str) -> datetime:
    """``day`` at ``at`` in ``time_zone``, as an aware datetime in UTC.

    Refuses a time that does not exist (the hour skipped when clocks go forward); for a
    time that happens twice (clocks go back) the first one is taken. The result is in UTC
    because Python adds durations to a local datetime on the wall clock: 02:30 (first
    occurrence) + 1 h in Paris would give 03:30 winter time, two real hours later.
    """
    zone = ZoneInfo(time_zone)
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise SchedulingError(
            f"{at:%H:%M} n’existe pas le {day:%d/%m/%Y} (changement d’heure) : "
            "choisissez une autre heure."
        )
    return aware.astimezone(UTC)


def check_start(
    starts_at: datetime,
    *,
    now: datetime,
    time_zone: str,
    holiday_subdivision: str,
    allows_weekends: bool,
) -> None:
    """Raise ``SchedulingError`` unless the convocation may start at ``starts_at``."""
    if starts_at <= now:
        raise SchedulingError("La date et l’heure de convocation doivent être dans le futur.")
    local = starts_at.astimezone(ZoneInfo(time_zone))
    if local.date() > (now.astimezone(ZoneInfo(time_zone)) + timedelta(days=MAX_DAYS_AHEAD)).date():
        raise SchedulingError("Une convocation se prend au plus un an à l’avance.")
    if allows_weekends:
        return
    if local.weekday() >= 5:
        raise SchedulingError(
            f"Le {local:%d/%m/%Y} est un {'samedi' if local.weekday() == 5 else 'dimanche'} : "
            "ce type de convocation se tient un jour ouvré."
        )
    holiday = holiday_name(local.date(), holiday_subdivision)
    if holiday:
        raise SchedulingError(
            f"Le {local:%d/%m/%Y} est férié dans ce service ({holiday}) : choisissez un jour ouvré."
        )
