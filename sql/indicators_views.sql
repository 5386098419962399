-- Indicator views on a small city whose right answers are worked out by hand below.
CREATE EXTENSION wagecheck;
SET DateStyle = ISO;
SET jit = off;      -- the views' cost estimates would JIT-compile every query of this tiny fixture
SET client_min_messages = warning;

-- Two projects: P1 (兰山区, housing, government, alert mode) and P2 (罗庄区, transport, other).
INSERT INTO wagecheck.enterprise (enterprise_id, credit_code, name, role) VALUES
  (1, '91371302MA0000001K', '临沂业主', 'owner'),
  (2, '91371302MA0000002N', '临沂建工', 'general_contractor'),
  (3, '91371311MA0000003T', '临沂劳务', 'labour_company');
INSERT INTO wagecheck.project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                               contract_value, contract_signed_on, start_on, status, enforcement_mode) VALUES
  (1, 'P1', '一号项目', '371302', 'housing', 'government', 1, 2, 10000000, '2023-12-01', '2024-01-02', 'under_construction', 'alert'),
  (2, 'P2', '二号项目', '371311', 'transport', 'other', 1, 2, 2000000, '2024-01-15', '2024-02-01', 'under_construction', 'alert');
INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card) VALUES
  (1, '371302198001010017', '甲', '6217000000000000012'),
  (2, '371302198505050020', '乙', '6217000000000000020'),
  (3, '371311199009090032', '丙', '6217000000000000038'),
  (4, '371321197512120044', '丁', '6217000000000000046');
-- W1-W3 on P1's roster from January; W4 only on P2's, from February.
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, wage_rate, start_on) VALUES
  (1, 1, 3, '2024-01-01', 300, '2024-01-01'), (1, 2, 3, '2024-01-01', 300, '2024-01-01'),
  (1, 3, 3, '2024-01-01', 300, '2024-01-01'), (2, 4, 3, '2024-02-01', 300, '2024-02-01');
-- January on P1: W1 3 days, W2 2, W3 1, W4 1 (not on P1's roster).  February: W1 2, W2 2 on P1; W4 1 on P2.
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES
  (1, 1, '2024-01-02', 8), (1, 1, '2024-01-03', 8), (1, 1, '2024-01-04', 8),
  (1, 2, '2024-01-02', 8), (1, 2, '2024-01-03', 8), (1, 3, '2024-01-02', 8), (1, 4, '2024-01-02', 8),
  (1, 1, '2024-02-19', 8), (1, 1, '2024-02-20', 8), (1, 2, '2024-02-19', 8), (1, 2, '2024-02-20', 8),
  (2, 4, '2024-02-19', 8);
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on) VALUES
  (1, 1, '建行临沂分行', '37050100000001', '2023-12-15'), (2, 2, '建行临沂分行', '37050100000002', '2024-01-20');
-- Labour cost: P1 owes 2000 for January (due 02-10, paid 02-05) and 1500 for February
-- (due 03-10, 1000 paid late on 03-20); P2 owes 300 for February (due 03-10, paid 03-08).
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES
  (1, '2024-01-01', 2000, '2024-02-10'), (1, '2024-02-01', 1500, '2024-03-10'), (2, '2024-02-01', 300, '2024-03-10');
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
  (1, 1, 'in', 2000, '37050199999999', 'labour_cost', '2024-02-05 10:00+08'),
  (2, 1, 'in', 1000, '37050199999999', 'labour_cost', '2024-03-20 10:00+08'),
  (3, 2, 'in', 300, '37050199999999', 'labour_cost', '2024-03-08 10:00+08');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on) VALUES
  (1, 1, 3, '2024-01-01', '2024-02-05'), (2, 1, 3, '2024-02-01', '2024-03-05'), (3, 2, 3, '2024-02-01', '2024-03-05');
-- January: W1 900, W2 600, W3 200 corrected to 300 by line 4; February: W1 600, W2 600; P2: W4 300.
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net) VALUES
  (1, 1, 1, 3, 900, 0, 900), (2, 1, 2, 2, 600, 0, 600), (3, 1, 3, 1, 200, 0, 200),
  (5, 2, 1, 2, 600, 0, 600), (6, 2, 2, 2, 600, 0, 600), (7, 3, 4, 1, 300, 0, 300);
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id) VALUES
  (4, 1, 3, 1, 300, 0, 300, 3);
-- Payments: January W1 900 and W2 300 (part) through the account to their own cards, W3 300 in
-- cash; February W1 600 through the account, W2 nothing; P2 W4 300 through the account.
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
  (11, 1, 'out', 900, '6217000000000000012', 'wage', '2024-02-15 09:00+08'),
  (12, 1, 'out', 300, '6217000000000000020', 'wage', '2024-02-15 09:00+08'),
  (15, 1, 'out', 600, '6217000000000000012', 'wage', '2024-03-15 09:00+08'),
  (17, 2, 'out', 300, '6217000000000000046', 'wage', '2024-03-15 09:00+08');
INSERT INTO wagecheck.wage_payment (line_id, txn_id, amount, paid_at, method, card) VALUES
  (1, 11, 900, '2024-02-15 09:00+08', 'account', '6217000000000000012'),
  (2, 12, 300, '2024-02-15 09:00+08', 'account', '6217000000000000020'),
  (4, NULL, 300, '2024-02-15 09:00+08', 'cash', NULL),
  (5, 15, 600, '2024-03-15 09:00+08', 'account', '6217000000000000012'),
  (7, 17, 300, '2024-03-15 09:00+08', 'account', '6217000000000000046');
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on) VALUES (1, 'cash', 200000, '2024-01-05');
RESET client_min_messages;

-- Expected, P1: January: labour nothing due yet (first due 02-10); wages 1800 payable, 1500 paid,
--   300 owed to W2 (run 1); 3 rostered, 4 attended, 3 on the pay sheet (W3's corrected line
--   counts once), 3 paid, W4 attended off the roster and off the pay sheet, 3/4 attendees paid,
--   2 of 3 payments through the account to own cards.
-- February: as of 02-29 2000 due and paid; 1200 payable, 600 paid, 600 owed to W2, whose run
--   is now 2 months with January as the oldest unpaid month (age 1); 1 of 2 attendees paid.
-- March (due date of February's labour cost): as of 03-31, 3500 due, 3000 paid, 500 short
--   since 03-10 (21 days); no wages for March; W1-W3 still on the roster.
-- Deposit: 2% of 10,000,000 = 200,000 required and in place.
-- P2, February: W4 rostered, attended, paid through the account; 40,000 deposit required, none in place.
\x on
SELECT * FROM wagecheck.project_month_indicators ORDER BY project_id, period;
\x off

-- Roll-ups: county and sector split the two projects, the city holds both.
SELECT county, period, projects, labour_cost_due, labour_cost_shortfall, wages_owed, workers_owed,
       longest_owed_run, workers_attended, attendees_paid, share_attendees_paid,
       share_payments_own_card_via_account, deposit_required, deposit_in_place, projects_deposit_short
  FROM wagecheck.county_month_indicators ORDER BY county, period;
SELECT city, period, projects, labour_cost_due, labour_cost_paid, labour_cost_shortfall, wages_payable,
       wages_paid, wages_owed, workers_attended, attendees_paid, share_attendees_paid
  FROM wagecheck.city_month_indicators ORDER BY city, period;
SELECT sector, period, projects, wages_owed, longest_owed_run, oldest_unpaid_age_months
  FROM wagecheck.sector_month_indicators ORDER BY sector, period;
SELECT funding, period, projects, labour_cost_shortfall, max_labour_cost_days_overdue, projects_with_shortfall
  FROM wagecheck.funding_month_indicators ORDER BY funding, period;

-- the deposit rate is a setting (per province: ALTER DATABASE ... SET wagecheck.deposit_rate)
SET wagecheck.deposit_rate = 0.03;
SELECT project_id, max(deposit_required) FROM wagecheck.project_month_indicators GROUP BY 1 ORDER BY 1;
RESET wagecheck.deposit_rate;

-- every column of every indicator view is commented; the views run with the caller's rights
SELECT c.relname, count(*) AS columns, count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented,
       obj_description(c.oid, 'pg_class') IS NOT NULL AS view_commented, c.reloptions
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind = 'v' AND c.relname ~ '_month_indicators$'
 GROUP BY c.oid, c.relname, c.reloptions ORDER BY c.relname;
DROP EXTENSION wagecheck CASCADE;
