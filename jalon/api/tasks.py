"""Housekeeping of the API: expired idempotency records."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.api.actions import purge_idempotency_records

logger = logging.getLogger(__name__)


@app.periodic(cron="50 4 * * *")
@app.task(queue="housekeeping", queueing_lock="purge_idempotency_records")
def purge_expired_idempotency_records(timestamp: int) -> None:
    """Delete the idempotency records older than their 24 hours (idempotent)."""
    deleted = purge_idempotency_records()
    logger.info("api: idempotency records purged", extra={"deleted": deleted})
