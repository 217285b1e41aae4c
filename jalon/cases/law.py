"""The one accessor of legal rules: ``rule(key, on=day)``.

Rules are ``LegalRule`` rows with dates of validity (see ``jalon.cases.models.rules``).
All rules valid on a day are read in one query and kept in a small cache, cleared at the
start of each request and whenever a rule is saved or deleted, so a page or an action that
asks for ten rules on the same day issues one query.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date
from typing import Any

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save

from jalon.cases.models import LegalRule


class MissingRule(LookupError):
    """No rule (or more than one) is valid for that key on that day: the data must be fixed."""


_cache: ContextVar[dict[date, dict[str, Any]] | None] = ContextVar("legal_rules", default=None)


def _rules_on(day: date) -> dict[str, Any]:
    cache = _cache.get()
    if cache is None:
        cache = {}
        _cache.set(cache)
    if day not in cache:
        values: dict[str, Any] = {}
        clashes: set[str] = set()
        for key, value in LegalRule.objects.valid_on(day).values_list("key", "value"):
            if key in values:
                clashes.add(key)
            values[key] = value
        for key in clashes:
            values[key] = _Clash()
        cache[day] = values
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


def clear_cache(**_kwargs: object) -> None:
    _cache.set(None)


request_started.connect(clear_cache, dispatch_uid="cases.law.request_started")
post_save.connect(clear_cache, sender=LegalRule, dispatch_uid="cases.law.saved")
post_delete.connect(clear_cache, sender=LegalRule, dispatch_uid="cases.law.deleted")
