"""Jobs of the transfers: the daily reminders and automatic acceptances."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.transfers.actions import process_deadlines

logger = logging.getLogger(__name__)


@app.periodic(cron="15 7 * * *")
@app.task(queue="housekeeping", queueing_lock="transfer_deadlines")
def transfer_deadlines(timestamp: int) -> None:
    """Remind after 5 days, accept automatically after 10 days without answer (idempotent)."""
    report = process_deadlines()
    logger.info(
        "transfer deadlines",
        extra={"reminded": len(report.reminded), "auto_accepted": len(report.auto_accepted)},
    )
