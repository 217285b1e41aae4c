"""The probationer space in a browser: the CPIP invites from the person's page, then the
person, on a small phone with JavaScript off, accepts, logs in and confirms a convocation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jalon.public.models import LinkState
from jalon.space import tokens
from jalon.space.models import Invitation, SpaceAccount
from tests.factories import AppointmentFactory, PersonFactory

PASSWORD = "mon chat dort au soleil"


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A small screen without JavaScript."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        java_script_enabled=False,
        viewport={"width": 360, "height": 640},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_invitation_acceptance_login_and_confirmation(page, log_in, phone, org, agendas, cpip):
    person = PersonFactory(followed_by=[org.spip_alpha], phone="+33612345678", referent=cpip)
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha, assigned_agent=cpip)

    log_in(cpip.email)
    page.goto(f"/personnes/{person.pk}/")
    assert page.get_by_test_id("space-status").text_content() == "Non invitée"
    page.get_by_role("button", name="Inviter à l’espace personnel").click()
    page.wait_for_selector("text=Invitation envoyée par SMS.")
    assert page.get_by_test_id("space-status").text_content() == "Invitée"
    invitation = Invitation.objects.get(person=person)

    phone.goto(f"/espace/invitation/{tokens.invitation_token(invitation.pk, invitation.nonce)}")
    phone.get_by_label("Votre numéro de téléphone portable").fill("06 12 34 56 78")
    phone.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    phone.get_by_label("Saisissez-le une seconde fois").fill(PASSWORD)
    phone.get_by_role("button", name="Créer mon espace").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Mes convocations"
    assert SpaceAccount.objects.filter(person=person).exists()

    phone.get_by_role("button", name="Me déconnecter").click()
    phone.get_by_label("Votre numéro de téléphone portable").fill("0612345678")
    phone.get_by_label("Votre mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Me connecter").click()
    phone.get_by_role("link", name="Voir le détail").first.click()
    assert "1 rue du Palais" in phone.get_by_test_id("convocation").inner_text()
    phone.get_by_role("button", name="Je confirme ma présence").click()
    assert phone.get_by_test_id("confirmed").is_visible()
    assert LinkState.objects.get(appointment=appointment).confirmed_at is not None

    page.reload()
    assert page.get_by_test_id("space-status").text_content() == "Compte créé"
