"""A synthetic NATINF list of any size, in the official file's format (cp1252, ``;``, CRLF).

The shipped sample has 580 real rows; the full list has about 17,000. The benchmark and the
speed test need the full size, so this module builds it from the sample: each synthetic row
takes a real row's nature and texts and its qualification with a few words of another real
row appended (deterministic), under a new number. It is not real data: say so where used.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jalon.cases.natinf import HEADER

SAMPLE = Path(__file__).resolve().parent / "data" / "natinf-sample.csv"


def sample_rows() -> list[list[str]]:
    reader = csv.reader(
        io.StringIO(SAMPLE.read_bytes().decode("cp1252"), newline=""), delimiter=";"
    )
    return list(reader)[1:]


def synthetic_rows(count: int, *, start: int = 100_000) -> list[list[str]]:
    """``count`` rows numbered from ``start`` upwards (the real sample's numbers stay free)."""
    real = sample_rows()
    rows = []
    for index in range(count):
        base = real[index % len(real)]
        other = real[(index * 7 + 3) % len(real)][2].split()
        extra = " ".join(other[(index // len(real)) % max(len(other), 1) :][:3])
        qualification = f"{base[2]} - {extra}" if index >= len(real) else base[2]
        rows.append([str(start + index), base[1], qualification, base[3], base[4]])
    return rows


def to_file(rows: list[list[str]]) -> bytes:
    """The rows as the official file: header, ``;``, minimal quoting, CRLF, Windows-1252."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")
