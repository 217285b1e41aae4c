"""``manage.py stats_verify``: recount every indicator from the raw rows and report the gaps.

The recount is independent of ``queries.py``: it reads the rows with plain SQL (no ORM
aggregation, no ``AT TIME ZONE``), computes the local day in Python with ``zoneinfo``, the
delivered reminder from the SMS rows, and adds the anonymous counts of deleted persons; then
it compares, key by key (bucket and type, bucket and SMS kind), each tally field, and each
indicator's figure over the period. Zero gap is what "exact by construction" means
(docs/statistics.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from jalon.stats.figures import Tallies
from jalon.stats.indicators import BASE_FAMILIES, INDICATORS
from jalon.stats.queries import Area, Period, sms_refusals

CHUNK = 20_000


@dataclass(frozen=True)
class Gap:
    what: str  # "convocations", "SMS" or an indicator code
    key: str
    field: str
    counted: Any
    recounted: Any

    def __str__(self) -> str:
        return (
            f"{self.what} {self.key} {self.field}: indicateur {self.counted}, "
            f"recompte {self.recounted}"
        )


def _services(area: Area) -> dict[int, str]:
    """The area's services and their time zones, read directly."""
    sql = (
        "SELECT s.id, s.time_zone, s.jurisdiction_id, j.court_of_appeal_id "
        "FROM access_service s LEFT JOIN access_jurisdiction j ON j.id = s.jurisdiction_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    chosen = {}
    for service_id, zone, jurisdiction, court_of_appeal in rows:
        if (
            area.kind == "national"
            or (area.kind == "service" and service_id == area.id)
            or (area.kind == "jurisdiction" and jurisdiction == area.id)
            or (area.kind == "court_of_appeal" and area.id in (jurisdiction, court_of_appeal))
        ):
            chosen[service_id] = zone
    return chosen


def _stream(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _in_period(moment: datetime, zone: str, period: Period) -> date | None:
    day = moment.astimezone(ZoneInfo(zone)).date()
    return _bucket(day, period.grain) if period.start <= day <= period.end else None


def recount_appointments(
    area: Area, period: Period, *, now: datetime
) -> dict[tuple[date, int], dict[str, int]]:
    services = _services(area)
    low = datetime.combine(period.start - timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))
    high = datetime.combine(period.end + timedelta(days=3), datetime.min.time(), ZoneInfo("UTC"))
    reminded = {
        row[0]
        for row in _stream(
            "SELECT DISTINCT appointment_id FROM sms_message WHERE kind = 'reminder' "
            "AND status = 'delivered' AND appointment_id IN (SELECT id FROM "
            "appointments_appointment WHERE starts_at >= %s AND starts_at < %s)",
            [low, high],
        )
    }
    result: dict[tuple[date, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = _stream(
        "SELECT id, service_id, appointment_type_id, starts_at, status "
        "FROM appointments_appointment WHERE starts_at >= %s AND starts_at < %s",
        [low, high],
    )
    for pk, service_id, type_id, starts_at, status in rows:
        if service_id not in services:
            continue
        bucket = _in_period(starts_at, services[service_id], period)
        if bucket is None:
            continue
        counts = result[(bucket, type_id)]
        if status == "booked":
            counts["upcoming" if starts_at >= now else "without_outcome"] += 1
        else:
            counts[status] += 1
            if status in ("honoured", "missed") and pk in reminded:
                counts[f"{status}_reminded"] += 1
    deleted = _stream(
        "SELECT service_id, appointment_type_id, day, status, reminder_delivered, count "
        "FROM stats_appointmentcount WHERE day >= %s AND day <= %s",
        [period.start, period.end],
    )
    for service_id, type_id, day, status, was_reminded, count in deleted:
        if service_id not in services:
            continue
        counts = result[(_bucket(day, period.grain), type_id)]
        counts["without_outcome" if status == "booked" else status] += count
        counts["from_deleted"] += count
        if was_reminded and status in ("honoured", "missed"):
            counts[f"{status}_reminded"] += count
    return result


MESSAGE_FIELD = {"pending": "waiting", "sending": "waiting"}


def recount_messages(area: Area, period: Period) -> dict[tuple[date, str], dict[str, int]]:
    services = _services(area)
    low = datetime.combine(period.start - timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))
    high = datetime.combine(period.end + timedelta(days=3), datetime.min.time(), ZoneInfo("UTC"))
    result: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = _stream(
        "SELECT service_id, kind, send_after, status FROM sms_message "
        "WHERE send_after >= %s AND send_after < %s",
        [low, high],
    )
    for service_id, kind, send_after, status in rows:
        if service_id not in services:
            continue
        bucket = _in_period(send_after, services[service_id], period)
        if bucket is not None:
            result[(bucket, kind)][MESSAGE_FIELD.get(status, status)] += 1
    deleted = _stream(
        "SELECT service_id, kind, day, status, count FROM stats_messagecount "
        "WHERE day >= %s AND day <= %s",
        [period.start, period.end],
    )
    for service_id, kind, day, status, count in deleted:
        if service_id in services:
            counts = result[(_bucket(day, period.grain), kind)]
            counts[MESSAGE_FIELD.get(status, status)] += count
            counts["from_deleted"] += count
    return result


def compare(what: str, counted: dict[Any, Any], recounted: dict[Any, dict[str, int]]) -> list[Gap]:
    """Every (key, field) where the indicators' tally and the recount differ."""
    gaps = []
    for key in sorted(set(counted) | set(recounted), key=str):
        tally = counted.get(key)
        names = [f.name for f in fields(tally)] if tally is not None else []
        names = sorted(set(names) | set(recounted.get(key, {})))
        for name in names:
            mine = getattr(tally, name, 0) if tally is not None else 0
            theirs = recounted.get(key, {}).get(name, 0)
            if mine != theirs:
                gaps.append(Gap(what, f"{key[0]:%d/%m/%Y} {key[1]}", name, mine, theirs))
    return gaps


def recount_refusals(area: Area) -> tuple[int, int]:
    """(persons refusing SMS, persons followed) by the area's services, now, not archived."""
    services = _services(area)
    followed: set[int] = set()
    refusing: set[int] = set()
    rows = _stream(
        "SELECT f.person_id, f.service_id, p.refuses_sms FROM people_follow f "
        "JOIN people_person p ON p.id = f.person_id WHERE p.archived_at IS NULL",
        [],
    )
    for person_id, service_id, refuses in rows:
        if service_id in services:
            followed.add(person_id)
            if refuses:
                refusing.add(person_id)
    return len(refusing), len(followed)


def verify(area: Area, period: Period, *, now: datetime) -> list[Gap]:
    """The gaps between the indicators and an independent recount (empty: exact)."""
    tallies = Tallies.count(area, period, now=now)
    appointments = recount_appointments(area, period, now=now)
    messages = recount_messages(area, period)
    gaps = compare("convocations", tallies.appointments, appointments)
    gaps += compare("SMS", tallies.messages, messages)
    from jalon.stats.queries import AppointmentTally, MessageTally

    recounted = Tallies(
        period=period,
        appointments={key: AppointmentTally(**value) for key, value in appointments.items()},
        messages={key: MessageTally(**value) for key, value in messages.items()},
    )
    for code in (c for c, i in INDICATORS.items() if i.family in BASE_FAMILIES):
        mine, theirs = tallies.figure(code), recounted.figure(code)
        if mine != theirs:
            gaps.append(Gap(code, "période", "valeur", mine.value, theirs.value))
    kept, recounted_refusals = sms_refusals(area), recount_refusals(area)
    if kept != recounted_refusals:
        gaps.append(Gap("sms_refusal", "maintenant", "refus / suivies", kept, recounted_refusals))
    # Each family's own recount (they import this module, hence here).
    from jalon.stats.verify_chain import verify_chain
    from jalon.stats.verify_flows import verify_flows

    return gaps + verify_chain(area, period) + verify_flows(area, period, now=now)
