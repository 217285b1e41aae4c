"""The parquet's corrections: a party's role, removing a party or a charge added by mistake,
correcting a charge's facts; each confirmed first, recorded with old → new, safe to send twice,
and refused once the procedure is before the court."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalon.cases.models import Acknowledgement, Charge, Hearing, Orientation, Party, Stage
from jalon.history.models import Event
from tests.cases.world import build_chain_world
from tests.factories import ChargeFactory, PartyFactory, PersonFactory, ProcedureFactory
from tests.queries import assert_queries_do_not_grow

D = datetime.date


@pytest.fixture
def world(org, frozen_now):
    return build_chain_world(org)


@pytest.fixture
def parquet(world, client_for):
    return client_for(world.prosecutor)


@pytest.fixture
def procedure(world):
    return ProcedureFactory(tribunal=world.org.tj_alpha)


def _events(procedure, action):
    return list(
        Event.objects.filter(action=action, target_id=str(procedure.pk)).order_by("created_at")
    )


def test_a_role_is_corrected_after_a_confirmation_that_says_old_and_new(parquet, procedure):
    party = PartyFactory(procedure=procedure, role=Party.Role.VICTIM)
    url = reverse("procedure_party_role", args=[procedure.pk, party.pk])
    assert 'value="victim" selected' in parquet.get(url).content.decode()
    asked = parquet.post(url, {"role": "civil_party"})
    assert asked.status_code == 200
    assert "Victime → <strong>Partie civile</strong>" in asked.content.decode()
    party.refresh_from_db()
    assert party.role == Party.Role.VICTIM  # nothing changed before the confirmation
    for _ in range(2):  # a double click
        done = parquet.post(url, {"role": "civil_party", "confirmer": "1"})
        assert done.status_code == 302
    party.refresh_from_db()
    assert party.role == Party.Role.CIVIL_PARTY
    [event] = _events(procedure, "procedure.party_role_changed")
    assert event.details["before"] == {"role": "victim"}
    assert event.details["after"] == {"role": "civil_party"}
    assert "Victime → Partie civile" in event.details["label"]


def test_a_mis_en_cause_with_offences_keeps_the_role_with_a_french_reason(
    world, parquet, procedure
):
    party = PartyFactory(procedure=procedure, role=Party.Role.SUSPECT)
    ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    url = reverse("procedure_party_role", args=[procedure.pk, party.pk])
    response = parquet.post(url, {"role": "victim", "confirmer": "1"})
    assert response.status_code == 200
    assert "supprimez-les d’abord" in response.content.decode()
    party.refresh_from_db()
    assert party.role == Party.Role.SUSPECT
    assert not _events(procedure, "procedure.party_role_changed")


def test_removing_a_party_confirms_first_takes_its_orientation_and_survives_a_double_click(
    parquet, procedure
):
    party = PartyFactory(procedure=procedure, role=Party.Role.SUSPECT)
    Orientation.objects.create(
        procedure=procedure,
        party=party,
        kind=Orientation.Kind.DISMISSAL,
        reason=Orientation.DismissalReason.UNKNOWN_AUTHOR,
        decided_on=D(2027, 3, 5),
    )
    procedure.stage = Stage.DISMISSED
    procedure.save()
    url = reverse("procedure_party_remove", args=[procedure.pk, party.pk])
    page = parquet.get(url).content.decode()
    assert "Ce qui va se passer" in page
    assert "Classement sans suite" in page
    assert Party.objects.filter(pk=party.pk).exists()
    first = parquet.post(url)
    second = parquet.post(url)
    assert first.status_code == second.status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
    assert not Orientation.objects.filter(procedure=procedure).exists()
    procedure.refresh_from_db()
    assert procedure.stage == Stage.REGISTERED
    [event] = _events(procedure, "procedure.party_removed")
    assert event.details["role"] == "suspect"
    assert event.details["orientations"][0]["kind"] == "dismissal"
    assert party.person.last_name in event.details["label"]
    assert "déjà été retirée" in str(
        list(parquet.get(reverse("procedure_list")).context["messages"])
    )


def test_a_mis_en_cause_with_offences_is_not_removed(world, parquet, procedure):
    party = PartyFactory(procedure=procedure, role=Party.Role.SUSPECT)
    ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    response = parquet.post(reverse("procedure_party_remove", args=[procedure.pk, party.pk]))
    assert response.status_code == 200
    assert "pour 1 infraction(s) : supprimez-les d’abord" in response.content.decode()
    assert Party.objects.filter(pk=party.pk).exists()


def test_removing_a_charge_records_what_it_held_and_survives_a_double_click(
    world, parquet, procedure
):
    charge = ChargeFactory(
        procedure=procedure, offence=world.delit, facts_from=D(2027, 2, 1), place="Gare"
    )
    url = reverse("procedure_charge_remove", args=[procedure.pk, charge.pk])
    assert "ne sera plus poursuivie" in parquet.get(url).content.decode()
    assert parquet.post(url).status_code == 302
    assert parquet.post(url).status_code == 302
    assert not Charge.objects.filter(pk=charge.pk).exists()
    [event] = _events(procedure, "procedure.charge_removed")
    assert event.details["natinf"] == 7001
    assert event.details["facts_from"] == "2027-02-01"
    assert event.details["place"] == "Gare"


def test_a_charge_whose_removal_would_leave_the_orientation_unlawful_stays(
    world, parquet, procedure
):
    party = PartyFactory(procedure=procedure, role=Party.Role.SUSPECT)
    delit = ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    ChargeFactory(procedure=procedure, party=party, offence=world.contravention)
    Orientation.objects.create(
        procedure=procedure, party=party, kind=Orientation.Kind.COPJ, decided_on=D(2027, 3, 5)
    )
    response = parquet.post(reverse("procedure_charge_remove", args=[procedure.pk, delit.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "rendrait impossible l’orientation actuelle" in html
    assert "Modifiez d’abord l’orientation" in html
    assert Charge.objects.filter(pk=delit.pk).exists()
    assert not _events(procedure, "procedure.charge_removed")


def test_a_charges_facts_are_corrected_after_a_confirmation_listing_old_and_new(
    world, parquet, procedure
):
    party = PartyFactory(
        procedure=procedure, role=Party.Role.SUSPECT, person=PersonFactory(birth_date=D(2009, 3, 1))
    )
    charge = ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    url = reverse("procedure_charge_edit", args=[procedure.pk, charge.pk])
    typed = {"facts_from": "15/02/2027", "facts_until": "", "place": "Place Kléber"}
    asked = parquet.post(url, typed)
    html = asked.content.decode()
    assert "Faits du : 01/02/2027 → <strong>15/02/2027</strong>" in html
    assert "Lieu des faits : — → <strong>Place Kléber</strong>" in html
    charge.refresh_from_db()
    assert charge.facts_from == D(2027, 2, 1)
    for _ in range(2):
        assert parquet.post(url, {**typed, "confirmer": "1"}).status_code == 302
    charge.refresh_from_db()
    assert (charge.facts_from, charge.place) == (D(2027, 2, 15), "Place Kléber")
    [event] = _events(procedure, "procedure.charge_updated")
    assert event.details["before"] == {"facts_from": "2027-02-01", "place": ""}
    assert event.details["after"] == {"facts_from": "2027-02-15", "place": "Place Kléber"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"facts_from": "06/07/2027"}, "postérieure à aujourd’hui"),
        ({"facts_from": "31/02/2027"}, "Le 31/02/2027 n’existe pas"),
        ({"facts_from": "10/02/2027", "facts_until": "01/02/2027"}, "précède son début"),
    ],
)
def test_bad_facts_get_a_french_message_keep_what_was_typed_and_save_nothing(
    world, parquet, procedure, typed, message
):
    charge = ChargeFactory(procedure=procedure, offence=world.delit)
    url = reverse("procedure_charge_edit", args=[procedure.pk, charge.pk])
    response = parquet.post(url, {"place": "Rue du Test", "confirmer": "1", **typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Rue du Test"' in html
    charge.refresh_from_db()
    assert charge.facts_from == D(2027, 2, 1)
    assert not _events(procedure, "procedure.charge_updated")


def test_facts_beyond_the_limitation_period_ask_for_an_acknowledgement(world, parquet, procedure):
    charge = ChargeFactory(procedure=procedure, offence=world.delit)
    url = reverse("procedure_charge_edit", args=[procedure.pk, charge.pk])
    typed = {"facts_from": "01/02/2015", "confirmer": "1"}
    asked = parquet.post(url, typed)
    assert asked.status_code == 200
    assert 'data-testid="warnings"' in asked.content.decode()
    charge.refresh_from_db()
    assert charge.facts_from == D(2027, 2, 1)
    code = asked.context["warnings"][0].code
    assert parquet.post(url, {**typed, "acknowledge": code}).status_code == 302
    charge.refresh_from_db()
    assert charge.facts_from == D(2015, 2, 1)
    assert Acknowledgement.objects.filter(charge=charge, code=code).exists()


def _before_the_court(procedure):
    procedure.stage = Stage.AWAITING_HEARING
    procedure.save()
    Hearing.objects.create(
        procedure=procedure,
        court=procedure.tribunal,
        chamber="10e chambre",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        scheduled_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "procedure_party_role",
        "procedure_party_remove",
        "procedure_charge_edit",
        "procedure_charge_remove",
    ],
)
def test_once_a_hearing_exists_every_correction_is_refused_with_its_reason(
    world, parquet, procedure, url_name
):
    party = PartyFactory(procedure=procedure, role=Party.Role.VICTIM)
    charge = ChargeFactory(procedure=procedure, offence=world.delit)
    _before_the_court(procedure)
    target = party.pk if "party" in url_name else charge.pk
    url = reverse(url_name, args=[procedure.pk, target])
    reason = "La procédure est audiencée : le tribunal est saisi de ses personnes"
    assert reason in parquet.get(url).content.decode()
    posted = {
        "role": "civil_party",
        "facts_from": "15/02/2027",
        "place": "Ailleurs",
        "confirmer": "1",
    }
    assert reason in parquet.post(url, posted).content.decode()
    party.refresh_from_db()
    charge.refresh_from_db()
    assert (party.role, charge.place) == (Party.Role.VICTIM, "")
    page = parquet.get(reverse("procedure_detail", args=[procedure.pk])).content.decode()
    assert reverse(url_name, args=[procedure.pk, target]) not in page


def test_a_recorded_judgment_refuses_corrections_because_it_refers_to_the_charges(
    org, world, parquet, make_agent
):
    from jalon.cases.actions import judgments as actions
    from jalon.cases.models import ChargeDecision
    from tests.cases.judgment_world import oriented_case

    case = oriented_case(org)
    actions.record_judgment(
        agent=make_agent("greff_co", service=case.registry),
        procedure=case.procedure,
        party=case.party,
        delivered_on=D(2027, 7, 5),
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[actions.SentenceInput("fine", amount_euros=300)],
    )
    url = reverse("procedure_charge_remove", args=[case.procedure.pk, case.charges[0].pk])
    response = parquet.post(url)
    assert "Un jugement a été rendu dans cette procédure" in response.content.decode()
    assert Charge.objects.filter(pk=case.charges[0].pk).exists()


def test_who_may_correct(world, make_agent, client_for, procedure):
    from tests.cases.judgment_world import oriented_case

    party = PartyFactory(procedure=procedure, role=Party.Role.VICTIM)
    charge = ChargeFactory(procedure=procedure, offence=world.delit)
    trial = oriented_case(world.org)  # the greffe sees it (oriented to a COPJ)
    agents = {
        "parquet_alpha": (world.prosecutor, 200),
        "parquet_beta": (make_agent("parquet", service=world.parquet_beta), 404),
        # A registered procedure is outside the greffe's scope; one sent to trial is in it.
        "greffe_alpha": (make_agent("greff_co", service=world.greffe_alpha), 404),
        "cpip_alpha": (make_agent("cpip", service=world.org.spip_alpha), 404),
        "national": (make_agent("national_admin", service=world.org.national), 403),
    }
    for key, (agent, expected) in agents.items():
        client = client_for(agent)
        urls = [
            reverse("procedure_party_role", args=[procedure.pk, party.pk]),
            reverse("procedure_party_remove", args=[procedure.pk, party.pk]),
            reverse("procedure_charge_edit", args=[procedure.pk, charge.pk]),
            reverse("procedure_charge_remove", args=[procedure.pk, charge.pk]),
        ]
        assert [client.get(url).status_code for url in urls] == [expected] * 4, key
        assert [client.post(url).status_code for url in urls[1::2]] == (
            [302, 302] if expected == 200 else [expected] * 2
        ), key
    greffe = client_for(agents["greffe_alpha"][0])
    url = reverse("procedure_charge_remove", args=[trial.procedure.pk, trial.charges[0].pk])
    assert greffe.get(url).status_code == 403
    assert greffe.post(url).status_code == 403
    assert Charge.objects.filter(pk=trial.charges[0].pk).exists()


def test_the_correction_pages_queries_do_not_grow(world, parquet, procedure):
    party = PartyFactory(procedure=procedure, role=Party.Role.SUSPECT)
    charge = ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    Orientation.objects.create(
        procedure=procedure, party=party, kind=Orientation.Kind.COPJ, decided_on=D(2027, 3, 5)
    )

    def grow():
        for _ in range(5):
            PartyFactory(procedure=procedure, role=Party.Role.VICTIM)
            ChargeFactory(procedure=procedure, party=party, offence=world.delit)

    for url in (
        reverse("procedure_party_role", args=[procedure.pk, party.pk]),
        reverse("procedure_party_remove", args=[procedure.pk, party.pk]),
        reverse("procedure_charge_edit", args=[procedure.pk, charge.pk]),
        reverse("procedure_charge_remove", args=[procedure.pk, charge.pk]),
    ):
        response = assert_queries_do_not_grow(lambda u=url: parquet.get(u), grow, at_most=20)
        assert response.status_code == 200
