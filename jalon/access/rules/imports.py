"""Who imports persons and convocations from a file (MSJ-13, MSJ-14).

The agents who register persons and book convocations in their service (the convocation
services' profiles, ``people.can_create_person``), for their own service only: an import
acts in the agent's service, and is seen by the agents of that service alone. National
administrators have no agendas, hence no import.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jalon.access.models import Agent
from jalon.access.roles import Capability, Family, ServiceKind
from jalon.imports.models import Import


def can_import_files(agent: Agent) -> bool:
    return (
        agent.is_active
        and agent.profile.family == Family.MSJ
        and agent.service.kind != ServiceKind.NATIONAL
    )


def imports_visible_to(agent: Agent) -> QuerySet[Import]:
    """The imports of the agent's service."""
    if not can_import_files(agent):
        return Import.objects.none()
    return Import.objects.filter(service_id=agent.service_id)


def can_recover_import(agent: Agent, batch: Import) -> bool:
    """Resume or abandon an import whose job failed: the agent who owns it, or a local
    administrator of its service."""
    if not can_import_files(agent) or batch.service_id != agent.service_id:
        return False
    return batch.agent_id == agent.pk or (
        agent.profile.has(Capability.GRANT_LOCAL_ADMIN) and not agent.is_national_admin
    )
