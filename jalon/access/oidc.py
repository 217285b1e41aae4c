"""ProConnect sign-in: an OpenID Connect client (authorization code flow with PKCE S256).

Everything that talks to the provider lives here: the discovery document and the provider's
keys (JWKS), both fetched on first use and cached per process, the authorization URL, the
code exchange, the verification of the signed ID token and of the userinfo answer (ProConnect
answers userinfo with a signed JWT; a plain JSON answer is accepted too), and the end-session
URL. No network call happens at import time; every call has a timeout.

What is checked on the ID token (``verify_jwt``): the signature with a key of the provider's
JWKS (refetched once when the token names a key id not in the cache, so that a key rotation
works), the algorithm from an allow-list (RS256, ES256: never ``none``, never HS256 with the
public key used as a secret), ``iss`` equal to the configured issuer, ``aud`` containing our
client id (and ``azp`` equal to it when there are several audiences), ``exp`` and ``iat``
present and ``exp`` not past, and ``nonce`` equal to the one of this attempt.

The flow (views in ``access/views/proconnect.py``, docs/access.md "ProConnect") keeps
``state``, ``nonce`` and the PKCE verifier in the session, used once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings

ALGORITHMS = ("RS256", "ES256")
KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}
DISCOVERY_TTL_SECONDS = 3600
LEEWAY_SECONDS = 60  # clock skew between the provider and us
AMR_CLAIMS_REQUEST = {"id_token": {"amr": {"essential": True}}}


class OidcError(Exception):
    """The sign-in cannot go on. The message is for the logs (English); the agent sees a
    French page that does not repeat it."""


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    mfa_amr: tuple[str, ...]
    timeout: float


def config() -> Config | None:
    """The provider's settings, or None when ProConnect is not configured (then it is off:
    no button, its routes answer 404)."""
    issuer = settings.PROCONNECT_ISSUER.rstrip("/")
    if not (issuer and settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_CLIENT_SECRET):
        return None
    return Config(
        issuer=issuer,
        client_id=settings.PROCONNECT_CLIENT_ID,
        client_secret=settings.PROCONNECT_CLIENT_SECRET,
        scopes=settings.PROCONNECT_SCOPES,
        mfa_amr=tuple(settings.PROCONNECT_MFA_AMR),
        timeout=float(settings.PROCONNECT_TIMEOUT_SECONDS),
    )


def enabled() -> bool:
    return config() is not None


# --- Discovery and keys, cached per process ----------------------------------------------

_lock = threading.Lock()
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks: dict[str, dict[str, dict[str, Any]]] = {}


def clear_caches() -> None:
    with _lock:
        _discovery.clear()
        _jwks.clear()


def _get_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
    except requests.RequestException as error:
        raise OidcError(f"GET {url} failed: {error}") from None
    if response.status_code != 200:
        raise OidcError(f"GET {url} answered {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        raise OidcError(f"GET {url} did not answer JSON") from None
    if not isinstance(data, dict):
        raise OidcError(f"GET {url} did not answer a JSON object")
    return data


def discovery(cfg: Config) -> dict[str, Any]:
    """``<issuer>/.well-known/openid-configuration``, kept an hour."""
    now = time.monotonic()
    with _lock:
        cached = _discovery.get(cfg.issuer)
    if cached is not None and now - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    document = _get_json(f"{cfg.issuer}/.well-known/openid-configuration", cfg.timeout)
    if document.get("issuer") != cfg.issuer:
        raise OidcError(f"discovery names issuer {document.get('issuer')!r}, not {cfg.issuer!r}")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        if not isinstance(document.get(name), str):
            raise OidcError(f"discovery lacks {name}")
    with _lock:
        _discovery[cfg.issuer] = (now, document)
    return document


def _fetch_jwks(uri: str, timeout: float) -> dict[str, dict[str, Any]]:
    keys = _get_json(uri, timeout).get("keys")
    if not isinstance(keys, list):
        raise OidcError("JWKS without keys")
    by_kid: dict[str, dict[str, Any]] = {}
    for index, key in enumerate(keys):
        if isinstance(key, dict) and key.get("use", "sig") == "sig":
            by_kid[str(key.get("kid", f"#{index}"))] = key
    return by_kid


def _signing_key(cfg: Config, kid: str | None, alg: str) -> Any:
    uri = discovery(cfg)["jwks_uri"]
    with _lock:
        keys = _jwks.get(uri)
    if keys is None or (kid is not None and kid not in keys):
        keys = _fetch_jwks(uri, cfg.timeout)  # first use, or an unknown kid: a rotation
        with _lock:
            _jwks[uri] = keys
    if kid is not None:
        candidates = [keys[kid]] if kid in keys else []
    else:
        candidates = [key for key in keys.values() if key.get("kty") == KEY_TYPES[alg]]
    if len(candidates) != 1:
        raise OidcError(f"no single key of the provider matches kid {kid!r}")
    try:
        return jwt.PyJWK(candidates[0], algorithm=alg).key
    except (jwt.PyJWKError, jwt.InvalidKeyError) as error:
        raise OidcError(f"key {kid!r} unusable with {alg}: {error}") from None


def verify_jwt(
    cfg: Config, token: str, *, nonce: str | None = None, require_times: bool = True
) -> dict[str, Any]:
    """The claims of a JWT signed by the provider for us, or OidcError."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise OidcError(f"malformed JWT: {error}") from None
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise OidcError(f"algorithm {alg!r} refused")
    key = _signing_key(cfg, header.get("kid"), alg)
    required = ["iss", "aud", "sub"] + (["exp", "iat"] if require_times else [])
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=cfg.client_id,
            issuer=cfg.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": required},
        )
    except jwt.InvalidTokenError as error:
        raise OidcError(f"JWT refused: {error}") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != cfg.client_id:
        raise OidcError("azp is not our client id")
    if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("nonce does not match this attempt")
    return claims


# --- The steps of the flow ------------------------------------------------------------------


def new_secret() -> str:
    """A random value for state, nonce and the PKCE verifier (43 characters, ProConnect
    asks for at least 32)."""
    return secrets.token_urlsafe(32)


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _with_query(endpoint: str, params: dict[str, str]) -> str:
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)


def authorization_url(
    cfg: Config, *, redirect_uri: str, state: str, nonce: str, verifier: str
) -> str:
    return _with_query(
        discovery(cfg)["authorization_endpoint"],
        {
            "response_type": "code",
            "client_id": cfg.client_id,
            "redirect_uri": redirect_uri,
            "scope": cfg.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
            # ProConnect returns amr (how the agent authenticated) only when asked.
            "claims": json.dumps(AMR_CLAIMS_REQUEST, separators=(",", ":")),
        },
    )


@dataclass(frozen=True)
class SignIn:
    """What a successful code exchange tells about the agent."""

    subject: str
    email: str
    id_token: str
    amr: tuple[str, ...]


def complete(cfg: Config, *, code: str, redirect_uri: str, nonce: str, verifier: str) -> SignIn:
    """Exchange the code, verify the ID token, read the e-mail from userinfo."""
    document = discovery(cfg)
    try:
        response = requests.post(
            document["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": cfg.client_id,
                "client_secret": cfg.client_secret,
                "code_verifier": verifier,
            },
            headers={"Accept": "application/json"},
            timeout=cfg.timeout,
        )
    except requests.RequestException as error:
        raise OidcError(f"token endpoint failed: {error}") from None
    if response.status_code != 200:
        raise OidcError(f"token endpoint answered {response.status_code}: {response.text[:200]}")
    try:
        tokens = response.json()
    except ValueError:
        raise OidcError("token endpoint did not answer JSON") from None
    id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise OidcError("token endpoint answer lacks id_token or access_token")
    if str(tokens.get("token_type", "")).lower() != "bearer":
        raise OidcError("token_type is not Bearer")
    claims = verify_jwt(cfg, id_token, nonce=nonce)
    subject = str(claims["sub"])
    userinfo = _userinfo(cfg, document["userinfo_endpoint"], access_token)
    if str(userinfo.get("sub")) != subject:
        raise OidcError("userinfo sub differs from the ID token's")
    email = userinfo.get("email") or claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise OidcError("no e-mail address in userinfo")
    amr = claims.get("amr")
    return SignIn(
        subject=subject,
        email=email.strip(),
        id_token=id_token,
        amr=tuple(str(value) for value in amr) if isinstance(amr, list) else (),
    )


def _userinfo(cfg: Config, endpoint: str, access_token: str) -> dict[str, Any]:
    try:
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=cfg.timeout,
        )
    except requests.RequestException as error:
        raise OidcError(f"userinfo failed: {error}") from None
    if response.status_code != 200:
        raise OidcError(f"userinfo answered {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type == "application/jwt":
        return verify_jwt(cfg, response.text.strip(), require_times=False)
    try:
        data = response.json()
    except ValueError:
        raise OidcError("userinfo is neither JSON nor a JWT") from None
    if not isinstance(data, dict):
        raise OidcError("userinfo is not a JSON object")
    return data


def asserts_mfa(cfg: Config, amr: tuple[str, ...]) -> bool:
    """Whether the provider says the agent used a multi-factor authentication."""
    return any(value in cfg.mfa_amr for value in amr)


def end_session_url(
    cfg: Config, *, id_token: str, state: str, post_logout_redirect_uri: str
) -> str | None:
    """Where to send the browser so that the ProConnect session ends too (None when the
    provider has no end-session endpoint)."""
    try:
        endpoint = discovery(cfg).get("end_session_endpoint")
    except OidcError:
        return None
    if not isinstance(endpoint, str):
        return None
    return _with_query(
        endpoint,
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": post_logout_redirect_uri,
        },
    )
