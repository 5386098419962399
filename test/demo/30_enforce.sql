-- Enforcement: a project's dedicated wage account, a rejected illegal transfer, and the same transfer recorded in alert mode
-- Wages on a construction project leave the dedicated account (农民工工资专用账户) only as pay
-- into the own registered card of a worker on the project's real-name roster. wagecheck's C
-- trigger checks every movement as it arrives.
SET datestyle = 'ISO, YMD';
SET search_path = public, wagecheck;   -- the identifier types' operators live in wagecheck
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor'),
    ('91371311MA3P2K8H07', '兰山劳务服务有限公司', 'labour_company');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id,
                               contract_value, contract_signed_on, labour_share, start_on, status)
SELECT 'LY-2026-031', '北城新区安置房二期', '371302', 'housing', 'government', e1.enterprise_id, e2.enterprise_id,
       36000000, '2026-02-20', 0.22, '2026-03-01', 'under_construction'
  FROM wagecheck.enterprise e1, wagecheck.enterprise e2
 WHERE e1.credit_code = '91371300MA3C8Q5N8C' AND e2.credit_code = '91371302MA3N0L6GXQ';
-- Workers register by real name with their own wage card (dirty input is normalised).
INSERT INTO wagecheck.worker (resident_id, name, phone, wage_card) VALUES
    ('371302198503122131', '张伟', '13805391234', '6228 4812 3456 7890 003'),
    ('３７１３０２１９９００１０１１２３３', '李娜', '13905392345', '6228-4812-3456-7890-011'),
    ('371302197805224550', '王强', '13605393456', '6228481234567890029');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, wage_basis, wage_rate, start_on)
SELECT p.project_id, w.worker_id, e.enterprise_id, '2026-03-01', 'daily', 240, '2026-03-01'
  FROM wagecheck.project p, wagecheck.worker w, wagecheck.enterprise e
 WHERE p.code = 'LY-2026-031' AND w.name IN ('张伟', '李娜', '王强') AND e.credit_code = '91371311MA3P2K8H07';
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT project_id, '农业银行临沂分行', '15230101040031001', '2026-03-05' FROM wagecheck.project WHERE code = 'LY-2026-031';
SELECT w.name, wagecheck.mask(w.resident_id) AS resident_id, wagecheck.mask(w.wage_card) AS wage_card, r.wage_rate
  FROM wagecheck.roster r JOIN wagecheck.worker w USING (worker_id) ORDER BY w.worker_id;

-- The owner pays the month's labour cost in; wages go out to the workers' own cards.
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
SELECT a.account_id, v.direction, v.amount, v.cp, v.name, v.purpose, v.at::timestamptz
  FROM wagecheck.wage_account a,
       (VALUES ('in', 60000.00, '9558800001000000001', '临沂城投建设有限公司', 'labour_cost', '2026-04-08 10:00+08'),
               ('out', 6240.00, '6228481234567890003', '张伟', 'wage', '2026-04-15 09:00+08'),
               ('out', 5760.00, '6228481234567890011', '李娜', 'wage', '2026-04-15 09:01+08'),
               ('out', 6000.00, '6228481234567890029', '王强', 'wage', '2026-04-15 09:02+08'))
       AS v(direction, amount, cp, name, purpose, at)
 WHERE a.account_no = '15230101040031001';
SELECT a.account_no, a.balance, count(t.*) AS movements
  FROM wagecheck.wage_account a JOIN wagecheck.account_txn t USING (account_id) GROUP BY 1, 2;

-- The contractor tries to move 30,000 to a materials supplier out of the wage account:
-- rejected (AC03, SQLSTATE WC001), with what a clerk needs to know.
\set VERBOSITY verbose
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
SELECT account_id, 'out', 30000, '37050168620100009999', '沂河建材有限公司', 'transfer', '2026-04-16 14:00+08'
  FROM wagecheck.wage_account WHERE account_no = '15230101040031001';
-- A "wage" into a card that is not the worker's own registered card: rejected too (WP04, WC002).
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
SELECT account_id, 'out', 6000, '6217000000000000004', '王强', 'wage', '2026-04-16 14:05+08'
  FROM wagecheck.wage_account WHERE account_no = '15230101040031001';
\set VERBOSITY default

-- An existing bank feed must not fail on one bad row: the project switches to alert mode.
-- The same transfer is now accepted and recorded as a violation, which the alert engine
-- turns into a key (K) alert with a rectification deadline.
UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE code = 'LY-2026-031';
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
SELECT account_id, 'out', 30000, '37050168620100009999', '沂河建材有限公司', 'transfer', '2026-04-16 14:00+08'
  FROM wagecheck.wage_account WHERE account_no = '15230101040031001';
SELECT rule_code, subject_kind, subject_id, details->>'message' AS message, details->>'amount' AS amount
  FROM wagecheck.violation ORDER BY violation_id;
SELECT account_no, balance FROM wagecheck.wage_account WHERE account_no = '15230101040031001';

-- Closing the account is refused before the 30-day public notice ends (AC05).
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE code = 'LY-2026-031';
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-06-01', closed_on = '2026-06-15'
 WHERE account_no = '15230101040031001';

-- The same C trigger guards a legacy table of a bank's system (pinyin columns).
CREATE TABLE public.yhls (lsh text PRIMARY KEY, zh text, jdbz char(1), jyje numeric(16,2), dfzh text, zy text);
COMMENT ON TABLE public.yhls IS '银行流水（旧系统）';
SELECT wagecheck.attach('public.yhls', 'account_txn',
    '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy"}',
    'reject');
SELECT "table", kind, mode, columns FROM wagecheck.attached WHERE NOT builtin;
INSERT INTO public.yhls VALUES ('20260420-0007', '15230101040031001', 'D', 2000.00, NULL, '现金');
