"""Documents (SIS-04): type from the content, size, names, storage outside the database."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.history.models import Event
from jalon.situations.files import detect_type
from jalon.situations.models import Document
from tests.factories import SituationFactory
from tests.situations.world import agents

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(with_macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (_docx(with_macros=True), None),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),  # a Windows executable
        (b"\x7fELF\x02\x01\x01", None),
        (b"#!/bin/sh\nrm -rf /\n", None),
    ],
)
def test_the_type_is_read_from_the_content(content, expected):
    assert detect_type(content) == expected


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "situations"


def _upload(client: Any, situation: Any, name: str, content: bytes, **extra: str) -> Any:
    return client.post(
        reverse("situation_tab", args=[situation.pk, "documents"]),
        {"title": "Pièce", "file": SimpleUploadedFile(name, content), **extra},
    )


def test_a_pdf_is_stored_outside_the_database_under_a_random_name_and_downloaded(
    world, make_agent, client_for, media
):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    client = client_for(people["parquet_alpha"])
    response = _upload(client, situation, "plainte.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.original_name == "plainte.pdf"
    stored = media / document.stored_name
    assert stored.read_bytes() == PDF
    assert "plainte" not in document.stored_name
    download = client.get(reverse("situation_document_download", args=[situation.pk, document.pk]))
    assert download.content == PDF
    assert 'filename="plainte.pdf"' in download["Content-Disposition"]
    assert Event.objects.filter(action="situation.document_downloaded").count() == 1


def test_a_renamed_executable_is_refused(world, make_agent, client_for, media):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = _upload(client_for(people["parquet_alpha"]), situation, "rapport.pdf", b"MZ\x90\x00")
    assert response.status_code == 200
    assert "Type de fichier non accepté" in response.content.decode()
    assert not Document.objects.exists()
    assert not media.exists() or not any(media.iterdir())


def test_an_oversized_file_is_refused(world, make_agent, client_for, media, settings):
    settings.JALON_SITUATION_DOCUMENT_MAX_BYTES = 1024 * 1024
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = _upload(
        client_for(people["parquet_alpha"]), situation, "gros.pdf", PDF + b"0" * 1024 * 1024
    )
    assert "dépasse la taille maximale de 1 Mo" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", [".htaccess", "rapport?.pdf", "a|b.pdf", 'x".pdf'])
def test_dangerous_names_are_refused(world, make_agent, client_for, media, name):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = _upload(client_for(people["parquet_alpha"]), situation, name, PDF)
    assert "renommez-le" in response.content.decode()
    assert not Document.objects.exists()


def test_an_empty_file_is_refused(world, make_agent, client_for, media):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha)
    response = _upload(client_for(people["parquet_alpha"]), situation, "vide.pdf", b"")
    assert "Le fichier est vide" in response.content.decode()
    assert not Document.objects.exists()


def test_the_jaf_cannot_download_a_document(world, make_agent, client_for, media):
    people = agents(world, make_agent)
    situation = SituationFactory(jurisdiction=world.org.tj_alpha, mec_procedure_jaf=True)
    _upload(client_for(people["parquet_alpha"]), situation, "plainte.pdf", PDF)
    document = Document.objects.get()
    url = reverse("situation_document_download", args=[situation.pk, document.pk])
    assert client_for(people["jaf_alpha"]).get(url).status_code == 403
    assert client_for(people["parquet_beta"]).get(url).status_code == 404
    assert not Event.objects.filter(action="situation.document_downloaded").exists()
