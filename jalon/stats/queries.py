"""The one place indicators are counted: SQL aggregations through the ORM.

Each family (convocations, SMS) is counted into additive *tallies* (how many rows in each
state) keyed by (period bucket, appointment type or SMS kind): what the operational tables
hold, read from the per-day counts the database keeps of them (``maintained.py``: day rows
plus the changes not yet folded), and the anonymous counts the retention job left for deleted
persons (``stats.models``), added together. Every indicator is then a function of a tally
(``indicators.py``), and a total over a period or several types is the sum of tallies, so no
figure is counted twice by two formulas.

A convocation belongs to the day of its start **in its service's time zone** (a 00:30
convocation in Cayenne is on the day Cayenne sees), an SMS to the local day of its planned
sending (``send_after``). Where rows are read directly (the convocations of the days around
the reading), they are first narrowed by an indexed UTC range 14 hours wider than the days on
each side (no time zone is further from UTC), then filtered on the local day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, Self
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Trunc

from jalon.access.models import Service
from jalon.appointments.models import Appointment
from jalon.sms.models import Message, MessageKind
from jalon.stats.models import (
    AppointmentCount,
    AppointmentDay,
    AppointmentDayChange,
    MessageCount,
    MessageDay,
    MessageDayChange,
    RefusalChange,
    RefusalCount,
)

Status = Appointment.Status
SmsStatus = Message.Status

# No time zone is more than 14 hours from UTC (Kiribati +14, Baker Island -12).
WIDEST_OFFSET = timedelta(hours=14)


class LocalDate(Func):
    """``(moment AT TIME ZONE zone)::date``: the local day of a UTC moment in a row's zone."""

    arg_joiner = " AT TIME ZONE "
    template = "((%(expressions)s)::date)"
    output_field = DateField()


# --- What is counted -----------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """Whose activity: one service, one TJ, one court of appeal (with its TJs), or everything.

    A convocation belongs to the service that receives the person; a service to its
    jurisdiction (``Service.jurisdiction``), a TJ to its court of appeal.
    """

    kind: str  # "service", "jurisdiction", "court_of_appeal", "national"
    id: int | None = None

    def services_q(self, prefix: str = "service") -> Q:
        if self.kind == "service":
            return Q(**{f"{prefix}_id": self.id})
        if self.kind == "jurisdiction":
            return Q(**{f"{prefix}__jurisdiction_id": self.id})
        if self.kind == "court_of_appeal":
            return Q(**{f"{prefix}__jurisdiction__court_of_appeal_id": self.id}) | Q(
                **{f"{prefix}__jurisdiction_id": self.id}
            )
        if self.kind == "national":
            return Q()
        raise ValueError(f"unknown area kind {self.kind!r}")

    def services(self) -> QuerySet[Service]:
        """The services of the area, the way ``services_q`` picks a row's service."""
        if self.kind == "service":
            return Service.objects.filter(pk=self.id or 0)
        if self.kind == "jurisdiction":
            return Service.objects.filter(jurisdiction_id=self.id or 0)
        if self.kind == "court_of_appeal":
            return Service.objects.filter(
                Q(jurisdiction__court_of_appeal_id=self.id) | Q(jurisdiction_id=self.id)
            )
        return Service.objects.all()


GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end`` included, cut into buckets of ``grain``."""

    start: date
    end: date
    grain: str = "day"

    def __post_init__(self) -> None:
        if self.grain not in GRAINS:
            raise ValueError(f"unknown grain {self.grain!r}")
        if self.end < self.start:
            raise ValueError("reversed period")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.grain
        )

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """A UTC range surely containing every moment of these local days, in any zone."""
        utc = ZoneInfo("UTC")
        low = datetime.combine(self.start, time.min, tzinfo=utc) - WIDEST_OFFSET
        high = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=utc) + WIDEST_OFFSET
        return low, high

    def bucket_of(self, day: date) -> date:
        """The first day of ``day``'s bucket (ISO weeks start on Monday), as SQL computes it."""
        if self.grain == "week":
            return day - timedelta(days=day.weekday())
        if self.grain == "month":
            return day.replace(day=1)
        return day

    def buckets(self) -> list[date]:
        """Every bucket touching the period, in order (empty ones included)."""
        seen: list[date] = []
        day = self.start
        while day <= self.end:
            bucket = self.bucket_of(day)
            if not seen or seen[-1] != bucket:
                seen.append(bucket)
            day += timedelta(days=1)
        return seen


def _bucket(expression: Any, grain: str) -> Any:
    if grain == "day":
        return expression
    return Trunc(expression, grain, output_field=DateField())


# --- Tallies --------------------------------------------------------------------------------


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(kind: type[Any]) -> tuple[str, ...]:
    """A tally class's field names, read once (``dataclasses.fields`` on every addition cost
    a tenth of a dashboard's Python time)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


class Tally:
    """Additive counts; ``a + b`` adds field by field."""

    def __add__(self, other: Self) -> Self:
        return type(self)(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in _field_names(type(self))
            }
        )

    @classmethod
    def total(cls, tallies: Iterable[Self]) -> Self:
        result = cls()
        for tally in tallies:
            result = result + tally
        return result


@dataclass(frozen=True)
class AppointmentTally(Tally):
    honoured: int = 0
    missed: int = 0
    excused: int = 0
    cancelled: int = 0
    without_outcome: int = 0  # planned, start passed, no outcome entered
    upcoming: int = 0  # planned, not yet started
    honoured_reminded: int = 0  # honoured, with a delivered reminder
    missed_reminded: int = 0
    # Convocations of deleted persons among the above (for the "données" note only).
    from_deleted: int = 0

    @property
    def booked(self) -> int:
        return (
            self.honoured
            + self.missed
            + self.excused
            + self.cancelled
            + self.without_outcome
            + self.upcoming
        )


@dataclass(frozen=True)
class MessageTally(Tally):
    waiting: int = 0  # pending or being handed to the operator
    sent: int = 0  # accepted by the operator, no receipt yet
    delivered: int = 0
    undelivered: int = 0
    failed: int = 0
    cancelled: int = 0
    from_deleted: int = 0

    @property
    def left(self) -> int:
        """Handed to the operator: awaiting a receipt, delivered or not delivered."""
        return self.sent + self.delivered + self.undelivered


AppointmentKey = tuple[date, int]  # (bucket, appointment type id)
MessageKey = tuple[date, str]  # (bucket, SMS kind)
# The keys a family can be grouped by: the bucket and the type (or kind), and the service.
BY_TYPE = ("bucket", "appointment_type_id")
BY_KIND = ("bucket", "kind")
BY_SERVICE = ("service_id",)


def _delivered_reminder() -> FilteredRelation:
    """The convocation's delivered reminder, joined (at most one: a convocation has one live
    reminder, ``one_live_reminder_per_appointment``, so the join adds no row).

    A join rather than ``EXISTS``: PostgreSQL then probes the reminder of each of the
    period's convocations by index, where a hashed ``EXISTS`` read every delivered reminder
    ever sent, twice (one per count using it).
    """
    return FilteredRelation(
        "messages",
        condition=Q(messages__kind=MessageKind.REMINDER, messages__status=SmsStatus.DELIVERED),
    )


class _Sums:
    """Counts added per key as plain integers, made into tallies once at the end."""

    def __init__(self) -> None:
        self.counts: dict[Any, dict[str, int]] = {}

    def add(self, key: Any, values: dict[str, int]) -> None:
        target = self.counts.setdefault(key, {})
        for name, value in values.items():
            if value:
                target[name] = target.get(name, 0) + value

    def tallies(self, kind: type[Any]) -> dict[Any, Any]:
        return {key: kind(**values) for key, values in self.counts.items()}


def appointment_tallies(
    area: Area, period: Period, *, now: datetime
) -> dict[Any, AppointmentTally]:
    """Convocations of ``area`` whose local day is in ``period``, by (bucket, type id)
    (3 queries)."""
    return appointment_groupings(area, period, [BY_TYPE], now=now)[0]


def appointment_groupings(
    area: Area, period: Period, groups: list[tuple[str, ...]], *, now: datetime
) -> list[dict[Any, AppointmentTally]]:
    """The convocations of ``area`` whose local day is in ``period``, once per grouping of
    ``groups`` (each a tuple of ``BY_TYPE``/``BY_SERVICE`` names): 2 queries, and 1 per grouping.

    The counts the database keeps per day (``maintained.py``) give every day but the few
    around ``now``, where a planned convocation may be past (without outcome) or to come:
    those are read from the convocations themselves. Then the anonymous counts of deleted
    persons. The kept counts are summed into tally fields by the database, once per grouping
    (a national dashboard's period holds tens of thousands of day rows, too many to add here).
    """
    first, last = moving_days(now)
    kept = Q(day__gte=period.start, day__lte=period.end) & (Q(day__lt=first) | Q(day__gt=last))
    sums = [_Sums() for _ in groups]
    for index, group in enumerate(groups):
        for row in _kept_sums(
            (AppointmentDay, AppointmentDayChange),
            Q(area.services_q(), kept),
            period.grain,
            group,
            _kept_appointment_fields(first),
        ):
            sums[index].add(tuple(row.pop(name) for name in group), row)
    every = [name for name in (*BY_TYPE, *BY_SERVICE) if any(name in g for g in groups)]
    for row in _live_appointments(
        area, max(period.start, first), min(period.end, last), period.grain, every, now
    ):
        for index, group in enumerate(groups):
            sums[index].add(tuple(row[name] for name in group), _fields_of(row, every))
    deleted = (
        AppointmentCount.objects.filter(
            area.services_q(), day__gte=period.start, day__lte=period.end
        )
        .annotate(bucket=_bucket(F("day"), period.grain))
        .order_by()
        .values(*every, "status", "reminder_delivered")
        .annotate(n=Sum("count"))
    )
    for row in deleted:
        values = _deleted_appointments(row["status"], row["reminder_delivered"], row["n"])
        for index, group in enumerate(groups):
            sums[index].add(tuple(row[name] for name in group), values)
    return [each.tallies(AppointmentTally) for each in sums]


def _fields_of(row: dict[str, Any], keys: list[str]) -> dict[str, int]:
    return {name: value for name, value in row.items() if name not in keys}


def moving_days(now: datetime) -> tuple[date, date]:
    """The local days on which a planned convocation may have started or not at ``now``:
    the UTC day of ``now`` and its neighbours (no zone is more than 14 hours from UTC).
    Before them, every planned convocation has started; after them, none has."""
    today = now.astimezone(ZoneInfo("UTC")).date()
    return today - timedelta(days=1), today + timedelta(days=1)


def _kept_sums(
    models: tuple[type[Any], type[Any]],
    where: Q,
    grain: str,
    group: tuple[str, ...],
    fields_: dict[str, Q],
) -> QuerySet[Any]:
    """The day rows and the changes not yet folded, grouped by ``group``, each tally field
    summed by the database from the rows its condition picks (1 query)."""
    day, change = (
        model.objects.filter(where)
        .annotate(bucket=_bucket(F("day"), grain))
        .order_by()
        .values(*group)
        .annotate(**{name: Sum("count", filter=condition) for name, condition in fields_.items()})
        for model in models
    )
    return day.union(change, all=True)


def _kept_appointment_fields(first_moving_day: date) -> dict[str, Q]:
    """Each tally field as a condition on a kept count: a planned convocation is without
    outcome on a day before the moving days (``moving_days``), to come on a later one."""
    reminded = Q(reminder_delivered=True)
    return {
        "honoured": Q(status=Status.HONOURED),
        "missed": Q(status=Status.MISSED),
        "excused": Q(status=Status.EXCUSED),
        "cancelled": Q(status=Status.CANCELLED),
        "without_outcome": Q(status=Status.BOOKED, day__lt=first_moving_day),
        "upcoming": Q(status=Status.BOOKED, day__gte=first_moving_day),
        "honoured_reminded": Q(reminded, status=Status.HONOURED),
        "missed_reminded": Q(reminded, status=Status.MISSED),
    }


def _live_appointments(
    area: Area, first: date, last: date, grain: str, group: list[str], now: datetime
) -> QuerySet[Any]:
    """The convocations of the local days ``first`` to ``last``, counted from their rows
    (1 query; none match when ``last`` is before ``first``)."""
    utc = ZoneInfo("UTC")
    low = datetime.combine(first, time.min, tzinfo=utc) - WIDEST_OFFSET
    high = datetime.combine(last + timedelta(days=1), time.min, tzinfo=utc) + WIDEST_OFFSET
    return (
        Appointment.objects.filter(area.services_q(), starts_at__gte=low, starts_at__lt=high)
        .annotate(day=LocalDate(F("starts_at"), F("service__time_zone")))
        .filter(day__gte=first, day__lte=last)
        .annotate(bucket=_bucket(F("day"), grain), delivered_reminder=_delivered_reminder())
        .order_by()
        .values(*group)
        .annotate(
            honoured=Count("pk", filter=Q(status=Status.HONOURED)),
            missed=Count("pk", filter=Q(status=Status.MISSED)),
            excused=Count("pk", filter=Q(status=Status.EXCUSED)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            without_outcome=Count("pk", filter=Q(status=Status.BOOKED, starts_at__lt=now)),
            upcoming=Count("pk", filter=Q(status=Status.BOOKED, starts_at__gte=now)),
            honoured_reminded=Count(
                "pk", filter=Q(status=Status.HONOURED, delivered_reminder__isnull=False)
            ),
            missed_reminded=Count(
                "pk", filter=Q(status=Status.MISSED, delivered_reminder__isnull=False)
            ),
        )
    )


_APPOINTMENT_FIELDS = {
    Status.HONOURED: "honoured",
    Status.MISSED: "missed",
    Status.EXCUSED: "excused",
    Status.CANCELLED: "cancelled",
    Status.BOOKED: "without_outcome",
}


def _deleted_appointments(status: str, reminded: bool, n: int) -> dict[str, int]:
    """A count of deleted persons' convocations as tally fields.

    A deleted person had no future convocation (one is activity, it prevents archiving), so a
    convocation still planned when deleted is one without outcome.
    """
    values = {_APPOINTMENT_FIELDS[Status(status)]: n, "from_deleted": n}
    if reminded and status == Status.HONOURED:
        values["honoured_reminded"] = n
    if reminded and status == Status.MISSED:
        values["missed_reminded"] = n
    return values


_MESSAGE_FIELDS = {
    SmsStatus.PENDING: "waiting",
    SmsStatus.SENDING: "waiting",
    SmsStatus.SENT: "sent",
    SmsStatus.DELIVERED: "delivered",
    SmsStatus.UNDELIVERED: "undelivered",
    SmsStatus.FAILED: "failed",
    SmsStatus.CANCELLED: "cancelled",
}


def _kept_message_fields() -> dict[str, Q]:
    statuses: dict[str, list[str]] = {}
    for status, name in _MESSAGE_FIELDS.items():
        statuses.setdefault(name, []).append(status)
    return {name: Q(status__in=among) for name, among in statuses.items()}


def message_tallies(area: Area, period: Period) -> dict[Any, MessageTally]:
    """SMS of ``area`` planned on a local day of ``period``, by (bucket, kind) (2 queries)."""
    return message_groupings(area, period, [BY_KIND])[0]


def message_groupings(
    area: Area, period: Period, groups: list[tuple[str, ...]]
) -> list[dict[Any, MessageTally]]:
    """SMS of ``area`` planned on a local day of ``period``, once per grouping of ``groups``
    (1 query, and 1 per grouping): the counts the database keeps per day (``maintained.py``),
    summed into tally fields by the database, then those of deleted persons."""
    where = Q(area.services_q(), day__gte=period.start, day__lte=period.end)
    sums = [_Sums() for _ in groups]
    for index, group in enumerate(groups):
        for row in _kept_sums(
            (MessageDay, MessageDayChange), where, period.grain, group, _kept_message_fields()
        ):
            sums[index].add(tuple(row.pop(name) for name in group), row)
    every = [name for name in (*BY_KIND, *BY_SERVICE) if any(name in g for g in groups)]
    deleted = (
        MessageCount.objects.filter(where)
        .annotate(bucket=_bucket(F("day"), period.grain))
        .order_by()
        .values(*every, "status")
        .annotate(n=Sum("count"))
    )
    for row in deleted:
        field = _MESSAGE_FIELDS[SmsStatus(row["status"])]
        for index, group in enumerate(groups):
            sums[index].add(
                tuple(row[name] for name in group), {field: row["n"], "from_deleted": row["n"]}
            )
    return [each.tallies(MessageTally) for each in sums]


def sms_refusals(area: Area) -> tuple[int, int]:
    """(persons refusing SMS, persons followed) by the area's services, now (1 query): the
    counts the database keeps per area (``maintained_refusals.py``), folded and pending.

    Archived persons are left out: nobody writes to them any more.
    """
    level, area_id = ("national", 0) if area.kind == "national" else (area.kind, area.id or 0)
    counts = (
        RefusalCount.objects.filter(level=level, area_id=area_id)
        .values("followed", "refusing")
        .union(
            RefusalChange.objects.filter(level=level, area_id=area_id).values(
                "followed", "refusing"
            ),
            all=True,
        )
    )
    rows = list(counts)
    return sum(row["refusing"] for row in rows), sum(row["followed"] for row in rows)
