"""Authentication by key (401), scopes (403), the acting service, and the last use."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from jalon.api import actions
from jalon.api.models import ApiClient, ApiScope
from tests.api.conftest import assert_problem

JURISDICTIONS = "/referentials/jurisdictions"


def test_a_valid_key_authenticates(api, partner):
    response = api.get(JURISDICTIONS, partner.key)
    assert response.status_code == 200
    assert response.json()["items"]


def test_no_key_answers_401_problem(api, partner):
    body = assert_problem(api.get(JURISDICTIONS, None), 401, "authentication_required")
    assert "Authorization" in body["detail"]


def test_401_names_the_bearer_scheme(api, partner):
    assert api.get(JURISDICTIONS, None)["WWW-Authenticate"].startswith("Bearer")


def test_another_scheme_answers_401(api, partner):
    response = api.get(JURISDICTIONS, None, headers={"Authorization": f"Basic {partner.key}"})
    assert_problem(response, 401, "authentication_required")


def test_a_wrong_key_answers_401(api, partner):
    assert_problem(api.get(JURISDICTIONS, partner.key + "x"), 401, "invalid_key")


def test_a_revoked_key_answers_401(api, partner, national_admin):
    actions.revoke_client(agent=national_admin, client=partner.client)
    assert_problem(api.get(JURISDICTIONS, partner.key), 401, "revoked_key")


def test_an_expired_key_answers_401_the_day_after_its_expiry(api, make_partner):
    today = timezone.localdate()
    partner = make_partner(expires_on=today)
    assert api.get(JURISDICTIONS, partner.key).status_code == 200
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow):
        assert_problem(api.get(JURISDICTIONS, partner.key), 401, "expired_key")


def test_a_rotated_key_replaces_the_old_one(api, partner, national_admin):
    new_key = actions.rotate_key(
        agent=national_admin, client=partner.client, current_prefix=partner.client.key_prefix
    )
    assert new_key and new_key != partner.key
    assert_problem(api.get(JURISDICTIONS, partner.key), 401, "invalid_key")
    assert api.get(JURISDICTIONS, new_key).status_code == 200


def test_a_missing_scope_answers_403(api, make_partner):
    partner = make_partner(scopes=[ApiScope.PERSONS_READ])
    body = assert_problem(api.get(JURISDICTIONS, partner.key), 403, "missing_scope")
    assert "referentials:read" in body["detail"]


def test_the_key_is_stored_hashed_with_a_prefix(partner):
    stored = ApiClient.objects.get(pk=partner.client.pk)
    assert partner.key not in (stored.key_hash, stored.key_prefix)
    assert partner.key.startswith(stored.key_prefix)
    assert len(stored.key_prefix) < len(partner.key) // 2


def test_the_last_use_is_recorded(api, partner):
    assert ApiClient.objects.get(pk=partner.client.pk).last_used_at is None
    api.get(JURISDICTIONS, partner.key)
    assert ApiClient.objects.get(pk=partner.client.pk).last_used_at is not None


def test_a_client_of_several_services_names_one(api, make_partner, org):
    partner = make_partner(services=[org.spip_alpha, org.sap_beta])
    assert_problem(api.get(JURISDICTIONS, partner.key), 422, "service_required")
    named = api.get(JURISDICTIONS, partner.key, headers={"Jalon-Service": str(org.sap_beta.pk)})
    assert named.status_code == 200


def test_a_service_the_client_does_not_act_for_answers_403(api, partner, org):
    response = api.get(JURISDICTIONS, partner.key, headers={"Jalon-Service": str(org.sap_beta.pk)})
    assert_problem(response, 403, "service_not_allowed")


def test_a_malformed_service_header_answers_422(api, partner):
    response = api.get(JURISDICTIONS, partner.key, headers={"Jalon-Service": "SPIP"})
    assert_problem(response, 422, "invalid_service_header")
