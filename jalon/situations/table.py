"""The tracking table (SIS-02, SIS-09) and the steering counts (SIS-13): named reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from jalon.core import csvsafe
from jalon.situations.models import Situation, SituationQuerySet

CSV_HEADER = [
    "Numéro",
    "Juridiction",
    "Appel",
    "Politique",
    "Mis en cause",
    "Date de naissance",
    "Procédure JAF",
    "Cabinet JE",
    "Cabinet JAP",
    "Cabinet JI",
    "Prochaine revue",
    "En retard",
    "Clôturée le",
]


def apply_filters(
    situations: SituationQuerySet, filters: dict[str, Any], today: date
) -> SituationQuerySet:
    """Filters of the table; ``filters`` is the cleaned data of ``TableFilterForm``.

    Open situations unless the state filter asks for the closed ones or for all.
    """
    state = filters.get("etat") or "ouvertes"
    if state == "ouvertes":
        situations = situations.open()
    elif state == "cloturees":
        situations = situations.filter(closed_on__isnull=False)
    if filters.get("politique"):
        situations = situations.filter(policy=filters["politique"])
    cabinet = filters.get("cabinet")
    if cabinet:
        situations = situations.filter(
            Q(cabinet_je=cabinet) | Q(cabinet_jap=cabinet) | Q(cabinet_ji=cabinet)
        )
    if filters.get("instance"):
        situations = situations.filter(instances=filters["instance"])
    due = filters.get("echeance")
    if due == "retard":
        situations = situations.overdue(today)
    elif due == "15j":
        situations = situations.due_within(today, 15)
    elif due == "30j":
        situations = situations.due_within(today, 30)
    if filters.get("appel") == "oui":
        situations = situations.filter(appeal=True)
    elif filters.get("appel") == "non":
        situations = situations.filter(appeal=False)
    return situations


def csv_rows(situations: Iterable[Situation], today: date) -> Iterable[list[str]]:
    yield CSV_HEADER
    for situation in situations:
        yield [
            str(situation.pk),
            situation.jurisdiction.name,
            "A" if situation.appeal else "",
            situation.policy.label,
            f"{situation.mec.last_name} {situation.mec.first_names}",
            f"{situation.mec.birth_date:%d/%m/%Y}",
            "oui" if situation.mec_procedure_jaf else "non",
            str(situation.cabinet_je or ""),
            str(situation.cabinet_jap or ""),
            str(situation.cabinet_ji or ""),
            f"{situation.next_review_on:%d/%m/%Y}",
            "oui" if situation.is_overdue(today) else "non",
            f"{situation.closed_on:%d/%m/%Y}" if situation.closed_on else "",
        ]


class Echo:
    """A file-like object for ``csv.writer`` that hands each line back (streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(situations: Iterable[Situation], today: date) -> Iterable[str]:
    writer = csvsafe.writer(Echo(), delimiter=";")
    yield "\ufeff"  # spreadsheet software reads the accents as UTF-8
    for row in csv_rows(situations, today):
        yield writer.writerow(row)


@dataclass
class PolicyCounts:
    label: str
    open: int
    due_soon: int
    overdue: int


def steering_counts(
    situations: SituationQuerySet, today: date, soon_days: int = 30
) -> list[PolicyCounts]:
    """Per policy: open situations, reviews due within ``soon_days``, reviews overdue (SIS-13)."""
    rows = (
        situations.open()
        .values("policy__label")
        .annotate(
            open_count=Count("pk"),
            due_count=Count(
                "pk",
                filter=Q(
                    next_review_on__gte=today,
                    next_review_on__lte=today + timedelta(days=soon_days),
                ),
            ),
            overdue_count=Count("pk", filter=Q(next_review_on__lt=today)),
        )
        .order_by("policy__label")
    )
    return [
        PolicyCounts(
            row["policy__label"], row["open_count"], row["due_count"], row["overdue_count"]
        )
        for row in rows
    ]
