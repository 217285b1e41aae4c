"""The monthly anonymised export (CAS-18): time to build one month at scale.

Run: ``.venv/bin/python bench/infocentre.py [--scale small|national] [--persons N]
[--appointments N] [--database NAME] [--no-report]``.
For ``small`` (or when ``--persons`` is given) it creates a throwaway database
``jalon_bench_infocentre`` on the server of ``DATABASE_URL``, migrates it and fills it with
``generate_dataset --scale small --seed 1`` (with the overrides), then drops it at the end.
For ``national`` it reuses ``jalon_national`` (or ``--database``), generated first only when
empty, and kept; the measure itself writes nothing there (it builds the tables and the zip in
memory; the ``MonthlyExport`` row and the job are measured on the throwaway databases only).

Measured, through the product's own functions: ``infocentre.build_tables`` (the set-based
queries and the cell suppression of every table) and ``infocentre.write_zip``, for the month
with the most convocations in the dataset, three runs (the first warms the caches), plus
the queries each run issued and the ``EXPLAIN ANALYZE`` of the convocation query. Target:
≤ 2 minutes at national scale (issue 16, point 8).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.identity import admin_sql, setup  # noqa: E402
from bench.report import database_facts, machine, write_section  # noqa: E402

SECTION = "## Monthly anonymised export, {scale} dataset (issue 16, CAS-18)"
THROWAWAY = "jalon_bench_infocentre"
TARGET_S = 120.0
RUNS = 3


def busiest_month() -> date:
    """The finished month with the most convocations."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', starts_at AT TIME ZONE 'Europe/Paris')::date, count(*) "
            "FROM appointments_appointment WHERE starts_at < date_trunc('month', now()) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else date(2026, 1, 1)


def measure(month: date) -> dict[str, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jalon.stats import infocentre

    now = datetime.now(UTC)
    timings, build, queries = [], [], 0
    tables: list[infocentre.Table] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            tables = infocentre.build_tables(month, now=now)
        built = time.perf_counter() - started
        content = infocentre.write_zip(tables, month, now)
        timings.append(time.perf_counter() - started)
        build.append(built)
        queries = len(captured.captured_queries)
    convocation_sql = next(
        q["sql"] for q in captured.captured_queries if "appointments_appointment" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) " + convocation_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "first": timings[0],
        "median": statistics.median(timings),
        "build": statistics.median(build),
        "queries": queries,
        "size": len(content),
        "rows": {t.key: len(t.rows) for t in tables},
        "hidden": {t.key: t.hidden for t in tables},
        "cells": {
            t.key: (t.protected.rows * t.protected.columns if t.protected else 0) for t in tables
        },
        "booked": sum(sum(values) for _, values in tables[0].rows),
        "plan": plan,
    }


def measure_job(month: date) -> float:
    """The whole path: request (row, history, job), then the job's work; throwaway DB only."""
    from jalon.stats import infocentre_actions

    started = time.perf_counter()
    export = infocentre_actions.request_export(month, agent=None)
    infocentre_actions.generate(export.pk)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--database", help="default: jalon_bench_infocentre or jalon_national")
    parser.add_argument("--persons", type=int)
    parser.add_argument("--appointments", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0]
    throwaway = args.database is None and (args.scale == "small" or args.persons is not None)
    database = args.database or (THROWAWAY if throwaway else "jalon_national")
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{database}"')
    else:
        with contextlib.suppress(Exception):  # it exists: reuse it
            admin_sql(f'CREATE DATABASE "{database}"')
    setup(database)
    from django.core.management import call_command
    from django.db import connection

    from jalon.appointments.models import Appointment
    from jalon.people.models import Person

    generation = 0.0
    if throwaway:
        call_command("migrate", verbosity=0, skip_checks=True)
    if not Person.objects.exists():
        overrides = [f"--persons={args.persons}"] if args.persons else []
        overrides += [f"--appointments={args.appointments}"] if args.appointments else []
        print(f"[infocentre] generating the {args.scale} dataset in {database} …", flush=True)
        started = time.perf_counter()
        call_command(
            "generate_dataset", f"--scale={args.scale}", f"--seed={args.seed}", *overrides,
            stdout=StringIO(),
        )  # fmt: skip
        generation = time.perf_counter() - started
    persons, appointments = Person.objects.count(), Appointment.objects.count()
    month = busiest_month()
    result = measure(month)
    job = measure_job(month) if throwaway else None
    facts = database_facts()
    connection.close()
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    scale = args.scale if args.persons is None else f"{args.scale} with {persons:,} persons"
    verdict = "met" if result["median"] <= TARGET_S else "**missed**"  # type: ignore[operator]
    rows, hidden, cells = result["rows"], result["hidden"], result["cells"]
    text = "\n".join(
        [
            SECTION.format(scale=scale),
            "",
            "Written by `bench/infocentre.py` (`make bench`). One month (the dataset's busiest) "
            "built by `jalon.stats.infocentre.build_tables` (set-based queries: convocations by "
            "service and type with the deleted persons' counts, SMS through "
            "`queries.message_tallies`, persons followed at the month's end by postal-code "
            "département and age; then primary and secondary suppression of each table) and "
            f"zipped with its dictionary by `write_zip`, {RUNS} runs in one Python process.",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average at start {load}",
            f"- Machine: {machine()}",
            f"- PostgreSQL {facts['server']}, database `{database}` ({facts['size']}), DEBUG off",
            f"- Dataset: {persons:,} persons, {appointments:,} convocations"
            + (f" (generated in {generation:.0f} s)" if generation else "")
            + f"; month {month:%Y-%m}: {result['booked']:,} convocations",
            "",
            "| Measure | Result | Target |",
            "|---|---|---|",
            f"| Build + zip, median of {RUNS} | {result['median']:.2f} s | "
            f"≤ {TARGET_S:.0f} s, {verdict} |",
            f"| First run (cold) | {result['first']:.2f} s | |",
            f"| Of which tables and suppression (median) | {result['build']:.2f} s | |",
            f"| Queries per build | {result['queries']} | fixed, whatever the data |",
            f"| Zip size | {result['size'] / 1024:.0f} KiB | |",
            "| Rows (convocations, SMS, persons) | "
            + ", ".join(f"{rows[k]:,}" for k in rows)  # type: ignore[index]
            + " | |",
            "| Hidden cells / cells (with margins) | "
            + ", ".join(f"{hidden[k]:,} / {cells[k]:,}" for k in rows)  # type: ignore[index]
            + " | |",
            *(
                [f"| Whole job (request, generation, row written) | {job:.2f} s | |"]
                if job is not None
                else []
            ),
            "",
            "Plan of the convocation query:",
            "",
            "```",
            str(result["plan"]),
            "```",
        ]
    )
    print(text)
    if not args.no_report:
        write_section(SECTION.format(scale=scale), text)


if __name__ == "__main__":
    main()
