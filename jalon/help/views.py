"""The help section ("Aide"): pages, search, and the problems agents report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_problem_report
from jalon.access.rules import help as rules
from jalon.help import actions
from jalon.help.forms import ProblemReportForm, SearchForm, local_path, request_id
from jalon.help.models import ProblemReport
from jalon.help.pages import all_pages, get_page
from jalon.help.search import search

PAGE_SIZE = 50


def help_index(request: AgentRequest) -> HttpResponse:
    """The help pages, or the pages matching the search, best first."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "help/index.html",
        {
            "form": form,
            "query": query,
            "results": search(query) if query else None,
            "pages": all_pages(),
        },
    )


def help_page(request: AgentRequest, slug: str) -> HttpResponse:
    page = get_page(slug)
    if page is None:
        raise Http404("Page d’aide introuvable.")
    return render(
        request, "help/page.html", {"page": page, "pages": all_pages(), "form": SearchForm()}
    )


def report_problem(request: AgentRequest) -> HttpResponse:
    """The form of "Signaler un problème": the page and its request id come from the link."""
    if request.method == "POST":
        form = ProblemReportForm(request.POST)
        if form.is_valid():
            report = actions.report_problem(
                agent=request.agent,
                description=form.cleaned_data["description"],
                page_url=form.cleaned_data["page"],
                request_id=form.cleaned_data["ref"],
                user_agent=request.headers.get("User-Agent", ""),
            )
            messages.success(
                request,
                f"Merci : votre signalement n° {report.pk} est transmis à l’assistance.",
            )
            return redirect(form.cleaned_data["page"] or "home")
    else:
        form = ProblemReportForm(
            initial={
                "page": local_path(request.GET.get("page", "")),
                "ref": request_id(request.GET.get("ref", "")),
            }
        )
    return render(request, "help/report_form.html", {"form": form})


def problem_reports(request: AgentRequest) -> HttpResponse:
    """The reports, the ones to handle first (national administrators)."""
    if not rules.can_handle_problem_reports(request.agent):
        raise PermissionDenied
    show_all = request.GET.get("tous") == "1"
    reports = ProblemReport.objects.select_related("agent", "service", "handled_by")
    if not show_all:
        reports = reports.open()
    return render(
        request,
        "help/report_list.html",
        {
            "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
            "show_all": show_all,
        },
    )


@require_POST
def problem_report_handled(request: AgentRequest, report_id: int) -> HttpResponse:
    report = access_problem_report(request.agent, report_id)
    actions.mark_handled(report, agent=request.agent)
    messages.success(request, f"Le signalement n° {report.pk} est marqué comme traité.")
    return redirect("problem_reports")
