"""The documented column layout (docs/imports.md) and the guesses of the column-mapping step.

Each of our fields has a French label (the header of ``data/modele.csv``) and the headers
other tools use for it (APPI extracts, spreadsheets typed by hand). Headers are compared
without case, accents, spaces or punctuation. A service's confirmed mappings are
remembered (``ColumnMemory``) and win over these built-in guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from jalon.core.text import name_key


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field(
        "last_name",
        "Nom",
        True,
        "Nom de famille.",
        ("nom de famille", "nom patronymique", "nom naissance", "last name"),
    ),
    Field(
        "first_names",
        "Prénoms",
        True,
        "Un ou plusieurs prénoms.",
        ("prenom", "prenoms", "prenom s", "first name"),
    ),
    Field(
        "birth_date",
        "Date de naissance",
        True,
        "JJ/MM/AAAA.",
        ("date naissance", "ne le", "nee le", "ddn", "naissance", "birth date"),
    ),
    Field(
        "appi_number",
        "Numéro APPI",
        False,
        "8 ou 12 chiffres, une lettre possible à la fin.",
        ("appi", "n appi", "no appi", "numero appi", "identifiant appi"),
    ),
    Field(
        "phone",
        "Téléphone portable",
        False,
        "06 12 34 56 78 ou +33 6 12 34 56 78.",
        (
            "telephone",
            "portable",
            "tel",
            "tel portable",
            "mobile",
            "telephone mobile",
            "numero de telephone",
        ),
    ),
    Field(
        "appointment_type",
        "Type de convocation",
        False,
        "Libellé du type, tel qu’affiché dans l’application.",
        ("type", "type convocation", "type de rendez vous", "type rdv"),
    ),
    Field(
        "appointment_date",
        "Date de la convocation",
        False,
        "JJ/MM/AAAA.",
        ("date convocation", "date rdv", "date du rendez vous", "date"),
    ),
    Field(
        "appointment_time",
        "Heure",
        False,
        "HH:MM (heure locale du service).",
        ("heure convocation", "heure rdv", "heure du rendez vous"),
    ),
    Field(
        "place",
        "Lieu",
        False,
        "Nom du lieu de convocation du service.",
        ("lieu convocation", "lieu de convocation", "lieu rdv"),
    ),
    Field("agenda", "Agenda", False, "Facultatif si le lieu n’a qu’un agenda.", ("nom agenda",)),
    Field(
        "prosecution_number",
        "Numéro de parquet",
        False,
        "Facultatif.",
        ("numero parquet", "n parquet", "parquet"),
    ),
)
FIELD_BY_NAME = {field.name: field for field in FIELDS}
REQUIRED = tuple(field.name for field in FIELDS if field.required)
APPOINTMENT_FIELDS = ("appointment_type", "appointment_date", "appointment_time", "place")


def header_key(header: str) -> str:
    """A header without case, accents, spaces or punctuation ("N° APPI" is "nappi")."""
    return name_key(header.replace("°", " "))


def _built_in() -> dict[str, str]:
    guesses: dict[str, str] = {}
    for field in FIELDS:
        for text in (field.label, field.name, *field.aliases):
            guesses.setdefault(header_key(text), field.name)
    return guesses


BUILT_IN = _built_in()


def guess(headers: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """Our field → the file's header, for the headers recognised (each header used once)."""
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        field = remembered.get(key) or BUILT_IN.get(key)
        if field and field in FIELD_BY_NAME and field not in mapping:
            mapping[field] = header
    return mapping


def missing_required(mapping: dict[str, str]) -> list[str]:
    """Labels of the required fields with no column, then of a half-given convocation."""
    missing = [FIELD_BY_NAME[name].label for name in REQUIRED if not mapping.get(name)]
    given = [name for name in APPOINTMENT_FIELDS if mapping.get(name)]
    if given and len(given) < len(APPOINTMENT_FIELDS):
        missing += [FIELD_BY_NAME[n].label for n in APPOINTMENT_FIELDS if not mapping.get(n)]
    return missing
