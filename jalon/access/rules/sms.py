"""Who sees failed SMS and sends them again, and who edits the SMS templates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import Capability, Family, ServiceKind
from jalon.access.rules import is_national_admin


def can_resend_sms(agent: Agent, appointment: Any) -> bool:
    """Agents of the convocation services of the receiving service, and national admins."""
    if is_national_admin(agent):
        return True
    return (
        agent.is_active
        and agent.profile.family == Family.MSJ
        and agent.service_id == appointment.service_id
    )


# --- SMS templates (MSJ-46, MSJ-ROLES "Modèles de SMS") ---------------------------------


def _is_local_admin(agent: Agent) -> bool:
    return (
        agent.is_active
        and agent.profile.has(Capability.GRANT_LOCAL_ADMIN)
        and not agent.is_national_admin
    )


def can_edit_national_sms_templates(agent: Agent) -> bool:
    """The national defaults (per kind and convocation type): national admins only."""
    return is_national_admin(agent)


def services_for_sms_templates(agent: Agent) -> QuerySet[Service]:
    """Services whose SMS overrides ``agent`` edits: all in use for national admins, their own for a local admin."""
    if is_national_admin(agent):
        return Service.objects.filter(is_active=True, uses_platform=True).exclude(
            kind=ServiceKind.NATIONAL
        )
    if _is_local_admin(agent):
        return Service.objects.filter(pk=agent.service_id, is_active=True)
    return Service.objects.none()


def can_edit_sms_templates(agent: Agent) -> bool:
    """Open the SMS template screens at all (national or some service's overrides)."""
    return can_edit_national_sms_templates(agent) or _is_local_admin(agent)


def can_edit_service_sms_template(agent: Agent, service: Service) -> bool:
    """Edit or reset ``service``'s overrides."""
    return services_for_sms_templates(agent).filter(pk=service.pk).exists()
