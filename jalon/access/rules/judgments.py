"""Who may see or do what from the hearing to the execution (issue 14, point 10).

- The greffe correctionnel of a TJ schedules the hearings of its TJ's procedures and records
  their judgments, services and appeals.
- The siège pénal (a bench service whose profile may record judgments) reads its TJ's
  procedures sent to trial and records its decisions; at a court of appeal, those under appeal from its
  ressort, and the appeal decision.
- The BEX of a TJ executes: it reads the judgments of its TJ and takes executable decisions in
  hand from its queue.
- The SAP and the SPIP see the measures they follow (sentence, obligations, numéro de parquet,
  judgment date) and nothing else: no victim, no other defendant, no procedure page.
- A court-of-appeal service (siège pénal, parquet général) sees the procedures under appeal
  from the TJs of its ressort.
Which procedures each one opens is ``rules.cases.procedures_visible_to``, the one procedure
scope (the hearing and judgment pages use it as the procedure page does); the predicates
below say what they may do there. Anything else: 404 through ``access.lookups``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent
from jalon.access.roles import SPIP_KINDS, ServiceKind
from jalon.access.rules.appointments import can_use_hearing_exit
from jalon.access.rules.cases import is_bex as is_bex
from jalon.access.rules.cases import is_correctional_registry as is_correctional_registry
from jalon.access.rules.cases import is_penal_bench as is_penal_bench
from jalon.access.rules.cases import procedures_visible_to
from jalon.cases.models import Execution, Judgment, Measure, Procedure, Stage


def can_schedule_hearing(agent: Agent, procedure: Procedure) -> bool:
    """The greffe correctionnel of the procedure's TJ."""
    return (
        is_correctional_registry(agent) and agent.service.jurisdiction_id == procedure.tribunal_id
    )


def records_appeal_decision(agent: Agent, procedure: Procedure) -> bool:
    """The siège pénal of the court of appeal seized of a procedure under appeal: its
    decision replaces the first-instance judgment."""
    return (
        procedure.stage == Stage.UNDER_APPEAL
        and is_penal_bench(agent)
        and procedure.court_of_appeal_id is not None
        and agent.service.jurisdiction_id == procedure.court_of_appeal_id
    )


def can_record_judgment(agent: Agent, procedure: Procedure) -> bool:
    """First instance: the greffe correctionnel or the siège pénal of the TJ (the action
    refuses, with its reason, a judgment at a stage that does not allow one: under appeal
    for instance). Under appeal: also the siège pénal of the court of appeal seized."""
    if records_appeal_decision(agent, procedure):
        return True
    return (
        is_correctional_registry(agent) or is_penal_bench(agent)
    ) and agent.service.jurisdiction_id == procedure.tribunal_id


def can_record_appeal(agent: Agent, judgment: Judgment) -> bool:
    """The appeal is declared at the greffe of the court that judged (art. 502 CPP)."""
    return (
        is_correctional_registry(agent)
        and judgment.replaces_id is None
        and agent.service.jurisdiction_id == judgment.procedure.tribunal_id
    )


def can_record_service(agent: Agent, judgment: Judgment) -> bool:
    """The service (signification) of a judgment: the greffe correctionnel or the BEX of the
    TJ that judged (the BEX has it served when the person was absent)."""
    return (is_correctional_registry(agent) or is_bex(agent)) and (
        agent.service.jurisdiction_id == judgment.procedure.tribunal_id
    )


def can_convoke_at_hearing_exit(agent: Agent, judgment: Judgment) -> bool:
    """The agent may open the sortie d'audience screen pre-filled from this judgment."""
    return can_book_hearing_exit_for(agent, judgment) and can_use_hearing_exit(agent)


def can_book_hearing_exit_for(agent: Agent, judgment: Judgment) -> bool:
    """Convoking the convicted person at the end of the hearing: the greffe and the BEX of the
    TJ (the sortie d'audience screen decides the rest)."""
    return (is_correctional_registry(agent) or is_bex(agent)) and (
        agent.service.jurisdiction_id == judgment.procedure.tribunal_id
    )


def bex_queue(agent: Agent) -> QuerySet[Execution]:
    """ "Décisions à exécuter": executable decisions of the agent's TJ, for its BEX."""
    if not is_bex(agent):
        return Execution.objects.none()
    return Execution.objects.in_bex_queue().filter(tribunal_id=agent.service.jurisdiction_id)


def can_take_execution(agent: Agent, execution: Execution) -> bool:
    return is_bex(agent) and agent.service.jurisdiction_id == execution.tribunal_id


def measures_visible_to(agent: Agent) -> QuerySet[Measure]:
    """The measures a SAP or a SPIP follows: its own (a SPIP also those of its antennas, an
    antenna those of its SPIP)."""
    if not agent.is_active:
        return Measure.objects.none()
    service = agent.service
    if service.kind == ServiceKind.SAP:
        return Measure.objects.filter(service_id=service.pk)
    if service.kind in SPIP_KINDS:
        spip_id = _spip_of(agent)
        return Measure.objects.filter(Q(service_id=spip_id) | Q(service__parent_id=spip_id))
    return Measure.objects.none()


def _spip_of(agent: Agent) -> int | None:
    """The SPIP of an agent of a SPIP or of one of its antennas."""
    service = agent.service
    return service.parent_id if service.kind == ServiceKind.SPIP_ANTENNA else service.pk


def can_view_measure(agent: Agent, measure: Measure) -> bool:
    """The object form of ``measures_visible_to`` (no query: ``measure.service`` loaded)."""
    if not agent.is_active:
        return False
    service = agent.service
    if service.kind == ServiceKind.SAP:
        return measure.service_id == service.pk
    if service.kind in SPIP_KINDS:
        spip_id = _spip_of(agent)
        return spip_id is not None and spip_id in (measure.service_id, measure.service.parent_id)
    return False


def can_end_measure(agent: Agent, measure: Measure) -> bool:
    """The SAP or SPIP that follows a running measure records its end (no query)."""
    return measure.ended_on is None and can_view_measure(agent, measure)


def can_view_judgment(agent: Agent, judgment: Judgment) -> bool:
    """The agent may open the judgment's page (one query)."""
    return procedures_visible_to(agent).filter(pk=judgment.procedure_id).exists()


PERSON_PAGE_MEASURE_KINDS = frozenset(
    {
        ServiceKind.SAP,
        *SPIP_KINDS,
        ServiceKind.PROSECUTION,
        ServiceKind.CORRECTIONAL_REGISTRY,
        ServiceKind.BEX,
    }
)


def sees_person_measures(agent: Agent) -> bool:
    """Whether the person page has a "Mesures en cours d'exécution" section for the agent
    (see ``person_page_measures``; all these kinds sit in a TJ)."""
    return agent.is_active and agent.service.kind in PERSON_PAGE_MEASURE_KINDS


def can_open_judgment_of(agent: Agent, measure: Measure) -> bool:
    """The greffe correctionnel and the BEX of the TJ that executes the measure open its
    judgment's page (no query: a measure exists only for a judged procedure)."""
    return (is_correctional_registry(agent) or is_bex(agent)) and (
        agent.service.jurisdiction_id == measure.execution.tribunal_id
    )


def person_page_measures(agent: Agent) -> QuerySet[Measure]:
    """The measures shown under "Mesures en cours d'exécution" on a person's page: those the
    agent's SAP or SPIP follows, and for the parquet, the greffe correctionnel and the BEX of
    a TJ, those its TJ executes (the BEX hands them over, the greffe and the parquet know the
    judgment already). Nobody else (siège, court of appeal, JAF, national admins)."""
    if not sees_person_measures(agent):
        return Measure.objects.none()
    if agent.service.kind in (ServiceKind.SAP, *SPIP_KINDS):
        return measures_visible_to(agent)
    jurisdiction_id = agent.service.jurisdiction_id
    if jurisdiction_id is None:
        return Measure.objects.none()
    return Measure.objects.filter(execution__tribunal_id=jurisdiction_id)
