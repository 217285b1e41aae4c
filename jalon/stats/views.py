"""The service head's dashboard and its exports: parse, compute, render."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_service_statistics
from jalon.access.rules import stats as rules
from jalon.history.actions import record
from jalon.stats import export
from jalon.stats.dashboard import service_dashboard
from jalon.stats.forms import PeriodForm

FORMATS = {"csv": "text/csv; charset=utf-8", "ods": export.MIME}


@require_GET
def home(request: AgentRequest) -> HttpResponse:
    """The agent's own service's dashboard, if they head it."""
    service = rules.statistics_services(request.agent).first()
    if service is None:
        raise Http404("Aucun tableau de bord statistique pour votre profil.")
    return redirect("stats_service", service_id=service.pk)


def _form(request: AgentRequest, service_time_zone: str) -> PeriodForm:
    """The period asked for; "today" is the service's own day."""
    today = timezone.localtime(timezone.now(), timezone=ZoneInfo(service_time_zone)).date()
    return PeriodForm(request.GET or None, today=today)


@require_GET
def service(request: AgentRequest, service_id: int) -> HttpResponse:
    target = access_service_statistics(request.agent, service_id)
    form = _form(request, target.time_zone)
    board = None
    if form.is_valid():
        board = service_dashboard(target, form.period(), now=timezone.now())
    return render(
        request,
        "stats/service_dashboard.html",
        {
            "service": target,
            "form": form,
            "board": board,
            "query": request.GET.urlencode() if form.is_valid() else "",
        },
        status=200 if board is not None else 400,
    )


@require_GET
def service_export(request: AgentRequest, service_id: int, table: str, fmt: str) -> HttpResponse:
    target = access_service_statistics(request.agent, service_id)
    if fmt not in FORMATS:
        raise Http404("Format inconnu.")
    form = _form(request, target.time_zone)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = form.period()
    board = service_dashboard(target, period, now=timezone.now())
    chosen = board.tables.get(table)
    if chosen is None:
        raise Http404("Tableau inconnu.")
    context = [
        ("Tableau", chosen.caption),
        ("Service", target.name),
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
    # An extraction of the service's figures (CNP-02): who took which table, for which period.
    record(
        "stats.exported",
        actor=request.agent,
        target=target,
        details={
            "table": table,
            "format": fmt,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
