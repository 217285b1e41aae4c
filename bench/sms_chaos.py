"""SMS exactly once under fire, at scale: the reliability run of ``tests/sms/chaos.py`` with
10,000 due reminders (issue 13, finding "SMS sent twice in three ways").

Run: ``.venv/bin/python bench/sms_chaos.py [--count 10000] [--workers 3] [--concurrency 4]
[--chaos-seconds 60] [--no-report]``. It creates and migrates a throwaway database
``jalon_bench_sms_chaos`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``), writes the persons, convocations and reminders
with their sending jobs (not timed), serves Jalon's delivery-report webhook from this
process (a threaded WSGI server), and runs the chaos: real workers killed at random, a fake
LINK Mobility that fails, answers late or 500 after taking a message, records late and
posts receipts meanwhile. It writes its section of ``docs/benchmarks.md`` (``SECTION``)
with the verdict (every SMS handed over exactly once, or what broke) and drops the database.
Exit status 1 when "exactly once" broke.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine, write_section  # noqa: E402

DB_NAME = "jalon_bench_sms_chaos"
SERVER_URL = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
BENCH_URL = urlunsplit(SERVER_URL._replace(path=f"/{DB_NAME}"))
ADMIN_URL = urlunsplit(SERVER_URL._replace(path="/postgres"))
SECTION = "## SMS exactly once under fire (issue 13)"


def admin_sql(statement: str) -> int:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)
        return int(connection.info.server_version)


def prepare_database() -> str:
    from tests.sms.fake_provider import WEBHOOK_SECRET

    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    version = admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(
        {
            "DATABASE_URL": BENCH_URL,
            "DJANGO_SETTINGS_MODULE": "jalon.settings",
            "JALON_ENV": "development",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "DATABASE_CONN_MAX_AGE": "60",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            "JALON_SMS_WEBHOOK_SECRET": WEBHOOK_SECRET,  # the fake signs its receipts with it
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return f"{version // 10000}.{version % 10000}"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_webhooks() -> tuple[str, _Server]:
    """Jalon itself, in a thread of this process, for the delivery reports."""
    from django.core.wsgi import get_wsgi_application
    from django.urls import reverse

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}{reverse('sms_receipt_webhook')}", server


REPORT = """{section}

Written by `bench/sms_chaos.py` (`make bench`): the run of `tests/sms/chaos.py` (the CI test
`tests/sms/test_reliability.py` runs it with {ci_count} reminders) at {count:,} reminders due
now. {workers} `manage.py procrastinate worker --concurrency {concurrency}` processes send by
batches of {batch_size} through the real HTTP adapter to the local fake LINK Mobility, which
answers in {latency_ms:.0f} ms, fails {failure_pct:.0f} % of sends (a 500 before taking the
message, or an answer after the client's {timeout:.1f} s timeout, the message taken or not),
takes {accept_fail_pct:.0f} % then answers 500, shows a message to its status endpoint only
{record_delay:.1f} s after taking it (404 before), and posts delivery reports (delivered,
phone off, unknown number) to Jalon's webhook during the run, about {receipts_rate:.0f}
a second. A worker is killed (SIGKILL) every {kill_low:.1f} to {kill_high:.1f} s during the
first {chaos_seconds:.0f} s and restarted. The periodic reconciliation
(`reconcile_interrupted_sends`) runs in the workers, deferred every {reconcile_every:.0f} s;
lease {lease} s, lookup grace {grace} s, first retry 1 s, orphans after {orphan} s.

- Machine: {machine} (kernel {kernel})
- Software: Python {python}, PostgreSQL {postgres}, procrastinate {procrastinate}
- Date: {now:%Y-%m-%d %H:%M} UTC; dataset written in {dataset:.0f} s; load average
  {load:.1f} at the start (the run's time depends on it, its verdict does not)

| Measure | Value |
|---|---|
| Reminders | {count:,} |
| Run (first worker start to the last SMS settled) | {seconds:.0f} s |
| Sends received by the provider | {sends_received:,} |
| SMS the provider holds / held twice | {held:,} / {twice} |
| Final statuses | {statuses} |
| Delivery reports posted / all answered 200 | {receipts:,} / {receipts_ok} |
| Workers killed / started | {kills} / {workers_started} |
| Lost answers (timeout, 500, unreadable) looked up | {lost} |
| Reconciled from the provider's records | {reconciled} |
| Put back, never handed over / unknown after the grace | {never_left} / {not_known} |
| Reconciliations deferred | {reconciliations} |

**Verdict: {verdict}.**
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--chaos-seconds", type=float, default=60.0)
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    load = os.getloadavg()[0]
    try:
        postgres = prepare_database()
        import procrastinate

        from jalon.access.roles import ServiceKind
        from tests.factories import AgendaFactory, ServiceFactory, appointment_type
        from tests.sms import chaos

        settings = chaos.Settings(
            count=args.count,
            workers=args.workers,
            concurrency=args.concurrency,
            chaos_seconds=args.chaos_seconds,
            min_kills=10,
            deadline_seconds=1800.0,
            receipts_per_second=100.0,
            live_worker_seconds=20,
        )
        ci_count = chaos.Settings().count
        start = time.perf_counter()
        service = ServiceFactory(name="SPIP Chaos", kind=ServiceKind.SPIP)
        agenda = AgendaFactory(name="Chaos", place__service=service, place__name="Chaos")
        ids = chaos.make_due_reminders(agenda, appointment_type("spip_follow_up"), settings.count)
        dataset = time.perf_counter() - start
        print(f"dataset: {len(ids)} reminders and their jobs in {dataset:.0f} s")
        receipts_url, server = serve_webhooks()
        with tempfile.TemporaryDirectory() as logs:
            result = chaos.run(ids, settings, receipts_url, Path(logs))
        server.shutdown()
        problems = chaos.verdict(result)
        stats = result["stats"]
        statuses: dict[str, int] = {}
        for message in result["messages"]:
            statuses[message.status] = statuses.get(message.status, 0) + 1
        values = {
            "section": SECTION,
            "ci_count": ci_count,
            "count": settings.count,
            "workers": settings.workers,
            "concurrency": settings.concurrency,
            "batch_size": settings.batch_size,
            "latency_ms": settings.latency * 1000,
            "failure_pct": settings.failure_rate * 100,
            "timeout": settings.client_timeout,
            "accept_fail_pct": settings.accept_then_fail_rate * 100,
            "record_delay": settings.record_delay,
            "receipts_rate": settings.receipts_per_second,
            "kill_low": settings.kill_every[0],
            "kill_high": settings.kill_every[1],
            "chaos_seconds": settings.chaos_seconds,
            "reconcile_every": settings.reconcile_every,
            "lease": settings.lease_seconds,
            "grace": settings.lookup_grace_seconds,
            "orphan": settings.orphan_after_seconds,
            "machine": machine(),
            "kernel": platform.release(),
            "python": platform.python_version(),
            "postgres": postgres,
            "procrastinate": procrastinate.__version__,
            "now": datetime.now(UTC),
            "dataset": dataset,
            "load": load,
            "seconds": result["seconds"],
            "sends_received": stats["sends received"],
            "held": len(result["sent_refs"]),
            "twice": sum(1 for n in result["sent_refs"].values() if n > 1),
            "statuses": ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())),
            "receipts": len(result["receipts"]),
            "receipts_ok": "yes" if set(result["receipt_answers"]) <= {200} else "NO",
            "kills": stats.get("kills", 0),
            "workers_started": stats["workers started"],
            "lost": stats["lost answers"],
            "reconciled": stats["reconciled from the provider"],
            "never_left": stats["put back, never handed over"],
            "not_known": stats["put back, unknown after the grace"],
            "reconciliations": stats.get("reconciliations deferred", 0),
            "verdict": (
                "every SMS handed over exactly once, every receipt applied"
                if not problems
                else "BROKEN: " + "; ".join(problems[:5])
            ),
        }
        print(f"{settings.count} SMS in {result['seconds']:.0f} s; {values['verdict']}")
        print(stats)
        if not args.no_report:
            path = write_section(SECTION, REPORT.format_map(values))
            print(f"{path.relative_to(ROOT)} updated: see {SECTION!r}")
        return 1 if problems else 0
    finally:
        from django.conf import settings as django_settings
        from django.db import connections

        if django_settings.configured:
            connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
