"""CSV exports never hand a spreadsheet a formula typed in the UI."""

from __future__ import annotations

import csv
import io

import pytest

from jalon.core import csvsafe


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x";"clic")', '\'=HYPERLINK("http://x";"clic")'),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("DUPONT", "DUPONT"),
        ("Cabinet 2 = JE", "Cabinet 2 = JE"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (-3, "-3"),
        ("-25,0", "-25,0"),  # a decrease in a statistics export stays a number
        ("-25,0+1", "'-25,0+1"),
        ("-1e3", "'-1e3"),
    ],
)
def test_cells_a_spreadsheet_would_evaluate_are_made_text(typed, written):
    assert csvsafe.neutralise(typed) == written


def test_the_writer_neutralises_every_cell_and_keeps_the_csv_valid():
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, delimiter=";")
    writer.writerow(["1", "=cmd|' /C calc'!A0", "a;b", "MARTIN"])
    writer.writerows([["@x", "ok"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["1", "'=cmd|' /C calc'!A0", "a;b", "MARTIN"], ["'@x", "ok"]]
