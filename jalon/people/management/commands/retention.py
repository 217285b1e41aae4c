from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jalon.people import retention


class Command(BaseCommand):
    help = (
        "Archive the persons without activity for 12 months, delete the SISPoPP situations "
        "closed for 6 years, then the persons archived for 6 months (MSJ-39), as the nightly "
        "jobs do. --dry-run lists what would change."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._dry_run()
            return
        archived = retention.archive_inactive_persons()
        situations = retention.delete_expired_situations()
        deleted = retention.delete_expired_archives()
        self.stdout.write(f"Archived {len(archived)} person(s) without activity for 12 months.")
        self.stdout.write(
            f"Deleted {situations.situations} situation(s) closed for 6 years, with "
            f"{situations.documents} document(s); {situations.events_erased} history event(s) "
            "erased."
        )
        self.stdout.write(
            f"Deleted {deleted.persons} person(s) archived for 6 months, with "
            f"{deleted.appointments} convocation(s) and {deleted.messages} SMS; "
            f"{deleted.events_erased} history event(s) erased."
        )

    def _dry_run(self) -> None:
        now = timezone.now()
        plan = retention.plan(now)
        self.stdout.write(
            f"Would archive {len(plan.to_archive)} person(s) without activity since "
            f"{retention.archive_cutoff(now):%Y-%m-%d %H:%M} UTC:"
        )
        for person in plan.to_archive:
            self.stdout.write(f"  {person.pk} {person} (created {person.created_at:%Y-%m-%d})")
        self.stdout.write(
            f"Would delete {len(plan.situations)} situation(s) closed on or before "
            f"{retention.situation_deletion_cutoff(now):%Y-%m-%d}:"
        )
        for situation in plan.situations:
            self.stdout.write(
                f"  {situation.pk} {situation.policy.code} {situation.jurisdiction.code} "
                f"(closed {situation.closed_on:%Y-%m-%d}, MEC {situation.mec_id})"
            )
        self.stdout.write(
            f"Would delete {len(plan.to_delete)} person(s) archived before "
            f"{retention.deletion_cutoff(now):%Y-%m-%d %H:%M} UTC, with {plan.appointments} "
            f"convocation(s) and {plan.messages} SMS; {plan.events} history event(s) erased:"
        )
        for person in plan.to_delete:
            self.stdout.write(f"  {person.pk} {person} (archived {person.archived_at:%Y-%m-%d})")
        if plan.kept:
            self.stdout.write(
                f"Kept for now {len(plan.kept)} archived person(s) (SISPoPP situation or SMS "
                "being sent):"
            )
            for person in plan.kept:
                self.stdout.write(
                    f"  {person.pk} {person} (archived {person.archived_at:%Y-%m-%d})"
                )
        self.stdout.write("Dry run: nothing changed.")
