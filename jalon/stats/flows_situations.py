"""SISPoPP situations (SIS-03, SIS-13): open, reviews overdue and due, per policy; and the
situations created, closed and the reviews held in a period.

A situation belongs to its jurisdiction (a TJ, or a court of appeal) and, for a court of
appeal, with those of its TJs; a service's area holds the situations of the service's
jurisdiction. What is open now does not depend on the period ("au moment où les données sont
lues"); what happened in the period counts on its day: ``closed_on`` and ``Review.held_on``
are dates, the creation is the day of ``created_at`` in Paris time (a jurisdiction has no time
zone of its own). Situations deleted by retention (closed for 6 years, decision 0004) leave
their dated facts in ``stats.SituationCount``; open situations are never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, Sum, Value

from jalon.situations.models import Policy, Review, Situation
from jalon.stats import tables
from jalon.stats.flowkit import AREA_PERIOD_DIMENSIONS, FamilyTallies, count, summary, today_of
from jalon.stats.indicators import AREAS, Indicator
from jalon.stats.models import SituationCount
from jalon.stats.queries import Area, LocalDate, Period, Tally, _bucket

FAMILY = "situations"
STOCK_FAMILY = "situation_stock"
SOON_DAYS = 15  # as the situations table highlights a review due soon (reviews.review_state)


def situations_q(area: Area, prefix: str = "") -> Q:
    """The situations (or rows with a ``jurisdiction``) of ``area``."""
    if area.kind == "service":
        return Q(**{f"{prefix}jurisdiction__services": area.id})
    if area.kind == "jurisdiction":
        return Q(**{f"{prefix}jurisdiction_id": area.id})
    if area.kind == "court_of_appeal":
        return Q(**{f"{prefix}jurisdiction__court_of_appeal_id": area.id}) | Q(
            **{f"{prefix}jurisdiction_id": area.id}
        )
    if area.kind == "national":
        return Q()
    raise ValueError(f"unknown area kind {area.kind!r}")


@dataclass(frozen=True)
class SituationTally(Tally):
    opened: int = 0
    closed: int = 0
    reviews: int = 0
    from_deleted: int = 0


@dataclass(frozen=True)
class SituationStock(Tally):
    open: int = 0
    overdue: int = 0  # open, next review before today
    due_soon: int = 0  # open, next review from today to SOON_DAYS days later


def situation_tallies(area: Area, period: Period) -> dict[tuple[date, int], SituationTally]:
    """Created, closed, reviews held in ``period`` per (bucket, policy) (4 queries)."""
    low, high = period.utc_bounds()
    in_period = {"day__gte": period.start, "day__lte": period.end}
    result: dict[tuple[date, int], SituationTally] = defaultdict(SituationTally)

    def add(rows: Any, field: str, key: str = "policy_id", deleted: bool = False) -> None:
        for row in rows:
            k = (row["bucket"], row[key])
            extra = {"from_deleted": row["n"]} if deleted else {}
            result[k] = result[k] + SituationTally(**{field: row["n"]}, **extra)

    def grouped(qs: Any, day: Any, key: str = "policy_id") -> Any:
        return (
            qs.annotate(day=day)
            .filter(**in_period)
            .annotate(bucket=_bucket(F("day"), period.grain))
            .order_by()
            .values("bucket", key)
            .annotate(n=Count("pk"))
        )

    mine = Situation.objects.filter(situations_q(area))
    add(
        grouped(
            mine.filter(created_at__gte=low, created_at__lt=high),
            LocalDate(F("created_at"), Value(settings.TIME_ZONE)),
        ),
        "opened",
    )
    add(grouped(mine.filter(closed_on__isnull=False), F("closed_on")), "closed")
    add(
        grouped(Review.objects.filter(situations_q(area, "situation__")), F("held_on"),
                "situation__policy_id"),
        "reviews", "situation__policy_id",
    )  # fmt: skip
    deleted = (
        SituationCount.objects.filter(situations_q(area), **in_period)
        .annotate(bucket=_bucket(F("day"), period.grain))
        .order_by()
        .values("bucket", "policy_id", "event")
        .annotate(n=Sum("count"))
    )
    for row in deleted:
        k = (row["bucket"], row["policy_id"])
        field = {"opened": "opened", "closed": "closed", "review": "reviews"}[row["event"]]
        result[k] = result[k] + SituationTally(**{field: row["n"], "from_deleted": row["n"]})
    return dict(result)


def situation_stock(area: Area, today: date) -> dict[int, SituationStock]:
    """Open situations of ``area`` now, per policy (1 query)."""
    rows = (
        Situation.objects.open()
        .filter(situations_q(area))
        .order_by()
        .values("policy_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(next_review_on__lt=today)),
            due_soon=Count(
                "pk",
                filter=Q(
                    next_review_on__gte=today,
                    next_review_on__lte=today + timedelta(days=SOON_DAYS),
                ),
            ),
        )
    )
    return {
        row["policy_id"]: SituationStock(row["open"], row["overdue"], row["due_soon"])
        for row in rows
    }


# --- Indicators --------------------------------------------------------------------------------

AREA_RULE = (
    "Une situation compte pour sa juridiction (tribunal judiciaire ou cour d’appel) et pour "
    "la cour d’appel dont relève le tribunal."
)
NOW_RULE = (
    f"Au moment où les données sont lues ; ce chiffre ne dépend pas de la période. {AREA_RULE}"
)
DELETED = "Les situations supprimées six ans après leur clôture restent comptées."


def _s(code: str, name: str, definition: str, compute: Any, *, stock: bool = False) -> Indicator:
    if stock:
        return Indicator(code, name, definition, "situations", STOCK_FAMILY,
                         (*AREAS, "policy"), compute)  # fmt: skip
    unit = "revues" if code == "situations_reviews_held" else "situations"
    return Indicator(code, name, definition, unit, FAMILY, (*AREA_PERIOD_DIMENSIONS, "policy"),
                     compute)  # fmt: skip


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in [
        _s(
            "situations_open",
            "Situations ouvertes",
            f"Situations suivies qui ne sont pas clôturées. {NOW_RULE}",
            count("open"),
            stock=True,
        ),
        _s(
            "situations_reviews_overdue",
            "Situations en retard de revue",
            "Situations ouvertes dont la date de prochaine revue est passée (avant "
            f"aujourd’hui, heure de Paris). {NOW_RULE}",
            count("overdue"),
            stock=True,
        ),
        _s(
            "situations_reviews_due",
            "Situations à revoir sous 15 jours",
            "Situations ouvertes dont la prochaine revue tombe entre aujourd’hui et dans 15 "
            f"jours inclus (heure de Paris), comme le signale le tableau de suivi. {NOW_RULE}",
            count("due_soon"),
            stock=True,
        ),
        _s(
            "situations_opened",
            "Situations créées",
            "Situations créées dans la période, le jour de leur création à l’heure de Paris, "
            f"qu’elles soient encore ouvertes ou non. {AREA_RULE} {DELETED}",
            count("opened"),
        ),
        _s(
            "situations_closed",
            "Situations clôturées",
            "Situations dont la date de clôture tombe dans la période (une situation rouverte "
            f"puis clôturée à nouveau compte à sa dernière clôture). {AREA_RULE} {DELETED}",
            count("closed"),
        ),
        _s(
            "situations_reviews_held",
            "Revues tenues",
            f"Revues de situation dont la date tombe dans la période. {AREA_RULE} {DELETED}",
            count("reviews"),
        ),
    ]
}
STOCK_CODES = [code for code, i in INDICATORS.items() if i.family == STOCK_FAMILY]
FLOW_CODES = [code for code, i in INDICATORS.items() if i.family == FAMILY]


@dataclass(frozen=True)
class Counted:
    """The situations' flows of a period and the stock of now, with ``figure(code)``."""

    flows: FamilyTallies
    stock: dict[int, SituationStock]

    def figure(self, code: str) -> Any:
        if code in STOCK_CODES:
            return INDICATORS[code].compute(SituationStock.total(self.stock.values()))
        return self.flows.figure(code)

    def by_policy(self, code: str) -> dict[int, Any]:
        if code in STOCK_CODES:
            return {pk: INDICATORS[code].compute(s) for pk, s in self.stock.items()}
        return self.flows.by_second_key(code)


def counted(area: Area, period: Period, *, now: datetime, stock: bool = True) -> Counted:
    flows = FamilyTallies(period, situation_tallies(area, period), SituationTally,  # type: ignore[arg-type]
                          INDICATORS)  # fmt: skip
    return Counted(flows, situation_stock(area, today_of(now)) if stock else {})


def tables_for(
    area: Area, period: Period, previous: Period, *, now: datetime
) -> list[tables.Table]:
    """The situations summary and the table per policy (10 queries)."""
    current = counted(area, period, now=now)
    before = counted(area, previous, now=now, stock=False)

    labels = dict(Policy.objects.values_list("pk", "label"))
    codes = [*STOCK_CODES, *FLOW_CODES]
    per_policy = tables.Table(
        "situations_par_politique",
        "Situations par politique pénale",
        [tables.Column("Politique pénale", "text"),
         *(tables.Column(INDICATORS[code].name) for code in codes)],
    )  # fmt: skip
    series = {code: current.by_policy(code) for code in codes}
    present = sorted({pk for s in series.values() for pk in s}, key=lambda pk: labels.get(pk, ""))
    for pk in present:
        per_policy.rows.append(
            [labels.get(pk, "?"), *(_value(series[code].get(pk)) for code in codes)]
        )
    summary_table = summary("situations", "Situations (SISPoPP)", codes, INDICATORS, current, None)
    for row, code in zip(summary_table.rows, codes, strict=True):
        if code in FLOW_CODES:
            figure = before.figure(code)
            row[2] = tables.figure_text(figure, INDICATORS[code])
            row[3] = tables.change_text(current.figure(code), figure)
    return [summary_table, per_policy]


def _value(figure: Any) -> Any:
    return 0 if figure is None else figure.value
