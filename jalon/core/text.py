"""Name normalisation for display, search keys and duplicate detection.

Done in Python rather than with PostgreSQL's ``unaccent`` so that it behaves the same on
the embedded database (no contrib extensions) and in production (DESIGN §6).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_'’`.,]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z ]")


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def strip_accents(value: str) -> str:
    if value.isascii():  # most names and legal wordings: nothing to decompose
        return value
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_words(value: str) -> list[str]:
    """Lower-case words without accents: "Jean-Pierre  d'Alembert" → [jean, pierre, d, alembert]."""
    plain = _SEPARATORS.sub(" ", strip_accents(value).casefold())
    return [word for word in _NOT_ALNUM.sub("", plain).split() if word]


# Names repeat (given names above all): an import reads each one several times (the row's
# keys, its phonetic keys, the duplicate probe). Pure functions of a string, so cached.
_CACHED = 1 << 16


@lru_cache(maxsize=_CACHED)
def name_key(value: str) -> str:
    """The comparison key of a name: no accents, case, spaces, hyphens or apostrophes."""
    return "".join(normalize_words(value))


def format_last_name(value: str) -> str:
    """Last names are stored upper-case, accents kept ("Lévêque" → "LÉVÊQUE")."""
    return collapse_spaces(value).upper()


def _capitalise_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def format_first_names(value: str) -> str:
    """Each word capitalised, also after a hyphen or apostrophe: "jean-pierre" → "Jean-Pierre"."""
    parts = re.split(r"([\s\-'’]+)", collapse_spaces(value))
    return "".join(
        part if re.fullmatch(r"[\s\-'’]+", part) else _capitalise_word(part) for part in parts
    )


def within_one_edit(first: str, second: str) -> bool:
    """True when the two strings differ by at most one typo.

    A typo is one inserted, deleted or substituted character, or two adjacent characters
    swapped (optimal string alignment distance ≤ 1).
    """
    if first == second:
        return True
    len_first, len_second = len(first), len(second)
    if abs(len_first - len_second) > 1:
        return False
    if len_first == len_second:
        diffs = [index for index in range(len_first) if first[index] != second[index]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and first[diffs[0]] == second[diffs[1]]
            and first[diffs[1]] == second[diffs[0]]
        )
    shorter, longer = (first, second) if len_first < len_second else (second, first)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))


def given_name_keys(value: str) -> list[str]:
    """The key of each given name: "Jean-Pierre Louis" → [jeanpierre, louis].

    Given names are separated by spaces or commas; a hyphen joins a compound given name.
    """
    names = re.split(r"[\s,]+", strip_accents(value).casefold())
    return [key for key in (name_key(name) for name in names) if key]


# French spelling to sound, applied in order to a name key (lower-case a-z only). Each rule
# merges spellings registers mix up for one name: Philippe/Filipe, Gauthier/Gautier,
# Cédric/Sedric, Renault/Renaud/Reno, Mathieu/Matthieu, Caroline/Karoline.
_PHONETIC_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[0-9]", ""),
        (r"(.)\1+", r"\1"),
        (r"x$", ""),
        (r"ault$", "o"),
        (r"bv", "v"),  # Desfoux, Leroux: a final x is silent
        (r"sch|sh", "ch"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"gu(?=[eiy])", "G"),  # upper case: a hard g the next rule leaves alone
        (r"g(?=[eiy])", "j"),
        (r"je(?=[aou])", "j"),  # Jean, Georges: the e only softens the g
        (r"qu|q|ck|cq", "k"),
        (r"c(?=[eiy])", "s"),
        (r"ch", "#"),  # keep "ch" (one sound) away from the next rule
        (r"c", "k"),
        (r"#", "ch"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"z", "s"),
        (r"y", "i"),
        (r"ill", "i"),
        (r"(?<![cs])h", ""),
        (r"eau|au", "o"),
        (r"ou", "u"),
        (r"(?:ain|ein|in|im|un|um)(?![aeiou])", "1"),
        (r"(?:an|am|en|em)(?![aeiou])", "2"),
        (r"(?:on|om)(?![aeiou])", "3"),
        (r"[ae]i", "e"),
        (r"(.)\1+", r"\1"),
        (r"(?<=.)e$", ""),  # a final e is mute
        (r"(?<=.)[dgpstx]$", ""),  # so are most final consonants: Renaud, Renault
        (r"(?<=.)e$", ""),  # Georges
        (r"(.)\1+", r"\1"),
    )
]


@lru_cache(maxsize=_CACHED)
def phonetic_key(value: str) -> str:
    """A French phonetic key of a name: spellings that sound alike share it.

    Written here (no PostgreSQL extension) and stored in an indexed column, so that a
    duplicate lookup can block on names that sound the same whatever the birth date.
    """
    key = name_key(value)
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key.lower()
