"""``manage.py transfer_deadlines [--dry-run]``: the daily job, by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jalon.transfers.actions import process_deadlines


class Command(BaseCommand):
    help = "Relance à 5 jours et acceptation automatique à 10 jours des demandes de transfert."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Affiche sans rien changer.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = process_deadlines(dry_run=options["dry_run"])
        prefix = "[simulation] " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{len(report.reminded)} relance(s), "
            f"{len(report.auto_accepted)} demande(s) acceptée(s) automatiquement."
        )
