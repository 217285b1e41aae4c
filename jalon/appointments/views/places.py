"""Local administration screens: a service's convocation places and their agendas (MSJ-28).

Views only chain: access lookup → form → action → response. Who may do what is in
``access/rules/places.py``; the changes and their history in ``actions/places.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_agenda, access_place
from jalon.access.models import Agent
from jalon.access.rules import is_national_admin
from jalon.access.rules import places as rules
from jalon.access.rules import slots as slot_rules
from jalon.appointments.actions import places as place_actions
from jalon.appointments.forms.places import AgendaForm, PlaceForm
from jalon.appointments.models import Agenda, Place

PAGE_SIZE = 50


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _administrator(request: AgentRequest) -> Agent:
    agent = request.agent
    if not rules.can_administer_places(agent):
        raise PermissionDenied
    return agent


def _administered_place(request: AgentRequest, place_id: int) -> tuple[Agent, Place]:
    """The place (404 outside the ressort), if the agent administers it (403 otherwise)."""
    agent = request.agent
    place = access_place(agent, place_id)
    if not rules.can_administer_place(agent, place):
        raise PermissionDenied
    return agent, place


def place_list(request: AgentRequest) -> HttpResponse:
    """The places of the agent's service (every service for national admins), with their agendas."""
    agent = _administrator(request)
    places = (
        rules.places_administered_by(agent)
        .annotate(
            agenda_count=Count("agendas", filter=Q(agendas__is_active=True)),
            inactive_agenda_count=Count("agendas", filter=Q(agendas__is_active=False)),
        )
        .order_by("service__name", "-is_active", "name", "pk")
    )
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "appointments/local_admin/place_list.html",
        {"page": page, "national": is_national_admin(agent)},
    )


def place_create(request: AgentRequest) -> HttpResponse:
    agent = _administrator(request)
    services = rules.services_for_places(agent)
    national = is_national_admin(agent)
    form = PlaceForm(
        _post(request),
        services=services if national else None,
        initial={"preferred_contact": Place.Contact.PHONE, "is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"] if national else agent.service
        try:
            place = place_actions.create_place(agent=agent, service=service, **form.values())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"Lieu « {place.name} » créé. Ouvrez-y un agenda.")
            return redirect("place_edit", place.pk)
    return render(
        request,
        "appointments/local_admin/place_form.html",
        {"form": form, "title": "Nouveau lieu de convocation", "service": agent.service},
    )


def place_edit(request: AgentRequest, place_id: int) -> HttpResponse:
    """A place's details, and its agendas with links to their slots and recurring slots."""
    agent, place = _administered_place(request, place_id)
    initial = {name: getattr(place, name) for name in place_actions.PLACE_FIELDS}
    form = PlaceForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            place_actions.update_place(agent=agent, place=place, **form.values())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Lieu modifié.")
            return redirect("place_edit", place.pk)
    agendas = list(place.agendas.select_related("place__service").order_by("-is_active", "name"))
    rows = [
        (
            agenda,
            {
                "slots": slot_rules.can_manage_slots(agent, agenda),
                "patterns": slot_rules.can_manage_patterns(agent, agenda),
            },
        )
        for agenda in agendas
    ]
    return render(
        request,
        "appointments/local_admin/place_form.html",
        {
            "form": form,
            "place": place,
            "service": place.service,
            "rows": rows,
            "title": f"Lieu « {place.name} »",
        },
    )


def agenda_create(request: AgentRequest, place_id: int) -> HttpResponse:
    agent, place = _administered_place(request, place_id)
    form = AgendaForm(_post(request), creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            agenda = place_actions.create_agenda(
                agent=agent, place=place, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"Agenda « {agenda.name} » créé.")
            return redirect("place_edit", place.pk)
    return render(
        request,
        "appointments/local_admin/agenda_form.html",
        {"form": form, "place": place, "title": "Nouvel agenda"},
    )


def _place_agenda(request: AgentRequest, place_id: int, agenda_id: int) -> tuple[Agent, Agenda]:
    agent, place = _administered_place(request, place_id)
    agenda = access_agenda(agent, agenda_id)
    if agenda.place_id != place.pk:
        raise Http404("Agenda introuvable.")
    return agent, agenda


def agenda_edit(request: AgentRequest, place_id: int, agenda_id: int) -> HttpResponse:
    """Rename, deactivate or reactivate an agenda (refused while it holds future convocations)."""
    agent, agenda = _place_agenda(request, place_id, agenda_id)
    form = AgendaForm(_post(request), initial={"name": agenda.name, "is_active": agenda.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            place_actions.update_agenda(
                agent=agent,
                agenda=agenda,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, "Agenda modifié.")
            return redirect("place_edit", agenda.place_id)
    return render(
        request,
        "appointments/local_admin/agenda_form.html",
        {
            "form": form,
            "place": agenda.place,
            "agenda": agenda,
            "title": f"Agenda « {agenda.name} »",
        },
    )
