"""Who manages slots and recurring slots, and which slots an agent may book (MSJ-ROLES §2.3).

Managing is for the agendas of the agent's own service (national admins: anywhere), with
capabilities given to the seeded profiles: *manage slots* (admins, local admins, JAP,
directeurs de greffe, greffier SAP, DPIP, secretariats), *manage tag-fitting slots* (the
surveillant, for "SAP DDSE" slots only), *manage recurring slots* (the same without the
secretariats).
"""

from __future__ import annotations

from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.roles import Capability
from jalon.access.rules import is_national_admin
from jalon.access.rules.appointments import appointment_types_for, bookable_agendas
from jalon.appointments.models import Agenda, AppointmentType, Slot, SlotPattern, SlotQuerySet
from jalon.people.models import Person

_MANAGE_ANY = (Capability.MANAGE_SLOTS, Capability.MANAGE_TAG_FITTING_SLOTS)


def _own_agenda(agent: Agent, agenda: Agenda) -> bool:
    if not agent.is_active:
        return False
    return is_national_admin(agent) or agenda.place.service_id == agent.service_id


def slot_types_held_at(agenda: Agenda) -> list[AppointmentType]:
    """Active slot types held in the kind of service the agenda belongs to."""
    kind = agenda.place.service.kind
    return [
        kind_type
        for kind_type in AppointmentType.objects.filter(is_active=True, uses_slots=True)
        if kind in kind_type.service_kinds
    ]


def slot_types_managed(agent: Agent, agenda: Agenda) -> list[AppointmentType]:
    """Slot types whose slots ``agent`` may create, edit and close in ``agenda``.

    Every slot type held there with *manage slots*; only tag fittings (types needing *book
    tag fittings*, i.e. "SAP DDSE") with *manage tag-fitting slots*.
    """
    if not _own_agenda(agent, agenda):
        return []
    types = slot_types_held_at(agenda)
    if is_national_admin(agent) or agent.profile.has(Capability.MANAGE_SLOTS):
        return types
    if agent.profile.has(Capability.MANAGE_TAG_FITTING_SLOTS):
        return [
            kind_type
            for kind_type in types
            if kind_type.required_capability == Capability.BOOK_TAG_FITTING
        ]
    return []


def can_manage_slots(
    agent: Agent, agenda: Agenda, appointment_type: AppointmentType | None = None
) -> bool:
    """List, create, edit and batch-close slots of ``agenda`` (of ``appointment_type`` if given).

    Own service's agendas with *manage slots* or *manage tag-fitting slots*; national admins
    everywhere. Without a type: the agent manages at least some slots there.
    """
    if not _own_agenda(agent, agenda):
        return False
    if appointment_type is not None:
        return any(kind.pk == appointment_type.pk for kind in slot_types_managed(agent, agenda))
    return is_national_admin(agent) or any(agent.profile.has(cap) for cap in _MANAGE_ANY)


def can_manage_slot(agent: Agent, slot: Slot) -> bool:
    """Edit one slot: its agenda and type are managed by the agent."""
    return can_manage_slots(agent, slot.agenda, slot.appointment_type)


def managed_slots(agent: Agent, agenda: Agenda) -> SlotQuerySet:
    """The slots of ``agenda`` the agent manages (an overseer sees tag fittings only)."""
    types = slot_types_managed(agent, agenda)
    return Slot.objects.filter(agenda=agenda, appointment_type__in=[kind.pk for kind in types])


def can_manage_patterns(agent: Agent, agenda: Agenda) -> bool:
    """List, create, change and delete recurring slots of ``agenda``.

    Own service's agendas with *manage recurring slots* (admins, local admins, JAP,
    directeurs de greffe, greffier SAP, DPIP); national admins everywhere.
    """
    if not _own_agenda(agent, agenda):
        return False
    return is_national_admin(agent) or agent.profile.has(Capability.MANAGE_SLOT_PATTERNS)


def can_manage_pattern(agent: Agent, pattern: SlotPattern) -> bool:
    return can_manage_patterns(agent, pattern.agenda)


def slot_booking_types(agent: Agent) -> list[AppointmentType]:
    """The slot types of the agent's type list (sortie d'audience, SAP DDSE)."""
    return [kind_type for kind_type in appointment_types_for(agent) if kind_type.uses_slots]


def can_book_on_slot_for(agent: Agent, person: Person) -> bool:
    """Convoke a person on a slot: not archived, and a slot type in the agent's list."""
    return not person.is_archived and bool(slot_booking_types(agent))


def bookable_slots(agent: Agent, appointment_type: AppointmentType) -> SlotQuerySet:
    """Open, future, not full slots of the type, at agendas where the agent may book it."""
    return (
        Slot.objects.bookable(timezone.now())
        .filter(
            appointment_type=appointment_type,
            agenda__in=bookable_agendas(agent, appointment_type).values("pk"),
        )
        .select_related("agenda__place__service", "appointment_type")
    )
