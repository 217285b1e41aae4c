"""Sending by batches: one job sends the messages due together, each exactly once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from jalon.sms import actions, delivery, tasks
from jalon.sms.models import Message
from jalon.sms.providers.linkmobility import parse_report
from tests.factories import AppointmentFactory, MessageFactory, PersonFactory
from tests.jobs import run_pending_jobs
from tests.sms.fake_provider import rfc3339

Status = Message.Status


def due_messages(count: int, agendas, org, *, jobs: bool = False, first: int = 0) -> list[Message]:
    """``count`` reminders due a minute ago, for as many persons (with their jobs if asked)."""
    messages = []
    for n in range(first, first + count):
        person = PersonFactory(followed_by=[org.spip_alpha], phone=f"+33612345{n:03d}")
        appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
        message = MessageFactory(
            appointment=appointment, send_after=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        )
        if jobs:
            tasks.schedule(message)
        messages.append(message)
    return messages


def job_statuses(messages: list[Message]) -> dict[int, str]:
    """The sending job of each message (procrastinate's tables outlive other tests' data)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (args->>'message_id')::int, status FROM procrastinate_jobs "
            "WHERE task_name = %s AND (args->>'message_id')::int = ANY(%s)",
            [delivery.SEND_TASK, [m.pk for m in messages]],
        )
        return dict(cursor.fetchall())


def test_one_job_sends_the_due_batch_and_cancels_the_other_jobs(agendas, org, fake_provider):
    first, *others = due_messages(4, agendas, org, jobs=True)
    statuses = delivery.deliver_batch(first.pk, fake_provider.provider(), limit=3)
    assert list(statuses.values()) == [Status.SENT] * 3 and first.pk in statuses
    sent = [pk for pk in statuses if pk != first.pk]
    jobs = job_statuses([first, *others])
    assert {jobs[pk] for pk in sent} == {"cancelled"}  # this job sent them
    assert jobs[first.pk] == "todo"  # its own job is the caller (not cancelled)
    left = [m.pk for m in others if m.pk not in statuses]
    assert [jobs[pk] for pk in left] == ["todo"]  # beyond the batch: its job sends it
    assert Message.objects.get(pk=left[0]).status == Status.PENDING
    assert len(fake_provider.messages) == 3


def test_the_messages_of_a_batch_are_written_with_their_text_and_events(
    agendas, org, fake_provider
):
    messages = due_messages(3, agendas, org)
    delivery.deliver_batch(messages[0].pk, fake_provider.provider())
    for message in messages:
        message.refresh_from_db()
        assert message.status == Status.SENT and message.attempts == 1
        assert message.provider_reference and "STOP SMS" in message.text
        assert list(message.events.values_list("status", flat=True)) == [Status.SENT]
    texts = {m.ref_id: m.text for m in fake_provider.messages}
    assert texts == {str(m.uuid): m.text for m in messages}


def test_a_batch_costs_a_fixed_number_of_queries_plus_two_per_message(agendas, org, fake_provider):
    """Per message: read it again (send-time checks) and take it back (still ours?); the
    writes of the messages sent are grouped."""

    def queries(count: int, first: int) -> int:
        Message.objects.all().delete()
        messages = due_messages(count, agendas, org, first=first)
        with CaptureQueriesContext(connection) as captured:
            delivery.deliver_batch(messages[0].pk, fake_provider.provider())
        assert Message.objects.filter(status=Status.SENT).count() == count
        return len(captured)

    assert queries(12, first=100) - queries(2, first=0) == 2 * 10


def test_a_receipt_that_came_first_is_not_overwritten_by_sent(agendas, org, fake_provider):
    (message,) = due_messages(1, agendas, org)
    provider = fake_provider.provider()
    send = provider.send

    def send_then_receipt(**kwargs):
        result = send(**kwargs)  # the provider is faster than our write of ``sent``
        report = parse_report(
            {"refId": kwargs["reference"], "resultCode": 1001, "timestamp": rfc3339()}
        )
        assert not isinstance(report, str)
        actions.apply_receipt(report=report)
        return result

    provider.send = send_then_receipt  # type: ignore[method-assign]
    delivery.deliver_batch(message.pk, provider)
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.provider_reference


def test_a_failure_in_a_batch_is_retried_alone(agendas, org, fake_provider):
    messages = due_messages(3, agendas, org)
    fake_provider.fail_next(1, status=503)  # the first message sent fails, the others leave
    statuses = delivery.deliver_batch(messages[0].pk, fake_provider.provider())
    assert sorted(statuses.values()) == [Status.PENDING, Status.SENT, Status.SENT]


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_share_the_messages_without_overlap(agendas, org):
    messages = due_messages(40, agendas, org)
    now = dt.datetime.now(dt.UTC)
    barrier = threading.Barrier(2)
    claimed: list[list[int]] = []

    def worker(first: int) -> None:
        try:
            barrier.wait()
            claimed.append(delivery.claim(first, now, limit=30))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(pk,)) for pk in (messages[0].pk, messages[-1].pk)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = claimed
    assert not set(first) & set(second)
    assert len(first) + len(second) == 40  # 30 + the 10 the other could still take
    assert Message.objects.filter(status=Status.SENDING).count() == 40


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_every_due_message_once_with_few_jobs(
    agendas, org, use_fake_provider, service_in_daytime
):
    messages = due_messages(12, agendas, org, jobs=True)
    run_pending_jobs()
    assert Message.objects.filter(status=Status.SENT).count() == 12
    assert sorted(m.ref_id for m in use_fake_provider.messages) == sorted(
        str(m.uuid) for m in messages
    )
    jobs = list(job_statuses(messages).values())
    assert len(jobs) == 12
    assert jobs.count("succeeded") < 12 and set(jobs) <= {"succeeded", "cancelled"}
