"""Jobs of the statistics: the monthly anonymised export (CAS-18)."""

from __future__ import annotations

import contextlib
import datetime as dt

from procrastinate.contrib.django import app

from jalon.stats import infocentre_actions, maintained, maintained_refusals


@app.task(queue="housekeeping", pass_context=False)
def generate_monthly_export(export_id: int) -> None:
    """Compute one month's export (deferred with the ``queueing_lock`` of its month)."""
    infocentre_actions.generate(export_id)


@app.periodic(cron="30 5 2 * *")
@app.task(queue="housekeeping", queueing_lock="monthly_export")
def schedule_monthly_export(timestamp: int) -> None:
    """On the 2nd of each month, the previous month's export, unless it exists or runs."""
    moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    with contextlib.suppress(infocentre_actions.ExportRefused):
        infocentre_actions.request_export(
            infocentre_actions.previous_month(moment), agent=None, now=moment
        )


@app.periodic(cron="* * * * *")
@app.task(queue="housekeeping", queueing_lock="fold_day_counts", pass_context=False)
def fold_day_counts(timestamp: int) -> None:
    """Every minute, the dashboards' pending per-day changes into their day rows. Figures do
    not wait for it (readers add the pending changes); it keeps that addition short. The SMS
    refusals per area likewise."""
    maintained.fold()
    maintained_refusals.fold()
