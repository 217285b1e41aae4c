"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.factories import PASSWORD

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: install Debian's package (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    settle(page)
    context.close()


def settle(page: Any) -> None:
    """Let the last requests of a test end before its database is emptied: a request still
    running on the live server while the tables are truncated can deadlock with it."""
    from playwright.sync_api import Error

    with contextlib.suppress(Error):  # a page that never settles is closed all the same
        page.wait_for_load_state("networkidle", timeout=5_000)


@pytest.fixture
def log_in(page: Any) -> Callable[..., None]:
    """Logs ``email`` in with the factories' password, as an agent does.

    By default opens the login screen first and waits for the home page; with
    ``on_login_page=True`` the screen is already shown (after a redirect) and the test
    follows where the agent lands (the charter, the page asked for).
    """

    def log_in(email: str, *, on_login_page: bool = False) -> None:
        if not on_login_page:
            page.goto("/connexion/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Se connecter')")
        if not on_login_page:
            page.wait_for_selector("h1:has-text('Bonjour')")

    return log_in
