"""Reading the official NATINF file (pure: no database).

The file is published by the Ministry of Justice (DACG) on data.gouv.fr; its format is
described in ``docs/cases.md``: Windows-1252, ``;`` separated, CRLF, fields quoted with
doubled quotes when needed, and this exact first line. Each row is checked on its own: a
bad row is reported with its line number and a French reason, the others are kept. What
makes the whole file unreadable (encoding, header) raises ``NatinfFileError``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass

from jalon.core.text import normalize_words

HEADER = [
    "Numéro NATINF",
    "Nature de l'infraction",
    "Qualification de l'infraction",
    "Définie par",
    "Réprimée par",
]
MAX_BYTES = 20 * 1024 * 1024  # the full list (~17,000 rows) weighs about 4 MB

# Bytes cp1252 leaves undefined: a file holding them is not Windows-1252.
_UNDEFINED_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# A UTF-8 multi-byte sequence (lead byte then continuation bytes). Read as cp1252 it becomes
# mojibake such as "Ã©" for "é"; a genuine cp1252 file almost never holds these pairs.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_CONTRAVENTION = re.compile(r"^contravention de (\d)e? classe$|^contravention de classe (\d)$")


class NatinfFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


class Kind:
    """The derived kind of a nature, stored beside the nature as published."""

    CRIME = "crime"
    DELIT = "delit"
    CONTRAVENTION = "contravention"
    OTHER = "other"


@dataclass(frozen=True)
class NatinfRow:
    line: int
    number: int
    nature: str
    qualification: str
    defined_by: str
    punished_by: str

    @property
    def wording(self) -> tuple[str, str, str, str]:
        return (self.nature, self.qualification, self.defined_by, self.punished_by)


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    text: str
    # The number when it could be read: such a number is left as it is (not retired).
    number: int | None = None


@functools.lru_cache(maxsize=256)
def kind_of(nature: str) -> tuple[str, int | None]:
    """``("contravention", 5)`` for "Contravention de classe 5"; natures are an open list."""
    plain = " ".join(normalize_words(nature))
    if plain == "crime":
        return Kind.CRIME, None
    if plain.startswith("delit"):  # "Délit", "Délit douanier de classe 1", "Délit fiscal"
        return Kind.DELIT, None
    found = _CONTRAVENTION.match(plain)
    if found:
        klass = int(found.group(1) or found.group(2))
        if 1 <= klass <= 5:
            return Kind.CONTRAVENTION, klass
    return Kind.OTHER, None


# French function words of the wordings ("Détention d'une arme par un ..."): they would
# match most of the list and select nothing, so they are neither indexed nor looked up.
STOPWORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "est",
        "et",
        "il",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ne",
        "non",
        "ou",
        "par",
        "pas",
        "pour",
        "qui",
        "que",
        "sa",
        "sans",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
    ]
)


def search_words(qualification: str) -> list[str]:
    """The distinct words of a qualification the picker looks up (one letter words and
    function words skipped)."""
    words = normalize_words(qualification)
    return list(dict.fromkeys(w for w in words if len(w) > 1 and w not in STOPWORDS))


def decode(content: bytes) -> str:
    """The file's text; refuses anything that is not the official Windows-1252 file."""
    if not content.strip():
        raise NatinfFileError("Le fichier est vide.")
    if len(content) > MAX_BYTES:
        raise NatinfFileError("Le fichier dépasse 20 Mo : ce n’est pas la liste NATINF.")
    if b"\x00" in content:
        raise NatinfFileError("Ce fichier n’est pas un fichier CSV (texte).")
    if content.startswith(b"\xef\xbb\xbf"):
        raise NatinfFileError(
            "Le fichier est encodé en UTF-8 (marque BOM) : la liste NATINF officielle est en "
            "Windows-1252. Importez le fichier tel que publié sur data.gouv.fr, sans le "
            "réenregistrer."
        )
    undefined = _UNDEFINED_CP1252.search(content)
    if undefined:
        raise NatinfFileError(
            f"Le fichier contient un octet invalide en Windows-1252 (ligne "
            f"{_line_of(content, undefined.start())}) : importez le fichier tel que publié."
        )
    utf8 = _UTF8_SEQUENCE.search(content)
    if utf8:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-8 after all: these bytes are genuine cp1252 letters
        else:
            raise NatinfFileError(
                f"Le fichier semble encodé en UTF-8 (ligne {_line_of(content, utf8.start())}, "
                "des accents deviendraient « Ã© ») : la liste NATINF officielle est en "
                "Windows-1252. Importez le fichier tel que publié sur data.gouv.fr."
            )
    return content.decode("cp1252")


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def parse(content: bytes) -> tuple[list[NatinfRow], list[RejectedRow]]:
    """Every good row and every rejected one (with its line and reason)."""
    text = decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise NatinfFileError(f"Première ligne illisible : {error}.") from None
    if header != HEADER:
        raise NatinfFileError(_header_problem(header or []))
    good: list[NatinfRow] = []
    rejected: list[RejectedRow] = []
    seen: dict[int, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise NatinfFileError(f"Ligne {line} illisible : {error}.") from None
        row_line, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        checked = check_row(row_line, cells)
        if isinstance(checked, RejectedRow):
            rejected.append(checked)
        elif checked.number in seen:
            rejected.append(
                RejectedRow(
                    row_line,
                    f"NATINF {checked.number} déjà présent ligne {seen[checked.number]} : "
                    "cette ligne est ignorée.",
                    ";".join(cells)[:200],
                    checked.number,
                )
            )
        else:
            seen[checked.number] = row_line
            good.append(checked)
    return good, rejected


def _header_problem(header: list[str]) -> str:
    expected = ";".join(HEADER)
    missing = [name for name in HEADER if name not in header]
    extra = [name for name in header if name not in HEADER]
    details = []
    if missing:
        details.append("colonne(s) absente(s) : " + ", ".join(f"« {n} »" for n in missing))
    if extra:
        details.append("colonne(s) inconnue(s) : " + ", ".join(f"« {n} »" for n in extra))
    if not details:
        details.append("les colonnes ne sont pas dans l’ordre attendu")
    return f"La première ligne doit être exactement « {expected} » ; " + " ; ".join(details) + "."


def check_row(line: int, cells: list[str]) -> NatinfRow | RejectedRow:
    raw = ";".join(cells)[:200]
    if len(cells) != len(HEADER):
        return RejectedRow(
            line, f"Ligne mal formée : 5 colonnes attendues, {len(cells)} trouvée(s).", raw
        )
    number_text, nature, qualification, defined_by, punished_by = (
        " ".join(cell.split()) for cell in cells
    )
    if not number_text:
        return RejectedRow(line, "Numéro NATINF manquant.", raw)
    if not number_text.isascii() or not number_text.isdigit():
        return RejectedRow(
            line, f"Numéro NATINF « {number_text} » invalide : chiffres seulement.", raw
        )
    number = int(number_text)
    if number <= 0 or number > 2_000_000_000:
        return RejectedRow(line, f"Numéro NATINF « {number_text} » hors limites.", raw)
    reasons = []
    if not nature:
        reasons.append("nature de l’infraction manquante")
    if not qualification:
        reasons.append("qualification de l’infraction manquante")
    if reasons:
        text = " ; ".join(reasons)
        return RejectedRow(line, f"NATINF {number} : {text}.", raw, number)
    return NatinfRow(line, number, nature, qualification, defined_by, punished_by)
