"""Local administration of agents (MSJ-27, MSJ-28, MSJ-31 to MSJ-34, MSJ-77)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalon.access import actions, lockout, rules
from jalon.access.forms import AgentCreateForm, AgentEditForm
from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agent
from jalon.access.models import Agent
from jalon.core import csvsafe
from jalon.history.actions import record
from jalon.history.models import Event

PAGE_SIZE = 50


def _require_agent_admin(request: AgentRequest) -> Agent:
    agent = request.agent
    if not rules.can_manage_agents(agent):
        raise PermissionDenied
    return agent


def _listed(actor: Agent, query: str) -> QuerySet[Agent]:
    agents = rules.agents_visible_to(actor)
    if query:
        agents = agents.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(email__icontains=query)
        )
    return agents.order_by("last_name", "first_name", "pk")


def agent_list(request: AgentRequest) -> HttpResponse:
    actor = _require_agent_admin(request)
    query = request.GET.get("q", "").strip()
    page = Paginator(_listed(actor, query), PAGE_SIZE).get_page(request.GET.get("page"))
    locked = lockout.locked_accounts([agent.email for agent in page])
    return render(
        request,
        "access/agent_list.html",
        {"page": page, "query": query, "locked": locked},
    )


AGENT_CSV_HEADER = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Service",
    "Profil",
    "Téléphone professionnel",
    "État",
    "Créé le",
    "Charte acceptée le",
]


def agent_list_csv(request: AgentRequest) -> HttpResponse:
    """The agents listed on the page (same scope and search), every page, for a spreadsheet."""
    actor = _require_agent_admin(request)
    query = request.GET.get("q", "").strip()
    rows = [
        [
            agent.last_name,
            agent.first_name,
            agent.email,
            agent.service.name,
            agent.profile.label,
            agent.phone,
            "Actif" if agent.is_active else "Désactivé",
            csvsafe.french_date(timezone.localdate(agent.date_joined)),
            csvsafe.french_date(
                timezone.localdate(agent.charter_accepted_at) if agent.charter_accepted_at else None
            ),
        ]
        for agent in _listed(actor, query)
    ]
    record(
        "export.csv",
        actor=actor,
        target=actor.service,
        details={"export": "agents", "search": query, "rows": len(rows)},
    )
    filename = f"agents-{timezone.localdate().isoformat()}.csv"
    return csvsafe.download(csvsafe.for_excel(AGENT_CSV_HEADER, rows), filename)


def agent_detail(request: AgentRequest, agent_id: int) -> HttpResponse:
    actor = _require_agent_admin(request)
    target = access_agent(actor, agent_id)
    record("agent.viewed", actor=actor, target=target)
    return render(
        request,
        "access/agent_detail.html",
        {
            "target": target,
            "can_manage": rules.can_manage_agent(actor, target),
            "locked": bool(lockout.locked_accounts([target.email])),
            "has_two_factor": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
            "events": Event.objects.for_object(target).timeline()[:50],
        },
    )


def agent_create(request: AgentRequest) -> HttpResponse:
    """Create an agent; an address already known elsewhere proposes a transfer instead (MSJ-31)."""
    actor = _require_agent_admin(request)
    form = AgentCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Agent.objects.filter(email__iexact=data["email"]).first()
        if existing is None:
            try:
                created = actions.create_agent(agent=actor, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{created.full_name} a été créé(e) ; une invitation lui a été envoyée par e-mail.",
                )
                return redirect("agent_detail", agent_id=created.pk)
        elif existing.service_id == data["service"].pk:
            form.add_error("email", "Cet agent fait déjà partie de ce service.")
        elif not rules.can_transfer_agent(actor, existing, data["service"]):
            form.add_error(
                "email", "Cette adresse appartient à un compte que vous ne pouvez pas muter."
            )
        elif request.POST.get("confirm_transfer") == "1":
            actions.transfer_agent(
                existing, agent=actor, service=data["service"], profile=data["profile"]
            )
            messages.success(
                request,
                f"{existing.full_name} a été muté(e) dans « {data['service']} » ; "
                "son ancien service en a été informé par e-mail.",
            )
            return redirect("agent_detail", agent_id=existing.pk)
        else:
            return render(
                request, "access/agent_transfer_confirm.html", {"form": form, "existing": existing}
            )
    return render(request, "access/agent_form.html", {"form": form, "creating": True})


def agent_edit(request: AgentRequest, agent_id: int) -> HttpResponse:
    actor = _require_agent_admin(request)
    target = access_agent(actor, agent_id)
    if not rules.can_manage_agent(actor, target):
        raise PermissionDenied
    initial = {
        "first_name": target.first_name,
        "last_name": target.last_name,
        "profile": target.profile_id,
        "phone": target.phone,
    }
    form = AgentEditForm(request.POST or None, initial=initial, actor=actor, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_agent(target, agent=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect("agent_detail", agent_id=target.pk)
    return render(
        request, "access/agent_form.html", {"form": form, "target": target, "creating": False}
    )


AGENT_OPERATIONS = {
    "deactivate": (
        lambda target, actor: actions.set_agent_active(target, agent=actor, active=False),
        "Le compte a été désactivé.",
    ),
    "reactivate": (
        lambda target, actor: actions.set_agent_active(target, agent=actor, active=True),
        "Le compte a été réactivé.",
    ),
    "unlock": (
        lambda target, actor: actions.unlock_agent(target, agent=actor),
        "Le compte a été débloqué.",
    ),
    "reset-2fa": (
        lambda target, actor: actions.reset_two_factor(target, agent=actor),
        "La double authentification a été réinitialisée : l’agent enregistrera une nouvelle application à sa prochaine connexion.",
    ),
}


@require_POST
def agent_operation(request: AgentRequest, agent_id: int, operation: str) -> HttpResponse:
    actor = _require_agent_admin(request)
    target = access_agent(actor, agent_id)
    if operation not in AGENT_OPERATIONS:
        raise Http404
    if not rules.can_manage_agent(actor, target):
        raise PermissionDenied
    perform, message = AGENT_OPERATIONS[operation]
    perform(target, actor)
    messages.success(request, message)
    return redirect("agent_detail", agent_id=target.pk)
