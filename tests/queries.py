"""The "query count does not grow with the data" check, one way for the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


def _count(run: Callable[[], T]) -> tuple[T, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, [query["sql"] for query in captured.captured_queries]


def assert_queries_do_not_grow(
    run: Callable[[], T],
    grow: Callable[[], object],
    *,
    warm_up: bool = True,
    at_most: int | None = None,
) -> T:
    """Counts the queries of ``run`` (a request, an action) before and after ``grow`` adds
    data: they must be the same number (no query per row). Returns what the last ``run``
    returned, for the test to check the added rows are really there.

    ``warm_up`` runs it once first and forgets that count: the first request of a session
    records the agent's activity, and caches fill. ``at_most`` also bounds the count.
    """
    if warm_up:
        run()
    _, few = _count(run)
    if at_most is not None:
        assert len(few) <= at_most, (
            f"{len(few)} queries, at most {at_most} expected:\n" + "\n".join(few)
        )
    grow()
    result, many = _count(run)
    if len(many) != len(few):
        extra = [sql for sql in many if sql not in few] or many
        raise AssertionError(
            f"{len(few)} queries, then {len(many)} with more data; new or repeated:\n"
            + "\n".join(extra)
        )
    return result
