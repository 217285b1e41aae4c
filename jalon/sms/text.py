"""SMS text: GSM 03.38 encoding, exact part counts, French transliteration and templates.

Every SMS part costs money and the people we write to often have basic phones, so a
message should stay in the GSM 7-bit alphabet (160 characters, 153 per part when split)
rather than fall back to UCS-2 (70, then 67). French characters outside GSM-7 are
replaced by their plain form ("ê" → "e", "œ" → "oe", "«" → '"'); any other character is
kept, which makes the message UCS-2 but never turns a character into "?".
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from jalon.core.dates import french_date, french_time

# --- GSM 03.38 ------------------------------------------------------------------------

# The basic table in code order (0x1B, the escape to the extension table, is left out).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each character is sent as ESC + code, so it costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160  # septets in a message of one part
GSM7_MULTI = 153  # septets per part of a concatenated message (the header takes 7)
UCS2_SINGLE = 70  # UTF-16 code units in a message of one part
UCS2_MULTI = 67  # UTF-16 code units per part of a concatenated message

# Only characters that are NOT in GSM-7: é è ù à ì ò ä ö ü ñ Ç É Ä Ö Ü Ñ æ Æ stay as they are.
_TRANSLITERATION = str.maketrans(
    {
        **dict.fromkeys("âáã", "a"),
        **dict.fromkeys("êë", "e"),
        **dict.fromkeys("îïí", "i"),
        **dict.fromkeys("ôóõ", "o"),
        **dict.fromkeys("ûú", "u"),
        **dict.fromkeys("ÿý", "y"),
        "ç": "c",
        **dict.fromkeys("ÀÂÁÃ", "A"),
        **dict.fromkeys("ÈÊË", "E"),
        **dict.fromkeys("ÎÏÍÌ", "I"),
        **dict.fromkeys("ÔÓÒÕ", "O"),
        **dict.fromkeys("ÙÛÚ", "U"),
        **dict.fromkeys("ŸÝ", "Y"),
        "œ": "oe",
        "Œ": "OE",
        **dict.fromkeys("’‘‚‛′´`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003\u200a\t", " "),
        **dict.fromkeys("\u200b\ufeff\u00ad", ""),  # invisible: zero-width space, BOM, soft hyphen
        "…": "...",
        "•": "-",
        "·": ".",  # inclusive writing: "convoqué·e" → "convoqué.e"
        "°": "o",  # "n°" → "no"
    }
)
# French guillemets carry a (non-breaking) space inside: « texte » → "texte".
_GUILLEMET_SPACES = re.compile(r"(«)[ \u00a0\u202f\u2009]+|[ \u00a0\u202f\u2009]+(»)")


def transliterate(text: str) -> str:
    """Replace French characters outside GSM-7 by GSM-7 ones; keep every other character."""
    text = unicodedata.normalize("NFC", text)
    text = _GUILLEMET_SPACES.sub(lambda m: m.group(1) or m.group(2), text)
    return text.translate(_TRANSLITERATION)


class Encoding(enum.StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


def encoding_of(text: str) -> Encoding:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        return Encoding.GSM7
    return Encoding.UCS2


def _septets(char: str) -> int:
    return 2 if char in GSM7_EXTENSION else 1


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def septet_length(text: str) -> int:
    """GSM-7 length: extension characters (``€ [ ] { } ^ ~ | \\``, form feed) count twice."""
    return sum(_septets(char) for char in text)


def utf16_length(text: str) -> int:
    return sum(_utf16_units(char) for char in text)


def _pack(costs: list[int], single: int, multi: int) -> int:
    """Parts needed when no character (escape + code, surrogate pair) may be cut in two."""
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return parts


def segments(text: str) -> int:
    """The number of SMS parts ``text`` is sent in, as it is (no transliteration); 0 if empty."""
    if encoding_of(text) is Encoding.GSM7:
        return _pack([_septets(char) for char in text], GSM7_SINGLE, GSM7_MULTI)
    return _pack([_utf16_units(char) for char in text], UCS2_SINGLE, UCS2_MULTI)


@dataclass(frozen=True)
class SmsCost:
    """What a text costs once transliterated; ``per_part_limit`` applies to each of its parts."""

    text: str
    encoding: Encoding
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int
    per_part_limit: int  # 160 or 70 for a single part, 153 or 67 for a split message


def measure(text: str) -> SmsCost:
    text = transliterate(text)
    encoding = encoding_of(text)
    parts = segments(text)
    if encoding is Encoding.GSM7:
        length, limit = septet_length(text), GSM7_SINGLE if parts <= 1 else GSM7_MULTI
    else:
        length, limit = utf16_length(text), UCS2_SINGLE if parts <= 1 else UCS2_MULTI
    return SmsCost(text=text, encoding=encoding, length=length, parts=parts, per_part_limit=limit)


# --- Templates ------------------------------------------------------------------------

PLACEHOLDERS: dict[str, str] = {
    "type": "le type de convocation (ex. « Convocation de suivi SPIP »)",
    "date": "la date en toutes lettres (ex. « lundi 14 avril 2025 »)",
    "heure": "l’heure (ex. « 15 h 30 »)",
    "lieu": "le nom du lieu de convocation",
    "adresse": "l’adresse du lieu, sur une ligne",
    "contact": "le téléphone ou l’adresse électronique à contacter en cas d’empêchement",
    "lien": (
        "le lien personnel vers la convocation (convocation, rappel, report) ou, sinon, "
        "vers la page publique du service"
    ),
}

# Bounds of the longest plausible value of each placeholder, used to refuse a template whose
# worst rendering would cost more than the allowed number of parts. Values are assumed to be
# GSM-7 once transliterated; the real cost is measured again at send time.
# "mercredi 1er septembre 2027": the longest weekday, day ("1er" beats "30") and month.
LONGEST_DATE = date(2027, 9, 1)
TYPE_MAX_CHARS = 50  # the longest national label today is 40 characters
PLACE_MAX_CHARS = 60
ADDRESS_MAX_CHARS = 100  # street, building and postcode with town, on one line
CONTACT_MAX_CHARS = 40  # an e-mail address; a phone number is at most 20
LINK_MAX_CHARS = 40

LONGEST_VALUES: dict[str, str] = {
    "type": "T" * TYPE_MAX_CHARS,
    "date": french_date(LONGEST_DATE),
    "heure": "23 h 59",
    "lieu": "L" * PLACE_MAX_CHARS,
    "adresse": "A" * ADDRESS_MAX_CHARS,
    "contact": "c" * CONTACT_MAX_CHARS,
    "lien": "l" * LINK_MAX_CHARS,
}

# Realistic values for the editor's live preview.
SAMPLE_VALUES: dict[str, str] = {
    "type": "Convocation de suivi SPIP",
    "date": "lundi 14 avril 2025",
    "heure": "15 h 30",
    "lieu": "SPIP de la Guyane",
    "adresse": "12 rue Lallouette, 97300 Cayenne",
    "contact": "05 94 00 00 00",
    "lien": "https://www.justice.fr",
}

# {{ and }} write a brace; {name} is a placeholder; any other brace is unbalanced.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_EMPTY = "\x00"  # marks an empty value until the separators around it are tidied
_EMPTY_AFTER_COMMA = re.compile(r"[ \t]*,[ \t]*\x00")
_EMPTY_BEFORE_COMMA = re.compile(r"[ \t]*\x00[ \t]*,")
_EMPTY_ALONE = re.compile(r"[ \t]*\x00")
_SPACES = re.compile(r"[ \t]{2,}")


def _allowed() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def _parse(template: str) -> tuple[list[tuple[bool, str]], list[str]]:
    """The template as (is_placeholder, text) pieces, and the French errors found."""
    pieces: list[tuple[bool, str]] = []
    errors: list[str] = []
    position = 0
    for match in _TOKEN.finditer(template):
        pieces.append((False, template[position : match.start()]))
        position = match.end()
        found = match.group(0)
        if found in ("{{", "}}"):
            pieces.append((False, found[0]))
        elif found in ("{", "}"):
            missing = "fermante" if found == "{" else "ouvrante"
            errors.append(
                f"Accolade « {found} » sans accolade {missing} (caractère {match.start() + 1}) ; écrivez « {found * 2} » pour une accolade seule."
            )
        elif match.group(1) in PLACEHOLDERS:
            pieces.append((True, match.group(1)))
        else:
            message = f"Variable inconnue : {found}. Variables possibles : {_allowed()}."
            if message not in errors:
                errors.append(message)
    pieces.append((False, template[position:]))
    return pieces, errors


def placeholders_in(template: str) -> list[str]:
    """The known placeholders used by ``template``, in order of first use."""
    names = [text for is_field, text in _parse(template)[0] if is_field]
    return list(dict.fromkeys(names))


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the template and transliterate it.

    Raises ``ValueError`` for an unknown placeholder or an unbalanced brace, ``KeyError``
    when a placeholder used by the template has no value. An empty value disappears with
    one adjoining comma ("{lieu}, {adresse}." with no address gives "Lieu."), and the
    spaces it leaves are collapsed.
    """
    pieces, errors = _parse(template)
    if errors:
        raise ValueError(" ".join(errors))
    out: list[str] = []
    for is_field, text in pieces:
        if is_field:
            out.append(" ".join(values[text].split()) or _EMPTY)
        else:
            out.append(text)
    filled = "".join(out)
    for pattern in (_EMPTY_AFTER_COMMA, _EMPTY_BEFORE_COMMA, _EMPTY_ALONE):
        filled = pattern.sub("", filled)
    lines = [_SPACES.sub(" ", line).strip() for line in filled.split("\n")]
    return transliterate("\n".join(lines).strip())


def longest_cost(template: str, *, suffix: str = "") -> SmsCost:
    """The cost of the template filled with ``LONGEST_VALUES`` (plus a fixed ``suffix``)."""
    return measure(render(template, LONGEST_VALUES) + suffix)


def template_errors(template: str, max_parts: int = 3, *, suffix: str = "") -> list[str]:
    """French messages for the template editor; an empty list means the template is valid.

    ``suffix`` is text always added after the template (e.g. the opt-out link), so that
    it is counted in the longest rendering.
    """
    if not template.strip():
        return ["Le modèle est vide."]
    errors = _parse(template)[1]
    if errors:
        return errors
    cost = longest_cost(template, suffix=suffix)
    if cost.parts > max_parts:
        detail = (
            " Des caractères spéciaux (emoji, écriture non latine) imposent l’encodage "
            "Unicode, limité à 70 caractères par SMS."
            if cost.encoding is Encoding.UCS2
            else ""
        )
        errors.append(
            f"Le modèle est trop long : rempli avec les valeurs les plus longues, il compte "
            f"{cost.length} caractères, soit {cost.parts} SMS (maximum {max_parts}).{detail}"
        )
    return errors


def convocation_values(
    *,
    type_label: str,
    starts_at_local: datetime,
    place_name: str,
    address: str,
    contact: str,
    link: str,
) -> dict[str, str]:
    """Placeholder values of a convocation; ``starts_at_local`` is in the service's zone."""
    lines = [line.strip().rstrip(",;").strip() for line in address.splitlines()]
    return {
        "type": type_label,
        "date": french_date(starts_at_local.date()),
        "heure": french_time(starts_at_local.time()),
        "lieu": place_name,
        "adresse": ", ".join(line for line in lines if line),
        "contact": contact,
        "lien": link,
    }


# National defaults, already GSM-7 (no transliteration needed). Only the paper letter is a
# convocation (documents.SMS_NOTICE): the messages that give a date and a place say so.
DEFAULT_TEMPLATES: dict[str, str] = {
    "convocation": (
        "{type} le {date} à {heure}, {lieu}, {adresse}. "
        "Seul le courrier fait foi. Imprévu : {contact}. {lien}"
    ),
    "reminder": (
        "Rappel : {type} le {date} à {heure}, {lieu}, {adresse}. "
        "Seul le courrier fait foi. Imprévu : {contact}. {lien}"
    ),
    "reschedule": (
        "Nouvelle date : {type} le {date} à {heure}, {lieu}, {adresse}. "
        "Seul le courrier fait foi. Imprévu : {contact}. {lien}"
    ),
    "cancellation": (
        "Annulation : {type} du {date} à {heure}. Ne vous déplacez pas, "
        "le service vous recontactera. Contact : {contact}. {lien}"
    ),
    "missed": (
        "Vous étiez attendu(e) le {date} à {heure} ({type}). "
        "Merci de contacter rapidement le service : {contact}. {lien}"
    ),
}
