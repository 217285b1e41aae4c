"""Who edits the public pages, and who answers a person's request to move a convocation.

Service page (MSJ-72): the service's local administrators (agents holding *manage service
agents*: local admins, directeurs de greffe) for their own service; national admins for any.
Information pages (MSJ-73): national admins only.
Move requests (EGJ-69): the agent the convocation is assigned to, the agents of the receiving
service who may reschedule it, and national admins.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import Capability
from jalon.access.rules import is_national_admin
from jalon.access.rules.appointments import appointment_types_for
from jalon.appointments.models import Appointment
from jalon.public.models import MoveRequest


def can_edit_service_page(agent: Agent, service: Service) -> bool:
    """Edit ``service``'s public page: its local admins, or a national admin."""
    if not agent.is_active:
        return False
    if is_national_admin(agent):
        return True
    return agent.service_id == service.pk and agent.profile.has(Capability.MANAGE_SERVICE_AGENTS)


def service_pages_editable_by(agent: Agent) -> QuerySet[Service]:
    """Services whose public page ``agent`` edits (for the menu and the list)."""
    services = Service.objects.filter(is_active=True).order_by("name")
    if is_national_admin(agent):
        return services
    if agent.is_active and agent.profile.has(Capability.MANAGE_SERVICE_AGENTS):
        return services.filter(pk=agent.service_id)
    return services.none()


def can_edit_info_pages(agent: Agent) -> bool:
    """Write the general information pages: national admins only."""
    return is_national_admin(agent)


def can_answer_move_request(agent: Agent, appointment: Appointment) -> bool:
    """Accept or refuse a move request on ``appointment``: its assigned agent, an agent of the
    receiving service whose type list holds its type, or a national admin."""
    if not agent.is_active:
        return False
    if is_national_admin(agent) or appointment.assigned_agent_id == agent.pk:
        return True
    return appointment.service_id == agent.service_id and any(
        kind_type.pk == appointment.appointment_type_id
        for kind_type in appointment_types_for(agent)
    )


def move_requests_for(agent: Agent) -> QuerySet[MoveRequest]:
    """The "Demandes de report" queue: requests on the convocations of the agent's service
    and those assigned to the agent (national admins: none, they have no service queue)."""
    if not agent.is_active:
        return MoveRequest.objects.none()
    return MoveRequest.objects.filter(
        Q(appointment__service_id=agent.service_id) | Q(appointment__assigned_agent_id=agent.pk)
    )
