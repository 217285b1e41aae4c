"""Search of the persons by numéro de parquet (exact), through real requests, in scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.access.rules.appointments import appointments_visible_to
from jalon.appointments.models import Appointment
from tests.factories import (
    AppointmentFactory,
    PartyFactory,
    PersonFactory,
    ProcedureFactory,
    ServiceFactory,
)

NUMBER = "27123000042"


def names(response) -> list[str]:
    return [str(person) for person in response.context["page"]]


@pytest.fixture
def numbered(org, agendas):
    """Two persons of ressort Alpha with numbered convocations, one of ressort Beta."""
    leveque = PersonFactory(last_name="Lévêque", first_names="Jean", followed_by=[org.spip_alpha])
    AppointmentFactory(person=leveque, agenda=agendas.spip_alpha, prosecution_number=NUMBER)
    other = PersonFactory(last_name="Martin", first_names="Paul", followed_by=[org.spip_alpha])
    AppointmentFactory(person=other, agenda=agendas.spip_alpha, prosecution_number="27123000043")
    beta = PersonFactory(last_name="Bernard", first_names="Luc", followed_by=[org.sap_beta])
    AppointmentFactory(person=beta, agenda=agendas.sap_beta, prosecution_number="26001000007")
    return {"leveque": leveque, "other": other, "beta": beta}


@pytest.mark.parametrize(
    "query", ["27123000042", "27 123 000042", "27/123/42", "27-123-000042", " 27.123.000 042 "]
)
def test_any_usual_writing_of_the_number_finds_the_person(client_for, cpip, numbered, query):
    response = client_for(cpip).get(reverse("person_list"), {"q": query})
    assert response.status_code == 200
    assert names(response) == ["LÉVÊQUE Jean"]


def test_the_match_is_exact(client_for, cpip, numbered):
    response = client_for(cpip).get(reverse("person_list"), {"q": "27123000044"})
    assert names(response) == []


def test_a_person_with_several_convocations_of_the_number_is_listed_once(
    client_for, cpip, agendas, numbered
):
    AppointmentFactory(
        person=numbered["leveque"], agenda=agendas.sap_alpha, prosecution_number=NUMBER
    )
    response = client_for(cpip).get(reverse("person_list"), {"q": NUMBER})
    assert names(response) == ["LÉVÊQUE Jean"]


def test_another_ressorts_number_finds_nothing(client_for, cpip, make_agent, org, numbered):
    response = client_for(cpip).get(reverse("person_list"), {"q": "26 001 000007"})
    assert response.status_code == 200
    assert names(response) == []
    assert "Aucune personne ne correspond" in response.content.decode()
    # The number does exist: the agents of ressort Beta find it.
    beta_agent = make_agent("greff_sap", service=org.sap_beta)
    response = client_for(beta_agent).get(reverse("person_list"), {"q": "26 001 000007"})
    assert names(response) == ["BERNARD Luc"]


def test_a_malformed_number_is_not_a_number_search(client_for, cpip, numbered):
    """Day 400 does not exist: no person is found through a number, and no error."""
    response = client_for(cpip).get(reverse("person_list"), {"q": "27 400 000042"})
    assert response.status_code == 200
    assert names(response) == []


def test_the_query_count_does_not_grow_with_persons_and_convocations(
    client_for, cpip, org, agendas, numbered, django_assert_num_queries
):
    client = client_for(cpip)
    client.get(reverse("person_list"), {"q": NUMBER})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("person_list"), {"q": NUMBER})
    for index in range(12):
        person = PersonFactory(
            last_name=f"Dupont{index}", followed_by=[org.spip_alpha, org.sap_alpha]
        )
        AppointmentFactory(person=person, agenda=agendas.spip_alpha, prosecution_number=NUMBER)
        AppointmentFactory(person=person, agenda=agendas.sap_alpha, prosecution_number=NUMBER)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("person_list"), {"q": NUMBER})
    assert len(names(response)) == 13


def test_the_lookup_can_use_the_index_on_the_number(cpip, numbered):
    """The planner is told to avoid sequential scans: on these few rows it would prefer one."""
    numbered_ids = appointments_visible_to(cpip).filter(prosecution_number=NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Appointment.objects.filter(pk__in=numbered_ids.values("pk")).explain()
    assert "appointment_parquet" in plan


# --- Persons of the procedures with that number (issue 14, point 12) -------------------


@pytest.fixture
def procedures(org):
    """A procedure of TJ Alpha with a suspect and a victim, one of TJ Beta, both numbered."""
    parquet = ServiceFactory(
        name="Parquet Alpha", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha
    )
    alpha = ProcedureFactory(tribunal=org.tj_alpha, parquet_number="27200000015")
    suspect = PersonFactory(last_name="Durand", first_names="Marc", followed_by=[parquet])
    victim = PersonFactory(last_name="Petit", first_names="Léa", followed_by=[org.spip_alpha])
    PartyFactory(procedure=alpha, person=suspect, role="suspect")
    PartyFactory(procedure=alpha, person=victim, role="victim")
    beta = ProcedureFactory(tribunal=org.tj_beta, parquet_number="27200000016")
    # Followed in ressort Alpha, but a party only of TJ Beta's procedure.
    PartyFactory(procedure=beta, person=victim, role="civil_party")
    return {"parquet": parquet, "alpha": alpha, "beta": beta}


@pytest.fixture
def procureur(make_agent, procedures):
    return make_agent("procureur_republique", service=procedures["parquet"])


@pytest.mark.parametrize(
    "query", ["27200000015", "27 200 000015", "27/200/15", "27-200-000015", "27.200.000 015"]
)
def test_a_procedure_number_finds_its_persons_in_scope(client_for, procureur, query):
    response = client_for(procureur).get(reverse("person_list"), {"q": query})
    assert response.status_code == 200
    assert names(response) == ["DURAND Marc", "PETIT Léa"]


def test_a_procedure_number_outside_the_scope_finds_nothing(client_for, procureur):
    response = client_for(procureur).get(reverse("person_list"), {"q": "27 200 000016"})
    assert names(response) == []  # TJ Beta's procedure, though its civil party is visible


def test_without_access_to_procedures_their_number_finds_nothing(client_for, cpip, procedures):
    response = client_for(cpip).get(reverse("person_list"), {"q": "27200000015"})
    assert names(response) == []


def test_the_number_finds_both_convocations_and_procedures(
    client_for, procureur, org, agendas, procedures
):
    other = PersonFactory(last_name="Roux", first_names="Ana", followed_by=[org.spip_alpha])
    AppointmentFactory(person=other, agenda=agendas.spip_alpha, prosecution_number="27200000015")
    response = client_for(procureur).get(reverse("person_list"), {"q": "27200000015"})
    assert names(response) == ["DURAND Marc", "PETIT Léa", "ROUX Ana"]


def test_the_name_search_still_works_for_the_parquet(client_for, procureur):
    response = client_for(procureur).get(reverse("person_list"), {"q": "durand"})
    assert names(response) == ["DURAND Marc"]
