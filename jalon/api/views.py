"""Screens of the national administrators for the API clients (Administration menu).

A key is shown once: the action returns it, the view keeps it in the session until the
client's page has shown it, then forgets it. Only its hash is stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_api_client, access_webhook_delivery
from jalon.access.models import Agent
from jalon.access.rules import api as rules
from jalon.api import actions, webhook_actions
from jalon.api.forms import ApiClientForm
from jalon.api.models import ApiClient, WebhookDelivery
from jalon.history.models import Event

SESSION_KEY = "api_client_new_key"
DELIVERIES_SHOWN = 20


def _require_manager(request: AgentRequest) -> Agent:
    if not rules.can_manage_api_clients(request.agent):
        raise PermissionDenied
    return request.agent


def _keep_key(request: AgentRequest, client: ApiClient, secret: str) -> None:
    request.session[SESSION_KEY] = {"client": client.pk, "key": secret}


def client_list(request: AgentRequest) -> HttpResponse:
    actor = _require_manager(request)
    clients = rules.api_clients_visible_to(actor).prefetch_related("identities__service")
    return render(request, "api/client_list.html", {"clients": clients})


def client_create(request: AgentRequest) -> HttpResponse:
    actor = _require_manager(request)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = actions.create_client(agent=actor, details=form.details())
        except IntegrityError:
            # A double click: the first request created the client (and kept its key).
            form.add_error("name", "Un client API porte déjà ce nom.")
        else:
            _keep_key(request, client, secret)
            messages.success(request, "Client API créé.")
            return redirect("api_client_detail", client.pk)
    return render(request, "api/client_form.html", {"form": form, "creating": True})


def client_detail(request: AgentRequest, client_id: int) -> HttpResponse:
    actor = _require_manager(request)
    client = access_api_client(actor, client_id)
    pending = request.session.get(SESSION_KEY)
    new_key = None
    if pending and pending.get("client") == client.pk:
        new_key = pending["key"]
        del request.session[SESSION_KEY]
    identities = client.identities.select_related("service").order_by("service__name")
    events = Event.objects.for_object(client).timeline()[:50]
    subscriptions = client.webhook_subscriptions.filter(ended_at__isnull=True)
    deliveries = WebhookDelivery.objects.filter(subscription__client=client).select_related(
        "subscription"
    )[:DELIVERIES_SHOWN]
    return render(
        request,
        "api/client_detail.html",
        {
            "client": client,
            "identities": identities,
            "new_key": new_key,
            "events": events,
            "subscriptions": subscriptions,
            "deliveries": deliveries,
        },
    )


@require_POST
def client_replay_delivery(request: AgentRequest, client_id: int, delivery_id: int) -> HttpResponse:
    actor = _require_manager(request)
    delivery = access_webhook_delivery(actor, client_id, delivery_id)
    try:
        webhook_actions.replay(agent=actor, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L’envoi repart : son résultat s’affichera ici.")
    return redirect("api_client_detail", client_id)


def client_edit(request: AgentRequest, client_id: int) -> HttpResponse:
    actor = _require_manager(request)
    client = access_api_client(actor, client_id)
    if client.is_revoked:
        raise PermissionDenied
    initial = {
        "name": client.name,
        "contact_name": client.contact_name,
        "contact_email": client.contact_email,
        "services": list(
            client.identities.filter(agent__is_active=True).values_list("service_id", flat=True)
        ),
        "scopes": client.scopes,
        "expires_on": client.expires_on,
    }
    form = ApiClientForm(
        request.POST if request.method == "POST" else None, initial=initial, instance=client
    )
    if request.method == "POST" and form.is_valid():
        actions.update_client(agent=actor, client=client, details=form.details())
        messages.success(request, "Client API enregistré.")
        return redirect("api_client_detail", client.pk)
    return render(
        request, "api/client_form.html", {"form": form, "creating": False, "client": client}
    )


@require_POST
def client_rotate(request: AgentRequest, client_id: int) -> HttpResponse:
    actor = _require_manager(request)
    client = access_api_client(actor, client_id)
    secret = actions.rotate_key(
        agent=actor, client=client, current_prefix=request.POST.get("current_prefix", "")
    )
    if secret is not None:
        _keep_key(request, client, secret)
        messages.success(request, "Nouvelle clé créée : l’ancienne ne fonctionne plus.")
    return redirect("api_client_detail", client.pk)


@require_POST
def client_revoke(request: AgentRequest, client_id: int) -> HttpResponse:
    actor = _require_manager(request)
    client = access_api_client(actor, client_id)
    if actions.revoke_client(agent=actor, client=client):
        messages.success(request, "Client API révoqué : sa clé ne fonctionne plus.")
    return redirect("api_client_detail", client.pk)
