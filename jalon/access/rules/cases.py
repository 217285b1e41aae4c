"""Who may use the NATINF referential and the penal procedures (issue 14, points 1-5, 10, 12).

NATINF: every agent looks offences up, national administrators alone import an edition.

Procedures (docs/access.md, « Procédures pénales »): ONE scope, ``procedures_visible_to``,
says which procedures an agent may open, and every screen starts from it (list, search by
numéro de parquet or person, procedure page, person page, hearing and judgment pages):

- the parquet of a tribunal judiciaire (services of kind ``PROSECUTION``, whatever the
  profile) registers, completes and orients the procedures of its own TJ, and sees them all;
- the greffe correctionnel and the siège pénal (a bench service whose profile holds
  ``RECORD_JUDGMENTS``; a JAF does not) of a TJ see its procedures sent to a trial court:
  oriented towards a trial (COPJ, CRPC, citation...) or further (audiencée, jugée...);
- the BEX of a TJ sees its TJ's judged procedures (jugée and further);
- the siège pénal and the parquet général of a court of appeal see the procedures brought
  before it on appeal (``court_of_appeal`` = their CA), including once it has ruled;
- national administrators see every procedure but change none;
- SAP and SPIP open no procedure: they see the measures they follow
  (``rules.judgments.measures_visible_to``), not the procedure, its victims or co-defendants;
- everyone else: nothing (404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from jalon.access.models import Agent
from jalon.access.roles import Capability, ServiceKind
from jalon.access.rules import is_national_admin
from jalon.cases.models import (
    BEFORE_THE_COURT_STAGES,
    JUDGED_STAGES,
    ORIENTABLE_STAGES,
    TRIAL_KINDS,
    Orientation,
    Procedure,
    Stage,
)
from jalon.cases.models.procedures import ProcedureQuerySet
from jalon.people.models import Person

PROSECUTION_KINDS = frozenset({ServiceKind.PROSECUTION})


def can_pick_offence(agent: Agent) -> bool:
    """Search the offences: every active agent (the referential is public data)."""
    return agent.is_active


def can_import_natinf(agent: Agent) -> bool:
    """Import an edition of the NATINF list: national administrators only."""
    return is_national_admin(agent)


def _is_prosecution(agent: Agent) -> bool:
    return (
        agent.is_active
        and agent.service.kind in PROSECUTION_KINDS
        and agent.service.jurisdiction_id is not None
    )


def is_correctional_registry(agent: Agent) -> bool:
    return agent.is_active and agent.service.kind == ServiceKind.CORRECTIONAL_REGISTRY


def is_penal_bench(agent: Agent) -> bool:
    """A magistrate of the siège pénal (not a JAF: the capability decides)."""
    return (
        agent.is_active
        and agent.service.kind == ServiceKind.BENCH
        and agent.profile.has(Capability.RECORD_JUDGMENTS)
    )


def is_bex(agent: Agent) -> bool:
    return agent.is_active and agent.service.kind == ServiceKind.BEX


def at_court_of_appeal(agent: Agent) -> bool:
    jurisdiction = agent.service.jurisdiction
    return jurisdiction is not None and jurisdiction.is_court_of_appeal


def sent_to_trial() -> Q:
    """Procedures a trial court is seized of: oriented towards a trial (the current
    orientation of one mis en cause at least is a COPJ, a CRPC, a citation...) or further."""
    oriented_to_trial = Exists(
        Orientation.objects.filter(
            procedure=OuterRef("pk"), superseded_on__isnull=True, kind__in=TRIAL_KINDS
        )
    )
    return Q(stage__in=BEFORE_THE_COURT_STAGES) | Q(Q(stage=Stage.ORIENTED), oriented_to_trial)


def _reach(agent: Agent) -> Q | None:
    """The condition on ``Procedure`` that makes the agent's scope; None: no procedure at all.

    The single source of ``procedures_visible_to`` and ``can_list_procedures``.
    """
    if not agent.is_active:
        return None
    if is_national_admin(agent):
        return Q()
    jurisdiction_id = agent.service.jurisdiction_id
    if jurisdiction_id is None:
        return None
    if at_court_of_appeal(agent):
        if is_penal_bench(agent) or agent.service.kind == ServiceKind.GENERAL_PROSECUTION:
            return Q(court_of_appeal_id=jurisdiction_id)
        return None
    if _is_prosecution(agent):
        return Q(tribunal_id=jurisdiction_id)
    if is_correctional_registry(agent) or is_penal_bench(agent):
        return Q(tribunal_id=jurisdiction_id) & sent_to_trial()
    if is_bex(agent):
        return Q(tribunal_id=jurisdiction_id, stage__in=JUDGED_STAGES)
    return None


def procedures_visible_to(agent: Agent) -> ProcedureQuerySet:
    """The procedures ``agent`` may open (list, search, procedure and person pages, hearing
    and judgment pages); everything else answers 404. See the module doc."""
    procedures: ProcedureQuerySet = Procedure.objects.all()
    reach = _reach(agent)
    if reach is None:
        return procedures.none()
    return procedures.filter(reach)


def can_list_procedures(agent: Agent) -> bool:
    """Whether the menu, the person page and the search offer procedures: exactly those whose
    scope is not empty by construction (same source as ``procedures_visible_to``)."""
    return _reach(agent) is not None


def procedures_of(agent: Agent, person: Person) -> ProcedureQuerySet:
    """The procedures of ``person`` (any role) that ``agent`` may open, newest first."""
    return procedures_visible_to(agent).of_person(person.pk).for_list()


def can_register_procedure(agent: Agent) -> bool:
    """Register a procedure at the bureau d'ordre: agents of a TJ's parquet."""
    return _is_prosecution(agent)


def can_edit_procedure(agent: Agent, procedure: Procedure) -> bool:
    """Complete a procedure (details, persons, offences): the parquet of its TJ, until closed."""
    return (
        _is_prosecution(agent)
        and procedure.tribunal_id == agent.service.jurisdiction_id
        and procedure.stage != Stage.CLOSED
    )


def can_correct_procedure(agent: Agent, procedure: Procedure) -> bool:
    """Offer to correct a party's role, remove a party or a charge, or correct a charge's facts:
    the parquet of its TJ, while the procedure is at the registration or orientation stages
    (the action also refuses, with its reason, once a hearing or a judgment exists)."""
    return can_edit_procedure(agent, procedure) and procedure.stage in ORIENTABLE_STAGES


def can_orient_procedure(agent: Agent, procedure: Procedure) -> bool:
    """Orient (or re-orient) a procedure: the parquet of its TJ, before any hearing."""
    return can_edit_procedure(agent, procedure) and procedure.stage in ORIENTABLE_STAGES
