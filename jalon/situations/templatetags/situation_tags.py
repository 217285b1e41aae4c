"""The person page's "Situations" section (point 10): only the situations the agent sees."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.access.rules import situations as rules

register = template.Library()


@register.inclusion_tag("situations/_person_situations.html", takes_context=True)
def person_situations(context: dict[str, Any], person: Any) -> dict[str, Any]:
    request = context.get("request")
    agent = getattr(request, "agent", None)
    if agent is None or not rules.can_use_situations(agent):
        return {"shown": False}
    situations = (
        rules.situations_visible_to(agent)
        .filter(mec=person)
        .select_related("policy", "jurisdiction")
        .order_by("-created_at")
    )
    return {"shown": True, "situations": list(situations)}
