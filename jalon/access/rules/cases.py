"""Who may use the NATINF referential and the penal procedures (issue 14, points 1-5, 10, 12).

NATINF: every agent looks offences up, national administrators alone import an edition.

Procedures (docs/access.md, « Procédures pénales »):

- the parquet of a tribunal judiciaire (services of kind ``PROSECUTION``, whatever the
  profile) registers, completes and orients the procedures of its own TJ, and sees them;
- the court of appeal (any service attached to a CA) sees the procedures of its ressort's
  TJs that are under appeal before it (``court_of_appeal`` set to that CA);
- national administrators see every procedure but change none (they run the platform, not
  the prosecution);
- the other services of a TJ (greffe correctionnel, siège, BEX, SAP, SPIP) see what
  ``_judgment_read_scope`` grants them: nothing yet; the hearing, judgment and execution
  step defines it (the greffe schedules hearings, the siège reads and records its decisions,
  the BEX executes, SAP and SPIP see the judgment elements of the measures they follow);
- everyone else: nothing (404).
"""

from __future__ import annotations

from django.db.models import Q

from jalon.access.models import Agent
from jalon.access.roles import ServiceKind
from jalon.access.rules import is_national_admin
from jalon.cases.models import ORIENTABLE_STAGES, Procedure, Stage
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


def _judgment_read_scope(agent: Agent) -> Q | None:
    """Hook for the judgment step: the procedures other TJ services read. None = nothing yet."""
    return None


def procedures_visible_to(agent: Agent) -> ProcedureQuerySet:
    """The procedures ``agent`` may open (list, search, page); everything else answers 404."""
    procedures: ProcedureQuerySet = Procedure.objects.all()
    if not agent.is_active:
        return procedures.none()
    if is_national_admin(agent):
        return procedures
    service = agent.service
    reach = Q(pk__in=[])
    if _is_prosecution(agent):
        reach |= Q(tribunal_id=service.jurisdiction_id)
    if service.jurisdiction is not None and service.jurisdiction.is_court_of_appeal:
        reach |= Q(court_of_appeal_id=service.jurisdiction_id)
    extra = _judgment_read_scope(agent)
    if extra is not None:
        reach |= extra
    return procedures.filter(reach)


def can_list_procedures(agent: Agent) -> bool:
    """Whether the menu offers the procedures: those who may see some (see the module doc)."""
    if not agent.is_active:
        return False
    jurisdiction = agent.service.jurisdiction
    return (
        is_national_admin(agent)
        or _is_prosecution(agent)
        or (jurisdiction is not None and jurisdiction.is_court_of_appeal)
        or _judgment_read_scope(agent) is not None
    )


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


def can_orient_procedure(agent: Agent, procedure: Procedure) -> bool:
    """Orient (or re-orient) a procedure: the parquet of its TJ, before any hearing."""
    return can_edit_procedure(agent, procedure) and procedure.stage in ORIENTABLE_STAGES
