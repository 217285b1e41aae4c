"""Transactions of actions: a savepoint when nested, unless the caller undoes it all.

An action runs in ``transaction.atomic``; called inside another transaction, Django makes it
a savepoint (two more statements) so that the caller may catch its refusal and go on. A
caller that rolls back its whole transaction on any refusal (the API's idempotent writes)
says so with ``whole_transaction``, and the actions it calls then make no savepoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

_whole: ContextVar[bool] = ContextVar("jalon_whole_transaction", default=False)


@contextmanager
def whole_transaction() -> Iterator[None]:
    """Within: any error of an action rolls back the caller's whole transaction (which must
    let it propagate out of its ``atomic`` block, and never catch it to go on writing)."""
    token = _whole.set(True)
    try:
        yield
    finally:
        _whole.reset(token)


def atomic_action(function: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for an action, without a savepoint in a ``whole_transaction``."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=not _whole.get()):
            return function(*args, **kwargs)

    return wrapper
