"""Pages under load: agents' pages served by gunicorn with production settings, measured with wrk.

Run: ``.venv/bin/python bench/pages.py [--scale small|national]`` (``make bench``).
For ``small`` it builds a throwaway database ``jalon_bench_pages`` (migrate, then
``generate_dataset --scale small --seed 1``) and drops it at the end; for ``national`` it
uses ``jalon_national`` (generated first when empty, about 30 minutes) and keeps it.

Steps, in one run:
1. Pick, in the data, the agents and URLs of each page: the CPIP of the SPIP that follows
   the most persons (person search by last name, person page, agenda day view of the
   agendas they see, home page) and the parquet agents of the TJ with the most situations
   (tracking table with its filters and pages). Their sessions are written as a login
   would (charter accepted).
2. Count the SQL queries of each page in this process (Django test client, same settings)
   on several URLs; at national scale the same counts are taken on a fresh small dataset
   too (a subprocess), and the two must be equal.
3. Start gunicorn (``--workers``, sync, as the Procfile), warm up, then run wrk at a fixed
   number of connections: the trivial view ``/livez`` (the framework's own limit on this
   server), each page alone, and a mixed scenario of all pages for ``--mixed-seconds``
   (5 minutes by default) in which any answer other than 200 is an error.
4. Write the section of ``docs/benchmarks.md``.

Latencies are wrk's (client side, on loopback: the server's time plus a few tens of µs).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.identity import (  # noqa: E402
    GENERATION_SECTION,
    SERVER_URL,
    admin_sql,
    generate,
    generation_section,
    prepare_database,
)
from bench.load import (  # noqa: E402
    LoadResult,
    Server,
    agent_cookie,
    database_url,
    django_on,
    run_wrk,
)
from bench.report import database_facts, machine, write_section  # noqa: E402

SECTION = "## Pages under load, {scale} dataset (issue 7)"
SAMPLE = 200  # URLs per page
COUNTED = 8  # URLs per page whose queries are counted


@dataclass
class Page:
    key: str
    label: str
    target_ms: float | None
    requests: list[tuple[str, str]] = field(default_factory=list)
    weight: int = 1
    agent_ids: list[int] = field(default_factory=list)  # whose sessions make the requests


def _database_url(name: str) -> str:
    """Database ``name`` on the server of DATABASE_URL (a TCP host or a socket directory)."""
    from jalon.core.dburl import parse_database_url

    return database_url(parse_database_url(urlunsplit(SERVER_URL)), name)


def pick_pages(seed: int) -> list[Page]:
    """The agents and URLs of each page, drawn from the data (deterministic for a seed)."""
    from django.db.models import Count

    from jalon.access.models import Agent, Service
    from jalon.access.rules.appointments import agendas_visible_to
    from jalon.access.rules.people import persons_visible_to
    from jalon.appointments.models import Slot
    from jalon.cases.models import Party, Procedure
    from jalon.people.models import Follow
    from jalon.situations.models import Situation

    rng = random.Random(seed)
    busiest = (
        Follow.objects.values("service_id")
        .annotate(persons=Count("id"))
        .order_by("-persons", "service_id")
        .first()
    )
    if busiest is None:
        raise SystemExit("No follow in this database: generate a dataset first.")
    service_id = busiest["service_id"]
    cpips = list(
        Agent.objects.filter(service_id=service_id, is_active=True, profile__code="cpip")
        .select_related("profile", "service")
        .order_by("pk")[:10]
    )
    cookies = [agent_cookie(agent) for agent in cpips]

    def spread(paths: list[str], jar: list[str]) -> list[tuple[str, str]]:
        return [(path, jar[index % len(jar)]) for index, path in enumerate(paths)]

    tribunal_id = Service.objects.get(pk=service_id).jurisdiction_id
    # Persons of that SPIP who are parties in procedures of its tribunal: the person page
    # with its procedures, convocations, SMS and timeline.
    person_ids = list(
        persons_visible_to(cpips[0])
        .filter(
            follows__service_id=service_id,
            pk__in=Party.objects.filter(procedure__tribunal_id=tribunal_id).values("person_id"),
        )
        .order_by("pk")
        .values_list("pk", "last_name")[:5_000]
    )
    chosen = rng.sample(person_ids, min(SAMPLE, len(person_ids)))
    # The parquet of that tribunal sees its procedures (page, search by numéro de parquet)
    # and, on the person page, the procedures section.
    prosecutors = list(
        Agent.objects.filter(
            service__jurisdiction_id=tribunal_id,
            service__kind="parquet",
            is_active=True,
            profile__code__in=["parquet", "prosecutor", "procureur_republique"],
        )
        .select_related("profile", "service")
        .order_by("pk")[:5]
    )
    penal_cookies = [agent_cookie(agent) for agent in prosecutors]
    procedures = list(
        Procedure.objects.filter(tribunal_id=tribunal_id)
        .order_by("pk")
        .values_list("pk", "parquet_number")[:50_000]
    )
    chosen_procedures = rng.sample(procedures, min(SAMPLE, len(procedures)))
    names = sorted({name for _, name in chosen})
    agendas = list(agendas_visible_to(cpips[0]).values_list("pk", flat=True))
    slots = list(
        Slot.objects.filter(agenda_id__in=agendas, appointments__isnull=False)
        .values_list("agenda_id", "starts_at", "agenda__place__service__time_zone")
        .distinct()
        .order_by("agenda_id", "starts_at")[:20_000]
    )
    days = sorted(
        {
            (agenda, starts.astimezone(ZoneInfo(zone)).date())
            for agenda, starts, zone in rng.sample(slots, min(SAMPLE, len(slots)))
        }
    )
    busiest_court = (
        Situation.objects.values("jurisdiction_id")
        .annotate(situations=Count("id"))
        .order_by("-situations", "jurisdiction_id")
        .first()
    )
    parquet = Agent.objects.filter(
        is_active=True, profile__code__in=["parquet", "procureur_republique"]
    ).select_related("profile", "service")
    if busiest_court:
        parquet = parquet.filter(service__jurisdiction_id=busiest_court["jurisdiction_id"])
    parquet_cookies = [agent_cookie(agent) for agent in parquet.order_by("pk")[:5]]
    table_paths = [
        "/situations/",
        "/situations/?page=2",
        "/situations/?echeance=retard",
        "/situations/?echeance=30j",
        "/situations/?appel=oui",
    ]
    return [
        Page(
            "search",
            "Recherche de personne (nom)",
            150,
            spread([f"/personnes/?{urlencode({'q': name})}" for name in names], cookies),
            weight=3,
        ),
        Page(
            "person",
            "Fiche personne",
            100,
            spread([f"/personnes/{pk}/" for pk, _ in chosen], cookies),
            weight=3,
        ),
        Page(
            "person_procedures",
            "Fiche personne vue du parquet (avec procédures)",
            100,
            spread([f"/personnes/{pk}/" for pk, _ in chosen], penal_cookies),
            weight=2,
        ),
        Page(
            "procedure",
            "Page procédure",
            100,
            spread([f"/procedures/{pk}/" for pk, _ in chosen_procedures], penal_cookies),
            weight=2,
        ),
        Page(
            "parquet_lookup",
            "Recherche par numéro de parquet (page)",
            20,
            spread(
                [
                    f"/procedures/?{urlencode({'q': f'{n[:2]} {n[2:5]} {n[5:]}'})}"
                    for _, n in chosen_procedures
                ],
                penal_cookies,
            ),
            weight=2,
            agent_ids=[agent.pk for agent in prosecutors],
        ),
        Page(
            "agenda_day",
            "Agenda, vue jour",
            100,
            spread(
                [f"/agendas/{agenda}/calendrier/?vue=jour&date={day}" for agenda, day in days],
                cookies,
            ),
            weight=2,
        ),
        Page("home", "Accueil", None, spread(["/"] * len(cookies), cookies)),
        Page(
            "situations",
            "Tableau de suivi des situations",
            200,
            spread(table_paths * 4, parquet_cookies),
        ),
    ]


@dataclass
class Cost:
    """One request served alone in this process: what it costs, split."""

    queries: int
    wall_ms: float
    python_cpu_ms: float
    sql_ms: float  # as timed by Django around each query (round trip included)


def measure_alone(pages: list[Page], per_page: int = COUNTED) -> dict[str, list[Cost]]:
    """The first ``per_page`` URLs of each page, each requested twice; the second is kept."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    costs: dict[str, list[Cost]] = {}
    for page in pages:
        costs[page.key] = []
        for path, cookie in page.requests[:per_page]:
            client = Client(SERVER_NAME="127.0.0.1")
            name, _, value = cookie.partition("=")
            client.cookies[name] = value
            client.get(path, secure=True)
            with CaptureQueriesContext(connection) as queries:
                cpu, started = time.process_time(), time.perf_counter()
                response = client.get(path, secure=True)
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} in process")
            sql = sum(float(query["time"]) for query in queries.captured_queries)
            costs[page.key].append(Cost(len(queries), wall * 1000, cpu * 1000, sql * 1000))
    return costs


LOOKUPS = 1_000
LOOKUP_TARGET_MS = 20.0


def measure_lookup(seed: int, pages: list[Page]) -> dict[str, float]:
    """The lookup by numéro de parquet itself, in this process: the parquet agent's scope
    and the exact number, as the search page runs it (``procedures_visible_to`` then
    ``with_parquet_number``, the page's first 20 rows read). Numbers of the agent's tribunal,
    and one in ten of another tribunal (found nowhere in the scope)."""
    from jalon.access.models import Agent
    from jalon.access.rules.cases import procedures_visible_to
    from jalon.cases.models import Procedure

    page = next(page for page in pages if page.key == "parquet_lookup")
    rng = random.Random(seed)
    agent = Agent.objects.select_related("profile", "service__jurisdiction").get(
        pk=page.agent_ids[0]
    )
    tribunal = agent.service.jurisdiction_id
    own = list(
        Procedure.objects.filter(tribunal_id=tribunal).values_list("parquet_number", flat=True)[
            :50_000
        ]
    )
    others = list(
        Procedure.objects.exclude(tribunal_id=tribunal).values_list("parquet_number", flat=True)[
            :50_000
        ]
    )
    numbers = [rng.choice(others if rng.random() < 0.1 else own) for _ in range(LOOKUPS + 50)]
    times, found = [], 0
    for index, number in enumerate(numbers):
        started = time.perf_counter()
        rows = list(procedures_visible_to(agent).with_parquet_number(number).for_list()[:20])
        elapsed = (time.perf_counter() - started) * 1000
        if index >= 50:  # warm-up
            times.append(elapsed)
            found += bool(rows)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times) + 0.5) - 1)],
        "max": times[-1],
        "found": found / len(times),
    }


def count_queries(pages: list[Page], per_page: int = COUNTED) -> dict[str, list[int]]:
    """Queries of the first ``per_page`` URLs of each page (after one warm-up request)."""
    return {
        key: [cost.queries for cost in costs]
        for key, costs in measure_alone(pages, per_page).items()
    }


def _mixed(pages: list[Page], seed: int) -> list[tuple[str, str]]:
    mixed = [request for page in pages for _ in range(page.weight) for request in page.requests]
    random.Random(seed).shuffle(mixed)
    return mixed


def measure(
    pages: list[Page], database_url: str, args: argparse.Namespace, say: Callable[[str], None]
) -> dict[str, Any]:
    results: dict[str, LoadResult] = {}
    with Server(database_url, workers=args.workers, collect=False) as server:
        say(f"gunicorn on {server.url}, {args.workers} workers; warming up …")
        run_wrk(server.url, _mixed(pages, args.seed), connections=args.connections, seconds=10)
        results["trivial"] = run_wrk(
            server.url, [("/livez", "")], connections=args.connections, seconds=args.seconds
        )
        say(f"trivial view: {results['trivial'].per_second:.0f} req/s")
        for page in pages:
            results[page.key] = run_wrk(
                server.url, page.requests, connections=args.connections, seconds=args.seconds
            )
            say(
                f"{page.key}: p95 {results[page.key].p95_ms:.1f} ms, "
                f"{results[page.key].per_second:.1f} req/s, errors {results[page.key].errors}"
            )
        results["mixed"] = run_wrk(
            server.url,
            _mixed(pages, args.seed),
            connections=args.mixed_connections,
            seconds=args.mixed_seconds,
        )
        say(f"mixed: {results['mixed'].requests} requests, errors {results['mixed'].errors}")
    return results


def _counts_text(values: list[int]) -> str:
    if not values:
        return "—"
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def report(
    args: argparse.Namespace,
    pages: list[Page],
    results: dict[str, LoadResult],
    counts: dict[str, list[int]],
    small_counts: dict[str, list[int]] | None,
    extra: dict[str, str],
    costs: dict[str, list[Cost]],
    lookup: dict[str, float] | None = None,
) -> str:
    trivial = results["trivial"]
    mixed = results["mixed"]
    rows = []
    missed = []
    for page in pages:
        result = results[page.key]
        target = f"≤ {page.target_ms:.0f} ms" if page.target_ms else "—"
        if page.target_ms is None:
            verdict = ""
        elif result.p95_ms <= page.target_ms:
            verdict = "met"
        else:
            verdict = f"missed by {result.p95_ms - page.target_ms:.0f} ms"
            missed.append(page.label)
        rows.append(
            f"| {page.label} | {result.requests:,} | {result.per_second:.1f} | "
            f"{result.per_second / trivial.per_second:.3f} | {result.p50_ms:.1f} | "
            f"{result.p95_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | {target} | {verdict} |"
        )
    count_rows = []
    for page in pages:
        national = _counts_text(counts[page.key])
        if small_counts is not None:
            small = _counts_text(small_counts.get(page.key, []))
            same_bound = max(small_counts.get(page.key, [0])) == max(counts[page.key])
            equal = "yes" if same_bound else "**no**"
            count_rows.append(f"| {page.label} | {small} | {national} | {equal} |")
        else:
            count_rows.append(f"| {page.label} | {national} |")
    count_header = (
        ["| Page | Queries, small | Queries, national | Same maximum |", "|---|---:|---:|---|"]
        if small_counts is not None
        else [f"| Page | Queries, {args.scale} |", "|---|---:|"]
    )
    return "\n".join(
        [
            SECTION.format(scale=args.scale),
            "",
            "Written by `bench/pages.py` (`make bench`; `BENCH_SCALE=national make bench`). "
            f"gunicorn, {args.workers} sync workers (the Procfile's server), `JALON_ENV=production`,"
            " `DEBUG` off, `DATABASE_CONN_MAX_AGE=60`, static files collected; wrk on loopback, "
            "each connection replaying its page's URLs in turn with the sessions of real agents "
            f"of the data (several agents per page). A run per page lasts {args.seconds:.0f} s "
            f"at {args.connections} connections (requests in flight, no think time); the mixed "
            f"run lasts {args.mixed_seconds:.0f} s at {args.mixed_connections} connections. "
            "Any answer other than 200 (a redirect to the login screen included) is an error. "
            "The ratio is the page's throughput over the trivial view's (`/livez`, no database, "
            "same middleware) on the same server in the same run.",
            "",
            f"- Machine: {machine()}; the server, PostgreSQL and wrk share its cores",
            f"- Software: Python {platform.python_version()}, PostgreSQL {extra['server']}",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; load average before the run "
            f"{extra['load']}",
            f"- Dataset: scale `{args.scale}`, database `{extra['database']}` ({extra['size']}), "
            f"{extra['persons']} persons, {extra['appointments']} convocations, "
            f"{extra['situations']} situations, {extra['procedures']} penal procedures",
            f"- URLs: {', '.join(f'{page.key} {len(page.requests)}' for page in pages)}",
            "",
            "| Page | Requests | Req/s | Ratio to trivial | p50 ms | p95 ms | p99 ms | Errors "
            "| Target p95 | Verdict |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
            f"| Trivial view `/livez` | {trivial.requests:,} | {trivial.per_second:.1f} | 1 | "
            f"{trivial.p50_ms:.1f} | {trivial.p95_ms:.1f} | {trivial.p99_ms:.1f} | "
            f"{trivial.errors} | | |",
            *rows,
            f"| **Mixed scenario** | {mixed.requests:,} | {mixed.per_second:.1f} | "
            f"{mixed.per_second / trivial.per_second:.3f} | {mixed.p50_ms:.1f} | "
            f"{mixed.p95_ms:.1f} | {mixed.p99_ms:.1f} | {mixed.errors} | 0 errors | "
            f"{'met' if mixed.errors == 0 else 'missed'} |",
            "",
            "Mixed weights: " + ", ".join(f"{page.key} {page.weight}" for page in pages) + ".",
            "",
            "SQL queries per page (Django test client in the benchmark process, second request "
            f"of each of {COUNTED} URLs). A range means the URLs differ in what they show, not "
            "in the size of the data: a person without convocations skips the query of their "
            "types, for instance. The maximum must be the same at both scales:",
            "",
            *count_header,
            *count_rows,
            "",
            "What a request costs served alone (same process, sequential, median of the "
            f"{COUNTED} URLs): wall time, the Python CPU of Django (view, ORM, templates, "
            "middleware), and the time spent in SQL round trips. Under load, the latency is "
            "this service time plus the wait for a core: the server's workers, PostgreSQL and "
            "wrk share two.",
            "",
            "| Page | Wall ms | Python CPU ms | SQL ms |",
            "|---|---:|---:|---:|",
            *(
                f"| {page.label} | {statistics.median(c.wall_ms for c in costs[page.key]):.1f} | "
                f"{statistics.median(c.python_cpu_ms for c in costs[page.key]):.1f} | "
                f"{statistics.median(c.sql_ms for c in costs[page.key]):.1f} |"
                for page in pages
            ),
            "",
            *(
                [
                    f"Lookup by numéro de parquet itself ({LOOKUPS:,} numbers, one in ten of "
                    "another tribunal; the parquet agent's scope and the exact number as the "
                    "search page runs them, in this process, queries included): p50 "
                    f"{lookup['p50']:.1f} ms, p95 {lookup['p95']:.1f} ms, max "
                    f"{lookup['max']:.1f} ms; found {lookup['found']:.2f} of the numbers. "
                    f"Target p95 ≤ {LOOKUP_TARGET_MS:.0f} ms: "
                    f"{'met' if lookup['p95'] <= LOOKUP_TARGET_MS else 'missed'}.",
                    "",
                ]
                if lookup
                else []
            ),
            (
                "Targets missed: " + ", ".join(missed) + "."
                if missed
                else "Every p95 target is met."
            ),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--database", help="default: jalon_bench_pages or jalon_national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--mixed-seconds", type=float, default=300)
    parser.add_argument(
        "--connections", type=int, default=2, help="per page: one request in flight per core"
    )
    parser.add_argument(
        "--mixed-connections", type=int, default=4, help="mixed run: twice as many agents"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--counts-only", type=Path, help="write the query counts here and stop")
    args = parser.parse_args()

    def say(text: str) -> None:
        print(f"[pages {args.scale}] {text}", flush=True)

    load = Path("/proc/loadavg").read_text().split()[0]
    database, throwaway = prepare_database(args.scale, args.database, "jalon_bench_pages")
    log: list[str] = []
    database_url = _database_url(database)
    with django_on(database_url):
        from django.core.management import call_command
        from django.db import connection

        from jalon.appointments.models import Appointment
        from jalon.cases.models import Procedure
        from jalon.people.models import Person
        from jalon.situations.models import Situation

        call_command("migrate", verbosity=0, skip_checks=True)
        if not Person.objects.exists():
            say(f"generating the {args.scale} dataset in {database} …")
            log = generate(args.scale, args.seed)
        pages = pick_pages(args.seed)
        costs = measure_alone(pages)
        counts = {key: [cost.queries for cost in values] for key, values in costs.items()}
        if args.counts_only:
            args.counts_only.write_text(json.dumps(counts))
            connection.close()
            if throwaway:
                admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            return
        lookup = measure_lookup(args.seed, pages)
        say(f"lookup by numéro de parquet: p95 {lookup['p95']:.1f} ms")
        small_counts = None
        if args.scale == "national":
            say("counting the same pages' queries on a small dataset …")
            with tempfile.NamedTemporaryFile(suffix=".json") as output:
                subprocess.run(
                    [sys.executable, __file__, "--scale=small", f"--counts-only={output.name}"],
                    check=True,
                )
                small_counts = json.loads(Path(output.name).read_text())
        extra = {
            **database_facts(),
            "load": load,
            "database": database,
            "persons": f"{Person.objects.count():,}",
            "appointments": f"{Appointment.objects.count():,}",
            "situations": f"{Situation.objects.count():,}",
            "procedures": f"{Procedure.objects.count():,}",
        }
        connection.close()
        started = time.monotonic()
        results = measure(pages, database_url, args, say)
        say(f"measured in {time.monotonic() - started:.0f} s")
        text = report(args, pages, results, counts, small_counts, extra, costs, lookup)
        print(text)
        write_section(SECTION.format(scale=args.scale), text)
        if log:
            generation = generation_section(args, log, extra)
            write_section(GENERATION_SECTION.format(scale=args.scale), generation)
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
