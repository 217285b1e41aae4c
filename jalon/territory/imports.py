"""Import of the commune table from a CSV file: each row checked, good rows kept, bad rows reported.

The format is documented in ``docs/access.md`` (sortie d'audience, table of communes).
Re-importing the same file changes nothing (rows are matched by INSEE code); communes absent
from a file are kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from jalon.access.models import Jurisdiction, Service
from jalon.access.roles import SPIP_KINDS, ServiceKind
from jalon.core.text import name_key
from jalon.history.actions import record
from jalon.territory.models import Commune

if TYPE_CHECKING:
    from jalon.access.models import Agent

MAX_BYTES = 10 * 1024 * 1024
# Mainland departments 01–95 (20 became 2A and 2B), Corsica, overseas 971–978.
INSEE_PATTERN = re.compile(r"^(?:(?:0[1-9]|1\d|[3-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-8]\d{2})$")
POSTAL_PATTERN = re.compile(r"^\d{5}$")
_POSTAL_SEPARATORS = re.compile(r"[\s|,/]+")

# Column → accepted header spellings (compared without accents, case, spaces or hyphens).
COLUMNS: dict[str, tuple[str, ...]] = {
    "insee_code": ("codeinsee", "insee", "codecommune"),
    "name": ("nom", "commune", "nomcommune", "libelle"),
    "postal_codes": ("codespostaux", "codepostal", "cp"),
    "tribunal": ("tribunaljudiciaire", "tj", "tribunal"),
    "spip": ("spip",),
}
REQUIRED = ("insee_code", "name", "tribunal", "spip")


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    text: str


@dataclass
class CommuneRow:
    line: int
    insee_code: str
    name: str
    postal_codes: list[str]
    tribunal: Jurisdiction
    spip: Service


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def good(self) -> int:
        return self.created + self.updated + self.unchanged


def insee_error(code: str) -> str | None:
    """Why ``code`` is not an INSEE commune code (``None`` when it is one)."""
    if not code:
        return "code INSEE manquant"
    if INSEE_PATTERN.match(code):
        return None
    if re.match(r"^20\d{3}$", code):
        return f"code INSEE « {code} » invalide : les communes de Corse commencent par 2A ou 2B"
    return (
        f"code INSEE « {code} » invalide : 5 caractères attendus, par exemple 67482, "
        "2A004 (Corse) ou 97302 (outre-mer)"
    )


def _decode(content: bytes) -> str:
    if not content.strip():
        raise ImportFileError("Le fichier est vide.")
    if len(content) > MAX_BYTES:
        raise ImportFileError("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers.")
    if b"\x00" in content:
        raise ImportFileError("Ce fichier n’est pas un fichier CSV (texte).")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # a spreadsheet's "CSV (Windows)"


def _columns(header: list[str]) -> dict[str, int]:
    keys = [name_key(cell) for cell in header]
    positions: dict[str, int] = {}
    for column, spellings in COLUMNS.items():
        for index, key in enumerate(keys):
            if key in spellings:
                positions[column] = index
                break
    missing = [COLUMNS[column][0] for column in REQUIRED if column not in positions]
    if missing:
        raise ImportFileError(
            "La première ligne doit nommer les colonnes code_insee ; nom ; codes_postaux ; "
            f"tribunal_judiciaire ; spip. Colonne(s) absente(s) : {', '.join(missing)}."
        )
    return positions


class _References:
    """TJs and SPIPs by code or name, loaded once for the whole file."""

    def __init__(self) -> None:
        self.jurisdictions: dict[str, Jurisdiction] = {}
        for jurisdiction in Jurisdiction.objects.all():
            self.jurisdictions[jurisdiction.code.lower()] = jurisdiction
            self.jurisdictions.setdefault(name_key(jurisdiction.name), jurisdiction)
        self.services = {
            name_key(service.name): service
            for service in Service.objects.select_related("parent").prefetch_related(
                "served_jurisdictions", "parent__served_jurisdictions"
            )
        }

    def tribunal(self, text: str) -> tuple[Jurisdiction | None, str | None]:
        if not text:
            return None, "tribunal judiciaire manquant"
        found = self.jurisdictions.get(text.lower()) or self.jurisdictions.get(name_key(text))
        if found is None:
            return None, f"tribunal judiciaire « {text} » inconnu (code ou nom attendu)"
        if found.kind != Jurisdiction.Kind.JUDICIAL_COURT:
            return None, f"« {text} » est une cour d’appel, pas un tribunal judiciaire"
        return found, None

    def spip(self, text: str) -> tuple[Service | None, str | None]:
        if not text:
            return None, "SPIP manquant"
        found = self.services.get(name_key(text))
        if found is None:
            return None, f"SPIP « {text} » inconnu (nom du service attendu)"
        if found.kind not in SPIP_KINDS:
            return None, f"« {text} » n’est pas un SPIP ni une antenne de SPIP"
        return found, None

    @staticmethod
    def serves(spip: Service, tribunal: Jurisdiction) -> bool:
        head = spip.parent if spip.kind == ServiceKind.SPIP_ANTENNA and spip.parent else spip
        served = {jurisdiction.pk for jurisdiction in head.served_jurisdictions.all()}
        return tribunal.pk in served or head.jurisdiction_id == tribunal.pk


def _check_row(
    line: int, cells: list[str], positions: dict[str, int], width: int, refs: _References
) -> CommuneRow | str:
    if len(cells) != width:
        return f"Ligne mal formée : {width} colonnes attendues, {len(cells)} trouvée(s)."

    def cell(column: str) -> str:
        return " ".join(cells[positions[column]].split()) if column in positions else ""

    reasons: list[str] = []
    insee = cell("insee_code").upper()
    if (problem := insee_error(insee)) is not None:
        reasons.append(problem)
    name = cell("name")
    if not name:
        reasons.append("nom de la commune manquant")
    postal_codes = [code for code in _POSTAL_SEPARATORS.split(cell("postal_codes")) if code]
    reasons += [
        f"code postal « {code} » invalide : 5 chiffres attendus"
        for code in postal_codes
        if not POSTAL_PATTERN.match(code)
    ]
    tribunal, problem = refs.tribunal(cell("tribunal"))
    if problem:
        reasons.append(problem)
    spip, problem = refs.spip(cell("spip"))
    if problem:
        reasons.append(problem)
    if tribunal is not None and spip is not None and not refs.serves(spip, tribunal):
        reasons.append(f"le SPIP « {spip} » ne dessert pas le « {tribunal} »")
    if reasons or tribunal is None or spip is None:
        text = " ; ".join(reasons)
        return text[:1].upper() + text[1:] + "."
    return CommuneRow(line, insee, name, list(dict.fromkeys(postal_codes)), tribunal, spip)


def read_communes(content: bytes) -> tuple[list[CommuneRow], list[BadRow]]:
    """Parse and check every row; raises ``ImportFileError`` when the file cannot be read."""
    text = _decode(content)
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"Fichier CSV illisible : {error}.") from None
    if not rows:
        raise ImportFileError("Le fichier est vide.")
    positions = _columns(rows[0])
    width = len(rows[0])
    refs = _References()
    good: list[CommuneRow] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    # csv keeps quoted line breaks inside a row: count physical lines to report them right.
    for line, cells in zip(_line_numbers(text, delimiter), rows[1:], strict=False):
        if not any(value.strip() for value in cells):
            continue
        checked = _check_row(line, cells, positions, width, refs)
        raw = delimiter.join(cells)[:200]
        if isinstance(checked, str):
            bad.append(BadRow(line, checked, raw))
        elif checked.insee_code in seen:
            bad.append(
                BadRow(
                    line,
                    f"Code INSEE {checked.insee_code} déjà présent ligne "
                    f"{seen[checked.insee_code]} : cette ligne est ignorée.",
                    raw,
                )
            )
        else:
            seen[checked.insee_code] = line
            good.append(checked)
    return good, bad


def _line_numbers(text: str, delimiter: str) -> list[int]:
    """The physical line where each data row starts (after the header)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    starts: list[int] = []
    line = 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts[1:]


def _differs(commune: Commune, row: CommuneRow) -> bool:
    return (
        commune.name != row.name
        or list(commune.postal_codes) != row.postal_codes
        or commune.tribunal_id != row.tribunal.pk
        or commune.spip_id != row.spip.pk
    )


@transaction.atomic
def import_communes(
    content: bytes, *, agent: Agent | None, file_name: str = "", dry_run: bool = False
) -> ImportReport:
    """Create or update the communes of the good rows, in one transaction; report the bad ones.

    ``dry_run`` checks everything and writes nothing.
    """
    good, bad = read_communes(content)
    report = ImportReport(bad_rows=bad, dry_run=dry_run)
    existing = Commune.objects.in_bulk([row.insee_code for row in good], field_name="insee_code")
    to_create: list[Commune] = []
    to_update: list[Commune] = []
    for row in good:
        commune = existing.get(row.insee_code)
        if commune is None:
            to_create.append(
                Commune(
                    insee_code=row.insee_code,
                    name=row.name,
                    name_key=name_key(row.name),
                    postal_codes=row.postal_codes,
                    tribunal=row.tribunal,
                    spip=row.spip,
                )
            )
        elif _differs(commune, row):
            commune.name, commune.name_key = row.name, name_key(row.name)
            commune.postal_codes, commune.tribunal, commune.spip = (
                row.postal_codes,
                row.tribunal,
                row.spip,
            )
            to_update.append(commune)
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    if dry_run:
        return report
    Commune.objects.bulk_create(to_create, batch_size=1000)
    fields = ["name", "name_key", "postal_codes", "tribunal", "spip", "updated_at"]
    now = timezone.now()
    for commune in to_update:
        commune.updated_at = now
    Commune.objects.bulk_update(to_update, fields, batch_size=1000)
    details: dict[str, Any] = {
        "file": file_name,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad_lines": [row.line for row in bad][:200],
    }
    record("communes.imported", actor=agent, details=details)
    return report
