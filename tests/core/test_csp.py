"""Content-Security-Policy, nonces, no inline code in our pages, and no-store on pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import (
    AgendaFactory,
    ListEntryFactory,
    PersonFactory,
    PlaceFactory,
    SituationFactory,
)
from tests.situations.world import build_world


def _nonce(response: Any) -> str:
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse: inline scripts and styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.nonces: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "nonce" in attributes:
            self.nonces.add(attributes["nonce"] or "")
        for name, _ in attrs:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.problems.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script":
            kind = attributes.get("type") or "text/javascript"
            if not attributes.get("src") and kind != "application/json":
                self.problems.append("inline <script>")
        if tag == "a" and (attributes.get("href") or "").startswith("javascript:"):
            self.problems.append("javascript: link")


def _inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


def test_every_page_has_the_policy_with_a_fresh_nonce(client, db):
    first, second = client.get("/connexion/"), client.get("/connexion/")
    policy = first["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "style-src 'self' 'nonce-",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert _nonce(first) != _nonce(second)
    assert len(_nonce(first)) >= 22  # at least 128 random bits
    # The DSFR's scripts carry this request's nonce, nothing else does.
    assert _inline_code(first.content.decode()).nonces == {_nonce(first)}


def test_htmx_does_not_inject_its_inline_style(client, db):
    page = client.get("/connexion/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false""" in page


@pytest.fixture
def screens(org, make_agent) -> dict[str, Any]:
    """An agent of each kind and one object behind each main screen."""
    world = build_world(org)
    person = PersonFactory(followed_by=[org.sap_alpha])
    agenda = AgendaFactory(place=PlaceFactory(service=org.sap_alpha))
    situation = SituationFactory(jurisdiction=org.tj_alpha)
    ListEntryFactory(jurisdiction=org.tj_alpha, kind="cabinet_je", name="JE 1")
    sms = reverse("sms_template_edit", args=[str(org.sap_alpha.pk), "reminder", "tous"])
    calendar = reverse("agenda_calendar", args=[agenda.pk])
    return {
        "agents": {
            "local_admin": make_agent("local_admin", service=org.sap_alpha),
            "bex": make_agent("bex", service=org.bex_alpha),
            "parquet": make_agent("parquet", service=world.parquet_alpha),
            "procureur": make_agent("procureur_republique", service=world.parquet_alpha),
        },
        "pages": [
            ("local_admin", reverse("home")),
            ("local_admin", reverse("person_list") + "?q=Martin"),
            ("local_admin", reverse("person_detail", args=[person.pk])),
            ("local_admin", calendar + "?vue=jour&date=2027-07-07"),
            ("local_admin", calendar + "?vue=semaine&date=2027-07-07"),
            ("local_admin", reverse("service_day") + "?date=2027-07-07"),
            ("local_admin", reverse("sms_template_list")),
            ("local_admin", sms),
            ("local_admin", reverse("agent_list")),
            ("bex", reverse("hearing_exit")),
            ("parquet", reverse("situation_list")),
            ("parquet", reverse("situation_detail", args=[situation.pk])),
            ("procureur", reverse("situation_list_edit", args=["cabinet_je"])),
        ],
    }


def test_main_screens_hold_no_inline_script_style_or_handler(client, client_for, screens):
    login = client.get("/connexion/")
    assert _inline_code(login.content.decode()).problems == []
    for key, url in screens["pages"]:
        response = client_for(screens["agents"][key]).get(url)
        assert response.status_code == 200, url
        found = _inline_code(response.content.decode())
        assert found.problems == [], url
        assert found.nonces <= {_nonce(response)}, url
        client.logout()


def test_authenticated_pages_are_not_stored(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"
    # Even where a view would let a browser keep it: nothing of a logged-in agent is stored.
    assert client.get(reverse("session_status"))["Cache-Control"] == "no-store"


def test_login_pages_are_not_stored(client, db):
    assert "no-store" in client.get("/connexion/")["Cache-Control"]
    assert "no-store" in client.get(reverse("password_reset"))["Cache-Control"]


def test_static_files_keep_their_caching(client, db):
    response = client.get("/static/jalon/jalon.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


def test_the_back_office_allows_its_own_inline_styles_only(client_for, make_agent, org):
    client = client_for(make_agent("national_admin", service=org.national, is_staff=True))
    response = client.get("/admin/access/agent/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert f"script-src 'self' 'nonce-{_nonce(response)}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["Cache-Control"] == "no-store"
    # Django's admin has no inline script left (scripts are files, constants are data).
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag
