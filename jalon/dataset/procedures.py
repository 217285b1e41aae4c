"""Penal procedures of the synthetic dataset (issue 14, point 13): 1,000,000 at national scale.

A phase of ``generate`` (registered by the app config), run after the persons and the
situations, foreign-key triggers off and plain indexes dropped. Each procedure is drawn as a
path through the chain and cut at the anchor day: registration at the bureau d'ordre of a TJ,
parties (mis en cause, victims, civil parties: persons already generated in the TJ's area),
charges (offences of the imported NATINF referential), the parquet's orientation, a hearing,
a judgment per defendant with its decisions per charge and its sentences, its appeal
calendar and execution (``Execution``), appeals and the court of appeal's decision, finality,
the BEX's taking in hand. Every step is dated; a step that would fall after the anchor has
not happened yet, so recent procedures are less advanced, as in a real court. The stage of
each procedure is the one the chain's actions leave after its last step; the history events
are those the actions write (``procedure.registered`` … ``procedure.execution_taken``).

Values the law decides are read where the actions read them: the orientations allowed for
the offences and the age at the facts (``checks.allowed_orientations``), the court seized
(``checks.court_for``), the alternatives in force (the avertissement pénal probatoire from
2023), the appeal calendar (``delays.appeal_calendar`` with the ``delay.*`` rules and the
tribunal's public holidays), the art. 474 deadlines and the services that execute each
sentence (``judgment_checks.sentencing_rules``). Decisions that need the SAP or the SPIP get
their ``Measure`` rows, the person is followed by those services (a ``Follow`` is added when
missing, as ``follow()`` does), and the person's first convocation of that service booked
after the decision carries the numéro de parquet (``Appointment.prosecution_number``).

The referential: when the database has no NATINF edition, the phase imports one through the
import of the product (``jalon.cases.imports``), in force from before the oldest facts: the
580 real rows of the sample at small scale; at national scale the sample completed to the
size of the real list (17,163 rows) by ``jalon.cases.synthetic`` (synthetic wordings: not
real data). ``--reset`` deletes that edition and its offences.

Known differences from the actions: the stages « Définitive » (a judgment become final that
acquits on every charge: nothing to execute) and « Close » (an alternative to prosecution or
a composition pénale decided over six months ago, carried out) are set by the dataset; no
action sets them yet, so they have no history event. Appeals are lodged by the defendant,
the procureur de la République or the civil party (the procureur général's, which does not
suspend, is left out). The court of appeal's decisions are recorded without an agent (the
dataset has no greffe of a court of appeal).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.backends.utils import CursorWrapper

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.access.roles import ServiceKind
from jalon.cases import checks, delays, judgment_checks, law
from jalon.cases.models import (
    CourtKind,
    Execution,
    Offence,
    Orientation,
    Procedure,
    Stage,
    minor_on,
)
from jalon.cases.sentencing import SentenceFacts, convocations_needed, executing_service_kinds
from jalon.core.parquet import format_parquet_number
from jalon.dataset.calendar import zone
from jalon.dataset.procedure_shapes import (
    ACQUITTAL_SHARE,
    ADULT_ONLY,
    AGENT_PROFILES,
    APPEAL_SHARE,
    APPELLANTS,
    BARE_SHARE,
    CHAMBERS,
    CHARGES,
    CHUNK,
    CIVIL_PARTY_SHARE,
    DELIVERY,
    DISMISSAL_REASONS,
    FINALIZED,
    HISTORY_DAYS,
    MAIN_SENTENCES,
    MEASURE_DAYS,
    NO_SUSPECT_SHARE,
    OBLIGATIONS,
    OFFENCE_KINDS,
    OK,
    ORIENTATION_WEIGHTS,
    ORIGINS,
    PROHIBITIONS,
    PROVISIONAL_SHARE,
    SUMMARIES,
    SUSPECTS,
    TABLES,
    TAKEN_SHARE,
    VICTIMS,
    Court,
    K,
    Rows,
    ensure_referential,
    judged,
    offences_in_force,
    weighted,
)
from jalon.dataset.situations import apportion
from jalon.dataset.writer import check_columns, copy_rows, next_id

if TYPE_CHECKING:
    from jalon.dataset.generate import Context
    from jalon.dataset.organisation import Ressort

# --- the generator ----------------------------------------------------------------------


class ProcedureGenerator:
    def __init__(self, context: Context, courts: list[Court]) -> None:
        for _, model, columns, _ in TABLES:
            check_columns(model, columns)
        assert context.organisation is not None
        self.rng = random.Random(f"{context.seed}:procedures")  # noqa: S311 - synthetic data
        self.anchor = context.anchor
        self.anchor_day = context.anchor.date()
        self.first_day = self.anchor_day - timedelta(days=HISTORY_DAYS)
        self.labels = context.organisation.agent_labels
        self.courts = courts
        self.target_type = ContentType.objects.get_for_model(Procedure).pk
        self.offences = offences_in_force(self.first_day - timedelta(days=400))
        self.offence_kinds = [(kind, w) for kind, w in OFFENCE_KINDS if self.offences.get(kind)]
        sources: list[tuple[str, type[models.Model]]] = [
            (key, model) for key, model, _, _ in TABLES
        ]
        self.ids = {name: next_id(model) for name, model in sources}
        self.followed: set[tuple[int, int]] = set()

    def _id(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    def _at(self, day: date, hour: int) -> datetime:
        moment = datetime.combine(day, clock(hour), tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(240)
        )
        return min(moment, self.anchor - timedelta(minutes=1))

    def _later(self, moment: datetime, minutes: int) -> datetime:
        """A few minutes later, but never after the anchor (the present of the dataset)."""
        return min(moment + timedelta(minutes=minutes), self.anchor - timedelta(seconds=30))

    def _event(
        self, rows: Rows, at: datetime, actor: int | None, action: str, pk: int, label: str,
        details: dict[str, Any],
    ) -> None:  # fmt: skip
        rows.history.append(
            (self._id("procedure history events"), at, actor,
             self.labels.get(actor, "") if actor else "", action, self.target_type, str(pk),
             label, None, "", json.dumps(details))
        )  # fmt: skip

    # --- one procedure ------------------------------------------------------------------

    def procedure(self, rows: Rows, court: Court, persons: dict[int, tuple[str, date]]) -> None:
        rng = self.rng
        pk = self._id("procedures")
        received = self.first_day + timedelta(days=rng.randrange(HISTORY_DAYS))
        registered = min(received + timedelta(days=int(rng.expovariate(1 / 3))), self.anchor_day)
        registered_at = self._at(registered, 8)
        number = court.sequence.get(registered.toordinal(), 0) + 1
        court.sequence[registered.toordinal()] = number
        parquet = f"{registered:%y}{registered.timetuple().tm_yday:03d}{number:06d}"
        label = f"Procédure {format_parquet_number(parquet)}"
        clerk = court.agent(rng, "parquet", "procureur_republique")
        origin = weighted(rng, ORIGINS)
        unit = {
            "police": f"Commissariat de police de {court.city}",
            "gendarmerie": f"Brigade de gendarmerie de {court.city}",
        }.get(origin, "")
        reference = f"{rng.randrange(1, 10**5):05d}/{received:%Y}" if unit else ""
        steps: list[tuple[datetime, int, str]] = [(registered_at, 0, Stage.REGISTERED)]
        self._event(rows, registered_at, clerk, "procedure.registered", pk, label,
                    {"parquet_number": parquet, "tribunal": court.name, "origin": origin})  # fmt: skip
        facts_from: date | None = None
        facts_until: date | None = None
        court_of_appeal = None
        if rng.random() >= BARE_SHARE:
            facts_from = received - timedelta(days=min(int(rng.expovariate(1 / 40)), 700))
            if rng.random() < 0.15:
                facts_until = facts_from + timedelta(days=rng.randint(1, 60))
                facts_until = min(facts_until, received)
            court_of_appeal = self._case(
                rows, court, pk, label, persons, registered_at, received, facts_from,
                facts_until, steps,
            )  # fmt: skip
        stage = self._stage(steps)
        updated = max(at for at, _, _ in steps)
        rows.procedures.append(
            (pk, parquet, origin, unit, reference, rng.choice(SUMMARIES), facts_from, facts_until,
             received, registered_at, stage, registered_at, updated, court_of_appeal, clerk,
             court.id)
        )  # fmt: skip

    def _stage(self, steps: list[tuple[datetime, int, str]]) -> str:
        """The stage the actions leave: each step changes it in the order it happened."""
        stage = Stage.REGISTERED
        for _, _, change in sorted(steps, key=lambda step: (step[0], step[1])):
            if change != FINALIZED:
                stage = Stage(change)
            elif stage in (Stage.JUDGED, Stage.FINAL, Stage.UNDER_APPEAL):
                stage = Stage.TO_EXECUTE
        return stage

    def _case(
        self, rows: Rows, court: Court, pk: int, label: str, persons: dict[int, tuple[str, date]],
        registered_at: datetime, received: date, facts_from: date, facts_until: date | None,
        steps: list[tuple[datetime, int, str]],
    ) -> int | None:  # fmt: skip
        """Parties, charges, then the parquet's orientation and what follows it."""
        rng = self.rng
        clerk = court.agent(rng, "parquet", "procureur_republique")
        pool = court.pool
        suspect_count = 0 if rng.random() < NO_SUSPECT_SHARE else weighted(rng, SUSPECTS)
        victim_count = weighted(rng, VICTIMS)
        chosen = rng.sample(pool, min(len(pool), suspect_count + victim_count))
        suspects = chosen[:suspect_count]
        victims = chosen[suspect_count:]
        moment = registered_at
        parties: list[tuple[int, int, bool | None]] = []  # (party id, person, minor)
        victim_parties: list[tuple[int, int]] = []
        for person, role in [
            *((p, "suspect") for p in suspects),
            *((p, "victim") for p in victims),
        ]:
            moment = self._later(moment, rng.randint(1, 20))
            party = self._id("parties")
            name, birth = persons[person]
            minor = minor_on(birth, facts_from)
            rows.parties.append((party, role, minor, moment, clerk, person, pk))
            role_label = "Mis en cause" if role == "suspect" else "Victime"
            self._event(rows, moment, clerk, "procedure.party_added", pk, label,
                        {"party": party, "person": person, "role": role,
                         "label": f"{name} ({role_label})", "new_person": False})  # fmt: skip
            if role == "suspect":
                parties.append((party, person, minor))
            else:
                victim_parties.append((party, person))
        # Charges: each mis en cause is prosecuted for one to three offences.
        charges: dict[int, list[tuple[int, str]]] = {}  # party → [(charge id, kind)]
        for party, _, _ in parties or [(None, None, None)]:  # type: ignore[list-item]
            kinds_here = []
            for _ in range(weighted(rng, CHARGES) if party else 1):
                kind = weighted(rng, self.offence_kinds)
                offence_id, natinf, wording = rng.choice(self.offences[kind])
                moment = self._later(moment, rng.randint(1, 15))
                charge = self._id("charges")
                start = facts_from + timedelta(days=rng.randint(0, 3))
                start = min(start, received)
                until = facts_until if facts_until and facts_until >= start else None
                rows.charges.append(
                    (charge, wording, start, until, court.city, moment, clerk, None, offence_id,
                     party, pk)
                )  # fmt: skip
                self._event(rows, moment, clerk, "procedure.charge_added", pk, label,
                            {"charge": charge, "natinf": natinf,
                             "label": f"NATINF {natinf} — {wording}"[:300], "party": party})  # fmt: skip
                kinds_here.append((charge, kind))
            charges[party] = kinds_here
        steps.append((moment, 1, Stage.REGISTERED))
        return self._orient(
            rows, court, pk, label, received, parties, victim_parties, charges, steps, moment,
            persons,
        )  # fmt: skip

    def _orient(
        self, rows: Rows, court: Court, pk: int, label: str, received: date,
        parties: list[tuple[int, int, bool | None]], victims: list[tuple[int, int]],
        charges: dict[Any, list[tuple[int, str]]], steps: list[tuple[datetime, int, str]],
        after: datetime, persons: dict[int, tuple[str, date]],
    ) -> int | None:  # fmt: skip
        rng = self.rng
        decided = after.date() + timedelta(days=int(rng.expovariate(1 / 30)))
        if decided >= self.anchor_day:
            return None
        magistrate = court.agent(rng, "prosecutor", "procureur_republique")
        kinds = [kind for found in charges.values() for _, kind in found]
        governing = checks.governing_kind(kinds) or "delit"
        # Co-defendants are oriented alike: only what the law allows for each of them.
        allowed: list[str] = [OK.DISMISSAL]
        if parties:
            allowed = list(OK.values)
            for party, _, party_minor in parties:
                own = [kind for _, kind in charges[party]]
                permitted = checks.allowed_orientations(own, minor=party_minor, on=decided)
                allowed = [kind for kind in allowed if kind in permitted]
        weights = ORIENTATION_WEIGHTS[governing]
        kind = weighted(rng, [(k, weights.get(k, 0)) for k in allowed if weights.get(k)])
        reason = ""
        if kind == OK.DISMISSAL:
            reason = "unknown_author" if not parties else weighted(rng, DISMISSAL_REASONS)
        alternative = ""
        if kind == OK.ALTERNATIVE:
            alternative = rng.choice(checks.allowed_alternatives(decided))
        text = str(OK(kind).label)
        if reason:
            text += f" — {Orientation.DismissalReason(reason).label}"
        if alternative:
            text += f" — {Orientation.AlternativeKind(alternative).label}"
        at = self._at(decided, 9)
        for party, _, party_minor in parties or [(None, None, None)]:  # type: ignore[list-item]
            orientation = self._id("orientations")
            court_name = court_names(kind, bool(party_minor), decided, court.name)
            rows.orientations.append(
                (orientation, kind, reason, alternative, court_name, "", decided, None, at,
                 magistrate, party, pk, court.id, None)
            )  # fmt: skip
            self._event(rows, at, magistrate, "procedure.oriented", pk, label,
                        {"orientation": orientation, "kind": kind, "party": party,
                         "label": text, "replaces": None})  # fmt: skip
        if kind == OK.DISMISSAL:
            steps.append((at, 2, Stage.DISMISSED))
            return None
        steps.append((at, 2, Stage.ORIENTED))
        if kind in (OK.ALTERNATIVE, OK.PENAL_COMPOSITION):
            if (self.anchor_day - decided).days > 180:
                steps.append((self._at(decided + timedelta(days=180), 10), 3, Stage.CLOSED))
            return None
        if kind == OK.JUDICIAL_INVESTIGATION:
            return None
        return self._trial(
            rows, court, pk, label, kind, governing, decided, parties, victims, charges, steps,
            persons,
        )  # fmt: skip

    def _trial(
        self, rows: Rows, court: Court, pk: int, label: str, kind: str, governing: str,
        decided: date, parties: list[tuple[int, int, bool | None]], victims: list[tuple[int, int]],
        charges: dict[Any, list[tuple[int, str]]], steps: list[tuple[datetime, int, str]],
        persons: dict[int, tuple[str, date]],
    ) -> int | None:  # fmt: skip
        rng = self.rng
        registry = court.agent(rng, "greff_co")
        minor = any(m for _, _, m in parties)
        court_kind = (
            CourtKind.POLICE
            if kind == OK.POLICE_COURT_SUMMONS
            else (CourtKind.JUVENILE if minor else CourtKind.CORRECTIONAL)
        )
        hearing = None
        if kind == OK.PENAL_ORDER:  # written procedure: no hearing
            judged_on = decided + timedelta(days=rng.randint(20, 120))
        else:
            scheduled_on = decided + timedelta(days=rng.randint(0, 10))
            if scheduled_on >= self.anchor_day:
                return None
            wait = rng.randint(0, 3) if kind == OK.IMMEDIATE_TRIAL else rng.randint(30, 200)
            judged_on = scheduled_on + timedelta(days=wait)
            while judged_on.weekday() >= 5:
                judged_on += timedelta(days=1)
            local = datetime.combine(
                judged_on, clock(9 if kind == OK.IMMEDIATE_TRIAL else 13, 30),
                tzinfo=zone(court.time_zone),
            )  # fmt: skip
            starts_at = local.astimezone(UTC)
            scheduled_at = self._at(scheduled_on, 10)
            hearing = self._id("hearings")
            chamber = CHAMBERS[2] if kind == OK.CRPC else rng.choice(CHAMBERS[:2])
            rows.hearings.append(
                (hearing, court_kind, chamber, starts_at, scheduled_at, None, scheduled_at,
                 court.id, registry, pk)
            )  # fmt: skip
            self._event(rows, scheduled_at, registry, "procedure.hearing_scheduled", pk, label,
                        {"hearing": hearing, "starts_at": starts_at.isoformat(),
                         "chamber": chamber})  # fmt: skip
            steps.append((scheduled_at, 4, Stage.AWAITING_HEARING))
        if judged_on >= self.anchor_day:
            return None
        # Victims present at the trial may become civil parties (another role, same person).
        for _, person in victims:
            if rng.random() < CIVIL_PARTY_SHARE:
                civil = self._id("parties")
                at = self._at(judged_on - timedelta(days=rng.randint(1, 20)), 9)
                rows.parties.append((civil, "civil_party", None, at, registry, person, pk))
                self._event(rows, at, registry, "procedure.party_added", pk, label,
                            {"party": civil, "person": person, "role": "civil_party",
                             "label": f"{persons[person][0]} (Partie civile)",
                             "new_person": False})  # fmt: skip
        mode = weighted(rng, DELIVERY)
        appealed_to = None
        for party, person, party_minor in parties:
            if self._judgment(
                rows, court, pk, label, label.removeprefix("Procédure ").replace(" ", ""),
                party, person, bool(party_minor), persons[person][1],
                charges[party], judged_on, mode, hearing, court_kind, registry, steps,
            ):  # fmt: skip
                appealed_to = court.court_of_appeal
        return appealed_to

    def _sentences(
        self, judgment: int, governing: str, adult: bool, rows: Rows
    ) -> list[tuple[int, str, int | None, int | None, bool]]:
        """The sentences of a conviction: (id, kind, months, suspended, provisional)."""
        rng = self.rng
        choices = [
            (kind, weight)
            for kind, weight in MAIN_SENTENCES["contravention" if governing == "contravention" else "delit"]
            if adult or kind not in ADULT_ONLY
        ]  # fmt: skip
        kinds = [weighted(rng, choices)]
        if governing != "contravention" and rng.random() < 0.12:
            kinds.append(K.LICENCE_SUSPENSION)
        if kinds[0] != K.FINE and rng.random() < 0.15:
            kinds.append(K.FINE)
        made = []
        for kind in kinds:
            months = suspended = probation = hours = None
            amount = None
            obligations: list[str] = []
            details = ""
            if kind == K.PRISON:
                months = rng.choice((2, 3, 4, 6, 8, 10, 12, 18, 24, 36))
                suspended = rng.choice((0, 0, months // 2)) or None
            elif kind in (K.SUSPENDED, K.PROBATION):
                months = rng.choice((2, 3, 4, 6, 8, 10, 12))
                suspended = months
                if kind == K.PROBATION:
                    probation = rng.choice((12, 18, 24, 36))
                    obligations = rng.sample(OBLIGATIONS, rng.randint(1, 3))
            elif kind == K.COMMUNITY_SERVICE:
                hours = rng.choice((35, 70, 105, 140, 210))
            elif kind in (K.ELECTRONIC_HOME_DETENTION, K.OTHER_ADJUSTMENT):
                months = rng.choice((2, 3, 4, 6))
            elif kind == K.FINE:
                amount = Decimal(rng.choice((90, 135, 200, 300, 500, 800, 1500, 3000)))
            elif kind == K.LICENCE_SUSPENSION:
                months = rng.choice((3, 6, 12))
            elif kind == K.PROHIBITION:
                details = rng.choice(PROHIBITIONS)
            provisional = (
                kind in (K.PRISON, K.PROBATION, K.ELECTRONIC_HOME_DETENTION)
                and rng.random() < PROVISIONAL_SHARE
            )
            sentence = self._id("sentences")
            rows.sentences.append(
                (sentence, kind, months, suspended, probation, hours, amount,
                 json.dumps(obligations), provisional, details, judgment)
            )  # fmt: skip
            made.append((sentence, kind, months, suspended, provisional))
        return made

    def _judgment(
        self, rows: Rows, court: Court, pk: int, label: str, parquet: str, party: int,
        person: int,
        minor: bool, birth: date, charges: list[tuple[int, str]], judged_on: date, mode: str,
        hearing: int | None, court_kind: str, registry: int | None,
        steps: list[tuple[datetime, int, str]], replaces: int | None = None,
    ) -> bool:  # fmt: skip
        """One judgment (a court of appeal's when ``replaces``); True when appealed."""
        rng = self.rng
        judgment = self._id("judgments")
        recorded_at = self._at(judged_on + timedelta(days=int(rng.expovariate(1 / 2))), 15)
        served = None
        if mode != "contradictoire":
            served = judged_on + timedelta(days=rng.randint(10, 150))
            served = served if served < self.anchor_day else None
        verdicts = []
        for charge, kind in charges:
            verdict = "relaxe" if rng.random() < ACQUITTAL_SHARE else "guilty"
            rows.decisions.append((self._id("charge decisions"), verdict, charge, judgment))
            verdicts.append((verdict, kind))
        guilty = {kind for verdict, kind in verdicts if verdict == "guilty"}
        governing = checks.governing_kind(guilty) or "delit"
        age = (
            judged_on.year
            - birth.year
            - ((judged_on.month, judged_on.day) < (birth.month, birth.day))
        )
        sentences = (
            self._sentences(judgment, governing, adult=not minor and age >= 18, rows=rows)
            if guilty
            else []
        )
        rules = judgment_checks.sentencing_rules(judged_on)
        days = int(law.rule("delay.cassation.days" if replaces else "delay.appeal.days", judged_on))
        calendar = appeal_calendar(mode, judged_on, served, days, court.subdivision)
        facts = [
            SentenceFacts(kind, months, suspended) for _, kind, months, suspended, _ in sentences
        ]
        spip_by = jap_by = None
        if mode == "contradictoire" and law.has_rule("delay.spip_after_judgment.days", judged_on):
            needs_spip, needs_jap = convocations_needed(facts, rules)
            deadlines = delays.convocation_deadlines(
                judged_on, needs_spip=needs_spip, needs_jap=needs_jap,
                spip_days=int(law.rule("delay.spip_after_judgment.days", judged_on)),
                jap_days=int(law.rule("delay.jap_after_judgment.days", judged_on)),
            )  # fmt: skip
            spip_by, jap_by = deadlines.spip_by, deadlines.jap_by
        actor = None if replaces else registry
        if hearing is None and replaces is None:
            court_kind = CourtKind.CORRECTIONAL  # as the action records a judgment without hearing
        self._event(rows, recorded_at, actor, "procedure.judgment_recorded", pk, label,
                    {"judgment": judgment, "party": party, "delivered_on": judged_on.isoformat(),
                     "delivery_mode": mode, "replaces": replaces,
                     "sentences": [kind for _, kind, _, _, _ in sentences]})  # fmt: skip
        provisional = any(s[4] for s in sentences)
        executable_on: date | None = None
        reason = ""
        final_on = None
        if provisional:  # executable at once, appeal or not
            executable_on, reason = judged_on, Execution.Reason.PROVISIONAL
        steps.append((recorded_at, 5, Stage.TO_EXECUTE if provisional else Stage.JUDGED))
        if served is not None:
            at = max(self._at(served, 11), recorded_at)
            self._event(rows, at, registry, "procedure.judgment_served", pk, label,
                        {"judgment": judgment, "served_on": served.isoformat()})  # fmt: skip
        # An appeal within the delay (never against a court of appeal's decision).
        appealed_on = appeal_decided = None
        if (
            replaces is None
            and calendar.starts_on is not None
            and calendar.starts_on + timedelta(days=1) < self.anchor_day
            and rng.random() < APPEAL_SHARE
        ):
            appealed_on = calendar.starts_on + timedelta(days=rng.randint(1, days))
            appealed_on = min(appealed_on, self.anchor_day - timedelta(days=1))
            by = weighted(rng, APPELLANTS)
            at = max(self._at(appealed_on, 14), recorded_at)
            rows.appeals.append(
                (self._id("appeals"), by, appealed_on, True, at, registry, judgment)
            )
            self._event(rows, at, registry, "procedure.appeal_recorded", pk, label,
                        {"judgment": judgment, "by": by, "lodged_on": appealed_on.isoformat(),
                         "suspends": True, "court_of_appeal": court.court_of_appeal})  # fmt: skip
            steps.append((at, 6, Stage.UNDER_APPEAL))
            decided = appealed_on + timedelta(days=rng.randint(150, 420))
            while decided.weekday() >= 5:
                decided += timedelta(days=1)
            if decided < self.anchor_day and court.court_of_appeal is not None:
                appeal_decided = decided
        elif calendar.final_on is not None and calendar.final_on <= self.anchor_day:
            final_on = calendar.final_on
            at = max(self._at(final_on, 2), recorded_at)
            self._event(rows, at, None, "procedure.judgment_final", pk, label,
                        {"judgment": judgment, "final_on": final_on.isoformat()})  # fmt: skip
            if sentences:
                steps.append((at, 7, FINALIZED))
                if executable_on is None:
                    executable_on, reason = final_on, Execution.Reason.FINAL
            else:  # acquitted on every charge: nothing to execute (set by the dataset)
                steps.append((at, 7, Stage.FINAL))
        execution = self._id("executions")
        taken_at = taken_by = None
        if executable_on is not None:
            services = self._measures(
                rows,
                court,
                (execution, judgment),
                person,
                sentences,
                rules,
                executable_on,
                parquet,
            )
            at = max(self._at(executable_on, 3), recorded_at)
            self._event(rows, at, None, "procedure.judgment_executable", pk, label,
                        {"judgment": judgment, "reason": reason, "on": executable_on.isoformat(),
                         "services": services})  # fmt: skip
            taken = executable_on + timedelta(days=int(rng.expovariate(1 / 7)))
            if taken < (appeal_decided or self.anchor_day) and rng.random() < TAKEN_SHARE:
                taken_by = court.agent(rng, "bex")
                taken_at = max(self._at(taken, 9), at)
                self._event(rows, taken_at, taken_by, "procedure.execution_taken", pk, label,
                            {"judgment": judgment})  # fmt: skip
                steps.append((taken_at, 8, Stage.IN_EXECUTION))
        if appeal_decided is not None:
            if taken_at is None:  # the appeal decision replaces it: it leaves the BEX queue
                executable_on, reason = None, ""
            self._judgment(
                rows, court, pk, label, parquet, party, person, minor, birth, charges,
                appeal_decided, "contradictoire", None, CourtKind.APPEAL, registry, steps,
                replaces=judgment,
            )  # fmt: skip
        rows.executions.append(
            (execution, calendar.starts_on, calendar.last_day, calendar.final_on, spip_by, jap_by,
             executable_on, reason, taken_at, judgment, taken_by, court.id)
        )  # fmt: skip
        rows.judgments.append(
            (judgment, court_kind, judged_on, mode, served, final_on, recorded_at, recorded_at,
             court.court_of_appeal if replaces else court.id, hearing, actor, replaces, party, pk,
             court.id)
        )  # fmt: skip
        return appealed_on is not None

    def _measures(
        self, rows: Rows, court: Court, decision: tuple[int, int], person: int,
        sentences: list[tuple[int, str, int | None, int | None, bool]],
        rules: judgment_checks.SentencingRules, on: date, parquet: str,
    ) -> list[int]:  # fmt: skip
        """A measure per sentence and executing service; the services follow the person.
        ``decision``: the execution and its judgment."""
        execution, judgment = decision
        services: set[int] = set()
        at = self._at(on, 3)
        ends_on = on + timedelta(days=MEASURE_DAYS)
        end = (
            (ends_on, "completed", "", None) if ends_on < self.anchor_day else (None, "", "", None)
        )
        for sentence, kind, months, suspended, _ in sentences:
            kinds = executing_service_kinds(SentenceFacts(kind, months, suspended), rules)
            for service_kind in kinds:
                service = court.executing.get(service_kind)
                if service is None:
                    continue
                services.add(service)
                measure = self._id("measures")
                rows.measures.append((measure, at, execution, person, sentence, service, *end))
                if (service, person) not in self.followed:
                    self.followed.add((service, person))
                    rows.follows.append((self._id("measure follows"), person, service, at))
                unit = court.sap_unit if service_kind == "sap" else court.spip_unit
                rows.links.append((person, unit, at, parquet, measure, judgment))
        return sorted(services)

    # --- the run ------------------------------------------------------------------------

    def write(
        self, cursor: CursorWrapper, planned: list[int], log: Callable[[str], None]
    ) -> dict[str, int]:
        counts = dict.fromkeys([key for key, _, _, _ in TABLES], 0)
        links: list[tuple[int, int, datetime, str, int, int]] = []
        persons: dict[int, tuple[str, date]] = {}
        cursor.execute("SELECT id, last_name || ' ' || first_names, birth_date FROM people_person")
        for person, name, birth in cursor:  # streamed: a million rows at national scale
            persons[person] = (name, birth)
        for start in range(0, len(planned), CHUNK):
            chunk = planned[start : start + CHUNK]
            rows = Rows()
            for index in chunk:
                self.procedure(rows, self.courts[index], persons)
            rows.follows = self._missing_follows(cursor, rows.follows)
            rows.orientations = judged(rows.orientations, rows.judgments)
            for key, model, columns, attribute in TABLES:
                counts[key] += copy_rows(cursor, model, columns, getattr(rows, attribute))
            links += rows.links
            log(f"{start + len(chunk):,} / {len(planned):,} procedures")
        counts["convocations linked"] = link_convocations(cursor, links)
        return counts

    def _missing_follows(
        self, cursor: CursorWrapper, follows: list[tuple[object, ...]]
    ) -> list[tuple[object, ...]]:
        """Drop the follows that exist already (the persons' own, or the parquet's)."""
        if not follows:
            return follows
        cursor.execute(
            "SELECT f.service_id, f.person_id FROM people_follow f "
            "JOIN unnest(%s::bigint[], %s::bigint[]) AS w(service_id, person_id) "
            "ON f.service_id = w.service_id AND f.person_id = w.person_id",
            [[row[2] for row in follows], [row[1] for row in follows]],
        )
        existing = set(cursor.fetchall())
        return [row for row in follows if (row[2], row[1]) not in existing]


@lru_cache(maxsize=100_000)
def court_names(kind: str, minor: bool, on: date, tribunal: str) -> str:
    return checks.court_for(kind, minor=minor, on=on, tribunal_name=tribunal)


@lru_cache(maxsize=200_000)
def appeal_calendar(
    mode: str, on: date, served: date | None, days: int, subdivision: str
) -> delays.AppealCalendar:
    return delays.appeal_calendar(mode, on, served, appeal_days=days, subdivision=subdivision)


def link_convocations(
    cursor: CursorWrapper, links: list[tuple[int, int, datetime, str, int, int]]
) -> int:
    """The first convocation of each measure's service booked for the person after the
    decision carries its numéro de parquet and executes that measure of that judgment (as a
    sortie d'audience convocation booked from the judgment would); returns how many
    convocations were linked."""
    if not links:
        return 0
    cursor.execute(
        "CREATE TEMPORARY TABLE dataset_measure_link (person_id bigint, service_id bigint, "
        "since timestamptz, parquet text, measure_id bigint, judgment_id bigint)"
        " ON COMMIT DROP"
    )
    with cursor.cursor.copy("COPY dataset_measure_link FROM STDIN") as copy:
        for row in links:
            copy.write_row(row)
    # One hash join over the convocations (their person index is dropped during the load):
    # the latest measure of each person and service, its first convocation booked after it.
    cursor.execute(
        "UPDATE appointments_appointment a SET prosecution_number = m.parquet,"
        " measure_id = m.measure_id, judgment_id = m.judgment_id FROM ("
        " SELECT DISTINCT ON (l.person_id, l.service_id) c.id, l.parquet, l.measure_id,"
        " l.judgment_id FROM ("
        "  SELECT DISTINCT ON (person_id, service_id) * FROM dataset_measure_link"
        "  ORDER BY person_id, service_id, since DESC) l"
        " JOIN appointments_appointment c ON c.person_id = l.person_id"
        "  AND c.service_id = l.service_id AND c.created_at >= l.since"
        "  AND c.status <> 'cancelled'"
        " ORDER BY l.person_id, l.service_id, c.starts_at, c.id) m WHERE a.id = m.id"
    )
    linked = cursor.rowcount
    cursor.execute("DROP TABLE dataset_measure_link")
    return linked


def _courts(context: Context) -> tuple[list[Court], list[float]]:
    """Every TJ of the organisation with its area's persons, agents and services."""
    assert context.organisation is not None
    ressorts: list[Ressort] = context.organisation.ressorts
    agents: dict[tuple[int, str], list[int]] = {}
    for pk, jurisdiction, code in (
        Agent.objects.filter(
            is_active=True,
            service__jurisdiction__isnull=False,
            profile__code__in=AGENT_PROFILES,
        )
        .order_by("pk")
        .values_list("pk", "service__jurisdiction_id", "profile__code")
    ):
        agents.setdefault((jurisdiction, code), []).append(pk)
    executing: dict[int, dict[str, int]] = {}
    for service in (
        Service.objects.filter(is_active=True, kind__in=[ServiceKind.SAP, ServiceKind.SPIP])
        .prefetch_related("served_jurisdictions")
        .order_by("kind", "id")
    ):
        served = {j.pk for j in service.served_jurisdictions.all()}
        if service.jurisdiction_id:
            served.add(service.jurisdiction_id)
        for tribunal in served:
            executing.setdefault(tribunal, {}).setdefault(service.kind, service.pk)
    unit_to_court = {ressort.spip.id: index for index, ressort in enumerate(ressorts)}
    pools: list[list[int]] = [[] for _ in ressorts]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT service_id, person_id FROM people_follow WHERE service_id = ANY(%s) "
            "ORDER BY person_id",
            [list(unit_to_court)],
        )
        for service, person in cursor:
            pools[unit_to_court[service]].append(person)
    courts: list[Court] = []
    for index, ressort in enumerate(ressorts):
        pk = ressort.jurisdiction_id
        courts.append(
            Court(
                id=pk,
                name=f"Tribunal judiciaire de {ressort.court.city}",
                city=ressort.court.city,
                time_zone=ressort.court.time_zone,
                subdivision=ressort.court.subdivision,
                court_of_appeal=None,
                spip_unit=ressort.spip.id,
                sap_unit=ressort.sap.id,
                pool=pools[index],
                agents={code: agents.get((pk, code), []) for code in AGENT_PROFILES},
                executing=executing.get(pk, {}),
            )
        )
    parents = dict(
        Jurisdiction.objects.filter(pk__in=[c.id for c in courts]).values_list(
            "pk", "court_of_appeal_id"
        )
    )
    for court in courts:
        court.court_of_appeal = parents.get(court.id)
    return courts, [ressort.share for ressort in ressorts]


def plan(rng: random.Random, total: int, shares: list[float], courts: list[Court]) -> list[int]:
    """The court index of every procedure: TJs by size, in a shuffled order."""
    counts = apportion(total, [share if courts[i].pool else 0 for i, share in enumerate(shares)])
    planned = [index for index, count in enumerate(counts) for _ in range(count)]
    rng.shuffle(planned)
    return planned


def run(context: Context) -> dict[str, int]:
    """The phase: the referential if missing, then the procedures in chunks."""
    total = context.sizes.procedure_count
    first = context.anchor.date() - timedelta(days=HISTORY_DAYS + 800)
    ensure_referential(context.scale, first, context.anchor)
    courts, shares = _courts(context)
    with law.cached():
        generator = ProcedureGenerator(context, courts)
        planned = plan(generator.rng, total, shares, courts)
        with connection.cursor() as cursor:
            counts = generator.write(cursor, planned, lambda _: None)
    counts["offences"] = Offence.objects.count()
    return counts
