"""The import screens: upload, columns, dry run, decisions, start, report, access."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.imports import actions
from jalon.imports.models import Import, Row
from tests.imports.helpers import csv_bytes, person_row
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "personnes.csv"):
    return client.post(
        reverse("import_list"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_the_menu_offers_the_import_to_agents_who_may(client_for, cpip, make_agent, org):
    page = client_for(cpip).get(reverse("home"))
    assert "Importer un fichier" in page.content.decode()
    national = make_agent("national_admin", service=org.national)
    page = client_for(national).get(reverse("home"))
    assert "Importer un fichier" not in page.content.decode()
    assert client_for(national).get(reverse("import_list")).status_code == 403


def test_the_whole_flow_from_upload_to_report(client_for, cpip, agendas):
    client = client_for(cpip)
    page = client.get(reverse("import_list"))
    assert page.status_code == 200
    assert reverse("import_template") in page.content.decode()
    content = csv_bytes(
        [person_row("Durand", "Léa", "14/02/1985"), person_row("Faux", "Date", "99/99/1985")],
        sep=",",
        encoding="cp1252",
    )
    response = upload(client, content)
    batch = Import.objects.get()
    assert response.url == reverse("import_columns", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Windows-1252" in page and "virgules" in page
    response = client.post(response.url, batch.mapping)
    assert response.url == reverse("import_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Vérification" in page  # the dry run is queued, the page shows its progress
    actions.check(batch.pk)
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "Lancer l’import" in page
    report = client.get(reverse("import_report", args=[batch.pk]))
    text = report.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:2] == ["Ligne", "Motif"]
    assert lines[1][0] == "3" and "n’existe pas" in lines[1][1]
    response = client.post(reverse("import_start", args=[batch.pk]))
    assert response.status_code == 302
    actions.run(batch.pk)
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "Import terminé" in page


def test_a_file_in_a_wrong_encoding_is_refused_with_a_message(client_for, cpip):
    response = upload(client_for(cpip), b"Nom;Pr\x81noms\r\nA;B\r\n")
    assert response.status_code == 200
    assert "Encodage non reconnu" in response.content.decode()
    assert not Import.objects.exists()


def test_an_empty_file_is_refused_with_a_message(client_for, cpip):
    response = upload(client_for(cpip), b"")
    assert response.status_code == 200
    assert "vide" in response.content.decode()
    assert not Import.objects.exists()


def test_missing_columns_are_said_on_the_columns_page(client_for, cpip):
    client = client_for(cpip)
    upload(client, csv_bytes([["Jean"]], header=["Prénoms"]))
    batch = Import.objects.get()
    response = client.post(reverse("import_columns", args=[batch.pk]), {"first_names": "Prénoms"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Colonne(s) obligatoire(s) non associée(s) : Nom, Date de naissance." in page
    batch.refresh_from_db()
    assert batch.status == Import.Status.MAPPING


def test_another_services_import_is_404(client_for, cpip, make_agent, org):
    batch = actions.upload(
        agent=cpip, content=csv_bytes([person_row("A", "B", "01/02/1980")]), file_name="a.csv"
    )
    other = client_for(make_agent("greff_sap", service=org.sap_alpha))
    for name in ("import_detail", "import_columns", "import_report"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    assert other.post(reverse("import_start", args=[batch.pk])).status_code == 404


def test_decisions_are_saved_from_the_page(client_for, cpip):
    import datetime

    from tests.factories import PersonFactory

    PersonFactory(last_name="Bernard", first_names="Sophie", birth_date=datetime.date(1975, 6, 7))
    client = client_for(cpip)
    upload(client, csv_bytes([person_row("Bernardd", "Sophie", "07/06/1975")]))
    batch = Import.objects.get()
    client.post(reverse("import_columns", args=[batch.pk]), batch.mapping)
    actions.check(batch.pk)
    row = batch.rows.get()
    page = client.get(reverse("import_detail", args=[batch.pk])).content.decode()
    assert "Doublons probables" in page and "Bernard" in page
    client.post(reverse("import_decide", args=[batch.pk]), {f"ligne-{row.pk}": "same"})
    row.refresh_from_db()
    assert row.decision == Row.Decision.SAME


def test_the_pages_queries_do_not_grow_with_the_rows(client_for, cpip):
    client = client_for(cpip)
    rows = [person_row(f"Nom{chr(97 + i)}x", "Jean", f"{i + 1:02d}/01/1980") for i in range(3)]
    batch = actions.upload(agent=cpip, content=csv_bytes(rows), file_name="a.csv")
    actions.confirm_mapping(agent=cpip, batch=batch, mapping=batch.mapping)
    actions.check(batch.pk)
    url = reverse("import_detail", args=[batch.pk])

    grown = [0]

    def grow() -> None:
        grown[0] += 1
        first = 100 * grown[0]
        Row.objects.bulk_create(
            Row(batch=batch, line=first + i, key=f"k{first + i}", values={}, verdict="error")
            for i in range(20)
        )
        extra = csv_bytes(rows[:1]) + b"\r\n" * grown[0]  # another file (another hash)
        actions.upload(agent=cpip, content=extra, file_name="b.csv")

    assert_queries_do_not_grow(lambda: client.get(url), grow)
    assert_queries_do_not_grow(lambda: client.get(reverse("import_list")), grow)


def test_an_xlsx_file_goes_through_the_same_steps(client_for, cpip):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["NOM", "Prénom(s)", "Né le"])
    book.active.append(["Durand", "Léa", datetime_of(1985, 2, 14)])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(cpip)
    response = upload(client, buffer.getvalue(), "personnes.xlsx")
    batch = Import.objects.get()
    assert batch.kind == "xlsx"
    assert "Classeur Excel" in client.get(response.url).content.decode()


def datetime_of(*args: int):
    import datetime

    return datetime.datetime(*args)


def test_the_report_neutralises_formulas(client_for, cpip):
    client = client_for(cpip)
    batch = actions.upload(
        agent=cpip,
        content=csv_bytes([person_row("=HYPERLINK(1)", "Jean", "31/02/1980")]),
        file_name="a.csv",
    )
    actions.confirm_mapping(agent=cpip, batch=batch, mapping=batch.mapping)
    actions.check(batch.pk)
    text = client.get(reverse("import_report", args=[batch.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_an_oversized_file_is_refused_by_the_form(client_for, cpip, monkeypatch):
    from jalon.imports import forms

    monkeypatch.setattr(forms, "MAX_BYTES", 10)
    response = upload(client_for(cpip), csv_bytes([person_row("A", "B", "01/02/1980")]))
    assert "dépasse 20 Mo" in response.content.decode()
    assert not Import.objects.exists()
