"""Agents' screens: editing the public pages, answering move requests ("Demandes de report")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_move_request
from jalon.access.models import Service
from jalon.access.rules import public as rules
from jalon.core import links
from jalon.history.actions import record_person_read
from jalon.public import actions
from jalon.public.forms import InfoPageForm, MoveAnswerForm, ServicePageForm
from jalon.public.models import InfoPage, MoveRequest, ServicePage

PAGE_SIZE = 50


def public_pages(request: AgentRequest) -> HttpResponse:
    """The services whose public page the agent edits, and the information pages."""
    agent = request.agent
    services = rules.service_pages_editable_by(agent)
    can_info = rules.can_edit_info_pages(agent)
    if not can_info and not services.exists():
        raise PermissionDenied
    return render(
        request,
        "public/admin_pages.html",
        {
            "page": Paginator(services, PAGE_SIZE).get_page(request.GET.get("page")),
            "info_pages": InfoPage.objects.only("pk", "title", "slug") if can_info else [],
        },
    )


def service_page_edit(request: AgentRequest, service_id: int) -> HttpResponse:
    agent = request.agent
    service = Service.objects.filter(pk=service_id, is_active=True).first()
    if service is None or not rules.can_edit_service_page(agent, service):
        raise Http404("Service introuvable.")
    page = ServicePage.objects.filter(service=service).first() or ServicePage(service=service)
    form = ServicePageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        actions.save_service_page(agent=agent, service=service, data=form.cleaned_data)
        messages.success(request, "La page publique du service est enregistrée.")
        return redirect("public_service_page_edit", service_id=service.pk)
    return render(
        request,
        "public/admin_service_page.html",
        {
            "form": form,
            "service": service,
            "public_url": f"/s/{links.service_page_token(service.pk)}",
        },
        status=400 if form.errors else 200,
    )


def info_page_edit(request: AgentRequest, page_id: int) -> HttpResponse:
    agent = request.agent
    if not rules.can_edit_info_pages(agent):
        raise PermissionDenied
    page = InfoPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404("Page introuvable.")
    form = InfoPageForm(request.POST or None, instance=InfoPage.objects.get(pk=page.pk))
    if request.method == "POST" and form.is_valid():
        actions.save_info_page(agent=agent, page=page, data=form.cleaned_data)
        messages.success(request, "La page d’information est enregistrée.")
        return redirect("public_info_page_edit", page_id=page.pk)
    return render(
        request,
        "public/admin_info_page.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


def move_requests(request: AgentRequest) -> HttpResponse:
    """Demandes de report: the pending ones first, then the latest answered."""
    agent = request.agent
    queryset = (
        rules.move_requests_for(agent)
        .select_related(
            "appointment__appointment_type",
            "appointment__person",
            "appointment__service",
            "answered_by",
        )
        .order_by("status", "-created_at", "-pk")
    )
    show = request.GET.get("etat", "pending")
    if show == "pending":
        queryset = queryset.filter(status=MoveRequest.Status.PENDING)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    record_person_read(
        "move_requests", actor=agent, persons=[move.appointment.person for move in page]
    )
    return render(request, "public/move_requests.html", {"page": page, "show": show})


@require_POST
def move_request_answer(request: AgentRequest, request_id: int) -> HttpResponse:
    agent = request.agent
    move = access_move_request(agent, request_id)
    form = MoveAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez d’accepter ou de refuser la demande.")
        return redirect("appointment_detail", move.appointment_id)
    accept = form.cleaned_data["decision"] == "accept"
    if actions.answer_move_request(
        agent=agent, move=move, accept=accept, answer=form.cleaned_data["answer"]
    ):
        if accept:
            messages.success(
                request,
                "Report accepté : la personne le verra sur son lien. "
                "Déplacez maintenant la convocation (bouton « Reporter »).",
            )
        else:
            messages.success(request, "Report refusé : la personne le verra sur son lien.")
    else:
        messages.info(request, "Cette demande avait déjà reçu une réponse.")
    return redirect("appointment_detail", move.appointment_id)
