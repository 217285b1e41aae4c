"""LINK Mobility SMS REST API adapter, on the standard library HTTP client.

Requests (the LINK Mobility REST v1 shape; every field name lives in the section below):

- ``POST {base_url}/sms/send``, basic auth, JSON ``source``, ``sourceTON``, ``destination``
  (E.164), ``userData``, ``platformId``, ``platformPartnerId``, ``refId`` (our message UUID),
  ``useDeliveryReport``, ``deliveryReportGates``; answer ``messageId``, ``resultCode``,
  ``description``.
- ``GET {base_url}/sms/status?platformId=…&platformPartnerId=…&refId=…``: the status API
  by client reference (the path is ours to confirm with LINK Mobility; the test fake
  implements it). 200 with ``messageId`` and ``resultCode``; 404 when the reference is
  unknown.

Classification of a send (``lookup``: 404 is ``UNKNOWN``, other errors as below):

==============================================  ==============================================
2xx, ``messageId``, accepted result code        ``SendResult``
invalid destination result code, or bad E.164   ``PermanentError`` "Numéro invalide ou injoignable"
400/422 (other code), 2xx with code >= 2000     ``PermanentError`` (message refused)
401/403, sender or account result code          ``TransientError`` (check the configuration)
408/429/5xx, temporary result code              ``TransientError``
any other status (404, 3xx…)                    ``TransientError`` (check the configuration)
connection refused, connect timeout             ``TransientError``
answer timeout, dropped answer, unreadable 2xx  ``TransientError`` with ``maybe_accepted``
==============================================  ==============================================
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import ssl
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jalon.sms.providers.base import (
    DeliveryState,
    PermanentError,
    ProviderConfigurationError,
    ProviderError,
    SendResult,
    TransientError,
)

E164 = re.compile(r"\+[1-9]\d{6,14}")
MAX_ANSWER_BYTES = 64 * 1024
IDLE_REUSE_SECONDS = 2.0  # a connection idle longer is not reused
CHECK_CONFIGURATION = "vérifier la configuration SMS"
INVALID_NUMBER = "Numéro invalide ou injoignable"

# --- LINK Mobility REST v1 shape: every field name and result code is in this section ---

SEND_PATH = "/sms/send"
STATUS_PATH = "/sms/status"
# Result codes as LINK Mobility's public "Result Codes SMS" table lists them.
ACCEPTED_CODES = frozenset({1000, 1005, 1008, 1011, 1012, 1013})  # sent to operator, queued…
DELIVERED_CODES = frozenset({1001, 1007})  # delivered (billing done or delayed)
UNDELIVERED_CODES = frozenset({1002, 1003, 1004, 1006, 1009, 1010})  # expired, not delivered…
INVALID_DESTINATION_CODES = frozenset({2, 2100, 2101, 2102, 2103, 2104, 2105, 2106})
CONFIGURATION_CODES = frozenset({104, 2000, 2001, 2002, 2003})  # account, sender refused
TEMPORARY_CODES = frozenset({0, 1, 3, 4, 5, 6, 105, 2107})  # routing, throttling, timeout…
# Final "not delivered" codes of a delivery report that say the number itself is bad
# (permanent routing error, deleted by the operator, destination unsupported, unknown
# subscriber, blocked, number error). Every other final non-delivery (expired: phone off
# for the validity period, mobile full, operator errors…) may succeed another time.
PERMANENT_UNDELIVERED_CODES = frozenset({2, 1003, 2100, 2101, 2102, 2104, 2105, 2106})
# Intermediate states a delivery report may carry (sent, queued, billing steps): not final.
INTERMEDIATE_CODES = ACCEPTED_CODES


def send_payload(
    account: LinkMobilityProvider, to: str, text: str, sender: str, reference: str
) -> dict[str, Any]:
    ton = (
        "MSISDN" if E164.fullmatch(sender) else "SHORTCODE" if sender.isdigit() else "ALPHANUMERIC"
    )
    return {
        "source": sender,
        "sourceTON": ton,
        "destination": to,
        "userData": text,
        "platformId": account.platform_id,
        "platformPartnerId": account.platform_partner_id,
        "refId": reference,
        "useDeliveryReport": True,
        "deliveryReportGates": [account.gate_id],
    }


def status_path(account: LinkMobilityProvider, reference: str) -> str:
    query = {"platformId": account.platform_id, "platformPartnerId": account.platform_partner_id}
    return f"{STATUS_PATH}?{urllib.parse.urlencode(query | {'refId': reference})}"


def parse_answer(body: bytes) -> tuple[dict[str, Any] | None, int | None]:
    """The JSON object of an answer (None if unreadable) and its ``resultCode``."""
    try:
        data = json.loads(body)
    except ValueError:  # also UnicodeDecodeError
        return None, None
    if not isinstance(data, dict):
        return None, None
    code = data.get("resultCode")
    return data, code if isinstance(code, int) and not isinstance(code, bool) else None


def state_for_code(code: int | None) -> DeliveryState:
    if code in DELIVERED_CODES:
        return DeliveryState.DELIVERED
    if code in UNDELIVERED_CODES or (code is not None and code >= 2000):
        return DeliveryState.UNDELIVERED
    return DeliveryState.ACCEPTED


@dataclass(frozen=True)
class Report:
    """A delivery report (Common platform, JSON gate): only what Jalon uses of it."""

    reference: str  # ``refId``: our message UUID
    state: DeliveryState  # ACCEPTED for an intermediate report
    permanent: bool  # for UNDELIVERED: the number itself is bad
    code: int
    at: datetime  # ``timestamp``: the operator's time of this status


def parse_timestamp(value: object) -> datetime | None:
    """An RFC 3339 timestamp with its offset (``2027-07-05T08:00:00.000Z``), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def parse_report(payload: Mapping[str, Any]) -> Report | str:
    """The report, or what is wrong with it (French, for the 400 answer)."""
    reference, code = payload.get("refId"), payload.get("resultCode")
    if not isinstance(reference, str) or not reference:
        return "refId attendu"
    if not isinstance(code, int) or isinstance(code, bool):
        return "resultCode (entier) attendu"
    at = parse_timestamp(payload.get("timestamp"))
    if at is None:
        return "timestamp (RFC 3339 avec fuseau) attendu"
    if code in INTERMEDIATE_CODES:
        state = DeliveryState.ACCEPTED
    elif code in DELIVERED_CODES:
        state = DeliveryState.DELIVERED
    else:
        state = DeliveryState.UNDELIVERED
    return Report(reference, state, code in PERMANENT_UNDELIVERED_CODES, code, at)


def parse_inbound(payload: Mapping[str, Any]) -> tuple[str, str, datetime] | str:
    """``(source, text, timestamp)`` of an MO message (``content.userData``), or what is
    wrong with it (French)."""
    source, content = payload.get("source"), payload.get("content")
    text = content.get("userData") if isinstance(content, dict) else None
    if not isinstance(source, str) or not isinstance(text, str):
        return "source et content.userData attendus"
    at = parse_timestamp(payload.get("timestamp"))
    if at is None:
        return "timestamp (RFC 3339 avec fuseau) attendu"
    return source, text, at


# --- Adapter ---------------------------------------------------------------------------------


class _Connections(threading.local):
    """One kept-alive connection per thread (a worker sends from several threads)."""

    connection: http.client.HTTPConnection | None = None
    used: float = 0.0


class LinkMobilityProvider:
    # Environment variable suffixes, in the constructor's order.
    ENVIRONMENT = ("URL", "USERNAME", "PASSWORD", "PLATFORM_ID", "PARTNER_ID", "GATE_ID")

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        platform_id: str,
        platform_partner_id: str,
        gate_id: str,
        timeout: float = 10.0,
        name: str = "linkmobility",
    ) -> None:
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ProviderConfigurationError(f"URL LINK Mobility invalide : {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.platform_id = platform_id
        self.platform_partner_id = platform_partner_id
        self.gate_id = gate_id
        self.timeout = timeout
        self.name = name
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"
        parts = urllib.parse.urlsplit(self.base_url)
        self._https = parts.scheme == "https"
        self._host, self._port, self._path = parts.hostname or "", parts.port, parts.path
        self._local = _Connections()

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str], *, prefix: str = "JALON_SMS_LINK_", name: str = "linkmobility"
    ) -> LinkMobilityProvider:
        """Built from ``JALON_SMS_LINK_URL``, ``_USERNAME``, ``_PASSWORD``, ``_PLATFORM_ID``,
        ``_PARTNER_ID`` and ``_GATE_ID`` (another ``prefix`` for a second account)."""
        missing = [prefix + key for key in cls.ENVIRONMENT if not env.get(prefix + key, "").strip()]
        if missing:
            raise ProviderConfigurationError(
                "Variables d’environnement manquantes pour LINK Mobility : " + ", ".join(missing)
            )
        url, username, password, platform, partner, gate = (
            env[prefix + key].strip() for key in cls.ENVIRONMENT
        )
        timeout = float(env.get(prefix + "TIMEOUT", "") or 10.0)
        return cls(url, username, password, platform, partner, gate, timeout, name=name)

    def __repr__(self) -> str:
        return f"<LinkMobilityProvider {self.name} {self.base_url}>"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        if not E164.fullmatch(to):
            raise PermanentError(INVALID_NUMBER, provider=self.name)
        payload = send_payload(self, to, text, sender, reference)
        status, body = self._request("POST", SEND_PATH, json.dumps(payload).encode())
        if (error := self._http_error(status)) is not None:
            raise error
        data, code = parse_answer(body)
        if 200 <= status < 300 and (code is None or code in ACCEPTED_CODES | DELIVERED_CODES):
            message_id = data.get("messageId") if data is not None else None
            if not isinstance(message_id, str) or not message_id:
                raise TransientError(
                    "Réponse illisible de l’opérateur", provider=self.name, maybe_accepted=True
                )
            return SendResult(provider=self.name, provider_reference=message_id)
        raise self._refusal(status, code)

    def lookup(self, reference: str) -> DeliveryState:
        status, body = self._request("GET", status_path(self, reference))
        if status == 404:
            return DeliveryState.UNKNOWN
        if (error := self._http_error(status)) is not None:
            raise error
        data, code = parse_answer(body)
        if data is None:
            raise TransientError("Réponse illisible de l’opérateur", provider=self.name)
        return state_for_code(code)

    def _http_error(self, status: int) -> TransientError | None:
        """The error for statuses that say nothing about the message itself."""
        if status in (401, 403):
            reason = f"Accès refusé par l’opérateur (HTTP {status}) : {CHECK_CONFIGURATION} (identifiants)"
        elif status == 429:
            reason = "Opérateur saturé, trop de demandes (HTTP 429)"
        elif status == 503:  # refused at the door (maintenance, overload): it did not take it
            reason = f"Opérateur indisponible (HTTP {status})"
        elif status == 408 or status >= 500:
            # The request reached the provider, which may have taken the message before
            # failing: ask ``lookup`` before sending it again.
            return TransientError(
                f"Opérateur indisponible (HTTP {status})", provider=self.name, maybe_accepted=True
            )
        elif status in (400, 422) or 200 <= status < 300:
            return None
        else:
            reason = f"Réponse inattendue de l’opérateur (HTTP {status}) : {CHECK_CONFIGURATION}"
        return TransientError(reason, provider=self.name)

    def _refusal(self, status: int, code: int | None) -> ProviderError:
        """A 2xx with a refusal code, or a 400/422."""
        if code in INVALID_DESTINATION_CODES:
            return PermanentError(INVALID_NUMBER, provider=self.name)
        if code in CONFIGURATION_CODES:
            return TransientError(
                f"Expéditeur ou compte refusé par l’opérateur (code {code}) : {CHECK_CONFIGURATION}",
                provider=self.name,
            )
        if code in TEMPORARY_CODES or (code is not None and code < 2000 and status < 300):
            return TransientError(
                f"Erreur temporaire de l’opérateur (code {code})", provider=self.name
            )
        detail = f"HTTP {status}" + (f", code {code}" if code is not None else "")
        return PermanentError(f"Message refusé par l’opérateur ({detail})", provider=self.name)

    def _connection(self) -> http.client.HTTPConnection:
        """This thread's connection, kept alive between requests while they follow closely
        (opened anew after ``IDLE_REUSE_SECONDS``: a server closes idle connections).

        Connecting is done here, apart: a failure to connect means the request never left.
        """
        local = self._local
        if local.connection is not None and time.monotonic() - local.used > IDLE_REUSE_SECONDS:
            self._close()
        if local.connection is None:
            connection = (
                http.client.HTTPSConnection(
                    self._host,
                    self._port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
                if self._https
                else http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
            )
            try:
                connection.connect()
            except TimeoutError as error:
                connection.close()
                raise TransientError(
                    "Délai dépassé : connexion à l’opérateur impossible", provider=self.name
                ) from error
            except OSError as error:
                connection.close()
                raise TransientError(
                    "Opérateur injoignable : connexion impossible", provider=self.name
                ) from error
            local.connection = connection
        return local.connection

    def _close(self) -> None:
        if self._local.connection is not None:
            self._local.connection.close()
            self._local.connection = None

    def _request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = self._connection()
        headers = {
            "Authorization": self._authorization,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        try:
            connection.request(method, self._path + path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(MAX_ANSWER_BYTES)
        except TimeoutError as error:  # sent, no answer in time: it may have left
            self._close()
            raise TransientError(
                "Délai dépassé : l’opérateur n’a pas répondu à temps",
                provider=self.name,
                maybe_accepted=True,
            ) from error
        except (OSError, http.client.HTTPException) as error:
            self._close()
            raise TransientError(
                "Connexion interrompue par l’opérateur", provider=self.name, maybe_accepted=True
            ) from error
        if response.will_close or not response.isclosed():  # closing, or an answer too long
            self._close()
        self._local.used = time.monotonic()
        return response.status, data
