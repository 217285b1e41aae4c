from __future__ import annotations

import pytest
from django.core.cache import cache

from jalon.public import cache as public_cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered public pages are cached by service id and version: start each test empty."""
    cache.clear()
    public_cache.forget()
    yield
    cache.clear()
    public_cache.forget()


@pytest.fixture
def public_site(settings):
    settings.JALON_PUBLIC_BASE_URL = "https://jalon.gouv.fr"
    settings.JALON_LINK_SECRET = "test-link-secret"
