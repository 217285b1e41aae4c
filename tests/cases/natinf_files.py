"""Building NATINF files in the official format for the tests."""

from __future__ import annotations

import datetime

from jalon.cases.imports import NatinfReport, import_natinf
from jalon.cases.synthetic import SAMPLE, sample_rows, to_file

HEADER_LINE = (
    "Numéro NATINF;Nature de l'infraction;Qualification de l'infraction;Définie par;Réprimée par"
)
JULY = datetime.date(2026, 7, 1)
OCTOBER = datetime.date(2026, 10, 1)


def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def lines_file(*lines: str, encoding: str = "cp1252") -> bytes:
    """A file made of the header and ``lines`` (each a raw line of the file)."""
    return ("\r\n".join([HEADER_LINE, *lines]) + "\r\n").encode(encoding)


def edited_sample(
    *, drop: set[str] = frozenset(), reword: dict[str, str] | None = None, add: list[list[str]] = ()
) -> bytes:
    """The sample with some numbers dropped, some qualifications changed, rows appended."""
    reword = reword or {}
    rows = []
    for row in sample_rows():
        if row[0] in drop:
            continue
        if row[0] in reword:
            row = [row[0], row[1], reword[row[0]], row[3], row[4]]
        rows.append(row)
    return to_file([*rows, *add])


def import_file(
    content: bytes, edition: str = "2026-07", day: datetime.date = JULY, **kwargs
) -> NatinfReport:
    return import_natinf(content, edition=edition, in_force_from=day, agent=None, **kwargs)
