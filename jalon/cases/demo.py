"""The demo's referential and penal chain.

``load_natinf_demo``: the 580 real rows of ``data/natinf-sample.csv`` (edition 2026-07).

``load_penal_demo``: a few procedures of the TJ of Strasbourg at each stage of the chain, from
the bureau d'ordre to execution, built only through the chain's own actions (registration,
orientation, hearing, judgment, service, appeal, BEX) by the demo agent of each service, so
that what a step writes is what the next one reads. Every judgment is recorded on its hearing,
entered by the greffe as a hearing that took place. One is judged today with a sursis
probatoire: its measure reaches the SPIP, whose sortie d'audience convocation is then booked by
the appointments demo (``jalon.appointments.demo.load_penal_convocation_demo``).

Dates are counted in working days of the parquet's calendar from today (Alsace-Moselle), so
the demo reads the same whatever day it is loaded. Idempotent: a procedure is known by its
numéro d'ordre (the last six digits of its numéro de parquet) among those the demo agent of
the bureau d'ordre registered, and is built only once, even when the demo is loaded again on
a later day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent, Jurisdiction
from jalon.cases.actions import judgments, orientation, registration
from jalon.cases.imports import import_natinf
from jalon.cases.models import (
    Appeal,
    ChargeDecision,
    Hearing,
    Judgment,
    NatinfEdition,
    Offence,
    Orientation,
    Party,
    Procedure,
    Sentence,
)
from jalon.core.dates import is_working_day
from jalon.people.actions import DuplicatePersonError, Identity

SAMPLE = Path(__file__).resolve().parent / "data" / "natinf-sample.csv"
SAMPLE_EDITION = "2026-07"
SAMPLE_IN_FORCE_FROM = datetime.date(2026, 7, 1)


def load_natinf_demo() -> None:
    """Import the sample once (a later real edition is left alone)."""
    if NatinfEdition.objects.exists():
        return
    import_natinf(
        SAMPLE.read_bytes(),
        edition=SAMPLE_EDITION,
        in_force_from=SAMPLE_IN_FORCE_FROM,
        agent=None,
        file_name=SAMPLE.name,
    )


# --- The penal chain ---------------------------------------------------------------------

TRIBUNAL = "tj-strasbourg"
BUREAU_D_ORDRE = "parquet@jalon.test"  # registers and completes
PROSECUTOR = "magistrat.parquet@jalon.test"  # orients
REGISTRY = "greffier.correctionnel@jalon.test"  # hearings, judgments, service, appeals
BEX = "bex@jalon.test"  # takes executable decisions in hand
HEARING_TIME = time(13, 30)
# The numéro d'ordre of the sursis probatoire procedure, which the appointments demo convokes.
PROBATION_SEQUENCE = 111


@dataclass(frozen=True)
class Who:
    last_name: str
    first_names: str
    birth_date: date
    phone: str | None = None


@dataclass(frozen=True)
class Decision:
    """A judgment on the procedure's mis en cause, its dates in working days from today."""

    delivered: int
    mode: str = Judgment.DeliveryMode.ADVERSARIAL
    sentences: tuple[judgments.SentenceInput, ...] = ()
    served: int | None = None  # signification, for a judgment by default
    appeal: int | None = None  # appeal by the defendant
    take_in_hand: bool = False  # by the BEX, once executable


@dataclass(frozen=True)
class DemoCase:
    """One procedure and how far down the chain it goes. Offsets are in working days from
    today (negative: past); ``facts`` is calendar days before the receipt."""

    sequence: int
    received: int
    origin: str
    unit: str
    summary: str
    facts: int = 2
    suspect: Who | None = None
    victim: Who | None = None
    natinf: tuple[int, ...] = ()
    completed_later: bool = False  # registered with the minimum, completed afterwards
    orientation: str = ""
    reason: str = ""
    alternative: str = ""
    oriented: int = 0  # working days after the receipt
    hearing: int | None = None
    decision: Decision | None = None


POLICE = Procedure.Origin.POLICE_REPORT
GENDARMERIE = Procedure.Origin.GENDARMERIE_REPORT
COMPLAINT = Procedure.Origin.COMPLAINT
COMMISSARIAT = "Commissariat central de Strasbourg"
Kind = Orientation.Kind
S = judgments.SentenceInput

DEMO_CASES = [
    # Registered with the minimum only (numéro, origin, receipt): completed later.
    DemoCase(101, -1, POLICE, "", "", facts=0),
    # Completed: persons through the duplicate check, NATINF offences; awaiting orientation.
    DemoCase(
        102,
        -3,
        GENDARMERIE,
        "Brigade de gendarmerie de Geispolsheim",
        "Contrôle routier de nuit : refus de souffler, puis ivresse manifeste constatée.",
        suspect=Who("WEISS", "Kevin", date(1997, 2, 11)),
        natinf=(41, 51),
        completed_later=True,
    ),
    # Oriented: classement sans suite with its reason.
    DemoCase(
        103,
        -12,
        POLICE,
        COMMISSARIAT,
        "Tags sur un abribus ; l’auteur désigné conteste, aucun témoin.",
        facts=6,
        suspect=Who("FRITSCH", "Dylan", date(2003, 8, 19)),
        natinf=(80,),
        orientation=Kind.DISMISSAL,
        reason=Orientation.DismissalReason.INSUFFICIENT,
        oriented=7,
    ),
    # Oriented: alternative to prosecution, the avertissement pénal probatoire.
    DemoCase(
        104,
        -14,
        POLICE,
        COMMISSARIAT,
        "Usage de cannabis constaté lors d’un contrôle, premier fait.",
        facts=3,
        suspect=Who("HAMIDI", "Sofiane", date(2002, 4, 3)),
        natinf=(180,),
        orientation=Kind.ALTERNATIVE,
        alternative=Orientation.AlternativeKind.PROBATIONARY_WARNING,
        oriented=8,
    ),
    # Oriented towards a CRPC, not yet before the court.
    DemoCase(
        105,
        -9,
        GENDARMERIE,
        "Brigade de gendarmerie de Geispolsheim",
        "Accident matériel, conducteur en état d’ivresse manifeste, reconnaît les faits.",
        suspect=Who("SCHAEFFER", "Olivier", date(1981, 10, 27)),
        natinf=(41,),
        orientation=Kind.CRPC,
        oriented=5,
    ),
    # Audiencée: a COPJ, hearing in a few weeks.
    DemoCase(
        106,
        -20,
        COMPLAINT,
        "",
        "Pension alimentaire impayée depuis plus de deux mois, plainte de l’ex-conjointe.",
        facts=40,
        suspect=Who("LOUX", "Patrick", date(1975, 5, 6)),
        victim=Who("LOUX", "Sandrine", date(1978, 9, 14)),
        natinf=(11,),
        orientation=Kind.COPJ,
        oriented=5,
        hearing=20,
    ),
    # Judged (contradictoire), within the appeal delay: not final yet.
    DemoCase(
        107,
        -25,
        POLICE,
        COMMISSARIAT,
        "Refus d’obtempérer lors d’un contrôle routier, véhicule retrouvé au domicile.",
        facts=1,
        suspect=Who("DIALLO", "Ibrahima", date(1993, 12, 1)),
        natinf=(50,),
        orientation=Kind.COPJ,
        oriented=3,
        decision=Decision(
            -3,
            sentences=(
                S(Sentence.Kind.FINE, amount_euros=Decimal(600)),
                S(Sentence.Kind.LICENCE_SUSPENSION, months=6),
            ),
        ),
    ),
    # Judged by default, then served: the appeal delay runs from the signification.
    DemoCase(
        108,
        -35,
        POLICE,
        COMMISSARIAT,
        "Dégradation d’un banc public, auteur identifié par la vidéoprotection.",
        facts=4,
        suspect=Who("ERNST", "Mathieu", date(1989, 3, 22)),
        natinf=(80,),
        orientation=Kind.COPJ,
        oriented=4,
        decision=Decision(
            -9,
            mode=Judgment.DeliveryMode.BY_DEFAULT,
            sentences=(S(Sentence.Kind.FINE, amount_euros=Decimal(400)),),
            served=-1,
        ),
    ),
    # Under appeal before the court of appeal of Colmar.
    DemoCase(
        109,
        -30,
        GENDARMERIE,
        "Brigade motorisée de Strasbourg",
        "Conduite en état d’ivresse manifeste et refus des vérifications, récidive contestée.",
        facts=1,
        suspect=Who("GUTH", "Stéphane", date(1986, 7, 30)),
        natinf=(41, 51),
        orientation=Kind.COPJ,
        oriented=3,
        decision=Decision(
            -6,
            sentences=(
                S(Sentence.Kind.SUSPENDED, months=4, suspended_months=4),
                S(Sentence.Kind.LICENCE_SUSPENSION, months=8),
            ),
            appeal=-2,
        ),
    ),
    # Final, in the BEX's queue "Décisions à exécuter".
    DemoCase(
        110,
        -50,
        POLICE,
        COMMISSARIAT,
        "Usage de stupéfiants réitéré malgré un avertissement pénal probatoire.",
        facts=3,
        suspect=Who("RIEHL", "Anaïs", date(1999, 1, 15)),
        natinf=(180,),
        orientation=Kind.COPJ,
        oriented=3,
        decision=Decision(-30, sentences=(S(Sentence.Kind.FINE, amount_euros=Decimal(300)),)),
    ),
    # Judged today with a sursis probatoire, provisionally executory: the BEX takes it in
    # hand, the measure reaches the SPIP, which follows the person; the sortie d'audience
    # convocation is booked by the appointments demo.
    DemoCase(
        PROBATION_SEQUENCE,
        -10,
        POLICE,
        COMMISSARIAT,
        "Conduite en état d’ivresse manifeste, troisième fait en cinq ans.",
        facts=1,
        suspect=Who("BAUER", "Julien", date(1992, 6, 9), phone="+33612345690"),
        natinf=(41,),
        orientation=Kind.CPPV,
        oriented=0,
        decision=Decision(
            0,
            sentences=(
                S(
                    Sentence.Kind.PROBATION,
                    months=6,
                    suspended_months=6,
                    probation_months=18,
                    obligations=[
                        "Obligation de soins (addictologie)",
                        "Obligation d’exercer une activité professionnelle ou de suivre une "
                        "formation",
                    ],
                    provisional_execution=True,
                ),
                S(Sentence.Kind.LICENCE_SUSPENSION, months=6),
            ),
            take_in_hand=True,
        ),
    ),
]


@dataclass
class _Chain:
    """The demo agents of the chain, the tribunal and the calendar the dates are counted in."""

    tribunal: Jurisdiction
    bureau: Agent
    prosecutor: Agent
    registry: Agent
    bex: Agent
    today: date

    def day(self, offset: int) -> date:
        """``offset`` working days of the parquet's calendar from today: today itself when it
        is a working day and ``offset`` is 0, else the nearest one in the offset's direction
        (the last working day for a past offset or 0)."""
        subdivision = self.bureau.service.holiday_subdivision
        step = 1 if offset > 0 else -1
        day = self.today
        while not is_working_day(day, subdivision):
            day += timedelta(days=step)
        for _ in range(abs(offset)):
            day += timedelta(days=step)
            while not is_working_day(day, subdivision):
                day += timedelta(days=step)
        return day


def _chain() -> _Chain | None:
    agents = {
        agent.email: agent
        for agent in Agent.objects.select_related("service").filter(
            email__in=[BUREAU_D_ORDRE, PROSECUTOR, REGISTRY, BEX], is_active=True
        )
    }
    tribunal = Jurisdiction.objects.filter(code=TRIBUNAL).first()
    if tribunal is None or len(agents) < 4 or not NatinfEdition.objects.exists():
        return None
    return _Chain(
        tribunal,
        agents[BUREAU_D_ORDRE],
        agents[PROSECUTOR],
        agents[REGISTRY],
        agents[BEX],
        timezone.localdate(),
    )


def demo_procedure(sequence: int) -> Procedure | None:
    """The demo procedure with numéro d'ordre ``sequence``, if loaded."""
    return (
        Procedure.objects.filter(
            tribunal__code=TRIBUNAL,
            registered_by__email=BUREAU_D_ORDRE,
            parquet_number__endswith=f"{sequence:06d}",
        )
        .order_by("pk")
        .first()
    )


def _parquet_number(received_on: date, sequence: int) -> str:
    return f"{received_on:%y}{received_on.timetuple().tm_yday:03d}{sequence:06d}"


def _party(chain: _Chain, procedure: Procedure, who: Who, role: str) -> Party:
    """Register the person through the national duplicate check; a person the check finds
    for certain (already registered, e.g. by an earlier demo) is used as is."""
    identity = Identity(
        last_name=who.last_name,
        first_names=who.first_names,
        birth_date=who.birth_date,
        phone=who.phone,
        has_no_mobile=who.phone is None,
    )
    try:
        return registration.add_new_person(
            agent=chain.bureau, procedure=procedure, role=role, identity=identity
        )
    except DuplicatePersonError as duplicate:
        if duplicate.report.certain:
            person = duplicate.report.certain[0][0]
            return registration.add_existing_person(
                agent=chain.bureau, procedure=procedure, role=role, person=person
            )
        # Only a probable match (same name, another birth date…): the agent confirms.
        return registration.add_new_person(
            agent=chain.bureau,
            procedure=procedure,
            role=role,
            identity=identity,
            confirm_probable=True,
        )


def _build(chain: _Chain, case: DemoCase) -> Procedure:
    received_on = chain.day(case.received)
    facts_on = received_on - timedelta(days=case.facts)
    details = registration.ProcedureData(
        parquet_number=_parquet_number(received_on, case.sequence),
        origin=case.origin,
        received_on=received_on,
        origin_unit=case.unit,
        facts_from=facts_on if case.summary else None,
        summary=case.summary,
    )
    minimum = registration.ProcedureData(
        parquet_number=details.parquet_number, origin=case.origin, received_on=received_on
    )
    procedure = registration.register_procedure(
        agent=chain.bureau,
        tribunal=chain.tribunal,
        data=minimum if case.completed_later or not case.summary else details,
    )
    if case.completed_later:
        registration.update_procedure(agent=chain.bureau, procedure=procedure, data=details)
    suspect = _party(chain, procedure, case.suspect, Party.Role.SUSPECT) if case.suspect else None
    if case.victim is not None:
        _party(chain, procedure, case.victim, Party.Role.VICTIM)
    for number in case.natinf:
        registration.add_charge(
            agent=chain.bureau,
            procedure=procedure,
            data=registration.ChargeData(
                natinf=number, facts_from=facts_on, place="Strasbourg", party=suspect
            ),
        )
    if not case.orientation:
        return procedure
    orientation.orient(
        agent=chain.prosecutor,
        procedure=procedure,
        data=orientation.OrientationData(
            kind=case.orientation,
            decided_on=chain.day(case.received + case.oriented),
            party=suspect,
            reason=case.reason,
            alternative_kind=case.alternative,
        ),
    )
    if case.hearing is not None:
        zone = ZoneInfo(chain.registry.service.time_zone)
        judgments.schedule_hearing(
            agent=chain.registry,
            procedure=procedure,
            starts_at=datetime.datetime.combine(chain.day(case.hearing), HEARING_TIME, zone),
            chamber="Chambre correctionnelle (juge unique)",
        )
    if case.decision is not None and suspect is not None:
        _decide(chain, procedure, suspect, case.decision)
    return procedure


def _held_hearing(chain: _Chain, procedure: Procedure, delivered_on: date) -> Hearing:
    """The hearing the judgment was delivered at, recorded by the greffe as one that took
    place: on the day of the judgment at ``HEARING_TIME``, or, for a judgment of today loaded
    before that time, on the working day before (the judgment mis en délibéré)."""
    zone = ZoneInfo(chain.registry.service.time_zone)
    day = delivered_on
    starts_at = datetime.datetime.combine(day, HEARING_TIME, zone)
    if starts_at > timezone.now():
        subdivision = chain.registry.service.holiday_subdivision
        day -= timedelta(days=1)
        while not is_working_day(day, subdivision):
            day -= timedelta(days=1)
        starts_at = datetime.datetime.combine(day, HEARING_TIME, zone)
    return judgments.schedule_hearing(
        agent=chain.registry,
        procedure=procedure,
        starts_at=starts_at,
        chamber="Chambre correctionnelle (juge unique)",
        held=True,
    )


def _decide(chain: _Chain, procedure: Procedure, suspect: Party, decision: Decision) -> None:
    """Record the hearing that took place and the judgment delivered at it (guilty on every
    charge), then what followed it."""
    delivered_on = chain.day(decision.delivered)
    judgment = judgments.record_judgment(
        agent=chain.registry,
        procedure=procedure,
        party=suspect,
        hearing=_held_hearing(chain, procedure, delivered_on),
        delivered_on=delivered_on,
        delivery_mode=decision.mode,
        verdicts={
            charge.pk: ChargeDecision.Verdict.GUILTY for charge in suspect.charges.order_by("pk")
        },
        sentences=decision.sentences,
        today=chain.today,
    )
    if decision.served is not None:
        judgments.record_service(
            agent=chain.registry,
            judgment=judgment,
            served_on=chain.day(decision.served),
            today=chain.today,
        )
    if decision.appeal is not None:
        judgments.record_appeal(
            agent=chain.registry,
            judgment=judgment,
            by=Appeal.By.DEFENDANT,
            lodged_on=chain.day(decision.appeal),
            today=chain.today,
        )
    if decision.take_in_hand:
        judgments.take_execution(agent=chain.bex, execution=judgment.execution)


def _referential_covers(chain: _Chain) -> bool:
    """Whether every demo offence is in force on the earliest demo facts (the sample edition
    is in force from 1 July 2026: a clock set before the autumn of 2026 gets no procedures
    rather than a failed ``make run``)."""
    earliest = min(chain.day(case.received) - timedelta(days=case.facts) for case in DEMO_CASES)
    numbers = {number for case in DEMO_CASES for number in case.natinf}
    found = Offence.objects.in_force_on(earliest).filter(number__in=numbers).count()
    return found == len(numbers)


@transaction.atomic
def load_penal_demo() -> int:
    """The demo procedures of the TJ of Strasbourg not loaded yet; how many were made."""
    chain = _chain()
    if chain is None or not _referential_covers(chain):
        return 0
    made = 0
    for case in DEMO_CASES:
        if demo_procedure(case.sequence) is None:
            _build(chain, case)
            made += 1
    return made
