"""The person 360° page: procedures, situations, convocations, SMS and one timeline, each
within the agent's rights, in a number of queries that does not grow with the person's file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.history.actions import record
from jalon.history.models import Event
from jalon.people.overview import TIMELINE_SIZE
from tests.dates import days_ago
from tests.factories import (
    AppointmentFactory,
    MessageFactory,
    PartyFactory,
    PersonFactory,
    ProcedureFactory,
    ServiceFactory,
    SituationFactory,
    appointment_type,
)
from tests.queries import assert_queries_do_not_grow


@pytest.fixture
def parquet_alpha(org):
    return ServiceFactory(
        name="Parquet Alpha", kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha
    )


@pytest.fixture
def procureur(make_agent, parquet_alpha):
    """Sees the persons of the ressort, the situations and the procedures of TJ Alpha."""
    return make_agent("procureur_republique", service=parquet_alpha)


@pytest.fixture
def person(org):
    return PersonFactory(last_name="Martin", first_names="Louise", followed_by=[org.spip_alpha])


def page(client, person, **params):
    response = client.get(reverse("person_detail", args=[person.pk]), params)
    assert response.status_code == 200
    return response


def test_the_procedures_show_role_stage_and_link_within_the_tribunal(
    client_for, procureur, org, person
):
    mine = PartyFactory(
        person=person, role="victim", procedure=ProcedureFactory(tribunal=org.tj_alpha)
    ).procedure
    elsewhere = PartyFactory(
        person=person, procedure=ProcedureFactory(tribunal=org.tj_beta)
    ).procedure
    html = page(client_for(procureur), person).content.decode()
    assert 'data-testid="person-procedures"' in html
    assert mine.parquet_number_display in html
    assert "Victime" in html and "Enregistrée" in html
    assert reverse("procedure_detail", args=[mine.pk]) in html
    assert elsewhere.parquet_number_display not in html  # another TJ's procedure: no trace


def test_sections_the_agent_may_not_see_are_absent(client_for, cpip, org, person):
    PartyFactory(person=person, procedure=ProcedureFactory(tribunal=org.tj_alpha))
    SituationFactory(mec=person, jurisdiction=org.tj_alpha)
    html = page(client_for(cpip), person).content.decode()
    assert 'data-testid="person-procedures"' not in html
    assert 'data-testid="person-situations"' not in html
    assert 'data-testid="person-timeline"' in html


def test_the_situations_of_the_jurisdiction_are_shown_to_the_parquet(
    client_for, procureur, org, person
):
    SituationFactory(mec=person, jurisdiction=org.tj_alpha)
    SituationFactory(mec=person, jurisdiction=org.tj_beta)
    response = page(client_for(procureur), person)
    assert len(response.context["overview"].situations) == 1
    assert 'data-testid="person-situations"' in response.content.decode()


def test_one_timeline_merges_everything_newest_first(
    frozen_now, client_for, procureur, org, agendas, person
):
    past = AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(20))
    future = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now + dt.timedelta(days=3)
    )
    MessageFactory(appointment=future, created_at=days_ago(2))
    SituationFactory(mec=person, jurisdiction=org.tj_alpha, created_at=days_ago(10))
    PartyFactory(
        person=person,
        procedure=ProcedureFactory(tribunal=org.tj_alpha, registered_at=days_ago(30)),
    )
    response = page(client_for(procureur), person)
    timeline = response.context["overview"].timeline
    kinds = [entry.kind for entry in timeline]
    assert kinds.index("convocation") == 0 and timeline[0].upcoming  # the future one on top
    for kind in ("sms", "situation", "procedure", "follow", "convocation"):
        assert kind in kinds
    assert [entry.at for entry in timeline] == sorted(
        (entry.at for entry in timeline), reverse=True
    )
    assert reverse("appointment_detail", args=[past.pk]) in response.content.decode()
    assert "person.viewed" not in {entry.label for entry in timeline}
    assert not any(entry.label == "Fiche consultée" for entry in timeline)


def test_the_timeline_is_cut_and_the_full_one_shows_the_reads(client_for, cpip, person):
    for index in range(TIMELINE_SIZE + 5):
        record("person.updated", actor=cpip, target=person, details={"n": index})
    client = client_for(cpip)
    short = page(client, person)
    assert len(short.context["overview"].timeline) == TIMELINE_SIZE
    assert 'data-testid="timeline-more"' in short.content.decode()
    full = page(client, person, chronologie="complete")
    labels = [entry.label for entry in full.context["overview"].timeline]
    assert "Fiche consultée" in labels
    assert len(labels) > TIMELINE_SIZE


def test_opening_the_page_is_still_recorded(client_for, procureur, person):
    page(client_for(procureur), person)
    assert Event.objects.for_object(person).filter(action="person.viewed").count() == 1


def test_the_query_count_does_not_grow_with_the_file(
    frozen_now, client_for, procureur, org, agendas, person
):
    client = client_for(procureur)
    MessageFactory(appointment=AppointmentFactory(person=person, agenda=agendas.spip_alpha))
    PartyFactory(person=person, procedure=ProcedureFactory(tribunal=org.tj_alpha))
    SituationFactory(mec=person, jurisdiction=org.tj_alpha)

    def a_thick_file() -> None:
        for index in range(8):
            appointment = AppointmentFactory(
                person=person,
                agenda=agendas.sap_alpha if index % 2 else agendas.spip_alpha,
                appointment_type=appointment_type("jap_follow_up" if index % 2 else "spip_first"),
                starts_at=days_ago(40 - index * 7),
            )
            MessageFactory(appointment=appointment)
            PartyFactory(
                person=person,
                role="suspect" if index % 2 else "civil_party",
                procedure=ProcedureFactory(tribunal=org.tj_alpha),
            )
            SituationFactory(mec=person, jurisdiction=org.tj_alpha)
            record("person.updated", actor=procureur, target=person)

    response = assert_queries_do_not_grow(lambda: page(client, person), a_thick_file)
    overview = response.context["overview"]
    assert len(overview.parties) == 9
    assert len(overview.situations) == 9
    assert len(overview.future) + len(overview.past) == 9
