"""Storing and reading the pieces of a situation (SIS-04), outside the database."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from jalon.access.models import Agent
from jalon.history.actions import record, record_person_read
from jalon.situations import files
from jalon.situations.models import Document, Situation


def storage() -> FileSystemStorage:
    """Files live under ``MEDIA_ROOT/situations`` with random names and no public URL."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "situations", base_url=None)


def max_bytes() -> int:
    return int(getattr(settings, "JALON_SITUATION_DOCUMENT_MAX_BYTES", files.MAX_BYTES))


def add_document(
    *, agent: Agent, situation: Situation, title: str, name: str, content: bytes
) -> Document:
    """Check name, size and type from the content, store the file, then the row and history.

    Nothing is left behind on refusal: the file is written only after every check, and
    deleted again if the row cannot be saved.
    """
    original_name = files.validate_name(name)
    content_type = files.validate_content(content, max_bytes())
    stored_name = secrets.token_hex(16)
    store = storage()
    store.save(stored_name, ContentFile(content))
    try:
        with transaction.atomic():
            document = Document.objects.create(
                situation=situation,
                title=title.strip() or original_name,
                original_name=original_name,
                stored_name=stored_name,
                content_type=content_type,
                size=len(content),
                uploaded_by=agent,
            )
            record(
                "situation.document_added",
                actor=agent,
                target=situation,
                details={"document": document.pk, "type": content_type, "size": len(content)},
            )
    except BaseException:
        store.delete(stored_name)
        raise
    return document


def open_document(*, agent: Agent, document: Document) -> bytes:
    """The file's bytes; every download is written in history."""
    record(
        "situation.document_downloaded",
        actor=agent,
        target=document.situation,
        details={"document": document.pk, "name": document.original_name},
    )
    record_person_read(
        "situation_document",
        actor=agent,
        persons=document.situation.mec,
        details={"situation": document.situation_id},
    )
    with storage().open(document.stored_name, "rb") as handle:
        return handle.read()
