"""Reading the official file: encoding, header, each row's checks (pure, no database)."""

from __future__ import annotations

import pytest

from jalon.cases.natinf import Kind, NatinfFileError, kind_of, parse, search_words
from jalon.cases.synthetic import sample_rows, to_file
from tests.cases.natinf_files import lines_file, sample_bytes


def test_the_sample_reads_whole_with_accents_and_doubled_quotes():
    good, rejected = parse(sample_bytes())
    assert rejected == []
    assert len(good) == 580
    by_number = {row.number: row for row in good}
    assert '"STOP"' in by_number[203].qualification
    assert by_number[11].nature == "Délit"
    # Lines count from the header (line 1), so the first row is line 2.
    assert good[0].line == 2 and good[-1].line == 581


def test_writing_the_sample_back_gives_the_same_bytes():
    """The synthetic files of the benchmark use exactly the official format."""
    assert to_file(sample_rows()) == sample_bytes()


@pytest.mark.parametrize(
    ("nature", "expected"),
    [
        ("Crime", (Kind.CRIME, None)),
        ("Délit", (Kind.DELIT, None)),
        ("Délit douanier de classe 1", (Kind.DELIT, None)),
        ("Délit fiscal", (Kind.DELIT, None)),
        ("Contravention de classe 5", (Kind.CONTRAVENTION, 5)),
        ("Contravention de classe 1", (Kind.CONTRAVENTION, 1)),
        ("Contravention de classe 9", (Kind.OTHER, None)),
        ("Infraction assimilée", (Kind.OTHER, None)),
    ],
)
def test_the_kind_is_derived_from_an_open_list_of_natures(nature, expected):
    assert kind_of(nature) == expected


def test_search_words_drop_accents_case_one_letter_and_function_words():
    assert search_words("Vol d'un véhicule, VOL aggravé par") == ["vol", "vehicule", "aggrave"]


def test_a_utf8_file_with_a_bom_is_refused():
    content = b"\xef\xbb\xbf" + lines_file("7;Délit;VOL;A;B", encoding="utf-8")
    with pytest.raises(NatinfFileError, match="UTF-8 \\(marque BOM\\)"):
        parse(content)


def test_a_utf8_file_whose_accents_would_become_mojibake_is_refused():
    content = lines_file("7;Délit;VOL;A;B", encoding="utf-8")
    assert content.decode("cp1252").startswith("NumÃ©ro")  # what a blind read would store
    with pytest.raises(NatinfFileError, match="semble encodé en UTF-8 \\(ligne 1"):
        parse(content)


def test_a_byte_undefined_in_windows_1252_is_refused_with_its_line():
    content = lines_file("7;Délit;VOL;A;B", "8;Délit;VOL \x81 ;A;B".replace("\x81", "?"))
    content = content.replace(b"VOL ? ", b"VOL \x81 ")
    with pytest.raises(NatinfFileError, match="octet invalide en Windows-1252 \\(ligne 3\\)"):
        parse(content)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Numero NATINF;Nature de l'infraction;Qualification de l'infraction;Définie par;Réprimée par",
            "colonne(s) absente(s) : « Numéro NATINF » ; colonne(s) inconnue(s) : « Numero NATINF »",
        ),
        (
            "Numéro NATINF;Nature de l'infraction;Qualification de l'infraction;Définie par",
            "colonne(s) absente(s) : « Réprimée par »",
        ),
        (
            "Nature de l'infraction;Numéro NATINF;Qualification de l'infraction;Définie par;Réprimée par",
            "pas dans l’ordre attendu",
        ),
        ("Numéro NATINF,Nature,Qualification", "colonne(s) absente(s)"),
    ],
)
def test_the_header_must_be_exactly_the_official_one(header, message):
    content = (header + "\r\n7;Délit;VOL;A;B\r\n").encode("cp1252")
    with pytest.raises(NatinfFileError) as caught:
        parse(content)
    assert "La première ligne doit être exactement" in str(caught.value)
    assert message in str(caught.value)


def test_bad_rows_are_rejected_with_line_and_reason_and_good_rows_kept():
    content = lines_file(
        "7;Délit;VOL;ART.1;ART.2",
        "7A;Délit;VOL;ART.1;ART.2",
        "8;Délit;;ART.1;ART.2",
        "7;Crime;AUTRE;ART.1;ART.2",
        "9;Délit;VOL",
        ";Délit;VOL;A;B",
        '10;Délit;"VOL ; AVEC ""RUSE""";A;B',
    )
    good, rejected = parse(content)
    assert [(row.number, row.line) for row in good] == [(7, 2), (10, 8)]
    assert good[1].qualification == 'VOL ; AVEC "RUSE"'
    assert [(row.line, row.reason) for row in rejected] == [
        (3, "Numéro NATINF « 7A » invalide : chiffres seulement."),
        (4, "NATINF 8 : qualification de l’infraction manquante."),
        (5, "NATINF 7 déjà présent ligne 2 : cette ligne est ignorée."),
        (6, "Ligne mal formée : 5 colonnes attendues, 3 trouvée(s)."),
        (7, "Numéro NATINF manquant."),
    ]
    assert [row.number for row in rejected] == [None, 8, 7, None, None]


def test_an_empty_file_is_refused():
    with pytest.raises(NatinfFileError, match="Le fichier est vide"):
        parse(b"  \r\n")


def test_a_genuine_cp1252_file_with_accents_is_not_mistaken_for_utf8():
    # "É©" in cp1252 (0xC9 0xA9) is also a UTF-8 pair, but the file as a whole is not UTF-8.
    good, rejected = parse(lines_file("7;Délit;VOLÉ©;A;B"))
    assert rejected == [] and good[0].qualification == "VOLÉ©"
