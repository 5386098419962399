-- The change capture appends its rows to input_change without a statement (src/alerts/capture.c,
-- change_append), the table's CHECK constraints prepared once and kept until input_change
-- changes: a constraint added later is checked from the next change on (in the transaction
-- that added it too), one dropped no longer; a constraint calling a function not built in is
-- prepared for each change (a function replaced checks what it says now).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(80, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(1);
\set VERBOSITY terse
-- fx.day(d): a day of worker 1 on project 80 (the attendance's change recorded: a day's
-- moments no change of the transaction covers), and the changes of attendance recorded so far
CREATE FUNCTION fx.day(d date) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
    VALUES (80, 1, d, 8, d + interval '18 hours');
    SELECT count(*) FROM wagecheck.input_change WHERE table_name = 'attendance' $$;
SELECT fx.day('2026-02-02') AS changes;
SELECT fx.day('2026-02-03') AS changes;
-- a check of one's own: the next change is checked against it, and refused
ALTER TABLE wagecheck.input_change ADD CONSTRAINT no_attendance CHECK (table_name <> 'attendance') NOT VALID;
SELECT fx.day('2026-02-04') AS changes;
ALTER TABLE wagecheck.input_change DROP CONSTRAINT no_attendance;
SELECT fx.day('2026-02-04') AS changes;
-- added and dropped in the transaction of the changes
BEGIN;
SELECT fx.day('2026-02-05') AS changes;
ALTER TABLE wagecheck.input_change ADD CONSTRAINT no_attendance CHECK (table_name <> 'attendance') NOT VALID;
SAVEPOINT s;
SELECT fx.day('2026-02-06') AS changes;
ROLLBACK TO s;
ALTER TABLE wagecheck.input_change DROP CONSTRAINT no_attendance;
SELECT fx.day('2026-02-06') AS changes;
COMMIT;
-- a check calling a function of one's own (an SQL function, inlined where it is prepared):
-- replaced, what it says now is checked
CREATE FUNCTION fx.allowed(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t IS NOT NULL $$;
ALTER TABLE wagecheck.input_change ADD CONSTRAINT allowed CHECK (fx.allowed(table_name)) NOT VALID;
SELECT fx.day('2026-02-09') AS changes;
CREATE OR REPLACE FUNCTION fx.allowed(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t <> 'attendance' $$;
SELECT fx.day('2026-02-10') AS changes;
ALTER TABLE wagecheck.input_change DROP CONSTRAINT allowed;
SELECT fx.day('2026-02-10') AS changes;
-- the table's own check (what a change by the capture is checked against) refuses an
-- operation it does not know (written directly)
INSERT INTO wagecheck.input_change (table_name, op) VALUES ('attendance', 'x');
SELECT table_name, moments, projects, op FROM wagecheck.input_change WHERE table_name = 'attendance' ORDER BY seq;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
