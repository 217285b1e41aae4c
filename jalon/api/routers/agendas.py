"""Agendas of the service's ressort and their free slots (scope ``convocations:read``),
read through ``access/rules/appointments.py`` and ``access/lookups.py`` (404 outside)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jalon.access.lookups import access_agenda
from jalon.access.rules import appointments as rules
from jalon.api.auth import caller
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import errors
from jalon.appointments.models import Agenda, Slot

router = Router(tags=["Agendas et créneaux"])


class AgendaOut(Schema):
    id: int
    name: str
    place_id: int
    place_name: str
    place_address: str
    service_id: int
    service_name: str
    is_active: bool

    @staticmethod
    def resolve_place_name(agenda: Agenda) -> str:
        return agenda.place.name

    @staticmethod
    def resolve_place_address(agenda: Agenda) -> str:
        return agenda.place.address

    @staticmethod
    def resolve_service_id(agenda: Agenda) -> int:
        return agenda.place.service_id

    @staticmethod
    def resolve_service_name(agenda: Agenda) -> str:
        return agenda.place.service.name


class AgendaPage(Schema):
    items: list[AgendaOut]
    next_cursor: str | None


class AgendaFilters(Schema):
    service: int | None = Field(None, description="Les agendas de ce service")
    active: bool | None = Field(None, description="true : les agendas ouverts seulement")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "",
    response={200: AgendaPage, **errors(401, 403, 422)},
    summary="Agendas du ressort",
    description="Les agendas des lieux de convocation des services du ressort.",
)
def list_agendas(request: HttpRequest, filters: Query[AgendaFilters]) -> object:
    agent = caller(request, ApiScope.CONVOCATIONS_READ).agent
    agendas = rules.agendas_visible_to(agent)
    if filters.service is not None:
        agendas = agendas.filter(place__service_id=filters.service)
    if filters.active is not None:
        condition = {"is_active": True, "place__is_active": True}
        agendas = agendas.filter(**condition) if filters.active else agendas.exclude(**condition)
    items, cursor = paginate(agendas, ["pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}


class SlotOut(Schema):
    id: int
    agenda_id: int
    appointment_type_id: int
    appointment_type_label: str
    starts_at: datetime
    duration_minutes: int
    capacity: int
    places_left: int

    @staticmethod
    def resolve_appointment_type_label(slot: Slot) -> str:
        return slot.appointment_type.label


class SlotPage(Schema):
    items: list[SlotOut]
    next_cursor: str | None


class SlotFilters(Schema):
    appointment_type: int | None = Field(None, description="Les créneaux de ce type")
    starts_from: date | None = Field(None, description="À partir de ce jour (heure locale)")
    starts_until: date | None = Field(None, description="Jusqu’à ce jour inclus")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _local_midnight(day: date, time_zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(time_zone))


@router.get(
    "/{agenda_id}/free-slots",
    response={200: SlotPage, **errors(401, 403, 404, 422)},
    summary="Créneaux libres d’un agenda",
    description="Les créneaux ouverts, à venir et non complets, dans l’ordre chronologique "
    "(les jours s’entendent dans le fuseau du service de l’agenda).",
)
def free_slots(request: HttpRequest, agenda_id: int, filters: Query[SlotFilters]) -> object:
    agent = caller(request, ApiScope.CONVOCATIONS_READ).agent
    agenda = access_agenda(agent, agenda_id)
    zone = agenda.place.service.time_zone
    slots = Slot.objects.bookable().filter(agenda=agenda).select_related("appointment_type")
    if filters.appointment_type is not None:
        slots = slots.filter(appointment_type_id=filters.appointment_type)
    if filters.starts_from is not None:
        slots = slots.filter(starts_at__gte=_local_midnight(filters.starts_from, zone))
    if filters.starts_until is not None and filters.starts_until < date.max:
        until = filters.starts_until + timedelta(days=1)
        slots = slots.filter(starts_at__lt=_local_midnight(until, zone))
    items, cursor = paginate(slots, ["starts_at", "pk"], filters.cursor, filters.limit)
    return {"items": items, "next_cursor": cursor}
