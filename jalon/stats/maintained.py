"""The per-day counts the database keeps for the dashboards (``day_models``): triggers, fold,
rebuild.

**Triggers.** Statement-level triggers with transition tables on the convocation and SMS
tables add, for each statement, one change row per key whose count it moved (a booking adds
``+1`` to its day × service × type × status × reminder; an outcome moves ``-1``/``+1``; an
import by ``COPY`` of 1,000 rows adds a few dozen grouped rows). They run in the writing
transaction, so a rollback takes the change back with the row, and every write path is
counted, including bulk ones no action sees.

The "delivered reminder" dimension of a convocation lives in the SMS table: a reminder
becoming delivered (or leaving that state, or being deleted) moves its convocation from one
key to the other. That trigger locks the convocation row (``FOR SHARE``) before reading it, so
that a receipt and an outcome written at the same moment by two transactions cannot both read
the other's old state; the convocation trigger reads the SMS table after that lock is taken,
which gives the same guarantee the other way.

**Fold.** ``fold()`` moves the committed change rows into the day rows (one statement; a
change written by a transaction still open stays for the next fold). A periodic job calls it
every minute (``stats.tasks``); readers add the day rows and the pending changes, so figures
are exact whatever the job's delay (``queries.py``).

**Rebuild.** ``rebuild()`` recomputes everything from the operational tables: after the
migration that installed the triggers, and after a bulk load that bypassed them (the dataset
generator writes with triggers off). ``stats_verify`` compares the result to a recount from
the raw rows.
"""

from __future__ import annotations

from django.db import connection

APPOINTMENT_DAY = "stats_appointmentday"
APPOINTMENT_CHANGE = "stats_appointmentdaychange"
MESSAGE_DAY = "stats_messageday"
MESSAGE_CHANGE = "stats_messagedaychange"

_REMINDED = (
    "EXISTS (SELECT 1 FROM sms_message m WHERE m.appointment_id = {rows}.id "
    "AND m.kind = 'reminder' AND m.status = 'delivered')"
)


def _appointment_changes(rows_sql: str) -> str:
    """Insert the grouped changes of ``rows_sql`` (columns id, service_id, appointment_type_id,
    status, starts_at, sign)."""
    return f"""
        INSERT INTO {APPOINTMENT_CHANGE}
            (day, service_id, appointment_type_id, status, reminder_delivered, count)
        SELECT (x.starts_at AT TIME ZONE s.time_zone)::date, x.service_id,
               x.appointment_type_id, x.status, {_REMINDED.format(rows="x")}, sum(x.sign)
        FROM ({rows_sql}) x JOIN access_service s ON s.id = x.service_id
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.sign) <> 0;
    """


def _message_changes(rows_sql: str) -> str:
    return f"""
        INSERT INTO {MESSAGE_CHANGE} (day, service_id, kind, status, count)
        SELECT (x.send_after AT TIME ZONE s.time_zone)::date, x.service_id, x.kind, x.status,
               sum(x.sign)
        FROM ({rows_sql}) x JOIN access_service s ON s.id = x.service_id
        GROUP BY 1, 2, 3, 4 HAVING sum(x.sign) <> 0;
    """


_A = "id, service_id, appointment_type_id, status, starts_at"
_M = "id, service_id, kind, status, send_after, appointment_id"
_DELIVERED_REMINDER = "kind = 'reminder' AND status = 'delivered' AND appointment_id IS NOT NULL"


def _reminder_moves(*, old: bool, new: bool) -> str:
    """A delivered reminder that appeared (+1) or disappeared (-1) in the statement moves its
    convocation between the keys "without" and "with a delivered reminder". The convocation
    is locked first (see the module's docstring)."""
    sides = [
        *(
            [f"SELECT appointment_id, -1 AS sign FROM old_rows WHERE {_DELIVERED_REMINDER}"]
            if old
            else []
        ),
        *(
            [f"SELECT appointment_id, 1 AS sign FROM new_rows WHERE {_DELIVERED_REMINDER}"]
            if new
            else []
        ),
    ]
    return f"""
        WITH moved AS (
            SELECT appointment_id, sum(sign) AS sign FROM ({" UNION ALL ".join(sides)}) r
            GROUP BY appointment_id HAVING sum(sign) <> 0
        ), locked AS (
            SELECT a.id, a.service_id, a.appointment_type_id, a.status, a.starts_at
            FROM appointments_appointment a WHERE a.id IN (SELECT appointment_id FROM moved)
            FOR SHARE
        )
        INSERT INTO {APPOINTMENT_CHANGE}
            (day, service_id, appointment_type_id, status, reminder_delivered, count)
        SELECT (l.starts_at AT TIME ZONE s.time_zone)::date, l.service_id,
               l.appointment_type_id, l.status, v.reminded, sum(v.sign * m.sign)
        FROM locked l
        JOIN moved m ON m.appointment_id = l.id
        JOIN access_service s ON s.id = l.service_id
        CROSS JOIN (VALUES (false, -1), (true, 1)) AS v(reminded, sign)
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(v.sign * m.sign) <> 0;
    """


def _rows(names: str, table: str, sign: int) -> str:
    return f"SELECT {names}, {sign} AS sign FROM {table}"


def _trigger_function(name: str, body_insert: str, body_update: str, body_delete: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {body_insert}
    ELSIF TG_OP = 'UPDATE' THEN
        {body_update}
    ELSE
        {body_delete}
    END IF;
    RETURN NULL;
END
$body$;
"""


def _triggers(table: str, function: str) -> str:
    # Transition tables allow one event per trigger: three triggers, one function.
    return f"""
CREATE TRIGGER {function}_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


INSTALL = (
    _trigger_function(
        "stats_appointment_changed",
        _appointment_changes(_rows(_A, "new_rows", 1)),
        _appointment_changes(f"{_rows(_A, 'old_rows', -1)} UNION ALL {_rows(_A, 'new_rows', 1)}"),
        _appointment_changes(_rows(_A, "old_rows", -1)),
    )
    + _triggers("appointments_appointment", "stats_appointment_changed")
    + _trigger_function(
        "stats_message_changed",
        _message_changes(_rows(_M, "new_rows", 1)) + _reminder_moves(old=False, new=True),
        _message_changes(f"{_rows(_M, 'old_rows', -1)} UNION ALL {_rows(_M, 'new_rows', 1)}")
        + _reminder_moves(old=True, new=True),
        _message_changes(_rows(_M, "old_rows", -1)) + _reminder_moves(old=True, new=False),
    )
    + _triggers("sms_message", "stats_message_changed")
)

UNINSTALL = """
DROP TRIGGER IF EXISTS stats_appointment_changed_insert ON appointments_appointment;
DROP TRIGGER IF EXISTS stats_appointment_changed_update ON appointments_appointment;
DROP TRIGGER IF EXISTS stats_appointment_changed_delete ON appointments_appointment;
DROP FUNCTION IF EXISTS stats_appointment_changed();
DROP TRIGGER IF EXISTS stats_message_changed_insert ON sms_message;
DROP TRIGGER IF EXISTS stats_message_changed_update ON sms_message;
DROP TRIGGER IF EXISTS stats_message_changed_delete ON sms_message;
DROP FUNCTION IF EXISTS stats_message_changed();
"""


def _fold_sql(day: str, change: str, key: str) -> str:
    return f"""
        WITH moved AS (DELETE FROM {change} RETURNING {key}, count)
        INSERT INTO {day} ({key}, count)
        SELECT {key}, sum(count) FROM moved GROUP BY {key}
        ON CONFLICT ({key}) DO UPDATE SET count = {day}.count + EXCLUDED.count
    """


APPOINTMENT_KEY = "day, service_id, appointment_type_id, status, reminder_delivered"
MESSAGE_KEY = "day, service_id, kind, status"


def fold() -> int:
    """Move the committed changes into the day rows; returns how many changes were moved."""
    moved = 0
    with connection.cursor() as cursor:
        for day, change, key in (
            (APPOINTMENT_DAY, APPOINTMENT_CHANGE, APPOINTMENT_KEY),
            (MESSAGE_DAY, MESSAGE_CHANGE, MESSAGE_KEY),
        ):
            cursor.execute(_fold_sql(day, change, key))
            moved += max(cursor.rowcount, 0)
    return moved


# Written in day order: a period's rows then lie together on disk (a national month is
# about 60,000 rows; scattered, reading them meant as many pages as rows).
_RECOUNT = f"""
    INSERT INTO {APPOINTMENT_DAY} ({APPOINTMENT_KEY}, count)
    SELECT (a.starts_at AT TIME ZONE s.time_zone)::date, a.service_id, a.appointment_type_id,
           a.status, r.appointment_id IS NOT NULL, count(*)
    FROM appointments_appointment a
    JOIN access_service s ON s.id = a.service_id
    LEFT JOIN (
        SELECT DISTINCT appointment_id FROM sms_message WHERE {_DELIVERED_REMINDER}
    ) r ON r.appointment_id = a.id
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2;
    INSERT INTO {MESSAGE_DAY} ({MESSAGE_KEY}, count)
    SELECT (m.send_after AT TIME ZONE s.time_zone)::date, m.service_id, m.kind, m.status,
           count(*)
    FROM sms_message m JOIN access_service s ON s.id = m.service_id
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2;
"""
_TABLES = (APPOINTMENT_DAY, APPOINTMENT_CHANGE, MESSAGE_DAY, MESSAGE_CHANGE)
REBUILD = f"TRUNCATE {', '.join(_TABLES)};" + _RECOUNT

# ``TRUNCATE`` fires no delete trigger: a truncated convocation or SMS table (the dataset's
# ``--reset``, the tests' cleanup) recounts everything, in the truncating transaction.
TRUNCATE_INSTALL = f"""
CREATE OR REPLACE FUNCTION stats_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    {" ".join(f"DELETE FROM {table};" for table in _TABLES)}
    {_RECOUNT}
    RETURN NULL;
END
$body$;
CREATE TRIGGER stats_appointment_truncated AFTER TRUNCATE ON appointments_appointment
    FOR EACH STATEMENT EXECUTE FUNCTION stats_counts_truncated();
CREATE TRIGGER stats_message_truncated AFTER TRUNCATE ON sms_message
    FOR EACH STATEMENT EXECUTE FUNCTION stats_counts_truncated();
"""
TRUNCATE_UNINSTALL = """
DROP TRIGGER IF EXISTS stats_appointment_truncated ON appointments_appointment;
DROP TRIGGER IF EXISTS stats_message_truncated ON sms_message;
DROP FUNCTION IF EXISTS stats_counts_truncated();
"""


def rebuild() -> None:
    """Recount the day rows from the operational tables (in the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(REBUILD)
