"""The national back office in DSFR (/administration/), for national administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.models import Agent
from jalon.access.rules import backoffice as rules
from jalon.backoffice import actions
from jalon.backoffice.registry import REFERENTIALS, Referential, referential
from jalon.history.models import Event

PAGE_SIZE = 50


def _require_editor(request: AgentRequest) -> Agent:
    if not rules.can_edit_referentials(request.agent):
        raise PermissionDenied
    return request.agent


def home(request: AgentRequest) -> HttpResponse:
    if not rules.can_use_back_office(request.agent):
        raise PermissionDenied
    return render(request, "backoffice/home.html", {"referentials": REFERENTIALS})


def entry_list(request: AgentRequest, slug: str) -> HttpResponse:
    actor = _require_editor(request)
    ref = referential(slug)
    entries = rules.referential_entries_visible_to(actor, ref.queryset())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, [column.value(entry) for column in ref.columns]) for entry in page.object_list]
    return render(request, "backoffice/list.html", {"ref": ref, "page": page, "rows": rows})


def _entry(actor: Agent, ref: Referential, entry_id: int) -> Any:
    return get_object_or_404(
        rules.referential_entries_visible_to(actor, ref.queryset()), pk=entry_id
    )


def entry_create(request: AgentRequest, slug: str) -> HttpResponse:
    actor = _require_editor(request)
    ref = referential(slug)
    if not ref.can_create:
        raise PermissionDenied
    form = ref.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = actions.save_entry(agent=actor, slug=slug, form=form)
        messages.success(request, f"Ajout enregistré : {entry}.")
        return redirect("backoffice_list", slug)
    return render(request, "backoffice/form.html", {"ref": ref, "form": form, "entry": None})


def entry_edit(request: AgentRequest, slug: str, entry_id: int) -> HttpResponse:
    actor = _require_editor(request)
    ref = referential(slug)
    entry = _entry(actor, ref, entry_id)
    form = ref.form(request.POST if request.method == "POST" else None, instance=entry)
    if request.method == "POST" and form.is_valid():
        actions.save_entry(agent=actor, slug=slug, form=form)
        messages.success(request, f"Modification enregistrée : {entry}.")
        return redirect("backoffice_list", slug)
    events = Event.objects.for_object(entry).timeline()[:20]
    return render(
        request,
        "backoffice/form.html",
        {"ref": ref, "form": form, "entry": entry, "events": events},
    )


@require_POST
def entry_toggle(request: AgentRequest, slug: str, entry_id: int) -> HttpResponse:
    actor = _require_editor(request)
    ref = referential(slug)
    if not ref.has_active_flag:
        raise PermissionDenied
    entry = _entry(actor, ref, entry_id)
    active = request.POST.get("active") == "1"
    if actions.set_active(agent=actor, slug=slug, entry=entry, active=active):
        done = "Réactivation" if active else "Désactivation"
        messages.success(request, f"{done} enregistrée : {entry}.")
    return redirect("backoffice_edit", slug, entry.pk)
