"""The daily job: a reminder after 5 days, automatic acceptance after 10, never twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from jalon.people.models import Follow
from jalon.transfers import actions
from jalon.transfers.models import Transfer, TransferAnswer
from jalon.transfers.tasks import transfer_deadlines
from tests.jobs import run_pending_jobs

REMINDER = "Relance : demande de transfert de suivi sans réponse — DURAND Léa"


def ask(world):
    return actions.request_transfer(
        agent=world.requester, person=world.person, service=world.spip_beta, reason="Déménagement"
    )


def at_day(frozen_now: dt.datetime, days: int, hour: int = 7) -> dt.datetime:
    """``days`` calendar days after the request, at ``hour`` UTC (the job runs in the morning)."""
    return (frozen_now + dt.timedelta(days=days)).replace(hour=hour, minute=15)


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


@pytest.mark.django_db(transaction=True)
def test_reminder_on_day_5_once_then_automatic_acceptance_on_day_10(world, org, frozen_now):
    transfer = ask(world)  # Monday 5 July, 10:00 in Paris
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)  # SAP Alpha stays silent
    run_pending_jobs()
    mail.outbox.clear()

    with time_machine.travel(at_day(frozen_now, 4).timestamp(), tick=False):
        assert actions.process_deadlines() == actions.DeadlineReport()
        run_pending_jobs()
    assert mail.outbox == []

    sap_answer = transfer.answers.get(service=org.sap_alpha)
    with time_machine.travel(at_day(frozen_now, 5, hour=5).timestamp(), tick=False):
        report = actions.process_deadlines()
        assert report.reminded == [sap_answer.pk] and report.auto_accepted == []
        assert actions.process_deadlines().reminded == []  # a second run the same day
        run_pending_jobs()
    assert subjects() == [REMINDER]
    assert mail.outbox[0].to == [org.sap_alpha.email]
    assert "n’a pas encore répondu" in mail.outbox[0].body

    with time_machine.travel(at_day(frozen_now, 9, hour=21).timestamp(), tick=False):
        assert actions.process_deadlines() == actions.DeadlineReport()  # 23:00 on day 9 in Paris
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.PENDING

    mail.outbox.clear()
    with time_machine.travel(at_day(frozen_now, 10).timestamp(), tick=False):
        assert actions.process_deadlines().auto_accepted == [transfer.pk]
        assert actions.process_deadlines() == actions.DeadlineReport()
        run_pending_jobs()
    transfer.refresh_from_db()
    assert (transfer.status, transfer.auto_reason) == (
        Transfer.Status.AUTO_ACCEPTED,
        Transfer.AutoReason.NO_ANSWER,
    )
    answers = {a.service.name: a.status for a in transfer.answers.all()}
    assert answers == {"SPIP Alpha": "accepted", "SAP Alpha": TransferAnswer.Status.AUTO_ACCEPTED}
    assert [f.service for f in Follow.objects.filter(person=world.person)] == [world.spip_beta]
    assert sorted(subjects()) == sorted(
        [
            "Transfert de suivi effectué — DURAND Léa",
            "Suivi transféré à un autre service — DURAND Léa",
            "Suivi transféré à un autre service — DURAND Léa",
        ]
    )
    assert REMINDER not in subjects()


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_and_the_command_run_the_same_function(world, frozen_now):
    transfer = ask(world)
    with time_machine.travel(at_day(frozen_now, 6).timestamp(), tick=False):
        call_command("transfer_deadlines", "--dry-run")
        assert not TransferAnswer.objects.filter(reminded_at__isnull=False).exists()
        transfer_deadlines(timestamp=0)
        assert TransferAnswer.objects.filter(reminded_at__isnull=False).count() == 2
        transfer_deadlines(timestamp=0)  # idempotent
        run_pending_jobs()
    assert subjects().count(REMINDER) == 2  # one per silent service
    transfer.refresh_from_db()
    assert transfer.is_pending


@pytest.mark.django_db(transaction=True)
def test_closed_requests_are_left_alone(world, frozen_now):
    transfer = ask(world)
    actions.cancel_transfer(agent=world.requester, transfer=transfer)
    with time_machine.travel(at_day(frozen_now, 12).timestamp(), tick=False):
        assert actions.process_deadlines() == actions.DeadlineReport()
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_a_request_locked_elsewhere_is_skipped_not_waited_for(world, frozen_now):
    """Two runs at once: the second skips the request the first holds, and takes it next time."""
    transfer = ask(world)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Transfer.objects.select_for_update().get(pk=transfer.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with time_machine.travel(at_day(frozen_now, 10).timestamp(), tick=False):
            assert actions.process_deadlines().auto_accepted == []
    finally:
        release.set()
        holder.join(timeout=30)
    transfer.refresh_from_db()
    assert transfer.is_pending
    with time_machine.travel(at_day(frozen_now, 10).timestamp(), tick=False):
        assert actions.process_deadlines().auto_accepted == [transfer.pk]
