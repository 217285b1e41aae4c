"""Jobs of the API: webhook deliveries; housekeeping of expired idempotency records."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.api import webhooks
from jalon.api.actions import purge_idempotency_records
from jalon.api.models import WebhookDelivery

logger = logging.getLogger(__name__)


@app.periodic(cron="50 4 * * *")
@app.task(queue="housekeeping", queueing_lock="purge_idempotency_records")
def purge_expired_idempotency_records(timestamp: int) -> None:
    """Delete the idempotency records older than their 24 hours (idempotent)."""
    deleted = purge_idempotency_records()
    logger.info("api: idempotency records purged", extra={"deleted": deleted})


@app.periodic(cron="55 4 * * *")
@app.task(queue="housekeeping", queueing_lock="purge_webhook_deliveries")
def purge_webhook_deliveries(timestamp: int) -> None:
    """Delete the finished webhook deliveries past their keeping time (idempotent)."""
    deleted = webhooks.purge_deliveries()
    logger.info("api: webhook deliveries purged", extra={"deleted": deleted})


def schedule_delivery(delivery: WebhookDelivery, *, replay: bool = False) -> None:
    """Defer the sending of ``delivery`` at its ``next_attempt_at``, in the caller's
    transaction (the job exists if and only if the event committed)."""
    deliver_webhook.configure(schedule_at=delivery.next_attempt_at).defer(
        delivery_id=delivery.pk, replay=replay
    )


@app.task(queue="webhooks", pass_context=False)
def deliver_webhook(*, delivery_id: int, replay: bool = False) -> None:
    """One attempt; a failure schedules the next one (bounded exponential backoff)."""
    delivery = webhooks.attempt(delivery_id, replay=replay)
    if delivery is not None and delivery.status == WebhookDelivery.Status.PENDING:
        schedule_delivery(delivery)
    if delivery is not None:
        logger.info(
            "api: webhook attempt",
            extra={
                "delivery": delivery.pk,
                "status": delivery.status,
                "http_status": delivery.last_status_code,
                "attempts": delivery.attempts,
            },
        )
