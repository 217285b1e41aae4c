"""The NATINF referential at full size: importing an edition, and the offence picker.

Run: ``.venv/bin/python bench/natinf.py [--rows 17163] [--queries 1000] [--no-report]``.
It creates and migrates a throwaway database ``jalon_bench_natinf`` on the server of
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/``), and measures, through
the product's own paths:

- the import of a full-size edition with ``manage.py import_natinf`` (the command agents and
  deployments run: reading, decoding, checking every row, writing, word index), then the
  same file again (nothing changes), then a next edition where 2 % of the numbers are gone,
  1 % reworded and 1 % new;
- the picker (``jalon.cases.picker.search_offences``) on that referential: numbers typed
  from their beginning and words of qualifications typed as agents do (first letters,
  accents dropped or not, upper case), drawn at random (seed 1) from the file, not from
  the database or the code under test.

The official list holds about 17,000 rows; the project ships the 580 real rows of the
July 2026 edition, so the full-size file is synthetic (``jalon/cases/synthetic.py``: real
natures, texts and wordings recombined under new numbers, in the official format).
It writes its section of ``docs/benchmarks.md`` and drops the database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import database_facts, machine, write_section  # noqa: E402

DB_NAME = "jalon_bench_natinf"
SERVER_URL = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
ADMIN_URL = urlunsplit(SERVER_URL._replace(path="/postgres"))
SECTION = "## NATINF referential: import and offence picker (issue 14)"
TARGET_IMPORT_S, TARGET_PICKER_P95_MS = 10.0, 50.0
WARM_UP = 50


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)


def setup() -> None:
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(
        {
            "DATABASE_URL": urlunsplit(SERVER_URL._replace(path=f"/{DB_NAME}")),
            "DJANGO_SETTINGS_MODULE": "jalon.settings",
            "DEBUG": "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def timed_import(path: Path, edition: str, day: date) -> tuple[float, str]:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command(
        "import_natinf",
        str(path),
        "--edition",
        edition,
        "--in-force-from",
        day.isoformat(),
        stdout=out,
    )
    return time.perf_counter() - started, out.getvalue().strip().splitlines()[-1]


def next_edition(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    """2 % of the numbers gone, 1 % reworded, 1 % new (numbers above the file's)."""
    count = len(rows)
    gone = set(rng.sample(range(count), count // 50))
    kept = [row for index, row in enumerate(rows) if index not in gone]
    for row in rng.sample(kept, count // 100):
        row[2] = row[2] + " (rédaction modifiée)"
    top = max(int(row[0]) for row in rows)
    new = [
        [str(top + 1 + index), row[1], row[2] + " aggravé", row[3], row[4]]
        for index, row in enumerate(rng.sample(kept, count // 100))
    ]
    return kept + new


def typed_like_an_agent(words: list[str], rng: random.Random) -> str:
    """One to three words of a wording, each cut to its first letters, as typed in a hurry."""
    start = rng.randrange(len(words))
    chosen = words[start : start + rng.randint(1, 3)]
    typed = [word[: rng.randint(3, max(3, len(word)))] for word in chosen]
    text = " ".join(typed)
    if rng.random() < 0.5:  # accents dropped, as on many keyboards
        text = "".join(
            c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
        )
    return text.upper() if rng.random() < 0.2 else text


def picker_queries(rows: list[list[str]], count: int, rng: random.Random) -> list[str]:
    queries = []
    for _ in range(count):
        row = rng.choice(rows)
        if rng.random() < 0.3:
            number = row[0]
            queries.append(number[: rng.randint(2, len(number))])
        else:
            words = [w.strip(",.;:()«»'’") for w in row[2].split()]
            words = [w for w in words if len(w) >= 3]
            queries.append(typed_like_an_agent(words or ["infraction"], rng))
    return queries


def measure_picker(queries: list[str]) -> dict[str, float]:
    from django.db import connection, reset_queries

    from jalon.cases.picker import search_offences

    timings, found, sql = [], 0, []
    for index, query in enumerate([*queries[:WARM_UP], *queries]):
        reset_queries()
        started = time.perf_counter()
        result = search_offences(query)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= WARM_UP:
            timings.append(elapsed)
            found += bool(result)
            sql.append(len(connection.queries))
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "p99": percentile(timings, 0.99),
        "max": max(timings),
        "found": found / len(timings),
    }


def explain(query: str) -> str:
    """EXPLAIN ANALYZE of the SQL the picker ran for ``query``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jalon.cases.picker import search_offences

    with CaptureQueriesContext(connection) as captured:
        search_offences(query)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF) " + captured[-1]["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=17_163)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0]
    setup()
    from django.db import connection

    from jalon.cases.models import Offence, OffenceWord
    from jalon.cases.synthetic import synthetic_rows as build
    from jalon.cases.synthetic import to_file

    rng = random.Random(1)
    real_count = 580
    rows = build(args.rows, start=100_000)
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "natinf-full.csv", Path(folder) / "natinf-next.csv"
        first.write_bytes(to_file(rows))
        second.write_bytes(to_file(next_edition([list(row) for row in rows], rng)))
        first_s, first_summary = timed_import(first, "bench-1", date(2026, 7, 1))
        again_s, again_summary = timed_import(first, "bench-1", date(2026, 7, 1))
        next_s, next_summary = timed_import(second, "bench-2", date(2026, 10, 1))
    offences, words = Offence.objects.count(), OffenceWord.objects.count()
    queries = picker_queries(rows, args.queries, rng)
    picker = measure_picker(queries)
    plan = explain("pension alim")
    facts = database_facts()
    connection.close()
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    text = "\n".join(
        [
            SECTION,
            "",
            "Written by `bench/natinf.py` (`make bench`). A full-size edition in the official "
            "format (Windows-1252, `;`, the exact header line) is imported with "
            "`manage.py import_natinf`, then the same file again, then a next edition "
            "(2 % of the numbers gone, 1 % reworded, 1 % new). The file is synthetic: the "
            f"project ships {real_count} real rows of the July 2026 edition (Licence Ouverte), "
            "recombined under new numbers to the size of the real list "
            "(`jalon/cases/synthetic.py`). The picker is then asked "
            f"{args.queries:,} queries drawn at random (seed 1) from the file's rows, not from "
            "the database: 30 % number beginnings (2 digits to all), 70 % one to three words "
            "of a wording cut to their first letters, half without accents, a fifth upper "
            f"case; the first {WARM_UP} calls warm up and are not counted. Each call is the real "
            "`search_offences` (queries and ORM included) in one Python process.",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average at start {load}",
            f"- Machine: {machine()}",
            f"- PostgreSQL {facts['server']}, database `{DB_NAME}` ({facts['size']}), DEBUG off",
            f"- Referential after the runs: {offences:,} offences, {words:,} indexed words",
            "",
            "| Measure | Result | Target |",
            "|---|---|---|",
            f"| Import of {args.rows:,} rows, first edition | {first_s:.1f} s "
            f"({first_summary}) | ≤ {TARGET_IMPORT_S:.0f} s, "
            f"{verdict(first_s <= TARGET_IMPORT_S)} |",
            f"| Same file again | {again_s:.1f} s ({again_summary}) | changes nothing |",
            f"| Next edition | {next_s:.1f} s ({next_summary}) | ≤ {TARGET_IMPORT_S:.0f} s, "
            f"{verdict(next_s <= TARGET_IMPORT_S)} |",
            f"| Picker p50 / p95 / p99 / max | {picker['p50']:.1f} / {picker['p95']:.1f} / "
            f"{picker['p99']:.1f} / {picker['max']:.1f} ms | p95 ≤ {TARGET_PICKER_P95_MS:.0f} ms, "
            f"{verdict(picker['p95'] <= TARGET_PICKER_P95_MS)} |",
            f"| Queries that found at least one offence | {picker['found']:.3f} | |",
            "",
            "Plan of a word query (`pension alim`), after the runs:",
            "",
            "```",
            plan,
            "```",
        ]
    )
    print(text)
    if not args.no_report:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
