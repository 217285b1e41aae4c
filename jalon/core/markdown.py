"""Markdown of the information pages → HTML, then an allow-list sanitiser (defence in depth).

markdown-it renders without raw HTML (``html=False`` escapes it) and refuses ``javascript:``
links itself; nh3 (Ammonia) then keeps only the tags and attributes below, whatever the
renderer let through. National admins write these pages; the public reads them.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"https", "http", "mailto", "tel"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.enable("table")


def to_html(markdown: str) -> str:
    """Safe HTML for ``markdown``: no script, no event attribute, no raw HTML, no unsafe URL.

    Headings start at level 2 (the page title is the h1): "# Titre" becomes an h2.
    """
    rendered = _renderer.render(markdown)
    return sanitise(rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>"))


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes of ``html``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
