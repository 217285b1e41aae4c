"""``manage.py finalize_judgments [--dry-run] [--date AAAA-MM-JJ]``: the daily finality job,
by hand (``jalon/cases/tasks.py`` runs the same function every night)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jalon.cases.actions.judgments import due_for_finality, finalize_due_judgments


class Command(BaseCommand):
    help = (
        "Rend définitifs les jugements dont le délai d’appel est expiré sans appel et les "
        "place dans la file du BEX (idempotent ; le travail de chaque nuit fait de même)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Liste les jugements qui deviendraient définitifs, sans rien changer.",
        )
        parser.add_argument(
            "--date",
            help="Le jour à considérer (AAAA-MM-JJ) ; aujourd’hui par défaut.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"Date « {options['date']} » invalide : écrivez-la AAAA-MM-JJ."
                ) from None
        if options["dry_run"]:
            due = due_for_finality(today=today)
            self.stdout.write(
                f"[simulation] {len(due)} jugement(s) deviendrai(en)t définitif(s) "
                f"au {today:%d/%m/%Y} :"
            )
            for execution in due:
                judgment = execution.judgment
                assert execution.final_on is not None and judgment.delivered_on is not None
                self.stdout.write(
                    f"  {judgment.procedure.parquet_number_display} — jugement n° {judgment.pk} "
                    f"du {judgment.delivered_on:%d/%m/%Y}, définitif le "
                    f"{execution.final_on:%d/%m/%Y}"
                )
            return
        done = finalize_due_judgments(today=today)
        self.stdout.write(f"{done} jugement(s) devenu(s) définitif(s) au {today:%d/%m/%Y}.")
