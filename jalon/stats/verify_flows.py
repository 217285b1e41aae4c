"""``stats_verify`` for the transfer, sortie d'audience and situation families.

As ``verify.py``: plain SQL reads of the raw rows (no ORM aggregation, no ``AT TIME ZONE``),
local days computed in Python with ``zoneinfo``, the first convocation of a judgment and the
legal rule valid on its day chosen in Python, the anonymous counts of deleted rows added;
then every tally field compared key by key, and every indicator's figure over the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from jalon.stats import flows_exits, flows_situations, flows_transfers
from jalon.stats.flowkit import Delays, FamilyTallies, today_of
from jalon.stats.queries import Area, Period
from jalon.stats.verify import Gap, _bucket, _services, _stream


def _rows(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return list(_stream(sql, params or []))


def _local(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _wide(period: Period) -> tuple[datetime, datetime]:
    utc = ZoneInfo("UTC")
    low = datetime.combine(period.start - timedelta(days=2), datetime.min.time(), utc)
    high = datetime.combine(period.end + timedelta(days=3), datetime.min.time(), utc)
    return low, high


def _new() -> dict[str, Any]:
    return defaultdict(int, delays=Delays())


# --- Transfers ---------------------------------------------------------------------------------


def recount_transfers(area: Area, period: Period) -> dict[tuple[date, str], dict[str, Any]]:
    services = _services(area)
    result: dict[tuple[date, str], dict[str, Any]] = defaultdict(_new)
    low, high = _wide(period)
    for service_id, created_at, decided_at, status in _rows(
        "SELECT requesting_service_id, created_at, decided_at, status FROM transfers_transfer "
        "WHERE created_at >= %s AND created_at < %s",
        [low, high],
    ):
        if service_id not in services:
            continue
        day = _local(created_at, services[service_id])
        if not period.start <= day <= period.end:
            continue
        counts = result[(_bucket(day, period.grain), "")]
        counts[status] += 1
        if status in flows_transfers.DECIDED:
            delay = (_local(decided_at, services[service_id]) - day).days
            counts["delays"] += Delays({delay: 1})
    for service_id, day, status, delay, n in _rows(
        "SELECT service_id, day, status, delay_days, count FROM stats_transfercount "
        "WHERE day >= %s AND day <= %s",
        [period.start, period.end],
    ):
        if service_id not in services:
            continue
        counts = result[(_bucket(day, period.grain), "")]
        counts[status] += n
        counts["from_deleted"] += n
        if status in flows_transfers.DECIDED and delay is not None:
            counts["delays"] += Delays({delay: n})
    return result


# --- Sorties d'audience ------------------------------------------------------------------------


def _rules() -> dict[str, list[tuple[date, date | None, Any]]]:
    found: dict[str, list[tuple[date, date | None, Any]]] = defaultdict(list)
    for key, value, valid_from, valid_until in _rows(
        "SELECT key, value, valid_from, valid_until FROM cases_legalrule WHERE key IN (%s, %s) "
        "ORDER BY valid_from",
        list(flows_exits.RULE_KEYS.values()),
    ):
        found[key].append((valid_from, valid_until, value))
    return found


def _rule_on(rules: list[tuple[date, date | None, Any]], day: date) -> int | None:
    for valid_from, valid_until, value in rules:
        if valid_from <= day and (valid_until is None or valid_until >= day):
            return int(value if not isinstance(value, str) else value.strip('"'))
    return None


def _executing_tribunals(area: Area) -> set[int] | None:
    """The tribunals whose judgments' missing convocations ``area`` counts (None: all)."""
    if area.kind == "national":
        return None
    if area.kind == "jurisdiction":
        return {area.id} if area.id is not None else set()
    if area.kind == "court_of_appeal":
        rows = _rows("SELECT id, court_of_appeal_id FROM access_jurisdiction")
        return {pk for pk, ca in rows if area.id in (pk, ca)}
    own = _rows("SELECT kind, jurisdiction_id FROM access_service WHERE id = %s", [area.id])
    if own and own[0][0] in ("bex", "greffe_correctionnel") and own[0][1] is not None:
        return {own[0][1]}
    return set()  # a SPIP or a SAP does not know it should have received the person


def recount_exits(
    area: Area, period: Period, *, now: datetime
) -> dict[tuple[date, str], dict[str, Any]]:
    chosen = _services(area)
    zones = dict(_rows("SELECT id, time_zone FROM access_service"))
    kinds = dict(_rows("SELECT id, kind FROM access_service"))
    rules = _rules()
    first: dict[tuple[int, str], tuple[Any, ...]] = {}
    for pk, judgment_id, service_id, booked_by, starts_at, status, delivered_on in _rows(
        "SELECT a.id, a.judgment_id, a.service_id, a.created_by_service_id, a.starts_at, "
        "a.status, j.delivered_on FROM appointments_appointment a "
        "JOIN cases_judgment j ON j.id = a.judgment_id "
        "WHERE j.delivered_on >= %s AND j.delivered_on <= %s",
        [period.start, period.end],
    ):
        if status == "cancelled" or kinds[service_id] not in ("spip", "spip_antenna", "sap"):
            continue
        kind = "jap" if kinds[service_id] == "sap" else "spip"
        row = (starts_at, pk, service_id, booked_by, delivered_on)
        if (judgment_id, kind) not in first or row < first[(judgment_id, kind)]:
            first[(judgment_id, kind)] = row
    result: dict[tuple[date, str], dict[str, Any]] = defaultdict(_new)

    def add(day: date, kind: str, delay: int, limit: int | None, n: int) -> dict[str, Any]:
        counts = result[(_bucket(day, period.grain), kind)]
        counts["convoked"] += n
        counts["within"] += n if limit is not None and delay <= limit else 0
        counts["without_rule"] += n if limit is None else 0
        counts["delays"] += Delays({delay: n})
        return counts

    for (_, kind), (starts_at, _, service_id, booked_by, day) in first.items():
        if area.kind != "national" and service_id not in chosen and booked_by not in chosen:
            continue
        delay = (_local(starts_at, zones[service_id]) - day).days
        add(day, kind, delay, _rule_on(rules[flows_exits.RULE_KEYS[kind]], day), 1)
    for service_id, booked_by, day, kind, delay, limit, n in _rows(
        "SELECT service_id, booked_by_id, day, kind, delay_days, limit_days, count "
        "FROM stats_exitconvocationcount WHERE day >= %s AND day <= %s",
        [period.start, period.end],
    ):
        if area.kind == "national" or service_id in chosen or booked_by in chosen:
            add(day, kind, delay, limit, n)["from_deleted"] += n
    # Judgments with an art. 474 deadline and no counted convocation of its kind (``first``
    # holds every judgment of the period with one, whatever the area).
    tribunals = _executing_tribunals(area)
    today = _local(now, settings.TIME_ZONE)
    for judgment_id, day, tribunal_id, spip_by, jap_by in _rows(
        "SELECT j.id, j.delivered_on, e.tribunal_id, e.spip_by, e.jap_by "
        "FROM cases_judgment j JOIN cases_execution e ON e.judgment_id = j.id "
        "WHERE j.delivered_on >= %s AND j.delivered_on <= %s",
        [period.start, period.end],
    ):
        if tribunals is not None and tribunal_id not in tribunals:
            continue
        for kind, deadline in (("spip", spip_by), ("jap", jap_by)):
            if deadline is None or (judgment_id, kind) in first:
                continue
            state = "over" if deadline < today else "running"
            result[(_bucket(day, period.grain), kind)][f"not_convoked_{state}"] += 1
    return result


# --- Situations ----------------------------------------------------------------------------


def _jurisdictions(area: Area) -> set[int]:
    rows = _rows("SELECT id, court_of_appeal_id FROM access_jurisdiction")
    if area.kind == "national":
        return {pk for pk, _ in rows}
    if area.kind == "jurisdiction":
        return {area.id} if area.id is not None else set()
    if area.kind == "court_of_appeal":
        return {pk for pk, ca in rows if area.id in (pk, ca)}
    own = _rows("SELECT jurisdiction_id FROM access_service WHERE id = %s", [area.id])
    return {own[0][0]} if own and own[0][0] is not None else set()


def recount_situations(
    area: Area, period: Period, *, now: datetime
) -> tuple[dict[tuple[date, int], dict[str, Any]], dict[int, dict[str, int]]]:
    mine = _jurisdictions(area)
    paris = settings.TIME_ZONE
    today = _local(now, paris)
    flows: dict[tuple[date, int], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    stock: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(day: date | None, policy: int, name: str, n: int = 1) -> None:
        if day is not None and period.start <= day <= period.end:
            flows[(_bucket(day, period.grain), policy)][name] += n

    for jurisdiction, policy, created_at, closed_on, next_review in _rows(
        "SELECT jurisdiction_id, policy_id, created_at, closed_on, next_review_on "
        "FROM situations_situation"
    ):
        if jurisdiction not in mine:
            continue
        add(_local(created_at, paris), policy, "opened")
        add(closed_on, policy, "closed")
        if closed_on is None:
            stock[policy]["open"] += 1
            if next_review < today:
                stock[policy]["overdue"] += 1
            elif next_review <= today + timedelta(days=flows_situations.SOON_DAYS):
                stock[policy]["due_soon"] += 1
    for held_on, jurisdiction, policy in _rows(
        "SELECT r.held_on, s.jurisdiction_id, s.policy_id FROM situations_review r "
        "JOIN situations_situation s ON s.id = r.situation_id"
    ):
        if jurisdiction in mine:
            add(held_on, policy, "reviews")
    names = {"opened": "opened", "closed": "closed", "review": "reviews"}
    for day, jurisdiction, policy, event, n in _rows(
        "SELECT day, jurisdiction_id, policy_id, event, count FROM stats_situationcount"
    ):
        if jurisdiction in mine and period.start <= day <= period.end:
            add(day, policy, names[event], n)
            add(day, policy, "from_deleted", n)
    return flows, stock


# --- Comparison ----------------------------------------------------------------------------


def _compare(
    what: str, counted: dict[Any, Any], recounted: dict[Any, Any], kind: type
) -> list[Gap]:
    gaps = []
    for key in sorted(set(counted) | set(recounted), key=str):
        mine = counted.get(key, kind())
        theirs = kind(**recounted[key]) if key in recounted else kind()
        for f in fields(kind):
            a, b = getattr(mine, f.name), getattr(theirs, f.name)
            if a != b:
                gaps.append(Gap(what, str(key), f.name, a, b))
    return gaps


def verify_flows(area: Area, period: Period, *, now: datetime) -> list[Gap]:
    """The gaps of the three families (empty: exact)."""
    gaps: list[Gap] = []
    transfers = flows_transfers.transfer_tallies(area, period)
    recounted_transfers = recount_transfers(area, period)
    gaps += _compare("transferts", transfers, recounted_transfers, flows_transfers.TransferTally)
    exits = flows_exits.exit_tallies(area, period, now=now)
    recounted_exits = recount_exits(area, period, now=now)
    gaps += _compare("sorties d’audience", exits, recounted_exits, flows_exits.ExitTally)
    situations = flows_situations.situation_tallies(area, period)
    stock = flows_situations.situation_stock(area, today_of(now))
    recounted_flows, recounted_stock = recount_situations(area, period, now=now)
    gaps += _compare("situations", situations, recounted_flows, flows_situations.SituationTally)
    gaps += _compare("situations ouvertes", stock, recounted_stock, flows_situations.SituationStock)
    # Each indicator over the period, from both counts.
    pairs: list[tuple[Any, Any, Any, Any]] = [
        (flows_transfers.INDICATORS, transfers, recounted_transfers,
         flows_transfers.TransferTally),
        (flows_situations.INDICATORS, situations, recounted_flows,
         flows_situations.SituationTally),
    ]  # fmt: skip
    for indicators, mine, theirs, kind in pairs:
        a = FamilyTallies(period, mine, kind, indicators)
        b = FamilyTallies(period, {k: kind(**v) for k, v in theirs.items()}, kind, indicators)
        for code, indicator in indicators.items():
            if indicator.family == flows_situations.STOCK_FAMILY:
                continue
            if a.figure(code) != b.figure(code):
                gaps.append(Gap(code, "période", "valeur", a.figure(code).value,
                                b.figure(code).value))  # fmt: skip
    for kind_name in flows_exits.RULE_KEYS:
        own = {
            c: i for c, i in flows_exits.INDICATORS.items() if c.startswith(f"exit_{kind_name}_")
        }
        a = FamilyTallies(period, {k: v for k, v in exits.items() if k[1] == kind_name},
                          flows_exits.ExitTally, own)  # fmt: skip
        b = FamilyTallies(
            period,
            {
                k: flows_exits.ExitTally(**v)
                for k, v in recounted_exits.items()
                if k[1] == kind_name
            },
            flows_exits.ExitTally,
            own,
        )
        for code in own:
            if a.figure(code) != b.figure(code):
                gaps.append(Gap(code, "période", "valeur", a.figure(code).value,
                                b.figure(code).value))  # fmt: skip
    return gaps
