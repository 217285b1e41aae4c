"""Production static files keep the DSFR's stylesheets byte for byte, so that the browser
accepts them under their Subresource Integrity digest."""

from __future__ import annotations

import base64
import hashlib

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from dsfr import checksums

from jalon.core.staticstorage import IntactManifestStorage


def _sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_collected_dsfr_files_match_their_integrity_digests(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "jalon.core.staticstorage.IntactManifestStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    assert isinstance(staticfiles_storage._wrapped, IntactManifestStorage)
    for path, digest in [
        ("dsfr/dist/dsfr/dsfr.min.css", checksums.INTEGRITY_CSS),
        ("dsfr/dist/utility/utility.min.css", checksums.INTEGRITY_UTILITY_CSS),
        ("dsfr/dist/dsfr/dsfr.module.min.js", checksums.INTEGRITY_JS_MODULE),
    ]:
        served = staticfiles_storage.stored_name(path)
        assert served != path  # a hashed, cacheable name ...
        assert _sri((tmp_path / served).read_bytes()) == digest  # ... with intact bytes
