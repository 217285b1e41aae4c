"""The agents' side of the space: sending the invitation from the person's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jalon.access.http import AgentRequest
from jalon.access.lookups import access_person
from jalon.access.rules import space as rules
from jalon.space import actions


@require_POST
def invite(request: AgentRequest, person_id: int) -> HttpResponse:
    agent = request.agent
    person = access_person(agent, person_id)
    if not rules.can_invite_to_space(agent, person):
        raise PermissionDenied
    outcome = actions.invite(
        agent=agent, person=person, seen_status=request.POST.get("seen_status", "")
    )
    (messages.success if outcome.done else messages.error)(request, outcome.message)
    return redirect("person_detail", person_id=person.pk)
