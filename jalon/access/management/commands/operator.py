"""Give an agent the operator role, or take it back: ``manage.py operator EMAIL --level LEVEL``.

Operators reach /admin/, the technical console (``staff``: the referentials; ``superuser``: also
sessions, second factors, background jobs). National administrators use /administration/.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jalon.access.actions import set_operator
from jalon.access.models import Agent

LEVELS = {"none": (False, False), "staff": (True, False), "superuser": (True, True)}


class Command(BaseCommand):
    help = "Donne ou retire le rôle d’opérateur technique (console /admin/) à un agent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--level", choices=sorted(LEVELS), required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            target = Agent.objects.get_by_natural_key(options["email"])
        except Agent.DoesNotExist:
            raise CommandError(f"Aucun agent avec l’adresse {options['email']}.") from None
        staff, superuser = LEVELS[options["level"]]
        changed = set_operator(target, agent=None, staff=staff, superuser=superuser)
        self.stdout.write(
            f"{target.email} : {options['level']}" + ("" if changed else " (inchangé)")
        )
