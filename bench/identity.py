"""Identity: the duplicate lookup (``find_duplicates``) on a synthetic country.

Run: ``.venv/bin/python bench/identity.py [--scale small|national] [--random 1000]``.
For ``small`` it creates a throwaway database ``jalon_bench_identity`` on the server of
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/``), migrates it and fills
it with ``generate_dataset --scale small --seed 1`` (timed), then drops it at the end. For
``national`` it reuses the database ``jalon_national`` (``--database``) and generates it
first only when it is empty (about 30 minutes; ``--persons-only`` generates the persons,
their follows, history and the injected pairs without convocations, SMS or situations,
which is all the lookup reads); it is kept. ``--generation-log`` adds the ``[time]`` lines
of an earlier ``generate_dataset`` run to the report.

Probes: every injected pair (the variant's identity looked up, the variant itself excluded;
the truth says whether the original is the same person) and ``--random`` persons drawn
outside the pairs. Each lookup is the real ``find_duplicates`` call, queries and Python
scoring included, timed with ``time.perf_counter``. Recall and precision per injected kind
and overall, the false-alarm rate on random persons, p50/p95 latency and one
``EXPLAIN ANALYZE`` of the candidate query are written to ``docs/benchmarks.md``
(``SECTION``).

Precision: for each injected variant looked up, every person returned (probable or certain)
that is not its original is a false positive, all of them for the negative controls; a
true positive is the original of a positive pair returned. Random persons are reported apart
(share of lookups returning anyone): the dataset holds no duplicate of them, so anything
returned is a false alarm an agent would see.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import database_facts, machine, write_section  # noqa: E402

SERVER_URL = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
ADMIN_URL = urlunsplit(SERVER_URL._replace(path="/postgres"))
SECTION = "## Identity: duplicate lookup on the {scale} synthetic dataset (issue 7)"
GENERATION_SECTION = "## Synthetic {scale} dataset generation (`generate_dataset`, issue 7)"
TARGET_P95_MS, TARGET_RECALL, TARGET_PRECISION = 20.0, 0.95, 0.95
WARM_UP = 20


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)


def setup(database: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": urlunsplit(SERVER_URL._replace(path=f"/{database}")),
            "DJANGO_SETTINGS_MODULE": "jalon.settings",
            "DEBUG": "0",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
    )
    import django

    django.setup()


def prepare_database(scale: str, chosen: str | None, throwaway_name: str) -> tuple[str, bool]:
    """The database to measure: at small scale (unless one is chosen) a new throwaway one,
    else ``chosen`` or ``jalon_national``, created when missing and kept."""
    throwaway = scale == "small" and not chosen
    database = chosen or (throwaway_name if throwaway else "jalon_national")
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{database}"')
    else:
        with contextlib.suppress(Exception):  # it exists: reuse it
            admin_sql(f'CREATE DATABASE "{database}"')
    return database, throwaway


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def generate(scale: str, seed: int, persons_only: bool = False) -> list[str]:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    # One convocation (0 means "the scale's count"): persons and pairs are all we read.
    only = ["--appointments=1", "--situations=0"] if persons_only else []
    call_command("generate_dataset", f"--scale={scale}", f"--seed={seed}", *only, stdout=out)
    return out.getvalue().splitlines()


def lookup(person: Any) -> tuple[float, float, set[int], int]:
    from django.db import connection, reset_queries

    from jalon.people.duplicates import find_duplicates

    reset_queries()
    cpu = time.process_time()
    started = time.perf_counter()
    report = find_duplicates(
        last_name=person.last_name,
        first_names=person.first_names,
        birth_date=person.birth_date,
        appi_number=person.appi_number,
        phone=person.phone,
        exclude_pk=person.pk,
    )
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu) * 1000
    found = {p.pk for p in report.probable} | {p.pk for p, _ in report.certain}
    return elapsed, cpu, found, len(connection.queries)


def measure(random_count: int, seed: int, max_pairs: int | None) -> dict[str, Any]:
    from django.db import connection

    from jalon.appointments.models import Appointment
    from jalon.dataset.models import IdentityPair
    from jalon.people.models import Person

    # The kinds cycle with the ids: the first ``max_pairs`` hold every kind evenly.
    pairs = list(IdentityPair.objects.select_related("variant").order_by("pk")[:max_pairs])
    same: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        if pair.is_duplicate:
            same[pair.variant_id].add(pair.original_id)
            same[pair.original_id].add(pair.variant_id)
    in_pairs = set(same) | {pair.original_id for pair in pairs} | {p.variant_id for p in pairs}
    max_id = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(seed)
    sample_ids: list[int] = []
    while len(sample_ids) < random_count and max_id:
        candidate = rng.randint(1, max_id)
        if candidate not in in_pairs and candidate not in sample_ids:
            sample_ids.append(candidate)
    sampled = list(Person.objects.filter(pk__in=sample_ids))
    connection.force_debug_cursor = True  # count queries per lookup
    probes: list[tuple[Any, str | None, int | None]] = [
        (pair.variant, pair.kind, pair.original_id) for pair in pairs
    ] + [(person, None, None) for person in sampled]
    rng.shuffle(probes)
    for person, _, _ in probes[:WARM_UP]:
        lookup(person)
    latencies: list[float] = []
    cpu_times: list[float] = []
    queries: Counter[int] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for person, kind, original in probes:
        elapsed, cpu, found, count = lookup(person)
        latencies.append(elapsed)
        cpu_times.append(cpu)
        queries[count] += 1
        truth = same.get(person.pk, set())
        tally = by_kind[kind or "random"]
        tally["probes"] += 1
        if kind is not None and original in truth:
            hit = original in found
            tally["tp" if hit else "fn"] += 1
        tally["fp"] += len(found - truth)
        tally["flagged"] += bool(found - truth)
    connection.force_debug_cursor = False
    explain = explain_candidates(probes[0][0])
    candidates = candidate_counts([person for person, _, _ in probes[:500]])
    return {
        "pairs": len(pairs),
        "positives": sum(p.is_duplicate for p in pairs),
        "random": len(sampled),
        "probes": len(probes),
        "latencies": latencies,
        "cpu_times": cpu_times,
        "queries": queries,
        "by_kind": by_kind,
        "explain": explain,
        "candidates": candidates,
        "persons": Person.objects.count(),
        "has_appointments": Appointment.objects.count() > 1,
    }


def blocks(person: Any) -> Any:
    """The candidate rows ``find_duplicates`` reads for ``person`` (its blocking keys)."""
    from django.db.models import Q

    from jalon.people.models import Person

    condition = Q(birth_date=person.birth_date)
    if person.last_name_phonetic and person.first_name_phonetic:
        condition |= Q(
            last_name_phonetic=person.last_name_phonetic,
            first_name_phonetic=person.first_name_phonetic,
        )
    if person.appi_number:
        condition |= Q(appi_number=person.appi_number)
    if person.phone:
        condition |= Q(phone=person.phone)
    return Person.objects.filter(condition).exclude(pk=person.pk).order_by()


def explain_candidates(person: Any) -> str:
    return blocks(person).values_list("pk", "birth_date", "last_name_key").explain(analyze=True)


def candidate_counts(persons: list[Any]) -> list[int]:
    return [blocks(person).count() for person in persons]


def report(args: argparse.Namespace, result: dict[str, Any], extra: dict[str, str]) -> str:
    latencies = result["latencies"]
    p50, p95 = percentile(latencies, 0.50), percentile(latencies, 0.95)
    by_kind = result["by_kind"]
    injected = {kind: c for kind, c in by_kind.items() if kind != "random"}
    tp = sum(c["tp"] for c in injected.values())
    fn = sum(c["fn"] for c in injected.values())
    fp = sum(c["fp"] for c in injected.values())
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0

    def ratio(numerator: int, denominator: int) -> str:
        return f"{numerator / denominator:.3f}" if denominator else "–"

    positive_rows = [
        f"| {kind} | {c['probes']} | {ratio(c['tp'], c['tp'] + c['fn'])} | {c['fp']} | "
        f"{ratio(c['tp'], c['tp'] + c['fp'])} |"
        for kind, c in sorted(injected.items())
        if c["tp"] + c["fn"]
    ]
    negative_rows = [
        f"| {kind} (negative control) | {c['probes']} | | {c['fp']} | "
        f"{ratio(c['flagged'], c['probes'])} flagged |"
        for kind, c in sorted(injected.items())
        if not c["tp"] + c["fn"]
    ]
    random = by_kind.get("random", Counter())
    candidates = result["candidates"]
    queries = ", ".join(f"{n} queries × {c}" for n, c in sorted(result["queries"].items()))

    def verdict(ok: bool, text: str) -> str:
        return f"met ({text})" if ok else f"missed ({text})"

    lines = [
        SECTION.format(scale=args.scale),
        "",
        "Written by `bench/identity.py` (`make bench`, `BENCH_SCALE=national make bench`). "
        "Dataset from `manage.py generate_dataset` (seed 1); its injected near-duplicate pairs "
        "(`dataset.IdentityPair`) are the ground truth. Each probe calls the real "
        "`jalon.people.duplicates.find_duplicates` with the variant's identity (name, birth "
        "date, APPI, phone; the variant itself excluded) in one Python process, queries and "
        "scoring included; the first "
        f"{WARM_UP} calls warm up and are not counted. The injected errors are those of real "
        "files, drawn by `jalon/dataset/identity.py` without the matcher's keys or "
        'normalisation (section "Identity: the ground truth and the matcher" above). '
        "A true positive is "
        "the original of a positive pair returned (probable or certain); for each injected "
        "variant looked up, every other person returned is a false positive (all of them for "
        "the negative controls). Random persons, of whom the dataset holds no duplicate, are "
        "reported apart: the share of their lookups that return anyone.",
        "",
        f"- Machine: {machine()}",
        f"- Software: Python {platform.python_version()}, PostgreSQL {extra['server']}, DEBUG off",
        f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; load average before the run "
        f"{extra['load']} (the two cores are shared with other work)",
        f"- Dataset: scale `{args.scale}`, database `{extra['database']}` "
        f"({extra['size']}), {result['persons']:,} persons, {result['pairs']:,} injected pairs probed "
        f"({result['positives']:,} same person, {result['pairs'] - result['positives']:,} "
        f"negative controls), {result['random']:,} random persons{extra['generation']}",
        f"- Candidates read per lookup (same birth date, or last name and first word of the "
        f"first names sounding the same, or same APPI or phone): median "
        f"{statistics.median(candidates):.0f}, p95 {percentile(candidates, 0.95):.0f}, "
        f"max {max(candidates)}; {queries}",
        "",
        "| Measure | Value | Target |",
        "|---|---:|---:|",
        f"| Lookups timed | {len(latencies):,} | |",
        f"| Latency p50 | {p50:.1f} ms | |",
        f"| Latency p95 | {p95:.1f} ms | ≤ {TARGET_P95_MS:.0f} ms |",
        f"| Latency max | {max(latencies):.1f} ms | |",
        f"| Client CPU per lookup p50 / p95 | {percentile(result['cpu_times'], 0.5):.1f} / "
        f"{percentile(result['cpu_times'], 0.95):.1f} ms | |",
        f"| Recall | {recall:.3f} ({tp}/{tp + fn}) | ≥ {TARGET_RECALL} |",
        f"| Precision | {precision:.3f} ({tp}/{tp + fp}) | ≥ {TARGET_PRECISION} |",
        f"| Random persons with a false alarm | {ratio(random['flagged'], random['probes'])} "
        f"({random['flagged']}/{random['probes']}, {random['fp']} persons returned) | |",
        "",
        "| Injected kind | Pairs | Recall | False positives | Precision |",
        "|---|---:|---:|---:|---:|",
        *positive_rows,
        *negative_rows,
        "",
        f"Median wall time minus median client CPU, {p50 - percentile(result['cpu_times'], 0.5):.1f}"
        " ms, is spent waiting: for PostgreSQL (its execution time is in the plan below) and "
        f"for a free core (load average {extra['load']} on 2 cores).",
        "",
        "Verdict: latency p95 "
        + verdict(p95 <= TARGET_P95_MS, f"{p95:.1f} ms against {TARGET_P95_MS:.0f} ms")
        + "; recall "
        + verdict(recall >= TARGET_RECALL, f"{recall:.3f}")
        + "; precision "
        + verdict(precision >= TARGET_PRECISION, f"{precision:.3f}")
        + ".",
        "",
        "Candidate query (`EXPLAIN ANALYZE`, first probe):",
        "",
        *("    " + line for line in result["explain"].splitlines()),
        "",
    ]
    return "\n".join(lines)


def generation_section(args: argparse.Namespace, log: list[str], extra: dict[str, str]) -> str:
    timings = [line.strip() for line in log if line.startswith("[time]")]
    counts = [
        line.strip()
        for line in log
        if re.match(r"^[a-z]+: [\d,]+$", line.strip()) and not line.startswith("[")
    ]
    return "\n".join(
        [
            GENERATION_SECTION.format(scale=args.scale),
            "",
            "`manage.py generate_dataset --scale "
            f"{args.scale} --seed 1` (via `bench/identity.py`, or its log with "
            "`--generation-log`): organisation through the ORM, persons and all that hangs "
            "from them with `COPY` by chunks of 20,000 persons, plain indexes dropped during "
            "the load and rebuilt after, foreign-key triggers off for the session "
            "(the test suite checks the references), one transaction, then `VACUUM (ANALYZE)`.",
            "",
            f"- Machine: {machine()}",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; database `{extra['database']}`, "
            f"{extra['size']} on disk",
            "",
            "Rows: " + "; ".join(counts) + ".",
            "",
            "| Phase | Seconds |",
            "|---|---:|",
            *(
                f"| {name.removeprefix('[time] ').rsplit(':', 1)[0]} | "
                f"{name.rsplit(':', 1)[1].strip().removesuffix(' s')} |"
                for name in timings
            ),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", choices=["small", "national"], default=os.environ.get("BENCH_SCALE", "small")
    )
    parser.add_argument("--database", help="default: jalon_bench_identity or jalon_national")
    parser.add_argument("--random", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generation-log", type=Path)
    parser.add_argument("--max-pairs", type=int, help="probe only the first N injected pairs")
    parser.add_argument(
        "--persons-only",
        action="store_true",
        help="when generating: persons, follows, history and pairs only (what the lookup reads)",
    )
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0]
    database, throwaway = prepare_database(args.scale, args.database, "jalon_bench_identity")
    setup(database)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, skip_checks=True)
    from jalon.people.models import Person

    log: list[str] = []
    if not Person.objects.exists():
        print(f"Generating the {args.scale} dataset in {database} …")
        log = generate(args.scale, args.seed, args.persons_only)
    elif args.generation_log:
        log = args.generation_log.read_text().splitlines()
    print("Measuring …")
    result = measure(args.random, args.seed, args.max_pairs)
    extra = {**database_facts(), "load": load, "database": database}
    extra["generation"] = (
        ""
        if result["has_appointments"]
        else "; persons-only generation (no convocations, SMS or situations: the lookup reads none)"
    )
    text = report(args, result, extra)
    print(text)
    write_section(SECTION.format(scale=args.scale), text)
    if log and not args.persons_only:  # a persons-only run is not the dataset's generation
        generation = generation_section(args, log, extra)
        print(generation)
        write_section(GENERATION_SECTION.format(scale=args.scale), generation)
    connection.close()
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
