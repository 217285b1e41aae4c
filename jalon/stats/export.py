"""A dashboard table as CSV or ODS (CNP-02): the same cells as on the page.

CSV is written for French spreadsheets (``;`` between cells, decimal comma, UTF-8 with a
byte order mark) through ``core.csvsafe`` so that no cell runs as a formula. ODS is written
by hand (a zip of three XML files, OpenDocument 1.2): numbers are typed cells, a rate is a
number of percent with one decimal, as on the page; no dependency is needed for that.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from jalon.core import csvsafe
from jalon.stats.tables import Table


def _value(value: Any, kind: str) -> Any:
    """The cell's value for a spreadsheet: int, float (percent, one decimal), text or None."""
    if value is None:
        return None
    if kind in ("percent", "points"):
        return round(value * 100, 1)
    return value


def _header(table: Table) -> list[str]:
    return [
        f"{column.label} (%)" if column.kind in ("percent", "points") else column.label
        for column in table.columns
    ]


def rows(table: Table, context: list[tuple[str, str]]) -> Iterator[list[Any]]:
    """Context lines (label, value), a blank line, the header, then the data."""
    for label, value in context:
        yield [label, value]
    yield []
    yield _header(table)
    for row in table.rows:
        yield [_value(cell, column.kind) for cell, column in zip(row, table.columns, strict=True)]


def to_csv(table: Table, context: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows(table, context):
        writer.writerow(
            "" if cell is None else str(cell).replace(".", ",") if isinstance(cell, float) else cell
            for cell in row
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

CONTENT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
"""
CONTENT_TAIL = "</office:spreadsheet></office:body></office:document-content>\n"
MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def to_ods(table: Table, context: list[tuple[str, str]], sheet: str) -> bytes:
    parts = [CONTENT_HEAD, f"<table:table table:name={quoteattr(sheet[:31])}>"]
    for row in rows(table, context):
        parts.append(
            "<table:table-row>" + "".join(_cell(cell) for cell in row) + "</table:table-row>"
        )
    parts.append("</table:table>")
    parts.append(CONTENT_TAIL)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed, so that tools recognise the file.
        archive.writestr(zipfile.ZipInfo("mimetype"), MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
