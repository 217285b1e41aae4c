"""The interface every SMS provider implements, and the errors it raises.

A provider either returns a ``SendResult`` (the provider took the message) or raises a
``ProviderError`` whose ``reason`` is French and shown to agents as the failure motive:

- ``PermanentError``: sending again cannot help (invalid or unroutable number, content
  refused). The message is failed at once.
- ``TransientError``: the provider was unavailable, slow, overloaded or misconfigured; the
  caller retries with a bounded exponential backoff. Misconfiguration (refused credentials)
  is transient on purpose: no message is lost while an operator fixes it, and the bounded
  retries surface it.

``TransientError.maybe_accepted`` is true when the request may have reached the provider
and only the answer was lost (timeout while waiting for the answer, unreadable 2xx answer,
connection dropped after sending). Before sending such a message again, ask
``lookup(reference)``: anything but ``UNKNOWN`` means it already left.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """A send or lookup that did not succeed; ``reason`` is French, for agents."""

    def __init__(
        self, reason: str, *, permanent: bool, provider: str = "", maybe_accepted: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.provider = provider
        self.maybe_accepted = maybe_accepted


class PermanentError(ProviderError):
    """Sending again (here or elsewhere) cannot succeed: fail the message, no retry."""

    def __init__(self, reason: str, *, provider: str = "") -> None:
        super().__init__(reason, permanent=True, provider=provider)


class TransientError(ProviderError):
    """Try again later, with backoff; see ``maybe_accepted`` in the module docstring."""

    def __init__(self, reason: str, *, provider: str = "", maybe_accepted: bool = False) -> None:
        super().__init__(reason, permanent=False, provider=provider, maybe_accepted=maybe_accepted)


class ProviderConfigurationError(ValueError):
    """The provider cannot be built from the environment (missing or invalid variables)."""


@dataclass(frozen=True)
class SendResult:
    provider: str  # name of the provider that actually took the message
    provider_reference: str  # the provider's own id for it (LINK Mobility: messageId)


class DeliveryState(enum.Enum):
    ACCEPTED = "accepted"  # the provider has it; no final state yet
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    UNKNOWN = "unknown"  # the provider never saw this reference: it did not leave


class SmsProvider(Protocol):
    name: str

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        """Hand one SMS to the provider. ``to`` is E.164 (``+33612345678``); ``reference``
        is our client reference (the message UUID), kept by the provider for ``lookup``.
        Raises ``PermanentError`` or ``TransientError``."""
        ...

    def lookup(self, reference: str) -> DeliveryState:
        """Ask the provider's status API about our client reference.
        Raises ``TransientError`` when the provider cannot answer now."""
        ...
