"""Cursor pagination: an opaque cursor naming the last row seen, so pages stay stable and
each costs one indexed query whatever the page number (no OFFSET)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from jalon.api.problems import ApiProblem

MAX_LIMIT = 100
DEFAULT_LIMIT = 50

M = TypeVar("M", bound=models.Model)


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ApiProblem(
            422,
            "invalid_cursor",
            "Ce curseur n’est pas valide : reprenez la valeur « next_cursor » d’une page.",
        )
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        raise ApiProblem(422, "invalid_cursor", "Ce curseur n’est pas valide.")
    return values


def _after(fields: Sequence[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``fields`` ("-pk": descending)."""
    condition = Q()
    for index, field in enumerate(fields):
        name, lookup = (field[1:], "lt") if field.startswith("-") else (field, "gt")
        step = Q(**{f"{name}__{lookup}": values[index]})
        for previous, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        condition |= step
    # The same rows, with a bound on the first field that an index on the fields can start
    # from (PostgreSQL does not read one out of the alternatives above).
    first = fields[0]
    name, lookup = (first[1:], "lte") if first.startswith("-") else (first, "gte")
    return Q(**{f"{name}__{lookup}": values[0]}) & condition


def paginate(
    queryset: models.QuerySet[M], fields: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of ``queryset`` ordered by ``fields`` (the last one unique, e.g. ``pk``)."""
    if cursor:
        values = _decode(cursor, len(fields))
        try:
            queryset = queryset.filter(_after(fields, values))
        except (TypeError, ValueError, ValidationError):
            raise ApiProblem(422, "invalid_cursor", "Ce curseur n’est pas valide.") from None
    rows = list(queryset.order_by(*fields)[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode([_value(last, field) for field in fields])


def _value(row: models.Model, field: str) -> Any:
    value = row
    for part in field.lstrip("-").split("__"):
        value = getattr(value, part)
    return value if isinstance(value, int | str) else str(value)
