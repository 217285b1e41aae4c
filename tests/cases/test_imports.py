"""Importing editions: added, changed, retired, reinstated, rejected; idempotent; atomic."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.management import CommandError, call_command

from jalon.cases.imports import ADDED, CHANGED, REINSTATED, RETIRED
from jalon.cases.models import NatinfEdition, Offence, OffenceVersion, OffenceWord
from jalon.cases.natinf import NatinfFileError
from jalon.cases.synthetic import SAMPLE, synthetic_rows, to_file
from jalon.history.models import Event
from tests.cases.natinf_files import (
    JULY,
    OCTOBER,
    edited_sample,
    import_file,
    lines_file,
    sample_bytes,
)

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (
        list(Offence.objects.order_by("number").values_list()),
        list(OffenceVersion.objects.order_by("pk").values_list()),
        sorted(OffenceWord.objects.values_list("offence_id", "word")),
        list(NatinfEdition.objects.values_list("name", "added", "changed", "retired", "rejected")),
    )


def test_the_sample_is_imported_with_its_kinds_and_one_version_each():
    report = import_file(sample_bytes())
    assert (report.added, report.changed, report.retired, len(report.rejected)) == (580, 0, 0, 0)
    assert Offence.objects.count() == 580 == OffenceVersion.objects.count()
    offence = Offence.objects.get(number=11)
    assert offence.nature == "Délit" and offence.kind == "delit"
    assert offence.in_force_from == JULY and offence.retired_from is None
    assert offence.defined_by == "ART.227-3 AL.1 C.PENAL."
    assert Offence.objects.filter(kind="contravention", contravention_class=5).count() == 96
    assert Offence.objects.filter(nature="Délit douanier de classe 1", kind="delit").count() == 3
    assert Offence.objects.filter(kind="crime").count() == 7
    version = offence.versions.get()
    assert (version.valid_from, version.valid_until, version.edition.name) == (
        JULY,
        None,
        "2026-07",
    )


def test_importing_the_same_file_again_changes_nothing():
    import_file(sample_bytes())
    before = snapshot()
    report = import_file(sample_bytes())
    assert report.outcomes == [] and report.unchanged == 580
    assert snapshot() == before


def test_a_new_edition_retires_adds_and_rewords_keeping_history():
    import_file(sample_bytes())
    new_row = [
        "99999",
        "Contravention de classe 3",
        "NOUVELLE INFRACTION DE TEST",
        "ART.1",
        "ART.2",
    ]
    content = edited_sample(
        drop={"7"}, reword={"8": "OPPOSITION AU PAIEMENT (NOUVEAU TEXTE)"}, add=[new_row]
    )
    report = import_file(content, "2026-10", OCTOBER)

    assert (report.added, report.changed, report.retired, report.unchanged) == (1, 1, 1, 578)
    by_status = {outcome.status: outcome for outcome in report.outcomes}
    assert by_status[RETIRED].number == 7 and by_status[RETIRED].line is None
    assert (
        by_status[CHANGED].number == 8 and by_status[CHANGED].detail == "modifiée : qualification"
    )
    assert by_status[ADDED].number == 99999 and by_status[ADDED].line == 581

    retired = Offence.objects.get(number=7)  # never deleted: old procedures keep it
    assert retired.retired_from == OCTOBER and not retired.in_force
    assert Offence.objects.in_force_on(datetime.date(2026, 9, 30)).filter(number=7).exists()
    assert not Offence.objects.in_force_on(OCTOBER).filter(number=7).exists()

    added = Offence.objects.get(number=99999)
    assert added.in_force_from == OCTOBER and added.kind == "contravention"
    assert added.contravention_class == 3
    assert not Offence.objects.in_force_on(datetime.date(2026, 9, 30)).filter(number=99999).exists()

    reworded = Offence.objects.get(number=8)
    assert reworded.qualification == "OPPOSITION AU PAIEMENT (NOUVEAU TEXTE)"
    versions = list(reworded.versions.values_list("qualification", "valid_from", "valid_until"))
    assert versions == [
        (
            "OPPOSITION AU PAIEMENT D'UN CHEQUE AVEC L'INTENTION DE PORTER ATTEINTE AUX DROITS D'AUTRUI",
            JULY,
            OCTOBER,
        ),
        ("OPPOSITION AU PAIEMENT (NOUVEAU TEXTE)", OCTOBER, None),
    ]
    # The word index follows the current wording.
    words = set(OffenceWord.objects.filter(offence=reworded).values_list("word", flat=True))
    assert "nouveau" in words and "cheque" not in words
    edition = NatinfEdition.objects.get(name="2026-10")
    assert (edition.added, edition.changed, edition.retired) == (1, 1, 1)
    assert Offence.objects.get(number=11).last_edition == edition
    assert retired.last_edition.name == "2026-07"


def test_a_retired_number_listed_again_is_back_in_force():
    import_file(sample_bytes())
    import_file(edited_sample(drop={"7"}), "2026-10", OCTOBER)
    report = import_file(sample_bytes(), "2027-01", datetime.date(2027, 1, 1))
    assert [(o.number, o.status) for o in report.outcomes] == [(7, REINSTATED)]
    assert Offence.objects.get(number=7).retired_from is None


def test_a_rejected_row_does_not_retire_its_number():
    import_file(sample_bytes())
    content = edited_sample(reword={"11": ""})  # empty qualification in the new edition
    report = import_file(content, "2026-10", OCTOBER)
    assert [(row.line, row.reason) for row in report.rejected] == [
        (4, "NATINF 11 : qualification de l’infraction manquante.")
    ]
    assert report.retired == 0
    offence = Offence.objects.get(number=11)
    assert offence.retired_from is None and offence.qualification.startswith("ABANDON DE FAMILLE")


def test_good_rows_are_kept_beside_rejected_ones():
    report = import_file(lines_file("7;Délit;VOL;A;B", "X1;Délit;VOL;A;B", "8;Crime;MEURTRE;A;B"))
    assert sorted(Offence.objects.values_list("number", flat=True)) == [7, 8]
    assert [row.line for row in report.rejected] == [3]
    assert NatinfEdition.objects.get().rejected == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbf" + lines_file("7;Délit;VOL;A;B", encoding="utf-8"), "UTF-8"),
        (lines_file("7;Délit;VOL;A;B", encoding="utf-8"), "UTF-8"),
        (b"Numero;Nature\r\n7;Delit\r\n", "La première ligne doit être exactement"),
        (lines_file("X;Délit;VOL;A;B"), "Aucune ligne valide"),
    ],
)
def test_a_file_level_error_saves_nothing(content, message):
    import_file(sample_bytes())
    before = (snapshot(), Event.objects.count())
    with pytest.raises(NatinfFileError, match=message):
        import_file(content, "2026-10", OCTOBER)
    assert (snapshot(), Event.objects.count()) == before  # and nothing retired


def test_an_older_edition_cannot_be_imported_after_a_newer_one():
    import_file(sample_bytes(), "2026-10", OCTOBER)
    with pytest.raises(NatinfFileError, match="est plus récente"):
        import_file(sample_bytes(), "2026-07", JULY)
    with pytest.raises(NatinfFileError, match="même date attendue"):
        import_file(sample_bytes(), "2026-10", JULY)
    assert NatinfEdition.objects.count() == 1


def test_a_dry_run_reports_and_saves_nothing():
    report = import_file(sample_bytes(), dry_run=True)
    assert report.added == 580 and report.dry_run
    assert not Offence.objects.exists() and not NatinfEdition.objects.exists()
    assert not Event.objects.filter(action="natinf.imported").exists()


def test_an_import_is_recorded_in_history_with_its_counts():
    import_file(lines_file("7;Délit;VOL;A;B", "X1;Délit;VOL;A;B"))
    event = Event.objects.get(action="natinf.imported")
    assert event.target_label == "NATINF 2026-07"
    assert event.details["added"] == 1 and event.details["rejected_lines"] == [3]


def test_the_command_prints_each_row_and_the_summary(capsys):
    call_command(
        "import_natinf", str(SAMPLE), "--edition", "2026-07", "--in-force-from", "2026-07-01"
    )
    output = capsys.readouterr().out
    assert "ligne 2 : NATINF 7 ajoutée" in output
    assert "580 infraction(s) ajoutée(s)" in output
    with pytest.raises(CommandError, match="Date « 01/07/2026 » invalide"):
        call_command(
            "import_natinf", str(SAMPLE), "--edition", "x", "--in-force-from", "01/07/2026"
        )


def test_seventeen_thousand_rows_import_quickly():
    """About the size of the full list (17,163 rows in July 2026), generated from the sample:
    the bound is generous for CI; bench/natinf.py measures the real figure (target 10 s)."""
    content = to_file(synthetic_rows(17_163))
    started = time.perf_counter()
    report = import_file(content)
    elapsed = time.perf_counter() - started
    assert report.added == 17_163 and not report.rejected
    assert Offence.objects.count() == 17_163
    assert elapsed < 30, f"{elapsed:.1f} s"
