-- One-row statements on pay_line and wage_payment write wage_month, worker_pay, sheet_worker
-- and attendance_unpaid by key (src/alerts/wage_keyed.c), not by a statement; a few new pay
-- sheets are looked for in pay_line by its index. The same statements run twice: first
-- written by key, then with a row trigger on wage_month (a table with triggers is not
-- written by key: the statements of src/alerts/summaries.c run). After each run every
-- summary equals rebuild_summaries()'s, and the two runs leave the same rows. That the
-- keyed path ran shows in pg_stat_xact_user_functions: the statements call
-- wagecheck._settled_at() for a month added to or a payment appended, the keyed path calls
-- its C without a statement.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(p, '371302', '2026-01-05', '2025-12-01') FROM generate_series(70, 71) p;
SELECT fx.worker(i) FROM generate_series(1, 4) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(70, 71) p, generate_series(1, 4) w;
-- worker 1 attended project 70 in February (an attendance_unpaid row until his line comes);
-- worker 2 did not
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 70, 1, d, 8, d + interval '18 hours' FROM generate_series(date '2026-02-02', '2026-02-06', '1 day') d;

\i sql/include/summaries_check.psql

-- The statements, each one row: n, the statement, and whether the keyed path writes it
-- (false: it is recomputed, or written by a statement)
CREATE TABLE fx.steps (n int PRIMARY KEY, keyed boolean, stmt text);
INSERT INTO fx.steps VALUES
-- the sheets: February of project 70 by two employers, of project 71; March of project 70
(1, true, $s$INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
             VALUES (1, 70, 3, '2026-02-01', '2026-03-05', '2026-03-05 09:00')$s$),
(2, true, $s$INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
             VALUES (2, 70, 2, '2026-02-01', '2026-03-05', '2026-03-05 09:30')$s$),
(3, true, $s$INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
             VALUES (3, 71, 2, '2026-02-01', '2026-03-05', '2026-03-05 10:00')$s$),
(4, true, $s$INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
             VALUES (4, 70, 3, '2026-03-01', '2026-04-05', '2026-04-05 09:00')$s$),
-- a new month (its attendance_unpaid row goes), the worker's first sheet and sums
(5, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
             VALUES (1, 1, 1, 5, 1500.5, 100.5, 1400, '2026-03-05 11:00')$s$),
-- a line of the other employer to the same month: added to it (employer the lesser, sums grow)
(6, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
             VALUES (2, 2, 1, 2, 600, 600, '2026-03-05 10:30')$s$),
-- the same worker on project 71: a new month and sheet worker, his sums grow
(7, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
             VALUES (3, 3, 1, 4, 1200, 1200, '2026-03-05 12:00')$s$),
-- a worker without attendance, days unknown, nothing due (settled at -infinity)
(8, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
             VALUES (4, 1, 2, NULL, 0, 0, '2026-03-05 11:00')$s$),
-- March, nothing payable: a month and an entry in the sums, nothing added to them
(9, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
             VALUES (5, 4, 1, 0, 0, 0, '2026-04-05 11:00')$s$),
-- nothing payable to a month that is there: no sum written
(10, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
              VALUES (6, 2, 2, 1, 0, 0, '2026-03-05 11:30')$s$),
-- payments after the month's last: appended; not yet the net, then reaching it, then more
(11, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
              VALUES (1, 1, 1000, '2026-03-10 10:00', 'account', fx.card(1), '2026-03-10 10:05')$s$),
(12, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
              VALUES (2, 2, 1000, '2026-03-11 10:00', 'account', fx.card(1), '2026-03-11 09:00')$s$),
(13, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
              VALUES (3, 1, 5.25, '2026-03-12 10:00', 'account', fx.card(1), '2026-03-12 10:00')$s$),
-- a line added to a month with payments: its net grows past them (no longer settled)
(14, true, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
              VALUES (7, 2, 1, 1, 300, 300, '2026-03-12 11:00')$s$),
-- a payment to a month with nothing due
(15, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
              VALUES (4, 4, 50, '2026-03-12 10:00', 'account', fx.card(2), '2026-03-12 10:00')$s$),
-- the first payment of a month, then one after it, then one before the last: recomputed
(16, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
               VALUES (5, 3, 100, '2026-03-09 10:00', 'account', fx.card(1), '2026-03-12 10:00')$s$),
(17, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
              VALUES (6, 3, 100, '2026-03-13 10:00', 'account', fx.card(1), '2026-03-13 10:00')$s$),
(18, false, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
               VALUES (7, 3, 100, '2026-03-12 10:00', 'account', fx.card(1), '2026-03-13 10:00')$s$),
-- in cash, to another card: appended, with a row of payment_off_card (inserted by key too)
(19, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
               VALUES (8, 1, 100, '2026-03-14 10:00', 'cash', NULL, '2026-03-14 10:00')$s$),
(20, true, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
               VALUES (9, 3, 100, '2026-03-14 10:00', 'account', fx.card(4), '2026-03-14 10:00')$s$),
-- a correction: recomputed
(21, false, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id,
                                           created_at)
               VALUES (8, 2, 1, 2, 700, 50, 650, 2, '2026-03-15 11:00')$s$),
-- loaded in replica mode: a payment before its line (the line is paid: recomputed), a line
-- before its sheet (no month to add to), then the sheet (its lines found: recomputed)
(22, false, $s$SET session_replication_role = replica;
               INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
               VALUES (10, 9, 100, '2026-03-16 10:00', 'account', fx.card(3), '2026-03-16 10:00');
               INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
               VALUES (9, 1, 3, 3, 900, 900, '2026-03-16 09:00');
               INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
               VALUES (10, 5, 4, 3, 800, 800, '2026-03-16 09:00');
               INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
               VALUES (5, 71, 3, '2026-02-01', '2026-03-16', '2026-03-16 09:30');
               SET session_replication_role = origin$s$);
-- fx.run(label, keyed): the steps written by key (or not), in one transaction; returns the
-- calls of _settled_at made by statements in the steps the keyed path writes, and those of
-- the trigger
CREATE FUNCTION fx.run(label text, keyed_steps boolean) RETURNS TABLE (run text, steps bigint, settled_at_calls bigint)
LANGUAGE plpgsql AS $$
DECLARE
    s record;
    before bigint := 0;
    calls bigint := 0;
    n bigint := 0;
BEGIN
    FOR s IN SELECT * FROM fx.steps ORDER BY fx.steps.n LOOP
        before := coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f WHERE f.funcname = '_settled_at'), 0);
        EXECUTE s.stmt;
        IF s.keyed = keyed_steps THEN
            calls := calls + coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f
                                        WHERE f.funcname = '_settled_at'), 0) - before;
            n := n + 1;
        END IF;
    END LOOP;
    INSERT INTO fx.runs SELECT label, x.summary, x.r FROM fx.summaries() x;
    RETURN QUERY SELECT label, n, calls;
END $$;
SET track_functions = 'all';

-- written by key: the steps it writes call no _settled_at (the others do)
BEGIN;
SELECT * FROM fx.run('keyed', true);
COMMIT;
SELECT * FROM fx.check('keyed');
-- what the steps wrote
SELECT project_id, worker_id, period, employer_id, days, payable, net, paid, paid_ats, paid_each, known_to, settled_at
  FROM wagecheck.wage_month ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.worker_pay ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.sheet_worker ORDER BY 1, 2;
SELECT * FROM wagecheck.attendance_unpaid ORDER BY 1, 2, 3;
SELECT project_id, worker_id, period, payment_id, reason FROM wagecheck.payment_off_card ORDER BY 1, 2, 3, 4;

-- again by the statements: wage_month with a row trigger (the input tables emptied first)
DELETE FROM wagecheck.wage_payment;
DELETE FROM wagecheck.pay_line;
DELETE FROM wagecheck.pay_sheet;
SELECT count(*) AS wage_months, (SELECT count(*) FROM wagecheck.attendance_unpaid) AS unpaid FROM wagecheck.wage_month;
CREATE FUNCTION fx.nothing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER not_keyed AFTER INSERT OR UPDATE OR DELETE ON wagecheck.wage_month
    FOR EACH ROW EXECUTE FUNCTION fx.nothing();
BEGIN;
SELECT run, steps, settled_at_calls > 0 AS statements_ran FROM fx.run('statements', true);
COMMIT;
SELECT * FROM fx.check('statements');
-- both runs wrote the same rows
SELECT * FROM fx.runs_differ();
DROP TRIGGER not_keyed ON wagecheck.wage_month;

-- a few new sheets at once are looked for in pay_line by its index; a line loaded before its
-- sheet is found (its month recomputed)
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (20, 21, 2, 3, 500, 500, '2026-03-20 09:00');
SET session_replication_role = origin;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (20, 71, 2, '2026-03-01', '2026-04-05', '2026-04-05 09:00'), (21, 71, 3, '2026-03-01', '2026-04-05', '2026-04-05 09:00');
SELECT project_id, worker_id, period, net FROM wagecheck.wage_month WHERE project_id = 71 AND period = '2026-03-01';
SELECT * FROM fx.check('sheets');

-- What the keyed path keeps across statements (src/alerts/keyed.c: the summaries' OIDs, their
-- primary keys and key columns) is forgotten when the catalog changes: with sheet_worker's
-- primary key made again on its columns in the other order, a line is written by the
-- statements (the key is not the one the keyed path writes by; the index it knew is gone),
-- and by key again once the key is back. fx.line(...): _settled_at's calls by one line
-- added to a month that is there (the statements call it, the keyed path does not).
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (30, 70, 3, '2026-05-01', '2026-06-05', '2026-06-05 09:00'),
    (31, 70, 2, '2026-05-01', '2026-06-05', '2026-06-05 09:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (30, 30, 3, 2, 300, 300, '2026-06-05 10:00'),
    (31, 30, 4, 2, 300, 300, '2026-06-05 10:00');
CREATE FUNCTION fx.line(line bigint, sheet bigint, worker bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    before bigint := coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f WHERE f.funcname = '_settled_at'), 0);
BEGIN
    INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
    VALUES (line, sheet, worker, 1, 100, 100, '2026-06-05 11:00');
    RETURN coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f WHERE f.funcname = '_settled_at'), 0) - before;
END $$;
BEGIN;
SELECT fx.line(32, 31, 3) AS settled_at_calls;   -- by key
ALTER TABLE wagecheck.sheet_worker DROP CONSTRAINT sheet_worker_pkey, ADD PRIMARY KEY (worker_id, project_id);
SELECT fx.line(33, 31, 4) AS settled_at_calls;   -- by the statements
ALTER TABLE wagecheck.sheet_worker DROP CONSTRAINT sheet_worker_pkey, ADD PRIMARY KEY (project_id, worker_id);
SELECT fx.line(34, 31, 1) AS settled_at_calls;   -- by key (worker 1's May: a new month)
COMMIT;
SELECT * FROM fx.check('catalog changed');
-- a summary renamed and another table made in its place under its name: the line is written
-- to the table of that name now (the OID kept for the name is forgotten), by key
BEGIN;
ALTER TABLE wagecheck.worker_pay RENAME TO worker_pay_away;
CREATE TABLE wagecheck.worker_pay (LIKE wagecheck.worker_pay_away INCLUDING ALL);
INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck.worker_pay_away;
SELECT fx.line(35, 30, 3) AS settled_at_calls;   -- worker 3's May, 100 more
SELECT 'now' AS t, worker_id, span, period, payable FROM wagecheck.worker_pay WHERE worker_id = 3
UNION ALL
SELECT 'away', worker_id, span, period, payable FROM wagecheck.worker_pay_away WHERE worker_id = 3
ORDER BY 1, 2, 3, 4;
ROLLBACK;

-- A payment's line (its sheet, worker) and the worker's card, as the enforcing trigger read
-- them, are not read again by the summaries' trigger of the same statement: one probe of
-- pay_line's and worker's keys less than when a trigger of another's on wage_payment (which
-- could change them in between) has the summaries read them themselves; the same months
-- and rows of payment_off_card either way. fx.pay(...): the index scans of pay_line and of
-- worker by one payment.
CREATE FUNCTION fx.scans() RETURNS bigint[] LANGUAGE sql AS $$
    SELECT array_agg(coalesce(t.idx_scan, 0) ORDER BY t.relname)
      FROM pg_stat_xact_user_tables t WHERE t.schemaname = 'wagecheck' AND t.relname IN ('pay_line', 'worker') $$;
CREATE FUNCTION fx.pay(id bigint, line bigint, worker int, method text) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    before bigint[] := fx.scans();
    after bigint[];
BEGIN
    INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
    VALUES (id, line, 10, '2026-06-20 10:00'::timestamptz + id * interval '1 minute', method,
            CASE method WHEN 'account' THEN fx.card(worker) END, '2026-06-20 10:00'::timestamptz + id * interval '1 minute');
    after := fx.scans();
    RETURN ARRAY[after[1] - before[1], after[2] - before[2]];
END $$;
BEGIN;
SELECT fx.pay(40, 30, 3, 'account') AS shared_line_and_worker_scans;
SELECT fx.pay(41, 31, 4, 'cash') AS shared_line_and_worker_scans;
CREATE FUNCTION fx.nothing_stmt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER another AFTER INSERT ON wagecheck.wage_payment FOR EACH STATEMENT EXECUTE FUNCTION fx.nothing_stmt();
SELECT fx.pay(42, 30, 3, 'account') AS read_again_scans;
SELECT fx.pay(43, 31, 4, 'cash') AS read_again_scans;
DROP TRIGGER another ON wagecheck.wage_payment;
SELECT fx.pay(44, 32, 3, 'cash') AS shared_again_scans;
COMMIT;
SELECT project_id, worker_id, period, payment_id, reason FROM wagecheck.payment_off_card WHERE payment_id >= 40 ORDER BY 4;
SELECT * FROM fx.check('shared');

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
