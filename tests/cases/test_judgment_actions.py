"""Hearing, judgment, appeal, finality and execution: the actions (jalon/cases/actions/judgments.py).

The clock is frozen on Monday 5 July 2027, 10:00 in Paris (``frozen_now``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from jalon.cases.actions import judgments as actions
from jalon.cases.checks import WarningsToAcknowledge
from jalon.cases.models import (
    Acknowledgement,
    Appeal,
    ChargeDecision,
    Execution,
    Judgment,
    Measure,
    Orientation,
    Sentence,
    Stage,
)
from jalon.history.models import Event
from jalon.people.models import Follow
from tests.cases.judgment_world import oriented_case

PARIS = ZoneInfo("Europe/Paris")
TODAY = dt.date(2027, 7, 5)
GUILTY, RELAXE = ChargeDecision.Verdict.GUILTY, ChargeDecision.Verdict.ACQUITTED
PROBATION = actions.SentenceInput(
    "probation", months=12, suspended_months=12, probation_months=24, obligations=["soins"]
)

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def case(org):
    return oriented_case(org)


@pytest.fixture
def greffier(case, make_agent):
    return make_agent("greff_co", service=case.registry)


def judge(case, agent, *, sentences=(PROBATION,), mode="contradictoire", **kwargs):
    return actions.record_judgment(
        agent=agent,
        procedure=case.procedure,
        party=case.party,
        delivered_on=kwargs.pop("delivered_on", TODAY),
        delivery_mode=mode,
        verdicts=kwargs.pop("verdicts", {c.pk: GUILTY for c in case.charges}),
        sentences=list(sentences),
        **kwargs,
    )


# --- Hearing -------------------------------------------------------------------------------


def test_scheduling_a_hearing_makes_the_procedure_audiencee(case, greffier):
    starts = dt.datetime(2027, 9, 14, 13, 30, tzinfo=PARIS)
    hearing = actions.schedule_hearing(
        agent=greffier, procedure=case.procedure, starts_at=starts, chamber="10e chambre"
    )
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.AWAITING_HEARING
    assert hearing.court_id == case.procedure.tribunal_id
    assert Event.objects.filter(action=actions.HEARING_SCHEDULED).count() == 1
    # The same form sent twice schedules one hearing.
    again = actions.schedule_hearing(
        agent=greffier, procedure=case.procedure, starts_at=starts, chamber="10e chambre"
    )
    assert again == hearing and case.procedure.hearings.count() == 1


def test_a_procedure_oriented_away_from_a_trial_is_not_put_on_a_hearing(case, greffier):
    case.procedure.orientations.update(kind=Orientation.Kind.JUDICIAL_INVESTIGATION)
    with pytest.raises(ValidationError) as refused:
        actions.schedule_hearing(
            agent=greffier,
            procedure=case.procedure,
            starts_at=dt.datetime(2027, 9, 14, 13, 30, tzinfo=PARIS),
        )
    assert "pas orientée vers une juridiction de jugement" in str(refused.value)
    assert case.procedure.hearings.count() == 0


def test_a_hearing_in_the_past_is_refused(case, greffier):
    with pytest.raises(ValidationError) as refused:
        actions.schedule_hearing(
            agent=greffier,
            procedure=case.procedure,
            starts_at=dt.datetime(2027, 7, 1, 9, tzinfo=PARIS),
        )
    assert "passée" in str(refused.value.message_dict["starts_at"])
    assert case.procedure.hearings.count() == 0


def test_the_greffe_records_a_hearing_that_took_place_with_its_own_history_event(case, greffier):
    held = dt.datetime(2027, 7, 1, 13, 30, tzinfo=PARIS)
    hearing = actions.schedule_hearing(
        agent=greffier, procedure=case.procedure, starts_at=held, chamber="3e", held=True
    )
    assert hearing.starts_at == held
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.AWAITING_HEARING
    event = Event.objects.get(action=actions.HEARING_HELD)
    assert (event.actor, event.details["hearing"]) == (greffier, hearing.pk)
    assert not Event.objects.filter(action=actions.HEARING_SCHEDULED).exists()
    # Sent twice: one hearing.
    again = actions.schedule_hearing(
        agent=greffier, procedure=case.procedure, starts_at=held, chamber="3e", held=True
    )
    assert again == hearing and case.procedure.hearings.count() == 1


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (dt.datetime(2027, 7, 5, 14, 0, tzinfo=PARIS), "ne peut pas être dans le futur"),
        (dt.datetime(2027, 1, 19, 9, 0, tzinfo=PARIS), "reçue au parquet que le 20/01/2027"),
    ],
)
def test_a_held_hearing_is_neither_in_the_future_nor_before_the_receipt(
    case, greffier, starts_at, message
):
    with pytest.raises(ValidationError) as refused:
        actions.schedule_hearing(
            agent=greffier, procedure=case.procedure, starts_at=starts_at, held=True
        )
    assert message in str(refused.value.message_dict["starts_at"])
    assert case.procedure.hearings.count() == 0
    assert not Event.objects.filter(action=actions.HEARING_HELD).exists()


def test_a_judgment_is_recorded_on_a_held_hearing_but_not_before_it(case, greffier):
    hearing = actions.schedule_hearing(
        agent=greffier,
        procedure=case.procedure,
        starts_at=dt.datetime(2027, 7, 1, 13, 30, tzinfo=PARIS),
        held=True,
    )
    with pytest.raises(ValidationError) as refused:
        judge(case, greffier, hearing=hearing, delivered_on=dt.date(2027, 6, 30))
    assert "avant l’audience du 01/07/2027" in str(refused.value.message_dict["delivered_on"])
    assert not Judgment.objects.exists()
    judgment = judge(case, greffier, hearing=hearing)  # mis en délibéré, rendu le 5
    assert judgment.hearing == hearing
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.JUDGED


def test_a_judgment_cannot_name_the_hearing_of_another_procedure(case, greffier, org):
    other = oriented_case(org)
    hearing = actions.schedule_hearing(
        agent=greffier,
        procedure=other.procedure,
        starts_at=dt.datetime(2027, 7, 1, 13, 30, tzinfo=PARIS),
        held=True,
    )
    with pytest.raises(ValidationError) as refused:
        judge(case, greffier, hearing=hearing)
    assert "n’est pas une audience de la procédure" in str(refused.value.message_dict["hearing"])


def test_a_procedure_not_oriented_to_a_court_cannot_be_heard(case, greffier):
    case.procedure.stage = Stage.REGISTERED
    case.procedure.save()
    with pytest.raises(ValidationError, match="audiencée"):
        actions.schedule_hearing(
            agent=greffier,
            procedure=case.procedure,
            starts_at=dt.datetime(2027, 9, 14, 13, 30, tzinfo=PARIS),
        )


# --- Judgment ------------------------------------------------------------------------------


def test_a_contradictory_judgment_gets_its_appeal_calendar_and_art_474_deadline(case, greffier):
    judgment = judge(case, greffier)
    execution = judgment.execution
    assert execution.appeal_starts_on == TODAY
    assert execution.appeal_last_day == dt.date(2027, 7, 15)
    assert execution.final_on == dt.date(2027, 7, 16)
    # A sursis probatoire: the SPIP within 45 days, no JAP.
    assert execution.spip_by == dt.date(2027, 8, 19)
    assert execution.jap_by is None
    assert execution.executable_on is None
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.JUDGED
    assert list(judgment.sentences.values_list("kind", flat=True)) == ["probation"]
    assert judgment.decisions.get().verdict == GUILTY


def test_a_judgment_by_default_waits_for_its_service(case, greffier):
    judgment = judge(case, greffier, mode="par_defaut")
    assert judgment.execution.final_on is None
    assert judgment.execution.spip_by is None  # nobody was there to be handed a convocation
    actions.record_service(
        agent=greffier, judgment=judgment, served_on=dt.date(2027, 7, 5), today=TODAY
    )
    judgment.execution.refresh_from_db()
    assert judgment.execution.appeal_last_day == dt.date(2027, 7, 15)


def test_finality_comes_with_time_and_puts_the_decision_in_the_bex_queue_once(case, greffier, org):
    judgment = judge(case, greffier)
    assert actions.finalize_due_judgments(today=dt.date(2027, 7, 15)) == 0
    assert actions.finalize_due_judgments(today=dt.date(2027, 7, 16)) == 1
    judgment.refresh_from_db()
    assert judgment.final_on == dt.date(2027, 7, 16)
    execution = Execution.objects.get(judgment=judgment)
    assert execution.executable_on == dt.date(2027, 7, 16)
    assert execution.reason == Execution.Reason.FINAL
    assert Execution.objects.in_bex_queue().filter(tribunal=org.tj_alpha).count() == 1
    # A sursis probatoire goes to the SPIP only, with the measure on record.
    (measure,) = Measure.objects.all()
    assert measure.service == org.spip_alpha
    assert Follow.objects.filter(person=case.party.person, service=org.spip_alpha).exists()
    assert not Follow.objects.filter(person=case.party.person, service=org.sap_alpha).exists()
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.TO_EXECUTE
    # Idempotent: a second run changes nothing.
    assert actions.finalize_due_judgments(today=dt.date(2027, 8, 1)) == 0
    assert Measure.objects.count() == 1
    assert Event.objects.filter(action=actions.JUDGMENT_FINAL).count() == 1


def test_provisional_execution_makes_a_tig_executable_at_once_for_the_sap_and_spip(
    case, greffier, org
):
    tig = actions.SentenceInput("tig", hours=140, provisional_execution=True)
    judgment = judge(case, greffier, sentences=[tig])
    assert judgment.execution.executable_on == TODAY
    assert judgment.execution.reason == Execution.Reason.PROVISIONAL
    assert set(Measure.objects.values_list("service", flat=True)) == {
        org.sap_alpha.pk,
        org.spip_alpha.pk,
    }
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.TO_EXECUTE


def test_an_appeal_suspends_and_sends_the_procedure_to_the_court_of_appeal(case, greffier, org):
    judgment = judge(case, greffier)
    actions.record_appeal(
        agent=greffier, judgment=judgment, by=Appeal.By.DEFENDANT, lodged_on=dt.date(2027, 7, 5)
    )
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.UNDER_APPEAL
    assert case.procedure.court_of_appeal == org.ca
    assert actions.finalize_due_judgments(today=dt.date(2027, 8, 1)) == 0
    assert Measure.objects.count() == 0


def test_the_general_prosecutors_appeal_does_not_suspend_execution(case, greffier):
    judgment = judge(case, greffier)
    appeal = actions.record_appeal(
        agent=greffier,
        judgment=judgment,
        by=Appeal.By.GENERAL_PROSECUTOR,
        lodged_on=dt.date(2027, 7, 5),
    )
    assert not appeal.suspends
    assert actions.finalize_due_judgments(today=dt.date(2027, 7, 16)) == 1


def test_a_judgment_on_a_procedure_under_appeal_is_refused_and_nothing_is_saved(case, greffier):
    judgment = judge(case, greffier)
    actions.record_appeal(
        agent=greffier, judgment=judgment, by=Appeal.By.DEFENDANT, lodged_on=TODAY
    )
    with pytest.raises(ValidationError, match="en appel : seule la cour d’appel"):
        judge(case, greffier)
    assert Judgment.objects.count() == 1


def test_the_court_of_appeal_decision_replaces_the_first(case, greffier, make_agent, org):
    first = judge(case, greffier, sentences=[actions.SentenceInput("tig", hours=100)])
    actions.record_appeal(agent=greffier, judgment=first, by=Appeal.By.DEFENDANT, lodged_on=TODAY)
    counsellor = make_agent("juge_penal", service=case.registry)
    second = judge(
        case,
        counsellor,
        replaces=first,
        sentences=[PROBATION],
        delivered_on=TODAY,
        today=TODAY,
    )
    assert second.replaces == first and second.court == org.ca
    # Cassation: five clear days (art. 568): the sixth day after Monday 5 July is Sunday 11,
    # moved to Monday 12 (art. 801).
    assert second.execution.appeal_last_day == dt.date(2027, 7, 12)
    assert actions.finalize_due_judgments(today=dt.date(2027, 7, 20)) == 1
    first.refresh_from_db()
    assert first.final_on is None
    assert Measure.objects.get().execution.judgment == second


def test_dates_in_the_future_are_refused(case, greffier):
    with pytest.raises(ValidationError) as refused:
        judge(case, greffier, delivered_on=dt.date(2027, 7, 6))
    assert "postérieure à aujourd’hui" in str(refused.value.message_dict["delivered_on"])
    assert Judgment.objects.count() == 0 and Sentence.objects.count() == 0


def test_a_verdict_on_an_offence_the_defendant_is_not_prosecuted_for_is_refused(
    case, greffier, org
):
    other = oriented_case(org)
    verdicts = {case.charges[0].pk: GUILTY, other.charges[0].pk: GUILTY}
    with pytest.raises(ValidationError, match="n’est pas poursuivi"):
        judge(case, greffier, verdicts=verdicts)
    assert Judgment.objects.count() == 0


def test_every_prosecuted_offence_needs_a_verdict(org, make_agent):
    case = oriented_case(org, kinds=("delit", "delit"))
    agent = make_agent("greff_co", service=case.registry)
    with pytest.raises(ValidationError, match="pour chaque infraction"):
        judge(case, agent, verdicts={case.charges[0].pk: GUILTY})


def test_imprisonment_for_a_contravention_is_refused(org, make_agent):
    case = oriented_case(org, kinds=("contravention",))
    agent = make_agent("greff_co", service=case.registry)
    with pytest.raises(ValidationError, match="contravention"):
        judge(case, agent, sentences=[actions.SentenceInput("prison", months=2)])
    assert Judgment.objects.count() == 0


def test_tig_for_a_contravention_is_a_warning_to_acknowledge(org, make_agent):
    case = oriented_case(org, kinds=("contravention",))
    agent = make_agent("greff_co", service=case.registry)
    tig = actions.SentenceInput("tig", hours=35)
    with pytest.raises(WarningsToAcknowledge):
        judge(case, agent, sentences=[tig])
    judgment = judge(
        case, agent, sentences=[tig], acknowledged=["sentence_doubtful_for_contravention"]
    )
    assert Acknowledgement.objects.get().judgment == judgment


def test_tig_for_someone_under_16_at_the_judgment_is_refused(org, make_agent):
    case = oriented_case(org, birth_date=dt.date(2012, 1, 1), facts_on=dt.date(2027, 1, 10))
    agent = make_agent("greff_co", service=case.registry)
    with pytest.raises(ValidationError, match="15 ans au jour du jugement"):
        judge(case, agent, sentences=[actions.SentenceInput("tig", hours=35)])


def test_a_sentence_after_a_relaxe_on_every_offence_is_refused(case, greffier):
    with pytest.raises(ValidationError, match="relaxée"):
        judge(case, greffier, verdicts={c.pk: RELAXE for c in case.charges})


def test_an_appeal_dated_in_the_future_is_refused(case, greffier):
    judgment = judge(case, greffier)
    with pytest.raises(ValidationError, match="postérieure"):
        actions.record_appeal(
            agent=greffier, judgment=judgment, by=Appeal.By.DEFENDANT, lodged_on=dt.date(2027, 7, 9)
        )
    assert Appeal.objects.count() == 0


def test_the_bex_takes_a_decision_in_hand_once(case, greffier, make_agent, org):
    judgment = judge(
        case,
        greffier,
        sentences=[actions.SentenceInput("tig", hours=140, provisional_execution=True)],
    )
    bex = make_agent("bex", service=org.bex_alpha)
    actions.take_execution(agent=bex, execution=judgment.execution)
    actions.take_execution(agent=bex, execution=judgment.execution)
    assert Execution.objects.in_bex_queue().count() == 0
    assert Event.objects.filter(action=actions.EXECUTION_TAKEN).count() == 1
    case.procedure.refresh_from_db()
    assert case.procedure.stage == Stage.IN_EXECUTION
