from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

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


BAD_INPUT_MESSAGE = (
    "Votre demande contient des caractères invalides (caractère nul ou texte mal encodé) : "
    "revenez à la page précédente et saisissez de nouveau le texte, sans le copier depuis "
    "un autre logiciel."
)
API_PREFIX = "/api/"
BAD_INPUT_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Demande invalide — Jalon</title></head><body><main>"
    "<h1>Demande invalide</h1><p>{message}</p>"
    '<p><a href="/">Retour à l’accueil</a></p></main></body></html>'
)


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in raw


def _query_is_clean(query_string: str) -> bool:
    # WSGI hands the query string as latin-1 text; decode what the client really sent.
    return _decodes(unquote_to_bytes(query_string.replace("+", " ")))


def _values_are_clean(data: Any) -> bool:
    return not any(
        "\x00" in key
        or any(("\x00" in value or "\ufffd" in value) for value in values if isinstance(value, str))
        for key, values in data.lists()
    )


class RejectInvalidInputMiddleware:
    """Answers 400 in French to a NUL byte or invalid UTF-8 in the path, query or form.

    PostgreSQL refuses NUL in text (psycopg raises before the query: a 500 wherever a typed
    value reaches a filter or a save), and Django silently replaces invalid UTF-8 with
    U+FFFD (the agent would save a mangled name). No agent types either: they come from a
    broken copy-paste or a probe, so refusing the request is clearer than cleaning it.
    Other bodies (JSON webhooks) are left to their views, which verify a signature first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._clean(request):
            if request.path.startswith(API_PREFIX):
                # The partners' API answers problem details, as its other refusals (422).
                return HttpResponse(
                    json.dumps(
                        {
                            "type": "about:blank",
                            "title": "Requête invalide",
                            "status": 422,
                            "detail": "La requête contient un caractère nul ou du texte qui "
                            "n’est pas de l’UTF-8 valide.",
                            "code": "invalid_characters",
                        },
                        ensure_ascii=False,
                    ),
                    status=422,
                    content_type="application/problem+json",
                )
            return HttpResponseBadRequest(
                BAD_INPUT_PAGE.format(message=BAD_INPUT_MESSAGE),
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)

    def _clean(self, request: HttpRequest) -> bool:
        if "\x00" in request.path or "\ufffd" in request.path:
            return False
        if not _query_is_clean(request.META.get("QUERY_STRING", "")):
            return False
        if request.method not in ("POST", "PUT", "PATCH"):
            return True
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return _query_is_clean(request.body.decode("latin-1"))
        if content_type.startswith("multipart/"):
            return _values_are_clean(request.POST) and not any(
                "\x00" in (upload.name or "")
                for _, uploads in request.FILES.lists()
                for upload in uploads
            )
        return True
