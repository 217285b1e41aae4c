"""Per-request access context and the global gates (idle timeout, second factor, charter)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import SimpleLazyObject

from jalon.access import rules, second_factor
from jalon.history.actions import record

LAST_SEEN_KEY = "_jalon_last_seen"
TOUCH_EVERY_SECONDS = 30


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full page load."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware(MiddlewareMixin):
    """Logs out an agent idle for ``IDLE_TIMEOUT``; every request of a working agent extends it.

    The page pings a keep-alive URL while the agent types (static/jalon/session.js), so
    somebody filling a long form is never cut off (CNP-13); what a form held is kept in the
    tab and restored after logging in again.
    """

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        idle_seconds = settings.IDLE_TIMEOUT.total_seconds()
        if last_seen is not None and now - last_seen > idle_seconds:
            agent = request.user
            logout(request)
            record("auth.session_expired", actor=agent, target=agent)
            if request.accepts("text/html") and not request.headers.get("HX-Request"):
                messages.info(
                    request,
                    f"Votre session a expiré après {int(idle_seconds // 60)} minutes d’inactivité. "
                    "Reconnectez-vous : ce que vous aviez saisi sera retrouvé.",
                )
            if request.path.startswith("/session/"):
                return JsonResponse({"authenticated": False}, status=401)
            login_url = (
                reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
            )
            return _redirect(request, login_url)
        if getattr(view, "keeps_session_idle", False):
            return None
        if last_seen is None or now - last_seen > TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return None


class AgentMiddleware:
    """Sets ``request.agent``, ``request.service`` and ``request.scope`` once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            request.agent = user  # type: ignore[attr-defined]
            request.service = user.service  # type: ignore[attr-defined]
            request.scope = SimpleLazyObject(lambda: rules.scope_for(user))  # type: ignore[attr-defined]
        else:
            request.agent = None  # type: ignore[attr-defined]
            request.service = None  # type: ignore[attr-defined]
            request.scope = None  # type: ignore[attr-defined]
        return self.get_response(request)


class AgentSessionMiddleware:
    """Keeps the agent's session row ("Mon compte") fresh: at most one write a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from jalon.access import sessions

        agent = getattr(request, "agent", None)
        if agent is not None and sessions.due_for_refresh(request.session):
            sessions.touch(request, agent)
        return self.get_response(request)


class SecurityGatesMiddleware(MiddlewareMixin):
    """Before anything else: the second factor when required, then the security charter (MSJ-74)."""

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        agent = getattr(request, "agent", None)
        if (
            agent is None
            or getattr(view, "gate_exempt", False)
            or not getattr(view, "login_required", True)
        ):
            return None
        if second_factor.pending(request):
            return _redirect(
                request, reverse("two_factor") + "?" + urlencode({"next": request.get_full_path()})
            )
        if agent.charter_accepted_at is None:
            return _redirect(
                request, reverse("charter") + "?" + urlencode({"next": request.get_full_path()})
            )
        return None
