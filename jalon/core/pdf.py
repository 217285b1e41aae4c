"""Printable documents: an HTML template laid out by WeasyPrint (no domain import).

Shared by the convocation letters of every app (``appointments.documents``,
``cases.hearing_letter``): the letterhead is ``templates/print/_letterhead.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import weasyprint
from django.template.loader import render_to_string

# A letter must stay on one page: long free texts shrink the font before they spill over.
LETTER_FONT_SIZES_PT = (10.5, 9.5, 8.5, 7.5)


def render_pdf(template: str, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document (its ``pages`` can be counted before writing)."""
    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=None).render()


def one_page_pdf(
    template: str, context: dict[str, Any], font_sizes: Sequence[float] = LETTER_FONT_SIZES_PT
) -> bytes:
    """The document on one A4 page, with the largest font size that keeps it there."""
    for size in font_sizes:
        # A string, so that the French locale does not write the CSS value "10,5".
        document = render_pdf(template, {**context, "font_size": f"{size}pt"})
        if len(document.pages) == 1:
            break
    return bytes(document.write_pdf())
