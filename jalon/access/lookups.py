"""Load protected objects through the agent's scope: 404 for missing and for out-of-scope alike."""

from __future__ import annotations

from django.http import Http404

from jalon.access import rules
from jalon.access.models import Agent


def access_agent(actor: Agent, agent_id: int) -> Agent:
    try:
        return rules.agents_visible_to(actor).get(pk=agent_id)
    except Agent.DoesNotExist:
        raise Http404("Agent introuvable.") from None
