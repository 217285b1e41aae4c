"""``Authorization: Bearer <key>``: the client, and the service account it acts with.

A client acting for several services names one with the ``Jalon-Service`` header (its id in
the organisation referential); a client acting for one service needs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from jalon.access.models import Agent
from jalon.access.rules import api as rules
from jalon.api import actions
from jalon.api.keys import hash_key
from jalon.api.models import ApiClient, ApiClientService, ApiScope
from jalon.api.problems import ApiProblem

SERVICE_HEADER = "Jalon-Service"


@dataclass(frozen=True)
class Caller:
    client: ApiClient
    agent: Agent  # the service account of the service the request acts for


def _requested_service(request: HttpRequest) -> int | None:
    raw = request.headers.get(SERVICE_HEADER)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise ApiProblem(
            422,
            "invalid_service_header",
            f"L’en-tête « {SERVICE_HEADER} » doit être l’identifiant numérique d’un service.",
        ) from None


def _client_and_identities(
    key_hash: str,
) -> tuple[ApiClient | None, list[ApiClientService]]:
    """The client of a key and its identities with their agents, in one query (the client
    joined to each identity); a client without any identity takes a second one."""
    identities = list(
        ApiClientService.objects.filter(client__key_hash=key_hash)
        .select_related("client", "agent__service__jurisdiction", "agent__profile")
        .order_by("pk")
    )
    if not identities:
        return ApiClient.objects.filter(key_hash=key_hash).first(), []
    client = identities[0].client
    for identity in identities:
        identity.client = client
    return client, identities


def authenticate(request: HttpRequest, token: str) -> Caller:
    client, identities = _client_and_identities(hash_key(token.strip()))
    if client is None:
        raise ApiProblem(401, "invalid_key", "Cette clé d’API n’est pas reconnue.")
    if client.is_revoked:
        raise ApiProblem(401, "revoked_key", "Cette clé d’API a été révoquée.")
    if client.is_expired():
        raise ApiProblem(
            401,
            "expired_key",
            f"Cette clé d’API a expiré le {client.expires_on:%d/%m/%Y} : "
            "demandez-en une nouvelle à l’administration nationale.",
        )
    service_id = _requested_service(request)
    identity = rules.acting_identity(identities, service_id)
    if identity is None:
        if service_id is None:
            raise ApiProblem(
                422,
                "service_required",
                f"Ce client agit pour plusieurs services : indiquez lequel dans l’en-tête "
                f"« {SERVICE_HEADER} ».",
            )
        raise ApiProblem(
            403, "service_not_allowed", "Ce client n’agit pas pour le service indiqué."
        )
    actions.note_use(client)
    return Caller(client=client, agent=identity.agent)


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        return authenticate(request, token)


def caller(request: HttpRequest, scope: ApiScope) -> Caller:
    """The authenticated caller, refused (403) when its client lacks ``scope``."""
    current: Caller = request.auth  # type: ignore[attr-defined]
    if not rules.client_may(current.client, scope):
        raise ApiProblem(
            403, "missing_scope", f"Ce client n’a pas le droit « {scope.label} » ({scope.value})."
        )
    return current
