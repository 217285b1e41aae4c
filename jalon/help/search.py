"""Full-text search of the help pages with PostgreSQL's French configuration.

The embedded database has no ``unaccent`` (DESIGN §6): accents are removed in Python, from
the pages and from the query alike, so "ecrou" finds "écrou" and "créneau" finds
"creneau". The folding keeps one character for one character, so the excerpt PostgreSQL
highlights in the folded text is read back, at the same positions, in the accented text.
The pages are few and live in files: they are passed to the query as arrays, with no table
to keep in step with the repository.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jalon.help.pages import HelpPage, all_pages

START, STOP = "⟦", "⟧"
FRAGMENTS = " … "
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=24, MinWords=10, "
    f'FragmentDelimiter="{FRAGMENTS}"'
)
MAX_QUERY_LENGTH = 200

SEARCH_SQL = """
WITH page(slug, title, body) AS (
    SELECT * FROM unnest(%(slugs)s::text[], %(titles)s::text[], %(bodies)s::text[])
), document AS (
    SELECT slug, body,
           setweight(to_tsvector('french', title), 'A')
           || setweight(to_tsvector('french', body), 'B') AS vector
    FROM page
), query AS (SELECT websearch_to_tsquery('french', %(query)s) AS tsquery)
SELECT slug,
       ts_rank(vector, tsquery) AS rank,
       ts_headline('french', body, tsquery, %(options)s) AS headline
FROM document, query
WHERE vector @@ tsquery
ORDER BY rank DESC, slug
"""


def fold(text: str) -> str:
    """``text`` without accents, one character for one character ("é" → "e", "œ" stays)."""
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text)


@dataclass(frozen=True)
class Result:
    page: HelpPage
    rank: float
    excerpt: SafeString  # escaped, the matched words in <mark>


def search(query: str) -> list[Result]:
    """The help pages matching ``query`` (words, "exact phrase", -excluded), best first."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    pages = {page.slug: page for page in all_pages()}
    with connection.cursor() as cursor:
        cursor.execute(
            SEARCH_SQL,
            {
                "slugs": list(pages),
                "titles": [fold(page.title) for page in pages.values()],
                "bodies": [fold(page.text) for page in pages.values()],
                "query": fold(query),
                "options": HEADLINE_OPTIONS,
            },
        )
        rows = cursor.fetchall()
    return [
        Result(page=pages[slug], rank=float(rank), excerpt=_excerpt(pages[slug].text, headline))
        for slug, rank, headline in rows
    ]


def _excerpt(text: str, headline: str) -> SafeString:
    """The fragments of ``headline`` (folded, marked) read back in the accented ``text``."""
    folded = fold(text)
    parts: list[str] = []
    for fragment in headline.split(FRAGMENTS.strip()):
        fragment = fragment.strip()
        plain = fragment.replace(START, "").replace(STOP, "")
        at = folded.find(plain)
        html: list[str] = []
        position = at
        for char in fragment:
            if char == START:
                html.append("<mark>")
            elif char == STOP:
                html.append("</mark>")
            else:
                html.append(escape(text[position] if at >= 0 else char))
                position += 1
        parts.append("".join(html))
    return mark_safe(" … ".join(part for part in parts if part))
