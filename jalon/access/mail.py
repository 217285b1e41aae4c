"""E-mails about agents, queued as background jobs in the caller's transaction."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from jalon.access.models import Agent, Service
from jalon.core.tasks import send_email


def _queue(to: list[str], subject: str, template: str, context: dict[str, object]) -> None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL.rstrip("/")})
    send_email.defer(to=recipients, subject=subject, body=body)


def queue_invitation(agent: Agent, link_path: str) -> None:
    _queue(
        [agent.email],
        "Votre compte Jalon a été créé",
        "access/emails/invitation.txt",
        {"agent": agent, "link_path": link_path},
    )


def queue_transfer_notice(agent: Agent, former_service: Service, actor: Agent) -> None:
    """Tell the former service (its address and its administrators) that the agent left (MSJ-32)."""
    from jalon.access.rules import service_administrator_emails

    _queue(
        [former_service.email, *service_administrator_emails(former_service)],
        f"Mutation de {agent.full_name} vers {agent.service}",
        "access/emails/transfer_notice.txt",
        {"agent": agent, "former_service": former_service, "actor": actor},
    )
