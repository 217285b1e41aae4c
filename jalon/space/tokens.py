"""Secrets of the space, computed, never stored.

- Invitation link: ``/espace/invitation/<id base 36>-<16 characters>``, an HMAC of the
  invitation's id and ``nonce`` (a re-sent invitation gets a new nonce: the first link dies).
- Reset code: 6 digits, an HMAC of the code row's id and ``nonce``.
- Session: 32 random bytes in the cookie, their SHA-256 in ``SpaceSession.key_hash``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from jalon.core import links

INVITATION_PURPOSE = "space-invitation"
INVITATION_LENGTH = 16


def new_nonce() -> str:
    return secrets.token_hex(16)


def _digest(purpose: str, number: int, nonce: str) -> bytes:
    return hmac.new(links._key(), f"{purpose}:{number}:{nonce}".encode(), hashlib.sha256).digest()


def invitation_token(invitation_id: int, nonce: str) -> str:
    digest = _digest(INVITATION_PURPOSE, invitation_id, nonce)
    signature = links.base36(int.from_bytes(digest[:12], "big")).rjust(INVITATION_LENGTH, "0")
    return f"{links.base36(invitation_id)}-{signature[:INVITATION_LENGTH]}"


def invitation_id(token: str) -> int | None:
    """The id a token claims (its signature is checked against the row's nonce later)."""
    head, _, signature = token.partition("-")
    if not head or len(head) > 12 or len(signature) != INVITATION_LENGTH:
        return None
    try:
        return int(head, 36)
    except ValueError:
        return None


def invitation_matches(token: str, invitation_id: int, nonce: str) -> bool:
    return hmac.compare_digest(token.encode(), invitation_token(invitation_id, nonce).encode())


def reset_code(code_id: int, nonce: str) -> str:
    digest = _digest("space-reset-code", code_id, nonce)
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def code_matches(given: str, code_id: int, nonce: str) -> bool:
    return hmac.compare_digest(given.encode(), reset_code(code_id, nonce).encode())


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


def session_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
