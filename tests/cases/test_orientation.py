"""Orientation by the parquet: only what the law allows, re-checked by the action."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jalon.cases.actions import orientation as orienting
from jalon.cases.models import Orientation, Stage
from jalon.history.models import Event
from tests.cases.world import build_chain_world
from tests.factories import ChargeFactory, PartyFactory, PersonFactory, ProcedureFactory

D = datetime.date
K = Orientation.Kind


@pytest.fixture
def world(org, frozen_now):
    return build_chain_world(org)


def case(world, *offences, minor=False):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    party = PartyFactory(procedure=procedure, minor_at_facts=minor)
    for offence in offences:
        ChargeFactory(procedure=procedure, party=party, offence=offence)
    return procedure, party


def orient(world, procedure, party, kind, **values):
    data = orienting.OrientationData(kind=kind, decided_on=D(2027, 7, 1), party=party, **values)
    return orienting.orient(agent=world.prosecutor, procedure=procedure, data=data)


def test_a_crime_is_never_sent_to_crpc_and_the_message_says_why(world):
    procedure, party = case(world, world.crime, world.delit)
    with pytest.raises(ValidationError) as refused:
        orient(world, procedure, party, K.CRPC)
    assert "comporte un crime" in refused.value.message_dict["kind"][0]
    assert not Orientation.objects.exists()
    made = orient(world, procedure, party, K.JUDICIAL_INVESTIGATION)
    assert made.court == "Juge d’instruction (TJ Alpha)"


def test_contraventions_alone_go_to_the_police_court(world):
    procedure, party = case(world, world.contravention)
    with pytest.raises(ValidationError, match="que des contraventions"):
        orient(world, procedure, party, K.DIRECT_SUMMONS)
    assert orient(world, procedure, party, K.POLICE_COURT_SUMMONS).court.startswith(
        "Tribunal de police"
    )


def test_a_contravention_joined_to_a_delit_follows_the_delit(world):
    procedure, party = case(world, world.contravention, world.delit)
    with pytest.raises(ValidationError, match="comporte un délit"):
        orient(world, procedure, party, K.POLICE_COURT_SUMMONS)
    orient(world, procedure, party, K.DIRECT_SUMMONS)


def test_a_minor_at_the_facts_gets_no_crpc_but_a_penal_composition(world):
    procedure, party = case(world, world.delit, minor=True)
    with pytest.raises(ValidationError, match="mineure au moment des faits"):
        orient(world, procedure, party, K.CRPC)
    orient(world, procedure, party, K.PENAL_COMPOSITION)
    assert orienting.choices_for(procedure, party, D(2027, 7, 1)) == [
        value
        for value in K.values
        if value not in {K.CRPC, K.PENAL_ORDER, K.IMMEDIATE_TRIAL, K.POLICE_COURT_SUMMONS}
    ]


def test_a_dismissal_needs_its_reason_and_dismisses_the_procedure(world):
    procedure, party = case(world, world.delit)
    with pytest.raises(ValidationError) as refused:
        orient(world, procedure, party, K.DISMISSAL)
    assert refused.value.message_dict == {"reason": ["Indiquez le motif du classement sans suite."]}
    orient(world, procedure, party, K.DISMISSAL, reason="insufficient")
    procedure.refresh_from_db()
    assert procedure.stage == Stage.DISMISSED
    event = Event.objects.get(action=orienting.ORIENTED)
    assert event.details["label"] == (
        "Classement sans suite — Infraction insuffisamment caractérisée"
    )


def test_a_new_orientation_replaces_the_current_one_and_a_double_click_records_once(world):
    procedure, party = case(world, world.delit)
    first = orient(world, procedure, party, K.DISMISSAL, reason="insufficient")
    assert orient(world, procedure, party, K.DISMISSAL, reason="insufficient").pk == first.pk
    second = orient(world, procedure, party, K.COPJ)
    first.refresh_from_db()
    assert first.superseded_on == D(2027, 7, 1)
    assert list(procedure.orientations.current()) == [second]
    assert second.court == "Tribunal correctionnel (TJ Alpha)"
    procedure.refresh_from_db()
    assert procedure.stage == Stage.ORIENTED


def test_the_rappel_a_la_loi_is_refused_since_2023(world):
    procedure, party = case(world, world.delit)
    with pytest.raises(ValidationError, match="a remplacé le rappel à la loi"):
        orient(world, procedure, party, K.ALTERNATIVE, alternative_kind="rappel_a_la_loi")
    orient(world, procedure, party, K.ALTERNATIVE, alternative_kind="probationary_warning")


def test_a_decision_dated_in_the_future_or_before_receipt_is_refused(world):
    procedure, party = case(world, world.delit)
    data = orienting.OrientationData(kind=K.COPJ, decided_on=D(2027, 7, 6), party=party)
    with pytest.raises(ValidationError, match="d’après aujourd’hui"):
        orienting.orient(agent=world.prosecutor, procedure=procedure, data=data)
    data.decided_on = D(2027, 2, 1)
    with pytest.raises(ValidationError, match="précéder la réception"):
        orienting.orient(agent=world.prosecutor, procedure=procedure, data=data)


def test_a_judged_procedure_is_no_longer_oriented(world):
    procedure, party = case(world, world.delit)
    procedure.stage = Stage.JUDGED
    procedure.save()
    with pytest.raises(ValidationError, match="ne peut plus être orientée"):
        orient(world, procedure, party, K.COPJ)


def test_the_party_must_be_a_suspect_of_this_procedure(world):
    procedure, _ = case(world, world.delit)
    other = PartyFactory(person=PersonFactory())
    with pytest.raises(ValidationError, match="mis en cause de cette procédure"):
        orient(world, procedure, other, K.COPJ)
    with pytest.raises(ValidationError, match="Choisissez le mis en cause"):
        orient(world, procedure, None, K.DISMISSAL, reason="unknown_author")


def test_without_suspect_the_procedure_is_dismissed_as_a_whole(world):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    orient(world, procedure, None, K.DISMISSAL, reason="unknown_author")
    procedure.refresh_from_db()
    assert procedure.stage == Stage.DISMISSED
