"""The personal "STOP SMS" link that ends every SMS (MSJ-58, MSJ-60).

The token is the message's id and an HMAC of it, in base 36: short (an SMS part is
precious), signed, with no personal data. It expires ``VALID_DAYS`` after the message was
created. Opening the link shows a page; only the button on it (a POST) records the refusal,
so that phones previewing links never opt anybody out.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jalon.sms.models import Message

VALID_DAYS = 120
SIGNATURE_CHARS = 10
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if not number:
            return digits


def _signature(message_id: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"sms-stop:{message_id}".encode(), hashlib.sha256
    ).digest()
    return _base36(int.from_bytes(digest[:8], "big")).rjust(SIGNATURE_CHARS, "0")[:SIGNATURE_CHARS]


def token_for(message_id: int) -> str:
    return f"{_base36(message_id)}-{_signature(message_id)}"


def link_for(message_id: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/stop/{token_for(message_id)}"


def message_for(token: str) -> Message | None:
    """The message a valid, unexpired token names, else None."""
    head, _, signature = token.partition("-")
    try:
        message_id = int(head, 36)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _signature(message_id)):
        return None
    message = Message.objects.select_related("person").filter(pk=message_id).first()
    if message is None or message.created_at < timezone.now() - timedelta(days=VALID_DAYS):
        return None
    return message
