"""The NATINF screens: national administrators import an edition, every agent picks offences."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.cases.models import NatinfEdition, Offence
from jalon.history.models import Event
from tests.cases.natinf_files import import_file, lines_file, sample_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("natinf_import")
PICKER = reverse("offence_picker")


def upload(content: bytes, name: str = "liste-natinf.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def national(make_agent, org):
    return make_agent("national_admin", service=org.national)


@pytest.mark.parametrize("profile", ["cpip", "local_admin", "bex"])
def test_only_national_administrators_open_the_import_screen(client_for, make_agent, org, profile):
    service = org.bex_alpha if profile == "bex" else org.spip_alpha
    client = client_for(make_agent(profile, service=service))
    assert client.get(IMPORT).status_code == 403
    response = client.post(IMPORT, {"file": upload(sample_bytes()), "edition": "2026-07"})
    assert response.status_code == 403
    assert not Offence.objects.exists()


def test_a_national_administrator_imports_an_edition_and_reads_the_report(client_for, national):
    client = client_for(national)
    assert "Référentiel des infractions (NATINF)" in client.get(IMPORT).content.decode()
    response = client.post(
        IMPORT,
        {"file": upload(sample_bytes()), "edition": "2026-07", "in_force_from": "01/07/2026"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "580 infraction(s) ajoutée(s)" in page
    assert Offence.objects.count() == 580
    edition = NatinfEdition.objects.get()
    assert edition.imported_by == national and edition.file_name == "liste-natinf.csv"
    assert Event.objects.filter(actor=national).exists()


def test_a_check_only_run_reports_and_saves_nothing(client_for, national):
    response = client_for(national).post(
        IMPORT,
        {
            "file": upload(sample_bytes()),
            "edition": "2026-07",
            "in_force_from": "2026-07-01",
            "dry_run": "on",
        },
    )
    assert "580 infraction(s) ajoutée(s)" in response.content.decode()
    assert not Offence.objects.exists() and not NatinfEdition.objects.exists()


def test_a_wrong_file_is_refused_in_french_and_the_form_keeps_what_was_typed(client_for, national):
    content = "Numéro NATINF;Nature\r\n7;Délit\r\n".encode("utf-8-sig")
    response = client_for(national).post(
        IMPORT, {"file": upload(content), "edition": "2026-10", "in_force_from": "01/10/2026"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "UTF-8" in form.errors["file"][0]
    assert form["edition"].value() == "2026-10"
    assert not Offence.objects.exists() and not NatinfEdition.objects.exists()


def test_bad_rows_are_reported_one_by_one_and_good_rows_kept(client_for, national):
    content = lines_file("7;Délit;FAITS;ART.1;ART.2", "x12;Délit;AUTRES;ART.1;ART.2")
    response = client_for(national).post(
        IMPORT, {"file": upload(content), "edition": "2026-10", "in_force_from": "01/10/2026"}
    )
    rejected = response.context["report"].rejected
    assert [bad.line for bad in rejected] == [3]
    assert "Lignes rejetées" in response.content.decode()
    assert list(Offence.objects.values_list("number", flat=True)) == [7]


def test_every_agent_finds_an_offence_by_number_or_words(client_for, cpip):
    import_file(sample_bytes())
    client = client_for(cpip)
    by_words = client.get(PICKER, {"q": "abandon famille"})
    assert [offence.number for offence in by_words.context["offences"]] == [11]
    by_number = client.get(PICKER, {"q": "11"}, headers={"HX-Request": "true"})
    assert by_number.context["offences"][0].number == 11
    assert "11" in by_number.content.decode()
    assert client.get(PICKER, {"q": "a"}).context["too_short"]
