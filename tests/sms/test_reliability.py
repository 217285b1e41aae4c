"""Exactly once under fire (SMS issue, requirement 11; issue 13, finding "sent twice in
three ways"): a few hundred due reminders, a provider that fails at random, takes messages
and answers 500 or too late, records them late and posts receipts meanwhile, and workers
killed at random and restarted. Everything runs through the production paths: see
``chaos.py``. The same run at 10,000 SMS is ``bench/sms_chaos.py`` (``make bench``)."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.factories import appointment_type
from tests.sms import chaos

logger = logging.getLogger(__name__)


@pytest.mark.django_db(transaction=True)
def test_every_reminder_is_handed_over_exactly_once_despite_failures_and_kills(
    org, agendas, live_server, tmp_path
):
    settings = chaos.Settings()
    ids = chaos.make_due_reminders(
        agendas.spip_alpha, appointment_type("spip_follow_up"), settings.count
    )
    receipts_url = live_server.url + reverse("sms_receipt_webhook")
    result = chaos.run(ids, settings, receipts_url, tmp_path)
    logger.info("reliability: %.0f s, %s", result["seconds"], result["stats"])
    stats = result["stats"]
    assert chaos.verdict(result) == []
    assert stats["kills"] >= settings.min_kills
    # The run went through every path it is meant to test.
    assert len(result["receipts"]) > 0
    assert stats["lost answers"] > 0 and stats["reconciliations deferred"] > 0
