-- What wagecheck's triggers keep in a transaction's memory (TopTransactionContext and its
-- children) stays bounded however many one-row statements the transaction runs: the
-- executor states kept for the transaction (src/alerts/keyed.c), the changes it recorded
-- (src/alerts/capture.c) and what the enforcing trigger passes to the change capture
-- (src/enforce/state.c, src/enforce/payments.c).
--  1. Each input table: one-row INSERTs each in a block with an exception handler that an
--     error raised after the row rolls back (a loader skipping bad rows; psql's
--     ON_ERROR_ROLLBACK): the memory of what a rolled-back subtransaction left kept is freed
--     when it rolls back, not kept to the transaction's end (about 10 kB a row before).
--  2. A roster loaded one entry a statement, each created in an hour of its own: the changes
--     recorded keep at most a few dozen spans of moments a project, not one a statement.
--  3. Pay lines and payments rolled back by a trigger that fails between wagecheck's: what
--     the enforcing trigger kept for the others is freed by the next statement.
-- Not measured here: PostgreSQL's own combo command ids (about 50 bytes each time a row
-- version written earlier in the transaction is updated, as the summaries' rows and an
-- account's balance are a statement), which a plain UPDATE of one row a statement makes too.
-- Each line prints only whether the growth stayed under 16 kB.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SET client_min_messages = warning;
SELECT count(*) FROM (SELECT fx.project(p, '371302', '2024-01-01', '2023-12-01') FROM generate_series(70, 79) p) x;
SELECT count(*) FROM (SELECT fx.worker(i) FROM generate_series(1, 500) i) x;
SELECT count(*) FROM (SELECT fx.roster(70, i, '2024-01-01') FROM generate_series(1, 200) i) x;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
VALUES (1, 70, '临商银行', 'A-70', '2024-01-01', '2024-01-01 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 70, 3, '2024-01-01', '2024-02-10', '2024-02-10');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, payable, net, created_at)
SELECT i, 1, i, 1000000, 1000000, '2024-02-10' FROM generate_series(1, 200) i;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose,
                                   booked_at, created_at)
VALUES (1, 1, 'in', 100000000, '8888', 'labour_cost', '2024-02-09', '2024-02-09');
SELECT count(*) FROM (SELECT setval(pg_get_serial_sequence('wagecheck.' || t, c), 1000000)
  FROM (VALUES ('roster', 'roster_id'), ('pay_sheet', 'sheet_id'), ('pay_line', 'line_id'),
               ('wage_payment', 'payment_id'), ('account_txn', 'txn_id')) v(t, c)) x;

-- fx.txn_memory(): the bytes used in TopTransactionContext and the contexts under it
CREATE FUNCTION fx.txn_memory() RETURNS bigint LANGUAGE sql AS $$
    WITH c AS (SELECT m.* FROM pg_get_backend_memory_contexts()
                 WITH ORDINALITY m(name, ident, parent, level, total_bytes, total_nblocks, free_bytes,
                                   free_chunks, used_bytes, o)),
         t AS (SELECT o, level FROM c WHERE name = 'TopTransactionContext'),
         e AS (SELECT min(c.o) AS o FROM c, t WHERE c.o > t.o AND c.level <= t.level)
    SELECT sum(c.used_bytes)::bigint FROM c, t, e WHERE c.o >= t.o AND (e.o IS NULL OR c.o < e.o) $$;

-- fx.row(table, i): row i of a one-row INSERT into the input table
CREATE FUNCTION fx.row(tab text, i int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CASE tab
    WHEN 'attendance' THEN
        INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
        VALUES (70, 1 + i % 200, date '2024-01-01' + i / 200, 8, date '2024-01-01' + i / 200 + time '20:00');
    WHEN 'roster' THEN
        INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
        VALUES (71 + i % 9, 1 + i / 9, 3, '2024-01-02', '2024-01-02',
                timestamptz '2024-01-02 00:00+08' + make_interval(hours => 2 * i));
    WHEN 'pay_sheet' THEN
        INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on, created_at)
        VALUES (71 + i % 9, 1 + (i / 9) % 4, (date '2000-01-01' + make_interval(months => i / 36))::date,
                '2024-01-01', '2024-01-01');
    WHEN 'pay_line' THEN
        INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, net, created_at)
        VALUES (1, 1 + i % 200, 100, 100, '2024-02-10');
    WHEN 'wage_payment' THEN
        INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
        VALUES (1 + i % 200, 1, '2024-02-15', 'account', fx.card(1 + i % 200), '2024-02-15');
    WHEN 'account_txn' THEN
        INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account,
                                           counterparty_name, purpose, booked_at, created_at)
        VALUES (1, 'out', 10, fx.card(1 + i % 200), '工人' || (1 + i % 200), 'wage', '2024-02-12', '2024-02-12');
    END CASE;
END $$;
-- fx.rows(table, from, n): n one-row INSERTs, rows from .. from + n - 1; n
CREATE FUNCTION fx.rows(tab text, f int, n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN f .. f + n - 1 LOOP
        PERFORM fx.row(tab, i);
    END LOOP;
    RETURN n;
END $$;
-- fx.rows_undone(table, from, n): n one-row INSERTs, each rolled back by an error after it; n
CREATE FUNCTION fx.rows_undone(tab text, f int, n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN f .. f + n - 1 LOOP
        BEGIN
            PERFORM fx.row(tab, i);
            RAISE EXCEPTION 'undone';
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
    END LOOP;
    RETURN n;
END $$;
-- fx.mark(): the memory now, remembered for fx.grown(); fx.grown(): its growth since. Each is
-- run as a statement of its own (PL/pgSQL keeps what the SQL functions it calls use in the
-- transaction's memory: the memory is read between statements)
CREATE FUNCTION fx.mark() RETURNS boolean LANGUAGE sql AS $$
    SELECT set_config('fx.before', fx.txn_memory()::text, false) IS NOT NULL $$;
CREATE FUNCTION fx.grown() RETURNS bigint LANGUAGE sql AS $$
    SELECT fx.txn_memory() - current_setting('fx.before')::bigint $$;
-- fx.steps(tables, n, undo): for each table, the statements that run 20 rows, mark, run n rows
-- more and say whether the memory grew by less than 16 kB (to run with \gexec); undo: each
-- row rolled back by an error after it
CREATE FUNCTION fx.steps(tabs text[], n int, undo boolean) RETURNS TABLE (s1 text, s2 text, s3 text, s4 text)
LANGUAGE sql AS $$
    SELECT format('SELECT fx.%s(%L, 0, 20) AS first_rows', f, t), 'SELECT fx.mark() AS marked',
           format('SELECT fx.%s(%L, 20, %s) AS rows', f, t, n),
           format('SELECT %L AS input_table, fx.grown() < 16384 AS bounded', t)
      FROM unnest(tabs) WITH ORDINALITY u(t, o), (SELECT CASE WHEN undo THEN 'rows_undone' ELSE 'rows' END) x(f)
     ORDER BY o $$;

-- 1. 100 rows of each table rolled back one by one, in alert mode and in reject mode
BEGIN;
SELECT * FROM fx.steps('{attendance,roster,pay_sheet,pay_line,wage_payment,account_txn}', 100, true) \gexec
ROLLBACK;
BEGIN;
UPDATE wagecheck.project SET enforcement_mode = 'reject';
SELECT * FROM fx.steps('{attendance,roster,pay_sheet,pay_line,wage_payment,account_txn}', 100, true) \gexec
ROLLBACK;

-- 2. 4,000 roster entries, one a statement, each created in an hour of its own
BEGIN;
SELECT * FROM fx.steps('{roster}', 4000, false) \gexec
SELECT count(*) AS entries FROM wagecheck.roster WHERE project_id > 70;
ROLLBACK;

-- 3. 600 pay lines and 600 payments each rolled back by a trigger of the user's that fails
--    after the enforcing trigger, before the change capture and the summaries took what it
--    kept for them (the projects of the rows, the lines read and the snapshot they were read with)
CREATE FUNCTION fx.fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'undone'; END $$;
BEGIN;
CREATE TRIGGER f_undo AFTER INSERT ON wagecheck.pay_line FOR EACH STATEMENT EXECUTE FUNCTION fx.fail();
CREATE TRIGGER f_undo AFTER INSERT ON wagecheck.wage_payment FOR EACH STATEMENT EXECUTE FUNCTION fx.fail();
SELECT * FROM fx.steps('{pay_line,wage_payment}', 600, true) \gexec
ROLLBACK;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
