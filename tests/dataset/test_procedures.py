"""Penal procedures of the synthetic dataset: determinism, every stage, lawful and valid rows,
links to the follows and convocations, history, pages, reset."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from jalon.access.models import Agent, Jurisdiction
from jalon.appointments.models import Appointment
from jalon.cases import checks, judgment_checks, law
from jalon.cases.models import (
    Appeal,
    Charge,
    ChargeDecision,
    Execution,
    Hearing,
    Judgment,
    Measure,
    NatinfEdition,
    Offence,
    Orientation,
    Party,
    Procedure,
    Sentence,
    Stage,
)
from jalon.cases.sentencing import age_on
from jalon.dataset import procedure_shapes as shapes
from jalon.dataset import procedures as phase
from jalon.dataset.generate import SCALES, Sizes, generate, reset
from jalon.dataset.geography import courts
from jalon.history.models import Event
from jalon.people.models import Follow
from tests.dataset.test_generate import checksums as table_checksums

ANCHOR = datetime.date(2027, 7, 5)
TOTAL = SCALES["small"].procedure_count
TABLES = [model._meta.db_table for model in shapes.OWN_MODELS]


def checksums() -> dict[str, str]:
    """Digests of the phase's tables, the follows and its history events (the NATINF import's
    own event is dated by the clock, as any import)."""
    found = table_checksums([*TABLES, "people_follow"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM history_event t "
            "WHERE t.action LIKE 'procedure.%%'"
        )
        found["procedure events"] = cursor.fetchone()[0]
    return found


def small(seed: int = 7, sizes: Sizes | None = None) -> None:
    generate(scale="small", seed=seed, anchor=ANCHOR, sizes=sizes, do_reset=True, analyze=False)


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """One small-scale run (seed 7) committed for this module, deleted when it is done."""
    with django_db_blocker.unblock():
        small()
        yield checksums()
        with transaction.atomic():
            reset()


def near(value: float, expected: float, count: int) -> bool:
    """Within three standard deviations of a share drawn ``count`` times (plus rounding)."""
    return abs(value - expected) <= 3 * math.sqrt(expected * (1 - expected) / count) + 0.005


@pytest.mark.django_db
def test_same_seed_gives_the_same_procedures(dataset):
    small(seed=7)
    assert checksums() == dataset
    assert None not in dataset.values()


@pytest.mark.django_db
def test_another_seed_gives_other_procedures():
    tiny = Sizes(persons=300, appointments=1_500, pairs=14, situations=60, procedures=200)
    small(seed=7, sizes=tiny)
    first = checksums()
    small(seed=8, sizes=tiny)
    assert Procedure.objects.count() == 200
    assert checksums()["cases_procedure"] != first["cases_procedure"]


@pytest.mark.django_db
def test_procedures_are_spread_over_the_tribunals_by_size(dataset):
    assert Procedure.objects.count() == TOTAL == 5_000
    weights = {f"Tribunal judiciaire de {court.city}": court.weight for court in courts("small")}
    found = dict(Procedure.objects.values_list("tribunal__name").annotate(n=Count("pk")).order_by())
    for name, weight in weights.items():
        assert abs(found[name] - TOTAL * weight / sum(weights.values())) <= 1, name
    # One numéro de parquet per procedure and tribunal, dated by its registration day.
    for procedure in Procedure.objects.order_by("pk")[::97]:
        day = timezone.localtime(procedure.registered_at, datetime.UTC).date()
        assert procedure.parquet_number[:5] == f"{day:%y}{day.timetuple().tm_yday:03d}"


@pytest.mark.django_db
def test_every_stage_is_represented_in_plausible_shares(dataset):
    stages = Counter(Procedure.objects.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    # Most procedures end before a trial (classement, alternatives), as in real parquets.
    assert stages[Stage.DISMISSED] + stages[Stage.CLOSED] > TOTAL / 3
    assert stages[Stage.IN_EXECUTION] > stages[Stage.TO_EXECUTE]
    assert set(Orientation.objects.values_list("kind", flat=True)) == set(Orientation.Kind.values)
    assert set(Sentence.objects.values_list("kind", flat=True)) == set(Sentence.Kind.values)
    modes = set(Judgment.objects.values_list("delivery_mode", flat=True))
    assert modes == set(Judgment.DeliveryMode.values)
    assert Judgment.objects.filter(replaces__isnull=False).exists()  # court of appeal decisions
    assert Party.objects.filter(role=Party.Role.CIVIL_PARTY).exists()
    # The avertissement pénal probatoire replaced the rappel à la loi on 1 January 2023.
    alternatives = Orientation.objects.filter(kind=Orientation.Kind.ALTERNATIVE)
    assert not alternatives.filter(
        alternative_kind="rappel_a_la_loi", decided_on__gte=datetime.date(2023, 1, 1)
    ).exists()
    assert not alternatives.filter(
        alternative_kind="probationary_warning", decided_on__lt=datetime.date(2023, 1, 1)
    ).exists()


@pytest.mark.django_db
def test_drawn_shares_match_the_generator_parameters(dataset):
    with_case = Procedure.objects.filter(charges__isnull=False).distinct().count()
    assert near(with_case / TOTAL, 1 - phase.BARE_SHARE, TOTAL)
    without_suspect = (
        Procedure.objects.filter(charges__isnull=False)
        .exclude(parties__role=Party.Role.SUSPECT)
        .distinct()
        .count()
    )
    assert near(without_suspect / with_case, phase.NO_SUSPECT_SHARE, with_case)
    decisions = ChargeDecision.objects.count()
    acquitted = ChargeDecision.objects.filter(verdict="relaxe").count()
    assert near(acquitted / decisions, phase.ACQUITTAL_SHARE, decisions)
    # Appeals: among first-instance judgments whose delay had started a day before the anchor.
    could = Judgment.objects.filter(
        replaces__isnull=True, execution__appeal_starts_on__lt=ANCHOR - datetime.timedelta(1)
    ).count()
    assert near(Appeal.objects.count() / could, phase.APPEAL_SHARE, could)
    total_weight = sum(weight for _, weight in phase.DELIVERY)
    first = Judgment.objects.filter(replaces__isnull=True)
    for mode, weight in phase.DELIVERY:
        share = first.filter(delivery_mode=mode).values("procedure").distinct().count()
        procedures = first.values("procedure").distinct().count()
        assert near(share / procedures, weight / total_weight, procedures), mode


@pytest.mark.django_db
def test_orientations_and_sentences_are_those_the_law_allows(dataset):
    with law.cached():
        for orientation in Orientation.objects.select_related("party").order_by("pk")[::7]:
            charges = Charge.objects.filter(procedure=orientation.procedure_id)
            if orientation.party_id:
                charges = charges.filter(party=orientation.party_id)
            kinds = list(charges.values_list("offence__kind", flat=True))
            minor = orientation.party.minor_at_facts if orientation.party else None
            findings = checks.check_orientation(
                orientation.kind,
                kinds=kinds,
                minor=minor,
                on=orientation.decided_on,
                alternative_kind=orientation.alternative_kind,
            )
            assert not findings, (orientation.pk, findings)
        for judgment in Judgment.objects.select_related("party__person").order_by("pk")[::5]:
            decisions = list(judgment.decisions.select_related("charge__offence"))
            guilty = [d.charge for d in decisions if d.verdict == "guilty"]
            assert {d.charge.party_id for d in decisions} == {judgment.party_id}
            birth = judgment.party.person.birth_date
            facts = min(d.charge.facts_from for d in decisions)
            findings = judgment_checks.check_sentences(
                [(s.kind, s.get_kind_display()) for s in judgment.sentences.all()],
                any_guilty=bool(guilty),
                offence_kinds={charge.offence.kind for charge in guilty},
                age_at_facts=age_on(birth, facts),
                age_at_decision=age_on(birth, judgment.delivered_on),
                rules=judgment_checks.sentencing_rules(judgment.delivered_on),
            )
            assert not [f for f in findings if f.blocks], (judgment.pk, findings)
            assert judgment.delivered_on >= facts


@pytest.mark.django_db
def test_each_stage_holds_what_the_chain_wrote(dataset):
    assert not Procedure.objects.filter(stage=Stage.UNDER_APPEAL, court_of_appeal=None).exists()
    assert (
        not Procedure.objects.filter(
            stage=Stage.IN_EXECUTION, judgments__execution__taken_at__isnull=False
        ).count()
        < Procedure.objects.filter(stage=Stage.IN_EXECUTION).count()
    )
    assert not Procedure.objects.filter(
        stage=Stage.AWAITING_HEARING, hearings__isnull=True
    ).exists()
    assert not Procedure.objects.filter(
        stage=Stage.DISMISSED, orientations__kind=Orientation.Kind.CRPC
    ).exists()
    # The BEX queue: executable decisions not taken in hand, as the queryset reads them.
    queue = Execution.objects.in_bex_queue()
    assert queue.exists()
    assert not queue.exclude(
        judgment__procedure__stage__in=[Stage.TO_EXECUTE, Stage.UNDER_APPEAL, Stage.IN_EXECUTION]
    ).exists()
    # A court of appeal decision replaces a first judgment that was appealed.
    for judgment in Judgment.objects.filter(replaces__isnull=False)[:50]:
        assert judgment.replaces.appeals.exists()
        assert judgment.court_id == judgment.procedure.court_of_appeal_id
    # Every date is in the dataset's past, except hearings to come.
    assert not Event.objects.filter(
        created_at__gt=datetime.datetime.combine(ANCHOR, datetime.time(12), tzinfo=datetime.UTC)
    ).exists()
    assert Hearing.objects.filter(starts_at__date__gt=ANCHOR).exists()
    assert not Judgment.objects.filter(delivered_on__gte=ANCHOR).exists()


@pytest.mark.django_db
def test_the_copies_the_database_keeps_are_written_as_its_triggers_would(dataset):
    """The rows go in with the triggers off: the generator writes the orientations' and the
    judgments' tribunal and the orientations' first judgment itself (``cases.copies``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE o.judged_on IS NOT NULL),
                   count(*) FILTER (WHERE o.judged_on IS DISTINCT FROM (
                       SELECT min(j.delivered_on) FROM cases_judgment j
                       WHERE j.procedure_id = o.procedure_id AND j.party_id = o.party_id
                         AND j.replaces_id IS NULL)),
                   count(*) FILTER (WHERE o.tribunal_id <> p.tribunal_id)
            FROM cases_orientation o JOIN cases_procedure p ON p.id = o.procedure_id
            """
        )
        judged, wrong_judged, wrong_tribunal = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM cases_judgment j JOIN cases_procedure p "
            "ON p.id = j.procedure_id WHERE j.tribunal_id <> p.tribunal_id"
        )
        (wrong_judgment_tribunal,) = cursor.fetchone()
    assert judged > 0
    assert (wrong_judged, wrong_tribunal, wrong_judgment_tribunal) == (0, 0, 0)


@pytest.mark.django_db
def test_measures_reach_the_services_that_follow_the_person_and_their_convocations(dataset):
    measures = Measure.objects.select_related("execution", "sentence", "service")
    assert measures.filter(sentence__kind=Sentence.Kind.PROBATION).exists()
    assert measures.filter(service__kind="sap").exists()
    assert measures.filter(service__kind="spip").exists()
    # Measures in execution, and measures ended two years after their decision.
    assert measures.filter(ended_on__isnull=True).exists()
    for measure in measures.filter(ended_on__isnull=False).order_by("pk")[:50]:
        delivered = measure.execution.judgment.delivered_on
        assert delivered + datetime.timedelta(days=730) <= measure.ended_on < ANCHOR
        assert measure.end_reason == Measure.End.COMPLETED
    for measure in measures.order_by("pk")[::3]:
        assert (
            measure.execution.executable_on is not None
            or measure.execution.judgment.replaced_by.exists()
        )
        assert measure.sentence.judgment_id == measure.execution.judgment_id
        assert measure.execution.judgment.party.person_id == measure.person_id
        assert Follow.objects.filter(person=measure.person_id, service=measure.service_id).exists()
    # The person's convocation booked after the decision carries its numéro de parquet.
    linked = Appointment.objects.filter(
        prosecution_number__in=Procedure.objects.filter(
            judgments__execution__measures__isnull=False
        ).values("parquet_number")
    )
    assert linked.count() > measures.values("person").distinct().count() / 4
    for appointment in linked.order_by("pk")[:100]:
        measure = Measure.objects.filter(
            person=appointment.person_id,
            execution__judgment__procedure__parquet_number=appointment.prosecution_number,
        ).first()
        assert measure is not None
        assert appointment.created_at >= measure.created_at
        # ... and executes a measure of that judgment, as one booked from the judgment would.
        executed = appointment.measure
        assert executed is not None
        assert executed.person_id == appointment.person_id
        assert appointment.judgment_id == executed.execution.judgment_id
        assert executed.execution.judgment.procedure.parquet_number == (
            appointment.prosecution_number
        )


@pytest.mark.django_db
def test_every_step_has_the_history_event_its_action_writes(dataset):
    actions = Counter(
        Event.objects.filter(action__startswith="procedure.").values_list("action", flat=True)
    )
    assert actions["procedure.registered"] == Procedure.objects.count()
    assert actions["procedure.party_added"] == Party.objects.count()
    assert actions["procedure.charge_added"] == Charge.objects.count()
    assert actions["procedure.oriented"] == Orientation.objects.count()
    assert actions["procedure.hearing_scheduled"] == Hearing.objects.count()
    assert actions["procedure.judgment_recorded"] == Judgment.objects.count()
    assert actions["procedure.judgment_served"] == Judgment.objects.exclude(served_on=None).count()
    assert actions["procedure.appeal_recorded"] == Appeal.objects.count()
    assert actions["procedure.judgment_final"] == Judgment.objects.exclude(final_on=None).count()
    assert actions["procedure.execution_taken"] == Execution.objects.exclude(taken_at=None).count()
    assert (
        actions["procedure.judgment_executable"]
        >= Execution.objects.exclude(executable_on=None).count()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM history_event e LEFT JOIN cases_procedure p "
            "ON p.id::text = e.target_id WHERE e.action LIKE 'procedure.%%' AND p.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_rows_are_valid_for_the_models_own_checks(dataset):
    assert NatinfEdition.objects.get().name == shapes.DATASET_EDITION
    assert Offence.objects.count() == 580  # the real sample at small scale
    with connection.cursor() as cursor:
        for name, join in {
            "party→person": "cases_party p LEFT JOIN people_person x ON x.id = p.person_id WHERE x.id IS NULL",
            "charge→offence": "cases_charge c LEFT JOIN cases_offence o ON o.id = c.offence_id WHERE o.id IS NULL",
            "charge→party": "cases_charge c JOIN cases_party p ON p.id = c.party_id WHERE p.procedure_id <> c.procedure_id OR p.role <> 'suspect'",
            "offence in force": "cases_charge c JOIN cases_offence o ON o.id = c.offence_id WHERE o.in_force_from > c.facts_from",
            "facts after receipt": "cases_charge c JOIN cases_procedure p ON p.id = c.procedure_id WHERE c.facts_from > p.received_on",
            "orientation→party": "cases_orientation o JOIN cases_party p ON p.id = o.party_id WHERE p.procedure_id <> o.procedure_id",
            "measure→service": "cases_measure m LEFT JOIN access_service s ON s.id = m.service_id WHERE s.id IS NULL",
        }.items():
            cursor.execute(f"SELECT count(*) FROM {join}")  # noqa: S608 - constant joins
            assert cursor.fetchone()[0] == 0, name
    for model in shapes.OWN_MODELS:
        for row in model._default_manager.order_by("pk")[::41]:
            row.full_clean(validate_unique=False)
    tribunal = Jurisdiction.objects.filter(kind="tj").first()
    new = Procedure.objects.create(
        tribunal=tribunal,
        parquet_number="27186999999",
        origin="other",
        received_on=ANCHOR,
        registered_at=timezone.now(),
    )
    assert new.pk > Procedure.objects.exclude(pk=new.pk).order_by("-pk").first().pk


def _agent(jurisdiction_id: int, profile: str) -> Agent:
    agent = Agent.objects.filter(
        service__jurisdiction_id=jurisdiction_id, profile__code=profile
    ).order_by("pk")[0]
    agent.charter_accepted_at = timezone.now()
    agent.save(update_fields=["charter_accepted_at"])
    return agent


@pytest.mark.django_db
def test_procedure_list_page_and_person_page_render_for_the_right_agents(dataset, client):
    procedure = (
        Procedure.objects.filter(
            stage=Stage.IN_EXECUTION, judgments__execution__measures__isnull=False
        )
        .order_by("pk")
        .first()
    )
    moment = datetime.datetime.combine(ANCHOR, datetime.time(13), tzinfo=datetime.UTC)
    with time_machine.travel(moment.timestamp(), tick=False):
        parquet = _agent(procedure.tribunal_id, "parquet")
        client.force_login(parquet, backend="jalon.access.backends.AgentBackend")
        listing = client.get("/procedures/")
        assert listing.status_code == 200
        assert listing.context["page"].paginator.count == (
            Procedure.objects.filter(tribunal=procedure.tribunal_id).count()
        )
        found = client.get("/procedures/", {"q": procedure.parquet_number_display})
        assert [p.pk for p in found.context["page"].object_list] == [procedure.pk]
        page = client.get(f"/procedures/{procedure.pk}/")
        assert page.status_code == 200
        assert procedure.parquet_number_display in page.content.decode()
        other = Procedure.objects.exclude(tribunal=procedure.tribunal_id).first()
        assert client.get(f"/procedures/{other.pk}/").status_code == 404
        # The person page of the convicted person, for the CPIP of the SPIP that follows them.
        measure = Measure.objects.filter(
            execution__judgment__procedure=procedure, service__kind="spip"
        ).first()
        assert measure is not None
        follow = Follow.objects.filter(
            person=measure.person_id, service__kind__in=["spip", "spip_antenna"]
        ).first()
        cpip = _agent(follow.service.jurisdiction_id, "cpip")
        cpip = Agent.objects.filter(service=follow.service, profile__code="cpip").first() or cpip
        cpip.charter_accepted_at = timezone.now()
        cpip.save(update_fields=["charter_accepted_at"])
        client.force_login(cpip, backend="jalon.access.backends.AgentBackend")
        person = client.get(f"/personnes/{measure.person_id}/")
        assert person.status_code == 200
        assert procedure.parquet_number_display in person.content.decode()


@pytest.mark.django_db
def test_reset_empties_the_procedures_and_the_dataset_referential(dataset):
    assert Procedure.objects.exists()
    reset()
    for model in shapes.OWN_MODELS:
        assert not model._default_manager.exists(), model
    assert not Event.objects.filter(action__startswith="procedure.").exists()
    assert not NatinfEdition.objects.exists()
    assert not Offence.objects.exists()
