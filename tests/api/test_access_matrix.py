"""The API's access table, as real requests: clients acting for different services, with
different scopes, against persons of each ressort and every operation."""

from __future__ import annotations

import re

import pytest

from jalon.api.models import ApiScope
from tests.api.conftest import assert_problem
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory, SlotFactory, appointment_type

R, W = ApiScope.PERSONS_READ, ApiScope.PERSONS_WRITE
REF = ApiScope.REFERENTIALS_READ
CR, CW = ApiScope.CONVOCATIONS_READ, ApiScope.CONVOCATIONS_WRITE


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
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        for method in operations:
            response = getattr(client, method)(url, content_type="application/json")
            assert_problem(response, 401, "authentication_required")


def test_a_revoked_clients_service_account_is_inactive(world, national_admin, org):
    from jalon.api import actions

    _, partners = world
    partner = partners["spip_alpha_rw"]
    actions.revoke_client(agent=national_admin, client=partner.client)
    assert partner.agent_for(org.spip_alpha).is_active is False


# --- Convocations -------------------------------------------------------------------------


@pytest.fixture
def convocation_world(org, agendas, make_partner):
    alpha = PersonFactory(followed_by=[org.spip_alpha])
    beta = PersonFactory(followed_by=[org.sap_beta])
    appointments = {
        "alpha": AppointmentFactory(person=alpha, agenda=agendas.spip_alpha, starts_at=days_ago(1)),
        "beta": AppointmentFactory(
            person=beta,
            agenda=agendas.sap_beta,
            appointment_type=appointment_type("jap_follow_up"),
            starts_at=days_ago(1),
        ),
    }
    partners = {
        "spip_alpha_rw": make_partner(services=[org.spip_alpha], scopes=[CR, CW]),
        "spip_alpha_read": make_partner(services=[org.spip_alpha], scopes=[CR]),
        "spip_alpha_persons": make_partner(services=[org.spip_alpha], scopes=[R, W]),
        "sap_alpha_rw": make_partner(services=[org.sap_alpha], scopes=[CR, CW]),
        "sap_beta_rw": make_partner(services=[org.sap_beta], scopes=[CR, CW]),
    }
    return appointments, partners


# (client, convocation) -> read one, list the person's, record the outcome (missed)
CONVOCATION_TABLE = [
    ("spip_alpha_rw", "alpha", 200, 200, 200),
    ("spip_alpha_rw", "beta", 404, 404, 404),
    ("spip_alpha_read", "alpha", 200, 200, 403),
    ("spip_alpha_persons", "alpha", 403, 403, 403),
    # SAP Alpha sees the person (same ressort) but does not receive this convocation.
    ("sap_alpha_rw", "alpha", 200, 200, 403),
    ("sap_beta_rw", "alpha", 404, 404, 404),
    ("sap_beta_rw", "beta", 200, 200, 200),
]


@pytest.mark.parametrize(("who", "which", "read", "listed", "outcome"), CONVOCATION_TABLE)
def test_convocation_access(api, convocation_world, who, which, read, listed, outcome):
    appointments, partners = convocation_world
    appointment, key = appointments[which], partners[who].key
    assert api.get(f"/convocations/{appointment.pk}", key).status_code == read
    listing = api.get(f"/persons/{appointment.person_id}/convocations", key)
    assert listing.status_code == listed
    response = api.post(f"/convocations/{appointment.pk}/outcome", key, {"status": "missed"})
    assert response.status_code == outcome, response.content
    appointment.refresh_from_db()
    assert (appointment.status == "missed") is (outcome == 200)


@pytest.mark.parametrize(
    ("who", "agenda", "status"),
    [
        ("spip_alpha_read", "spip_alpha", 200),
        ("spip_alpha_read", "sap_alpha", 200),
        ("spip_alpha_read", "sap_beta", 404),
        ("spip_alpha_persons", "spip_alpha", 403),
        ("sap_beta_rw", "sap_beta", 200),
        ("sap_beta_rw", "spip_alpha", 404),
    ],
)
def test_free_slot_access(api, convocation_world, agendas, who, agenda, status):
    _, partners = convocation_world
    SlotFactory(agenda=getattr(agendas, agenda))
    response = api.get(f"/agendas/{getattr(agendas, agenda).pk}/free-slots", partners[who].key)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("spip_alpha_rw", 201), ("spip_alpha_read", 403), ("sap_beta_rw", 404)],
)
def test_booking_access(api, convocation_world, org, agendas, who, status):
    from tests.dates import working_day_at

    appointments, partners = convocation_world
    body = {
        "person_id": appointments["alpha"].person_id,
        "appointment_type_id": appointment_type("spip_follow_up").pk,
        "agenda_id": agendas.spip_alpha.pk,
        "starts_at": working_day_at(3, service=org.spip_alpha).isoformat(),
    }
    assert api.post("/convocations", partners[who].key, body).status_code == status
