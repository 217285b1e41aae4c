"""A short load test, as in production: gunicorn, production settings, wrk on loopback.

It catches errors under concurrency (a 500, a redirect to the login screen, a lost
connection), not slowness: it is bounded in time (a few seconds of load) and in size (a
small synthetic dataset). ``bench/pages.py`` measures the speed with the same harness.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from bench.load import BENCH_SECRET_KEY, Server, database_url, run_wrk, wrk_path
from bench.pages import Page, _mixed, count_queries, pick_pages
from jalon.core.dburl import parse_database_url
from jalon.dataset.generate import Sizes, generate, reset

SIZES = Sizes(persons=400, appointments=2_000, pairs=10, situations=60)
SECONDS = 4
CONNECTIONS = 4


@dataclass
class Site:
    database_url: str
    pages: list[Page]


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    """A small dataset and agents' sessions, committed to the test database: the server is
    another process. Deleted when the module is done."""
    with django_db_blocker.unblock():
        generate(
            scale="small",
            seed=3,
            anchor=datetime.datetime.now(tz=datetime.UTC).date(),
            sizes=SIZES,
            do_reset=True,
            analyze=False,
        )
        with override_settings(SECRET_KEY=BENCH_SECRET_KEY):
            pages = pick_pages(seed=3)
        # The embedded database (no DATABASE_URL) is reached through a Unix socket.
        yield Site(database_url(connection.settings_dict), pages)
        with transaction.atomic():
            reset()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_session")


@pytest.mark.django_db
def test_agents_pages_answer_200_under_concurrent_load(site):
    assert wrk_path(), "wrk is missing: run scripts/system-deps.sh test (Debian package wrk)"
    assert all(page.requests for page in site.pages), [p.key for p in site.pages]
    with Server(site.database_url, workers=2) as server:
        trivial = run_wrk(server.url, [("/livez", "")], connections=CONNECTIONS, seconds=1)
        mixed = run_wrk(
            server.url, _mixed(site.pages, seed=3), connections=CONNECTIONS, seconds=SECONDS
        )
    assert trivial.errors == 0 and trivial.requests > 0
    assert mixed.errors == 0, f"{mixed.not_ok} non-200 (last {mixed.last_bad_status}), {mixed}"
    # Every page was served several times, not only the first ones of the list.
    assert mixed.requests >= len(site.pages) * 2


@pytest.mark.django_db
def test_the_benchmark_counts_queries_of_each_page(site):
    """The counts the benchmark reports come from real requests that answered 200."""
    with override_settings(SECRET_KEY=BENCH_SECRET_KEY):
        counts = count_queries(site.pages, per_page=2)
    assert set(counts) == {page.key for page in site.pages}
    assert all(values and min(values) > 0 for values in counts.values()), counts


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/jalon_ci",
        # pgserver's own form for the embedded server: the host is a socket directory.
        "postgresql://postgres:@/jalon?host=/srv/jalon/.pgdata",
        "postgres://jalon:p%40ss%2Fw@db.example:6432/jalon?sslmode=require",
    ],
)
def test_the_server_gets_the_database_the_tests_use(url):
    settings_dict = parse_database_url(url)
    assert parse_database_url(database_url(settings_dict)) == settings_dict
    assert parse_database_url(database_url(settings_dict, "autre"))["NAME"] == "autre"
