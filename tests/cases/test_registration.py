"""Registration at the bureau d'ordre and completion: minimum first, each addition checked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jalon.cases import checks
from jalon.cases.actions import registration as reg
from jalon.cases.models import Acknowledgement, Charge, Party, Procedure, Stage
from jalon.history.models import Event
from jalon.people.actions import DuplicatePersonError, Identity
from jalon.people.models import Person
from tests.cases.world import build_chain_world
from tests.factories import AgentFactory, PersonFactory, profile

D = datetime.date


@pytest.fixture
def world(org, frozen_now):
    return build_chain_world(org)


def register(world, number="27/060/42", **values):
    data = reg.ProcedureData(parquet_number=number, origin="police", received_on=D(2027, 3, 1))
    for name, value in values.items():
        setattr(data, name, value)
    return reg.register_procedure(agent=world.prosecutor, tribunal=world.org.tj_alpha, data=data)


def test_a_procedure_registers_with_the_minimum_under_its_canonical_number(world):
    procedure = register(world)
    assert procedure.parquet_number == "27060000042"
    assert procedure.stage == Stage.REGISTERED
    assert procedure.registered_by == world.prosecutor
    event = Event.objects.for_object(procedure).get()
    assert event.action == reg.REGISTERED and event.details["parquet_number"] == "27060000042"


def test_a_malformed_number_is_refused_with_a_french_message_and_nothing_saved(world):
    with pytest.raises(ValidationError) as refused:
        register(world, number="27-060")
    assert "11 chiffres, pas 5" in refused.value.message_dict["parquet_number"][0]
    with pytest.raises(ValidationError) as refused:
        register(world, number="27/400/1")
    assert "jour de l’année (400)" in refused.value.message_dict["parquet_number"][0]
    assert not Procedure.objects.exists()


def test_a_number_is_unique_within_a_tribunal_only(world):
    register(world)
    other = AgentFactory(profile=profile("prosecutor"), service=world.parquet_alpha)
    with pytest.raises(ValidationError) as refused:
        reg.register_procedure(
            agent=other,
            tribunal=world.org.tj_alpha,
            data=reg.ProcedureData("27060000042", "police", D(2027, 3, 1)),
        )
    assert "27 060 000042 est déjà enregistré au TJ Alpha" in str(refused.value)
    beta = AgentFactory(profile=profile("parquet"), service=world.parquet_beta)
    reg.register_procedure(
        agent=beta,
        tribunal=world.org.tj_beta,
        data=reg.ProcedureData("27060000042", "police", D(2027, 3, 1)),
    )
    assert Procedure.objects.count() == 2


def test_a_double_click_registers_once(world):
    first = register(world)
    again = register(world, number="27 060 000042")
    assert again.pk == first.pk
    assert Procedure.objects.count() == 1


def test_facts_in_the_future_or_after_receipt_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        register(world, facts_from=D(2027, 7, 6))
    assert "postérieure à aujourd’hui (05/07/2027)" in refused.value.message_dict["facts_from"][0]
    with pytest.raises(ValidationError) as refused:
        register(world, facts_from=D(2027, 3, 2))
    assert "reçue le 01/03/2027" in refused.value.message_dict["facts_from"][0]
    with pytest.raises(ValidationError) as refused:
        register(world, received_on=D(2027, 8, 1))
    assert "received_on" in refused.value.message_dict
    assert not Procedure.objects.exists()


def test_details_are_completed_later_and_the_history_names_the_fields(world):
    procedure = register(world)
    data = reg.ProcedureData(
        "27060000042", "police", D(2027, 3, 1), origin_unit="Commissariat Alpha", summary="Vol"
    )
    changed = reg.update_procedure(agent=world.prosecutor, procedure=procedure, data=data)
    assert changed == ["origin_unit", "summary"]
    assert Event.objects.filter(action=reg.UPDATED, details__fields=changed).exists()


def identity(**values):
    base = {"last_name": "Dupont", "first_names": "Marc", "birth_date": D(1990, 1, 1)}
    return Identity(**{**base, **values})


def test_a_new_person_goes_through_the_duplicate_check_and_becomes_a_party(world):
    procedure = register(world)
    party = reg.add_new_person(
        agent=world.prosecutor, procedure=procedure, role="suspect", identity=identity()
    )
    assert party.person.follows.filter(service=world.parquet_alpha).exists()
    assert Event.objects.filter(action=reg.PARTY_ADDED, details__party=party.pk).exists()
    with pytest.raises(DuplicatePersonError) as duplicate:
        reg.add_new_person(
            agent=world.prosecutor,
            procedure=procedure,
            role="victim",
            identity=identity(first_names="Marc"),
        )
    assert duplicate.value.report.probable == [party.person]
    assert Person.objects.count() == 1 and Party.objects.count() == 1


def test_an_existing_person_is_added_once_per_role(world):
    procedure = register(world)
    person = PersonFactory()
    first = reg.add_existing_person(
        agent=world.prosecutor, procedure=procedure, role="victim", person=person
    )
    assert not person.follows.exists()  # linking opens none of their MSJ data (MSJ-41)
    again = reg.add_existing_person(
        agent=world.prosecutor, procedure=procedure, role="victim", person=person
    )
    assert first.pk == again.pk
    assert Event.objects.filter(action=reg.PARTY_ADDED).count() == 1


def test_the_duplicate_candidates_are_those_the_national_check_finds(world):
    elsewhere = PersonFactory(last_name="Durand", first_names="Léa", birth_date=D(1985, 2, 3))
    found = reg.duplicate_candidates(
        identity(last_name="DURAND", first_names="Lea", birth_date=D(1985, 2, 3))
    )
    assert found == {elsewhere.pk}


FEBRUARY_FIRST = D(2027, 2, 1)


def charge(world, procedure, natinf, facts=FEBRUARY_FIRST, party=None, acknowledged=()):
    return reg.add_charge(
        agent=world.prosecutor,
        procedure=procedure,
        data=reg.ChargeData(natinf=natinf, facts_from=facts, party=party),
        acknowledged=acknowledged,
    )


def test_a_charge_freezes_the_qualification_and_sets_minority_at_the_facts(world):
    procedure = register(world)
    party = reg.add_new_person(
        agent=world.prosecutor,
        procedure=procedure,
        role="suspect",
        identity=identity(birth_date=D(2009, 6, 1)),
    )
    assert party.minor_at_facts is None  # facts date unknown yet
    added = charge(world, procedure, 7001, party=party)
    assert added.qualification_text == "Vol simple"
    party.refresh_from_db()
    assert party.minor_at_facts is True  # 17 on 1 February 2027
    world.delit.qualification = "Vol (nouveau libellé)"
    world.delit.save()
    added.refresh_from_db()
    assert added.qualification_text == "Vol simple"


def test_an_unknown_or_retired_natinf_number_is_refused_precisely(world):
    procedure = register(world)
    with pytest.raises(ValidationError) as refused:
        charge(world, procedure, 999)
    assert "Le numéro NATINF 999 n’existe pas" in refused.value.message_dict["natinf"][0]
    with pytest.raises(ValidationError) as refused:
        charge(world, procedure, 7004, facts=D(2027, 2, 1))
    assert "plus en vigueur depuis le 01/01/2027" in refused.value.message_dict["natinf"][0]
    charge(world, procedure, 7004, facts=D(2026, 12, 31))  # in force on the day of the facts
    assert Charge.objects.count() == 1


def test_charge_facts_in_the_future_are_refused(world):
    procedure = register(world)
    with pytest.raises(ValidationError) as refused:
        charge(world, procedure, 7001, facts=D(2027, 7, 6))
    assert "facts_from" in refused.value.message_dict


def test_old_facts_warn_and_save_only_once_acknowledged_which_is_recorded(world):
    procedure = register(world)
    with pytest.raises(checks.WarningsToAcknowledge) as asked:
        charge(world, procedure, 7003, facts=D(2025, 12, 1))
    [warning] = asked.value.warnings
    assert "01/12/2026" in warning.message  # one year for a contravention
    assert not Charge.objects.exists()
    added = charge(
        world, procedure, 7003, facts=D(2025, 12, 1), acknowledged={checks.LIMITATION_ELAPSED}
    )
    ack = Acknowledgement.objects.get()
    assert ack.charge == added and ack.agent == world.prosecutor
    assert ack.code == checks.LIMITATION_ELAPSED and "01/12/2026" in ack.message
    assert Event.objects.filter(action="procedure.warning_acknowledged").count() == 1


def test_a_double_click_adds_the_charge_once(world):
    procedure = register(world)
    charge(world, procedure, 7001)
    charge(world, procedure, 7001)
    assert Charge.objects.count() == 1


def test_a_charge_against_someone_not_a_suspect_of_the_procedure_is_refused(world):
    procedure = register(world)
    victim = reg.add_existing_person(
        agent=world.prosecutor, procedure=procedure, role="victim", person=PersonFactory()
    )
    with pytest.raises(ValidationError) as refused:
        charge(world, procedure, 7001, party=victim)
    assert "party" in refused.value.message_dict
