"""Webhooks: events told to the partners who subscribed, signed, retried, logged.

Source of the events: what Jalon already records. Every state change writes a history event
(``history.Event``) and every SMS status a ``sms.MessageEvent``, in the transaction of the
change; a receiver on their creation (``apps.ApiConfig.ready``) turns the few that partners
may follow into one ``WebhookDelivery`` per subscription whose client sees the object, and
defers its sending job in the same transaction: an event is told if and only if the change
committed, and never twice (decision 0007).

The body is thin: the event, its time and the ids of the objects, that the client reads
through the API with its own rights; no personal data travels in a webhook.

Signature: ``Jalon-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`` with the
subscription's secret; a receiver refuses a ``t`` older than ``REPLAY_WINDOW``
(``verify_signature`` is the reference implementation, docs/api.md).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jalon.access.rules import webhooks as rules
from jalon.api.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription

SIGNATURE_HEADER = "Jalon-Signature"
REPLAY_WINDOW = timedelta(minutes=5)
TIMEOUT_SECONDS = 10.0
# Attempt n (1-based) failed: the next one waits BACKOFF[n - 1]; after the last, failed.
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
USER_AGENT = "Jalon-Webhooks/1"
# The log of finished deliveries is kept this long, then deleted (``tasks``).
KEPT_FOR = timedelta(days=90)

E = WebhookEvent
# (history action, target model) -> (event, object kind); the kind names the access rule.
HISTORY_EVENTS: dict[tuple[str, str], tuple[WebhookEvent, str]] = {
    ("appointment.booked", "appointment"): (E.CONVOCATION_BOOKED, "appointment"),
    ("appointment.rescheduled_booking", "appointment"): (E.CONVOCATION_BOOKED, "appointment"),
    ("appointment.cancelled", "appointment"): (E.CONVOCATION_CANCELLED, "appointment"),
    ("appointment.honoured", "appointment"): (E.CONVOCATION_HONOURED, "appointment"),
    ("appointment.missed", "appointment"): (E.CONVOCATION_MISSED, "appointment"),
    ("transfer.requested", "transfer"): (E.TRANSFER_REQUESTED, "transfer"),
    ("transfer.accepted", "transfer"): (E.TRANSFER_ACCEPTED, "transfer"),
    ("transfer.auto_accepted", "transfer"): (E.TRANSFER_ACCEPTED, "transfer"),
    ("procedure.judgment_recorded", "procedure"): (E.JUDGMENT_RECORDED, "judgment"),
}
HISTORY_ACTIONS = frozenset(action for action, _ in HISTORY_EVENTS)
SMS_EVENTS = {
    "delivered": E.SMS_DELIVERED,
    "undelivered": E.SMS_FAILED,
    "failed": E.SMS_FAILED,
}


def signing_secret(subscription: WebhookSubscription) -> str:
    """The subscription's secret, derived (never stored): a new version on rotation."""
    digest = salted_hmac(
        "jalon.api.webhooks",
        f"{subscription.pk}:{subscription.secret_version}",
        algorithm="sha256",
    ).hexdigest()
    return f"whsec_{digest}"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, now: float, window: timedelta = REPLAY_WINDOW
) -> bool:
    """What a receiver checks: a valid MAC over a timestamp within ``window`` of ``now``."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > window.total_seconds():
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


# --- from recorded events to deliveries -----------------------------------------------------


def _history_event(instance: Any) -> tuple[WebhookEvent, str, int, dict[str, Any]] | None:
    if instance.action not in HISTORY_ACTIONS or instance.target_type_id is None:
        return None
    found = HISTORY_EVENTS.get(
        (instance.action, ContentType.objects.get_for_id(instance.target_type_id).model)
    )
    if found is None:
        return None
    event, kind = found
    if kind == "judgment":
        object_id = int(instance.details.get("judgment") or 0)
        data = {"object": "judgment", "id": object_id, "procedure": int(instance.target_id)}
    else:
        object_id = int(instance.target_id)
        data = {"object": "convocation" if kind == "appointment" else kind, "id": object_id}
    return event, kind, object_id, data


def on_history_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    found = _history_event(instance)
    if found is not None:
        event, kind, object_id, data = found
        fan_out(event, kind, object_id, data, at=instance.created_at)


def on_sms_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    event = SMS_EVENTS.get(instance.status) if created else None
    if event is not None:
        message = instance.message
        data = {
            "object": "sms",
            "id": message.pk,
            "convocation": message.appointment_id,
            "status": instance.status,
        }
        fan_out(event, "message", message.pk, data, at=instance.at)


def fan_out(
    event: WebhookEvent, kind: str, object_id: int, data: dict[str, Any], *, at: datetime
) -> list[WebhookDelivery]:
    """One delivery per subscription whose client sees the object, and its job, in the
    caller's transaction."""
    subscriptions = rules.recipients(event, kind, object_id)
    if not subscriptions:
        return []
    from jalon.api.tasks import schedule_delivery

    deliveries = []
    with transaction.atomic():
        for subscription in subscriptions:
            delivery_id = uuid.uuid4()
            body = {
                "id": str(delivery_id),
                "type": str(event),
                "occurred_at": at.isoformat(),
                "data": data,
            }
            delivery = WebhookDelivery.objects.create(
                uuid=delivery_id,
                subscription=subscription,
                event=event,
                body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                next_attempt_at=timezone.now(),
            )
            schedule_delivery(delivery)
            deliveries.append(delivery)
    return deliveries


# --- sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """One POST, no redirect followed (a 3xx is a failure), bounded by ``TIMEOUT_SECONDS``."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    connection = connection_class(parts.hostname or "", parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        status, error = response.status, ""
        if not 200 <= status < 300:
            error = f"Réponse HTTP {status}"
    except (OSError, http.client.HTTPException) as failure:
        status, error = None, f"{type(failure).__name__}: {failure}"[:300]
    finally:
        connection.close()
    return Outcome(status, error, int((time.monotonic() - started) * 1000))


def attempt(delivery_id: int, *, replay: bool = False) -> WebhookDelivery | None:
    """Send a delivery once, log it, and say what comes next (``next_attempt_at``).

    The row is locked during the call: two workers never send the same delivery at once.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        subscription = delivery.subscription
        if subscription.ended_at is not None:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
            delivery.last_error = "Abonnement résilié."
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Jalon-Event": delivery.event,
            "Jalon-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: sign(signing_secret(subscription), int(time.time()), body),
        }
        outcome = post(subscription.url, body, headers)
        WebhookAttempt.objects.create(
            delivery=delivery,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            replay=replay,
        )
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        if outcome.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                WebhookDelivery.Status.DELIVERED,
                now,
                None,
            )
        elif replay or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save()
        return delivery


def replay(delivery: WebhookDelivery) -> bool:
    """Queue a failed delivery to be sent again, once (same body and id: receivers
    deduplicate on ``Jalon-Delivery``); ``False`` when it is not failed."""
    from jalon.api.tasks import schedule_delivery

    with transaction.atomic():
        changed = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.FAILED
        ).update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
        if changed:
            delivery.refresh_from_db()
            schedule_delivery(delivery, replay=True)
    return bool(changed)


def purge_deliveries(now: datetime | None = None) -> int:
    """Delete the finished deliveries older than ``KEPT_FOR`` (and their log)."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=WebhookDelivery.Status.PENDING)
        .delete()
    )
    return deleted
