"""Who sees which statistics.

- A service head (DPIP, directeur de greffe: ``view_service_statistics``) sees the dashboard
  of their own service.
- A head of jurisdiction (``view_jurisdiction_statistics``: président and procureur de la
  République of a TJ; premier président and procureur général of a court of appeal) sees the
  dashboard of their jurisdiction; at a court of appeal, the court's dashboard (its whole
  ressort) and those of each TJ of its ressort.
- A national profile (``view_national_statistics``: national statistician, national
  administrator) sees the national dashboard and that of every jurisdiction.

Each exports the tables of what they see. The figures are counts and rates without any
person. Anything else answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.access.roles import Capability, Family


def _has(agent: Agent, capability: Capability) -> bool:
    return agent.is_active and agent.profile.has(capability)


def can_view_service_statistics(agent: Agent, service: Service) -> bool:
    """The heads of ``service`` (its DPIP or directeur de greffe), for their own service only."""
    return _has(agent, Capability.VIEW_SERVICE_STATISTICS) and agent.service_id == service.pk


def statistics_services(agent: Agent) -> QuerySet[Service]:
    """The services whose dashboard ``agent`` opens (their own, if they head it)."""
    if not _has(agent, Capability.VIEW_SERVICE_STATISTICS):
        return Service.objects.none()
    return Service.objects.filter(pk=agent.service_id)


def statistics_jurisdictions(agent: Agent) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose dashboard ``agent`` opens.

    National profiles: all. A head of jurisdiction: the jurisdiction of their service, and,
    when it is a court of appeal, the TJs of its ressort. Nobody else: none.
    """
    if _has(agent, Capability.VIEW_NATIONAL_STATISTICS):
        return Jurisdiction.objects.all()
    if not _has(agent, Capability.VIEW_JURISDICTION_STATISTICS):
        return Jurisdiction.objects.none()
    own = agent.service.jurisdiction_id
    if own is None:
        return Jurisdiction.objects.none()
    # Only a court of appeal has TJs pointing to it.
    return Jurisdiction.objects.filter(Q(pk=own) | Q(court_of_appeal_id=own))


def own_statistics_jurisdiction(agent: Agent) -> int | None:
    """The jurisdiction a head of jurisdiction steers (their service's), for the entry page."""
    if _has(agent, Capability.VIEW_JURISDICTION_STATISTICS):
        return agent.service.jurisdiction_id
    return None


def can_view_national_statistics(agent: Agent) -> bool:
    return _has(agent, Capability.VIEW_NATIONAL_STATISTICS)


def can_head_service_statistics(agent: Agent) -> bool:
    """Whether the agent heads their service's statistics (home page headlines; no query)."""
    return _has(agent, Capability.VIEW_SERVICE_STATISTICS)


def can_use_statistics(agent: Agent) -> bool:
    """Whether the menu offers "Statistiques" (no query: the capabilities decide)."""
    return agent.is_active and any(
        agent.profile.has(capability)
        for capability in (
            Capability.VIEW_SERVICE_STATISTICS,
            Capability.VIEW_JURISDICTION_STATISTICS,
            Capability.VIEW_NATIONAL_STATISTICS,
        )
    )


def can_use_infocentre(agent: Agent) -> bool:
    """The monthly anonymised national export (CAS-18): national profiles only.

    Decided by the profile's family, not by a capability: every profile of the national
    family (the national administrator, and any national statistics profile added later)
    works at the national level, and the export covers the whole country.
    """
    return agent.is_active and agent.profile.family == Family.NATIONAL
