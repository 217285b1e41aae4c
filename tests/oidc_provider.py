"""A real local OpenID Connect provider playing ProConnect, for tests.

Built on Authlib's server classes (``AuthorizationServer``, ``AuthorizationCodeGrant`` with
the ``OpenIDCode`` and PKCE ``CodeChallenge`` extensions) behind ``http.server``, listening on
127.0.0.1 (random port) in a background thread. Jalon's real client code
(``jalon/access/oidc.py``) talks to it over HTTP. It serves:

- ``/.well-known/openid-configuration`` (discovery) and ``/jwks`` (its public keys);
- ``/authorize``: no login form, it consents at once for ``provider.user`` and redirects to
  the client with a code (``deny_next`` makes it answer ``access_denied`` instead);
- ``/token`` (``client_secret_post``, PKCE S256 checked): an ID token signed RS256 with
  ``iss``, ``aud``, ``exp``, ``iat``, ``nonce``, ``sub`` and, when the client asked for it in
  the ``claims`` parameter as ProConnect documents, ``amr`` (``provider.amr``);
- ``/userinfo``: the claims of ``provider.user``, as a signed JWT (``application/jwt``, as
  ProConnect answers) or as JSON (``userinfo_as_jwt = False``);
- ``/session/end``: checks ``id_token_hint`` and ``post_logout_redirect_uri``, records the
  call in ``end_session_calls`` and redirects back with ``state``.

To test what the client refuses, ``forge_id_token`` receives the header and claims the
provider would sign and returns ``(header, claims, key)`` to sign instead (``key=None`` with
``alg: none`` gives an unsigned token); ``rotate_key()`` replaces the signing key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import grants as oidc_grants
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

# Authlib refuses plain HTTP unless told it is a test.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "jalon-test-client"
CLIENT_SECRET = "jalon-test-client-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(header: dict[str, Any], claims: dict[str, Any], key: Any) -> str:
    """A compact JWT; ``key=None`` gives the unsigned ``alg: none`` form, ``bytes`` an HS256
    signature with those bytes (joserfc rightly refuses a public key as an HMAC secret)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    if key is None:
        return f"{signing_input}."
    if isinstance(key, bytes):
        digest = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(digest)}"
    return jwt.encode(header, claims, key, algorithms=[header["alg"]])


def new_rsa_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def new_ec_key(kid: str) -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig", "alg": "ES256"})


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_post"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    amr: list[str] | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return self.amr


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, params: dict[str, str], headers: dict[str, str]):
        super().__init__(method, uri, headers=headers)
        self._params = params
        self.payload = BasicOAuth2Payload(params)

    @property
    def args(self) -> dict[str, str]:
        return self._params

    @property
    def form(self) -> dict[str, str]:
        return self._params


@dataclass
class Provider:
    user: dict[str, Any]
    redirect_uris: list[str] = field(default_factory=list)
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    userinfo_as_jwt: bool = True
    forge_id_token: Callable[[dict[str, Any], dict[str, Any]], tuple[dict, dict, Any]] | None = None
    deny_next: bool = False
    issuer: str = ""
    key: Any = None
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    end_session_calls: list[dict[str, str]] = field(default_factory=list)
    authorize_calls: list[dict[str, str]] = field(default_factory=list)
    jwks_fetches: int = 0
    extra_keys: list[Any] = field(default_factory=list)  # published too (rotation, ES256)

    def __post_init__(self) -> None:
        self.key = new_rsa_key("key-1")
        self._lock = threading.Lock()
        self.server = self._build_server()

    # --- Keys -----------------------------------------------------------------------------

    def register_site(self, site_url: str) -> None:
        """Register Jalon at ``site_url`` (its SITE_URL) as the provider's registration does."""
        site = site_url.rstrip("/")
        self.redirect_uris.append(f"{site}/proconnect/retour/")
        self.post_logout_redirect_uris.append(f"{site}/proconnect/deconnecte/")

    def rotate_key(self) -> None:
        self.key = new_rsa_key(f"key-{secrets.token_hex(4)}")

    def jwks(self) -> dict[str, Any]:
        keys = [self.key, *self.extra_keys]
        return {"keys": [key.as_dict(private=False) for key in keys]}

    # --- Authlib ----------------------------------------------------------------------------

    def _build_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> Client | None:
                if client_id != CLIENT_ID:
                    return None
                return Client(CLIENT_ID, CLIENT_SECRET, provider.redirect_uris)

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                provider.tokens[token["access_token"]] = {
                    "user": request.user,
                    "scope": token.get("scope", ""),
                }

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> Any:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                requested = json.loads(data.get("claims") or "{}")
                wants_amr = "amr" in requested.get("id_token", {})
                provider.codes[code] = Code(
                    code=code,
                    client_id=request.payload.client_id,
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.payload.scope,
                    user=dict(request.user),
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    amr=list(provider.amr) if wants_amr else None,
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class OpenIDCode(oidc_grants.OpenIDCode):
            def resolve_client_private_key(self, client: Client) -> Any:
                return provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, Any]:
                return {"alg": "RS256", "kid": provider.key.kid, "typ": "JWT"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": client.get_client_id()}

            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return False

            def generate_user_info(self, user: dict[str, Any], scope: str) -> dict[str, Any]:
                return {"sub": user["sub"]}  # the rest comes from userinfo, as ProConnect

            def encode_id_token(self, token: dict[str, Any], request: OAuth2Request) -> str:
                signed = super().encode_id_token(token, request)
                if provider.forge_id_token is None:
                    return signed
                decoded = jwt.decode(signed, provider.key)
                header, claims, key = provider.forge_id_token(
                    dict(decoded.header), dict(decoded.claims)
                )
                return sign(header, claims, key)

        server = Server()
        server.register_token_generator(
            "default",
            BearerTokenGenerator(lambda client, grant_type, user, scope: secrets.token_urlsafe(32)),
        )
        server.register_grant(
            CodeGrant, [OpenIDCode(require_nonce=True), CodeChallenge(required=True)]
        )
        return server

    # --- HTTP -----------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "userinfo_signing_alg_values_supported": ["RS256", "ES256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": [
                "openid",
                "email",
                "given_name",
                "usual_name",
                "uid",
                "siret",
                "idp_id",
            ],
            "claims_parameter_supported": True,
        }

    def handle(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> tuple:
        path = urlsplit(url).path
        query = dict(parse_qsl(urlsplit(url).query))
        with self._lock:
            if path == "/.well-known/openid-configuration":
                return _json(200, self.discovery())
            if path == "/jwks":
                self.jwks_fetches += 1
                return _json(200, self.jwks())
            if path == "/authorize" and method == "GET":
                return self._authorize(url, query, headers)
            if path == "/token" and method == "POST":
                params = dict(parse_qsl(body.decode()))
                request = _Request(method, url, params, headers)
                status, payload, response_headers = self.server.create_token_response(request)
                return status, json.dumps(payload).encode(), dict(response_headers)
            if path == "/userinfo":
                return self._userinfo(headers)
            if path == "/session/end":
                return self._end_session(query)
        return 404, b"not found", {"Content-Type": "text/plain"}

    def _authorize(self, url: str, query: dict[str, str], headers: dict[str, str]) -> tuple:
        self.authorize_calls.append(query)
        request = _Request("GET", url, query, headers)
        grant = self.server.get_consent_grant(request, end_user=self.user)
        user = None if self.deny_next else self.user
        self.deny_next = False
        status, body, response_headers = self.server.create_authorization_response(
            grant.request, grant_user=user, grant=grant
        )
        return status, (body or "").encode(), dict(response_headers)

    def _userinfo(self, headers: dict[str, str]) -> tuple:
        authorization = headers.get("Authorization", "")
        token = self.tokens.get(authorization.removeprefix("Bearer ").strip())
        if not authorization.startswith("Bearer ") or token is None:
            return _json(401, {"error": "invalid_token"})
        claims = dict(token["user"])
        if not self.userinfo_as_jwt:
            return _json(200, claims)
        claims.update({"iss": self.issuer, "aud": CLIENT_ID})
        header = {"alg": "RS256", "kid": self.key.kid}
        return 200, sign(header, claims, self.key).encode(), {"Content-Type": "application/jwt"}

    def _end_session(self, query: dict[str, str]) -> tuple:
        self.end_session_calls.append(query)
        target = query.get("post_logout_redirect_uri", "")
        try:
            hint = jwt.decode(query.get("id_token_hint", ""), self.key)
        except Exception:
            return 400, b"invalid id_token_hint", {"Content-Type": "text/plain"}
        if target not in self.post_logout_redirect_uris or hint.claims.get("aud") != CLIENT_ID:
            return 400, b"invalid post_logout_redirect_uri", {"Content-Type": "text/plain"}
        location = target + "?" + urlencode({"state": query.get("state", "")})
        return 303, b"", {"Location": location}


def _json(status: int, data: Any) -> tuple:
    return status, json.dumps(data).encode(), {"Content-Type": "application/json"}


class _Handler(BaseHTTPRequestHandler):
    provider: Provider

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"{self.provider.issuer}{self.path}"
        status, payload, headers = self.provider.handle(
            self.command, url, body, dict(self.headers.items())
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


def start(user: dict[str, Any]) -> tuple[Provider, ThreadingHTTPServer]:
    provider = Provider(user=user)
    handler = type("Handler", (_Handler,), {"provider": provider})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.issuer = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return provider, httpd


@pytest.fixture
def oidc_provider(settings: Any) -> Iterator[Provider]:
    """A running provider, and Jalon configured to use it (caches emptied around)."""
    from jalon.access import oidc

    provider, httpd = start(
        {
            "sub": "proconnect-sub-1",
            "email": "Agent.ProConnect@Justice.test",
            "given_name": "Claire",
            "usual_name": "Martin",
            "uid": "1",
            "siret": "11000001500013",
            "idp_id": "test-idp",
        }
    )
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    provider.register_site(settings.SITE_URL)
    oidc.clear_caches()
    yield provider
    oidc.clear_caches()
    httpd.shutdown()
    httpd.server_close()
