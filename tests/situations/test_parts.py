"""Correcting and deleting procedures and measures (Procédures and Mesures tabs)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from jalon.history.models import Event
from jalon.situations.models import Measure, Procedure
from tests.factories import SituationFactory
from tests.situations.world import World


@pytest.fixture
def situation(world: World) -> Any:
    return SituationFactory(jurisdiction=world.org.tj_alpha, mec_procedure_jaf=True)


@pytest.fixture
def procedure(situation: Any) -> Procedure:
    return situation.procedures.create(
        nature="penal", reference="24/123/45", court="TJ Alpha", stage="Enquête"
    )


@pytest.fixture
def measure(situation: Any) -> Measure:
    return situation.measures.create(
        label="Interdiction de contact",
        starts_on=datetime.date(2027, 6, 1),
        ends_on=datetime.date(2027, 12, 1),
    )


def _procedure_data(**overrides: str) -> dict[str, str]:
    data = {
        "nature": "penal",
        "reference": "24/123/45",
        "court": "TJ Alpha",
        "stage": "Jugement",
        "decisions": "Condamnation",
    }
    data.update(overrides)
    return data


def test_the_procedures_tab_links_to_edit_and_delete(
    situation, procedure, people, client_for, frozen_now
):
    page = client_for(people["parquet_alpha"]).get(
        reverse("situation_tab", args=[situation.pk, "procedures"])
    )
    text = page.content.decode()
    assert reverse("situation_procedure_edit", args=[situation.pk, procedure.pk]) in text
    assert reverse("situation_procedure_delete", args=[situation.pk, procedure.pk]) in text


def test_the_edit_form_comes_filled(situation, procedure, people, client_for, frozen_now):
    page = client_for(people["parquet_alpha"]).get(
        reverse("situation_procedure_edit", args=[situation.pk, procedure.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="24/123/45"' in text and 'value="Enquête"' in text


def test_editing_a_procedure_records_before_and_after(
    situation, procedure, people, client_for, frozen_now
):
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_procedure_edit", args=[situation.pk, procedure.pk]), _procedure_data()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("situation_tab", args=[situation.pk, "procedures"])
    procedure.refresh_from_db()
    assert (procedure.stage, procedure.decisions) == ("Jugement", "Condamnation")
    event = Event.objects.get(action="situation.procedure_updated")
    assert event.target_id == str(situation.pk)
    assert event.details["changes"] == {
        "stage": ["Enquête", "Jugement"],
        "decisions": ["", "Condamnation"],
    }


def test_saving_an_unchanged_procedure_writes_no_history(
    situation, procedure, people, client_for, frozen_now
):
    client_for(people["parquet_alpha"]).post(
        reverse("situation_procedure_edit", args=[situation.pk, procedure.pk]),
        _procedure_data(stage="Enquête", decisions=""),
    )
    assert not Event.objects.filter(action="situation.procedure_updated").exists()


def test_a_bad_procedure_keeps_the_typed_values_and_saves_nothing(
    situation, procedure, people, client_for, frozen_now
):
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_procedure_edit", args=[situation.pk, procedure.pk]),
        _procedure_data(reference="", stage="Instruction en cours"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "« Référence (n° de parquet, RG…) » est obligatoire." in text
    assert 'value="Instruction en cours"' in text
    procedure.refresh_from_db()
    assert (procedure.reference, procedure.stage) == ("24/123/45", "Enquête")
    assert not Event.objects.filter(action="situation.procedure_updated").exists()


def test_editing_a_measure_checks_its_dates(situation, measure, people, client_for, frozen_now):
    url = reverse("situation_measure_edit", args=[situation.pk, measure.pk])
    client = client_for(people["parquet_alpha"])
    response = client.post(
        url,
        {"label": "Interdiction de paraître", "starts_on": "01/06/2027", "ends_on": "01/05/2027"},
    )
    text = response.content.decode()
    assert "La fin de la mesure ne peut précéder son début." in text
    assert 'value="Interdiction de paraître"' in text
    measure.refresh_from_db()
    assert measure.label == "Interdiction de contact"
    response = client.post(
        url, {"label": "Interdiction de paraître", "starts_on": "01/06/2027", "ends_on": ""}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.label, measure.ends_on) == ("Interdiction de paraître", None)
    event = Event.objects.get(action="situation.measure_updated")
    assert event.details["changes"] == {
        "label": ["Interdiction de contact", "Interdiction de paraître"],
        "ends_on": ["2027-12-01", None],
    }


def test_deleting_asks_for_confirmation_then_deletes_on_post(
    situation, procedure, people, client_for, frozen_now
):
    url = reverse("situation_procedure_delete", args=[situation.pk, procedure.pk])
    client = client_for(people["parquet_alpha"])
    page = client.get(url)
    assert page.status_code == 200
    assert "La suppression est définitive." in page.content.decode()
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Procedure.objects.filter(pk=procedure.pk).exists()
    event = Event.objects.get(action="situation.procedure_deleted")
    assert event.target_id == str(situation.pk)
    assert event.details["before"]["reference"] == "24/123/45"


def test_deleting_a_measure_keeps_what_it_held_in_history(
    situation, measure, people, client_for, frozen_now
):
    response = client_for(people["parquet_alpha"]).post(
        reverse("situation_measure_delete", args=[situation.pk, measure.pk])
    )
    assert response.status_code == 302
    assert not situation.measures.exists()
    before = Event.objects.get(action="situation.measure_deleted").details["before"]
    assert before == {
        "label": "Interdiction de contact",
        "starts_on": "2027-06-01",
        "ends_on": "2027-12-01",
        "details": "",
    }


@pytest.mark.parametrize(
    "name",
    [
        "situation_procedure_edit",
        "situation_procedure_delete",
        "situation_measure_edit",
        "situation_measure_delete",
    ],
)
def test_a_part_of_another_situation_is_not_found(
    world, situation, procedure, measure, people, client_for, frozen_now, name
):
    """Both situations are visible; the part must belong to the one in the address."""
    other = SituationFactory(jurisdiction=world.org.tj_alpha)
    part = procedure if "procedure" in name else measure
    client = client_for(people["parquet_alpha"])
    assert client.get(reverse(name, args=[other.pk, part.pk])).status_code == 404
    assert client.post(reverse(name, args=[other.pk, part.pk]), {}).status_code == 404
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    assert Measure.objects.filter(pk=measure.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "situation_procedure_edit",
        "situation_procedure_delete",
        "situation_measure_edit",
        "situation_measure_delete",
    ],
)
def test_out_of_scope_parts_are_not_found_and_the_jaf_is_refused(
    situation, procedure, measure, people, client_for, frozen_now, name
):
    part = procedure if "procedure" in name else measure
    url = reverse(name, args=[situation.pk, part.pk])
    assert client_for(people["parquet_beta"]).get(url).status_code == 404
    assert client_for(people["parquet_beta"]).post(url, {}).status_code == 404
    assert client_for(people["jaf_alpha"]).get(url).status_code == 403
    assert client_for(people["jaf_alpha"]).post(url, {}).status_code == 403
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    assert Measure.objects.filter(pk=measure.pk).exists()
