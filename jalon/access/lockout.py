"""Locking out password guessing without letting anybody lock a colleague out (MSJ-76, MSJ-77).

Two counters, both keyed on the account as the login matches it (trimmed, lower case), so that
``Camille.Martin@…`` and ``camille.martin@…`` share them:

- per account **and client address**: 3 failures lock the account *from that address* for
  ``LOCKOUT_COOLOFF`` (MSJ-76). Somebody typing a colleague's address elsewhere cannot lock
  the colleague out of their own desk;
- per account across all addresses: ``LOCKOUT_ACCOUNT_FAILURES`` failures (10 by default, so
  at least 4 addresses) lock the account everywhere for the same time: slow distributed
  guessing stops there.

A counter older than the cool-off starts again from zero. A successful login clears the
counter of its address; a password reset or a local administrator's unlock clears them all.
Unknown accounts are counted like known ones, so answers never reveal which addresses exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from jalon.access.models import Agent, LoginFailures
from jalon.core.request_context import client_ip_from_request

ADDRESS_LOCK_MESSAGE = (
    "Votre compte est temporairement bloqué après 3 essais de mot de passe infructueux "
    "depuis ce réseau, pour votre sécurité. Réessayez dans {minutes}, utilisez « Mot de passe "
    "oublié ? », ou demandez à l’administrateur local de votre service de le débloquer."
)
ACCOUNT_LOCK_MESSAGE = (
    "Votre compte est temporairement bloqué après de nombreux essais de mot de passe "
    "infructueux depuis plusieurs réseaux, pour votre sécurité. Réessayez dans {minutes}, "
    "utilisez « Mot de passe oublié ? », ou demandez à l’administrateur local de votre "
    "service de le débloquer."
)


@dataclass(frozen=True)
class Lock:
    """An active lock: from one address only, or from everywhere (``account_wide``)."""

    account_wide: bool
    until: datetime

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))

    @property
    def message(self) -> str:
        minutes = self.minutes_left
        text = f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
        template = ACCOUNT_LOCK_MESSAGE if self.account_wide else ADDRESS_LOCK_MESSAGE
        return template.format(minutes=text)


def account_key(username: str | None) -> str:
    """The account as ``AgentManager.get_by_natural_key`` matches it."""
    return (username or "").strip().lower()


def client_address(request: HttpRequest | None) -> str:
    return (client_ip_from_request(request) if request is not None else None) or ""


def _cooloff() -> timedelta:
    return settings.LOCKOUT_COOLOFF


def current_lock(username: str | None, address: str) -> Lock | None:
    """The lock that applies to this account from this address now, if any (one query)."""
    since = timezone.now() - _cooloff()
    totals = LoginFailures.objects.filter(
        account=account_key(username), last_failure_at__gte=since
    ).aggregate(
        everywhere=Sum("failures"),
        last=Max("last_failure_at"),
        here=Sum("failures", filter=Q(address=address)),
        last_here=Max("last_failure_at", filter=Q(address=address)),
    )
    if (totals["everywhere"] or 0) >= settings.LOCKOUT_ACCOUNT_FAILURES:
        return Lock(account_wide=True, until=totals["last"] + _cooloff())
    if (totals["here"] or 0) >= settings.LOCKOUT_FAILURES:
        return Lock(account_wide=False, until=totals["last_here"] + _cooloff())
    return None


def record_failure(username: str | None, address: str) -> Lock | None:
    """Count one failed password; return the lock it starts, if it starts one."""
    from jalon.history.actions import record

    key = account_key(username)
    now = timezone.now()
    with transaction.atomic():
        row, created = LoginFailures.objects.select_for_update().get_or_create(
            account=key, address=address, defaults={"failures": 1, "last_failure_at": now}
        )
        if not created:
            expired = row.last_failure_at < now - _cooloff()
            row.failures = 1 if expired else row.failures + 1
            row.last_failure_at = now
            row.save(update_fields=["failures", "last_failure_at"])
        lock = current_lock(key, address)
        if lock is not None:
            agent = Agent.objects.filter(email=key).first()
            if agent is not None:
                record(
                    "auth.locked_out",
                    actor=None,
                    target=agent,
                    details={"scope": "account" if lock.account_wide else "address"},
                )
        # Expired counters are useless: drop them here rather than in a periodic job.
        LoginFailures.objects.filter(last_failure_at__lt=now - _cooloff()).delete()
    return lock


def clear_address(username: str | None, address: str) -> None:
    """A successful login from this address: its counter starts again."""
    LoginFailures.objects.filter(account=account_key(username), address=address).delete()


def clear(username: str | None) -> int:
    """Lift every lock on the account (password reset, unlock by an administrator, MSJ-77)."""
    deleted, _ = LoginFailures.objects.filter(account=account_key(username)).delete()
    return deleted


def locked_accounts(emails: list[str]) -> set[str]:
    """Which of these accounts are locked from some address or everywhere (one query)."""
    keys = {account_key(email): email for email in emails}
    rows = (
        LoginFailures.objects.filter(
            account__in=keys, last_failure_at__gte=timezone.now() - _cooloff()
        )
        .values("account")
        .annotate(everywhere=Sum("failures"), most_here=Max("failures"))
    )
    return {
        keys[row["account"]]
        for row in rows
        if row["everywhere"] >= settings.LOCKOUT_ACCOUNT_FAILURES
        or row["most_here"] >= settings.LOCKOUT_FAILURES
    }
