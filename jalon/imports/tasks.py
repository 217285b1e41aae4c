"""Jobs of the imports: the dry run and the run of one import (docs/jobs.md)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from jalon.imports import actions


@app.task(queue="imports", retry=3)
def check_import(import_id: int) -> None:
    """Classify every row of the file (resumable: starts after the last committed batch)."""
    actions.check(import_id)


@app.task(queue="imports", retry=3)
def run_import(import_id: int) -> None:
    """Import the rows still to do, in batches (resumable and idempotent)."""
    actions.run(import_id)


def defer_check(import_id: int) -> None:
    check_import.configure(queueing_lock=f"import-check:{import_id}").defer(import_id=import_id)


def defer_run(import_id: int) -> None:
    run_import.configure(queueing_lock=f"import-run:{import_id}").defer(import_id=import_id)
