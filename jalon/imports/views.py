"""Screens of the imports: upload, columns, dry run and decisions, progress, report."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_import
from jalon.access.rules import imports as rules
from jalon.core import csvsafe
from jalon.imports import actions, recovery
from jalon.imports.columns import FIELDS
from jalon.imports.forms import MappingForm, UploadForm
from jalon.imports.models import Import, Row
from jalon.imports.reading import ImportFileError

TEMPLATE_FILE = Path(__file__).parent / "data" / "modele.csv"
PAGE_SIZE = 100
DECISIONS_SHOWN = 500


def _allowed(request: AgentRequest) -> None:
    if not rules.can_import_files(request.agent):
        raise PermissionDenied


def import_list(request: AgentRequest) -> HttpResponse:
    """The service's imports and the upload form."""
    _allowed(request)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.files["file"]
        try:
            batch = actions.upload(
                agent=request.agent,
                content=form.cleaned_data["file"],
                file_name=getattr(upload, "name", "") or "fichier",
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("import_columns", batch.pk)
    imports = rules.imports_visible_to(request.agent).select_related("agent").defer("content")
    return render(
        request,
        "imports/list.html",
        {"form": form, "imports": imports[:20], "fields": FIELDS},
    )


def import_template(request: AgentRequest) -> HttpResponse:
    """The example file of the documented layout."""
    _allowed(request)
    return csvsafe.download(TEMPLATE_FILE.read_bytes(), "modele-import.csv")


def import_columns(request: AgentRequest, pk: int) -> HttpResponse:
    """Which column of the file holds which field; then the dry run is queued."""
    _allowed(request)
    batch = access_import(request.agent, pk)
    if batch.status != Import.Status.MAPPING:
        return redirect("import_detail", batch.pk)
    posted = request.method == "POST"
    form = MappingForm(
        request.POST if posted else None, headers=batch.headers, initial=batch.mapping
    )
    if posted and form.is_valid():
        try:
            actions.confirm_mapping(agent=request.agent, batch=batch, mapping=form.mapping)
        except ValidationError as error:
            form.add_error(None, error.messages)
        except actions.ImportRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("import_detail", batch.pk)
    return render(request, "imports/columns.html", {"batch": batch, "form": form})


def import_detail(request: AgentRequest, pk: int) -> HttpResponse:
    """The dry run row by row, the decisions, the progress of the run, its outcome."""
    _allowed(request)
    batch = access_import(request.agent, pk)
    recovery.detect_failure(batch)
    verdict = request.GET.get("ligne", "")
    rows = batch.rows.select_related("candidate").order_by("line")
    if verdict in Row.Verdict.values:
        rows = rows.filter(verdict=verdict)
    elif verdict == "rejetees":
        rows = rows.filter(result=Row.Result.ERROR)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    probable = []
    if batch.status == Import.Status.CHECKED:
        probable = list(
            batch.rows.filter(verdict=Row.Verdict.PROBABLE)
            .select_related("candidate")
            .order_by("line")[:DECISIONS_SHOWN]
        )
    counts = actions.counts(batch) if batch.status != Import.Status.MAPPING else {}
    context = {
        "batch": batch,
        "verdict_counts": [
            (value, label, counts.get("verdicts", {}).get(value, 0))
            for value, label in Row.Verdict.choices
        ],
        "result_counts": [
            (value, label, counts.get("results", {}).get(value, 0))
            for value, label in Row.Result.choices[1:]
        ],
        "verdict": verdict,
        "page": page,
        "probable": probable,
        "decisions": Row.Decision.choices[1:],
        "pending_count": counts.get("results", {}).get(Row.Result.PENDING, 0),
        "can_recover": batch.status == Import.Status.FAILED
        and rules.can_recover_import(request.agent, batch),
    }
    if getattr(request, "htmx", False) and request.GET.get("progres") == "1":
        return render(request, "imports/_progress.html", context)
    return render(request, "imports/detail.html", context)


@require_POST
def import_decide(request: AgentRequest, pk: int) -> HttpResponse:
    _allowed(request)
    batch = access_import(request.agent, pk)
    decisions = {}
    for name, value in request.POST.items():
        if name.startswith("ligne-") and name[6:].isdigit() and value in Row.Decision.values:
            decisions[int(name[6:])] = value
    try:
        changed = actions.decide(agent=request.agent, batch=batch, decisions=decisions)
    except actions.ImportRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{changed} décision(s) enregistrée(s).")
    return redirect("import_detail", batch.pk)


@require_POST
def import_start(request: AgentRequest, pk: int) -> HttpResponse:
    _allowed(request)
    batch = access_import(request.agent, pk)
    if actions.start(agent=request.agent, batch=batch):
        messages.success(request, "L’import est lancé : suivez sa progression sur cette page.")
    return redirect("import_detail", batch.pk)


def _recovery(request: AgentRequest, pk: int, step: str) -> HttpResponse:
    """ "Reprendre l'import" or "Abandonner l'import", for a failed import."""
    _allowed(request)
    batch = access_import(request.agent, pk)
    if not rules.can_recover_import(request.agent, batch):
        raise PermissionDenied
    if step == "resume":
        try:
            if recovery.resume(agent=request.agent, batch=batch):
                messages.success(request, "L’import reprend là où il s’était arrêté.")
        except actions.ImportRefused as error:
            messages.error(request, str(error))
    elif recovery.abandon(agent=request.agent, batch=batch):
        messages.success(request, "L’import est abandonné : les lignes déjà importées restent.")
    return redirect("import_detail", batch.pk)


@require_POST
def import_resume(request: AgentRequest, pk: int) -> HttpResponse:
    return _recovery(request, pk, "resume")


@require_POST
def import_abandon(request: AgentRequest, pk: int) -> HttpResponse:
    return _recovery(request, pk, "abandon")


NOT_RUN = "Non traitée : l’import a été abandonné avant cette ligne."


def import_report(request: AgentRequest, pk: int) -> HttpResponse:
    """The rows not imported (or refused by the dry run), with their reason; for an
    abandoned import, also the rows it never reached."""
    _allowed(request)
    batch = access_import(request.agent, pk)
    if batch.status == Import.Status.DONE:
        rows = batch.rows.filter(result=Row.Result.ERROR)
    elif batch.status == Import.Status.ABANDONED and batch.started_at is not None:
        rows = batch.rows.filter(result__in=[Row.Result.ERROR, Row.Result.PENDING])
    else:
        rows = batch.rows.filter(verdict=Row.Verdict.ERROR)
    labels = [field.label for field in FIELDS]
    names = [field.name for field in FIELDS]
    abandoned = batch.status == Import.Status.ABANDONED and batch.started_at is not None
    lines = (
        [
            line,
            reason_run or (NOT_RUN if not result and abandoned else reason),
            *(values.get(name, "") for name in names),
        ]
        for line, reason, result, reason_run, values in rows.order_by("line").values_list(
            "line", "reason", "result", "result_reason", "values"
        )
    )
    content = csvsafe.for_excel(["Ligne", "Motif", *labels], lines)
    return csvsafe.download(content, f"import-{batch.pk}-lignes-rejetees.csv")
