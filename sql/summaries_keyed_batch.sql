-- Statements of several new pay lines or payments (a COPY, a multi-row INSERT) write
-- wage_month, worker_pay, sheet_worker, attendance_unpaid and payment_off_card by key
-- (src/alerts/wage_keyed.c): their rows summed per month, each summary row written once, in
-- key order. The same statements run twice: first written by key, then with a row trigger on
-- wage_month (a table with triggers is not written by key: the statements of
-- src/alerts/summaries.c run). After each run every summary equals rebuild_summaries()'s, and
-- the two runs leave the same rows. That the keyed path ran shows in
-- pg_stat_xact_user_functions: a statement calls wagecheck._settled_at() for each month
-- it adds lines to or appends payments to (unless settled), a recomputation for each month
-- it recomputes; the keyed path calls its C without a statement.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(p, '371302', '2026-01-05', '2025-12-01') FROM generate_series(70, 71) p;
SELECT fx.worker(i) FROM generate_series(1, 4) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(70, 71) p, generate_series(1, 4) w;
-- workers 1 and 3 attended project 70 in February (attendance_unpaid rows until their lines come)
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 70, w, d, 8, d + interval '18 hours'
  FROM generate_series(date '2026-02-02', '2026-02-06', '1 day') d, (VALUES (1), (3)) x(w);
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 70, 3, '2026-02-01', '2026-03-05', '2026-03-05 09:00'),
    (2, 70, 2, '2026-02-01', '2026-03-05', '2026-03-05 09:30'),
    (3, 71, 2, '2026-02-01', '2026-03-05', '2026-03-05 10:00'),
    (4, 70, 3, '2026-03-01', '2026-04-05', '2026-04-05 09:00');

\i sql/include/summaries_check.psql

-- The statements, each of several rows
CREATE TABLE fx.steps (n int PRIMARY KEY, stmt text);
INSERT INTO fx.steps VALUES
-- new months: two lines of one month (two employers' sheets: the lesser employer, the sums
-- of both; its attendance_unpaid row goes), the worker on project 71 and in March (nothing
-- payable), a worker without attendance (days unknown, nothing due: settled at -infinity)
(1, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at) VALUES
       (1, 1, 1, 5, 1500.5, 100.5, 1400, '2026-03-05 11:00'),
       (2, 2, 1, 2, 600, 0, 600, '2026-03-05 10:30'),
       (3, 3, 1, 4, 1200, 0, 1200, '2026-03-05 12:00'),
       (4, 1, 2, NULL, 0, 0, 0, '2026-03-05 11:00'),
       (5, 4, 1, 0, 0, 0, 0, '2026-04-05 11:00')$s$),
-- lines added to months that are there (two of them to one month, given in another order
-- than the key's) and a new month between them
(2, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
       (6, 2, 2, 1, 300, 300, '2026-03-06 11:30'),
       (7, 2, 1, 1, 300, 300, '2026-03-06 11:00'),
       (8, 3, 3, 3, 900, 900, '2026-03-06 11:00'),
       (9, 1, 1, 1, 250, 250, '2026-03-06 12:00')$s$),
-- payments after their months' last: two of one month (appended in paid_at order, not the
-- statement's), the first of another, one to a month with nothing due
(3, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at) VALUES
       (1, 1, 1000, '2026-03-10 10:00', 'account', fx.card(1), '2026-03-10 10:05'),
       (2, 7, 500, '2026-03-09 10:00', 'account', fx.card(1), '2026-03-10 10:05'),
       (3, 3, 100, '2026-03-09 10:00', 'account', fx.card(1), '2026-03-10 10:05'),
       (4, 4, 50, '2026-03-09 10:00', 'account', fx.card(2), '2026-03-10 10:05')$s$),
-- payments appended and payments recomputed in one statement: after the last of project
-- 70's month (one in cash: a row of payment_off_card), before the last of project 71's
-- (recomputed), to another card than the worker's (appended, with its row of payment_off_card)
(4, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at) VALUES
       (5, 1, 1145.25, '2026-03-12 10:00', 'account', fx.card(1), '2026-03-12 10:05'),
       (6, 3, 50, '2026-03-08 10:00', 'account', fx.card(1), '2026-03-12 10:05'),
       (7, 9, 100, '2026-03-13 10:00', 'cash', NULL, '2026-03-13 10:05'),
       (8, 8, 200, '2026-03-13 10:00', 'account', fx.card(4), '2026-03-13 10:05')$s$),
-- lines the keyed path adds and a correction it leaves to the recomputation, in one statement
(5, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at) VALUES
       (10, 2, 3, 2, 700, 700, NULL, '2026-03-15 11:00'),
       (11, 2, 2, 1, 350, 350, 6, '2026-03-15 11:00'),
       (12, 4, 2, 2, 800, 800, NULL, '2026-04-06 11:00')$s$),
-- a line already paid (a load in replica mode wrote its payment first): the statement's keys
-- are recomputed, nothing written by key
(6, $s$SET session_replication_role = replica;
       INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
       VALUES (9, 13, 100, '2026-04-10 10:00', 'account', fx.card(4), '2026-04-10 10:00');
       SET session_replication_role = origin;
       INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
       (13, 4, 4, 3, 900, 900, '2026-04-06 09:00'),
       (14, 4, 3, 3, 900, 900, '2026-04-06 09:00')$s$);
CREATE TABLE fx.calls (run text, n int, settled_at_calls bigint);
-- fx.run(label): the steps in one transaction, the calls of _settled_at each made
CREATE FUNCTION fx.run(label text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s record;
    before bigint;
BEGIN
    FOR s IN SELECT * FROM fx.steps ORDER BY fx.steps.n LOOP
        before := coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f WHERE f.funcname = '_settled_at'), 0);
        EXECUTE s.stmt;
        INSERT INTO fx.calls
        SELECT label, s.n, coalesce((SELECT f.calls FROM pg_stat_xact_user_functions f
                                      WHERE f.funcname = '_settled_at'), 0) - before;
    END LOOP;
    INSERT INTO fx.runs SELECT label, x.summary, x.r FROM fx.summaries() x;
END $$;
SET track_functions = 'all';

-- written by key
BEGIN;
SELECT fx.run('keyed');
COMMIT;
SELECT * FROM fx.check('keyed');
-- what the steps wrote
SELECT project_id, worker_id, period, employer_id, days, payable, net, paid, paid_ats, paid_each, known_to, settled_at
  FROM wagecheck.wage_month ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.worker_pay ORDER BY 1, 2, 3;
SELECT * FROM wagecheck.sheet_worker ORDER BY 1, 2;
SELECT * FROM wagecheck.attendance_unpaid ORDER BY 1, 2, 3;
SELECT project_id, worker_id, period, payment_id, amount, method, reason FROM wagecheck.payment_off_card ORDER BY 1, 2, 3, 4;

-- again by the statements: wage_month with a row trigger (the input tables emptied first)
DELETE FROM wagecheck.wage_payment;
DELETE FROM wagecheck.pay_line;
SELECT count(*) AS wage_months, (SELECT count(*) FROM wagecheck.attendance_unpaid) AS unpaid FROM wagecheck.wage_month;
CREATE FUNCTION fx.nothing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER not_keyed AFTER INSERT OR UPDATE OR DELETE ON wagecheck.wage_month
    FOR EACH ROW EXECUTE FUNCTION fx.nothing();
BEGIN;
SELECT fx.run('statements');
COMMIT;
DROP TRIGGER not_keyed ON wagecheck.wage_month;
SELECT * FROM fx.check('statements');
-- both runs wrote the same rows
SELECT * FROM fx.runs_differ();
-- the calls of _settled_at per step: none where the keyed path adds lines to months that are
-- there (2) or appends payments (3); in step 4 only for project 71's month, recomputed (the
-- statements: for the two months appended too); in step 5 only for the correction's month
-- (the statements recompute every month of the statement); in step 6 both recompute the
-- statement's months
SELECT k.n, k.settled_at_calls AS keyed, s.settled_at_calls AS statements
  FROM fx.calls k JOIN fx.calls s ON s.n = k.n AND s.run = 'statements'
 WHERE k.run = 'keyed' ORDER BY 1;

-- in a transaction of REPEATABLE READ the statements run (they fail on a summary row changed
-- since the snapshot, where a keyed write would follow it): two lines added to months that
-- are there call _settled_at twice, and the summaries stay exact
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT coalesce((SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = '_settled_at'), 0) AS before \gset
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (20, 1, 1, 1, 100, 100, '2026-03-20 11:00'),
    (21, 2, 2, 1, 100, 100, '2026-03-20 11:00');
SELECT coalesce((SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = '_settled_at'), 0) - :before
       AS settled_at_calls;
COMMIT;
SELECT * FROM fx.check('repeatable read');

-- A statement of ten payments (ten lines: kept in a hash table, not among the few kept
-- inline) takes the lines' sheets and workers and the workers' cards as the enforcing
-- trigger read them: fewer index scans of pay_line and worker than the same statement with a
-- trigger of another's on wage_payment (then the summaries read them themselves), the same
-- summaries as a recomputation either way. fx.pay_all(first): the index scans of pay_line and worker by a
-- statement paying lines first to first + 9 (each its net, in cash).
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT 40 + i, 4, 1 + i % 4, 1, 100, 100, '2026-04-05 12:00' FROM generate_series(0, 19) i;
CREATE FUNCTION fx.pay_all(first bigint) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    before bigint[] := (SELECT array_agg(coalesce(t.idx_scan, 0) ORDER BY t.relname) FROM pg_stat_xact_user_tables t
                         WHERE t.schemaname = 'wagecheck' AND t.relname IN ('pay_line', 'worker'));
    after bigint[];
BEGIN
    INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
    SELECT 100 + l, l, 100, '2026-04-10 10:00', 'cash', NULL, '2026-04-10 10:00'
      FROM generate_series(first, first + 9) l;
    after := (SELECT array_agg(coalesce(t.idx_scan, 0) ORDER BY t.relname) FROM pg_stat_xact_user_tables t
               WHERE t.schemaname = 'wagecheck' AND t.relname IN ('pay_line', 'worker'));
    RETURN ARRAY[after[1] - before[1], after[2] - before[2]];
END $$;
BEGIN;
SELECT fx.pay_all(40) AS shared_scans;
CREATE FUNCTION fx.nothing_stmt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER another AFTER INSERT ON wagecheck.wage_payment FOR EACH STATEMENT EXECUTE FUNCTION fx.nothing_stmt();
SELECT fx.pay_all(50) AS read_again_scans;
DROP TRIGGER another ON wagecheck.wage_payment;
COMMIT;
SELECT count(*) AS cash_payments_off_card FROM wagecheck.payment_off_card WHERE payment_id >= 140;
SELECT * FROM fx.check('ten payments');

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
