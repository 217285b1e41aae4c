"""Bulk writing with PostgreSQL ``COPY`` through psycopg, and the table housekeeping around it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorWrapper


class ColumnMismatch(RuntimeError):
    """The model gained or lost a column the generator does not know about."""


def check_columns(model: type[models.Model], columns: Sequence[str]) -> None:
    # A generated column is computed by PostgreSQL, never written.
    expected = {
        field.column
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField)
    }
    if set(columns) != expected:
        raise ColumnMismatch(
            f"{model._meta.label}: the generator writes {sorted(map(str, set(columns) - expected))} "
            f"and misses {sorted(map(str, expected - set(columns)))}; update jalon/dataset."
        )


def copy_rows(
    cursor: CursorWrapper,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """``COPY`` the rows into the model's table; returns how many were written."""
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    written = 0
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


@contextmanager
def indexes_deferred(cursor: CursorWrapper, tables: Sequence[str]) -> Iterator[None]:
    """Drop the plain indexes of ``tables`` (not those backing a primary key or a unique
    constraint) and build them again at the end: one sort beats millions of insertions."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND NOT x.indisprimary AND NOT x.indisunique",
        [list(tables)],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    cursor.execute("SET maintenance_work_mem = '256MB'")
    for _, definition in found:
        cursor.execute(definition)
    cursor.execute("RESET maintenance_work_mem")


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        table = model._meta.db_table  # a model's own table name, not user input
        cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


def sync_sequence(model: type[models.Model]) -> None:
    """Move the id sequence past the ids written explicitly by ``COPY``."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - model table
            f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)',
            [table],
        )


def restart_sequence(model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [model._meta.db_table]
        )


def without_triggers(cursor: CursorWrapper) -> bool:
    """Skip foreign-key triggers for this session when we may (superuser): rows are written
    in an order the checks would otherwise have to queue until commit. True when done."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SET session_replication_role = replica")
    return True


def with_triggers(cursor: CursorWrapper) -> None:
    cursor.execute("SET session_replication_role = DEFAULT")
