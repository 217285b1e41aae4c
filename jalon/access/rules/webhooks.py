"""Who receives a webhook: a client receives an event only about an object that one of its
service accounts sees (the same rules as the screens and the API's reads, decision 0006)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch, QuerySet

from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import cases as case_rules
from jalon.access.rules import transfers as transfer_rules
from jalon.access.rules.api import client_may
from jalon.api.models import ApiClientService, ApiScope, WebhookSubscription
from jalon.cases.models import Judgment
from jalon.sms.models import Message

VISIBLE: dict[str, Callable[[Agent], QuerySet]] = {
    "appointment": appointment_rules.appointments_visible_to,
    "message": lambda agent: Message.objects.filter(
        appointment__in=appointment_rules.appointments_visible_to(agent).values("pk")
    ),
    "transfer": transfer_rules.transfers_visible_to,
    "judgment": lambda agent: Judgment.objects.filter(
        procedure__in=case_rules.procedures_visible_to(agent).values("pk")
    ),
}


def recipients(event: str, kind: str, object_id: int) -> list[WebhookSubscription]:
    """The live subscriptions to ``event`` whose client may see object ``kind`` #id."""
    candidates = (
        WebhookSubscription.objects.filter(ended_at__isnull=True, events__contains=[event])
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "client__identities",
                queryset=ApiClientService.objects.select_related(
                    "agent__profile", "agent__service"
                ),
            )
        )
    )
    visible = VISIBLE[kind]
    chosen = []
    for subscription in candidates:
        if not client_may(subscription.client, ApiScope.WEBHOOKS):
            continue
        agents = [i.agent for i in subscription.client.identities.all() if i.agent.is_active]
        if any(visible(agent).filter(pk=object_id).exists() for agent in agents):
            chosen.append(subscription)
    return chosen
