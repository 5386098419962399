-- Movements and roster entries are judged without SPI statements: of a statement of one
-- movement, the account found, locked and read by key and its balance written by key, the
-- payee read through indexes (src/enforce/account_keyed.c); of the movements of an INSERT, the
-- outflows' matches read and locked through indexes and the unmatched ones' candidates
-- inserted by key; of roster entries added, the candidates they settle deleted by key
-- (src/alerts/outflow.c, src/enforce/direct.c). The answers are the statements' - balances,
-- refusals and violations, outflow_unmatched equal to a recomputation - and what the keyed
-- path cannot judge goes to the statements. DEBUG1 lines show which path ran.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(70, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(71, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 6) i;
SELECT fx.roster(70, 1, '2026-01-05'), fx.roster(70, 2, '2026-01-05'), fx.roster(71, 3, '2026-01-05');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 70, '临商银行', 'A-70', '2026-01-05', '2026-01-05 10:00'),
    (2, 71, '临商银行', 'A-71', '2026-01-05', '2026-01-05 10:00');

-- fx.check(): accounts whose balance is not the sum of their movements, and the candidates a
-- recomputation from the raw rows finds that outflow_unmatched lacks, and the other way round
CREATE FUNCTION fx.check() RETURNS TABLE (balances_wrong bigint, candidates_missing bigint, candidates_extra bigint)
LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM wagecheck.wage_account a
             WHERE a.balance <> (SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount ELSE -amount END), 0)
                                   FROM wagecheck.account_txn t WHERE t.account_id = a.account_id)),
           (SELECT count(*) FROM (SELECT * FROM wagecheck._outflow_unmatched_rows(NULL)
                                  EXCEPT ALL SELECT * FROM wagecheck.outflow_unmatched) x),
           (SELECT count(*) FROM (SELECT * FROM wagecheck.outflow_unmatched
                                  EXCEPT ALL SELECT * FROM wagecheck._outflow_unmatched_rows(NULL)) y) $$;
-- fx.pay(txn, account, direction, amount, card, name, purpose, at): one movement, one statement
CREATE FUNCTION fx.pay(txn bigint, account bigint, dir text, amount numeric, card text, name text,
                       purpose text, at timestamptz) RETURNS void LANGUAGE sql AS $$
    INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account,
                                       counterparty_name, purpose, booked_at, created_at)
    VALUES (txn, account, dir, amount, card, name, purpose, at, at) $$;

-- alert mode. Each one-row statement: its balance written by key; an outflow judged by key
SET client_min_messages = debug1;
SELECT fx.pay(1, 1, 'in', 20000, '8888', '临沂城投', 'labour_cost', '2026-02-09 15:00');
-- a wage to worker 1 (rostered): matched; to worker 2's card written with blanks: matched
SELECT fx.pay(2, 1, 'out', 6000, fx.card(1), '工人1', 'wage', '2026-03-05 10:00');
SELECT fx.pay(3, 1, 'out', 6000, regexp_replace(fx.card(2), '(....)', '\1 ', 'g'), '工人2', 'wage', '2026-03-05 10:00');
-- a wage to worker 3 (on P71's roster, not P70's), one to worker 4 (on no roster yet), cash,
-- and a wage received under another name (WP04): recorded
SELECT fx.pay(4, 1, 'out', 1000, fx.card(3), '工人3', 'wage', '2026-03-05 10:00');
SELECT fx.pay(5, 1, 'out', 1000, fx.card(4), '工人4', 'wage', '2026-03-05 10:00');
SELECT fx.pay(6, 1, 'out', 500, NULL, '现金', 'cash', '2026-03-05 10:00');
SELECT fx.pay(7, 1, 'out', 500, fx.card(1), '张三', 'wage', '2026-03-05 11:00');
-- more than the balance (AC06): recorded, the balance goes below zero
SELECT fx.pay(8, 1, 'out', 6000, fx.card(2), '工人2', 'wage', '2026-03-06 10:00');
RESET client_min_messages;
SELECT txn_id, project_id, card FROM wagecheck.outflow_unmatched ORDER BY 1;
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
SELECT rule_code, subject_kind, subject_id, details ->> 'amount' AS amount FROM wagecheck.violation ORDER BY violation_id;
SELECT * FROM fx.check();

-- roster entries, one a statement: worker 4 onto P70 known before his wage (txn 5 settled by
-- key), worker 5 onto P70 (no candidate to his card: nothing to settle)
SET client_min_messages = debug1;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (70, 4, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (70, 5, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
-- worker 3 onto P70 known only after his wage (txn 4 stays), with worker 6, in one statement
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at) VALUES
    (70, 3, 3, '2026-03-10', '2026-03-10', '2026-03-10 09:00'),
    (70, 6, 3, '2026-03-10', '2026-03-10', '2026-03-10 09:00');
RESET client_min_messages;
SELECT txn_id FROM wagecheck.outflow_unmatched ORDER BY 1;
SELECT * FROM fx.check();
-- more candidates to one entry's card than are settled by key (33 wages to worker 7 before he
-- is on the roster, loaded in replica mode): the statement settles them
SET session_replication_role = replica;
SELECT fx.worker(7);
SELECT count(*) AS wages FROM (SELECT fx.pay(100 + i, 1, 'out', 10, fx.card(7), '工人7', 'wage', '2026-03-07 10:00')
                                 FROM generate_series(1, 33) i) x;
UPDATE wagecheck.wage_account SET balance = balance - 330 WHERE account_id = 1;   -- (as the loader books it)
RESET session_replication_role;
SELECT count(*) AS candidates_of_worker_7 FROM wagecheck.outflow_unmatched WHERE card = fx.card(7);
SET client_min_messages = debug1;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (70, 7, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
RESET client_min_messages;
SELECT count(*) AS candidates_of_worker_7 FROM wagecheck.outflow_unmatched WHERE card = fx.card(7);
SELECT * FROM fx.check();

-- reject mode: an overdraft and a wage to a card of no worker are refused by key as by the
-- statements; the balance stays
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 70;
SELECT fx.pay(9, 1, 'in', 3000, '8888', '临沂城投', 'labour_cost', '2026-03-10 15:00');
SELECT fx.pay(10, 1, 'out', 5000, fx.card(1), '工人1', 'wage', '2026-03-11 10:00');
SELECT fx.pay(10, 1, 'out', 500, fx.luhn('622202000000099999'), '工人1', 'wage', '2026-03-11 10:00');
SELECT fx.pay(10, 1, 'out', 500, fx.card(1), '工人1', 'wage', '2026-03-11 10:00');
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;

-- two movements in one statement: their account locked, read and written by key too, their
-- outflows judged by key. What the keyed path leaves to the statements: a transaction of
-- REPEATABLE READ; the balance of an account with a trigger of its own on UPDATE (which then
-- fires as before), and without it again - of one movement and of two in a statement
CREATE TABLE fx.balance_audit (account_id bigint, old numeric, new numeric);
CREATE FUNCTION fx.audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fx.balance_audit VALUES (new.account_id, old.balance, new.balance);
    RETURN new;
END $$;
SET client_min_messages = debug1;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (11, 2, 'in', 9000, '8888', '临沂城投', 'labour_cost', '2026-03-12 10:00', '2026-03-12 10:00'),
    (12, 2, 'out', 3000, fx.card(3), '工人3', 'wage', '2026-03-12 11:00', '2026-03-12 11:00');
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fx.pay(13, 2, 'out', 1000, fx.card(3), '工人3', 'wage', '2026-03-13 10:00');
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (21, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-03-13 10:10', '2026-03-13 10:10'),
    (22, 2, 'out', 100, fx.card(3), '工人3', 'wage', '2026-03-13 10:20', '2026-03-13 10:20');
COMMIT;
CREATE TRIGGER audit AFTER UPDATE ON wagecheck.wage_account FOR EACH ROW EXECUTE FUNCTION fx.audit();
SELECT fx.pay(14, 2, 'out', 1000, fx.card(3), '工人3', 'wage', '2026-03-13 11:00');
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (23, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-03-13 11:10', '2026-03-13 11:10'),
    (24, 2, 'out', 100, fx.card(3), '工人3', 'wage', '2026-03-13 11:20', '2026-03-13 11:20');
DROP TRIGGER audit ON wagecheck.wage_account;
SELECT fx.pay(15, 2, 'out', 1000, fx.card(3), '工人3', 'wage', '2026-03-13 12:00');
RESET client_min_messages;
SELECT * FROM fx.balance_audit;
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
SELECT * FROM fx.check();

-- a CHECK constraint of one's own on the balance: the keyed write checks it as the UPDATE does
-- (the constraints it prepared before are prepared again after the ALTER)
ALTER TABLE wagecheck.wage_account ADD CONSTRAINT no_deep_overdraft CHECK (balance >= -500);
SET client_min_messages = debug1;
SELECT fx.pay(17, 2, 'out', 3200, fx.card(3), '工人3', 'wage', '2026-03-14 10:00');
SELECT fx.pay(18, 2, 'out', 500, fx.card(3), '工人3', 'wage', '2026-03-14 11:00');
RESET client_min_messages;
ALTER TABLE wagecheck.wage_account DROP CONSTRAINT no_deep_overdraft;
SELECT fx.pay(18, 2, 'in', 3200, '8888', '临沂城投', 'labour_cost', '2026-03-14 12:00');
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
SELECT * FROM fx.check();

-- a CHECK constraint calling a function of one's own: the function replaced, the keyed write
-- checks the new body (the constraints it prepared are prepared again when a function changes)
CREATE FUNCTION fx.balance_ok(b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT b >= 0';
ALTER TABLE wagecheck.wage_account ADD CONSTRAINT balance_ok CHECK (fx.balance_ok(balance));
SELECT fx.pay(19, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-03-14 13:00');
CREATE OR REPLACE FUNCTION fx.balance_ok(b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT b >= 5000';
SET client_min_messages = debug1;
SELECT fx.pay(20, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-03-14 14:00');
RESET client_min_messages;
ALTER TABLE wagecheck.wage_account DROP CONSTRAINT balance_ok;
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;

-- a closed account (AC05), by key: refused in reject mode
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-03-01', closed_on = '2026-04-05' WHERE account_id = 2;
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 71;
SELECT fx.pay(16, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-04-06 10:00');
SELECT * FROM fx.check();

-- a bank file of a day's wages, more cards than an eighth of the workers: one statement reads
-- its payees and matches its wages by one read of worker and roster each (not a probe of each
-- for each wage) and locks, reads and writes its accounts by key; its answers - violations,
-- candidates, balances - are those of the same movements of a twin project booked one a
-- statement (by probes). Workers 200-489 are on both rosters, 490-509 only from after the
-- wages (candidates), 510-519 on neither (AC03); some wages are received under another name
-- (WP04), some paid to a card written with blanks, some in cash or to an account of no worker.
SELECT fx.project(72, '371302', '2026-01-05', '2025-12-01'), fx.project(73, '371311', '2026-01-05', '2025-12-01'),
       fx.project(74, '371302', '2026-01-05', '2025-12-01');
SELECT count(*) AS workers FROM (SELECT fx.worker(i) FROM generate_series(200, 519) i) x;
SELECT count(*) AS entries FROM (SELECT fx.roster(p, i, CASE WHEN i < 490 THEN date '2026-01-06' ELSE date '2026-04-01' END)
                                   FROM generate_series(200, 509) i, (VALUES (72), (73)) v(p)) x;
ANALYZE wagecheck.worker, wagecheck.roster;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (3, 72, '临商银行', 'A-72', '2026-01-05', '2026-01-05 10:00'),
    (4, 73, '临商银行', 'A-73', '2026-01-05', '2026-01-05 10:00'),
    (5, 74, '临商银行', 'A-74', '2026-01-05', '2026-01-05 10:00');
CREATE TABLE fx.bank_file AS
SELECT n, dir, amount, cp, name, purpose, at FROM (
    SELECT 0 AS n, 'in' AS dir, 200000::numeric AS amount, '8888' AS cp, '临沂城投' AS name, 'labour_cost' AS purpose,
           timestamptz '2026-03-04 10:00' AS at
    UNION ALL
    SELECT i, 'out', 100 + i, CASE WHEN i % 50 = 0 THEN regexp_replace(fx.card(i), '(....)', '\1 ', 'g') ELSE fx.card(i) END,
           CASE WHEN i % 97 = 0 THEN '张三' ELSE '工人' || i END, 'wage', timestamptz '2026-03-05 10:00' + i * interval '1 second'
      FROM generate_series(200, 519) i
    UNION ALL
    SELECT 600 + i, 'out', 50, CASE WHEN i <= 3 THEN NULL ELSE '8888-000' || i END, '某人', CASE WHEN i <= 3 THEN 'cash' ELSE 'wage' END,
           timestamptz '2026-03-06 10:00'
      FROM generate_series(1, 6) i) f;
-- project 72: one statement (with an inflow into project 74's account: two accounts by key)
SET client_min_messages = debug1;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
SELECT 10000 + n, 3, dir, amount, cp, name, purpose, at, at FROM fx.bank_file
UNION ALL SELECT 15000, 5, 'in', 10, '8888', '临沂城投', 'labour_cost', '2026-03-04 10:00', '2026-03-04 10:00'
ORDER BY 1;
RESET client_min_messages;
-- project 73: one a statement
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT * FROM fx.bank_file ORDER BY n LOOP
        PERFORM fx.pay(20000 + f.n, 4, f.dir, f.amount, f.cp, f.name, f.purpose, f.at);
    END LOOP;
END $$;
SELECT project_id, rule_code, count(*) FROM wagecheck.violation WHERE project_id IN (72, 73) GROUP BY 1, 2 ORDER BY 1, 2;
-- the violations, candidates and balances of the two, row for row (nothing differs)
WITH v AS (SELECT project_id, rule_code, subject_id::bigint % 10000 AS n, details ->> 'amount' AS amount
             FROM wagecheck.violation WHERE project_id IN (72, 73)),
     o AS (SELECT project_id, txn_id % 10000 AS n, card FROM wagecheck.outflow_unmatched WHERE project_id IN (72, 73))
SELECT (SELECT count(*) FROM ((SELECT rule_code, n, amount FROM v WHERE project_id = 72
                               EXCEPT ALL SELECT rule_code, n, amount FROM v WHERE project_id = 73)
                              UNION ALL (SELECT rule_code, n, amount FROM v WHERE project_id = 73
                               EXCEPT ALL SELECT rule_code, n, amount FROM v WHERE project_id = 72)) x) AS violations_differ,
       (SELECT count(*) FROM ((SELECT n, card FROM o WHERE project_id = 72 EXCEPT ALL SELECT n, card FROM o WHERE project_id = 73)
                              UNION ALL (SELECT n, card FROM o WHERE project_id = 73
                               EXCEPT ALL SELECT n, card FROM o WHERE project_id = 72)) y) AS candidates_differ,
       (SELECT count(*) FROM o WHERE project_id = 72) AS candidates;
SELECT account_id, balance FROM wagecheck.wage_account WHERE account_id IN (3, 4, 5) ORDER BY 1;
SELECT * FROM fx.check();

-- the same bank file again, after roster entries were written and rolled back twenty times (a
-- loader retried, an import undone): their dead rows fill pages until a vacuum, and a table
-- measured by its pages looks many times its size. The live rows are what is read, so the
-- statement still reads worker and roster once each (not a probe of each for each wage); its
-- answers are the first file's. (No vacuum meanwhile: the pages stay.)
ALTER TABLE wagecheck.roster SET (autovacuum_enabled = false);
DO $$
BEGIN
    FOR k IN 1..20 LOOP
        BEGIN
            INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
            SELECT 74, i, 3, d, d, d FROM generate_series(200, 509) i, (VALUES (date '2026-01-06'), ('2026-01-07')) v(d);
            RAISE EXCEPTION 'undone';
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
    END LOOP;
END $$;
SELECT pg_relation_size('wagecheck.roster') > 8 * 8192 * (SELECT relpages FROM pg_class WHERE oid = 'wagecheck.roster'::regclass)
    AS roster_grown;
SET client_min_messages = debug1;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
SELECT 40000 + n, 3, dir, amount, cp, name, purpose, at + interval '1 day', at + interval '1 day' FROM fx.bank_file ORDER BY 1;
RESET client_min_messages;
WITH v AS (SELECT rule_code, subject_id::bigint AS id, details ->> 'amount' AS amount FROM wagecheck.violation WHERE project_id = 72),
     o AS (SELECT txn_id, card FROM wagecheck.outflow_unmatched WHERE project_id = 72)
SELECT (SELECT count(*) FROM ((SELECT rule_code, id - 10000, amount FROM v WHERE id BETWEEN 10000 AND 19999
                               EXCEPT ALL SELECT rule_code, id - 40000, amount FROM v WHERE id >= 40000)
                              UNION ALL (SELECT rule_code, id - 40000, amount FROM v WHERE id >= 40000
                               EXCEPT ALL SELECT rule_code, id - 10000, amount FROM v WHERE id BETWEEN 10000 AND 19999)) x)
           AS violations_differ,
       (SELECT count(*) FROM ((SELECT txn_id - 10000, card FROM o WHERE txn_id BETWEEN 10000 AND 19999
                               EXCEPT ALL SELECT txn_id - 40000, card FROM o WHERE txn_id >= 40000)
                              UNION ALL (SELECT txn_id - 40000, card FROM o WHERE txn_id >= 40000
                               EXCEPT ALL SELECT txn_id - 10000, card FROM o WHERE txn_id BETWEEN 10000 AND 19999)) y)
           AS candidates_differ,
       (SELECT count(*) FROM o WHERE txn_id >= 40000) AS candidates;
SELECT * FROM fx.check();
ALTER TABLE wagecheck.roster RESET (autovacuum_enabled);

-- a statement of movements of more accounts than are had by key (256): the first 256 in the
-- order of its rows by key, the others by the statements, each balance right
SELECT count(*) AS projects FROM (SELECT fx.project(1000 + i, '371302', '2026-01-05', '2025-12-01')
                                    FROM generate_series(1, 260) i) x;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
SELECT 1000 + i, 1000 + i, '临商银行', 'A-' || (1000 + i), '2026-01-05', '2026-01-05 10:00' FROM generate_series(1, 260) i;
SET client_min_messages = debug1;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
SELECT 30000 + i, 1000 + (i % 260) + 1, 'in', 10 + i % 7, '8888', '临沂城投', 'labour_cost', '2026-03-15 10:00', '2026-03-15 10:00'
  FROM generate_series(0, 779) i
 ORDER BY i % 3, i;
RESET client_min_messages;
SELECT count(*) AS accounts, sum(balance) AS total FROM wagecheck.wage_account WHERE account_id > 1000;
SELECT * FROM fx.check();

-- one-row movements of one account in one transaction (a loader's): each finds the account's
-- version the one before wrote without probing its index, and the index's answer when that
-- version is gone (a savepoint rolled back) or not the latest (an UPDATE of the account by a
-- statement in between). Each balance is the sum of the movements.
BEGIN;
SELECT fx.pay(16010 + i, 3, 'in', 10 * i, '8888', '临沂城投', 'labour_cost', '2026-03-17 10:00') FROM generate_series(1, 3) i;
SAVEPOINT s;
SELECT fx.pay(16014, 3, 'in', 1000, '8888', '临沂城投', 'labour_cost', '2026-03-17 10:00');
ROLLBACK TO SAVEPOINT s;
SELECT fx.pay(16015, 3, 'out', 5, fx.card(200), '工人200', 'wage', '2026-03-17 10:00');
UPDATE wagecheck.wage_account SET account_name = '专用账户' WHERE account_id = 3;
SELECT fx.pay(16016, 3, 'in', 7, '8888', '临沂城投', 'labour_cost', '2026-03-17 10:00');
SELECT fx.pay(16017, 3, 'out', 2, fx.card(200), '工人200', 'wage', '2026-03-17 10:00');
COMMIT;
SELECT count(*) AS movements FROM wagecheck.account_txn WHERE txn_id BETWEEN 16010 AND 16019;
SELECT * FROM fx.check();

-- the balances' versions stay on their page (wage_account's fillfactor): a new account, the
-- accounts of sixty more projects opened after it (a full page at fillfactor 100), and thirty
-- one-row movements of it in one transaction: a version of its row each, every one a
-- heap-only one (no index entry)
SELECT fx.project(75, '371302', '2026-01-05', '2025-12-01');
SELECT count(*) AS projects FROM (SELECT fx.project(2000 + i, '371302', '2026-01-05', '2025-12-01')
                                    FROM generate_series(1, 60) i) x;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
VALUES (6, 75, '临商银行', 'A-75', '2026-01-05', '2026-01-05 10:00');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
SELECT 2000 + i, 2000 + i, '临商银行', 'A-' || (2000 + i), '2026-01-05', '2026-01-05 10:00' FROM generate_series(1, 60) i;
SELECT reloptions FROM pg_class WHERE oid = 'wagecheck.wage_account'::regclass;
BEGIN;
SELECT count(*) FROM (SELECT fx.pay(16100 + i, 6, 'in', i, '8888', '临沂城投', 'labour_cost', '2026-03-17 10:00')
                        FROM generate_series(1, 30) i) x;
SELECT pg_stat_get_xact_tuples_updated('wagecheck.wage_account'::regclass) >= 30 AS each_updated,
       pg_stat_get_xact_tuples_hot_updated('wagecheck.wage_account'::regclass)
       = pg_stat_get_xact_tuples_updated('wagecheck.wage_account'::regclass) AS all_heap_only;
COMMIT;
SELECT balance FROM wagecheck.wage_account WHERE account_id = 6;

-- the writer's own settings: a search_path without wagecheck's schema, join_collapse_limit
-- and jit its own. Movements judged by the statements (REPEATABLE READ) run them under the
-- settings wagecheck makes for them (its names, no JIT, the joins as written), and the
-- writer's are as they were after the statement.
SET search_path = public;
SET join_collapse_limit = 5;
SET jit = on;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fx.pay(16001, 3, 'out', 100, fx.card(521), '工人521', 'wage', '2026-03-16 11:00');
SELECT fx.pay(16002, 3, 'out', 100, fx.card(200), '工人200', 'wage', '2026-03-16 11:00');
SELECT current_setting('search_path') AS search_path, current_setting('join_collapse_limit') AS join_collapse_limit,
       current_setting('jit') AS jit;
COMMIT;
SELECT txn_id, card FROM wagecheck.outflow_unmatched WHERE txn_id IN (16001, 16002) ORDER BY 1;
RESET search_path;
RESET join_collapse_limit;
RESET jit;
SELECT * FROM fx.check();

-- a table of roster entries of one's own that inherits from the roster (its rows are the
-- roster's to the statements): the payee and the match are not read by key, which would miss
-- them, but by the statements. Worker 520, new, is put on project 72's roster through it: his
-- wage is no AC03 and no candidate.
SELECT fx.worker(520);
CREATE TABLE fx.roster_more () INHERITS (wagecheck.roster);
INSERT INTO fx.roster_more (roster_id, project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (9000, 72, 520, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
SET client_min_messages = debug1;
SELECT fx.pay(16000, 3, 'out', 100, fx.card(520), '工人520', 'wage', '2026-03-16 10:00');
RESET client_min_messages;
SELECT count(*) AS violations FROM wagecheck.violation WHERE subject_id = '16000';
SELECT count(*) AS candidates FROM wagecheck.outflow_unmatched WHERE txn_id = 16000;
SELECT * FROM fx.check();
DROP TABLE fx.roster_more;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
