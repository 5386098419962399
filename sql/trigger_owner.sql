-- A statement-level trigger of wagecheck whose statement wrote 64 rows or more runs under a
-- resource owner of its own (src/trigowner.c: COPY keeps its buffer's slots pinned in the
-- portal's owner while the AFTER triggers run). Statements of 63 and of 64 rows of each input
-- table the summaries, enforce, capture and outflow triggers watch: DEBUG1 lines show which
-- triggers ran under their own owner. After each, the summaries equal rebuild_summaries()'s,
-- the locks the triggers took stay with the transaction, and no resource was left open (a
-- warning would show here). A statement of 64 rows that a trigger refuses is undone whole, in
-- a savepoint or not, and the connection goes on.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(70, '371302', '2026-01-05', '2025-12-01');
SELECT count(fx.worker(i)) FROM generate_series(1, 130) i;
SELECT count(fx.roster(70, w, '2026-01-05')) FROM generate_series(1, 130) w;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 70, '临商银行', 'A-70', '2026-01-05', '2026-01-05 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 70, 3, '2026-02-01', '2026-03-05', '2026-03-05 09:00');
\i sql/include/summaries_check.psql
-- fx.locked(table): whether this transaction holds a lock on wagecheck.<table>
CREATE FUNCTION fx.locked(t text) RETURNS boolean LANGUAGE sql AS $$
    SELECT EXISTS (SELECT FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'
                     AND l.relation = ('wagecheck.' || t)::regclass) $$;
-- fx.balance_wrong(): accounts whose balance is not the sum of their movements
CREATE FUNCTION fx.balance_wrong() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM wagecheck.wage_account a
     WHERE a.balance <> (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount ELSE -amount END), 0)
                           FROM wagecheck.account_txn t WHERE t.account_id = a.account_id) $$;

SET client_min_messages = debug1;
-- attendance: 63 rows (the triggers run under the statement's owner), then 64
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 70, w, '2026-02-02', 8, '2026-02-02 18:00' FROM generate_series(1, 63) w;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 70, w, '2026-02-03', 8, '2026-02-03 18:00' FROM generate_series(1, 64) w;
-- pay lines: 63, then 64, in one transaction: the summaries' locks are still held after it
BEGIN;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT w, 1, w, 2, 600, 600, '2026-03-05 11:00' FROM generate_series(1, 63) w;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT w, 1, w, 1, 300, 300, '2026-03-05 11:00' FROM generate_series(64, 127) w;
RESET client_min_messages;
SELECT fx.locked('wage_month') AS wage_month, fx.locked('worker_pay') AS worker_pay,
       fx.locked('input_change') AS input_change;
COMMIT;
-- payments and movements of 64 rows (the labour cost paid in first, in a statement of its own)
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account,
                                   counterparty_name, purpose, booked_at, created_at)
VALUES (100, 1, 'in', 100000, '8888', '临沂城投', 'labour_cost', '2026-03-01 10:00', '2026-03-01 10:00');
SET client_min_messages = debug1;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT w, w, 300, '2026-03-10 10:00', 'account', fx.card(w), '2026-03-10 10:05' FROM generate_series(64, 127) w;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account,
                                   counterparty_name, purpose, booked_at, created_at)
SELECT w, 1, 'out', 300, fx.card(w), '工人' || w, 'wage', '2026-03-10 10:00', '2026-03-10 10:00'
  FROM generate_series(1, 64) w;
RESET client_min_messages;
SELECT * FROM fx.check('64 rows');
SELECT fx.balance_wrong() AS balances_wrong;
SELECT (SELECT count(*) FROM wagecheck.attendance_month) AS months,
       (SELECT count(*) FROM wagecheck.wage_month) AS wage_months,
       (SELECT count(*) FROM wagecheck.wage_month WHERE paid > 0) AS paid_months,
       (SELECT count(*) FROM wagecheck.outflow_unmatched) AS unmatched;

-- reject mode: 64 payments of which one is in cash are refused whole, in a savepoint, and the
-- same 64 with the cash payment made by account go in after it; then outside a savepoint
UPDATE wagecheck.project SET enforcement_mode = 'reject';
BEGIN;
SAVEPOINT s;
SET client_min_messages = debug1;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT 1000 + w, w, 600, '2026-03-10 10:00', CASE w WHEN 7 THEN 'cash' ELSE 'account' END,
       CASE w WHEN 7 THEN NULL ELSE fx.card(w) END, '2026-03-10 10:05'
  FROM generate_series(1, 64) w;
ROLLBACK TO SAVEPOINT s;
RESET client_min_messages;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT 1000 + w, w, 600, '2026-03-10 10:00', 'account', fx.card(w), '2026-03-10 10:05'
  FROM generate_series(1, 64) w;
SELECT fx.locked('wage_month') AS wage_month_locked;
COMMIT;
SET client_min_messages = debug1;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT 2000 + w, w, 10, '2026-03-11 10:00', CASE w WHEN 70 THEN 'cash' ELSE 'account' END,
       CASE w WHEN 70 THEN NULL ELSE fx.card(w) END, '2026-03-11 10:05'
  FROM generate_series(64, 127) w;
RESET client_min_messages;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT 2000 + w, w, 10, '2026-03-11 10:00', 'account', fx.card(w), '2026-03-11 10:05'
  FROM generate_series(64, 127) w;
SELECT count(*) AS payments, sum(amount) AS paid FROM wagecheck.wage_payment;
SELECT * FROM fx.check('after the refusals');
SELECT fx.balance_wrong() AS balances_wrong;

-- COPY of 64 rows (its buffer's slots pinned while the triggers run)
SET client_min_messages = debug1;
COPY wagecheck.attendance (project_id, worker_id, day, hours, created_at) FROM STDIN;
70	1	2026-02-04	8	2026-02-04 18:00
70	2	2026-02-04	8	2026-02-04 18:00
70	3	2026-02-04	8	2026-02-04 18:00
70	4	2026-02-04	8	2026-02-04 18:00
70	5	2026-02-04	8	2026-02-04 18:00
70	6	2026-02-04	8	2026-02-04 18:00
70	7	2026-02-04	8	2026-02-04 18:00
70	8	2026-02-04	8	2026-02-04 18:00
70	9	2026-02-04	8	2026-02-04 18:00
70	10	2026-02-04	8	2026-02-04 18:00
70	11	2026-02-04	8	2026-02-04 18:00
70	12	2026-02-04	8	2026-02-04 18:00
70	13	2026-02-04	8	2026-02-04 18:00
70	14	2026-02-04	8	2026-02-04 18:00
70	15	2026-02-04	8	2026-02-04 18:00
70	16	2026-02-04	8	2026-02-04 18:00
70	17	2026-02-04	8	2026-02-04 18:00
70	18	2026-02-04	8	2026-02-04 18:00
70	19	2026-02-04	8	2026-02-04 18:00
70	20	2026-02-04	8	2026-02-04 18:00
70	21	2026-02-04	8	2026-02-04 18:00
70	22	2026-02-04	8	2026-02-04 18:00
70	23	2026-02-04	8	2026-02-04 18:00
70	24	2026-02-04	8	2026-02-04 18:00
70	25	2026-02-04	8	2026-02-04 18:00
70	26	2026-02-04	8	2026-02-04 18:00
70	27	2026-02-04	8	2026-02-04 18:00
70	28	2026-02-04	8	2026-02-04 18:00
70	29	2026-02-04	8	2026-02-04 18:00
70	30	2026-02-04	8	2026-02-04 18:00
70	31	2026-02-04	8	2026-02-04 18:00
70	32	2026-02-04	8	2026-02-04 18:00
70	33	2026-02-04	8	2026-02-04 18:00
70	34	2026-02-04	8	2026-02-04 18:00
70	35	2026-02-04	8	2026-02-04 18:00
70	36	2026-02-04	8	2026-02-04 18:00
70	37	2026-02-04	8	2026-02-04 18:00
70	38	2026-02-04	8	2026-02-04 18:00
70	39	2026-02-04	8	2026-02-04 18:00
70	40	2026-02-04	8	2026-02-04 18:00
70	41	2026-02-04	8	2026-02-04 18:00
70	42	2026-02-04	8	2026-02-04 18:00
70	43	2026-02-04	8	2026-02-04 18:00
70	44	2026-02-04	8	2026-02-04 18:00
70	45	2026-02-04	8	2026-02-04 18:00
70	46	2026-02-04	8	2026-02-04 18:00
70	47	2026-02-04	8	2026-02-04 18:00
70	48	2026-02-04	8	2026-02-04 18:00
70	49	2026-02-04	8	2026-02-04 18:00
70	50	2026-02-04	8	2026-02-04 18:00
70	51	2026-02-04	8	2026-02-04 18:00
70	52	2026-02-04	8	2026-02-04 18:00
70	53	2026-02-04	8	2026-02-04 18:00
70	54	2026-02-04	8	2026-02-04 18:00
70	55	2026-02-04	8	2026-02-04 18:00
70	56	2026-02-04	8	2026-02-04 18:00
70	57	2026-02-04	8	2026-02-04 18:00
70	58	2026-02-04	8	2026-02-04 18:00
70	59	2026-02-04	8	2026-02-04 18:00
70	60	2026-02-04	8	2026-02-04 18:00
70	61	2026-02-04	8	2026-02-04 18:00
70	62	2026-02-04	8	2026-02-04 18:00
70	63	2026-02-04	8	2026-02-04 18:00
70	64	2026-02-04	8	2026-02-04 18:00
\.
RESET client_min_messages;
SELECT count(*) AS months, sum(days) AS days FROM wagecheck.attendance_month;
SELECT * FROM fx.check('after COPY');

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
