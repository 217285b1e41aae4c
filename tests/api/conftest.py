"""API clients with real keys, and requests through Django's test client."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from jalon.access.models import Agent, Service
from jalon.api import actions
from jalon.api.models import ApiClient, ApiScope
from tests.conftest import Organisation

ALL_SCOPES = [scope.value for scope in ApiScope]


@dataclass
class Partner:
    client: ApiClient
    key: str

    def agent_for(self, service: Service) -> Agent:
        return self.client.identities.get(service=service).agent


@pytest.fixture
def national_admin(make_agent: Callable[..., Agent], org: Organisation) -> Agent:
    return make_agent("national_admin", service=org.national)


@pytest.fixture
def make_partner(national_admin: Agent, org: Organisation) -> Callable[..., Partner]:
    counter = iter(range(1000))

    def make(
        services: list[Service] | None = None,
        scopes: list[str] | None = None,
        **fields: Any,
    ) -> Partner:
        details = actions.ClientDetails(
            name=fields.pop("name", f"Logiciel partenaire {next(counter)}"),
            contact_name="Équipe intégration",
            contact_email="integration@partenaire.test",
            scopes=ALL_SCOPES if scopes is None else scopes,
            services=services if services is not None else [org.spip_alpha],
            expires_on=fields.pop("expires_on", None),
        )
        client, key = actions.create_client(agent=national_admin, details=details)
        return Partner(client=client, key=key)

    return make


@pytest.fixture
def partner(make_partner: Callable[..., Partner]) -> Partner:
    """A client acting for SPIP Alpha with every scope."""
    return make_partner()


class Api:
    """Calls ``/api/v1/`` as a partner would."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        key: str | None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        idempotency_key: str | None = "auto",
        **query: Any,
    ) -> Any:
        all_headers = dict(headers or {})
        if key is not None:
            all_headers["Authorization"] = f"Bearer {key}"
        if method == "post" and idempotency_key is not None:
            all_headers["Idempotency-Key"] = (
                str(uuid.uuid4()) if idempotency_key == "auto" else idempotency_key
            )
        url = f"/api/v1{path}"
        if method == "get":
            return self.client.get(url, query, headers=all_headers)
        return getattr(self.client, method)(
            url,
            body if isinstance(body, str | bytes) else json.dumps(body),
            content_type="application/json",
            headers=all_headers,
        )

    def get(self, path: str, key: str | None, **kwargs: Any) -> Any:
        return self.call("get", path, key, **kwargs)

    def post(self, path: str, key: str | None, body: Any, **kwargs: Any) -> Any:
        return self.call("post", path, key, body, **kwargs)

    def patch(self, path: str, key: str | None, body: Any, **kwargs: Any) -> Any:
        return self.call("patch", path, key, body, **kwargs)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["detail"]
    return body
