from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jalon.access import lockout
from jalon.access.models import Agent


class AgentBackend(ModelBackend):
    """E-mail and password login; e-mail is case-insensitive; inactive agents are refused.

    Every login form (ours and the back office's) goes through here, so the lockout
    (``access.lockout``) applies to all of them: a locked account is refused before the
    password is even checked, and the lock is left on ``request.login_lock`` for the page.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Agent | None:
        if username is None or password is None:
            return None
        address = lockout.client_address(request)
        lock = lockout.current_lock(username, address)
        if lock is None:
            agent = self._check_password(username, password)
            if agent is not None:
                lockout.clear_address(username, address)
                return agent
            lock = lockout.record_failure(username, address)
            if lock is None:
                return None
        if request is not None:
            request.login_lock = lock  # type: ignore[attr-defined]
        # PermissionDenied (not None) stops Django from trying any other backend.
        raise PermissionDenied(lock.message)

    def _check_password(self, username: str, password: str) -> Agent | None:
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
