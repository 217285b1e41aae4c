"""The person page's "Mesures en cours d'exécution" (issue 14, point 11): the measures the agent
may see, with their convocations, in a number of queries that does not grow with them.

TJ Alpha's judgment (sursis probatoire with obligations, provisional execution) hands a measure
to SPIP Alpha; the person is followed by SPIP Alpha and by SAP Beta, so that agents of both
ressorts open the page. The clock is frozen on Monday 5 July 2027, 10:00 in Paris.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.cases.actions import judgments as judgment_actions
from jalon.cases.models import ChargeDecision, Measure, Party
from tests.cases.judgment_world import oriented_case
from tests.factories import AppointmentFactory, PersonFactory, ServiceFactory, appointment_type
from tests.queries import assert_queries_do_not_grow

TODAY = dt.date(2027, 7, 5)
OBLIGATION = "Obligation de soins (addictologie)"

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def person(org):
    return PersonFactory(last_name="BAUER", followed_by=[org.spip_alpha, org.sap_beta])


@pytest.fixture
def greffier(org, make_agent):
    registry = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_alpha)
    return make_agent("greff_co", service=registry)


def measure_of(org, greffier, person, agendas, *, convocations=1, tribunal=None):
    """A judgment on ``person`` with provisional execution: its SPIP measure, with
    ``convocations`` linked sortie d'audience convocations."""
    case = oriented_case(org, tribunal=tribunal)
    Party.objects.filter(pk=case.party.pk).update(person=person)
    case.party.refresh_from_db()
    judgment = judgment_actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[
            judgment_actions.SentenceInput(
                "probation",
                months=8,
                suspended_months=8,
                probation_months=24,
                obligations=[OBLIGATION],
                provisional_execution=True,
            )
        ],
    )
    measure = Measure.objects.get(execution__judgment=judgment)
    for index in range(convocations):
        AppointmentFactory(
            person=person,
            agenda=agendas.spip_alpha,
            appointment_type=appointment_type("sortie_audience_spip"),
            starts_at=dt.datetime(2027, 7, 12 + index, 8, tzinfo=dt.UTC),
            judgment=judgment,
            measure=measure,
        )
    return measure


def page(client, person):
    response = client.get(reverse("person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response


AGENTS = {
    # key: (profile, service attribute of ``org`` or a service made for TJ Alpha / Beta)
    "cpip": ("cpip", "spip_alpha"),
    "jap_alpha": ("jap", "sap_alpha"),
    "bex_alpha": ("bex", "bex_alpha"),
    "greffe_alpha": ("greff_co", "registry_alpha"),
    "parquet_alpha": ("procureur_republique", "parquet_alpha"),
    "jap_beta": ("jap", "sap_beta"),
    "siege_alpha": ("jaf_tj", "bench_alpha"),
}
# What the page shows of the measure: its section and the measure with its link, the section
# without it, or no section at all.
MEASURE, EMPTY, NO_SECTION = "measure", "empty", "none"
EXPECTED = {
    "cpip": (MEASURE, "measure"),
    "jap_alpha": (EMPTY, None),  # a sursis probatoire goes to the SPIP only
    "bex_alpha": (MEASURE, "judgment"),
    "greffe_alpha": (MEASURE, "judgment"),
    "parquet_alpha": (MEASURE, None),
    "jap_beta": (EMPTY, None),  # another TJ's measure
    "siege_alpha": (NO_SECTION, None),
}


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items())
def test_who_sees_the_measures_in_execution_on_the_person_page(
    key, expected, org, greffier, person, agendas, make_agent, client_for
):
    measure = measure_of(org, greffier, person, agendas)
    made = {
        "registry_alpha": greffier.service,
        "parquet_alpha": ServiceFactory(kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha),
        "bench_alpha": ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha),
    }
    profile, where = AGENTS[key]
    agent = make_agent(profile, service=made.get(where) or getattr(org, where))
    html = page(client_for(agent), person).content.decode()
    shown, link = expected
    assert ('data-testid="person-measures"' in html) is (shown != NO_SECTION)
    assert ('data-testid="person-measure"' in html) is (shown == MEASURE)
    assert (OBLIGATION in html) is (shown == MEASURE)
    measure_url = reverse("measure", args=[measure.pk])
    judgment_url = reverse("judgment", args=[measure.execution.judgment_id])
    assert (measure_url in html) is (link == "measure")
    assert (judgment_url in html) is (link == "judgment")


def test_a_measure_shows_its_sentence_obligations_number_judgment_service_and_convocations(
    org, greffier, person, agendas, cpip, client_for
):
    measure = measure_of(org, greffier, person, agendas, convocations=2)
    response = page(client_for(cpip), person)
    html = response.content.decode()
    procedure = measure.execution.judgment.procedure
    for text in (
        "Mesures en cours d’exécution",
        "Sursis probatoire",
        "8 mois dont 8 avec sursis",
        "délai d’épreuve de 24 mois",
        OBLIGATION,
        procedure.parquet_number_display,
        "jugement du 05/07/2027",
        str(measure.service),
    ):
        assert text in html, text
    (row,) = response.context["overview"].measures
    assert [a.measure_id for a in row.convocations] == [measure.pk, measure.pk]
    for convocation in row.convocations:
        assert reverse("appointment_detail", args=[convocation.pk]) in html
    kinds = [entry.kind for entry in response.context["overview"].timeline]
    assert "measure" in kinds


@pytest.mark.parametrize("profile_service", [("cpip", "spip_alpha"), ("bex", "bex_alpha")])
def test_the_page_costs_the_same_queries_with_one_measure_and_with_five(
    profile_service, org, greffier, person, agendas, make_agent, client_for
):
    profile, service = profile_service
    client = client_for(make_agent(profile, service=getattr(org, service)))
    measure_of(org, greffier, person, agendas)

    def four_more() -> None:
        for index in range(4):
            measure_of(org, greffier, person, agendas, convocations=index % 3)

    response = assert_queries_do_not_grow(lambda: page(client, person), four_more)
    overview = response.context["overview"]
    assert len(overview.measures) == 5
    assert sum(len(row.convocations) for row in overview.measures) == 1 + 0 + 1 + 2 + 0
