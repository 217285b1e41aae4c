"""``AgentRequest``: the type of the request that every agent's view receives.

Declared for typing only, like healthchecks' ``AuthenticatedHttpRequest``: Django builds plain
``HttpRequest`` objects and ``AgentMiddleware`` sets these attributes once per request. A view
behind the login (any view not marked ``login_not_required``) annotates its request with it
and reads ``request.agent`` instead of casting.
"""

from __future__ import annotations

from django.http import HttpRequest

from jalon.access.models import Agent, Service
from jalon.access.rules import Scope


class AgentRequest(HttpRequest):
    agent: Agent
    service: Service
    scope: Scope  # lazy: computed on first use
