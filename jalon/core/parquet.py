"""The numéro de parquet: one validated, canonical form (see docs/glossary.md, decision 0005).

Cassiopée, the penal chain's software, registers every procedure at the bureau d'ordre under an
11-digit number: the year (2 digits), the day of the year of registration (3 digits, 001-366)
and a sequence number within the day (6 digits), e.g. ``27123000042`` for the 42nd procedure
of 3 May 2027. Agents copy it from paper in many ways (``27 123 000042``, ``27/123/42``,
``27-123-000042``); the canonical stored form is the 11 bare digits, so that an exact search
finds it however it was typed. Pure functions, no database.
"""

from __future__ import annotations

import calendar
import re

LENGTH = 11
CANONICAL = re.compile(r"^\d{11}$")
# What agents type between the groups: spaces (also non-breaking), dashes, slashes, dots.
_SEPARATORS = re.compile(r"[\s\-/.\u00a0\u202f]+")
_ALLOWED = re.compile(r"^[\d\s\-/.\u00a0\u202f]+$")

EXAMPLE = "27123000042"
FORMAT_HINT = "11 chiffres : année, jour de l’année, numéro d’ordre, par exemple 27 123 000042"


def parse_parquet_number(text: str) -> str:
    """The canonical 11 digits of a numéro de parquet typed in any usual form.

    Raises ``ValueError`` with a French message saying what is wrong. With separators, the
    three groups year / day / sequence may be written with a short sequence (``27/123/42``),
    padded with zeros as on Cassiopée's documents; without separators, all 11 digits are due.
    """
    text = text.strip()
    if not text:
        raise ValueError("Saisissez le numéro de parquet.")
    if not _ALLOWED.match(text):
        raise ValueError(
            "Le numéro de parquet ne contient que des chiffres (espaces, tirets, barres "
            f"obliques et points sont admis entre les groupes) : {FORMAT_HINT}."
        )
    groups = [group for group in _SEPARATORS.split(text) if group]
    if len(groups) == 3 and len(groups[0]) == 2 and len(groups[1]) == 3 and len(groups[2]) <= 6:
        digits = groups[0] + groups[1] + groups[2].zfill(6)
    else:
        digits = "".join(groups)
    if len(digits) != LENGTH:
        raise ValueError(
            f"Le numéro de parquet compte 11 chiffres, pas {len(digits)} : {FORMAT_HINT}."
        )
    year, day, sequence = int(digits[:2]), int(digits[2:5]), int(digits[5:])
    days_in_year = 366 if calendar.isleap(2000 + year) else 365
    if not 1 <= day <= days_in_year:
        raise ValueError(
            f"Le numéro de parquet est invalide : le jour de l’année ({digits[2:5]}) doit être "
            f"compris entre 001 et {days_in_year} pour l’année 20{digits[:2]}."
        )
    if sequence == 0:
        raise ValueError(
            "Le numéro de parquet est invalide : le numéro d’ordre (6 derniers chiffres) ne "
            "peut pas être 000000."
        )
    return digits


def is_parquet_number(text: str) -> bool:
    """Whether ``text`` reads as a numéro de parquet (for the search, which tries it first)."""
    try:
        parse_parquet_number(text)
    except ValueError:
        return False
    return True


def format_parquet_number(value: str) -> str:
    """The stored value as shown to people: ``27 123 000042``; a legacy value unchanged.

    Values stored before the format was enforced (free text) are displayed as they are.
    """
    if CANONICAL.match(value):
        return f"{value[:2]} {value[2:5]} {value[5:]}"
    return value


def normalize_legacy(value: str) -> str:
    """The canonical form of a stored value when it parses, else the value untouched.

    Used by the data migration: nothing is lost, legacy free text stays as typed.
    """
    try:
        return parse_parquet_number(value)
    except ValueError:
        return value
