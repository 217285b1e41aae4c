"""The outbox: which SMS a convocation's life queues, and delivery exactly once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from jalon.appointments import actions
from jalon.history.models import Event
from jalon.sms import delivery
from jalon.sms.models import Message, MessageKind
from tests.factories import AppointmentFactory, MessageFactory, appointment_type
from tests.jobs import run_pending_jobs
from tests.sms.fake_provider import WEBHOOK_SECRET, rfc3339

PARIS = ZoneInfo("Europe/Paris")
Status = Message.Status


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=PARIS)


def book(agent, person, agenda, starts_at, **kwargs):
    return actions.book_appointment(
        agent=agent,
        person=person,
        appointment_type=appointment_type("spip_follow_up"),  # reminder 48 h before
        agenda=agenda,
        starts_at=starts_at,
        **kwargs,
    )


def kinds(appointment) -> list[tuple[str, str]]:
    return list(
        Message.objects.filter(appointment=appointment).order_by("pk").values_list("kind", "status")
    )


def scheduled_jobs() -> list[tuple[int, dt.datetime]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (args->>'message_id')::int, scheduled_at FROM procrastinate_jobs "
            "WHERE task_name = 'jalon.sms.tasks.send_message' ORDER BY id"
        )
        return list(cursor.fetchall())


# --- What a convocation queues ------------------------------------------------------------


def test_booking_queues_the_reminder_48_hours_before_with_its_job(
    frozen_now, cpip, person, agendas
):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09", 10))
    reminder = Message.objects.get(appointment=appointment)
    assert (reminder.kind, reminder.status, reminder.phone) == (
        "reminder",
        "pending",
        "+33612345678",
    )
    assert reminder.send_after == at("2027-07-07", 10)
    assert scheduled_jobs() == [(reminder.pk, reminder.send_after)]


def test_the_immediate_convocation_sms_comes_with_the_reminder(frozen_now, cpip, person, agendas):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09"), send_sms_now=True)
    assert kinds(appointment) == [("convocation", "pending"), ("reminder", "pending")]
    assert Message.objects.get(kind="convocation").send_after == frozen_now


def test_booked_inside_the_reminder_delay_one_message_not_two(frozen_now, cpip, person, agendas):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-06", 15), send_sms_now=False)
    assert kinds(appointment) == [("convocation", "pending")]


@pytest.mark.parametrize("flags", [{"refuses_sms": True}, {"phone": None, "has_no_mobile": True}])
def test_no_sms_for_a_person_who_refuses_or_has_no_mobile(frozen_now, cpip, person, agendas, flags):
    for name, value in flags.items():
        setattr(person, name, value)
    person.save()
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09"), send_sms_now=True)
    assert kinds(appointment) == []


def test_messages_and_jobs_roll_back_with_the_booking(frozen_now, cpip, person, agendas):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(cpip, person, agendas.spip_alpha, at("2027-07-09"), send_sms_now=True)
        assert len(scheduled_jobs()) == 2
        raise RuntimeError("the caller's transaction fails after the booking")
    assert not Message.objects.exists() and scheduled_jobs() == []


def test_cancelling_cancels_the_reminder_and_may_tell_the_person(frozen_now, cpip, person, agendas):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09"))
    actions.cancel_appointment(agent=cpip, appointment=appointment, notify=True)
    assert kinds(appointment) == [("reminder", "cancelled"), ("cancellation", "pending")]


def test_rescheduling_moves_the_reminder(frozen_now, cpip, person, agendas):
    old = book(cpip, person, agendas.spip_alpha, at("2027-07-09"))
    new = actions.reschedule_appointment(
        agent=cpip,
        appointment=old,
        agenda=agendas.spip_alpha,
        starts_at=at("2027-07-13"),
        notify=True,
    )
    assert kinds(old) == [("reminder", "cancelled")]
    assert kinds(new) == [("reschedule", "pending"), ("reminder", "pending")]
    assert Message.objects.get(appointment=new, kind="reminder").send_after == at("2027-07-11")


def test_excusing_cancels_the_reminder_and_reverting_queues_it_again(
    frozen_now, cpip, person, agendas
):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09"))
    actions.record_outcome(agent=cpip, appointment=appointment, status="excused")
    actions.revert_outcome(agent=cpip, appointment=appointment)
    assert kinds(appointment) == [("reminder", "cancelled"), ("reminder", "pending")]


def test_the_database_forbids_two_live_reminders(frozen_now, cpip, person, agendas):
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            kind=MessageKind.REMINDER,
            appointment=appointment,
            person=person,
            service=appointment.service,
            phone=person.phone,
            send_after=at("2027-07-08"),
        )


# --- Delivery -----------------------------------------------------------------------------


@pytest.fixture
def due(person, agendas):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    return MessageFactory(
        appointment=appointment, send_after=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    )


def test_a_message_is_claimed_once_and_sent_once(due, fake_provider):
    provider = fake_provider.provider()
    assert delivery.deliver(due.pk, provider) == Status.SENT
    assert delivery.deliver(due.pk, provider) is None  # a second job finds nothing to claim
    due.refresh_from_db()
    assert fake_provider.sent_count(str(due.uuid)) == 1
    assert due.status == Status.SENT and due.attempts == 1 and due.provider_reference
    sent = fake_provider.messages[0]
    assert (sent.destination, sent.source) == ("+33612345678", "RDV Justice")
    assert "RAPPEL" in sent.text.upper()


def test_the_text_is_rendered_when_it_leaves(due, fake_provider):
    place = due.appointment.agenda.place
    place.address = "42 avenue de la Nouvelle-Adresse\n67000 Strasbourg"
    place.save()
    delivery.deliver(due.pk, fake_provider.provider())
    assert "42 avenue de la Nouvelle-Adresse, 67000 Strasbourg" in fake_provider.messages[0].text


def test_a_person_who_opted_out_in_the_meantime_gets_nothing(due, fake_provider):
    due.person.refuses_sms = True
    due.person.save()
    assert delivery.deliver(due.pk, fake_provider.provider()) == Status.CANCELLED
    assert fake_provider.messages == []


def test_a_transient_error_is_retried_later_with_backoff(due, fake_provider):
    fake_provider.fail_next(1, status=503)
    now = dt.datetime.now(dt.UTC)
    assert delivery.deliver(due.pk, fake_provider.provider(), now=now) == Status.PENDING
    due.refresh_from_db()
    assert due.send_after == now + dt.timedelta(seconds=30)
    assert "503" in due.error
    assert delivery.deliver(due.pk, fake_provider.provider(), now=now) is None  # not yet due
    assert delivery.deliver(due.pk, fake_provider.provider(), now=due.send_after) == Status.SENT


def test_a_permanent_error_fails_at_once_with_its_reason(due, fake_provider):
    fake_provider.invalid_numbers.add("+33612345678")
    assert delivery.deliver(due.pk, fake_provider.provider()) == Status.FAILED
    due.refresh_from_db()
    assert due.attempts == 1 and due.error


def test_after_the_last_attempt_the_message_fails(due, fake_provider):
    fake_provider.fail_next(delivery.MAX_ATTEMPTS, status=503)
    now = dt.datetime.now(dt.UTC)
    for _ in range(delivery.MAX_ATTEMPTS):
        status = delivery.deliver(due.pk, fake_provider.provider(), now=now)
        due.refresh_from_db()
        now = due.send_after
    assert status == Status.FAILED and due.attempts == delivery.MAX_ATTEMPTS


def interrupted(message, *, handed: bool, minutes_ago: int = 60) -> None:
    """As a worker killed mid-batch leaves it: ``sending``, its lease run out."""
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING,
        claimed_at=long_ago,
        lease_until=long_ago + delivery.LEASE,
        handed_at=long_ago if handed else None,
    )


@pytest.mark.parametrize(("known", "expected"), [(True, Status.SENT), (False, Status.PENDING)])
def test_an_interrupted_send_is_settled_from_the_providers_records(
    due, fake_provider, known, expected
):
    provider = fake_provider.provider()
    if known:  # the provider got it, then the worker died before writing "sent"
        provider.send(to=due.phone, text="x", sender="RDV Justice", reference=str(due.uuid))
    interrupted(due, handed=True)  # called an hour ago: past the lookup grace
    _counts, requeued = delivery.reconcile(provider)
    due.refresh_from_db()
    assert due.status == expected
    assert requeued == ([] if known else [due.pk])
    assert fake_provider.sent_count(str(due.uuid)) == (1 if known else 0)


def test_a_claim_that_never_reached_the_provider_goes_back_without_a_lookup(due, fake_provider):
    interrupted(due, handed=False)
    fake_provider.fail_next_lookups(1, status=500)  # would leave it ``sending`` if asked
    _counts, requeued = delivery.reconcile(fake_provider.provider())
    due.refresh_from_db()
    assert (due.status, requeued) == (Status.PENDING, [due.pk])


def test_a_message_the_provider_does_not_know_yet_stays_sending_and_is_asked_again(
    due, fake_provider
):
    interrupted(due, handed=True, minutes_ago=delivery.LEASE.seconds // 60 + 1)
    provider = fake_provider.provider()
    _counts, requeued = delivery.reconcile(provider)
    due.refresh_from_db()
    assert (due.status, requeued) == (Status.SENDING, [])  # a 404 alone proves nothing
    next_check = due.lease_until
    assert next_check > dt.datetime.now(dt.UTC)
    assert delivery.reconcile(provider)[1] == []  # not asked again before its time
    # It shows up late at the provider: the next check finds it, nothing is sent again.
    provider.send(to=due.phone, text="x", sender="RDV Justice", reference=str(due.uuid))
    delivery.reconcile(provider, now=next_check + dt.timedelta(seconds=1))
    due.refresh_from_db()
    assert due.status == Status.SENT and fake_provider.sent_count(str(due.uuid)) == 1


def test_a_long_batch_never_sends_a_row_the_reconciliation_took_over(agendas, org, fake_provider):
    """Finding (a): a batch slower than the lease keeps sending while ``reconcile`` settles
    its rows; it must check it still owns each row before calling the provider."""
    from tests.sms.test_batches import due_messages

    first, second = due_messages(2, agendas, org)
    provider = fake_provider.provider()
    send = provider.send

    def slow_send(**kwargs):
        result = send(**kwargs)
        # The first call took longer than the lease: the reconciliation runs meanwhile,
        # finds the second row never handed over, and puts it back for another job.
        later = dt.datetime.now(dt.UTC) + delivery.LEASE + dt.timedelta(seconds=1)
        delivery.reconcile(provider, now=later)
        Message.objects.filter(pk=second.pk).update(send_after=dt.datetime.now(dt.UTC))
        delivery.deliver(second.pk, fake_provider.provider())  # another worker sends it
        return result

    provider.send = slow_send  # type: ignore[method-assign]
    statuses = delivery.deliver_batch(first.pk, provider, limit=2)
    assert second.pk not in statuses
    assert fake_provider.sent_count(str(second.uuid)) == 1
    assert Message.objects.get(pk=second.pk).status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_due_messages_through_the_gateway(
    org, agendas, cpip, person, use_fake_provider, service_in_daytime
):
    """A real procrastinate worker, the real HTTP client, the fake provider."""
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    from jalon.sms import actions as sms_actions

    message = sms_actions.queue_message(
        appointment=appointment,
        kind=MessageKind.CONVOCATION,
        send_after=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
        agent=cpip,
    )
    run_pending_jobs()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert use_fake_provider.sent_count(str(message.uuid)) == 1


# --- Webhooks -----------------------------------------------------------------------------


def post_signed(client, name, payload, secret=WEBHOOK_SECRET):
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        reverse(name), body, content_type="application/json", HTTP_X_JALON_SIGNATURE=signature
    )


def report(message, code: int = 1001, at: dt.datetime | None = None) -> dict:
    """A delivery report as LINK Mobility posts it (fields Jalon reads, and others)."""
    return {
        "refId": str(message.uuid),
        "id": "abc123",
        "operator": "fr.orange",
        "sentTimestamp": rfc3339(at),
        "timestamp": rfc3339(at),
        "resultCode": code,
        "operatorResultCode": "000",
        "segments": 1,
    }


def test_a_delivery_receipt_marks_the_message_delivered_once(client, due, fake_provider):
    delivery.deliver(due.pk, fake_provider.provider())
    assert post_signed(client, "sms_receipt_webhook", report(due, 1005)).status_code == 200
    due.refresh_from_db()
    assert due.status == Status.SENT  # "queued": an intermediate report changes nothing
    payload = report(due)
    assert post_signed(client, "sms_receipt_webhook", payload).status_code == 200
    assert post_signed(client, "sms_receipt_webhook", payload).status_code == 200  # idempotent
    post_signed(client, "sms_receipt_webhook", report(due, 1002))  # never overwrites
    due.refresh_from_db()
    assert due.status == Status.DELIVERED and due.delivered_at is not None
    assert list(due.events.values_list("status", flat=True)) == ["sent", "delivered"]


@pytest.mark.parametrize(
    ("code", "kind", "shown"),
    [
        (1002, Message.Undelivered.TEMPORARY, "Téléphone éteint ou hors réseau"),  # expired
        (1004, Message.Undelivered.TEMPORARY, "Téléphone éteint ou hors réseau"),  # mobile full
        (2104, Message.Undelivered.PERMANENT, "Numéro inexistant"),  # unknown subscriber
        (2106, Message.Undelivered.PERMANENT, "Numéro inexistant"),  # number error
    ],
)
def test_a_non_delivery_says_whether_it_is_temporary_or_permanent(
    client_for, cpip, due, fake_provider, code, kind, shown
):
    delivery.deliver(due.pk, fake_provider.provider())
    assert (
        post_signed(client_for(cpip), "sms_receipt_webhook", report(due, code)).status_code == 200
    )
    due.refresh_from_db()
    assert (due.status, due.undelivered) == (Status.UNDELIVERED, kind)
    page = client_for(cpip).get(reverse("appointment_detail", args=[due.appointment_id]))
    assert shown in page.content.decode()


@pytest.mark.parametrize(
    ("payload", "secret", "status"),
    [
        ({"refId": "x", "resultCode": 1001}, "wrong-secret", 401),
        (
            {
                "refId": "00000000-0000-0000-0000-000000000000",
                "resultCode": 1001,
                "timestamp": "now",
            },
            WEBHOOK_SECRET,
            400,
        ),
        ({"refId": "not-a-uuid", "resultCode": 1001}, WEBHOOK_SECRET, 400),
        ({"refId": "x", "resultCode": "DELIVERED"}, WEBHOOK_SECRET, 400),
        (["not", "an", "object"], WEBHOOK_SECRET, 400),
    ],
)
def test_bad_receipts_are_refused_and_change_nothing(client, due, payload, secret, status):
    assert post_signed(client, "sms_receipt_webhook", payload, secret).status_code == status
    due.refresh_from_db()
    assert due.status == Status.PENDING


@pytest.mark.parametrize("reference", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_a_receipt_for_an_unknown_reference_is_a_404(client, due, reference):
    payload = report(due) | {"refId": reference}
    assert post_signed(client, "sms_receipt_webhook", payload).status_code == 404


@pytest.mark.parametrize("minutes", [-11, 11])
def test_a_receipt_outside_the_time_window_is_refused(client, due, fake_provider, minutes):
    delivery.deliver(due.pk, fake_provider.provider())
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    response = post_signed(client, "sms_receipt_webhook", report(due, at=at))
    assert response.status_code == 400 and "horodatage" in response.json()["error"]
    due.refresh_from_db()
    assert due.status == Status.SENT


def test_malformed_json_is_a_400(client, db):
    body = b"{not json"
    signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        reverse("sms_inbound_webhook"),
        body,
        content_type="application/json",
        HTTP_X_JALON_SIGNATURE=signature,
    )
    assert response.status_code == 400


def inbound(text: str, at: dt.datetime | None = None, source: str = "+33612345678") -> dict:
    """An MO message as LINK Mobility posts it."""
    return {
        "source": source,
        "destination": "RDV Justice",
        "content": {"type": "TEXT", "userData": text, "encoding": "UTF-8"},
        "operator": "fr.orange",
        "timestamp": rfc3339(at),
        "messageId": "mo-1",
    }


@pytest.mark.parametrize("text", ["STOP", "stop", " S t o p ", "Stop SMS"])
def test_an_inbound_stop_refuses_sms_and_cancels_pending_ones(client, due, text):
    response = post_signed(client, "sms_inbound_webhook", inbound(text))
    assert response.json() == {"opted_out": 1}
    due.person.refresh_from_db()
    due.refresh_from_db()
    assert due.person.refuses_sms and due.status == Status.CANCELLED
    event = Event.objects.for_object(due.person).get(action="person.sms_refused")
    assert event.details == {"source": "STOP"}


def test_an_ordinary_reply_changes_nothing(client, due):
    post_signed(client, "sms_inbound_webhook", inbound("ok merci"))
    due.person.refresh_from_db()
    assert not due.person.refuses_sms


def test_a_replayed_stop_is_refused_outside_its_time_window(client, due):
    captured = inbound("STOP", at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30))
    response = post_signed(client, "sms_inbound_webhook", captured)
    assert response.status_code == 400 and "horodatage" in response.json()["error"]
    due.person.refresh_from_db()
    assert not due.person.refuses_sms


def test_a_stop_older_than_the_latest_consent_does_not_undo_it(client, client_for, cpip, due):
    """Sent STOP, then agreed again with an agent: the STOP replayed (or delayed) within the
    window predates that consent and changes nothing."""
    sent_at = dt.datetime.now(dt.UTC)
    stop = inbound("STOP", at=sent_at)
    assert post_signed(client, "sms_inbound_webhook", stop).json() == {"opted_out": 1}
    from jalon.people.actions import set_sms_refusal

    with time_machine.travel(sent_at + dt.timedelta(minutes=2), tick=False):
        set_sms_refusal(person=due.person, refused=False, agent=cpip, source="agent")
    with time_machine.travel(sent_at + dt.timedelta(minutes=3), tick=False):
        assert post_signed(client, "sms_inbound_webhook", stop).json() == {"opted_out": 0}
        later = inbound("STOP", at=sent_at + dt.timedelta(minutes=3))
        assert post_signed(client, "sms_inbound_webhook", later).json() == {"opted_out": 1}


@pytest.mark.parametrize(
    "payload",
    [
        {"source": "+33612345678", "userData": "STOP"},  # not LINK Mobility's MO format
        {"source": "+33612345678", "content": {"userData": "STOP"}},  # no timestamp
        {"source": "+33612345678", "content": {"userData": "STOP"}, "timestamp": "hier"},
    ],
)
def test_an_inbound_message_without_its_format_or_timestamp_is_a_400(client, due, payload):
    response = post_signed(client, "sms_inbound_webhook", payload)
    assert response.status_code == 400 and response.json()["error"]


# --- Screens ------------------------------------------------------------------------------


def test_failed_sms_are_listed_for_the_service_and_can_be_sent_again(
    client_for, cpip, due, make_agent, org
):
    Message.objects.filter(pk=due.pk).update(status=Status.FAILED, error="Numéro invalide")
    client = client_for(cpip)
    listed = list(client.get(reverse("sms_failed_queue")).context["page"])
    assert listed == [due]
    page = client.get(reverse("appointment_detail", args=[due.appointment_id])).content.decode()
    assert "Numéro invalide" in page and reverse("sms_resend", args=[due.pk]) in page
    client.post(reverse("sms_resend", args=[due.pk]))
    assert Message.objects.filter(appointment=due.appointment, status=Status.PENDING).count() == 1
    outsider = client_for(make_agent("greff_sap", service=org.sap_beta))
    assert outsider.post(reverse("sms_resend", args=[due.pk])).status_code == 404


@pytest.mark.parametrize(("accepted", "expected"), [(True, Status.SENT), (False, Status.SENDING)])
def test_a_lost_answer_is_checked_with_the_provider_never_resent_blind(
    due, fake_provider, accepted, expected
):
    fake_provider.failure_rate, fake_provider.timeout_share = 1.0, 1.0
    fake_provider.stall_seconds, fake_provider.timeouts_accept = 1.0, accepted
    assert delivery.deliver(due.pk, fake_provider.provider(timeout=0.2)) == expected
    assert fake_provider.sent_count(str(due.uuid)) == (1 if accepted else 0)


def test_a_timed_out_message_recorded_late_is_not_sent_again(due, fake_provider):
    """Finding (b): the provider took it, answered too late, and shows it only later."""
    fake_provider.failure_rate, fake_provider.timeout_share = 1.0, 1.0
    fake_provider.stall_seconds, fake_provider.record_delay = 1.0, 60.0
    provider = fake_provider.provider(timeout=0.2)
    assert delivery.deliver(due.pk, provider) == Status.SENDING  # unknown yet: wait
    fake_provider.failure_rate = 0.0
    due.refresh_from_db()
    check = due.lease_until
    assert delivery.deliver(due.pk, provider, now=check) is None  # no retry job may send it
    fake_provider.record_delay = 0.0  # now the provider's records show it
    delivery.reconcile(provider, now=check + dt.timedelta(seconds=1))
    due.refresh_from_db()
    assert due.status == Status.SENT and fake_provider.sent_count(str(due.uuid)) == 1


def test_a_500_after_the_provider_took_the_message_is_not_resent(due, fake_provider):
    """Finding (c): an error answer does not prove the message was refused."""
    fake_provider.errors_after_accepting = 1
    assert delivery.deliver(due.pk, fake_provider.provider()) == Status.SENT
    assert fake_provider.sent_count(str(due.uuid)) == 1


def test_not_known_after_the_grace_the_message_never_left_and_is_sent(due, fake_provider):
    fake_provider.fail_next(1, status=500)  # a 500 that did not take it
    provider = fake_provider.provider()
    assert delivery.deliver(due.pk, provider) == Status.SENDING
    due.refresh_from_db()
    later = due.handed_at + delivery.LOOKUP_GRACE + dt.timedelta(seconds=1)
    _counts, requeued = delivery.reconcile(provider, now=later)
    assert requeued == [due.pk]
    assert delivery.deliver(due.pk, provider, now=later) == Status.SENT
    assert fake_provider.sent_count(str(due.uuid)) == 1


# --- The personal STOP link ---------------------------------------------------------------


def test_every_sms_ends_with_its_personal_stop_link(due, fake_provider):
    from jalon.sms import optout

    delivery.deliver(due.pk, fake_provider.provider())
    text = fake_provider.messages[0].text
    assert text.endswith(f"STOP SMS : {optout.link_for(due.pk)}")
    assert optout.message_for(optout.token_for(due.pk)) == due


@pytest.mark.parametrize("tamper", ["other-id", "bad-signature", "garbage"])
def test_a_tampered_stop_token_is_refused(due, tamper):
    from jalon.sms import optout

    head, _, signature = optout.token_for(due.pk).partition("-")
    token = {
        "other-id": f"{optout._base36(due.pk + 1)}-{signature}",
        "bad-signature": f"{head}-{'0' * len(signature)}",
        "garbage": "!!!-???",
    }[tamper]
    assert optout.message_for(token) is None


def test_an_old_stop_link_has_expired(due):
    from jalon.sms import optout

    Message.objects.filter(pk=due.pk).update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=optout.VALID_DAYS + 1)
    )
    assert optout.message_for(optout.token_for(due.pk)) is None


def test_opening_the_stop_link_changes_nothing_until_confirmed(client, due):
    from jalon.sms import optout

    url = reverse("sms_stop_link", args=[optout.token_for(due.pk)])
    page = client.get(url)
    assert page.status_code == 200 and "restent obligatoires" in page.content.decode()
    due.person.refresh_from_db()
    assert not due.person.refuses_sms
    client.post(url)
    due.person.refresh_from_db()
    due.refresh_from_db()
    assert due.person.refuses_sms and due.status == Status.CANCELLED
    assert Event.objects.for_object(due.person).get(action="person.sms_refused").details == {
        "source": "lien"
    }
    assert client.get(reverse("sms_stop_link", args=["1-abc"])).status_code == 404


def test_an_agent_can_accept_sms_again_and_it_is_recorded(client_for, cpip, person):
    person.refuses_sms = True
    person.save()
    data = {
        "last_name": person.last_name,
        "first_names": person.first_names,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "phone": "06 12 34 56 78",
    }
    client_for(cpip).post(reverse("person_edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert not person.refuses_sms
    event = Event.objects.for_object(person).get(action="person.updated")
    assert "refuses_sms" in event.details["fields"]


def test_a_missed_convocation_may_send_the_missed_sms(client_for, cpip, person, agendas):
    appointment = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
    )
    client_for(cpip).post(
        reverse("appointment_operation", args=[appointment.pk, "non-honoree"]), {"notify": "1"}
    )
    assert kinds(appointment) == [("missed", "pending")]


def test_the_person_page_lists_the_sms_with_their_status(client_for, cpip, due, fake_provider):
    delivery.deliver(due.pk, fake_provider.provider())
    page = client_for(cpip).get(reverse("person_detail", args=[due.person_id])).content.decode()
    assert 'data-testid="sms-list"' in page and "Parti vers l’opérateur" in page


def test_a_service_may_choose_its_own_reminder_delay(frozen_now, cpip, person, agendas, org):
    from jalon.sms.models import ReminderDelay

    ReminderDelay.objects.create(
        service=org.spip_alpha, appointment_type=appointment_type("spip_follow_up"), delay_hours=24
    )
    appointment = book(cpip, person, agendas.spip_alpha, at("2027-07-09", 10))
    assert Message.objects.get(appointment=appointment).send_after == at("2027-07-08", 10)


def test_the_built_in_templates_fit_the_limit_with_a_production_stop_link(settings):
    from jalon.sms import text
    from jalon.sms.content import longest_stop_suffix

    settings.SITE_URL = "https://jalon.justice.gouv.fr"
    suffix = longest_stop_suffix()
    for kind, template in text.DEFAULT_TEMPLATES.items():
        assert text.template_errors(template, max_parts=3, suffix=suffix) == [], kind


def test_a_pending_message_whose_job_died_is_found_and_only_then(due):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    Message.objects.filter(pk=due.pk).update(send_after=long_ago)
    assert delivery.orphans() == [due.pk]  # the fixture wrote no job for it
    from jalon.sms import tasks

    due.refresh_from_db()
    tasks.schedule(due)
    assert delivery.orphans() == []


def test_a_message_left_sending_by_the_previous_version_is_looked_up_not_resent(due, fake_provider):
    """Deployment: a row claimed before claims had leases may have been handed over."""
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    Message.objects.filter(pk=due.pk).update(status=Status.SENDING, claimed_at=long_ago)
    provider = fake_provider.provider()
    provider.send(to=due.phone, text="x", sender="RDV Justice", reference=str(due.uuid))
    assert delivery.reconcile(provider)[1] == []
    due.refresh_from_db()
    assert due.status == Status.SENT and fake_provider.sent_count(str(due.uuid)) == 1
