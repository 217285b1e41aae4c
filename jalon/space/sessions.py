"""The space's own session: cookie ``jalon_espace`` under ``/espace/`` only, never the agents'.

``space_login_required`` marks a view ``login_not_required`` for the agents' middleware and
checks the space session itself: no live space session, the login page. An agent's session
opens nothing here, and this cookie is not even sent to the agents' pages (its path).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jalon.space import actions
from jalon.space.models import SpaceAccount

COOKIE = "jalon_espace"
COOKIE_PATH = "/espace/"


class SpaceRequest(HttpRequest):
    space_account: SpaceAccount


def set_cookie(response: HttpResponse, key: str) -> None:
    response.set_cookie(
        COOKIE,
        key,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
    )


def clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def space_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = actions.session_account(request.COOKIES.get(COOKIE))
        if account is None:
            response = redirect("space_login")
            if request.COOKIES.get(COOKIE):
                clear_cookie(response)
            return no_store(response)
        request.space_account = account  # type: ignore[attr-defined]
        return no_store(view(request, *args, **kwargs))

    return wrapper
