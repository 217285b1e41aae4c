"""The persons page without a search: "mes personnes" and the files the agent opened lately."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.rules import people as rules
from jalon.history.actions import PERSON_READ
from jalon.history.models import Event
from jalon.people.models import Person

RECENT_LIMIT = 10
RECENT_DAYS = 90  # older reads are not "recent", and the query stays small


def recently_opened(agent: Agent, limit: int = RECENT_LIMIT) -> list[Person]:
    """The last persons whose page ``agent`` opened (the history's reads), most recent
    first, among those they still see. Two queries, whatever the history's size."""
    ids = [
        int(target_id)
        for target_id in Event.objects.filter(
            actor=agent,
            action=PERSON_READ,
            details__read="person_page",
            created_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
        ).recent_targets(Person, limit * 3)  # some may be out of reach now
        if target_id.isdigit()
    ]
    if not ids:
        return []
    visible = rules.persons_visible_to(agent).in_bulk(ids)
    return [visible[pk] for pk in ids if pk in visible][:limit]
