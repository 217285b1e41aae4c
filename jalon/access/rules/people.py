"""Who sees and changes persons under supervision (MSJ-18, MSJ-30, MSJ-40, MSJ-41).

Persons are shared within a ressort: every agent of a service of the ressort sees the
persons that a service of the ressort follows, with their convocation history, and
nothing of other ressorts. National administrators see everything.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jalon.access.models import Agent
from jalon.access.roles import REFERENT_PROFILE_CODES, Capability, Family
from jalon.access.rules import is_national_admin, scope_for
from jalon.people.models import Person, PersonQuerySet


def persons_visible_to(agent: Agent) -> PersonQuerySet:
    """Persons followed by a service of the agent's ressort."""
    if not agent.is_active:
        return Person.objects.none()
    scope = scope_for(agent)
    if scope.national:
        return Person.objects.all()
    return Person.objects.followed_by_any(scope.service_ids)


def persons_referred_by(agent: Agent) -> PersonQuerySet:
    """ "Mes personnes": the persons not archived whose référent is ``agent``, among those
    they still see, by name."""
    return (
        persons_visible_to(agent)
        .active()
        .filter(referent=agent)
        .order_by("last_name_key", "first_names_key", "pk")
    )


def _works_with_persons(agent: Agent) -> bool:
    return agent.is_active and (agent.profile.family == Family.MSJ or is_national_admin(agent))


def can_create_person(agent: Agent) -> bool:
    """Agents of the convocation services (SPIP, SAP, BEX and greffes) and national admins."""
    return _works_with_persons(agent)


def can_edit_person(agent: Agent, person: Person) -> bool:
    """Any convocation agent who sees the person may correct identity and phone, unless archived.

    Wider than MSJ (own service only) on purpose: the BEX registers a person at the hearing
    and the SPIP corrects the phone a week later, without asking anybody to retype it.
    """
    return _works_with_persons(agent) and not person.is_archived


def _followed_by_own_service(agent: Agent, person: Person) -> bool:
    return any(follow.service_id == agent.service_id for follow in person.follows.all())


def can_archive_person(agent: Agent, person: Person) -> bool:
    """Agents of a service following the person, and national admins."""
    if person.is_archived or not _works_with_persons(agent):
        return False
    return is_national_admin(agent) or _followed_by_own_service(agent, person)


def can_unarchive_person(agent: Agent, person: Person) -> bool:
    """Reserved to the local administrators of a following service (MSJ-30) and national admins."""
    if not person.is_archived or not agent.is_active:
        return False
    if is_national_admin(agent):
        return True
    return agent.profile.has(Capability.UNARCHIVE_PERSONS) and _followed_by_own_service(
        agent, person
    )


def can_be_referent(agent: Agent) -> bool:
    """CPIP and DPIP of a SPIP become the référent of the persons they register."""
    return (
        agent.is_active and agent.service.is_spip and agent.profile.code in REFERENT_PROFILE_CODES
    )


def referent_candidates(person: Person) -> QuerySet[Agent]:
    """CPIP and DPIP of the SPIPs (and antennas) following the person."""
    return Agent.objects.filter(
        is_active=True,
        profile__code__in=REFERENT_PROFILE_CODES,
        service_id__in=[follow.service_id for follow in person.follows.all()],
    ).order_by("last_name", "first_name")
