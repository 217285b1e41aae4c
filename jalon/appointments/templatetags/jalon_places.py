"""Template access to the tag-fitting rule (decided in ``access/rules/places.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from jalon.access.rules import places as rules
from jalon.people.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def can_book_tag_fitting(context: Any, person: Person) -> bool:
    """``{% can_book_tag_fitting person as allowed %}``: show the "Pose de bracelet" button."""
    agent = getattr(context.get("request"), "agent", None)
    return bool(agent and rules.can_book_tag_fitting_for(agent, person))
