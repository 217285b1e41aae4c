"""The space's demo: Lucas Schneider (followed by the SPIP du Bas-Rhin, référent
cpip@jalon.test) has an account, so that a tester logs in at /espace/connexion/; the demo
CPIP shares their work phone and e-mail. Idempotent; runs after the convocations' demo."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from jalon.access.demo import DEMO_PASSWORD, add_demo_note
from jalon.access.models import Agent
from jalon.core.phone import display
from jalon.people.models import Person
from jalon.space.models import SpaceAccount

DEMO_PHONE = "+33612345601"


def load_space_demo() -> None:
    person = Person.objects.filter(phone=DEMO_PHONE).first()
    if person is None:
        return
    Agent.objects.filter(email="cpip@jalon.test").update(
        phone="03 88 00 00 01", share_phone=True, share_email=True
    )
    account, created = SpaceAccount.objects.get_or_create(
        person=person, defaults={"phone": DEMO_PHONE, "password": make_password(DEMO_PASSWORD)}
    )
    if not created:
        account.password = make_password(DEMO_PASSWORD)
        account.is_active = True
        account.save(update_fields=["password", "is_active"])
    add_demo_note(
        f"Probationer space /espace/connexion/: {display(DEMO_PHONE)} (Lucas Schneider), "
        "same password"
    )
