"""Record screens that change its life: closing and reopening, correcting and deleting
procedures and measures. Each loads the situation through the access layer first (404 out
of scope), then checks the write right (403 for the JAF), then loads the part within it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_situation
from jalon.access.models import Agent
from jalon.access.rules import situations as rules
from jalon.core.dates import local_now
from jalon.situations import actions
from jalon.situations.forms import CloseForm, MeasureForm, ProcedureForm, ReopenForm
from jalon.situations.models import Measure, Procedure, Situation


def _writable(request: AgentRequest, situation_id: int) -> tuple[Agent, Situation]:
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_edit_situation(agent, situation):
        raise PermissionDenied
    return agent, situation


# --- Closing and reopening ---------------------------------------------------------------


def situation_close(request: AgentRequest, situation_id: int) -> HttpResponse:
    """Close the situation with a day and a reason; the record page opens this in a dialog,
    this page shows it again with the typed values when something is wrong."""
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_close_situation(agent, situation):
        raise PermissionDenied
    today = local_now(agent.service.time_zone).date()
    if situation.closed_on is not None:
        messages.info(request, f"Situation déjà clôturée le {situation.closed_on:%d/%m/%Y}.")
        return redirect("situation_detail", situation.pk)
    form = CloseForm(
        request.POST if request.method == "POST" else None, initial={"closed_on": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_situation(
                agent=agent,
                situation=situation,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
                today=today,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(
                request,
                f"Situation clôturée le {form.cleaned_data['closed_on']:%d/%m/%Y}. "
                "Elle reste consultable ; vous pouvez la rouvrir.",
            )
            return redirect("situation_detail", situation.pk)
    return render(
        request,
        "situations/situation_close.html",
        {
            "situation": situation,
            "form": form,
            "opened_on": actions.opened_on(situation, agent.service.time_zone),
        },
    )


@require_POST
def situation_reopen(request: AgentRequest, situation_id: int) -> HttpResponse:
    agent = request.agent
    situation = access_situation(agent, situation_id)
    if not rules.can_close_situation(agent, situation):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            actions.reopen_situation(
                agent=agent,
                situation=situation,
                reason=form.cleaned_data["reason"],
                today=local_now(agent.service.time_zone).date(),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Situation rouverte.")
            return redirect("situation_detail", situation.pk)
    return render(
        request,
        "situations/situation_reopen.html",
        {"situation": situation, "form": form},
        status=200,
    )


# --- Procedures and measures -------------------------------------------------------------

PARTS: dict[str, dict[str, Any]] = {
    "procedures": {
        "model": Procedure,
        "form": ProcedureForm,
        "label": "la procédure",
        "saved": "Procédure enregistrée.",
        "deleted": "Procédure supprimée.",
    },
    "mesures": {
        "model": Measure,
        "form": MeasureForm,
        "label": "la mesure",
        "saved": "Mesure enregistrée.",
        "deleted": "Mesure supprimée.",
    },
}


def _part(situation: Situation, tab: str, part_id: int) -> Any:
    """A procedure or a measure of this situation (404 for one of another situation)."""
    return get_object_or_404(PARTS[tab]["model"], pk=part_id, situation=situation)


def part_edit(request: AgentRequest, situation_id: int, tab: str, part_id: int) -> HttpResponse:
    """Correct a procedure or a measure: the form comes filled; typed values stay on error."""
    agent, situation = _writable(request, situation_id)
    part = _part(situation, tab, part_id)
    spec = PARTS[tab]
    form = spec["form"](request.POST if request.method == "POST" else None, instance=part)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.update_part(agent=agent, situation=situation, part=part, values=values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, spec["saved"])
            return redirect("situation_tab", situation.pk, tab)
    return render(
        request,
        "situations/part_edit.html",
        {"situation": situation, "part": part, "form": form, "tab": tab, "what": spec["label"]},
    )


def part_delete(request: AgentRequest, situation_id: int, tab: str, part_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    agent, situation = _writable(request, situation_id)
    part = _part(situation, tab, part_id)
    spec = PARTS[tab]
    if request.method == "POST":
        actions.delete_part(agent=agent, situation=situation, part=part)
        messages.success(request, spec["deleted"])
        return redirect("situation_tab", situation.pk, tab)
    return render(
        request,
        "situations/part_delete.html",
        {"situation": situation, "part": part, "tab": tab, "what": spec["label"]},
    )
