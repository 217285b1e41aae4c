"""Queueing and cancelling SMS with the business change that causes them (MSJ-50 to MSJ-58).

Called inside the caller's transaction: the ``Message`` row and its job exist only if the
booking, cancellation … commits. No free text and no bulk sending (MSJ-57): every message
belongs to one convocation and has a kind.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jalon.core.copying import copy_insert
from jalon.history.actions import record
from jalon.sms import tasks
from jalon.sms.delivery import _event
from jalon.sms.models import Message, MessageEvent, MessageKind, ReminderDelay
from jalon.sms.providers.base import DeliveryState
from jalon.sms.providers.linkmobility import Report
from jalon.sms.timing import convocation_send_at, reminder_due

Status = Message.Status
Undelivered = Message.Undelivered
logger = logging.getLogger(__name__)


def queue_message(
    *, appointment: Any, kind: str, send_after: datetime, agent: Any
) -> Message | None:
    """One SMS about ``appointment``, or None when the person takes no SMS (MSJ-58)."""
    person = appointment.person
    if not person.can_receive_sms:
        return None
    message = Message.objects.create(
        kind=kind,
        appointment=appointment,
        person=person,
        service=appointment.service,
        phone=person.phone,
        send_after=send_after,
        created_by=agent,
    )
    _event(message, Status.PENDING)
    tasks.schedule(message)
    return message


def queue_account_message(*, person: Any, service: Any, kind: str, agent: Any) -> Message:
    """A message of the person's space (``AccountKind``: invitation, reset code), sent now.

    Its text is written when it leaves by the space app (``content.compose``); the caller
    checked that the person takes SMS. Delivery is the convocations' one: exactly once.
    """
    message = Message.objects.create(
        kind=kind,
        appointment=None,
        person=person,
        service=service,
        phone=person.phone,
        send_after=timezone.now(),
        created_by=agent,
    )
    _event(message, Status.PENDING)
    tasks.schedule(message)
    return message


def _reminder_due(appointment: Any) -> datetime | None:
    return reminder_due(
        appointment.starts_at,
        delay_hours=ReminderDelay.for_appointment(appointment),
        time_zone=appointment.service.time_zone,
        now=timezone.now(),
    )


def queue_for_booking(
    *, appointment: Any, agent: Any, send_now: bool, kind: str = MessageKind.CONVOCATION
) -> list[Message]:
    """The SMS of a new convocation: at once if the agent asked, and the reminder (MSJ-50, MSJ-51).

    Booked inside the reminder delay, the reminder is skipped: one message, not two; when the
    agent did not ask for the immediate one, that single message is sent at once instead.
    """
    due = _reminder_due(appointment)
    queued = []
    if send_now or due is None:
        queued.append(
            queue_message(
                appointment=appointment, kind=kind, send_after=send_now_at(appointment), agent=agent
            )
        )
    if due is not None:
        queued.append(
            queue_message(
                appointment=appointment, kind=MessageKind.REMINDER, send_after=due, agent=agent
            )
        )
    return [message for message in queued if message is not None]


def queue_for_bookings(*, appointments: list[Any], agent: Any) -> list[Message]:
    """``queue_for_booking`` (not sent at once) for many new convocations, in a few inserts:
    the same messages, their ``pending`` event and one sending job each (an import's run).

    Each appointment's ``person`` and ``service`` are loaded; the reminder delay is read once
    per service and type.
    """
    delays: dict[tuple[int, int], int] = {}
    messages: list[Message] = []
    now = timezone.now()
    for appointment in appointments:
        person = appointment.person
        if not person.can_receive_sms:
            continue
        pair = (appointment.service_id, appointment.appointment_type_id)
        if pair not in delays:
            delays[pair] = ReminderDelay.for_appointment(appointment)
        due = reminder_due(
            appointment.starts_at,
            delay_hours=delays[pair],
            time_zone=appointment.service.time_zone,
            now=now,
        )
        kind, send_after = (
            (MessageKind.CONVOCATION, send_now_at(appointment))
            if due is None
            else (MessageKind.REMINDER, due)
        )
        messages.append(
            Message(
                kind=kind,
                appointment=appointment,
                person=person,
                service=appointment.service,
                phone=person.phone,
                send_after=send_after,
                created_by=agent,
            )
        )
    if not messages:
        return []
    copy_insert(messages, set_pks=True)
    copy_insert(
        [MessageEvent(message=message, status=Status.PENDING, detail="") for message in messages]
    )
    tasks.schedule_many(messages)
    return messages


def queue_reminder(*, appointment: Any, agent: Any) -> Message | None:
    """The reminder again, when a convocation is planned again (a reverted excuse) and still ahead."""
    due = _reminder_due(appointment)
    if due is None:
        return None
    return queue_message(
        appointment=appointment, kind=MessageKind.REMINDER, send_after=due, agent=agent
    )


def send_now_at(appointment: Any) -> datetime:
    """Now, or 08:00 local when it is night at the service (no SMS at night)."""
    return convocation_send_at(timezone.now(), appointment.service.time_zone)


def cancel_pending(appointment: Any) -> int:
    """Cancel what has not left yet (the reminder of a cancelled or moved convocation)."""
    cancelled = 0
    for message in Message.objects.select_for_update().filter(
        appointment=appointment, status=Status.PENDING
    ):
        message.status = Status.CANCELLED
        message.save(update_fields=["status"])
        _event(message, Status.CANCELLED, "Convocation annulée, déplacée ou excusée.")
        cancelled += 1
    return cancelled


@transaction.atomic
def resend(*, agent: Any, message: Message) -> Message | None:
    """ "Renvoyer" a failed SMS: a new message of the same kind, sent now (the failed one stays)."""
    if message.status != Status.FAILED:
        return None
    new = queue_message(
        appointment=message.appointment,
        kind=message.kind,
        send_after=convocation_send_at(timezone.now(), message.service.time_zone),
        agent=agent,
    )
    if new is not None:
        record(
            "sms.resent",
            actor=agent,
            target=message.appointment,
            details={"failed": message.pk, "new": new.pk},
        )
    return new


@transaction.atomic
def apply_receipt(*, report: Report, reason: str = "") -> Message | None:
    """A delivery report (MSJ-52, MSJ-53). Idempotent; never overwrites a final state.

    Returns the message, or None when the reference is unknown. A report may arrive before
    the sending job wrote ``sent`` (the provider is fast, or the job crashed after the call):
    it then also settles the ``sending`` row. An intermediate report changes nothing. A
    non-delivery records whether it is temporary (phone off) or permanent (bad number).
    """
    message = Message.objects.select_for_update().filter(uuid=report.reference).first()
    if message is None or report.state == DeliveryState.ACCEPTED:
        return message
    if message.status == Status.UNDELIVERED and not message.undelivered:
        # Settled from the status API first, which does not say why: the report does.
        if report.state == DeliveryState.UNDELIVERED:
            kind = Undelivered.PERMANENT if report.permanent else Undelivered.TEMPORARY
            message.undelivered, message.error = kind, f"{kind.label} (code {report.code})"
            message.save(update_fields=["undelivered", "error"])
        return message
    if message.status not in (Status.SENT, Status.SENDING):
        return message
    if report.state == DeliveryState.DELIVERED:
        message.status, message.delivered_at = Status.DELIVERED, timezone.now()
    else:
        kind = Undelivered.PERMANENT if report.permanent else Undelivered.TEMPORARY
        message.status, message.undelivered, message.delivered_at = Status.UNDELIVERED, kind, None
        message.error = f"{kind.label} (code {report.code})"[:300]
    message.claim_owner, message.lease_until = None, None
    message.save(
        update_fields=[
            "status",
            "delivered_at",
            "undelivered",
            "error",
            "claim_owner",
            "lease_until",
        ]
    )
    detail = message.error if message.status == Status.UNDELIVERED else reason
    _event(message, message.status, detail)
    return message


def is_stop(text: str) -> bool:
    """ "STOP", "stop", "S T O P", "Stop SMS": any case, with or without spaces (MSJ-60)."""
    compact = "".join(text.split()).upper().rstrip(".!")
    return compact in {"STOP", "STOPSMS", "ARRET", "ARRÊT"}


CONSENT_ACTIONS = ("person.sms_refused", "person.sms_accepted")


def latest_consent_change(person: Any) -> datetime | None:
    """When "refuse les SMS" last changed for ``person`` (history is the record of it)."""
    from jalon.history.models import Event

    return (
        Event.objects.for_object(person)
        .filter(action__in=CONSENT_ACTIONS)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@transaction.atomic
def apply_inbound(*, source: str, text: str, sent_at: datetime) -> int:
    """An inbound SMS: STOP ticks "refuse les SMS" for the persons with that number.

    Returns how many persons were changed. A STOP sent before the person's latest consent
    change (accepted again with an agent, say) is stale: it never undoes that change.
    Anything else is ignored (nobody reads replies: MSJ-45 says they cannot be answered).
    """
    from jalon.people.actions import set_sms_refusal
    from jalon.people.models import Person

    if not is_stop(text):
        return 0
    changed = 0
    for person in Person.objects.select_for_update().filter(phone=source):
        latest = latest_consent_change(person)
        if latest is not None and sent_at <= latest:
            logger.warning("stale inbound STOP ignored", extra={"person_id": person.pk})
            continue
        if set_sms_refusal(person=person, refused=True, agent=None, source="STOP"):
            changed += 1
        cancel_person_pending(person)
    return changed


def cancel_person_pending(person: Any) -> int:
    """Cancel every SMS not yet left for a person who now refuses them."""
    cancelled = 0
    for message in Message.objects.select_for_update().filter(person=person, status=Status.PENDING):
        message.status = Status.CANCELLED
        message.save(update_fields=["status"])
        _event(message, Status.CANCELLED, "La personne refuse désormais les SMS.")
        cancelled += 1
    return cancelled
