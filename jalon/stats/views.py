"""The dashboards and their exports: parse, compute, render."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jalon.access.http import AgentRequest
from jalon.access.lookups import (
    access_jurisdiction_statistics,
    access_national_statistics,
    access_service_statistics,
)
from jalon.history.actions import record
from jalon.stats import export
from jalon.stats.dashboard import (
    Subject,
    build,
    jurisdiction_subject,
    national_subject,
    service_subject,
)
from jalon.stats.entry import dashboards_of
from jalon.stats.forms import PeriodForm

FORMATS = {"csv": "text/csv; charset=utf-8", "ods": export.MIME}


@require_GET
def home(request: AgentRequest) -> HttpResponse:
    """The dashboards the agent may open: straight to it when there is one, else their list."""
    entry = dashboards_of(request.agent)
    if not entry.links:
        raise Http404("Aucun tableau de bord statistique pour votre profil.")
    if len(entry.links) == 1:
        return redirect(entry.links[0].url)
    return render(request, "stats/home.html", {"entry": entry})


def _form(request: AgentRequest, time_zone: str) -> PeriodForm:
    """The period asked for; "today" is the subject's own day."""
    today = timezone.localtime(timezone.now(), timezone=ZoneInfo(time_zone)).date()
    return PeriodForm(request.GET or None, today=today)


def _page(request: AgentRequest, subject: Subject, export_url: str, export_args: list[int]
          ) -> HttpResponse:  # fmt: skip
    form = _form(request, subject.time_zone)
    board = build(subject, form.period(), now=timezone.now()) if form.is_valid() else None
    return render(
        request,
        "stats/dashboard.html",
        {
            "subject": subject,
            "form": form,
            "board": board,
            "export_url": export_url,
            "export_args": export_args,
            "query": request.GET.urlencode() if form.is_valid() else "",
        },
        status=200 if board is not None else 400,
    )


def _export(request: AgentRequest, subject: Subject, target: object, table: str, fmt: str
            ) -> HttpResponse:  # fmt: skip
    if fmt not in FORMATS:
        raise Http404("Format inconnu.")
    form = _form(request, subject.time_zone)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = form.period()
    board = build(subject, period, now=timezone.now())
    chosen = board.table(table)
    if chosen is None:
        raise Http404("Tableau inconnu.")
    context = [
        ("Tableau", chosen.caption),
        ("Service" if subject.area.kind == "service" else "Périmètre", subject.name),
        ("Période", f"du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"),
        (
            "Période précédente",
            f"du {board.previous.start:%d/%m/%Y} au {board.previous.end:%d/%m/%Y}",
        ),
        ("Données à", f"{board.data_at:%d/%m/%Y %H:%M:%S}"),
    ]
    name = f"{table}_{period.start:%Y%m%d}_{period.end:%Y%m%d}.{fmt}"
    body = (
        export.to_csv(chosen, context)
        if fmt == "csv"
        else export.to_ods(chosen, context, chosen.caption)
    )
    # An extraction of figures (CNP-02): who took which table, of which area, for which period.
    record(
        "stats.exported",
        actor=request.agent,
        target=target,  # type: ignore[arg-type]
        details={
            "area": subject.area.kind,
            "table": table,
            "format": fmt,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def service(request: AgentRequest, service_id: int) -> HttpResponse:
    target = access_service_statistics(request.agent, service_id)
    return _page(request, service_subject(target), "stats_service_export", [target.pk])


@require_GET
def service_export(request: AgentRequest, service_id: int, table: str, fmt: str) -> HttpResponse:
    target = access_service_statistics(request.agent, service_id)
    return _export(request, service_subject(target), target, table, fmt)


@require_GET
def jurisdiction(request: AgentRequest, jurisdiction_id: int) -> HttpResponse:
    target = access_jurisdiction_statistics(request.agent, jurisdiction_id)
    return _page(request, jurisdiction_subject(target), "stats_jurisdiction_export", [target.pk])


@require_GET
def jurisdiction_export(request: AgentRequest, jurisdiction_id: int, table: str, fmt: str
                        ) -> HttpResponse:  # fmt: skip
    target = access_jurisdiction_statistics(request.agent, jurisdiction_id)
    return _export(request, jurisdiction_subject(target), target, table, fmt)


@require_GET
def national(request: AgentRequest) -> HttpResponse:
    access_national_statistics(request.agent)
    return _page(request, national_subject(), "stats_national_export", [])


@require_GET
def national_export(request: AgentRequest, table: str, fmt: str) -> HttpResponse:
    access_national_statistics(request.agent)
    return _export(request, national_subject(), None, table, fmt)
