"""Injected near-duplicates: how a second registration of someone drifts from the first.

Positive kinds are the same human being typed again (what ``find_duplicates`` must find);
negative controls are other people who look alike (what it must not flag). The truth is
stored in ``IdentityPair``.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from typing import Protocol

from jalon.core.text import name_key, strip_accents
from jalon.dataset import names
from jalon.dataset.models import IdentityPair
from jalon.people.duplicates import names_match

K = IdentityPair.Kind
KINDS = [
    K.TYPO_LAST_NAME,
    K.TYPO_FIRST_NAMES,
    K.SWAPPED,
    K.ACCENTS_LOST,
    K.HYPHEN_SPACE,
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


class Original(Protocol):
    last_raw: str
    first_raw: str
    birth_date: date


def _same_case(char: str, like: str) -> str:
    return char.upper() if like.isupper() else char


def typo(rng: random.Random, value: str) -> str:
    """``value`` with one slip: a letter replaced, dropped, doubled or two letters swapped.

    The comparison key changes by exactly one edit (never zero: "é" typed "e" is not a typo).
    """
    letters = [index for index, char in enumerate(value) if char.isalpha()]
    for _ in range(50):
        operation = rng.choice(("replace", "drop", "double", "swap"))
        index = rng.choice(letters)
        char = value[index]
        if operation == "replace":
            plain = strip_accents(char).lower()
            new = rng.choice(_NEIGHBOURS.get(plain, string.ascii_lowercase))
            changed = value[:index] + _same_case(new, char) + value[index + 1 :]
        elif operation == "drop" and len(letters) > 3:
            changed = value[:index] + value[index + 1 :]
        elif operation == "double":
            changed = value[: index + 1] + char.lower() + value[index + 1 :]
        elif operation == "swap" and index + 1 < len(value) and value[index + 1].isalpha():
            changed = value[:index] + value[index + 1] + char + value[index + 2 :]
        else:
            continue
        if name_key(changed) != name_key(value):
            return changed
    return value + "e"


def _separators(rng: random.Random, value: str) -> str:
    """A hyphen typed as a space, a space as a hyphen, or the words run together."""
    options = {
        value.replace("-", " "),
        value.replace(" ", "-"),
        value.replace("-", "").replace(" ", ""),
    }
    options.discard(value)
    return rng.choice(sorted(options)) if options else value


def variant(
    rng: random.Random, kind: str, original: Original, anchor: date
) -> tuple[str, str, date]:
    """(last name, first names, birth date) of the second registration, as typed."""
    last, first, birth = original.last_raw, original.first_raw, original.birth_date
    if kind == K.TYPO_LAST_NAME:
        return typo(rng, last), first, birth
    if kind == K.TYPO_FIRST_NAMES:
        return last, typo(rng, first), birth
    if kind == K.SWAPPED:
        return first, last, birth
    if kind == K.ACCENTS_LOST:
        return strip_accents(last), strip_accents(first), birth
    if kind == K.HYPHEN_SPACE:
        if "-" in first or " " in first:
            return last, _separators(rng, first), birth
        return _separators(rng, last), first, birth
    if kind == K.OTHER_BIRTH_DATE:
        shift = timedelta(days=rng.randint(1, 3_650))
        latest = anchor.replace(year=anchor.year - 18, day=min(anchor.day, 28))
        moved = birth - shift if birth + shift > latest else birth + shift
        return last, first, moved
    # A twin: same family name and birth date, another first name that no typo explains.
    for _ in range(100):
        other = names.first_names(rng)
        if not names_match(last, first, last, other):
            return last, other, birth
    return last, first + " Marie-Joseph", birth
