"""Who invites a person to their space (access/rules/space.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jalon.access.rules import space as rules
from tests.factories import PersonFactory, ServiceFactory


@pytest.fixture
def person(org):
    return PersonFactory(followed_by=[org.spip_alpha])


@pytest.mark.parametrize(
    ("code", "where", "allowed"),
    [
        ("cpip", "own", True),
        ("dpip", "own", True),
        ("local_admin", "own", True),
        ("secretary_spip", "own", False),
        ("educator", "own", False),
        ("cpip", "other", False),
        ("dpip", "other", False),
        ("local_admin", "other", False),
        ("jap", "sap", False),
        ("national_admin", "national", False),
    ],
)
def test_who_may_invite(make_agent, org, person, code, where, allowed):
    service = {
        "own": org.spip_alpha,
        "other": None,
        "sap": org.sap_alpha,
        "national": org.national,
    }[where]
    if service is None:
        service = ServiceFactory(kind="spip", jurisdiction=org.tj_beta)
    agent = make_agent(code, service=service)
    assert rules.can_invite_to_space(agent, person) is allowed


def test_a_referent_cpip_invites_even_after_the_service_follow_ended(make_agent, org):
    other = ServiceFactory(kind="spip", jurisdiction=org.tj_beta)
    referent = make_agent("cpip", service=other)
    person = PersonFactory(followed_by=[org.spip_alpha], referent=referent)
    assert rules.can_invite_to_space(referent, person)


@pytest.mark.parametrize("flag", ["no_phone", "refuses_sms", "archived"])
def test_nobody_invites_a_person_who_takes_no_sms(cpip, person, flag):
    if flag == "no_phone":
        person.phone = None
    elif flag == "refuses_sms":
        person.refuses_sms = True
    else:
        person.archived_at = timezone.now()
    person.save()
    assert not rules.can_invite_to_space(cpip, person)


def test_an_inactive_agent_invites_nobody(cpip, person):
    cpip.is_active = False
    assert not rules.can_invite_to_space(cpip, person)
