"""Background jobs that belong to no domain: e-mail delivery and housekeeping."""

from __future__ import annotations

import logging

from django.core import mail
from django.core.management import call_command
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


@app.task(queue="mail", retry=5, pass_context=False)
def send_email(*, to: list[str], subject: str, body: str) -> None:
    """Deliver one e-mail; deferred inside the transaction of the change it reports."""
    mail.send_mail(subject=subject, message=body, from_email=None, recipient_list=to)


@app.periodic(cron="17 3 * * *")
@app.task(queue="housekeeping", queueing_lock="clear_sessions")
def clear_expired_sessions(timestamp: int) -> None:
    """Remove expired sessions (idempotent)."""
    call_command("clearsessions")


@app.periodic(cron="27 3 * * *")
@app.task(queue="housekeeping", queueing_lock="forget_old_submissions")
def forget_old_submissions(timestamp: int) -> None:
    """Forget the double-submission tokens older than a day (idempotent)."""
    from jalon.core import submissions

    submissions.forget_old_submissions()
