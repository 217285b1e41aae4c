"""The national administrators' screens for API clients (Administration menu)."""

from __future__ import annotations

import pytest

from jalon.api.models import ApiClient
from jalon.history.models import Event
from tests.api.conftest import Api

FORM = {
    "name": "Logiciel du SPIP",
    "contact_name": "Équipe",
    "contact_email": "equipe@partenaire.test",
    "scopes": ["persons:read", "referentials:read"],
    "expires_on": "",
}


def test_only_national_admins_reach_the_screens(client_for, make_agent, org, partner):
    local_admin = make_agent("local_admin", service=org.spip_alpha)
    client = client_for(local_admin)
    assert client.get("/administration/clients-api/").status_code == 403
    assert client.get("/administration/clients-api/nouveau/").status_code == 403
    url = f"/administration/clients-api/{partner.client.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url + "revoquer/").status_code == 403
    assert ApiClient.objects.get(pk=partner.client.pk).revoked_at is None


def test_the_menu_offers_the_screen_to_national_admins(client_for, national_admin):
    html = client_for(national_admin).get("/").content.decode()
    assert "/administration/clients-api/" in html


def test_create_shows_the_key_once_and_it_works(client_for, national_admin, org):
    client = client_for(national_admin)
    response = client.post(
        "/administration/clients-api/nouveau/", {**FORM, "services": [org.spip_alpha.pk]}
    )
    created = ApiClient.objects.get(name="Logiciel du SPIP")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Clé d’API à transmettre" in page
    key = page.split('<code class="jalon-api-key">')[1].split("</code>")[0]
    assert key.startswith(created.key_prefix)
    assert "Clé d’API à transmettre" not in client.get(response["Location"]).content.decode()
    assert Api(client).get("/referentials/services", key).status_code == 200
    event = Event.objects.for_object(created).get(action="api_client.created")
    assert event.actor == national_admin
    assert event.details["services"] == ["SPIP Alpha"]


def test_jurisdictions_add_their_services(client_for, national_admin, org):
    client = client_for(national_admin)
    client.post("/administration/clients-api/nouveau/", {**FORM, "jurisdictions": [org.tj_beta.pk]})
    created = ApiClient.objects.get(name="Logiciel du SPIP")
    assert list(created.services.all()) == [org.sap_beta]


def test_bad_input_keeps_what_was_typed(client_for, national_admin, partner):
    client = client_for(national_admin)
    response = client.post(
        "/administration/clients-api/nouveau/",
        {**FORM, "name": partner.client.name, "scopes": [], "expires_on": "31/02/2030"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Un client API porte déjà ce nom." in html
    assert "Cochez au moins un droit." in html
    assert "Choisissez au moins un service ou une juridiction." in html
    assert "Le 31/02/2030 n’existe pas : février 2030 n’a que 28 jours." in html
    assert 'value="equipe@partenaire.test"' in html
    assert ApiClient.objects.count() == 1


def test_rotate_twice_with_the_same_page_changes_the_key_once(client_for, national_admin, partner):
    client = client_for(national_admin)
    url = f"/administration/clients-api/{partner.client.pk}/nouvelle-cle/"
    prefix = partner.client.key_prefix
    client.post(url, {"current_prefix": prefix})
    client.post(url, {"current_prefix": prefix})
    assert Event.objects.filter(action="api_client.key_rotated").count() == 1
    page = client.get(f"/administration/clients-api/{partner.client.pk}/").content.decode()
    key = page.split('<code class="jalon-api-key">')[1].split("</code>")[0]
    assert Api(client).get("/referentials/services", key).status_code == 200


def test_revoke_is_recorded_once_and_stops_the_key(client_for, national_admin, partner):
    client = client_for(national_admin)
    url = f"/administration/clients-api/{partner.client.pk}/revoquer/"
    client.post(url)
    client.post(url)
    assert Event.objects.filter(action="api_client.revoked").count() == 1
    assert Api(client).get("/referentials/services", partner.key).status_code == 401


def test_edit_changes_services_and_scopes(client_for, national_admin, partner, org):
    client = client_for(national_admin)
    response = client.post(
        f"/administration/clients-api/{partner.client.pk}/modifier/",
        {**FORM, "name": partner.client.name, "services": [org.sap_beta.pk]},
    )
    assert response.status_code == 302
    partner.client.refresh_from_db()
    assert partner.client.scopes == ["persons:read", "referentials:read"]
    assert partner.agent_for(org.spip_alpha).is_active is False
    assert partner.agent_for(org.sap_beta).is_active is True


def test_the_list_shows_last_use(client_for, national_admin, partner):
    Api(client_for(national_admin)).get("/referentials/services", partner.key)
    html = client_for(national_admin).get("/administration/clients-api/").content.decode()
    assert partner.client.name in html
    assert "jamais" not in html


def test_service_accounts_are_not_listed_among_agents(client_for, national_admin, partner):
    html = client_for(national_admin).get("/administration/agents/").content.decode()
    assert "api.jalon.invalid" not in html


@pytest.mark.parametrize("path", ["", "nouveau/"])
def test_the_screens_render(client_for, national_admin, path):
    assert client_for(national_admin).get(f"/administration/clients-api/{path}").status_code == 200
