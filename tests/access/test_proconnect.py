"""Sign-in with ProConnect, against a real local OpenID provider (tests/oidc_provider.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from jalon.access import oidc
from jalon.access.views.proconnect import ID_TOKEN_SESSION_KEY
from jalon.history.models import Event
from jalon.history.registry import summary_for
from tests.oidc_provider import CLIENT_ID, new_ec_key, new_rsa_key

pytestmark = pytest.mark.django_db

EMAIL = "agent.proconnect@justice.test"  # the provider sends it in another case


def _start(client: Any, next_url: str = "") -> str:
    response = client.get(reverse("proconnect_start"), {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def _through_provider(url: str) -> str:
    """What the browser does at the provider: it consents at once and sends us back."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _sign_in(client: Any, next_url: str = "") -> Any:
    return client.get(_through_provider(_start(client, next_url)))


def _logged_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


# --- The flow --------------------------------------------------------------------------------


def test_off_unless_configured(client, settings):
    settings.PROCONNECT_ISSUER = ""
    assert "ProConnect" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("proconnect_start")).status_code == 404
    assert client.get(reverse("proconnect_callback"), {"state": "x"}).status_code == 404
    assert client.get(reverse("proconnect_logged_out")).status_code == 404


def test_the_login_page_offers_the_button(client, oidc_provider):
    page = client.get(reverse("login")).content.decode()
    assert "S’identifier avec" in page and "ProConnect" in page
    assert reverse("proconnect_start") in page


def test_the_authorization_request_carries_pkce_state_nonce_and_asks_for_amr(client, oidc_provider):
    query = parse_qs(urlsplit(_start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    attempt = client.session["_jalon_proconnect_attempt"]
    assert query["code_challenge"] == [oidc.code_challenge(attempt["verifier"])]
    assert query["state"] == [attempt["state"]] and query["nonce"] == [attempt["nonce"]]
    assert len(attempt["state"]) >= 32 and attempt["state"] != attempt["nonce"]
    assert query["claims"] == ['{"id_token":{"amr":{"essential":true}}}']
    assert query["scope"] == ["openid email given_name usual_name uid siret"]
    # A second attempt has its own values.
    _start(client)
    assert client.session["_jalon_proconnect_attempt"]["state"] != attempt["state"]


def test_an_active_agent_signs_in_by_e_mail_in_any_case(client, make_agent, oidc_provider):
    agent = make_agent(email=EMAIL)
    response = _sign_in(client, next_url="/personnes/")
    assert response.status_code == 302 and response["Location"] == "/personnes/"
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.session[ID_TOKEN_SESSION_KEY]
    event = Event.objects.get(action="auth.login", actor=agent)
    assert event.details == {
        "method": "proconnect",
        "amr": ["pwd"],
        "second_factor": "not_required",
    }
    assert client.get(reverse("home")).status_code == 200


def test_the_session_key_changes_at_sign_in(client, make_agent, oidc_provider):
    make_agent(email=EMAIL)
    url = _start(client)
    before = client.session.session_key
    client.get(_through_provider(url))
    assert _logged_in(client) and client.session.session_key != before


def test_a_json_userinfo_is_read_too(client, make_agent, oidc_provider):
    oidc_provider.userinfo_as_jwt = False
    make_agent(email=EMAIL)
    assert _sign_in(client).status_code == 302 and _logged_in(client)


def test_an_unknown_e_mail_gets_a_page_saying_whom_to_ask(client, make_agent, oidc_provider):
    make_agent(email="someone.else@justice.test")
    response = _sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Aucun compte à cette adresse" in page
    assert "administrateur local" in page
    assert not _logged_in(client)


def test_a_deactivated_agent_is_refused(client, make_agent, oidc_provider):
    agent = make_agent(email=EMAIL, is_active=False)
    response = _sign_in(client)
    assert response.status_code == 403
    assert "Votre compte est désactivé" in response.content.decode()
    assert not _logged_in(client)
    assert Event.objects.filter(action="auth.proconnect_refused", target_id=str(agent.pk)).exists()


def test_a_replayed_state_is_refused(client, make_agent, oidc_provider):
    make_agent(email=EMAIL)
    callback = _through_provider(_start(client))
    assert client.get(callback).status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "La connexion avec ProConnect n’a pas abouti" in replay.content.decode()
    assert not _logged_in(client)


def test_a_state_from_another_attempt_is_refused(client, make_agent, oidc_provider):
    make_agent(email=EMAIL)
    first = _through_provider(_start(client))
    _start(client)  # a newer attempt replaces the first one
    assert client.get(first).status_code == 400
    assert not _logged_in(client)


def test_the_provider_refusing_gives_the_failure_page(client, make_agent, oidc_provider):
    make_agent(email=EMAIL)
    oidc_provider.deny_next = True
    callback = _through_provider(_start(client))
    assert "error=access_denied" in callback
    assert client.get(callback).status_code == 400
    assert not _logged_in(client)


def test_an_unreachable_provider_gives_the_failure_page(client, settings):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9"  # discard port: nobody answers
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = "x"
    settings.PROCONNECT_TIMEOUT_SECONDS = 1
    oidc.clear_caches()
    response = client.get(reverse("proconnect_start"))
    assert response.status_code == 502
    assert "ProConnect ne répond pas" in response.content.decode()


# --- The ID token: what the client refuses ------------------------------------------------


def _refused(client: Any, provider: Any, forge: Any) -> None:
    provider.forge_id_token = forge
    response = _sign_in(client)
    assert response.status_code == 400
    assert "La connexion avec ProConnect n’a pas abouti" in response.content.decode()
    assert not _logged_in(client)


@pytest.fixture
def agent(make_agent):
    return make_agent(email=EMAIL)


def test_a_token_signed_with_another_key_is_refused(client, agent, oidc_provider):
    other = new_rsa_key(oidc_provider.key.kid)  # same kid, another key
    _refused(client, oidc_provider, lambda header, claims: (header, claims, other))


def test_a_token_signed_with_an_unknown_key_is_refused(client, agent, oidc_provider):
    other = new_rsa_key("unknown-kid")
    header = {"alg": "RS256", "kid": "unknown-kid"}
    _refused(client, oidc_provider, lambda _, claims: (header, claims, other))


def test_a_wrong_audience_is_refused(client, agent, oidc_provider):
    _refused(
        client,
        oidc_provider,
        lambda header, claims: (header, {**claims, "aud": "another-client"}, oidc_provider.key),
    )


def test_several_audiences_need_azp(client, agent, oidc_provider):
    _refused(
        client,
        oidc_provider,
        lambda header, claims: (header, {**claims, "aud": [CLIENT_ID, "other"]}, oidc_provider.key),
    )


def test_a_wrong_issuer_is_refused(client, agent, oidc_provider):
    _refused(
        client,
        oidc_provider,
        lambda header, claims: (
            header,
            {**claims, "iss": "https://attacker.example"},
            oidc_provider.key,
        ),
    )


def test_an_expired_token_is_refused(client, agent, oidc_provider):
    def expired(header: dict, claims: dict) -> tuple:
        issued = claims["iat"] - 7200  # issued two hours before, valid one hour
        return header, {**claims, "iat": issued, "exp": issued + 3600}, oidc_provider.key

    _refused(client, oidc_provider, expired)


def test_a_token_without_exp_is_refused(client, agent, oidc_provider):
    def without_exp(header: dict, claims: dict) -> tuple:
        return header, {k: v for k, v in claims.items() if k != "exp"}, oidc_provider.key

    _refused(client, oidc_provider, without_exp)


def test_a_wrong_nonce_is_refused(client, agent, oidc_provider):
    _refused(
        client,
        oidc_provider,
        lambda header, claims: (header, {**claims, "nonce": "another-nonce"}, oidc_provider.key),
    )


def test_alg_none_is_refused(client, agent, oidc_provider):
    _refused(client, oidc_provider, lambda header, claims: ({"alg": "none"}, claims, None))


def test_hs256_with_the_public_key_as_secret_is_refused(client, agent, oidc_provider):
    secret = oidc_provider.key.as_pem(private=False)  # what a naive verifier would use
    header = {"alg": "HS256", "kid": oidc_provider.key.kid}
    _refused(client, oidc_provider, lambda _, claims: (header, claims, secret))


def test_an_es256_token_signed_with_a_new_key_is_accepted(client, agent, oidc_provider):
    """ES256 is on the allow-list; an unknown kid fetches the JWKS again (key rotation)."""
    assert _sign_in(client).status_code == 302  # the JWKS is now cached
    client.logout()
    fetches = oidc_provider.jwks_fetches
    ec = new_ec_key("ec-1")
    oidc_provider.extra_keys.append(ec)
    oidc_provider.forge_id_token = lambda _, claims: ({"alg": "ES256", "kid": "ec-1"}, claims, ec)
    assert _sign_in(client).status_code == 302
    assert _logged_in(client)
    assert oidc_provider.jwks_fetches == fetches + 1


# --- Second factor ---------------------------------------------------------------------------


@pytest.fixture
def agent_requiring_2fa(make_agent, org):
    org.sap_alpha.requires_2fa = True
    org.sap_alpha.save()
    return make_agent(email=EMAIL)


def test_mfa_asserted_by_the_provider_skips_totp(client, agent_requiring_2fa, oidc_provider):
    oidc_provider.amr = ["pwd", "totp", "mfa"]
    _sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    event = Event.objects.get(action="auth.login", actor=agent_requiring_2fa)
    assert event.details["second_factor"] == "provider"
    assert summary_for("auth.login", event.details) == (
        "Par ProConnect, double authentification assurée par ProConnect"
    )
    assert event.details["amr"] == ["pwd", "totp", "mfa"]


def test_without_mfa_totp_is_asked(client, agent_requiring_2fa, oidc_provider):
    oidc_provider.amr = ["pwd"]
    _sign_in(client)
    gate = client.get(reverse("home"))
    assert gate.status_code == 302 and gate["Location"].startswith(reverse("two_factor"))
    event = Event.objects.get(action="auth.login", actor=agent_requiring_2fa)
    assert event.details["second_factor"] == "totp"
    assert summary_for("auth.login", event.details) == (
        "Par ProConnect, code de l’application d’authentification demandé"
    )


# --- Logout ----------------------------------------------------------------------------------


def test_logout_ends_the_provider_session_too(client, agent, oidc_provider):
    _sign_in(client)
    id_token = client.session[ID_TOKEN_SESSION_KEY]
    response = client.post(reverse("logout"))
    assert not _logged_in(client)
    assert response.status_code == 200  # a page moving on by itself: see the view
    location = response.context["end_session_url"]
    assert f'content="0;url={location.replace("&", "&amp;")}"' in response.content.decode()
    assert location.startswith(f"{oidc_provider.issuer}/session/end?")
    query = parse_qs(urlsplit(location).query)
    assert query["id_token_hint"] == [id_token]
    back = requests.get(location, allow_redirects=False, timeout=5)
    assert back.status_code == 303
    assert oidc_provider.end_session_calls[-1]["state"] == query["state"][0]
    returned = client.get(back.headers["Location"])
    assert returned.status_code == 302 and returned["Location"] == reverse("login")
    page = client.get(returned["Location"]).content.decode()
    assert "Vous êtes déconnecté(e), de ProConnect aussi." in page
    assert Event.objects.filter(action="auth.logout", actor=agent).exists()


def test_a_logout_return_with_another_state_says_nothing(client, oidc_provider):
    response = client.get(reverse("proconnect_logged_out"), {"state": "forged"})
    assert response.status_code == 302
    assert "de ProConnect aussi" not in client.get(response["Location"]).content.decode()


def test_a_password_login_logs_out_locally(client_for, make_agent, oidc_provider):
    client = client_for(make_agent())
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert oidc_provider.end_session_calls == []


def test_the_password_login_says_so_in_history(client, make_agent):
    from tests.factories import PASSWORD

    agent = make_agent()
    client.post(reverse("login"), {"username": agent.email, "password": PASSWORD})
    event = Event.objects.get(action="auth.login", actor=agent)
    assert event.details == {"method": "password"}
    assert summary_for("auth.login", event.details) == "Par mot de passe"


def test_a_discovery_document_naming_another_issuer_is_refused(client, oidc_provider):
    published = oidc_provider.discovery()
    oidc_provider.discovery = lambda: {**published, "issuer": "https://attacker.example"}
    response = client.get(reverse("proconnect_start"))
    assert response.status_code == 502
    assert "_jalon_proconnect_attempt" not in client.session
