"""What the transfer, sortie d'audience and situation families share (``flows.py``).

- ``Delays``: an additive histogram of delays in whole days, so that the median and the
  90th percentile of a period are exact sums of per-bucket counts (and of the anonymous
  counts of deleted persons), never an average of medians.
- ``FamilyTallies``: the tallies of one family for one area and period, and the figures the
  family's indicators compute from them (totals, per bucket, per second key), as
  ``figures.Tallies`` does for convocations and SMS.
- ``summary``: a summary table (figure, previous period, change, parts, definition) with the
  cells of ``tables.summary``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Func, IntegerField

from jalon.stats import tables
from jalon.stats.indicators import AREAS, PERIODS, Figure, Indicator
from jalon.stats.queries import Period, Tally
from jalon.stats.wilson import wilson_interval

AREA_PERIOD_DIMENSIONS = (*AREAS, *PERIODS)


def today_of(now: datetime) -> date:
    """The reading day that review dates and art. 474 deadlines are compared with: Paris
    time, whoever reads (as the situations table does)."""
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


class DayDiff(Func):
    """``day_a - day_b``: whole days between two dates (PostgreSQL ``date - date``)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


@dataclass(frozen=True)
class Delays:
    """How many rows had each delay (in days); ``a + b`` adds the counts."""

    counts: Mapping[int, int] = field(default_factory=dict)

    def __add__(self, other: Delays) -> Delays:
        merged = dict(self.counts)
        for days, n in other.counts.items():
            merged[days] = merged.get(days, 0) + n
        return Delays(merged)

    @classmethod
    def one(cls, days: int | None, n: int) -> Delays:
        return cls({days: n}) if days is not None and n else cls()

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def rank(self, numerator: int, denominator: int) -> int | None:
        """Nearest rank: the smallest delay such that at least numerator/denominator of the
        rows had that delay or less (the median is (1, 2), the 90th percentile (9, 10))."""
        total = self.n
        if not total:
            return None
        wanted = -(-total * numerator // denominator)  # ceil, in integers
        seen = 0
        for days in sorted(self.counts):
            seen += self.counts[days]
            if seen >= wanted:
                return days
        return None  # pragma: no cover (wanted <= total)


def rate(numerator: int, denominator: int, **aside: Any) -> Figure:
    return Figure(
        value=numerator / denominator if denominator else None,
        numerator=numerator,
        denominator=denominator,
        interval=wilson_interval(numerator, denominator),
        **aside,
    )


def count(name: str) -> Callable[[Any], Figure]:
    return lambda tally: Figure(getattr(tally, name))


def percentile(name: str, numerator: int, denominator: int) -> Callable[[Any], Figure]:
    def compute(tally: Any) -> Figure:
        delays: Delays = getattr(tally, name)
        return Figure(delays.rank(numerator, denominator))

    return compute


@dataclass(frozen=True)
class FamilyTallies:
    """One family's tallies of one area and period, keyed by (bucket, second key)."""

    period: Period
    rows: dict[tuple[date, Any], Tally]
    kind: type[Tally]
    indicators: Mapping[str, Indicator]

    def total(self, keys: Iterable[Any] | None = None) -> Any:
        if keys is None:
            return self.kind.total(self.rows.values())
        wanted = set(keys)
        return self.kind.total(t for key, t in self.rows.items() if key in wanted)

    def figure(self, code: str) -> Figure:
        return self.indicators[code].compute(self.total())

    def by_bucket(self, code: str) -> list[tuple[date, Figure]]:
        sums: dict[date, Any] = {bucket: self.kind() for bucket in self.period.buckets()}
        for (bucket, _), tally in self.rows.items():
            sums[bucket] = sums[bucket] + tally
        compute = self.indicators[code].compute
        return [(bucket, compute(tally)) for bucket, tally in sums.items()]

    def by_second_key(self, code: str) -> dict[Any, Figure]:
        sums: dict[Any, Any] = {}
        for (_, second), tally in self.rows.items():
            sums[second] = sums.get(second, self.kind()) + tally
        compute = self.indicators[code].compute
        return {second: compute(tally) for second, tally in sums.items()}


def summary(
    key: str,
    caption: str,
    codes: Sequence[str],
    indicators: Mapping[str, Indicator],
    current: Any,
    previous: Any | None,
) -> tables.Table:
    """The summary table of ``tables.summary``; ``previous`` None: a figure of now only."""
    table = tables.Table(key, caption, tables.SUMMARY_COLUMNS)
    for code in codes:
        indicator = indicators[code]
        now = current.figure(code)
        before = previous.figure(code) if previous is not None else None
        table.rows.append(
            [
                indicator.name,
                tables.figure_text(now, indicator),
                tables.figure_text(before, indicator) if before is not None else "–",
                tables.change_text(now, before) if before is not None else "–",
                tables.precisions(now),
                indicator.definition,
            ]
        )
        table.indicators.append(indicator)
    return table
