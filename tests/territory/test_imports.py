"""Import of the commune table: good rows kept, each bad row reported with its line and reason."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jalon.access.roles import ServiceKind
from jalon.history.models import Event
from jalon.territory.imports import ImportFileError, import_communes, insee_error
from jalon.territory.models import Commune
from tests.factories import ServiceFactory

HEADER = "code_insee;nom;codes_postaux;tribunal_judiciaire;spip\n"


@pytest.fixture
def spip_beta(org):
    return ServiceFactory(
        name="SPIP Beta", kind=ServiceKind.SPIP, jurisdiction=org.tj_beta, served=[org.tj_beta]
    )


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


@pytest.mark.parametrize(
    "code", ["67482", "01001", "2A004", "2B033", "97302", "97411", "97611", "95500"]
)
def test_insee_codes_of_mainland_corsica_and_overseas_are_accepted(code):
    assert insee_error(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "manquant"),
        ("6748", "5 caractères attendus"),
        ("674821", "5 caractères attendus"),
        ("00123", "5 caractères attendus"),
        ("96001", "5 caractères attendus"),
        ("98735", "5 caractères attendus"),
        ("2C004", "5 caractères attendus"),
        ("20004", "commencent par 2A ou 2B"),
    ],
)
def test_malformed_insee_codes_are_explained(code, reason):
    assert reason in insee_error(code)


def test_good_rows_are_kept_and_each_bad_row_is_reported(org, spip_beta):
    content = csv_bytes(
        "67482;Strasbourg;67000 67100 67200;tj-alpha;SPIP Alpha",
        "2A004;Ajaccio;20000;TJ Beta;spip beta",  # TJ by name, SPIP without case
        "6748;Mauvais code;67000;tj-alpha;SPIP Alpha",
        "67001;Sans tribunal;67000;tj-inconnu;SPIP Alpha",
        "67002;Pas un SPIP;67000;tj-alpha;SAP Alpha",
        "67003;Mauvais SPIP;67000;tj-alpha;SPIP Beta",
        "67004;Trop court",
        "67482;Strasbourg bis;67000;tj-alpha;SPIP Alpha",
        "67005;Cour;67000;ca-test;SPIP Alpha",
        "67006;Code postal;6700;tj-alpha;SPIP Alpha",
        "",
        "97302;Cayenne;97300;tj-beta;SPIP Beta",
    )
    report = import_communes(content, agent=None, file_name="communes.csv")

    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert sorted(Commune.objects.values_list("insee_code", flat=True)) == [
        "2A004",
        "67482",
        "97302",
    ]
    strasbourg = Commune.objects.get(insee_code="67482")
    assert strasbourg.postal_codes == ["67000", "67100", "67200"]
    assert (strasbourg.tribunal, strasbourg.spip) == (org.tj_alpha, org.spip_alpha)
    reasons = {bad.line: bad.reason for bad in report.bad_rows}
    assert list(reasons) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "Code INSEE « 6748 » invalide" in reasons[4]
    assert "Tribunal judiciaire « tj-inconnu » inconnu" in reasons[5]
    assert "« SAP Alpha » n’est pas un SPIP" in reasons[6]
    assert "Le SPIP « SPIP Beta » ne dessert pas le « TJ Alpha »" in reasons[7]
    assert "Ligne mal formée : 5 colonnes attendues, 2 trouvée(s)" in reasons[8]
    assert "Code INSEE 67482 déjà présent ligne 2" in reasons[9]
    assert "est une cour d’appel" in reasons[10]
    assert "Code postal « 6700 » invalide" in reasons[11]
    event = Event.objects.get(action="communes.imported")
    assert event.details["created"] == 3
    assert event.details["bad_lines"] == [4, 5, 6, 7, 8, 9, 10, 11]


def test_reimporting_is_idempotent_and_updates_changed_rows(org, spip_beta):
    first = csv_bytes(
        "67482;Strasbourg;67000;tj-alpha;SPIP Alpha", "97302;Cayenne;97300;tj-beta;SPIP Beta"
    )
    import_communes(first, agent=None)
    again = import_communes(first, agent=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    changed = csv_bytes("67482;Strasbourg;67000 67100;tj-beta;SPIP Beta")
    report = import_communes(changed, agent=None)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    strasbourg = Commune.objects.get(insee_code="67482")
    assert (strasbourg.tribunal, strasbourg.spip) == (org.tj_beta, spip_beta)
    assert strasbourg.postal_codes == ["67000", "67100"]
    assert Commune.objects.count() == 2  # absent from the file: kept


def test_a_dry_run_writes_nothing(org):
    report = import_communes(
        csv_bytes("67482;Strasbourg;67000;tj-alpha;SPIP Alpha"), agent=None, dry_run=True
    )
    assert report.created == 1
    assert not Commune.objects.exists()
    assert not Event.objects.filter(action="communes.imported").exists()


def test_a_windows_spreadsheet_file_with_commas_is_read(org):
    content = csv_bytes(
        '"67482","Strasbourg","67000","TJ Alpha","SPIP Alpha"',
        header='"Code INSEE","Nom","Code postal","Tribunal judiciaire","SPIP"\n',
        encoding="cp1252",
    )
    content = content.replace(b"Strasbourg", "Sélestat".encode("cp1252"))
    report = import_communes(content, agent=None)
    assert report.created == 1
    assert Commune.objects.get().name == "Sélestat"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (
            b"nom;spip\nStrasbourg;SPIP Alpha\n",
            "Colonne(s) absente(s) : codeinsee, tribunaljudiciaire",
        ),
        (b"\x00\x01\x02binary", "n’est pas un fichier CSV"),
    ],
)
def test_an_unreadable_file_imports_nothing(org, content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_communes(content, agent=None)
    assert not Commune.objects.exists()


def test_the_command_imports_and_reports_bad_lines(org, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_bytes(
        csv_bytes(
            "67482;Strasbourg;67000;tj-alpha;SPIP Alpha", "20004;Ajaccio;20000;tj-alpha;SPIP Alpha"
        )
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_communes", str(path), stdout=out, stderr=err)
    assert "1 commune(s) créée(s)" in out.getvalue()
    assert "1 ligne(s) en erreur" in out.getvalue()
    assert "Ligne 3 : Code INSEE « 20004 » invalide" in err.getvalue()
    assert Commune.objects.count() == 1


def test_the_command_refuses_a_missing_file(org, tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("import_communes", str(tmp_path / "absent.csv"))
