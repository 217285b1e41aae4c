"""The SMS refusals the database keeps for the dashboards (``day_models.RefusalCount``).

"Persons refusing SMS among the persons followed" is a count of *distinct* persons over an
area's follows: at national scale, 1.5 million follows read and deduplicated at each request
(0.6 s). It is kept instead, per area, as maintained counts (decision 0008's mechanism):

- **Areas of a follow**: its service, the service's jurisdiction, as a court of appeal both
  that jurisdiction's court of appeal and the jurisdiction itself (a court of appeal's own
  services), and the nation: as ``queries.Area`` picks a row's services.
- **Triggers**: a statement changing follows (insert, update, delete) compares, for each
  person it touches, the areas the person is followed in before and after it, and adds
  ``+1``/``-1`` per area gained or lost (``refusing`` too when the person refuses SMS); a
  statement changing persons (``archived_at``, ``refuses_sms``) moves its persons in every
  area they are followed in. Archived persons count nowhere. The person rows are locked
  first (``FOR NO KEY UPDATE``): two transactions adding the same person to one area wait
  for each other, and the second reads the first's follow.
- A change of a service's jurisdiction or of a jurisdiction's court of appeal, and a
  ``TRUNCATE``, recount everything (``REBUILD``): rare administrative writes.
- **Fold** and **reading** as for the per-day counts: changes are folded every minute
  (``fold``); a figure adds the folded row and the pending changes.
"""

from __future__ import annotations

from django.db import connection

COUNT = "stats_refusalcount"
CHANGE = "stats_refusalchange"

# The areas of follows ``rows`` (columns person_id, service_id): (level, area_id, person_id).
_AREAS = """
    SELECT DISTINCT v.level, v.area_id, r.person_id
    FROM ({rows}) r
    JOIN access_service s ON s.id = r.service_id
    LEFT JOIN access_jurisdiction j ON j.id = s.jurisdiction_id
    CROSS JOIN LATERAL (VALUES
        ('service', s.id),
        ('jurisdiction', s.jurisdiction_id),
        ('court_of_appeal', j.court_of_appeal_id),
        ('court_of_appeal', j.id),
        ('national', 0)
    ) AS v(level, area_id)
    WHERE v.area_id IS NOT NULL
"""

_CURRENT = (
    "SELECT f.person_id, f.service_id FROM people_follow f "
    "WHERE f.person_id IN (SELECT person_id FROM touched)"
)


def _follows_changed(*, old: bool, new: bool) -> str:
    """The change rows of a statement on ``people_follow`` (transition tables ``old_rows``,
    ``new_rows`` as the event has them)."""
    touched = " UNION ".join(
        [
            *(["SELECT person_id FROM old_rows"] if old else []),
            *(["SELECT person_id FROM new_rows"] if new else []),
        ]
    )
    # Before the statement: the follows now, less those it wrote, plus those it removed.
    before = " ".join(
        [
            _CURRENT,
            *(["EXCEPT ALL SELECT person_id, service_id FROM new_rows"] if new else []),
            *(["UNION ALL SELECT person_id, service_id FROM old_rows"] if old else []),
        ]
    )
    return f"""
        PERFORM 1 FROM people_person WHERE id IN ({touched}) ORDER BY id FOR NO KEY UPDATE;
        WITH touched AS ({touched}),
        moved AS (
            SELECT level, area_id, person_id, sum(sign) AS sign FROM (
                SELECT *, 1 AS sign FROM ({_AREAS.format(rows=_CURRENT)}) a
                UNION ALL
                SELECT *, -1 AS sign FROM ({_AREAS.format(rows=before)}) b
            ) m GROUP BY 1, 2, 3 HAVING sum(sign) <> 0
        )
        INSERT INTO {CHANGE} (level, area_id, followed, refusing)
        SELECT m.level, m.area_id, sum(m.sign), coalesce(sum(m.sign) FILTER (WHERE p.refuses_sms), 0)
        FROM moved m JOIN people_person p ON p.id = m.person_id
        WHERE p.archived_at IS NULL
        GROUP BY 1, 2;
    """


# A statement on persons: each changed person moves in every area it is followed in.
_PERSONS_CHANGED = f"""
    WITH moved AS (
        SELECT n.id AS person_id,
               (n.archived_at IS NULL)::int - (o.archived_at IS NULL)::int AS followed,
               (n.archived_at IS NULL AND n.refuses_sms)::int
                 - (o.archived_at IS NULL AND o.refuses_sms)::int AS refusing
        FROM new_rows n JOIN old_rows o ON o.id = n.id
    ), touched AS (
        SELECT person_id FROM moved WHERE followed <> 0 OR refusing <> 0
    )
    INSERT INTO {CHANGE} (level, area_id, followed, refusing)
    SELECT a.level, a.area_id, sum(m.followed), sum(m.refusing)
    FROM ({_AREAS.format(rows=_CURRENT)}) a JOIN moved m ON m.person_id = a.person_id
    GROUP BY 1, 2 HAVING sum(m.followed) <> 0 OR sum(m.refusing) <> 0;
"""

# Everything, from the follows and the persons (in the caller's transaction).
_RECOUNT = f"""
    DELETE FROM {CHANGE};
    DELETE FROM {COUNT};
    INSERT INTO {COUNT} (level, area_id, followed, refusing)
    SELECT a.level, a.area_id, count(*), count(*) FILTER (WHERE p.refuses_sms)
    FROM ({_AREAS.format(rows="SELECT person_id, service_id FROM people_follow")}) a
    JOIN people_person p ON p.id = a.person_id
    WHERE p.archived_at IS NULL
    GROUP BY 1, 2;
"""

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION stats_refusal_follows() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_follows_changed(old=False, new=True)}
    ELSIF TG_OP = 'UPDATE' THEN
        {_follows_changed(old=True, new=True)}
    ELSE
        {_follows_changed(old=True, new=False)}
    END IF;
    RETURN NULL;
END
$body$;
CREATE OR REPLACE FUNCTION stats_refusal_persons() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    {_PERSONS_CHANGED}
    RETURN NULL;
END
$body$;
CREATE OR REPLACE FUNCTION stats_refusal_recount() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    {_RECOUNT}
    RETURN NULL;
END
$body$;
"""

_TRIGGERS = """
CREATE TRIGGER stats_refusal_follows_insert AFTER INSERT ON people_follow
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_follows();
CREATE TRIGGER stats_refusal_follows_update AFTER UPDATE ON people_follow
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_follows();
CREATE TRIGGER stats_refusal_follows_delete AFTER DELETE ON people_follow
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_follows();
CREATE TRIGGER stats_refusal_persons AFTER UPDATE ON people_person
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_persons();
CREATE TRIGGER stats_refusal_services AFTER UPDATE OF jurisdiction_id ON access_service
    FOR EACH ROW WHEN (OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id)
    EXECUTE FUNCTION stats_refusal_recount();
CREATE TRIGGER stats_refusal_jurisdictions AFTER UPDATE OF court_of_appeal_id
    ON access_jurisdiction FOR EACH ROW
    WHEN (OLD.court_of_appeal_id IS DISTINCT FROM NEW.court_of_appeal_id)
    EXECUTE FUNCTION stats_refusal_recount();
CREATE TRIGGER stats_refusal_truncated AFTER TRUNCATE ON people_follow
    FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_recount();
CREATE TRIGGER stats_refusal_persons_truncated AFTER TRUNCATE ON people_person
    FOR EACH STATEMENT EXECUTE FUNCTION stats_refusal_recount();
"""

INSTALL = _FUNCTIONS + _TRIGGERS + _RECOUNT

UNINSTALL = """
DROP TRIGGER IF EXISTS stats_refusal_follows_insert ON people_follow;
DROP TRIGGER IF EXISTS stats_refusal_follows_update ON people_follow;
DROP TRIGGER IF EXISTS stats_refusal_follows_delete ON people_follow;
DROP TRIGGER IF EXISTS stats_refusal_persons ON people_person;
DROP TRIGGER IF EXISTS stats_refusal_services ON access_service;
DROP TRIGGER IF EXISTS stats_refusal_jurisdictions ON access_jurisdiction;
DROP TRIGGER IF EXISTS stats_refusal_truncated ON people_follow;
DROP TRIGGER IF EXISTS stats_refusal_persons_truncated ON people_person;
DROP FUNCTION IF EXISTS stats_refusal_follows();
DROP FUNCTION IF EXISTS stats_refusal_persons();
DROP FUNCTION IF EXISTS stats_refusal_recount();
"""

FOLD = f"""
    WITH moved AS (DELETE FROM {CHANGE} RETURNING level, area_id, followed, refusing)
    INSERT INTO {COUNT} (level, area_id, followed, refusing)
    SELECT level, area_id, sum(followed), sum(refusing) FROM moved GROUP BY 1, 2
    ON CONFLICT (level, area_id) DO UPDATE
    SET followed = {COUNT}.followed + EXCLUDED.followed,
        refusing = {COUNT}.refusing + EXCLUDED.refusing
"""


def rebuild() -> None:
    """Recount every area from the follows and the persons (in the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(_RECOUNT)


def fold() -> int:
    """Move the committed changes into the count rows; returns how many were moved."""
    with connection.cursor() as cursor:
        cursor.execute(FOLD)
        return max(cursor.rowcount, 0)
