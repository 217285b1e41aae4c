"""The procedure screens: registration, page, persons, offences, orientation, list and search."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jalon.cases.models import Acknowledgement, Charge, Orientation, Party, Procedure
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
    """A client logged in as a prosecutor of Parquet Alpha."""
    return client_for(world.prosecutor)


def test_registering_with_the_minimum_opens_the_procedure_page(parquet):
    response = parquet.post(
        reverse("procedure_create"),
        {"parquet_number": "27 060 42", "origin": "gendarmerie", "received_on": "01/03/2027"},
    )
    procedure = Procedure.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("procedure_detail", args=[procedure.pk])
    assert procedure.parquet_number == "27060000042"
    page = parquet.get(response.url)
    assert "Procédure 27 060 000042" in page.content.decode()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"parquet_number": "27-06"}, "parquet_number", "compte 11 chiffres, pas 4"),
        ({"parquet_number": "27A060000042"}, "parquet_number", "ne contient que des chiffres"),
        ({"received_on": ""}, "received_on", "Saisissez la date de réception"),
        ({"facts_from": "06/07/2027"}, "facts_from", "postérieure à aujourd’hui"),
        ({"facts_from": "31/02/2027"}, "facts_from", "Le 31/02/2027 n’existe pas"),
    ],
)
def test_bad_registration_input_gets_a_french_message_and_keeps_what_was_typed(
    parquet, values, field, message
):
    posted = {
        "parquet_number": "27060000042",
        "origin": "police",
        "received_on": "01/03/2027",
        "origin_unit": "Brigade de Test",
        **values,
    }
    response = parquet.post(reverse("procedure_create"), posted)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert 'value="Brigade de Test"' in html
    if values.get("parquet_number"):
        assert f'value="{values["parquet_number"]}"' in html
    assert not Procedure.objects.exists()


def test_only_the_parquet_registers(world, make_agent, client_for):
    response = client_for(make_agent("greff_sap")).get(reverse("procedure_create"))
    assert response.status_code == 403


def test_the_page_records_a_read_of_each_persons_file_and_its_queries_do_not_grow(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    url = reverse("procedure_detail", args=[procedure.pk])

    def grow():
        for _ in range(3):
            party = PartyFactory(procedure=procedure)
            PartyFactory(procedure=procedure, role="victim")
            ChargeFactory(procedure=procedure, party=party, offence=world.delit)
            Orientation.objects.create(
                procedure=procedure, party=party, kind="copj", decided_on=D(2027, 7, 1)
            )

    grow()
    response = assert_queries_do_not_grow(lambda: parquet.get(url), grow)
    assert response.status_code == 200
    assert len(response.context["parties"]) == 12
    reads = Event.objects.filter(action="person.viewed", details__procedure=procedure.pk)
    assert reads.values("target_id").distinct().count() == 12


def test_adding_a_person_then_reusing_the_record_the_duplicate_check_finds(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    existing = PersonFactory(last_name="Lemaire", first_names="Paul", birth_date=D(1980, 4, 2))
    url = reverse("procedure_party_add", args=[procedure.pk])
    typed = {
        "role": "suspect",
        "last_name": "LEMAIRE",
        "first_names": "Paul",
        "birth_date": "02/04/1980",
    }
    response = parquet.post(url, typed)
    assert response.status_code == 200
    assert response.context["report"].probable == [existing]
    assert "Ajouter cette personne" in response.content.decode()
    response = parquet.post(url, {**typed, "use_person": str(existing.pk)})
    assert response.status_code == 302
    party = Party.objects.get()
    assert party.person == existing and party.role == "suspect"


def test_a_person_neither_visible_nor_found_by_the_check_cannot_be_slipped_in(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    stranger = PersonFactory(last_name="Autre", birth_date=D(1970, 1, 1))
    response = parquet.post(
        reverse("procedure_party_add", args=[procedure.pk]),
        {
            "role": "suspect",
            "last_name": "Lemaire",
            "first_names": "Paul",
            "birth_date": "02/04/1980",
            "use_person": str(stranger.pk),
        },
    )
    assert response.status_code == 404
    assert not Party.objects.exists()


def test_a_new_person_without_phone_is_added(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    response = parquet.post(
        reverse("procedure_party_add", args=[procedure.pk]),
        {"role": "victim", "last_name": "Neuf", "first_names": "Anne", "birth_date": "03/03/1993"},
    )
    assert response.status_code == 302
    assert Party.objects.get().person.phone is None


def test_an_unknown_natinf_number_keeps_the_form_and_says_so(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    response = parquet.post(
        reverse("procedure_charge_add", args=[procedure.pk]),
        {"natinf": "123456", "facts_from": "01/02/2027", "place": "Rue du Test"},
    )
    assert response.status_code == 200
    assert "Le numéro NATINF 123456 n’existe pas" in response.context["form"].errors["natinf"][0]
    assert 'value="Rue du Test"' in response.content.decode()
    assert not Charge.objects.exists()


def test_a_limitation_warning_is_acknowledged_with_a_checkbox(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    url = reverse("procedure_charge_add", args=[procedure.pk])
    posted = {"natinf": "7003", "facts_from": "01/12/2025"}
    response = parquet.post(url, posted)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="acknowledge" value="limitation_elapsed"' in html
    assert "01/12/2026" in html
    assert not Charge.objects.exists()
    response = parquet.post(url, {**posted, "acknowledge": "limitation_elapsed"})
    assert response.status_code == 302
    assert Acknowledgement.objects.get().charge == Charge.objects.get()


def test_the_orientation_form_offers_only_what_the_law_allows(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha)
    party = PartyFactory(procedure=procedure, minor_at_facts=True)
    ChargeFactory(procedure=procedure, party=party, offence=world.delit)
    url = reverse("procedure_orient_party", args=[procedure.pk, party.pk])
    html = parquet.get(url).content.decode()
    assert 'value="copj"' in html and 'value="composition"' in html
    assert 'value="crpc"' not in html and 'value="immediate"' not in html
    assert "mineure au moment des faits" in html
    response = parquet.post(url, {"kind": "crpc", "decided_on": "01/07/2027"})
    assert response.status_code == 200
    assert "n’est pas permise" in response.context["form"].errors["kind"][0]
    response = parquet.post(url, {"kind": "copj", "decided_on": "01/07/2027"})
    assert response.status_code == 302
    assert Orientation.objects.get().kind == "copj"


def test_the_list_finds_a_number_however_typed_and_a_person_by_name(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha, parquet_number="27123000042")
    ProcedureFactory(tribunal=world.org.tj_alpha)
    PartyFactory(procedure=procedure, person=PersonFactory(last_name="Écuyer"))
    url = reverse("procedure_list")
    for typed in ("27 123 000042", "27/123/42", "27-123-000042", "ecuyer"):
        found = list(parquet.get(url, {"q": typed}).context["page"])
        assert found == [procedure], typed
    assert list(parquet.get(url, {"q": "27 123 000043"}).context["page"]) == []


def test_the_list_filters_by_stage_and_its_queries_do_not_grow(world, parquet):
    url = reverse("procedure_list")

    def grow():
        for _ in range(3):
            ProcedureFactory(tribunal=world.org.tj_alpha)
            ProcedureFactory(tribunal=world.org.tj_alpha, stage="dismissed")

    grow()
    response = assert_queries_do_not_grow(lambda: parquet.get(url), grow)
    assert response.context["page"].paginator.count == 12
    dismissed = parquet.get(url, {"stage": "dismissed"}).context["page"]
    assert dismissed.paginator.count == 6


def test_completing_keeps_the_number_and_refuses_a_receipt_before_a_charge(world, parquet):
    procedure = ProcedureFactory(tribunal=world.org.tj_alpha, parquet_number="27060000007")
    ChargeFactory(procedure=procedure, offence=world.delit, facts_from=D(2027, 2, 1))
    url = reverse("procedure_edit", args=[procedure.pk])
    response = parquet.post(
        url, {"origin": "police", "received_on": "15/01/2027", "summary": "Vol à l’étalage"}
    )
    assert response.status_code == 200
    assert (
        "une infraction poursuivie date du 01/02/2027"
        in (response.context["form"].errors["received_on"][0])
    )
    assert "Vol à l’étalage" in response.content.decode()
    response = parquet.post(
        url, {"origin": "police", "received_on": "01/03/2027", "parquet_number": "27060000099"}
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.parquet_number == "27060000007"


def test_the_picker_inside_the_offence_form_offers_a_choose_button(world, parquet):
    html = parquet.get(reverse("offence_picker"), {"q": "7001", "pick": "1"}).content.decode()
    assert 'data-pick-natinf="7001"' in html
    plain = parquet.get(reverse("offence_picker"), {"q": "7001"}).content.decode()
    assert "data-pick-natinf" not in plain


def test_the_procedure_page_and_the_hearing_page_link_to_each_other(world, make_agent, client_for):
    from tests.cases.judgment_world import oriented_case

    case = oriented_case(world.org)  # oriented to a COPJ: a trial court is seized
    registered = ProcedureFactory(tribunal=world.org.tj_alpha)
    hearing_url = reverse("procedure_hearing", args=[case.procedure.pk])
    page_url = reverse("procedure_detail", args=[case.procedure.pk])
    for agent in (world.prosecutor, make_agent("greff_co", service=world.greffe_alpha)):
        client = client_for(agent)
        assert f'href="{hearing_url}"' in client.get(page_url).content.decode()
        assert f'href="{page_url}"' in client.get(hearing_url).content.decode()
    parquet = client_for(world.prosecutor)
    html = parquet.get(reverse("procedure_detail", args=[registered.pk])).content.decode()
    assert 'data-testid="hearing-link"' not in html
