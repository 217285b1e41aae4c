"""Inserting many new model instances with PostgreSQL ``COPY`` (psycopg 3 ``cursor.copy``).

``copy_insert`` writes the same rows as ``bulk_create`` would (every concrete field as the
instance holds it: defaults already set by the constructor, foreign keys read from the
related instances saved since, JSON through the field's encoder, a column left to its
database default when the instance holds ``DatabaseDefault``), without building one
parametrised statement of every value: for thousands of rows, Django's ``INSERT`` and
psycopg's client-side quoting cost more than the insert itself. No signal is sent
(as ``bulk_create``), and no ``ON CONFLICT``: a constraint violated fails the whole copy.

With ``set_pks`` the primary keys are taken first from the table's sequence, in one query,
in the instances' order (as ``bulk_create``'s ``RETURNING`` gives them), so the caller can
point other rows at them.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import connection, models
from django.db.models.expressions import DatabaseDefault
from psycopg.types.json import Jsonb


def _reader(field: models.Field) -> Callable[[models.Model], Any]:
    attname = field.attname
    if field.is_relation:
        cache_name = field.cache_name  # type: ignore[attr-defined]

        def related(obj: models.Model) -> Any:
            # As ``Model._prepare_related_fields_for_save``: a related instance saved after it
            # was assigned gives its primary key now.
            value = obj.__dict__.get(attname)
            if value is None:
                target = obj._state.fields_cache.get(cache_name)
                if target is not None:
                    value = obj.__dict__[attname] = target.pk  # the cache kept
            return value

        return related
    if isinstance(field, models.JSONField):
        dumps = partial(json.dumps, cls=field.encoder)

        def as_json(obj: models.Model) -> Any:
            value = obj.__dict__[attname]
            return None if value is None and field.null else Jsonb(value, dumps=dumps)

        return as_json

    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, add=True)

    def plain(obj: models.Model) -> Any:
        value = obj.__dict__[attname]
        return value.value if isinstance(value, enum.Enum) else value

    return plain


def allocate_pks(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, increasing, from its sequence."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_insert(objs: Sequence[models.Model], *, set_pks: bool = False) -> None:
    """Insert ``objs`` (new instances of one model) with one ``COPY``."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    first = objs[0]
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key
        and not isinstance(first.__dict__.get(field.attname), DatabaseDefault)
    ]
    if set_pks:
        for obj, pk in zip(objs, allocate_pks(model, len(objs)), strict=True):
            obj.pk = pk
        fields.insert(0, meta.pk)
    readers = [_reader(field) for field in fields]
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(meta.db_table)} ({', '.join(quote(str(field.column)) for field in fields)}) "
        "FROM STDIN"
    )
    rows = [[read(obj) for read in readers] for obj in objs]  # no query during the copy
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
