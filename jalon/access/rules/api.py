"""Partners of the API (issue 15): who manages their clients, and what a client may do.

A client acts for one or more services, each through a service account agent
(``api.ApiClientService.agent``, decision 0006): once the service of a request is chosen,
every other decision is the ordinary rule applied to that agent (``persons_visible_to``,
``can_edit_person``...), so a client never sees more than an agent of that service. On top
of it, the client's scopes say which families of endpoints it may call.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from jalon.access.models import Agent
from jalon.access.rules import is_national_admin
from jalon.api.models import ApiClient, ApiClientService


def can_manage_api_clients(agent: Agent) -> bool:
    """Only national administrators create, rotate, expire and revoke API clients."""
    return is_national_admin(agent)


def api_clients_visible_to(agent: Agent) -> QuerySet[ApiClient]:
    if not can_manage_api_clients(agent):
        return ApiClient.objects.none()
    return ApiClient.objects.all()


def client_may(client: ApiClient, scope: str) -> bool:
    """A usable client (not revoked, not expired) holding ``scope``."""
    return not client.is_revoked and not client.is_expired() and client.has_scope(scope)


def acting_identity(
    identities: Sequence[ApiClientService], service_id: int | None
) -> ApiClientService | None:
    """The identity a request acts with: the service it names, or the client's only one.

    ``None`` when the named service is not one the client acts for, or when a client acting
    for several services names none (it must say which, since what it may see depends on it).
    """
    active = [identity for identity in identities if identity.agent.is_active]
    if service_id is None:
        return active[0] if len(active) == 1 else None
    return next((identity for identity in active if identity.service_id == service_id), None)
