"""``{% move_requests_panel appointment %}``: the person's move requests on the convocation
page, with the answer form for agents who may answer (the appointments app sits below this
one, so its template loads the tag rather than its view computing the panel)."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.access.rules import public as rules
from jalon.public.models import LinkState, MoveRequest

register = template.Library()


@register.inclusion_tag("public/_appointment_requests.html", takes_context=True)
def move_requests_panel(context: dict[str, Any], appointment: Any) -> dict[str, Any]:
    agent = context["request"].agent
    moves = list(MoveRequest.objects.filter(appointment=appointment).select_related("answered_by"))
    state = LinkState.objects.filter(appointment=appointment).first()
    return {
        "moves": moves,
        "confirmed_at": state.confirmed_at if state else None,
        "can_answer": rules.can_answer_move_request(agent, appointment),
        "csrf_token": context.get("csrf_token"),
    }
