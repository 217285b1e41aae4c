"""The help pages: Markdown files of ``pages/`` (one per main task) and the glossary.

Written in the repository, reviewed like code, rendered by the sanitising renderer of the
public pages (``core/markdown.py``). The glossary page is built from ``core/glossary.py``,
the same list that explains the acronyms on the screens.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3

from jalon.core.glossary import ACRONYMS
from jalon.core.markdown import to_html

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# The order of the help index: the daily tasks first.
ORDER = (
    "enregistrer-et-convoquer",
    "creneaux-et-sortie-d-audience",
    "statut-inconnu",
    "transferts",
    "situations",
    "chaine-penale",
    "statistiques",
    "compte-et-double-authentification",
    "glossaire",
)

GLOSSARY_SLUG = "glossaire"


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    summary: str  # the first paragraph, for the index
    html: str
    text: str  # the plain text, for the search


def _glossary_markdown() -> str:
    lines = [
        "# Glossaire",
        "",
        "Les sigles employés dans Jalon. À l’écran, un sigle souligné en pointillés affiche "
        "sa signification au survol.",
        "",
        "| Sigle | Signification |",
        "|---|---|",
    ]
    lines += [f"| {word} | {meaning} |" for word, meaning in sorted(ACRONYMS.items())]
    return "\n".join(lines) + "\n"


def _page(slug: str, markdown: str) -> HelpPage:
    title_line, _, body = markdown.strip().partition("\n")
    title = title_line.lstrip("# ").strip()
    body_html = to_html(body)
    spaced = re.sub(r"(</(?:p|li|h\d|td|th|tr|blockquote)>)", r" \1", body_html)
    text = html.unescape(nh3.clean(spaced, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip() and p[0] not in "#|-1"]
    first_paragraph = paragraphs[0] if paragraphs else ""
    summary = html.unescape(nh3.clean(to_html(first_paragraph), tags=set())).strip()
    return HelpPage(slug=slug, title=title, summary=summary, html=body_html, text=text)


@lru_cache(maxsize=1)
def all_pages() -> tuple[HelpPage, ...]:
    pages = {path.stem: _page(path.stem, path.read_text()) for path in PAGES_DIR.glob("*.md")}
    pages[GLOSSARY_SLUG] = _page(GLOSSARY_SLUG, _glossary_markdown())
    known = [pages.pop(slug) for slug in ORDER if slug in pages]
    return (*known, *sorted(pages.values(), key=lambda page: page.title))


def get_page(slug: str) -> HelpPage | None:
    return next((page for page in all_pages() if page.slug == slug), None)
