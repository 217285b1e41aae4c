"""The procedure's history says what happened: a French label for every event of the chain,
and a summary of its details (what was registered, oriented, judged...), on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.cases.actions import judgments as actions
from jalon.cases.actions import orientation as orienting
from jalon.cases.actions import registration
from jalon.cases.models import Appeal, ChargeDecision, Orientation, Party
from jalon.history.models import Event
from jalon.history.registry import label_for, summary_for
from tests.cases.judgment_world import oriented_case
from tests.cases.world import build_chain_world
from tests.factories import PersonFactory

D = dt.date


@pytest.fixture
def world(org, frozen_now):
    return build_chain_world(org)


def _summaries(procedure):
    events = Event.objects.for_object(procedure).order_by("created_at", "pk")
    return {event.action: (event.label, event.summary) for event in events}


def test_the_parquet_steps_say_what_was_registered_added_and_decided(world, client_for):
    agent = world.prosecutor
    procedure = registration.register_procedure(
        agent=agent,
        tribunal=world.org.tj_alpha,
        data=registration.ProcedureData("27060000042", "police", D(2027, 3, 1)),
    )
    registration.update_procedure(
        agent=agent,
        procedure=procedure,
        data=registration.ProcedureData(
            "27060000042", "police", D(2027, 3, 1), summary="Vol à l’étalage"
        ),
    )
    person = PersonFactory(last_name="DUPONT", first_names="Jean", birth_date=D(1990, 1, 1))
    party = registration.add_existing_person(
        agent=agent, procedure=procedure, role=Party.Role.SUSPECT, person=person
    )
    registration.add_charge(
        agent=agent,
        procedure=procedure,
        data=registration.ChargeData(natinf=7001, facts_from=D(2027, 2, 1), party=party),
    )
    orienting.orient(
        agent=agent,
        procedure=procedure,
        data=orienting.OrientationData(
            kind=Orientation.Kind.DISMISSAL,
            decided_on=D(2027, 7, 5),
            party=party,
            reason=Orientation.DismissalReason.INSUFFICIENT,
        ),
    )
    assert _summaries(procedure) == {
        "procedure.registered": (
            "Enregistrement de la procédure",
            "N° 27 060 000042, TJ Alpha — Procès-verbal de police",
        ),
        "procedure.updated": ("Modification de la procédure", "Modifié : résumé des faits"),
        "procedure.party_added": (
            "Ajout d’une personne à la procédure",
            "DUPONT Jean (Mis en cause)",
        ),
        "procedure.charge_added": (
            "Ajout d’une infraction poursuivie",
            "NATINF 7001 — Vol simple",
        ),
        "procedure.oriented": (
            "Orientation de la procédure",
            "DUPONT Jean : Classement sans suite — Infraction insuffisamment caractérisée",
        ),
    }
    page = client_for(agent).get(reverse("procedure_detail", args=[procedure.pk]))
    html = page.content.decode()
    assert "DUPONT Jean : Classement sans suite — Infraction insuffisamment caractérisée" in html
    assert "N° 27 060 000042, TJ Alpha — Procès-verbal de police" in html


def test_the_court_steps_say_when_how_and_what_was_decided(org, world, make_agent, client_for):
    case = oriented_case(org)
    greffier = make_agent("greff_co", service=case.registry)
    actions.schedule_hearing(
        agent=greffier,
        procedure=case.procedure,
        starts_at=dt.datetime(2027, 9, 14, 11, 30, tzinfo=dt.UTC),
        chamber="10e chambre",
    )
    judgment = actions.record_judgment(
        agent=greffier,
        procedure=case.procedure,
        party=case.party,
        delivered_on=D(2027, 7, 5),
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[
            actions.SentenceInput(
                "probation", months=6, suspended_months=6, provisional_execution=True
            )
        ],
    )
    actions.record_appeal(
        agent=greffier, judgment=judgment, by=Appeal.By.DEFENDANT, lodged_on=D(2027, 7, 5)
    )
    summaries = _summaries(case.procedure)
    assert summaries["procedure.hearing_scheduled"] == (
        "Audiencement",
        "Audience du 14/09/2027 à 13 h 30, 10e chambre",
    )
    assert summaries["procedure.judgment_recorded"] == (
        "Enregistrement du jugement",
        f"{case.party.person.last_name} {case.party.person.first_names} : "
        "Jugement du 05/07/2027, contradictoire : Sursis probatoire",
    )
    assert summaries["procedure.judgment_executable"][1] == (
        "Exécution provisoire, exécutoire le 05/07/2027"
    )
    assert summaries["procedure.appeal_recorded"][1].startswith("Appel de : prévenu, le 05/07/2027")
    parquet = client_for(make_agent("parquet", service=world.parquet_alpha))
    html = parquet.get(reverse("procedure_detail", args=[case.procedure.pk])).content.decode()
    assert "Audience du 14/09/2027 à 13 h 30, 10e chambre" in html


def test_every_procedure_event_has_a_french_label(org, make_agent, client_for):
    case = oriented_case(org)
    greffier = make_agent("greff_co", service=case.registry)
    hearing = actions.schedule_hearing(
        agent=greffier,
        procedure=case.procedure,
        starts_at=dt.datetime(2027, 9, 14, 11, 30, tzinfo=dt.UTC),
    )
    client_for(greffier).get(
        reverse("hearing_letter", args=[case.procedure.pk, hearing.pk, case.party.pk])
    )
    actions_seen = set(Event.objects.for_object(case.procedure).values_list("action", flat=True))
    assert "procedure.hearing_letter_printed" in actions_seen
    assert all(label_for(action) != action for action in actions_seen)


def test_an_event_whose_details_lack_what_the_summary_reads_shows_no_summary():
    assert summary_for("procedure.registered", {}) == ""
    assert summary_for("procedure.oriented", {"label": "Composition pénale"}) == (
        "Composition pénale"
    )
