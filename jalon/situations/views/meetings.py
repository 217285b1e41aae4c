"""Instances de concertation: meetings, their agenda of situations, notes, printable agenda."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_meeting, access_situation
from jalon.access.models import Agent
from jalon.access.rules import situations as rules
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm
from jalon.history.actions import record, record_person_read
from jalon.situations import meetings
from jalon.situations.models import ListEntry, Meeting, MeetingItem


class MeetingForm(ActionErrorsMixin, forms.Form):
    instance = forms.ModelChoiceField(
        label="Instance de concertation",
        queryset=ListEntry.objects.none(),
        error_messages={"required": "Choisissez l’instance."},
    )
    held_on = FrenchDateField(
        label="Date de la réunion",
        help_text="JJ/MM/AAAA",
        error_messages={"required": "Indiquez la date de la réunion."},
    )


class AgendaForm(ActionErrorsMixin, forms.Form):
    situation = forms.IntegerField(widget=forms.HiddenInput)


class NotesForm(JalonForm):
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea({"rows": 3}))


def _visible_items(agent: Agent, meeting: Meeting) -> Any:
    """Agenda items whose situation the agent sees (a JAF sees only its own share)."""
    return (
        MeetingItem.objects.filter(
            meeting=meeting, situation__in=rules.situations_visible_to(agent).values("pk")
        )
        .select_related("situation__mec", "situation__policy")
        .order_by("pk")
    )


def meeting_list(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    home = rules.home_jurisdiction(agent)
    if home is None:
        raise PermissionDenied
    can_manage = rules.can_manage_meetings(agent)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    form.fields["instance"].queryset = ListEntry.objects.filter(  # type: ignore[attr-defined]
        jurisdiction=home, kind=ListEntry.Kind.INSTANCE, is_active=True
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting = meetings.plan_meeting(
                    agent=agent,
                    instance=form.cleaned_data["instance"],
                    held_on=form.cleaned_data["held_on"],
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, "Réunion enregistrée.")
                return redirect("meeting_detail", meeting.pk)
    return render(
        request,
        "situations/meeting_list.html",
        {
            "meetings": rules.meetings_visible_to(agent).select_related("instance")[:200],
            "form": form if can_manage else None,
        },
    )


def meeting_detail(request: AgentRequest, meeting_id: int) -> HttpResponse:
    """The agenda; managers add situations of the instance and take notes per situation."""
    agent = request.agent
    meeting = access_meeting(agent, meeting_id)
    can_manage = rules.can_manage_meetings(agent)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "situation" in request.POST:
            form = AgendaForm(request.POST)
            if form.is_valid():
                situation = access_situation(agent, form.cleaned_data["situation"])
                try:
                    meetings.add_to_agenda(agent=agent, meeting=meeting, situation=situation)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, "Situation ajoutée à l’ordre du jour.")
        else:
            item = get_object_or_404(
                MeetingItem, pk=request.POST.get("item", "0") or 0, meeting=meeting
            )
            access_situation(agent, item.situation_id)
            notes = NotesForm(request.POST)
            if notes.is_valid():
                meetings.save_notes(agent=agent, item=item, notes=notes.cleaned_data["notes"])
                messages.success(request, "Notes enregistrées.")
        return redirect("meeting_detail", meeting.pk)
    items = list(_visible_items(agent, meeting))
    on_agenda = {item.situation_id for item in items}
    candidates = (
        rules.situations_visible_to(agent)
        .open()  # a closed situation is no longer put on an agenda
        .filter(instances=meeting.instance)
        .exclude(pk__in=on_agenda)
        .select_related("mec", "policy")
        .order_by("mec__last_name_key")[:200]
        if can_manage
        else []
    )
    return render(
        request,
        "situations/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "candidates": candidates,
            "can_manage": can_manage,
        },
    )


def meeting_agenda_pdf(request: AgentRequest, meeting_id: int) -> HttpResponse:
    agent = request.agent
    meeting = access_meeting(agent, meeting_id)
    items = list(_visible_items(agent, meeting))
    record("meeting.agenda_printed", actor=agent, target=meeting, details={"items": len(items)})
    record_person_read(
        "meeting_agenda_pdf", actor=agent, persons=[item.situation.mec for item in items]
    )
    response = HttpResponse(meetings.agenda_pdf(meeting, items), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ordre-du-jour-{meeting.held_on:%Y-%m-%d}.pdf"'
    )
    return response
