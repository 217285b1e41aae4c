"""Load protected objects through the agent's scope: 404 for missing and for out-of-scope alike."""

from __future__ import annotations

from django.http import Http404

from jalon.access import rules
from jalon.access.models import Agent, AgentSession, Jurisdiction, Service
from jalon.access.rules import api as api_rules
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import cases as case_rules
from jalon.access.rules import help as help_rules
from jalon.access.rules import imports as import_rules
from jalon.access.rules import judgments as judgment_rules
from jalon.access.rules import people as people_rules
from jalon.access.rules import public as public_rules
from jalon.access.rules import situations as situation_rules
from jalon.access.rules import space as space_rules
from jalon.access.rules import stats as stats_rules
from jalon.api.models import ApiClient, WebhookDelivery
from jalon.appointments.models import Agenda, Appointment, Place, Slot, SlotPattern
from jalon.cases.models import (
    Charge,
    Execution,
    Hearing,
    Judgment,
    Measure,
    Party,
    Procedure,
)
from jalon.help.models import ProblemReport
from jalon.imports.models import Import
from jalon.people.models import Person
from jalon.public.models import MoveRequest
from jalon.situations.models import Meeting, Situation
from jalon.sms.models import Message
from jalon.space.models import SpaceAccount
from jalon.transfers.models import Transfer


def access_agent(actor: Agent, agent_id: int) -> Agent:
    try:
        return rules.agents_visible_to(actor).get(pk=agent_id)
    except Agent.DoesNotExist:
        raise Http404("Agent introuvable.") from None


def access_person(actor: Agent, person_id: int, *, followers: bool = True) -> Person:
    """A person of the agent's ressort, with referent and following services loaded (unless
    ``followers`` is false: the person alone, one query)."""
    persons = people_rules.persons_visible_to(actor)
    try:
        return (persons.with_followers() if followers else persons).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("Personne introuvable.") from None


def access_appointment(actor: Agent, appointment_id: int, *, page: bool = True) -> Appointment:
    """A convocation of a person the agent sees, with its type, agenda, place and services
    (``with_details``) and, for its page (``page``), who made it and what it executes.

    Without ``page``: its type, service, agenda and place and its person only (the API's
    answers): fewer joins, since the planner's time grows fast with them."""
    appointments = appointment_rules.appointments_visible_to(actor)
    if not page:
        appointments = appointments.select_related(
            "appointment_type", "service", "agenda__place", "person"
        )
    else:
        appointments = appointments.with_details().select_related(
            "created_by",
            "created_by_service",
            "outcome_by",
            "judgment",
            "measure__sentence",
            "measure__service",
        )
    try:
        return appointments.get(pk=appointment_id)
    except Appointment.DoesNotExist:
        raise Http404("Convocation introuvable.") from None


def access_message(actor: Agent, message_id: int) -> Message:
    """An SMS of a convocation the agent sees (MSJ-40), with its convocation and service."""
    try:
        return Message.objects.select_related("appointment", "service").get(
            pk=message_id,
            appointment__in=appointment_rules.appointments_visible_to(actor).values("pk"),
        )
    except Message.DoesNotExist:
        raise Http404("SMS introuvable.") from None


def access_agenda(actor: Agent, agenda_id: int) -> Agenda:
    try:
        return appointment_rules.agendas_visible_to(actor).get(pk=agenda_id)
    except Agenda.DoesNotExist:
        raise Http404("Agenda introuvable.") from None


def access_slot(actor: Agent, slot_id: int, agenda: Agenda | None = None) -> Slot:
    """A slot of an agenda of the agent's ressort (of ``agenda`` when given)."""
    slots = Slot.objects.filter(
        agenda__in=appointment_rules.agendas_visible_to(actor).values("pk")
    ).select_related("agenda__place__service", "appointment_type", "pattern")
    if agenda is not None:
        slots = slots.filter(agenda=agenda)
    try:
        return slots.get(pk=slot_id)
    except Slot.DoesNotExist:
        raise Http404("Créneau introuvable.") from None


def access_slot_pattern(actor: Agent, pattern_id: int, agenda: Agenda) -> SlotPattern:
    """A recurring pattern of ``agenda`` (already loaded through ``access_agenda``)."""
    try:
        return SlotPattern.objects.select_related("agenda__place__service", "appointment_type").get(
            pk=pattern_id, agenda=agenda
        )
    except SlotPattern.DoesNotExist:
        raise Http404("Modèle de créneaux introuvable.") from None


def access_situation(actor: Agent, situation_id: int) -> Situation:
    """A situation of the agent's partition (SIS-30, SIS-31; JAF filter SIS-24, SIS-25)."""
    try:
        return (
            situation_rules.situations_visible_to(actor)
            .for_table()
            .select_related("mec", "jurisdiction__court_of_appeal")
            .get(pk=situation_id)
        )
    except Situation.DoesNotExist:
        raise Http404("Situation introuvable.") from None


def access_place(actor: Agent, place_id: int) -> Place:
    """A convocation place of a service of the agent's ressort (everywhere for national admins)."""
    places = Place.objects.select_related("service")
    if not rules.is_national_admin(actor):
        places = places.filter(service_id__in=rules.scope_for(actor).service_ids)
    try:
        return places.get(pk=place_id)
    except Place.DoesNotExist:
        raise Http404("Lieu introuvable.") from None


def access_transfer(actor: Agent, transfer_id: int) -> Transfer:
    """A transfer request of the agent's service or asked of it (all for national admins)."""
    from jalon.access.rules import transfers as transfer_rules

    try:
        return transfer_rules.transfers_visible_to(actor).for_list().get(pk=transfer_id)
    except Transfer.DoesNotExist:
        raise Http404("Demande de transfert introuvable.") from None


def access_person_for_transfer(actor: Agent, person_id: int, **key: object) -> Person:
    """A person the agent may ask for: one they see, or an exact match of the typed ``key``
    (APPI number, or names and birth date), following services loaded. 404 otherwise."""
    from jalon.access.rules import transfers as transfer_rules

    try:
        return transfer_rules.persons_for_transfer(actor, **key).with_followers().get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("Personne introuvable.") from None


def access_meeting(actor: Agent, meeting_id: int) -> Meeting:
    """A meeting of an instance of the agent's jurisdiction."""
    try:
        return (
            situation_rules.meetings_visible_to(actor)
            .select_related("instance__jurisdiction")
            .get(pk=meeting_id)
        )
    except Meeting.DoesNotExist:
        raise Http404("Réunion introuvable.") from None


def access_judged_procedure(actor: Agent, procedure_id: int) -> Procedure:
    """A procedure whose hearing and judgments the agent may see: the same scope as the
    procedure page (``rules/cases.py::procedures_visible_to``), else 404."""
    try:
        return (
            case_rules.procedures_visible_to(actor)
            .select_related("tribunal", "court_of_appeal")
            .get(pk=procedure_id)
        )
    except Procedure.DoesNotExist:
        raise Http404("Procédure introuvable.") from None


def access_procedure(actor: Agent, procedure_id: int) -> Procedure:
    """A procedure the agent may open (``rules/cases.py::procedures_visible_to``), else 404."""
    try:
        return (
            case_rules.procedures_visible_to(actor)
            .select_related("tribunal", "court_of_appeal", "registered_by")
            .get(pk=procedure_id)
        )
    except Procedure.DoesNotExist:
        raise Http404("Procédure introuvable.") from None


def access_judgment(actor: Agent, judgment_id: int) -> Judgment:
    """A judgment of a procedure the agent may see, with its execution loaded."""
    try:
        return (
            Judgment.objects.filter(procedure__in=case_rules.procedures_visible_to(actor))
            .select_related("procedure__tribunal", "party__person", "execution", "replaces")
            .get(pk=judgment_id)
        )
    except Judgment.DoesNotExist:
        raise Http404("Jugement introuvable.") from None


def access_execution_for_bex(actor: Agent, execution_id: int) -> Execution:
    try:
        return (
            judgment_rules.bex_queue(actor)
            .select_related("judgment__procedure")
            .get(pk=execution_id)
        )
    except Execution.DoesNotExist:
        raise Http404("Décision introuvable.") from None


def access_measure(actor: Agent, measure_id: int) -> Measure:
    """A measure the agent's SAP or SPIP follows: only what executing it needs."""
    try:
        return (
            judgment_rules.measures_visible_to(actor)
            .select_related("sentence", "execution__judgment__procedure", "person", "service")
            .get(pk=measure_id)
        )
    except Measure.DoesNotExist:
        raise Http404("Mesure introuvable.") from None


def access_party(actor: Agent, procedure: Procedure, party_id: int) -> Party:
    """A party of ``procedure`` (itself loaded through ``access_procedure``), else 404."""
    try:
        return Party.objects.select_related("person").get(pk=party_id, procedure=procedure)
    except Party.DoesNotExist:
        raise Http404("Partie introuvable.") from None


def access_charge(actor: Agent, procedure: Procedure, charge_id: int) -> Charge:
    """A charge of ``procedure`` (itself loaded through ``access_procedure``), else 404."""
    try:
        return Charge.objects.select_related("offence", "party__person").get(
            pk=charge_id, procedure=procedure
        )
    except Charge.DoesNotExist:
        raise Http404("Infraction introuvable.") from None


def access_person_for_party(actor: Agent, person_id: int, *, candidate_ids: set[int]) -> Person:
    """A person the parquet may make a party: one it sees, or one the national duplicate check
    just found for the identity the agent typed (``candidate_ids``). 404 otherwise."""
    persons = people_rules.persons_visible_to(actor)
    if person_id in candidate_ids:
        persons = Person.objects.all()
    try:
        return persons.get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("Personne introuvable.") from None


def access_defendant(actor: Agent, procedure: Procedure, party_id: int) -> Party:
    """A defendant (mis en cause) of ``procedure``, itself loaded through
    ``access_judged_procedure``; 404 for anybody else, a victim included."""
    try:
        return Party.objects.select_related("person").get(
            pk=party_id, procedure=procedure, role=Party.Role.SUSPECT
        )
    except Party.DoesNotExist:
        raise Http404("Prévenu introuvable.") from None


def access_hearing(actor: Agent, procedure: Procedure, hearing_id: int) -> Hearing:
    """A hearing of ``procedure`` (loaded through ``access_judged_procedure``), else 404."""
    try:
        return Hearing.objects.select_related("court").get(pk=hearing_id, procedure=procedure)
    except Hearing.DoesNotExist:
        raise Http404("Audience introuvable.") from None


def access_api_client(actor: Agent, client_id: int) -> ApiClient:
    try:
        return api_rules.api_clients_visible_to(actor).get(pk=client_id)
    except ApiClient.DoesNotExist:
        raise Http404("Client API introuvable.") from None


def access_webhook_delivery(actor: Agent, client_id: int, delivery_id: int) -> WebhookDelivery:
    """A webhook delivery of an API client the agent manages."""
    try:
        return WebhookDelivery.objects.select_related("subscription__client").get(
            pk=delivery_id,
            subscription__client__in=api_rules.api_clients_visible_to(actor).filter(pk=client_id),
        )
    except WebhookDelivery.DoesNotExist:
        raise Http404("Envoi introuvable.") from None


def access_service_statistics(actor: Agent, service_id: int) -> Service:
    """A service whose dashboard the agent may read (their own, as its head)."""
    try:
        return stats_rules.statistics_services(actor).get(pk=service_id)
    except Service.DoesNotExist:
        raise Http404("Service introuvable.") from None


def access_jurisdiction_statistics(actor: Agent, jurisdiction_id: int) -> Jurisdiction:
    """A TJ or court of appeal whose dashboard the agent may read (404 otherwise)."""
    try:
        return stats_rules.statistics_jurisdictions(actor).get(pk=jurisdiction_id)
    except Jurisdiction.DoesNotExist:
        raise Http404("Juridiction introuvable.") from None


def access_national_statistics(actor: Agent) -> None:
    """The national dashboard, for national profiles only (404 otherwise)."""
    if not stats_rules.can_view_national_statistics(actor):
        raise Http404("Page introuvable.")


def access_move_request(actor: Agent, request_id: int) -> MoveRequest:
    """A person's request to move a convocation the agent may answer (404 otherwise)."""
    move = (
        MoveRequest.objects.select_related(
            "appointment__appointment_type", "appointment__service", "appointment__person"
        )
        .filter(pk=request_id)
        .first()
    )
    if move is None or not public_rules.can_answer_move_request(actor, move.appointment):
        raise Http404("Demande introuvable.")
    return move


def access_problem_report(actor: Agent, report_id: int) -> ProblemReport:
    """A reported problem, for those who handle them (national administrators)."""
    if not help_rules.can_handle_problem_reports(actor):
        raise Http404("Signalement introuvable.")
    try:
        return ProblemReport.objects.get(pk=report_id)
    except ProblemReport.DoesNotExist:
        raise Http404("Signalement introuvable.") from None


def access_own_session(actor: Agent, session_id: int) -> AgentSession:
    """One of the agent's own open sessions; anybody else's is 404."""
    try:
        return AgentSession.objects.get(pk=session_id, agent=actor)
    except AgentSession.DoesNotExist:
        raise Http404("Session introuvable.") from None


def access_space_appointment(account: SpaceAccount, appointment_id: int) -> Appointment:
    """One of the person's own convocations, for their space; 404 for anybody else's."""
    try:
        return (
            space_rules.appointments_of_account(account)
            .select_related("appointment_type", "agenda__place", "service")
            .get(pk=appointment_id)
        )
    except Appointment.DoesNotExist:
        raise Http404("Convocation introuvable.") from None


def access_import(actor: Agent, import_id: int) -> Import:
    """An import of the agent's own service; another service's is 404."""
    try:
        return import_rules.imports_visible_to(actor).defer("content").get(pk=import_id)
    except Import.DoesNotExist:
        raise Http404("Import introuvable.") from None
