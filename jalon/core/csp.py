"""Content-Security-Policy with a fresh nonce per request, and no caching of pages.

Django 5.2 has no built-in CSP. Our templates hold no inline script, style attribute or event
handler (scripts and styles live under ``static/jalon/``), so the policy allows only our own
files, plus elements carrying the request's nonce (``{{ csp_nonce }}``, the name
django-htmx's ``{% htmx_script %}`` reads).

The back office (Django's admin) keeps a few inline ``<style>`` blocks of its own: under its
prefix only, ``style-src`` allows inline styles (without a nonce, since a nonce would make
browsers ignore ``'unsafe-inline'``). Scripts stay strict there too.

Every response that goes through Django carries ``Cache-Control: no-store`` when the request is
authenticated (a shared court computer must not keep a person's file in its cache, nor show
it again with "back" after logout), and when the view set no caching of its own (login and
other public pages). Static files never reach this middleware: WhiteNoise answers them first.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

HEADER = "Content-Security-Policy"


def policy(nonce: str, *, inline_styles: bool = False) -> str:
    style_src = "'self' 'unsafe-inline'" if inline_styles else f"'self' 'nonce-{nonce}'"
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src {style_src}",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


@cache
def _admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def _in_back_office(request: HttpRequest) -> bool:
    prefix = _admin_prefix()
    return prefix is not None and request.path.startswith(prefix)


class ContentSecurityPolicyMiddleware:
    """Sets ``request.csp_nonce``, then the CSP and ``Cache-Control`` headers of the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(nonce, inline_styles=_in_back_office(request))
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated or "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


def nonce(request: HttpRequest) -> dict[str, str]:
    """Context processor: ``csp_nonce`` for the rare element that needs it (``dsfr_js``)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
