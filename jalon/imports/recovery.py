"""An import whose job failed for good: shown failed, then resumed or abandoned (docs/imports.md).

A job gives up after its retries (``tasks.py``: the task marks the import failed when the
exception of its last attempt leaves it), or dies where it cannot say so (a worker killed
on the last attempt): the page then finds the job failed in procrastinate and marks the
import failed (``detect_failure``). The agent who owns the import, or a local
administrator of its service (``access.rules.imports.can_recover_import``), then resumes it
(the job again, from the last committed batch: the rows already done are not run again)
or abandons it (the rows imported stay; the report lists the others). Each change is a
conditional update under a row lock, so a second click changes nothing, and is recorded in
the history.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.exceptions import AlreadyEnqueued

from jalon.access.models import Agent
from jalon.history.actions import record
from jalon.imports.actions import ALREADY_RUNNING, ImportRefused, counts
from jalon.imports.models import Import

Status = Import.Status

CHECK_FAILED = (
    "La vérification du fichier s’est arrêtée sur une erreur et n’a pas abouti malgré "
    "plusieurs essais ({done} ligne{s} sur {total} vérifiée{s}). Vous pouvez la reprendre là "
    "où elle s’est arrêtée, ou abandonner l’import : rien n’a encore été importé."
)
RUN_FAILED = (
    "L’import s’est arrêté sur une erreur et n’a pas abouti malgré plusieurs essais "
    "({done} ligne{s} sur {total} traitée{s} et enregistrée{s}). Vous pouvez le reprendre : "
    "les lignes déjà traitées ne sont pas refaites. Ou l’abandonner : les lignes déjà "
    "importées restent, le rapport liste les autres."
)


def _message(batch: Import, step: str) -> str:
    done = batch.checked if step == Status.CHECKING else batch.processed
    template = CHECK_FAILED if step == Status.CHECKING else RUN_FAILED
    return template.format(done=done, total=batch.total, s="s" if done > 1 else "")


def job_lock(import_id: int, step: str) -> str:
    """The queueing lock of the import's job for that step (``tasks.defer_*``)."""
    return f"import-check:{import_id}" if step == Status.CHECKING else f"import-run:{import_id}"


@transaction.atomic
def mark_failed(import_id: int, *, error: str) -> bool:
    """The job gave up: the import (still checking, queued or running) shows it failed.

    ``error`` names the cause for the history (an exception's class, not its text, which may
    quote a row)."""
    batch = Import.objects.select_for_update().filter(pk=import_id).defer("content").first()
    if batch is None or batch.status not in Import.ACTIVE:
        return False
    step = Status.CHECKING if batch.status == Status.CHECKING else Status.RUNNING
    batch.status, batch.failed_during = Status.FAILED, step
    batch.failure = _message(batch, step)
    batch.save(update_fields=["status", "failed_during", "failure"])
    record(
        "import.failed",
        actor=None,
        target=batch,
        details={"step": step, "error": error, "checked": batch.checked, "done": batch.processed},
    )
    return True


def detect_failure(batch: Import) -> bool:
    """An active import whose last job is failed in procrastinate is marked failed (a job
    that died without marking it). One indexed query on the small ``imports`` queue."""
    if not batch.is_active:
        return False
    step = Status.CHECKING if batch.status == Status.CHECKING else Status.RUNNING
    last = (
        ProcrastinateJob.objects.filter(
            queue_name="imports", queueing_lock=job_lock(batch.pk, step)
        )
        .order_by("-id")
        .values_list("status", flat=True)
        .first()
    )
    if last != "failed" or not mark_failed(batch.pk, error="job failed"):
        return False
    batch.refresh_from_db(fields=["status", "failed_during", "failure"])
    return True


@transaction.atomic
def resume(*, agent: Agent, batch: Import) -> bool:
    """ "Reprendre l'import": the failed step's job again, from its last committed batch.

    False when the import is no longer failed (a second click: the job is queued once)."""
    from jalon.imports import tasks

    locked = Import.objects.select_for_update().defer("content").get(pk=batch.pk)
    if locked.status != Status.FAILED or not locked.failed_during:
        return False
    step = locked.failed_during
    locked.status = Status.CHECKING if step == Status.CHECKING else Status.QUEUED
    locked.failed_during, locked.failure = "", ""
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "failed_during", "failure"])
    except IntegrityError:  # the same file is being imported by another import meanwhile
        raise ImportRefused(ALREADY_RUNNING) from None
    record(
        "import.resumed",
        actor=agent,
        target=locked,
        details={"step": step, "checked": locked.checked, "done": locked.processed},
    )
    try:
        with transaction.atomic():
            (tasks.defer_check if step == Status.CHECKING else tasks.defer_run)(locked.pk)
    except (AlreadyEnqueued, IntegrityError):
        pass  # a job of this step still waits (its queueing lock): that one will run
    batch.status = locked.status
    return True


@transaction.atomic
def abandon(*, agent: Agent, batch: Import) -> bool:
    """ "Abandonner l'import": it stops for good; the rows already imported stay.

    False when the import is no longer failed (a second click)."""
    updated = Import.objects.filter(pk=batch.pk, status=Status.FAILED).update(
        status=Status.ABANDONED, finished_at=timezone.now(), content=b""
    )
    if not updated:
        return False
    batch.status = Status.ABANDONED
    record("import.abandoned", actor=agent, target=batch, details=counts(batch))
    return True
