-- AC03 reads its candidates from outflow_unmatched (the outflows that are not wages, or
-- matched no card of a worker on the project's roster by the time they were booked and
-- recorded), kept by triggers on account_txn, roster, worker and wage_account: after every
-- kind of write the table equals a recomputation from the raw rows (none missing, none too
-- many; one too many would be harmless - AC03 checks its candidates - a missing one a bug),
-- and AC03's hits at every moment equal a plain check of every outflow (a replay before a
-- roster entry too).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(60, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(61, '371311', '2026-01-05', '2025-12-01');
SELECT fx.project(62, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 4) i;
SELECT fx.roster(60, 1, '2026-01-05'), fx.roster(60, 2, '2026-01-05'), fx.roster(61, 3, '2026-01-05');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 60, '临商银行', 'A-60', '2026-01-05', '2026-01-05 10:00'),
    (2, 61, '临商银行', 'A-61', '2026-01-05', '2026-01-05 10:00');

-- fx.stale(): the candidates a recomputation from the raw rows finds and outflow_unmatched
-- lacks (missing: must be none), and those it holds the recomputation does not (extra)
CREATE FUNCTION fx.stale() RETURNS TABLE (missing bigint, extra bigint) LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM (SELECT * FROM wagecheck._outflow_unmatched_rows(NULL)
                                  EXCEPT ALL SELECT * FROM wagecheck.outflow_unmatched) x),
           (SELECT count(*) FROM (SELECT * FROM wagecheck.outflow_unmatched
                                  EXCEPT ALL SELECT * FROM wagecheck._outflow_unmatched_rows(NULL)) y) $$;
-- fx.ac03_raw(as_of): AC03 checked plainly on every outflow known at as_of
CREATE FUNCTION fx.ac03_raw(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE sql AS $$
    SELECT 'account_txn', t.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('amount', t.amount, 'purpose', t.purpose, 'booked_at', t.booked_at,
                              'counterparty', t.counterparty_name,
                              'reason', CASE WHEN t.purpose <> 'wage' THEN 'not a wage'
                                             ELSE 'not the own card of a worker on the roster' END)
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account w ON w.account_id = t.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE t.direction = 'out' AND t.booked_at <= as_of AND t.created_at <= as_of
       AND (t.purpose <> 'wage'
            OR NOT EXISTS (SELECT 1 FROM wagecheck.roster r JOIN wagecheck.worker k ON k.worker_id = r.worker_id
                            WHERE r.project_id = w.project_id AND r.created_at <= as_of
                              AND k.wage_card::text IN (t.counterparty_account,
                                                        regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')))) $$;
-- fx.ac03(as_of): AC03's hits (transaction and reason) and how many differ from the plain check
CREATE FUNCTION fx.ac03(as_of timestamptz) RETURNS TABLE (hits text, differing bigint) LANGUAGE sql AS $$
    SELECT (SELECT string_agg(h.subject_id || ' ' || (h.details ->> 'reason'), ', ' ORDER BY h.subject_id::int)
              FROM wagecheck.eval_ac03(as_of) h),
           (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_ac03(as_of) EXCEPT ALL SELECT * FROM fx.ac03_raw(as_of))
                                  UNION ALL
                                  (SELECT * FROM fx.ac03_raw(as_of) EXCEPT ALL SELECT * FROM wagecheck.eval_ac03(as_of))) x) $$;

-- P60's account pays worker 1 (rostered: fine), worker 3 (P61's), worker 4 (on P60's roster
-- only from 03-20), worker 2's card written with spaces (its digits match: fine), and cash;
-- P61's pays worker 3 (fine). An inflow is never a candidate.
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at) VALUES
    (1, 1, 'in', 50000, '8888', '临沂城投', 'labour_cost', '2026-02-09 15:00', '2026-02-09 15:00'),
    (2, 1, 'out', 6000, fx.card(1), '工人1', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (3, 1, 'out', 6000, fx.card(3), '工人3', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (4, 1, 'out', 6000, fx.card(4), '工人4', 'wage', '2026-03-05 10:00', '2026-03-05 10:00'),
    (5, 1, 'out', 6000, regexp_replace(fx.card(2), '(....)', '\1 ', 'g'), '工人2', 'wage',
     '2026-03-05 10:00', '2026-03-05 10:00'),
    (6, 1, 'out', 2000, NULL, '现金', 'cash', '2026-03-05 10:00', '2026-03-05 10:00'),
    (7, 2, 'out', 6000, fx.card(3), '工人3', 'wage', '2026-03-05 10:00', '2026-03-05 10:00');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (60, 4, 3, '2026-03-20', '2026-03-20', '2026-03-20 09:00');
SELECT * FROM wagecheck.outflow_unmatched ORDER BY 1;   -- 3, 4 (rostered after), 6
SELECT * FROM fx.stale();
SELECT m.as_of, a.* FROM (VALUES ('2026-03-04 12:00'::timestamptz), ('2026-03-10 12:00'), ('2026-03-25 12:00')) m(as_of)
 CROSS JOIN LATERAL fx.ac03(m.as_of) a;

-- worker 1 leaves P60's roster (entry deleted): his wage there is a candidate, and a hit
DELETE FROM wagecheck.roster WHERE project_id = 60 AND worker_id = 1;
SELECT * FROM wagecheck.outflow_unmatched ORDER BY 1;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- worker 2 registers another card: the wage to his old one is a hit
UPDATE wagecheck.worker SET wage_card = fx.luhn('622202000000000088')::wagecheck.bank_card WHERE worker_id = 2;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- P61's account is re-registered under P62 (worker 3 is not on its roster): its wage to him
-- is a hit
UPDATE wagecheck.wage_account SET project_id = 62 WHERE account_id = 2;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- worker 3's roster entry moves from P61 to P62: that wage is fine again; P60's wage to him
-- stays a hit
UPDATE wagecheck.roster SET project_id = 62 WHERE worker_id = 3;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- movements corrected by the bank's loader (replica mode: the enforcement triggers refuse a
-- change of a booked movement): the cash was a wage to worker 4; worker 1's wage deleted
SET session_replication_role = replica;
UPDATE wagecheck.account_txn SET purpose = 'wage', counterparty_account = fx.card(4) WHERE txn_id = 6;
DELETE FROM wagecheck.account_txn WHERE txn_id = 2;
RESET session_replication_role;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
SELECT * FROM fx.ac03('2026-03-10 12:00');   -- a replay before worker 4's entry
-- a worker registered after his wage was paid, and put on the roster (dated back to the
-- start): the wage is no candidate then, and no hit
SET session_replication_role = replica;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
VALUES (9, 1, 'out', 3000, fx.card(5), '工人5', 'wage', '2026-03-06 10:00', '2026-03-06 10:00');
RESET session_replication_role;
SELECT * FROM wagecheck.outflow_unmatched WHERE txn_id = 9;
SELECT fx.worker(5);
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (60, 5, 3, '2026-01-05', '2026-01-05', '2026-01-05 09:00');
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- entries added (and nothing else): only the candidates of their projects that are wages to
-- their workers' cards may leave. Worker 3 onto P60 known only after his wage there (txn 3
-- stays a candidate; on 03-25 no hit), with worker 1 onto P61 (no candidate there), in one statement
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at) VALUES
    (60, 3, 3, '2026-03-10', '2026-03-10', '2026-03-10 09:00'),
    (61, 1, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
SELECT txn_id FROM wagecheck.outflow_unmatched ORDER BY 1;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- worker 3 onto P60 known before his wage (txn 3 leaves), with worker 2 (whose card is not the
-- one his wage went to: nothing leaves for him)
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at) VALUES
    (60, 3, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00'),
    (60, 2, 3, '2026-01-07', '2026-01-07', '2026-01-07 09:00');
SELECT txn_id FROM wagecheck.outflow_unmatched ORDER BY 1;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- an entry of a project with no candidate at all (nothing to look at: no statement runs)
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (61, 2, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- in one transaction, a wage from P62's account to worker 1 (not on its roster: a candidate),
-- then worker 1 onto P62's roster: the entry sees the candidate written before it, which leaves
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
VALUES (10, 2, 'out', 3000, fx.card(1), '工人1', 'wage', '2026-03-07 10:00', '2026-03-07 10:00');
SELECT txn_id, project_id FROM wagecheck.outflow_unmatched WHERE txn_id = 10;
SET LOCAL session_replication_role = origin;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
VALUES (62, 1, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
SELECT txn_id FROM wagecheck.outflow_unmatched WHERE txn_id = 10;
COMMIT;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
-- a long series of entries added one by one in a transaction takes a bounded number of locks
-- (the lock table is shared): beyond 64 pairs, one lock on all of them
-- (replica mode, as a loader: workers 1001-1100 are not there)
BEGIN;
SET LOCAL session_replication_role = replica;
DO $$ BEGIN
    FOR i IN 1..100 LOOP
        INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
        VALUES (62, 1000 + i, 3, '2026-01-06', '2026-01-06', '2026-01-06 09:00');
    END LOOP;
END $$;
-- (field4 of a pair's lock 0x574F = 22351, of all pairs' 0x5750 = 22352)
SELECT count(*) FILTER (WHERE objsubid = 22351) AS pairs_locked,
       bool_or(objsubid = 22352 AND mode = 'ExclusiveLock') AS all_locked
  FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid();
ROLLBACK;

-- with the triggers disabled the table goes stale; rebuild_summaries() recomputes it
ALTER TABLE wagecheck.account_txn DISABLE TRIGGER outflow_unmatched_ins;
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                   purpose, booked_at, created_at)
VALUES (8, 1, 'out', 100, '9999', '某公司', 'transfer', '2026-03-06 10:00', '2026-03-06 10:00');
ALTER TABLE wagecheck.account_txn ENABLE ALWAYS TRIGGER outflow_unmatched_ins;
SELECT * FROM fx.stale();
SELECT wagecheck.rebuild_summaries();
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;

-- TRUNCATE (in replica mode, as generators do): the roster (every outflow looked at again),
-- then the movements (none left)
SET session_replication_role = replica;
SET client_min_messages = warning;
TRUNCATE wagecheck.roster CASCADE;
SELECT s.*, a.* FROM fx.stale() s, fx.ac03('2026-03-25 12:00') a;
TRUNCATE wagecheck.account_txn CASCADE;
RESET client_min_messages;
RESET session_replication_role;
SELECT s.*, (SELECT count(*) FROM wagecheck.outflow_unmatched) AS candidates FROM fx.stale() s;

-- derived data: not dumped with the extension's configuration
SELECT count(*) AS dumped FROM pg_catalog.pg_extension e CROSS JOIN LATERAL unnest(e.extconfig) t(oid)
 WHERE e.extname = 'wagecheck' AND t.oid = 'wagecheck.outflow_unmatched'::regclass;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
