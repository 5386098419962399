-- The domain schema: every table is there, commented, registered for pg_dump
-- (with its identity sequence), and its constraints refuse bad rows.
CREATE EXTENSION wagecheck;
\set VERBOSITY terse
\set SHOW_CONTEXT never

-- every table of the contract exists and is commented
SELECT t AS "table", to_regclass('wagecheck.' || t) IS NOT NULL AS exists,
       obj_description(to_regclass('wagecheck.' || t), 'pg_class') IS NOT NULL AS commented
  FROM unnest(ARRAY['enterprise', 'project', 'subcontract', 'worker', 'roster', 'attendance',
                    'wage_account', 'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                    'wage_payment', 'guarantee_deposit', 'violation']) AS t;
CREATE TEMP TABLE domain_tables AS
SELECT to_regclass('wagecheck.' || t) AS rel
  FROM unnest(ARRAY['enterprise', 'project', 'subcontract', 'worker', 'roster', 'attendance',
                    'wage_account', 'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                    'wage_payment', 'guarantee_deposit', 'violation']) AS t;

-- identifier columns use the identifier types
SELECT a.attrelid::regclass AS "table", a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a JOIN domain_tables d ON d.rel = a.attrelid
 WHERE a.atttypid IN ('wagecheck.resident_id'::regtype, 'wagecheck.credit_code'::regtype,
                      'wagecheck.bank_card'::regtype, 'wagecheck.division_code'::regtype)
 ORDER BY 1, 2;

-- no column of money is anything but numeric(14,2)
SELECT a.attrelid::regclass AS "table", a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a JOIN domain_tables d ON d.rel = a.attrelid
 WHERE a.attnum > 0
   AND a.attname ~ '(amount|payable|deductions|net|value|balance|rate)'
   AND format_type(a.atttypid, a.atttypmod) <> 'numeric(14,2)';

-- every table and every identity sequence is registered with pg_extension_config_dump
SELECT count(*) FILTER (WHERE x.oid IN (SELECT rel FROM domain_tables)) AS tables,
       count(*) FILTER (WHERE x.oid IN (SELECT pg_get_serial_sequence(d.rel::text, a.attname)::regclass
                                          FROM domain_tables d JOIN pg_attribute a ON a.attrelid = d.rel
                                         WHERE a.attidentity <> '')) AS identity_sequences
  FROM pg_extension e, unnest(e.extconfig) AS x(oid)
 WHERE e.extname = 'wagecheck';

-- ids are bigint identity columns named <thing>_id
SELECT a.attrelid::regclass AS "table", a.attname
  FROM pg_attribute a JOIN domain_tables d ON d.rel = a.attrelid
 WHERE a.attidentity <> '' AND (a.atttypid <> 'bigint'::regtype OR a.attname !~ '_id$')
 ORDER BY 1;

-- a small valid world
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on)
VALUES ('LY-2026-001', '北城新区安置房一期', '371302', 'housing', 'government', 1, 2, '2026-03-01');

-- constraints hold (23514 check, 23505 unique, 23503 foreign key, 23502 not null)
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
VALUES ('LY-2026-002', 'x', '371302', 'railway', 'government', 1, 2);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
VALUES ('LY-2026-002', 'x', '371302', 'housing', 'private', 1, 2);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
VALUES ('LY-2026-001', 'x', '371302', 'housing', 'other', 1, 2);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, enforcement_mode)
VALUES ('LY-2026-003', 'x', '371302', 'housing', 'other', 1, 99, 'reject');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, enforcement_mode)
VALUES ('LY-2026-003', 'x', '371302', 'housing', 'other', 1, 2, 'lenient');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on, planned_end_on)
VALUES ('LY-2026-003', 'x', '371302', 'housing', 'other', 1, 2, '2026-05-01', '2026-04-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
VALUES (1, '农业银行临沂分行', '15-372101040012345', '2026-03-05');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
VALUES (1, '建设银行临沂分行', '37050168620100001234', '2026-03-06');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'in', 0, 'labour_cost', now());
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'sideways', 10, 'labour_cost', now());
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on)
VALUES (1, '2026-04-15', 100000, '2026-04-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on)
VALUES (1, 2, '2026-04-02', '2026-05-01');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.worker (resident_id, name) VALUES ('371302199001011233', '');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.worker (resident_id, name) VALUES ('371302199001011234', '李娜');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES ('371302199001011233', '李娜', '6228481234567890012');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on)
VALUES (1, 'gold', 1000, '2026-03-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id) VALUES ('bogus', 'project', '1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.violation (rule_code, subject_kind) VALUES ('AC03', 'project');
\echo :LAST_ERROR_SQLSTATE

-- the valid world is still the only data
SELECT (SELECT count(*) FROM wagecheck.project) AS projects,
       (SELECT count(*) FROM wagecheck.wage_account) AS accounts,
       (SELECT count(*) FROM wagecheck.account_txn) AS txns;

DROP EXTENSION wagecheck CASCADE;
