"""CSV written for spreadsheet software, without formula injection.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break is read as a formula
by Excel and LibreOffice (``=HYPERLINK(...)``, ``=cmd|...``, DDE): a name typed in the UI would
run on the computer of whoever opens the export. Such a cell is written with a leading
apostrophe, which spreadsheets show as text and hide (OWASP "CSV injection"). Every CSV or
spreadsheet export goes through ``writer`` so that no export can forget it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A negative number alone (a decrease: "-25,0") is a value, not a formula: it stays a number.
NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def neutralise(value: object) -> str:
    """The cell's text, made inert when a spreadsheet would evaluate it.

    Leading spaces are looked through: some spreadsheets trim them before deciding.
    """
    text = "" if value is None else str(value)
    if NEGATIVE_NUMBER.fullmatch(text):
        return text
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, target: _Writable, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(target, **options)


def for_excel(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A CSV that Excel in French opens as it is: UTF-8 with a byte order mark, ``;``."""
    buffer = io.StringIO()
    safe = writer(buffer, delimiter=";", lineterminator="\r\n")
    safe.writerow(header)
    safe.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def french_date(value: date | None) -> str:
    """dd/mm/yyyy, the only date form of the exports ("" for none)."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
