"""Recount the indicators from the raw rows and report each gap (exit status 1 if any)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jalon.stats.queries import GRAINS, Area, Period
from jalon.stats.verify import verify


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"« {text} » n’est pas une date AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = "Compare every indicator with an independent recount from the raw rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area",
            default="national",
            help="national, or service:<id>, jurisdiction:<id>, court_of_appeal:<id>",
        )
        parser.add_argument("--from", dest="start", help="first day (default: 365 days ago)")
        parser.add_argument("--to", dest="end", help="last day (default: today)")
        parser.add_argument("--grain", default="month", choices=GRAINS)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, _, raw_id = options["area"].partition(":")
        if kind not in ("national", "service", "jurisdiction", "court_of_appeal"):
            raise CommandError(f"Zone inconnue : {options['area']}.")
        if kind != "national" and not raw_id.isdigit():
            raise CommandError(f"Indiquez l’identifiant : {kind}:<id>.")
        area = Area(kind, int(raw_id) if raw_id else None)
        today = timezone.localdate()
        end = _day(options["end"]) if options["end"] else today
        start = _day(options["start"]) if options["start"] else end - timedelta(days=364)
        if end < start:
            raise CommandError("La période est inversée : --from doit précéder --to.")
        started = time.monotonic()
        gaps = verify(area, Period(start, end, options["grain"]), now=timezone.now())
        elapsed = time.monotonic() - started
        for gap in gaps:
            self.stdout.write(str(gap))
        self.stdout.write(
            f"stats_verify {options['area']} {start}..{end} ({options['grain']}): "
            f"{len(gaps)} écart(s), {elapsed:.1f} s"
        )
        if gaps:
            raise SystemExit(1)
