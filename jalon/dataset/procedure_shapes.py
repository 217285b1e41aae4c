"""The shape of the penal procedures the dataset draws (``procedures.py``): the shares and
weights of each step, the columns written per table, the rows of one chunk, the TJs as the
phase sees them, and the NATINF referential the phase imports when the database has none."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models

from jalon.cases.imports import import_natinf
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
    OffenceVersion,
    OffenceWord,
    Orientation,
    Party,
    Procedure,
    Sentence,
)
from jalon.cases.synthetic import sample_rows, synthetic_rows, to_file
from jalon.dataset.people import EVENT_COLUMNS, FOLLOW_COLUMNS
from jalon.dataset.writer import sync_sequence
from jalon.history.models import Event
from jalon.people.models import Follow

DATASET_EDITION = "jeu-de-donnees"  # the edition the phase imports, deleted by --reset
FULL_REFERENTIAL = 17_163  # rows of the real list (July 2026 edition)
HISTORY_DAYS = 5 * 365  # procedures received over the last five years
CHUNK = 20_000
AGENT_PROFILES = ("parquet", "procureur_republique", "prosecutor", "greff_co", "bex")
OK = Orientation.Kind
K = Sentence.Kind

# Shares (weights) of what the path draws; the tests recompute them from the rows.
NO_SUSPECT_SHARE = 0.08  # author unknown: one charge without a mis en cause, then classé
BARE_SHARE = 0.02  # registered with the minimum only (nothing added yet)
SUSPECTS = ((1, 85), (2, 12), (3, 3))
VICTIMS = ((0, 40), (1, 50), (2, 10))
CIVIL_PARTY_SHARE = 0.35  # of victims of a procedure sent to trial
CHARGES = ((1, 60), (2, 30), (3, 10))
OFFENCE_KINDS = (("delit", 75), ("contravention", 20), ("crime", 5))
ORIENTATION_WEIGHTS: dict[str, dict[str, int]] = {
    "delit": {
        OK.DISMISSAL: 25, OK.ALTERNATIVE: 28, OK.PENAL_COMPOSITION: 6, OK.CRPC: 8,
        OK.PENAL_ORDER: 8, OK.COPJ: 12, OK.CPPV: 3, OK.IMMEDIATE_TRIAL: 4,
        OK.JUDICIAL_INVESTIGATION: 3, OK.DIRECT_SUMMONS: 3,
    },
    "contravention": {
        OK.DISMISSAL: 25, OK.ALTERNATIVE: 20, OK.PENAL_COMPOSITION: 5, OK.PENAL_ORDER: 35,
        OK.POLICE_COURT_SUMMONS: 15,
    },
    "crime": {OK.DISMISSAL: 30, OK.JUDICIAL_INVESTIGATION: 70},
}  # fmt: skip
DISMISSAL_REASONS = (
    ("insufficient", 30), ("no_offence", 15), ("withdrawn", 10), ("repaired", 10),
    ("inappropriate", 10), ("regularised", 8), ("not_responsible", 4), ("time_barred", 3),
    ("other", 10),
)  # fmt: skip
DELIVERY = (("contradictoire", 70), ("contradictoire_a_signifier", 15), ("par_defaut", 15))
APPEAL_SHARE = 0.08
APPELLANTS = ((Appeal.By.DEFENDANT, 65), (Appeal.By.PROSECUTOR, 30), (Appeal.By.CIVIL_PARTY, 5))
ACQUITTAL_SHARE = 0.07  # per charge
PROVISIONAL_SHARE = 0.12  # of sentences that may carry it (prison, probation, DDSE)
TAKEN_SHARE = 0.9  # executable decisions the BEX took in hand (when their day has come)
# Main sentence of a conviction, by the most serious offence kind convicted.
MAIN_SENTENCES: dict[str, tuple[tuple[str, int], ...]] = {
    "delit": (
        (K.FINE, 34), (K.SUSPENDED, 20), (K.PROBATION, 17), (K.PRISON, 11),
        (K.COMMUNITY_SERVICE, 9), (K.ELECTRONIC_HOME_DETENTION, 3), (K.OTHER_ADJUSTMENT, 2),
        (K.PROHIBITION, 4),
    ),
    "contravention": ((K.FINE, 85), (K.LICENCE_SUSPENSION, 10), (K.PROHIBITION, 5)),
}  # fmt: skip
ADULT_ONLY = frozenset({K.PRISON, K.COMMUNITY_SERVICE, K.ELECTRONIC_HOME_DETENTION})
OBLIGATIONS = [
    "Obligation de soins",
    "Obligation de travailler ou de suivre une formation",
    "Interdiction de contact avec la victime",
    "Indemniser la victime",
    "Interdiction de paraître au domicile de la victime",
    "Stage de sensibilisation à la sécurité routière",
]
PROHIBITIONS = [
    "Interdiction de détenir une arme pendant 5 ans",
    "Interdiction de paraître dans la commune des faits pendant 2 ans",
    "Interdiction de contact avec la victime pendant 3 ans",
]
SUMMARIES = [
    "",
    "",
    "Faits constatés lors d’un contrôle routier.",
    "Plainte de la victime déposée au commissariat.",
    "Interpellation en flagrant délit.",
    "Signalement d’un tiers ; enquête préliminaire.",
    "Violences au domicile signalées par un voisin.",
]
CHAMBERS = ["1re chambre correctionnelle", "2e chambre correctionnelle", "Chambre des CRPC"]
ORIGINS = (("police", 45), ("gendarmerie", 35), ("complaint", 15), ("other", 5))

PROCEDURE_COLUMNS = [
    "id", "parquet_number", "origin", "origin_unit", "origin_reference", "summary", "facts_from",
    "facts_until", "received_on", "registered_at", "stage", "created_at", "updated_at",
    "court_of_appeal_id", "registered_by_id", "tribunal_id",
]  # fmt: skip
PARTY_COLUMNS = [
    "id", "role", "minor_at_facts", "added_at", "added_by_id", "person_id", "procedure_id",
]  # fmt: skip
CHARGE_COLUMNS = [
    "id", "qualification_text", "facts_from", "facts_until", "place", "added_at", "added_by_id",
    "commune_id", "offence_id", "party_id", "procedure_id",
]  # fmt: skip
ORIENTATION_COLUMNS = [
    "id", "kind", "reason", "alternative_kind", "court", "comment", "decided_on",
    "superseded_on", "created_at", "decided_by_id", "party_id", "procedure_id", "tribunal_id",
    "judged_on",  # set from the procedure's judgments before writing (``procedures.judged``)
]  # fmt: skip
HEARING_COLUMNS = [
    "id", "court_kind", "chamber", "starts_at", "scheduled_at", "cancelled_at", "created_at",
    "court_id", "scheduled_by_id", "procedure_id",
]  # fmt: skip
JUDGMENT_COLUMNS = [
    "id", "court_kind", "delivered_on", "delivery_mode", "served_on", "final_on",
    "recorded_at", "created_at", "court_id", "hearing_id", "recorded_by_id", "replaces_id",
    "party_id", "procedure_id", "tribunal_id",
]  # fmt: skip
DECISION_COLUMNS = ["id", "verdict", "charge_id", "judgment_id"]
SENTENCE_COLUMNS = [
    "id", "kind", "months", "suspended_months", "probation_months", "hours", "amount_euros",
    "obligations", "provisional_execution", "details", "judgment_id",
]  # fmt: skip
APPEAL_COLUMNS = [
    "id",
    "by",
    "lodged_on",
    "suspends",
    "recorded_at",
    "recorded_by_id",
    "judgment_id",
]
EXECUTION_COLUMNS = [
    "id", "appeal_starts_on", "appeal_last_day", "final_on", "spip_by", "jap_by",
    "executable_on", "reason", "taken_at", "judgment_id", "taken_by_id", "tribunal_id",
]  # fmt: skip
MEASURE_COLUMNS = [
    "id",
    "created_at",
    "execution_id",
    "person_id",
    "sentence_id",
    "service_id",
    "ended_on",
    "end_reason",
    "end_comment",
    "ended_by_id",
]
# A measure ends, executed to its term, this many days after the decision (when that day is
# before the anchor): the dataset holds measures in execution and measures that ended.
MEASURE_DAYS = 730

# (key in the counts, model, columns, attribute of ``Rows``), in the order they are written.
TABLES: list[tuple[str, type[models.Model], list[str], str]] = [
    ("procedures", Procedure, PROCEDURE_COLUMNS, "procedures"),
    ("parties", Party, PARTY_COLUMNS, "parties"),
    ("charges", Charge, CHARGE_COLUMNS, "charges"),
    ("orientations", Orientation, ORIENTATION_COLUMNS, "orientations"),
    ("hearings", Hearing, HEARING_COLUMNS, "hearings"),
    ("judgments", Judgment, JUDGMENT_COLUMNS, "judgments"),
    ("charge decisions", ChargeDecision, DECISION_COLUMNS, "decisions"),
    ("sentences", Sentence, SENTENCE_COLUMNS, "sentences"),
    ("appeals", Appeal, APPEAL_COLUMNS, "appeals"),
    ("executions", Execution, EXECUTION_COLUMNS, "executions"),
    ("measures", Measure, MEASURE_COLUMNS, "measures"),
    ("measure follows", Follow, FOLLOW_COLUMNS, "follows"),
    ("procedure history events", Event, EVENT_COLUMNS, "history"),
]
# Tables only this phase writes: emptied by --reset, indexes deferred, ids synced.
OWN_MODELS: list[type[models.Model]] = [
    Measure,
    Execution,
    Appeal,
    Sentence,
    ChargeDecision,
    Judgment,
    Hearing,
    Orientation,
    Charge,
    Party,
    Procedure,
]

# A step that makes a judgment final: the stage becomes "à exécuter" only from these stages
# (``_finalize`` of the actions); every other step sets the stage it names.
FINALIZED = "finalized"


def weighted(rng: random.Random, pairs: Any) -> Any:
    values = [value for value, _ in pairs]
    return rng.choices(values, weights=[weight for _, weight in pairs])[0]


@dataclass
class Court:
    """A TJ as the phase sees it: people to draw from, agents, executing services."""

    id: int
    name: str
    city: str
    time_zone: str
    subdivision: str
    court_of_appeal: int | None
    spip_unit: int  # the SPIP (or antenna) that follows the persons of the area
    sap_unit: int
    pool: list[int]
    agents: dict[str, list[int]] = field(default_factory=dict)
    executing: dict[str, int] = field(default_factory=dict)  # "sap"/"spip" → service id
    sequence: dict[int, int] = field(default_factory=dict)  # registration day → last number

    def agent(self, rng: random.Random, *codes: str) -> int | None:
        for code in codes:
            if self.agents.get(code):
                return rng.choice(self.agents[code])
        return None


@dataclass
class Rows:
    procedures: list[tuple[object, ...]] = field(default_factory=list)
    parties: list[tuple[object, ...]] = field(default_factory=list)
    charges: list[tuple[object, ...]] = field(default_factory=list)
    orientations: list[tuple[object, ...]] = field(default_factory=list)
    hearings: list[tuple[object, ...]] = field(default_factory=list)
    judgments: list[tuple[object, ...]] = field(default_factory=list)
    decisions: list[tuple[object, ...]] = field(default_factory=list)
    sentences: list[tuple[object, ...]] = field(default_factory=list)
    appeals: list[tuple[object, ...]] = field(default_factory=list)
    executions: list[tuple[object, ...]] = field(default_factory=list)
    measures: list[tuple[object, ...]] = field(default_factory=list)
    follows: list[tuple[object, ...]] = field(default_factory=list)
    history: list[tuple[object, ...]] = field(default_factory=list)
    # (person, unit the convocations are booked in, since, numéro de parquet): see ``link``.
    links: list[tuple[int, int, datetime, str, int, int]] = field(default_factory=list)


# --- referential -----------------------------------------------------------------------


REFERENTIAL_MODELS = (NatinfEdition, Offence, OffenceVersion, OffenceWord)


def ensure_referential(scale: str, first_facts: date, anchor: datetime) -> None:
    """Import the dataset's NATINF edition when the database has none (see the docstring);
    its history event is dated by the anchor, like every row of the dataset."""
    if NatinfEdition.objects.exists():
        return
    sync_sequence(Event)  # the import records its event through the ORM, after COPY-ed ones
    # The same ids for a seed whatever ran before (a rolled-back import still moved them).
    for model in REFERENTIAL_MODELS:
        sync_sequence(model)
    rows = sample_rows()
    if scale == "national":
        rows += synthetic_rows(FULL_REFERENTIAL - len(rows), start=100_000)
    import_natinf(
        to_file(rows),
        edition=DATASET_EDITION,
        in_force_from=date(first_facts.year - 1, 1, 1),
        agent=None,
        file_name="natinf-jeu-de-donnees.csv",
    )
    Event.objects.filter(action="natinf.imported").update(created_at=anchor)


def reset_referential() -> None:
    """Delete the edition the phase imported and its offences (their charges are gone)."""
    edition = NatinfEdition.objects.filter(name=DATASET_EDITION).first()
    if edition is None:
        return
    Offence.objects.filter(first_edition=edition).delete()
    OffenceVersion.objects.filter(edition=edition).delete()
    edition.delete()
    for model in REFERENTIAL_MODELS:
        sync_sequence(model)  # the same ids when imported again: the same rows for a seed


def offences_in_force(since: date) -> dict[str, list[tuple[int, int, str]]]:
    """(id, number, wording) of the offences in force over the whole period, by kind."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for pk, number, kind, wording in (
        Offence.objects.in_force_on(since)
        .filter(retired_from__isnull=True)
        .order_by("number")
        .values_list("pk", "number", "kind", "qualification")
    ):
        found.setdefault("delit" if kind == "other" else kind, []).append((pk, number, wording))
    if not found:
        raise RuntimeError(
            f"No NATINF offence in force from {since}: the procedures need a referential in "
            "force over the dataset's period (run on a database without NATINF edition)."
        )
    return found


def judged(
    orientations: list[tuple[object, ...]], judgments: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    """The orientations with their party's first first-instance judgment day (``judged_on``), as the database's trigger keeps it (``cases.copies``): the rows go in
    with the triggers off, and updating them afterwards, in the loading transaction, would leave
    foreign-key checks pending on every row."""
    at = {name: index for index, name in enumerate(JUDGMENT_COLUMNS)}
    first: dict[tuple[object, object], date] = {}
    for row in judgments:
        day = row[at["delivered_on"]]
        if row[at["replaces_id"]] is None and row[at["party_id"]] is not None and day is not None:
            assert isinstance(day, date)
            key = (row[at["procedure_id"]], row[at["party_id"]])
            first[key] = min(day, first.get(key, day))
    column = {name: index for index, name in enumerate(ORIENTATION_COLUMNS)}
    party, procedure, judged_on = column["party_id"], column["procedure_id"], column["judged_on"]
    return [
        (*row[:judged_on], first.get((row[procedure], row[party])), *row[judged_on + 1 :])
        for row in orientations
    ]
