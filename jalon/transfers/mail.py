"""E-mails about transfers, queued as jobs in the caller's transaction (``core.tasks.send_email``).

Each goes to the service's address and its administrators (``rules.transfers.notice_emails``);
notices for the requester also go to the agent who asked.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from jalon.access.models import Service
from jalon.access.rules.transfers import notice_emails
from jalon.core.tasks import send_email
from jalon.transfers.models import Transfer, TransferAnswer


def _queue(to: Iterable[str], subject: str, template: str, **context: object) -> None:
    recipients = sorted({address.strip().lower() for address in to if address})
    if not recipients:
        return
    transfer = context["transfer"]
    assert isinstance(transfer, Transfer)
    body = render_to_string(
        f"transfers/emails/{template}.txt",
        {
            **context,
            "url": settings.SITE_URL.rstrip("/") + reverse("transfer_detail", args=[transfer.pk]),
        },
    )
    send_email.defer(to=recipients, subject=subject, body=body)


def _requester(transfer: Transfer) -> list[str]:
    agent = transfer.requested_by
    own = [agent.email] if agent is not None and agent.is_active else []
    return [*own, *notice_emails(transfer.requesting_service)]


def _subject(text: str, transfer: Transfer) -> str:
    return f"{text} — {transfer.person}"


def requested(transfer: Transfer, answers: list[TransferAnswer]) -> None:
    for answer in answers:
        _queue(
            notice_emails(answer.service),
            _subject("Demande de transfert de suivi", transfer),
            "requested",
            transfer=transfer,
            answer=answer,
        )


def reminder(transfer: Transfer, answer: TransferAnswer) -> None:
    _queue(
        notice_emails(answer.service),
        _subject("Relance : demande de transfert de suivi sans réponse", transfer),
        "reminder",
        transfer=transfer,
        answer=answer,
    )


def accepted(transfer: Transfer, answer: TransferAnswer, waiting: list[TransferAnswer]) -> None:
    _queue(
        _requester(transfer),
        _subject(f"{answer.service} accepte le transfert de suivi", transfer),
        "accepted",
        transfer=transfer,
        answer=answer,
        waiting=waiting,
    )


def refused(transfer: Transfer, answer: TransferAnswer, others: list[TransferAnswer]) -> None:
    _queue(
        _requester(transfer),
        _subject("Transfert de suivi refusé", transfer),
        "refused",
        transfer=transfer,
        answer=answer,
    )
    for other in others:
        _queue(
            notice_emails(other.service),
            _subject("Demande de transfert de suivi close (refusée)", transfer),
            "closed",
            transfer=transfer,
            answer=other,
            refusal=answer,
        )


def cancelled(transfer: Transfer, answers: list[TransferAnswer]) -> None:
    for answer in answers:
        _queue(
            notice_emails(answer.service),
            _subject("Demande de transfert de suivi annulée", transfer),
            "cancelled",
            transfer=transfer,
            answer=answer,
        )


def completed(transfer: Transfer, released: list[Service], cancelled_count: dict[int, int]) -> None:
    _queue(
        _requester(transfer),
        _subject("Transfert de suivi effectué", transfer),
        "completed",
        transfer=transfer,
        released=released,
    )
    for service in released:
        _queue(
            notice_emails(service),
            _subject("Suivi transféré à un autre service", transfer),
            "released",
            transfer=transfer,
            service=service,
            cancelled=cancelled_count.get(service.pk, 0),
        )
