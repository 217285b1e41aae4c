"""The one accessor of legal rules: ``rule(key, on=day)``.

Rules are ``LegalRule`` rows with dates of validity (see ``jalon.cases.models.rules``).
All rules valid on a day are read in one query. Within a request (or a ``cached()`` block)
they are kept in a small cache, so a page or an action that asks for ten rules on the same
day issues one query; the cache starts empty with each request, is dropped when it ends and
whenever a rule is saved or deleted. Outside those (jobs, shell), every call reads the
table: a long-running worker never keeps a value the admin has since changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

from jalon.cases.models import LegalRule


class MissingRule(LookupError):
    """No rule (or more than one) is valid for that key on that day: the data must be fixed."""


_cache: ContextVar[dict[date, dict[str, Any]] | None] = ContextVar("legal_rules", default=None)


def _read(day: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    clashes: set[str] = set()
    for key, value in LegalRule.objects.valid_on(day).values_list("key", "value"):
        if key in values:
            clashes.add(key)
        values[key] = value
    for key in clashes:
        values[key] = _Clash()
    return values


def _rules_on(day: date) -> dict[str, Any]:
    cache = _cache.get()
    if cache is None:
        return _read(day)
    if day not in cache:
        cache[day] = _read(day)
    return cache[day]


class _Clash:
    pass


def rule(key: str, on: date) -> Any:
    """The value of ``key`` valid on ``on``; ``MissingRule`` if none (or several) is."""
    values = _rules_on(on)
    if key not in values:
        raise MissingRule(
            f"Aucune règle de droit « {key} » n’est valable le {on:%d/%m/%Y} : "
            "complétez les règles de droit dans l’administration."
        )
    value = values[key]
    if isinstance(value, _Clash):
        raise MissingRule(
            f"Plusieurs règles de droit « {key} » sont valables le {on:%d/%m/%Y} : "
            "corrigez leurs dates de validité dans l’administration."
        )
    return value


def has_rule(key: str, on: date) -> bool:
    values = _rules_on(on)
    return key in values and not isinstance(values[key], _Clash)


@contextmanager
def cached() -> Iterator[None]:
    """Keep the rules read inside the block (a batch, a command), as a request does."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def _start(**_kwargs: object) -> None:
    _cache.set({})


def _stop(**_kwargs: object) -> None:
    _cache.set(None)


def clear_cache(**_kwargs: object) -> None:
    """Forget what was read (a rule changed): the next call reads the table again."""
    if _cache.get() is not None:
        _cache.set({})


request_started.connect(_start, dispatch_uid="cases.law.request_started")
request_finished.connect(_stop, dispatch_uid="cases.law.request_finished")
post_save.connect(clear_cache, sender=LegalRule, dispatch_uid="cases.law.saved")
post_delete.connect(clear_cache, sender=LegalRule, dispatch_uid="cases.law.deleted")
