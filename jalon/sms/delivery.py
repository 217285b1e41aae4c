"""Handing messages to the provider exactly once, and settling what a crash left behind.

Plain functions, called by the jobs in ``tasks.py`` and directly by tests.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from jalon.sms import content
from jalon.sms.models import Message, MessageEvent
from jalon.sms.providers.base import DeliveryState, ProviderError, SmsProvider

logger = logging.getLogger(__name__)
Status = Message.Status

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = int(os.environ.get("JALON_SMS_FIRST_RETRY_SECONDS", "30"))
STALE_SENDING = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min: exponential, bounded by ``MAX_ATTEMPTS``."""
    return timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _event(message: Message, status: str, detail: str = "") -> None:
    MessageEvent.objects.create(message=message, status=status, detail=detail[:300])


def claim(message_id: int, now: datetime) -> bool:
    """``pending → sending`` by a conditional update: only one worker ever wins a message."""
    return bool(
        Message.objects.filter(pk=message_id, status=Status.PENDING, send_after__lte=now).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(message_id: int, provider: SmsProvider, now: datetime | None = None) -> str | None:
    """Send one due message. Returns its new status, or None when it was not ours to send.

    A transient failure puts it back to ``pending`` with a later ``send_after`` and returns
    ``pending``: the caller schedules the next attempt.
    """
    now = now or timezone.now()
    if not claim(message_id, now):
        return None
    message = Message.objects.select_related("appointment", "person", "service").get(pk=message_id)
    if not message.person.can_receive_sms:
        message.status = Status.CANCELLED
        message.save(update_fields=["status"])
        _event(message, Status.CANCELLED, "La personne ne reçoit plus de SMS.")
        return message.status
    # The number and the text are those of the moment it leaves (a corrected phone, a new address).
    message.phone = message.person.phone or ""
    message.text = content.render(message)
    message.save(update_fields=["phone", "text"])
    try:
        result = provider.send(
            to=message.phone,
            text=message.text,
            sender=settings.JALON_SMS_SENDER,
            reference=str(message.uuid),
        )
    except ProviderError as error:
        if error.maybe_accepted:  # the answer was lost, perhaps not the message: never resend blind
            return _settle_lost_answer(message, provider, error, now)
        return _failed_attempt(message, error, now)
    message.status = Status.SENT
    message.sent_at = timezone.now()
    message.provider = result.provider
    message.provider_reference = result.provider_reference
    message.error = ""
    message.save(update_fields=["status", "sent_at", "provider", "provider_reference", "error"])
    _event(message, Status.SENT, result.provider)
    return message.status


def _settle_lost_answer(
    message: Message, provider: SmsProvider, error: ProviderError, now: datetime
) -> str:
    """Ask the provider whether it has the message before deciding to try again."""
    try:
        state = provider.lookup(str(message.uuid))
    except ProviderError:
        # Leave it ``sending``: the periodic reconciliation asks again later.
        _event(message, Status.SENDING, f"Réponse perdue, vérification différée : {error.reason}")
        return message.status
    if state == DeliveryState.UNKNOWN:
        return _failed_attempt(message, error, now)
    message.status = Status.DELIVERED if state == DeliveryState.DELIVERED else Status.SENT
    message.sent_at = timezone.now()
    message.provider = provider.name
    message.save(update_fields=["status", "sent_at", "provider"])
    _event(message, message.status, "Confirmé par l’opérateur après une réponse perdue.")
    return message.status


def _failed_attempt(message: Message, error: ProviderError, now: datetime) -> str:
    message.error = error.reason[:300]
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = Status.FAILED
        message.save(update_fields=["status", "error"])
        _event(message, Status.FAILED, error.reason)
        logger.warning("sms failed", extra={"sms_id": message.pk, "reason": error.reason})
        return message.status
    message.status = Status.PENDING
    message.send_after = now + retry_delay(message.attempts)
    message.save(update_fields=["status", "error", "send_after"])
    _event(message, Status.PENDING, f"Nouvelle tentative : {error.reason}")
    return message.status


def reconcile(
    provider: SmsProvider, now: datetime | None = None
) -> tuple[dict[str, int], list[int]]:
    """Settle messages left ``sending`` (a worker died mid-send) from the provider's records.

    Known to the provider: it was handed over, so it is ``sent`` (or its receipt's state).
    Unknown: it never left, so it goes back to ``pending``; sending it then is not a resend.
    Returns the counts per outcome and the ids put back to ``pending`` (to schedule).
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    requeued: list[int] = []
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_SENDING)
    for message in stale.order_by("pk")[:1000]:
        try:
            state = provider.lookup(str(message.uuid))
        except ProviderError:
            continue  # asked again at the next run
        new_status = {
            DeliveryState.ACCEPTED: Status.SENT,
            DeliveryState.DELIVERED: Status.DELIVERED,
            DeliveryState.UNDELIVERED: Status.UNDELIVERED,
            DeliveryState.UNKNOWN: Status.PENDING,
        }[state]
        with transaction.atomic():
            updated = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=new_status, send_after=now
            )
            if updated:
                _event(message, new_status, "Rapprochement avec l’opérateur après interruption.")
                if new_status == Status.PENDING:
                    requeued.append(message.pk)
        counts[new_status] = counts.get(new_status, 0) + updated
    return counts, requeued


SEND_TASK = "jalon.sms.tasks.send_message"
LIVE_WORKER_SECONDS = 60


def orphans(now: datetime | None = None) -> list[int]:
    """Due ``pending`` messages that no job will send: their job died with its worker
    between fetching it and the claim, or between a retry's write and its new job.

    A message counts as orphaned when it has been due for ``STALE_SENDING`` and has no
    ``todo`` job, and no ``doing`` job held by a worker with a fresh heartbeat.
    """
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m.id FROM sms_message m
            WHERE m.status = 'pending' AND m.send_after < %s
              AND NOT EXISTS (
                SELECT 1 FROM procrastinate_jobs j
                WHERE j.task_name = %s AND (j.args->>'message_id')::bigint = m.id
                  AND (j.status = 'todo' OR (j.status = 'doing' AND EXISTS (
                    SELECT 1 FROM procrastinate_workers w
                    WHERE w.id = j.worker_id AND w.last_heartbeat > %s)))
              )
            ORDER BY m.id LIMIT 1000
            """,
            [now - STALE_SENDING, SEND_TASK, now - timedelta(seconds=LIVE_WORKER_SECONDS)],
        )
        return [row[0] for row in cursor.fetchall()]
