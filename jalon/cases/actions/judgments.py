"""Hearing, judgment, service, appeal, finality and execution (issue 14, points 6 to 8).

Each function takes the acting agent keyword-only (``None`` for the periodic finality job),
runs in one transaction with the procedure's row locked, and writes its history event.
Refusals are ``ValidationError`` (field → French message) or ``checks.WarningsToAcknowledge``;
nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.access.roles import ServiceKind
from jalon.cases import delays, follow_up, judgment_checks
from jalon.cases.actions.acknowledgements import record_acknowledgements
from jalon.cases.checks import BLOCK, Finding, enforce
from jalon.cases.law import has_rule, rule
from jalon.cases.models import (
    TRIAL_KINDS,
    Appeal,
    Charge,
    ChargeDecision,
    CourtKind,
    Execution,
    Hearing,
    Judgment,
    Measure,
    Party,
    Procedure,
    Sentence,
    Stage,
)
from jalon.cases.sentencing import SentenceFacts, age_on, convocations_needed
from jalon.cases.sentencing import executing_service_kinds as service_kinds_for
from jalon.history.actions import record
from jalon.people.actions import follow

HEARING_SCHEDULED = "procedure.hearing_scheduled"
HEARING_HELD = "procedure.hearing_held"
JUDGMENT_RECORDED = "procedure.judgment_recorded"
JUDGMENT_SERVED = "procedure.judgment_served"
APPEAL_RECORDED = "procedure.appeal_recorded"
JUDGMENT_FINAL = "procedure.judgment_final"
JUDGMENT_EXECUTABLE = "procedure.judgment_executable"
EXECUTION_TAKEN = "procedure.execution_taken"

HEARABLE_STAGES = frozenset({Stage.ORIENTED, Stage.AWAITING_HEARING})
# A second identical submission within this window is the same form sent twice.
RESUBMISSION_WINDOW = timedelta(minutes=5)


def _lock(procedure: Procedure) -> Procedure:
    return (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("tribunal")
        .get(pk=procedure.pk)
    )


def _set_stage(procedure: Procedure, stage: str) -> None:
    if procedure.stage != stage:
        procedure.stage = stage
        procedure.save(update_fields=["stage", "updated_at"])


def _subdivision(tribunal_id: int) -> str:
    """The public-holiday calendar of a tribunal: that of its services (Alsace-Moselle …)."""
    value = (
        Service.objects.filter(jurisdiction_id=tribunal_id, is_active=True)
        .exclude(kind=ServiceKind.NATIONAL)
        .values_list("holiday_subdivision", flat=True)
        .first()
    )
    return value or ""


# --- Hearing -------------------------------------------------------------------------------


def schedule_hearing(
    *,
    agent: Agent,
    procedure: Procedure,
    starts_at: datetime,
    chamber: str = "",
    court_kind: str = CourtKind.CORRECTIONAL,
    held: bool = False,
) -> Hearing:
    """The greffe correctionnel puts an oriented procedure on a hearing; stage "audiencée".

    ``held``: the greffe records a hearing that already took place (a judgment typed after
    the hearing, a procedure entered late): its moment is past, not in the future, and not
    before the day the parquet received the procedure. Otherwise the hearing is to come.
    """
    with transaction.atomic():
        locked = _lock(procedure)
        if locked.stage not in HEARABLE_STAGES:
            raise ValidationError(
                {
                    "__all__": "Cette procédure ne peut pas être audiencée à son étape actuelle "
                    f"({locked.get_stage_display().lower()}) : elle doit être orientée vers "
                    "une juridiction de jugement."
                }
            )
        if (
            locked.stage == Stage.ORIENTED
            and not locked.orientations.current().filter(kind__in=TRIAL_KINDS).exists()
        ):
            raise ValidationError(
                {
                    "__all__": "Cette procédure n’est pas orientée vers une juridiction de "
                    "jugement (classement, alternative aux poursuites ou information "
                    "judiciaire) : elle ne peut pas être audiencée."
                }
            )
        _check_hearing_moment(locked, starts_at, held=held, time_zone=agent.service.time_zone)
        existing = locked.hearings.filter(starts_at=starts_at, cancelled_at__isnull=True).first()
        if existing is not None:  # the same form sent twice
            return existing
        hearing = Hearing.objects.create(
            procedure=locked,
            court_kind=court_kind,
            court=locked.tribunal,
            chamber=chamber,
            starts_at=starts_at,
            scheduled_at=timezone.now(),
            scheduled_by=agent,
        )
        _set_stage(locked, Stage.AWAITING_HEARING)
        record(
            HEARING_HELD if held else HEARING_SCHEDULED,
            actor=agent,
            target=locked,
            details={"hearing": hearing.pk, "starts_at": starts_at.isoformat(), "chamber": chamber},
        )
    return hearing


def _check_hearing_moment(
    procedure: Procedure, starts_at: datetime, *, held: bool, time_zone: str
) -> None:
    now = timezone.now()
    if not held:
        if starts_at < now:
            raise ValidationError(
                {
                    "starts_at": "La date d’audience est passée : choisissez une date à venir, "
                    "ou « audience qui s’est tenue » pour enregistrer une audience passée."
                }
            )
        return
    if starts_at > now:
        raise ValidationError(
            {
                "starts_at": "Une audience qui s’est tenue ne peut pas être dans le futur : "
                "corrigez la date ou choisissez « audience à venir »."
            }
        )
    day = starts_at.astimezone(ZoneInfo(time_zone)).date()
    if day < procedure.received_on:
        raise ValidationError(
            {
                "starts_at": f"L’audience ne peut pas avoir eu lieu le {day:%d/%m/%Y} : la "
                f"procédure n’a été reçue au parquet que le {procedure.received_on:%d/%m/%Y}."
            }
        )


# --- Judgment ------------------------------------------------------------------------------


@dataclass
class SentenceInput:
    kind: str
    months: int | None = None
    suspended_months: int | None = None
    probation_months: int | None = None
    hours: int | None = None
    amount_euros: Decimal | None = None
    obligations: list[str] = field(default_factory=list)
    provisional_execution: bool = False
    details: str = ""

    @property
    def label(self) -> str:
        return str(Sentence.Kind(self.kind).label)


def _charges_of(procedure: Procedure, party: Party) -> dict[int, Charge]:
    return {
        charge.pk: charge
        for charge in procedure.charges.filter(party=party).select_related("offence")
    }


def record_judgment(
    *,
    agent: Agent,
    procedure: Procedure,
    party: Party,
    delivered_on: date,
    delivery_mode: str,
    verdicts: dict[int, str],
    sentences: Sequence[SentenceInput] = (),
    served_on: date | None = None,
    hearing: Hearing | None = None,
    replaces: Judgment | None = None,
    acknowledged: Collection[str] = (),
    today: date | None = None,
) -> Judgment:
    """Record the decision on one defendant: a verdict per prosecuted offence, the sentences,
    how it was delivered; compute its appeal calendar and open its execution.

    ``replaces``: the first-instance judgment an appeal decision replaces (court of appeal).
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(procedure)
        current = (
            Judgment.objects.filter(replaces=replaces)
            if replaces is not None
            else Judgment.objects.filter(procedure=locked, party=party, replaced_by__isnull=True)
        )
        previous = current.order_by("-pk").first()
        appealed_since = replaces is None and locked.stage == Stage.UNDER_APPEAL
        if (
            previous is not None
            and not appealed_since
            and _same_submission(previous, agent, delivered_on, delivery_mode)
        ):
            return previous  # the same form sent twice (a double click)
        findings: list[Finding] = []
        if replaces is None and locked.stage == Stage.UNDER_APPEAL:
            enforce(
                [
                    Finding(
                        judgment_checks.PROCEDURE_UNDER_APPEAL,
                        BLOCK,
                        "Cette procédure est en appel : seule la cour d’appel peut statuer, "
                        "sa décision remplacera le jugement de première instance.",
                        "__all__",
                    )
                ]
            )
        if replaces is not None and locked.stage != Stage.UNDER_APPEAL:
            raise ValidationError({"__all__": "Cette procédure n’est pas en appel."})
        if replaces is not None and (
            replaces.procedure_id != locked.pk or replaces.party_id != party.pk
        ):
            raise ValidationError(
                {"__all__": "La décision remplacée n’est pas celle de ce prévenu."}
            )
        if party.procedure_id != locked.pk or not party.is_suspect:
            raise ValidationError(
                {"__all__": "Cette personne n’est pas mise en cause dans cette procédure."}
            )
        if previous is not None:
            raise ValidationError(
                {
                    "__all__": "La décision de la cour d’appel est déjà enregistrée."
                    if replaces is not None
                    else "Un jugement est déjà enregistré pour ce prévenu dans cette procédure."
                }
            )
        if hearing is not None:
            _check_judgment_hearing(locked, hearing, delivered_on, agent.service.time_zone)
        findings += judgment_checks.check_dates(delivered_on, served_on, today=today)
        charges = _charges_of(locked, party)
        person = party.person
        findings += judgment_checks.check_charges(
            set(verdicts),
            {cid: f"{c.offence.number} {c.qualification_text}" for cid, c in charges.items()},
            defendant=f"{person.last_name} {person.first_names}",
        )
        guilty = [
            cid for cid, verdict in verdicts.items() if verdict == ChargeDecision.Verdict.GUILTY
        ]
        facts_on = min((c.facts_from for c in charges.values()), default=None)
        rules = judgment_checks.sentencing_rules(min(delivered_on, today))
        findings += judgment_checks.check_sentences(
            [(s.kind, s.label) for s in sentences],
            any_guilty=bool(guilty),
            offence_kinds={charges[cid].offence.kind for cid in guilty if cid in charges},
            age_at_facts=age_on(person.birth_date, facts_on) if facts_on else None,
            age_at_decision=age_on(person.birth_date, delivered_on),
            rules=rules,
        )
        acknowledged_warnings = enforce(findings, acknowledged)
        court = locked.court_of_appeal if replaces else locked.tribunal
        judgment = Judgment.objects.create(
            procedure=locked,
            party=party,
            hearing=hearing,
            court=court,
            court_kind=CourtKind.APPEAL
            if replaces
            else (hearing.court_kind if hearing else CourtKind.CORRECTIONAL),
            delivered_on=delivered_on,
            delivery_mode=delivery_mode,
            served_on=served_on,
            replaces=replaces,
            recorded_at=timezone.now(),
            recorded_by=agent,
        )
        ChargeDecision.objects.bulk_create(
            ChargeDecision(judgment=judgment, charge_id=cid, verdict=verdict)
            for cid, verdict in verdicts.items()
        )
        created = Sentence.objects.bulk_create(
            Sentence(
                judgment=judgment,
                kind=s.kind,
                months=s.months,
                suspended_months=s.suspended_months,
                probation_months=s.probation_months,
                hours=s.hours,
                amount_euros=s.amount_euros,
                obligations=s.obligations,
                provisional_execution=s.provisional_execution,
                details=s.details,
            )
            for s in sentences
        )
        execution = _open_execution(judgment, locked, created, rules, today=today, agent=agent)
        if replaces is not None:
            # The appeal decision replaces the first one: the first leaves the BEX queue.
            Execution.objects.filter(judgment=replaces, taken_at__isnull=True).update(
                executable_on=None, reason=""
            )
        if execution.executable_on is not None:
            _set_stage(locked, Stage.TO_EXECUTE)
        else:
            _set_stage(locked, Stage.JUDGED)
        record_acknowledgements(
            agent=agent, procedure=locked, warnings=acknowledged_warnings, judgment=judgment
        )
        record(
            JUDGMENT_RECORDED,
            actor=agent,
            target=locked,
            details={
                "judgment": judgment.pk,
                "party": party.pk,
                "person": f"{person.last_name} {person.first_names}",
                "delivered_on": delivered_on.isoformat(),
                "delivery_mode": delivery_mode,
                "replaces": replaces.pk if replaces else None,
                "sentences": [s.kind for s in sentences],
            },
        )
    return judgment


def _check_judgment_hearing(
    procedure: Procedure, hearing: Hearing, delivered_on: date, time_zone: str
) -> None:
    """A judgment is delivered at its hearing or later (mis en délibéré), never before."""
    if hearing.procedure_id != procedure.pk or hearing.cancelled_at is not None:
        raise ValidationError({"hearing": "Cette audience n’est pas une audience de la procédure."})
    if hearing.starts_at is None:
        return
    day = hearing.starts_at.astimezone(ZoneInfo(time_zone)).date()
    if delivered_on < day:
        raise ValidationError(
            {
                "delivered_on": f"Le jugement ne peut pas être rendu le {delivered_on:%d/%m/%Y}, "
                f"avant l’audience du {day:%d/%m/%Y}."
            }
        )


def _same_submission(
    judgment: Judgment, agent: Agent, delivered_on: date, delivery_mode: str
) -> bool:
    """A judgment the same agent recorded with the same date and character moments ago: the
    same form sent twice, not a second decision."""
    return (
        judgment.recorded_by_id == agent.pk
        and judgment.delivered_on == delivered_on
        and judgment.delivery_mode == delivery_mode
        and judgment.recorded_at is not None
        and timezone.now() - judgment.recorded_at < RESUBMISSION_WINDOW
    )


def _appeal_days(judgment: Judgment) -> int | None:
    assert judgment.delivered_on is not None
    key = "delay.cassation.days" if judgment.replaces_id else "delay.appeal.days"
    return int(rule(key, judgment.delivered_on)) if has_rule(key, judgment.delivered_on) else None


def _calendar(execution: Execution, judgment: Judgment) -> None:
    """Fill the appeal calendar of ``execution`` from the judgment's dates and the rules."""
    assert judgment.delivered_on is not None
    days = _appeal_days(judgment)
    if days is None:
        return
    cal = delays.appeal_calendar(
        judgment.delivery_mode or delays.Delivery.CONTRADICTORY,
        judgment.delivered_on,
        judgment.served_on,
        appeal_days=days,
        subdivision=_subdivision(execution.tribunal_id),
    )
    execution.appeal_starts_on = cal.starts_on
    execution.appeal_last_day = cal.last_day
    execution.final_on = cal.final_on


def _open_execution(
    judgment: Judgment,
    procedure: Procedure,
    sentences: list[Sentence],
    rules: judgment_checks.SentencingRules,
    *,
    today: date,
    agent: Agent,
) -> Execution:
    """The judgment's calendar; executable at once when provisional execution is ordered, or
    final at once when typed after its delay ran out: both decided by ``agent``, who recorded
    it, and named as the actor of their history events."""
    assert judgment.delivered_on is not None
    execution = Execution(judgment=judgment, tribunal_id=procedure.tribunal_id)
    _calendar(execution, judgment)
    facts = [SentenceFacts(s.kind, s.months, s.suspended_months) for s in sentences]
    needs_spip, needs_jap = convocations_needed(facts, rules)
    present = judgment.delivery_mode == Judgment.DeliveryMode.ADVERSARIAL
    on = judgment.delivered_on
    if present and (needs_spip or needs_jap) and has_rule("delay.spip_after_judgment.days", on):
        deadlines = delays.convocation_deadlines(
            on,
            needs_spip=needs_spip,
            needs_jap=needs_jap,
            spip_days=int(rule("delay.spip_after_judgment.days", on)),
            jap_days=int(rule("delay.jap_after_judgment.days", on)),
        )
        execution.spip_by, execution.jap_by = deadlines.spip_by, deadlines.jap_by
    execution.save()
    if any(s.provisional_execution for s in sentences):
        _make_executable(execution, on, Execution.Reason.PROVISIONAL, rules=rules, actor=agent)
    elif execution.final_on is not None and execution.final_on <= today:
        # Recorded after its delay ran out (a judgment typed late): final at once.
        _finalize(execution, actor=agent)
    return execution


def _executing_services(tribunal_id: int, kinds: set[str]) -> dict[str, Service]:
    """The SAP of the tribunal and the SPIP serving it (first active one of each kind)."""
    found: dict[str, Service] = {}
    candidates = (
        Service.objects.filter(is_active=True, kind__in=[ServiceKind.SAP, ServiceKind.SPIP])
        .filter(Q(jurisdiction_id=tribunal_id) | Q(served_jurisdictions=tribunal_id))
        .distinct()
        .order_by("kind", "id")
    )
    for service in candidates:
        if service.kind in kinds:
            found.setdefault(service.kind, service)
    return found


def _make_executable(
    execution: Execution,
    on: date,
    reason: str,
    *,
    rules: judgment_checks.SentencingRules | None = None,
    actor: Agent | None = None,
) -> None:
    """Put the decision in the BEX queue and hand the measures to the SAP and the SPIP:
    one ``Measure`` per sentence and service, and the service follows the person."""
    if execution.executable_on is not None:
        return
    judgment = execution.judgment
    execution.executable_on = on
    execution.reason = reason
    execution.save(update_fields=["executable_on", "reason"])
    rules = rules or judgment_checks.sentencing_rules(judgment.delivered_on or on)
    person = judgment.party.person if judgment.party_id and judgment.party else None
    measures = []
    if person is not None:
        for sentence in judgment.sentences.all():
            kinds = set(
                service_kinds_for(
                    SentenceFacts(sentence.kind, sentence.months, sentence.suspended_months), rules
                )
            )
            for service in _executing_services(execution.tribunal_id, kinds).values():
                follow(person, service)
                measures.append(
                    Measure(execution=execution, sentence=sentence, service=service, person=person)
                )
    Measure.objects.bulk_create(measures, ignore_conflicts=True)
    follow_up.link_exit_convocations(judgment)
    record(
        JUDGMENT_EXECUTABLE,
        actor=actor,
        target=judgment.procedure,
        details={
            "judgment": judgment.pk,
            "reason": reason,
            "on": on.isoformat(),
            "services": sorted({m.service_id for m in measures}),
        },
    )


def _suspending_appeal(judgment: Judgment) -> bool:
    return judgment.appeals.filter(suspends=True).exists()


def _finalize(execution: Execution, *, actor: Agent | None) -> bool:
    """Make a judgment final if its delay ran out with no appeal; True if it did."""
    judgment = execution.judgment
    if (
        judgment.final_on is not None
        or execution.final_on is None
        or judgment.replaced_by.exists()
        or _suspending_appeal(judgment)
    ):
        return False
    judgment.final_on = execution.final_on
    judgment.save(update_fields=["final_on"])
    record(
        JUDGMENT_FINAL,
        actor=actor,
        target=judgment.procedure,
        details={"judgment": judgment.pk, "final_on": execution.final_on.isoformat()},
    )
    _make_executable(execution, execution.final_on, Execution.Reason.FINAL, actor=actor)
    procedure = judgment.procedure
    if procedure.stage in (Stage.JUDGED, Stage.FINAL, Stage.UNDER_APPEAL):
        _set_stage(procedure, Stage.TO_EXECUTE)
    return True


def due_for_finality(*, today: date) -> list[Execution]:
    """What ``finalize_due_judgments`` would make final on ``today`` (its ``--dry-run``):
    delay run out, not final yet, not replaced, no appeal suspending it."""
    return list(
        Execution.objects.awaiting_finality()
        .filter(final_on__lte=today)
        .exclude(judgment__appeals__suspends=True)
        .select_related("judgment__procedure")
        .order_by("final_on", "pk")
    )


def finalize_due_judgments(*, today: date | None = None, limit: int = 500) -> int:
    """The periodic job: judgments whose appeal delay ran out with no appeal become final and
    join the BEX queue. Idempotent: a judgment already final is left alone; rows locked
    ``SKIP LOCKED`` so two runs share the work."""
    today = today or timezone.localdate()
    done = 0
    ids = list(
        Execution.objects.awaiting_finality()
        .filter(final_on__lte=today)
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            execution = (
                Execution.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("judgment__procedure", "judgment__party__person")
                .filter(pk=pk)
                .first()
            )
            if execution is None:
                continue
            _lock(execution.judgment.procedure)
            if _finalize(execution, actor=None):
                done += 1
    return done


# --- Service and appeal --------------------------------------------------------------------


def record_service(
    *, agent: Agent, judgment: Judgment, served_on: date, today: date | None = None
) -> Judgment:
    """The judgment was served (signifié): the appeal delay of a default or to-serve
    judgment starts."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock(judgment.procedure)
        judgment = Judgment.objects.select_for_update(of=("self",)).get(pk=judgment.pk)
        assert judgment.delivered_on is not None
        enforce(judgment_checks.check_dates(judgment.delivered_on, served_on, today=today))
        if judgment.served_on == served_on:  # the same form sent twice
            return judgment
        judgment.served_on = served_on
        judgment.save(update_fields=["served_on"])
        execution = judgment.execution
        _calendar(execution, judgment)
        execution.save(update_fields=["appeal_starts_on", "appeal_last_day", "final_on"])
        record(
            JUDGMENT_SERVED,
            actor=agent,
            target=judgment.procedure,
            details={"judgment": judgment.pk, "served_on": served_on.isoformat()},
        )
        if execution.final_on is not None and execution.final_on <= today:
            _finalize(execution, actor=agent)
    return judgment


def record_appeal(
    *, agent: Agent, judgment: Judgment, by: str, lodged_on: date, today: date | None = None
) -> Appeal:
    """An appeal against a first-instance judgment: the procedure goes to the court of appeal
    of the tribunal's ressort. It suspends execution (unless provisional execution was
    ordered), except the procureur général's (art. 505), which does not."""
    today = today or timezone.localdate()
    with transaction.atomic():
        procedure = _lock(judgment.procedure)
        judgment = Judgment.objects.select_for_update(of=("self",)).get(pk=judgment.pk)
        if judgment.replaces_id is not None:
            raise ValidationError(
                {"__all__": "Une décision de la cour d’appel ne peut pas faire l’objet d’un appel."}
            )
        if judgment.replaced_by.exists():
            raise ValidationError({"__all__": "Ce jugement a déjà été remplacé en appel."})
        assert judgment.delivered_on is not None
        enforce(
            judgment_checks.check_appeal_date(
                lodged_on, delivered_on=judgment.delivered_on, today=today
            )
        )
        existing = judgment.appeals.filter(by=by, lodged_on=lodged_on).first()
        if existing is not None:  # the same form sent twice
            return existing
        suspends = by != Appeal.By.GENERAL_PROSECUTOR
        appeal = Appeal.objects.create(
            judgment=judgment,
            by=by,
            lodged_on=lodged_on,
            suspends=suspends,
            recorded_at=timezone.now(),
            recorded_by=agent,
        )
        execution = judgment.execution
        if suspends and execution.reason != Execution.Reason.PROVISIONAL:
            if execution.taken_at is None:
                execution.executable_on = None
                execution.reason = ""
                execution.save(update_fields=["executable_on", "reason"])
            if judgment.final_on is not None:
                judgment.final_on = None
                judgment.save(update_fields=["final_on"])
        procedure.court_of_appeal_id = procedure.tribunal.court_of_appeal_id
        procedure.stage = Stage.UNDER_APPEAL
        procedure.save(update_fields=["court_of_appeal", "stage", "updated_at"])
        record(
            APPEAL_RECORDED,
            actor=agent,
            target=procedure,
            details={
                "judgment": judgment.pk,
                "by": by,
                "lodged_on": lodged_on.isoformat(),
                "suspends": suspends,
                "court_of_appeal": procedure.court_of_appeal_id,
            },
        )
    return appeal


def take_execution(*, agent: Agent, execution: Execution) -> Execution:
    """A BEX agent takes an executable decision in hand: it leaves the queue."""
    with transaction.atomic():
        procedure = _lock(execution.judgment.procedure)
        execution = Execution.objects.select_for_update(of=("self",)).get(pk=execution.pk)
        if execution.executable_on is None:
            raise ValidationError({"__all__": "Cette décision n’est pas exécutoire."})
        if execution.taken_at is not None:  # twice: nothing more to do
            return execution
        execution.taken_at = timezone.now()
        execution.taken_by = agent
        execution.save(update_fields=["taken_at", "taken_by"])
        _set_stage(procedure, Stage.IN_EXECUTION)
        record(
            EXECUTION_TAKEN,
            actor=agent,
            target=procedure,
            details={"judgment": execution.judgment_id},
        )
    return execution


def convocation_deadline(execution: Execution | None, service_kind: str) -> date | None:
    """The art. 474 latest day for a convocation before a service of ``service_kind``."""
    if execution is None:
        return None
    if service_kind in (ServiceKind.SPIP, ServiceKind.SPIP_ANTENNA):
        return execution.spip_by
    if service_kind == ServiceKind.SAP:
        return execution.jap_by
    return None


__all__ = [
    "SentenceInput",
    "convocation_deadline",
    "due_for_finality",
    "finalize_due_judgments",
    "record_appeal",
    "record_judgment",
    "record_service",
    "schedule_hearing",
    "take_execution",
]
