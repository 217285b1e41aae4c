"""A real local HTTP server playing the LINK Mobility SMS REST API, for tests and benchmarks.

It listens on 127.0.0.1 (random port) in a background thread; basic auth with ``USERNAME``
and ``PASSWORD``; ``fake.provider()`` is a ``LinkMobilityProvider`` pointed at it.

- ``POST /sms/send`` records the message (``sent_count(ref)`` counts them per ``refId``)
  and answers ``{"messageId", "resultCode": 1005, "description": "Queued", "smsCount": 1}``.
- ``GET /sms/status?platformId=…&platformPartnerId=…&refId=…`` answers ``{"refId",
  "messageId", "resultCode", "description"}`` (1005 queued, 1001 delivered, or the code of
  its receipt), or 404 for an unknown reference. This status endpoint is Jalon's
  assumption, not in LINK Mobility's public documentation (see docs/jobs.md).

Behaviour: ``latency`` (seconds before each answer; the request is processed at once),
``fail_next(n, status)`` (sends answered with that status, not recorded),
``fail_next_lookups(n, status)``, ``failure_rate`` with ``seed`` (random sends fail:
a 500, or with probability ``timeout_share`` a timeout, i.e. an answer after
``stall_seconds``, longer than the client's timeout; ``timeouts_accept`` records the
message first, as when only the answer is lost), ``invalid_numbers`` (400 with result code
2106, "number error"), ``garbage_next(n)`` (recorded, then a 200 with a non-JSON body),
``errors_after_accepting`` (that many sends recorded, then answered 500) and
``accept_then_fail_rate`` (the same at random), ``record_delay`` (seconds during which a
message taken is still unknown to the status endpoint: it records late).

Jalon receives, as JSON POSTs signed with header ``X-Jalon-Signature: sign(body)`` (by
default the HMAC-SHA256 hex digest of the raw body with ``WEBHOOK_SECRET``):

- ``deliver(ref, code=1001, at=None)`` → ``callback_url``, a delivery report as LINK
  Mobility's Common platform posts it: ``{"refId", "id", "operator", "sentTimestamp",
  "timestamp", "resultCode", "operatorResultCode", "segments", "customParameters"}``
  (timestamps RFC 3339 UTC; ``at`` sets ``timestamp``, default now).
- ``send_inbound(from_number, text, at=None)`` → ``inbound_url``, an MO message:
  ``{"source", "destination", "content": {"type": "TEXT", "userData", "encoding"},
  "operator", "timestamp", "messageId"}``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jalon.sms.providers.linkmobility import LinkMobilityProvider

USERNAME = "jalon-test"
PASSWORD = "jalon-test-password"
PLATFORM_ID = "JALON"
PARTNER_ID = "4242"
GATE_ID = "jalon-receipts"
WEBHOOK_SECRET = "jalon-test-webhook-secret"
DELIVERED, QUEUED, EXPIRED, UNKNOWN_SUBSCRIBER = 1001, 1005, 1002, 2104
DESCRIPTIONS = {1001: "Delivered", 1005: "Queued", 1002: "Expired", 2104: "Unknown subscriber"}


def rfc3339(moment: dt.datetime | None = None) -> str:
    moment = moment or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hmac_signer(secret: str) -> Callable[[bytes], str]:
    """``sign`` for the fake: HMAC-SHA256 of the raw body, hex."""

    def sign(body: bytes) -> str:
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    return sign


DEFAULT_SIGN = hmac_signer(WEBHOOK_SECRET)


@dataclass
class FakeMessage:
    ref_id: str
    message_id: str
    destination: str
    source: str
    source_ton: str
    text: str
    payload: dict[str, Any] = field(repr=False)
    code: int = QUEUED  # the result code of its last state (a receipt's)
    recorded_at: float = field(default_factory=time.monotonic)


Answer = tuple[float, int, bytes]  # delay before answering, HTTP status, body


def _json(status: int, data: dict[str, Any], delay: float) -> Answer:
    return delay, status, json.dumps(data).encode()


@dataclass(eq=False)
class FakeLinkMobility:
    """The server starts when built; ``close()`` stops it. Knobs can change at any time."""

    latency: float = 0.0
    failure_rate: float = 0.0
    timeout_share: float = 0.5
    stall_seconds: float = 2.0
    timeouts_accept: bool = True
    seed: int = 0
    callback_url: str | None = None
    inbound_url: str | None = None
    sign: Callable[[bytes], str] | None = DEFAULT_SIGN
    sender: str = "RDV Justice"
    invalid_numbers: set[str] = field(default_factory=set)
    record_delay: float = 0.0
    errors_after_accepting: int = 0
    accept_then_fail_rate: float = 0.0
    messages: list[FakeMessage] = field(default_factory=list)
    send_attempts: int = 0  # POST /sms/send received, whatever the answer

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._failures: deque[int] = deque()
        self._lookup_failures: deque[int] = deque()
        self._garbage = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._closing.set()  # wakes stalled answers
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def environment(self, prefix: str = "JALON_SMS_LINK_") -> dict[str, str]:
        values = {"URL": self.url, "USERNAME": USERNAME, "PASSWORD": PASSWORD}
        values |= {"PLATFORM_ID": PLATFORM_ID, "PARTNER_ID": PARTNER_ID, "GATE_ID": GATE_ID}
        return {prefix + key: value for key, value in values.items()}

    def provider(self, *, timeout: float = 2.0, name: str = "linkmobility") -> LinkMobilityProvider:
        return LinkMobilityProvider(
            self.url, USERNAME, PASSWORD, PLATFORM_ID, PARTNER_ID, GATE_ID, timeout, name
        )

    def fail_next(self, n: int = 1, status: int = 503) -> None:
        with self._lock:
            self._failures.extend([status] * n)

    def fail_next_lookups(self, n: int = 1, status: int = 503) -> None:
        with self._lock:
            self._lookup_failures.extend([status] * n)

    def garbage_next(self, n: int = 1) -> None:
        with self._lock:
            self._garbage += n

    def sent_count(self, ref_id: str) -> int:
        with self._lock:
            return sum(message.ref_id == ref_id for message in self.messages)

    def deliver(
        self, reference: str, code: int = DELIVERED, at: dt.datetime | None = None
    ) -> int | None:
        """Settle the message with result ``code`` and POST its delivery report to
        ``callback_url`` (the HTTP status Jalon answered; None without a callback URL).
        Unknown references are sent too."""
        with self._lock:
            known = [message for message in self.messages if message.ref_id == reference]
            for message in known:
                message.code = code
        message_id = known[-1].message_id if known else uuid.uuid4().hex
        payload = {
            "refId": reference,
            "id": message_id,
            "operator": "fr.orange",
            "sentTimestamp": rfc3339(at),
            "timestamp": rfc3339(at),
            "resultCode": code,
            "operatorResultCode": "000" if code == DELIVERED else "001",
            "segments": 1,
            "customParameters": {},
        }
        return self._post(self.callback_url, payload)

    def send_inbound(
        self, from_number: str, text: str, at: dt.datetime | None = None
    ) -> int | None:
        payload = {
            "source": from_number,
            "destination": self.sender,
            "content": {"type": "TEXT", "userData": text, "encoding": "UTF-8"},
            "operator": "fr.orange",
            "timestamp": rfc3339(at),
            "messageId": uuid.uuid4().hex,
        }
        return self._post(self.inbound_url, payload)

    def accepted_references(self) -> list[str]:
        with self._lock:
            return [message.ref_id for message in self.messages]

    def _post(self, url: str | None, payload: dict[str, Any]) -> int | None:
        if url is None:
            return None
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if self.sign is not None:
            headers["X-Jalon-Signature"] = self.sign(body)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code

    def _authorized(self, header: str | None) -> bool:
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        return header == f"Basic {token}"

    def _answer_send(self, authorization: str | None, body: bytes) -> Answer:
        delay = self.latency
        with self._lock:
            self.send_attempts += 1
            if not self._authorized(authorization):
                return _json(401, {"description": "Unauthorized"}, delay)
            try:
                data = json.loads(body)
                ref_id, destination = str(data.get("refId", "")), data["destination"]
                if (data["platformId"], data["platformPartnerId"]) != (PLATFORM_ID, PARTNER_ID):
                    return _json(403, {"description": "Unknown platform"}, delay)
                source, ton, text = data["source"], data.get("sourceTON", ""), data["userData"]
                message = FakeMessage(
                    ref_id, uuid.uuid4().hex, destination, source, ton, text, data
                )
            except (ValueError, KeyError, TypeError, AttributeError):
                return _json(400, {"resultCode": 4003, "description": "Invalid request"}, delay)
            if self._failures:
                status = self._failures.popleft()
                return _json(status, {"description": f"Failure {status}"}, delay)
            if self.failure_rate and self._random.random() < self.failure_rate:
                if self._random.random() >= self.timeout_share:
                    return _json(500, {"description": "Internal error"}, delay)
                delay += self.stall_seconds
                if not self.timeouts_accept:
                    return _json(500, {"description": "Stalled"}, delay)
            if destination in self.invalid_numbers:
                return _json(400, {"resultCode": 2106, "description": "Number error"}, delay)
            self.messages.append(message)
            if self.errors_after_accepting:
                self.errors_after_accepting -= 1
                return _json(500, {"description": "Internal error"}, delay)
            if self.accept_then_fail_rate and self._random.random() < self.accept_then_fail_rate:
                return _json(500, {"description": "Internal error"}, delay)
            if self._garbage:
                self._garbage -= 1
                return delay, 200, b"<html><body>Proxy error</body></html>"
        accepted = {"messageId": message.message_id, "resultCode": 1005, "description": "Queued"}
        return _json(200, accepted | {"smsCount": 1}, delay)

    def _answer_status(self, authorization: str | None, path: str) -> Answer:
        delay = self.latency
        url = urllib.parse.urlsplit(path)
        ref_id = urllib.parse.parse_qs(url.query).get("refId", [""])[0]
        with self._lock:
            if url.path != "/sms/status":
                return _json(405, {"description": "No such endpoint"}, delay)
            if not self._authorized(authorization):
                return _json(401, {"description": "Unauthorized"}, delay)
            if self._lookup_failures:
                status = self._lookup_failures.popleft()
                return _json(status, {"description": f"Failure {status}"}, delay)
            visible = time.monotonic() - self.record_delay
            known = [
                message
                for message in self.messages
                if message.ref_id == ref_id and message.recorded_at <= visible
            ]
            if not known:
                return _json(404, {"description": "Unknown refId"}, delay)
            code = known[-1].code
            answer = {"refId": ref_id, "messageId": known[-1].message_id, "resultCode": code}
        return _json(200, answer | {"description": DESCRIPTIONS.get(code, "")}, delay)


class _Server(ThreadingHTTPServer):
    fake: FakeLinkMobility
    daemon_threads = True  # kept-alive connections must not hold ``close()``

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that gave up on a stalled answer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as a real provider
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if urllib.parse.urlsplit(self.path).path != "/sms/send":
            self._write((0.0, 405, b"{}"))
        else:
            self._write(self.server.fake._answer_send(self.headers.get("Authorization"), body))

    def do_GET(self) -> None:
        self._write(self.server.fake._answer_status(self.headers.get("Authorization"), self.path))

    def _write(self, answer: Answer) -> None:
        delay, status, body = answer
        if delay and self.server.fake._closing.wait(delay):
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def running_fake_provider(**options: Any) -> Iterator[FakeLinkMobility]:
    fake = FakeLinkMobility(**options)
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture
def fake_provider() -> Iterator[FakeLinkMobility]:
    with running_fake_provider() as fake:
        yield fake
