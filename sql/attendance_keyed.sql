-- Statements of several attendance rows (a gate device's day by COPY, a multi-row INSERT)
-- write attendance_month, attendance_project_month and attendance_unpaid by key
-- (src/alerts/attendance_months.c, inserted_keyed), not by a statement: each month once
-- (two rows of one worker's month in one statement added together), in key order, then the
-- attendance_unpaid rows of the months that came, the change recorded, the project months.
-- The same statements run twice, on two pairs of projects set up alike: first by key (projects
-- 70 and 71), then with a row trigger on attendance_project_month (72 and 73: a table with
-- triggers is not written by key, the statement P_INSERT adds every month of a statement).
-- After each run every summary equals rebuild_summaries()'s, and the two runs leave the same
-- rows and record the same changes. DEBUG1 lines show which path ran.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(p, '371302', '2026-01-05', '2025-12-01') FROM generate_series(70, 73) p;
SELECT fx.worker(i) FROM generate_series(1, 5) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(70, 73) p, generate_series(1, 5) w;
-- on each pair (p, p + 1): February so far, workers 1 and 2 on p (the 2nd to the 6th),
-- worker 3 on p + 1 (the 2nd and 3rd); worker 4's February on p has a pay line but no
-- attendance yet
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT p, w, d, 8, d + interval '18 hours'
  FROM (VALUES (70, 1), (70, 2), (72, 1), (72, 2)) x(p, w), generate_series(date '2026-02-02', '2026-02-06', '1 day') d;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT p, 3, d, 8, d + interval '18 hours' FROM generate_series(date '2026-02-02', '2026-02-03', '1 day') d, (VALUES (71), (73)) x(p);
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 70, 3, '2026-02-01', '2026-03-05', '2026-02-07 09:00'), (2, 72, 3, '2026-02-01', '2026-03-05', '2026-02-07 09:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 1, 4, 5, 1500, 1500, '2026-02-07 11:00'), (2, 2, 4, 5, 1500, 1500, '2026-02-07 11:00');

-- fx.summaries(p): the attendance summaries of projects p and p + 1 as text, tagged with
-- their names, the projects written 0 and 1; without p, of every project as they are
CREATE FUNCTION fx.summaries(p bigint DEFAULT NULL) RETURNS TABLE (summary text, r text) LANGUAGE sql AS $$
    SELECT 'attendance_month', (t.project_id - coalesce(p, 0), t.worker_id, t.period, t.days, t.known_to, t.last_day,
                                t.first_day, t.first_known)::text
      FROM wagecheck.attendance_month t WHERE p IS NULL OR t.project_id IN (p, p + 1)
    UNION ALL SELECT 'attendance_month.extended', (t.project_id - coalesce(p, 0), t.worker_id, t.period, t.extended)::text
      FROM wagecheck.attendance_month t WHERE p IS NULL OR t.project_id IN (p, p + 1)
    UNION ALL SELECT 'attendance_project_month', (t.project_id - coalesce(p, 0), t.period, t.workers, t.known_to,
                                                  t.last_day)::text
      FROM wagecheck.attendance_project_month t WHERE p IS NULL OR t.project_id IN (p, p + 1)
    UNION ALL SELECT 'attendance_unpaid', (t.period, t.project_id - coalesce(p, 0), t.worker_id)::text
      FROM wagecheck.attendance_unpaid t WHERE p IS NULL OR t.project_id IN (p, p + 1)
    UNION ALL SELECT 'input_change', (c.moments, ARRAY(SELECT x - coalesce(p, 0) FROM unnest(c.projects) x), c.op)::text
      FROM wagecheck.input_change c
     WHERE c.table_name = 'attendance_month' AND (p IS NULL OR c.projects <@ ARRAY[p, p + 1]) $$;
-- fx.check(label): the rows of the summaries that differ from rebuild_summaries()'s (extended
-- says what the last insert did, and input_change what was written: not recomputed)
CREATE FUNCTION fx.check(label text) RETURNS TABLE (run text, summary text, r text, side text) LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE kept AS
        SELECT * FROM fx.summaries() s WHERE s.summary NOT IN ('attendance_month.extended', 'input_change');
    PERFORM wagecheck.rebuild_summaries();
    RETURN QUERY
        (SELECT label, k.*, 'kept'
           FROM (SELECT * FROM kept
                 EXCEPT ALL SELECT * FROM fx.summaries() s
                             WHERE s.summary NOT IN ('attendance_month.extended', 'input_change')) k)
        UNION ALL
        (SELECT label, f.*, 'rebuilt'
           FROM (SELECT * FROM fx.summaries() s WHERE s.summary NOT IN ('attendance_month.extended', 'input_change')
                 EXCEPT ALL SELECT * FROM kept) f);
    DROP TABLE kept;
END $$;

-- The statements, each of several rows ({p} and {q}: the pair's projects)
CREATE TABLE fx.steps (n int PRIMARY KEY, stmt text);
INSERT INTO fx.steps VALUES
-- a day of the device: days added to workers 1 and 2's months and worker 3's, a month that
-- comes (worker 5 on 70), worker 4's month that comes with a wage month already (its
-- attendance_unpaid row goes again)
(1, $s$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
           ({p}, 1, '2026-02-09', 8, '2026-02-09 18:00'), ({p}, 2, '2026-02-09', 8, '2026-02-09 18:01'),
           ({q}, 3, '2026-02-09', 8, '2026-02-09 18:02'), ({p}, 5, '2026-02-09', 8, '2026-02-09 18:03'),
           ({p}, 4, '2026-02-09', 8, '2026-02-09 18:04')$s$),
-- two rows of one worker's month in one statement (a day missed, keyed late, and the next
-- day), with a new month of another worker on another project: added once, together
(2, $s$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
           ({p}, 1, '2026-02-07', 8, '2026-02-10 09:00'), ({p}, 1, '2026-02-10', 8, '2026-02-10 18:00'),
           ({q}, 2, '2026-02-10', 8, '2026-02-10 18:00')$s$),
-- rows dated before what their months count (extended: the change records the month's new
-- moments) and known before the month's latest
(3, $s$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
           ({p}, 2, '2026-02-01', 8, '2026-02-01 18:00'), ({q}, 3, '2026-02-05', 8, '2026-02-08 07:00')$s$),
-- the first day of March for all five workers of project p by COPY: five months that come,
-- one project month
(4, $s$COPY wagecheck.attendance (project_id, worker_id, day, hours, created_at) FROM PROGRAM
           'printf "{p}\t%s\t2026-03-02\t8\t2026-03-02 18:00+08\n" 1 2 3 4 5'$s$),
-- a statement of only months already there, no moment moved on the project months
(5, $s$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
           ({p}, 1, '2026-03-01', 8, '2026-03-02 17:00'), ({p}, 2, '2026-03-01', 8, '2026-03-02 17:00')$s$),
-- what the statements write in both runs: a day moved into the next month and a worker's
-- days deleted (an UPDATE and a DELETE), then a device's day sent again with one new row (ON
-- CONFLICT DO NOTHING: the statement's new rows are the one)
(6, $s$UPDATE wagecheck.attendance SET day = '2026-03-03', created_at = '2026-03-03 18:00'
        WHERE project_id = {p} AND worker_id = 2 AND day = '2026-02-09'$s$),
(7, $s$DELETE FROM wagecheck.attendance WHERE project_id = {p} AND worker_id = 5$s$),
(8, $s$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
           ({p}, 1, '2026-03-02', 8, '2026-03-02 18:00'), ({p}, 3, '2026-03-02', 8, '2026-03-02 18:00'),
           ({p}, 3, '2026-03-04', 8, '2026-03-04 18:00')
        ON CONFLICT DO NOTHING$s$);

CREATE TABLE fx.runs (run text, summary text, r text);
-- fx.run(label, p): the steps on projects p and p + 1, in one transaction; their summaries kept in fx.runs
CREATE FUNCTION fx.run(label text, p bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT * FROM fx.steps ORDER BY n LOOP
        EXECUTE replace(replace(s.stmt, '{p}', p::text), '{q}', (p + 1)::text);
    END LOOP;
    INSERT INTO fx.runs SELECT label, x.* FROM fx.summaries(p) x;
    RETURN (SELECT count(*) FROM fx.steps);
END $$;

SET client_min_messages = debug1;
SELECT fx.run('keyed', 70);
RESET client_min_messages;
SELECT project_id, worker_id, period, days, first_day, last_day, extended
  FROM wagecheck.attendance_month WHERE project_id IN (70, 71) ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.attendance_project_month WHERE project_id IN (70, 71) ORDER BY 1, 2;
SELECT * FROM wagecheck.attendance_unpaid WHERE project_id IN (70, 71) ORDER BY 1, 2, 3;
SELECT moments, projects, op FROM wagecheck.input_change
 WHERE table_name = 'attendance_month' AND projects <@ ARRAY[70, 71]::bigint[] ORDER BY seq;
SELECT * FROM fx.check('keyed');
-- a transaction of REPEATABLE READ: the statement (P_INSERT; P_INSERT1 for one month) adds
-- them, no DEBUG1 line
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL client_min_messages = debug1;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
    (70, 1, '2026-03-05', 8, '2026-03-05 18:00'), (70, 4, '2026-03-05', 8, '2026-03-05 18:00');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
    (70, 1, '2026-03-06', 8, '2026-03-06 18:00');
COMMIT;
SELECT * FROM fx.check('repeatable read');

-- the same on projects 72 and 73 with a trigger on attendance_project_month: P_INSERT writes every month
CREATE TABLE fx.pm_writes (n int);
INSERT INTO fx.pm_writes VALUES (0);
CREATE FUNCTION fx.count_pm() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE fx.pm_writes SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER not_keyed AFTER INSERT OR UPDATE ON wagecheck.attendance_project_month
    FOR EACH ROW EXECUTE FUNCTION fx.count_pm();
SET client_min_messages = debug1;
SELECT fx.run('statement', 72);
RESET client_min_messages;
DROP TRIGGER not_keyed ON wagecheck.attendance_project_month;
SELECT n AS project_months_written_by_statement FROM fx.pm_writes;
SELECT * FROM fx.check('statement');

-- the two runs: the same summaries, the same change records
SELECT count(*) AS rows_each,
       (SELECT count(*) FROM ((SELECT summary, r FROM fx.runs WHERE run = 'keyed'
                               EXCEPT ALL SELECT summary, r FROM fx.runs WHERE run = 'statement')
                              UNION ALL
                              (SELECT summary, r FROM fx.runs WHERE run = 'statement'
                               EXCEPT ALL SELECT summary, r FROM fx.runs WHERE run = 'keyed')) d) AS differing
  FROM fx.runs WHERE run = 'keyed';
SELECT summary, count(*) FROM fx.runs WHERE run = 'keyed' GROUP BY 1 ORDER BY 1;

-- One-row statements, a clerk's (month_keyed, each month written by key): after a month that
-- came, the next one-row insert tries its month's insert first, without looking for it (the
-- speculative insertion withdrawn when the month is there: counted as an insert and a
-- delete, then the month updated); after a day added to a month there, the next one reads
-- its month first (updated, nothing inserted)
SELECT fx.project(74, '371302', '2026-01-05', '2025-12-01');
SELECT fx.roster(74, w, '2026-01-05') FROM generate_series(1, 3) w;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
    (74, 1, '2026-02-02', 8, '2026-02-02 18:00'), (74, 2, '2026-02-02', 8, '2026-02-02 18:00');
-- fx.month_writes(): attendance_month's rows inserted, deleted and updated by this backend
-- since fx.month_writes_from (the counts not yet reported included: none is reported in a
-- transaction)
CREATE FUNCTION fx.month_counts() RETURNS bigint[] LANGUAGE sql AS $$
    SELECT ARRAY[n_tup_ins, n_tup_del, n_tup_upd]
      FROM pg_stat_xact_user_tables WHERE relid = 'wagecheck.attendance_month'::regclass $$;
CREATE TABLE fx.month_writes_from (c bigint[]);
CREATE FUNCTION fx.month_writes() RETURNS text LANGUAGE sql AS $$
    SELECT format('%s inserted, %s deleted, %s updated', n[1] - f.c[1], n[2] - f.c[2], n[3] - f.c[3])
      FROM fx.month_writes_from f, fx.month_counts() n $$;
BEGIN;
INSERT INTO fx.month_writes_from SELECT fx.month_counts();
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (74, 3, '2026-02-03', 8, '2026-02-03 18:00');
SELECT fx.month_writes() AS came;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (74, 1, '2026-02-03', 8, '2026-02-03 18:01');
SELECT fx.month_writes() AS day_after_came;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (74, 2, '2026-02-03', 8, '2026-02-03 18:02');
SELECT fx.month_writes() AS day_after_day;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (74, 1, '2026-02-04', 8, '2026-02-04 18:00');
SELECT fx.month_writes() AS day_after_day;
-- a month that comes after a day: looked for first, then inserted
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (74, 1, '2026-03-02', 8, '2026-03-02 18:00');
SELECT fx.month_writes() AS came_after_day;
COMMIT;
SELECT project_id, worker_id, period, days, first_day, last_day FROM wagecheck.attendance_month
 WHERE project_id = 74 ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.attendance_project_month WHERE project_id = 74 ORDER BY 1, 2;
SELECT * FROM wagecheck.attendance_unpaid WHERE project_id = 74 ORDER BY 1, 2, 3;
SELECT * FROM fx.check('one row');

-- The executor state of a summary written by key (its indexes open) is kept for the
-- transaction and taken by its next statement (src/alerts/keyed.c): between statements it
-- holds no relation, so DDL of the same transaction runs, and what the DDL changed is seen by
-- the next statement. An index added to attendance_month gets the entries of the months
-- written after it (a new month; a month a day is added to, whose new version is then not a
-- heap-only one); rebuild_summaries() (TRUNCATE) runs between one-row statements; a savepoint
-- rolled back leaves nothing of its statement.
SELECT fx.project(76, '371302', '2026-01-05', '2025-12-01');
SELECT fx.roster(76, w, '2026-01-05') FROM generate_series(1, 3) w;
BEGIN;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 1, '2026-02-02', 8, '2026-02-02 18:00');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 1, '2026-02-03', 8, '2026-02-03 18:00');
CREATE INDEX attendance_month_days ON wagecheck.attendance_month (days);
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 2, '2026-02-03', 8, '2026-02-03 18:01');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 1, '2026-02-04', 8, '2026-02-04 18:00');
COMMIT;
-- (the index is read after the commit: one built over heap-only chains serves later transactions)
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM wagecheck.attendance_month WHERE days >= 1;
SELECT count(*) AS months_by_the_new_index FROM wagecheck.attendance_month WHERE days >= 1;
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SELECT count(*) AS months_by_the_table FROM wagecheck.attendance_month WHERE days >= 1;
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;
DROP INDEX wagecheck.attendance_month_days;
BEGIN;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 3, '2026-02-03', 8, '2026-02-03 18:02');
SELECT wagecheck.rebuild_summaries();
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 2, '2026-02-04', 8, '2026-02-04 18:01');
SAVEPOINT s;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 3, '2026-02-04', 8, '2026-02-04 18:02');
ROLLBACK TO SAVEPOINT s;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES (76, 3, '2026-02-05', 8, '2026-02-05 18:00');
COMMIT;
SELECT project_id, worker_id, period, days, first_day, last_day FROM wagecheck.attendance_month
 WHERE project_id = 76 ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.attendance_project_month WHERE project_id = 76 ORDER BY 1, 2;
SELECT * FROM fx.check('kept across statements');

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
