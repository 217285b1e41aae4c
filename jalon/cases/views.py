"""The NATINF referential: the offence picker (every agent) and the import screen (national
admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from jalon.access.http import AgentRequest
from jalon.access.rules import cases as rules
from jalon.cases.forms import NatinfImportForm
from jalon.cases.imports import NatinfReport, import_natinf
from jalon.cases.models import NatinfEdition, Offence
from jalon.cases.natinf import NatinfFileError
from jalon.cases.picker import MIN_LENGTH, search_offences

QUERY_MAX = 200


def offence_picker(request: AgentRequest) -> HttpResponse:
    """Offences by number or words; htmx asks for the result list alone."""
    if not rules.can_pick_offence(request.agent):
        raise PermissionDenied
    query = request.GET.get("q", "")[:QUERY_MAX].strip()
    context = {
        "query": query,
        "offences": search_offences(query) if query else [],
        "too_short": bool(query) and len(query) < MIN_LENGTH and not query.isdigit(),
        # Inside the offence form, each result gets a button that fills the NATINF field.
        "pickable": request.GET.get("pick") == "1",
    }
    if getattr(request, "htmx", False):
        return render(request, "cases/offence_results.html", context)
    return render(request, "cases/offence_picker.html", context)


def natinf_import(request: AgentRequest) -> HttpResponse:
    """Upload an edition of the official list; the report lists each row's outcome."""
    agent = request.agent
    if not rules.can_import_natinf(agent):
        raise PermissionDenied
    posted = request.method == "POST"
    form = NatinfImportForm(request.POST if posted else None, request.FILES if posted else None)
    report: NatinfReport | None = None
    if posted and form.is_valid():
        upload = form.files["file"]
        try:
            report = import_natinf(
                form.cleaned_data["file"],
                edition=form.cleaned_data["edition"],
                in_force_from=form.cleaned_data["in_force_from"],
                agent=agent,
                file_name=getattr(upload, "name", "") or "",
                dry_run=form.cleaned_data["dry_run"],
            )
        except NatinfFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "cases/natinf_import.html",
        {
            "form": form,
            "report": report,
            "editions": NatinfEdition.objects.all()[:10],
            "in_force": Offence.objects.filter(retired_from__isnull=True).count(),
        },
    )
