"""Transfer actions: request, accept, refuse, cancel, and what completing one changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jalon.appointments.models import Appointment, Slot
from jalon.history.models import Event
from jalon.people.models import Follow
from jalon.sms.models import Message, MessageKind
from jalon.transfers import actions
from jalon.transfers.models import Transfer, TransferAnswer
from tests.factories import AppointmentFactory, appointment_type
from tests.transfers.conftest import queued_emails


def request(world, **overrides):
    values = {
        "agent": world.requester,
        "person": world.person,
        "service": world.spip_beta,
        "reason": "A déménagé à Beta",
    }
    return actions.request_transfer(**(values | overrides))


def followers(person) -> set[str]:
    return {follow.service.name for follow in Follow.objects.filter(person=person)}


def test_a_request_asks_every_following_service_and_mails_them(world, org):
    transfer = request(world)
    assert transfer.status == Transfer.Status.PENDING
    answers = {answer.service.name: answer.status for answer in transfer.answers.all()}
    assert answers == {"SPIP Alpha": "pending", "SAP Alpha": "pending"}
    mails = queued_emails()
    assert sorted(tuple(mail["to"]) for mail in mails) == sorted(
        [(org.sap_alpha.email,), (org.spip_alpha.email,)]
    )
    assert all(mail["subject"] == "Demande de transfert de suivi — DURAND Léa" for mail in mails)
    assert "SPIP Beta demande à reprendre le suivi" in mails[0]["body"]
    assert f"/transferts/{transfer.pk}/" in mails[0]["body"]
    assert Event.objects.for_object(transfer).filter(action="transfer.requested").exists()
    assert Event.objects.for_object(world.person).filter(action="transfer.requested").exists()
    assert followers(world.person) == {"SPIP Alpha", "SAP Alpha"}  # nothing moves yet


def test_the_local_admins_of_an_asked_service_are_mailed_too(world, org, make_agent):
    admin = make_agent("local_admin", service=org.sap_alpha)
    request(world)
    assert [admin.email, org.sap_alpha.email] in [sorted(mail["to"]) for mail in queued_emails()]


def test_a_reason_is_required(world):
    with pytest.raises(ValidationError) as error:
        request(world, reason="   ")
    assert "reason" in error.value.message_dict
    assert not Transfer.objects.exists()


def test_a_service_that_already_follows_cannot_ask(world, org, make_agent):
    with pytest.raises(ValidationError, match="suit déjà"):
        request(
            world, agent=make_agent("local_admin", service=org.spip_alpha), service=org.spip_alpha
        )


def test_a_cpip_cannot_ask(world, make_agent):
    with pytest.raises(PermissionDenied):
        request(world, agent=make_agent("cpip", service=world.spip_beta))


def test_only_one_pending_request_per_person(world, org, make_agent):
    request(world)
    with pytest.raises(ValidationError, match="déjà une demande"):
        request(world)
    other = make_agent("greff_sap", service=org.sap_beta)
    with pytest.raises(ValidationError, match="demandée par SPIP Beta"):
        request(world, agent=other, service=org.sap_beta)
    assert Transfer.objects.count() == 1


def test_the_database_refuses_two_pending_requests_of_one_service(world):
    transfer = request(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            person=world.person, requesting_service=world.spip_beta, reason="Doublon"
        )
    # A closed request does not count.
    actions.cancel_transfer(agent=world.requester, transfer=transfer)
    assert request(world).is_pending


def test_one_acceptance_waits_for_the_others_and_tells_the_requester(world, org):
    transfer = request(world)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.PENDING
    answer = transfer.answers.get(service=org.spip_alpha)
    assert (answer.status, answer.answered_by) == (TransferAnswer.Status.ACCEPTED, world.dpip_alpha)
    last = queued_emails()[-1]
    assert world.requester.email in last["to"] and world.spip_beta.email in last["to"]
    assert "En attente de la réponse de : SAP Alpha" in last["body"]
    assert followers(world.person) == {"SPIP Alpha", "SAP Alpha"}


def test_the_last_acceptance_moves_the_follow(world, org):
    transfer = request(world)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer, reason="D’accord")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.ACCEPTED and transfer.decided_at is not None
    assert followers(world.person) == {"SPIP Beta"}
    world.person.refresh_from_db()
    assert world.person.referent is None  # the CPIP of SPIP Alpha no longer follows them
    assert Event.objects.for_object(world.person).filter(action="transfer.completed").exists()
    subjects = [mail["subject"] for mail in queued_emails()]
    assert subjects.count("Transfert de suivi effectué — DURAND Léa") == 1
    assert subjects.count("Suivi transféré à un autre service — DURAND Léa") == 2


def test_a_referent_of_another_service_is_kept(world, org, make_agent):
    other = make_agent("cpip", service=world.spip_beta)
    world.person.referent = other
    world.person.save(update_fields=["referent"])
    transfer = request(world)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer)
    world.person.refresh_from_db()
    assert world.person.referent == other


def test_completion_cancels_the_future_convocations_of_released_services(
    world, org, agendas, frozen_now
):
    slot = Slot.objects.create(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        starts_at=frozen_now + dt.timedelta(days=20),
        duration_minutes=30,
        capacity=2,
    )
    held = AppointmentFactory(
        person=world.person,
        agenda=agendas.spip_alpha,
        starts_at=slot.starts_at,
        appointment_type=appointment_type("sortie_audience_spip"),
        slot=slot,
    )
    slot.booked_count = 1
    slot.save(update_fields=["booked_count"])
    elsewhere = AppointmentFactory(
        person=world.person, agenda=agendas.sap_beta, starts_at=frozen_now + dt.timedelta(days=5)
    )
    transfer = request(world)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer)
    held.refresh_from_db()
    slot.refresh_from_db()
    elsewhere.refresh_from_db()
    world.past.refresh_from_db()
    assert held.status == Appointment.Status.CANCELLED and held.outcome_by == world.greff_sap_alpha
    assert slot.booked_count == 0
    assert elsewhere.status == Appointment.Status.BOOKED  # not held by a released service
    assert world.past.status == Appointment.Status.HONOURED
    assert Message.objects.filter(appointment=held, kind=MessageKind.CANCELLATION).count() == 1
    assert Event.objects.for_object(held).filter(action="appointment.cancelled").exists()
    released = [m for m in queued_emails() if m["subject"].startswith("Suivi transféré")]
    assert any(
        "1 convocation à venir auprès de SPIP Alpha a été annulée" in m["body"] for m in released
    )


def test_no_cancellation_sms_when_the_requester_said_so(world, agendas, frozen_now):
    held = AppointmentFactory(
        person=world.person, agenda=agendas.spip_alpha, starts_at=frozen_now + dt.timedelta(days=3)
    )
    transfer = request(world, notify_person=False)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer)
    held.refresh_from_db()
    assert held.status == Appointment.Status.CANCELLED
    assert not Message.objects.filter(appointment=held, kind=MessageKind.CANCELLATION).exists()


def test_a_refusal_needs_a_reason_and_refuses_the_whole_request(world, org):
    transfer = request(world)
    with pytest.raises(ValidationError):
        actions.refuse_transfer(agent=world.dpip_alpha, transfer=transfer, reason=" ")
    assert transfer.answers.get(service=org.spip_alpha).is_pending
    actions.refuse_transfer(agent=world.dpip_alpha, transfer=transfer, reason="Suivi en cours ici")
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REFUSED
    statuses = {answer.service.name: answer.status for answer in transfer.answers.all()}
    assert statuses == {"SPIP Alpha": "refused", "SAP Alpha": "void"}
    assert followers(world.person) == {"SPIP Alpha", "SAP Alpha"}
    mails = queued_emails()
    refused = next(m for m in mails if m["subject"] == "Transfert de suivi refusé — DURAND Léa")
    assert "Motif du refus : Suivi en cours ici" in refused["body"]
    assert world.requester.email in refused["to"]
    assert any(org.sap_alpha.email in m["to"] and "close" in m["subject"] for m in mails)
    with pytest.raises(ValidationError, match="plus en attente"):
        actions.accept_transfer(agent=world.greff_sap_alpha, transfer=transfer)


def test_an_agent_answers_only_for_their_own_service(world, org, make_agent):
    transfer = request(world)
    with pytest.raises(PermissionDenied):
        actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer, service=org.sap_alpha)
    with pytest.raises(PermissionDenied):
        actions.accept_transfer(agent=make_agent("cpip", service=org.spip_alpha), transfer=transfer)
    with pytest.raises(PermissionDenied):  # BEX Alpha is not asked
        actions.accept_transfer(
            agent=make_agent("dir_greff_bex", service=org.bex_alpha), transfer=transfer
        )
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    with pytest.raises(ValidationError, match="déjà répondu"):
        actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)


def test_a_national_admin_answers_for_a_named_service(world, org, make_agent):
    admin = make_agent("national_admin", service=org.national)
    transfer = request(world)
    actions.accept_transfer(agent=admin, transfer=transfer, service=org.spip_alpha)
    actions.accept_transfer(agent=admin, transfer=transfer, service=org.sap_alpha)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.ACCEPTED


def test_the_requester_cancels_and_the_asked_services_are_told(world, org):
    transfer = request(world)
    actions.accept_transfer(agent=world.dpip_alpha, transfer=transfer)
    with pytest.raises(PermissionDenied):
        actions.cancel_transfer(agent=world.dpip_alpha, transfer=transfer)
    actions.cancel_transfer(agent=world.requester, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED
    assert transfer.answers.get(service=org.sap_alpha).status == TransferAnswer.Status.VOID
    cancelled = [m for m in queued_emails() if "annulée" in m["subject"]]
    assert [m["to"] for m in cancelled] == [[org.sap_alpha.email]]  # SPIP Alpha had answered
    assert Event.objects.for_object(world.person).filter(action="transfer.cancelled").exists()
    assert followers(world.person) == {"SPIP Alpha", "SAP Alpha"}
