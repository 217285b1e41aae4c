"""Transfer screens: incoming and outgoing lists, the request, the request page and answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_person_for_transfer, access_transfer
from jalon.access.models import Agent
from jalon.access.rules import transfers as rules
from jalon.appointments.models import Appointment
from jalon.history.models import Event
from jalon.transfers import actions
from jalon.transfers.forms import FindPersonForm, TransferAnswerForm, TransferRequestForm
from jalon.transfers.models import Transfer, TransferQuerySet

PAGE_SIZE = 25
STATES = {"en-cours": "En cours", "traitees": "Traitées", "toutes": "Toutes"}


# --- Lists -----------------------------------------------------------------------------------


def _list(request: AgentRequest, *, incoming: bool) -> HttpResponse:
    agent = request.agent
    state = request.GET.get("etat", "en-cours")
    if state not in STATES:
        state = "en-cours"
    transfers: TransferQuerySet = (
        rules.incoming_transfers(agent) if incoming else rules.outgoing_transfers(agent)
    )
    if state == "en-cours":
        transfers = transfers.pending()
    elif state == "traitees":
        transfers = transfers.exclude(status=Transfer.Status.PENDING)
    page = Paginator(transfers.for_list().order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "transfers/transfer_list.html",
        {
            "incoming": incoming,
            "page": page,
            "state": state,
            "states": STATES,
            "waiting_count": rules.waiting_answers(agent).count(),
            "outgoing_count": rules.outgoing_transfers(agent).pending().count(),
            "can_request": rules.can_request_transfers(agent),
        },
    )


def transfer_incoming(request: AgentRequest) -> HttpResponse:
    """Requests asked of the agent's service."""
    return _list(request, incoming=True)


def transfer_outgoing(request: AgentRequest) -> HttpResponse:
    """Requests made by the agent's service."""
    return _list(request, incoming=False)


@require_GET
def transfer_badge(request: AgentRequest) -> HttpResponse:
    """The number of requests waiting for the service's answer, loaded by the menu (htmx)."""
    count = rules.waiting_answers(request.agent).count()
    return render(request, "transfers/_badge.html", {"count": count})


# --- Request -------------------------------------------------------------------------------


def transfer_create(request: AgentRequest) -> HttpResponse:
    """Find the person by an exact key (or come from their page), then ask."""
    agent = request.agent
    if not rules.can_request_transfers(agent):
        raise PermissionDenied
    has_key = any(request.GET.get(name) for name in ("appi", "nom", "prenoms", "naissance"))
    find = FindPersonForm(request.GET if has_key else None)
    key = find.key()
    chosen = request.GET.get("personne", "")
    if not chosen.isdigit():
        candidates = []
        if key:
            candidates = list(
                rules.transfer_candidates(agent, **key)
                .prefetch_related("follows__service")
                .order_by("last_name_key", "first_names_key", "pk")[:20]
            )
        pending_ids = set(
            Transfer.objects.pending()
            .filter(person__in=[person.pk for person in candidates])
            .values_list("person_id", flat=True)
        )
        return render(
            request,
            "transfers/transfer_find.html",
            {
                "find": find,
                "candidates": candidates,
                "pending": pending_ids,
                "query": request.GET.urlencode(),
                "own_service_id": agent.service_id,
            },
        )
    person = access_person_for_transfer(agent, int(chosen), **key)
    services = rules.requesting_services(agent)
    form = TransferRequestForm(
        request.POST if request.method == "POST" else None, services=services
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = actions.request_transfer(
                agent=agent,
                person=person,
                service=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
                notify_person=form.cleaned_data["notify_person"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            if transfer.is_pending:
                messages.success(request, "Demande envoyée aux services qui suivent la personne.")
            else:
                messages.success(
                    request,
                    "Transfert accepté automatiquement ("
                    f"{transfer.get_auto_reason_display()}) : votre service suit désormais "
                    "la personne.",
                )
            return redirect("transfer_detail", transfer.pk)
    pending = (
        Transfer.objects.pending()
        .filter(person=person)
        .select_related("requesting_service")
        .first()
    )
    return render(
        request,
        "transfers/transfer_create.html",
        {"person": person, "form": form, "pending": pending, "find_query": _key_query(request)},
    )


def _key_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("personne", None)
    return params.urlencode()


# --- The request page and its answers ---------------------------------------------------------


def _detail(
    request: HttpRequest,
    agent: Agent,
    transfer: Transfer,
    answer_form: TransferAnswerForm | None = None,
    form_service: int | None = None,
) -> HttpResponse:
    answerable = rules.answerable(agent, transfer)
    future: dict[int, list[Appointment]] = {}
    if answerable:
        service_ids = [answer.service_id for answer in answerable]
        rows = (
            Appointment.objects.filter(
                person_id=transfer.person_id,
                service_id__in=service_ids,
                status=Appointment.Status.BOOKED,
                starts_at__gt=timezone.now(),
            )
            .select_related("appointment_type", "service")
            .order_by("starts_at")
        )
        for appointment in rows:
            future.setdefault(appointment.service_id, []).append(appointment)
    forms_by_answer: list[tuple[Any, TransferAnswerForm, list[Appointment]]] = []
    for answer in answerable:
        if answer_form is not None and form_service == answer.service_id:
            form = answer_form
        else:
            form = TransferAnswerForm(initial={"service": answer.service_id})
        forms_by_answer.append((answer, form, future.get(answer.service_id, [])))
    return render(
        request,
        "transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "answer_forms": forms_by_answer,
            "can_cancel": rules.can_cancel_transfer(agent, transfer),
            "can_open_person": rules.can_open_person(agent, transfer),
            "events": Event.objects.for_object(transfer).timeline()[:100],
        },
    )


def transfer_detail(request: AgentRequest, transfer_id: int) -> HttpResponse:
    agent = request.agent
    return _detail(request, agent, access_transfer(agent, transfer_id))


@require_POST
def transfer_answer(request: AgentRequest, transfer_id: int) -> HttpResponse:
    """Accept or refuse for one asked service (national admins name it in ``service``)."""
    agent = request.agent
    transfer = access_transfer(agent, transfer_id)
    if not transfer.is_pending:
        messages.error(request, actions.NOT_PENDING)
        return redirect("transfer_detail", transfer.pk)
    answerable = rules.answerable(agent, transfer)
    raw = request.POST.get("service", "")
    answer = next((item for item in answerable if str(item.service_id) == raw), None)
    if answer is None and len(answerable) == 1 and not raw:
        answer = answerable[0]
    if answer is None:
        raise PermissionDenied
    form = TransferAnswerForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == "accepter":
                actions.accept_transfer(
                    agent=agent, transfer=transfer, service=answer.service, reason=reason
                )
                messages.success(request, f"Transfert accepté pour {answer.service}.")
            else:
                actions.refuse_transfer(
                    agent=agent, transfer=transfer, service=answer.service, reason=reason
                )
                messages.success(request, "Transfert refusé : le service demandeur est prévenu.")
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            return redirect("transfer_detail", transfer.pk)
    return _detail(request, agent, transfer, form, answer.service_id)


@require_POST
def transfer_cancel(request: AgentRequest, transfer_id: int) -> HttpResponse:
    agent = request.agent
    transfer = access_transfer(agent, transfer_id)
    if not rules.can_cancel_transfer(agent, transfer):
        if transfer.is_pending:
            raise PermissionDenied
        messages.error(request, actions.NOT_PENDING)
        return redirect("transfer_detail", transfer.pk)
    try:
        actions.cancel_transfer(agent=agent, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Demande annulée : les services sollicités sont prévenus.")
    return redirect("transfer_detail", transfer.pk)
