"""The partners' API, ``/api/v1/``: one ninja router per resource family.

The OpenAPI 3.1 document is generated from the code (``/api/v1/openapi.json``); its page
(``/api/v1/docs``) is Swagger UI served from our own static files (the copy django-ninja
ships, found by ``staticfiles`` since ``ninja`` is an installed app), with no CDN, no
inline script and no call to the online validator, so it works on the ministry network and
under our Content-Security-Policy.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from jalon.api.auth import SERVICE_HEADER, ApiKeyAuth
from jalon.api.problems import CONTENT_TYPE, install_handlers
from jalon.api.routers import (
    agendas,
    convocations,
    persons,
    procedures,
    referentials,
    situations,
    webhooks,
)

DESCRIPTION = """\
API de Jalon pour les logiciels partenaires. Chaque appel s’authentifie avec une clé
(`Authorization: Bearer <clé>`) délivrée par l’administration nationale, agit pour un
service (en-tête `Jalon-Service` si le client en a plusieurs) et voit ce que voit un agent
de ce service. Toute requête POST porte un en-tête `Idempotency-Key`. Les erreurs sont des
*problem details* (RFC 9457) avec un `code` stable et un message en français.

Webhooks : chaque envoi est un POST JSON signé par l’en-tête
`Jalon-Signature: t=<horodatage unix>,v1=<HMAC-SHA256 hexadécimal de "<t>." + corps>` avec
le secret de l’abonnement ; refusez un `t` écarté de plus de 5 minutes de votre horloge.
L’en-tête `Jalon-Delivery` identifie l’envoi (le même lors d’un renvoi) : dédoublonnez sur
lui. Une réponse 2xx vaut réception ; sinon, nouvelles tentatives après 30 s, 2 min,
10 min, 30 min, 2 h et 6 h, puis l’envoi passe en échec et peut être renvoyé.
"""


class OfflineSwagger(DocsBase):
    """Swagger UI from ``/static/ninja/``: nothing fetched from the internet."""

    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # the default badge calls validator.swagger.io
        "persistAuthorization": False,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            "api/docs.html",
            {"api": api, "swagger_settings": json.dumps(swagger_settings)},
        )


class JalonApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _problem_media_type(operation)
                operation.setdefault("parameters", []).append(
                    {
                        "name": SERVICE_HEADER,
                        "in": "header",
                        "required": False,
                        "description": "Identifiant du service pour lequel agir, "
                        "obligatoire si le client agit pour plusieurs services.",
                        "schema": {"type": "integer"},
                    }
                )
        return schema


def _problem_media_type(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        if int(status) >= 400 and "content" in response:
            content = response["content"]
            content[CONTENT_TYPE] = content.pop("application/json")


api = JalonApi(
    title="API Jalon",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("/referentials", referentials.router)
api.add_router("/persons", persons.router)
api.add_router("", convocations.router)
api.add_router("/agendas", agendas.router)
api.add_router("/situations", situations.router)
api.add_router("", procedures.router)
api.add_router("/webhooks", webhooks.router)
