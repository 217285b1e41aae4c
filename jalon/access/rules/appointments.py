"""Who books convocations, where, and who records their outcome (MSJ-ROLES §2.3, §2.4).

An agent's *type list* holds the convocation types held in their kind of service, the
types their kind of service may book elsewhere (the BEX books sortie d'audience slots,
the SAP books tag fittings), minus types needing a capability they lack (SAP DDSE).
Acting on a convocation needs the type in the list and a link between the convocation
and the agent's service, as in MSJ.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import BEX_KINDS, SPIP_KINDS, Family
from jalon.access.rules import is_national_admin, scope_for
from jalon.appointments.models import (
    Agenda,
    Appointment,
    AppointmentQuerySet,
    AppointmentType,
    Slot,
    SlotQuerySet,
)
from jalon.people.models import Follow, Person


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
        if agent.service.inter_ressort and agent.service.kind in BEX_KINDS:
            # MSJ-22: sortie d'audience in any ressort; the hearing screen narrows it to the
            # ressort of the commune where the person lives.
            return held_there
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


def has_own_convocations(agent: Agent) -> bool:
    """Agents who receive persons (SPIP, SAP: not the BEX kinds, who only convoke): their
    home page lists the convocations assigned to them. No query: the type list is cached."""
    return (
        agent.is_active
        and not is_national_admin(agent)
        and agent.service.kind not in BEX_KINDS
        and bool(appointment_types_for(agent))
    )


def can_reconvene(agent: Agent, appointment: Appointment) -> bool:
    """Convoke again after a missed or excused convocation, by an agent linked to it."""
    if not appointment.can_be_reconvened:
        return False
    if is_national_admin(agent):
        return True
    return _in_type_list(agent, appointment.appointment_type_id) and _linked(agent, appointment)


def appointments_visible_to(agent: Agent) -> AppointmentQuerySet:
    """Convocations of the persons the agent sees: the whole history, whoever booked (MSJ-40).

    The persons of ``people.persons_visible_to``, written as a condition on the follows of
    each convocation's person (no join on the persons: a query the planner reads faster).
    """
    if is_national_admin(agent):
        return Appointment.objects.all()
    if not agent.is_active:
        return Appointment.objects.none()
    return Appointment.objects.filter(
        Exists(
            Follow.objects.filter(
                person_id=OuterRef("person_id"), service_id__in=scope_for(agent).service_ids
            )
        )
    )


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


# --- Sortie d'audience (MSJ-05, MSJ-19 to MSJ-22, MSJ-61, MSJ-62) ---------------------------


def hearing_types(agent: Agent) -> list[AppointmentType]:
    """Slot types of the agent's list that the hearing registries (BEX kinds) book elsewhere.

    Derived from the data, not from codes: "Sortie d'audience SAP" and "Sortie d'audience
    SPIP" are the slot types whose ``booked_from_kinds`` hold a BEX kind.
    """
    return [
        kind_type
        for kind_type in appointment_types_for(agent)
        if kind_type.uses_slots and BEX_KINDS & set(kind_type.booked_from_kinds)
    ]


def can_use_hearing_exit(agent: Agent) -> bool:
    """The sortie d'audience screen: agents of a BEX or correctional registry whose list holds
    a sortie d'audience type (agent BEX, greffiers correctionnel and TPE, directeur de greffe
    BEX, magistrat du parquet and local admin of those services), and national admins.
    """
    if not agent.is_active:
        return False
    if is_national_admin(agent):
        return True
    return agent.service.kind in BEX_KINDS and bool(hearing_types(agent))


def can_book_inter_ressort(agent: Agent) -> bool:
    """Book sortie d'audience in the ressort where the person lives (MSJ-22): the agent's
    service has the inter-ressort setting; national admins always choose the ressort.
    """
    if not can_use_hearing_exit(agent):
        return False
    return is_national_admin(agent) or agent.service.inter_ressort


def hearing_slots(
    agent: Agent,
    appointment_type: AppointmentType,
    service_ids: frozenset[int],
    *,
    bookable_only: bool = True,
) -> SlotQuerySet:
    """Slots of the type at services ``service_ids`` using the platform, where the agent books.

    Open, future and not full ones unless ``bookable_only`` is false (then the booking says
    why a chosen slot can no longer be taken). A SPIP that is not on the platform offers
    nothing: sortie d'audience is then limited to the JAP (MSJ-20).
    """
    slots = Slot.objects.bookable() if bookable_only else Slot.objects.all()
    return slots.filter(
        appointment_type=appointment_type,
        agenda__in=bookable_agendas(agent, appointment_type).values("pk"),
        agenda__place__service_id__in=service_ids,
        agenda__place__service__uses_platform=True,
    ).select_related("agenda__place__service", "appointment_type")


def hearing_offered_types(agent: Agent, service_ids: frozenset[int]) -> list[AppointmentType]:
    """The sortie d'audience types offered for a ressort: those held by one of its services
    that uses the platform (no SPIP on the platform: JAP convocations only, MSJ-19, MSJ-20).
    """
    services = list(
        Service.objects.filter(pk__in=service_ids, is_active=True, uses_platform=True).values_list(
            "kind", flat=True
        )
    )
    return [
        kind_type
        for kind_type in hearing_types(agent)
        if any(kind in kind_type.service_kinds for kind in services)
    ]


def hearing_service_ids(
    agent: Agent, tribunal_id: int | None = None, spip_id: int | None = None
) -> frozenset[int]:
    """Services whose slots the sortie d'audience screen offers.

    Without a commune: the agent's ressort (MSJ-21). With the TJ and SPIP of the commune the
    person lives in (inter-ressort agents and national admins only, MSJ-22): the services of
    that TJ and that SPIP with its antennas.
    """
    if tribunal_id is None or spip_id is None or not can_book_inter_ressort(agent):
        return frozenset() if is_national_admin(agent) else scope_for(agent).service_ids
    return frozenset(
        Service.objects.filter(
            (Q(jurisdiction_id=tribunal_id) & ~Q(kind__in=SPIP_KINDS))
            | Q(pk=spip_id)
            | Q(parent_id=spip_id)
        ).values_list("pk", flat=True)
    )


def can_see_slot_bookings(agent: Agent, appointment_type: AppointmentType) -> bool:
    """Names of the persons booked on a slot of this type, in the agenda views.

    National admins; agents (convocation profiles) of the kinds of service that hold the
    type or book it elsewhere (MSJ agenda pages: sortie d'audience JAP for SAP and BEX,
    SPIP for all, DDSE for SAP and SPIP). Others of the ressort see counts only.
    """
    if is_national_admin(agent):
        return True
    if not agent.is_active or agent.profile.family != Family.MSJ:
        return False
    kind = agent.service.kind
    return kind in appointment_type.service_kinds or kind in appointment_type.booked_from_kinds


def can_import_communes(agent: Agent) -> bool:
    """The national table of communes and their TJ and SPIP: national admins only."""
    return is_national_admin(agent)


def unknown_status_queue(agent: Agent, *, mine: bool = False) -> AppointmentQuerySet:
    """The statut inconnu queue: past convocations of the agent's service that nobody marked
    (``mine``: those assigned to the agent or to their référent persons), oldest first."""
    queue = (
        Appointment.objects.without_outcome()
        .filter(service_id=agent.service_id)
        .with_details()
        .order_by("starts_at", "pk")
    )
    return queue.for_agent(agent) if mine else queue
