from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from jalon.access.models import Agent, Profile, Service
from jalon.access.roles import ServiceKind
from jalon.access.seed import sync_seed_profiles
from tests.factories import (
    AgentFactory,
    CourtOfAppealFactory,
    ServiceFactory,
    TribunalFactory,
    profile,
)


@pytest.fixture(autouse=True)
def _fast_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Organisation:
    """Two ressorts in one CA (Alpha and Beta), each with its SAP, BEX and SPIP."""

    tj_alpha: Any
    tj_beta: Any
    ca: Any
    sap_alpha: Service
    bex_alpha: Service
    spip_alpha: Service
    sap_beta: Service
    national: Service


@pytest.fixture
def org(db: None) -> Organisation:
    sync_seed_profiles(Profile)  # transactional tests flush the rows the migration seeded
    ca = CourtOfAppealFactory(code="ca-test", name="Cour d’appel de Test")
    tj_alpha = TribunalFactory(code="tj-alpha", name="TJ Alpha", court_of_appeal=ca)
    tj_beta = TribunalFactory(code="tj-beta", name="TJ Beta", court_of_appeal=ca)
    return Organisation(
        tj_alpha=tj_alpha,
        tj_beta=tj_beta,
        ca=ca,
        sap_alpha=ServiceFactory(name="SAP Alpha", kind=ServiceKind.SAP, jurisdiction=tj_alpha),
        bex_alpha=ServiceFactory(name="BEX Alpha", kind=ServiceKind.BEX, jurisdiction=tj_alpha),
        spip_alpha=ServiceFactory(
            name="SPIP Alpha", kind=ServiceKind.SPIP, jurisdiction=tj_alpha, served=[tj_alpha]
        ),
        sap_beta=ServiceFactory(name="SAP Beta", kind=ServiceKind.SAP, jurisdiction=tj_beta),
        national=ServiceFactory(national=True),
    )


@pytest.fixture
def make_agent(org: Organisation) -> Callable[..., Agent]:
    def make(
        profile_code: str = "greff_sap", service: Service | None = None, **kwargs: Any
    ) -> Agent:
        return AgentFactory(
            profile=profile(profile_code), service=service or org.sap_alpha, **kwargs
        )

    return make


@pytest.fixture
def client_for(client: Client) -> Callable[[Agent], Client]:
    """A client logged in as ``agent`` (charter accepted by the factory)."""

    def login(agent: Agent) -> Client:
        client.force_login(agent, backend="jalon.access.backends.AgentBackend")
        return client

    return login
