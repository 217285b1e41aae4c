"""Who is acting, from which address: set once per request, read by ``record``."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    client_ip: str | None
    request_id: str


_current: ContextVar[RequestContext | None] = ContextVar("jalon_request_context", default=None)


def client_ip_from_request(request: HttpRequest) -> str | None:
    """The client's address; behind N trusted proxies, the N-th address from the right."""
    proxies = getattr(settings, "JALON_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def current() -> RequestContext | None:
    return _current.get()


def begin(request: HttpRequest) -> object:
    context = RequestContext(
        client_ip=client_ip_from_request(request),
        request_id=request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex,
    )
    return _current.set(context)


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
