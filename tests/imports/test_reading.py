"""Reading files: encodings, separators, XLSX, and the files refused before anything is written."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from jalon.imports import columns, reading
from jalon.imports.reading import ImportFileError
from tests.imports.helpers import HEADER, csv_bytes, person_row


def test_utf8_with_semicolons_is_recognised():
    table = reading.read(csv_bytes([person_row("Lévêque", "Jérôme", "01/02/1980")]))
    assert (table.kind, table.encoding, table.separator) == ("csv", "UTF-8", ";")
    assert table.headers == HEADER
    assert table.rows[0][:3] == ["Lévêque", "Jérôme", "01/02/1980"]


def test_windows_1252_with_commas_is_recognised():
    content = csv_bytes([person_row("Lévêque", "Jérôme", "01/02/1980")], sep=",", encoding="cp1252")
    table = reading.read(content)
    assert (table.encoding, table.separator) == ("Windows-1252", ",")
    assert table.rows[0][0] == "Lévêque"
    assert "Windows-1252" in table.description


def test_utf8_with_bom_is_read_without_the_mark():
    table = reading.read(b"\xef\xbb\xbf" + csv_bytes([person_row("A", "B", "01/02/1980")]))
    assert table.headers[0] == "Nom"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"   \r\n", "vide"),
        ("Nom;Prénoms;Date de naissance\r\n".encode(), "aucune ligne"),
        (b"Nom;Pr\x81noms\r\nA;B\r\n", "Encodage non reconnu"),
        ("Nom;Prénoms".encode("utf-16"), "UTF-16"),
        (b"Nom;;Date\r\nA;B;C\r\n", "sans nom"),
        (b"Nom;nom\r\nA;B\r\n", "en double"),
    ],
)
def test_unreadable_files_are_refused_with_a_french_reason(content, message):
    with pytest.raises(ImportFileError, match=message):
        reading.read(content)


def test_too_many_rows_and_too_many_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    rows = [person_row("A", "B", "01/02/1980")] * 3
    with pytest.raises(ImportFileError, match="au plus"):
        reading.read(csv_bytes(rows))
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    with pytest.raises(ImportFileError, match="dépasse"):
        reading.read(csv_bytes(rows[:1]))


def test_xlsx_cells_become_text_with_french_dates():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NOM", "Prénom(s)", "Né le", "N° APPI"])
    sheet.append(["Durand", "Léa", datetime.datetime(1985, 2, 14), 201212345678])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    table = reading.read(buffer.getvalue(), "personnes.xlsx")
    assert table.kind == "xlsx"
    assert table.rows == [["Durand", "Léa", "14/02/1985", "201212345678"]]
    assert columns.guess(table.headers) == {
        "last_name": "NOM",
        "first_names": "Prénom(s)",
        "birth_date": "Né le",
        "appi_number": "N° APPI",
    }


def test_a_broken_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="illisible"):
        reading.read(b"PK\x03\x04 not really a zip")


def test_missing_required_columns_are_named():
    assert columns.missing_required({"last_name": "Nom"}) == ["Prénoms", "Date de naissance"]
    half = {"last_name": "a", "first_names": "b", "birth_date": "c", "appointment_date": "d"}
    assert columns.missing_required(half) == ["Type de convocation", "Heure", "Lieu"]


def test_remembered_headers_win_over_built_in_guesses():
    guessed = columns.guess(["Nom", "Portable perso"], {"portableperso": "phone"})
    assert guessed == {"last_name": "Nom", "phone": "Portable perso"}
