"""Asking for, generating and downloading the monthly anonymised export (CAS-18).

One ``MonthlyExport`` row per month is the lock: asking is a locked read of that row, so a
second request while the month is queued or running is refused with a French message and
nothing is deferred; the job claims the row by a conditional update (``queued → running``),
so a job run twice computes once. A finished month is offered as it is unless the agent
regenerates it on purpose.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from procrastinate import exceptions

from jalon.history.actions import record
from jalon.stats import infocentre
from jalon.stats.models import MonthlyExport

logger = logging.getLogger(__name__)
ExportStatus = MonthlyExport.Status
# A job "running" for longer than this died with its worker: the month may be asked again.
STALE_AFTER = timedelta(hours=1)


class ExportRefused(Exception):
    """Why an export was not queued, in French for the agent."""


def previous_month(moment: datetime) -> date:
    """The first day of the calendar month before ``moment``'s (Paris time)."""
    first = timezone.localtime(moment, infocentre.PARIS).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def request_export(
    month: date, *, agent: Any | None, regenerate: bool = False, now: datetime | None = None
) -> MonthlyExport:
    """Queue the generation of ``month`` once; refuse while it runs or when it exists."""
    now = now or timezone.now()
    month = month.replace(day=1)
    label = infocentre.month_label(month)
    with transaction.atomic():
        export, created = MonthlyExport.objects.select_for_update().get_or_create(
            month=month,
            defaults={"requested_at": now, "requested_by": agent, "status": ExportStatus.QUEUED},
        )
        if not created:
            stale = (
                export.status == ExportStatus.RUNNING
                and export.started_at is not None
                and export.started_at < now - STALE_AFTER
            )
            if export.is_busy and not stale:
                raise ExportRefused(
                    f"Un export de ce mois est déjà en cours ({label}) : il sera disponible "
                    "sur cette page dès qu’il sera terminé. Rien n’a été relancé."
                )
            if export.status == ExportStatus.DONE and not regenerate:
                raise ExportRefused(
                    f"L’export de {label} existe déjà : téléchargez-le, ou choisissez "
                    "« Regénérer » pour le recalculer."
                )
            export.status = ExportStatus.QUEUED
            export.requested_by = agent
            export.requested_at = now
            export.started_at = export.finished_at = None
            export.error = ""
            export.save(
                update_fields=[
                    "status", "requested_by", "requested_at", "started_at", "finished_at",
                    "error",
                ]
            )  # fmt: skip
        record(
            "stats.infocentre_requested",
            actor=agent,
            target=export,
            details={"month": f"{month:%Y-%m}", "regenerate": not created},
        )
        _defer(export)
    return export


def _defer(export: MonthlyExport) -> None:
    from jalon.stats.tasks import generate_monthly_export

    try:
        with transaction.atomic():
            generate_monthly_export.configure(
                queueing_lock=f"infocentre:{export.month:%Y-%m}"
            ).defer(export_id=export.pk)
    except exceptions.AlreadyEnqueued:  # a job already waits for this month: it will do it
        pass


def generate(export_id: int, *, now: datetime | None = None) -> bool:
    """Compute the export if it is still queued; whether this call computed it."""
    now = now or timezone.now()
    claimed = MonthlyExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now
    )
    if not claimed:
        return False
    export = MonthlyExport.objects.defer("content").get(pk=export_id)
    mine = MonthlyExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING, started_at=now)
    try:
        tables = infocentre.build_tables(export.month, now=now)
        content = infocentre.write_zip(tables, export.month, now)
    except Exception as error:
        logger.exception("monthly export failed", extra={"month": str(export.month)})
        mine.update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"Le calcul a échoué ({type(error).__name__}). Relancez l’export ; "
            "si l’échec se répète, signalez-le à l’équipe technique.",
        )
        return True
    counts = {table.key: len(table.rows) for table in tables}
    hidden = sum(table.hidden for table in tables)
    with transaction.atomic():
        mine.update(
            status=ExportStatus.DONE,
            finished_at=timezone.now(),
            content=content,
            row_counts=counts,
            hidden_cells=hidden,
        )
        record(
            "stats.infocentre_generated",
            actor=None,
            target=export,
            details={"month": f"{export.month:%Y-%m}", "rows": counts, "hidden_cells": hidden},
        )
    return True


def download(export: MonthlyExport, *, agent: Any) -> bytes:
    """The zip of a finished export; every download is in history."""
    record(
        "stats.infocentre_downloaded",
        actor=agent,
        target=export,
        details={"month": f"{export.month:%Y-%m}"},
    )
    return bytes(export.content or b"")
