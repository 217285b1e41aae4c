"""The browser enforces our Content-Security-Policy and refuses nothing on the key pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, AgendaFactory, PersonFactory, PlaceFactory, SituationFactory
from tests.situations.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch_violations(page: Any) -> list[str]:
    """CSP violations Chromium reports in the console ("Refused to …" in older versions,
    "… violates the following Content Security Policy directive …" in newer ones), and
    script errors."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Refused to" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"{page.url}: {error} {error.stack}"))
    return refused


def _log_in(page: Any, email: str) -> None:
    page.goto("/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_selector("h1:has-text('Bonjour')")


def _visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "nonce-" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


def test_key_pages_load_without_any_csp_violation(page, make_agent, org):
    world = build_world(org)
    refused = _watch_violations(page)
    local_admin = make_agent("local_admin", service=org.sap_alpha)
    person = PersonFactory(followed_by=[org.sap_alpha])
    agenda = AgendaFactory(place=PlaceFactory(service=org.sap_alpha))
    calendar = reverse("agenda_calendar", args=[agenda.pk])
    _visit(page, "/connexion/")
    _log_in(page, local_admin.email)
    for url in (
        reverse("person_list") + "?q=Martin",
        reverse("person_detail", args=[person.pk]),
        calendar + "?vue=semaine&date=2027-07-07",
        reverse("service_day") + "?date=2027-07-07",
        reverse("agent_list"),
    ):
        _visit(page, url)
    # The SMS editor: a placeholder button (a static script now, no inline handler) inserts
    # its token and htmx refreshes the preview, under the policy.
    _visit(page, reverse("sms_template_edit", args=[str(org.sap_alpha.pk), "reminder", "tous"]))
    text = page.locator("textarea[name=text]")
    text.fill("Bonjour ")
    button = page.locator("[data-insert-into]").first
    token = button.get_attribute("data-placeholder")
    with page.expect_response("**/apercu/") as preview:
        button.click()
    assert preview.value.status == 200
    assert text.input_value() == f"Bonjour {token}"
    page.context.clear_cookies()

    parquet = make_agent("parquet", service=world.parquet_alpha)
    situation = SituationFactory(jurisdiction=org.tj_alpha)
    _log_in(page, parquet.email)
    _visit(page, reverse("situation_list"))
    _visit(page, reverse("situation_detail", args=[situation.pk]))
    page.context.clear_cookies()

    admin = make_agent("national_admin", service=org.national, is_staff=True, is_superuser=True)
    _log_in(page, admin.email)
    _visit(page, reverse("backoffice_home"))
    _visit(page, reverse("backoffice_list", args=["services"]))
    _visit(page, "/admin/")
    _visit(page, "/admin/access/agent/")
    _visit(page, f"/admin/access/agent/{admin.pk}/change/")
    assert refused == [], "\n".join(refused)


def test_the_policy_is_really_enforced(page, db):
    """The check above can fail: an inline style added to a page is refused and reported."""
    refused = _watch_violations(page)
    _visit(page, "/connexion/")
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert any("style-src" in message for message in refused), refused


def test_the_api_documentation_renders_offline_without_csp_violation(page, org):
    """Swagger UI from /static/ only: no request leaves the server, nothing refused."""
    refused = _watch_violations(page)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else None
        ),
    )
    _visit(page, "/api/v1/docs")
    page.wait_for_selector("text=API Jalon")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/persons" in path.replace("\u200b", "") for path in paths), paths
    assert refused == []
    assert outside == []
