"""Checking uploaded pieces (SIS-04): type from the content, size, name. Pure functions.

The extension is never trusted: a renamed executable is refused because its first bytes
are no PDF, image or office signature. Legacy binary office files (.doc, .xls) are refused
too: they cannot be told apart from other OLE containers and often carry macros; modern
OOXML files holding macros (``vbaProject.bin``) are refused for the same reason.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import BinaryIO

from django.core.exceptions import ValidationError

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED_TEXT = "PDF, image (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint ou OpenDocument"

_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
_FORBIDDEN_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def _zip_type(head: BinaryIO) -> str | None:
    try:
        archive = zipfile.ZipFile(head)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "mimetype" in names:
        declared = archive.read("mimetype").decode("ascii", "replace").strip()
        return declared if declared in _OPENDOCUMENT else None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    for prefix, content_type in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def detect_type(content: bytes) -> str | None:
    """The MIME type read from the file's own bytes, or None when it is not accepted."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(io.BytesIO(content))
    return None


def validate_name(name: str) -> str:
    """The name shown at download: refused when empty, hidden or holding unsafe characters."""
    cleaned = (name or "").strip()
    if not cleaned or cleaned in {".", ".."}:
        raise ValidationError(
            {"file": "Le fichier n’a pas de nom : renommez-le avant de le déposer."}
        )
    if cleaned.startswith(".") or _FORBIDDEN_NAME.search(cleaned):
        raise ValidationError(
            {
                "file": (
                    "Le nom du fichier contient des caractères non autorisés "
                    '(/ \\ : * ? " < > | ou caractères invisibles) ou commence par un point : '
                    "renommez-le."
                )
            }
        )
    if len(cleaned) > 200:
        raise ValidationError(
            {"file": "Le nom du fichier dépasse 200 caractères : raccourcissez-le."}
        )
    return cleaned


def validate_content(content: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The detected type; refuses empty, oversized and unknown files in French."""
    if not content:
        raise ValidationError({"file": "Le fichier est vide."})
    if len(content) > max_bytes:
        raise ValidationError(
            {"file": (f"Le fichier dépasse la taille maximale de {max_bytes // (1024 * 1024)} Mo.")}
        )
    content_type = detect_type(content)
    if content_type is None:
        raise ValidationError(
            {
                "file": (
                    "Type de fichier non accepté (le contenu est vérifié, pas l’extension) : "
                    f"déposez un fichier {ACCEPTED_TEXT}."
                )
            }
        )
    return content_type
