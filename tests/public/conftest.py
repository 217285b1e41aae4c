from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered public pages are cached by service id and version: start each test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_site(settings):
    settings.JALON_PUBLIC_BASE_URL = "https://jalon.gouv.fr"
    settings.JALON_LINK_SECRET = "test-link-secret"
