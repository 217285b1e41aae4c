"""Recurring slots: when a pattern's slots fall, what makes a pattern valid, and the nightly
generation.

Everything but ``generate_slots`` is plain functions, tested without the database.

Choices (see ``docs/access.md``, "Créneaux"):

- Slots are typed and shown in the service's local time and stored in UTC; a start that does
  not exist on the day clocks go forward is skipped, one that happens twice is taken once.
- Generated slots skip the public holidays of the service's subdivision (Alsace-Moselle:
  Good Friday and 26 December too). Only a pattern of a type held on weekends and holidays
  (``allows_weekends``, the DDSE tag fittings) may opt in with ``includes_holidays``; a
  single slot on a holiday can always be created by hand for those types.
- Services receive people between ``OPENING`` and ``CLOSING`` local time: no slot, single or
  recurring, outside that range.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from jalon.appointments.models import Slot, SlotPattern
from jalon.appointments.scheduling import SchedulingError, local_datetime
from jalon.core.dates import WEEKDAYS, french_time, holiday_name

OPENING = time(7, 0)
CLOSING = time(20, 0)
MIN_MINUTES = 5
HOURS_MESSAGE = (
    f"Les créneaux se tiennent entre {french_time(OPENING)} et {french_time(CLOSING)} "
    "(heure locale du service)."
)


class PatternLike(Protocol):
    weekdays: list[int]
    start_time: time
    end_time: time
    interval_minutes: int
    duration_minutes: int
    valid_from: date
    valid_until: date | None
    includes_holidays: bool


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day (31 January + 1 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def times_of_day(start: time, end: time, interval: int, duration: int) -> list[time]:
    """Wall-clock starts from ``start``, every ``interval`` minutes, ending by ``end``."""
    first = start.hour * 60 + start.minute
    last_end = end.hour * 60 + end.minute
    return [
        time(minute // 60, minute % 60)
        for minute in range(first, last_end - duration + 1, interval)
        if interval > 0
    ]


def occurrences(
    pattern: PatternLike, from_date: date, to_date: date, subdivision: str, time_zone: str
) -> Iterator[datetime]:
    """Starts (aware, UTC) of the pattern's slots from ``from_date`` to ``to_date`` included."""
    day = max(from_date, pattern.valid_from)
    last = min(to_date, pattern.valid_until) if pattern.valid_until else to_date
    starts = times_of_day(
        pattern.start_time, pattern.end_time, pattern.interval_minutes, pattern.duration_minutes
    )
    weekdays = set(pattern.weekdays)
    while day <= last:
        if day.weekday() in weekdays and (
            pattern.includes_holidays or holiday_name(day, subdivision) is None
        ):
            for at in starts:
                try:
                    yield local_datetime(day, at, time_zone)
                except SchedulingError:  # the hour skipped when clocks go forward
                    continue
        day += timedelta(days=1)


def pattern_errors(pattern: PatternLike, *, allows_weekends: bool) -> dict[str, str]:
    """What is wrong with a pattern on its own (overlaps need the database), keyed by field."""
    errors: dict[str, str] = {}
    if not pattern.weekdays:
        errors["weekdays"] = "Choisissez au moins un jour."
    elif not allows_weekends and set(pattern.weekdays) & {5, 6}:
        errors["weekdays"] = (
            "Ce type de convocation ne se tient pas le week-end : retirez le samedi et le dimanche."
        )
    if pattern.includes_holidays and not allows_weekends:
        errors["includes_holidays"] = "Ce type de convocation ne se tient pas les jours fériés."
    if pattern.end_time <= pattern.start_time:
        errors["end_time"] = "L’heure de fin doit être après l’heure de début."
    elif pattern.start_time < OPENING or pattern.end_time > CLOSING:
        errors["start_time"] = HOURS_MESSAGE
    if pattern.duration_minutes < MIN_MINUTES:
        errors["duration_minutes"] = f"Un créneau dure au moins {MIN_MINUTES} minutes."
    elif "end_time" not in errors and not times_of_day(
        pattern.start_time, pattern.end_time, pattern.duration_minutes, pattern.duration_minutes
    ):
        errors["duration_minutes"] = "Un créneau de cette durée ne tient pas dans la plage horaire."
    if pattern.interval_minutes < pattern.duration_minutes:
        errors["interval_minutes"] = (
            "L’écart entre deux débuts de créneau doit être au moins égal à leur durée ; "
            "pour recevoir plusieurs personnes en même temps, augmentez le nombre de places."
        )
    if pattern.valid_until and pattern.valid_until < pattern.valid_from:
        errors["valid_until"] = "La date de fin doit être après la date de début."
    return errors


def within_opening_hours(local_start: datetime, duration_minutes: int) -> bool:
    """A single slot starts and ends on the same local day within ``OPENING``–``CLOSING``."""
    local_end = local_start + timedelta(minutes=duration_minutes)
    return (
        local_start.time() >= OPENING
        and local_end.date() == local_start.date()
        and local_end.time() <= CLOSING
    )


def outside_hours_message(local_start: datetime) -> str:
    """Why a convocation on a free date may not start at ``local_start`` (local time)."""
    return (
        f"Les convocations se tiennent entre {french_time(OPENING)} et {french_time(CLOSING)} "
        f"(heure locale du service) : {french_time(local_start.time())} est en dehors de ces "
        "horaires, choisissez une autre heure."
    )


def weekday_names(days: Iterable[int]) -> str:
    return ", ".join(WEEKDAYS[day] for day in sorted(days))


# --- Generation (the database part) -------------------------------------------------------


def months_ahead() -> int:
    return int(getattr(settings, "JALON_SLOT_MONTHS_AHEAD", 3))


def planned_starts(
    pattern: SlotPattern, *, now: datetime, months: int | None = None
) -> list[datetime]:
    """Starts of the slots ``pattern`` should have, from now to the generation horizon."""
    service = pattern.agenda.place.service
    today = now.astimezone(ZoneInfo(service.time_zone)).date()
    horizon = add_months(today, months if months is not None else months_ahead())
    return [
        start
        for start in occurrences(
            pattern, today, horizon, service.holiday_subdivision, service.time_zone
        )
        if start > now
    ]


def missing_slots(
    patterns: Iterable[SlotPattern], *, now: datetime, months: int | None = None
) -> list[Slot]:
    """Unsaved slots the patterns should have and that do not exist (whoever created them)."""
    missing: list[Slot] = []
    for pattern in patterns:
        starts = planned_starts(pattern, now=now, months=months)
        if not starts:
            continue
        existing = set(
            Slot.objects.filter(
                agenda_id=pattern.agenda_id,
                appointment_type_id=pattern.appointment_type_id,
                starts_at__gte=starts[0],
                starts_at__lte=starts[-1],
            ).values_list("starts_at", flat=True)
        )
        missing.extend(
            Slot(
                agenda=pattern.agenda,
                appointment_type=pattern.appointment_type,
                pattern=pattern,
                starts_at=start,
                duration_minutes=pattern.duration_minutes,
                capacity=pattern.capacity,
            )
            for start in starts
            if start not in existing
        )
    return missing


def active_patterns() -> QuerySet[SlotPattern]:
    """Patterns that generate: active, of an active slot type, at an open agenda."""
    return SlotPattern.objects.filter(
        is_active=True,
        agenda__is_active=True,
        agenda__place__is_active=True,
        agenda__place__service__is_active=True,
        appointment_type__is_active=True,
        appointment_type__uses_slots=True,
    ).select_related("agenda__place__service", "appointment_type")


def generate_slots(
    now: datetime | None = None,
    months: int | None = None,
    *,
    patterns: Iterable[SlotPattern] | None = None,
    dry_run: bool = False,
) -> list[Slot]:
    """Create the slots the active patterns should have up to the horizon (idempotent).

    Existing slots are never changed: a slot already at that time (booked, closed for a
    leave, or created by hand) stays as it is. Returns the slots created (or that would be,
    with ``dry_run``). Safe to run twice at once: the unique constraint on (agenda, type,
    start) turns a second insert into a no-op.
    """
    now = now or timezone.now()
    missing = missing_slots(
        patterns if patterns is not None else active_patterns(), now=now, months=months
    )
    if not dry_run and missing:
        Slot.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
    return missing
