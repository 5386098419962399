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

-- what the keyed path leaves to the statements: the balances of two movements in one statement
-- (their outflows are judged by key); a transaction of REPEATABLE READ (neither); the balance of
-- an account with a trigger of its own on UPDATE (which then fires as before), and without it
-- again
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
COMMIT;
CREATE TRIGGER audit AFTER UPDATE ON wagecheck.wage_account FOR EACH ROW EXECUTE FUNCTION fx.audit();
SELECT fx.pay(14, 2, 'out', 1000, fx.card(3), '工人3', 'wage', '2026-03-13 11:00');
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

-- a closed account (AC05), by key: refused in reject mode
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-03-01', closed_on = '2026-04-05' WHERE account_id = 2;
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 71;
SELECT fx.pay(16, 2, 'in', 100, '8888', '临沂城投', 'labour_cost', '2026-04-06 10:00');
SELECT * FROM fx.check();

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
