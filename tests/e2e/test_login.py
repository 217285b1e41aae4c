import pytest
from django.contrib.sessions.models import Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_accept_the_charter_and_see_the_home_page(log_in, page, make_agent):
    agent = make_agent("local_admin", new=True, first_name="Camille", last_name="Martin")
    page.goto("/")
    assert page.url.endswith("/connexion/?next=/")
    log_in(agent.email, on_login_page=True)
    page.wait_for_url("**/charte/**")
    page.click("button:has-text('Accepter et continuer')")
    assert page.locator(".fr-error-text").inner_text().startswith("Cochez la case")
    page.check("#id_accept", force=True)
    page.click("button:has-text('Accepter et continuer')")
    page.wait_for_selector("h1:has-text('Bonjour')")
    assert page.locator("main h1").inner_text() == "Bonjour Camille"
    header = page.locator("header.fr-header")
    assert "Camille MARTIN" in header.inner_text()
    assert "Administrateur local" in header.inner_text()
    assert page.locator("footer.fr-footer").count() == 1
    page.screenshot(path="test-artifacts/home.png")


def test_what_a_form_held_survives_an_expired_session(log_in, page, make_agent):
    agent = make_agent("local_admin")
    page.goto("/connexion/?next=/administration/agents/nouveau/")
    log_in(agent.email, on_login_page=True)
    page.wait_for_url("**/administration/agents/nouveau/")
    page.fill("#id_first_name", "Zoé")
    page.fill("#id_last_name", "Durand")
    Session.objects.all().delete()  # the session ends while the agent is typing
    page.click("button:has-text('Créer l’agent')")
    page.wait_for_url("**/connexion/**")
    log_in(agent.email, on_login_page=True)
    page.wait_for_url("**/administration/agents/nouveau/")
    assert page.locator("#id_first_name").input_value() == "Zoé"
    assert page.locator("#id_last_name").input_value() == "Durand"
    assert page.locator("[data-testid=draft-restored]").is_visible()
