from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client

from jalon.access.models import Agent, Profile, Service
from jalon.access.roles import ServiceKind
from jalon.access.seed import sync_seed_profiles
from jalon.appointments.models import AppointmentType
from jalon.appointments.seed import sync_seed_types
from jalon.cases import law
from jalon.cases import migrations as case_migrations
from jalon.public.models import InfoPage
from jalon.public.seed import create_initial_pages
from jalon.situations.models import Policy
from jalon.situations.seed import sync_seed_policies
from tests.dates import AWKWARD_MOMENTS, PARIS
from tests.factories import (
    AgendaFactory,
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


# --- Isolation of the tests that commit ------------------------------------------------------
#
# A test with ``transaction=True`` (or a live server) commits, and Django's flush afterwards
# empties only the tables of managed models: procrastinate's jobs, events and workers
# survive it (a later test running the worker would send another test's e-mails), and the
# rows the data migrations seeded (profiles, appointment types, policies) are gone for the
# tests after it. Both are restored once the flush has run, that is after every fixture of
# the test was torn down: hence a hook, not a fixture (fixture teardown order is not ours).


def _commits(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get(
        "transaction", bool(marker.args and marker.args[0])
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def restore_committed_state() -> None:
    """Empty procrastinate's tables and put back the seeded reference rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'"
        )
        tables = cursor.fetchone()[0]
        if tables:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    sync_seed_profiles(Profile)
    sync_seed_types(AppointmentType)
    sync_seed_policies(Policy)
    create_initial_pages(InfoPage)
    _seed_legal_rules()


def _seed_legal_rules() -> None:
    """The legal rules the ``cases`` data migrations seed (``*_seed_*``, idempotent
    ``update_or_create``): without them the judgment calendar and the checks run with no law."""
    for module in pkgutil.iter_modules(case_migrations.__path__):
        if "_seed_" in module.name:
            migration = importlib.import_module(f"{case_migrations.__name__}.{module.name}")
            migration.seed(django_apps, None)


@pytest.fixture(autouse=True)
def _fresh_legal_rules() -> None:
    """The legal rules are cached per request (``cases.law``); a test calling actions directly
    runs outside any request, and a rollback sends no signal: start each test afresh."""
    law.clear_cache()


@pytest.fixture(autouse=True)
def _remember_db_blocker(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    request.node.stash[_BLOCKER] = django_db_blocker


_BLOCKER = pytest.StashKey[Any]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    blocker = item.stash.get(_BLOCKER, None)
    # After the last test the test database is already destroyed: nothing to restore.
    if blocker is not None and nextitem is not None and _commits(item):
        with blocker.unblock():
            restore_committed_state()
    return result


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Before the test database is dropped, end the sessions the tests left open on it:
    sync tasks run by the in-process procrastinate worker (``tests/jobs.py``) open Django
    connections in the worker's executor threads, which nothing closes, and
    ``DROP DATABASE`` then fails with "is being accessed by other users"."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


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
    # Already there (migrations, restored after each test that commits): an idempotent guard.
    sync_seed_profiles(Profile)
    sync_seed_types(AppointmentType)
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
def cpip(make_agent: Callable[..., Agent], org: Organisation) -> Agent:
    """A CPIP of SPIP Alpha."""
    return make_agent("cpip", service=org.spip_alpha)


@pytest.fixture
def client_for(client: Client) -> Callable[[Agent], Client]:
    """A client logged in as ``agent`` (charter accepted by the factory)."""

    def login(agent: Agent) -> Client:
        client.force_login(agent, backend="jalon.access.backends.AgentBackend")
        return client

    return login


@dataclass
class Agendas:
    spip_alpha: Any
    sap_alpha: Any
    sap_beta: Any


@pytest.fixture
def agendas(org: Organisation) -> Agendas:
    """One place and agenda in SPIP Alpha, SAP Alpha and SAP Beta."""
    return Agendas(
        spip_alpha=AgendaFactory(place__service=org.spip_alpha, place__name="SPIP Alpha — siège"),
        sap_alpha=AgendaFactory(place__service=org.sap_alpha, place__name="TJ Alpha — SAP"),
        sap_beta=AgendaFactory(place__service=org.sap_beta, place__name="TJ Beta — SAP"),
    )


@pytest.fixture(params=list(AWKWARD_MOMENTS))
def awkward_day(request: pytest.FixtureRequest) -> Iterator[datetime.datetime]:
    """Runs the test once under each of ``tests.dates.AWKWARD_MOMENTS`` (the clock then
    moves on from there). A date-sensitive test asks for it first, before the fixtures
    that choose its dates."""
    moment = AWKWARD_MOMENTS[request.param]
    with time_machine.travel(moment, tick=True):
        yield moment


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--frozen-day",
        metavar="ISO",
        help="run every test with the clock starting at this moment (e.g. 2026-12-24T23:30; "
        "Paris time when naive): finds the tests that depend on the day they run",
    )


@pytest.fixture(autouse=True)
def _frozen_day(request: pytest.FixtureRequest) -> Iterator[None]:
    value = request.config.getoption("--frozen-day")
    if not value:
        yield
        return
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def frozen_now() -> Iterator[datetime.datetime]:
    """Monday 5 July 2027, 10:00 in Paris (08:00 UTC): a working day with 14 July ahead."""
    moment = datetime.datetime(2027, 7, 5, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment.timestamp(), tick=False):
        yield moment


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """pytest-randomly shuffles the tests; its seed is printed even with ``-q``, to replay
    an order that failed."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and not config.getoption("randomly_dont_reorganize", False):
        terminalreporter.write_line(
            f"Random order, seed {seed}: replay it with "
            f'make test PYTEST_ARGS="-n 2 --randomly-seed={seed}"'
        )
