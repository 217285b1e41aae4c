"""The API's access table, as real requests: clients acting for different services, with
different scopes, against persons of each ressort and every operation."""

from __future__ import annotations

import pytest

from jalon.api.models import ApiScope
from tests.api.conftest import assert_problem
from tests.factories import PersonFactory

R, W = ApiScope.PERSONS_READ, ApiScope.PERSONS_WRITE
REF = ApiScope.REFERENTIALS_READ


@pytest.fixture
def world(org, make_partner):
    persons = {
        "alpha": PersonFactory(followed_by=[org.sap_alpha]),
        "beta": PersonFactory(followed_by=[org.sap_beta]),
    }
    partners = {
        "spip_alpha_rw": make_partner(services=[org.spip_alpha], scopes=[R, W]),
        "spip_alpha_read": make_partner(services=[org.spip_alpha], scopes=[R]),
        "sap_beta_rw": make_partner(services=[org.sap_beta], scopes=[R, W]),
        "referentials_only": make_partner(services=[org.spip_alpha], scopes=[REF]),
    }
    return persons, partners


# (client, person) -> expected status of: read, list contains, patch contact
TABLE = [
    ("spip_alpha_rw", "alpha", 200, True, 200),
    ("spip_alpha_rw", "beta", 404, False, 404),
    ("spip_alpha_read", "alpha", 200, True, 403),
    ("spip_alpha_read", "beta", 404, False, 403),
    ("sap_beta_rw", "alpha", 404, False, 404),
    ("sap_beta_rw", "beta", 200, True, 200),
    ("referentials_only", "alpha", 403, None, 403),
    ("referentials_only", "beta", 403, None, 403),
]


@pytest.mark.parametrize(("who", "whose", "read", "listed", "patch"), TABLE)
def test_person_access(api, world, who, whose, read, listed, patch):
    persons, partners = world
    person, key = persons[whose], partners[who].key
    assert api.get(f"/persons/{person.pk}", key).status_code == read
    page = api.get("/persons", key)
    if listed is None:
        assert page.status_code == 403
    else:
        assert (person.pk in [item["id"] for item in page.json()["items"]]) is listed
    response = api.patch(f"/persons/{person.pk}/contact", key, {"refuses_sms": True})
    assert response.status_code == patch
    person.refresh_from_db()
    assert person.refuses_sms is (patch == 200)


@pytest.mark.parametrize(
    ("who", "status"),
    [("spip_alpha_rw", 201), ("spip_alpha_read", 403), ("referentials_only", 403)],
)
def test_create_access(api, world, who, status):
    _, partners = world
    body = {
        "last_name": "Nouveau",
        "first_names": "Né",
        "birth_date": "1980-01-01",
        "refuses_sms": True,
    }
    assert api.post("/persons", partners[who].key, body).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("spip_alpha_rw", 403), ("referentials_only", 200)],
)
def test_referential_access(api, world, who, status):
    _, partners = world
    for path in (
        "/referentials/jurisdictions",
        "/referentials/services",
        "/referentials/appointment-types",
    ):
        assert api.get(path, partners[who].key).status_code == status, path
    response = api.get("/referentials/offences", partners[who].key, q="vol")
    assert response.status_code == status


def test_every_operation_refuses_a_call_without_key(api, partner, client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        url = path.replace("{person_id}", "1").replace("{number}", "1")
        for method in operations:
            response = getattr(client, method)(url, content_type="application/json")
            assert_problem(response, 401, "authentication_required")


def test_a_revoked_clients_service_account_is_inactive(world, national_admin, org):
    from jalon.api import actions

    _, partners = world
    partner = partners["spip_alpha_rw"]
    actions.revoke_client(agent=national_admin, client=partner.client)
    assert partner.agent_for(org.spip_alpha).is_active is False
