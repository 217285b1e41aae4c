from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from jalon.appointments import slots
from jalon.appointments.actions.slots import generate_upcoming_slots


class Command(BaseCommand):
    help = (
        "Create the slots of the recurring patterns up to JALON_SLOT_MONTHS_AHEAD months "
        "(idempotent; the nightly job does the same)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be created, create nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        created = generate_upcoming_slots(dry_run=dry_run)
        by_pattern: dict[int | None, int] = {}
        for slot in created:
            by_pattern[slot.pattern_id] = by_pattern.get(slot.pattern_id, 0) + 1
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb} {len(created)} slot(s) up to {slots.months_ahead()} month(s) ahead."
        )
        if dry_run:
            for slot in created:
                self.stdout.write(
                    f"  {slot.local_start:%Y-%m-%d %H:%M} ({slot.duration_minutes} min, "
                    f"{slot.capacity} place(s)) — {slot.agenda} — {slot.appointment_type}"
                )
        for pattern_id, count in sorted(by_pattern.items(), key=lambda item: item[0] or 0):
            self.stdout.write(f"  pattern {pattern_id}: {count}")
