"""Exactly once under fire, through the production paths: shared by the CI test
(``test_reliability.py``, small) and the benchmark (``bench/sms_chaos.py``, 10,000 SMS).

Real ``manage.py procrastinate worker`` processes send through the real HTTP adapter to the
local fake LINK Mobility (``fake_provider.py``), which misbehaves as a real one may:

- 500s, some before taking the message, some after (``accept_then_fail_rate``);
- answers later than the client's timeout, the message taken or not (``timeouts_accept``,
  drawn again at each kill), and now and then an unreadable answer to a message it took;
- a status endpoint that knows a message only ``record_delay`` seconds after taking it
  (it answers 404 meanwhile: it records late);
- delivery reports posted to Jalon's webhook during the chaos (delivered, phone off,
  unknown number), while messages are still ``sending`` or being settled.

Workers are killed (SIGKILL) at random, mid-batch, and restarted. Nothing stands in for
the application: the periodic reconciliation (``tasks.reconcile_interrupted_sends``:
``delivery.reconcile`` and ``delivery.orphans``) runs in the workers, deferred here as
often as procrastinate's periodic scheduler would with a shorter period, and the waits
(lease, lookup grace, retry delay, orphan delay, live-worker heartbeat) are the
application's own, shortened through their environment variables. At the end the
provider's records are the judge: one message per SMS handed over, none twice.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone
from procrastinate import exceptions

from jalon.core.dates import TIME_ZONE_CHOICES
from jalon.sms import delivery, tasks
from jalon.sms.models import Message, MessageEvent, MessageKind
from tests.sms.fake_provider import DELIVERED, EXPIRED, UNKNOWN_SUBSCRIBER, running_fake_provider

Status = Message.Status
ROOT = Path(__file__).resolve().parents[2]
# Delivery reports posted during the chaos: result code → share.
RECEIPT_CODES = ((DELIVERED, 0.8), (EXPIRED, 0.1), (UNKNOWN_SUBSCRIBER, 0.1))
FINAL_FOR_CODE = {
    DELIVERED: (Status.DELIVERED, ""),
    EXPIRED: (Status.UNDELIVERED, Message.Undelivered.TEMPORARY),
    UNKNOWN_SUBSCRIBER: (Status.UNDELIVERED, Message.Undelivered.PERMANENT),
}


def daytime_zone() -> str:
    """A service time zone of the calendar where it is now between 09:00 and 18:00, for
    runs whose workers use the real clock (delivery holds SMS in the quiet hours). One
    always exists: the zones' offsets (−10, −4, −3, +1/+2, +3, +4, +11) leave no 9-hour gap."""
    now = dt.datetime.now(dt.UTC)
    for zone, _label in TIME_ZONE_CHOICES:
        if dt.time(9) <= now.astimezone(ZoneInfo(zone)).time() < dt.time(18):
            return zone
    raise AssertionError("no service time zone in daytime")


@dataclass
class Settings:
    count: int = 300
    workers: int = 2
    concurrency: int = 4
    seed: int = 20261206
    batch_size: int = 10  # a job claims and sends at most this many: kills fall mid-batch
    latency: float = 0.15  # seconds the provider takes to answer
    failure_rate: float = 0.15  # of sends: a 500, or (half of them) an answer too late
    accept_then_fail_rate: float = 0.05  # of sends: taken, then answered 500
    record_delay: float = 1.5  # seconds before the status endpoint knows a message
    client_timeout: float = 0.3
    stall_seconds: float = 1.0  # a late answer comes after the client gave up
    receipts_per_second: float = 40.0
    kill_every: tuple[float, float] = (0.5, 1.5)
    chaos_seconds: float = 12.0  # kills stop after this (and ``min_kills``)
    min_kills: int = 4
    deadline_seconds: float = 150.0
    reconcile_every: float = 1.0  # seconds between two deferred reconciliations
    # The application's waits, shortened (environment variables of ``delivery``).
    lease_seconds: int = 3
    lookup_grace_seconds: int = 3  # more than ``record_delay``: the provider contract
    orphan_after_seconds: int = 2
    live_worker_seconds: int = 15  # procrastinate's heartbeat comes every 10 s
    max_check_seconds: int = 5  # between two lookups of a message not known (yet)

    def worker_environment(self) -> dict[str, str]:
        return {
            "JALON_SMS_LINK_TIMEOUT": str(self.client_timeout),
            "JALON_SMS_FIRST_RETRY_SECONDS": "1",
            "JALON_SMS_BATCH_SIZE": str(self.batch_size),
            "JALON_SMS_LEASE_SECONDS": str(self.lease_seconds),
            "JALON_SMS_LOOKUP_GRACE_SECONDS": str(self.lookup_grace_seconds),
            "JALON_SMS_ORPHAN_AFTER_SECONDS": str(self.orphan_after_seconds),
            "JALON_SMS_LIVE_WORKER_SECONDS": str(self.live_worker_seconds),
            "JALON_SMS_MAX_CHECK_SECONDS": str(self.max_check_seconds),
        }


def database_url() -> str:
    """Django's current database, for processes of their own."""
    connection.ensure_connection()
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host, port = db["HOST"] or "", f":{db['PORT']}" if db["PORT"] else ""
    name = quote(db["NAME"], safe="")
    if host.startswith("/"):
        return f"postgres://{auth}@{port}/{name}?host={quote(host, safe='')}"
    return f"postgres://{auth}@{host}{port}/{name}"


def make_due_reminders(
    agenda: Any,
    appointment_type: Any,
    count: int,
    *,
    first: int = 0,
    name: str = "Fiable",
    phones: str = "+3362",
    schedule: bool = True,
) -> list[int]:
    """``count`` persons, each with a convocation in two days and its reminder due now, the
    agenda's service moved to a time zone in daytime; their sending jobs deferred as the
    application defers them (``tasks.schedule``), unless ``schedule`` is off (the dispatch
    bench defers them itself, in batches). Also used by ``bench/sms_dispatch.py``."""
    from jalon.appointments.models import Appointment
    from jalon.people.models import Person

    service = agenda.place.service
    service.time_zone = daytime_zone()
    service.save(update_fields=["time_zone"])
    now = timezone.now()
    starts_at = now + dt.timedelta(days=2)
    ids: list[int] = []
    for start in range(first, first + count, 2000):
        persons = []
        for n in range(start, min(start + 2000, first + count)):
            person = Person(last_name=f"{name}{n}", first_names="Jean", phone=f"{phones}{n:07d}")
            person.birth_date = dt.date(1990, 5, 17)
            person.normalize()
            persons.append(person)
        Person.objects.bulk_create(persons)
        appointments = Appointment.objects.bulk_create(
            Appointment(
                person=person,
                appointment_type=appointment_type,
                agenda=agenda,
                service=service,
                created_by_service=service,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=30),
            )
            for person in persons
        )
        messages = Message.objects.bulk_create(
            Message(
                kind=MessageKind.REMINDER,
                appointment=appointment,
                person=appointment.person,
                service=service,
                phone=appointment.person.phone,
                send_after=now - dt.timedelta(minutes=1),
            )
            for appointment in appointments
        )
        if schedule:
            for message in messages:
                tasks.schedule(message)
        ids += [message.pk for message in messages]
    return ids


def worker_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM procrastinate_workers")
        return {row[0] for row in cursor.fetchall()}


@dataclass
class Workers:
    """``manage.py procrastinate worker`` processes, each known by its procrastinate id."""

    env: dict[str, str]
    log_dir: Path
    concurrency: int
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    started: int = 0

    def start(self) -> int:
        """Start one and wait until it has registered (so its id is known before a kill)."""
        self.seen |= worker_ids()
        self.started += 1
        log = (self.log_dir / f"worker-{self.started}.log").open("wb")
        command = [sys.executable, "manage.py", "procrastinate", "worker"]
        command += ["--concurrency", str(self.concurrency), "--fetch-job-polling-interval", "0.5"]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        log.close()
        limit = time.monotonic() + 120  # a loaded machine starts Django slowly
        while time.monotonic() < limit:
            if process.poll() is not None:
                raise RuntimeError(f"worker {self.started} exited: {self.log_tail()}")
            new = worker_ids() - self.seen
            if new:
                worker_id = min(new)
                self.seen |= new
                self.processes[worker_id] = process
                return worker_id
            time.sleep(0.05)
        process.kill()
        raise RuntimeError(f"worker {self.started} did not register in 120 s")

    def kill(self, worker_id: int) -> None:
        process = self.processes.pop(worker_id)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def check_alive(self) -> None:
        for process in self.processes.values():
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited by itself: {self.log_tail()}")

    def stop_all(self) -> None:
        for worker_id in list(self.processes):
            self.kill(worker_id)

    def log_tail(self) -> str:
        logs = sorted(self.log_dir.glob("worker-*.log"))
        return logs[-1].read_text(errors="replace")[-3000:] if logs else ""


class Receipts(threading.Thread):
    """Posts delivery reports for messages the provider took, during the chaos."""

    def __init__(self, fake: Any, per_second: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.fake, self.period = fake, 1 / per_second
        self.random = random.Random(seed)
        self.posted: dict[str, int] = {}  # reference → result code
        self.answers: Counter[int] = Counter()
        self.stopping = threading.Event()

    def run(self) -> None:
        codes, weights = zip(*RECEIPT_CODES, strict=True)
        while not self.stopping.wait(self.period):
            waiting = [ref for ref in self.fake.accepted_references() if ref not in self.posted]
            if not waiting:
                continue
            reference = self.random.choice(waiting)
            code = self.random.choices(codes, weights=weights)[0]
            self.posted[reference] = code
            self.answers[self.fake.deliver(reference, code=code)] += 1

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=10)


def defer_reconciliation() -> bool:
    """What procrastinate's periodic scheduler does each period (one waiting job at most)."""
    try:
        tasks.reconcile_interrupted_sends.defer(timestamp=int(time.time()))
    except exceptions.AlreadyEnqueued:
        return False
    return True


def unsettled(ids: list[int]) -> int:
    return Message.objects.filter(pk__in=ids, status__in=[Status.PENDING, Status.SENDING]).count()


def run(ids: list[int], settings: Settings, receipts_url: str, log_dir: Path) -> dict[str, Any]:
    """Send ``ids`` under fire; the facts to judge the run by (see ``verdict``)."""
    started_at = time.monotonic()
    rng = random.Random(settings.seed)
    stats: Counter[str] = Counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        (last_job_before,) = cursor.fetchone()
    with running_fake_provider(
        failure_rate=settings.failure_rate,
        timeout_share=0.5,
        seed=settings.seed,
        latency=settings.latency,
        stall_seconds=settings.stall_seconds,
        accept_then_fail_rate=settings.accept_then_fail_rate,
        record_delay=settings.record_delay,
        callback_url=receipts_url,
    ) as fake:
        env = os.environ | fake.environment() | settings.worker_environment()
        env |= {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "jalon.settings"}
        env |= {"JALON_ENV": "test", "JALON_SMS_PROVIDER": "linkmobility", "LOG_LEVEL": "WARNING"}
        workers = Workers(env=env, log_dir=log_dir, concurrency=settings.concurrency)
        receipts = Receipts(fake, settings.receipts_per_second, settings.seed)
        try:
            for _ in range(settings.workers):
                workers.start()
            receipts.start()
            chaos_until = time.monotonic() + settings.chaos_seconds
            deadline = started_at + settings.deadline_seconds
            next_kill = time.monotonic() + rng.uniform(*settings.kill_every)
            next_reconcile = 0.0
            while unsettled(ids) and time.monotonic() < deadline:
                workers.check_alive()
                now = time.monotonic()
                if now >= next_reconcile:
                    stats["reconciliations deferred"] += defer_reconciliation()
                    next_reconcile = now + settings.reconcile_every
                chaos = now < chaos_until or stats["kills"] < settings.min_kills
                if now >= next_kill and chaos:
                    workers.kill(rng.choice(sorted(workers.processes)))
                    stats["kills"] += 1
                    fake.timeouts_accept = rng.random() < 0.6  # lost answer, or lost message
                    fake.garbage_next(rng.randint(0, 2))  # taken, answer unreadable
                    workers.start()
                    next_kill = time.monotonic() + rng.uniform(*settings.kill_every)
                time.sleep(0.2)
        finally:
            receipts.stop()
            workers.stop_all()
        sent_refs = Counter(fake.accepted_references())
        send_attempts = fake.send_attempts
    messages = list(Message.objects.filter(pk__in=ids))
    details = MessageEvent.objects.filter(message_id__in=ids).values_list("detail", flat=True)
    events = Counter(details)

    def starting(prefix: str) -> int:
        return sum(n for detail, n in events.items() if detail.startswith(prefix))

    with connection.cursor() as cursor:  # procrastinate's tables are not flushed by tests
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job_before])
        cursor.execute(
            "DELETE FROM procrastinate_workers WHERE id = ANY(%s::bigint[])", [list(workers.seen)]
        )
    return {
        "seconds": time.monotonic() - started_at,
        "messages": messages,
        "sent_refs": sent_refs,
        "receipts": receipts.posted,
        "receipt_answers": dict(receipts.answers),
        "stats": dict(stats)
        | {
            "sends received": send_attempts,
            "workers started": workers.started,
            "transient retries": starting("Nouvelle tentative"),
            "lost answers": starting("Réponse perdue"),
            "confirmed after a lost answer": starting("Confirmé par l’opérateur"),
            "reconciled from the provider": events[delivery.RECONCILED],
            "put back, never handed over": events[delivery.NEVER_LEFT],
            "put back, unknown after the grace": events[delivery.NOT_KNOWN],
        },
    }


def verdict(result: dict[str, Any]) -> list[str]:
    """Every way the run broke "exactly once" (empty: it held)."""
    problems = []
    messages, sent_refs, receipts = result["messages"], result["sent_refs"], result["receipts"]
    statuses = Counter(message.status for message in messages)
    if statuses[Status.PENDING] or statuses[Status.SENDING]:
        problems.append(f"unsettled: {dict(statuses)}")
    twice = [ref for ref, n in sent_refs.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} SMS handed over more than once")
    for message in messages:
        ref = str(message.uuid)
        if message.status == Status.FAILED and sent_refs[ref]:
            problems.append(f"message {message.pk} failed although handed over")
        if message.status in (Status.SENT, Status.DELIVERED, Status.UNDELIVERED) and (
            sent_refs[ref] != 1
        ):
            problems.append(f"message {message.pk} {message.status}, handed {sent_refs[ref]}×")
        if ref in receipts and message.status not in (Status.PENDING, Status.SENDING):
            expected = FINAL_FOR_CODE[receipts[ref]]
            if (message.status, message.undelivered) != expected:
                problems.append(
                    f"message {message.pk}: receipt {receipts[ref]} but "
                    f"{message.status}/{message.undelivered}"
                )
    handed = {str(m.uuid) for m in messages}
    if set(sent_refs) - handed:
        problems.append("the provider holds messages Jalon does not know")
    if set(result["receipt_answers"]) - {200}:
        problems.append(f"receipts refused: {result['receipt_answers']}")
    return problems
