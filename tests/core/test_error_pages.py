"""Error pages are French DSFR pages with a way back; the 500 one gives the request id."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, SituationFactory

pytestmark = pytest.mark.usefixtures("no_debug")


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False


def _assert_french_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in page and "dsfr.min.css" in page
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/">Retour à l’accueil</a>' in page
    return page


def test_a_missing_or_out_of_scope_record_gives_the_french_404(client_for, cpip, org):
    other = PersonFactory(followed_by=[org.sap_beta])  # another ressort
    client = client_for(cpip)

    for url in (reverse("person_detail", args=[other.pk]), "/nulle-part/"):
        response = client.get(url)
        page = _assert_french_page(response, 404, "Page introuvable")
        assert response["X-Request-ID"] in page


def test_a_refused_action_gives_the_french_403(client_for, cpip):
    response = client_for(cpip).get(reverse("agent_list"))
    _assert_french_page(response, 403, "Accès refusé")


def test_a_form_without_its_csrf_token_gives_the_french_expired_form_page(cpip):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cpip, backend="jalon.access.backends.AgentBackend")
    response = client.post(reverse("person_create"), {"last_name": "Dupont"})
    _assert_french_page(response, 403, "Formulaire expiré")


def test_get_on_a_post_only_address_gives_the_french_405(client_for, make_agent, org):
    from tests.situations.world import build_world

    world = build_world(org)
    parquet = make_agent("parquet", service=world.parquet_alpha)
    situation = SituationFactory(jurisdiction=org.tj_alpha)
    response = client_for(parquet).get(reverse("situation_follow", args=[situation.pk]))
    _assert_french_page(response, 405, "Action impossible ici")


def test_invalid_input_gives_the_french_400(client_for, cpip):
    response = client_for(cpip).get(reverse("person_list"), {"q": "a\x00b"})
    page = _assert_french_page(response, 400, "Demande invalide")
    assert "caractères invalides" in page


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"


def test_a_crash_gives_the_500_page_with_the_request_id(failing_urls, client_for, cpip):
    client = client_for(cpip)
    client.raise_request_exception = False

    response = client.get("/tests/panne/", headers={"X-Request-ID": "req-4f2a9c"})

    page = _assert_french_page(response, 500, "Une erreur est survenue")
    assert "indiquez cette référence : <strong>req-4f2a9c</strong>" in page
    assert "support@" in page


def test_the_500_page_renders_when_the_database_is_gone(
    failing_urls, client_for, cpip, monkeypatch
):
    """Rendering it makes no query at all: it still works when the database is what failed."""
    from jalon.views import server_error

    client = client_for(cpip)
    client.raise_request_exception = False

    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page queried the database")

    with connection.execute_wrapper(refuse):
        response = server_error(client.request().wsgi_request)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
