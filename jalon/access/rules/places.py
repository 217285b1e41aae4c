"""Who administers convocation places and agendas, and who books tag fittings (DDSE) on screen.

Places and agendas (MSJ-28, MSJ-ROLES "Places", "Agendas"): national administrators for
every service; in their **own service**, agents holding *manage service agents* (local
admins, directeurs de greffe) or *manage recurring slots* (JAP, greffier SAP, DPIP). That is
MSJ's place policy (admin, local_admin, jap, dir_greff_bex, dir_greff_sap, dpip, greff_sap),
read from capabilities rather than profile codes; MSJ's agenda policy is narrower (admin,
local_admin, greff_sap) but cannot be told apart from the JAP by a capability, so agendas
follow the place rule.

Tag fittings (MSJ-63, EGJ-124): the "pose de bracelet" screen is for agents whose type list
holds a slot type needing *book tag fittings* (SAP DDSE): SAP greffiers, JAP, SAP
secretariat and directeur de greffe, DPIP and surveillant at their own SPIP, local and
national admins. Where they may book is ``slots.bookable_slots``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import Capability
from jalon.access.rules import is_national_admin
from jalon.access.rules.slots import slot_booking_types
from jalon.appointments.models import Agenda, AppointmentType, Place
from jalon.people.models import Person

_PLACE_CAPABILITIES = (Capability.MANAGE_SERVICE_AGENTS, Capability.MANAGE_SLOT_PATTERNS)


def can_administer_places(agent: Agent) -> bool:
    """Open the places screens at all (a national admin, or a place manager of a service)."""
    if not agent.is_active:
        return False
    return is_national_admin(agent) or any(agent.profile.has(cap) for cap in _PLACE_CAPABILITIES)


def services_for_places(agent: Agent) -> QuerySet[Service]:
    """Services whose places and agendas ``agent`` creates and edits."""
    if is_national_admin(agent):
        return Service.objects.filter(is_active=True).order_by("name")
    if can_administer_places(agent):
        return Service.objects.filter(pk=agent.service_id)
    return Service.objects.none()


def places_administered_by(agent: Agent) -> QuerySet[Place]:
    """Places listed on the administration screen: every place for national admins, own service's otherwise."""
    places = Place.objects.select_related("service")
    if is_national_admin(agent):
        return places
    if can_administer_places(agent):
        return places.filter(service_id=agent.service_id)
    return places.none()


def can_administer_place(agent: Agent, place: Place) -> bool:
    """Edit ``place`` and create, rename or deactivate its agendas: own service, or national admin."""
    if not can_administer_places(agent):
        return False
    return is_national_admin(agent) or place.service_id == agent.service_id


def can_administer_agenda(agent: Agent, agenda: Agenda) -> bool:
    return can_administer_place(agent, agenda.place)


# --- Tag fittings (SAP DDSE) -------------------------------------------------------------------


def tag_fitting_types(agent: Agent) -> list[AppointmentType]:
    """Slot types of the agent's list that need *book tag fittings* (SAP DDSE)."""
    return [
        kind_type
        for kind_type in slot_booking_types(agent)
        if kind_type.required_capability == Capability.BOOK_TAG_FITTING
    ]


def can_book_tag_fitting_for(agent: Agent, person: Person) -> bool:
    """Open the tag-fitting booking screen for ``person``: not archived, a DDSE type in the list."""
    return not person.is_archived and bool(tag_fitting_types(agent))
