-- The summaries' physical design (src/alerts/once/45_summaries.sql): each index of a summary
-- is written with every summary row a write of the input tables makes, so the summaries keep
-- only the indexes their readers use, partial where the readers want a few rows; the rows
-- updated in place again and again (a worker's attendance month day after day, a project's
-- month, a worker's months on a project's sheets) are HOT updates: no index holds a column
-- they change. This test holds the design to that: the readers' conditions reach the partial
-- indexes (and only where the index holds every row they want), the updates in place are HOT,
-- and a bound outside a partial index still finds every hit (the whole table read).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(60, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(61, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 3) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(1, 3) w CROSS JOIN (VALUES (60), (61)) v(p);

-- the indexes of the summaries (their names and definitions are the design)
SELECT c.relname AS summary, coalesce(array_to_string(c.reloptions, ','), '') AS options,
       i.indexrelid::regclass AS index, pg_get_indexdef(i.indexrelid) ~ ' WHERE ' AS partial
  FROM pg_class c
  LEFT JOIN pg_index i ON i.indrelid = c.oid
 WHERE c.relnamespace = 'wagecheck'::regnamespace
   AND c.relname IN ('attendance_month', 'attendance_project_month', 'wage_month', 'worker_pay', 'sheet_worker',
                     'attendance_unpaid', 'payment_off_card', 'outflow_unmatched')
 ORDER BY 1, i.indexrelid::regclass::text COLLATE "C";

-- fx.uses(query, index): whether the plan of the query reads the index when a sequential scan
-- is the last resort (the planner takes a partial index only for a condition that implies its
-- predicate)
CREATE FUNCTION fx.uses(q text, idx text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
    found boolean := false;
BEGIN
    SET LOCAL enable_seqscan = off;
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        found := found OR line ~ ('\m' || idx || '\M');
    END LOOP;
    RETURN found;
END $$;
SELECT q, fx.uses(q, i) AS uses, i AS index
  FROM (VALUES
    -- WP05's candidates (its bounds: the highest minimum wage of any division, the fewest days)
    ('SELECT * FROM wagecheck.wage_month w WHERE w.payable < 2200 AND w.days >= 21.75', 'wage_month_payable'),
    ('SELECT * FROM wagecheck.wage_month w WHERE w.payable < 3999.99 AND w.days >= 20', 'wage_month_payable'),
    ('SELECT * FROM wagecheck.wage_month w WHERE w.payable < 4500 AND w.days >= 21.75', 'wage_month_payable'),
    -- WP06's candidates (the lowest limits of any division, at or above the marks': the rows
    -- marked high; lower limits read the whole table)
    ('SELECT * FROM wagecheck.worker_pay w WHERE w.high AND w.span = ''month'' AND w.payable > 50000', 'worker_pay_high'),
    ('SELECT * FROM wagecheck.worker_pay w WHERE w.high AND w.span = ''year'' AND w.payable > 300000', 'worker_pay_high'),
    ('SELECT * FROM wagecheck.worker_pay w WHERE w.span = ''year'' AND w.payable > 60000', 'worker_pay_high'),
    ('SELECT * FROM wagecheck.worker_pay w WHERE w.span = ''month'' AND w.payable > 20000', 'worker_pay_high'),
    -- the months owed (WP02, WP03, AC05, the views' runs owed) and unpaid (the views' attendees)
    ('SELECT * FROM wagecheck.wage_month w WHERE w.settled_at IS NULL', 'wage_month_open'),
    ('SELECT * FROM wagecheck.wage_month w WHERE w.settled_at IS NULL AND w.project_id = ANY (''{60,61}'')', 'wage_month_open'),
    ('SELECT * FROM wagecheck.wage_month w WHERE cardinality(w.paid_each) = 0 AND w.project_id = 60 AND w.period = ''2026-01-01''', 'wage_month_open'),
    -- the latest known_to of wage_month: the end of its index
    ('SELECT max(w.known_to) FROM wagecheck.wage_month w', 'wage_month_known_to')) v(q, i);

-- fx.updates(): the summaries' updates and HOT updates counted so far by this backend (its
-- counts not yet reported included); fx.updates_since(before): those made since
CREATE FUNCTION fx.updates() RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_object_agg(relname, jsonb_build_array(n_tup_upd, n_tup_hot_upd))
      FROM pg_stat_xact_user_tables
     WHERE relid IN ('wagecheck.attendance_month'::regclass, 'wagecheck.attendance_project_month'::regclass,
                     'wagecheck.sheet_worker'::regclass, 'wagecheck.worker_pay'::regclass) $$;
CREATE FUNCTION fx.updates_since(before jsonb)
RETURNS TABLE (relname text, updates bigint, hot_updates bigint) LANGUAGE sql AS $$
    SELECT a.key, (a.value ->> 0)::bigint - coalesce((before -> a.key ->> 0)::bigint, 0),
           (a.value ->> 1)::bigint - coalesce((before -> a.key ->> 1)::bigint, 0)
      FROM jsonb_each(fx.updates()) a ORDER BY 1 $$;
-- January's attendance: a month per project and worker comes (inserted); then day after day
-- the same months grow, each day's statement in its own transaction: updates in place, HOT
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT p, w, '2026-01-05', 8, '2026-01-05 18:00' FROM generate_series(1, 3) w CROSS JOIN (VALUES (60), (61)) v(p);
BEGIN;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT p, w, '2026-01-06', 8, '2026-01-06 18:00' FROM generate_series(1, 3) w CROSS JOIN (VALUES (60), (61)) v(p);
SELECT * FROM fx.updates_since(:'before');
COMMIT;
BEGIN;   -- a single row, a clerk's (written by key)
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (60, 1, '2026-01-07', 8, '2026-01-07 18:00');
SELECT * FROM fx.updates_since(:'before');
COMMIT;
-- the latest moment and day of attendance_month are those attendance_project_month holds
SELECT (SELECT max(known_to) FROM wagecheck.attendance_month) = (SELECT max(known_to) FROM wagecheck.attendance_project_month)
       AS same_known_to,
       (SELECT max(last_day) FROM wagecheck.attendance_month) = (SELECT max(last_day) FROM wagecheck.attendance_project_month)
       AS same_last_day,
       wagecheck._summary_exact('attendance_months', '2026-01-07 18:00') AS exact_then,
       wagecheck._summary_exact('attendance_months', '2026-01-07 17:59') AS exact_before,
       wagecheck._summary_exact('attendance_months', '2026-01-06 23:00') AS exact_day_before;

-- Pay sheets of January and February: worker 1 paid 5,000 for 22 days on P60 in January and
-- 4,500 in February (not in the index on payable: 4,000 and over), worker 2 3,000 for 22 days
-- on P61 (in it), worker 3 6,000 on both in January and on P60 in February
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 60, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (2, 61, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (3, 60, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (1, 1, 1, 22, 5000, 5000, '2026-02-10 10:00'),
    (2, 2, 2, 22, 3000, 3000, '2026-02-10 10:00'),
    (3, 1, 3, 22, 6000, 6000, '2026-02-10 10:00'),
    (4, 2, 3, 22, 6000, 6000, '2026-02-10 10:00');
-- a second month of lines for workers 1 and 3 on P60: their sheet_worker rows and their
-- years in worker_pay (payable changes, no index holds it), HOT
BEGIN;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (5, 3, 1, 22, 4500, 4500, '2026-03-10 10:00'),
    (6, 3, 3, 22, 6000, 6000, '2026-03-10 10:00');
SELECT * FROM fx.updates_since(:'before') WHERE relname IN ('sheet_worker', 'worker_pay');
COMMIT;
SELECT project_id, worker_id, period, payable, w.payable < 4000 AS in_payable_index
  FROM wagecheck.wage_month w ORDER BY 1, 2, 3;

-- WP05 with the catalogue's minimum wage (2,200: through the index): no month below it
SELECT subject_id, period, details ->> 'payable' AS payable FROM wagecheck.eval_wp05('2026-03-11 12:00') ORDER BY 1, 2;
-- a minimum wage of 5,000 in Lanshan (P60's county: above the index, the whole table read) and
-- 3,500 in Luozhuang (P61's): every month below its county's minimum, the index's or not
INSERT INTO wagecheck.rule_param_override VALUES ('WP05', '371302', '{"min_monthly_wage": 5000}');
INSERT INTO wagecheck.rule_param_override VALUES ('WP05', '371311', '{"min_monthly_wage": 3500}');
SELECT subject_id, period, details ->> 'payable' AS payable, details ->> 'minimum' AS minimum
  FROM wagecheck.eval_wp05('2026-03-11 12:00') ORDER BY 1, 2;
SELECT subject_id, period, details ->> 'payable' AS payable
  FROM wagecheck.eval_wp05_projects('2026-03-11 12:00', '{60,61}') ORDER BY 1, 2;
-- the same from the raw rows (a moment before February's lines: the summary is not exact then)
SELECT wagecheck._summary_exact('wages_owed', '2026-03-01 12:00') AS exact,
       (SELECT string_agg(subject_id || ' ' || period, ', ' ORDER BY subject_id, period)
          FROM wagecheck.eval_wp05('2026-03-01 12:00')) AS hits;

-- WP06 over limits below the partial index's (5,500 a month in Lanshan: the whole table read)
INSERT INTO wagecheck.rule_param_override VALUES ('WP06', '371302', '{"month_amount": 5500}');
SELECT subject_id, period, details ->> 'payable' AS payable, details ->> 'limit' AS limit
  FROM wagecheck.eval_wp06('2026-03-11 12:00') ORDER BY 1, 2;

-- the months open (not settled, or not paid at all): January's lines are paid in full, February's not
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT l.line_id, l.net, '2026-02-12 10:00', 'account', fx.card(l.worker_id)::wagecheck.bank_card, '2026-02-12 10:00'
  FROM wagecheck.pay_line l WHERE l.sheet_id IN (1, 2);
SELECT w.project_id, w.worker_id, w.period, w.settled_at IS NULL AS owed, cardinality(w.paid_each) = 0 AS unpaid
  FROM wagecheck.wage_month w
 WHERE w.settled_at IS NULL OR cardinality(w.paid_each) = 0
 ORDER BY 1, 2, 3;
SELECT * FROM wagecheck._wages_owed_by_project('2026-04-20 12:00', '{60,61}');
-- the views' runs of months owed read the months owed in key order from the index alone
VACUUM wagecheck.wage_month;
SELECT fx.uses('SELECT w.project_id, w.worker_id, w.period FROM wagecheck.wage_month w WHERE w.settled_at IS NULL'
               ' ORDER BY 1, 2, 3', 'Index Only Scan using wage_month_open') AS owed_from_the_index;

-- one line (by key) adds to worker 2's January and year: HOT; so does the statement's path
-- (REPEATABLE READ) and a correction (recomputed); a sum crossing 25,000 a month changes its
-- mark (high): that update writes index entries (not HOT)
BEGIN;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (7, 1, 2, 1, 100, 100, '2026-03-11 10:00');
SELECT * FROM fx.updates_since(:'before') WHERE relname = 'worker_pay';
COMMIT;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (8, 1, 2, 1, 100, 100, '2026-03-11 10:00');
SELECT * FROM fx.updates_since(:'before') WHERE relname = 'worker_pay';
COMMIT;
BEGIN;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
VALUES (9, 1, 2, 1, 200, 200, 8, '2026-03-11 11:00');
SELECT * FROM fx.updates_since(:'before') WHERE relname = 'worker_pay';
COMMIT;
BEGIN;
SELECT fx.updates() AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (10, 1, 1, 1, 30000, 30000, '2026-03-11 12:00');
SELECT * FROM fx.updates_since(:'before') WHERE relname = 'worker_pay';
COMMIT;
SELECT worker_id, span, period, payable, high FROM wagecheck.worker_pay ORDER BY 1, 2, 3;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
