-- Enforcing C triggers on wagecheck's own tables: every rule accepted, rejected
-- (with its SQLSTATE, message, detail naming project, worker and amount) and
-- recorded as a violation in alert mode.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor'),
    ('91371311MA3P2K8H07', '兰山劳务服务有限公司', 'labour_company');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on, enforcement_mode) VALUES
    ('LY-001', '北城新区安置房一期', '371302', 'housing', 'government', 1, 2, '2026-03-01', 'reject'),
    ('LY-002', '沂河大桥引线工程', '371311', 'transport', 'soe', 1, 2, '2026-03-01', 'alert');
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371302198503122131', '张伟', '6228481234567890003'),
    ('371302199001011233', '李娜', '6228481234567890011'),
    ('371302197805224550', '王强', '6228481234567890029'),
    ('371302199511300625', '赵磊', NULL),
    ('371302198808083516', '刘洋', '6228481234567890045');
-- 张伟, 李娜, 赵磊 on LY-001; 王强 on LY-002; 刘洋 on no roster
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on) VALUES
    (1, 1, 3, '2026-03-01', '2026-03-01'), (1, 2, 3, '2026-03-01', '2026-03-01'),
    (1, 4, 3, '2026-03-01', '2026-03-01'), (2, 3, 3, '2026-03-01', '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on) VALUES
    (1, '农业银行临沂分行', '372101040012345', '2026-03-05'),
    (2, '建设银行临沂分行', '37050168620100001234', '2026-03-06');

-- === AC03 / WP04 / balance on LY-001 (reject mode)
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'in', 100000, '9558800001000000001', 'labour_cost', '2026-04-08 10:00+08');
-- a wage to a rostered worker's own card goes through
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
VALUES (1, 'out', 5200, '6228481234567890003', '张伟', 'wage', '2026-04-15 09:00+08');
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
-- cash withdrawal: AC03
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'out', 3000, 'cash', '2026-04-15 10:00+08');
\echo :LAST_ERROR_SQLSTATE
-- transfer to another company's account: AC03
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
VALUES (1, 'out', 40000, '37050168620100009999', '沂河建材有限公司', 'transfer', '2026-04-15 10:05+08');
\echo :LAST_ERROR_SQLSTATE
-- wage to a worker of another project: AC03
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 4800, '6228481234567890029', 'wage', '2026-04-15 10:10+08');
\echo :LAST_ERROR_SQLSTATE
-- wage into a card that is nobody's registered card: WP04
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
VALUES (1, 'out', 5000, '6217000000000000004', '李娜', 'wage', '2026-04-15 10:15+08');
\echo :LAST_ERROR_SQLSTATE
-- wage with no account at all (cash in hand): WP04
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'out', 5000, 'wage', '2026-04-15 10:20+08');
\echo :LAST_ERROR_SQLSTATE
-- more than the balance: overdraft refused
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 94800.01, '6228481234567890011', 'wage', '2026-04-15 10:25+08');
\echo :LAST_ERROR_SQLSTATE
-- nothing half-written: one bad row in a statement, no row of it goes in
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 5000, '6228481234567890011', 'wage', '2026-04-15 11:00+08'),
       (1, 'out', 5000, '6228481234567890045', 'wage', '2026-04-15 11:01+08');
\echo :LAST_ERROR_SQLSTATE
-- the running balance is checked row by row within a statement
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 90000, '6228481234567890011', 'wage', '2026-04-15 11:00+08'),
       (1, 'out', 4800, '6228481234567890003', 'wage', '2026-04-15 11:01+08'),
       (1, 'out', 0.01, '6228481234567890003', 'wage', '2026-04-15 11:02+08');
\echo :LAST_ERROR_SQLSTATE
SELECT account_id, balance, (SELECT count(*) FROM wagecheck.account_txn t WHERE t.account_id = a.account_id) AS txns
  FROM wagecheck.wage_account a ORDER BY 1;
-- COPY: many movements, balance written once at the end of the statement
COPY wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) FROM stdin;
1	in	20000.00	9558800001000000001	labour_cost	2026-05-08 10:00+08
1	out	6100.50	6228481234567890003	wage	2026-05-15 09:00+08
1	out	5900.00	6228481234567890011	wage	2026-05-15 09:01+08
1	out	100.00	6228481234567890011	wage	2026-05-15 09:02+08
\.
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
SELECT a.balance = sum(CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END) AS balance_matches_movements
  FROM wagecheck.wage_account a JOIN wagecheck.account_txn t USING (account_id)
 WHERE a.account_id = 1 GROUP BY a.balance;
-- a savepoint rolled back takes its movements out of the running balance
BEGIN;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'in', 1000, 'top_up', '2026-05-20 09:00+08');
SAVEPOINT s;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 700, '6228481234567890003', 'wage', '2026-05-20 09:01+08');
ROLLBACK TO s;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 300, '6228481234567890003', 'wage', '2026-05-20 09:02+08');
COMMIT;
SELECT a.balance, sum(CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END) AS from_movements
  FROM wagecheck.wage_account a JOIN wagecheck.account_txn t USING (account_id)
 WHERE a.account_id = 1 GROUP BY a.balance;
-- balances are kept by wagecheck; booked movements are never changed
UPDATE wagecheck.wage_account SET balance = 1000000 WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.account_txn SET amount = 1 WHERE txn_id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM wagecheck.account_txn WHERE txn_id = 1;
\echo :LAST_ERROR_SQLSTATE

-- === the same illegal movements on LY-002 (alert mode): accepted, recorded
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (2, 'in', 10000, '9558800001000000001', 'labour_cost', '2026-04-08 10:00+08'),
       (2, 'out', 3000, NULL, 'cash', '2026-04-15 10:00+08'),
       (2, 'out', 4800, '6228481234567890003', 'wage', '2026-04-15 10:10+08'),
       (2, 'out', 5000, '6217000000000000004', 'wage', '2026-04-15 10:15+08'),
       (2, 'out', 900, '6228481234567890029', 'wage', '2026-04-15 10:20+08');
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
SELECT rule_code, subject_kind, subject_id, project_id, details->>'amount' AS amount,
       details->>'worker' AS worker, details->>'sqlstate' AS sqlstate, details->>'message' AS message, source
  FROM wagecheck.violation ORDER BY violation_id;

-- the statement's cache of payees, tested on one statement paying 1,200 distinct
-- accounts of 4 to 48 characters twice each (the cache grows several times; an
-- account too long for it is looked up every time) and a rostered worker's card
-- from both projects (blanks around it do not matter): every row gets the answer
-- it would get alone
BEGIN;
CREATE TEMP TABLE seen AS SELECT coalesce(max(violation_id), 0) AS last FROM wagecheck.violation;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
SELECT a, 'in', 100000, '9558800001000000001', 'labour_cost', '2026-04-20 09:00+08' FROM generate_series(1, 2) a;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
SELECT acct, 'out', 1, card, 'wage', '2026-04-20 10:00+08'
  FROM (SELECT 2 AS acct, repeat('7', i % 45) || i AS card, rep * 10000 + i AS k
          FROM generate_series(1, 1200) i, generate_series(1, 2) rep
        UNION ALL
        SELECT acct, card, 5000 + rep * 10000 + acct
          FROM generate_series(1, 2) acct, generate_series(1, 2) rep,
               (VALUES ('6228481234567890003'), (' 6228481234567890003 ')) c(card)
         WHERE acct = 2 OR rep = 1) m
 ORDER BY k;
SELECT v.rule_code, t.account_id, length(btrim(t.counterparty_account)) > 40 AS too_long_to_cache, count(*)
  FROM wagecheck.violation v JOIN wagecheck.account_txn t ON t.txn_id::text = v.subject_id
 WHERE v.violation_id > (SELECT last FROM seen)
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*) FILTER (WHERE account_id = 1) AS paid_from_1, count(*) FILTER (WHERE account_id = 2) AS paid_from_2
  FROM wagecheck.account_txn WHERE booked_at = '2026-04-20 10:00+08';
ROLLBACK;

-- === pay sheets: arithmetic, real name (RN01), paid lines frozen, corrections
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES
    (1, 3, '2026-04-01', '2026-05-05'), (2, 3, '2026-04-01', '2026-05-05');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, signed_on) VALUES
    (1, 1, 26, 5200, 0, 5200, '2026-05-06'),
    (1, 2, 24, 4800, 300, 4500, '2026-05-06');
-- net is not payable minus deductions
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net)
VALUES (1, 4, 20, 4000, 200, 4000);
\echo :LAST_ERROR_SQLSTATE
-- deductions larger than pay
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net)
VALUES (1, 4, 20, 4000, 4500, -500);
\echo :LAST_ERROR_SQLSTATE
-- a worker who is not on the roster (registered, but on no roster of LY-001)
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net)
VALUES (1, 5, 22, 4400, 0, 4400);
\echo :LAST_ERROR_SQLSTATE
-- alert mode: the line for an unrostered worker goes in and is recorded; bad arithmetic never does
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net)
VALUES (2, 5, 22, 4400, 0, 4400);
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net)
VALUES (2, 3, 22, 4400, 0, 4300);
\echo :LAST_ERROR_SQLSTATE
SELECT rule_code, subject_kind, subject_id, details->>'worker' AS worker, details->>'amount' AS amount
  FROM wagecheck.violation WHERE rule_code = 'RN01';

-- === payments: own registered card only (WP04), real name (RN01)
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
VALUES (1, 5200, '2026-05-15 09:00+08', 'account', '6228481234567890003');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method)
VALUES (2, 4500, '2026-05-15 09:00+08', 'cash');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
VALUES (2, 4500, '2026-05-15 09:00+08', 'account', '6228481234567890003');
\echo :LAST_ERROR_SQLSTATE
-- alert mode: payment for the unrostered worker's line is recorded as RN01
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, 4400, '2026-05-15 09:00+08', 'account', '6228481234567890045'
  FROM wagecheck.pay_line WHERE sheet_id = 2 AND worker_id = 5;
SELECT rule_code, subject_kind, subject_id, details->>'worker' AS worker FROM wagecheck.violation
 WHERE subject_kind = 'payment';
-- a paid line is never edited or deleted; an unpaid one may be
UPDATE wagecheck.pay_line SET net = 5000, deductions = 200 WHERE line_id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM wagecheck.pay_line WHERE line_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.pay_line SET days = 25 WHERE line_id = 2;
-- a correction references the corrected line, for the same worker
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, corrects_line_id)
VALUES (1, 2, 26, 5200, 300, 4900, 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, corrects_line_id)
VALUES (1, 1, 26, 5400, 0, 5400, 1);
SELECT worker_id, period, net, paid, owed FROM wagecheck.project_wages_owed(1) ORDER BY worker_id;

-- === AC05: closure refused without notice, before the notice ends, while wages are owed
UPDATE wagecheck.wage_account SET closed_on = '2026-07-01' WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-06-10' WHERE account_id = 1;
UPDATE wagecheck.wage_account SET closed_on = '2026-07-01' WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_account SET closed_on = '2026-07-10' WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card) VALUES
    (2, 4500, '2026-07-05 09:00+08', 'account', '6228481234567890011'),
    ((SELECT line_id FROM wagecheck.pay_line WHERE corrects_line_id = 1), 200, '2026-07-05 09:00+08',
     'account', '6228481234567890003');
UPDATE wagecheck.wage_account SET closed_on = '2026-07-10' WHERE account_id = 1;
SELECT account_id, closed_on FROM wagecheck.wage_account WHERE account_id = 1;
-- a closed account takes no movements, and no new wages are recorded on its project
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 100, '6228481234567890003', 'wage', '2026-07-11 09:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 3, '2026-06-01', '2026-07-11');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES (3, 1, 5, 1000, 0, 1000);
\echo :LAST_ERROR_SQLSTATE
-- nor paid from it
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
VALUES (2, 10, '2026-07-11 09:00+08', 'account', '6228481234567890011');
\echo :LAST_ERROR_SQLSTATE
-- nor is a payment from it changed: neither a larger nor a smaller amount; what moves no
-- money (when it was booked, the same amount written again) goes through
UPDATE wagecheck.wage_payment SET amount = 4600 WHERE line_id = 2 AND paid_at = '2026-07-05 09:00+08';
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_payment SET amount = 4000 WHERE line_id = 2 AND paid_at = '2026-07-05 09:00+08';
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_payment SET paid_at = '2026-07-05 10:00+08', amount = 4500.00
 WHERE line_id = 2 AND paid_at = '2026-07-05 09:00+08';
SELECT line_id, amount, paid_at, card FROM wagecheck.wage_payment WHERE line_id = 2 ORDER BY payment_id;
-- a paid line stays frozen: refused as a paid line, once
UPDATE wagecheck.pay_line SET payable = 4900, net = 4600 WHERE line_id = 2;
\echo :LAST_ERROR_SQLSTATE
-- alert mode: LY-002 closed early is accepted and recorded
UPDATE wagecheck.wage_account SET closed_on = '2026-07-10' WHERE account_id = 2;
SELECT rule_code, subject_kind, subject_id, details->>'message' AS message FROM wagecheck.violation
 WHERE rule_code = 'AC05';
-- alert mode: after LY-002's closure a payment sent to another card and a line raised
-- from nothing go in, each recorded as AC05 (the updated payment is checked again in full:
-- its RN01 and WP04 are recorded too); a line's days changed records nothing new
CREATE TEMP TABLE seen AS SELECT max(violation_id) AS last FROM wagecheck.violation;
UPDATE wagecheck.wage_payment SET card = '6228481234567890029'
 WHERE line_id = (SELECT line_id FROM wagecheck.pay_line WHERE sheet_id = 2 AND worker_id = 5);
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES (2, 3, 0, 0, 0, 0);
UPDATE wagecheck.pay_line SET days = 1 WHERE sheet_id = 2 AND worker_id = 3;
UPDATE wagecheck.pay_line SET days = 22, payable = 4400, net = 4400 WHERE sheet_id = 2 AND worker_id = 3;
SELECT rule_code, subject_kind, details->>'sqlstate' AS sqlstate, details->>'amount' AS amount,
       details->>'detail' AS detail
  FROM wagecheck.violation WHERE violation_id > (SELECT last FROM seen) ORDER BY violation_id;
SELECT worker_id, days, net FROM wagecheck.pay_line WHERE sheet_id = 2 ORDER BY worker_id;

-- === new lines and payments are checked after their statement, from its rows (the
-- lines, rosters and cards they need read in one query): a statement of several rows
-- records each offending row in alert mode, and is refused naming the offending row in
-- reject mode. What a statement reads is what it sees: a roster entry or a card changed
-- earlier in the same transaction counts for the next statement.
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on, enforcement_mode)
VALUES ('LY-003', '兰山区学校改扩建', '371302', 'municipal', 'government', 1, 2, '2026-03-01', 'alert');
SELECT project_id AS p3 FROM wagecheck.project WHERE code = 'LY-003' \gset
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on)
VALUES (:p3, 1, 3, '2026-03-01', '2026-03-01');
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (:p3, 3, '2026-05-01', '2026-06-05')
RETURNING sheet_id AS s3 \gset
BEGIN;
CREATE TEMP TABLE seen3 AS SELECT coalesce(max(violation_id), 0) AS last FROM wagecheck.violation;
-- three lines in one statement: 李娜 and 刘洋 are not on LY-003's roster, each recorded
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (:s3, 1, 20, 4000, 0, 4000), (:s3, 2, 21, 4200, 0, 4200), (:s3, 5, 22, 4400, 0, 4400);
SELECT rule_code, subject_kind, details->>'worker' AS worker, details->>'amount' AS amount
  FROM wagecheck.violation WHERE violation_id > (SELECT last FROM seen3) ORDER BY violation_id;
-- 李娜 put on the roster in the same transaction: her payment is not RN01 any more
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on)
VALUES (:p3, 2, 3, '2026-03-01', '2026-03-01');
TRUNCATE seen3;
INSERT INTO seen3 SELECT max(violation_id) FROM wagecheck.violation;
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, net, '2026-06-15 09:00+08', 'account', CASE worker_id WHEN 1 THEN '6228481234567890003'
       WHEN 2 THEN '6228481234567890011' ELSE '6228481234567890045' END
  FROM wagecheck.pay_line WHERE sheet_id = :s3 ORDER BY worker_id;
SELECT rule_code, subject_kind, details->>'worker' AS worker, details->>'amount' AS amount
  FROM wagecheck.violation WHERE violation_id > (SELECT last FROM seen3) ORDER BY violation_id;
-- 张伟's registered card withdrawn in the same transaction: a payment into it is WP04 now
UPDATE wagecheck.worker SET wage_card = NULL WHERE worker_id = 1;
TRUNCATE seen3;
INSERT INTO seen3 SELECT max(violation_id) FROM wagecheck.violation;
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, 1, '2026-06-16 09:00+08', 'account', '6228481234567890003'
  FROM wagecheck.pay_line WHERE sheet_id = :s3 AND worker_id IN (1, 2) ORDER BY worker_id;
SELECT rule_code, details->>'worker' AS worker, details->>'detail' AS detail
  FROM wagecheck.violation WHERE violation_id > (SELECT last FROM seen3) ORDER BY violation_id;
ROLLBACK;
-- reject mode: the statement is refused, naming its offending row (the second of three)
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = :p3;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (:s3, 1, 20, 4000, 0, 4000), (:s3, 5, 22, 4400, 0, 4400), (:s3, 1, 1, 200, 0, 200);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (:s3, 1, 20, 4000, 0, 4000);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, v.amount, '2026-06-15 09:00+08', 'account', v.card
  FROM wagecheck.pay_line, (VALUES (1, 100, '6228481234567890003'), (2, 200, '6228481234567890029'),
                                   (3, 300, '6228481234567890003')) v(n, amount, card)
 WHERE sheet_id = :s3 ORDER BY v.n;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS lines, (SELECT count(*) FROM wagecheck.wage_payment y JOIN wagecheck.pay_line l USING (line_id)
                            WHERE l.sheet_id = :s3) AS payments
  FROM wagecheck.pay_line WHERE sheet_id = :s3;

-- the accounts of the projects of a statement's new lines and payments are read with the
-- lines (locked as AC05 locks them, in the same query): in one statement of two projects'
-- rows only the closed project's are AC05; its account reopened in the same transaction,
-- the next statement sees it open
BEGIN;
UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = :p3;
CREATE TEMP TABLE seen5 AS SELECT max(violation_id) AS last FROM wagecheck.violation;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (2, 4, 1, 100, 0, 100), (:s3, 2, 1, 100, 0, 100), (2, 5, 1, 100, 0, 100);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, 1, '2026-07-20 09:00+08', 'account', '6228481234567890003'
  FROM wagecheck.pay_line WHERE days = 1 AND payable = 100 ORDER BY line_id;
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, 2, '2026-07-20 10:00+08', 'account', '6228481234567890003'
  FROM wagecheck.pay_line WHERE days = 1 AND payable = 100 AND sheet_id = 2 ORDER BY line_id LIMIT 1;
SELECT rule_code, subject_kind, v.project_id, details->>'amount' AS amount
  FROM wagecheck.violation v WHERE violation_id > (SELECT last FROM seen5) AND rule_code = 'AC05' ORDER BY violation_id;
UPDATE wagecheck.wage_account SET closed_on = NULL WHERE account_id = 2;
TRUNCATE seen5;
INSERT INTO seen5 SELECT max(violation_id) FROM wagecheck.violation;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (2, 4, 1, 100, 0, 100), (:s3, 2, 1, 100, 0, 100);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card)
SELECT line_id, 3, '2026-07-20 11:00+08', 'account', '6228481234567890003'
  FROM wagecheck.pay_line WHERE days = 1 AND payable = 100 AND sheet_id = 2 ORDER BY line_id LIMIT 1;
SELECT count(*) AS ac05 FROM wagecheck.violation v WHERE violation_id > (SELECT last FROM seen5) AND rule_code = 'AC05';
ROLLBACK;

-- the trigger function refuses to be called any other way
SELECT wagecheck.enforce();
\echo :LAST_ERROR_SQLSTATE

DROP EXTENSION wagecheck CASCADE;
