"""The accessibility statement: public, and linked from every footer."""

from __future__ import annotations

from django.urls import reverse

from jalon.core import links

STATEMENT = reverse("accessibility_statement")


def test_the_statement_is_public_and_says_the_level_and_how_it_was_measured(client, db):
    page = client.get(STATEMENT).content.decode()
    assert "Déclaration d’accessibilité" in page
    assert "est non conforme</strong>" in page  # no RGAA audit yet: the RGAA's wording
    assert "axe-core" in page and "n’est pas un audit" in page
    assert "mailto:" in page


def test_every_footer_links_the_statement(client, db, org, cpip, client_for):
    anonymous = [
        client.get(reverse("login")),
        client.get(reverse("public_info_index")),
        client.get(f"/s/{links.service_page_token(org.spip_alpha.pk)}"),
        client.get("/cette-page-n-existe-pas/"),
    ]
    agent = client_for(cpip).get(reverse("home"))
    for response in [*anonymous, agent]:
        assert f'href="{STATEMENT}"' in response.content.decode(), response.request["PATH_INFO"]
