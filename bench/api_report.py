"""The section of docs/benchmarks.md that ``bench/api.py`` writes."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bench.load import LoadResult
from bench.report import machine

if TYPE_CHECKING:
    from bench.api import Cost, Scenario

SECTION = "## API under load, {scale} dataset (issue 15)"
COUNTED = 8  # requests per scenario whose queries are counted
READ_TARGET_MS = 100.0


def _counts_text(values: list[int]) -> str:
    if not values:
        return "—"
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def _busy_machine(load: str, trivial: LoadResult) -> list[str]:
    """A warning when the machine was busy before the run: latencies then measure the wait
    for a core more than the API."""
    cores = os.cpu_count() or 1
    if float(load) <= cores:
        return []
    return [
        f"**The machine was busy**: load average {load} on {cores} cores before the run (other "
        f"processes), the trivial view served {trivial.per_second:.0f} req/s. The latencies "
        "above are mostly the wait for a core; the costs served alone say what a request "
        "needs. Rerun on a quiet machine to judge the targets.",
        "",
    ]


def report(
    args: argparse.Namespace,
    scenarios: list[Scenario],
    results: dict[str, LoadResult],
    costs: dict[str, list[Cost]],
    other: tuple[str, dict[str, list[int]]] | None,
    extra: dict[str, Any],
) -> str:
    trivial, mixed = results["trivial"], results["mixed"]
    rows, missed = [], []
    for scenario in scenarios:
        result = results[scenario.key]
        met = result.p95_ms <= scenario.target_ms and result.errors == 0
        verdict = (
            "met"
            if met
            else (
                f"missed by {result.p95_ms - scenario.target_ms:.0f} ms"
                if result.p95_ms > scenario.target_ms
                else "errors"
            )
        )
        if not met:
            missed.append(scenario.label)
        rows.append(
            f"| {scenario.label} | {result.requests:,} | {result.per_second:.1f} | "
            f"{result.p50_ms:.1f} | {result.p95_ms:.1f} | {result.p99_ms:.1f} | "
            f"{result.errors} | ≤ {scenario.target_ms:.0f} ms | {verdict} |"
        )
    counts = {key: [cost.queries for cost in values] for key, values in costs.items()}
    if other is not None:
        other_label, other_counts = other
        count_header = [
            f"| Endpoint | Queries, {other_label} | Queries, {args.scale} | Same maximum |",
            "|---|---:|---:|---|",
        ]
        count_rows = [
            f"| {s.label} | {_counts_text(other_counts.get(s.key, []))} | "
            f"{_counts_text(counts[s.key])} | "
            f"{'yes' if max(other_counts.get(s.key, [0])) == max(counts[s.key]) else '**no**'} |"
            for s in scenarios
        ]
    else:
        count_header = [f"| Endpoint | Queries, {args.scale} |", "|---|---:|"]
        count_rows = [f"| {s.label} | {_counts_text(counts[s.key])} |" for s in scenarios]
    booking = next(s for s in scenarios if s.writes)
    return "\n".join(
        [
            SECTION.format(scale=args.scale),
            "",
            "Written by `bench/api.py` (`make bench`; `BENCH_SCALE=national make bench`), with "
            "the pages' harness (`bench/load.py`): gunicorn, "
            f"{args.workers} sync workers, `JALON_ENV=production`, `DEBUG` off, "
            "`DATABASE_CONN_MAX_AGE=60`; wrk on loopback replaying each scenario's requests in "
            "turn with the key of an API client made for the bench (`Authorization: Bearer`), "
            "acting for the SPIP that follows the most persons (`Jalon-Service`) and, for the "
            "procedures, for the parquet of its tribunal. A run per scenario lasts "
            f"{args.seconds:.0f} s at {args.connections} connections (no think time); the mixed "
            f"run lasts {args.mixed_seconds:.0f} s at {args.mixed_connections} connections. "
            "Any answer other than a 2xx is an error. Each booking is a real one: a "
            "`POST /convocations` on a free date (type "
            f"{extra['booking_type']}), each on its own person and moment drawn in advance "
            "(working days six to twelve months ahead, clear of the person's convocations), "
            "with a fresh `Idempotency-Key` made by the wrk script: never a replay, never "
            "refused for a clash.",
            "",
            f"- Machine: {machine()}; the server, PostgreSQL and wrk share its cores",
            f"- Software: Python {platform.python_version()}, PostgreSQL {extra['server']}",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; load average before the run "
            f"{extra['load']}",
            f"- Dataset: scale `{args.scale}`, database `{extra['database']}` ({extra['size']}), "
            f"{extra['persons']} persons, {extra['appointments']} convocations, "
            f"{extra['procedures']} penal procedures; the SPIP follows {extra['followed']} persons",
            "- Requests per scenario: "
            + ", ".join(
                f"{s.key} {extra['bookings'] if s.writes else len(s.requests)}" for s in scenarios
            ),
            "",
            "| Endpoint | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors | Target p95 "
            "| Verdict |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|",
            f"| Trivial view `/livez` | {trivial.requests:,} | {trivial.per_second:.1f} | "
            f"{trivial.p50_ms:.1f} | {trivial.p95_ms:.1f} | {trivial.p99_ms:.1f} | "
            f"{trivial.errors} | | |",
            *rows,
            f"| **Mixed scenario** | {mixed.requests:,} | {mixed.per_second:.1f} | "
            f"{mixed.p50_ms:.1f} | {mixed.p95_ms:.1f} | {mixed.p99_ms:.1f} | {mixed.errors} | "
            f"0 errors | {'met' if mixed.errors == 0 else 'missed'} |",
            "",
            "Mixed weights: " + ", ".join(f"{s.key} {s.weight}" for s in scenarios) + ".",
            f"Bookings made by the run: {extra['booked']:,} "
            f"({booking.label.lower()}, the mixed run included).",
            "",
            "SQL queries per endpoint (Django test client in the benchmark process, second "
            f"request of each of {COUNTED}; for the booking, {COUNTED} bookings after one). "
            "They must not grow with the data: the maximum must be the same at both sizes.",
            "",
            *count_header,
            *count_rows,
            "",
            "What a request costs served alone (same process, sequential, median): wall time, "
            "Python CPU (ninja, ORM, serialisation, middleware) and SQL round trips.",
            "",
            "| Endpoint | Wall ms | Python CPU ms | SQL ms |",
            "|---|---:|---:|---:|",
            *(
                f"| {s.label} | {statistics.median(c.wall_ms for c in costs[s.key]):.1f} | "
                f"{statistics.median(c.python_cpu_ms for c in costs[s.key]):.1f} | "
                f"{statistics.median(c.sql_ms for c in costs[s.key]):.1f} |"
                for s in scenarios
            ),
            "",
            (
                "Targets missed: " + ", ".join(missed) + "."
                if missed
                else "Every p95 target is met, without errors."
            ),
            "",
            *_busy_machine(extra["load"], trivial),
        ]
    )
