"""A client's webhook subscriptions: subscribe, rotate the secret, end, replay; each change in
one transaction with its history event, the client's service account as the actor."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent
from jalon.api import webhooks
from jalon.api.models import ApiClient, WebhookDelivery, WebhookEvent, WebhookSubscription
from jalon.core.env import Environment
from jalon.history.actions import record

MAX_SUBSCRIPTIONS = 10


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """HTTPS only; plain HTTP to this machine outside production (development, tests)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and _loopback(host) and not Environment().is_production:
        return url
    raise ValidationError(
        {"url": "L’adresse de réception doit commencer par https:// (connexion chiffrée)."}
    )


def subscribe(
    *, agent: Agent, client: ApiClient, url: str, events: list[str]
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret, shown once."""
    check_url(url)
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if not events or unknown:
        raise ValidationError(
            {
                "events": "Choisissez un ou plusieurs événements parmi : "
                + ", ".join(WebhookEvent.values)
                + "."
            }
        )
    with transaction.atomic():
        live = WebhookSubscription.objects.select_for_update().filter(
            client=client, ended_at__isnull=True
        )
        if len(live) >= MAX_SUBSCRIPTIONS:
            raise ValidationError(
                f"Ce client a déjà {MAX_SUBSCRIPTIONS} abonnements : résiliez-en un d’abord."
            )
        subscription = WebhookSubscription.objects.create(
            client=client, url=url, events=sorted(set(events))
        )
        record(
            "webhook.subscribed",
            actor=agent,
            target=client,
            details={"subscription": subscription.pk, "url": url, "events": subscription.events},
        )
    return subscription, webhooks.signing_secret(subscription)


def rotate_secret(*, agent: Agent, subscription: WebhookSubscription) -> str:
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.secret_version += 1
        locked.save(update_fields=["secret_version"])
        record(
            "webhook.secret_rotated",
            actor=agent,
            target=locked.client,
            details={"subscription": locked.pk},
        )
    return webhooks.signing_secret(locked)


def end(*, agent: Agent, subscription: WebhookSubscription) -> None:
    """End a subscription (idempotent): its waiting deliveries end failed when their turn
    comes."""
    with transaction.atomic():
        changed = WebhookSubscription.objects.filter(
            pk=subscription.pk, ended_at__isnull=True
        ).update(ended_at=timezone.now())
        if changed:
            record(
                "webhook.ended",
                actor=agent,
                target=subscription.client,
                details={"subscription": subscription.pk},
            )


def replay(*, agent: Agent, delivery: WebhookDelivery) -> None:
    """Send a failed delivery again; refused (ValidationError) when it is not failed."""
    with transaction.atomic():
        if not webhooks.replay(delivery):
            raise ValidationError("Seul un envoi en échec peut être renvoyé.")
        record(
            "webhook.replayed",
            actor=agent,
            target=delivery.subscription.client,
            details={"delivery": str(delivery.uuid), "event": delivery.event},
        )
