"""The information pages' Markdown is rendered then sanitised: nothing executable survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from jalon.core.markdown import ALLOWED_TAGS, sanitise, to_html

ATTACKS = [
    "<script>alert(1)</script>",
    "Texte <script src='https://x.invalid/a.js'></script>",
    "[cliquez](javascript:alert(1))",
    "[cliquez](JaVaScRiPt:alert(1))",
    "[cliquez](vbscript:msgbox(1))",
    "[cliquez](data:text/html;base64,PHNjcmlwdD4=)",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://a.fr" onclick="alert(1)">lien</a>',
    "<a href='javascript:alert(1)'>lien</a>",
    "<iframe src='https://x.invalid'></iframe>",
    '<div style="position:fixed">x</div>',
    "![image](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    '<p title="x" onmouseover="alert(1)">survol</p>',
]


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") or name == "style" for name in attrs), attrs
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("https:", "http:", "mailto:", "tel:")), href


@pytest.mark.parametrize("markdown", ATTACKS)
def test_markdown_with_scripts_event_attributes_unsafe_links_or_raw_html_renders_inert(markdown):
    assert_inert(to_html(markdown))


@pytest.mark.parametrize("html", ATTACKS)
def test_the_sanitiser_alone_neutralises_the_same_html(html):
    """Defence in depth: were the renderer to let raw HTML through, the allow-list stops it."""
    cleaned = sanitise(html)
    assert_inert(cleaned)
    assert "<script" not in cleaned and 'href="javascript' not in cleaned.lower()


def test_raw_html_is_shown_as_text_not_interpreted():
    assert "&lt;b&gt;gras&lt;/b&gt;" in to_html("<b>gras</b>")
    assert not elements(to_html('<img src="x" onerror="alert(1)">'))[1:]


def test_the_allowed_markdown_is_kept():
    html = to_html(
        "# Titre\n\nUn **mot** et un [lien](https://www.justice.fr).\n\n- un\n- deux\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Titre</h2>" in html  # the page title is the h1
    assert "<strong>mot</strong>" in html
    assert 'href="https://www.justice.fr"' in html and 'rel="noopener noreferrer"' in html
    assert "<li>un</li>" in html and "<td>1</td>" in html
