"""Naive recounts of the convocation and SMS indicators, from a ledger kept by a test.

A test writes down what it did (``Ledger``: each convocation and SMS with its service, local
moment and state, as the test drove it), and these functions recount every indicator from
that list with plain Python: no ORM, no SQL, no call into ``jalon.stats``. Deleted persons'
rows stay in the ledger (flagged), because the past does not change when retention deletes
them (issue 16, point 6). ``tests/stats/test_stateful.py`` uses them; another family
(transfers, situations, art. 474) is recounted in ``tests/stats/naive_flows.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

# --- What the test did -------------------------------------------------------------------------


@dataclass
class ServiceInfo:
    pk: int
    time_zone: str
    jurisdiction: int | None
    court_of_appeal: int | None


@dataclass
class Convocation:
    pk: int
    service: int
    type: int
    person: int
    starts_at: dt.datetime  # aware
    status: str = "booked"  # booked, honoured, missed, excused, cancelled


@dataclass
class Sms:
    pk: int
    uuid: str
    service: int
    kind: str  # convocation, reminder, reschedule, cancellation, missed
    person: int
    convocation: int | None
    send_after: dt.datetime  # aware: its planned sending, the day it counts for
    status: str = "pending"  # pending, sent, delivered, undelivered, failed, cancelled


@dataclass
class PersonInfo:
    pk: int
    phone: str
    follows: set[int] = field(default_factory=set)
    refuses_sms: bool = False
    archived: bool = False
    deleted: bool = False


@dataclass
class Ledger:
    services: dict[int, ServiceInfo] = field(default_factory=dict)
    persons: dict[int, PersonInfo] = field(default_factory=dict)
    convocations: dict[int, Convocation] = field(default_factory=dict)
    messages: dict[int, Sms] = field(default_factory=dict)

    def pending_sms(self, convocation: int | None = None, person: int | None = None) -> list[Sms]:
        return [
            sms
            for sms in self.messages.values()
            if sms.status == "pending"
            and (convocation is None or sms.convocation == convocation)
            and (person is None or sms.person == person)
        ]


# --- Areas, days, buckets ------------------------------------------------------------------------


def in_area(service: ServiceInfo, kind: str, pk: int | None) -> bool:
    if kind == "national":
        return True
    if kind == "service":
        return service.pk == pk
    if kind == "jurisdiction":
        return service.jurisdiction == pk
    if kind == "court_of_appeal":
        return pk in (service.court_of_appeal, service.jurisdiction)
    raise ValueError(kind)


def local_day(moment: dt.datetime, time_zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(time_zone)).date()


def first_day(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def buckets(start: dt.date, end: dt.date, grain: str) -> list[dt.date]:
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return sorted({first_day(day, grain) for day in days})


# --- Naive figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """An indicator's value, and for a rate its parts and what it leaves out."""

    value: int | float | None
    numerator: int | None = None
    denominator: int | None = None
    aside: int | None = None


def _rate(numerator: int, denominator: int, aside: int | None = None) -> Expected:
    value = numerator / denominator if denominator else None
    return Expected(value, numerator, denominator, aside)


def _delivered_reminder(ledger: Ledger, convocation: Convocation) -> bool:
    return any(
        sms.convocation == convocation.pk and sms.kind == "reminder" and sms.status == "delivered"
        for sms in ledger.messages.values()
    )


def convocation_figures(
    ledger: Ledger, rows: list[Convocation], now: dt.datetime
) -> dict[str, Expected]:
    """Every convocation indicator over ``rows`` (already chosen by area, period, type)."""

    def count(status: str) -> int:
        return sum(row.status == status for row in rows)

    honoured = [row for row in rows if row.status == "honoured"]
    missed = [row for row in rows if row.status == "missed"]
    reminded_h = sum(_delivered_reminder(ledger, row) for row in honoured)
    reminded_m = sum(_delivered_reminder(ledger, row) for row in missed)
    without = sum(row.status == "booked" and row.starts_at < now for row in rows)
    return {
        "appointments_booked": Expected(len(rows)),
        "appointments_honoured": Expected(len(honoured)),
        "appointments_missed": Expected(len(missed)),
        "appointments_excused": Expected(count("excused")),
        "appointments_cancelled": Expected(count("cancelled")),
        "appointments_without_outcome": Expected(without),
        "absenteeism_rate": _rate(len(missed), len(honoured) + len(missed), without),
        "absenteeism_with_reminder": _rate(reminded_m, reminded_h + reminded_m),
        "absenteeism_without_reminder": _rate(
            len(missed) - reminded_m, len(honoured) + len(missed) - reminded_h - reminded_m
        ),
    }


def sms_figures(rows: list[Sms]) -> dict[str, Expected]:
    """Every SMS indicator over ``rows`` (already chosen by area, period, kind)."""

    def count(*statuses: str) -> int:
        return sum(row.status in statuses for row in rows)

    return {
        "sms_left": Expected(count("sent", "delivered", "undelivered")),
        "sms_delivered": Expected(count("delivered")),
        "sms_undelivered": Expected(count("undelivered")),
        "sms_failed": Expected(count("failed")),
        "sms_cancelled": Expected(count("cancelled")),
        "sms_delivery_rate": _rate(
            count("delivered"), count("delivered", "undelivered"), count("sent")
        ),
    }


@dataclass
class NaiveFigures:
    """Expected figures of one area and period: in total, per bucket, per type or kind."""

    total: dict[str, Expected]
    by_bucket: dict[str, list[tuple[dt.date, Expected]]]
    by_type: dict[str, dict[object, Expected]]


def _figures(
    rows: Iterable[tuple[dt.date, object, object]],
    compute: Callable[[list], dict[str, Expected]],
    all_buckets: list[dt.date],
) -> NaiveFigures:
    items = list(rows)
    total = compute([row for _, _, row in items])
    per_bucket: dict[dt.date, list] = {bucket: [] for bucket in all_buckets}
    per_type: dict[object, list] = defaultdict(list)
    for bucket, second, row in items:
        per_bucket[bucket].append(row)
        per_type[second].append(row)
    bucket_figures = {bucket: compute(chosen) for bucket, chosen in per_bucket.items()}
    type_figures = {second: compute(chosen) for second, chosen in per_type.items()}
    return NaiveFigures(
        total=total,
        by_bucket={
            code: [(bucket, bucket_figures[bucket][code]) for bucket in all_buckets]
            for code in total
        },
        by_type={
            code: {second: figures[code] for second, figures in type_figures.items()}
            for code in total
        },
    )


def naive_convocations(
    ledger: Ledger,
    area: tuple[str, int | None],
    start: dt.date,
    end: dt.date,
    grain: str,
    now: dt.datetime,
) -> NaiveFigures:
    chosen = []
    for row in ledger.convocations.values():
        service = ledger.services[row.service]
        day = local_day(row.starts_at, service.time_zone)
        if in_area(service, *area) and start <= day <= end:
            chosen.append((first_day(day, grain), row.type, row))
    return _figures(
        chosen, lambda rows: convocation_figures(ledger, rows, now), buckets(start, end, grain)
    )


def naive_sms(
    ledger: Ledger, area: tuple[str, int | None], start: dt.date, end: dt.date, grain: str
) -> NaiveFigures:
    chosen = []
    for row in ledger.messages.values():
        service = ledger.services[row.service]
        day = local_day(row.send_after, service.time_zone)
        if in_area(service, *area) and start <= day <= end:
            chosen.append((first_day(day, grain), row.kind, row))
    return _figures(chosen, sms_figures, buckets(start, end, grain))


def naive_refusals(ledger: Ledger, area: tuple[str, int | None]) -> Expected:
    """Persons followed by the area's services now (not archived): how many refuse SMS."""
    followed = [
        person
        for person in ledger.persons.values()
        if not person.archived
        and not person.deleted
        and any(in_area(ledger.services[pk], *area) for pk in person.follows)
    ]
    return _rate(sum(person.refuses_sms for person in followed), len(followed))
