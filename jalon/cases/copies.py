"""Facts the database copies onto orientations and judgments, for the statistics.

**The tribunal.** Orientations and judgments carry their procedure's tribunal.

Statistics count a tribunal's orientations and judgments of a period (``stats/chain.py``);
reaching the tribunal through the procedure read every procedure of the tribunal (a busy TJ:
15,000 rows, 11,000 pages) for a few hundred rows of the period. The copy is written by
triggers, whatever the write path (actions, tests, imports): before each insert or change of
procedure, from the procedure; and when a procedure's tribunal changes, on its rows.

**The first judgment.** An orientation to a trial court awaits a first-instance judgment of
its party (``stats.chain.awaiting_judgment``). Finding the ones still waiting meant probing the
judgments of every trial orientation (a national count: 0.4 to 0.7 s); the orientation now
carries the day of its party's first first-instance judgment in the procedure (``judged_on``),
kept by triggers on judgments (insert, change, delete) and set on each new orientation, and
``awaiting_until`` (the earlier of that day and the day it was replaced: a column PostgreSQL
computes), indexed for the orientations that can lead to a trial.
"""

TRIBUNAL_INSTALL = """
CREATE OR REPLACE FUNCTION cases_copy_tribunal() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    SELECT tribunal_id INTO NEW.tribunal_id FROM cases_procedure WHERE id = NEW.procedure_id;
    RETURN NEW;
END
$body$;
CREATE TRIGGER cases_orientation_tribunal BEFORE INSERT OR UPDATE OF procedure_id, tribunal_id
    ON cases_orientation FOR EACH ROW EXECUTE FUNCTION cases_copy_tribunal();
CREATE TRIGGER cases_judgment_tribunal BEFORE INSERT OR UPDATE OF procedure_id, tribunal_id
    ON cases_judgment FOR EACH ROW EXECUTE FUNCTION cases_copy_tribunal();

CREATE OR REPLACE FUNCTION cases_procedure_moved() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE cases_orientation SET tribunal_id = NEW.tribunal_id WHERE procedure_id = NEW.id;
    UPDATE cases_judgment SET tribunal_id = NEW.tribunal_id WHERE procedure_id = NEW.id;
    RETURN NULL;
END
$body$;
CREATE TRIGGER cases_procedure_tribunal AFTER UPDATE OF tribunal_id ON cases_procedure
    FOR EACH ROW WHEN (OLD.tribunal_id IS DISTINCT FROM NEW.tribunal_id)
    EXECUTE FUNCTION cases_procedure_moved();
"""

TRIBUNAL_UNINSTALL = """
DROP TRIGGER IF EXISTS cases_procedure_tribunal ON cases_procedure;
DROP FUNCTION IF EXISTS cases_procedure_moved();
DROP TRIGGER IF EXISTS cases_orientation_tribunal ON cases_orientation;
DROP TRIGGER IF EXISTS cases_judgment_tribunal ON cases_judgment;
DROP FUNCTION IF EXISTS cases_copy_tribunal();
"""

TRIBUNAL_BACKFILL = """
UPDATE cases_orientation o SET tribunal_id = p.tribunal_id
    FROM cases_procedure p WHERE p.id = o.procedure_id;
UPDATE cases_judgment j SET tribunal_id = p.tribunal_id
    FROM cases_procedure p WHERE p.id = j.procedure_id;
"""

JUDGED_INSTALL = """
CREATE OR REPLACE FUNCTION cases_orientation_judged() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- The party's first first-instance judgment in the procedure.
    NEW.judged_on := (
        SELECT min(j.delivered_on) FROM cases_judgment j
        WHERE j.procedure_id = NEW.procedure_id AND j.party_id = NEW.party_id
          AND j.replaces_id IS NULL
    );
    RETURN NEW;
END
$body$;
CREATE TRIGGER cases_orientation_judged BEFORE INSERT OR UPDATE OF procedure_id, party_id, judged_on
    ON cases_orientation FOR EACH ROW EXECUTE FUNCTION cases_orientation_judged();

-- A judgment written or deleted: its party's orientations recount (their trigger above).
CREATE OR REPLACE FUNCTION cases_judgment_judged() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE cases_orientation o SET judged_on = NULL
        WHERE o.procedure_id = OLD.procedure_id AND o.party_id = OLD.party_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE cases_orientation o SET judged_on = NULL
        WHERE o.procedure_id = NEW.procedure_id AND o.party_id = NEW.party_id;
    END IF;
    RETURN NULL;
END
$body$;
CREATE TRIGGER cases_judgment_judged
    AFTER INSERT OR DELETE OR UPDATE OF procedure_id, party_id, delivered_on, replaces_id
    ON cases_judgment FOR EACH ROW EXECUTE FUNCTION cases_judgment_judged();
"""

JUDGED_UNINSTALL = """
DROP TRIGGER IF EXISTS cases_judgment_judged ON cases_judgment;
DROP FUNCTION IF EXISTS cases_judgment_judged();
DROP TRIGGER IF EXISTS cases_orientation_judged ON cases_orientation;
DROP FUNCTION IF EXISTS cases_orientation_judged();
"""

# Every orientation's first judgment, at once (the dataset writes with the triggers off).
JUDGED_REBUILD = """
UPDATE cases_orientation o SET judged_on = first.day
FROM (
    SELECT procedure_id, party_id, min(delivered_on) AS day FROM cases_judgment
    WHERE replaces_id IS NULL AND party_id IS NOT NULL AND delivered_on IS NOT NULL
    GROUP BY 1, 2
) first
WHERE o.procedure_id = first.procedure_id AND o.party_id = first.party_id
  AND o.judged_on IS DISTINCT FROM first.day;
"""
