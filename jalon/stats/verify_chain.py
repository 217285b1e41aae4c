"""The penal-chain part of ``manage.py stats_verify``: recount from the raw rows, report gaps.

Independent of ``chain.py``: plain SQL reads of the procedures, orientations, judgments,
decisions on charges and executions, with no ORM aggregation; areas, buckets, the counted
orientations, the verdicts, the delays (the Paris day computed with ``zoneinfo``, not
``AT TIME ZONE``) and the backlogs are all computed here in Python. Then each tally field is
compared key by key, the backlogs, and each indicator's figure over the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from jalon.stats.chain import (
    TALLY_TYPES,
    ChainCounts,
    DelayTally,
    JudgmentTally,
    OrientationTally,
    RegistrationTally,
)
from jalon.stats.chain_indicators import CHAIN_INDICATORS, chain_figure
from jalon.stats.queries import Area, Period
from jalon.stats.verify import CHUNK, Gap

PARIS = ZoneInfo("Europe/Paris")
TRIAL = ("crpc", "penal_order", "copj", "cppv", "immediate", "direct_summons", "police_summons")
PROSECUTION = (*TRIAL, "investigation")
ALTERNATIVES = ("alternative", "composition")
NOT_PROSECUTABLE = (
    "no_offence",
    "insufficient",
    "unknown_author",
    "not_responsible",
    "time_barred",
)


def _stream(sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def _tribunals(area: Area) -> set[int]:
    """The area's TJs (a court of appeal's, or every one), read directly."""
    rows = _stream("SELECT id, court_of_appeal_id FROM access_jurisdiction", [])
    return {
        pk
        for pk, court_of_appeal in rows
        if area.kind == "national"
        or (area.kind == "jurisdiction" and pk == area.id)
        or (area.kind == "court_of_appeal" and court_of_appeal == area.id)
    }


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return date(day.year, day.month, 1)
    return day


Rows = dict[tuple[date, str], dict[str, Any]]


def _registrations(tjs: set[int], period: Period) -> Rows:
    result: Rows = defaultdict(lambda: defaultdict(int))
    for tj, received_on, origin in _stream(
        "SELECT tribunal_id, received_on, origin FROM cases_procedure "
        "WHERE received_on >= %s AND received_on <= %s",
        [period.start, period.end],
    ):
        if tj in tjs:
            result[(_bucket(received_on, period.grain), origin)]["registered"] += 1
    return result


def _orientations(tjs: set[int], period: Period) -> Rows:
    result: Rows = defaultdict(lambda: defaultdict(int))
    for tj, kind, reason, decided_on, superseded_on in _stream(
        "SELECT p.tribunal_id, o.kind, o.reason, o.decided_on, o.superseded_on "
        "FROM cases_orientation o JOIN cases_procedure p ON p.id = o.procedure_id "
        "WHERE o.decided_on >= %s AND o.decided_on <= %s",
        [period.start, period.end],
    ):
        if tj not in tjs or (superseded_on is not None and superseded_on <= decided_on):
            continue
        counts = result[(_bucket(decided_on, period.grain), kind)]
        counts["oriented"] += 1
        counts["dismissed"] += kind == "dismissal"
        counts["not_prosecutable"] += kind == "dismissal" and reason in NOT_PROSECUTABLE
        counts["prosecuted"] += kind in PROSECUTION
        counts["alternative"] += kind in ALTERNATIVES
    return result


def _judgments(tjs: set[int], period: Period) -> tuple[Rows, Rows]:
    verdicts: dict[int, set[str]] = defaultdict(set)
    for judgment_id, verdict in _stream(
        "SELECT judgment_id, verdict FROM cases_chargedecision WHERE judgment_id IN "
        "(SELECT id FROM cases_judgment WHERE delivered_on >= %s AND delivered_on <= %s)",
        [period.start, period.end],
    ):
        verdicts[judgment_id].add(verdict)
    counts: Rows = defaultdict(lambda: defaultdict(int))
    delays: Rows = defaultdict(lambda: {"days": Counter()})
    for pk, tj, mode, replaces, delivered_on, received_on in _stream(
        "SELECT j.id, p.tribunal_id, j.delivery_mode, j.replaces_id, j.delivered_on, "
        "p.received_on FROM cases_judgment j JOIN cases_procedure p ON p.id = j.procedure_id "
        "WHERE j.delivered_on >= %s AND j.delivered_on <= %s",
        [period.start, period.end],
    ):
        if tj not in tjs:
            continue
        bucket = _bucket(delivered_on, period.grain)
        row = counts[(bucket, mode)]
        if replaces is not None:
            row["appeal_decisions"] += 1
            continue
        row["first_instance"] += 1
        if "guilty" in verdicts[pk]:
            row["guilty"] += 1
        elif verdicts[pk]:
            row["acquitted"] += 1
        else:
            row["without_verdict"] += 1
        delays[(bucket, "")]["days"][(delivered_on - received_on).days] += 1
    return counts, delays


def _executions(tjs: set[int], period: Period) -> Rows:
    low = datetime.combine(period.start - timedelta(days=1), datetime.min.time(), ZoneInfo("UTC"))
    high = datetime.combine(period.end + timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))
    delays: Rows = defaultdict(lambda: {"days": Counter()})
    for tj, taken_at, delivered_on in _stream(
        "SELECT e.tribunal_id, e.taken_at, j.delivered_on FROM cases_execution e "
        "JOIN cases_judgment j ON j.id = e.judgment_id WHERE e.taken_at >= %s AND e.taken_at < %s",
        [low, high],
    ):
        day = taken_at.astimezone(PARIS).date()
        if tj in tjs and period.start <= day <= period.end and delivered_on is not None:
            delays[(_bucket(day, period.grain), "")]["days"][(day - delivered_on).days] += 1
    return delays


def _awaiting_judgment(tjs: set[int], on: date) -> int:
    judged = set(
        _stream(
            "SELECT procedure_id, party_id FROM cases_judgment "
            "WHERE replaces_id IS NULL AND delivered_on <= %s",
            [on],
        )
    )
    return sum(
        1
        for tj, procedure_id, party_id, superseded_on in _stream(
            "SELECT p.tribunal_id, o.procedure_id, o.party_id, o.superseded_on "
            "FROM cases_orientation o JOIN cases_procedure p ON p.id = o.procedure_id "
            "WHERE o.party_id IS NOT NULL AND o.kind = ANY(%s) AND o.decided_on <= %s",
            [list(TRIAL), on],
        )
        if tj in tjs
        and (superseded_on is None or superseded_on > on)
        and (procedure_id, party_id) not in judged
    )


def _awaiting_execution(tjs: set[int], on: date) -> int:
    return sum(
        1
        for tj, taken_at in _stream(
            "SELECT tribunal_id, taken_at FROM cases_execution WHERE executable_on <= %s", [on]
        )
        if tj in tjs and (taken_at is None or taken_at.astimezone(PARIS).date() > on)
    )


def recount(area: Area, period: Period) -> ChainCounts:
    """The penal-chain counts of ``area`` over ``period``, recounted from the raw rows."""
    tjs = _tribunals(area)
    judgments, judgment_delays = _judgments(tjs, period)
    raw = {
        "registrations": (_registrations(tjs, period), RegistrationTally),
        "orientations": (_orientations(tjs, period), OrientationTally),
        "judgments": (judgments, JudgmentTally),
        "judgment_delays": (judgment_delays, DelayTally),
        "execution_delays": (_executions(tjs, period), DelayTally),
    }
    return ChainCounts(
        period=period,
        rows={
            family: {key: kind(**values) for key, values in rows.items()}
            for family, (rows, kind) in raw.items()
        },
        awaiting_judgment=_awaiting_judgment(tjs, period.end),
        awaiting_execution=_awaiting_execution(tjs, period.end),
    )


def compare_chain(counted: ChainCounts, recounted: ChainCounts) -> list[Gap]:
    gaps = []
    for family, kind in TALLY_TYPES.items():
        mine, theirs = counted.rows[family], recounted.rows[family]
        for key in sorted(set(mine) | set(theirs), key=str):
            a, b = mine.get(key, kind()), theirs.get(key, kind())
            for f in fields(a):
                if getattr(a, f.name) != getattr(b, f.name):
                    where = f"{key[0]:%d/%m/%Y} {key[1]}".strip()
                    gaps.append(
                        Gap(
                            f"chaîne pénale {family}",
                            where,
                            f.name,
                            getattr(a, f.name),
                            getattr(b, f.name),
                        )
                    )
    for name in ("awaiting_judgment", "awaiting_execution"):
        if getattr(counted, name) != getattr(recounted, name):
            gaps.append(
                Gap(
                    "chaîne pénale",
                    "fin de période",
                    name,
                    getattr(counted, name),
                    getattr(recounted, name),
                )
            )
    for code in CHAIN_INDICATORS:
        a, b = chain_figure(counted, code), chain_figure(recounted, code)
        if a != b:
            gaps.append(Gap(code, "période", "valeur", a.value, b.value))
    return gaps


def verify_chain(area: Area, period: Period) -> list[Gap]:
    """Gaps between the penal-chain indicators and the recount (none for a service area:
    the penal chain has no service-level figure)."""
    if area.kind == "service":
        return []
    return compare_chain(ChainCounts.count(area, period), recount(area, period))
