"""Who sees which statistics.

A service head (DPIP, directeur de greffe: the ``view_service_statistics`` capability) sees
the dashboard of their own service, and exports its tables. The figures are counts and rates
without any person; the jurisdiction and national dashboards come later with their own rules.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jalon.access.models import Agent, Service
from jalon.access.roles import Capability, Family


def can_view_service_statistics(agent: Agent, service: Service) -> bool:
    """The heads of ``service`` (its DPIP or directeur de greffe), for their own service only."""
    return (
        agent.is_active
        and agent.profile.has(Capability.VIEW_SERVICE_STATISTICS)
        and agent.service_id == service.pk
    )


def statistics_services(agent: Agent) -> QuerySet[Service]:
    """The services whose dashboard ``agent`` opens (their own, if they head it)."""
    if not (agent.is_active and agent.profile.has(Capability.VIEW_SERVICE_STATISTICS)):
        return Service.objects.none()
    return Service.objects.filter(pk=agent.service_id)


def can_use_statistics(agent: Agent) -> bool:
    """Whether the menu offers "Statistiques" (no query: the capability decides)."""
    return agent.is_active and agent.profile.has(Capability.VIEW_SERVICE_STATISTICS)


def can_use_infocentre(agent: Agent) -> bool:
    """The monthly anonymised national export (CAS-18): national profiles only.

    Decided by the profile's family, not by a capability: every profile of the national
    family (the national administrator, and any national statistics profile added later)
    works at the national level, and the export covers the whole country.
    """
    return agent.is_active and agent.profile.family == Family.NATIONAL
