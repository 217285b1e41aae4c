"""The LINK Mobility adapter and the weighted failover, over real HTTP against the fake."""

from __future__ import annotations

import datetime as dt
import json
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jalon.sms.providers.base import (
    DeliveryState,
    PermanentError,
    ProviderConfigurationError,
    SendResult,
    TransientError,
)
from jalon.sms.providers.failover import WeightedFailover
from jalon.sms.providers.linkmobility import LinkMobilityProvider
from tests.sms.fake_provider import (
    EXPIRED,
    GATE_ID,
    PARTNER_ID,
    PLATFORM_ID,
    USERNAME,
    WEBHOOK_SECRET,
    FakeLinkMobility,
    hmac_signer,
    running_fake_provider,
)

PHONE = "+33612345678"
TEXT = "Convocation le 3 mars à 9 h 30, SPIP d’Évry. Répondez STOP pour ne plus recevoir de SMS."


def ref() -> str:
    return str(uuid.uuid4())


def send(provider: LinkMobilityProvider | WeightedFailover, reference: str = "") -> SendResult:
    return provider.send(to=PHONE, text=TEXT, sender="RDV Justice", reference=reference or ref())


@pytest.fixture
def fake() -> Iterator[FakeLinkMobility]:
    with running_fake_provider() as server:
        yield server


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- LINK Mobility adapter -------------------------------------------------------------------


def test_a_send_hands_the_message_over_once_with_the_link_mobility_fields(fake):
    reference = ref()
    result = send(fake.provider(), reference)

    [message] = fake.messages
    assert result == SendResult(provider="linkmobility", provider_reference=message.message_id)
    assert fake.sent_count(reference) == 1
    assert (message.destination, message.source, message.text) == (PHONE, "RDV Justice", TEXT)
    assert message.source_ton == "ALPHANUMERIC"
    assert message.payload["refId"] == reference
    assert message.payload["platformId"] == PLATFORM_ID
    assert message.payload["platformPartnerId"] == PARTNER_ID
    assert message.payload["useDeliveryReport"] is True
    assert message.payload["deliveryReportGates"] == [GATE_ID]


def test_an_invalid_number_is_a_permanent_error_with_a_french_reason(fake):
    fake.invalid_numbers.add(PHONE)
    with pytest.raises(PermanentError) as raised:
        send(fake.provider())
    assert raised.value.permanent is True
    assert raised.value.reason == "Numéro invalide ou injoignable"
    assert raised.value.provider == "linkmobility"
    assert fake.messages == []


def test_a_number_not_in_e164_is_refused_without_calling_the_provider(fake):
    with pytest.raises(PermanentError, match="Numéro invalide"):
        fake.provider().send(to="0612345678", text=TEXT, sender="RDV", reference=ref())
    assert fake.send_attempts == 0


@pytest.mark.parametrize(
    ("status", "reason", "maybe_accepted"),
    [
        (503, "Opérateur indisponible (HTTP 503)", False),  # refused at the door
        (500, "Opérateur indisponible (HTTP 500)", True),  # perhaps after taking it
        (502, "Opérateur indisponible (HTTP 502)", True),
        (408, "Opérateur indisponible (HTTP 408)", True),
        (429, "Opérateur saturé, trop de demandes (HTTP 429)", False),
    ],
)
def test_server_errors_and_rate_limits_are_transient(fake, status, reason, maybe_accepted):
    fake.fail_next(1, status=status)
    with pytest.raises(TransientError) as raised:
        send(fake.provider())
    assert (raised.value.permanent, raised.value.reason) == (False, reason)
    assert raised.value.maybe_accepted is maybe_accepted
    assert fake.messages == []
    send(fake.provider())  # the next one goes through
    assert len(fake.messages) == 1


def test_a_timeout_is_transient_and_may_have_left(fake):
    fake.latency = 0.5
    started = time.monotonic()
    with pytest.raises(TransientError, match="Délai dépassé") as raised:
        send(fake.provider(timeout=0.2))
    assert time.monotonic() - started < 0.45
    assert raised.value.maybe_accepted is True


def test_a_refused_connection_is_transient():
    provider = LinkMobilityProvider(closed_port_url(), "u", "p", "1", "2", "3", timeout=1)
    with pytest.raises(TransientError, match="Opérateur injoignable") as raised:
        send(provider)
    assert raised.value.maybe_accepted is False


def test_an_unreadable_answer_is_transient_and_may_have_left(fake):
    fake.garbage_next(1)
    with pytest.raises(TransientError, match="Réponse illisible") as raised:
        send(fake.provider())
    assert raised.value.maybe_accepted is True


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_transient_and_point_at_the_configuration(fake, status):
    if status == 401:
        provider = LinkMobilityProvider(
            fake.url, USERNAME, "wrong", PLATFORM_ID, PARTNER_ID, GATE_ID
        )
    else:
        fake.fail_next(1, status=403)
        provider = fake.provider()
    with pytest.raises(TransientError, match="configuration SMS") as raised:
        send(provider)
    assert f"HTTP {status}" in raised.value.reason
    assert fake.messages == []


def test_random_failures_follow_the_seeded_rate():
    with running_fake_provider(failure_rate=0.3, timeout_share=0.0, seed=1) as fake:
        provider = fake.provider()
        failures = 0
        for _ in range(100):
            try:
                send(provider)
            except TransientError:
                failures += 1
    assert 15 <= failures <= 45
    assert len(fake.messages) == 100 - failures


def test_a_stalled_answer_times_out_but_the_status_api_knows_the_message():
    with running_fake_provider(failure_rate=1.0, timeout_share=1.0, stall_seconds=0.5) as fake:
        reference = ref()
        with pytest.raises(TransientError, match="Délai dépassé"):
            send(fake.provider(timeout=0.2), reference)
        assert fake.provider().lookup(reference) is DeliveryState.ACCEPTED


def test_lookup_follows_the_message_through_receipts(fake):
    provider = fake.provider()
    delivered, undelivered = ref(), ref()
    send(provider, delivered)
    send(provider, undelivered)
    assert provider.lookup(delivered) is DeliveryState.ACCEPTED
    assert provider.lookup(ref()) is DeliveryState.UNKNOWN

    assert fake.deliver(delivered) is None  # no callback URL configured
    fake.deliver(undelivered, code=EXPIRED)
    assert provider.lookup(delivered) is DeliveryState.DELIVERED
    assert provider.lookup(undelivered) is DeliveryState.UNDELIVERED


def test_a_failing_status_api_is_transient_not_unknown(fake):
    fake.fail_next_lookups(1, status=502)
    with pytest.raises(TransientError, match="HTTP 502"):
        fake.provider().lookup(ref())


@contextmanager
def recorder() -> Iterator[tuple[str, list[tuple[str, bytes, str]]]]:
    """A stand-in for Jalon's webhooks: records (path, body, signature)."""
    received: list[tuple[str, bytes, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body, self.headers.get("X-Jalon-Signature", "")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


MOMENT = dt.datetime(2027, 7, 5, 8, 0, tzinfo=dt.UTC)


def test_receipts_and_inbound_messages_are_posted_signed():
    with (
        recorder() as (url, received),
        running_fake_provider(callback_url=f"{url}/receipts", inbound_url=f"{url}/inbound") as fake,
    ):
        reference = ref()
        send(fake.provider(), reference)
        assert fake.deliver(reference, code=EXPIRED, at=MOMENT) == 204
        assert fake.send_inbound("+33698765432", "STOP", at=MOMENT) == 204

    sign = hmac_signer(WEBHOOK_SECRET)
    assert [(path, sign(body)) for path, body, _ in received] == [
        (path, signature) for path, _, signature in received
    ]
    (receipt_path, receipt, _), (inbound_path, inbound, _) = received
    assert (receipt_path, inbound_path) == ("/receipts", "/inbound")
    assert json.loads(receipt) == {  # LINK Mobility's delivery report fields
        "refId": reference,
        "id": fake.messages[0].message_id,
        "operator": "fr.orange",
        "sentTimestamp": "2027-07-05T08:00:00.000Z",
        "timestamp": "2027-07-05T08:00:00.000Z",
        "resultCode": 1002,
        "operatorResultCode": "001",
        "segments": 1,
        "customParameters": {},
    }
    inbound_fields = json.loads(inbound)
    assert inbound_fields.pop("messageId")
    assert inbound_fields == {  # LINK Mobility's MO message fields
        "source": "+33698765432",
        "destination": "RDV Justice",
        "content": {"type": "TEXT", "userData": "STOP", "encoding": "UTF-8"},
        "operator": "fr.orange",
        "timestamp": "2027-07-05T08:00:00.000Z",
    }


def test_from_environment_builds_a_working_provider(fake):
    provider = LinkMobilityProvider.from_environment(fake.environment())
    send(provider)
    assert len(fake.messages) == 1


def test_from_environment_names_the_missing_variables(fake):
    env = fake.environment()
    del env["JALON_SMS_LINK_PASSWORD"]
    env["JALON_SMS_LINK_GATE_ID"] = "  "
    with pytest.raises(ProviderConfigurationError) as raised:
        LinkMobilityProvider.from_environment(env)
    message = str(raised.value)
    assert "JALON_SMS_LINK_PASSWORD" in message and "JALON_SMS_LINK_GATE_ID" in message
    assert "JALON_SMS_LINK_URL" not in message

    with pytest.raises(ProviderConfigurationError, match="JALON_SMS_LINK2_URL"):
        LinkMobilityProvider.from_environment(env, prefix="JALON_SMS_LINK2_")


# --- Weighted failover -----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fakes() -> Iterator[tuple[FakeLinkMobility, FakeLinkMobility]]:
    with running_fake_provider() as a, running_fake_provider() as b:
        yield a, b


def failover(
    fakes: tuple[FakeLinkMobility, FakeLinkMobility], weights: tuple[int, int], **options: Any
) -> WeightedFailover:
    a, b = fakes
    providers = [(a.provider(name="a", timeout=0.2), weights[0])]
    providers.append((b.provider(name="b", timeout=0.2), weights[1]))
    return WeightedFailover(providers, **options)


def test_weights_share_the_traffic(fakes):
    router = failover(fakes, (3, 1), rng=random.Random(7))
    references = [ref() for _ in range(400)]
    used = [send(router, reference).provider for reference in references]
    a, b = fakes
    assert 270 <= used.count("a") == len(a.messages) <= 330
    assert used.count("b") == len(b.messages)
    assert all(a.sent_count(r) + b.sent_count(r) == 1 for r in references)


def test_a_transient_failure_sends_through_the_other_provider_exactly_once(fakes):
    a, b = fakes
    a.fail_next(1, status=503)
    reference = ref()
    result = send(failover(fakes, (1, 0)), reference)
    assert result.provider == "b"
    assert (a.send_attempts, a.sent_count(reference), b.sent_count(reference)) == (1, 0, 1)


def test_a_permanent_error_is_not_tried_elsewhere(fakes):
    a, b = fakes
    a.invalid_numbers.add(PHONE)
    with pytest.raises(PermanentError):
        send(failover(fakes, (1, 0)))
    assert b.send_attempts == 0


def test_an_answer_that_may_have_left_is_not_sent_elsewhere(fakes):
    a, b = fakes
    a.latency = 0.5
    reference = ref()
    with pytest.raises(TransientError) as raised:
        send(failover(fakes, (1, 0)), reference)
    assert raised.value.maybe_accepted and raised.value.provider == "a"
    assert (a.sent_count(reference), b.send_attempts) == (1, 0)


def test_when_both_fail_the_last_error_is_raised(fakes):
    a, b = fakes
    a.fail_next(1, status=503)
    b.fail_next(1, status=429)
    with pytest.raises(TransientError, match="HTTP 429"):
        send(failover(fakes, (1, 0)))
    assert (a.send_attempts, b.send_attempts) == (1, 1)


def test_a_provider_failing_repeatedly_rests_until_the_cooldown_passes(fakes):
    a, _ = fakes
    clock = Clock()
    router = failover(fakes, (1, 0), failure_threshold=3, cooldown_seconds=60, clock=clock)
    a.fail_next(3)
    assert [send(router).provider for _ in range(3)] == ["b", "b", "b"]
    assert router.health() == {"a": False, "b": True}

    clock.now += 59
    assert send(router).provider == "b"
    assert a.send_attempts == 3  # skipped while resting

    clock.now += 1
    assert send(router).provider == "a"
    assert router.health() == {"a": True, "b": True}


def test_after_the_cooldown_one_more_failure_rests_it_again(fakes):
    a, _ = fakes
    clock = Clock()
    router = failover(fakes, (1, 0), failure_threshold=2, cooldown_seconds=60, clock=clock)
    a.fail_next(3)
    send(router), send(router)
    clock.now += 60
    assert send(router).provider == "b"  # the probe failed…
    assert router.health()["a"] is False  # …and a rests again at once
    assert a.send_attempts == 3


def test_when_no_provider_is_healthy_all_are_tried_again(fakes):
    a, b = fakes
    router = failover(fakes, (1, 1), failure_threshold=1, rng=random.Random(3))
    a.fail_next(1)
    b.fail_next(1)
    with pytest.raises(TransientError):
        send(router)
    assert router.health() == {"a": False, "b": False}
    assert send(router).provider in {"a", "b"}


def test_lookup_asks_each_provider_until_one_knows(fakes):
    a, _ = fakes
    router = failover(fakes, (1, 0))
    a.fail_next(1)
    reference = ref()
    assert send(router, reference).provider == "b"
    assert router.lookup(reference) is DeliveryState.ACCEPTED
    assert router.lookup(ref()) is DeliveryState.UNKNOWN

    a.fail_next_lookups(2)
    assert router.lookup(reference) is DeliveryState.ACCEPTED  # b knows it
    with pytest.raises(TransientError):  # a could not answer: it might hold it
        router.lookup(ref())


def test_failover_configuration_is_checked(fakes):
    a, _ = fakes
    with pytest.raises(ValueError, match="distinct"):
        WeightedFailover([(a.provider(name="x"), 1), (a.provider(name="x"), 1)])
    with pytest.raises(ValueError, match="weights"):
        WeightedFailover([(a.provider(name="x"), 0)])
