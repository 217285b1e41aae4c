"""What each benchmarked endpoint costs in SQL queries (``bench/api.py``): a fixed number,
the same with one row as with many (a query per row would fail), the booking included.

The counts are those of a client already used this minute (its last use is then not
written again); the transaction statements of a write are counted (BEGIN and COMMIT, here
a savepoint and its release inside the test's transaction)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jalon.appointments.models import Appointment
from jalon.sms.models import Message
from tests.dates import working_day_at
from tests.factories import (
    AppointmentFactory,
    OffenceFactory,
    PersonFactory,
    SlotFactory,
    appointment_type,
)

# Authentication (the client, its identities and their agents, in one query) and the
# agent's ressort (its jurisdictions and services, in one query).
CALLER = 2
# The person's ``person.viewed`` event.
READ_RECORDED = 1


def _queries(run: Callable[[], Any]) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, [query["sql"] for query in captured.captured_queries]


def assert_fixed_queries(
    expected: int, run: Callable[[], Any], grow: Callable[[], object] | None = None
) -> Any:
    """``run`` makes exactly ``expected`` queries, and again after ``grow`` added rows."""
    run()  # warm-up: the client's last use is written once a minute
    response, first = _queries(run)
    assert response.status_code in (200, 201), response.content
    assert len(first) == expected, f"{len(first)} queries:\n" + "\n".join(first)
    if grow is None:
        return response
    grow()
    response, again = _queries(run)
    assert len(again) == expected, f"{len(again)} queries with more rows:\n" + "\n".join(again)
    return response


@pytest.fixture
def person(org):
    return PersonFactory(last_name="Martin", followed_by=[org.spip_alpha])


def _more_persons(org: Any) -> Callable[[], None]:
    def grow() -> None:
        for _ in range(12):
            PersonFactory(last_name="Martin", followed_by=[org.spip_alpha, org.sap_alpha])

    return grow


# --- Reads ---------------------------------------------------------------------------------


def test_person_list(api, partner, org, person):
    response = assert_fixed_queries(
        CALLER + 1,
        lambda: api.get("/persons", partner.key, archived="false", limit=100),
        _more_persons(org),
    )
    assert len(response.json()["items"]) == 13


def test_person_search(api, partner, org, person):
    response = assert_fixed_queries(
        CALLER + 1, lambda: api.get("/persons", partner.key, q="martin"), _more_persons(org)
    )
    assert len(response.json()["items"]) == 13


def test_person_file(api, partner, org, person):
    def more_follows() -> None:
        person.follows.create(service=org.sap_alpha)
        person.follows.create(service=org.bex_alpha)

    # The person, the services that follow them.
    response = assert_fixed_queries(
        CALLER + 2 + READ_RECORDED,
        lambda: api.get(f"/persons/{person.pk}", partner.key),
        more_follows,
    )
    assert len(response.json()["followed_by"]) == 3


def test_a_persons_convocations(api, partner, person, agendas):
    def grow() -> None:
        for day in range(2, 8):
            AppointmentFactory(
                person=person, agenda=agendas.spip_alpha, starts_at=working_day_at(day)
            )

    grow()
    # The person, their convocations with type, agenda, place and service.
    response = assert_fixed_queries(
        CALLER + 2 + READ_RECORDED,
        lambda: api.get(f"/persons/{person.pk}/convocations", partner.key, limit=100),
        grow,
    )
    assert len(response.json()["items"]) == 12


def test_one_convocation(api, partner, person, agendas):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    # The convocation with its type, agenda, place, service and person.
    response = assert_fixed_queries(
        CALLER + 1 + READ_RECORDED, lambda: api.get(f"/convocations/{appointment.pk}", partner.key)
    )
    assert response.json()["place_name"] == "SPIP Alpha — siège"


def test_agendas(api, partner, org, agendas):
    def grow() -> None:
        for _ in range(4):
            SlotFactory(agenda=agendas.spip_alpha)
        agendas.spip_alpha.place.agendas.create(name="Deuxième agenda")

    response = assert_fixed_queries(CALLER + 1, lambda: api.get("/agendas", partner.key), grow)
    assert len(response.json()["items"]) == 3


def test_free_slots(api, partner, agendas):
    def grow() -> None:
        for _ in range(6):
            SlotFactory(agenda=agendas.spip_alpha)

    grow()
    # The agenda, its slots with their type.
    response = assert_fixed_queries(
        CALLER + 2,
        lambda: api.get(f"/agendas/{agendas.spip_alpha.pk}/free-slots", partner.key, limit=100),
        grow,
    )
    assert len(response.json()["items"]) == 12


def test_offences(api, partner):
    def grow() -> None:
        for _ in range(6):
            OffenceFactory()

    grow()
    # A referential: no ressort needed, the offences.
    response = assert_fixed_queries(
        CALLER - 1 + 1, lambda: api.get("/referentials/offences", partner.key, q="9"), grow
    )
    assert len(response.json()) == 12


def test_services(api, partner):
    # The services, the jurisdictions each serves (one prefetch).
    response = assert_fixed_queries(
        CALLER - 1 + 2, lambda: api.get("/referentials/services", partner.key, limit=100)
    )
    assert response.json()["items"]


# --- Booking -------------------------------------------------------------------------------

# BEGIN, the idempotency record claimed (one statement), ..., its answer written, COMMIT.
IDEMPOTENCY = 4
# The person's row locked (and the agenda checked), the overlap, the convocation, the
# follow (one insert, ignored when there), the reminder: its service's delay, the message,
# its event, its sending job; both history events (one insert), the webhook subscriptions.
BOOKING_ACTION = 10


def test_booking_on_a_date(api, partner, org, agendas):
    when = working_day_at(20, 10, service=org.spip_alpha).isoformat()
    kind = appointment_type("spip_follow_up").pk
    bodies = iter(
        [
            {
                "person_id": PersonFactory(followed_by=[org.spip_alpha]).pk,
                "appointment_type_id": kind,
                "agenda_id": agendas.spip_alpha.pk,
                "starts_at": when,
            }
            for _ in range(2)
        ]
    )

    def run() -> Any:
        return api.post("/convocations", partner.key, next(bodies))

    # The person, the agent's type list, whether they book without slot anywhere, the agenda.
    assert_fixed_queries(CALLER + IDEMPOTENCY + 4 + BOOKING_ACTION, run)
    assert Appointment.objects.count() == 2
    assert Message.objects.filter(kind="reminder").count() == 2


def test_booking_on_a_slot(api, partner, org, agendas):
    kind = appointment_type("sortie_audience_spip")
    bodies = iter(
        [
            {
                "person_id": PersonFactory(followed_by=[org.spip_alpha]).pk,
                "slot_id": SlotFactory(
                    agenda=agendas.spip_alpha,
                    appointment_type=kind,
                    starts_at=working_day_at(20, 10 + hour, service=org.spip_alpha),
                ).pk,
            }
            for hour in range(2)
        ]
    )

    def run() -> Any:
        return api.post("/convocations", partner.key, next(bodies))

    # The person, the agent's type list, the slot; then the slot as it is now and its place
    # taken (a conditional update).
    assert_fixed_queries(CALLER + IDEMPOTENCY + 3 + 2 + BOOKING_ACTION, run)
    assert Appointment.objects.filter(slot__isnull=False).count() == 2
