"""A page per service and the general information pages: public, cached, edited by admins."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from jalon.core import links
from jalon.history.models import Event
from jalon.public import cache as public_cache
from jalon.public.models import InfoPage, ServicePage
from tests.factories import PlaceFactory, ServiceFactory
from tests.queries import assert_queries_do_not_grow


def service_url(service) -> str:
    return reverse("public_service_page", args=[links.service_page_token(service.pk)])


@pytest.fixture
def local_admin(make_agent, org):
    return make_agent("local_admin", service=org.spip_alpha)


def test_the_service_page_shows_its_places_without_login_or_cookie(client, org):
    PlaceFactory(
        service=org.spip_alpha, name="SPIP Alpha — siège", address="3 rue Haute\n67000 Strasbourg"
    )
    org.spip_alpha.phone = "03 88 11 22 33"
    org.spip_alpha.save()
    response = client.get(service_url(org.spip_alpha))
    assert response.status_code == 200
    body = response.content.decode()
    assert "SPIP Alpha" in body and "3 rue Haute" in body and "03 88 11 22 33" in body
    assert reverse("public_info_index") in body
    assert response["Cache-Control"] == "public, max-age=300"
    assert not response.cookies
    assert "<script" not in body  # light: works without JavaScript, loads none


@pytest.mark.parametrize("token", ["1", "1-aaaaaa", "zzzz-abcdef", "1-" + "0" * 6, "-", "é-é"])
def test_a_forged_service_token_is_a_french_404(client, org, token):
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_sequential_id_alone_does_not_open_a_page(client, org):
    assert client.get(f"/s/{org.spip_alpha.pk}").status_code == 404


def test_an_inactive_service_has_no_page(client, org):
    url = service_url(org.spip_alpha)
    org.spip_alpha.is_active = False
    org.spip_alpha.save()
    assert client.get(url).status_code == 404


def test_the_page_costs_no_query_once_cached_whatever_the_places(client, org):
    url = service_url(org.spip_alpha)
    assert_queries_do_not_grow(
        lambda: client.get(url),
        lambda: PlaceFactory.create_batch(5, service=org.spip_alpha),
        at_most=0,
    )


def test_an_edit_saved_by_another_process_shows_once_the_version_is_read_again(
    client, org, monkeypatch
):
    url = service_url(org.spip_alpha)
    ServicePage.objects.create(service=org.spip_alpha, opening_hours="Le matin")
    assert "Le matin" in client.get(url).content.decode()
    # Another process saves an edit: this one still remembers the old version a few seconds …
    ServicePage.objects.filter(service=org.spip_alpha).update(
        opening_hours="L’après-midi", version=F("version") + 1
    )
    assert "Le matin" in client.get(url).content.decode()
    # … then reads it again, and renders the new version.
    monkeypatch.setattr(public_cache, "VERSION_SECONDS", 0.0)
    assert "L’après-midi" in client.get(url).content.decode()


def test_the_local_admin_edits_the_page_and_it_shows_at_once(client_for, org, local_admin, client):
    url = service_url(org.spip_alpha)
    assert "Lundi au vendredi" not in client.get(url).content.decode()  # now cached
    agent_client = client_for(local_admin)
    edit = reverse("public_service_page_edit", args=[org.spip_alpha.pk])
    data = {
        "address": "5 place du Marché\n67000 Strasbourg",
        "opening_hours": "Lundi au vendredi, 9h-12h et 14h-17h",
        "access": "Tram C, arrêt Marché. Rampe d’accès à gauche de l’entrée.",
        "phone": "03 88 99 99 99",
        "email": "spip.alpha@justice.fr",
        "organisations": "Association Relais : logement, 03 88 00 11 22\nPoint-justice : avocat gratuit",
    }
    assert agent_client.post(edit, data).status_code == 302
    assert agent_client.post(edit, data).status_code == 302  # a second click changes nothing
    page = ServicePage.objects.get(service=org.spip_alpha)
    assert page.version == 2 and page.updated_by == local_admin
    events = Event.objects.filter(action="public.service_page_edited")
    assert events.count() == 1 and events.get().actor == local_admin
    client.logout()
    body = client.get(url).content.decode()
    assert "Lundi au vendredi" in body and "Association Relais" in body and "Tram C" in body


def test_a_bad_email_keeps_what_was_typed(client_for, org, local_admin):
    response = client_for(local_admin).post(
        reverse("public_service_page_edit", args=[org.spip_alpha.pk]),
        {"opening_hours": "Le matin", "email": "pas-une-adresse"},
    )
    assert response.status_code == 400
    assert "Le matin" in response.content.decode()
    assert not ServicePage.objects.exists()


@pytest.mark.parametrize(
    ("profile_code", "service_name", "target", "expected"),
    [
        ("local_admin", "spip_alpha", "spip_alpha", 200),
        ("local_admin", "spip_alpha", "sap_alpha", 404),  # another service
        ("dir_greff_sap", "sap_alpha", "sap_alpha", 200),
        ("cpip", "spip_alpha", "spip_alpha", 404),
        ("dpip", "spip_alpha", "spip_alpha", 404),
        ("national_admin", "national", "spip_alpha", 200),
    ],
)
def test_who_edits_a_service_page(
    client_for, make_agent, org, profile_code, service_name, target, expected
):
    agent = make_agent(profile_code, service=getattr(org, service_name))
    url = reverse("public_service_page_edit", args=[getattr(org, target).pk])
    assert client_for(agent).get(url).status_code == expected


def test_the_admin_list_of_public_pages(client_for, make_agent, org):
    assert (
        client_for(make_agent("cpip", service=org.spip_alpha))
        .get(reverse("public_pages_admin"))
        .status_code
        == 403
    )
    body = (
        client_for(make_agent("local_admin", service=org.spip_alpha))
        .get(reverse("public_pages_admin"))
        .content.decode()
    )
    assert "SPIP Alpha" in body and "SAP Alpha" not in body


# --- Information pages -------------------------------------------------------------------


def test_the_initial_information_pages_are_public(client, db):
    index = client.get(reverse("public_info_index"))
    assert index.status_code == 200
    slugs = list(InfoPage.objects.values_list("slug", flat=True))
    assert set(slugs) >= {
        "peine-en-milieu-ouvert",
        "amenagements-de-peine",
        "obligations-et-interdictions",
        "qui-fait-quoi",
    }
    for slug in slugs:
        assert reverse("public_info_page", args=[slug]) in index.content.decode()
        page = client.get(reverse("public_info_page", args=[slug]))
        assert page.status_code == 200 and "<h2>" in page.content.decode()
        assert page["Cache-Control"] == "public, max-age=300"
    assert client.get(reverse("public_info_page", args=["inconnue"])).status_code == 404


def test_a_national_admin_edits_an_information_page_sanitised(client_for, make_agent, org, client):
    page = InfoPage.objects.get(slug="qui-fait-quoi")
    url = reverse("public_info_page", args=[page.slug])
    client.get(url)  # cached
    admin = make_agent("national_admin", service=org.national)
    response = client_for(admin).post(
        reverse("public_info_page_edit", args=[page.pk]),
        {
            "title": "Qui fait quoi",
            "summary": "Les acteurs",
            "position": 3,
            "body_markdown": "## Le JAP\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
            '<img src=x onerror="alert(1)">',
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert "<script" not in page.body_html and "href" not in page.body_html
    assert "<img" not in page.body_html and "&lt;script&gt;" in page.body_html
    assert Event.objects.filter(action="public.info_page_edited", actor=admin).count() == 1
    client.logout()
    body = client.get(url).content.decode()
    assert "Le JAP" in body and "<script>alert" not in body


@pytest.mark.parametrize("profile_code", ["local_admin", "cpip", "dpip"])
def test_only_national_admins_edit_information_pages(client_for, make_agent, org, profile_code):
    page = InfoPage.objects.get(slug="qui-fait-quoi")
    agent = make_agent(profile_code, service=org.spip_alpha)
    url = reverse("public_info_page_edit", args=[page.pk])
    assert client_for(agent).get(url).status_code == 403
    assert (
        client_for(agent).post(url, {"title": "x", "body_markdown": "x", "position": 0}).status_code
        == 403
    )
    page.refresh_from_db()
    assert page.title != "x"


def test_another_service_page_is_unaffected_by_an_edit(client, org, local_admin, client_for):
    other = ServiceFactory(name="SPIP Gamma")
    client_for(local_admin).post(
        reverse("public_service_page_edit", args=[org.spip_alpha.pk]),
        {"opening_hours": "Sur rendez-vous"},
    )
    client.logout()
    assert "Sur rendez-vous" not in client.get(service_url(other)).content.decode()


def test_a_national_admin_lists_every_service_and_the_information_pages(
    client_for, make_agent, org
):
    body = (
        client_for(make_agent("national_admin", service=org.national))
        .get(reverse("public_pages_admin"))
        .content.decode()
    )
    assert "SPIP Alpha" in body and "SAP Beta" in body
    assert (
        reverse("public_info_page_edit", args=[InfoPage.objects.get(slug="qui-fait-quoi").pk])
        in body
    )
