"""Slots and recurring slots: create, change, close, re-plan; take and free a place.

Like ``actions.py``: each action checks who may act (``access/rules/slots.py``), locks what
it changes, writes its history event in the same transaction and raises ``ValidationError``
with French messages keyed by form field. Nothing is half-applied.

Re-planning a pattern (change, deactivation, deletion) removes or adjusts its future
**empty** slots and creates the missing ones; a slot holding a convocation is never
touched: it keeps its time, duration, capacity and link to the pattern (after a deletion
it stays as a single slot, ``pattern`` empty). An empty slot closed for a leave stays
closed when it is still planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.rules import slots as rules
from jalon.appointments import slots as planning
from jalon.appointments.models import Agenda, AppointmentType, Slot, SlotPattern
from jalon.appointments.scheduling import SchedulingError, check_start, local_datetime
from jalon.history.actions import record

PATTERN_FIELDS = (
    "weekdays",
    "start_time",
    "end_time",
    "interval_minutes",
    "duration_minutes",
    "capacity",
    "valid_from",
    "valid_until",
    "includes_holidays",
    "is_active",
)
TAKEN = "Ce créneau est complet : choisissez-en un autre."
CLOSED = "Ce créneau est fermé : choisissez-en un autre."
PAST = "Ce créneau est passé : choisissez-en un autre."
GONE = "Ce créneau n’existe plus : choisissez-en un autre."
DUPLICATE = "Un créneau de ce type commence déjà à cette heure dans cet agenda."


# --- Places in a slot (called by the booking actions, inside their transaction) -----------


def take_place(slot: Slot, *, now: datetime | None = None) -> None:
    """Take one place in ``slot``, or raise with why not.

    A conditional ``UPDATE``: under concurrent bookings of the last place, PostgreSQL makes
    the others wait for the first, then re-checks the condition on the updated row, so only
    one wins. The check constraint ``booked_count <= capacity`` is the last guard.
    """
    now = now or timezone.now()
    taken = Slot.objects.filter(
        pk=slot.pk, is_open=True, starts_at__gt=now, booked_count__lt=F("capacity")
    ).update(booked_count=F("booked_count") + 1)
    if taken:
        return
    current = Slot.objects.filter(pk=slot.pk).first()
    if current is None:
        message = GONE
    elif not current.is_open:
        message = CLOSED
    elif current.starts_at <= now:
        message = PAST
    else:
        message = TAKEN
    raise ValidationError({"slot": message})


def free_place(slot_id: int | None) -> None:
    """Give back the place of a cancelled or moved convocation."""
    if slot_id is not None:
        Slot.objects.filter(pk=slot_id, booked_count__gt=0).update(
            booked_count=F("booked_count") - 1
        )


# --- Single slots ---------------------------------------------------------------------------


def _slot_start(agenda: Agenda, appointment_type: AppointmentType, day: date, at: time) -> datetime:
    service = agenda.place.service
    try:
        starts_at = local_datetime(day, at, service.time_zone)
    except SchedulingError as error:
        raise ValidationError({"time": str(error)}) from None
    try:
        check_start(
            starts_at,
            now=timezone.now(),
            time_zone=service.time_zone,
            holiday_subdivision=service.holiday_subdivision,
            allows_weekends=appointment_type.allows_weekends,
        )
    except SchedulingError as error:
        raise ValidationError({"day": str(error)}) from None
    return starts_at


@transaction.atomic
def create_slot(
    *,
    agent: Agent,
    agenda: Agenda,
    appointment_type: AppointmentType,
    day: date,
    at: time,
    duration_minutes: int,
    capacity: int,
) -> Slot:
    """One slot by hand (a hearing day, an extra tag-fitting round)."""
    if not rules.can_manage_slots(agent, agenda, appointment_type):
        raise PermissionDenied
    starts_at = _slot_start(agenda, appointment_type, day, at)
    errors: dict[str, str] = {}
    if capacity < 1:
        errors["capacity"] = "Un créneau a au moins une place."
    if duration_minutes < planning.MIN_MINUTES:
        errors["duration_minutes"] = f"Un créneau dure au moins {planning.MIN_MINUTES} minutes."
    elif not planning.within_opening_hours(
        starts_at.astimezone(ZoneInfo(agenda.place.service.time_zone)), duration_minutes
    ):
        errors["time"] = planning.HOURS_MESSAGE
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            slot = Slot.objects.create(
                agenda=agenda,
                appointment_type=appointment_type,
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                capacity=capacity,
            )
    except IntegrityError:
        raise ValidationError({"time": DUPLICATE}) from None
    record(
        "slot.created",
        actor=agent,
        target=slot,
        details={"agenda": agenda.pk, "starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return slot


@transaction.atomic
def update_slot(*, agent: Agent, slot: Slot, capacity: int, is_open: bool) -> Slot:
    """Change a future slot's places or open it again; never below the places taken."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("agenda__place__service", "appointment_type")
        .get(pk=slot.pk)
    )
    if not rules.can_manage_slot(agent, slot):
        raise PermissionDenied
    if slot.starts_at <= timezone.now():
        raise ValidationError("Ce créneau est passé : il ne peut plus être modifié.")
    if capacity < 1:
        raise ValidationError({"capacity": "Un créneau a au moins une place."})
    if capacity < slot.booked_count:
        raise ValidationError(
            {
                "capacity": (
                    f"{slot.booked_count} personne(s) déjà convoquée(s) sur ce créneau : "
                    f"il lui faut au moins {slot.booked_count} place(s). Annulez ou déplacez "
                    "d’abord des convocations."
                )
            }
        )
    before = {"capacity": slot.capacity, "is_open": slot.is_open}
    slot.capacity, slot.is_open = capacity, is_open
    if is_open:
        slot.closed_reason = ""
    slot.save(update_fields=["capacity", "is_open", "closed_reason"])
    record(
        "slot.changed",
        actor=agent,
        target=slot,
        details={"before": before, "after": {"capacity": capacity, "is_open": is_open}},
    )
    return slot


@dataclass
class ClosedSlots:
    closed: int
    with_bookings: list[Slot] = field(default_factory=list)

    @property
    def persons_to_warn(self) -> int:
        return sum(slot.booked_count for slot in self.with_bookings)


@transaction.atomic
def close_slots(
    *, agent: Agent, agenda: Agenda, date_from: date, date_to: date, reason: str
) -> ClosedSlots:
    """Close the open future slots of ``agenda`` from ``date_from`` to ``date_to`` (leave, strike).

    Booked slots are closed to new bookings and keep their convocations: the report lists
    them so that the agent cancels or moves those convocations.
    """
    if not rules.can_manage_slots(agent, agenda):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Indiquez le motif de la fermeture (congés, grève…)."
    if date_to < date_from:
        errors["date_to"] = "La date de fin doit être après la date de début."
    if errors:
        raise ValidationError(errors)
    slots = list(
        rules.managed_slots(agent, agenda)
        .upcoming()
        .filter(is_open=True)
        .on_local_days(date_from, date_to, agenda.place.service.time_zone)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    Slot.objects.filter(pk__in=[slot.pk for slot in slots]).update(
        is_open=False, closed_reason=reason.strip()[:200]
    )
    report = ClosedSlots(
        closed=len(slots), with_bookings=[slot for slot in slots if slot.booked_count]
    )
    record(
        "slots.closed",
        actor=agent,
        target=agenda,
        details={
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "reason": reason.strip(),
            "closed": report.closed,
            "with_bookings": [slot.pk for slot in report.with_bookings],
        },
    )
    return report


# --- Recurring slots ------------------------------------------------------------------------


@dataclass
class Replanned:
    pattern: SlotPattern
    created: int = 0
    removed: int = 0
    kept_booked: int = 0


def _describe(pattern: SlotPattern) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in PATTERN_FIELDS:
        value = getattr(pattern, name)
        values[name] = value.isoformat() if isinstance(value, date | time) else value
    return values


def _check_pattern(agent: Agent, pattern: SlotPattern) -> None:
    agenda = pattern.agenda
    if not rules.can_manage_patterns(agent, agenda):
        raise PermissionDenied
    appointment_type = pattern.appointment_type
    errors = planning.pattern_errors(pattern, allows_weekends=appointment_type.allows_weekends)
    if appointment_type not in rules.slot_types_held_at(agenda):
        errors["appointment_type"] = "Ce type de convocation ne se prend pas dans cet agenda."
    if errors:
        raise ValidationError(errors)
    # The agenda's row lock serialises pattern changes of one agenda: two overlapping patterns
    # saved at the same moment cannot both pass this check.
    Agenda.objects.select_for_update(of=("self",)).get(pk=agenda.pk)
    if not pattern.is_active:
        return
    clash = SlotPattern.objects.overlapping(pattern).select_related("appointment_type").first()
    if clash is not None:
        until = f" jusqu’au {clash.valid_until:%d/%m/%Y}" if clash.valid_until else ""
        raise ValidationError(
            {
                "start_time": (
                    f"Ces horaires chevauchent le modèle « {clash} » "
                    f"(à partir du {clash.valid_from:%d/%m/%Y}{until}) de cet agenda : "
                    "changez les jours, les horaires ou les dates."
                ),
                "weekdays": "Jour(s) en commun : "
                + planning.weekday_names(set(clash.weekdays) & set(pattern.weekdays))
                + ".",
            }
        )


def _replan(pattern: SlotPattern, *, now: datetime, deleting: bool = False) -> Replanned:
    """Bring the pattern's future empty slots in line with it; leave booked ones alone."""
    wanted = (
        set()
        if deleting or not pattern.is_active
        else set(planning.planned_starts(pattern, now=now))
    )
    # Locking re-checks ``booked_count = 0`` on rows a booking just changed: a slot booked
    # meanwhile is left alone, and a booking arriving later finds the row gone ("n'existe plus").
    empty = list(
        Slot.objects.filter(pattern=pattern, starts_at__gt=now, booked_count=0)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    stale = [slot.pk for slot in empty if slot.starts_at not in wanted]
    Slot.objects.filter(pk__in=stale).delete()
    Slot.objects.filter(pk__in=[slot.pk for slot in empty if slot.starts_at in wanted]).update(
        duration_minutes=pattern.duration_minutes, capacity=pattern.capacity
    )
    created = [] if not wanted else planning.generate_slots(now, patterns=[pattern])
    kept = Slot.objects.filter(pattern=pattern, starts_at__gt=now, booked_count__gt=0).count()
    return Replanned(pattern, created=len(created), removed=len(stale), kept_booked=kept)


def _save_and_replan(agent: Agent, pattern: SlotPattern, values: dict[str, Any]) -> Replanned:
    """Apply the typed values, refuse an overlap, save, and re-plan the future empty slots."""
    for name, value in values.items():
        if name not in PATTERN_FIELDS:
            raise TypeError(name)
        setattr(pattern, name, value)
    pattern.weekdays = sorted(set(pattern.weekdays or []))
    _check_pattern(agent, pattern)
    pattern.save()
    return _replan(pattern, now=timezone.now())


@transaction.atomic
def create_pattern(
    *, agent: Agent, agenda: Agenda, appointment_type: AppointmentType, **values: Any
) -> Replanned:
    """A new recurring pattern; its slots are created at once up to the horizon."""
    pattern = SlotPattern(agenda=agenda, appointment_type=appointment_type)
    report = _save_and_replan(agent, pattern, values)
    record(
        "slot_pattern.created",
        actor=agent,
        target=pattern,
        details={"agenda": agenda.pk, **_describe(pattern), "created": report.created},
    )
    return report


@transaction.atomic
def update_pattern(*, agent: Agent, pattern: SlotPattern, **values: Any) -> Replanned:
    """Change a pattern and re-plan its future empty slots (booked ones are kept as they are)."""
    pattern = (
        SlotPattern.objects.select_for_update(of=("self",))
        .select_related("agenda__place__service", "appointment_type")
        .get(pk=pattern.pk)
    )
    if not rules.can_manage_pattern(agent, pattern):
        raise PermissionDenied
    before = _describe(pattern)
    report = _save_and_replan(agent, pattern, values)
    record(
        "slot_pattern.changed",
        actor=agent,
        target=pattern,
        details={
            "before": before,
            "after": _describe(pattern),
            "created": report.created,
            "removed": report.removed,
            "kept_booked": report.kept_booked,
        },
    )
    return report


@transaction.atomic
def delete_pattern(*, agent: Agent, pattern: SlotPattern) -> Replanned:
    """Delete a pattern and its future empty slots; booked slots stay as single slots."""
    pattern = (
        SlotPattern.objects.select_for_update(of=("self",))
        .select_related("agenda__place__service", "appointment_type")
        .get(pk=pattern.pk)
    )
    if not rules.can_manage_pattern(agent, pattern):
        raise PermissionDenied
    report = _replan(pattern, now=timezone.now(), deleting=True)
    record(
        "slot_pattern.deleted",
        actor=agent,
        target=pattern,
        details={
            "agenda": pattern.agenda_id,
            **_describe(pattern),
            "removed": report.removed,
            "kept_booked": report.kept_booked,
        },
    )
    pattern.delete()
    return report


def generate_upcoming_slots(*, now: datetime | None = None, dry_run: bool = False) -> list[Slot]:
    """The nightly generation (task and command): create what the patterns miss, recorded once."""
    with transaction.atomic():
        created = planning.generate_slots(now, dry_run=dry_run)
        if created and not dry_run:
            record(
                "slots.generated",
                actor=None,
                details={
                    "created": len(created),
                    "patterns": sorted({slot.pattern_id for slot in created if slot.pattern_id}),
                },
            )
    return created
