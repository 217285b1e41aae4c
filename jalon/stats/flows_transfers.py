"""Transfers of follow-up (MSJ-36): requested, accepted, refused, auto-accepted, their delay.

A transfer belongs to the service that requested it, on the local day (its time zone) of the
request; the services asked to give the person up do not count it. Its state is the state
now; its delay is the number of days from the day of the request to the day of the decision
(both local days of the requesting service). Transfers of persons deleted by retention are
added from ``stats.TransferCount``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Sum

from jalon.stats import tables
from jalon.stats.flowkit import (
    AREA_PERIOD_DIMENSIONS,
    DayDiff,
    Delays,
    FamilyTallies,
    count,
    percentile,
    summary,
)
from jalon.stats.indicators import Figure, Indicator
from jalon.stats.models import TransferCount
from jalon.stats.queries import Area, LocalDate, Period, Tally, _bucket
from jalon.transfers.models import Transfer

TransferStatus = Transfer.Status
FAMILY = "transfers"
DECIDED = (TransferStatus.ACCEPTED, TransferStatus.REFUSED, TransferStatus.AUTO_ACCEPTED)


@dataclass(frozen=True)
class TransferTally(Tally):
    pending: int = 0
    accepted: int = 0
    refused: int = 0
    auto_accepted: int = 0
    cancelled: int = 0
    delays: Delays = field(default_factory=Delays)  # accepted, refused or auto-accepted
    from_deleted: int = 0

    @property
    def requested(self) -> int:
        return self.pending + self.accepted + self.refused + self.auto_accepted + self.cancelled


FIELD = {
    TransferStatus.PENDING: "pending",
    TransferStatus.ACCEPTED: "accepted",
    TransferStatus.REFUSED: "refused",
    TransferStatus.AUTO_ACCEPTED: "auto_accepted",
    TransferStatus.CANCELLED: "cancelled",
}


def _tally(status: str, delay: int | None, n: int, *, deleted: bool = False) -> TransferTally:
    decided = status in DECIDED
    return TransferTally(
        **{FIELD[TransferStatus(status)]: n},
        delays=Delays.one(delay, n) if decided else Delays(),
        from_deleted=n if deleted else 0,
    )


def transfer_tallies(area: Area, period: Period) -> dict[tuple[date, str], TransferTally]:
    """Transfers requested by ``area``'s services on a local day of ``period`` (2 queries)."""
    low, high = period.utc_bounds()
    zone = F("requesting_service__time_zone")
    live = (
        Transfer.objects.filter(
            area.services_q("requesting_service"), created_at__gte=low, created_at__lt=high
        )
        .annotate(day=LocalDate(F("created_at"), zone))
        .filter(day__gte=period.start, day__lte=period.end)
        .annotate(
            bucket=_bucket(F("day"), period.grain),
            delay=DayDiff(LocalDate(F("decided_at"), zone), F("day")),
        )
        .order_by()
        .values("bucket", "status", "delay")
        .annotate(n=Count("pk"))
    )
    result: dict[tuple[date, str], TransferTally] = defaultdict(TransferTally)
    for row in live:
        key = (row["bucket"], "")
        result[key] = result[key] + _tally(row["status"], row["delay"], row["n"])
    deleted = (
        TransferCount.objects.filter(area.services_q(), day__gte=period.start, day__lte=period.end)
        .annotate(bucket=_bucket(F("day"), period.grain))
        .order_by()
        .values("bucket", "status", "delay_days")
        .annotate(n=Sum("count"))
    )
    for count_row in deleted:
        key = (count_row["bucket"], "")
        result[key] = result[key] + _tally(
            count_row["status"], count_row["delay_days"], count_row["n"], deleted=True
        )
    return dict(result)


RULE = (
    "Une demande compte pour le service qui la fait, le jour où elle est faite à l’heure de ce "
    "service, avec son état au moment où les données sont lues ; elle ne compte pas pour les "
    "services sollicités qui suivaient la personne. Les demandes concernant des personnes "
    "supprimées après la durée de conservation restent comptées."
)
DELAY_RULE = (
    "Le délai est le nombre de jours entre le jour de la demande et celui de la décision "
    "(acceptation par tous les services sollicités, refus ou acceptation automatique), à "
    "l’heure du service demandeur ; les demandes en attente ou annulées n’y entrent pas."
)


def _t(code: str, name: str, definition: str, unit: str, compute: Any) -> Indicator:
    return Indicator(code, name, definition, unit, FAMILY, AREA_PERIOD_DIMENSIONS, compute)


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        _t(
            "transfers_requested",
            "Transferts demandés",
            "Demandes de transfert de suivi faites par le service dans la période, quel que "
            f"soit leur état : en attente, acceptées, refusées, acceptées automatiquement ou "
            f"annulées. {RULE}",
            "demandes",
            lambda tally: Figure(tally.requested),
        ),
        _t(
            "transfers_accepted",
            "Transferts acceptés",
            "Demandes de la période acceptées par tous les services sollicités, chacun par "
            f"une réponse d’un agent. {RULE}",
            "demandes",
            count("accepted"),
        ),
        _t(
            "transfers_auto_accepted",
            "Transferts acceptés automatiquement",
            "Demandes de la période acceptées sans réponse d’un agent d’au moins un service "
            "sollicité : personne archivée, sans convocation depuis 6 mois dans ces services, "
            f"suivie par aucun service, ou sans réponse dans les 10 jours. {RULE}",
            "demandes",
            count("auto_accepted"),
        ),
        _t(
            "transfers_refused",
            "Transferts refusés",
            f"Demandes de la période refusées par un des services sollicités. {RULE}",
            "demandes",
            count("refused"),
        ),
        _t(
            "transfers_pending",
            "Transferts en attente",
            "Demandes de la période auxquelles un service sollicité n’a pas encore répondu "
            f"au moment où les données sont lues. {RULE}",
            "demandes",
            count("pending"),
        ),
        _t(
            "transfers_cancelled",
            "Transferts annulés",
            f"Demandes de la période annulées par le service demandeur. {RULE}",
            "demandes",
            count("cancelled"),
        ),
        _t(
            "transfers_delay_median",
            "Délai médian de décision d’un transfert",
            "Le plus petit nombre de jours tel qu’au moins la moitié des demandes décidées de "
            f"la période l’ont été dans ce délai ou moins. {DELAY_RULE} {RULE}",
            "jours",
            percentile("delays", 1, 2),
        ),
        _t(
            "transfers_delay_p90",
            "Délai de décision d’un transfert (9 demandes sur 10)",
            "Le plus petit nombre de jours tel qu’au moins 90 % des demandes décidées de la "
            f"période l’ont été dans ce délai ou moins. {DELAY_RULE} {RULE}",
            "jours",
            percentile("delays", 9, 10),
        ),
    ]
}

SUMMARY = list(INDICATORS)
BY_BUCKET = [
    ("transfers_requested", "Demandés", "int"),
    ("transfers_accepted", "Acceptés", "int"),
    ("transfers_auto_accepted", "Acceptés automatiquement", "int"),
    ("transfers_refused", "Refusés", "int"),
    ("transfers_pending", "En attente", "int"),
    ("transfers_cancelled", "Annulés", "int"),
    ("transfers_delay_median", "Délai médian (jours)", "int"),
    ("transfers_delay_p90", "Délai pour 9 sur 10 (jours)", "int"),
]


def counted(area: Area, period: Period) -> FamilyTallies:
    return FamilyTallies(period, transfer_tallies(area, period), TransferTally, INDICATORS)  # type: ignore[arg-type]


def tables_for(
    area: Area, period: Period, previous: Period, *, now: datetime
) -> list[tables.Table]:
    """The transfers summary and the table per bucket (4 queries)."""
    current, before = counted(area, period), counted(area, previous)
    by_code = {code: dict(current.by_bucket(code)) for code, _, _ in BY_BUCKET}
    per_bucket = tables.Table(
        "transferts_par_periode",
        "Transferts demandés par période",
        [tables.Column("Période", "text"), *(tables.Column(lab, k) for _, lab, k in BY_BUCKET)],
    )
    for bucket in period.buckets():
        per_bucket.rows.append(
            [
                tables.bucket_label(bucket, period),
                *(by_code[code][bucket].value for code, _, _ in BY_BUCKET),
            ]
        )
    return [
        summary("transferts", "Transferts de suivi", SUMMARY, INDICATORS, current, before),
        per_bucket,
    ]
