"""Finding persons by name, phone, APPI number or numéro de parquet, in whatever form typed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jalon.core import phone as phones
from jalon.core.parquet import is_parquet_number, parse_parquet_number
from jalon.core.text import normalize_words
from jalon.people.models import APPI_PATTERN, PersonQuerySet, normalize_appi


def search(
    queryset: PersonQuerySet,
    text: str,
    region: str,
    appointments: QuerySet[Any] | None = None,
    procedures: QuerySet[Any] | None = None,
) -> PersonQuerySet:
    """Persons of ``queryset`` matching ``text``.

    An APPI number matches exactly; a numéro de parquet (11 digits, any usual writing) matches
    exactly the persons having a convocation of ``appointments`` with that number (the
    convocations the agent may see: the caller passes them from the access rules, so another
    ressort's number finds nothing) or who are a party of a procedure of ``procedures`` with
    that number (the procedures the agent may open, same reasoning); other digits are read as a phone number (any written form,
    complete or its beginning) in the agent's service region; anything else is a name prefix,
    insensitive to accents and case, last name or first names first.
    """
    text = text.strip()
    if not text:
        return queryset.none()
    appi = normalize_appi(text)
    if APPI_PATTERN.match(appi):
        return queryset.filter(appi_number=appi)
    if (appointments is not None or procedures is not None) and is_parquet_number(text):
        # Subqueries, not joins: one row per person whatever their number of convocations
        # or procedures.
        number = parse_parquet_number(text)
        found = Q(pk__in=[])
        if appointments is not None:
            numbered = appointments.filter(prosecution_number=number)
            found |= Q(pk__in=numbered.values("person_id"))
        if procedures is not None:
            numbered = procedures.filter(parquet_number=number)
            found |= Q(pk__in=numbered.values("parties__person_id"))
        return queryset.filter(found)
    if phones.looks_like_phone(text):
        prefix = phones.search_prefix(text, region)
        return queryset.filter(phone__startswith=prefix) if prefix else queryset.none()
    return queryset.search_name(normalize_words(text))
