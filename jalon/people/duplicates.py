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

from django.db.models import Q

from jalon.core.text import name_key, within_one_edit
from jalon.people.models import Person


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
    return keys_match(name_key(last_a) + name_key(first_a), name_key(last_b), name_key(first_b))


def keys_match(key: str, last_key: str, first_key: str) -> bool:
    """``key`` (last then first names) against a person's stored name keys, either order."""
    return within_one_edit(key, last_key + first_key) or within_one_edit(key, first_key + last_key)


def find_duplicates(
    *,
    last_name: str,
    first_names: str,
    birth_date: date | None,
    appi_number: str | None = None,
    phone: str | None = None,
    exclude_pk: int | None = None,
) -> DuplicateReport:
    """Look for the person nationally: one identity per person, whoever registered it.

    The candidates (a birth date is shared by a few hundred persons nationally) are scored
    on their stored keys, read as plain values; only those that match are loaded whole,
    with the services that follow them.
    """
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
    key = name_key(last_name) + name_key(first_names)
    reasons: dict[int, str] = {}
    for pk, appi, mobile, born, last_key, first_key in candidates.values_list(
        "pk", "appi_number", "phone", "birth_date", "last_name_key", "first_names_key"
    ):
        if appi_number and appi == appi_number:
            reasons[pk] = "le même numéro APPI"
        elif phone and mobile == phone:
            reasons[pk] = "le même numéro de téléphone"
        elif born == birth_date and keys_match(key, last_key, first_key):
            reasons[pk] = ""
    if not reasons:
        return report
    for person in Person.objects.filter(pk__in=reasons).with_followers():
        if reasons[person.pk]:
            report.certain.append((person, reasons[person.pk]))
        else:
            report.probable.append(person)
    return report
