"""Transfer auto-accept rules: archived person, no convocation for 6 months, nobody asked."""

from __future__ import annotations

import datetime as dt

import pytest

from jalon.appointments.models import Appointment
from jalon.people.actions import archive_person
from jalon.people.models import Follow
from jalon.transfers import actions
from jalon.transfers.models import Transfer, TransferAnswer
from tests.factories import AppointmentFactory
from tests.transfers.conftest import queued_emails


def ask(world):
    return actions.request_transfer(
        agent=world.requester,
        person=world.person,
        service=world.spip_beta,
        reason="Déménagement",
    )


def move_past_convocation(world, days_ago: int, frozen_now, **fields) -> None:
    Appointment.objects.filter(pk=world.past.pk).update(
        starts_at=frozen_now - dt.timedelta(days=days_ago),
        ends_at=frozen_now - dt.timedelta(days=days_ago) + dt.timedelta(minutes=30),
        **fields,
    )


def assert_moved_at_once(transfer, world, reason: str) -> None:
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.AUTO_ACCEPTED
    assert transfer.auto_reason == reason
    assert set(transfer.answers.values_list("status", flat=True)) == {
        TransferAnswer.Status.AUTO_ACCEPTED
    }
    assert [f.service for f in Follow.objects.filter(person=world.person)] == [world.spip_beta]


def test_an_archived_person_is_transferred_at_once(world, org):
    archive_person(agent=world.dpip_alpha, person=world.person)
    transfer = ask(world)
    assert_moved_at_once(transfer, world, Transfer.AutoReason.ARCHIVED)
    subjects = [mail["subject"] for mail in queued_emails()]
    assert "Demande de transfert de suivi — DURAND Léa" not in subjects  # nobody has to answer
    assert subjects.count("Suivi transféré à un autre service — DURAND Léa") == 2


@pytest.mark.parametrize(
    ("days_ago", "status", "automatic"),
    [
        (30, Appointment.Status.HONOURED, False),
        (170, Appointment.Status.MISSED, False),  # less than 6 months ago
        (190, Appointment.Status.HONOURED, True),  # more than 6 months ago
        (30, Appointment.Status.CANCELLED, True),  # a cancelled convocation never took place
    ],
)
def test_a_follow_up_without_convocation_for_6_months_is_transferred_at_once(
    world, frozen_now, days_ago, status, automatic
):
    move_past_convocation(world, days_ago, frozen_now, status=status)
    transfer = ask(world)
    if automatic:
        assert_moved_at_once(transfer, world, Transfer.AutoReason.DORMANT)
    else:
        assert transfer.status == Transfer.Status.PENDING


def test_a_planned_future_convocation_keeps_the_follow_up_alive(world, agendas, frozen_now):
    move_past_convocation(world, 400, frozen_now)
    AppointmentFactory(
        person=world.person, agenda=agendas.sap_alpha, starts_at=frozen_now + dt.timedelta(days=9)
    )
    assert ask(world).status == Transfer.Status.PENDING


def test_only_convocations_in_the_asked_services_count(world, agendas, frozen_now):
    move_past_convocation(world, 400, frozen_now)
    AppointmentFactory(  # SAP Beta does not follow the person: it is not asked
        person=world.person, agenda=agendas.sap_beta, starts_at=frozen_now - dt.timedelta(days=3)
    )
    assert_moved_at_once(ask(world), world, Transfer.AutoReason.DORMANT)


def test_a_person_nobody_follows_is_transferred_at_once(world):
    Follow.objects.filter(person=world.person).delete()
    world.person.refresh_from_db()
    transfer = ask(world)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.auto_reason) == (
        Transfer.Status.AUTO_ACCEPTED,
        Transfer.AutoReason.NOBODY,
    )
    assert [f.service for f in Follow.objects.filter(person=world.person)] == [world.spip_beta]
