import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jalon.cases.imports import import_natinf
from jalon.cases.natinf import NatinfFileError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date « {value} » invalide : AAAA-MM-JJ attendu.") from None


class Command(BaseCommand):
    help = (
        "Import an edition of the NATINF list, the official CSV file as published on "
        "data.gouv.fr (format: docs/cases.md). Prints one line per added, changed, retired "
        "or rejected row; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="The official CSV file (Windows-1252).")
        parser.add_argument("--edition", required=True, help="Edition name, e.g. 2026-07.")
        parser.add_argument(
            "--in-force-from", required=True, type=str, help="Date of the edition (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report every row, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        in_force_from = _date(options["in_force_from"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from None
        try:
            report = import_natinf(
                content,
                edition=options["edition"],
                in_force_from=in_force_from,
                agent=None,
                file_name=path.name,
                dry_run=options["dry_run"],
            )
        except NatinfFileError as error:
            raise CommandError(str(error)) from None
        for outcome in report.outcomes:
            where = f"ligne {outcome.line}" if outcome.line else "absente"
            detail = f" ({outcome.detail})" if outcome.detail else ""
            self.stdout.write(f"{where} : NATINF {outcome.number} {outcome.label}{detail}")
        for bad in report.rejected:
            self.stdout.write(f"ligne {bad.line} : rejetée — {bad.reason}")
        self.stdout.write(report.summary())
