"""Sortie d'audience (art. 474 CPP): persons convoked within the legal delays, and the delays.

A *sortie d'audience convocation* is a convocation booked from a judgment
(``Appointment.judgment``) before a SPIP (or one of its antennas: the SPIP delay) or a SAP
(the JAP delay). For one judgment and one kind (SPIP or JAP), only the first convocation
not cancelled counts (the earliest start): the date the person was actually given; a
convocation moved to another date counts as cancelled, so the new date is the one counted.

- The day: the day the judgment was delivered (``Judgment.delivered_on``, a date, no zone).
- The delay: days from that day to the local day of the convocation (receiving service's
  zone).
- The legal delay: the ``LegalRule`` valid on the judgment's day (``delay.spip_after_judgment
  .days``, ``delay.jap_after_judgment.days``): a rule changed on a date applies to judgments
  from that date; nothing is written in code.
- The area: a convocation belongs to the service that receives the person (SPIP, SAP) and to
  the service that booked it (BEX, greffe correctionnel), once for a jurisdiction holding both.

A judgment whose execution holds an art. 474 deadline of a kind (``Execution.spip_by``,
``jap_by``: the person must be convoked) and that has no counted convocation of that kind is
*not convoked*: its deadline passed before the reading day (Paris) or is still running. The
share within the legal delay divides by the convoked and the not convoked whose deadline
passed; the running ones are shown beside it. Such a judgment belongs to the tribunal that
executes it (``Execution.tribunal``), its court of appeal, and the services of that tribunal
that book sortie d'audience convocations (BEX, greffe correctionnel); a SPIP or a SAP cannot
know it was the one to receive the person: none for them.

Convocations of persons deleted by retention are added from ``stats.ExitConvocationCount``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from jalon.access.models import Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment
from jalon.cases.models import Judgment, LegalRule
from jalon.core.expressions import among_ids
from jalon.stats import tables
from jalon.stats.flowkit import (
    AREA_PERIOD_DIMENSIONS,
    DayDiff,
    Delays,
    FamilyTallies,
    count,
    percentile,
    rate,
    summary,
    today_of,
)
from jalon.stats.indicators import Figure, Indicator
from jalon.stats.models import ExitConvocationCount
from jalon.stats.queries import Area, LocalDate, Period, Tally, _bucket

FAMILY = "exit_convocations"
SPIP_KINDS = [ServiceKind.SPIP, ServiceKind.SPIP_ANTENNA]
RECEIVING_KINDS = [*SPIP_KINDS, ServiceKind.SAP]
RULE_KEYS = {"spip": "delay.spip_after_judgment.days", "jap": "delay.jap_after_judgment.days"}
# The receiving services of each kind, and the services that book the convocations.
KIND_SERVICES = {"spip": SPIP_KINDS, "jap": [ServiceKind.SAP]}
BOOKING_KINDS = [ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY]
# The services the figures are shown to (the service dashboard): who books, who receives.
SERVICE_KINDS = frozenset(
    {*RECEIVING_KINDS, ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY}
)  # fmt: skip


@dataclass(frozen=True)
class ExitTally(Tally):
    convoked: int = 0
    within: int = 0  # on or before the last day of the legal delay
    without_rule: int = 0  # no legal rule valid on the judgment's day (counted, not within)
    delays: Delays = field(default_factory=Delays)
    from_deleted: int = 0
    # Deadline set, no counted convocation of the kind: the deadline passed before the
    # reading day (in the share's denominator), or not yet (shown beside the share).
    not_convoked_over: int = 0
    not_convoked_running: int = 0


def _tally(delay: int, limit: int | None, n: int, *, deleted: bool = False) -> ExitTally:
    return ExitTally(
        convoked=n,
        within=n if limit is not None and delay <= limit else 0,
        without_rule=n if limit is None else 0,
        delays=Delays.one(delay, n),
        from_deleted=n if deleted else 0,
    )


def _kind(prefix: str = "") -> Case:
    return Case(
        When(**{f"{prefix}service__kind__in": SPIP_KINDS}, then=Value("spip")),
        default=Value("jap"),
        output_field=CharField(),
    )


def _rule_days(key: str) -> Subquery:
    """The days of rule ``key`` valid on the judgment's day (a correlated subquery)."""
    day = OuterRef("judgment__delivered_on")
    return Subquery(
        LegalRule.objects.filter(key=key, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("valid_from")
        .annotate(days=Cast("value", IntegerField()))
        .values("days")[:1]
    )


def exit_convocations() -> Any:
    """The counted convocations: from a judgment, to a SPIP or a SAP, not cancelled, the
    first of their judgment and kind; annotated with ``kind``, ``delay`` and ``limit``."""
    Status = Appointment.Status
    earlier = (
        Appointment.objects.filter(
            judgment_id=OuterRef("judgment_id"),
            service__kind__in=RECEIVING_KINDS,
        )
        .exclude(status=Status.CANCELLED)
        .annotate(k=_kind())
        .filter(k=OuterRef("kind"))
        .filter(
            Q(starts_at__lt=OuterRef("starts_at"))
            | Q(starts_at=OuterRef("starts_at"), pk__lt=OuterRef("pk"))
        )
    )
    return (
        Appointment.objects.filter(
            judgment__isnull=False,
            judgment__delivered_on__isnull=False,
            service__kind__in=RECEIVING_KINDS,
        )
        .exclude(status=Status.CANCELLED)
        .annotate(kind=_kind())
        .filter(~Exists(earlier))
        .annotate(
            delay=DayDiff(
                LocalDate(F("starts_at"), F("service__time_zone")), F("judgment__delivered_on")
            ),
            limit=Case(
                When(kind="spip", then=_rule_days(RULE_KEYS["spip"])),
                default=_rule_days(RULE_KEYS["jap"]),
                output_field=IntegerField(),
            ),
        )
    )


def area_q(area: Area) -> Q:
    """Received or booked by the area's services."""
    if area.kind == "national":
        return Q()
    return area.services_q("service") | area.services_q("created_by_service")


def deadline_area_q(area: Area) -> Q:
    """Judgments whose execution belongs to ``area``: the tribunal that executes (the
    first-instance TJ of the procedure, ``Execution.tribunal``, which the judgment carries as
    ``tribunal``: ``cases.copies``, indexed with the day), its court of appeal, its BEX and
    greffe correctionnel (never a SPIP or a SAP: which one should have received the person is
    not known)."""
    if area.kind == "national":
        return Q()
    if area.kind == "jurisdiction":
        return Q(tribunal_id=area.id)
    if area.kind == "court_of_appeal":
        return Q(tribunal__court_of_appeal_id=area.id) | Q(tribunal_id=area.id)
    if area.kind == "service":
        booking = Service.objects.filter(pk=area.id or 0, kind__in=BOOKING_KINDS)
        return Q(tribunal_id__in=booking.values("jurisdiction_id"))
    raise ValueError(f"unknown area kind {area.kind!r}")


def _not_convoked_of(kind: str, area: Area, period: Period, today: date) -> Any:
    """Judgments of ``period`` with a deadline of ``kind`` and no counted convocation of that
    kind (a ``NOT EXISTS`` probing ``Appointment.judgment_id``), per bucket and whether the
    deadline passed before ``today``."""
    deadline = f"execution__{kind}_by"
    convoked = Appointment.objects.filter(
        judgment_id=OuterRef("pk"), service__kind__in=KIND_SERVICES[kind]
    ).exclude(status=Appointment.Status.CANCELLED)
    return (
        Judgment.objects.filter(
            deadline_area_q(area),
            delivered_on__gte=period.start,
            delivered_on__lte=period.end,
            **{f"{deadline}__isnull": False},
        )
        .filter(~Exists(convoked))
        .annotate(
            bucket=_bucket(F("delivered_on"), period.grain),
            kind=Value(kind, output_field=CharField()),
            over=Case(
                When(**{f"{deadline}__lt": today}, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by()
        .values("bucket", "kind", "over")
        .annotate(n=Count("pk"))
    )


def not_convoked(area: Area, period: Period, today: date) -> Any:
    """The judgments not convoked of each kind, per (bucket, kind, deadline passed): the two
    kinds' anti-joins in one ``UNION ALL`` (1 query)."""
    spip, jap = (_not_convoked_of(kind, area, period, today) for kind in RULE_KEYS)
    return spip.union(jap, all=True)


def exit_tallies(area: Area, period: Period, *, now: datetime) -> dict[tuple[date, str], ExitTally]:
    """Sortie d'audience convocations of judgments delivered in ``period``, and the judgments
    not convoked, their deadline compared with the reading day of ``now`` (3 queries)."""
    in_period = {"delivered_on__gte": period.start, "delivered_on__lte": period.end}
    live = (
        exit_convocations()
        .filter(
            area_q(area),
            # The period's judgments first, as an array computed once: the convocations are
            # then probed by index from them, rather than every sortie d'audience convocation
            # ever booked read and joined (the planner's choice for ``IN (SELECT …)``).
            among_ids("judgment_id", Judgment.objects.filter(**in_period).values("id")),
            judgment__delivered_on__gte=period.start,
            judgment__delivered_on__lte=period.end,
        )
        .annotate(bucket=_bucket(F("judgment__delivered_on"), period.grain))
        .order_by()
        .values("bucket", "kind", "delay", "limit")
        .annotate(n=Count("pk"))
    )
    result: dict[tuple[date, str], ExitTally] = defaultdict(ExitTally)
    for row in live:
        key = (row["bucket"], row["kind"])
        result[key] = result[key] + _tally(row["delay"], row["limit"], row["n"])
    deleted_q = Q() if area.kind == "national" else area.services_q() | area.services_q("booked_by")
    deleted = (
        ExitConvocationCount.objects.filter(deleted_q, day__gte=period.start, day__lte=period.end)
        .annotate(bucket=_bucket(F("day"), period.grain))
        .order_by()
        .values("bucket", "kind", "delay_days", "limit_days")
        .annotate(n=Sum("count"))
    )
    for row in deleted:
        key = (row["bucket"], row["kind"])
        result[key] = result[key] + _tally(
            row["delay_days"], row["limit_days"], row["n"], deleted=True
        )
    for row in not_convoked(area, period, today_of(now)):
        key = (row["bucket"], row["kind"])
        state = "not_convoked_over" if row["over"] else "not_convoked_running"
        result[key] = result[key] + ExitTally(**{state: row["n"]})
    return dict(result)


# --- Indicators --------------------------------------------------------------------------------

RULE = (
    "Une convocation de sortie d’audience est une convocation fixée à partir d’un jugement ; "
    "pour un jugement, seule compte la première convocation non annulée devant le SPIP (ou "
    "une de ses antennes), et la première devant le SAP (une convocation déplacée compte "
    "comme annulée, la nouvelle date est retenue). Elle compte pour le jour du jugement, pour "
    "le service qui reçoit la personne et pour celui qui l’a convoquée (BEX, greffe), une "
    "seule fois pour une juridiction. Le délai est le nombre de jours entre le jugement et la "
    "convocation (à l’heure du service qui reçoit). Les convocations des personnes "
    "supprimées après la durée de conservation restent comptées."
)
LEGAL = (
    "Le délai légal est celui de la règle de droit valable le jour du jugement (article 474 "
    "du code de procédure pénale : {what}) ; une convocation le dernier jour du délai est "
    "dans le délai."
)
SPIP_LEGAL = LEGAL.format(what="convocation au SPIP")
JAP_LEGAL = LEGAL.format(what="convocation devant le juge de l’application des peines")


NOT_CONVOKED_AREA = (
    "Une personne à convoquer non convoquée compte pour le jour du jugement, pour le tribunal "
    "judiciaire qui exécute le jugement, son BEX, son greffe correctionnel et sa cour "
    "d’appel ; elle ne compte pas pour un SPIP ou un SAP, qui ne peut savoir s’il devait "
    "recevoir la personne."
)
RUNNING = "personnes à convoquer non convoquées dont le délai légal court encore (hors du calcul)"
WITHOUT_RULE = "convocations sans règle de droit valable le jour du jugement"


def _share(tally: ExitTally) -> Any:
    """Within the delay, over the convoked and the not convoked whose deadline passed; the
    not convoked whose delay runs (and the convocations without a rule) shown beside."""
    shown = [
        (n, label)
        for n, label in ((tally.not_convoked_running, RUNNING), (tally.without_rule, WITHOUT_RULE))
        if n
    ]
    aside, label = shown[0] if shown else (None, "")
    label += "".join(f" ; {tables.format_cell(n, 'int')} {more}" for n, more in shown[1:])
    return rate(
        tally.within,
        tally.convoked + tally.not_convoked_over,
        aside=aside,
        aside_label=label,
    )


def _not_convoked(tally: ExitTally) -> Figure:
    return Figure(tally.not_convoked_over + tally.not_convoked_running)


def _e(code: str, name: str, definition: str, unit: str, compute: Any) -> Indicator:
    return Indicator(code, name, definition, unit, FAMILY, AREA_PERIOD_DIMENSIONS, compute)


def _family(kind: str, label: str, legal: str) -> list[Indicator]:
    receiver = "devant le SPIP (ou une de ses antennes)" if kind == "spip" else "devant le SAP"
    return [
        _e(
            f"exit_{kind}_convoked",
            f"Personnes convoquées {label} en sortie d’audience",
            f"Jugements de la période ayant donné lieu à une convocation {label} fixée à "
            f"partir du jugement. {RULE}",
            "personnes",
            count("convoked"),
        ),
        _e(
            f"exit_{kind}_not_convoked",
            f"Personnes à convoquer {label} non convoquées",
            f"Jugements de la période pour lesquels une convocation {label} devait être remise "
            f"à la sortie de l’audience (date limite de convocation fixée à l’enregistrement "
            f"du jugement, article 474 du code de procédure pénale) et qui n’ont donné lieu à "
            f"aucune convocation non annulée {receiver} fixée à partir du jugement, que le "
            f"délai légal soit dépassé ou coure encore le jour où les données sont lues (à "
            f"l’heure de Paris ; le dernier jour du délai, il court encore). N’y entrent "
            f"pas les jugements sans date limite (personne absente à l’audience, peine "
            f"n’exigeant pas de convocation) ni ceux qui ont une convocation {label}, même "
            f"hors délai. {NOT_CONVOKED_AREA}",
            "personnes",
            _not_convoked,
        ),
        _e(
            f"exit_{kind}_within",
            f"Part des personnes convoquées {label} dans le délai légal",
            f"Convocations de sortie d’audience {label} dont la date est au plus tard le "
            f"dernier jour du délai légal, divisées par le total des convocations de sortie "
            f"d’audience {label} de la période et des personnes à convoquer {label} non "
            f"convoquées dont le délai légal est dépassé (son dernier jour est antérieur au jour "
            f"où les données sont lues, à l’heure de Paris). Les personnes à convoquer non "
            f"convoquées dont le délai court encore n’entrent pas dans le calcul : leur nombre "
            f"est donné à côté. Intervalle de confiance à 95 % (Wilson). {legal} {RULE} "
            f"{NOT_CONVOKED_AREA}",
            "%",
            _share,
        ),
        _e(
            f"exit_{kind}_delay_median",
            f"Délai médian de convocation {label}",
            "Le plus petit nombre de jours tel qu’au moins la moitié des personnes convoquées "
            f"{label} en sortie d’audience dans la période l’ont été pour une date dans ce "
            f"délai ou moins après le jugement. {RULE}",
            "jours",
            percentile("delays", 1, 2),
        ),
        _e(
            f"exit_{kind}_delay_p90",
            f"Délai de convocation {label} (9 personnes sur 10)",
            "Le plus petit nombre de jours tel qu’au moins 90 % des personnes convoquées "
            f"{label} en sortie d’audience dans la période l’ont été pour une date dans ce "
            f"délai ou moins après le jugement. {RULE}",
            "jours",
            percentile("delays", 9, 10),
        ),
    ]


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        *_family("spip", "au SPIP", SPIP_LEGAL),
        *_family("jap", "devant le JAP", JAP_LEGAL),
    ]
}


def counted(area: Area, period: Period, *, now: datetime) -> dict[str, FamilyTallies]:
    """The tallies of each kind (``spip``, ``jap``) apart: an indicator reads its own kind."""
    rows = exit_tallies(area, period, now=now)
    return {
        kind: FamilyTallies(
            period,
            {key: tally for key, tally in rows.items() if key[1] == kind},
            ExitTally,
            {code: ind for code, ind in INDICATORS.items() if code.startswith(f"exit_{kind}_")},
        )
        for kind in RULE_KEYS
    }


class _ByKind:
    """``figure(code)`` read from the tallies of the code's kind."""

    def __init__(self, by_kind: dict[str, FamilyTallies]) -> None:
        self.by_kind = by_kind

    def figure(self, code: str) -> Any:
        return self.by_kind[code.split("_")[1]].figure(code)


BY_BUCKET = [
    ("convoked", "Convoquées", "int"),
    ("not_convoked", "À convoquer non convoquées", "int"),
    ("within", "Dans le délai", "percent"),
    ("delay_median", "Délai médian (jours)", "int"),
    ("delay_p90", "Délai pour 9 sur 10 (jours)", "int"),
]


def tables_for(
    area: Area, period: Period, previous: Period, *, now: datetime
) -> list[tables.Table]:
    """The sortie d'audience summary and the table per bucket (6 queries)."""
    current, before = counted(area, period, now=now), counted(area, previous, now=now)
    columns = [tables.Column("Période", "text")]
    series: list[tuple[str, dict[date, Any]]] = []
    for kind, label in (("spip", "SPIP"), ("jap", "JAP")):
        for suffix, column, cell in BY_BUCKET:
            code = f"exit_{kind}_{suffix}"
            columns.append(tables.Column(f"{label} : {column}", cell))
            series.append((code, dict(current[kind].by_bucket(code))))
    per_bucket = tables.Table(
        "sorties_audience_par_periode", "Convocations de sortie d’audience par période", columns
    )
    for bucket in period.buckets():
        per_bucket.rows.append(
            [tables.bucket_label(bucket, period), *(by[bucket].value for _, by in series)]
        )
    return [
        summary(
            "sorties_audience",
            "Sorties d’audience (article 474 du code de procédure pénale)",
            list(INDICATORS),
            INDICATORS,
            _ByKind(current),
            _ByKind(before),
        ),
        per_bucket,
    ]
