"""API keys: random, shown once, stored as a SHA-256 hash with a short prefix to recognise them.

A key is 32 random bytes (256 bits), so a fast hash is enough: nobody can guess a key from
its hash, and a lookup by hash costs one indexed query (no per-key salt, no slow hash,
as GitHub or Stripe tokens).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

KEY_MARK = "jalon_"
PREFIX_LENGTH = len(KEY_MARK) + 8


@dataclass(frozen=True)
class NewKey:
    secret: str  # shown once, never stored

    @property
    def prefix(self) -> str:
        return self.secret[:PREFIX_LENGTH]

    @property
    def hashed(self) -> str:
        return hash_key(self.secret)


def generate_key() -> NewKey:
    return NewKey(KEY_MARK + secrets.token_urlsafe(32))


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
