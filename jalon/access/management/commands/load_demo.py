from typing import Any

from django.core.management.base import BaseCommand

from jalon.access.demo import DEMO_PASSWORD, demo_notes, load_demo, load_demo_parts


class Command(BaseCommand):
    help = (
        "Load the demo organisation, agents, places, persons, convocations and situations "
        "(idempotent) "
        "and print the demo logins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        load_demo_parts()  # convocations, situations…: registered by their apps
        width = max(len(login.email) for login in logins)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(logins)} agents."))
        self.stdout.write(f"Password for every demo agent: {DEMO_PASSWORD}")
        self.stdout.write("")
        for login in logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.profile} — {login.service}")
        for note in demo_notes:
            self.stdout.write(f"  {note}")
