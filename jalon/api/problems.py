"""Errors as problem details (RFC 9457): ``application/problem+json``, a stable ``code``, French text.

Every endpoint declares the statuses it can answer (``errors(...)``); the handlers installed
on the API (``install_handlers``) turn every refusal into one of these bodies, so a client
never parses HTML nor an English message, and bad input never reaches a 500.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

CONTENT_TYPE = "application/problem+json"

TITLES = {
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Introuvable",
    409: "Conflit",
    413: "Requête trop volumineuse",
    422: "Requête invalide",
}


class FieldError(Schema):
    field: str
    message: str
    location: str = "body"


class Problem(Schema):
    """A refusal, as RFC 9457 problem details with Jalon's stable ``code``."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raise anywhere under an endpoint to answer this problem."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra


def problem_body(status: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Erreur"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    return body


def problem_response(status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem_body(status, code, detail, **extra), ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="jalon"'
    return response


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error part of an endpoint's ``response=``: every status it may answer.

    Authentication answers 401 (key), 403 (scope, service) and 422 (service header) on
    every endpoint, so those three are always declared.
    """
    return dict.fromkeys(sorted({401, 403, 422, *statuses}), Problem)


# --- Validation messages in French --------------------------------------------------------

_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Une chaîne de caractères est attendue.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "bool_type": "Un booléen est attendu (true ou false).",
    "bool_parsing": "Un booléen est attendu (true ou false).",
    "date_type": "Une date est attendue au format AAAA-MM-JJ.",
    "date_parsing": "Une date est attendue au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Une date est attendue au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Une date sans heure est attendue (AAAA-MM-JJ).",
    "datetime_type": "Une date et heure est attendue (ISO 8601, avec fuseau).",
    "datetime_parsing": "Une date et heure est attendue (ISO 8601, avec fuseau).",
    "datetime_from_date_parsing": "Une date et heure est attendue (ISO 8601, avec fuseau).",
    "timezone_aware": "Indiquez le fuseau horaire (par exemple +02:00).",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "list_type": "Une liste est attendue.",
    "extra_forbidden": "Ce champ n’existe pas.",
    "json_invalid": "Le corps de la requête n’est pas du JSON valide.",
    "string_pattern_mismatch": "La valeur n’a pas la forme attendue.",
    "value_error": "Valeur invalide.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
    "uuid_type": "Un identifiant UUID est attendu.",
}


def french_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "string_too_long":
        return f"{context.get('max_length')} caractères au plus."
    if kind == "string_too_short":
        return f"{context.get('min_length')} caractère(s) au moins."
    if kind in {"less_than_equal", "less_than"}:
        limit = context.get("le", context.get("lt"))
        return f"La valeur doit être au plus {limit}."
    if kind in {"greater_than_equal", "greater_than"}:
        limit = context.get("ge", context.get("gt"))
        return f"La valeur doit être au moins {limit}."
    if kind in {"enum", "literal_error"}:
        return f"Valeur non reconnue ; valeurs possibles : {context.get('expected', '')}."
    if kind == "value_error" and isinstance(context.get("error"), Exception):
        return str(context["error"])
    return _MESSAGES.get(kind, "Valeur invalide.")


def _field(location: list[Any]) -> tuple[str, str]:
    """(place, field) from a ninja error location such as ``["body", "payload", "phone"]``."""
    if not location:
        return "body", ""
    place = str(location[0])
    rest = [str(part) for part in location[1:]]
    if place == "body" and rest:
        rest = rest[1:]  # the name of the endpoint's body parameter
    return place, ".".join(rest)


def validation_problem(raw_errors: list[dict[str, Any]]) -> HttpResponse:
    field_errors = []
    for error in raw_errors:
        place, field = _field(list(error.get("loc", [])))
        field_errors.append({"field": field, "message": french_message(error), "location": place})
    return problem_response(
        422,
        "invalid_request",
        "La requête contient des valeurs invalides : voyez « errors ».",
        errors=field_errors,
    )


def form_problem(form_errors: dict[str, list[str]]) -> ApiProblem:
    """The same refusal as the screens' forms give, as a 422 problem."""
    return ApiProblem(
        422,
        "invalid_request",
        "La requête contient des valeurs invalides : voyez « errors ».",
        errors=[
            {"field": "" if field == "__all__" else field, "message": message, "location": "body"}
            for field, messages in form_errors.items()
            for message in messages
        ],
    )


def install_handlers(api: Any) -> None:
    @api.exception_handler(ApiProblem)
    def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(exc.status, exc.code, exc.detail, **exc.extra)

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return validation_problem(exc.errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            401,
            "authentication_required",
            "Authentifiez-vous avec l’en-tête « Authorization: Bearer <clé> ».",
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja: the body is not JSON
            return problem_response(
                422, "invalid_json", "Le corps de la requête n’est pas du JSON valide."
            )
        return problem_response(exc.status_code, "error", str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, "not_found", str(exc) or "Objet introuvable.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(
            403, "forbidden", str(exc) or "Ce client ne peut pas faire cette opération."
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(
            413, "body_too_large", "Le corps de la requête est trop volumineux."
        )

    @api.exception_handler(DjangoValidationError)
    def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            messages = {field: [str(m) for m in texts] for field, texts in exc.message_dict.items()}
        else:
            messages = {"__all__": [str(m) for m in exc.messages]}
        problem = form_problem(messages)
        return problem_response(problem.status, problem.code, problem.detail, **problem.extra)
