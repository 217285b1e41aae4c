"""Schemathesis against the live OpenAPI document (issue 15, point 6).

Every operation of ``/api/v1/openapi.json`` gets a bounded number of generated requests,
sent to the WSGI application with a partner's key (every scope, so it reaches the code
behind the scope checks) and a fresh ``Idempotency-Key``, over a small world of persons,
convocations, slots, situations and procedures. Each answer must not be a server error and
must conform to the document: a declared status, its media type and its schema.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jalon.access.roles import ServiceKind
from tests.api.conftest import Partner
from tests.dates import days_ago
from tests.factories import (
    AppointmentFactory,
    PartyFactory,
    PersonFactory,
    ProcedureFactory,
    ServiceFactory,
    SituationFactory,
    SlotFactory,
    appointment_type,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, keeping the test's transaction open between requests (as the
    test client does: ``close_old_connections`` would close it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class World:
    partner: Partner
    spip: int
    parquet: int
    ids: dict[str, int]


@pytest.fixture
def world(org, agendas, make_partner):
    parquet = ServiceFactory(kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha)
    person = PersonFactory(followed_by=[org.spip_alpha])
    upcoming = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(2))
    SlotFactory(
        agenda=agendas.spip_alpha, appointment_type=appointment_type("sortie_audience_spip")
    )
    situation = SituationFactory(jurisdiction=org.tj_alpha, mec=person)
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    PartyFactory(procedure=procedure, person=person)
    return World(
        partner=make_partner(services=[org.spip_alpha, parquet]),
        spip=org.spip_alpha.pk,
        parquet=parquet.pk,
        ids={
            "person_id": person.pk,
            "convocation_id": upcoming.pk,
            "agenda_id": agendas.spip_alpha.pk,
            "situation_id": situation.pk,
            "procedure_id": procedure.pk,
        },
    )


def _service_for(path: str, world: World) -> str:
    """The parquet for the parquet's families, the SPIP for the others."""
    parquet_paths = ("/api/v1/situations", "/api/v1/procedures", "/api/v1/judgments")
    return str(world.parquet if path.startswith(parquet_paths) else world.spip)


def _strategy(operation: Any, world: World) -> st.SearchStrategy[Any]:
    """Generated requests, half of them on the world's objects (so that they get past the
    lookups and reach the actions), half on any id."""
    names = re.findall(r"\{([a-z_]+)\}", operation.path)
    known = {name: world.ids[name] for name in names if name in world.ids}
    if not known:
        return operation.as_strategy()
    return st.one_of(operation.as_strategy(), operation.as_strategy(path_parameters=known))


def test_every_operation_answers_as_documented(wsgi_app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    calls = 0
    statuses: dict[int, int] = {}

    for operation in operations:

        @given(case=_strategy(operation, world))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            nonlocal calls
            headers = {
                "Authorization": f"Bearer {world.partner.key}",
                "Idempotency-Key": str(uuid.uuid4()),
                "Jalon-Service": _service_for(case.operation.path, world),
            }
            response = case.call_and_validate(
                app=wsgi_app,
                base_url="http://testserver",
                headers=headers,
                checks=CHECKS,
            )
            calls += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        run()
    assert calls >= len(operations)
    # It reached the code behind the checks: answers read objects, and actions refused some.
    assert statuses.get(200, 0) > 0, statuses
    assert statuses.get(404, 0) > 0 and statuses.get(422, 0) > 0, statuses
