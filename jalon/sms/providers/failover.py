"""Weighted failover between SMS providers.

Each send picks a provider at random in proportion to its weight, among the healthy ones.
A provider is unhealthy for ``cooldown_seconds`` after ``failure_threshold`` consecutive
transient failures; once the cooldown has passed it is tried again, and a further failure
sends it straight back to cooldown (one probe, not a fresh count). A success clears it.

- A transient failure of the chosen provider: the next healthy provider (by weight) gets
  the message, once; its error, if any, is raised. No second try when the first error is
  ``maybe_accepted`` (the first provider may have the message: trying elsewhere could send
  it twice; the caller checks with ``lookup`` before trying again).
- A permanent error is raised at once: the number is bad, another provider will not help.
- When no provider is healthy, all are candidates again: refusing to try would turn an
  outage into lost messages once the caller's bounded retries are spent.
- Weight 0 makes a standby provider, used only when the others fail or are unhealthy.

The health view is per process: each worker keeps its own, in memory. That is fine because
the threshold is small: a dead provider costs each worker a few failed attempts (retried
elsewhere at once) before it is skipped.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jalon.sms.providers.base import (
    DeliveryState,
    ProviderError,
    SendResult,
    SmsProvider,
    TransientError,
)


@dataclass
class _Health:
    failures: int = 0  # consecutive transient failures
    unhealthy_until: float | None = None


class WeightedFailover:
    def __init__(
        self,
        providers: Sequence[tuple[SmsProvider, int]],
        failure_threshold: int = 3,
        cooldown_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        name: str = "failover",
    ) -> None:
        if not providers:
            raise ValueError("WeightedFailover needs at least one provider")
        if any(weight < 0 for _, weight in providers) or sum(w for _, w in providers) <= 0:
            raise ValueError("weights must be non-negative, at least one positive")
        names = [provider.name for provider, _ in providers]
        if len(set(names)) != len(names):
            raise ValueError(f"provider names must be distinct: {names}")
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.name = name
        self._providers = [provider for provider, _ in providers]
        self._weights = [weight for _, weight in providers]
        self._health = [_Health() for _ in providers]
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._rng = rng if rng is not None else random.Random()  # noqa: S311 (not security)
        self._lock = threading.Lock()

    def health(self) -> dict[str, bool]:
        """Provider name → healthy, as this process sees it."""
        with self._lock:
            now = self._clock()
            return {
                provider.name: self._is_healthy(index, now)
                for index, provider in enumerate(self._providers)
            }

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        first = self._pick(exclude=None)
        assert first is not None  # without exclusion there is always a candidate
        try:
            return self._send_with(first, to=to, text=text, sender=sender, reference=reference)
        except TransientError as error:
            if error.maybe_accepted:
                raise
            second = self._pick(exclude=first)
            if second is None:
                raise
        return self._send_with(second, to=to, text=text, sender=sender, reference=reference)

    def lookup(self, reference: str) -> DeliveryState:
        """The first answer other than ``UNKNOWN``. ``UNKNOWN`` only when every provider said
        so: a provider that cannot answer might be the one holding the message."""
        error: ProviderError | None = None
        for provider in self._providers:
            try:
                state = provider.lookup(reference)
            except ProviderError as lookup_error:
                error = error or lookup_error
                continue
            if state is not DeliveryState.UNKNOWN:
                return state
        if error is not None:
            raise error
        return DeliveryState.UNKNOWN

    def _send_with(
        self, index: int, *, to: str, text: str, sender: str, reference: str
    ) -> SendResult:
        try:
            result = self._providers[index].send(
                to=to, text=text, sender=sender, reference=reference
            )
        except TransientError:
            self._record(index, failed=True)
            raise
        except ProviderError:  # permanent: the provider works, the message is at fault
            self._record(index, failed=False)
            raise
        self._record(index, failed=False)
        return result

    def _record(self, index: int, *, failed: bool) -> None:
        with self._lock:
            health = self._health[index]
            if not failed:
                health.failures, health.unhealthy_until = 0, None
                return
            health.failures += 1
            if health.failures >= self.failure_threshold:
                health.unhealthy_until = self._clock() + self.cooldown_seconds

    def _is_healthy(self, index: int, now: float) -> bool:
        until = self._health[index].unhealthy_until
        return until is None or now >= until

    def _pick(self, exclude: int | None) -> int | None:
        """A healthy provider by weight; the first pick (no ``exclude``) falls back to all of
        them when none is healthy, the second pick does not."""
        with self._lock:
            now = self._clock()
            indexes = [i for i in range(len(self._providers)) if i != exclude]
            candidates = [i for i in indexes if self._is_healthy(i, now)]
            if not candidates and exclude is None:
                candidates = indexes
            if not candidates:
                return None
            weights = [self._weights[i] for i in candidates]
            if sum(weights) == 0:  # only standbys left: in the order given
                return candidates[0]
            return self._rng.choices(candidates, weights=weights)[0]
