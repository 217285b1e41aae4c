"""Handing messages to the provider exactly once, and settling what a crash left behind.

Plain functions, called by the jobs in ``tasks.py`` and directly by tests.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jalon.core.env import Environment
from jalon.sms import content
from jalon.sms.models import Message, MessageEvent
from jalon.sms.providers.base import DeliveryState, ProviderError, SendResult, SmsProvider

logger = logging.getLogger(__name__)
Status = Message.Status

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = Environment().get_int("JALON_SMS_FIRST_RETRY_SECONDS", 30)
STALE_SENDING = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min: exponential, bounded by ``MAX_ATTEMPTS``."""
    return timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _event(message: Message, status: str, detail: str = "") -> None:
    MessageEvent.objects.create(message=message, status=status, detail=detail[:300])


BATCH_SIZE = Environment().get_int("JALON_SMS_BATCH_SIZE", 100)
SEND_TASK = "jalon.sms.tasks.send_message"


JOB_LOCK_PREFIX = "sms:"


def job_lock(message_id: int) -> str:
    """The ``queueing_lock`` of a message's sending job: at most one waiting job per message."""
    return f"{JOB_LOCK_PREFIX}{message_id}"


CLAIM_SQL = """
WITH own AS (
    SELECT id FROM sms_message
    WHERE id = %(first)s AND status = 'pending' AND send_after <= %(now)s
    FOR UPDATE SKIP LOCKED
), others AS (
    SELECT id FROM sms_message
    WHERE status = 'pending' AND send_after <= %(now)s AND id <> %(first)s
    ORDER BY send_after LIMIT %(others)s
    FOR UPDATE SKIP LOCKED
)
UPDATE sms_message m
SET status = 'sending', claimed_at = %(now)s, attempts = m.attempts + 1
FROM (SELECT id FROM own UNION ALL SELECT id FROM others) claimed
WHERE m.id = claimed.id
RETURNING m.id
"""


def claim(message_id: int, now: datetime, limit: int = 1) -> list[int]:
    """``pending → sending`` by one conditional update: only one worker ever wins a message.

    Claims ``message_id`` if it is due, and up to ``limit - 1`` other due messages (oldest
    due first; rows another worker is claiming are skipped, never waited for). The waiting
    jobs of the other messages claimed are cancelled: this job sends them. One job thus
    hands a whole batch of reminders due at the same time to the provider.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"first": message_id, "now": now, "others": limit - 1})
        claimed = [row[0] for row in cursor.fetchall()]
        others = [job_lock(pk) for pk in claimed if pk != message_id]
        if others:
            cursor.execute(
                "UPDATE procrastinate_jobs SET status = 'cancelled' "
                "WHERE status = 'todo' AND queueing_lock = ANY(%s)",
                [others],
            )
    return claimed


def deliver(message_id: int, provider: SmsProvider, now: datetime | None = None) -> str | None:
    """Send one due message. Returns its new status, or None when it was not ours to send.

    A transient failure puts it back to ``pending`` with a later ``send_after`` and returns
    ``pending``: the caller schedules the next attempt.
    """
    return deliver_batch(message_id, provider, now, limit=1).get(message_id)


def deliver_batch(
    message_id: int, provider: SmsProvider, now: datetime | None = None, limit: int = BATCH_SIZE
) -> dict[int, str]:
    """Claim ``message_id`` and other due messages (``claim``) and send them one by one.

    Returns the new status of each message claimed; those back to ``pending`` (transient
    failure) need a new job. Messages sent are written together at the end: a crash before
    that leaves them ``sending``, settled later from the provider's records (``reconcile``).
    """
    now = now or timezone.now()
    ids = claim(message_id, now, limit)
    if not ids:
        return {}
    messages = Message.objects.filter(pk__in=ids).select_related(
        "appointment__appointment_type",
        "appointment__agenda__place__service",
        "appointment__service",
        "person",
    )
    templates: dict[tuple[str, int | None, int | None], str] = {}
    statuses: dict[int, str] = {}
    sent: list[tuple[Message, SendResult]] = []
    for message in sorted(messages, key=lambda m: m.pk):
        if not message.person.can_receive_sms:
            message.status = Status.CANCELLED
            message.save(update_fields=["status"])
            _event(message, Status.CANCELLED, "La personne ne reçoit plus de SMS.")
            statuses[message.pk] = message.status
            continue
        # The number and the text are those of the moment it leaves (a new phone, address).
        message.phone = message.person.phone or ""
        message.text = content.render(message, templates)
        try:
            result = provider.send(
                to=message.phone,
                text=message.text,
                sender=settings.JALON_SMS_SENDER,
                reference=str(message.uuid),
            )
        except ProviderError as error:
            message.save(update_fields=["phone", "text"])
            if error.maybe_accepted:  # the answer was lost, perhaps not the message
                statuses[message.pk] = _settle_lost_answer(message, provider, error, now)
            else:
                statuses[message.pk] = _failed_attempt(message, error, now)
            continue
        sent.append((message, result))
        statuses[message.pk] = Status.SENT
    _mark_sent(sent)
    return statuses


def _mark_sent(sent: list[tuple[Message, SendResult]]) -> None:
    """One update and one insert for every message the provider accepted.

    A receipt may have arrived meanwhile (``sending → delivered``): the final state stays.
    """
    if not sent:
        return
    at = timezone.now()
    columns = list(
        zip(
            *(
                (m.pk, result.provider, result.provider_reference, m.phone, m.text)
                for m, result in sent
            ),
            strict=True,
        )
    )
    with connection.cursor() as cursor:  # one statement: the rows and their events
        cursor.execute(
            "WITH v AS (SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], "
            "%s::text[]) AS v(id, provider, ref, phone, text)), "
            "updated AS (UPDATE sms_message m SET sent_at = %s, error = '', "
            "provider = v.provider, provider_reference = v.ref, phone = v.phone, text = v.text, "
            "status = CASE WHEN m.status = 'sending' THEN 'sent' ELSE m.status END "
            "FROM v WHERE m.id = v.id RETURNING m.id) "
            "INSERT INTO sms_messageevent (message_id, at, status, detail) "
            "SELECT v.id, %s, 'sent', v.provider FROM v JOIN updated ON updated.id = v.id",
            [*(list(column) for column in columns), at, at],
        )


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
