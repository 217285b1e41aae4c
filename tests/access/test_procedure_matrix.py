"""Penal procedures (issue 14, point 10) as tables of real HTTP requests.

**Visibility**: each profile at its service, against a procedure of its own TJ, of another TJ
of the same CA, under appeal before its CA, under appeal before another CA → 200 or 404.
**Changes**: registering, completing and orienting → 200 for the parquet of the TJ, 403 for
those who see the procedure without changing it, 404 for those who do not see it. Written by
hand from docs/access.md (« Procédures pénales »), not derived from the rules under test.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.cases.models import Stage
from tests.cases.world import build_chain_world
from tests.factories import ProcedureFactory


@pytest.fixture
def world(org):
    return build_chain_world(org)


def _agents(world, make_agent):
    org = world.org
    return {
        "prosecutor_alpha": world.prosecutor,
        "procureur_alpha": make_agent("procureur_republique", service=world.parquet_alpha),
        "parquet_alpha": make_agent("parquet", service=world.parquet_alpha),
        "parquet_beta": make_agent("parquet", service=world.parquet_beta),
        "procureur_general": make_agent("procureur_general", service=world.parquet_general),
        "parquet_general_other": make_agent("parquet_general", service=world.parquet_general_other),
        "greffe_alpha": make_agent("greff_co", service=world.greffe_alpha),
        "jaf_alpha": make_agent("jaf_tj", service=world.siege_alpha),
        "bex_alpha": make_agent("bex", service=org.bex_alpha),
        "sap_alpha": make_agent("greff_sap", service=org.sap_alpha),
        "cpip_alpha": make_agent("cpip", service=org.spip_alpha),
        "national": make_agent("national_admin", service=org.national),
    }


def _procedures(world):
    org = world.org
    return {
        "alpha": ProcedureFactory(tribunal=org.tj_alpha),
        "alpha_appeal": ProcedureFactory(
            tribunal=org.tj_alpha, stage=Stage.UNDER_APPEAL, court_of_appeal=org.ca
        ),
        "beta": ProcedureFactory(tribunal=org.tj_beta),
        "gamma_appeal": ProcedureFactory(
            tribunal=world.tj_gamma, stage=Stage.UNDER_APPEAL, court_of_appeal=world.ca_other
        ),
    }


ALPHA = {"alpha", "alpha_appeal"}
VISIBLE = {
    "prosecutor_alpha": ALPHA,
    "procureur_alpha": ALPHA,
    "parquet_alpha": ALPHA,
    "parquet_beta": {"beta"},
    "procureur_general": {"alpha_appeal"},
    "parquet_general_other": {"gamma_appeal"},
    # The hearing/judgment step grants these their reads; until then, nothing.
    "greffe_alpha": set(),
    "jaf_alpha": set(),
    "bex_alpha": set(),
    "sap_alpha": set(),
    "cpip_alpha": set(),
    "national": {"alpha", "alpha_appeal", "beta", "gamma_appeal"},
}
PROCEDURE_KEYS = ["alpha", "alpha_appeal", "beta", "gamma_appeal"]


@pytest.mark.parametrize(
    ("agent_key", "procedure_key"),
    [(agent, procedure) for agent in sorted(VISIBLE) for procedure in PROCEDURE_KEYS],
)
def test_who_opens_which_procedure(world, make_agent, client_for, agent_key, procedure_key):
    agent = _agents(world, make_agent)[agent_key]
    procedure = _procedures(world)[procedure_key]
    client = client_for(agent)
    response = client.get(reverse("procedure_detail", args=[procedure.pk]))
    assert response.status_code == (200 if procedure_key in VISIBLE[agent_key] else 404)
    listed = {p.pk for p in client.get(reverse("procedure_list")).context["page"]}
    assert (procedure.pk in listed) == (procedure_key in VISIBLE[agent_key])


REGISTERS = {"prosecutor_alpha", "procureur_alpha", "parquet_alpha", "parquet_beta"}


@pytest.mark.parametrize("agent_key", sorted(VISIBLE))
def test_who_registers_a_procedure(world, make_agent, client_for, agent_key):
    client = client_for(_agents(world, make_agent)[agent_key])
    response = client.get(reverse("procedure_create"))
    assert response.status_code == (200 if agent_key in REGISTERS else 403)


def _expected_change(agent_key, procedure_key, orienting):
    if procedure_key not in VISIBLE[agent_key]:
        return 404
    own_parquet = agent_key in REGISTERS and procedure_key in VISIBLE[agent_key]
    if not own_parquet:
        return 403
    if orienting and procedure_key == "alpha_appeal":
        return 403  # under appeal: no longer oriented
    return 200


@pytest.mark.parametrize(
    ("agent_key", "procedure_key", "url_name"),
    [
        (agent, procedure, url_name)
        for agent in sorted(VISIBLE)
        for procedure in PROCEDURE_KEYS
        for url_name in (
            "procedure_edit",
            "procedure_party_add",
            "procedure_charge_add",
            "procedure_orient",
        )
    ],
)
def test_who_completes_and_orients_which_procedure(
    world, make_agent, client_for, agent_key, procedure_key, url_name
):
    agent = _agents(world, make_agent)[agent_key]
    procedure = _procedures(world)[procedure_key]
    response = client_for(agent).get(reverse(url_name, args=[procedure.pk]))
    expected = _expected_change(agent_key, procedure_key, url_name == "procedure_orient")
    assert response.status_code == expected


def test_a_post_outside_scope_changes_nothing(world, make_agent, client_for):
    beta = _procedures(world)["beta"]
    client = client_for(world.prosecutor)
    response = client.post(
        reverse("procedure_edit", args=[beta.pk]),
        {"origin": "complaint", "received_on": "01/03/2027"},
    )
    assert response.status_code == 404
    beta.refresh_from_db()
    assert beta.origin == "police"


def test_procedures_of_a_person_are_scoped_to_the_agent(world, make_agent):
    from jalon.access.rules.cases import procedures_of
    from tests.factories import PartyFactory, PersonFactory

    made = _procedures(world)
    person = PersonFactory()
    for key in ("alpha", "beta"):
        PartyFactory(procedure=made[key], person=person)
    agents = _agents(world, make_agent)
    assert list(procedures_of(agents["parquet_alpha"], person)) == [made["alpha"]]
    assert list(procedures_of(agents["parquet_beta"], person)) == [made["beta"]]
    assert list(procedures_of(agents["cpip_alpha"], person)) == []
    assert set(procedures_of(agents["national"], person)) == {made["alpha"], made["beta"]}
