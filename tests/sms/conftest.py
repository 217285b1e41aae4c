from __future__ import annotations

import pytest

from tests.factories import PersonFactory
from tests.sms.fake_provider import WEBHOOK_SECRET, fake_provider  # noqa: F401 - fixture


@pytest.fixture
def person(org):
    return PersonFactory(followed_by=[org.spip_alpha], phone="+33612345678")


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.JALON_SMS_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def use_fake_provider(fake_provider, settings, monkeypatch):  # noqa: F811
    """Make the application's gateway talk to the fake provider over HTTP."""
    from jalon.sms import gateway

    for name, value in fake_provider.environment().items():
        monkeypatch.setenv(name, value)
    settings.JALON_SMS_PROVIDER = "linkmobility"
    gateway.provider.cache_clear()
    yield fake_provider
    gateway.provider.cache_clear()
