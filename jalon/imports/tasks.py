"""Jobs of the imports: the dry run and the run of one import (docs/jobs.md).

Each job is resumable (it starts after the last committed batch) and retried 3 times; when
the last attempt fails too, the task marks the import failed before re-raising, so the page
offers to resume or abandon it instead of showing it "en cours" for ever
(``imports/recovery.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from procrastinate import JobContext
from procrastinate.contrib.django import app

from jalon.imports import actions, recovery

RETRIES = 3


def failing_for_good(context: JobContext, error: Exception) -> bool:
    """Whether procrastinate will not retry the job after ``error`` (its last attempt)."""
    strategy = context.task.retry_strategy
    return strategy is None or strategy.get_retry_decision(exception=error, job=context.job) is None


def attempt(context: JobContext, step: Callable[[int], None], import_id: int) -> None:
    try:
        step(import_id)
    except Exception as error:
        if failing_for_good(context, error):
            recovery.mark_failed(import_id, error=type(error).__name__)
        raise


@app.task(queue="imports", retry=RETRIES, pass_context=True)
def check_import(context: JobContext, import_id: int) -> None:
    """Classify every row of the file (resumable: starts after the last committed batch)."""
    attempt(context, actions.check, import_id)


@app.task(queue="imports", retry=RETRIES, pass_context=True)
def run_import(context: JobContext, import_id: int) -> None:
    """Import the rows still to do, in batches (resumable and idempotent)."""
    attempt(context, actions.run, import_id)


def defer_check(import_id: int) -> None:
    check_import.configure(queueing_lock=f"import-check:{import_id}").defer(import_id=import_id)


def defer_run(import_id: int) -> None:
    run_import.configure(queueing_lock=f"import-run:{import_id}").defer(import_id=import_id)
