"""The cache of the public pages: renderings keyed by the page's version, and the versions
themselves remembered briefly in each process.

A rendering is stored in Django's cache under ``<kind>:<key>:<version>``; an edit bumps the
version, so it never serves a stale rendering once the new version is known. Reading the
version costs a query, the most expensive part of a cached page under load, so each process
remembers it ``VERSION_SECONDS``: the process that saved the edit forgets it at once, the
others see the edit within that delay.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache

VERSION_SECONDS = 10.0
HTML_SECONDS = 3600  # renderings also hold places and names edited elsewhere

_versions: dict[str, tuple[float, int | None]] = {}


def version(key: str, read: Callable[[], int | None]) -> int | None:
    """The page's version (``read`` from the database at most every ``VERSION_SECONDS``)."""
    now = time.monotonic()
    known = _versions.get(key)
    if known is not None and now - known[0] < VERSION_SECONDS:
        return known[1]
    value = read()
    _versions[key] = (now, value)
    return value


def forget(key: str | None = None) -> None:
    """Drop a remembered version (all of them without ``key``)."""
    if key is None:
        _versions.clear()
    else:
        _versions.pop(key, None)


def html(key: str, page_version: int, render: Callable[[], str | None]) -> str | None:
    """The rendering of ``key`` at ``page_version``, from the cache or ``render``ed now."""
    cache_key = f"public:{key}:{page_version}"
    found = cache.get(cache_key)
    if found is None:
        found = render()
        if found is not None:
            cache.set(cache_key, found, HTML_SECONDS)
    return found


def service_key(service_id: int) -> str:
    return f"service:{service_id}"


def info_key(slug: str) -> str:
    return f"info:{slug}"
