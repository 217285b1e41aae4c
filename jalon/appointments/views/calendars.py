"""Agenda views of slots and their bookings: day, week and month of one agenda, the day of
every agenda of the agent's service, and the printable day (MSJ-05).

Every agent of the ressort may open them, as the day list; names show only to those who
hold or book the slot's type (``rules.can_see_slot_bookings``), the others see counts. Each
page runs a fixed number of queries whatever the number of slots and bookings.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agenda
from jalon.access.models import Agent
from jalon.access.rules import appointments as rules
from jalon.access.rules import slots as slot_rules
from jalon.appointments import documents
from jalon.appointments.models import Agenda, Appointment, AppointmentType, Slot, SlotQuerySet
from jalon.core.dates import MONTHS, WEEKDAYS, french_date, local_now
from jalon.history.actions import record_person_read

VIEWS = {"jour": "Jour", "semaine": "Semaine", "mois": "Mois"}


def _day(request: HttpRequest, time_zone: str) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return local_now(time_zone).date()


def _slots(agendas: list[Agenda], first: date, last: date, time_zone: str) -> SlotQuerySet:
    """Slots of ``agendas`` on those local days with the convocations that hold their places."""
    return (
        Slot.objects.filter(agenda__in=agendas)
        .on_local_days(first, last, time_zone)
        .select_related("appointment_type", "agenda__place__service")
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.exclude(status=Appointment.Status.CANCELLED)
                .select_related("person")
                .order_by("starts_at", "pk"),
                to_attr="held",
            )
        )
        .order_by("starts_at", "agenda_id", "pk")
    )


class _Names:
    """Whether the agent sees names on a slot, decided once per type."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.decided: dict[int, bool] = {}

    def __call__(self, appointment_type: AppointmentType) -> bool:
        if appointment_type.pk not in self.decided:
            self.decided[appointment_type.pk] = rules.can_see_slot_bookings(
                self.agent, appointment_type
            )
        return self.decided[appointment_type.pk]

    def mark(self, slots: list[Slot]) -> list[Slot]:
        for slot in slots:
            slot.show_names = self(slot.appointment_type)  # type: ignore[attr-defined]
        return slots


def _named_persons(slots: list[Slot]) -> list[Any]:
    """The persons whose names a printed day shows (their file was opened)."""
    return [
        appointment.person
        for slot in slots
        if slot.show_names  # type: ignore[attr-defined]
        for appointment in slot.held  # type: ignore[attr-defined]
    ]


@dataclass
class DayColumn:
    day: date
    label: str
    slots: list[Slot] = field(default_factory=list)

    @property
    def booked(self) -> int:
        return sum(slot.booked_count for slot in self.slots if slot.is_open)

    @property
    def capacity(self) -> int:
        return sum(slot.capacity for slot in self.slots if slot.is_open)

    @property
    def closed(self) -> int:
        return sum(1 for slot in self.slots if not slot.is_open)


def _columns(first: date, last: date, slots: list[Slot]) -> list[DayColumn]:
    columns = {
        first + timedelta(days=offset): DayColumn(
            first + timedelta(days=offset),
            french_date(first + timedelta(days=offset)).capitalize(),
        )
        for offset in range((last - first).days + 1)
    }
    for slot in slots:
        columns[slot.local_start.date()].slots.append(slot)
    return list(columns.values())


def _period(view: str, day: date) -> tuple[date, date, date, date, str]:
    """First and last day shown, the previous and next period, and the title."""
    if view == "jour":
        return day, day, day - timedelta(days=1), day + timedelta(days=1), french_date(day)
    if view == "semaine":
        monday = day - timedelta(days=day.weekday())
        sunday = monday + timedelta(days=6)
        title = f"Semaine du {french_date(monday)} au {french_date(sunday)}"
        return monday, sunday, monday - timedelta(days=7), monday + timedelta(days=7), title
    first = day.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    previous = (first - timedelta(days=1)).replace(day=1)
    return (
        first,
        last,
        previous,
        last + timedelta(days=1),
        f"{MONTHS[first.month - 1]} {first.year}",
    )


def agenda_calendar(request: AgentRequest, agenda_id: int) -> HttpResponse:
    """One agenda's slots by day, week (default) or month, with previous and next."""
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    time_zone = agenda.place.service.time_zone
    view = request.GET.get("vue", "semaine")
    if view not in VIEWS:
        view = "semaine"
    day = _day(request, time_zone)
    first, last, previous, following, title = _period(view, day)
    names = _Names(agent)
    slots = names.mark(list(_slots([agenda], first, last, time_zone)))
    columns = _columns(first, last, slots)
    context: dict[str, Any] = {
        "agenda": agenda,
        "view": view,
        "views": VIEWS,
        "day": day,
        "title": title[:1].upper() + title[1:],
        "previous": previous,
        "next": following,
        "today": local_now(time_zone).date(),
        "columns": columns,
        "can_manage_slots": slot_rules.can_manage_slots(agent, agenda),
    }
    if view == "semaine":
        # Weekend columns only when they hold slots (tag fittings are possible then).
        context["columns"] = [
            column for column in columns if column.day.weekday() < 5 or column.slots
        ]
    if view == "mois":
        by_day = {column.day: column for column in columns}
        context["weeks"] = [
            [by_day.get(week_day) for week_day in week]
            for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        context["weekdays"] = [name.capitalize() for name in WEEKDAYS]
    return render(request, "appointments/calendar/agenda.html", context)


def service_day(request: AgentRequest) -> HttpResponse:
    """The day of every agenda of the agent's service, side by side."""
    agent = request.agent
    service = agent.service
    day = _day(request, service.time_zone)
    agendas = list(
        rules.agendas_visible_to(agent)
        .filter(place__service=service, is_active=True)
        .order_by("place__name", "name")
    )
    names = _Names(agent)
    slots = names.mark(list(_slots(agendas, day, day, service.time_zone)))
    by_agenda: dict[int, list[Slot]] = {agenda.pk: [] for agenda in agendas}
    for slot in slots:
        by_agenda[slot.agenda_id].append(slot)
    return render(
        request,
        "appointments/calendar/service_day.html",
        {
            "service": service,
            "day": day,
            "title": french_date(day).capitalize(),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": local_now(service.time_zone).date(),
            "rows": [(agenda, by_agenda[agenda.pk]) for agenda in agendas],
        },
    )


def agenda_calendar_pdf(request: AgentRequest, agenda_id: int) -> HttpResponse:
    """The printable day of one agenda: every slot, its places and who is convoked."""
    agent = request.agent
    agenda = access_agenda(agent, agenda_id)
    time_zone = agenda.place.service.time_zone
    day = _day(request, time_zone)
    names = _Names(agent)
    slots = names.mark(list(_slots([agenda], day, day, time_zone)))
    record_person_read("agenda_slots_pdf", actor=agent, persons=_named_persons(slots))
    response = HttpResponse(
        documents.agenda_slots_day_pdf(agenda, day, slots), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="creneaux-{agenda.pk}-{day}.pdf"'
    return response
