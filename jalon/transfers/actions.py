"""Transfer of follow-up (dessaisissement, MSJ-36): request, answer, cancel, complete, deadlines.

Every action runs in one transaction, checks who may act (``access/rules/transfers.py``),
locks the request row before reading its state, writes history on the request and on the
person, and queues its e-mails in that transaction. Bad input raises ``ValidationError``
with French messages keyed by form field; nothing is half-applied.

Rules (MSJ ``DivestmentCreatorService``, ``DivestmentStateService``):

- the services following the person when the request is made are asked, one answer each;
- the request is accepted at once, without asking, when the person is archived, when no
  service follows them, or when none of the asked services had a convocation with them in
  the last 6 months (cancelled ones do not count; a planned future one does);
- one refusal (with a reason) refuses the request; the other answers become "sans objet";
- when every answer accepts (given or automatic) the follow moves: the requesting service
  follows the person, the asked services stop following, the référent is cleared when they
  belong to one of them, and the **future planned convocations held by those services are
  cancelled** (their place in a slot freed, pending reminders dropped, a cancellation SMS
  sent when the requester ticked it): once released, those services no longer see the
  person, so nobody could cancel them later;
- 5 calendar days after the request, services that have not answered get one reminder;
  after 10, their answer becomes an automatic acceptance (``process_deadlines``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.access.rules import transfers as rules
from jalon.appointments.actions import apply_cancellation
from jalon.appointments.models import Appointment
from jalon.history.actions import record
from jalon.people.models import Follow, Person
from jalon.transfers import mail
from jalon.transfers.models import Transfer, TransferAnswer

logger = logging.getLogger(__name__)

DORMANT_MONTHS = 6
REMINDER_DAYS = 5
AUTO_ACCEPT_DAYS = 10

ALREADY_PENDING = "Votre service a déjà une demande de transfert en cours pour cette personne."
NOT_PENDING = "Cette demande n’est plus en attente : rechargez la page."


# --- Requesting ------------------------------------------------------------------------------


def auto_accept_reason(person: Person, service_ids: list[int], now: datetime) -> str:
    """Why the request needs no answer, or "" (MSJ: archived, or no convocation for 6 months)."""
    if person.is_archived:
        return Transfer.AutoReason.ARCHIVED
    if not service_ids:
        return Transfer.AutoReason.NOBODY
    recent = (
        Appointment.objects.filter(
            person=person,
            service_id__in=service_ids,
            starts_at__gte=now - relativedelta(months=DORMANT_MONTHS),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .exists()
    )
    return "" if recent else Transfer.AutoReason.DORMANT


@transaction.atomic
def request_transfer(
    *,
    agent: Agent,
    person: Person,
    service: Service,
    reason: str,
    notify_person: bool = True,
) -> Transfer:
    """Ask, in the name of ``service``, to take over the follow-up of ``person``."""
    person = (
        Person.objects.select_for_update(of=("self",)).prefetch_related("follows").get(pk=person.pk)
    )
    if not rules.can_request_transfer(agent, person, service):
        if any(follow.service_id == service.pk for follow in person.follows.all()):
            raise ValidationError("Ce service suit déjà cette personne.")
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la demande (déménagement …)."})
    other = (
        Transfer.objects.pending()
        .filter(person=person)
        .select_related("requesting_service")
        .first()
    )
    if other is not None:
        if other.requesting_service_id == service.pk:
            raise ValidationError(ALREADY_PENDING)
        raise ValidationError(
            f"Une demande de transfert est déjà en cours pour cette personne (demandée par "
            f"{other.requesting_service} le {timezone.localtime(other.created_at):%d/%m/%Y}) : "
            "attendez qu’elle soit traitée."
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                person=person,
                requesting_service=service,
                requested_by=agent,
                reason=reason,
                notify_person=notify_person,
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(ALREADY_PENDING) from None
    follows = sorted(person.follows.all(), key=lambda follow: follow.service_id)
    TransferAnswer.objects.bulk_create(
        [TransferAnswer(transfer=transfer, service_id=follow.service_id) for follow in follows]
    )
    answers = list(
        TransferAnswer.objects.filter(transfer=transfer).select_related("service").order_by("pk")
    )
    details: dict[str, Any] = {
        "requesting_service": service.name,
        "asked": [answer.service.name for answer in answers],
        "reason": reason,
    }
    record("transfer.requested", actor=agent, target=transfer, details=details)
    record(
        "transfer.requested",
        actor=agent,
        target=person,
        details={**details, "transfer": transfer.pk},
    )
    automatic = auto_accept_reason(person, [answer.service_id for answer in answers], now)
    if automatic:
        _auto_accept(transfer, answers, automatic, actor=agent, now=now)
        _complete(transfer, actor=agent, now=now, automatic=automatic)
    else:
        mail.requested(transfer, answers)
    return transfer


# --- Answering ------------------------------------------------------------------------------


def _lock(transfer: Transfer) -> tuple[Transfer, list[TransferAnswer]]:
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "requesting_service", "requested_by")
        .get(pk=transfer.pk)
    )
    answers = list(
        TransferAnswer.objects.select_for_update(of=("self",))
        .filter(transfer=locked)
        .select_related("service")
        .order_by("pk")
    )
    return locked, answers


def _answer_for(
    agent: Agent, transfer: Transfer, answers: list[TransferAnswer], service: Service | None
) -> TransferAnswer:
    if not transfer.is_pending:
        raise ValidationError(NOT_PENDING)
    service_id = service.pk if service is not None else agent.service_id
    answer = next((item for item in answers if item.service_id == service_id), None)
    if answer is None:
        raise PermissionDenied
    answer.transfer = transfer
    if not answer.is_pending:
        raise ValidationError("Votre service a déjà répondu à cette demande.")
    if not rules.can_answer_transfer(agent, answer):
        raise PermissionDenied
    return answer


def _person_details(transfer: Transfer, **details: Any) -> dict[str, Any]:
    return {
        "transfer": transfer.pk,
        "requesting_service": transfer.requesting_service.name,
        **details,
    }


@transaction.atomic
def accept_transfer(
    *, agent: Agent, transfer: Transfer, service: Service | None = None, reason: str = ""
) -> Transfer:
    """Accept for the agent's service (national admins name the ``service``)."""
    transfer, answers = _lock(transfer)
    answer = _answer_for(agent, transfer, answers, service)
    now = timezone.now()
    answer.status = TransferAnswer.Status.ACCEPTED
    answer.reason = reason.strip()
    answer.answered_by, answer.answered_at = agent, now
    answer.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    details = {"service": answer.service.name, "reason": answer.reason}
    record("transfer.accepted", actor=agent, target=transfer, details=details)
    record(
        "transfer.accepted",
        actor=agent,
        target=transfer.person,
        details=_person_details(transfer, **details),
    )
    waiting = [item for item in answers if item.is_pending]
    if waiting:
        mail.accepted(transfer, answer, waiting)
    else:
        _complete(transfer, actor=agent, now=now, automatic="")
    return transfer


@transaction.atomic
def refuse_transfer(
    *, agent: Agent, transfer: Transfer, reason: str, service: Service | None = None
) -> Transfer:
    """Refuse, with a reason: the whole request is refused, the other answers become void."""
    transfer, answers = _lock(transfer)
    answer = _answer_for(agent, transfer, answers, service)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    now = timezone.now()
    answer.status = TransferAnswer.Status.REFUSED
    answer.reason = reason
    answer.answered_by, answer.answered_at = agent, now
    answer.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    others = [item for item in answers if item.is_pending]
    TransferAnswer.objects.filter(pk__in=[item.pk for item in others]).update(
        status=TransferAnswer.Status.VOID
    )
    transfer.status, transfer.decided_at = Transfer.Status.REFUSED, now
    transfer.save(update_fields=["status", "decided_at"])
    details = {"service": answer.service.name, "reason": reason}
    record("transfer.refused", actor=agent, target=transfer, details=details)
    record(
        "transfer.refused",
        actor=agent,
        target=transfer.person,
        details=_person_details(transfer, **details),
    )
    mail.refused(transfer, answer, others)
    return transfer


@transaction.atomic
def cancel_transfer(*, agent: Agent, transfer: Transfer) -> Transfer:
    """The requesting service withdraws its pending request."""
    transfer, answers = _lock(transfer)
    if not transfer.is_pending:
        raise ValidationError(NOT_PENDING)
    if not rules.can_cancel_transfer(agent, transfer):
        raise PermissionDenied
    waiting = [item for item in answers if item.is_pending]
    TransferAnswer.objects.filter(pk__in=[item.pk for item in waiting]).update(
        status=TransferAnswer.Status.VOID
    )
    transfer.status, transfer.decided_at = Transfer.Status.CANCELLED, timezone.now()
    transfer.save(update_fields=["status", "decided_at"])
    record("transfer.cancelled", actor=agent, target=transfer)
    record(
        "transfer.cancelled", actor=agent, target=transfer.person, details=_person_details(transfer)
    )
    mail.cancelled(transfer, waiting)
    return transfer


# --- Automatic acceptance and completion -------------------------------------------------------


def _auto_accept(
    transfer: Transfer,
    answers: list[TransferAnswer],
    automatic: str,
    *,
    actor: Agent | None,
    now: datetime,
) -> None:
    pending = [answer for answer in answers if answer.is_pending]
    TransferAnswer.objects.filter(pk__in=[answer.pk for answer in pending]).update(
        status=TransferAnswer.Status.AUTO_ACCEPTED,
        answered_at=now,
        reason=Transfer.AutoReason(automatic).label,
    )
    for answer in pending:
        answer.status = TransferAnswer.Status.AUTO_ACCEPTED
    details = {
        "reason": automatic,
        "services": [answer.service.name for answer in pending],
    }
    record("transfer.auto_accepted", actor=actor, target=transfer, details=details)
    record(
        "transfer.auto_accepted",
        actor=actor,
        target=transfer.person,
        details=_person_details(transfer, **details),
    )


def _complete(transfer: Transfer, *, actor: Agent | None, now: datetime, automatic: str) -> None:
    """Every answer accepts: move the follow (called with the request row locked)."""
    person = Person.objects.select_for_update(of=("self",)).get(pk=transfer.person_id)
    answers = list(TransferAnswer.objects.filter(transfer=transfer).select_related("service"))
    released = [
        answer.service for answer in answers if answer.service_id != transfer.requesting_service_id
    ]
    released_ids = [service.pk for service in released]
    Follow.objects.filter(person=person, service_id__in=released_ids).delete()
    Follow.objects.get_or_create(person=person, service_id=transfer.requesting_service_id)
    referent_cleared = False
    referent = person.referent if person.referent_id is not None else None
    if referent is not None and referent.service_id in released_ids:
        person.referent = None
        person.save(update_fields=["referent"])
        referent_cleared = True
    cancelled = _cancel_future_convocations(transfer, person, released_ids, actor=actor, now=now)
    transfer.status = Transfer.Status.AUTO_ACCEPTED if automatic else Transfer.Status.ACCEPTED
    transfer.decided_at = now
    if automatic:
        transfer.auto_reason = automatic
    transfer.save(update_fields=["status", "decided_at", "auto_reason"])
    details: dict[str, Any] = {
        "to": transfer.requesting_service.name,
        "released": [service.name for service in released],
        "referent_cleared": referent_cleared,
        "cancelled_appointments": [appointment.pk for appointment in cancelled],
    }
    record("transfer.completed", actor=actor, target=transfer, details=details)
    record(
        "transfer.completed",
        actor=actor,
        target=person,
        details=_person_details(transfer, **details),
    )
    counts: dict[int, int] = {}
    for appointment in cancelled:
        counts[appointment.service_id] = counts.get(appointment.service_id, 0) + 1
    mail.completed(transfer, released, counts)


def _cancel_future_convocations(
    transfer: Transfer,
    person: Person,
    service_ids: list[int],
    *,
    actor: Agent | None,
    now: datetime,
) -> list[Appointment]:
    """Cancel the planned future convocations held by the released services.

    The transfer is the decision (the services accepted, or let the deadline pass after a
    reminder saying so); the effects are those of ``appointments.actions.cancel_appointment`` (one function).
    """
    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(
            person=person,
            service_id__in=service_ids,
            status=Appointment.Status.BOOKED,
            starts_at__gt=now,
        )
        .select_related("service", "person", "appointment_type")
        .order_by("starts_at", "pk")
    )
    for appointment in appointments:
        apply_cancellation(appointment, actor=actor, notify=transfer.notify_person, at=now)
        record(
            "appointment.cancelled",
            actor=actor,
            target=appointment,
            details={
                "reason": f"Suivi transféré à {transfer.requesting_service}",
                "transfer": transfer.pk,
            },
        )
    return appointments


# --- Deadlines (daily job) -------------------------------------------------------------------


@dataclass
class DeadlineReport:
    reminded: list[int] = field(default_factory=list)  # answer ids
    auto_accepted: list[int] = field(default_factory=list)  # transfer ids


def _cutoff(now: datetime, days: int) -> datetime:
    """Requests made on or before the local day ``days`` days ago are due."""
    today = timezone.localdate(now)
    return datetime.combine(
        today - timedelta(days=days - 1), time.min, tzinfo=timezone.get_current_timezone()
    )


def process_deadlines(*, now: datetime | None = None, dry_run: bool = False) -> DeadlineReport:
    """Remind after 5 days, accept automatically after 10 (idempotent, safe to run concurrently).

    Each request is handled in its own transaction with its row locked (``SKIP LOCKED``: a
    concurrent run skips it); a reminder is claimed by setting ``reminded_at`` where it is
    still empty, so it goes once.
    """
    now = now or timezone.now()
    report = DeadlineReport()
    expired = list(
        Transfer.objects.pending()
        .filter(created_at__lt=_cutoff(now, AUTO_ACCEPT_DAYS))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    for transfer_id in expired:
        if dry_run or _expire(transfer_id, now):
            report.auto_accepted.append(transfer_id)
    due = (
        TransferAnswer.objects.filter(
            status=TransferAnswer.Status.PENDING,
            reminded_at__isnull=True,
            transfer__status=Transfer.Status.PENDING,
            transfer__created_at__lt=_cutoff(now, REMINDER_DAYS),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for answer_id in list(due):
        if dry_run or _remind(answer_id, now):
            report.reminded.append(answer_id)
    return report


@transaction.atomic
def _expire(transfer_id: int, now: datetime) -> bool:
    transfer = (
        Transfer.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("person", "requesting_service", "requested_by")
        .filter(pk=transfer_id, status=Transfer.Status.PENDING)
        .first()
    )
    if transfer is None:
        return False
    answers = list(
        TransferAnswer.objects.filter(transfer=transfer).select_related("service").order_by("pk")
    )
    _auto_accept(transfer, answers, Transfer.AutoReason.NO_ANSWER, actor=None, now=now)
    _complete(transfer, actor=None, now=now, automatic=Transfer.AutoReason.NO_ANSWER)
    return True


@transaction.atomic
def _remind(answer_id: int, now: datetime) -> bool:
    claimed = TransferAnswer.objects.filter(
        pk=answer_id,
        status=TransferAnswer.Status.PENDING,
        reminded_at__isnull=True,
        transfer__status=Transfer.Status.PENDING,
    ).update(reminded_at=now)
    if not claimed:
        return False
    answer = TransferAnswer.objects.select_related(
        "service", "transfer__person", "transfer__requesting_service", "transfer__requested_by"
    ).get(pk=answer_id)
    transfer = answer.transfer
    record(
        "transfer.reminded", actor=None, target=transfer, details={"service": answer.service.name}
    )
    mail.reminder(transfer, answer)
    return True
