"""Working days and local times of each service, precomputed once for the whole run."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from jalon.core.dates import is_working_day


class Calendar:
    """Working days between ``first`` and ``last`` for each holiday subdivision."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self._days: dict[str, list[int]] = {}

    def days(self, subdivision: str) -> list[int]:
        """Ordinals of the working days, sorted."""
        if subdivision not in self._days:
            count = (self.last - self.first).days + 1
            self._days[subdivision] = [
                day.toordinal()
                for day in (self.first + timedelta(days=n) for n in range(count))
                if is_working_day(day, subdivision)
            ]
        return self._days[subdivision]

    def between(self, subdivision: str, first: date, last: date) -> list[int]:
        days = self.days(subdivision)
        return days[bisect_left(days, first.toordinal()) : bisect_right(days, last.toordinal())]


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(ordinal: int, minutes: int, time_zone: str) -> tuple[datetime, datetime]:
    """(local, UTC) datetimes of ``minutes`` after midnight on the day ``ordinal``."""
    local = datetime.combine(
        date.fromordinal(ordinal), time(minutes // 60, minutes % 60), tzinfo=zone(time_zone)
    )
    return local, local.astimezone(UTC)
