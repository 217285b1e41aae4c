"""Penal cases: the NATINF referential, legal rules, procedures and their decisions."""

from jalon.cases.models.execution import Execution, Measure
from jalon.cases.models.judgments import (
    Acknowledgement,
    Appeal,
    ChargeDecision,
    CourtKind,
    Hearing,
    Judgment,
    Sentence,
)
from jalon.cases.models.procedures import (
    BEFORE_THE_COURT_STAGES,
    JUDGED_STAGES,
    ORIENTABLE_STAGES,
    TRIAL_KINDS,
    Charge,
    Orientation,
    Party,
    Procedure,
    Stage,
    minor_on,
)
from jalon.cases.models.referential import NatinfEdition, Offence, OffenceVersion, OffenceWord
from jalon.cases.models.rules import LegalRule

__all__ = [
    "BEFORE_THE_COURT_STAGES",
    "JUDGED_STAGES",
    "ORIENTABLE_STAGES",
    "TRIAL_KINDS",
    "Acknowledgement",
    "Appeal",
    "Charge",
    "ChargeDecision",
    "CourtKind",
    "Execution",
    "Hearing",
    "Judgment",
    "LegalRule",
    "Measure",
    "NatinfEdition",
    "Offence",
    "OffenceVersion",
    "OffenceWord",
    "Orientation",
    "Party",
    "Procedure",
    "Sentence",
    "Stage",
    "minor_on",
]
