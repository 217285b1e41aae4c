"""Screens from the judgment to its execution: a judgment's page, the BEX's queue
("Décisions à exécuter") and the measures a SAP or a SPIP follows."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_execution_for_bex, access_judgment, access_measure
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import judgments as rules
from jalon.cases import follow_up
from jalon.cases.actions import judgments as actions
from jalon.cases.actions import measures as measure_actions
from jalon.cases.forms import MeasureEndForm
from jalon.cases.models import Stage
from jalon.history.actions import record_person_read

PAGE_SIZE = 50


def judgment_page(request: AgentRequest, judgment_id: int) -> HttpResponse:
    """One judgment: verdicts, sentences, how it was delivered, its appeal calendar."""
    agent = request.agent
    judgment = access_judgment(agent, judgment_id)
    if judgment.party is not None:
        record_person_read("judgment", actor=agent, persons=judgment.party.person)
    return render(
        request,
        "cases/judgments/judgment.html",
        {
            "judgment": judgment,
            "procedure": judgment.procedure,
            "execution": getattr(judgment, "execution", None),
            "decisions": judgment.decisions.select_related("charge__offence"),
            "sentences": judgment.sentences.all(),
            "appeals": judgment.appeals.all(),
            "can_convoke": rules.can_book_hearing_exit_for(agent, judgment)
            and bool(follow_up.follow_up_kinds(judgment)),
            "can_serve": rules.can_record_service(agent, judgment),
            "can_appeal": rules.can_record_appeal(agent, judgment)
            and judgment.procedure.stage != Stage.UNDER_APPEAL,
        },
    )


def bex_queue(request: AgentRequest) -> HttpResponse:
    """ "Décisions à exécuter": the executable decisions of the BEX's TJ, oldest first."""
    agent = request.agent
    if not rules.is_bex(agent):
        raise PermissionDenied
    executions = rules.bex_queue(agent).select_related(
        "judgment__procedure", "judgment__party__person"
    )
    page = Paginator(executions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/judgments/bex_queue.html", {"page": page})


def bex_take(request: AgentRequest, execution_id: int) -> HttpResponse:
    """Take a decision in hand (POST): it leaves the queue; twice is harmless."""
    agent = request.agent
    if request.method != "POST":
        return redirect("bex_queue")
    execution = access_execution_for_bex(agent, execution_id)
    try:
        actions.take_execution(agent=agent, execution=execution)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Décision prise en charge.")
    return redirect("bex_queue")


def measure_list(request: AgentRequest) -> HttpResponse:
    """The measures the agent's SAP or SPIP follows."""
    agent = request.agent
    measures = (
        rules.measures_visible_to(agent)
        .select_related("sentence", "person", "execution__judgment__procedure", "service")
        .order_by(F("ended_on").desc(nulls_first=True), "-created_at", "-pk")
    )
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/judgments/measure_list.html", {"page": page})


def measure_page(request: AgentRequest, measure_id: int) -> HttpResponse:
    """One measure: what the service needs to execute it, nothing more (no victim, no other
    defendant); its service records its end here (POST)."""
    agent = request.agent
    measure = access_measure(agent, measure_id)
    can_end = rules.can_end_measure(agent, measure)
    if request.method == "POST" and not can_end:
        raise PermissionDenied
    if request.method != "POST":
        record_person_read("penal_measure", actor=agent, persons=measure.person)
    form = MeasureEndForm(request.POST if request.method == "POST" else None) if can_end else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            measure_actions.end_measure(agent=agent, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Fin de la mesure enregistrée.")
            return redirect("measure", measure.pk)
    judgment = measure.execution.judgment
    return render(
        request,
        "cases/judgments/measure.html",
        {
            "measure": measure,
            "sentence": measure.sentence,
            "judgment": judgment,
            "procedure": judgment.procedure,
            "form": form,
            "convocations": appointment_rules.appointments_visible_to(agent)
            .filter(measure=measure)
            .select_related("appointment_type", "service")
            .order_by("starts_at", "pk"),
        },
    )
