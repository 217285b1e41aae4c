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

from bench.api import (
    CLIENT_NAME,
    Bench,
    bench_client,
    booking_pool,
    measure_alone,
    pick_scenarios,
)
from bench.load import (
    BENCH_SECRET_KEY,
    Server,
    WrkRequest,
    database_url,
    listing_line,
    run_wrk,
    wrk_path,
)
from bench.pages import Page, _mixed, count_queries, pick_pages
from jalon.api.models import ApiClient, IdempotencyRecord
from jalon.appointments.models import Appointment
from jalon.core.dburl import parse_database_url
from jalon.dataset.generate import Sizes, generate, reset
from tests.conftest import restore_committed_state

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
        # The server's bookings queued SMS jobs: procrastinate's tables are not the dataset's.
        restore_committed_state()


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


@dataclass
class Partner:
    bench: Bench
    pool: list[dict[str, Any]]


@pytest.fixture(scope="module")
def partner(site: Site, django_db_blocker: Any) -> Iterator[Partner]:
    """The API benchmark's client (its key, the SPIP and the parquet it acts for) and a pool
    of bookings, committed for the server; deleted before the dataset is."""
    with django_db_blocker.unblock():
        bench = bench_client()
        yield Partner(bench, booking_pool(bench, 400, seed=3))
        ApiClient.objects.filter(name=CLIENT_NAME).delete()


def test_a_wrk_request_line_carries_a_method_headers_and_a_json_body():
    request = WrkRequest(
        "/api/v1/convocations",
        "POST",
        (("Authorization", "Bearer jalon_x"), ("Jalon-Service", "4")),
        '{"person_id": 1}',
    )
    assert listing_line(request) == (
        'POST /api/v1/convocations\tAuthorization: Bearer jalon_x\tJalon-Service: 4\t{"person_id": 1}'
    )
    assert listing_line(("/personnes/", "sessionid=abc")) == "/personnes/\tsessionid=abc"
    with pytest.raises(ValueError):
        WrkRequest("/api/v1/persons", body="not json").line()


@pytest.mark.django_db
def test_wrk_sends_api_requests_and_every_post_books_with_a_fresh_idempotency_key(site, partner):
    bench = partner.bench
    reads = [bench.get("/persons?limit=5"), bench.get("/referentials/appointment-types")]
    bookings = [bench.post("/convocations", body) for body in partner.pool[:300]]
    no_key = WrkRequest("/api/v1/persons", headers=(("Accept", "application/json"),))
    before = Appointment.objects.filter(created_by=bench.agent).count()
    with Server(site.database_url, workers=2) as server:
        refused = run_wrk(server.url, [no_key], connections=1, seconds=1, accept_2xx=True)
        read = run_wrk(server.url, reads, connections=2, seconds=1, accept_2xx=True)
        booked = run_wrk(server.url, bookings, connections=2, seconds=2, accept_2xx=True)
    # Without the Authorization header the API refuses: the script counts it.
    assert refused.requests > 0 and refused.not_ok == refused.requests
    assert refused.last_bad_status == 401
    # With it (and Jalon-Service), the reads answer 200.
    assert read.requests > 0 and read.errors == 0, read
    # Every POST was a new booking (201): its own key, never a replay nor a clash.
    assert 0 < booked.requests <= len(bookings), booked
    assert booked.errors == 0, f"{booked.not_ok} non-2xx (last {booked.last_bad_status})"
    made = Appointment.objects.filter(created_by=bench.agent).count() - before
    keys = IdempotencyRecord.objects.filter(client__name=CLIENT_NAME, key__startswith="bench-")
    # wrk stops with a request in flight on each connection: it may be served, not counted.
    assert booked.requests <= made <= booked.requests + 2
    assert keys.count() == made
    assert keys.filter(status_code=201).count() == made


@pytest.mark.django_db
def test_the_api_benchmark_counts_queries_of_each_endpoint(partner):
    scenarios = pick_scenarios(partner.bench, seed=3, bookings=list(partner.pool[300:]))
    assert all(scenario.requests for scenario in scenarios), [s.key for s in scenarios]
    costs = measure_alone(scenarios, per_scenario=1)
    assert set(costs) == {scenario.key for scenario in scenarios}
    assert all(values and values[0].queries > 0 for values in costs.values()), costs
