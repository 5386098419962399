-- Who may see what, role by role: row-level security by division and sector with
-- officers' scopes in wagecheck.officer_scope; analysts never see a full ID or card.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_wc_admin, regress_wc_inspector, regress_wc_housing, regress_wc_lanshan,
    regress_wc_analyst, regress_wc_nobody;
RESET client_min_messages;
CREATE ROLE regress_wc_admin LOGIN IN ROLE wagecheck_admin;
CREATE ROLE regress_wc_inspector LOGIN IN ROLE wagecheck_inspector;
CREATE ROLE regress_wc_housing LOGIN IN ROLE wagecheck_sector;      -- city housing bureau (临沂市住建局)
CREATE ROLE regress_wc_lanshan LOGIN IN ROLE wagecheck_county;      -- 兰山区 (371302)
CREATE ROLE regress_wc_analyst LOGIN IN ROLE wagecheck_analyst;
CREATE ROLE regress_wc_nobody LOGIN;
INSERT INTO wagecheck.officer_scope (officer, division_prefix, sector, note) VALUES
    ('regress_wc_housing', '3713', 'housing', '临沂市住房和城乡建设局'),
    ('regress_wc_lanshan', '371302', NULL, '兰山区人社局');

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
-- A: housing in 兰山区; B: transport in 罗庄区; C: housing in 罗庄区
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, enforcement_mode) VALUES
    ('A-371302-housing', '兰山安置房', '371302', 'housing', 'government', 1, 2, 'alert'),
    ('B-371311-transport', '罗庄大桥', '371311', 'transport', 'soe', 1, 2, 'alert'),
    ('C-371311-housing', '罗庄学校', '371311', 'housing', 'other', 1, 2, 'alert');
INSERT INTO wagecheck.worker (resident_id, name, phone, wage_card) VALUES
    ('371302198503122131', '张伟', '13805391234', '6228481234567890003'),
    ('371302199001011233', '李娜', '13905392345', '6228481234567890011'),
    ('371302197805224550', '王强', NULL, '6228481234567890029');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES
    (1, 1, 2, '2026-03-01'), (2, 2, 2, '2026-03-01'), (3, 3, 2, '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT project_id, '农业银行', '37210104001' || project_id, '2026-03-05' FROM wagecheck.project;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
    (1, 'in', 10000, '9558800001000000001', 'labour_cost', '2026-04-08'),
    (1, 'out', 5000, '6228481234567890003', 'wage', '2026-04-15'),
    (2, 'in', 10000, '9558800001000000001', 'labour_cost', '2026-04-08'),
    (2, 'out', 5000, '6228481234567890011', 'wage', '2026-04-15'),
    (3, 'in', 10000, '9558800001000000001', 'labour_cost', '2026-04-08'),
    (3, 'out', 500, NULL, 'cash', '2026-04-15');        -- AC03 recorded (alert mode)
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on)
SELECT project_id, 2, '2026-04-01', '2026-05-05' FROM wagecheck.project;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES
    (1, 1, 5000, 0, 5000), (2, 2, 5000, 0, 5000), (3, 3, 5000, 0, 5000);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card) VALUES
    (1, 5000, '2026-04-15', '6228481234567890003'), (2, 5000, '2026-04-15', '6228481234567890011');

-- what each role reads (projects, and rows of tables that follow them)
CREATE FUNCTION pg_temp.matrix() RETURNS TABLE (projects text, workers bigint, roster bigint,
    txns bigint, lines bigint, payments bigint, violations bigint, scopes bigint)
LANGUAGE sql AS $$
    SELECT (SELECT string_agg(left(code, 1), ',' ORDER BY code) FROM wagecheck.project),
           (SELECT count(*) FROM wagecheck.worker), (SELECT count(*) FROM wagecheck.roster),
           (SELECT count(*) FROM wagecheck.account_txn), (SELECT count(*) FROM wagecheck.pay_line),
           (SELECT count(*) FROM wagecheck.wage_payment), (SELECT count(*) FROM wagecheck.violation),
           (SELECT count(*) FROM wagecheck.officer_scope)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.matrix() TO PUBLIC;
SET ROLE regress_wc_admin;
SELECT current_user, * FROM pg_temp.matrix();
SET ROLE regress_wc_inspector;
SELECT current_user, * FROM pg_temp.matrix();
SET ROLE regress_wc_housing;
SELECT current_user, * FROM pg_temp.matrix();
SET ROLE regress_wc_lanshan;
SELECT current_user, * FROM pg_temp.matrix();
RESET ROLE;

-- what each role may write
SET ROLE regress_wc_lanshan;
UPDATE wagecheck.project SET notice_board_on = '2026-03-10';          -- only its own project
UPDATE wagecheck.project SET enforcement_mode = 'reject';              -- not a column it may change
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'in', 1, 'top_up', now());
\echo :LAST_ERROR_SQLSTATE
DELETE FROM wagecheck.officer_scope;
\echo :LAST_ERROR_SQLSTATE
-- a county officer records the facts of the projects of its division: a worker by real
-- name, his roster entry, attendance, a pay sheet and line, the payment, a new project
INSERT INTO wagecheck.worker (resident_id, name, phone, wage_card) VALUES
    ('371302199203151242', '赵敏', '13705393456', '6228481234567890045');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 4, 2, '2026-05-01');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (1, 4, '2026-05-06', 8);
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 2, '2026-05-01', '2026-06-05');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES (4, 4, 1, 3000, 100, 2900);
UPDATE wagecheck.pay_line SET signed_on = '2026-06-06' WHERE line_id = 4;
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card) VALUES (4, 2900, '2026-06-15', '6228481234567890045');
UPDATE wagecheck.worker SET phone = '13705390000' WHERE name IN ('赵敏', '李娜')   -- 李娜 is on B's roster
RETURNING worker_id, name;
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('D-371302-water', '兰山水厂', '371302', 'water', 'government', 1, 2);
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT project_id, '农业银行', '372101040099', '2026-06-01' FROM wagecheck.project WHERE code LIKE 'D%';
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES ('91371302MA3MXQ5G8W', '兰山劳务有限公司', 'labour_company');
INSERT INTO wagecheck.subcontract (project_id, contractor_id, subcontractor_id, kind, value, signed_on)
SELECT 1, 2, enterprise_id, 'labour', 800000, '2026-03-01' FROM wagecheck.enterprise WHERE name = '兰山劳务有限公司';
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES (1, '2026-05-01', 60000, '2026-05-10');
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, bank, deposited_on)
VALUES (1, 'bank_letter', 90000, '农业银行', '2026-03-20');
SELECT (SELECT count(*) FROM wagecheck.subcontract) AS subcontracts,
       (SELECT count(*) FROM wagecheck.labour_cost_schedule) AS schedules,
       (SELECT count(*) FROM wagecheck.guarantee_deposit) AS deposits;
-- the enforcing trigger checks an officer's rows too (project A is in alert mode: RN01 recorded)
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (4, 2, 100, 0, 100);
-- ... and nothing outside its division (42501: row-level security), nothing deleted,
-- no payment edited, no balance or enforcement mode set
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('E-371311-water', '罗庄水厂', '371311', 'water', 'government', 1, 2);
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.project SET division = '371311' WHERE code LIKE 'A%';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (2, 4, 2, '2026-05-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (3, 3, '2026-05-06', 8);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, bank, deposited_on)
VALUES (2, 'cash', 50000, '农业银行', '2026-03-20');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES (3, '2026-05-01', 60000, '2026-05-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (2, 2, 100, 0, 100);
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.pay_line SET days = 20 WHERE line_id IN (2, 5) RETURNING line_id;   -- line 2 is B's
UPDATE wagecheck.roster SET project_id = 2 WHERE worker_id = 4;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_payment SET amount = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM wagecheck.roster WHERE worker_id = 4;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_account SET balance = 0;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id) VALUES ('RN01', 'pay_line', '1');
\echo :LAST_ERROR_SQLSTATE
SELECT current_user, * FROM pg_temp.matrix();
RESET ROLE;
SELECT rule_code, subject_kind, p.code, details->>'sqlstate' AS sqlstate
  FROM wagecheck.violation v JOIN wagecheck.project p USING (project_id)
 WHERE rule_code = 'RN01' ORDER BY violation_id;
SELECT worker_id, phone FROM wagecheck.worker ORDER BY 1;
-- a sector officer (city housing bureau): housing projects of the city, not others
SET ROLE regress_wc_housing;
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371311198807062154', '刘洋', '6228481234567890052');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (3, 5, 2, '2026-05-01');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('F-371311-housing', '罗庄安置房', '371311', 'housing', 'other', 1, 2);
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (2, 5, 2, '2026-05-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('G-371311-transport', '罗庄公路', '371311', 'transport', 'soe', 1, 2);
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.project SET sector = 'transport' WHERE code LIKE 'C%';
\echo :LAST_ERROR_SQLSTATE
-- inspectors, analysts and roles without a wagecheck role write nothing
SET ROLE regress_wc_inspector;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 2, 2, '2026-05-01');
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.pay_line SET signed_on = '2026-06-06';
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_wc_analyst;
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 2, '2026-06-01', '2026-07-05');
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_wc_nobody;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (1, 1, '2026-05-07', 8);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
CREATE TABLE public.lanshan_feed (lsh text, zh text, je numeric);
ALTER TABLE public.lanshan_feed OWNER TO regress_wc_lanshan;
SET ROLE regress_wc_lanshan;
-- only an administrator may attach the enforcing trigger (it checks as wagecheck's owner)
SELECT wagecheck.attach('public.lanshan_feed', 'account_txn', '{"id": "lsh", "account": "zh", "amount": "je"}', 'alert');
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_wc_housing;
UPDATE wagecheck.project SET status = 'under_construction';           -- A and C (housing), not B
SET ROLE regress_wc_inspector;
UPDATE wagecheck.project SET status = 'suspended';
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_wc_admin;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (2, 'in', 100, 'top_up', '2026-04-20');
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE code LIKE 'B%';
INSERT INTO wagecheck.officer_scope (officer, division_prefix) VALUES ('regress_wc_nobody', '3713');
-- the enforcing trigger still checks what an admin writes, and still records violations
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (2, 'out', 100, 'cash', '2026-04-20');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT code, status, notice_board_on, enforcement_mode FROM wagecheck.project ORDER BY code;
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;

-- analysts: masked views only; base tables with personal numbers are closed
SET ROLE regress_wc_analyst;
SELECT resident_id FROM wagecheck.worker;
\echo :LAST_ERROR_SQLSTATE
SELECT counterparty_account FROM wagecheck.account_txn;
\echo :LAST_ERROR_SQLSTATE
SELECT card FROM wagecheck.wage_payment;
\echo :LAST_ERROR_SQLSTATE
SELECT worker_id, name, resident_id, birth_year, sex, phone, wage_card FROM wagecheck.worker_masked ORDER BY 1;
SELECT txn_id, direction, amount, counterparty_account FROM wagecheck.account_txn_masked ORDER BY 1;
SELECT payment_id, card FROM wagecheck.wage_payment_masked ORDER BY 1;
-- no full ID or card number anywhere an analyst can read
SELECT count(*) AS full_numbers_seen FROM (
    SELECT resident_id AS v FROM wagecheck.worker_masked UNION ALL
    SELECT wage_card FROM wagecheck.worker_masked UNION ALL
    SELECT counterparty_account FROM wagecheck.account_txn_masked UNION ALL
    SELECT card FROM wagecheck.wage_payment_masked UNION ALL
    SELECT details::text FROM wagecheck.violation_masked) x
 WHERE v ~ '[0-9]{12,}';
SELECT string_agg(left(code, 1), ',' ORDER BY code) AS projects FROM wagecheck.project;
UPDATE wagecheck.project SET status = 'closed';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- a role without a wagecheck role sees nothing and writes nothing
SET ROLE regress_wc_nobody;
SELECT count(*) FROM wagecheck.project;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

DROP EXTENSION wagecheck CASCADE;
DROP TABLE public.lanshan_feed;
DROP ROLE regress_wc_admin, regress_wc_inspector, regress_wc_housing, regress_wc_lanshan,
    regress_wc_analyst, regress_wc_nobody;
