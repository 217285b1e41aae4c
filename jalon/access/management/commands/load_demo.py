from typing import Any

from django.core.management.base import BaseCommand

from jalon.access.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation and agents (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        width = max(len(login.email) for login in logins)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(logins)} agents."))
        self.stdout.write(f"Password for every demo agent: {DEMO_PASSWORD}")
        self.stdout.write("")
        for login in logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.profile} — {login.service}")
