"""Situations, procedures and judgments through the API: read-only, in the screens' scope."""

from __future__ import annotations

import datetime

import pytest

from jalon.access.roles import ServiceKind
from jalon.api.models import ApiScope
from jalon.cases.models import Judgment, Sentence, Stage
from jalon.history.models import Event
from tests.api.conftest import assert_problem
from tests.factories import (
    ChargeFactory,
    PartyFactory,
    PersonFactory,
    ProcedureFactory,
    ServiceFactory,
    SituationFactory,
)
from tests.queries import assert_queries_do_not_grow

S, P = ApiScope.SITUATIONS_READ, ApiScope.PROCEDURES_READ


@pytest.fixture
def parquets(org):
    return {
        "alpha": ServiceFactory(
            name="Parquet Alpha", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha
        ),
        "beta": ServiceFactory(
            name="Parquet Beta", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_beta
        ),
    }


@pytest.fixture
def clients(make_partner, parquets, org):
    return {
        "parquet_alpha": make_partner(services=[parquets["alpha"]], scopes=[S, P]),
        "parquet_alpha_situations": make_partner(services=[parquets["alpha"]], scopes=[S]),
        "parquet_beta": make_partner(services=[parquets["beta"]], scopes=[S, P]),
        "bex_alpha": make_partner(services=[org.bex_alpha], scopes=[S, P]),
        "spip_alpha": make_partner(services=[org.spip_alpha], scopes=[S, P]),
    }


@pytest.fixture
def situation(org):
    return SituationFactory(jurisdiction=org.tj_alpha, mec=PersonFactory(last_name="Mec"))


@pytest.fixture
def registered(org):
    """A procedure of TJ Alpha at the bureau d'ordre: the parquet sees it, the BEX does not."""
    procedure = ProcedureFactory(tribunal=org.tj_alpha)
    PartyFactory(procedure=procedure)
    return procedure


@pytest.fixture
def judged(org):
    procedure = ProcedureFactory(tribunal=org.tj_alpha, stage=Stage.JUDGED)
    party = PartyFactory(procedure=procedure, person=PersonFactory(last_name="Prevenu"))
    charge = ChargeFactory(procedure=procedure, party=party)
    judgment = Judgment.objects.create(
        procedure=procedure,
        party=party,
        court=org.tj_alpha,
        court_kind="correctional",
        delivered_on=datetime.date(2027, 5, 3),
        delivery_mode="contradictoire",
    )
    judgment.decisions.create(charge=charge, verdict="guilty")
    Sentence.objects.create(judgment=judgment, kind="suspended", months=6, suspended_months=6)
    return judgment


# --- Situations ---------------------------------------------------------------------------

SITUATION_TABLE = [
    ("parquet_alpha", 200, True),
    ("parquet_alpha_situations", 200, True),
    ("parquet_beta", 404, False),
    ("bex_alpha", 404, False),  # no situation reader at a BEX
    ("spip_alpha", 404, False),
]


@pytest.mark.parametrize(("who", "read", "listed"), SITUATION_TABLE)
def test_situation_access(api, clients, situation, who, read, listed):
    key = clients[who].key
    assert api.get(f"/situations/{situation.pk}", key).status_code == read
    ids = [item["id"] for item in api.get("/situations", key).json()["items"]]
    assert (situation.pk in ids) is listed


def test_situations_need_their_scope(api, make_partner, parquets, situation):
    partner = make_partner(services=[parquets["alpha"]], scopes=[P])
    assert_problem(api.get("/situations", partner.key), 403, "missing_scope")
    assert_problem(api.get(f"/situations/{situation.pk}", partner.key), 403, "missing_scope")


def test_reading_a_situation_is_recorded(api, clients, situation, parquets):
    response = api.get(f"/situations/{situation.pk}", clients["parquet_alpha"].key)
    body = response.json()
    assert body["mec"]["last_name"] == "MEC"
    assert body["policy_code"] == "vif"
    event = Event.objects.for_object(situation).get(action="situation.viewed")
    assert event.details == {"read": "api"}
    assert event.actor == clients["parquet_alpha"].agent_for(parquets["alpha"])


def test_situation_filters(api, clients, situation, org):
    closed = SituationFactory(jurisdiction=org.tj_alpha, closed_on=datetime.date(2027, 1, 4))
    key = clients["parquet_alpha"].key
    open_ids = [item["id"] for item in api.get("/situations", key, open="true").json()["items"]]
    assert open_ids == [situation.pk]
    mine = api.get("/situations", key, person=closed.mec_id).json()["items"]
    assert [item["id"] for item in mine] == [closed.pk]


def test_a_parquet_client_writes_no_situation(clients, parquets, situation):
    from jalon.access.rules import situations as rules

    agent = clients["parquet_alpha"].agent_for(parquets["alpha"])
    assert not rules.can_edit_situation(agent, situation)
    assert not rules.can_create_situation(agent)


def test_the_situation_list_costs_the_same_queries(api, clients, org):
    def grow():
        for _ in range(5):
            SituationFactory(jurisdiction=org.tj_alpha)

    grow()
    assert_queries_do_not_grow(
        lambda: api.get("/situations", clients["parquet_alpha"].key, limit=100), grow, at_most=6
    )


# --- Procedures and judgments -------------------------------------------------------------

# (client) -> registered procedure, judged procedure, the judgment
PROCEDURE_TABLE = [
    ("parquet_alpha", 200, 200, 200),
    ("parquet_beta", 404, 404, 404),
    ("bex_alpha", 404, 200, 200),
    ("spip_alpha", 404, 404, 404),
]


@pytest.mark.parametrize(("who", "registered_status", "judged_status", "judgment"), PROCEDURE_TABLE)
def test_procedure_access(
    api, clients, registered, judged, who, registered_status, judged_status, judgment
):
    key = clients[who].key
    assert api.get(f"/procedures/{registered.pk}", key).status_code == registered_status
    assert api.get(f"/procedures/{judged.procedure_id}", key).status_code == judged_status
    assert api.get(f"/judgments/{judged.pk}", key).status_code == judgment
    ids = {item["id"] for item in api.get("/procedures", key).json()["items"]}
    assert (registered.pk in ids) is (registered_status == 200)
    assert (judged.procedure_id in ids) is (judged_status == 200)


def test_procedures_need_their_scope(api, clients, judged):
    key = clients["parquet_alpha_situations"].key
    assert_problem(api.get("/procedures", key), 403, "missing_scope")
    assert_problem(api.get(f"/judgments/{judged.pk}", key), 403, "missing_scope")


def test_read_a_procedure_with_parties_charges_and_judgments(api, clients, judged, parquets):
    response = api.get(f"/procedures/{judged.procedure_id}", clients["parquet_alpha"].key)
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "judged"
    assert [party["last_name"] for party in body["parties"]] == ["PREVENU"]
    assert body["charges"][0]["party_id"] == judged.party_id
    assert body["judgments"][0]["sentences"][0]["kind"] == "suspended"
    assert body["judgments"][0]["decisions"] == [
        {"charge_id": body["charges"][0]["id"], "verdict": "guilty"}
    ]
    event = Event.objects.for_object(judged.party.person).get(action="person.viewed")
    assert event.details == {"read": "api", "procedure": judged.procedure_id}


def test_read_a_judgment_is_recorded_on_the_defendant(api, clients, judged):
    response = api.get(f"/judgments/{judged.pk}", clients["bex_alpha"].key)
    assert response.json()["person_id"] == judged.party.person_id
    event = Event.objects.for_object(judged.party.person).get(action="person.viewed")
    assert event.details == {"read": "api", "judgment": judged.pk}


def test_procedure_filters(api, clients, registered, judged):
    key = clients["parquet_alpha"].key
    by_stage = api.get("/procedures", key, stage="judged").json()["items"]
    assert [item["id"] for item in by_stage] == [judged.procedure_id]
    by_person = api.get("/procedures", key, person=judged.party.person_id).json()["items"]
    assert [item["id"] for item in by_person] == [judged.procedure_id]
    number = judged.procedure.parquet_number
    by_number = api.get("/procedures", key, parquet_number=number).json()["items"]
    assert [item["id"] for item in by_number] == [judged.procedure_id]
    bad = api.get("/procedures", key, parquet_number="abc")
    assert assert_problem(bad, 422, "invalid_request")["errors"][0]["field"] == "parquet_number"


def test_a_procedure_costs_the_same_queries_with_more_parties(api, clients, judged):
    def grow():
        for _ in range(3):
            party = PartyFactory(procedure=judged.procedure)
            ChargeFactory(procedure=judged.procedure, party=party)

    assert_queries_do_not_grow(
        lambda: api.get(f"/procedures/{judged.procedure_id}", clients["parquet_alpha"].key),
        grow,
        at_most=8,
    )
