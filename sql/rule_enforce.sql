-- Rules AC06 (dedicated account overdrawn) and PS01 (pay-sheet line does not add up):
-- the violations the enforcing trigger records in alert mode become alerts, the
-- evaluators find the same conditions in rows that reached the tables without the
-- trigger; and every rule code the trigger can record has a rule.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['AC06', 'PS01']);
SELECT code, tier, once, subject_kind, name_zh, name_en, params, evaluator
  FROM wagecheck.rule WHERE code IN ('AC06', 'PS01') ORDER BY code;
-- P30 in alert mode, P31 in reject mode, P32 in alert mode (its bank feed loaded without the trigger)
SELECT fx.project(30, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(31, '371311', '2026-01-05', '2025-12-01');
SELECT fx.project(32, '371302', '2026-01-05', '2025-12-01');
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 31;
SELECT fx.worker(i) FROM generate_series(1, 3) i;
SELECT fx.roster(30, 1, '2026-01-05');
SELECT fx.roster(31, 2, '2026-01-05');
SELECT fx.roster(32, 3, '2026-01-05');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 30, '临商银行', 'A-30', '2026-01-05', '2026-01-05 10:00'),
    (2, 31, '临商银行', 'A-31', '2026-01-05', '2026-01-05 10:00'),
    (3, 32, '临商银行', 'A-32', '2026-01-05', '2026-01-05 10:00');

-- === AC06 in alert mode: 10,000 paid in on 03-02, two wages of 6,000 on 03-05 and 03-06; the
-- second overdraws the account by 2,000 and goes in, recorded as a violation; 5,000 more
-- labour cost on 03-20 brings the balance back to 3,000
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (1, 1, 'in', 10000, '8888', '临沂城投', 'labour_cost', '2026-03-02 10:00', '2026-03-02 10:00'),
    (2, 1, 'out', 6000, fx.card(1), '工人1', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (3, 1, 'out', 6000, fx.card(1), '工人1', 'wage', '2026-03-06 10:00', '2026-03-06 10:00'),
    (4, 1, 'in', 5000, '8888', '临沂城投', 'labour_cost', '2026-03-20 10:00', '2026-03-20 10:00');
SELECT account_id, balance FROM wagecheck.wage_account WHERE account_id = 1;
-- the violation as the trigger recorded it (the feed arrived as booked: date it so)
UPDATE wagecheck.violation SET occurred_at = '2026-03-06 10:00' WHERE rule_code = 'AC06';
SELECT rule_code, subject_kind, subject_id, project_id, details->>'amount' AS amount,
       details->>'sqlstate' AS sqlstate, details->>'detail' AS detail
  FROM wagecheck.violation ORDER BY violation_id;

-- === AC06 in reject mode: the overdraft is refused (WC003) and nothing is recorded
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
VALUES (5, 2, 'in', 4000, '8888', '临沂城投', 'labour_cost', '2026-03-02 10:00', '2026-03-02 10:00');
\set VERBOSITY sqlstate
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
VALUES (6, 2, 'out', 6000, fx.card(2), '工人2', 'wage', '2026-03-06 10:00', '2026-03-06 10:00');
\set VERBOSITY default
SELECT account_id, balance FROM wagecheck.wage_account WHERE account_id = 2;
SELECT count(*) AS violations_of_p31 FROM wagecheck.violation WHERE project_id = 31;

-- === AC06 found by the evaluator: P32's movements were restored without the trigger;
-- the wage of 03-09 overdraws by 1,000 until 1,500 comes in on 03-25
SET session_replication_role = replica;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (7, 3, 'in', 5000, '8888', '临沂城投', 'labour_cost', '2026-03-02 10:00', '2026-03-02 10:00'),
    (8, 3, 'out', 6000, fx.card(3), '工人3', 'wage', '2026-03-09 10:00', '2026-03-09 10:00'),
    (9, 3, 'in', 1500, '8888', '临沂城投', 'labour_cost', '2026-03-25 10:00', '2026-03-25 10:00');
RESET session_replication_role;
SELECT subject_id, project_id, level, details FROM wagecheck.eval_ac06('2026-03-10 12:00') ORDER BY 1;
SELECT subject_id FROM wagecheck.eval_ac06('2026-03-20 12:00') ORDER BY 1;  -- P30 restored
SELECT subject_id FROM wagecheck.eval_ac06('2026-03-25 12:00') ORDER BY 1;  -- P32 restored too

-- === PS01: wagecheck's own ledger refuses a line that does not add up, in alert mode too (WC020)
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 30, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
\set VERBOSITY sqlstate
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (1, 1, 1, 22, 6000, 200, 6000, '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (1, 1, 1, 22, 6000, -200, 6200, '2026-03-10 10:00');
\set VERBOSITY default
-- a line restored without the trigger: deductions of 200 not taken off (net 6,000)
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (1, 1, 1, 22, 6000, 200, 6000, '2026-03-10 10:00');
RESET session_replication_role;
-- the employer's correcting line on 03-18 (after the deadline)
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id,
                                created_at)
VALUES (2, 1, 1, 22, 6000, 200, 5800, 1, '2026-03-18 10:00');
SELECT subject_id, project_id, enterprise_id, details FROM wagecheck.eval_ps01('2026-03-10 12:00');
SELECT count(*) AS hits_after_correction FROM wagecheck.eval_ps01('2026-03-18 12:00');

-- === PS01 in alert mode on an attached legacy pay table (工资明细): the bad line goes in and
-- is recorded (its key in the legacy table is the subject)
CREATE SCHEMA legacy;
CREATE TABLE legacy.gzmx (
    id   text PRIMARY KEY,
    xmbh text NOT NULL,
    sfzh text NOT NULL,
    yfgz numeric(12,2) NOT NULL,
    kkje numeric(12,2) NOT NULL DEFAULT 0,
    sfgz numeric(12,2) NOT NULL
);
SELECT wagecheck.attach('legacy.gzmx', 'pay_line',
    '{"id": "id", "project": "xmbh", "worker": "sfzh", "payable": "yfgz", "deductions": "kkje", "net": "sfgz"}',
    'alert') IS NOT NULL AS attached;
INSERT INTO legacy.gzmx VALUES
    ('GZ-202602-001', 'P30', fx.rid('37130219800101001'), 6000, 0, 6000),
    ('GZ-202602-002', 'P30', fx.rid('37130219800101001'), 6000, 300, 6000);
UPDATE wagecheck.violation SET occurred_at = '2026-03-11 09:00' WHERE rule_code = 'PS01';
SELECT rule_code, subject_kind, subject_id, project_id, details->>'sqlstate' AS sqlstate,
       details->>'detail' AS detail
  FROM wagecheck.violation WHERE rule_code = 'PS01';

-- === the scans: deadlines are 5 working days after opening
SELECT * FROM fx.scan('2026-03-06 12:00');  -- P30's overdraft: AC06 opens (violation and evaluator)
SELECT * FROM fx.scan('2026-03-09 12:00');  -- P32's overdraft (evaluator only)
SELECT * FROM fx.scan('2026-03-10 12:00');  -- P30's own line 1 does not add up: PS01 opens
SELECT * FROM fx.scan('2026-03-11 12:00');  -- the legacy line: PS01 opens (violation only)
SELECT * FROM fx.board;
SELECT rule_code, subject_id, evidence, details->>'balance_after' AS balance_after,
       details->>'reason' AS reason
  FROM wagecheck.alert ORDER BY alert_id;
SELECT * FROM fx.scan('2026-03-13 12:00');  -- P30's AC06 deadline day: still open
SELECT * FROM fx.scan('2026-03-16 12:00');  -- past it: overdue
SELECT * FROM fx.scan('2026-03-18 12:00');  -- line 1 corrected: PS01 rectified
-- the officer confirms the rectification the scan found; P32's account is still overdrawn: refused
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'PS01' AND subject_id = '1'),
    '已以更正行补扣200元', '2026-03-18 14:00');
\set VERBOSITY sqlstate
SELECT wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'AC06' AND subject_id = '8'),
    '已整改', '2026-03-18 14:00');
\set VERBOSITY default
SELECT * FROM fx.scan('2026-03-20 12:00');  -- P30's balance restored (its violation stays a hit); the legacy line overdue
SELECT rule_code, subject_id, evidence, state FROM wagecheck.alert ORDER BY alert_id;
-- P30's overdraft now rests on its recorded violation alone, like the legacy line: the scan cannot
-- see the recorded event go away, so the officer's confirmation records the rectification
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'AC06' AND subject_id = '3'),
    '建设单位已补拨人工费用，专户余额3000元', '2026-03-20 14:00');
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'PS01' AND subject_id = 'GZ-202602-002'),
    '原系统已更正实发金额', '2026-03-20 15:00');
SELECT * FROM fx.scan('2026-03-25 12:00');  -- P32's balance restored: rectified
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'AC06' AND subject_id = '8'),
    '已补拨人工费用1500元', '2026-03-25 14:00');
SELECT * FROM fx.scan('2026-03-26 12:00');  -- nothing comes back
SELECT * FROM fx.board;
SELECT * FROM fx.history;
-- replay: as of 03-16 P30's overdraft was overdue, the others open
SELECT rule_code, subject_id, tier, state, deadline_on FROM wagecheck.alerts_as_of('2026-03-16 12:00')
 ORDER BY alert_id;
-- no alert of the reject-mode project
SELECT count(*) AS alerts_of_p31 FROM wagecheck.alert WHERE project_id = 31;

-- === every rule code the trigger records has a rule: provoke each in alert mode on P30
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at) VALUES
    (10, 1, 'out', 500, NULL, '现金', 'cash', '2026-04-01 10:00'),                 -- AC03
    (11, 1, 'out', 500, '6217000000000000001', '某人', 'wage', '2026-04-01 10:00'),  -- AC03 (nobody's card)
    (12, 1, 'out', 5000, fx.card(1), '工人1', 'wage', '2026-04-01 10:00');           -- AC06 (2,000 left before it)
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net)
VALUES (3, 1, 2, 20, 5000, 5000);                                                -- RN01 (worker 2 not on P30)
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method)
VALUES (2, 5800, '2026-04-01 10:00', 'cash');                                   -- WP04 (cash)
INSERT INTO legacy.gzmx VALUES ('GZ-202603-001', 'P30', fx.rid('37130219800101001'), 100, 0, -100);  -- PS01
UPDATE wagecheck.wage_account SET closed_on = '2026-04-02' WHERE account_id = 1;  -- AC05, once (no notice, RN01 line owed)
SELECT rule_code, subject_kind, count(*) FROM wagecheck.violation GROUP BY 1, 2 ORDER BY 1, 2;
SELECT DISTINCT v.rule_code AS without_a_rule
  FROM wagecheck.violation v
 WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule r WHERE r.code = v.rule_code);
-- and a scan turns every one of them into an alert (these violations are dated now)
SELECT fx.only(ARRAY['AC03', 'AC05', 'AC06', 'PS01', 'RN01', 'WP04']);
SELECT count(*) AS rules_scanned FROM wagecheck.scan();
SELECT v.rule_code, count(*) AS violations, count(a.alert_id) AS raised_alerts,
       count(*) FILTER (WHERE a.rule_code = v.rule_code AND a.subject_kind = v.subject_kind
                          AND a.subject_id = v.subject_id) AS same_rule_and_subject
  FROM wagecheck.violation v
  LEFT JOIN wagecheck.alert_violation av ON av.violation_id = v.violation_id
  LEFT JOIN wagecheck.alert a ON a.alert_id = av.alert_id
 GROUP BY v.rule_code ORDER BY v.rule_code;
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
DROP SCHEMA legacy CASCADE;
