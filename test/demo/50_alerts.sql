-- Alerts: scanning the city, the board of open alerts and the supervision ledger (督办台账)
-- A small slice of Linyi in March 2026: three projects, a handful of workers, and the
-- defects the rules are there to catch. Every row carries the moment it became known,
-- so a scan "as of" a moment sees only what was known then.
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
INSERT INTO wagecheck.enterprise (enterprise_id, credit_code, name, role, division, created_at) VALUES
    (9001, '91371300MA3C1234XA', '临沂城投（演示）', 'owner', '371302', '2025-01-01'),
    (9002, '91371302MA3MXQ5G8W', '沂蒙建工（演示）', 'general_contractor', '371302', '2025-01-01');
INSERT INTO wagecheck.project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                               contract_value, contract_signed_on, labour_share, start_on, status,
                               notice_board_on, complaint_qr, enforcement_mode, created_at) VALUES
    (9101, 'DEMO-1', '兰山区安置房一期', '371302', 'housing', 'government', 9001, 9002, 80000000,
     '2025-12-01', 0.22, '2026-01-05', 'under_construction', '2026-01-06', 'https://qr.example/1', 'alert', '2025-12-01'),
    (9102, 'DEMO-2', '罗庄区滨河路改造', '371311', 'transport', 'soe', 9001, 9002, 30000000,
     '2026-01-20', 0.05, '2026-02-02', 'under_construction', NULL, NULL, 'alert', '2026-01-20'),
    (9103, 'DEMO-3', '河东区水厂扩建', '371312', 'water', 'other', 9001, 9002, 12000000,
     '2025-11-01', 0.15, '2025-12-01', 'under_construction', '2025-12-02', 'https://qr.example/3', 'alert', '2025-11-01');
INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card, registered_at)
SELECT 9200 + i, rid, '工人' || i, card, '2025-12-01'
  FROM (VALUES (1, '371302198503152015', '6222021234567890128'),
               (2, '371311199007224033', '621700123456789011')) v(i, rid, card);
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on, created_at)
VALUES (9101, '临商银行', 'DEMO-A-1', '2025-12-10', '2025-12-10'),
       (9103, '临商银行', 'DEMO-A-3', '2025-11-15', '2025-11-15');
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on, created_at)
VALUES (9101, 'bank_letter', 1600000, '2025-12-20', '2025-12-20');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (9101, 9201, 9002, '2026-01-05', '2026-01-05', '2026-01-05'),
       (9101, 9202, 9002, NULL, '2026-01-05', '2026-01-05');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 9101, w, d, 8, d + time '18:00'
  FROM generate_series(9201, 9202) w, generate_series('2026-01-05'::date, '2026-03-31', '1 day') d;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (9301, 9101, 9002, '2026-01-01', '2026-02-05', '2026-02-05'),
       (9302, 9101, 9002, '2026-02-01', '2026-03-05', '2026-03-05');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (9401, 9301, 9201, 22, 7200, 7200, '2026-02-05'), (9402, 9301, 9202, 22, 6800, 6800, '2026-02-05'),
       (9403, 9302, 9201, 20, 6500, 6500, '2026-03-05'), (9404, 9302, 9202, 20, 6200, 6200, '2026-03-05');
-- worker 1 is paid; worker 2's January wage is paid in cash, February's not at all
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (9401, 7200, '2026-02-12 10:00', 'account', '6222021234567890128', '2026-02-12 10:00'),
       (9403, 6500, '2026-03-12 10:00', 'account', '6222021234567890128', '2026-03-12 10:00'),
       (9402, 6800, '2026-02-12 10:00', 'cash', NULL, '2026-02-12 10:00');
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on, created_at)
VALUES (9101, '2026-03-01', 40000, '2026-03-10', '2025-12-01');
RESET client_min_messages;

-- The catalogue: every rule, its tier (G 一般, K 关键, O 舆情) and its parameters.
SELECT code, tier, escalates AS g_to_k, name_zh, name_en, params FROM wagecheck.rule ORDER BY code;

-- Scan as of 2026-03-20 (a cron job would call wagecheck.scan() every few minutes).
SELECT * FROM wagecheck.scan('2026-03-20 09:00') WHERE hits > 0;

-- Scanning again at the same moment changes nothing.
SELECT sum(opened) AS opened, sum(escalated) AS escalated, sum(cleared) AS cleared
  FROM wagecheck.scan('2026-03-20 09:00');

-- The board: live alerts by county and tier.
SELECT * FROM wagecheck.alert_board ORDER BY county, tier;

-- The supervision ledger of key alerts: unit, rule, deadline (5 working days), days overdue
-- as of the last scan, and the department that answers for it.
SELECT rule_code, rule_name_zh, unit, state, opened_at::date AS opened, deadline_on,
       days_overdue, department_zh, county
  FROM wagecheck.supervision_ledger ORDER BY county, rule_code;

-- Ten days later the contractor has paid worker 2 and recorded the notice board: the scan
-- clears what is gone and marks overdue the key alerts past their deadline (03-27).
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (9404, 6200, '2026-03-24 10:00', 'account', '621700123456789011', '2026-03-24 10:00');
UPDATE wagecheck.project SET notice_board_on = '2026-03-23' WHERE project_id = 9102;
SELECT * FROM wagecheck.scan('2026-03-30 09:00') WHERE opened + escalated + cleared + rectified > 0;
SELECT rule_code, unit, state, deadline_on, days_overdue, department_zh
  FROM wagecheck.supervision_ledger ORDER BY county, rule_code;

-- The cash payment (WP04) is an event: an officer confirms its rectification. An alert
-- whose condition still holds cannot be confirmed (SQLSTATE WC040).
SELECT alert_id, rule_code, state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'WP04' AND project_id = 9101),
    '已责令改正：今后工资一律通过专户发放至本人银行卡', '2026-03-30 15:00');
SELECT wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'AC01' AND project_id = 9102),
    '已整改', '2026-03-30 15:00');

-- Every change of an alert is an event: who, when, from, to, note.
SELECT a.rule_code, a.subject_kind || ':' || a.subject_id AS subject, a.period, e.at, e.action,
       e.from_state, e.to_state, e.to_tier, e.note
  FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 WHERE a.project_id IN (9101, 9102, 9103)
 ORDER BY a.rule_code, subject, e.event_id;

-- What was known on 2026-03-20: alerts are replayable from their events.
SELECT rule_code, subject_id, tier, state FROM wagecheck.alerts_as_of('2026-03-20 12:00')
 ORDER BY rule_code, subject_id;
