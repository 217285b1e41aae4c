"""Short signed tokens for the links an SMS carries: ``<id in base 36>-<signature>``.

An SMS part is precious, so a token is short: the row's id in base 36 and a truncated HMAC
of it (per purpose, so a service page token never opens a convocation). The id alone is
never enough: a visitor cannot walk the ids. The key is ``JALON_LINK_SECRET`` (read once
in settings through ``core/env.py``), falling back to ``SECRET_KEY``. No personal data is
ever in a token; expiry is decided by the caller from the row it names.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if not number:
            return digits


def _key() -> bytes:
    return (getattr(settings, "JALON_LINK_SECRET", "") or settings.SECRET_KEY).encode()


def signature(purpose: str, number: int, length: int) -> str:
    digest = hmac.new(_key(), f"{purpose}:{number}".encode(), hashlib.sha256).digest()
    return base36(int.from_bytes(digest[:10], "big")).rjust(length, "0")[:length]


def sign(purpose: str, number: int, length: int) -> str:
    return f"{base36(number)}-{signature(purpose, number, length)}"


def unsign(purpose: str, token: str, length: int) -> int | None:
    """The id a well-signed token names, else None (never raises on any input)."""
    head, _, given = token.partition("-")
    if not head or len(head) > 12 or len(given) != length:
        return None
    try:
        number = int(head, 36)
    except ValueError:
        return None
    if not hmac.compare_digest(given.encode(), signature(purpose, number, length).encode()):
        return None
    return number


# The two kinds of link an SMS carries, with their signature length. A service page is public
# (its signature only keeps ids from being walked); a convocation link is behind a birth-date
# check with a few attempts, so 8 characters (41 bits) make guessing hopeless.
SERVICE_PAGE = ("service-page", 6)
CONVOCATION = ("convocation", 8)


def public_url(path: str) -> str:
    """``path`` on the public site, or "" when no public site is configured."""
    base = settings.JALON_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else ""


def service_page_token(service_id: int) -> str:
    return sign(SERVICE_PAGE[0], service_id, SERVICE_PAGE[1])


def convocation_token(appointment_id: int) -> str:
    return sign(CONVOCATION[0], appointment_id, CONVOCATION[1])


def service_page_url(service_id: int) -> str:
    return public_url(f"/s/{service_page_token(service_id)}")


def convocation_url(appointment_id: int) -> str:
    return public_url(f"/c/{convocation_token(appointment_id)}")
