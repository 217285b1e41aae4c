"""Managing API clients: each change in one transaction, with its history event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jalon.access.models import Agent, Profile, Service
from jalon.access.roles import Family, JurisdictionLevel, ServiceKind
from jalon.access.rules.api import SERVICE_ACCOUNT_PROFILE
from jalon.api.keys import generate_key
from jalon.api.models import ApiClient, ApiClientService, IdempotencyRecord
from jalon.history.actions import record

SERVICE_ACCOUNT_DOMAIN = "api.jalon.invalid"  # .invalid: no mail can ever reach it
# How often the last use is written: once a minute is precise enough for "dernière utilisation"
# and spares a write per request.
LAST_USE_PRECISION = timedelta(minutes=1)


def service_account_profile() -> Profile:
    """The profile of the service account agents: no capability, fits every local service."""
    profile, _ = Profile.objects.get_or_create(
        code=SERVICE_ACCOUNT_PROFILE,
        defaults={
            "label": "Client API (partenaire)",
            "family": Family.MSJ,
            "allowed_service_kinds": [
                kind for kind in ServiceKind.values if kind != ServiceKind.NATIONAL
            ],
            "jurisdiction_level": JurisdictionLevel.ANY,
            "capabilities": [],
        },
    )
    return profile


@dataclass
class ClientDetails:
    name: str
    contact_name: str
    contact_email: str
    scopes: list[str]
    services: list[Service]
    expires_on: date | None


def _sync_identities(client: ApiClient, services: Iterable[Service]) -> None:
    """One active service account per chosen service; the others deactivated, never deleted
    (history keeps pointing at them)."""
    wanted = {service.pk: service for service in services}
    existing = {
        identity.service_id: identity
        for identity in ApiClientService.objects.filter(client=client).select_related("agent")
    }
    profile = service_account_profile() if set(wanted) - set(existing) else None
    for service_id, service in wanted.items():
        identity = existing.get(service_id)
        if identity is None:
            agent = Agent(
                email=f"api-{client.pk}-{service_id}@{SERVICE_ACCOUNT_DOMAIN}",
                first_name="Client API",
                last_name=client.name[:100],
                service=service,
                profile=profile,
                # A service account never sees the screens: the charter gate does not apply.
                charter_accepted_at=timezone.now(),
            )
            agent.set_unusable_password()
            agent.save()
            ApiClientService.objects.create(client=client, service=service, agent=agent)
        elif not identity.agent.is_active or identity.agent.last_name != client.name[:100]:
            identity.agent.is_active = not client.is_revoked
            identity.agent.last_name = client.name[:100]
            identity.agent.save(update_fields=["is_active", "last_name"])
    for service_id, identity in existing.items():
        if service_id not in wanted and identity.agent.is_active:
            identity.agent.is_active = False
            identity.agent.save(update_fields=["is_active"])


def _summary(client: ApiClient) -> dict[str, object]:
    return {
        "scopes": list(client.scopes),
        "services": sorted(
            client.identities.filter(agent__is_active=True).values_list("service__name", flat=True)
        ),
        "expires_on": client.expires_on.isoformat() if client.expires_on else None,
    }


@transaction.atomic
def create_client(*, agent: Agent, details: ClientDetails) -> tuple[ApiClient, str]:
    """Create the client and its key; the key is returned once and only its hash is kept."""
    key = generate_key()
    client = ApiClient.objects.create(
        name=details.name,
        contact_name=details.contact_name,
        contact_email=details.contact_email,
        scopes=sorted(details.scopes),
        expires_on=details.expires_on,
        key_prefix=key.prefix,
        key_hash=key.hashed,
        created_by=agent,
    )
    _sync_identities(client, details.services)
    record("api_client.created", actor=agent, target=client, details=_summary(client))
    return client, key.secret


@transaction.atomic
def update_client(*, agent: Agent, client: ApiClient, details: ClientDetails) -> None:
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    client.name = details.name
    client.contact_name = details.contact_name
    client.contact_email = details.contact_email
    client.scopes = sorted(details.scopes)
    client.expires_on = details.expires_on
    client.save(update_fields=["name", "contact_name", "contact_email", "scopes", "expires_on"])
    _sync_identities(client, details.services)
    record("api_client.updated", actor=agent, target=client, details=_summary(client))


@transaction.atomic
def rotate_key(*, agent: Agent, client: ApiClient, current_prefix: str) -> str | None:
    """Replace the key; the old one stops working at once. Returns the new key, shown once.

    ``current_prefix`` is the key the administrator saw: a second click (or a colleague's
    rotation in between) finds another prefix and changes nothing (``None``).
    """
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.key_prefix != current_prefix or locked.is_revoked:
        return None
    key = generate_key()
    locked.key_prefix = key.prefix
    locked.key_hash = key.hashed
    locked.key_created_at = timezone.now()
    locked.save(update_fields=["key_prefix", "key_hash", "key_created_at"])
    record("api_client.key_rotated", actor=agent, target=locked, details={"prefix": key.prefix})
    return key.secret


@transaction.atomic
def revoke_client(*, agent: Agent, client: ApiClient) -> bool:
    """Revoke for good: the key stops working and the service accounts are deactivated."""
    updated = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        return False
    Agent.objects.filter(api_identity__client=client).update(is_active=False)
    record("api_client.revoked", actor=agent, target=client)
    return True


def note_use(client: ApiClient) -> None:
    """Write the last use, at most once a minute (one conditional update, none when the
    client as loaded was used less than a minute ago)."""
    now = timezone.now()
    if client.last_used_at is not None and client.last_used_at >= now - LAST_USE_PRECISION:
        return  # written less than a minute ago, as read with the client: no query
    client.last_used_at = now
    ApiClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_PRECISION)
    ).update(last_used_at=now)


def purge_idempotency_records(now: object = None) -> int:
    """Delete the expired idempotency records (a periodic job); return how many."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
