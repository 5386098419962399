-- The statements wagecheck's triggers run as the owner of its tables resolve names in
-- pg_catalog and wagecheck only, whatever the writer's search_path (src/trigowner.c): a
-- writer who puts a schema of his own first, with an operator = of his for bigint and text,
-- gets his operator run by none of them (a NOTICE would show here) - not by the
-- summaries' statements, the capture's, the outflow candidates', the enforcing trigger's
-- lookups, nor the query of an attached table of accounts.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(70, '371302', '2026-01-05', '2025-12-01');
SELECT count(fx.worker(i)) FROM generate_series(1, 6) i;
SELECT count(fx.roster(70, w, '2026-01-05')) FROM generate_series(1, 4) w;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 70, '临商银行', 'A-70', '2026-01-05', '2026-01-05 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 70, 3, '2026-02-01', '2026-03-05', '2026-03-05 09:00');
\i sql/include/summaries_check.psql
-- a legacy table of accounts, attached: the project by its code
CREATE SCHEMA legacy;
CREATE TABLE legacy.zhxx (zh text PRIMARY KEY, xmbh text NOT NULL, gsrq date, xhrq date);
INSERT INTO legacy.zhxx VALUES ('62170001', 'P70', NULL, NULL);
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}');

-- the writer's own operators
CREATE SCHEMA evil;
CREATE FUNCTION evil.eq8(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'evil bigint = ran as %', current_user; RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
CREATE FUNCTION evil.eqt(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'evil text = ran as %', current_user; RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
CREATE OPERATOR evil.= (leftarg = bigint, rightarg = bigint, function = evil.eq8);
CREATE OPERATOR evil.= (leftarg = text, rightarg = text, function = evil.eqt);
-- (they are found first)
SET search_path = evil, pg_catalog, public;
SELECT 1::bigint = 1::bigint AS found_first;

-- lines, one and several; lines changed (recomputed by a statement); payments; movements;
-- attendance added, changed and deleted; a roster entry added and deleted (the statements
-- here compare with < and >: an = of theirs would be the writer's)
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 1, 1, 2, 600, 600, '2026-03-05 11:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT w, 1, w, 2, 600, 600, '2026-03-05 11:00' FROM generate_series(2, 4) w;
UPDATE wagecheck.pay_line SET payable = 700, net = 700 WHERE line_id > 2;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account,
                                   counterparty_name, purpose, booked_at, created_at)
VALUES (100, 1, 'in', 10000, '8888', '临沂城投', 'labour_cost', '2026-03-01 10:00', '2026-03-01 10:00');
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (1, 1, 600, '2026-03-10 10:00', 'account', fx.card(1), '2026-03-10 10:05');
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT w, w, 600, '2026-03-10 10:00', 'account', fx.card(w), '2026-03-10 10:05' FROM generate_series(2, 3) w;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account,
                                   counterparty_name, purpose, booked_at, created_at)
SELECT w, 1, 'out', 600, fx.card(w), '工人' || w, 'wage', '2026-03-10 10:00', '2026-03-10 10:00'
  FROM generate_series(1, 6) w;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 70, w, '2026-02-02', 8, '2026-02-02 18:00' FROM generate_series(1, 4) w;
UPDATE wagecheck.attendance SET hours = 9 WHERE worker_id < 3 AND worker_id > 1;
DELETE FROM wagecheck.attendance WHERE worker_id > 2 AND worker_id < 4;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on, created_at)
VALUES (70, 5, 3, '2026-01-05', '2026-01-05 09:00');
DELETE FROM wagecheck.roster WHERE worker_id > 4;
-- the legacy account closed while wages are owed (refused), then wagecheck's own account
-- closed after its notice: a line is refused when every account of its project is closed,
-- the attached table's read by its query
UPDATE legacy.zhxx SET gsrq = '2026-03-01', xhrq = '2026-04-15';
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-03-01', closed_on = '2026-04-15';
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (9, 1, 4, 1, 100, 100, '2026-04-20 11:00');
\echo :LAST_ERROR_SQLSTATE
RESET search_path;

SELECT * FROM fx.check('as written');
SELECT count(*) AS lines, (SELECT count(*) FROM wagecheck.wage_payment) AS payments,
       (SELECT count(*) FROM wagecheck.outflow_unmatched) AS candidates,
       (SELECT count(*) FROM wagecheck.attendance_month) AS months
  FROM wagecheck.pay_line;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx, legacy, evil CASCADE;
