"""Who may use the NATINF referential (issue 14): every agent looks offences up, national
administrators alone import an edition of the official list."""

from __future__ import annotations

from jalon.access.models import Agent
from jalon.access.rules import is_national_admin


def can_pick_offence(agent: Agent) -> bool:
    """Search the offences: every active agent (the referential is public data)."""
    return agent.is_active


def can_import_natinf(agent: Agent) -> bool:
    """Import an edition of the NATINF list: national administrators only."""
    return is_national_admin(agent)
