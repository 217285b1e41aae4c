"""Jobs: send one message when due; settle interrupted sends."""

from __future__ import annotations

from procrastinate.contrib.django import app

from jalon.sms import delivery, gateway
from jalon.sms.models import Message


@app.task(queue="sms", pass_context=False)
def send_message(*, message_id: int) -> None:
    status = delivery.deliver(message_id, gateway.provider())
    if status == Message.Status.PENDING:  # transient failure: try again later
        schedule(Message.objects.get(pk=message_id))


def schedule(message: Message) -> None:
    """Defer the sending job for ``message.send_after``, in the caller's transaction."""
    send_message.configure(schedule_at=message.send_after).defer(message_id=message.pk)


@app.periodic(cron="*/5 * * * *")
@app.task(queue="sms", queueing_lock="sms_reconcile")
def reconcile_interrupted_sends(timestamp: int) -> None:
    _, requeued = delivery.reconcile(gateway.provider())
    # Also the pending messages whose job died with a killed worker: none is ever lost.
    for message in Message.objects.filter(pk__in=[*requeued, *delivery.orphans()]):
        schedule(message)
