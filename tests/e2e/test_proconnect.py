"""The whole ProConnect sign-in in a browser, against the local OpenID provider."""

import pytest

from jalon.history.models import Event
from tests.e2e.test_visible_labels import CHECK
from tests.oidc_provider import oidc_provider  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_proconnect_then_log_out_through_the_provider(
    page,
    live_server,
    settings,
    make_agent,
    oidc_provider,  # noqa: F811
):
    settings.SITE_URL = live_server.url
    oidc_provider.register_site(live_server.url)
    agent = make_agent(email="agent.proconnect@justice.test", first_name="Claire")
    page.goto("/connexion/")
    assert page.evaluate(CHECK) == []  # the button and its help link show their text
    button = page.locator("a.fr-connect")
    assert button.inner_text().split() == ["S’identifier", "avec", "ProConnect"]
    button.click()
    page.wait_for_selector("h1:has-text('Bonjour')")  # back in Jalon, logged in
    assert page.locator("main h1").inner_text() == "Bonjour Claire"
    assert len(oidc_provider.authorize_calls) == 1
    login = Event.objects.get(action="auth.login", actor=agent)
    assert login.details["method"] == "proconnect"

    page.click("button:has-text('Se déconnecter')")
    page.wait_for_url("**/connexion/")
    assert "de ProConnect aussi" in page.locator("body").inner_text()
    assert len(oidc_provider.end_session_calls) == 1
    page.goto("/")
    assert "/connexion/" in page.url  # the session is over
