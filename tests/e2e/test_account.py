"""« Mon compte » in the browser: change the password, end another session, share the phone."""

import pytest

from jalon.access.models import AgentSession
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Une-phrase-de-passe-2027!"


def _log_in(page, email, password=PASSWORD):
    page.goto("/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button:has-text('Se connecter')")
    page.wait_for_selector("h1:has-text('Bonjour')")


def test_end_another_session_then_change_the_password_and_share_the_phone(
    browser, live_server, page, log_in, make_agent, org
):
    agent = make_agent("cpip", service=org.spip_alpha)
    log_in(agent.email)
    other = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        laptop = other.new_page()
        laptop.set_default_timeout(10_000)
        _log_in(laptop, agent.email)
        assert AgentSession.objects.filter(agent=agent).count() == 2

        # The header's user menu leads to the page, which lists both sessions.
        page.click("[data-testid=account-link]")
        page.wait_for_selector("h1:has-text('Mon compte')")
        assert page.locator("[data-testid=session-row]").count() == 2
        page.click("button:has-text('Fermer cette session')")
        page.wait_for_selector("text=Session fermée.")
        assert page.locator("[data-testid=session-row]").count() == 1
        laptop.goto("/")
        laptop.wait_for_url("**/connexion/**")

        # The laptop logs in again; changing the password closes it once more.
        _log_in(laptop, agent.email)
        page.fill("#id_old_password", PASSWORD)
        page.fill("#id_new_password1", NEW_PASSWORD)
        page.fill("#id_new_password2", NEW_PASSWORD)
        page.click("button:has-text('Changer le mot de passe')")
        page.wait_for_selector("text=Mot de passe changé.")
        laptop.goto("/")
        laptop.wait_for_url("**/connexion/**")
        _log_in(laptop, agent.email, NEW_PASSWORD)
    finally:
        other.close()

    # This session stayed open: share the professional phone.
    page.goto("/mon-compte/")
    page.fill("#id_phone", "03 88 00 00 01")
    page.check("#id_share_phone", force=True)
    page.click("button:has-text('Enregistrer mes choix')")
    page.wait_for_selector("text=Préférences enregistrées.")
    assert page.locator("#id_share_phone").is_checked()
    agent.refresh_from_db()
    assert agent.share_phone and agent.phone == "03 88 00 00 01"
