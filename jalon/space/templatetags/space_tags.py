"""``{% space_panel person %}``: the space invitation status and button on a person's page."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.access.rules import space as rules
from jalon.space.actions import invitation_status
from jalon.space.models import Invitation

register = template.Library()
Status = Invitation.Status
BUTTONS: dict[str, str] = {
    Status.NOT_INVITED: "Inviter à l’espace personnel",
    Status.EXPIRED: "Inviter à nouveau à l’espace personnel",
    Status.INVITED: "Renvoyer l’invitation",
}


@register.inclusion_tag("space/_person_panel.html", takes_context=True)
def space_panel(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """Two queries (account, latest invitation); ``person.follows`` is prefetched by the page."""
    request = context.get("request")
    agent = getattr(request, "agent", None)
    if agent is None or not rules.can_see_space_status(agent, person):
        return {"shown": False}
    status, latest = invitation_status(person)
    can_invite = rules.can_invite_to_space(agent, person)
    return {
        "shown": True,
        "person": person,
        "status": status,
        "status_label": Status(status).label,
        "latest": latest,
        "button": BUTTONS.get(status) if can_invite else None,
        "csrf_token": context.get("csrf_token"),
    }
