"""SQL expressions the ORM lacks."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, F, Func, QuerySet


class EqualsAny(Func):
    """``column = ANY(array)``: a boolean to filter on."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def among_ids(column: str, ids: QuerySet[Any]) -> EqualsAny:
    """``column`` is one of the ids that ``ids`` (a ``values("pk")`` queryset) selects.

    The subquery becomes an array computed once (an init plan) before the outer query, which
    then probes its rows by index from these ids. With ``IN (SELECT …)``, PostgreSQL may
    instead walk a large index in the outer query's order (an ``ORDER BY … LIMIT`` page) and
    test each row against the subquery, which costs seconds when the matches are far apart.
    """
    return EqualsAny(F(column), ArraySubquery(ids.order_by()))
