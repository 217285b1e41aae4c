"""Finding a person who may already be registered (MSJ-35, MSJ-37, MSJ-38, EGJ-111).

Two tiers. The same APPI number or mobile number is certain: creation is blocked.
The same birth date with the same name up to accents, case, hyphens, spaces, one typo,
or first and last names swapped is probable: the agent must confirm.

Candidates are blocked on exact keys (APPI, phone, birth date, all indexed), so a lookup
reads a few dozen rows even among a million persons, then scored here in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from jalon.core.text import name_key, within_one_edit
from jalon.people.models import Follow, Person, PersonQuerySet


@dataclass
class DuplicateReport:
    certain: list[tuple[Person, str]] = field(default_factory=list)
    probable: list[Person] = field(default_factory=list)

    @property
    def blocks(self) -> bool:
        return bool(self.certain)

    @property
    def warns(self) -> bool:
        return bool(self.probable)


def names_match(last_a: str, first_a: str, last_b: str, first_b: str) -> bool:
    """Same person's name up to one typo, in either order."""
    key_a = name_key(last_a) + name_key(first_a)
    return within_one_edit(key_a, name_key(last_b) + name_key(first_b)) or within_one_edit(
        key_a, name_key(first_b) + name_key(last_b)
    )


def _with_followers(queryset: PersonQuerySet) -> PersonQuerySet:
    return queryset.prefetch_related(
        Prefetch("follows", queryset=Follow.objects.select_related("service").order_by("since"))
    ).select_related("referent")


def find_duplicates(
    *,
    last_name: str,
    first_names: str,
    birth_date: date | None,
    appi_number: str | None = None,
    phone: str | None = None,
    exclude_pk: int | None = None,
) -> DuplicateReport:
    """Look for the person nationally: one identity per person, whoever registered it."""
    report = DuplicateReport()
    exact = Q()
    if appi_number:
        exact |= Q(appi_number=appi_number)
    if phone:
        exact |= Q(phone=phone)
    if birth_date is not None:
        exact |= Q(birth_date=birth_date)
    if not exact:
        return report
    candidates = Person.objects.filter(exact)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    candidates = _with_followers(candidates)
    for person in candidates:
        if appi_number and person.appi_number == appi_number:
            report.certain.append((person, "le même numéro APPI"))
        elif phone and person.phone == phone:
            report.certain.append((person, "le même numéro de téléphone"))
        elif person.birth_date == birth_date and names_match(
            last_name, first_names, person.last_name, person.first_names
        ):
            report.probable.append(person)
    return report
