"""Penal procedures (issue 14, point 10) as tables of real HTTP requests.

**One scope** (``procedures_visible_to``): every profile kind (parquet, greffe correctionnel,
siège pénal, JAF, BEX, SAP, SPIP, siège and parquet général of the court of appeal, national
admin, another TJ's parquet) × every stage of a procedure × the four ways in: the list, the
search by numéro de parquet, the procedure page and the hearing page → found / 200, or absent
/ 404, the same everywhere; the menu entry shows exactly when the scope is not empty, and the
person page lists the same procedures.
**Changes**: registering, completing and orienting → 200 for the parquet of the TJ, 403 for
those who see the procedure without changing it, 404 for those who do not see it. Written by
hand from docs/access.md (« Procédures pénales »), not derived from the rules under test.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.cases.models import Orientation, Party, Stage
from tests.cases.world import build_chain_world
from tests.factories import PartyFactory, PersonFactory, ProcedureFactory, ServiceFactory


@pytest.fixture
def world(org):
    return build_chain_world(org)


def _agents(world, make_agent):
    org = world.org
    siege_ca = ServiceFactory(
        name="Chambre des appels correctionnels", kind=ServiceKind.BENCH, jurisdiction=org.ca
    )
    return {
        "prosecutor_alpha": world.prosecutor,
        "procureur_alpha": make_agent("procureur_republique", service=world.parquet_alpha),
        "parquet_alpha": make_agent("parquet", service=world.parquet_alpha),
        "parquet_beta": make_agent("parquet", service=world.parquet_beta),
        "greffe_alpha": make_agent("greff_co", service=world.greffe_alpha),
        "siege_penal_alpha": make_agent("juge_penal", service=world.siege_alpha),
        "jaf_alpha": make_agent("jaf_tj", service=world.siege_alpha),
        "bex_alpha": make_agent("bex", service=org.bex_alpha),
        "sap_alpha": make_agent("greff_sap", service=org.sap_alpha),
        "jap_alpha": make_agent("jap", service=org.sap_alpha),
        "cpip_alpha": make_agent("cpip", service=org.spip_alpha),
        "siege_ca": make_agent("juge_penal", service=siege_ca),
        "procureur_general": make_agent("procureur_general", service=world.parquet_general),
        "parquet_general_other": make_agent("parquet_general", service=world.parquet_general_other),
        "national": make_agent("national_admin", service=org.national),
    }


D = datetime.date
SUPERSEDED = D(2027, 3, 10)


def _orient(procedure, party, kind, *, superseded_on=None):
    details = {
        Orientation.Kind.DISMISSAL: {"reason": Orientation.DismissalReason.NO_OFFENCE},
        Orientation.Kind.ALTERNATIVE: {
            "alternative_kind": Orientation.AlternativeKind.PROBATIONARY_WARNING
        },
    }.get(kind, {})
    Orientation.objects.create(
        procedure=procedure,
        party=party,
        kind=kind,
        decided_on=D(2027, 3, 5),
        superseded_on=superseded_on,
        **details,
    )


def _stages(world, person):
    """One procedure of TJ Alpha at each stage (with the orientations that lead there), one of
    TJ Beta, one under appeal before another CA; ``person`` is the mis en cause of each."""
    org = world.org
    made = {}

    def make(key, tribunal=org.tj_alpha, orientation=None, **values):
        procedure = ProcedureFactory(tribunal=tribunal, **values)
        party = PartyFactory(procedure=procedure, person=person, role=Party.Role.SUSPECT)
        if orientation is not None:
            _orient(procedure, party, orientation)
        made[key] = procedure
        return procedure, party

    K = Orientation.Kind
    make("registered")
    make("dismissed", stage=Stage.DISMISSED, orientation=K.DISMISSAL)
    make("alternative", stage=Stage.ORIENTED, orientation=K.ALTERNATIVE)
    make("investigation", stage=Stage.ORIENTED, orientation=K.JUDICIAL_INVESTIGATION)
    procedure, party = make("copj_then_alternative", stage=Stage.ORIENTED)
    _orient(procedure, party, K.COPJ, superseded_on=SUPERSEDED)
    _orient(procedure, party, K.ALTERNATIVE)
    make("oriented_to_trial", stage=Stage.ORIENTED, orientation=K.COPJ)
    make("awaiting_hearing", stage=Stage.AWAITING_HEARING, orientation=K.CPPV)
    make("judged", stage=Stage.JUDGED, orientation=K.COPJ)
    make("under_appeal", stage=Stage.UNDER_APPEAL, court_of_appeal=org.ca, orientation=K.COPJ)
    make("to_execute", stage=Stage.TO_EXECUTE, orientation=K.CRPC)
    make("in_execution", stage=Stage.IN_EXECUTION, orientation=K.COPJ)
    make("appeal_ruled", stage=Stage.TO_EXECUTE, court_of_appeal=org.ca, orientation=K.COPJ)
    make("beta_judged", tribunal=org.tj_beta, stage=Stage.JUDGED, orientation=K.COPJ)
    make(
        "gamma_appeal",
        tribunal=world.tj_gamma,
        stage=Stage.UNDER_APPEAL,
        court_of_appeal=world.ca_other,
        orientation=K.COPJ,
    )
    return made


BEFORE_TRIAL = {"registered", "dismissed", "alternative", "investigation", "copj_then_alternative"}
JUDGED = {"judged", "under_appeal", "to_execute", "in_execution", "appeal_ruled"}
SENT_TO_TRIAL = {"oriented_to_trial", "awaiting_hearing", *JUDGED}
ALPHA = BEFORE_TRIAL | SENT_TO_TRIAL
BEFORE_THE_CA = {"under_appeal", "appeal_ruled"}
STAGE_KEYS = sorted(ALPHA | {"beta_judged", "gamma_appeal"})

VISIBLE = {
    # The parquet registers and orients: all of its TJ's procedures, at every stage.
    "prosecutor_alpha": ALPHA,
    "procureur_alpha": ALPHA,
    "parquet_alpha": ALPHA,
    "parquet_beta": {"beta_judged"},
    # The greffe schedules hearings and records judgments; the siège pénal judges: what is
    # sent to a trial court (a current trial orientation) or further, in their TJ.
    "greffe_alpha": SENT_TO_TRIAL,
    "siege_penal_alpha": SENT_TO_TRIAL,
    # A JAF sits at the siège without the judgment capability: no procedure.
    "jaf_alpha": set(),
    # The BEX executes: the judged procedures of its TJ.
    "bex_alpha": JUDGED,
    # SAP and SPIP see the measures they follow (their own table), never a procedure.
    "sap_alpha": set(),
    "jap_alpha": set(),
    "cpip_alpha": set(),
    # The court of appeal: the procedures brought before it from its ressort.
    "siege_ca": BEFORE_THE_CA,
    "procureur_general": BEFORE_THE_CA,
    "parquet_general_other": {"gamma_appeal"},
    "national": set(STAGE_KEYS),
}


@pytest.mark.parametrize("agent_key", sorted(VISIBLE))
def test_one_scope_for_the_list_the_search_the_procedure_and_hearing_pages(
    world, make_agent, client_for, agent_key
):
    person = PersonFactory(followed_by=[world.org.sap_alpha])
    made = _stages(world, person)
    client = client_for(_agents(world, make_agent)[agent_key])
    expected = VISIBLE[agent_key]
    listing = client.get(reverse("procedure_list"))
    assert listing.context["nav_procedures"] == bool(expected)
    listed = {p.pk for p in listing.context["page"]}
    seen = {}
    for key in STAGE_KEYS:
        procedure = made[key]
        found = client.get(
            reverse("procedure_list"), {"q": procedure.parquet_number_display}
        ).context["page"]
        seen[key] = (
            procedure.pk in listed,
            [p.pk for p in found] == [procedure.pk],
            client.get(reverse("procedure_detail", args=[procedure.pk])).status_code,
            client.get(reverse("procedure_hearing", args=[procedure.pk])).status_code,
        )
    assert seen == {
        key: (True, True, 200, 200) if key in expected else (False, False, 404, 404)
        for key in STAGE_KEYS
    }
    page = client.get(reverse("person_detail", args=[person.pk]))
    if page.status_code == 200:
        parties = page.context["overview"].parties
        if not expected:  # no « Procédures » section at all (SAP and SPIP see measures only)
            assert parties is None
        else:
            assert {party.procedure_id for party in parties} == {made[key].pk for key in expected}


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


# The four procedures of the change tables, per agent (a subset of the table above).
SEES = {
    agent: {
        name
        for name, stage_key in (
            ("alpha", "registered"),
            ("alpha_appeal", "under_appeal"),
            ("beta", "beta_judged"),
            ("gamma_appeal", "gamma_appeal"),
        )
        if stage_key in keys
    }
    for agent, keys in VISIBLE.items()
}
PROCEDURE_KEYS = ["alpha", "alpha_appeal", "beta", "gamma_appeal"]


REGISTERS = {"prosecutor_alpha", "procureur_alpha", "parquet_alpha", "parquet_beta"}


@pytest.mark.parametrize("agent_key", sorted(VISIBLE))
def test_who_registers_a_procedure(world, make_agent, client_for, agent_key):
    client = client_for(_agents(world, make_agent)[agent_key])
    response = client.get(reverse("procedure_create"))
    assert response.status_code == (200 if agent_key in REGISTERS else 403)


def _expected_change(agent_key, procedure_key, orienting):
    if procedure_key not in SEES[agent_key]:
        return 404
    own_parquet = agent_key in REGISTERS
    if not own_parquet:
        return 403
    if orienting and procedure_key == "alpha_appeal":
        return 403  # under appeal: no longer oriented
    return 200


CHANGE_SCREENS = (
    "procedure_edit",
    "procedure_party_add",
    "procedure_charge_add",
    "procedure_orient",
)


@pytest.mark.parametrize("agent_key", sorted(VISIBLE))
def test_who_completes_and_orients_which_procedure(world, make_agent, client_for, agent_key):
    client = client_for(_agents(world, make_agent)[agent_key])
    procedures = _procedures(world)
    answers = {
        (procedure_key, url_name): client.get(
            reverse(url_name, args=[procedures[procedure_key].pk])
        ).status_code
        for procedure_key in PROCEDURE_KEYS
        for url_name in CHANGE_SCREENS
    }
    assert answers == {
        (procedure_key, url_name): _expected_change(
            agent_key, procedure_key, url_name == "procedure_orient"
        )
        for procedure_key in PROCEDURE_KEYS
        for url_name in CHANGE_SCREENS
    }


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
