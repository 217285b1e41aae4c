"""The demo shows the penal chain in Strasbourg (issue 14, point 15): a few procedures at each
stage, and a sursis probatoire whose measure reached the SPIP and whose sortie d'audience
convocation is in the SPIP's agenda with the judgment's numéro de parquet, nothing retyped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalon.access.demo import DEMO_PASSWORD
from jalon.access.models import Agent
from jalon.access.rules.judgments import bex_queue, measures_visible_to
from jalon.appointments.models import Appointment
from jalon.cases.demo import PROBATION_SEQUENCE, SAMPLE, demo_procedure
from jalon.cases.models import (
    Appeal,
    Charge,
    Execution,
    Hearing,
    Judgment,
    Measure,
    Orientation,
    Party,
    Procedure,
    Sentence,
    Stage,
)
from jalon.core.parquet import parse_parquet_number
from jalon.history.models import Event
from jalon.people.models import Follow, Person


def _sample_numbers(path: Path) -> set[int]:
    lines = path.read_bytes().decode("cp1252").splitlines()[1:]
    return {int(line.split(";", 1)[0]) for line in lines if line.strip()}


def _strasbourg() -> list[Procedure]:
    return list(Procedure.objects.filter(tribunal__code="tj-strasbourg").order_by("pk"))


def _snapshot() -> dict[str, int]:
    models = [Procedure, Party, Charge, Orientation, Hearing, Judgment, Sentence, Appeal]
    models += [Execution, Measure, Person, Follow, Appointment, Event]
    return {model.__name__: model.objects.count() for model in models}


def _login(client, email: str) -> None:
    """As a demo agent would: the password printed by the demo, then the charter."""
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.post(reverse("charter"), {"accept": "on"}).status_code == 302


def test_the_demo_shows_every_stage_of_the_penal_chain(awkward_day, db):
    call_command("load_demo")
    today = timezone.localdate()
    procedures = _strasbourg()
    stages = {procedure.stage for procedure in procedures}
    assert {
        Stage.REGISTERED,
        Stage.DISMISSED,
        Stage.ORIENTED,
        Stage.AWAITING_HEARING,
        Stage.JUDGED,
        Stage.UNDER_APPEAL,
        Stage.TO_EXECUTE,
        Stage.IN_EXECUTION,
    } <= stages
    # Valid numéros de parquet, NATINF numbers of the sample, facts before the receipt.
    assert all(parse_parquet_number(p.parquet_number) == p.parquet_number for p in procedures)
    charges = Charge.objects.filter(procedure__in=procedures).select_related("procedure")
    assert {charge.offence.number for charge in charges} <= _sample_numbers(SAMPLE)
    assert all(c.facts_from <= c.procedure.received_on <= today for c in charges)
    registered = [p for p in procedures if p.stage == Stage.REGISTERED]
    assert any(not p.parties.exists() and not p.charges.exists() for p in registered)
    assert any(p.parties.exists() and p.charges.exists() for p in registered)
    current = Orientation.objects.current().filter(procedure__in=procedures)
    assert current.filter(kind=Orientation.Kind.DISMISSAL).exclude(reason="").exists()
    assert current.filter(
        kind=Orientation.Kind.ALTERNATIVE,
        alternative_kind=Orientation.AlternativeKind.PROBATIONARY_WARNING,
    ).exists()
    assert current.filter(kind__in=[Orientation.Kind.CRPC, Orientation.Kind.COPJ]).exists()
    hearing = Hearing.objects.get(procedure__stage=Stage.AWAITING_HEARING)
    assert hearing.starts_at > timezone.now()
    pending = Execution.objects.filter(judgment__procedure__stage=Stage.JUDGED)
    assert pending.exists()
    assert all(e.judgment.final_on is None and e.executable_on is None for e in pending)
    appealed = Procedure.objects.get(stage=Stage.UNDER_APPEAL)
    assert appealed.court_of_appeal.code == "ca-colmar"
    assert Appeal.objects.filter(judgment__procedure=appealed).exists()
    queue = bex_queue(Agent.objects.get(email="bex@jalon.test"))
    assert queue.filter(judgment__final_on__isnull=False).exists()
    # Every judgment was delivered at its hearing, which took place (recorded after the fact)
    # on the day of the judgment or, mis en délibéré, before it.
    judged = Judgment.objects.filter(procedure__in=procedures).select_related("hearing")
    assert judged.exists() and all(j.hearing is not None for j in judged)
    for judgment in judged:
        assert judgment.hearing.starts_at <= timezone.now()
        assert judgment.hearing.procedure_id == judgment.procedure_id
        held_on = timezone.localtime(judgment.hearing.starts_at).date()
        assert judgment.procedure.received_on <= held_on <= judgment.delivered_on
    assert Event.objects.filter(action="procedure.hearing_held").count() == judged.count()


def test_the_sursis_probatoire_reached_the_spip_agenda_without_retyping(awkward_day, db, client):
    call_command("load_demo")
    procedure = demo_procedure(PROBATION_SEQUENCE)
    assert procedure is not None and procedure.stage == Stage.IN_EXECUTION
    judgment = procedure.judgments.get()
    person = judgment.party.person
    assert judgment.sentences.filter(kind=Sentence.Kind.PROBATION).exists()
    measure = Measure.objects.get(execution__judgment=judgment)
    assert (measure.service.name, measure.person) == ("SPIP du Bas-Rhin", person)
    assert measure.sentence.kind == Sentence.Kind.PROBATION
    assert Follow.objects.filter(person=person, service=measure.service).exists()
    cpip = Agent.objects.get(email="cpip@jalon.test")
    assert measures_visible_to(cpip).filter(pk=measure.pk).exists()
    convocation = Appointment.objects.get(person=person, service=measure.service)
    assert convocation.appointment_type.code == "sortie_audience_spip"
    assert convocation.prosecution_number == procedure.parquet_number
    assert convocation.created_by.email == "bex@jalon.test"
    assert convocation.local_start.date() <= judgment.execution.spip_by
    assert (convocation.judgment, convocation.measure) == (judgment, measure)
    # What the SPIP sees: the convocation in its agenda, the numéro de parquet on it.
    _login(client, "cpip@jalon.test")
    day = convocation.local_start.date().isoformat()
    agenda = client.get(
        reverse("agenda_calendar", args=[convocation.agenda_id]), {"vue": "jour", "date": day}
    )
    assert agenda.status_code == 200
    assert "BAUER Julien" in agenda.content.decode()
    detail = client.get(reverse("appointment_detail", args=[convocation.pk]))
    assert procedure.parquet_number_display in detail.content.decode()
    assert "Sursis probatoire" in detail.content.decode()  # the measure it executes
    measures = client.get(reverse("measure_list"))
    assert "BAUER" in measures.content.decode()
    page = client.get(reverse("measure", args=[measure.pk])).content.decode()
    assert reverse("appointment_detail", args=[convocation.pk]) in page


def test_loading_the_demo_again_changes_nothing_even_days_later(db, frozen_now):
    call_command("load_demo")
    loaded = _snapshot()
    call_command("load_demo")
    assert _snapshot() == loaded
    with time_machine.travel(frozen_now + dt.timedelta(days=9), tick=False):
        call_command("load_demo")
    assert _snapshot() == loaded
    assert loaded["Procedure"] == len(_strasbourg()) >= 11


def test_a_clock_before_the_sample_edition_gets_no_procedures_rather_than_a_failure(db):
    # The sample edition is in force from 1 July 2026: facts of August would be refused.
    with time_machine.travel(dt.datetime(2026, 8, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("load_demo")
    assert not Procedure.objects.exists()
    assert not Appointment.objects.exclude(prosecution_number="").exists()
