"""Static files in production: hashed names and compression, contents never rewritten.

Django's manifest storage rewrites the ``url(...)`` references inside every CSS file to
their hashed names. The DSFR's stylesheets are loaded with Subresource Integrity (django-dsfr
writes ``integrity="sha384-…"`` computed on the published file): once rewritten, their digest
no longer matches and the browser refuses them, leaving every page unstyled. No rewriting at
all keeps every file byte for byte; the files a stylesheet refers to stay served under their
own names too (the originals are kept next to the hashed copies).
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class IntactManifestStorage(CompressedManifestStaticFilesStorage):
    patterns = ()
