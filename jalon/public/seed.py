"""Write the initial information pages that are missing (data migration, test flushes)."""

from __future__ import annotations

from typing import Any

from jalon.core.markdown import to_html
from jalon.public.content import INITIAL_PAGES


def create_initial_pages(info_page_model: Any) -> None:
    for position, (slug, title, summary, body) in enumerate(INITIAL_PAGES):
        info_page_model.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body_markdown": body,
                "body_html": to_html(body),
                "position": position,
            },
        )
