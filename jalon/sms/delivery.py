"""Handing messages to the provider exactly once, and settling what a crash left behind.

Plain functions, called by the jobs in ``tasks.py`` and directly by tests.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jalon.core.env import Environment
from jalon.sms import checks, content
from jalon.sms.models import Message, MessageEvent
from jalon.sms.providers.base import DeliveryState, ProviderError, SendResult, SmsProvider

logger = logging.getLogger(__name__)
Status = Message.Status

MAX_ATTEMPTS = 6
_env = Environment()
FIRST_RETRY_SECONDS = _env.get_int("JALON_SMS_FIRST_RETRY_SECONDS", 30)
# A claim is a batch's for this long, renewed before each provider call. It must exceed one
# send plus one lookup (twice the adapter's timeout, 10 s by default) by a wide margin:
# the reconciliation takes over rows whose lease has run out.
LEASE = timedelta(seconds=_env.get_int("JALON_SMS_LEASE_SECONDS", 120))
# Provider contract (docs/jobs.md): a message it accepted is known to its status API within
# this delay. Until then a "not found" proves nothing and the message is never sent again.
LOOKUP_GRACE = timedelta(seconds=_env.get_int("JALON_SMS_LOOKUP_GRACE_SECONDS", 900))
# A due ``pending`` message with no job for this long is scheduled again (``orphans``).
ORPHAN_AFTER = timedelta(seconds=_env.get_int("JALON_SMS_ORPHAN_AFTER_SECONDS", 600))
# Messages handed over are written ``sent`` by groups, at least this often in a long batch.
FLUSH_EVERY = timedelta(seconds=5)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, 8 min: exponential, bounded by ``MAX_ATTEMPTS``."""
    return timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


# The longest wait between two lookups of a message the provider does not know (yet).
MAX_CHECK_DELAY = timedelta(seconds=_env.get_int("JALON_SMS_MAX_CHECK_SECONDS", 480))


def check_delay(waited: timedelta) -> timedelta:
    """When to ask the provider again about a message it does not know yet: after as long
    as we have already waited (so doubling), at least the first retry delay, at most
    ``MAX_CHECK_DELAY`` (8 min)."""
    first = timedelta(seconds=FIRST_RETRY_SECONDS)
    return min(max(waited, first), MAX_CHECK_DELAY)


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
SET status = 'sending', claimed_at = %(now)s, attempts = m.attempts + 1,
    claim_owner = %(owner)s, lease_until = %(lease)s
FROM (SELECT id FROM own UNION ALL SELECT id FROM others) claimed
WHERE m.id = claimed.id
RETURNING m.id
"""


def claim(
    message_id: int, now: datetime, limit: int = 1, owner: uuid.UUID | None = None
) -> list[int]:
    """``pending → sending`` by one conditional update: only one worker ever wins a message.

    Claims ``message_id`` if it is due, and up to ``limit - 1`` other due messages (oldest
    due first; rows another worker is claiming are skipped, never waited for), for
    ``owner`` until ``now + LEASE``. The waiting jobs of the other messages claimed are
    cancelled: this job sends them. One job thus hands a whole batch of reminders due at
    the same time to the provider.
    """
    params: dict[str, int | str | datetime] = {
        "first": message_id,
        "now": now,
        "others": limit - 1,
        "owner": str(owner or uuid.uuid4()),
        "lease": now + LEASE,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, params)
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


def _load(message_id: int) -> Message:
    return Message.objects.select_related(
        "appointment__appointment_type",
        "appointment__agenda__place__service",
        "appointment__service",
        "person",
        "service",
    ).get(pk=message_id)


def deliver_batch(
    message_id: int, provider: SmsProvider, now: datetime | None = None, limit: int = BATCH_SIZE
) -> dict[int, str]:
    """Claim ``message_id`` and other due messages (``claim``) and send them one by one.

    Before each provider call the message is read again and checked (``checks``: quiet
    hours, convocation, person), and the batch takes its row back only if it still owns
    it (the reconciliation takes over a claim whose lease ran out: a long batch never
    races it). Returns the new status of each message handled; those back to ``pending``
    need a new job. Messages sent are written by groups: a crash before that leaves them
    ``sending``, settled later from the provider's records (``reconcile``).
    """
    fixed = now is not None  # a caller's ``now`` (tests, replays) holds for the whole batch
    now = now or timezone.now()
    owner = uuid.uuid4()
    ids = claim(message_id, now, limit, owner)
    templates: dict[tuple[str, int | None, int | None], str] = {}
    statuses: dict[int, str] = {}
    sent: list[tuple[Message, SendResult]] = []
    flushed = timezone.now()
    for pk in sorted(ids):
        current = now if fixed else timezone.now()  # a long batch: checked at each send
        message = _load(pk)
        if message.status != Status.SENDING or message.claim_owner != owner:
            continue  # taken over by the reconciliation
        verdict = checks.at_send_time(message, current)
        if verdict is not None:
            statuses[pk] = _withhold(message, owner, verdict)
            continue
        # The number and the text are those of the moment it leaves (a new phone, address).
        message.phone = message.person.phone or ""
        text, message.text = content.compose(message, templates)
        if not _hand_over(message, owner, current):
            continue  # the lease ran out meanwhile: not ours any more
        try:
            result = provider.send(
                to=message.phone,
                text=text,
                sender=settings.JALON_SMS_SENDER,
                reference=str(message.uuid),
            )
        except ProviderError as error:
            if error.maybe_accepted:  # the answer was lost, perhaps not the message
                statuses[pk] = _settle_lost_answer(message, provider, error, current)
            else:
                statuses[pk] = _failed_attempt(message, error, current)
            continue
        sent.append((message, result))
        statuses[pk] = Status.SENT
        if timezone.now() - flushed >= FLUSH_EVERY:
            _mark_sent(sent)
            sent, flushed = [], timezone.now()
    _mark_sent(sent)
    return statuses


def _hand_over(message: Message, owner: uuid.UUID, now: datetime) -> bool:
    """Still ours? Then renew the lease and note that the provider is being called."""
    return bool(
        Message.objects.filter(
            pk=message.pk, status=Status.SENDING, claim_owner=owner, lease_until__gt=now
        ).update(handed_at=now, lease_until=now + LEASE, phone=message.phone, text=message.text)
    )


def _withhold(message: Message, owner: uuid.UUID, verdict: checks.Verdict) -> str:
    """Cancel the message with its reason, or put it back for later (quiet hours)."""
    fields: dict[str, object] = {"claim_owner": None, "lease_until": None, "error": verdict.reason}
    if verdict.postpone_to is None:
        fields["status"] = Status.CANCELLED
    else:  # not an attempt: the provider was not called
        fields |= {"status": Status.PENDING, "send_after": verdict.postpone_to}
        fields["attempts"] = max(message.attempts - 1, 0)
    with transaction.atomic():
        if not Message.objects.filter(
            pk=message.pk, status=Status.SENDING, claim_owner=owner
        ).update(**fields):
            return message.status
        _event(message, str(fields["status"]), verdict.reason)
    return str(fields["status"])


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
            "claim_owner = NULL, lease_until = NULL, "
            "status = CASE WHEN m.status = 'sending' THEN 'sent' ELSE m.status END "
            "FROM v WHERE m.id = v.id RETURNING m.id) "
            "INSERT INTO sms_messageevent (message_id, at, status, detail) "
            "SELECT v.id, %s, 'sent', v.provider FROM v JOIN updated ON updated.id = v.id",
            [*(list(column) for column in columns), at, at],
        )


def _settle_lost_answer(
    message: Message, provider: SmsProvider, error: ProviderError, now: datetime
) -> str:
    """Ask the provider whether it has the message before anything else.

    Known: it left. Not known (yet), or no answer: it stays ``sending`` without an owner and
    the reconciliation asks again with backoff; never sent again on a "not found" alone.
    """
    try:
        state = provider.lookup(str(message.uuid))
    except ProviderError:
        state = DeliveryState.UNKNOWN
    if state == DeliveryState.UNKNOWN:
        Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            claim_owner=None, lease_until=now + check_delay(timedelta(0)), error=error.reason[:300]
        )
        _event(
            message,
            Status.SENDING,
            f"Réponse perdue ({error.reason}) : vérification auprès de l’opérateur avant tout nouvel envoi.",
        )
        return Status.SENDING
    new_status = Status.DELIVERED if state == DeliveryState.DELIVERED else Status.SENT
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=new_status,
        sent_at=timezone.now(),
        provider=provider.name,
        claim_owner=None,
        lease_until=None,
    )
    _event(message, new_status, "Confirmé par l’opérateur après une réponse perdue.")
    return new_status


def _failed_attempt(message: Message, error: ProviderError, now: datetime) -> str:
    """The provider refused or could not take it (it did not leave): retry later, or fail."""
    message.error = error.reason[:300]
    message.claim_owner, message.lease_until = None, None
    fields = ["status", "error", "claim_owner", "lease_until"]
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = Status.FAILED
        message.save(update_fields=fields)
        _event(message, Status.FAILED, error.reason)
        logger.warning("sms failed", extra={"sms_id": message.pk, "reason": error.reason})
        return message.status
    message.status = Status.PENDING
    message.send_after = now + retry_delay(message.attempts)
    message.save(update_fields=[*fields, "send_after"])
    _event(message, Status.PENDING, f"Nouvelle tentative : {error.reason}")
    return message.status


RECONCILED = "Rapprochement avec l’opérateur après interruption."
NEVER_LEFT = "Envoi interrompu avant l’opérateur : remis en file."
NOT_KNOWN = "Inconnu de l’opérateur après le délai de vérification : remis en file."


def reconcile(
    provider: SmsProvider, now: datetime | None = None
) -> tuple[dict[str, int], list[int]]:
    """Settle ``sending`` rows nobody owns any more (lease run out: a worker died or was too
    slow; or an answer was lost and it is time to ask again).

    Never handed to the provider for this claim: back to ``pending``. Otherwise the
    provider's records decide: known, it left (``sent`` or its receipt's state); not known
    yet, ask again later with backoff; still not known ``LOOKUP_GRACE`` after the call, it
    never left (provider contract, docs/jobs.md): back to ``pending``, sending it then is
    not a resend. Returns the counts per outcome and the ids put back to ``pending``.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    requeued: list[int] = []
    stale = Message.objects.filter(
        Q(lease_until__lt=now)
        # Claimed before claims had leases (rows of the previous version at deployment).
        | Q(lease_until__isnull=True, claimed_at__lt=now - LEASE),
        status=Status.SENDING,
    )
    for message in stale.order_by("lease_until", "pk")[:1000]:
        legacy = message.lease_until is None  # may have been handed over: ask
        handed_at = message.handed_at or message.claimed_at or now
        if not legacy and (
            message.handed_at is None
            or (message.claimed_at is not None and message.handed_at < message.claimed_at)
        ):
            new_status, detail = Status.PENDING, NEVER_LEFT
        else:
            try:
                state = provider.lookup(str(message.uuid))
            except ProviderError:
                state = None
            if state is None or (state == DeliveryState.UNKNOWN and now - handed_at < LOOKUP_GRACE):
                Message.objects.filter(
                    pk=message.pk, status=Status.SENDING, lease_until=message.lease_until
                ).update(claim_owner=None, lease_until=now + check_delay(now - handed_at))
                counts["checked again later"] = counts.get("checked again later", 0) + 1
                continue
            new_status = {
                DeliveryState.ACCEPTED: Status.SENT,
                DeliveryState.DELIVERED: Status.DELIVERED,
                DeliveryState.UNDELIVERED: Status.UNDELIVERED,
                DeliveryState.UNKNOWN: Status.PENDING,
            }[state]
            detail = NOT_KNOWN if new_status == Status.PENDING else RECONCILED
        fields: dict[str, object] = {"status": new_status, "claim_owner": None, "lease_until": None}
        if new_status == Status.PENDING:
            fields["send_after"] = now
        elif message.sent_at is None:
            fields["sent_at"] = now
        with transaction.atomic():
            # Unchanged lease: the owner did not take the row back meanwhile.
            updated = Message.objects.filter(
                pk=message.pk, status=Status.SENDING, lease_until=message.lease_until
            ).update(**fields)
            if updated:
                _event(message, new_status, detail)
                if new_status == Status.PENDING:
                    requeued.append(message.pk)
        counts[new_status] = counts.get(new_status, 0) + updated
    return counts, requeued


# A ``doing`` job whose worker sent no heartbeat for this long died with it (procrastinate
# beats every 10 s).
LIVE_WORKER_SECONDS = _env.get_int("JALON_SMS_LIVE_WORKER_SECONDS", 60)


def orphans(now: datetime | None = None) -> list[int]:
    """Due ``pending`` messages that no job will send: their job died with its worker
    between fetching it and the claim, or between a retry's write and its new job.

    A message counts as orphaned when it has been due for ``ORPHAN_AFTER`` and has no
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
            [now - ORPHAN_AFTER, SEND_TASK, now - timedelta(seconds=LIVE_WORKER_SECONDS)],
        )
        return [row[0] for row in cursor.fetchall()]
