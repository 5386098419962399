-- Nothing that cannot be judged gets in: every numeric column refuses NaN and infinity,
-- every date and time column infinity and anything outside 2000-2099 (Beijing time), each
-- with a message naming the column; a case is not closed out on a NaN repayment; a sub-fen
-- amount, a balance overflow and an age at infinity say what is wrong.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

-- 1. Every numeric, float, date and timestamp column of every wagecheck table but the
--    derived ones (listed below: kept by triggers from the guarded inputs) (a column
--    added later is tried too), each with NaN/Infinity/-Infinity or infinity/-infinity/
--    4713 BC/294276 AD, written into a copy of its table that has the table's checks and no
--    NOT NULL, triggers or keys (a check that refuses even a plausible value of the column
--    alone, such as lifted_on paired with its reason, is set aside on the copy). Each value
--    must be refused by the column's own guard <table>_<column>_finite/_positive/_plausible
--    or an older check of the column alone (<table>_<column>_check, which PostgreSQL runs
--    first: checks run in name order) with 23514, or by its type (22003: a numeric with a
--    scale holds no infinity). Listed: every other outcome, and the placeholder
--    rule_scan.scanned_to keeps by design (accepted).
CREATE FUNCTION pg_temp.probe() RETURNS TABLE (col text, value text, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    v text;
    st text;
    cn text;
    probe text;
    last_table name := '';
    nn name;
    good text;
BEGIN
    FOR r IN SELECT c.relname AS tab, a.attname AS att, t.typcategory AS cat,
                    format_type(a.atttypid, a.atttypmod) AS ty
               FROM pg_class c
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
               JOIN pg_type t ON t.oid = CASE WHEN (SELECT typtype FROM pg_type WHERE oid = a.atttypid) = 'd'
                                              THEN (SELECT typbasetype FROM pg_type WHERE oid = a.atttypid)
                                              ELSE a.atttypid END
              WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p')
                AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'derived (%'
                AND (t.typcategory = 'N' AND t.typname IN ('numeric', 'float4', 'float8')
                     OR t.typcategory = 'D')
              ORDER BY 1, a.attnum
    LOOP
        IF r.tab <> last_table THEN
            IF probe IS NOT NULL THEN
                EXECUTE format('DROP TABLE %I', probe);
            END IF;
            probe := 'probe_' || r.tab;
            EXECUTE format('CREATE TEMP TABLE %I (LIKE wagecheck.%I INCLUDING CONSTRAINTS)', probe, r.tab);
            FOR nn IN SELECT attname FROM pg_attribute
                       WHERE attrelid = probe::regclass AND attnum > 0 AND attnotnull LOOP
                EXECUTE format('ALTER TABLE %I ALTER COLUMN %I DROP NOT NULL', probe, nn);
            END LOOP;
            last_table := r.tab;
        END IF;
        good := CASE r.cat WHEN 'N' THEN '1' ELSE '2021-01-01 00:00:00+08' END;
        LOOP
            BEGIN
                EXECUTE format('INSERT INTO %I (%I) VALUES ($1::%s)', probe, r.att, r.ty) USING good;
                EXIT;
            EXCEPTION WHEN check_violation THEN
                GET STACKED DIAGNOSTICS cn = CONSTRAINT_NAME;
                EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', probe, cn);
            END;
        END LOOP;
        FOREACH v IN ARRAY CASE r.cat WHEN 'N' THEN ARRAY['NaN', 'Infinity', '-Infinity']
                                      ELSE ARRAY['infinity', '-infinity', '4713-01-01 BC', '294276-01-01'] END LOOP
            BEGIN
                EXECUTE format('INSERT INTO %I (%I) VALUES ($1::%s)', probe, r.att, r.ty) USING v;
                st := 'accepted';
                cn := NULL;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME;
            END;
            col := r.tab || '.' || r.att;
            value := v;
            outcome := st || coalesce(' ' || nullif(cn, ''), '');
            IF (st = '23514' AND cn IN (r.tab || '_' || r.att || '_finite', r.tab || '_' || r.att || '_positive',
                                        r.tab || '_' || r.att || '_plausible', r.tab || '_' || r.att || '_check'))
               OR (st = '22003' AND r.cat = 'N' AND v LIKE '%Infinity' AND r.ty LIKE 'numeric(%')
            THEN
                outcome := 'refused';
            END IF;
            RETURN NEXT;
        END LOOP;
    END LOOP;
    EXECUTE format('DROP TABLE %I', probe);
END $$;
-- the derived tables, not tried: each is written by wagecheck's triggers alone
SELECT c.relname AS derived, has_table_privilege('wagecheck_admin', c.oid, 'INSERT') AS admin_writes
  FROM pg_class c
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p')
   AND obj_description(c.oid, 'pg_class') LIKE 'derived (%'
 ORDER BY 1;
CREATE TEMP TABLE tried AS SELECT * FROM pg_temp.probe();
SELECT count(DISTINCT col) > 100 AS many_columns, count(*) FILTER (WHERE outcome = 'refused') > 400 AS many_refused
  FROM tried;
-- rule_scan's placeholder, accepted by design; nothing else may appear
SELECT col, value, outcome FROM tried
 WHERE outcome <> 'refused'
    OR (col, value) IN (('rule_scan.scanned_to', '-infinity'))
 ORDER BY 1, 2;

-- 2. The same guards on the tables themselves, with their messages.
INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card) VALUES
    (1, '371302198503122131', '张伟', '6228481234567890003');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on)
VALUES (1, 1, 3, '2020-09-01', '2020-09-01');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on)
VALUES (1, 1, '农业银行临沂分行', '372101040012345', '2020-09-05');
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 1, 'in', 20000, '9558800001000000001', 'labour_cost', '2021-01-08 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on)
VALUES (1, 1, 3, '2020-11-01', '2020-12-05');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net)
VALUES (1, 1, 1, 25, 6000, 0, 6000);
SELECT pg_temp.try($$UPDATE wagecheck.project SET contract_value = 'NaN' WHERE project_id = 1$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on)
                     VALUES (1, 'cash', 'NaN', '2020-09-01')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on)
                     VALUES (1, 'cash', 'Infinity', '2020-09-01')$$);
SELECT pg_temp.try(format($$INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account,
                                                               purpose, booked_at)
                            VALUES (1, 'in', 100, '9558800001000000001', 'labour_cost', %L)$$, v))
  FROM unnest(ARRAY['infinity', '-infinity', '4713-01-01 00:00:00+08 BC', '294276-01-01 00:00:00+08']) v;
SELECT pg_temp.try($$INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card)
                     VALUES (1, 6000, 'infinity', '6228481234567890003')$$);
-- a numeric column's range check runs after its guard (checks run in name order)
SELECT pg_temp.try($$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (1, 1, '2020-11-02', 'NaN')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (1, 1, '2020-11-02', 25)$$);
SELECT pg_temp.try($$UPDATE wagecheck.project SET labour_share = 'NaN' WHERE project_id = 1$$);
SELECT pg_temp.try($$UPDATE wagecheck.project SET created_at = '-infinity' WHERE project_id = 1$$);
SELECT pg_temp.try($$UPDATE wagecheck.roster SET start_on = '1999-12-31' WHERE worker_id = 1$$);
-- triggers that count from a date refuse it first, with the check's own message: a complaint's
-- acceptance deadline from its receipt, a listing's end from its start; a holiday's day
SELECT pg_temp.try(format($$INSERT INTO wagecheck.complaint (channel, complainant_name, workers_count, project_id,
                                                             summary, received_at)
                            VALUES ('hotline_12333', '张三丰', 1, 1, '工资未付', %L)$$, v))
  FROM unnest(ARRAY['infinity', '4713-01-01 00:00:00+08 BC', '294276-01-01 00:00:00+08']) v;
SELECT pg_temp.try(format($$INSERT INTO wagecheck.dishonest_listing (enterprise_id, listed_on, reason)
                            VALUES (2, %L, '拖欠工资')$$, v))
  FROM unnest(ARRAY['infinity', '4713-01-01 BC', '294276-01-01']) v;
SELECT pg_temp.try(format($$INSERT INTO wagecheck.holiday VALUES (%L, 'off', '试')$$, v))
  FROM unnest(ARRAY['infinity', '1999-12-31', '10000-01-01']) v;
-- the edges: 2000-01-01 00:00 to 2099-12-31 24:00, Beijing time
SELECT v, pg_temp.try(format($$UPDATE wagecheck.project SET created_at = %L WHERE project_id = 2$$, v))
  FROM unnest(ARRAY['1999-12-31 23:59:59.999999+08', '2000-01-01 00:00:00+08', '1999-12-31 16:00:00+00',
                    '2099-12-31 23:59:59.999999+08', '2100-01-01 00:00:00+08']) v;
SELECT v, pg_temp.try(format($$UPDATE wagecheck.project SET notice_board_on = %L WHERE project_id = 2$$, v))
  FROM unnest(ARRAY['1999-12-31', '2000-01-01', '2099-12-31', '2100-01-01']) v;

-- 3. 不解决不销账: a NaN repayment is refused; and were one written past the check, the case
--    still could not be closed out on it (NaN sorts above every number).
INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES (1, 'LSRS', 'inspection', 1, 5, 25000, '2020-12-28');
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 5000, '2021-01-10');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 'NaN', '2021-01-11')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 20000, 'infinity')$$);
-- a case's filing date gives its number's year: refused first with the check's own message
SELECT pg_temp.try(format($$INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected,
                                                               amount_owed, filed_on)
                            VALUES ('LSRS', 'inspection', 1, 5, 25000, %L)$$, v))
  FROM unnest(ARRAY['infinity', '4713-01-01 BC', '294276-01-01']) v;
BEGIN;
ALTER TABLE wagecheck.case_repayment DROP CONSTRAINT case_repayment_amount_finite;
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 'NaN', '2021-01-11');
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'repaid', NULL, '兰山监察员', '2021-01-12 12:00')$$);
ROLLBACK;
SELECT status FROM wagecheck.case_ledger WHERE case_id = 1;

-- 4. Messages. An inflow of 0.004 yuan rounds to 0.00 in numeric(14,2):
SELECT pg_temp.try($$INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account,
                                                        purpose, booked_at)
                     VALUES (1, 'in', 0.004, '9558800001000000001', 'labour_cost', '2021-01-09 10:00')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account,
                                                        purpose, booked_at)
                     VALUES (1, 'in', -5, '9558800001000000001', 'labour_cost', '2021-01-09 10:00')$$);
-- a balance beyond numeric(14,2): the account and the amounts, no internal statement as context
\set SHOW_CONTEXT always
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'in', 999999999999.99, '9558800001000000001', 'labour_cost', '2021-01-09 10:00');
\echo :LAST_ERROR_SQLSTATE
\set SHOW_CONTEXT errors
SELECT balance FROM wagecheck.wage_account WHERE account_id = 1;
-- age at an infinite date
SELECT wagecheck.age('371302198503122131', 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.age('371302198503122131', '-infinity');
SELECT wagecheck.age('371302198503122131', '2026-03-12') AS age;

-- 5. An attached table has no such checks: the enforcing trigger refuses what it cannot judge.
CREATE SCHEMA legacy;
CREATE TABLE legacy.zhxx (zh varchar(32) PRIMARY KEY, xmbh text NOT NULL, gsrq date, xhrq date);
INSERT INTO legacy.zhxx VALUES ('15230101040012345', 'LS-02', NULL, NULL);
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}');
SELECT pg_temp.try($$UPDATE legacy.zhxx SET gsrq = '2021-01-01', xhrq = 'infinity'$$);
SELECT pg_temp.try($$UPDATE legacy.zhxx SET gsrq = '-infinity', xhrq = '2021-03-01'$$);
SELECT pg_temp.try($$UPDATE legacy.zhxx SET gsrq = '2021-01-01', xhrq = '2021-03-01'$$);
CREATE TABLE legacy.yhls (lsh text PRIMARY KEY, zh text NOT NULL, jyje numeric NOT NULL);
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"id": "lsh", "account": "zh", "amount": "jyje"}');
SELECT pg_temp.try($$INSERT INTO legacy.yhls VALUES ('1', '372101040012345', 'NaN')$$);
SELECT pg_temp.try($$INSERT INTO legacy.yhls VALUES ('2', '372101040012345', '-Infinity')$$);

DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
