"""State changes on agents. Each takes the acting agent keyword-only and writes history
in the same transaction; nothing else saves these models."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.access import mail, rules
from jalon.access.models import Agent, AgentSession, Profile, Service
from jalon.access.tokens import invitation_path
from jalon.history.actions import record


def accept_charter(target: Agent, *, agent: Agent) -> None:
    """Record that the agent read and accepted the security charter (MSJ-74)."""
    if target.charter_accepted_at is not None:
        return
    with transaction.atomic():
        target.charter_accepted_at = timezone.now()
        target.save(update_fields=["charter_accepted_at"])
        record("auth.charter_accepted", actor=agent, target=target)


def _check_profile(actor: Agent, profile: Profile, service: Service) -> None:
    if profile not in rules.grantable_profiles(actor, service):
        raise ValidationError(
            {"profile": f"Vous ne pouvez pas attribuer le profil « {profile} » dans ce service."}
        )


def create_agent(
    *,
    agent: Agent,
    email: str,
    first_name: str,
    last_name: str,
    service: Service,
    profile: Profile,
    phone: str = "",
) -> Agent:
    """Create an agent in ``service`` and e-mail them a link to choose their password."""
    if not rules.services_agent_can_staff(agent).filter(pk=service.pk).exists():
        raise PermissionDenied
    _check_profile(agent, profile, service)
    with transaction.atomic():
        new_agent = Agent(
            email=email.strip().lower(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            service=service,
            profile=profile,
            phone=phone.strip(),
        )
        new_agent.set_unusable_password()
        new_agent.full_clean()
        new_agent.save()
        record(
            "agent.created",
            actor=agent,
            target=new_agent,
            details={"service": service.name, "profile": profile.label},
        )
        mail.queue_invitation(new_agent, invitation_path(new_agent))
    return new_agent


def update_agent(
    target: Agent, *, agent: Agent, first_name: str, last_name: str, profile: Profile, phone: str
) -> Agent:
    if not rules.can_manage_agent(agent, target):
        raise PermissionDenied
    if profile.pk != target.profile_id:
        _check_profile(agent, profile, target.service)
    changes = {}
    for field, value in (
        ("first_name", first_name.strip()),
        ("last_name", last_name.strip()),
        ("phone", phone.strip()),
        ("profile", profile),
    ):
        old = getattr(target, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(target, field, value)
    if not changes:
        return target
    with transaction.atomic():
        target.full_clean()
        target.save(update_fields=[*changes.keys()])
        record("agent.updated", actor=agent, target=target, details={"changes": changes})
    return target


def set_agent_active(target: Agent, *, agent: Agent, active: bool) -> None:
    """Deactivate (the agent can no longer log in, history stays) or reactivate an agent."""
    if not rules.can_manage_agent(agent, target):
        raise PermissionDenied
    if target.is_active == active:
        return
    with transaction.atomic():
        target.is_active = active
        target.save(update_fields=["is_active"])
        record("agent.reactivated" if active else "agent.deactivated", actor=agent, target=target)


def unlock_agent(target: Agent, *, agent: Agent) -> None:
    """Lift the lockout after three failed logins (MSJ-77)."""
    from jalon.access import lockout

    if not rules.can_manage_agent(agent, target):
        raise PermissionDenied
    with transaction.atomic():
        lockout.clear(target.email)
        record("agent.unlocked", actor=agent, target=target)


def reset_two_factor(target: Agent, *, agent: Agent) -> None:
    """Remove the agent's authenticator; they will enrol a new one at their next login."""
    if not rules.can_manage_agent(agent, target):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        record("agent.two_factor_reset", actor=agent, target=target)


def transfer_agent(target: Agent, *, agent: Agent, service: Service, profile: Profile) -> Agent:
    """Move an existing agent into ``service`` (mutation, MSJ-31 and MSJ-34) and tell the
    former service by e-mail (MSJ-32)."""
    if not rules.can_transfer_agent(agent, target, service):
        raise PermissionDenied
    _check_profile(agent, profile, service)
    former_service = target.service
    former_profile = target.profile
    with transaction.atomic():
        target.service = service
        target.profile = profile
        target.is_active = True
        target.full_clean()
        target.save(update_fields=["service", "profile", "is_active"])
        record(
            "agent.transferred",
            actor=agent,
            target=target,
            details={
                "from_service": former_service.name,
                "to_service": service.name,
                "from_profile": former_profile.label,
                "to_profile": profile.label,
            },
        )
        mail.queue_transfer_notice(target, former_service, agent)
    return target


def confirm_two_factor_device(device: TOTPDevice, *, agent: Agent) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=agent).exclude(pk=device.pk).delete()
        record("auth.two_factor_enrolled", actor=agent, target=agent)


# --- "Mon compte": what an agent changes for themselves -------------------------------------


def change_own_password(*, agent: Agent, new_password: str, current_session: str | None) -> int:
    """Set the agent's new password and end their other sessions; return how many ended.

    ``current_session`` is the hash of the session to keep (the view then refreshes its
    authentication hash so that it stays open).
    """
    from jalon.access import sessions

    with transaction.atomic():
        agent.set_password(new_password)
        agent.save(update_fields=["password"])
        others = list(
            AgentSession.objects.filter(agent=agent)
            .exclude(key_hash=current_session or "")
            .values_list("key_hash", flat=True)
        )
        ended = sessions.end(others)
        record("account.password_changed", actor=agent, target=agent, details={"ended": ended})
    return ended


def reset_own_two_factor(*, agent: Agent) -> None:
    """Remove the agent's authenticator: they enrol a new one right away."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=agent).delete()
        record("account.two_factor_reset", actor=agent, target=agent)


def end_own_sessions(*, agent: Agent, hashes: list[str]) -> int:
    """End these sessions of the agent (never another agent's); return how many ended."""
    from jalon.access import sessions

    with transaction.atomic():
        mine = list(
            AgentSession.objects.filter(agent=agent, key_hash__in=hashes).values_list(
                "key_hash", flat=True
            )
        )
        ended = sessions.end(mine)
        if ended:
            record("account.sessions_ended", actor=agent, target=agent, details={"ended": ended})
    return ended


SHARING_FIELDS = ("phone", "share_phone", "share_email")


def update_own_sharing(
    *, agent: Agent, phone: str, share_phone: bool, share_email: bool
) -> list[str]:
    """What probationers may see of the agent; the history lists the changed fields."""
    values = {"phone": phone.strip(), "share_phone": share_phone, "share_email": share_email}
    with transaction.atomic():
        changed = [name for name in SHARING_FIELDS if getattr(agent, name) != values[name]]
        if not changed:
            return []
        for name in changed:
            setattr(agent, name, values[name])
        agent.save(update_fields=changed)
        record("account.sharing_updated", actor=agent, target=agent, details={"fields": changed})
    return changed


def set_operator(target: Agent, *, agent: Agent | None, staff: bool, superuser: bool) -> bool:
    """Give or take the operator role (the /admin/ console; ``superuser`` adds the technical
    tables). ``agent`` is ``None`` from the command line. ``False`` when nothing changed."""
    superuser = staff and superuser
    if (target.is_staff, target.is_superuser) == (staff, superuser):
        return False
    with transaction.atomic():
        target.is_staff, target.is_superuser = staff, superuser
        target.save(update_fields=["is_staff", "is_superuser"])
        record(
            "agent.operator_changed",
            actor=agent,
            target=target,
            details={"staff": staff, "superuser": superuser},
        )
    return True
