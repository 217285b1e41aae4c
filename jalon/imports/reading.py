"""Reading an uploaded file into a header and rows of text (pure: no database).

CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ``;`` or ``,``; XLSX (the
first sheet) read with openpyxl. What makes the whole file unreadable (encoding, size, no
header, no row) raises ``ImportFileError`` with a French message: nothing is written.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
UTF8, CP1252 = "UTF-8", "Windows-1252"

# Bytes cp1252 leaves undefined: a file holding them is in neither accepted encoding.
_UNDEFINED_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass(frozen=True)
class Table:
    """A file's header and rows, every cell as text; ``rows[i]`` is line ``i + 2``."""

    kind: str  # "csv" or "xlsx"
    encoding: str  # "" for XLSX
    separator: str  # "" for XLSX
    headers: list[str]
    rows: list[list[str]]

    @property
    def description(self) -> str:
        if self.kind == "xlsx":
            return "classeur Excel (XLSX)"
        name = "point-virgule" if self.separator == ";" else "virgule"
        return f"CSV encodé en {self.encoding}, séparé par des {name}s"


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 when it decodes as such, else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
        try:
            return content.decode("utf-8"), UTF8
        except UnicodeDecodeError:
            raise ImportFileError(
                "Le fichier annonce l’encodage UTF-8 mais contient des caractères invalides : "
                "enregistrez-le de nouveau en « CSV UTF-8 »."
            ) from None
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4096]:
        raise ImportFileError(
            "Le fichier est encodé en UTF-16 (ou n’est pas du texte) : enregistrez-le en "
            "« CSV UTF-8 » ou en CSV Windows-1252 (« CSV séparateur point-virgule »)."
        )
    try:
        return content.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    undefined = _UNDEFINED_CP1252.search(content)
    if undefined:
        line = content.count(b"\n", 0, undefined.start()) + 1
        raise ImportFileError(
            f"Encodage non reconnu (ligne {line}) : le fichier n’est ni en UTF-8 ni en "
            "Windows-1252. Enregistrez-le en « CSV UTF-8 »."
        )
    return content.decode("cp1252"), CP1252


def _separator(first_line: str) -> str:
    """``;`` or ``,``, whichever the header holds more of (one column: ``;``; the mapping
    step then says which required columns are missing)."""
    semicolons, commas = first_line.count(";"), first_line.count(",")
    return "," if commas > semicolons else ";"


def _clean(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        if cell.time() == datetime.time(0):
            return cell.strftime("%d/%m/%Y")
        return cell.strftime("%d/%m/%Y %H:%M")
    if isinstance(cell, datetime.date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, datetime.time):
        return cell.strftime("%H:%M")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _checked(kind: str, encoding: str, separator: str, raw_rows: list[list[object]]) -> Table:
    rows = [[_clean(cell) for cell in row] for row in raw_rows]
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise ImportFileError("Le fichier est vide.")
    headers = rows[0]
    while headers and not headers[-1]:
        headers.pop()
    if not headers or not all(headers):
        raise ImportFileError(
            "La première ligne doit donner le nom de chaque colonne (une colonne sans nom a été "
            "trouvée)."
        )
    lower = [header.casefold() for header in headers]
    repeated = sorted({h for h, low in zip(headers, lower, strict=True) if lower.count(low) > 1})
    if repeated:
        raise ImportFileError(
            "Colonne(s) en double sur la première ligne : "
            + ", ".join(f"« {h} »" for h in repeated)
        )
    body = rows[1:]
    # Empty rows at the end (spreadsheets keep formatted blank lines) are not rows.
    while body and not any(body[-1]):
        body.pop()
    if not body:
        raise ImportFileError("Le fichier ne contient que la ligne des colonnes : aucune ligne.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            f"Le fichier compte {len(body):,} lignes : {MAX_ROWS:,} au plus par import. "
            "Découpez-le en plusieurs fichiers.".replace(",", " ")
        )
    return Table(kind, encoding, separator, headers, body)


def read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    separator = _separator(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"')
    try:
        raw_rows: list[list[object]] = [list(row) for row in reader]
    except csv.Error as error:
        raise ImportFileError(f"Ligne {reader.line_num} illisible : {error}.") from None
    return _checked("csv", encoding, separator, raw_rows)


def read_xlsx(content: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            "Ce classeur Excel est illisible : enregistrez-le de nouveau au format XLSX ou en CSV."
        ) from None
    try:
        sheet = book.worksheets[0]
        raw_rows = []
        for row in sheet.iter_rows(values_only=True):
            raw_rows.append(list(row))
            if len(raw_rows) > MAX_ROWS + 2:
                break
    finally:
        book.close()
    return _checked("xlsx", "", "", raw_rows)


def read(content: bytes, file_name: str = "") -> Table:
    """The file's table; CSV or XLSX is told by the content, not by the name."""
    if not content.strip():
        raise ImportFileError("Le fichier est vide.")
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs fichiers."
        )
    if content.startswith(_XLSX_MAGIC):
        return read_xlsx(content)
    if file_name.lower().endswith((".xls", ".ods")):
        raise ImportFileError(
            "Ce format de classeur n’est pas accepté : enregistrez-le au format XLSX ou en CSV."
        )
    return read_csv(content)
