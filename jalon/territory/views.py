"""The commune table: import screen for national admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from jalon.access.http import AgentRequest
from jalon.access.rules import appointments as rules
from jalon.territory.forms import CommuneImportForm
from jalon.territory.imports import ImportFileError, ImportReport, import_communes
from jalon.territory.models import Commune


def commune_import(request: AgentRequest) -> HttpResponse:
    """Upload the CSV of communes; the report lists each bad row with its line and reason."""
    agent = request.agent
    if not rules.can_import_communes(agent):
        raise PermissionDenied
    form = CommuneImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.files["file"]
        try:
            report = import_communes(
                form.cleaned_data["file"],
                agent=agent,
                file_name=getattr(upload, "name", "") or "",
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "territory/commune_import.html",
        {"form": form, "report": report, "count": Commune.objects.count()},
    )
