"""Naive recounts of the transfer, sortie d'audience and situation indicators.

Plain Python over the records a test built (never the implementation's queries), written to
be reused by a stateful property test: each ``naive_*`` takes the built records, the area's
services (or jurisdictions) and the period, and returns ``{code: expected}`` where expected is
a number, ``None`` (undefined) or ``(numerator, denominator)`` for a rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DECIDED = {"accepted", "refused", "auto_accepted"}


def nearest_rank(values: list[int], share: Fraction) -> int | None:
    """The value at rank ceil(share × n) of the sorted values (1-based), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[ceil(share * len(ordered)) - 1]


# --- Transfers -------------------------------------------------------------------------------


@dataclass
class BuiltTransfer:
    service_id: int  # requesting
    zone: str
    created_at: dt.datetime
    status: str
    decided_at: dt.datetime | None
    person_id: int

    @property
    def day(self) -> dt.date:
        return self.created_at.astimezone(ZoneInfo(self.zone)).date()

    @property
    def delay(self) -> int | None:
        if self.status not in DECIDED or self.decided_at is None:
            return None
        return (self.decided_at.astimezone(ZoneInfo(self.zone)).date() - self.day).days


def naive_transfers(built: list[BuiltTransfer], services: set[int], start: dt.date,
                    end: dt.date) -> dict[str, object]:  # fmt: skip
    rows = [t for t in built if t.service_id in services and start <= t.day <= end]
    delays = [t.delay for t in rows if t.delay is not None]
    return {
        "transfers_requested": len(rows),
        "transfers_accepted": sum(t.status == "accepted" for t in rows),
        "transfers_auto_accepted": sum(t.status == "auto_accepted" for t in rows),
        "transfers_refused": sum(t.status == "refused" for t in rows),
        "transfers_pending": sum(t.status == "pending" for t in rows),
        "transfers_cancelled": sum(t.status == "cancelled" for t in rows),
        "transfers_delay_median": nearest_rank(delays, Fraction(1, 2)),
        "transfers_delay_p90": nearest_rank(delays, Fraction(9, 10)),
    }


# --- Sorties d'audience ------------------------------------------------------------------------


@dataclass
class BuiltExit:
    """One convocation booked from a judgment."""

    judgment_id: int
    delivered_on: dt.date
    service_id: int  # receiving
    service_kind: str
    booked_by_id: int
    zone: str
    starts_at: dt.datetime
    status: str
    pk: int
    person_id: int

    @property
    def kind(self) -> str | None:
        if self.service_kind in ("spip", "spip_antenna"):
            return "spip"
        return "jap" if self.service_kind == "sap" else None

    @property
    def delay(self) -> int:
        return (self.starts_at.astimezone(ZoneInfo(self.zone)).date() - self.delivered_on).days


@dataclass
class Rule:
    valid_from: dt.date
    valid_until: dt.date | None
    days: int


@dataclass
class Rules:
    """The legal delays by kind, each a list of dated values."""

    by_kind: dict[str, list[Rule]] = field(default_factory=dict)

    def on(self, kind: str, day: dt.date) -> int | None:
        for rule in self.by_kind.get(kind, []):
            if rule.valid_from <= day and (rule.valid_until is None or day <= rule.valid_until):
                return rule.days
        return None


def first_exits(built: list[BuiltExit]) -> list[BuiltExit]:
    """The counted convocations: not cancelled, the earliest of each judgment and kind."""
    best: dict[tuple[int, str], BuiltExit] = {}
    for b in built:
        if b.status == "cancelled" or b.kind is None:
            continue
        key = (b.judgment_id, b.kind)
        if key not in best or (b.starts_at, b.pk) < (best[key].starts_at, best[key].pk):
            best[key] = b
    return list(best.values())


@dataclass
class BuiltNeed:
    """A judgment's execution: its tribunal and its art. 474 deadlines (None: no convocation
    needed of that kind)."""

    judgment_id: int
    delivered_on: dt.date
    tribunal_id: int
    spip_by: dt.date | None
    jap_by: dt.date | None

    def deadline(self, kind: str) -> dt.date | None:
        return self.spip_by if kind == "spip" else self.jap_by


def not_convoked(built: list[BuiltExit], needs: list[BuiltNeed], kind: str,
                 tribunals: set[int] | None, start: dt.date, end: dt.date,
                 today: dt.date) -> tuple[int, int]:  # fmt: skip
    """(deadline passed before ``today``, deadline not passed) among the judgments of the
    period with a deadline of ``kind`` and no convocation of that kind (not cancelled, any
    area, any date); ``tribunals`` None: every tribunal."""
    convoked = {b.judgment_id for b in built if b.status != "cancelled" and b.kind == kind}
    over = running = 0
    for need in needs:
        deadline = need.deadline(kind)
        if deadline is None or need.judgment_id in convoked:
            continue
        if not start <= need.delivered_on <= end:
            continue
        if tribunals is not None and need.tribunal_id not in tribunals:
            continue
        if deadline < today:
            over += 1
        else:
            running += 1
    return over, running


def naive_exits(built: list[BuiltExit], services: set[int] | None, start: dt.date,
                end: dt.date, rules: Rules, needs: list[BuiltNeed] | None = None,
                tribunals: set[int] | None = None,
                today: dt.date = dt.date(2027, 7, 5)) -> dict[str, object]:  # fmt: skip
    """``services`` None: national (``tribunals`` then ignored). ``tribunals``: those whose
    judgments not convoked the area counts; ``today``: the reading day."""
    expected: dict[str, object] = {}
    counted = [
        b for b in first_exits(built)
        if start <= b.delivered_on <= end
        and (services is None or b.service_id in services or b.booked_by_id in services)
    ]  # fmt: skip
    for kind in ("spip", "jap"):
        rows = [b for b in counted if b.kind == kind]
        within = 0
        for b in rows:
            limit = rules.on(kind, b.delivered_on)
            within += limit is not None and b.delay <= limit
        delays = [b.delay for b in rows]
        over, running = not_convoked(built, needs or [], kind,
                                     None if services is None else tribunals or set(),
                                     start, end, today)  # fmt: skip
        expected[f"exit_{kind}_convoked"] = len(rows)
        expected[f"exit_{kind}_not_convoked"] = over + running
        expected[f"exit_{kind}_within"] = (within, len(rows) + over)
        expected[f"exit_{kind}_delay_median"] = nearest_rank(delays, Fraction(1, 2))
        expected[f"exit_{kind}_delay_p90"] = nearest_rank(delays, Fraction(9, 10))
    return expected


# --- Situations --------------------------------------------------------------------------------


@dataclass
class BuiltSituation:
    jurisdiction_id: int
    policy_id: int
    created_at: dt.datetime
    closed_on: dt.date | None
    next_review_on: dt.date
    reviews: list[dt.date]
    pk: int


def naive_situations(built: list[BuiltSituation], jurisdictions: set[int], start: dt.date,
                     end: dt.date, today: dt.date) -> dict[str, object]:  # fmt: skip
    mine = [s for s in built if s.jurisdiction_id in jurisdictions]
    open_ = [s for s in mine if s.closed_on is None]
    return {
        "situations_open": len(open_),
        "situations_reviews_overdue": sum(s.next_review_on < today for s in open_),
        "situations_reviews_due": sum(
            today <= s.next_review_on <= today + dt.timedelta(days=15) for s in open_
        ),
        "situations_opened": sum(
            start <= s.created_at.astimezone(PARIS).date() <= end for s in mine
        ),
        "situations_closed": sum(
            s.closed_on is not None and start <= s.closed_on <= end for s in mine
        ),
        "situations_reviews_held": sum(start <= day <= end for s in mine for day in s.reviews),
    }
