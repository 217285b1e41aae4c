"""One row of a file, read into an identity and an optional convocation, or refused with
its French reason. The lookups (types, places, agendas the agent may book) are read once per
import into a ``Context``; reading a row makes no query."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.appointments import slots as planning
from jalon.appointments.models import Agenda, AppointmentType
from jalon.appointments.scheduling import SchedulingError, check_start, local_datetime
from jalon.core import phone as phones
from jalon.imports.columns import APPOINTMENT_FIELDS, FIELD_BY_NAME, header_key
from jalon.people.actions import Identity
from jalon.people.models import normalize_appi, validate_appi, validate_birth_date

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?::\d{2})?$")


class RowError(Exception):
    """The row cannot be imported; the message is the French reason of the report."""


@dataclass(frozen=True)
class Booking:
    appointment_type: AppointmentType
    agenda: Agenda
    starts_at: datetime.datetime
    prosecution_number: str


@dataclass(frozen=True)
class Parsed:
    identity: Identity
    booking: Booking | None


@dataclass
class Context:
    """What reading a row needs to know about the agent's service, read once."""

    agent: Agent
    now: datetime.datetime
    types: dict[str, AppointmentType] = field(default_factory=dict)
    slot_types: set[str] = field(default_factory=set)
    agendas: dict[str, list[Agenda]] = field(default_factory=dict)
    bookable: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, agent: Agent, now: datetime.datetime) -> Context:
        context = cls(agent=agent, now=now)
        for kind in appointment_rules.appointment_types_for(agent):
            keys = {header_key(kind.label), header_key(kind.code)}
            if kind.uses_slots:
                context.slot_types |= keys
                continue
            for key in keys:
                context.types[key] = kind
            context.bookable[kind.pk] = set(
                appointment_rules.bookable_agendas(agent, kind)
                .filter(place__service=agent.service)
                .values_list("pk", flat=True)
            )
        agendas = Agenda.objects.filter(
            place__service=agent.service, is_active=True, place__is_active=True
        ).select_related("place__service")
        for agenda in agendas:
            context.agendas.setdefault(header_key(agenda.place.name), []).append(agenda)
        return context


def parse_date(text: str, what: str) -> datetime.date:
    text = text.split(" ")[0]
    found = _DATE.match(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return datetime.date(year, month, day)
        found = _ISO_DATE.match(text)
        if found:
            year, month, day = (int(part) for part in found.groups())
            return datetime.date(year, month, day)
    except ValueError:
        raise RowError(f"{what} « {text} » n’existe pas.") from None
    raise RowError(f"{what} « {text} » illisible : JJ/MM/AAAA attendu.")


def parse_time(text: str) -> datetime.time:
    found = _TIME.match(text.strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise RowError(f"Heure « {text} » illisible : HH:MM attendu (par exemple 14:30).")


def _identity(values: dict[str, str], context: Context) -> Identity:
    missing = [
        FIELD_BY_NAME[name].label.lower()
        for name in ("last_name", "first_names", "birth_date")
        if not values.get(name)
    ]
    if missing:
        raise RowError("Champ(s) obligatoire(s) vide(s) : " + ", ".join(missing) + ".")
    last_name, first_names = values["last_name"], values["first_names"]
    if len(last_name) > 100 or len(first_names) > 150:
        raise RowError("Nom (100 caractères) ou prénoms (150 caractères) trop longs.")
    birth_date = parse_date(values["birth_date"], "Date de naissance")
    try:
        validate_birth_date(birth_date, context.now.date())
    except ValidationError as error:
        raise RowError(error.messages[0]) from None
    appi = normalize_appi(values.get("appi_number", "")) or None
    if appi is not None:
        try:
            validate_appi(appi)
        except ValidationError as error:
            raise RowError(error.messages[0]) from None
    raw_phone = values.get("phone", "")
    phone = None
    if raw_phone:
        try:
            phone = phones.parse_mobile(raw_phone, context.agent.service.phone_region)
        except phones.PhoneError as error:
            raise RowError(f"Téléphone portable « {raw_phone} » : {error}") from None
    return Identity(
        last_name=last_name,
        first_names=first_names,
        birth_date=birth_date,
        appi_number=appi,
        phone=phone,
    )


def _agenda(values: dict[str, str], context: Context) -> Agenda:
    place = values["place"]
    agendas = context.agendas.get(header_key(place))
    if not agendas:
        raise RowError(f"Lieu « {place} » inconnu dans votre service.")
    wanted = values.get("agenda", "")
    if wanted:
        chosen = [agenda for agenda in agendas if header_key(agenda.name) == header_key(wanted)]
        if not chosen:
            raise RowError(f"Agenda « {wanted} » inconnu pour le lieu « {place} ».")
        return chosen[0]
    if len(agendas) > 1:
        raise RowError(f"Le lieu « {place} » a plusieurs agendas : indiquez lequel.")
    return agendas[0]


def _booking(values: dict[str, str], context: Context) -> Booking | None:
    given = [name for name in APPOINTMENT_FIELDS if values.get(name)]
    if not given:
        return None
    if len(given) < len(APPOINTMENT_FIELDS):
        missing = [
            FIELD_BY_NAME[name].label.lower() for name in APPOINTMENT_FIELDS if name not in given
        ]
        raise RowError("Convocation incomplète : " + ", ".join(missing) + " manquant(s).")
    type_key = header_key(values["appointment_type"])
    kind = context.types.get(type_key)
    if kind is None:
        if type_key in context.slot_types:
            raise RowError(
                f"« {values['appointment_type']} » se prend sur un créneau de l’agenda partagé : "
                "il ne s’importe pas."
            )
        raise RowError(
            f"Type de convocation « {values['appointment_type']} » inconnu ou que vous ne "
            "pouvez pas convoquer."
        )
    agenda = _agenda(values, context)
    if agenda.pk not in context.bookable.get(kind.pk, set()):
        raise RowError(f"Vous ne pouvez pas convoquer « {kind.label} » dans l’agenda « {agenda} ».")
    service = agenda.place.service
    day = parse_date(values["appointment_date"], "Date de convocation")
    at = parse_time(values["appointment_time"])
    try:
        starts_at = local_datetime(day, at, service.time_zone)
        check_start(
            starts_at,
            now=context.now,
            time_zone=service.time_zone,
            holiday_subdivision=service.holiday_subdivision,
            allows_weekends=kind.allows_weekends,
        )
    except SchedulingError as error:
        raise RowError(str(error)) from None
    local = starts_at.astimezone(ZoneInfo(service.time_zone))
    if not planning.within_opening_hours(local, kind.default_duration_minutes):
        raise RowError(planning.outside_hours_message(local))
    number = values.get("prosecution_number", "")
    if len(number) > 50:
        raise RowError("Numéro de parquet trop long.")
    return Booking(kind, agenda, starts_at, number)


def parse(values: dict[str, str], context: Context) -> Parsed:
    """The row's identity and convocation, or ``RowError`` with the first problem found."""
    return Parsed(_identity(values, context), _booking(values, context))


def mapped(cells: list[str], headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Our field → the row's text, through the agent's mapping (empty cells left out)."""
    index = {header: position for position, header in enumerate(headers)}
    values = {}
    for name, header in mapping.items():
        position = index.get(header)
        if position is not None and position < len(cells) and cells[position]:
            values[name] = cells[position].strip()
    return values
