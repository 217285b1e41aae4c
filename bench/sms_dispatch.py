"""SMS dispatch: due reminders handed to the local fake provider, against a no-op job rate.

Run: ``.venv/bin/python bench/sms_dispatch.py [--count 100000] [--workers 3]
[--concurrency 4] [--conn-max-age 60]``. It creates and migrates a throwaway database
``jalon_bench_sms`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``), writes ``--count`` persons, convocations and
reminders due now with their sending jobs (not timed), starts the fake LINK Mobility of
``tests/sms/fake_provider.py`` (no failure, no latency) and ``--workers`` ``manage.py
procrastinate worker --concurrency …`` processes, and times them until every reminder is
``sent``. Then, in the same database, as many jobs of a no-op task run on as many workers
with the same concurrency (the task lives in this script, which then starts ``manage.py
procrastinate worker`` itself: ``--noop-worker``). The workers keep their database
connections ``--conn-max-age`` seconds (``DATABASE_CONN_MAX_AGE``; with the application's
default, 0, every job opens a new one). Both rates, their ratio, and where the CPU went are
written to ``docs/benchmarks.md`` (``SECTION``); the database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine, write_section  # noqa: E402

DB_NAME = "jalon_bench_sms"
SERVER_URL = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
BENCH_URL = urlunsplit(SERVER_URL._replace(path=f"/{DB_NAME}"))
ADMIN_URL = urlunsplit(SERVER_URL._replace(path="/postgres"))
SECTION = "## SMS dispatch (reminders handed to the provider)"
TARGET_SECONDS, TARGET_RATIO = 120.0, 0.5
SEND_TASK, NOOP_TASK = "jalon.sms.tasks.send_message", "bench.noop"
BATCH = 5_000
PROFILE_COUNT = 1_000  # extra reminders sent one by one in this process, phases timed
ENV = {"DATABASE_URL": BENCH_URL, "DJANGO_SETTINGS_MODULE": "jalon.settings", "DEBUG": "0"}
ENV |= {"JALON_ENV": "development", "LOG_LEVEL": "WARNING", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
ENV |= {"JALON_SMS_PROVIDER": "linkmobility"}
TICK = os.sysconf("SC_CLK_TCK")
CONN_MAX_AGE = 60  # the application's default is 0: a new connection per job


def admin_sql(statement: str) -> int:
    """Run ``statement`` on the server's ``postgres`` database; the server version number."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)
        return int(connection.info.server_version)


# --- The no-op task, and the worker that knows it ----------------------------------------


def register_noop() -> Any:
    from procrastinate.contrib.django import app

    def noop() -> None:
        """Does nothing: what is left is procrastinate's own cost per job."""

    return app.task(name=NOOP_TASK, queue="bench", pass_context=False)(noop)


def noop_worker(argv: list[str]) -> None:
    """``manage.py procrastinate worker …`` with the no-op task registered first."""
    import django

    django.setup()
    register_noop()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "procrastinate", "worker", *argv])


# --- Dataset ----------------------------------------------------------------------------


def prepare_database() -> str:
    """Create and migrate the throwaway database; the server's version."""
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    version = admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return f"{version // 10000}.{version % 10000}"


def create_reminders(count: int, first: int = 0) -> list[int]:
    """``count`` persons, each with a convocation in two days and its reminder due now."""
    from jalon.access.roles import ServiceKind
    from jalon.appointments.models import Agenda
    from tests.factories import AgendaFactory, ServiceFactory, appointment_type
    from tests.sms.chaos import daytime_zone, make_due_reminders

    agenda = Agenda.objects.filter(name="Bench SMS").first()
    if agenda is None:
        # Delivery holds SMS during the service's quiet hours: whenever the bench runs,
        # its service is somewhere it is daytime.
        service = ServiceFactory(name="SPIP Bench", kind=ServiceKind.SPIP, time_zone=daytime_zone())
        agenda = AgendaFactory(name="Bench SMS", place__service=service, place__name="Bench")
    return make_due_reminders(
        agenda,
        appointment_type("spip_follow_up"),
        count,
        first=first,
        name="Banc",
        phones="+3363",
        schedule=False,
    )


def defer(task: Any, kwargs: Iterator[dict[str, Any]], count: int) -> None:
    """Jobs by batches, with procrastinate's ``batch_defer`` (one query per batch)."""
    batch: list[dict[str, Any]] = []
    for n, arguments in enumerate(kwargs, 1):
        batch.append(arguments)
        if len(batch) == BATCH or n == count:
            task.batch_defer(*batch)
            batch = []


def defer_sending_jobs(ids: list[int]) -> None:
    """One sending job per reminder, as ``jalon.sms.tasks.schedule`` writes it (same task,
    queue, arguments and ``queueing_lock``), by batches of rows in one statement each."""
    from django.db import connection

    from jalon.sms import delivery

    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            cursor.execute(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args) "
                "SELECT 'sms', %s, %s || id, jsonb_build_object('message_id', id) "
                "FROM unnest(%s::bigint[]) AS id",
                [SEND_TASK, delivery.JOB_LOCK_PREFIX, chunk],
            )


# --- Measures ---------------------------------------------------------------------------


def cpu_busy() -> float:
    """Seconds of CPU the whole machine spent busy (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Backends:
    """CPU of the PostgreSQL backends serving the bench database, sampled from /proc: a
    backend's CPU is lost when it exits, so each is read often and its last reading kept."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.baseline = self._read()

    def _read(self) -> dict[int, float]:
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes()
                if not command.startswith(b"postgres: ") or f" {DB_NAME} ".encode() not in command:
                    continue
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue  # gone meanwhile
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
        return found

    def sample(self) -> None:
        self.cpu |= self._read()

    def total(self) -> float:
        return sum(cpu - self.baseline.get(pid, 0.0) for pid, cpu in self.cpu.items())


@contextmanager
def workers(command: list[str], count: int, env: dict[str, str]) -> Iterator[list[Any]]:
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def scalar(sql: str, params: list[Any] | None = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def last_success(task_name: str) -> datetime:
    return scalar(
        "SELECT max(e.at) FROM procrastinate_events e JOIN procrastinate_jobs j "
        "ON j.id = e.job_id WHERE j.task_name = %s AND e.type = 'succeeded'",
        [task_name],
    )


def run_phase(
    command: list[str], k: int, env: dict[str, str], done: Callable[[], bool], task_name: str
) -> dict[str, float]:
    """Start ``k`` workers, wait for ``done``; seconds from start to the last job finished,
    and the CPU seconds spent meanwhile by the machine, the workers, PostgreSQL's backends
    of the bench database and this process (the fake provider)."""
    backends = Backends()
    started, busy, own, children = datetime.now(UTC), cpu_busy(), own_cpu(), children_cpu()
    with workers(command, k, env) as processes:
        limit = time.monotonic() + 3600
        while not done():
            if time.monotonic() > limit:
                raise RuntimeError("not done after an hour")
            if any(process.poll() is not None for process in processes):
                raise RuntimeError("a worker exited")
            backends.sample()
            time.sleep(1)
        # Read when the work is done, before the workers stop (idle polling left out); the
        # workers' own CPU is known once they have been reaped.
        backends.sample()
        busy, own = cpu_busy() - busy, own_cpu() - own
    seconds = (last_success(task_name) - started).total_seconds()
    return {
        "seconds": seconds,
        "busy": busy,
        "bench": own,
        "workers": children_cpu() - children,
        "postgres": backends.total(),
    }


def profile_deliveries(fake: Any) -> dict[str, float]:
    """``PROFILE_COUNT`` reminders delivered by batches in this process (no worker, no job):
    queries, database time, provider round trip and the rest (Python, Django, rendering),
    per message."""
    from django.db import connection

    from jalon.sms import delivery

    ids = create_reminders(PROFILE_COUNT, first=10**6)
    provider = fake.provider()
    totals: Counter[str] = Counter()

    def timed_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            totals["db"] += time.perf_counter() - start
            totals["queries"] += 1

    send = provider.send

    def timed_send(**kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return send(**kwargs)
        finally:
            totals["http"] += time.perf_counter() - start

    provider.send = timed_send  # type: ignore[method-assign]
    start = time.perf_counter()
    with connection.execute_wrapper(timed_query):
        for first in ids[:: delivery.BATCH_SIZE]:
            delivery.deliver_batch(first, provider)
    totals["total"] = time.perf_counter() - start
    return {key: value / PROFILE_COUNT for key, value in totals.items()}


def explain_claim() -> str:
    """EXPLAIN ANALYZE of the claim of a batch among due messages (rolled back)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from jalon.sms import delivery
    from jalon.sms.models import Message

    with transaction.atomic(), connection.cursor() as cursor:
        # Everything due again, inside the rolled-back transaction: the claim's worst case.
        Message.objects.update(status="pending")
        pk = Message.objects.order_by("pk").values_list("pk", flat=True).first()
        now = timezone.now()
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + delivery.CLAIM_SQL,
            {
                "first": pk,
                "now": now,
                "others": delivery.BATCH_SIZE - 1,
                "owner": str(uuid.uuid4()),
                "lease": now + delivery.LEASE,
            },
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


# --- Report -----------------------------------------------------------------------------

REPORT = """{section}

Written by `bench/sms_dispatch.py` (`make bench`): {count:,} persons, each with a convocation
in two days and its reminder due now, and the reminders' sending jobs are written first (not
timed). Then {workers} `manage.py procrastinate worker --concurrency {concurrency}` processes
start and hand every reminder to the local fake LINK Mobility (`tests/sms/fake_provider.py`:
a real HTTP server in the bench process, no failure, no latency), each through
`jalon.sms.tasks.send_message`: each job claims its own reminder and up to {batch} other due
ones (cancelling their waiting jobs), renders them, makes one HTTP call each and writes them
`sent` together. In the same run and database,
{count:,} jobs of a no-op task (`{noop_task}`, registered by the script before it starts the
same worker command) run on as many workers with the same concurrency. Times run from the
workers' start (their start-up included) to the last job finished (procrastinate's
`succeeded` event).

- Machine: {machine} (kernel {kernel})
- Software: Python {python}, PostgreSQL {postgres}, procrastinate {procrastinate},
  `DATABASE_CONN_MAX_AGE={conn_max_age}`, DEBUG off
- Date: {now:%Y-%m-%d %H:%M} UTC; dataset written in {dataset:.0f} s; load average
  before the run {load:.2f} (other work on the machine competes for the two cores)

| Measure | Value | Target |
|---|---:|---:|
| Reminders handed over (provider's count; each exactly once: {exactly_once}) | {handed:,} | {count:,} |
| Time to hand them all over | {sms_seconds:.1f} s | ≤ {target_seconds:.0f} s ({sms_verdict}) |
| SMS rate | {sms_rate:.0f} msg/s | ≥ {target_rate:.0f} msg/s |
| No-op job rate, same workers and database | {noop_rate:.0f} jobs/s | — |
| Ratio SMS / no-op | {ratio:.2f} | ≥ {target_ratio} ({ratio_verdict}) |

Where the time goes: CPU seconds per 1,000 jobs while the phase ran (both cores together):
the machine's busy time, the worker processes, PostgreSQL's backends serving the bench
database, the bench process (the fake provider's HTTP server) and what remains (other
processes on the machine, PostgreSQL's background processes, the kernel). The last column is
the share of the machine's two cores the bench itself (workers, its backends, fake) used
during the phase.

| Per 1,000 jobs | Machine busy | Workers | PostgreSQL | Fake provider | Other | Share of 2 cores |
|---|---:|---:|---:|---:|---:|---:|
| SMS | {sms_busy:.2f} s | {sms_workers:.2f} s | {sms_postgres:.2f} s | {sms_bench:.2f} s | {sms_other:.2f} s | {sms_share:.0%} |
| No-op | {noop_busy:.2f} s | {noop_workers:.2f} s | {noop_postgres:.2f} s | {noop_bench:.2f} s | {noop_other:.2f} s | {noop_share:.0%} |

One reminder delivered in the bench process ({profile_count:,} by batches of {batch_size}, no
worker, no job): {profile_ms:.2f} ms, of which {profile_queries:.2f} SQL queries taking
{profile_db:.2f} ms, the provider's HTTP round trip {profile_http:.2f} ms, and
{profile_rest:.2f} ms of Python (ORM, rendering, HTTP client). The claim of a batch, with
every one of the {count:,} messages due (its worst case), reads the due index:

```
{explain}
```

Verdict: {verdict}
"""


def verdict(values: dict[str, Any]) -> str:
    if values["sms_seconds"] <= TARGET_SECONDS and values["ratio"] >= TARGET_RATIO:
        return (
            "both targets are met. The ratio exceeds 1 because one sending job hands over a"
            " whole batch of due reminders, while the no-op phase pays procrastinate's cost"
            " (fetch, finish, events) once per job."
        )
    missed = []
    if values["sms_seconds"] > TARGET_SECONDS:
        missed.append(
            f"the {values['count']:,} reminders take {values['sms_seconds']:.0f} s, "
            f"{values['sms_seconds'] / TARGET_SECONDS:.1f} × the {TARGET_SECONDS:.0f} s target"
            f" ({values['sms_rate']:.0f} msg/s for {values['target_rate']:.0f})"
        )
    if values["ratio"] < TARGET_RATIO:
        missed.append(f"the ratio is {values['ratio']:.2f}, under {TARGET_RATIO}")
    cores = os.cpu_count() or 1
    cost = values["sms_workers"] + values["sms_postgres"]
    job = values["noop_workers"] + values["noop_postgres"]
    ceiling, noop_ceiling = cores * 1000 / cost, cores * 1000 / job
    text = (
        f"{'; '.join(missed)}. The bench is CPU-bound: a reminder costs {cost:.1f} ms of CPU"
        f" (workers and PostgreSQL) where a no-op job costs {job:.1f} ms; with the machine's"
        f" {cores} cores and nothing else running, reminders would stop near"
        f" {ceiling:.0f} msg/s, and no-op jobs near {noop_ceiling:.0f} jobs/s"
    )
    if noop_ceiling < values["target_rate"]:
        text += f", itself under the {values['target_rate']:.0f}/s the 120 s target needs"
    return (
        f"{text}. A reminder costs {values['profile_queries']:.2f} SQL round trips"
        " of its own and one HTTP call; what remains is Python per message (rendering, the"
        " HTTP client) and the fake provider's own CPU on the same two cores."
    )


def report(values: dict[str, Any]) -> str:
    values["sms_verdict"] = "met" if values["sms_seconds"] <= TARGET_SECONDS else "missed"
    values["ratio_verdict"] = "met" if values["ratio"] >= TARGET_RATIO else "missed"
    values["verdict"] = verdict(values)
    return REPORT.format_map(values)


def per_thousand(phase: dict[str, float], count: int, prefix: str) -> dict[str, float]:
    scale = 1000 / count
    other = phase["busy"] - phase["workers"] - phase["bench"] - phase["postgres"]
    values = {key: phase[key] * scale for key in ("busy", "workers", "bench", "postgres")}
    values["other"] = max(other, 0.0) * scale
    used = phase["workers"] + phase["postgres"] + phase["bench"]
    values["share"] = used / (phase["seconds"] * (os.cpu_count() or 1))
    return {f"{prefix}_{key}": value for key, value in values.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="reminders (default 100000)")
    parser.add_argument("--workers", type=int, default=3, help="worker processes (default 3)")
    parser.add_argument("--concurrency", type=int, default=4, help="jobs per worker (default 4)")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=CONN_MAX_AGE,
        help=f"DATABASE_CONN_MAX_AGE of the workers (default {CONN_MAX_AGE})",
    )
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    if sys.argv[1:2] == ["--noop-worker"]:
        noop_worker(sys.argv[2:])
        return 0
    args = parser.parse_args()
    # Interrupted (Ctrl-C, or SIGTERM; a background job may ignore SIGINT): clean up anyway.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    count, k, concurrency = args.count, args.workers, args.concurrency
    ENV["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    load = os.getloadavg()[0]
    from tests.sms.fake_provider import running_fake_provider

    try:
        postgres = prepare_database()
        import procrastinate
        from django.conf import settings

        from jalon.sms import delivery
        from jalon.sms.models import Message

        start = time.perf_counter()
        ids = create_reminders(count)
        defer_sending_jobs(ids)
        dataset = time.perf_counter() - start
        print(f"dataset: {count} reminders and jobs in {dataset:.0f} s")
        flags = ["--concurrency", str(concurrency), "--fetch-job-polling-interval", "0.5"]
        with running_fake_provider() as fake:
            env = os.environ | ENV | fake.environment()
            command = [sys.executable, "manage.py", "procrastinate", "worker", *flags]
            sms = run_phase(
                command, k, env, lambda: len(fake.messages) >= count, task_name=SEND_TASK
            )
            refs = Counter(message.ref_id for message in fake.messages)
            sent = {
                str(u) for u in Message.objects.filter(status="sent").values_list("uuid", flat=True)
            }
            exactly_once = set(refs) == sent and len(sent) == count and max(refs.values()) == 1
            print(f"sms: {count} in {sms['seconds']:.1f} s, exactly once: {exactly_once}")
            profile = profile_deliveries(fake)
            print(
                "one delivery in process, ms:", {k: round(v * 1000, 2) for k, v in profile.items()}
            )
        explain = explain_claim()

        noop = register_noop()
        defer(noop, ({} for _ in range(count)), count)
        command = [sys.executable, str(Path(__file__).resolve()), "--noop-worker", *flags]

        def noop_done() -> bool:
            return not scalar(
                "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs "
                "WHERE task_name = %s AND status IN ('todo', 'doing'))",
                [NOOP_TASK],
            )

        noop_phase = run_phase(command, k, env, noop_done, task_name=NOOP_TASK)
        print(f"no-op: {count} in {noop_phase['seconds']:.1f} s")
        sms_rate, noop_rate = count / sms["seconds"], count / noop_phase["seconds"]
        values: dict[str, Any] = {
            "section": SECTION,
            "count": count,
            "workers": k,
            "concurrency": concurrency,
            "noop_task": NOOP_TASK,
            "machine": machine(),
            "kernel": platform.release(),
            "python": platform.python_version(),
            "postgres": postgres,
            "procrastinate": procrastinate.__version__,
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            "now": datetime.now(UTC),
            "dataset": dataset,
            "load": load,
            "handed": sum(refs.values()),
            "exactly_once": "yes" if exactly_once else "NO",
            "sms_seconds": sms["seconds"],
            "target_seconds": TARGET_SECONDS,
            "sms_rate": sms_rate,
            "target_rate": 100_000 / TARGET_SECONDS,
            "noop_rate": noop_rate,
            "ratio": sms_rate / noop_rate,
            "target_ratio": TARGET_RATIO,
            "profile_count": PROFILE_COUNT,
            "batch": delivery.BATCH_SIZE - 1,
            "batch_size": delivery.BATCH_SIZE,
            "profile_ms": profile["total"] * 1000,
            "profile_queries": profile["queries"],
            "profile_db": profile["db"] * 1000,
            "profile_http": profile["http"] * 1000,
            "profile_rest": (profile["total"] - profile["db"] - profile["http"]) * 1000,
            "explain": explain,
        }
        values |= per_thousand(sms, count, "sms") | per_thousand(noop_phase, count, "noop")
        print(
            {
                key: round(value, 2)
                for key, value in values.items()
                if "_" in key and isinstance(value, float)
            }
        )
        print(
            f"SMS {sms_rate:.0f} msg/s, no-op {noop_rate:.0f} jobs/s, "
            f"ratio {sms_rate / noop_rate:.2f}"
        )
        if not args.no_report:
            path = write_section(SECTION, report(values))
            print(f"{path.relative_to(ROOT)} updated: see {SECTION!r}")
        return 0 if exactly_once else 1
    finally:
        from django.conf import settings as django_settings
        from django.db import connections

        if django_settings.configured:
            connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
