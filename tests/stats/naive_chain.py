"""A seeded penal chain built with factories, and its indicators recounted naively in Python.

``build_world`` writes procedures, orientations (some replaced the same day, some later, some
for an unknown author), judgments with their verdicts, appeal decisions and executions taken
in hand around midnight in Paris (and across the March clock change), and keeps a plain list
of what it wrote. ``expected`` recounts every penal-chain indicator from those lists only,
never calling the implementation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from jalon.cases.models import ChargeDecision, Execution, Judgment, Orientation
from tests.factories import ChargeFactory, PartyFactory, ProcedureFactory

PARIS = ZoneInfo("Europe/Paris")
TRIAL = {"crpc", "penal_order", "copj", "cppv", "immediate", "direct_summons", "police_summons"}
KINDS = [
    "dismissal", "dismissal", "alternative", "composition", "crpc", "penal_order", "copj",
    "cppv", "immediate", "investigation", "direct_summons", "police_summons",
]  # fmt: skip
REASONS = ["no_offence", "insufficient", "unknown_author", "time_barred", "withdrawn",
           "inappropriate", "repaired"]  # fmt: skip
LEGAL = {"no_offence", "insufficient", "unknown_author", "not_responsible", "time_barred"}
EDGES = [dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 31), dt.date(2027, 2, 1),
         dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2027, 3, 27)]  # fmt: skip
MODES = ["contradictoire", "contradictoire", "par_defaut", "contradictoire_a_signifier", ""]


@dataclass
class BuiltOrientation:
    tj: int
    procedure: int
    party: int | None
    kind: str
    reason: str
    decided_on: dt.date
    superseded_on: dt.date | None = None


@dataclass
class BuiltJudgment:
    tj: int
    procedure: int
    party: int
    received_on: dt.date
    delivered_on: dt.date
    mode: str
    appeal: bool
    verdicts: list[str]


@dataclass
class BuiltExecution:
    tj: int
    delivered_on: dt.date
    executable_on: dt.date | None
    taken_at: dt.datetime | None


@dataclass
class World:
    court_of_appeal: dict[int, int]  # TJ → its court of appeal
    procedures: list[tuple[int, dt.date, str]] = field(default_factory=list)  # tj, day, origin
    orientations: list[BuiltOrientation] = field(default_factory=list)
    judgments: list[BuiltJudgment] = field(default_factory=list)
    executions: list[BuiltExecution] = field(default_factory=list)

    def in_area(self, tj: int, kind: str, pk: int | None) -> bool:
        return (
            kind == "national"
            or (kind == "jurisdiction" and tj == pk)
            or (kind == "court_of_appeal" and self.court_of_appeal[tj] == pk)
        )


def _day(rng: random.Random) -> dt.date:
    if rng.random() < 0.5:
        return rng.choice(EDGES)
    return dt.date(2026, 12, 1) + dt.timedelta(days=rng.randrange(120))


def _orient(world: World, rng: random.Random, procedure, party, tj: int) -> BuiltOrientation:
    kind = rng.choice(KINDS)
    reason = rng.choice(REASONS) if kind == "dismissal" else ""
    decided_on = procedure.received_on + dt.timedelta(days=rng.choice([0, 0, 1, 4, 12, 33]))
    row = Orientation.objects.create(
        procedure=procedure, party=party, kind=kind, reason=reason, decided_on=decided_on,
        alternative_kind="course" if kind == "alternative" else "",
    )  # fmt: skip
    built = BuiltOrientation(tj, procedure.pk, party.pk if party else None, kind, reason,
                             decided_on)  # fmt: skip
    if rng.random() < 0.25:  # replaced: the same day (a correction) or later
        later = decided_on + dt.timedelta(days=rng.choice([0, 6]))
        row.superseded_on = built.superseded_on = later
        row.save(update_fields=["superseded_on"])
        world.orientations.append(built)
        kind = rng.choice(KINDS)
        reason = rng.choice(REASONS) if kind == "dismissal" else ""
        Orientation.objects.create(
            procedure=procedure, party=party, kind=kind, reason=reason, decided_on=later,
            alternative_kind="course" if kind == "alternative" else "",
        )  # fmt: skip
        built = BuiltOrientation(tj, procedure.pk, party.pk if party else None, kind, reason,
                                 later)  # fmt: skip
    world.orientations.append(built)
    return built


def _judge(world, rng, procedure, party, charge, tj: int, on: dt.date, replaces=None):
    mode = rng.choice(MODES)
    judgment = Judgment.objects.create(
        procedure=procedure, party=party, delivered_on=on, delivery_mode=mode, replaces=replaces
    )
    verdicts = rng.choice([["guilty"], ["relaxe"], [], ["guilty"], ["guilty", "relaxe"]])
    for i, verdict in enumerate(verdicts):
        target = charge if i == 0 else ChargeFactory(procedure=procedure, party=party)
        ChargeDecision.objects.create(judgment=judgment, charge=target, verdict=verdict)
    world.judgments.append(BuiltJudgment(tj, procedure.pk, party.pk, procedure.received_on, on,
                                         mode, replaces is not None, verdicts))  # fmt: skip
    return judgment


def _execute(world, rng, judgment, tj: int) -> None:
    executable_on = None
    taken_at = None
    if rng.random() < 0.85:
        executable_on = judgment.delivered_on + dt.timedelta(days=rng.choice([0, 11, 20]))
        if rng.random() < 0.7:
            day = rng.choice([executable_on + dt.timedelta(days=rng.choice([0, 2, 9])),
                              dt.date(2027, 3, 27), dt.date(2027, 1, 31)])  # fmt: skip
            day = max(day, executable_on)
            hour, minute = rng.choice([(22, 30), (23, 30), (8, 0), (21, 45)])
            taken_at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)
    Execution.objects.create(
        judgment=judgment, tribunal_id=tj, executable_on=executable_on, taken_at=taken_at
    )
    world.executions.append(BuiltExecution(tj, judgment.delivered_on, executable_on, taken_at))


def build_world(rng: random.Random, tribunals: list, n: int = 90) -> World:
    world = World({tj.pk: tj.court_of_appeal_id for tj in tribunals})
    for _ in range(n):
        tribunal = rng.choice(tribunals)
        origin = rng.choice(["police", "gendarmerie", "complaint", "other"])
        procedure = ProcedureFactory(tribunal=tribunal, received_on=_day(rng), origin=origin)
        world.procedures.append((tribunal.pk, procedure.received_on, origin))
        if rng.random() < 0.15:  # unknown author: a classement for the procedure
            Orientation.objects.create(
                procedure=procedure, kind="dismissal", reason="unknown_author",
                decided_on=procedure.received_on,
            )  # fmt: skip
            world.orientations.append(BuiltOrientation(
                tribunal.pk, procedure.pk, None, "dismissal", "unknown_author",
                procedure.received_on))  # fmt: skip
            continue
        for _ in range(rng.choice([0, 1, 1, 2])):
            party = PartyFactory(procedure=procedure)
            charge = ChargeFactory(procedure=procedure, party=party)
            orientation = _orient(world, rng, procedure, party, tribunal.pk)
            if orientation.kind not in TRIAL or rng.random() < 0.25:
                continue
            on = orientation.decided_on + dt.timedelta(days=rng.choice([0, 3, 21, 40]))
            first = _judge(world, rng, procedure, party, charge, tribunal.pk, on)
            executed = first
            if rng.random() < 0.3:
                if rng.random() < 0.5:  # provisionally executed before the appeal
                    _execute(world, rng, first, tribunal.pk)
                executed = _judge(world, rng, procedure, party, charge, tribunal.pk,
                                  on + dt.timedelta(days=rng.choice([9, 30])), replaces=first)  # fmt: skip
            _execute(world, rng, executed, tribunal.pk)
    return world


# --- The naive recount -------------------------------------------------------------------------


def bucket_of(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def rank_value(values: list[int], numerator: int, denominator: int) -> int | None:
    """The value of rank ⌈n × p⌉ (1-based) among the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) * numerator + denominator - 1) // denominator
    return ordered[rank - 1]


def expected(world: World, kind: str, pk: int | None, start: dt.date, end: dt.date,
             second: str | None = None) -> dict:  # fmt: skip
    """Every penal-chain indicator of the area over [start, end]: a count, a (numerator,
    denominator) for a rate, a (value, count, pending) for a delay. ``second`` restricts to
    one origin, orientation kind or delivery mode (``None``: all)."""
    inside = lambda tj, day: world.in_area(tj, kind, pk) and start <= day <= end  # noqa: E731
    procedures = [p for p in world.procedures if inside(p[0], p[1])
                  and second in (None, p[2])]  # fmt: skip
    orientations = [
        o for o in world.orientations
        if inside(o.tj, o.decided_on) and second in (None, o.kind)
        and (o.superseded_on is None or o.superseded_on > o.decided_on)
    ]  # fmt: skip
    dismissed = [o for o in orientations if o.kind == "dismissal"]
    legal = [o for o in dismissed if o.reason in LEGAL]
    judgments = [j for j in world.judgments if inside(j.tj, j.delivered_on)
                 and second in (None, j.mode)]  # fmt: skip
    first = [j for j in judgments if not j.appeal]
    delays = [(j.delivered_on - j.received_on).days for j in first]
    executed = [
        (e.taken_at.astimezone(PARIS).date() - e.delivered_on).days
        for e in world.executions
        if e.taken_at is not None and inside(e.tj, e.taken_at.astimezone(PARIS).date())
    ]
    judged = {(j.procedure, j.party) for j in world.judgments
              if not j.appeal and j.delivered_on <= end}  # fmt: skip
    awaiting_judgment = sum(
        1 for o in world.orientations
        if world.in_area(o.tj, kind, pk) and o.party is not None and o.kind in TRIAL
        and o.decided_on <= end and (o.superseded_on is None or o.superseded_on > end)
        and (o.procedure, o.party) not in judged
    )  # fmt: skip
    awaiting_execution = sum(
        1 for e in world.executions
        if world.in_area(e.tj, kind, pk) and e.executable_on is not None
        and e.executable_on <= end
        and (e.taken_at is None or e.taken_at.astimezone(PARIS).date() > end)
    )  # fmt: skip
    prosecutable = len(orientations) - len(legal)
    responded = sum(o.kind != "dismissal" for o in orientations)
    return {
        "chain_registered": len(procedures),
        "chain_oriented": len(orientations),
        "chain_dismissal_rate": (len(dismissed), len(orientations)),
        "chain_prosecutable_rate": (prosecutable, len(orientations)),
        "chain_penal_response_rate": (responded, prosecutable),
        "chain_judgments": len(first),
        "chain_judgments_guilty": sum("guilty" in j.verdicts for j in first),
        "chain_judgments_acquitted": sum(
            bool(j.verdicts) and "guilty" not in j.verdicts for j in first
        ),
        "chain_judgments_without_verdict": sum(not j.verdicts for j in first),
        "chain_appeal_decisions": sum(j.appeal for j in judgments),
        "chain_delay_to_judgment_median": (
            rank_value(delays, 1, 2),
            len(delays),
            awaiting_judgment,
        ),
        "chain_delay_to_judgment_p90": (
            rank_value(delays, 9, 10),
            len(delays),
            awaiting_judgment,
        ),
        "chain_delay_to_execution_median": (
            rank_value(executed, 1, 2),
            len(executed),
            awaiting_execution,
        ),
        "chain_delay_to_execution_p90": (
            rank_value(executed, 9, 10),
            len(executed),
            awaiting_execution,
        ),
    }


def buckets(start: dt.date, end: dt.date, grain: str) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(bucket, first day inside the period, last day inside) for each bucket of the period."""
    spans: dict[dt.date, list[dt.date]] = defaultdict(list)
    day = start
    while day <= end:
        spans[bucket_of(day, grain)].append(day)
        day += dt.timedelta(days=1)
    return [(bucket, days[0], days[-1]) for bucket, days in spans.items()]
