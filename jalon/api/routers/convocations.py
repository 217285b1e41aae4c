"""Convocations and free slots: read, book on a date or on a slot, cancel, reschedule and
record the outcome, through the same rules (``access/rules/appointments.py``, ``slots.py``),
lookups (404 outside scope) and actions (``appointments/actions/``) as the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema
from pydantic import AfterValidator, AwareDatetime

from jalon.access.lookups import access_agenda, access_appointment, access_person, access_slot
from jalon.access.models import Agent
from jalon.access.rules import appointments as rules
from jalon.access.rules import slots as slot_rules
from jalon.api.auth import caller
from jalon.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jalon.api.idempotency import run_idempotent
from jalon.api.models import ApiScope
from jalon.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from jalon.api.problems import ApiProblem, errors
from jalon.appointments import actions
from jalon.appointments.models import Agenda, Appointment, AppointmentType, Slot
from jalon.core.parquet import parse_parquet_number
from jalon.history.actions import record_person_read

router = Router(tags=["Convocations"])

Status = Appointment.Status

# The actions' form field names, as the API names them.
FIELDS = {
    "slot": "slot_id",
    "agenda": "agenda_id",
    "appointment_type": "appointment_type_id",
    "person": "person_id",
    "day": "starts_at",
    "time": "starts_at",
}


def _plausible(value: datetime) -> datetime:
    """Refuse the moments that no calendar computation can take (year 9999 at -14:00...)."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not 1900 <= utc.year <= 2999:
        raise ValueError("Une date entre les années 1900 et 2999 est attendue.")
    return utc


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


# --- Output -------------------------------------------------------------------------------


class TypeRef(Schema):
    id: int
    code: str
    label: str


class ConvocationOut(Schema):
    id: int
    person_id: int
    appointment_type: TypeRef
    agenda_id: int
    agenda_name: str
    place_id: int
    place_name: str
    service_id: int
    service_name: str
    starts_at: datetime
    ends_at: datetime
    status: Appointment.Status = Field(
        description="booked (planifiée), honoured, missed, excused, cancelled"
    )
    status_label: str
    slot_id: int | None
    prosecution_number: str = Field(description="Numéro de parquet (11 chiffres) ou vide")
    rescheduled_to_id: int | None
    reconvened_from_id: int | None
    created_at: datetime

    # In UTC, as read from the database, also for a convocation just booked at a local time.
    @staticmethod
    def resolve_starts_at(appointment: Appointment) -> datetime:
        return appointment.starts_at.astimezone(UTC)

    @staticmethod
    def resolve_ends_at(appointment: Appointment) -> datetime:
        return appointment.ends_at.astimezone(UTC)

    @staticmethod
    def resolve_created_at(appointment: Appointment) -> datetime:
        return appointment.created_at.astimezone(UTC)

    @staticmethod
    def resolve_appointment_type(appointment: Appointment) -> dict[str, Any]:
        kind = appointment.appointment_type
        return {"id": kind.pk, "code": kind.code, "label": kind.label}

    @staticmethod
    def resolve_agenda_name(appointment: Appointment) -> str:
        return appointment.agenda.name

    @staticmethod
    def resolve_place_id(appointment: Appointment) -> int:
        return appointment.agenda.place_id

    @staticmethod
    def resolve_place_name(appointment: Appointment) -> str:
        return appointment.agenda.place.name

    @staticmethod
    def resolve_service_name(appointment: Appointment) -> str:
        return appointment.service.name

    @staticmethod
    def resolve_status_label(appointment: Appointment) -> str:
        return appointment.get_status_display()


class ConvocationPage(Schema):
    items: list[ConvocationOut]
    next_cursor: str | None


class ConvocationFilters(Schema):
    status: Appointment.Status | None = None
    starts_from: date | None = Field(None, description="Convocations à partir de ce jour")
    starts_until: date | None = Field(None, description="Convocations jusqu’à ce jour inclus")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _day_bound(day: date, end: bool, agent: Agent) -> datetime:
    moment = datetime.combine(day, time.max if end else time.min)
    return moment.replace(tzinfo=ZoneInfo(agent.service.time_zone))


@router.get(
    "/persons/{person_id}/convocations",
    response={200: ConvocationPage, **errors(401, 403, 404, 422)},
    summary="Les convocations d’une personne",
    description="Toutes les convocations de la personne, quel que soit le service qui les a "
    "posées, dans l’ordre chronologique. La lecture est inscrite dans l’historique de la "
    "personne, au nom du client.",
)
def list_convocations(
    request: HttpRequest, person_id: int, filters: Query[ConvocationFilters]
) -> object:
    agent = caller(request, ApiScope.CONVOCATIONS_READ).agent
    person = access_person(agent, person_id, followers=False)
    appointments = (
        rules.appointments_visible_to(agent)
        .filter(person=person)
        .select_related("appointment_type", "service", "agenda__place")
    )
    if filters.status is not None:
        appointments = appointments.filter(status=filters.status)
    if filters.starts_from is not None:
        appointments = appointments.filter(
            starts_at__gte=_day_bound(filters.starts_from, False, agent)
        )
    if filters.starts_until is not None:
        appointments = appointments.filter(
            starts_at__lte=_day_bound(filters.starts_until, True, agent)
        )
    items, cursor = paginate(appointments, ["starts_at", "pk"], filters.cursor, filters.limit)
    record_person_read("api", actor=agent, persons=person)
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/convocations/{convocation_id}",
    response={200: ConvocationOut, **errors(401, 403, 404, 422)},
    summary="Lire une convocation",
    description="La lecture est inscrite dans l’historique de la personne, au nom du client.",
)
def get_convocation(request: HttpRequest, convocation_id: int) -> object:
    agent = caller(request, ApiScope.CONVOCATIONS_READ).agent
    appointment = access_appointment(agent, convocation_id, page=False)
    record_person_read("api", actor=agent, persons=appointment.person)
    return appointment


# --- Writes -------------------------------------------------------------------------------


def _json(status: int, appointment: Appointment) -> HttpResponse:
    return HttpResponse(
        ConvocationOut.from_orm(appointment).model_dump_json(),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def refusal(error: ValidationError) -> ApiProblem:
    """An action's refusal, with its French message: 409 when the slot or the convocation's
    state forbids it (try another slot, reload), 422 when the request itself is refused."""
    if not hasattr(error, "error_dict"):
        return ApiProblem(409, "invalid_state", " ".join(error.messages))
    field_errors = [
        {"field": FIELDS.get(field, field), "message": str(message), "location": "body"}
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    detail = " ".join(item["message"] for item in field_errors)
    if set(error.message_dict) <= {"slot"}:
        return ApiProblem(409, "slot_unavailable", detail, errors=field_errors)
    if set(error.message_dict) <= {"person"}:
        return ApiProblem(409, "invalid_state", detail, errors=field_errors)
    return ApiProblem(422, "refused", detail, errors=field_errors)


def _write(
    request: HttpRequest,
    key: str,
    status: int,
    change: Callable[[Agent], Appointment],
    *,
    reload: bool = True,
) -> HttpResponse:
    """``reload``: read the convocation again through the agent's scope for the answer; a new
    convocation is answered as booked (its type, agenda, place and service loaded by the
    booking, for a person the agent sees)."""
    current = caller(request, ApiScope.CONVOCATIONS_WRITE)

    def produce() -> HttpResponse:
        try:
            appointment = change(current.agent)
        except ValidationError as error:
            raise refusal(error) from None
        if reload:
            appointment = access_appointment(current.agent, appointment.pk, page=False)
        return _json(status, appointment)

    return run_idempotent(request, current, key, produce)


def _unknown(field: str, message: str) -> ApiProblem:
    return ApiProblem(
        422,
        "invalid_request",
        "La requête contient des valeurs invalides : voyez « errors ».",
        errors=[{"field": field, "message": message, "location": "body"}],
    )


def _appointment_type(agent: Agent, type_id: int) -> AppointmentType:
    """An active type: from the agent's type list when it holds it (no query)."""
    found = (
        next((kind for kind in rules.appointment_types_for(agent) if kind.pk == type_id), None)
        or AppointmentType.objects.filter(pk=type_id, is_active=True).first()
    )
    if found is None:
        raise _unknown("appointment_type_id", "Ce type de convocation n’existe pas.")
    return found


def _slot(agent: Agent, slot_id: int) -> Slot:
    try:
        return access_slot(agent, slot_id)
    except Http404:  # an unknown slot is a field of the body, not the resource
        raise _unknown("slot_id", "Ce créneau est introuvable.") from None


def _agenda(agent: Agent, agenda_id: int) -> Agenda:
    try:
        return access_agenda(agent, agenda_id)
    except Http404:
        raise _unknown("agenda_id", "Cet agenda est introuvable.") from None


def _parquet(value: str) -> str:
    if not value.strip():
        return ""
    try:
        return parse_parquet_number(value)
    except ValueError as error:
        raise _unknown("prosecution_number", str(error)) from None


class BookingIn(Schema):
    """On a slot (``slot_id``), or of a type in an agenda at a time (the three others)."""

    person_id: int
    slot_id: int | None = Field(None, description="Un créneau libre (types sur créneaux)")
    appointment_type_id: int | None = Field(None, description="Types sans créneau")
    agenda_id: int | None = None
    starts_at: Moment | None = Field(None, description="ISO 8601, avec fuseau")
    prosecution_number: str = Field("", max_length=30, description="Numéro de parquet")
    send_sms: bool = Field(False, description="Envoyer aussi le SMS de convocation maintenant")


@router.post(
    "/convocations",
    response={201: ConvocationOut, **errors(401, 403, 404, 409, 413, 422)},
    summary="Convoquer une personne",
    description="Sur un créneau libre (`slot_id`, voir les créneaux d’un agenda) ou, pour "
    "les types sans créneau, à une date et heure (`appointment_type_id`, `agenda_id`, "
    "`starts_at`). Mêmes contrôles que les écrans : jours fériés et week-ends, horaires, "
    "chevauchement, créneau complet ou fermé (409 `slot_unavailable`).",
)
def book(
    request: HttpRequest,
    payload: BookingIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def change(agent: Agent) -> Appointment:
        person = access_person(agent, payload.person_id, followers=False)
        number = _parquet(payload.prosecution_number)
        if payload.slot_id is not None:
            if not slot_rules.can_book_on_slot_for(agent, person):
                raise PermissionDenied("Ce service ne convoque pas cette personne sur créneau.")
            return actions.book_appointment(
                agent=agent,
                person=person,
                slot=_slot(agent, payload.slot_id),
                prosecution_number=number,
                send_sms_now=payload.send_sms,
            )
        missing = [
            name
            for name in ("appointment_type_id", "agenda_id", "starts_at")
            if getattr(payload, name) is None
        ]
        if missing:
            raise ApiProblem(
                422,
                "invalid_request",
                "Indiquez un créneau (« slot_id »), ou un type, un agenda et une date.",
                errors=[
                    {"field": name, "message": "Ce champ est obligatoire.", "location": "body"}
                    for name in missing
                ],
            )
        if not rules.can_book_for(agent, person):
            raise PermissionDenied("Ce service ne convoque pas cette personne.")
        assert payload.appointment_type_id and payload.agenda_id and payload.starts_at
        return actions.book_appointment(
            agent=agent,
            person=person,
            appointment_type=_appointment_type(agent, payload.appointment_type_id),
            agenda=_agenda(agent, payload.agenda_id),
            starts_at=payload.starts_at,
            prosecution_number=number,
            send_sms_now=payload.send_sms,
        )

    return _write(request, idempotency_key, 201, change, reload=False)


class CancelIn(Schema):
    reason: str = Field("", max_length=500, description="Motif, inscrit dans l’historique")
    notify: bool = Field(False, description="Envoyer le SMS d’annulation")


@router.post(
    "/convocations/{convocation_id}/cancel",
    response={200: ConvocationOut, **errors(401, 403, 404, 409, 413, 422)},
    summary="Annuler une convocation",
    description="Seule une convocation planifiée à venir s’annule (sinon 409 "
    "`invalid_state`) ; la place du créneau est rendue.",
)
def cancel(
    request: HttpRequest,
    convocation_id: int,
    payload: CancelIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def change(agent: Agent) -> Appointment:
        return actions.cancel_appointment(
            agent=agent,
            appointment=access_appointment(agent, convocation_id, page=False),
            reason=payload.reason,
            notify=payload.notify,
        )

    return _write(request, idempotency_key, 200, change)


class RescheduleIn(Schema):
    """On a slot for slot types; otherwise at ``starts_at`` in ``agenda_id`` (by default the
    same agenda)."""

    slot_id: int | None = None
    agenda_id: int | None = None
    starts_at: Moment | None = Field(None, description="ISO 8601, avec fuseau")
    notify: bool = Field(False, description="Envoyer le SMS de report")


@router.post(
    "/convocations/{convocation_id}/reschedule",
    response={201: ConvocationOut, **errors(401, 403, 404, 409, 413, 422)},
    summary="Replanifier une convocation",
    description="L’ancienne convocation est annulée et pointe vers la nouvelle, renvoyée ici "
    "(201). Mêmes contrôles que pour convoquer.",
)
def reschedule(
    request: HttpRequest,
    convocation_id: int,
    payload: RescheduleIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def change(agent: Agent) -> Appointment:
        old = access_appointment(agent, convocation_id, page=False)
        if old.appointment_type.uses_slots:
            if payload.slot_id is None:
                raise _unknown("slot_id", "Ce type de convocation se replanifie sur un créneau.")
            return actions.reschedule_appointment(
                agent=agent,
                appointment=old,
                slot=_slot(agent, payload.slot_id),
                notify=payload.notify,
            )
        if payload.starts_at is None:
            raise _unknown("starts_at", "Ce champ est obligatoire.")
        agenda = old.agenda if payload.agenda_id is None else _agenda(agent, payload.agenda_id)
        return actions.reschedule_appointment(
            agent=agent,
            appointment=old,
            agenda=agenda,
            starts_at=payload.starts_at,
            notify=payload.notify,
        )

    return _write(request, idempotency_key, 201, change)


class OutcomeIn(Schema):
    status: Literal["honoured", "missed", "excused"] = Field(
        description="honoured (honorée), missed (non honorée), excused (excusée)"
    )
    notify: bool = Field(False, description="Non honorée : envoyer le SMS de convocation manquée")


@router.post(
    "/convocations/{convocation_id}/outcome",
    response={200: ConvocationOut, **errors(401, 403, 404, 409, 413, 422)},
    summary="Noter la présence (honorée, non honorée, excusée)",
    description="Par le service qui reçoit la personne. Honorée ou non honorée une fois "
    "commencée, excusée à tout moment avant ; sinon 409 `invalid_state`.",
)
def outcome(
    request: HttpRequest,
    convocation_id: int,
    payload: OutcomeIn,
    idempotency_key: str = Header(..., alias=IDEMPOTENCY_HEADER, max_length=255),
) -> HttpResponse:
    def change(agent: Agent) -> Appointment:
        return actions.record_outcome(
            agent=agent,
            appointment=access_appointment(agent, convocation_id, page=False),
            status=payload.status,
            notify=payload.notify,
        )

    return _write(request, idempotency_key, 200, change)
