"""Who sees failed SMS and sends them again (issue: "SMS en échec" queue per service)."""

from __future__ import annotations

from typing import Any

from jalon.access.models import Agent
from jalon.access.roles import Family
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
