"""The commune import screen: national admins only; the report lists each bad row."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jalon.territory.models import Commune

URL = "/administration/communes/"
HEADER = "code_insee;nom;codes_postaux;tribunal_judiciaire;spip\n"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("communes.csv", (HEADER + text).encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("profile_code", "service", "expected"),
    [
        ("national_admin", "national", 200),
        ("local_admin", "sap_alpha", 403),
        ("dir_greff_bex", "bex_alpha", 403),
        ("bex", "bex_alpha", 403),
        ("cpip", "spip_alpha", 403),
    ],
)
def test_only_national_admins_open_the_import(
    client_for, org, make_agent, profile_code, service, expected
):
    agent = make_agent(profile_code, service=getattr(org, service))
    client = client_for(agent)
    assert client.get(URL).status_code == expected
    response = client.post(URL, {"file": upload("67482;Strasbourg;67000;tj-alpha;SPIP Alpha\n")})
    assert response.status_code == expected
    assert Commune.objects.exists() is (expected == 200)


def test_the_report_lists_bad_rows_and_keeps_good_ones(client_for, org, make_agent):
    client = client_for(make_agent("national_admin", service=org.national))
    response = client.post(
        URL,
        {
            "file": upload(
                "67482;Strasbourg;67000;tj-alpha;SPIP Alpha\n2A04;Ajaccio;20000;tj-alpha;SPIP Alpha\n"
            )
        },
    )
    html = response.content.decode()
    assert "1 commune(s) créée(s)" in html
    assert "1 ligne(s) en erreur ignorée(s)" in html
    assert "<td>3</td>" in html and "Code INSEE « 2A04 » invalide" in html
    assert list(Commune.objects.values_list("insee_code", flat=True)) == ["67482"]


def test_a_file_without_the_columns_is_refused_with_a_message(client_for, org, make_agent):
    client = client_for(make_agent("national_admin", service=org.national))
    bad = SimpleUploadedFile("x.csv", b"a;b\n1;2\n", content_type="text/csv")
    response = client.post(URL, {"file": bad})
    assert "La première ligne doit nommer les colonnes" in response.content.decode()
    missing = client.post(URL, {})
    assert "Choisissez le fichier CSV à importer." in missing.content.decode()
    assert not Commune.objects.exists()
