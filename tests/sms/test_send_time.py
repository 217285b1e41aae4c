"""Checked again when the message leaves (issue 13, item 5): a retry, a reconciliation or a
worker back after an outage never sends at night, nor after the convocation, nor to a
person who can no longer receive it; such a message ends ``cancelled`` with its reason (at
night, it waits for 08:00 local when the convocation is still ahead then)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from jalon.appointments.models import Appointment
from jalon.sms import delivery
from jalon.sms.models import Message, MessageKind
from tests.factories import AppointmentFactory, MessageFactory

Status = Message.Status
UTC = dt.UTC


def moment(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=UTC)


def queued(person, agendas, *, kind=MessageKind.REMINDER, starts_at, due, **appointment):
    appointment = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=30),
        **appointment,
    )
    return MessageFactory(kind=kind, appointment=appointment, send_after=due)


@pytest.fixture
def in_cayenne(org):
    org.spip_alpha.time_zone = "America/Cayenne"  # UTC−3, no daylight saving
    org.spip_alpha.save(update_fields=["time_zone"])
    return org.spip_alpha


def test_a_retry_due_at_night_in_the_services_zone_waits_for_8_am(
    person, agendas, in_cayenne, fake_provider
):
    # 09:00 UTC: 11:00 in Paris, but 06:00 in Cayenne, where the service is.
    with time_machine.travel(moment("2027-07-05", 9), tick=False):
        message = queued(
            person, agendas, starts_at=moment("2027-07-07", 15), due=moment("2027-07-05", 8)
        )
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.PENDING
    message.refresh_from_db()
    assert message.send_after == moment("2027-07-05", 11)  # 08:00 in Cayenne
    assert message.attempts == 0 and "nuit" in message.error
    assert fake_provider.messages == []
    with time_machine.travel(moment("2027-07-05", 11), tick=False):
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.SENT


def test_at_night_with_the_convocation_before_8_am_the_sms_is_cancelled(
    person, agendas, in_cayenne, fake_provider
):
    with time_machine.travel(moment("2027-07-05", 2), tick=False):  # 23:00 in Cayenne
        message = queued(
            person, agendas, starts_at=moment("2027-07-05", 10), due=moment("2027-07-04", 20)
        )
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.CANCELLED
    message.refresh_from_db()
    assert "nuit" in message.error and "commencé" in message.error
    assert list(message.events.values_list("status", "detail")) == [
        (Status.CANCELLED, message.error)
    ]
    assert fake_provider.messages == []


def test_a_worker_back_after_the_convocation_began_cancels_the_reminder(
    person, agendas, fake_provider
):
    with time_machine.travel(moment("2027-07-07", 13), tick=False):  # 15:00 in Paris
        message = queued(
            person, agendas, starts_at=moment("2027-07-07", 12), due=moment("2027-07-05", 12)
        )
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.CANCELLED
    message.refresh_from_db()
    assert message.error == "La convocation aura déjà commencé."
    assert fake_provider.messages == []


@pytest.mark.parametrize("status", [Appointment.Status.CANCELLED, Appointment.Status.EXCUSED])
def test_a_reminder_of_a_convocation_no_longer_booked_is_cancelled(
    person, agendas, fake_provider, status
):
    with time_machine.travel(moment("2027-07-05", 9), tick=False):
        message = queued(
            person,
            agendas,
            starts_at=moment("2027-07-07", 12),
            due=moment("2027-07-05", 8),
            status=status,
        )
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.CANCELLED
    message.refresh_from_db()
    assert message.error.startswith("La convocation est désormais")
    assert fake_provider.messages == []


def test_the_cancellation_and_missed_sms_still_leave(person, agendas, fake_provider):
    with time_machine.travel(moment("2027-07-07", 13), tick=False):
        cancelled = queued(
            person,
            agendas,
            kind=MessageKind.CANCELLATION,
            starts_at=moment("2027-07-09", 12),
            due=moment("2027-07-07", 12),
            status=Appointment.Status.CANCELLED,
        )
        missed = queued(
            person,
            agendas,
            kind=MessageKind.MISSED,
            starts_at=moment("2027-07-07", 9),  # in the past: that is its subject
            due=moment("2027-07-07", 12),
            status=Appointment.Status.MISSED,
        )
        provider = fake_provider.provider()
        assert delivery.deliver(cancelled.pk, provider) == Status.SENT
        assert delivery.deliver(missed.pk, provider) == Status.SENT


def test_a_missed_sms_whose_outcome_was_reverted_is_cancelled(person, agendas, fake_provider):
    with time_machine.travel(moment("2027-07-07", 13), tick=False):
        message = queued(
            person,
            agendas,
            kind=MessageKind.MISSED,
            starts_at=moment("2027-07-07", 9),
            due=moment("2027-07-07", 12),
            status=Appointment.Status.HONOURED,
        )
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.CANCELLED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"refuses_sms": True}, "La personne refuse désormais les SMS."),
        (
            {"phone": None, "has_no_mobile": True},
            "Plus de téléphone portable enregistré pour la personne.",
        ),
    ],
)
def test_a_person_no_longer_reachable_gets_nothing(person, agendas, fake_provider, change, reason):
    with time_machine.travel(moment("2027-07-05", 9), tick=False):
        message = queued(
            person, agendas, starts_at=moment("2027-07-07", 12), due=moment("2027-07-05", 8)
        )
        type(person).objects.filter(pk=person.pk).update(**change)
        assert delivery.deliver(message.pk, fake_provider.provider()) == Status.CANCELLED
    message.refresh_from_db()
    assert message.error == reason
    assert fake_provider.messages == []


def test_a_message_put_back_by_the_reconciliation_is_checked_again(
    person, agendas, in_cayenne, fake_provider
):
    """Reconciled at night (a worker died in the evening): back to the queue, then held."""
    with time_machine.travel(moment("2027-07-05", 9), tick=False):  # 06:00 in Cayenne
        message = queued(
            person, agendas, starts_at=moment("2027-07-07", 15), due=moment("2027-07-04", 21)
        )
        long_ago = moment("2027-07-04", 21, 5)
        Message.objects.filter(pk=message.pk).update(
            status=Status.SENDING, claimed_at=long_ago, lease_until=long_ago + delivery.LEASE
        )
        provider = fake_provider.provider()
        assert delivery.reconcile(provider)[1] == [message.pk]
        assert delivery.deliver(message.pk, provider) == Status.PENDING
    message.refresh_from_db()
    assert message.send_after == moment("2027-07-05", 11)
    assert fake_provider.messages == []
