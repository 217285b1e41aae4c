"""Pages that list things from the hearing to the execution issue a bounded number of queries
whatever the data: the BEX's queue, the measures of a SPIP, a judgment's page and a
procedure's hearing page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.cases.actions import judgments as actions
from jalon.cases.models import Charge, ChargeDecision, Party, Sentence
from tests.cases.judgment_world import offence, oriented_case
from tests.factories import PersonFactory
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.usefixtures("frozen_now")
TODAY = dt.date(2027, 7, 5)
GUILTY = ChargeDecision.Verdict.GUILTY


def executable_judgments(org, make_agent, count):
    """``count`` judgments with provisional execution: in the BEX queue, measures at the SPIP."""
    judgments = []
    for _ in range(count):
        case = oriented_case(org)
        judgments.append(
            actions.record_judgment(
                agent=make_agent("greff_co", service=case.registry),
                procedure=case.procedure,
                party=case.party,
                delivered_on=TODAY,
                delivery_mode="contradictoire",
                verdicts={c.pk: GUILTY for c in case.charges},
                sentences=[
                    actions.SentenceInput(
                        "probation", months=6, suspended_months=6, provisional_execution=True
                    )
                ],
            )
        )
    return judgments


def test_the_bex_queue_queries_do_not_grow(org, make_agent, client):
    executable_judgments(org, make_agent, 2)
    client.force_login(make_agent("bex", service=org.bex_alpha))
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("bex_queue")),
        lambda: executable_judgments(org, make_agent, 3),
    )
    assert response.content.decode().count("Prendre en charge") == 5


def test_the_measures_list_queries_do_not_grow(org, make_agent, client):
    executable_judgments(org, make_agent, 2)
    client.force_login(make_agent("cpip", service=org.spip_alpha))
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("measure_list")),
        lambda: executable_judgments(org, make_agent, 3),
    )
    assert response.content.decode().count("Sursis probatoire") == 5


def test_the_judgment_page_queries_do_not_grow(org, make_agent, client):
    (judgment,) = executable_judgments(org, make_agent, 1)
    client.force_login(make_agent("bex", service=org.bex_alpha))
    url = reverse("judgment", args=[judgment.pk])

    def more_offences_and_sentences():
        for _ in range(3):
            charge = Charge.objects.create(
                procedure=judgment.procedure,
                party=judgment.party,
                offence=(o := offence()),
                qualification_text=o.qualification,
                facts_from=dt.date(2027, 1, 10),
            )
            ChargeDecision.objects.create(judgment=judgment, charge=charge, verdict=GUILTY)
            Sentence.objects.create(judgment=judgment, kind="fine", amount_euros=100)

    response = assert_queries_do_not_grow(lambda: client.get(url), more_offences_and_sentences)
    assert response.content.decode().count("Amende") == 3


def test_the_procedure_hearing_page_queries_do_not_grow(org, make_agent, client):
    case = oriented_case(org)
    greffier = make_agent("greff_co", service=case.registry)
    client.force_login(greffier)
    url = reverse("procedure_hearing", args=[case.procedure.pk])

    def more_defendants_and_hearings():
        for day in (14, 15, 16):
            Party.objects.create(
                procedure=case.procedure, person=PersonFactory(), role=Party.Role.SUSPECT
            )
            actions.schedule_hearing(
                agent=greffier,
                procedure=case.procedure,
                starts_at=dt.datetime(2027, 9, day, 12, tzinfo=dt.UTC),
                chamber=f"Chambre {day}",
            )

    response = assert_queries_do_not_grow(lambda: client.get(url), more_defendants_and_hearings)
    assert response.content.decode().count("Chambre 1") == 3
