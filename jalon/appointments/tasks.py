"""Jobs of the convocations: the nightly generation of recurring slots."""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from jalon.appointments.actions.slots import generate_upcoming_slots

logger = logging.getLogger(__name__)


@app.periodic(cron="40 2 * * *")
@app.task(queue="housekeeping", queueing_lock="generate_slots")
def generate_slots(timestamp: int) -> None:
    """Create the slots the recurring patterns miss up to the horizon (idempotent)."""
    created = generate_upcoming_slots()
    logger.info("slots generated", extra={"slots_created": len(created)})
