"""Reading the PDFs the application produces: text with positions, and the PDF/UA markers."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader

MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    """A run of text and where it starts, in millimetres from the page's top-left corner."""

    text: str
    left_mm: float
    top_mm: float


def runs(pdf: bytes, page: int = 0) -> list[Run]:
    reader = PdfReader(io.BytesIO(pdf))
    sheet = reader.pages[page]
    height = float(sheet.mediabox.height)
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run(text.strip(), x / MM, (height - y) / MM))

    sheet.extract_text(visitor_text=visit)
    return found


def accessibility_failures(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from being a tagged PDF in French, titled, set in Marianne."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    failures = []
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not mark_info.get_object().get("/Marked"):
        failures.append("not marked as tagged (/MarkInfo /Marked true)")
    if "/StructTreeRoot" not in root:
        failures.append("no structure tree (/StructTreeRoot)")
    if not str(root.get("/Lang", "")).startswith("fr"):
        failures.append(f"language is {root.get('/Lang')!r}, not French")
    if not (reader.metadata and reader.metadata.title):
        failures.append("no title")
    fonts = set()
    for sheet in reader.pages:
        resources = sheet.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if embedded:
                fonts.add(str(font["/BaseFont"]))
    if not any("Marianne" in name for name in fonts):
        failures.append(f"Marianne not embedded (fonts: {sorted(fonts)})")
    return failures
