"""The home page by role (issue 18, point 7): each agent's blocks, within their scope, with a
number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.situations.models import Meeting, SituationEvent
from tests.cases.test_judgment_queries import executable_judgments
from tests.factories import (
    AgendaFactory,
    AppointmentFactory,
    ListEntryFactory,
    PersonFactory,
    SituationFactory,
    appointment_type,
)
from tests.queries import assert_queries_do_not_grow
from tests.situations.world import build_world

pytestmark = pytest.mark.usefixtures("frozen_now")
TODAY = dt.date(2027, 7, 5)  # frozen_now: Monday 5 July 2027, 10:00 in Paris
NOW = dt.datetime(2027, 7, 5, 8, 0, tzinfo=dt.UTC)
Status = Appointment.Status


def _blocks(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["blocks"], response.content.decode()


@pytest.fixture
def spip_agenda(org):
    return AgendaFactory(place__service=org.spip_alpha)


def test_a_cpip_sees_their_convocations_of_today_and_the_week_and_their_persons(
    client_for, cpip, make_agent, org, spip_agenda
):
    colleague = make_agent("cpip", service=org.spip_alpha)
    mine = PersonFactory(followed_by=[org.spip_alpha], referent=cpip, last_name="Schneider")
    other = PersonFactory(followed_by=[org.spip_alpha], referent=colleague)

    def convoke(person, hours, agent, **extra):
        return AppointmentFactory(
            person=person,
            agenda=spip_agenda,
            starts_at=NOW + dt.timedelta(hours=hours),
            assigned_agent=agent,
            **extra,
        )

    today = convoke(other, 2, cpip)  # assigned to them
    referent_today = convoke(mine, 4, colleague)  # a colleague receives their person
    convoke(other, 3, colleague)  # neither
    convoke(mine, 5, cpip, status=Status.CANCELLED)
    this_week = convoke(other, 48, cpip)
    convoke(other, 24 * 9, cpip)  # beyond the next seven days
    blocks, html = _blocks(client_for(cpip))
    assert blocks.convocations_today.rows == [today, referent_today]
    assert blocks.convocations_upcoming.rows == [this_week]
    assert blocks.my_persons.rows == [mine]
    for testid in ("home-today", "home-upcoming", "home-my-persons"):
        assert f'data-testid="{testid}"' in html
    assert blocks.executions is None and blocks.overdue_situations is None
    assert not blocks.headlines


def test_the_lists_are_bounded(client_for, cpip, org, spip_agenda):
    for index in range(12):
        person = PersonFactory(followed_by=[org.spip_alpha], referent=cpip)
        AppointmentFactory(
            person=person,
            agenda=spip_agenda,
            starts_at=NOW + dt.timedelta(minutes=20 * (index + 1)),
            assigned_agent=cpip,
        )
    blocks, _ = _blocks(client_for(cpip))
    assert len(blocks.convocations_today.rows) == 10 and blocks.convocations_today.more
    assert len(blocks.my_persons.rows) == 10 and blocks.my_persons.more


def test_a_cpip_home_costs_the_same_queries_with_more_data(client_for, cpip, org, spip_agenda):
    client = client_for(cpip)

    def grow():
        for hours in (1, 2, 30, 50):
            AppointmentFactory(
                person=PersonFactory(followed_by=[org.spip_alpha], referent=cpip),
                agenda=spip_agenda,
                starts_at=NOW + dt.timedelta(hours=hours),
                assigned_agent=cpip,
            )

    grow()
    response = assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow)
    assert len(response.context["blocks"].convocations_today.rows) == 4


def test_a_bex_sees_todays_hearing_exits_and_the_decisions_to_execute(
    client_for, make_agent, org, agendas
):
    bex = make_agent("bex", service=org.bex_alpha)
    person = PersonFactory(followed_by=[org.sap_alpha])
    booked = AppointmentFactory(
        person=person,
        agenda=agendas.sap_alpha,
        created_by_service=org.bex_alpha,
        appointment_type=appointment_type("sortie_audience_sap"),
    )
    AppointmentFactory(  # booked yesterday
        person=person,
        agenda=agendas.sap_alpha,
        created_by_service=org.bex_alpha,
        created_at=NOW - dt.timedelta(days=1),
    )
    AppointmentFactory(person=person, agenda=agendas.sap_alpha)  # booked by the SAP itself
    judgments = executable_judgments(org, make_agent, 2)
    client = client_for(bex)
    blocks, html = _blocks(client)
    assert blocks.hearing_exits.rows == [booked]
    assert [e.judgment for e in blocks.executions.rows] == judgments
    assert 'data-testid="home-hearing-exits"' in html
    assert 'data-testid="home-executions"' in html
    assert blocks.convocations_today is None  # the BEX receives nobody

    def grow():
        executable_judgments(org, make_agent, 2)
        AppointmentFactory(
            person=PersonFactory(followed_by=[org.sap_alpha]),
            agenda=agendas.sap_alpha,
            created_by_service=org.bex_alpha,
        )

    response = assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow)
    assert len(response.context["blocks"].executions.rows) == 4


@pytest.fixture
def world(org):
    return build_world(org)


def _situations(world):
    tj = world.org.tj_alpha
    overdue_jaf = SituationFactory(
        jurisdiction=tj, next_review_on=TODAY - dt.timedelta(days=3), mec_procedure_jaf=True
    )
    overdue = SituationFactory(jurisdiction=tj, next_review_on=TODAY - dt.timedelta(days=1))
    SituationFactory(jurisdiction=tj, next_review_on=TODAY + dt.timedelta(days=5))  # on time
    SituationFactory(  # closed: no review due
        jurisdiction=tj, next_review_on=TODAY - dt.timedelta(days=9), closed_on=TODAY
    )
    SituationFactory(  # another jurisdiction
        jurisdiction=world.org.tj_beta, next_review_on=TODAY - dt.timedelta(days=9)
    )
    return overdue_jaf, overdue


def test_the_parquet_sees_overdue_reviews_new_events_and_the_next_meeting(
    client_for, make_agent, world
):
    parquet = make_agent("parquet", service=world.parquet_alpha)
    overdue_jaf, overdue = _situations(world)
    fresh = SituationEvent.objects.create(
        situation=overdue, occurred_on=TODAY, text="Nouvelle plainte de la victime."
    )
    SituationEvent.objects.create(
        situation=overdue,
        occurred_on=TODAY - dt.timedelta(days=20),
        text="Ancien",
        created_at=NOW - dt.timedelta(days=20),
    )
    instance = ListEntryFactory(jurisdiction=world.org.tj_alpha)
    Meeting.objects.create(instance=instance, held_on=TODAY - dt.timedelta(days=2))  # past
    Meeting.objects.create(instance=instance, held_on=TODAY + dt.timedelta(days=20))
    sooner = Meeting.objects.create(instance=instance, held_on=TODAY + dt.timedelta(days=6))
    blocks, html = _blocks(client_for(parquet))
    assert blocks.overdue_situations.rows == [overdue_jaf, overdue]
    assert blocks.recent_events.rows == [fresh]
    assert blocks.next_meeting == sooner
    for testid in ("home-overdue", "home-events", "home-meeting"):
        assert f'data-testid="{testid}"' in html
    assert blocks.convocations_today is None


def test_the_jaf_sees_only_the_situations_open_to_the_jaf(client_for, make_agent, world):
    jaf = make_agent("jaf_tj", service=world.siege_alpha)
    overdue_jaf, _ = _situations(world)
    blocks, html = _blocks(client_for(jaf))
    assert blocks.overdue_situations.rows == [overdue_jaf]
    assert blocks.next_meeting is None
    assert "Aucune réunion prévue." in html


def test_the_situation_blocks_cost_the_same_queries_with_more_data(client_for, make_agent, world):
    client = client_for(make_agent("parquet", service=world.parquet_alpha))

    def grow():
        overdue_jaf, overdue = _situations(world)
        for situation in (overdue_jaf, overdue):
            SituationEvent.objects.create(situation=situation, occurred_on=TODAY, text="Fait")

    grow()
    response = assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow)
    assert len(response.context["blocks"].overdue_situations.rows) == 4


def test_a_head_of_service_sees_the_headline_figures(client_for, make_agent, org, spip_agenda):
    dpip = make_agent("dpip", service=org.spip_alpha)
    person = PersonFactory(followed_by=[org.spip_alpha])

    def grow():
        for days, status in ((3, Status.HONOURED), (4, Status.MISSED), (5, Status.BOOKED)):
            AppointmentFactory(
                person=person,
                agenda=spip_agenda,
                starts_at=NOW - dt.timedelta(days=days),
                status=status,
            )

    grow()
    client = client_for(dpip)
    blocks, html = _blocks(client)
    figures = {headline.name: headline.text for headline in blocks.headlines}
    assert figures["Convocations prévues"] == "3"
    assert figures["Taux d’absentéisme"] == "50,0 %"
    assert figures["Convocations sans suite renseignée"] == "1"
    assert 'data-testid="home-indicators"' in html
    assert reverse("stats_home") in html
    assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow)


def test_an_agent_without_statistics_sees_no_figures(client_for, cpip):
    blocks, html = _blocks(client_for(cpip))
    assert not blocks.headlines
    assert 'data-testid="home-indicators"' not in html


def test_the_national_admin_keeps_the_tiles_only(client_for, make_agent, org):
    admin = make_agent("national_admin", service=org.national)
    blocks, html = _blocks(client_for(admin))
    assert not blocks.any
    assert "Administration nationale" in html
