"""Penal-chain counts: procedures registered, orientations, judgments, delays (issue 16).

Like ``queries.py`` for convocations, every penal-chain indicator is a function of additive
*tallies* counted here, keyed by (period bucket, second key), then summed: a total over the
period is never a second formula. The indicators themselves (French names and definitions,
computations) are ``chain_indicators.py``; the tables ``chain_tables.py``; the independent
recount ``verify_chain.py``.

**Area.** A procedure belongs to the tribunal judiciaire whose parquet registered it
(``Procedure.tribunal``), to that TJ's court of appeal, and to the national figure; its
orientations and judgments (the court of appeal's decisions included) go with it. An execution
belongs to the TJ whose BEX executes it (``Execution.tribunal``: the first-instance tribunal,
the one that registered the procedure). There is no service-level figure: a TJ has one BEX,
so the BEX's figure is its TJ's.

**Days.** Registrations count on the day the parquet received the procedure (``received_on``),
orientations on their decision day, judgments on their delivery day: all calendar dates typed
by the agents, no time zone involved. The BEX's taking in hand is a moment (``taken_at``),
counted on its day in Paris time (``settings.TIME_ZONE``; overseas TJs are not yet given their
own zone, as in the finality job).

**Delays** are kept as histograms (days → number), which add up exactly; the median and the
90th percentile are read from the summed histogram (``percentile``), so they are exact for any
period and cut.

A period costs 7 queries whatever the data: registrations, orientations, judgments, delays to
judgment, delays to execution, and the two backlogs at the period's end (5 without them: the
previous period of a dashboard does not show them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Self
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from jalon.cases.models import (
    TRIAL_KINDS,
    ChargeDecision,
    Execution,
    Judgment,
    Orientation,
    Procedure,
)
from jalon.stats.queries import Area, Period, Tally, _bucket

Kind = Orientation.Kind
Reason = Orientation.DismissalReason

# Classements for which nobody could be prosecuted: no offence, offence not made out, author
# unknown, legal obstacle (irresponsibility, time bar). The other reasons are classements
# "d'opportunité": the case could have been prosecuted.
NOT_PROSECUTABLE_REASONS = frozenset(
    {
        Reason.NO_OFFENCE,
        Reason.INSUFFICIENT,
        Reason.UNKNOWN_AUTHOR,
        Reason.NOT_RESPONSIBLE,
        Reason.TIME_BARRED,
    }
)
# Orientations that seize a court or an investigating judge (poursuites).
PROSECUTION_KINDS = frozenset({*TRIAL_KINDS, Kind.JUDICIAL_INVESTIGATION})
# Alternatives to prosecution, the composition pénale included (réponse pénale without trial).
ALTERNATIVE_KINDS = frozenset({Kind.ALTERNATIVE, Kind.PENAL_COMPOSITION})

Verdict = ChargeDecision.Verdict


class DaysBetween(Func):
    """``later - earlier`` of two SQL dates: a number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def area_q(area: Area) -> Q:
    """Rows of ``area`` by their ``tribunal``: a procedure's, an execution's, or the copy an
    orientation or a judgment carries of its procedure's (``cases.copies``)."""
    if area.kind == "jurisdiction":
        return Q(tribunal_id=area.id)
    if area.kind == "court_of_appeal":
        return Q(tribunal__court_of_appeal_id=area.id)
    if area.kind == "national":
        return Q()
    raise ValueError(f"no penal-chain figure for the area kind {area.kind!r}")


def counted_orientation_q(path: str = "") -> Q:
    """An orientation counts unless replaced by a decision dated the same day or earlier
    (a same-day replacement is a correction: only the last decision of a day counts)."""
    return Q(**{f"{path}superseded_on__isnull": True}) | Q(
        **{f"{path}superseded_on__gt": F(f"{path}decided_on")}
    )


def paris_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


# --- Tallies --------------------------------------------------------------------------------


# Additive counts, ``a + b`` field by field (a histogram adds day by day): the same base as
# the convocation and SMS tallies.
ChainTally = Tally


@dataclass(frozen=True)
class RegistrationTally(ChainTally):
    registered: int = 0


@dataclass(frozen=True)
class OrientationTally(ChainTally):
    oriented: int = 0
    dismissed: int = 0
    not_prosecutable: int = 0  # classements for a reason of NOT_PROSECUTABLE_REASONS
    prosecuted: int = 0  # PROSECUTION_KINDS
    alternative: int = 0  # ALTERNATIVE_KINDS


@dataclass(frozen=True)
class JudgmentTally(ChainTally):
    first_instance: int = 0
    guilty: int = 0  # guilty of at least one offence
    acquitted: int = 0  # relaxe on every offence judged
    without_verdict: int = 0  # no decision on any offence recorded
    appeal_decisions: int = 0


@dataclass(frozen=True)
class DelayTally(ChainTally):
    days: Counter[int] = field(default_factory=Counter)
    # Not yet at the end (not judged, not taken in hand) on the period's last day: set on a
    # period's total only (``ChainCounts.tally``), None on a bucket.
    pending: int | None = None

    def __add__(self, other: Self) -> Self:
        pending = None
        if self.pending is not None or other.pending is not None:
            pending = (self.pending or 0) + (other.pending or 0)
        days: Counter[int] = Counter(self.days)
        days.update(other.days)
        return type(self)(days=days, pending=pending)

    @property
    def count(self) -> int:
        return sum(self.days.values())


def percentile(days: Counter[int], numerator: int, denominator: int) -> int | None:
    """The value of rank ⌈n × p⌉ among the ``n`` sorted delays (p = numerator/denominator):
    a delay that was observed (no interpolation); the lower middle value when n is even."""
    n = sum(days.values())
    if n == 0:
        return None
    rank = -(-n * numerator // denominator)
    seen = 0
    for value in sorted(days):
        seen += days[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


Key = tuple[date, str]  # (bucket, origin / orientation kind / delivery mode / "")


def registration_tallies(area: Area, period: Period) -> dict[Key, RegistrationTally]:
    """Procedures received by the parquet on a day of ``period``, by bucket and origin."""
    rows = (
        Procedure.objects.filter(
            area_q(area), received_on__gte=period.start, received_on__lte=period.end
        )
        .annotate(bucket=_bucket(F("received_on"), period.grain))
        .order_by()
        .values("bucket", "origin")
        .annotate(n=Count("pk"))
    )
    return {(row["bucket"], row["origin"]): RegistrationTally(row["n"]) for row in rows}


def orientation_tally(kind: str, reason: str, n: int) -> OrientationTally:
    return OrientationTally(
        oriented=n,
        dismissed=n if kind == Kind.DISMISSAL else 0,
        not_prosecutable=n if kind == Kind.DISMISSAL and reason in NOT_PROSECUTABLE_REASONS else 0,
        prosecuted=n if kind in PROSECUTION_KINDS else 0,
        alternative=n if kind in ALTERNATIVE_KINDS else 0,
    )


def orientation_tallies(area: Area, period: Period) -> dict[Key, OrientationTally]:
    """Orientations decided on a day of ``period`` (``counted_orientation_q``), by kind."""
    rows = (
        Orientation.objects.filter(
            area_q(area),
            counted_orientation_q(),
            decided_on__gte=period.start,
            decided_on__lte=period.end,
        )
        .annotate(bucket=_bucket(F("decided_on"), period.grain))
        .order_by()
        .values("bucket", "kind", "reason")
        .annotate(n=Count("pk"))
    )
    result: dict[Key, OrientationTally] = defaultdict(OrientationTally)
    for row in rows:
        key = (row["bucket"], row["kind"])
        result[key] = result[key] + orientation_tally(row["kind"], row["reason"], row["n"])
    return dict(result)


def judgment_tallies(area: Area, period: Period) -> dict[Key, JudgmentTally]:
    """Judgments delivered on a day of ``period``, by bucket and delivery mode."""
    rows = (
        Judgment.objects.filter(
            area_q(area),
            delivered_on__gte=period.start,
            delivered_on__lte=period.end,
        )
        .annotate(
            bucket=_bucket(F("delivered_on"), period.grain),
            appeal=Q(replaces__isnull=False),
            verdict=_first_verdict(),
        )
        .order_by()
        .values("bucket", "delivery_mode", "appeal", "verdict")
        .annotate(n=Count("pk"))
    )
    result: dict[Key, JudgmentTally] = defaultdict(JudgmentTally)
    for row in rows:
        key = (row["bucket"], row["delivery_mode"])
        result[key] = result[key] + judgment_tally(row["appeal"], row["verdict"], row["n"])
    return dict(result)


def _first_verdict() -> Subquery:
    """``guilty`` if any charge is, else ``relaxe`` if any decision, else NULL: one probe of
    the judgment's decisions by index per judgment (an ``EXISTS`` would be planned as a hash
    of the whole decision table)."""
    guilty_first = Case(When(verdict=Verdict.GUILTY, then=Value(0)), default=Value(1))
    return Subquery(
        ChargeDecision.objects.filter(judgment=OuterRef("pk"))
        .order_by(guilty_first)
        .values("verdict")[:1]
    )


def judgment_tally(appeal: bool, verdict: str | None, n: int) -> JudgmentTally:
    if appeal:
        return JudgmentTally(appeal_decisions=n)
    return JudgmentTally(
        first_instance=n,
        guilty=n if verdict == Verdict.GUILTY else 0,
        acquitted=n if verdict == Verdict.ACQUITTED else 0,
        without_verdict=n if verdict is None else 0,
    )


def judgment_delay_tallies(area: Area, period: Period) -> dict[Key, DelayTally]:
    """Days from the parquet's receipt to the first-instance judgment, by judgment bucket."""
    rows = (
        Judgment.objects.filter(
            area_q(area),
            replaces__isnull=True,
            delivered_on__gte=period.start,
            delivered_on__lte=period.end,
        )
        .annotate(
            bucket=_bucket(F("delivered_on"), period.grain),
            delay=DaysBetween(F("delivered_on"), F("procedure__received_on")),
        )
        .order_by()
        .values("bucket", "delay")
        .annotate(n=Count("pk"))
    )
    return _histograms(rows)


def execution_delay_tallies(area: Area, period: Period) -> dict[Key, DelayTally]:
    """Days from the executed decision's delivery to its taking in hand by the BEX, by the
    bucket of the taking in hand (Paris day)."""
    low, high = paris_bounds(period.start, period.end)
    taken_day = TruncDate("taken_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    rows = (
        Execution.objects.filter(area_q(area), taken_at__gte=low, taken_at__lt=high)
        .annotate(day=taken_day)
        .annotate(
            bucket=_bucket(F("day"), period.grain),
            delay=DaysBetween(F("day"), F("judgment__delivered_on")),
        )
        .order_by()
        .values("bucket", "delay")
        .annotate(n=Count("pk"))
    )
    return _histograms(rows)


def _histograms(rows: Iterable[Any]) -> dict[Key, DelayTally]:
    result: dict[Key, DelayTally] = defaultdict(DelayTally)
    for row in rows:
        if row["delay"] is None:  # a judgment without delivery day: no delay to measure
            continue
        key = (row["bucket"], "")
        result[key] = result[key] + DelayTally(days=Counter({row["delay"]: row["n"]}))
    return dict(result)


def awaiting_judgment(area: Area, on: date) -> int:
    """Mis en cause oriented to a trial court, that orientation still current on ``on``,
    without a first-instance judgment delivered on or before ``on``.

    Read from ``awaiting_until``, the earlier of the orientation's replacement and its party's
    first judgment, which the database keeps (``cases.copies``): the orientations waiting on
    ``on`` are those it leaves empty or puts later, a few among all that led to a trial.
    """
    return (
        Orientation.objects.filter(
            area_q(area),
            Q(awaiting_until__isnull=True) | Q(awaiting_until__gt=on),
            party__isnull=False,
            kind__in=sorted(TRIAL_KINDS),
            decided_on__lte=on,
        )
        .order_by()
        .count()
    )


def awaiting_execution(area: Area, on: date) -> int:
    """Decisions executable on ``on`` that the BEX had not taken in hand by the end of ``on``
    (Paris day)."""
    _, end = paris_bounds(on, on)
    return (
        Execution.objects.filter(area_q(area), executable_on__lte=on)
        .filter(Q(taken_at__isnull=True) | Q(taken_at__gte=end))
        .count()
    )


# --- One area and period --------------------------------------------------------------------

FAMILIES = ("registrations", "orientations", "judgments", "judgment_delays", "execution_delays")
TALLY_TYPES: dict[str, type[Any]] = {
    "registrations": RegistrationTally,
    "orientations": OrientationTally,
    "judgments": JudgmentTally,
    "judgment_delays": DelayTally,
    "execution_delays": DelayTally,
}


@dataclass(frozen=True)
class ChainCounts:
    """What the queries counted for one area and period (7 queries)."""

    period: Period
    rows: dict[str, dict[Key, Any]]
    awaiting_judgment: int | None  # None: not counted (``backlog=False``)
    awaiting_execution: int | None

    @classmethod
    def count(cls, area: Area, period: Period, *, backlog: bool = True) -> ChainCounts:
        """``backlog=False``: skip the two backlog queries (5 queries; no ``pending``)."""
        return cls(
            period=period,
            rows={
                "registrations": registration_tallies(area, period),
                "orientations": orientation_tallies(area, period),
                "judgments": judgment_tallies(area, period),
                "judgment_delays": judgment_delay_tallies(area, period),
                "execution_delays": execution_delay_tallies(area, period),
            },
            awaiting_judgment=awaiting_judgment(area, period.end) if backlog else None,
            awaiting_execution=awaiting_execution(area, period.end) if backlog else None,
        )

    def tally(self, family: str, second: str | None = None) -> Any:
        """The family's tally over the whole period (for one second key if given)."""
        kind = TALLY_TYPES[family]
        total = kind.total(
            tally for (_, key), tally in self.rows[family].items() if second in (None, key)
        )
        if family == "judgment_delays":
            return total + DelayTally(pending=self.awaiting_judgment)
        if family == "execution_delays":
            return total + DelayTally(pending=self.awaiting_execution)
        return total

    def bucket_tallies(self, family: str) -> dict[date, Any]:
        """The family's tally for each bucket of the period, empty buckets included."""
        kind = TALLY_TYPES[family]
        sums: dict[date, Any] = {bucket: kind() for bucket in self.period.buckets()}
        for (bucket, _), tally in self.rows[family].items():
            sums[bucket] = sums[bucket] + tally
        return sums

    def second_keys(self, family: str) -> set[str]:
        return {key for _, key in self.rows[family]}
