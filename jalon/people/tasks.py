"""Nightly retention jobs (MSJ-39): archive inactive persons, delete old archives; delete
SISPoPP situations closed for 6 years (docs/decisions/0004-situation-retention.md)."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.people import retention

logger = logging.getLogger(__name__)


@app.periodic(cron="10 4 * * *")
@app.task(queue="housekeeping", queueing_lock="archive_inactive_persons")
def archive_inactive_persons(timestamp: int) -> None:
    """Archive the persons without activity for 12 months (idempotent)."""
    archived = retention.archive_inactive_persons()
    logger.info("retention: archived", extra={"persons_archived": len(archived)})


@app.periodic(cron="30 4 * * *")
@app.task(queue="housekeeping", queueing_lock="delete_expired_situations")
def delete_expired_situations(timestamp: int) -> None:
    """Delete the SISPoPP situations closed for 6 years, before the persons' deletion."""
    deleted = retention.delete_expired_situations()
    logger.info("retention: situations deleted", extra=deleted.as_details())


@app.periodic(cron="40 4 * * *")
@app.task(queue="housekeeping", queueing_lock="delete_expired_archives")
def delete_expired_archives(timestamp: int) -> None:
    """Delete the persons archived for 6 months, keeping anonymous counts (idempotent)."""
    deleted = retention.delete_expired_archives()
    logger.info("retention: deleted", extra=deleted.as_details())
