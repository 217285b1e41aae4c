"""A parquet's software registers a procedure with its persons and offences through the API:
the screens' actions, all or nothing, errors named by their place, duplicates as 409."""

from __future__ import annotations

import datetime

import pytest

from jalon.api.models import ApiScope, WebhookDelivery, WebhookSubscription
from jalon.cases import checks
from jalon.cases.models import Charge, Party, Procedure
from jalon.history.models import Event
from jalon.people.models import Person
from tests.api.conftest import assert_problem
from tests.cases.world import build_chain_world
from tests.factories import PersonFactory

W, R = ApiScope.PROCEDURES_WRITE, ApiScope.PROCEDURES_READ


@pytest.fixture
def world(org, frozen_now):  # Monday 5 July 2027
    return build_chain_world(org)


@pytest.fixture
def parquet(make_partner, world):
    return make_partner(services=[world.parquet_alpha], scopes=[W, R])


def _body(**extra):
    return {
        "parquet_number": "27/060/42",
        "origin": "police",
        "received_on": "2027-03-01",
        "origin_unit": "Commissariat Alpha",
        "facts_from": "2027-02-01",
        "parties": [
            {
                "role": "suspect",
                "identity": {
                    "last_name": "Durand",
                    "first_names": "Marc",
                    "birth_date": "1990-04-12",
                },
            },
            {
                "role": "victim",
                "identity": {
                    "last_name": "Petit",
                    "first_names": "Lucie",
                    "birth_date": "1992-06-30",
                },
            },
        ],
        "charges": [{"natinf": 7001, "facts_from": "2027-02-01", "place": "Alpha", "party": 0}],
        **extra,
    }


def test_register_a_procedure_with_its_persons_and_offences(api, parquet, world):
    response = api.post("/procedures", parquet.key, _body())
    assert response.status_code == 201, response.content
    body = response.json()
    procedure = Procedure.objects.get(pk=body["id"])
    assert procedure.parquet_number == "27060000042"
    assert procedure.tribunal == world.org.tj_alpha
    assert [(p["last_name"], p["role"]) for p in body["parties"]] == [
        ("DURAND", "suspect"),
        ("PETIT", "victim"),
    ]
    [charge] = body["charges"]
    assert charge["natinf"] == 7001 and charge["qualification"] == "Vol simple"
    assert charge["party_id"] == body["parties"][0]["id"]
    actor = parquet.agent_for(world.parquet_alpha)
    actions = set(Event.objects.for_object(procedure).values_list("action", flat=True))
    assert {"procedure.registered", "procedure.party_added", "procedure.charge_added"} <= actions
    assert set(Event.objects.for_object(procedure).values_list("actor", flat=True)) == {actor.pk}


def test_an_error_in_a_charge_saves_nothing_and_names_its_place(api, parquet, world):
    body = _body(charges=[{"natinf": 7004, "facts_from": "2027-02-01", "party": 0}])
    response = api.post("/procedures", parquet.key, body)
    problem = assert_problem(response, 422, "invalid_request")
    assert problem["errors"][0]["field"] == "charges[0].natinf"
    assert "n’est plus en vigueur" in problem["errors"][0]["message"]
    assert not Procedure.objects.exists()
    assert not Person.objects.filter(last_name="DURAND").exists()


def test_a_charge_must_point_at_a_suspect(api, parquet, world):
    body = _body(charges=[{"natinf": 7001, "facts_from": "2027-02-01", "party": 1}])
    problem = assert_problem(api.post("/procedures", parquet.key, body), 422, "invalid_request")
    assert problem["errors"][0]["field"] == "charges[0].party"
    assert not Procedure.objects.exists()


def test_a_bad_identity_is_named_by_its_place(api, parquet, world):
    body = _body()
    body["parties"][1]["identity"]["birth_date"] = "2031-01-01"
    problem = assert_problem(api.post("/procedures", parquet.key, body), 422, "invalid_request")
    assert problem["errors"][0]["field"] == "parties[1].identity.birth_date"
    assert not Procedure.objects.exists()


def test_a_probable_duplicate_answers_409_then_the_existing_record_is_used(api, parquet, world):
    existing = PersonFactory(
        last_name="Durand", first_names="Marc", birth_date=datetime.date(1990, 4, 12)
    )
    response = api.post("/procedures", parquet.key, _body())
    problem = assert_problem(response, 409, "probable_duplicate")
    assert problem["party"] == 0
    assert [c["id"] for c in problem["candidates"]] == [existing.pk]
    assert not Procedure.objects.exists()

    body = _body()
    body["parties"][0]["person_id"] = existing.pk
    response = api.post("/procedures", parquet.key, body)
    assert response.status_code == 201, response.content
    assert Party.objects.get(role="suspect").person == existing
    assert Person.objects.filter(last_name="DURAND").count() == 1


def test_a_person_neither_seen_nor_found_cannot_be_named(api, parquet, world):
    stranger = PersonFactory(last_name="Autre", first_names="Paul", birth_date="1980-01-01")
    body = _body()
    body["parties"][0]["person_id"] = stranger.pk
    problem = assert_problem(api.post("/procedures", parquet.key, body), 422, "invalid_request")
    assert problem["errors"][0]["field"] == "parties[0].person_id"


def test_warnings_must_be_acknowledged(api, parquet, world):
    # A contravention of January 2025 received in March 2027: the one-year limitation has
    # elapsed, a warning only the magistrate weighs.
    body = _body(
        charges=[{"natinf": 7003, "facts_from": "2025-01-15", "party": 0}],
        facts_from="2025-01-15",
    )
    problem = assert_problem(api.post("/procedures", parquet.key, body), 422, "warnings")
    [warning] = problem["errors"]
    assert warning["code"] == checks.LIMITATION_ELAPSED
    assert "prescription" in warning["message"]
    assert not Procedure.objects.exists()
    response = api.post("/procedures", parquet.key, {**body, "acknowledged": [warning["code"]]})
    assert response.status_code == 201, response.content
    assert Charge.objects.get().offence.number == 7003


def test_only_a_parquet_registers(api, make_partner, world, org):
    spip = make_partner(services=[org.spip_alpha], scopes=[W, R])
    assert_problem(api.post("/procedures", spip.key, _body()), 403, "forbidden")
    reader = make_partner(services=[world.parquet_alpha], scopes=[R])
    assert_problem(api.post("/procedures", reader.key, _body()), 403, "missing_scope")
    assert not Procedure.objects.exists()


def test_the_same_key_replays_and_registers_once(api, parquet, world):
    first = api.post("/procedures", parquet.key, _body(), idempotency_key="proc-1")
    again = api.post("/procedures", parquet.key, _body(), idempotency_key="proc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Procedure.objects.count() == 1


def test_a_known_number_is_refused(api, parquet, make_partner, world):
    assert api.post("/procedures", parquet.key, _body()).status_code == 201
    other = make_partner(services=[world.parquet_alpha], scopes=[W, R])
    problem = assert_problem(api.post("/procedures", other.key, _body()), 422, "invalid_request")
    assert problem["errors"][0]["field"] == "parquet_number"


def test_a_judgment_recorded_later_is_a_webhook_for_the_parquet(api, make_partner, world):
    parquet = make_partner(services=[world.parquet_alpha], scopes=[W, R, ApiScope.WEBHOOKS])
    from jalon.cases.actions.judgments import JUDGMENT_RECORDED
    from jalon.history.actions import record

    WebhookSubscription.objects.create(
        client=parquet.client, url="https://p.test/h", events=["judgment.recorded"]
    )
    procedure = Procedure.objects.get(pk=api.post("/procedures", parquet.key, _body()).json()["id"])
    from jalon.cases.models import Judgment

    judgment = Judgment.objects.create(procedure=procedure, court=world.org.tj_alpha)
    record(JUDGMENT_RECORDED, actor=None, target=procedure, details={"judgment": judgment.pk})
    delivery = WebhookDelivery.objects.get()
    assert '"object":"judgment"' in delivery.body and f'"id":{judgment.pk}' in delivery.body
