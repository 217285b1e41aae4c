"""Reporting a problem and marking it handled; history in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jalon.access.models import Agent
from jalon.core.tasks import send_email
from jalon.help.models import ProblemReport
from jalon.history.actions import record


@transaction.atomic
def report_problem(
    *, agent: Agent, description: str, page_url: str, request_id: str, user_agent: str = ""
) -> ProblemReport:
    """Store the report and e-mail it to support (``SUPPORT_EMAIL``), as a job of the same
    transaction: no report without its e-mail, no e-mail without its report."""
    report = ProblemReport.objects.create(
        agent=agent,
        service=agent.service,
        description=description.strip(),
        page_url=page_url[:2000],
        request_id=request_id[:64],
        user_agent=user_agent[:300],
    )
    record("help.problem_reported", actor=agent, target=report, details={"page": page_url[:300]})
    body = render_to_string(
        "help/emails/problem_report.txt",
        {"report": report, "site_url": settings.SITE_URL.rstrip("/")},
    )
    send_email.defer(
        to=[settings.JALON_SUPPORT_EMAIL],
        subject=f"Signalement n° {report.pk} — {agent.full_name} ({agent.service})",
        body=body,
    )
    return report


@transaction.atomic
def mark_handled(report: ProblemReport, *, agent: Agent) -> ProblemReport:
    """Idempotent: a report already handled keeps who handled it first."""
    locked = ProblemReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if locked.handled_at is None:
        locked.handled_at = timezone.now()
        locked.handled_by = agent
        locked.save(update_fields=["handled_at", "handled_by"])
        record("help.problem_handled", actor=agent, target=locked)
    return locked
