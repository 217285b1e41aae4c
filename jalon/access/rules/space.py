"""Who invites a person to their space, and what the person sees there (issue 17, 1–4).

Invitation (MSJ-66): a CPIP for the persons they follow (their référent, or followed by their
service), a DPIP or a local administrator for the persons their service follows. The person
must take SMS and not be archived.

The person's side: their own convocations, of every service; the agents who follow them
(their référent and the agents their convocations are assigned to) from the services that
follow them now, and only what each agent chose to share.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent
from jalon.appointments.models import Appointment
from jalon.people.models import Follow, Person
from jalon.space.models import SpaceAccount

# Profiles that invite (codes compared only here, in the access layer).
_INVITE_OWN_FOLLOWED = frozenset({"cpip"})
_INVITE_SERVICE = frozenset({"dpip", "local_admin"})


def _followed_by_own_service(agent: Agent, person: Person) -> bool:
    return any(follow.service_id == agent.service_id for follow in person.follows.all())


def can_invite_to_space(agent: Agent, person: Person) -> bool:
    """Send or re-send the space invitation: a CPIP who follows the person (référent, or their
    service follows them), a DPIP or local admin of a service following them."""
    if not agent.is_active or person.is_archived or not person.can_receive_sms:
        return False
    code = agent.profile.code
    if code in _INVITE_OWN_FOLLOWED:
        return person.referent_id == agent.pk or _followed_by_own_service(agent, person)
    if code in _INVITE_SERVICE:
        return _followed_by_own_service(agent, person)
    return False


def can_see_space_status(agent: Agent, person: Person) -> bool:
    """The invitation status on the person's page: whoever may invite, and the agents of the
    services following the person."""
    return agent.is_active and (
        can_invite_to_space(agent, person) or _followed_by_own_service(agent, person)
    )


def appointments_of_account(account: SpaceAccount) -> QuerySet[Appointment]:
    """The convocations the person sees: all theirs, of every service."""
    return Appointment.objects.filter(person_id=account.person_id)


def shared_contacts(account: SpaceAccount) -> QuerySet[Agent]:
    """Agents who follow the person, of a service that follows them now, sharing their phone
    or e-mail. A service's follow ends: its agents disappear."""
    services = Follow.objects.filter(person_id=account.person_id).values("service_id")
    following = Q(referred_persons=account.person_id) | Q(
        assigned_appointments__person_id=account.person_id,
        assigned_appointments__status=Appointment.Status.BOOKED,
    )
    return (
        Agent.objects.filter(following, is_active=True, service_id__in=services)
        .filter(Q(share_phone=True, phone__gt="") | Q(share_email=True))
        .select_related("service")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
