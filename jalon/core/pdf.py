"""Printable documents: an HTML template laid out by WeasyPrint (no domain import).

Shared by every PDF the application produces (convocation letters of ``appointments.documents``
and ``cases.hearing_letter``, day lists, the meetings' agenda): the letterhead is
``templates/print/_letterhead.html``.

Every document is a **tagged PDF/UA-1** (ISO 14289-1: structure tree, ``/Lang`` from the
template's ``<html lang="fr">``, title from its ``<title>``) set in **Marianne**, the State's
typeface, which the DSFR package ships: the font files are read from the static files on disk
(``file://``), so that printing needs no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import weasyprint
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint.text.fonts import FontConfiguration

# A letter must stay on one page: long free texts shrink the font before they spill over.
LETTER_FONT_SIZES_PT = (10.5, 9.5, 8.5, 7.5, 6.5)

# PDF/UA-1 implies a tagged PDF (``pdf_tags``); WeasyPrint also writes the XMP metadata it needs.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

# The family name the print templates ask for, first in their ``font-family`` lists.
FONT_FAMILY = "Marianne"
# (file in django-dsfr's static files, weight, style)
_MARIANNE_FACES = (
    ("dsfr/dist/fonts/Marianne-Regular.woff2", 400, "normal"),
    ("dsfr/dist/fonts/Marianne-Regular_Italic.woff2", 400, "italic"),
    ("dsfr/dist/fonts/Marianne-Bold.woff2", 700, "normal"),
    ("dsfr/dist/fonts/Marianne-Bold_Italic.woff2", 700, "italic"),
)


@cache
def font_faces_css() -> str:
    """``@font-face`` rules pointing at Marianne's files on disk (empty if the DSFR is absent)."""
    rules = []
    for static_path, weight, style in _MARIANNE_FACES:
        found = finders.find(static_path)
        if not found:
            continue
        uri = Path(str(found)).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{uri}") format("woff2"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def render_pdf(template: str, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document (its ``pages`` can be counted before writing)."""
    html = render_to_string(template, context)
    font_config = FontConfiguration()
    fonts = weasyprint.CSS(string=font_faces_css(), font_config=font_config)
    return weasyprint.HTML(string=html, base_url=None).render(
        font_config=font_config, stylesheets=[fonts], **PDF_OPTIONS
    )


def pdf_bytes(document: Any) -> bytes:
    """The tagged, accessible PDF of a document laid out by :func:`render_pdf`."""
    return bytes(document.write_pdf(**PDF_OPTIONS))


def write_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A document of any length (day lists, agendas), tagged and accessible."""
    return pdf_bytes(render_pdf(template, context))


def one_page_pdf(
    template: str, context: dict[str, Any], font_sizes: Sequence[float] = LETTER_FONT_SIZES_PT
) -> bytes:
    """The document on one A4 page, with the largest font size that keeps it there."""
    for size in font_sizes:
        # A string, so that the French locale does not write the CSS value "10,5".
        document = render_pdf(template, {**context, "font_size": f"{size}pt"})
        if len(document.pages) == 1:
            break
    return pdf_bytes(document)
