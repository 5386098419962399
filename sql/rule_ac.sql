-- Rules AC01-AC05 (dedicated wage account) on a small fixture, scanned at fixed moments.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['AC01', 'AC02', 'AC03', 'AC04', 'AC05']);
SELECT fx.project(20, '371302', '2026-02-01', '2026-01-10');
SELECT fx.project(21, '371302', '2026-02-01', '2026-01-10');
SELECT fx.project(22, '371311', '2026-02-01', '2025-12-01', sector => 'transport');
SELECT fx.project(23, '371311', '2026-02-01', '2025-12-01', sector => 'municipal');
SELECT fx.project(24, '371302', '2025-03-01', '2025-02-01', status => 'completed');
SELECT fx.project(25, '371302', '2025-03-01', '2025-02-01', status => 'completed');
UPDATE wagecheck.project SET labour_share = 0.05 WHERE project_id = 22;
UPDATE wagecheck.project SET labour_share = 0.12 WHERE project_id = 23;
SELECT fx.worker(i) FROM generate_series(1, 3) i;
SELECT fx.roster(20, 1, '2026-02-01');
SELECT fx.roster(25, 3, '2025-03-01');

-- AC01: P20 opens its account on day 30 after the contract (in time), P21 on 02-20 (late)
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, closure_notice_on,
                                    closed_on, created_at) VALUES
    (1, 20, '临商银行', 'A-20', '2026-02-09', NULL, NULL, '2026-02-09 10:00'),
    (2, 21, '临商银行', 'A-21', '2026-02-20', NULL, NULL, '2026-02-20 10:00'),
    (3, 22, '临商银行', 'A-22', '2025-12-20', NULL, NULL, '2025-12-20 10:00'),
    (4, 23, '临商银行', 'A-23', '2025-12-20', NULL, NULL, '2025-12-20 10:00'),
-- AC05: P24's account closed 19 days into its notice; P25's under notice while a wage is owed
    (5, 24, '临商银行', 'A-24', '2025-02-20', '2026-03-01', '2026-03-20', '2025-02-20 10:00'),
    (6, 25, '临商银行', 'A-25', '2025-02-20', '2026-03-01', NULL, '2025-02-20 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 25, 3, '2026-01-01', '2026-02-05', '2026-02-05 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 1, 3, 22, 5000, 5000, '2026-02-05 10:00');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (1, 5000, '2026-03-05 10:00', 'account', fx.card(3)::wagecheck.bank_card, '2026-03-05 10:00');

-- AC02: P20 owes 30,000 of labour cost for each month by the 10th; 20,000 of March's comes
-- early, the rest on 04-12 (set against the oldest period first); nothing for April by 04-10
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on, created_at) VALUES
    (20, '2026-02-01', 30000, '2026-02-10', '2026-01-10'),
    (20, '2026-03-01', 30000, '2026-03-10', '2026-01-10'),
    (20, '2026-04-01', 30000, '2026-04-10', '2026-01-10');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (1, 'in', 30000, '8888', '临沂城投', 'labour_cost', '2026-02-09 15:00', '2026-02-09 15:00'),
    (1, 'in', 20000, '8888', '临沂城投', 'labour_cost', '2026-03-09 15:00', '2026-03-09 15:00'),
    (1, 'in', 10000, '8888', '临沂城投', 'labour_cost', '2026-04-12 09:00', '2026-04-12 09:00'),
-- AC03: from P20's account on 03-05: a wage to worker 1 (on the roster, his card: fine), a
-- wage to worker 2's card (not on P20's roster) and a cash withdrawal
    (1, 'out', 6000, fx.card(1), '工人1', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (1, 'out', 5000, fx.card(2), '工人2', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (1, 'out', 2000, NULL, '现金', 'cash', '2026-03-05 10:00', '2026-03-05 10:00');

SELECT * FROM fx.scan('2026-02-09 12:00');  -- contract + 30 days: AC01 not yet for P21; AC04 for P22 (5% < 8%), not P23 (12%: the minimum itself)
SELECT * FROM fx.scan('2026-02-10 12:00');  -- day 31: AC01 for P21
SELECT * FROM fx.scan('2026-02-20 12:00');  -- P21's account opened: rectified
SELECT * FROM fx.scan('2026-03-02 12:00');  -- P25 under closure notice with a wage owed: AC05
SELECT * FROM fx.scan('2026-03-05 12:00');  -- AC03 for the two outflows; P25's wage paid
SELECT * FROM fx.scan('2026-03-10 12:00');  -- March's due date: not yet short
SELECT * FROM fx.scan('2026-03-11 12:00');  -- 10,000 short → G
SELECT * FROM fx.scan('2026-03-20 12:00');  -- P24's account closed before its notice ended: AC05
-- a province-wide override: Shandong's minimum for transport lowered to 4% → P22 clears
INSERT INTO wagecheck.rule_param_override VALUES ('AC04', '37', '{"min_share": {"housing": 0.20, "transport": 0.04, "municipal": 0.12, "water": 0.12}}');
SELECT * FROM fx.scan('2026-04-10 12:00');  -- March 31 days overdue → K
SELECT * FROM fx.scan('2026-04-11 12:00');  -- April: nothing paid → K at once
SELECT * FROM fx.scan('2026-04-12 12:00');  -- 10,000 arrives: March rectified, April still short
-- the cash withdrawal is an event (AC03 is `once`): the officer confirms its rectification
SELECT state FROM wagecheck.confirm_rectified(
    (SELECT a.alert_id FROM wagecheck.alert a JOIN wagecheck.account_txn t ON t.txn_id::text = a.subject_id
      WHERE a.rule_code = 'AC03' AND t.purpose = 'cash'), '现金已退回专户', '2026-04-12 14:00');
SELECT * FROM fx.scan('2026-04-13 12:00');  -- and it does not come back
SELECT * FROM fx.board;
SELECT * FROM fx.history;
SELECT rule_code, subject_id, details FROM wagecheck.alert WHERE rule_code IN ('AC02', 'AC05') ORDER BY alert_id;
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
