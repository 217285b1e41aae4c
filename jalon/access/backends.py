from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from jalon.access.models import Agent


class AgentBackend(ModelBackend):
    """E-mail and password login; e-mail is case-insensitive; inactive agents are refused."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Agent | None:
        if username is None or password is None:
            return None
        try:
            agent = Agent.objects.get_by_natural_key(username)
        except Agent.DoesNotExist:
            Agent().set_password(password)  # same time as a real check (timing attacks)
            return None
        if agent.check_password(password) and self.user_can_authenticate(agent):
            return agent
        return None

    def get_user(self, user_id: Any) -> Agent | None:
        try:
            agent = Agent.objects.with_organisation().get(pk=user_id)
        except Agent.DoesNotExist:
            return None
        return agent if self.user_can_authenticate(agent) else None
