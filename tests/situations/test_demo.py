"""The demo shows SISPoPP: situations of the TJ of Strasbourg, one under appeal at Colmar."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.rules.situations import situations_visible_to
from jalon.situations.models import Situation


def test_the_demo_situations_are_seen_as_the_profile_matrix_says(db):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    assert Situation.objects.count() == 4

    def seen(email: str) -> int:
        return situations_visible_to(Agent.objects.get(email=email)).count()

    assert seen("parquet@jalon.test") == 4
    assert seen("jaf.tj@jalon.test") == 2  # VIF with "Procédure JAF" or a victim's OP
    assert seen("procureur.general@jalon.test") == 1  # the appeal only
    assert seen("cpip@jalon.test") == 0
    assert Situation.objects.overdue(timezone.localdate()).count() == 1
