"""Screens of the greffe correctionnel and the siège pénal: a procedure's hearing and
judgments, scheduling a hearing, recording a judgment per defendant, its service and an
appeal, and the defendant's hearing convocation letter.

Each view: access lookup (404 outside scope) → predicate (403) → form → one action → response.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jalon.access.http import AgentRequest
from jalon.access.lookups import (
    access_defendant,
    access_hearing,
    access_judged_procedure,
    access_judgment,
)
from jalon.access.rules import judgments as rules
from jalon.cases import checks
from jalon.cases import hearing_letter as letters
from jalon.cases.actions import judgments as actions
from jalon.cases.hearing_forms import (
    AppealForm,
    HearingForm,
    JudgmentForm,
    ServiceForm,
    sentence_forms,
)
from jalon.cases.models import Judgment, Party, Stage
from jalon.history.actions import record, record_person_read

HEARING_LETTER_PRINTED = "procedure.hearing_letter_printed"


def _acknowledged(request: AgentRequest) -> set[str]:
    return set(request.POST.getlist("acknowledge"))


def procedure_hearing(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """A procedure seen from the hearing: its hearings, its defendants and their judgments,
    and what the agent may do next. Opening it is a read of the defendants' files."""
    agent = request.agent
    procedure = access_judged_procedure(agent, procedure_id)
    defendants = list(
        procedure.parties.filter(role=Party.Role.SUSPECT)
        .select_related("person")
        .order_by("person__last_name_key", "pk")
    )
    judgments = list(
        procedure.judgments.filter(replaced_by__isnull=True).select_related("execution")
    )
    by_party = {judgment.party_id: judgment for judgment in judgments}
    record_person_read(
        "procedure_hearing",
        actor=agent,
        persons=[party.person for party in defendants],
        details={"procedure": procedure.pk},
    )
    return render(
        request,
        "cases/judgments/procedure_hearing.html",
        {
            "procedure": procedure,
            "hearings": procedure.hearings.filter(cancelled_at__isnull=True),
            "now": timezone.now(),
            "defendants": [(party, by_party.get(party.pk)) for party in defendants],
            "can_schedule": rules.can_schedule_hearing(agent, procedure)
            and procedure.stage in actions.HEARABLE_STAGES,
            "can_judge": rules.can_record_judgment(agent, procedure)
            and procedure.stage != Stage.UNDER_APPEAL,
            "can_decide_appeal": rules.records_appeal_decision(agent, procedure),
        },
    )


def schedule_hearing(request: AgentRequest, procedure_id: int) -> HttpResponse:
    """Put an oriented procedure on a hearing (greffe correctionnel)."""
    agent = request.agent
    procedure = access_judged_procedure(agent, procedure_id)
    if not rules.can_schedule_hearing(agent, procedure):
        raise PermissionDenied
    form = HearingForm(request.POST or None, time_zone=agent.service.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            hearing = actions.schedule_hearing(
                agent=agent,
                procedure=procedure,
                starts_at=form.cleaned_data["starts_at"],
                chamber=form.cleaned_data["chamber"].strip(),
                court_kind=form.cleaned_data["court_kind"],
                held=form.held,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            done = "Audience enregistrée" if form.held else "Procédure audiencée"
            messages.success(request, f"{done} : {hearing}.")
            return redirect("procedure_hearing", procedure.pk)
    return render(
        request, "cases/judgments/hearing_form.html", {"procedure": procedure, "form": form}
    )


def _replaced(appeal_decision: bool, party: Party) -> Judgment | None:
    """The court of appeal's decision replaces the defendant's first-instance judgment."""
    if not appeal_decision:
        return None
    return party.judgments.filter(replaced_by__isnull=True, replaces__isnull=True).first()


def record_judgment(request: AgentRequest, procedure_id: int, party_id: int) -> HttpResponse:
    """The judgment on one defendant: a verdict per prosecuted offence, the sentences."""
    agent = request.agent
    procedure = access_judged_procedure(agent, procedure_id)
    party = access_defendant(agent, procedure, party_id)
    if not rules.can_record_judgment(agent, procedure):
        raise PermissionDenied
    appeal_decision = rules.records_appeal_decision(agent, procedure)
    charges = list(procedure.charges.filter(party=party).select_related("offence"))
    hearings = list(procedure.hearings.filter(cancelled_at__isnull=True))
    data = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    form = JudgmentForm(
        data,
        charges=charges,
        hearings=hearings,
        initial={"delivered_on": today, "hearing": hearings[-1].pk if hearings else None},
    )
    rows = sentence_forms(data)
    warnings: list[checks.Finding] = []
    if data is not None and all([form.is_valid(), *(row.is_valid() for row in rows)]):
        try:
            judgment = actions.record_judgment(
                agent=agent,
                procedure=procedure,
                party=party,
                delivered_on=form.cleaned_data["delivered_on"],
                delivery_mode=form.cleaned_data["delivery_mode"],
                served_on=form.cleaned_data["served_on"],
                hearing=form.cleaned_data["hearing"],
                verdicts=form.verdicts(),
                sentences=[row.to_input() for row in rows if not row.is_empty],
                replaces=_replaced(appeal_decision, party),
                acknowledged=_acknowledged(request),
            )
        except checks.WarningsToAcknowledge as pending:
            warnings = pending.warnings
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Jugement enregistré.")
            execution = judgment.execution
            if execution.convoke_before_leaving(today) and rules.can_convoke_at_hearing_exit(
                agent, judgment
            ):
                messages.info(
                    request,
                    "Convoquez la personne devant le SAP ou le SPIP avant qu’elle ne quitte "
                    "le tribunal.",
                )
                return redirect(f"{reverse('hearing_exit')}?jugement={judgment.pk}")
            return redirect("judgment", judgment.pk)
    return render(
        request,
        "cases/judgments/judgment_form.html",
        {
            "procedure": procedure,
            "party": party,
            "form": form,
            "rows": rows,
            "warnings": warnings,
            "appeal_decision": appeal_decision,
        },
    )


def record_service(request: AgentRequest, judgment_id: int) -> HttpResponse:
    """The judgment was served (signifié): its appeal delay starts."""
    agent = request.agent
    judgment = access_judgment(agent, judgment_id)
    if not rules.can_record_service(agent, judgment):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, initial={"served_on": judgment.served_on})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_service(
                agent=agent, judgment=judgment, served_on=form.cleaned_data["served_on"]
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Signification enregistrée.")
            return redirect("judgment", judgment.pk)
    return render(
        request,
        "cases/judgments/judgment_step_form.html",
        {
            "judgment": judgment,
            "form": form,
            "title": "Signification du jugement",
            "submit": "Enregistrer la signification",
        },
    )


def record_appeal(request: AgentRequest, judgment_id: int) -> HttpResponse:
    """An appeal (who, when): execution suspended, the procedure goes to the court of appeal."""
    agent = request.agent
    judgment = access_judgment(agent, judgment_id)
    if not rules.can_record_appeal(agent, judgment):
        raise PermissionDenied
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_appeal(
                agent=agent,
                judgment=judgment,
                by=form.cleaned_data["by"],
                lodged_on=form.cleaned_data["lodged_on"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Appel enregistré : la procédure part en appel.")
            return redirect("judgment", judgment.pk)
    return render(
        request,
        "cases/judgments/judgment_step_form.html",
        {
            "judgment": judgment,
            "form": form,
            "title": "Appel du jugement",
            "submit": "Enregistrer l’appel",
        },
    )


def hearing_letter(
    request: AgentRequest, procedure_id: int, hearing_id: int, party_id: int
) -> HttpResponse:
    """The defendant's convocation to the hearing, as a one-page PDF to print or send."""
    agent = request.agent
    procedure = access_judged_procedure(agent, procedure_id)
    hearing = access_hearing(agent, procedure, hearing_id)
    party = access_defendant(agent, procedure, party_id)
    if not rules.can_schedule_hearing(agent, procedure):
        raise PermissionDenied
    record(
        HEARING_LETTER_PRINTED,
        actor=agent,
        target=procedure,
        details={"hearing": hearing.pk, "party": party.pk},
    )
    record_person_read("hearing_letter", actor=agent, persons=party.person)
    response = HttpResponse(
        letters.hearing_letter_pdf(hearing, party, service=agent.service),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="convocation-audience-{hearing.pk}.pdf"'
    return response
