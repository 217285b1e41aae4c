"""Injected near-duplicates: how a second registration of someone drifts from the first.

Positive kinds are the same human being registered again with the errors real files
contain: a typo, two letters swapped, first and last names swapped, an accent or hyphen
lost or added, one wrong digit of the birth date, day and month swapped, a second given name
added or dropped, a married (usage) name, a new phone. Negative controls are other people
who look alike: a namesake born another day, a twin with another first name.

The errors are written from how people type, on purpose **without** the matcher's keys or
normalisation (``jalon.core.text``, ``jalon.people``): a ground truth built with the
matcher's own rules would only contain what it already catches. The truth is stored in
``IdentityPair``.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Protocol

from jalon.dataset import names
from jalon.dataset.models import IdentityPair

K = IdentityPair.Kind
KINDS = [
    K.TYPO,
    K.TRANSPOSITION,
    K.SWAPPED,
    K.ACCENT_HYPHEN,
    K.BIRTH_DIGIT,
    K.DAY_MONTH_SWAPPED,
    K.FIRST_NAME_ADDED,
    K.FIRST_NAME_DROPPED,
    K.USAGE_NAME,
    K.PHONE_CHANGED,
    K.OTHER_BIRTH_DATE,
    K.TWIN,
]
COMPOUND_FIRST_NAMES = [
    name for name in names.MALE_FIRST_NAMES + names.FEMALE_FIRST_NAMES if "-" in name
]
# Keys typed next to each other on an AZERTY keyboard: the usual slip of a finger.
_NEIGHBOURS = {
    "a": "zqs", "z": "aes", "e": "zrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "olm", "q": "asw", "s": "qdz", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "kmo", "m": "lp", "w": "xq",
    "x": "wcs", "c": "xvd", "v": "cbf", "b": "vng", "n": "bh",
}  # fmt: skip
# What a keyboard or a form without accents makes of them (the generator's own table).
_PLAIN = str.maketrans("àâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ", "aaaceeeeiioouuuyAAACEEEEIIOOUUUY")
_ACCENTED = {"e": "é", "E": "É", "a": "à", "A": "À", "c": "ç", "C": "Ç", "i": "ï", "I": "Ï"}
# How a usage name is written next to the birth name in files.
_USAGE_FORMS = ("{spouse}", "{birth} épouse {spouse}", "{birth}-{spouse}", "{spouse}-{birth}")


class Original(Protocol):
    last_raw: str
    first_raw: str
    birth_date: date


def _same_case(char: str, like: str) -> str:
    return char.upper() if like.isupper() else char


def _ascii_letters(value: str) -> list[int]:
    return [index for index, char in enumerate(value) if char.isascii() and char.isalpha()]


def typo(rng: random.Random, value: str) -> str:
    """``value`` with one slip of a finger: a letter replaced by a neighbour, dropped or doubled.

    Only plain letters are touched, and the result differs from ``value`` in letters, not
    only in case (an accent typed without it is the ``accent_hyphen`` kind).
    """
    letters = _ascii_letters(value)
    for _ in range(50):
        operation = rng.choice(("replace", "drop", "double"))
        index = rng.choice(letters)
        char = value[index]
        if operation == "replace":
            new = rng.choice(_NEIGHBOURS.get(char.lower(), "aeiou"))
            changed = value[:index] + _same_case(new, char) + value[index + 1 :]
        elif operation == "drop" and len(letters) > 3:
            changed = value[:index] + value[index + 1 :]
        elif operation == "double":
            changed = value[: index + 1] + char.lower() + value[index + 1 :]
        else:
            continue
        if changed.lower() != value.lower():
            return changed
    return value + "e"


def transposition(rng: random.Random, value: str) -> str:
    """Two adjacent different letters swapped ("MARTIN" → "MRATIN")."""
    spots = [
        index
        for index in range(len(value) - 1)
        if value[index].isalpha()
        and value[index + 1].isalpha()
        and value[index].lower() != value[index + 1].lower()
    ]
    if not spots:
        return typo(rng, value)
    index = rng.choice(spots)
    return value[:index] + value[index + 1] + value[index] + value[index + 2 :]


def accent_or_hyphen(rng: random.Random, value: str) -> str:
    """An accent lost or added, or a hyphen typed as a space or left out."""
    options = []
    if value.translate(_PLAIN) != value:
        options.append(value.translate(_PLAIN))
    if "-" in value:
        options += [value.replace("-", " "), value.replace("-", "")]
    elif " " in value:
        options.append(value.replace(" ", "-"))
    if not options:
        spots = [index for index, char in enumerate(value) if char in _ACCENTED]
        if spots:
            index = rng.choice(spots)
            options.append(value[:index] + _ACCENTED[value[index]] + value[index + 1 :])
    return rng.choice(options) if options else value.upper()


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def birth_digit(rng: random.Random, born: date, latest: date) -> date:
    """One digit of DD/MM/YYYY typed wrong, giving a date a form would accept."""
    text = f"{born.day:02d}{born.month:02d}{born.year:04d}"
    for _ in range(200):
        index = rng.randrange(8)
        digit = rng.choice([d for d in "0123456789" if d != text[index]])
        typed = text[:index] + digit + text[index + 1 :]
        moved = _valid(int(typed[4:]), int(typed[2:4]), int(typed[:2]))
        if moved is not None and date(1900, 1, 1) <= moved <= latest:
            return moved
    return born.replace(day=born.day % 9 + 1) if born.day != born.day % 9 + 1 else born


def day_month_swapped(born: date) -> date:
    """01/03 typed 03/01; the original is drawn with a day that allows it (see ``people``)."""
    return _valid(born.year, born.day, born.month) or born


def usage_name(rng: random.Random, birth_name: str) -> str:
    """A married woman's usage name, alone or written with her birth name."""
    spouse = names.last_name(rng)
    while spouse.lower() == birth_name.lower():
        spouse = names.last_name(rng)
    return rng.choice(_USAGE_FORMS).format(birth=birth_name, spouse=spouse)


def variant(
    rng: random.Random, kind: str, original: Original, anchor: date, namesake_birth: date
) -> tuple[str, str, date]:
    """(last name, first names, birth date) of the second registration, as typed.

    ``namesake_birth`` is a birth date drawn as for anyone: a namesake's.
    """
    last, first, birth = original.last_raw, original.first_raw, original.birth_date
    latest = anchor.replace(year=anchor.year - 16, day=min(anchor.day, 28))
    if kind == K.TYPO:
        if rng.random() < 0.5:
            return typo(rng, last), first, birth
        return last, typo(rng, first), birth
    if kind == K.TRANSPOSITION:
        return transposition(rng, last), first, birth
    if kind == K.SWAPPED:
        return first, last, birth
    if kind == K.ACCENT_HYPHEN:
        marked_first = names.has_accent(first) or names.has_separator(first)
        marked_last = names.has_accent(last) or names.has_separator(last)
        if marked_first and (not marked_last or rng.random() < 0.5):
            return last, accent_or_hyphen(rng, first), birth
        return accent_or_hyphen(rng, last), first, birth
    if kind == K.BIRTH_DIGIT:
        return last, first, birth_digit(rng, birth, latest)
    if kind == K.DAY_MONTH_SWAPPED:
        return last, first, day_month_swapped(birth)
    if kind == K.FIRST_NAME_ADDED:
        second = rng.choice(names.MALE_SECOND_NAMES + names.FEMALE_SECOND_NAMES)
        return last, f"{first} {second}", birth
    if kind == K.FIRST_NAME_DROPPED:
        return last, first.split(" ")[0], birth
    if kind == K.USAGE_NAME:
        return usage_name(rng, last), first, birth
    if kind == K.PHONE_CHANGED:
        return last, first, birth  # the new phone is drawn with the record, as for every person
    if kind == K.OTHER_BIRTH_DATE:
        # A namesake: born any day, as anyone else in the population.
        return last, first, namesake_birth if namesake_birth != birth else birth.replace(day=1)
    # A twin: same family name and birth date, another first name.
    for _ in range(100):
        other = names.first_names(rng)
        if other.split(" ")[0].lower() != first.split(" ")[0].lower():
            return last, other, birth
    return last, first + " Marie-Joseph", birth
