"""Who books convocations, where, and who records their outcome (MSJ-ROLES §2.3, §2.4).

An agent's *type list* holds the convocation types held in their kind of service, the
types their kind of service may book elsewhere (the BEX books sortie d'audience slots,
the SAP books tag fittings), minus types needing a capability they lack (SAP DDSE).
Acting on a convocation needs the type in the list and a link between the convocation
and the agent's service, as in MSJ.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent
from jalon.access.roles import BEX_KINDS, Family
from jalon.access.rules import is_national_admin, scope_for
from jalon.appointments.models import Agenda, Appointment, AppointmentQuerySet, AppointmentType
from jalon.people.models import Person


def appointment_types_for(agent: Agent) -> list[AppointmentType]:
    """The types ``agent`` may book and act on, cached on the agent for the request."""
    cached: list[AppointmentType] | None = getattr(agent, "_jalon_types", None)
    if cached is not None:
        return cached
    types = list(AppointmentType.objects.filter(is_active=True))
    if not agent.is_active:
        types = []
    elif not is_national_admin(agent):
        kind = agent.service.kind
        types = [
            kind_type
            for kind_type in types
            if agent.profile.family == Family.MSJ
            and (kind in kind_type.service_kinds or kind in kind_type.booked_from_kinds)
            and (
                not kind_type.required_capability
                or agent.profile.has(kind_type.required_capability)
            )
        ]
    agent._jalon_types = types  # type: ignore[attr-defined]
    return types


def _in_type_list(agent: Agent, appointment_type_id: int) -> bool:
    return any(kind_type.pk == appointment_type_id for kind_type in appointment_types_for(agent))


def _reach(agent: Agent, appointment_type: AppointmentType) -> Q:
    """Where ``agent`` may book ``appointment_type`` (a condition on agendas)."""
    held_there = Q(place__service__kind__in=appointment_type.service_kinds)
    if is_national_admin(agent):
        return held_there
    reach = Q(place__service_id=agent.service_id)
    if agent.service.kind in appointment_type.booked_from_kinds:
        reach |= Q(place__service_id__in=scope_for(agent).service_ids)
    return held_there & reach


def _open_agendas() -> QuerySet[Agenda]:
    return Agenda.objects.filter(
        is_active=True, place__is_active=True, place__service__is_active=True
    ).select_related("place__service")


def bookable_agendas(agent: Agent, appointment_type: AppointmentType) -> QuerySet[Agenda]:
    """Agendas where ``agent`` may book ``appointment_type``.

    Their own service's places; for a type their kind of service books elsewhere, the places
    of the services of their ressort (sortie d'audience works within a ressort, MSJ-21).
    """
    if not is_national_admin(agent) and not _in_type_list(agent, appointment_type.pk):
        return Agenda.objects.none()
    return _open_agendas().filter(_reach(agent, appointment_type))


def can_book_for(agent: Agent, person: Person) -> bool:
    """Convoke a person: not archived, and at least one agenda where the agent books freely."""
    return not person.is_archived and booking_agendas(agent).exists()


def _linked(agent: Agent, appointment: Appointment) -> bool:
    """The convocation is held by, or was made by, the agent's service (or by its kind in the ressort)."""
    if agent.service_id in (appointment.service_id, appointment.created_by_service_id):
        return True
    return (
        agent.service.kind in appointment.appointment_type.booked_from_kinds
        and appointment.service_id in scope_for(agent).service_ids
    )


def can_cancel_appointment(agent: Agent, appointment: Appointment) -> bool:
    """A planned future convocation, by an agent linked to it whose type list holds its type."""
    if not appointment.can_be_cancelled:
        return False
    if is_national_admin(agent):
        return True
    return _in_type_list(agent, appointment.appointment_type_id) and _linked(agent, appointment)


def can_reschedule_appointment(agent: Agent, appointment: Appointment) -> bool:
    """Like cancelling, but only by the receiving or the creating service (MSJ)."""
    if not appointment.can_be_rescheduled:
        return False
    if is_national_admin(agent):
        return True
    return _in_type_list(agent, appointment.appointment_type_id) and agent.service_id in (
        appointment.service_id,
        appointment.created_by_service_id,
    )


def can_record_outcome(agent: Agent, appointment: Appointment) -> bool:
    """Honoured, missed, excused, or reverting one of them: the receiving service, never the BEX."""
    if is_national_admin(agent):
        return True
    return (
        agent.is_active
        and agent.service_id == appointment.service_id
        and agent.service.kind not in BEX_KINDS
        and _in_type_list(agent, appointment.appointment_type_id)
    )


def can_reconvene(agent: Agent, appointment: Appointment) -> bool:
    """Convoke again after a missed or excused convocation, by an agent linked to it."""
    if not appointment.can_be_reconvened:
        return False
    if is_national_admin(agent):
        return True
    return _in_type_list(agent, appointment.appointment_type_id) and _linked(agent, appointment)


def appointments_visible_to(agent: Agent) -> AppointmentQuerySet:
    """Convocations of the persons the agent sees: the whole history, whoever booked (MSJ-40)."""
    from jalon.access.rules.people import persons_visible_to

    if is_national_admin(agent):
        return Appointment.objects.all()
    return Appointment.objects.filter(person__in=persons_visible_to(agent).values("pk"))


def agendas_visible_to(agent: Agent) -> QuerySet[Agenda]:
    """Agendas of the services of the agent's ressort (to read and print their day lists)."""
    agendas = Agenda.objects.select_related("place__service")
    if is_national_admin(agent):
        return agendas
    if not agent.is_active:
        return agendas.none()
    return agendas.filter(place__service_id__in=scope_for(agent).service_ids)


def booking_agendas(agent: Agent) -> QuerySet[Agenda]:
    """Every agenda where the agent may book at least one type of their list without a slot."""
    condition = Q(pk__in=[])
    for kind_type in appointment_types_for(agent):
        if not kind_type.uses_slots:
            condition |= _reach(agent, kind_type)
    return _open_agendas().filter(condition).distinct()
