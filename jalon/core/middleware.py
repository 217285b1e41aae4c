from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jalon.core import request_context as context


class RequestContextMiddleware:
    """Makes the client address and a request id available to history and logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.begin(request)
        try:
            response = self.get_response(request)
        finally:
            current = context.current()
            context.end(token)
        if current is not None:
            response["X-Request-ID"] = current.request_id
        return response
