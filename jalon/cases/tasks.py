"""Jobs of the penal chain: judgments become final with the passage of time."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.cases.actions.judgments import finalize_due_judgments

logger = logging.getLogger(__name__)


# 00:20: a delay ends at midnight of its last day (art. 801), so the day after it the
# judgment is final; running just after midnight puts it in the BEX queue that morning.
@app.periodic(cron="20 0 * * *")
@app.task(queue="housekeeping", queueing_lock="finalize_judgments")
def finalize_judgments(timestamp: int) -> None:
    """Judgments whose appeal delay ran out with no appeal become final (idempotent)."""
    done = finalize_due_judgments()
    logger.info("judgments made final", extra={"count": done})
