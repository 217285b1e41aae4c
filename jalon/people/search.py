"""Finding persons by name, phone or APPI number, in whatever form the agent types them."""

from __future__ import annotations

from jalon.core import phone as phones
from jalon.core.text import normalize_words
from jalon.people.models import APPI_PATTERN, PersonQuerySet, normalize_appi


def search(queryset: PersonQuerySet, text: str, region: str) -> PersonQuerySet:
    """Persons of ``queryset`` matching ``text``.

    An APPI number matches exactly; digits are read as a phone number (any written form,
    complete or its beginning) in the agent's service region; anything else is a name
    prefix, insensitive to accents and case, last name or first names first.
    """
    text = text.strip()
    if not text:
        return queryset.none()
    appi = normalize_appi(text)
    if APPI_PATTERN.match(appi):
        return queryset.filter(appi_number=appi)
    if phones.looks_like_phone(text):
        prefix = phones.search_prefix(text, region)
        return queryset.filter(phone__startswith=prefix) if prefix else queryset.none()
    return queryset.search_name(normalize_words(text))
