from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import make_password

from jalon.space import actions, sessions
from jalon.space.models import SpaceAccount
from tests.factories import PersonFactory
from tests.sms.fake_provider import fake_provider  # noqa: F401 - fixture

PHONE = "+33612345678"
TYPED = "06 12 34 56 78"
PASSWORD = "mon chat dort au soleil"


@pytest.fixture
def person(org, cpip):
    return PersonFactory(
        followed_by=[org.spip_alpha],
        phone=PHONE,
        referent=cpip,
        birth_date=datetime.date(1990, 5, 17),
        last_name="Bernard",
        first_names="Lucie",
    )


@pytest.fixture
def account(person):
    return SpaceAccount.objects.create(person=person, phone=PHONE, password=make_password(PASSWORD))


@pytest.fixture
def space_client(client, account):
    """A browser logged in to the person's space (its own cookie, no agent session)."""
    client.cookies[sessions.COOKIE] = actions.open_session(account)
    return client
