"""The monthly anonymised export page (national profiles): parse, act, render."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jalon.access.http import AgentRequest
from jalon.access.rules import stats as rules
from jalon.stats import infocentre, infocentre_actions
from jalon.stats.infocentre_forms import MonthForm
from jalon.stats.models import MonthlyExport

MONTHS_SHOWN = 12


def _allowed(request: AgentRequest) -> None:
    if not rules.can_use_infocentre(request.agent):
        raise Http404("Page introuvable.")


def _current_month() -> date:
    return timezone.localtime(timezone.now(), infocentre.PARIS).date().replace(day=1)


def _page(request: AgentRequest, form: MonthForm, status: int = 200) -> HttpResponse:
    current = _current_month()
    months, month = [], current
    for _ in range(MONTHS_SHOWN):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    exports = {e.month: e for e in MonthlyExport.objects.defer("content")}
    rows = [
        {
            "month": m,
            "key": f"{m:%Y-%m}",
            "label": infocentre.month_label(m),
            "export": exports.get(m),
        }
        for m in sorted({*months, *exports}, reverse=True)
    ]
    return render(request, "stats/infocentre.html", {"rows": rows, "form": form}, status=status)


@require_GET
def infocentre_page(request: AgentRequest) -> HttpResponse:
    _allowed(request)
    return _page(request, MonthForm(current_month=_current_month()))


@require_POST
def infocentre_request(request: AgentRequest) -> HttpResponse:
    _allowed(request)
    form = MonthForm(request.POST, current_month=_current_month())
    if not form.is_valid():
        return _page(request, form, status=400)
    month = form.cleaned_data["mois"]
    try:
        infocentre_actions.request_export(
            month, agent=request.agent, regenerate=form.cleaned_data["regenerer"]
        )
    except infocentre_actions.ExportRefused as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(
            request,
            f"L’export de {infocentre.month_label(month)} est lancé. Il sera téléchargeable "
            "sur cette page dans quelques minutes.",
        )
    return redirect("stats_infocentre")


@require_GET
def infocentre_download(request: AgentRequest, month: str) -> HttpResponse:
    _allowed(request)
    found = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise Http404("Mois inconnu.")
    first = date(int(found.group(1)), int(found.group(2)), 1)
    export = MonthlyExport.objects.filter(month=first, status=MonthlyExport.Status.DONE).first()
    if export is None:
        raise Http404("Aucun export prêt pour ce mois.")
    body = infocentre_actions.download(export, agent=request.agent)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{infocentre.zip_name(first)}"'
    return response
