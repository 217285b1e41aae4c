"""Statistics dashboards under load: a service's, a TJ's, a court of appeal's and the national.

Run: ``.venv/bin/python bench/stats.py [--scale small|national] [--database NAME]``
(``make bench``). For ``small`` it builds a throwaway database ``jalon_bench_stats`` (migrate,
then ``generate_dataset --scale small --seed 1``) and drops it at the end, unless
``--database`` names one to reuse; for ``national`` it uses ``jalon_national``.

Steps, in one run:
1. Pick real agents of the data with their sessions written as a login would: the DPIPs of the
   busiest SPIPs (their service), the procureurs de la République of the busiest TJs, the
   procureurs généraux of the busiest courts of appeal (their ressort) and the national
   administrators (the national dashboard). Each opens the dashboard's default period (the
   last 28 days by week, compared with the 28 days before).
2. Count each dashboard's SQL queries and its cost served alone (Django test client in this
   process, second request of each URL).
3. Start gunicorn (``bench/load.py``), warm up, then run wrk on each dashboard alone; any
   answer other than 200 is an error.
4. Write the section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.identity import admin_sql, generate, prepare_database  # noqa: E402
from bench.load import LoadResult, Server, agent_cookie, django_on, run_wrk  # noqa: E402
from bench.pages import Cost, Page, _database_url, measure_alone  # noqa: E402
from bench.report import database_facts, machine, write_section  # noqa: E402

SECTION = "## Statistics dashboards under load, {scale} dataset (issue 16)"
COUNTED = 4  # URLs per dashboard whose queries and cost are measured alone


def pick_pages() -> list[Page]:
    """The dashboards and the agents who open them, busiest areas first (deterministic)."""
    from django.db.models import Count, Q

    from jalon.access.models import Agent, Jurisdiction
    from jalon.appointments.models import Appointment

    busiest_services = list(
        Appointment.objects.filter(service__kind="spip")
        .values("service_id")
        .annotate(n=Count("id"))
        .order_by("-n", "service_id")
        .values_list("service_id", flat=True)[:5]
    )
    dpips = (
        Agent.objects.filter(profile__code="dpip", is_active=True, service_id__in=busiest_services)
        .select_related("profile", "service")
        .order_by("pk")
    )
    tribunals = list(
        Jurisdiction.objects.filter(kind="tj")
        .annotate(n=Count("services__appointments"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:5]
    )
    procureurs = (
        Agent.objects.filter(
            profile__code="procureur_republique",
            is_active=True,
            service__jurisdiction_id__in=tribunals,
        )
        .select_related("profile", "service")
        .order_by("pk")
    )
    courts = list(
        Jurisdiction.objects.filter(kind="ca")
        .annotate(n=Count("tribunals__services", filter=Q(tribunals__services__kind="spip")))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:3]
    )
    generals = (
        Agent.objects.filter(
            profile__code="procureur_general", is_active=True, service__jurisdiction_id__in=courts
        )
        .select_related("profile", "service")
        .order_by("pk")
    )
    nationals = (
        Agent.objects.filter(profile__code="national_admin", is_active=True)
        .select_related("profile", "service")
        .order_by("pk")[:2]
    )
    if not (dpips and procureurs and generals and nationals):
        raise SystemExit("Missing agents in this database: generate a dataset first.")
    return [
        Page(
            "service",
            "Tableau de bord d’un service (SPIP)",
            300,
            [(f"/statistiques/service/{a.service_id}/", agent_cookie(a)) for a in dpips],
        ),
        Page(
            "jurisdiction",
            "Tableau de bord d’un TJ",
            500,
            [
                (f"/statistiques/juridiction/{a.service.jurisdiction_id}/", agent_cookie(a))
                for a in procureurs
            ],
        ),
        Page(
            "court_of_appeal",
            "Tableau de bord d’une cour d’appel (ressort)",
            500,
            [
                (f"/statistiques/juridiction/{a.service.jurisdiction_id}/", agent_cookie(a))
                for a in generals
            ],
        ),
        Page(
            "national",
            "Tableau de bord national",
            1000,
            [("/statistiques/national/", agent_cookie(a)) for a in nationals],
        ),
    ]


def report(args: argparse.Namespace, pages: list[Page], results: dict[str, LoadResult],
           costs: dict[str, list[Cost]], extra: dict[str, str]) -> str:  # fmt: skip
    rows, missed = [], []
    for page in pages:
        result = results[page.key]
        target = page.target_ms or 0
        verdict = "met" if result.p95_ms <= target else f"missed by {result.p95_ms - target:.0f} ms"
        if result.p95_ms > target or result.errors:
            missed.append(page.label)
        counts = [cost.queries for cost in costs[page.key]]
        queries = str(min(counts)) if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
        rows.append(
            f"| {page.label} | {len(page.requests)} | {result.requests:,} | "
            f"{result.per_second:.2f} | {result.p50_ms:.0f} | {result.p95_ms:.0f} | "
            f"{result.p99_ms:.0f} | {result.errors} | ≤ {target:.0f} ms | {verdict} | "
            f"{queries} | "
            f"{statistics.median(c.wall_ms for c in costs[page.key]):.0f} | "
            f"{statistics.median(c.sql_ms for c in costs[page.key]):.0f} |"
        )
    return "\n".join(
        [
            SECTION.format(scale=args.scale),
            "",
            "Written by `bench/stats.py` (`make bench`; `BENCH_SCALE=national make bench`). "
            f"gunicorn, {args.workers} sync workers, production settings; wrk on loopback at "
            f"{args.connections} connections for {args.seconds:.0f} s per dashboard, each "
            "connection replaying the dashboard's URLs with the sessions of the real agents who "
            "open them (DPIPs of the busiest SPIPs, procureurs of the busiest TJs, procureurs "
            "généraux of the busiest courts of appeal, national administrators), default period "
            "(the last 28 days by week, compared with the 28 days before). Figures are read live "
            "at each request: no cache. Queries and the cost served alone (wall, SQL) are the "
            f"median of {COUNTED} URLs' second request in the benchmark process.",
            "",
            f"- Machine: {machine()}; the server, PostgreSQL and wrk share its cores",
            f"- Software: Python {platform.python_version()}, PostgreSQL {extra['server']}",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; load average before the run "
            f"{extra['load']} (other work on the machine lengthens every latency)",
            f"- Dataset: scale `{args.scale}`, database `{extra['database']}` ({extra['size']}), "
            f"{extra['appointments']} convocations, {extra['messages']} SMS",
            "",
            "| Dashboard | URLs | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors "
            "| Target p95 | Verdict | Queries | Alone ms | SQL ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|",
            *rows,
            "",
            "Targets missed: " + ", ".join(missed) + "." if missed else "Every target is met.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--database", help="default: jalon_bench_stats or jalon_national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    def say(text: str) -> None:
        print(f"[stats {args.scale}] {text}", flush=True)

    load = Path("/proc/loadavg").read_text().split()[0]
    database, throwaway = prepare_database(args.scale, args.database, "jalon_bench_stats")
    database_url = _database_url(database)
    with django_on(database_url):
        from django.core.management import call_command
        from django.db import connection

        from jalon.appointments.models import Appointment
        from jalon.people.models import Person
        from jalon.sms.models import Message

        call_command("migrate", verbosity=0, skip_checks=True)
        if not Person.objects.exists():
            say(f"generating the {args.scale} dataset in {database} …")
            generate(args.scale, args.seed)
        pages = pick_pages()
        costs = measure_alone(pages, COUNTED)
        for page in pages:
            say(f"{page.key}: {[c.queries for c in costs[page.key]]} queries alone")
        extra = {
            **database_facts(),
            "database": database,
            "load": load,
            "appointments": f"{Appointment.objects.count():,}",
            "messages": f"{Message.objects.count():,}",
        }
        connection.close()
        results: dict[str, LoadResult] = {}
        started = time.monotonic()
        with Server(database_url, workers=args.workers, collect=False) as server:
            say(f"gunicorn on {server.url}, {args.workers} workers; warming up …")
            for page in pages:
                run_wrk(server.url, page.requests, connections=args.connections, seconds=3)
            for page in pages:
                results[page.key] = run_wrk(
                    server.url, page.requests, connections=args.connections, seconds=args.seconds
                )
                say(f"{page.key}: p95 {results[page.key].p95_ms:.0f} ms, "
                    f"errors {results[page.key].errors}")  # fmt: skip
        say(f"measured in {time.monotonic() - started:.0f} s")
        text = report(args, pages, results, costs, extra)
        print(text)
        write_section(SECTION.format(scale=args.scale), text)
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
