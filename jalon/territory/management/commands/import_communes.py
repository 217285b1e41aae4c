from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jalon.territory.imports import ImportFileError, import_communes


class Command(BaseCommand):
    help = (
        "Import the communes and the TJ and SPIP serving each from a CSV file "
        "(format: docs/access.md, section on communes). Good rows are kept, bad rows "
        "reported; idempotent."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (UTF-8 or Windows-1252).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from None
        try:
            report = import_communes(
                content, agent=None, file_name=path.name, dry_run=options["dry_run"]
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        prefix = "Vérification (rien n’est enregistré) : " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} commune(s) créée(s), {report.updated} mise(s) à jour, "
            f"{report.unchanged} inchangée(s), {len(report.bad_rows)} ligne(s) en erreur."
        )
        for bad in report.bad_rows:
            self.stderr.write(f"Ligne {bad.line} : {bad.reason}")
