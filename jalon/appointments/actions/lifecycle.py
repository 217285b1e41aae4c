"""The life of a convocation: book (a registered person, or register and book at once),
record the outcome, revert, cancel, reschedule, reconvene.

Each action checks who may act (``access/rules``), locks the rows it changes, writes its
history event in the same transaction, and raises ``ValidationError`` with a French
message keyed by form field when the request cannot be honoured. Nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.access.rules import appointments as rules
from jalon.access.rules import people as people_rules
from jalon.appointments import slots as planning
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.models import Agenda, Appointment, AppointmentType, Slot
from jalon.appointments.scheduling import SchedulingError, check_start
from jalon.cases import follow_up
from jalon.cases.actions import judgments as judgment_actions
from jalon.cases.models import Execution, Judgment, Measure
from jalon.core.transactions import atomic_action
from jalon.history.actions import record, record_events, unsaved_event
from jalon.people.actions import Identity, follow, register_person
from jalon.people.models import Person
from jalon.sms import actions as sms_actions
from jalon.sms.models import MessageKind

Status = Appointment.Status


class Assignee(Enum):
    CHOOSE = "choose"  # the default of ``book_appointment``: see ``assignee_for``


def assignee_for(agent: Agent, agenda: Agenda) -> Agent | None:
    """Who a new convocation is assigned to: the booking agent when the agenda is their own
    service's (they will receive the person), nobody when they book for another service,
    which then assigns it itself."""
    return agent if agenda.place.service_id == agent.service_id else None


def _local(moment: datetime, appointment: Appointment) -> str:
    return f"{moment.astimezone(appointment.time_zone):%d/%m/%Y %H:%M}"


@atomic_action
def book_appointment(
    *,
    agent: Agent,
    person: Person,
    appointment_type: AppointmentType | None = None,
    agenda: Agenda | None = None,
    starts_at: datetime | None = None,
    slot: Slot | None = None,
    duration_minutes: int | None = None,
    assigned_agent: Agent | Literal[Assignee.CHOOSE] | None = Assignee.CHOOSE,
    prosecution_number: str = "",
    reconvened_from: Appointment | None = None,
    history_action: str = "appointment.booked",
    send_sms_now: bool = False,
    sms_kind: str = MessageKind.CONVOCATION,
    judgment: Judgment | None = None,
    confirm_late: bool = False,
) -> Appointment:
    """Book ``person`` at ``starts_at`` in ``agenda``, or on ``slot``.

    ``judgment``: a sortie d'audience convocation booked from that judgment (``person`` is its
    defendant). It is refused after the art. 474 deadline for its service unless
    ``confirm_late``, and linked to the measure it executes (now if the measure exists, else
    when the judgment becomes executable).

    Without a slot, for types booked on free times: slot types (sortie d'audience, DDSE)
    are refused. With a slot, its type, agenda, start and duration are the convocation's and
    one of its places is taken last (``slot_actions.take_place``), so a full or closed slot is
    refused whatever the concurrent bookings. Both paths run the same person, date, overlap,
    follow, SMS and history steps. The assigned agent is chosen by ``assignee_for`` unless
    given (a rescheduled convocation keeps its own).
    """
    if slot is not None:
        slot = _slot_to_book(slot)
        appointment_type, agenda, starts_at = slot.appointment_type, slot.agenda, slot.starts_at
        duration_minutes = slot.duration_minutes
    elif appointment_type is None or agenda is None or starts_at is None:
        raise TypeError("book_appointment needs a slot, or a type, an agenda and a start")
    elif appointment_type.uses_slots:
        raise ValidationError(
            {
                "appointment_type": "Ce type de convocation se prend sur un créneau de l’agenda partagé."
            }
        )
    # The person's row lock serialises bookings of the same person, so two agents cannot
    # book overlapping convocations at the same moment (no btree_gist on the embedded database).
    # The same statement says whether the agent may book there.
    locked = (
        Person.objects.select_for_update(of=("self",))
        .annotate(
            agenda_bookable=Exists(
                rules.bookable_agendas(agent, appointment_type).filter(pk=agenda.pk)
            )
        )
        .get(pk=person.pk)
    )
    if not locked.agenda_bookable:
        where = "sur ce créneau" if slot is not None else "pour ce type dans cet agenda"
        raise ValidationError(
            {"slot" if slot is not None else "agenda": f"Vous ne pouvez pas convoquer {where}."}
        )
    service = agenda.place.service
    if assigned_agent is Assignee.CHOOSE:
        assigned_agent = assignee_for(agent, agenda)
    if locked.is_archived:
        raise ValidationError(
            {"person": "Cette personne est archivée : elle ne peut pas être convoquée."}
        )
    try:
        check_start(
            starts_at,
            now=timezone.now(),
            time_zone=service.time_zone,
            holiday_subdivision=service.holiday_subdivision,
            allows_weekends=appointment_type.allows_weekends,
        )
    except SchedulingError as error:
        raise ValidationError({"starts_at": str(error)}) from None
    minutes = duration_minutes or appointment_type.default_duration_minutes
    ends_at = starts_at + timedelta(minutes=minutes)
    local_start = starts_at.astimezone(ZoneInfo(service.time_zone))
    if slot is None and not planning.within_opening_hours(local_start, minutes):
        # A slot's hours were checked when it was made; a free date is checked here.
        raise ValidationError({"starts_at": planning.outside_hours_message(local_start)})
    clash = (
        Appointment.objects.active()
        .filter(person=locked)
        .overlapping(starts_at, ends_at)
        .select_related("appointment_type", "service")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": (
                    f"Cette personne a déjà une convocation à ce moment-là : "
                    f"{clash.appointment_type} le {_local(clash.starts_at, clash)} "
                    f"({clash.service})."
                )
            }
        )
    measure, late = _execution_link(judgment, person, service, starts_at, confirm_late)
    if slot is not None:
        slot_actions.take_place(slot)
    appointment = Appointment.objects.create(
        slot=slot,
        person=locked,
        appointment_type=appointment_type,
        agenda=agenda,
        service=service,
        starts_at=starts_at,
        ends_at=ends_at,
        assigned_agent=assigned_agent,
        prosecution_number=prosecution_number.strip(),
        created_by=agent,
        created_by_service=agent.service,
        reconvened_from=reconvened_from,
        judgment=judgment,
        measure=measure,
    )
    follow(locked, service)
    sms_actions.queue_for_booking(
        appointment=appointment, agent=agent, send_now=send_sms_now, kind=sms_kind
    )
    record_events(
        unsaved_event(
            history_action,
            actor=agent,
            target=appointment,
            details={
                "person": locked.pk,
                "type": appointment_type.code,
                "starts_at": starts_at.isoformat(),
                "service": service.name,
                **({"slot": slot.pk} if slot is not None else {}),
                **(
                    {
                        "judgment": judgment.pk,
                        "measure": measure.pk if measure is not None else None,
                        "late_confirmed": late,
                    }
                    if judgment is not None
                    else {}
                ),
            },
        ),
        unsaved_event(
            history_action, actor=agent, target=locked, details={"appointment": appointment.pk}
        ),
    )
    return appointment


def _execution_link(
    judgment: Judgment | None,
    person: Person,
    service: Service,
    starts_at: datetime,
    confirm_late: bool,
) -> tuple[Measure | None, bool]:
    """For a convocation booked from ``judgment``: the measure it executes, and whether it is
    after the art. 474 deadline (refused unless confirmed)."""
    if judgment is None:
        return None, False
    if judgment.party is None or judgment.party.person_id != person.pk:
        raise ValidationError({"person": "Cette personne n’est pas le prévenu de ce jugement."})
    execution = Execution.objects.filter(judgment=judgment).first()
    deadline = judgment_actions.convocation_deadline(execution, service.kind)
    day = starts_at.astimezone(ZoneInfo(service.time_zone)).date()
    late = deadline is not None and day > deadline
    if late and not confirm_late:
        assert deadline is not None
        raise ValidationError(
            {
                "slot": f"Ce créneau du {day:%d/%m/%Y} dépasse le délai légal de la convocation "
                f"(au plus tard le {deadline:%d/%m/%Y}, art. 474 du code de procédure pénale) : "
                "choisissez un créneau plus proche ou cochez la confirmation."
            }
        )
    return follow_up.measure_for(judgment, service.kind), late


@dataclass(frozen=True)
class BookingRequest:
    """One convocation to book: on ``slot``, or of ``appointment_type`` in ``agenda`` at
    ``starts_at``. ``key`` names where the agent chose it (a form field), for the refusal."""

    slot: Slot | None = None
    appointment_type: AppointmentType | None = None
    agenda: Agenda | None = None
    starts_at: datetime | None = None
    key: str = ""


class BookingRefused(Exception):
    """One booking of ``register_and_book`` was refused: nothing at all was saved."""

    def __init__(self, request: BookingRequest, error: ValidationError) -> None:
        super().__init__(str(error))
        self.request = request
        self.error = error


@transaction.atomic
def register_and_book(
    *,
    agent: Agent,
    bookings: Sequence[BookingRequest],
    person: Person | None = None,
    identity: Identity | None = None,
    confirm_probable: bool = False,
    prosecution_number: str = "",
    send_sms_now: bool = False,
    judgment: Judgment | None = None,
    confirm_late: bool = False,
) -> tuple[Person, list[Appointment]]:
    """Register a new person from ``identity`` (unless ``person`` is given), then book every
    one of ``bookings``: all of it or nothing (the one-screen registration, MSJ-16, and the
    sortie d'audience, MSJ-05; ``judgment`` and ``confirm_late`` as for ``book_appointment``).

    The registering agent becomes the person's référent when they may be one. Raises
    ``DuplicatePersonError`` or ``ValidationError`` when the registration is refused and
    ``BookingRefused`` when a booking is; either way nobody is registered and nothing booked.
    """
    if person is None:
        if identity is None:
            raise TypeError("register_and_book needs a person or an identity")
        if identity.referent is None and people_rules.can_be_referent(agent):
            identity = replace(identity, referent=agent)
        person = register_person(agent=agent, identity=identity, confirm_probable=confirm_probable)
    booked = []
    for request in bookings:
        try:
            booked.append(
                book_appointment(
                    agent=agent,
                    person=person,
                    slot=request.slot,
                    appointment_type=request.appointment_type,
                    agenda=request.agenda,
                    starts_at=request.starts_at,
                    prosecution_number=prosecution_number,
                    send_sms_now=send_sms_now,
                    judgment=judgment,
                    confirm_late=confirm_late,
                )
            )
        except ValidationError as error:
            raise BookingRefused(request, error) from error
    return person, booked


def _slot_to_book(slot: Slot) -> Slot:
    """The slot as it is now: closed, past and full slots are refused before anything else."""
    current = (
        Slot.objects.select_related("agenda__place__service", "appointment_type")
        .filter(pk=slot.pk)
        .first()
    )
    if current is None:
        raise ValidationError({"slot": slot_actions.GONE})
    if not current.is_open:
        raise ValidationError({"slot": slot_actions.CLOSED})
    if current.starts_at <= timezone.now():
        raise ValidationError({"slot": slot_actions.PAST})
    if current.is_full:
        raise ValidationError({"slot": slot_actions.TAKEN})
    return current


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("appointment_type", "service", "person")
        .get(pk=appointment.pk)
    )


def _lock_if_allowed(
    agent: Agent,
    appointment: Appointment,
    allowed: Callable[[Agent, Appointment], bool],
    possible: str,
    refusal: str,
) -> Appointment:
    """Lock the row; refuse with ``refusal`` when its state forbids it, 403 when the agent may not."""
    locked = _lock(appointment)
    if not allowed(agent, locked):
        if not getattr(locked, possible):
            raise ValidationError(refusal)
        raise PermissionDenied
    return locked


def _set_status(appointment: Appointment, status: str, agent: Agent | None) -> None:
    """Write a status with who set it and when (``None`` agent: back to planned)."""
    appointment.status = status
    appointment.outcome_at = timezone.now() if agent is not None else None
    appointment.outcome_by = agent
    appointment.save(update_fields=["status", "outcome_at", "outcome_by"])


def _book_again(
    agent: Agent,
    old: Appointment,
    agenda: Agenda | None,
    starts_at: datetime | None,
    duration_minutes: int | None,
    slot: Slot | None = None,
    **links: object,
) -> Appointment:
    """A new convocation of the same person and type, keeping who convokes, the parquet
    number, and the judgment and measure it executes (the art. 474 deadline was answered at
    the first booking)."""
    if slot is not None and slot.appointment_type_id != old.appointment_type_id:
        raise ValidationError({"slot": "Choisissez un créneau du même type de convocation."})
    new = book_appointment(
        agent=agent,
        person=old.person,
        appointment_type=old.appointment_type,
        agenda=agenda,
        starts_at=starts_at,
        slot=slot,
        duration_minutes=duration_minutes,
        assigned_agent=old.assigned_agent,
        prosecution_number=old.prosecution_number,
        **links,  # type: ignore[arg-type]
    )
    if old.judgment_id is not None or old.measure_id is not None:
        new.judgment_id, new.measure_id = old.judgment_id, old.measure_id
        new.save(update_fields=["judgment", "measure"])
    return new


def _record_both(action: str, agent: Agent, appointment: Appointment, **details: object) -> None:
    record(action, actor=agent, target=appointment, details=dict(details))
    record(
        action,
        actor=agent,
        target=appointment.person,
        details={"appointment": appointment.pk, **details},
    )


@atomic_action
def record_outcome(
    *, agent: Agent, appointment: Appointment, status: str, notify: bool = False
) -> Appointment:
    """Mark a convocation honoured, missed or excused.

    Excusing a future convocation cancels its pending reminder; ``notify`` sends the
    missed-convocation SMS after a missed one.
    """
    appointment = _lock(appointment)
    if not rules.can_record_outcome(agent, appointment):
        raise PermissionDenied
    if not appointment.can_take_outcome(status):
        raise ValidationError(
            "Seule une convocation planifiée et déjà commencée peut être marquée honorée "
            "ou non honorée ; une convocation planifiée peut être excusée."
        )
    _set_status(appointment, status, agent)
    sms_actions.cancel_pending(appointment)
    if notify and status == Status.MISSED:
        sms_actions.queue_message(
            appointment=appointment,
            kind=MessageKind.MISSED,
            send_after=sms_actions.send_now_at(appointment),
            agent=agent,
        )
    _record_both(f"appointment.{status}", agent, appointment)
    return appointment


@transaction.atomic
def revert_outcome(*, agent: Agent, appointment: Appointment) -> Appointment:
    """Undo a wrongly recorded outcome: the convocation is planned again."""
    appointment = _lock(appointment)
    if not rules.can_record_outcome(agent, appointment):
        raise PermissionDenied
    if not appointment.can_be_reverted:
        raise ValidationError("Cette convocation n’a pas de statut à annuler.")
    previous = appointment.status
    _set_status(appointment, Status.BOOKED, None)
    if not appointment.is_past:
        sms_actions.queue_reminder(appointment=appointment, agent=agent)
    _record_both("appointment.reverted", agent, appointment, previous=previous)
    return appointment


@atomic_action
def cancel_appointment(
    *, agent: Agent, appointment: Appointment, reason: str = "", notify: bool = False
) -> Appointment:
    appointment = _lock_if_allowed(
        agent,
        appointment,
        rules.can_cancel_appointment,
        "can_be_cancelled",
        "Seule une convocation planifiée à venir peut être annulée.",
    )
    apply_cancellation(appointment, actor=agent, notify=notify)
    _record_both("appointment.cancelled", agent, appointment, reason=reason.strip())
    return appointment


def apply_cancellation(
    appointment: Appointment, *, actor: Agent | None, notify: bool, at: datetime | None = None
) -> None:
    """What cancelling a convocation does, once decided and its row locked by the caller:
    the status, its slot place given back, its pending reminder dropped and, if asked, the
    cancellation SMS. ``actor`` is None for a decision no agent took (an automatic transfer).
    """
    appointment.status = Status.CANCELLED
    appointment.outcome_at, appointment.outcome_by = at or timezone.now(), actor
    appointment.save(update_fields=["status", "outcome_at", "outcome_by"])
    slot_actions.free_place(appointment.slot_id)
    sms_actions.cancel_pending(appointment)
    if notify:
        sms_actions.queue_message(
            appointment=appointment,
            kind=MessageKind.CANCELLATION,
            send_after=sms_actions.send_now_at(appointment),
            agent=actor,
        )


@atomic_action
def reschedule_appointment(
    *,
    agent: Agent,
    appointment: Appointment,
    agenda: Agenda | None = None,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    notify: bool = False,
    slot: Slot | None = None,
) -> Appointment:
    """Move a planned convocation: the old one is cancelled and points to the new one.

    The old reminder is cancelled and its slot place, if any, given back; the new
    convocation (at a time, or on ``slot`` for slot types) gets its own reminder, and
    ``notify`` sends the rescheduling SMS at once (MSJ-54).
    """
    old = _lock_if_allowed(
        agent,
        appointment,
        rules.can_reschedule_appointment,
        "can_be_rescheduled",
        "Seule une convocation planifiée à venir peut être replanifiée.",
    )
    # Free the old time first so that moving by a few minutes is not an overlap with itself.
    _set_status(old, Status.CANCELLED, agent)
    slot_actions.free_place(old.slot_id)
    sms_actions.cancel_pending(old)
    new = _book_again(
        agent,
        old,
        agenda,
        starts_at,
        duration_minutes,
        slot,
        history_action="appointment.rescheduled_booking",
        send_sms_now=notify,
        sms_kind=MessageKind.RESCHEDULE,
    )
    old.rescheduled_to = new
    old.save(update_fields=["rescheduled_to"])
    _record_both("appointment.rescheduled", agent, old, new=new.pk)
    return new


@transaction.atomic
def reconvene(
    *,
    agent: Agent,
    appointment: Appointment,
    agenda: Agenda | None = None,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    notify: bool = False,
    slot: Slot | None = None,
) -> Appointment:
    """Convoke again after a missed or excused convocation ("reconvoquer")."""
    old = _lock_if_allowed(
        agent,
        appointment,
        rules.can_reconvene,
        "can_be_reconvened",
        "On reconvoque après une convocation non honorée ou excusée.",
    )
    return _book_again(
        agent,
        old,
        agenda,
        starts_at,
        duration_minutes,
        slot,
        reconvened_from=old,
        history_action="appointment.reconvened",
        send_sms_now=notify,
    )
