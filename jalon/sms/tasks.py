"""Jobs: send due messages by batches; settle interrupted sends."""

from __future__ import annotations

from django.db import transaction
from procrastinate import exceptions
from procrastinate.contrib.django import app

from jalon.sms import delivery, gateway
from jalon.sms.models import Message


@app.task(queue="sms", pass_context=False)
def send_message(*, message_id: int) -> None:
    """Each message has its job; the first job to run also sends the other messages due
    (``delivery.deliver_batch``) and cancels their waiting jobs."""
    statuses = delivery.deliver_batch(message_id, gateway.provider())
    retry = [pk for pk, status in statuses.items() if status == Message.Status.PENDING]
    for message in Message.objects.filter(pk__in=retry):  # transient failure: later
        schedule_again(message)


def schedule(message: Message) -> None:
    """Defer the sending job for ``message.send_after``, in the caller's transaction.

    At most one job waits per message (``queueing_lock``, which also lets a batch cancel
    the jobs of the messages it sends).
    """
    send_message.configure(
        schedule_at=message.send_after, queueing_lock=delivery.job_lock(message.pk)
    ).defer(message_id=message.pk)


def schedule_many(messages: list[Message]) -> None:
    """``schedule`` for many messages, in one insert of their jobs."""
    deferrers = [
        send_message.configure(
            schedule_at=message.send_after,
            queueing_lock=delivery.job_lock(message.pk),
            task_kwargs={"message_id": message.pk},
        )
        for message in messages
    ]
    if deferrers:
        deferrers[0].job_manager.batch_defer_jobs([deferrer.job for deferrer in deferrers])


def schedule_again(message: Message) -> None:
    """``schedule``, unless a job already waits for the message: that one will send it."""
    try:
        with transaction.atomic():
            schedule(message)
    except exceptions.AlreadyEnqueued:
        pass


@app.periodic(cron="* * * * *")
@app.task(queue="sms", queueing_lock="sms_reconcile")
def reconcile_interrupted_sends(timestamp: int) -> None:
    """Every minute: cheap when there is nothing to do (a partial index on the leases), and
    the backoff of the provider lookups is counted in minutes."""
    _, requeued = delivery.reconcile(gateway.provider())
    # Also the pending messages whose job died with a killed worker: none is ever lost.
    for message in Message.objects.filter(pk__in=[*requeued, *delivery.orphans()]):
        schedule_again(message)
