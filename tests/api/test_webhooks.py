"""Webhooks: subscriptions through the API, deliveries that follow what is recorded, signed,
retried with backoff, logged and replayable; a real receiver on 127.0.0.1 gets them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jalon.api import webhooks
from jalon.api.models import WebhookDelivery, WebhookSubscription
from jalon.appointments.models import Appointment
from jalon.history.actions import record
from jalon.history.models import Event
from jalon.sms.models import MessageEvent
from tests.api.conftest import assert_problem
from tests.api.webhook_receiver import Receiver, webhook_receiver
from tests.dates import days_ago, working_day_at
from tests.factories import AppointmentFactory, MessageFactory, PersonFactory, appointment_type
from tests.jobs import run_pending_jobs

Status = WebhookDelivery.Status


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def person(org):
    return PersonFactory(last_name="Martin", followed_by=[org.spip_alpha])


def _subscribe(api, partner, url, events=("convocation.booked",)):
    response = api.post(
        "/webhooks/subscriptions", partner.key, {"url": url, "events": list(events)}
    )
    assert response.status_code == 201, response.content
    return response.json()


def _book(api, partner, person, agendas, org):
    body = {
        "person_id": person.pk,
        "appointment_type_id": appointment_type("spip_follow_up").pk,
        "agenda_id": agendas.spip_alpha.pk,
        "starts_at": working_day_at(3, 10, service=org.spip_alpha).isoformat(),
    }
    response = api.post("/convocations", partner.key, body)
    assert response.status_code == 201, response.content
    return Appointment.objects.get(pk=response.json()["id"])


# --- Subscriptions ------------------------------------------------------------------------


def test_subscribe_shows_the_secret_once_and_is_recorded(api, partner, org):
    body = _subscribe(api, partner, "https://partenaire.test/jalon", ["sms.failed"])
    subscription = WebhookSubscription.objects.get(pk=body["id"])
    assert body["secret"] == webhooks.signing_secret(subscription)
    assert body["secret"].startswith("whsec_")
    listed = api.get("/webhooks/subscriptions", partner.key).json()
    assert [item["id"] for item in listed] == [subscription.pk]
    assert "secret" not in listed[0]
    event = Event.objects.for_object(partner.client).get(action="webhook.subscribed")
    assert event.actor == partner.agent_for(org.spip_alpha)


@pytest.mark.parametrize(
    "url",
    ["http://partenaire.test/jalon", "ftp://partenaire.test/x", "https://", "pas une adresse"],
)
def test_only_https_urls_are_accepted(api, partner, url):
    response = api.post(
        "/webhooks/subscriptions", partner.key, {"url": url, "events": ["sms.failed"]}
    )
    body = assert_problem(response, 422, "refused")
    assert "https://" in body["detail"]
    assert not WebhookSubscription.objects.exists()


def test_an_unknown_event_is_refused(api, partner):
    response = api.post(
        "/webhooks/subscriptions",
        partner.key,
        {"url": "https://partenaire.test/jalon", "events": ["convocation.eaten"]},
    )
    assert_problem(response, 422, "invalid_request")


def test_a_client_without_the_scope_cannot_subscribe(api, make_partner):
    partner = make_partner(scopes=["persons:read"])
    response = api.post(
        "/webhooks/subscriptions",
        partner.key,
        {"url": "https://partenaire.test/jalon", "events": ["sms.failed"]},
    )
    assert_problem(response, 403, "missing_scope")


def test_rotating_the_secret_invalidates_the_old_one(api, partner):
    first = _subscribe(api, partner, "https://partenaire.test/jalon")
    rotated = api.post(f"/webhooks/subscriptions/{first['id']}/rotate-secret", partner.key, {})
    assert rotated.status_code == 200, rotated.content
    second = rotated.json()["secret"]
    assert second != first["secret"]
    signature = webhooks.sign(second, 1_800_000_000, b"{}")
    assert webhooks.verify_signature(second, signature, b"{}", now=1_800_000_000)
    assert not webhooks.verify_signature(first["secret"], signature, b"{}", now=1_800_000_000)


def test_another_clients_subscription_is_404(api, partner, make_partner):
    other = make_partner()
    mine = _subscribe(api, partner, "https://partenaire.test/jalon")
    response = api.call("delete", f"/webhooks/subscriptions/{mine['id']}", other.key)
    assert_problem(response, 404, "not_found")
    response = api.call("delete", f"/webhooks/subscriptions/{mine['id']}", partner.key)
    assert response.status_code == 204
    assert WebhookSubscription.objects.get(pk=mine["id"]).ended_at is not None


# --- Signature ----------------------------------------------------------------------------


def test_the_signature_covers_the_body_and_a_recent_timestamp():
    secret, body, at = "whsec_test", b'{"id":"1"}', 1_800_000_000
    header = webhooks.sign(secret, at, body)
    assert webhooks.verify_signature(secret, header, body, now=at + 299)
    assert not webhooks.verify_signature(secret, header, body, now=at + 301)  # replayed later
    assert not webhooks.verify_signature(secret, header, b'{"id":"2"}', now=at)  # tampered
    assert not webhooks.verify_signature("whsec_other", header, body, now=at)
    assert not webhooks.verify_signature(secret, "v1=abc", body, now=at)


# --- From recorded events to deliveries ----------------------------------------------------


def test_a_booking_is_delivered_only_to_clients_that_see_it(
    api, partner, make_partner, person, agendas, org
):
    _subscribe(api, partner, "https://a.partenaire.test/h", ["convocation.booked"])
    elsewhere = make_partner(services=[org.sap_beta])
    _subscribe(api, elsewhere, "https://b.partenaire.test/h", ["convocation.booked"])
    not_interested = make_partner()
    _subscribe(api, not_interested, "https://c.partenaire.test/h", ["convocation.missed"])

    appointment = _book(api, partner, person, agendas, org)

    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription.client == partner.client
    body = json.loads(delivery.body)
    assert body["id"] == str(delivery.uuid)
    assert body["type"] == "convocation.booked"
    assert body["data"] == {"object": "convocation", "id": appointment.pk}
    assert "Martin" not in delivery.body  # ids only: the client reads through the API


def test_an_event_of_a_rolled_back_change_is_never_told(partner, person, agendas):
    subscription = WebhookSubscription.objects.create(
        client=partner.client, url="https://a.partenaire.test/h", events=["convocation.booked"]
    )
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    with pytest.raises(RuntimeError), transaction.atomic():
        record("appointment.booked", actor=None, target=appointment)
        assert WebhookDelivery.objects.filter(subscription=subscription).count() == 1
        raise RuntimeError("the booking fails after its event")
    assert not WebhookDelivery.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE %s",
            ["%deliver_webhook"],
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    ("status", "event"),
    [("delivered", "sms.delivered"), ("undelivered", "sms.failed"), ("failed", "sms.failed")],
)
def test_sms_outcomes_are_events(partner, person, agendas, status, event):
    WebhookSubscription.objects.create(
        client=partner.client, url="https://a.partenaire.test/h", events=[event]
    )
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    message = MessageFactory(appointment=appointment)
    MessageEvent.objects.create(message=message, status="sending")  # not an event
    assert not WebhookDelivery.objects.exists()
    MessageEvent.objects.create(message=message, status=status)
    data = json.loads(WebhookDelivery.objects.get(event=event).body)["data"]
    assert data == {
        "object": "sms",
        "id": message.pk,
        "convocation": appointment.pk,
        "status": status,
    }


def test_an_outcome_recorded_through_the_api_is_an_event(api, partner, person, agendas):
    _subscribe(api, partner, "https://a.partenaire.test/h", ["convocation.missed"])
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    response = api.post(
        f"/convocations/{appointment.pk}/outcome", partner.key, {"status": "missed"}
    )
    assert response.status_code == 200, response.content
    assert WebhookDelivery.objects.get().event == "convocation.missed"


# --- Sending, retries, replay ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_delivery_reaches_the_receiver_signed(api, partner, person, agendas, org, receiver):
    subscription = _subscribe(api, partner, receiver.url)
    appointment = _book(api, partner, person, agendas, org)
    run_pending_jobs()

    [got] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert got.path == "/hooks/jalon"
    assert got.headers["Jalon-Event"] == "convocation.booked"
    assert got.headers["Jalon-Delivery"] == str(delivery.uuid)
    assert webhooks.verify_signature(
        subscription["secret"], got.headers["Jalon-Signature"], got.body, now=time.time()
    )
    assert json.loads(got.body)["data"]["id"] == appointment.pk
    assert delivery.status == Status.DELIVERED
    assert delivery.attempts == 1
    assert [attempt.status_code for attempt in delivery.log.all()] == [200]


@pytest.mark.django_db(transaction=True)
def test_failures_are_retried_with_backoff_then_fail_and_can_be_replayed(
    api, partner, person, agendas, org, receiver
):
    _subscribe(api, partner, receiver.url)
    _book(api, partner, person, agendas, org)
    receiver.answer(*[500] * webhooks.MAX_ATTEMPTS)
    delivery = WebhookDelivery.objects.get()

    before = timezone.now()
    run_pending_jobs()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.PENDING,
        1,
        500,
    )
    assert delivery.next_attempt_at >= before + webhooks.BACKOFF[0]
    with connection.cursor() as cursor:  # the next attempt waits in the queue until then
        cursor.execute(
            "SELECT scheduled_at FROM procrastinate_jobs WHERE status = 'todo' "
            "AND task_name LIKE %s",
            ["%deliver_webhook"],
        )
        [(scheduled_at,)] = cursor.fetchall()
    assert scheduled_at == delivery.next_attempt_at

    delays = []
    for _ in range(webhooks.MAX_ATTEMPTS - 1):  # the next attempts, as their jobs would run
        previous = timezone.now()
        webhooks.attempt(delivery.pk)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - previous)
    assert delivery.status == Status.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert [d // timedelta(seconds=1) for d in delays] == [
        b // timedelta(seconds=1) for b in webhooks.BACKOFF[1:]
    ]
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    assert delivery.log.count() == webhooks.MAX_ATTEMPTS

    listed = api.get("/webhooks/deliveries", partner.key, status="failed").json()
    assert [item["id"] for item in listed["items"]] == [str(delivery.uuid)]

    response = api.post(f"/webhooks/deliveries/{delivery.uuid}/replay", partner.key, {})
    assert response.status_code == 202, response.content
    run_pending_jobs()
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED
    assert delivery.log.last().replay is True
    assert receiver.received[-1].headers["Jalon-Delivery"] == str(delivery.uuid)

    again = api.post(f"/webhooks/deliveries/{delivery.uuid}/replay", partner.key, {})
    assert_problem(again, 409, "invalid_state")
    detail = api.get(f"/webhooks/deliveries/{delivery.uuid}", partner.key).json()
    assert len(detail["log"]) == webhooks.MAX_ATTEMPTS + 1
    assert detail["body"] == delivery.body


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_receiver_is_a_logged_failure(api, partner, person, agendas, org):
    with webhook_receiver() as gone:
        url = gone.url
    _subscribe(api, partner, url)
    _book(api, partner, person, agendas, org)
    run_pending_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING
    assert delivery.last_status_code is None
    assert "ConnectionRefused" in delivery.last_error


def test_a_delivery_of_an_ended_subscription_is_not_sent(partner, person, agendas):
    subscription = WebhookSubscription.objects.create(
        client=partner.client, url="https://a.partenaire.test/h", events=["convocation.booked"]
    )
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    record("appointment.booked", actor=None, target=appointment)
    subscription.ended_at = timezone.now()
    subscription.save()
    delivery = WebhookDelivery.objects.get()
    webhooks.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 0


# --- The national administrators' screen ---------------------------------------------------


def _failed_delivery(partner, person, agendas):
    WebhookSubscription.objects.create(
        client=partner.client, url="https://a.partenaire.test/h", events=["convocation.booked"]
    )
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    record("appointment.booked", actor=None, target=appointment)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED, attempts=webhooks.MAX_ATTEMPTS, last_status_code=503
    )
    return delivery


def test_the_client_page_shows_subscriptions_and_deliveries_and_replays(
    client_for, national_admin, partner, person, agendas
):
    delivery = _failed_delivery(partner, person, agendas)
    client = client_for(national_admin)
    page = client.get(f"/administration/clients-api/{partner.client.pk}/").content.decode()
    assert "https://a.partenaire.test/h" in page
    assert "Convocation enregistrée" in page
    assert "HTTP 503" in page
    url = f"/administration/clients-api/{partner.client.pk}/webhooks/{delivery.pk}/renvoyer/"
    assert client.post(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING
    assert Event.objects.for_object(partner.client).get(action="webhook.replayed").actor == (
        national_admin
    )
    client.post(url)  # the second click finds it pending: refused with a message, no change
    assert Event.objects.filter(action="webhook.replayed").count() == 1


def test_only_national_admins_replay_and_only_their_clients_deliveries(
    client_for, make_agent, make_partner, national_admin, partner, person, agendas, org
):
    delivery = _failed_delivery(partner, person, agendas)
    local_admin = make_agent("local_admin", service=org.spip_alpha)
    url = f"/administration/clients-api/{partner.client.pk}/webhooks/{delivery.pk}/renvoyer/"
    assert client_for(local_admin).post(url).status_code == 403
    other = make_partner()
    wrong = f"/administration/clients-api/{other.client.pk}/webhooks/{delivery.pk}/renvoyer/"
    assert client_for(national_admin).post(wrong).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED


def test_finished_deliveries_are_purged_after_their_keeping_time(partner, person, agendas):
    delivery = _failed_delivery(partner, person, agendas)
    now = delivery.created_at + webhooks.KEPT_FOR
    assert webhooks.purge_deliveries(now) == 0
    assert webhooks.purge_deliveries(now + timedelta(seconds=1)) >= 1
    assert not WebhookDelivery.objects.exists()
