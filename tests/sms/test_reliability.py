"""Exactly once under fire: 1,000 due reminders, a provider failing at random and workers
killed at random points (SIGKILL) and restarted (SMS issue, requirement 11).

Real ``manage.py procrastinate worker`` processes on the test database send through the
real HTTP adapter to the local fake LINK Mobility (``fake_provider.py``). The test stands
in for the passing of time and for the periodic jobs, which it cannot wait for:

- retries are due 30 s, 1 min … later: pending messages and their jobs are moved to now;
- ``reconcile`` runs with a ``now`` that makes stale every ``sending`` row claimed more
  than the client's timeout plus 5 s ago (``STALE_SENDING`` scaled down to what a send can
  last here), so it settles rows of killed workers, never a send in flight;
- a pending message whose job died with its worker (killed between fetching the job and
  the claim, or between a failed attempt and the deferral of the next one) has no job
  left: it is scheduled again (``reschedule_orphans``, as the periodic reconciliation
  does with ``delivery.orphans``).

Each job sends its reminder and up to ``BATCH_SIZE - 1`` other due ones, cancelling their
jobs: a kill mid-batch leaves several rows ``sending`` at once.

Provider failures: 500s, answers later than the client's timeout (the message taken or
not: ``timeouts_accept`` is drawn again at each kill) and now and then an unreadable answer
to a message it took. The adapter's timeout is 10 s unless ``from_environment`` reads
``JALON_SMS_LINK_TIMEOUT`` (proposed): then late answers come after 1 s against a 0.3 s
timeout, otherwise after 10.5 s, and fewer of them. At the end the provider's records are
the judge: one message per sent reminder, none for the others, none twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from jalon.appointments.models import Appointment
from jalon.people.models import Person
from jalon.sms import delivery, tasks
from jalon.sms.models import Message, MessageEvent, MessageKind
from jalon.sms.providers.linkmobility import LinkMobilityProvider
from tests.factories import appointment_type
from tests.sms.fake_provider import FakeLinkMobility, running_fake_provider

logger = logging.getLogger(__name__)
Status = Message.Status

ROOT = Path(__file__).resolve().parents[2]
COUNT = 1_000
WORKERS, CONCURRENCY = 2, 4
SEED = 20261123
BATCH_SIZE = 10  # messages a job claims and sends at most: kills fall mid-batch
LATENCY = 0.15  # seconds the provider takes to answer: the run lasts through the kills
FAILURE_RATE = 0.2  # of sends: a 500, or (half of them) an answer that comes too late
CLIENT_TIMEOUT = 0.3  # seconds, when the adapter takes it from the environment
KILL_EVERY = (0.5, 2.0)  # seconds between two kills, at random
CHAOS_SECONDS = 45  # kills stop after this (and MIN_KILLS), so the run ends
MIN_KILLS = 5
DEADLINE_SECONDS = 150
SEND_TASK = "jalon.sms.tasks.send_message"
# Proposed: the adapter's timeout and the first retry delay from the environment. Set for
# the workers either way; the timeout is used when ``from_environment`` reads it.
TIMEOUT_ENV = "JALON_SMS_LINK_TIMEOUT"
RETRY_ENV = "JALON_SMS_FIRST_RETRY_SECONDS"
BATCH_ENV = "JALON_SMS_BATCH_SIZE"
DEFAULT_TIMEOUT = 10.0  # LinkMobilityProvider's own


def environment_sets_timeout(fake: FakeLinkMobility) -> bool:
    env = fake.environment() | {TIMEOUT_ENV: str(CLIENT_TIMEOUT)}
    return LinkMobilityProvider.from_environment(env).timeout == CLIENT_TIMEOUT


def worker_database_url() -> str:
    """The test database, for processes of their own (TCP or the embedded server's socket)."""
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


def make_due_reminders(org, agendas, count: int) -> list[Message]:
    """``count`` persons, each with a convocation in two days and its reminder due now."""
    now = timezone.now()
    persons = [
        Person(last_name=f"Fiable{n}", first_names="Jean", birth_date=dt.date(1990, 5, 17))
        for n in range(count)
    ]
    for n, person in enumerate(persons):
        person.phone = f"+3362{n:07d}"
        person.normalize()
    Person.objects.bulk_create(persons)
    agenda, kind = agendas.spip_alpha, appointment_type("spip_follow_up")
    starts_at = now + dt.timedelta(days=2)
    appointments = Appointment.objects.bulk_create(
        Appointment(
            person=person,
            appointment_type=kind,
            agenda=agenda,
            service=org.spip_alpha,
            created_by_service=org.spip_alpha,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=30),
        )
        for person in persons
    )
    return Message.objects.bulk_create(
        Message(
            kind=MessageKind.REMINDER,
            appointment=appointment,
            person=appointment.person,
            service=org.spip_alpha,
            phone=appointment.person.phone,
            send_after=now - dt.timedelta(minutes=1),
        )
        for appointment in appointments
    )


def worker_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM procrastinate_workers")
        return {row[0] for row in cursor.fetchall()}


@dataclass
class Workers:
    """``manage.py procrastinate worker`` processes, each known by its procrastinate id."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)  # id → process
    seen: set[int] = field(default_factory=set)
    dead: set[int] = field(default_factory=set)
    started: int = 0

    def start(self) -> int:
        """Start one and wait until it has registered (so its id is known before a kill)."""
        self.seen |= worker_ids()
        self.started += 1
        log = (self.log_dir / f"worker-{self.started}.log").open("wb")
        command = [sys.executable, "manage.py", "procrastinate", "worker"]
        command += ["--concurrency", str(CONCURRENCY), "--fetch-job-polling-interval", "0.5"]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        log.close()
        limit = time.monotonic() + 30
        while time.monotonic() < limit:
            if process.poll() is not None:
                raise RuntimeError(f"worker {self.started} exited: {self.log_tail()}")
            new = worker_ids() - self.seen
            if new:
                (worker_id,) = new
                self.seen.add(worker_id)
                self.processes[worker_id] = process
                return worker_id
            time.sleep(0.05)
        process.kill()
        raise RuntimeError(f"worker {self.started} did not register in 30 s")

    def kill(self, worker_id: int) -> None:
        process = self.processes.pop(worker_id)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        self.dead.add(worker_id)

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


def advance_time(ids: list[int]) -> None:
    """Retries and requeued messages are due later: make it later now."""
    now = timezone.now()
    Message.objects.filter(pk__in=ids, status=Status.PENDING, send_after__gt=now).update(
        send_after=now
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = %s "
            "WHERE status = 'todo' AND task_name = %s AND scheduled_at > %s",
            [now, SEND_TASK, now],
        )


def settle_interrupted(provider: LinkMobilityProvider, in_flight_bound: dt.timedelta) -> int:
    """The periodic reconciliation, run as if ``STALE_SENDING`` had passed since the rows
    claimed before ``now - in_flight_bound``; requeued messages are scheduled again."""
    now = timezone.now() - in_flight_bound + delivery.STALE_SENDING
    _counts, requeued = delivery.reconcile(provider, now=now)
    for message in Message.objects.filter(pk__in=requeued):
        tasks.schedule_again(message)  # unless a job already waits for it
    return len(requeued)


def reschedule_orphans(ids: list[int], dead: set[int]) -> int:
    """Pending messages with no job to send them (it died with its worker): schedule them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id FROM sms_message m WHERE m.id = ANY(%s::bigint[]) AND m.status = 'pending' "
            "AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.task_name = %s "
            "AND (j.args->>'message_id')::bigint = m.id AND (j.status = 'todo' OR "
            "(j.status = 'doing' AND j.worker_id IS NOT NULL AND NOT j.worker_id = ANY(%s::bigint[]))))",
            [ids, SEND_TASK, list(dead)],
        )
        orphans = [row[0] for row in cursor.fetchall()]
    for message in Message.objects.filter(pk__in=orphans):
        tasks.schedule_again(message)  # unless a job already waits for it
    return len(orphans)


def unsettled(ids: list[int]) -> int:
    return Message.objects.filter(pk__in=ids, status__in=[Status.PENDING, Status.SENDING]).count()


@pytest.mark.django_db(transaction=True)
def test_every_reminder_is_handed_over_exactly_once_despite_failures_and_kills(
    org, agendas, tmp_path
):
    started_at = time.monotonic()
    rng = random.Random(SEED)
    ids = [message.pk for message in make_due_reminders(org, agendas, COUNT)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        (last_job_before,) = cursor.fetchone()
    assert Message._meta.db_table == "sms_message"
    for message in Message.objects.filter(pk__in=ids):  # as the application defers them
        tasks.schedule(message)
    stats: Counter[str] = Counter()
    with running_fake_provider(
        failure_rate=FAILURE_RATE, timeout_share=0.5, seed=SEED, latency=LATENCY
    ) as fake:
        short_timeout = environment_sets_timeout(fake)
        client_timeout = CLIENT_TIMEOUT if short_timeout else DEFAULT_TIMEOUT
        # A late answer must come after the client gave up. Without a short timeout, each
        # costs a worker slot 10 s: keep them few.
        fake.stall_seconds = 1.0 if short_timeout else DEFAULT_TIMEOUT + 0.5
        fake.timeout_share = 0.5 if short_timeout else 0.05
        env = os.environ | fake.environment()
        env |= {"DATABASE_URL": worker_database_url(), "DJANGO_SETTINGS_MODULE": "jalon.settings"}
        env |= {"JALON_ENV": "test", "JALON_SMS_PROVIDER": "linkmobility", "LOG_LEVEL": "WARNING"}
        env |= {TIMEOUT_ENV: str(CLIENT_TIMEOUT), RETRY_ENV: "1", BATCH_ENV: str(BATCH_SIZE)}
        provider = fake.provider(timeout=2.0)
        in_flight_bound = dt.timedelta(seconds=client_timeout + 5)
        workers = Workers(env=env, log_dir=tmp_path)
        try:
            for _ in range(WORKERS):
                workers.start()
            chaos_until = time.monotonic() + CHAOS_SECONDS
            deadline = started_at + DEADLINE_SECONDS
            next_kill = time.monotonic() + rng.uniform(*KILL_EVERY)
            while unsettled(ids) and time.monotonic() < deadline:
                workers.check_alive()
                advance_time(ids)
                stats["requeued by reconcile"] += settle_interrupted(provider, in_flight_bound)
                stats["orphans rescheduled"] += reschedule_orphans(ids, workers.dead)
                now = time.monotonic()
                chaos = now < chaos_until or stats["kills"] < MIN_KILLS
                if now >= next_kill and chaos:
                    workers.kill(rng.choice(sorted(workers.processes)))
                    stats["kills"] += 1
                    fake.timeouts_accept = rng.random() < 0.6  # lost answer, or lost message
                    fake.garbage_next(rng.randint(0, 2))  # taken, answer unreadable
                    workers.start()
                    next_kill = time.monotonic() + rng.uniform(*KILL_EVERY)
                time.sleep(0.2)
        finally:
            workers.stop_all()
        sent_refs = Counter(message.ref_id for message in fake.messages)
        send_attempts = fake.send_attempts

    messages = list(Message.objects.filter(pk__in=ids))
    statuses = Counter(message.status for message in messages)
    events = Counter(
        "transient retries" if detail.startswith("Nouvelle tentative") else detail
        for detail in MessageEvent.objects.filter(message_id__in=ids).values_list(
            "detail", flat=True
        )
    )
    summary = dict(stats) | {
        "seconds": round(time.monotonic() - started_at),
        "sends received": send_attempts,
        "transient retries": events["transient retries"],
        "reconciled": events["Rapprochement avec l’opérateur après interruption."],
        "lost answers confirmed": events["Confirmé par l’opérateur après une réponse perdue."],
        "short client timeout": short_timeout,
    }
    logger.info("reliability: %s, statuses %s", summary, dict(statuses))
    with connection.cursor() as cursor:  # procrastinate's tables are not flushed
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job_before])
        cursor.execute(
            "DELETE FROM procrastinate_workers WHERE id = ANY(%s::bigint[])", [list(workers.seen)]
        )

    assert stats["kills"] >= MIN_KILLS
    assert statuses[Status.PENDING] == statuses[Status.SENDING] == 0, (statuses, stats)
    assert set(statuses) <= {Status.SENT, Status.DELIVERED, Status.FAILED}, statuses
    for message in messages:
        if message.status == Status.FAILED:  # only after every attempt, and never handed over
            assert message.attempts == delivery.MAX_ATTEMPTS, message.error
            assert sent_refs[str(message.uuid)] == 0
        else:
            assert sent_refs[str(message.uuid)] == 1, (message.pk, message.status)
    handed_over = {str(m.uuid) for m in messages if m.status != Status.FAILED}
    assert set(sent_refs) == handed_over and sum(sent_refs.values()) == len(handed_over)
