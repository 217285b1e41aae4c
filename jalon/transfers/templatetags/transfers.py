"""``{% transfer_panel person %}``: the transfer button and pending notice on a person's page."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.access.rules import transfers as rules
from jalon.transfers.models import Transfer

register = template.Library()


@register.inclusion_tag("transfers/_person_panel.html", takes_context=True)
def transfer_panel(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """One query: the pending request, if any (``person.follows`` is prefetched by the page)."""
    request = context.get("request")
    agent = getattr(request, "agent", None)
    if agent is None:
        return {}
    pending = (
        Transfer.objects.pending()
        .filter(person=person)
        .select_related("requesting_service")
        .first()
    )
    visible = (
        pending is not None and rules.transfers_visible_to(agent).filter(pk=pending.pk).exists()
    )
    return {
        "person": person,
        "pending": pending,
        "pending_visible": visible,
        "can_request": pending is None and rules.can_request_transfer(agent, person),
    }
