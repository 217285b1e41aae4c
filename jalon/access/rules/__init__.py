"""Who may see or do what. The only module that decides permissions.

Scopes are querysets or ``Scope`` values; predicates are ``can_<verb>_<thing>(agent, obj)``
functions, reused by views, templates and (later) the API and statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from jalon.access.models import Agent, Profile, Service
from jalon.access.roles import Capability, ServiceKind


@dataclass(frozen=True)
class Scope:
    """What an agent's organisation reaches, computed once per request by the middleware.

    ``service_ids`` are the services of that ressort, whose persons the agent sees.
    ``jurisdiction_ids`` are the TJs of the agent's ressort (MSJ-40): the TJ of a TJ
    service, the TJs a SPIP serves (an antenna takes its SPIP's), the CA itself for a
    court-of-appeal service. National administrators reach everything (``national``).
    """

    national: bool
    jurisdiction_ids: frozenset[int]
    service_ids: frozenset[int] = frozenset()

    def covers_jurisdiction(self, jurisdiction_id: int | None) -> bool:
        return self.national or (
            jurisdiction_id is not None and jurisdiction_id in self.jurisdiction_ids
        )


def ressort_jurisdiction_ids(service: Service) -> frozenset[int]:
    """The jurisdictions whose ressort ``service`` belongs to."""
    if service.kind == ServiceKind.NATIONAL:
        return frozenset()
    spip = service.parent if service.kind == ServiceKind.SPIP_ANTENNA else service
    if spip is not None and spip.kind == ServiceKind.SPIP:
        served = set(spip.served_jurisdictions.values_list("id", flat=True))
        if spip.jurisdiction_id:
            served.add(spip.jurisdiction_id)
        return frozenset(served)
    return frozenset({service.jurisdiction_id}) if service.jurisdiction_id else frozenset()


def scope_for(agent: Agent) -> Scope:
    """The agent's scope, computed once per agent object (so once per request)."""
    cached: Scope | None = getattr(agent, "_jalon_scope", None)
    if cached is not None:
        return cached
    jurisdiction_ids, service_ids = _ressort(agent.service)
    scope = Scope(
        national=agent.is_national_admin,
        jurisdiction_ids=jurisdiction_ids,
        service_ids=service_ids if jurisdiction_ids else frozenset([agent.service_id]),
    )
    agent._jalon_scope = scope  # type: ignore[attr-defined]
    return scope


_RESSORT_SQL = """
    WITH ressort AS (
        SELECT jurisdiction_id AS id FROM {served} WHERE service_id = %s
        UNION SELECT %s::bigint WHERE %s::bigint IS NOT NULL
    )
    SELECT 0, id FROM ressort
    UNION
    SELECT 1, service.id FROM {service} service
    WHERE service.jurisdiction_id IN (SELECT id FROM ressort)
        OR service.id IN (
            SELECT service_id FROM {served} WHERE jurisdiction_id IN (SELECT id FROM ressort)
        )
        OR service.parent_id IN (
            SELECT service_id FROM {served} WHERE jurisdiction_id IN (SELECT id FROM ressort)
        )
"""


def _ressort(service: Service) -> tuple[frozenset[int], frozenset[int]]:
    """``ressort_jurisdiction_ids`` and the ids of ``services_in_ressort``, in one query
    (written out: the ORM's union of subqueries cost more to build than a second query)."""
    if service.kind == ServiceKind.NATIONAL:
        return frozenset(), frozenset()
    spip = service.parent if service.kind == ServiceKind.SPIP_ANTENNA else service
    if spip is not None and spip.kind == ServiceKind.SPIP:
        serving, jurisdiction_id = spip.pk, spip.jurisdiction_id
    elif service.jurisdiction_id:
        serving, jurisdiction_id = None, service.jurisdiction_id
    else:
        return frozenset(), frozenset()
    sql = _RESSORT_SQL.format(
        served=Service.served_jurisdictions.through._meta.db_table,
        service=Service._meta.db_table,
    )
    ids: tuple[set[int], set[int]] = (set(), set())
    with connection.cursor() as cursor:
        cursor.execute(sql, [serving, jurisdiction_id, jurisdiction_id])
        for kind, pk in cursor.fetchall():
            ids[kind].add(pk)
    return frozenset(ids[0]), frozenset(ids[1])


def services_in_ressort(jurisdiction_ids: frozenset[int]) -> QuerySet[Service]:
    """Services of a ressort: those attached to its TJs, plus the SPIPs (and antennas) serving them."""
    serving = Q(served_jurisdictions__in=jurisdiction_ids) | Q(
        parent__served_jurisdictions__in=jurisdiction_ids
    )
    return Service.objects.filter(Q(jurisdiction_id__in=jurisdiction_ids) | serving).distinct()


# --- Platform administration -------------------------------------------------------------


def is_national_admin(agent: Agent) -> bool:
    """National administrators run the back office (jurisdictions, services, reference lists)."""
    return agent.is_active and agent.is_national_admin


def requires_two_factor(agent: Agent) -> bool:
    """A second factor is required when the platform, the agent's profile or service asks for it."""
    from django.conf import settings

    return bool(
        settings.JALON_REQUIRE_2FA_EVERYWHERE
        or agent.profile.requires_2fa
        or agent.service.requires_2fa
    )


# --- Agents ------------------------------------------------------------------------------


def can_manage_agents(agent: Agent) -> bool:
    """National admins; local admins and heads of registry (directeurs de greffe) for their service."""
    return agent.is_active and (
        agent.profile.has(Capability.ADMINISTER_PLATFORM)
        or agent.profile.has(Capability.MANAGE_SERVICE_AGENTS)
    )


def agents_visible_to(agent: Agent) -> QuerySet[Agent]:
    """Agents an administrator may list: all for national admins, their own service otherwise.

    The service accounts of API clients are not agents one administers: they are managed
    with their client (``rules/api.py``).
    """
    queryset = Agent.objects.with_organisation().filter(api_identity__isnull=True)
    if not can_manage_agents(agent):
        return queryset.none()
    if is_national_admin(agent):
        return queryset
    return queryset.filter(service_id=agent.service_id)


def services_agent_can_staff(agent: Agent) -> QuerySet[Service]:
    """Services in which ``agent`` may create agents or receive transferred ones."""
    if is_national_admin(agent):
        return Service.objects.filter(is_active=True)
    if can_manage_agents(agent):
        return Service.objects.filter(pk=agent.service_id)
    return Service.objects.none()


def can_manage_agent(actor: Agent, target: Agent) -> bool:
    """Edit, deactivate, unlock or reset the second factor of ``target``.

    Never oneself through these screens, and only a national admin touches a national admin.
    """
    if actor.pk == target.pk or not can_manage_agents(actor):
        return False
    if target.is_national_admin and not is_national_admin(actor):
        return False
    return is_national_admin(actor) or target.service_id == actor.service_id


def can_transfer_agent(actor: Agent, target: Agent, service: Service) -> bool:
    """Move ``target`` into ``service`` (mutation, MSJ-31): the receiving service's administrator."""
    if actor.pk == target.pk or target.service_id == service.pk:
        return False
    if target.is_national_admin and not is_national_admin(actor):
        return False
    return services_agent_can_staff(actor).filter(pk=service.pk).exists()


def grantable_profiles(actor: Agent, service: Service) -> list[Profile]:
    """Profiles ``actor`` may give in ``service``.

    Only national admins give the national profile; only holders of the "grant local admin"
    capability give a profile that manages agents (MSJ: local admins and national admins).
    """
    profiles = []
    for profile in Profile.objects.filter(is_active=True).order_by("label"):
        if not profile.fits(service):
            continue
        if profile.has(Capability.ADMINISTER_PLATFORM) and not is_national_admin(actor):
            continue
        if profile.has(Capability.MANAGE_SERVICE_AGENTS) and not actor.profile.has(
            Capability.GRANT_LOCAL_ADMIN
        ):
            continue
        profiles.append(profile)
    return profiles


def service_administrator_emails(service: Service) -> list[str]:
    """Addresses of the active agents who administer ``service`` (for notices about it)."""
    return list(
        Agent.objects.filter(
            service=service,
            is_active=True,
            profile__capabilities__contains=[Capability.MANAGE_SERVICE_AGENTS],
        ).values_list("email", flat=True)
    )
