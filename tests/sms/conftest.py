from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from tests.factories import PersonFactory
from tests.sms.chaos import daytime_zone
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


# A working Monday, 10:00 in Paris: delivery checks the quiet hours against the clock.
DAYTIME = dt.datetime(2027, 7, 5, 8, 0, tzinfo=dt.UTC)


def _shares_the_database_clock(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def daytime(request: pytest.FixtureRequest) -> Iterator[dt.datetime | None]:
    """The clock runs from a working morning (``frozen_now`` inside a test stops it).

    Not for transactional tests: their workers (threads or processes) compare job times with
    PostgreSQL's own clock, which this cannot move; they use ``daytime_zone`` instead."""
    if _shares_the_database_clock(request):
        yield None
        return
    with time_machine.travel(DAYTIME, tick=True):
        yield DAYTIME


@pytest.fixture
def service_in_daytime(org):
    """SPIP Alpha, moved to a time zone where it is daytime for the whole test."""
    org.spip_alpha.time_zone = daytime_zone()
    org.spip_alpha.save(update_fields=["time_zone"])
    return org.spip_alpha
