-- Property: whatever statements write the input tables (inserts, updates, deletes, truncates,
-- one row or many, refused or not), the summaries kept by triggers equal what
-- rebuild_summaries() computes from the raw rows. 400 random statements (seeded: the same
-- statements on every run) over a small fixture, in batches of 20, the first 200 with the
-- projects in alert mode, the next 200 in reject mode; after each batch every summary is
-- compared, row for row, with its recomputation. Payments often come after every payment
-- recorded (the insert path that appends them to their month) and as often between them
-- (the recomputation); new lines without corrections take the insert path that adds them.
-- Movements pay cards as written or with blanks, to rostered workers or not, and are
-- corrected by a loader; roster entries come, move and go, workers come after their entries
-- and change cards, accounts move to another project: each moves outflow_unmatched. Loads in
-- replica mode write rows before the sheets, lines and workers they name.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(p, '371302', '2026-01-05', '2025-12-01') FROM generate_series(70, 73) p;   -- (73: no account)
SELECT fx.worker(i) FROM generate_series(1, 6) i;
SELECT fx.roster(70, w, '2026-01-05') FROM generate_series(1, 4) w;
SELECT fx.roster(71, w, '2026-01-05') FROM generate_series(3, 6) w;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 70, '临商银行', 'A-70', '2026-01-05', '2026-01-05 10:00'),
    (2, 71, '临商银行', 'A-71', '2026-01-05', '2026-01-05 10:00'),
    (3, 72, '临商银行', 'A-72', '2026-01-05', '2026-01-05 10:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at, created_at)
SELECT a, 'in', 1000000, '9558800001000000001', 'labour_cost', '2026-01-06 09:00', '2026-01-06 09:00'
  FROM generate_series(1, 3) a;

-- fx.summaries(): every summary's rows as text, tagged with its name
CREATE FUNCTION fx.summaries() RETURNS TABLE (summary text, r text) LANGUAGE sql AS $$
    SELECT 'attendance_month', (t.project_id, t.worker_id, t.period, t.days, t.known_to, t.last_day, t.first_day,
                                t.first_known)::text    -- (extended: what the last insert did, not a sum)
      FROM wagecheck.attendance_month t
    UNION ALL SELECT 'attendance_project_month', t::text FROM wagecheck.attendance_project_month t
    UNION ALL SELECT 'wage_month', t::text FROM wagecheck.wage_month t
    UNION ALL SELECT 'worker_pay', t::text FROM wagecheck.worker_pay t
    UNION ALL SELECT 'sheet_worker', t::text FROM wagecheck.sheet_worker t
    UNION ALL SELECT 'payment_off_card', t::text FROM wagecheck.payment_off_card t
    UNION ALL SELECT 'attendance_unpaid', t::text FROM wagecheck.attendance_unpaid t
    UNION ALL SELECT 'outflow_unmatched', t::text FROM wagecheck.outflow_unmatched t $$;

-- fx.pick(array): one element, drawn
CREATE FUNCTION fx.pick(a anyarray) RETURNS anyelement LANGUAGE sql VOLATILE AS $$
    SELECT a[1 + floor(random() * cardinality(a))::int] $$;
-- fx.n(lo, hi): an integer drawn in [lo, hi]
CREATE FUNCTION fx.n(lo int, hi int) RETURNS int LANGUAGE sql VOLATILE AS $$
    SELECT lo + floor(random() * (hi - lo + 1))::int $$;
-- fx.moment(): a moment drawn in January-April 2026
CREATE FUNCTION fx.moment() RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
    SELECT timestamptz '2026-01-06 08:00' + (floor(random() * 110 * 24) || ' hours')::interval $$;

-- fx.statement(lo, hi): one random statement on an input table, as text (kinds 31-33, the
-- tables of outflow_unmatched only, are drawn by the second run below)
CREATE FUNCTION fx.statement(lo int DEFAULT 1, hi int DEFAULT 30) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k int := fx.n(lo, hi);
    p int := fx.n(70, 72);
    w int := fx.n(1, 6);
    m date := fx.pick(ARRAY['2026-01-01', '2026-02-01', '2026-03-01']::date[]);
BEGIN
    RETURN CASE
    WHEN k <= 4 THEN    -- attendance, a few days or many
        format('INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
                SELECT %s, w, %L::date + d, 8, %L::timestamptz + d * interval ''1 day''
                  FROM generate_series(%s, %s) w, generate_series(0, %s) d
                ON CONFLICT DO NOTHING', p, m + fx.n(0, 20), fx.moment(), fx.n(1, 3), fx.n(3, 6), fx.n(0, 7))
    WHEN k = 5 THEN
        format('DELETE FROM wagecheck.attendance WHERE project_id = %s AND worker_id = %s AND day < %L',
               p, w, m + fx.n(0, 40))
    WHEN k = 6 THEN
        format('UPDATE wagecheck.attendance SET created_at = created_at + interval ''%s hours'', day = day + %s
                 WHERE project_id = %s AND worker_id = %s AND day >= %L AND day < %L',
               fx.n(-30, 30), fx.n(0, 1) * 40, p, w, m, m + 10)
    WHEN k = 7 THEN
        format('UPDATE wagecheck.attendance SET worker_id = %s WHERE project_id = %s AND worker_id = %s',
               fx.n(1, 6), p, w)
    WHEN k = 8 AND random() < 0.2 THEN
        'TRUNCATE wagecheck.attendance'
    WHEN k <= 10 THEN   -- pay sheets
        format('INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on, created_at)
                VALUES (%s, %s, %L, %L, %L) ON CONFLICT DO NOTHING',
               p, fx.pick(ARRAY[2, 3]), m, m + 35, fx.moment())
    WHEN k = 11 THEN
        format('UPDATE wagecheck.pay_sheet SET period = %L, created_at = %L WHERE sheet_id IN
                (SELECT sheet_id FROM wagecheck.pay_sheet ORDER BY sheet_id OFFSET %s LIMIT 1)',
               m, fx.moment(), fx.n(0, 5))
    WHEN k = 12 THEN
        format('DELETE FROM wagecheck.pay_sheet WHERE sheet_id IN
                (SELECT sheet_id FROM wagecheck.pay_sheet ORDER BY sheet_id OFFSET %s LIMIT 1)', fx.n(0, 5))
    WHEN k <= 15 THEN   -- lines, one per worker of a sheet
        format('INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
                SELECT s.sheet_id, w, %s, v, v, %L
                  FROM (SELECT sheet_id FROM wagecheck.pay_sheet ORDER BY sheet_id OFFSET %s LIMIT 1) s,
                       generate_series(%s, %s) w, (SELECT %s::numeric AS v) v',
               fx.n(0, 25), fx.moment(), fx.n(0, 5), fx.n(1, 3), fx.n(3, 6), fx.pick(ARRAY[0, 1000, 2500, 6000]))
    WHEN k = 16 THEN    -- a correction of a line, alone or with new lines of a sheet (added by key)
        format('INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
                (SELECT sheet_id, worker_id, days, payable + d, net + d, line_id, %L
                  FROM wagecheck.pay_line l, (SELECT %s::numeric AS d) d
                 WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id)
                 ORDER BY line_id OFFSET %s LIMIT 1)
                UNION ALL
                SELECT s.sheet_id, w, 2, 800, 800, NULL, %L
                  FROM (SELECT sheet_id FROM wagecheck.pay_sheet ORDER BY sheet_id OFFSET %s LIMIT 1) s,
                       generate_series(%s, %s) w',
               fx.moment(), fx.n(-500, 500), fx.n(0, 10), fx.moment(), fx.n(0, 5), fx.n(1, 6), fx.n(0, 6))
    WHEN k = 17 THEN
        format('UPDATE wagecheck.pay_line SET net = net + d, payable = payable + d, created_at = %L
                  FROM (SELECT %s::numeric AS d) d
                 WHERE line_id IN (SELECT line_id FROM wagecheck.pay_line ORDER BY line_id OFFSET %s LIMIT %s)',
               fx.moment(), fx.n(-300, 300), fx.n(0, 10), fx.n(1, 4))
    WHEN k = 18 THEN
        format('DELETE FROM wagecheck.pay_line WHERE line_id IN
                (SELECT line_id FROM wagecheck.pay_line ORDER BY line_id DESC OFFSET %s LIMIT %s)',
               fx.n(0, 5), fx.n(1, 3))
    WHEN k <= 22 THEN   -- payments: to the worker's card, to another card, in cash
        format('INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
                SELECT l.line_id, round(l.net * %s, 2), %L, m.method,
                       CASE m.method WHEN ''account'' THEN fx.card(CASE WHEN %L::boolean THEN l.worker_id ELSE 6 END) END, %L
                  FROM (SELECT line_id, worker_id, net FROM wagecheck.pay_line WHERE net > 0
                         ORDER BY line_id OFFSET %s LIMIT %s) l,
                       (SELECT %L::text AS method) m',
               fx.pick(ARRAY[0.3, 0.5, 1.0]), fx.moment(), random() < 0.8, fx.moment(), fx.n(0, 10), fx.n(1, 5),
               fx.pick(ARRAY['account', 'account', 'account', 'cash', 'other_account']))
    WHEN k = 23 AND random() < 0.6 THEN   -- payments after every payment so far (in time order)
        format('INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
                SELECT l.line_id, round(l.net * %s, 2),
                       (SELECT coalesce(max(y.paid_at), %L) FROM wagecheck.wage_payment y) + interval ''%s minutes'',
                       ''account'', fx.card(CASE WHEN %L::boolean THEN l.worker_id ELSE 6 END), %L
                  FROM (SELECT line_id, worker_id, net FROM wagecheck.pay_line WHERE net > 0
                         ORDER BY line_id OFFSET %s LIMIT %s) l',
               fx.pick(ARRAY[0.3, 0.5, 1.0]), fx.moment(), fx.n(0, 90), random() < 0.8, fx.moment(), fx.n(0, 10),
               fx.n(1, 5))
    WHEN k = 23 THEN
        format('UPDATE wagecheck.wage_payment SET amount = amount + %s, paid_at = %L
                 WHERE payment_id IN (SELECT payment_id FROM wagecheck.wage_payment ORDER BY payment_id OFFSET %s LIMIT %s)',
               fx.n(1, 200), fx.moment(), fx.n(0, 8), fx.n(1, 3))
    WHEN k = 24 THEN
        format('DELETE FROM wagecheck.wage_payment WHERE payment_id IN
                (SELECT payment_id FROM wagecheck.wage_payment ORDER BY payment_id OFFSET %s LIMIT %s)',
               fx.n(0, 8), fx.n(1, 3))
    WHEN k = 25 AND random() < 0.3 THEN
        fx.pick(ARRAY['TRUNCATE wagecheck.wage_payment', 'TRUNCATE wagecheck.wage_payment, wagecheck.pay_line',
                      'TRUNCATE wagecheck.wage_payment, wagecheck.pay_line, wagecheck.pay_sheet'])
    WHEN k <= 27 THEN   -- movements: wages to cards, on roster or not, and other outflows
        format('INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose,
                                                   booked_at, created_at)
                SELECT %s, ''out'', 100 + w,
                       CASE WHEN w %% 3 = 0 THEN regexp_replace(fx.card(w), ''(....)'', ''\1 '', ''g'') ELSE fx.card(w) END,
                       %L, %L, %L FROM generate_series(%s, %s) w',
               p - 69, fx.pick(ARRAY['wage', 'wage', 'wage', 'transfer']), fx.moment(), fx.moment(),
               fx.n(1, 3), fx.n(3, 6))
    WHEN k = 28 THEN
        format('DELETE FROM wagecheck.account_txn WHERE txn_id IN
                (SELECT txn_id FROM wagecheck.account_txn WHERE direction = ''out'' ORDER BY txn_id OFFSET %s LIMIT 2)',
               fx.n(0, 6))
    WHEN k = 29 THEN    -- the roster: entries added, moved, known later, deleted
        fx.pick(ARRAY[
            format('INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on, created_at)
                    VALUES (%s, %s, 3, %L, %L) ON CONFLICT DO NOTHING', p, w, m + fx.n(0, 20), fx.moment()),
            format('UPDATE wagecheck.roster SET created_at = %L WHERE project_id = %s AND worker_id = %s',
                   fx.moment(), p, w),
            format('DELETE FROM wagecheck.roster WHERE project_id = %s AND worker_id = %s', p, w)])
    WHEN k = 30 THEN    -- a worker's card changed or taken away
        format('UPDATE wagecheck.worker SET wage_card = %s WHERE worker_id = %s',
               fx.pick(ARRAY[format('%L', fx.card(w + 10)), format('%L', fx.card(w)), 'NULL']), w)
    WHEN k = 31 THEN    -- a worker loaded after his roster entry (a restore), with a card paid before
        format('SET session_replication_role = replica;
                INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on, created_at)
                VALUES (%s, %s, 3, %L, %L) ON CONFLICT DO NOTHING;
                SET session_replication_role = origin;
                INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card, registered_at)
                VALUES (%s, fx.rid(''37130219800101'' || lpad(%s::text, 3, ''0''))::wagecheck.resident_id,
                        ''工人'' || %s, %L::wagecheck.bank_card, ''2025-01-01'') ON CONFLICT DO NOTHING',
               p, w + 10, m, fx.moment(), w + 10, w + 10, w + 10, fx.card(fx.pick(ARRAY[w, w + 10])))
    WHEN k = 32 THEN    -- an account moved to the project that has none
        format('UPDATE wagecheck.wage_account
                   SET project_id = (SELECT min(p) FROM generate_series(70, 73) p
                                      WHERE p NOT IN (SELECT project_id FROM wagecheck.wage_account))
                 WHERE account_id = %s', fx.n(1, 3))
    ELSE                -- movements corrected by a bank's loader (replica mode: enforcement refuses it)
        format('SET session_replication_role = replica;
                UPDATE wagecheck.account_txn SET counterparty_account = %L, purpose = %L, created_at = %L
                 WHERE txn_id IN (SELECT txn_id FROM wagecheck.account_txn WHERE direction = ''out''
                                   ORDER BY txn_id OFFSET %s LIMIT 2);
                SET session_replication_role = origin',
               fx.pick(ARRAY[fx.card(w), regexp_replace(fx.card(w), '(....)', '\1-', 'g'), fx.card(w + 10), '9558800001000000001']),
               fx.pick(ARRAY['wage', 'wage', 'transfer']), fx.moment(), fx.n(0, 6))
    END;
END $$;

CREATE TABLE fx.result (batch int, summary text, missing bigint, extra bigint);
CREATE TABLE fx.stats (applied int, refused int, synced bigint, recomputed bigint);
INSERT INTO fx.stats VALUES (0, 0);
-- the statements after which outflow_unmatched differs, by the (last) table they write
CREATE TABLE fx.moved (tbl text PRIMARY KEY, n int);
CREATE FUNCTION fx.unmatched_sig() RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(txn_id::text, ',' ORDER BY txn_id), '') FROM wagecheck.outflow_unmatched $$;
-- fx.apply(statement): runs it alone (a refused one rolls back alone); whether it was applied.
-- A statement after which outflow_unmatched differs is counted for the (last) table it writes.
CREATE FUNCTION fx.apply(s text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    sig text := fx.unmatched_sig();
BEGIN
    EXECUTE s;
    IF fx.unmatched_sig() <> sig THEN
        INSERT INTO fx.moved
        VALUES (substring(s FROM '.*wagecheck\.(account_txn|roster|worker|wage_account)'), 1)
        ON CONFLICT (tbl) DO UPDATE SET n = fx.moved.n + 1;
    END IF;
    RETURN true;
EXCEPTION WHEN OTHERS THEN
    RETURN false;
END $$;
-- fx.check_batch(batch, target): every summary against rebuild_summaries()'s, the rows that
-- differ recorded in the table target (fx.result unless said)
CREATE FUNCTION fx.check_batch(b int, target regclass DEFAULT 'fx.result') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE kept AS SELECT * FROM fx.summaries();
    PERFORM wagecheck.rebuild_summaries();
    EXECUTE format($q$
    INSERT INTO %s
    SELECT $1, d.summary, sum(d.missing), sum(d.extra)
      FROM (SELECT x.summary, 0 AS missing, 1 AS extra
              FROM (SELECT * FROM kept EXCEPT ALL SELECT * FROM fx.summaries()) x
            UNION ALL
            SELECT y.summary, 1, 0
              FROM (SELECT * FROM fx.summaries() EXCEPT ALL SELECT * FROM kept) y) d
     GROUP BY d.summary$q$, target) USING b;
    DROP TABLE kept;
END $$;
SET track_functions = 'all';     -- counts the trigger's calls and its recomputations
-- 20 batches of 20 statements, each statement alone (a refused one rolls back alone), then
-- every summary against rebuild_summaries()'s; from batch 11 the projects are in reject mode
DO $$
BEGIN
    PERFORM setseed(0.4242);
    FOR b IN 1 .. 20 LOOP
        IF b = 11 THEN
            UPDATE wagecheck.project SET enforcement_mode = 'reject';
        END IF;
        FOR i IN 1 .. 20 LOOP
            IF fx.apply(fx.statement()) THEN
                UPDATE fx.stats SET applied = applied + 1;
            ELSE
                UPDATE fx.stats SET refused = refused + 1;
            END IF;
        END LOOP;
        PERFORM fx.check_batch(b);
    END LOOP;
    UPDATE fx.stats
       SET synced = (SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = '_wage_month_sync'),
           recomputed = (SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = '_wage_month_refresh');
END $$;
-- then 10 batches of 20 statements on the tables of outflow_unmatched only (account_txn,
-- roster, worker, wage_account: kinds 26 to 33), compared the same way
DO $$
BEGIN
    PERFORM setseed(0.777);
    FOR b IN 21 .. 30 LOOP
        FOR i IN 1 .. 20 LOOP
            PERFORM fx.apply(fx.statement(26, 33));
        END LOOP;
        PERFORM fx.check_batch(b);
    END LOOP;
END $$;
-- every batch applied statements of every kind; no summary differs after any batch
SELECT applied + refused AS statements, applied > 200 AS most_applied, refused > 0 AS some_refused FROM fx.stats;
-- the statements on pay_sheet, pay_line and wage_payment: some took an insert path, some recomputed
SELECT synced > 100 AS synced, recomputed > 50 AS recomputed, synced - recomputed > 25 AS added FROM fx.stats;
SELECT (SELECT count(*) FROM wagecheck.attendance) >= 0 AS attendance,
       (SELECT count(*) FROM wagecheck.wage_month) > 0 AS wage_months,
       (SELECT count(*) FROM wagecheck.payment_off_card) > 0 AS off_card,
       (SELECT count(*) FROM wagecheck.outflow_unmatched) > 0 AS unmatched;
SELECT batch, summary, missing, extra FROM fx.result ORDER BY 1, 2;
-- statements on each table that keeps outflow_unmatched moved it
SELECT tbl, n > 0 AS moved FROM fx.moved ORDER BY 1;

-- one statement paying two months, one after its payments so far and one between them: the
-- first is appended, only the second recomputed (each row of wage_month written once, as
-- a row trigger counts), and both equal their recomputation (alert mode: the random
-- statements changed the workers' cards)
UPDATE wagecheck.project SET enforcement_mode = 'alert';
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on, created_at)
VALUES (70, 2, '2026-05-01', '2026-06-05', '2026-06-05 10:00') RETURNING sheet_id AS s5 \gset
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (:s5, 1, 20, 4000, 0, 4000, '2026-06-05 11:00'), (:s5, 2, 20, 4000, 0, 4000, '2026-06-05 11:00');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT l.line_id, 1000, v.t, 'account', fx.card(l.worker_id), v.t
  FROM wagecheck.pay_line l, (VALUES (timestamptz '2026-06-10 10:00'), ('2026-06-10 12:00')) v(t)
 WHERE l.sheet_id = :s5;
CREATE TABLE fx.writes (op text, worker_id bigint);
CREATE FUNCTION fx.count_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fx.writes VALUES (TG_OP, CASE TG_OP WHEN 'DELETE' THEN OLD.worker_id ELSE NEW.worker_id END);
    RETURN NULL;
END $$;
BEGIN;
CREATE TRIGGER count_writes AFTER INSERT OR UPDATE OR DELETE ON wagecheck.wage_month
    FOR EACH ROW EXECUTE FUNCTION fx.count_write();
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT line_id, 1000, CASE worker_id WHEN 1 THEN timestamptz '2026-06-10 13:00' ELSE '2026-06-10 11:00' END,
       'account', fx.card(worker_id), '2026-06-10 13:00'
  FROM wagecheck.pay_line WHERE sheet_id = :s5;
SELECT op, worker_id, count(*) AS writes FROM fx.writes GROUP BY 1, 2 ORDER BY 2, 1;
SELECT worker_id, paid, cardinality(paid_ats) AS payments,
       (SELECT count(*) FROM ((SELECT t::text FROM wagecheck.wage_month t
                                WHERE (t.project_id, t.worker_id, t.period) = (w.project_id, w.worker_id, w.period))
                              EXCEPT ALL
                              SELECT r::text FROM wagecheck._wage_month_rows(ARRAY[w.project_id], ARRAY[w.worker_id],
                                                                              ARRAY[w.period]) r) d) AS differing
  FROM wagecheck.wage_month w WHERE w.project_id = 70 AND w.period = '2026-05-01' ORDER BY worker_id;
ROLLBACK;
-- a new month of lines ends the month's attendance_unpaid row: deleted where there, with no
-- row written before it; a month with no attendance gets a row in its place (a writer of the
-- attendance at the same moment waits for it), deleted again by the same trigger
BEGIN;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (70, 1, '2026-06-03', 8, '2026-06-03 18:00');
SELECT * FROM wagecheck.attendance_unpaid WHERE period = '2026-06-01';
CREATE TRIGGER count_writes AFTER INSERT OR UPDATE OR DELETE ON wagecheck.attendance_unpaid
    FOR EACH ROW EXECUTE FUNCTION fx.count_write();
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on, created_at)
VALUES (70, 2, '2026-06-01', '2026-07-05', '2026-07-05 10:00') RETURNING sheet_id AS s6 \gset
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (:s6, 1, 1, 300, 0, 300, '2026-07-05 11:00'), (:s6, 2, 0, 300, 0, 300, '2026-07-05 11:00');
SELECT op, worker_id, count(*) AS writes FROM fx.writes GROUP BY 1, 2 ORDER BY 2, 1;
SELECT count(*) AS unpaid FROM wagecheck.attendance_unpaid WHERE period = '2026-06-01';
ROLLBACK;
-- a bank file: more than a thousand movements in one statement (their candidates are found
-- by a query planned for their number), wages to workers on the roster or not, and transfers
UPDATE wagecheck.project SET enforcement_mode = 'alert';
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at, created_at)
SELECT 1 + i % 3, 'out', 1, fx.card(1 + i % 6), CASE WHEN i % 5 = 0 THEN 'transfer' ELSE 'wage' END,
       '2026-04-20 09:00', '2026-04-20 09:00'
  FROM generate_series(1, 1200) i;
SELECT count(*) > 0 AS candidates,
       (SELECT count(*) FROM ((SELECT txn_id FROM wagecheck.outflow_unmatched
                               EXCEPT ALL SELECT txn_id FROM wagecheck._outflow_unmatched_rows(NULL))
                              UNION ALL
                              (SELECT txn_id FROM wagecheck._outflow_unmatched_rows(NULL)
                               EXCEPT ALL SELECT txn_id FROM wagecheck.outflow_unmatched)) d) AS differing
  FROM wagecheck.outflow_unmatched;

-- attendance and the roster alone, as clerks and gate devices write them: 300 random
-- statements, mostly one row each - a new day, a second punch of a day (nothing, or the
-- row written again), a row known late or dated early, a correction of a day or of its
-- moment, a day moved to another month or project, a delete, several rows at once, now and
-- then a TRUNCATE - and roster entries added, moved, deleted; after every 15 the
-- attendance summaries are compared with rebuild_summaries()'s
CREATE FUNCTION fx.attendance_statement() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k int := fx.n(1, 20);
    p int := fx.n(70, 72);
    w int := fx.n(1, 6);
    d date := date '2026-01-01' + fx.n(0, 85);
BEGIN
    RETURN CASE
    WHEN k <= 6 THEN    -- one day, new or not
        format('INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
                VALUES (%s, %s, %L, 8, %L) ON CONFLICT DO NOTHING', p, w, d, fx.moment())
    WHEN k = 7 THEN     -- a second punch: the day written again, later
        format('INSERT INTO wagecheck.attendance AS a (project_id, worker_id, day, hours, created_at)
                VALUES (%s, %s, %L, 9, %L)
                ON CONFLICT (project_id, worker_id, day) DO UPDATE SET hours = excluded.hours,
                   created_at = greatest(a.created_at, excluded.created_at)', p, w, d, fx.moment())
    WHEN k = 8 THEN     -- several workers' days at once, some already there
        format('INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
                SELECT %s, w, %L::date + i, 8, %L FROM generate_series(1, 6) w, generate_series(0, %s) i
                ON CONFLICT DO NOTHING', p, d, fx.moment(), fx.n(0, 3))
    WHEN k = 9 THEN     -- a correction of a day's moment
        format('UPDATE wagecheck.attendance SET created_at = %L WHERE project_id = %s AND worker_id = %s AND day = %L',
               fx.moment(), p, w, (SELECT a.day FROM wagecheck.attendance a WHERE a.project_id = p AND a.worker_id = w
                                   ORDER BY random() LIMIT 1))
    WHEN k = 10 THEN    -- a day moved, maybe into another month
        format('UPDATE wagecheck.attendance SET day = day + %s
                 WHERE (project_id, worker_id, day) IN (SELECT project_id, worker_id, day FROM wagecheck.attendance
                                                          WHERE project_id = %s ORDER BY random() LIMIT %s)',
               fx.pick(ARRAY[1, 20, 31, -31]), p, fx.n(1, 3))
    WHEN k = 11 THEN    -- booked on the wrong project
        format('UPDATE wagecheck.attendance SET project_id = %s WHERE project_id = %s AND worker_id = %s AND day >= %L',
               fx.n(70, 72), p, w, d)
    WHEN k <= 13 THEN   -- one day deleted
        format('DELETE FROM wagecheck.attendance
                 WHERE (project_id, worker_id, day) IN (SELECT project_id, worker_id, day FROM wagecheck.attendance
                                                          ORDER BY random() LIMIT 1)')
    WHEN k = 14 THEN
        format('DELETE FROM wagecheck.attendance WHERE project_id = %s AND day >= %L AND day < %L', p, d, d + 5)
    WHEN k = 15 AND random() < 0.15 THEN
        'TRUNCATE wagecheck.attendance'
    WHEN k <= 17 THEN
        format('INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on, created_at)
                VALUES (%s, %s, 3, %L, %L) ON CONFLICT DO NOTHING', p, w, d, fx.moment())
    WHEN k = 18 THEN
        format('UPDATE wagecheck.roster SET start_on = %L, created_at = %L WHERE project_id = %s AND worker_id = %s',
               d, fx.moment(), p, w)
    WHEN k = 19 THEN
        format('DELETE FROM wagecheck.roster WHERE project_id = %s AND worker_id = %s', p, w)
    ELSE                -- a pay line, so that attendance_unpaid has months both ways
        format('INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
                SELECT s.sheet_id, %s, 20, 3000, 3000, %L FROM wagecheck.pay_sheet s WHERE s.project_id = %s
                 ORDER BY random() LIMIT 1', w, fx.moment(), p)
    END;
END $$;
CREATE TABLE fx.att_result (batch int, summary text, missing bigint, extra bigint);
CREATE TABLE fx.att_stats (applied int, refused int, rows_end bigint);
INSERT INTO fx.att_stats VALUES (0, 0);
DO $$
DECLARE
    s text;
BEGIN
    PERFORM setseed(0.2718);
    FOR b IN 1 .. 20 LOOP
        FOR i IN 1 .. 15 LOOP
            s := fx.attendance_statement();
            BEGIN
                EXECUTE s;
                UPDATE fx.att_stats SET applied = applied + 1;
            EXCEPTION WHEN OTHERS THEN
                UPDATE fx.att_stats SET refused = refused + 1;
            END;
        END LOOP;
        PERFORM fx.check_batch(b, 'fx.att_result');
    END LOOP;
    UPDATE fx.att_stats SET rows_end = (SELECT count(*) FROM wagecheck.attendance);
END $$;
SELECT applied + refused AS statements, applied > 250 AS most_applied, rows_end > 0 AS attendance_left
  FROM fx.att_stats;
SELECT batch, summary, missing, extra FROM fx.att_result ORDER BY 1, 2;

-- loads in replica mode, which check no foreign key: rows before the rows they name - lines
-- of sheets and workers not there yet, corrections of lines not there yet, payments of lines
-- not there yet - then those rows, and some deleted or moved again; 200 random statements,
-- after every 20 the summaries compared with rebuild_summaries()'s; workers 7 to 9, whom
-- lines and payments name from the start, come later
CREATE FUNCTION fx.load_statement() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k int := fx.n(1, 13);
    s int := fx.n(1001, 1015);
    l int := fx.n(5001, 5060);
    v numeric := fx.pick(ARRAY[0, 1000, 2500, 6000]);
    m date := fx.pick(ARRAY['2026-01-01', '2026-02-01', '2026-03-01']::date[]);
    method text := fx.pick(ARRAY['account', 'account', 'cash', 'other_account']);
BEGIN
    RETURN CASE
    WHEN k <= 2 THEN
        format('INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
                VALUES (%s, %s, %s, %L, %L, %L) ON CONFLICT DO NOTHING',
               s, fx.n(70, 72), fx.pick(ARRAY[2, 3]), m, m + 35, fx.moment())
    WHEN k <= 5 THEN    -- lines of a sheet, of workers there or not (7 to 9 come later)
        format('INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
                SELECT %s + i, %s, %s + i, 20, %s, %s, %L FROM generate_series(0, %s) i ON CONFLICT DO NOTHING',
               l, s, fx.n(1, 7), v, v, fx.moment(), fx.n(0, 2))
    WHEN k = 6 THEN     -- a correction of a line, there or not
        format('INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id,
                                                created_at)
                VALUES (%s, %s, %s, 20, %s, %s, %s, %L) ON CONFLICT DO NOTHING',
               fx.n(5061, 5100), s, fx.n(1, 9), v + 100, v + 100, l, fx.moment())
    WHEN k <= 10 THEN   -- payments of lines there or not
        format('INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
                SELECT %s + i, %s + i, %s, %L, %L, CASE WHEN %L = ''account'' THEN fx.card(%s)::wagecheck.bank_card END, %L
                  FROM generate_series(0, %s) i ON CONFLICT DO NOTHING',
               fx.n(9001, 9300), l, fx.pick(ARRAY[500, 1000, 2500]), fx.moment(), method, method, fx.n(1, 9),
               fx.moment(), fx.n(0, 2))
    WHEN k <= 11 THEN
        fx.pick(ARRAY[format('DELETE FROM wagecheck.pay_sheet WHERE sheet_id = %s', s),
                      format('DELETE FROM wagecheck.pay_line WHERE line_id = %s', l),
                      format('DELETE FROM wagecheck.wage_payment WHERE line_id = %s', l)])
    WHEN k = 12 THEN    -- a line moved to another sheet, there or not
        format('UPDATE wagecheck.pay_line SET sheet_id = %s WHERE line_id = %s', s, l)
    ELSE
        format('UPDATE wagecheck.wage_payment SET line_id = %s WHERE payment_id IN
                (SELECT payment_id FROM wagecheck.wage_payment WHERE payment_id > 9000 ORDER BY payment_id OFFSET %s LIMIT 1)',
               l, fx.n(0, 20))
    END;
END $$;
CREATE TABLE fx.load_result (batch int, summary text, missing bigint, extra bigint);
CREATE TABLE fx.load_stats (applied int, refused int);
INSERT INTO fx.load_stats VALUES (0, 0);
DO $$
DECLARE
    s text;
BEGIN
    PERFORM setseed(0.1618);
    PERFORM set_config('session_replication_role', 'replica', true);
    -- (lines of workers 7 to 9 on a sheet of their own, paid in cash, before the workers)
    INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
    VALUES (1020, 73, 3, '2026-02-01', '2026-03-07', '2026-03-07 10:00');
    INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
    SELECT 5100 + w, 1020, w, 20, 3000, 3000, '2026-03-07 11:00' FROM generate_series(7, 9) w;
    INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, created_at)
    SELECT 9400 + w, 5100 + w, 3000, '2026-03-10 10:00', 'cash', '2026-03-10 10:00' FROM generate_series(7, 9) w;
    FOR b IN 1 .. 10 LOOP
        FOR i IN 1 .. 20 LOOP
            s := fx.load_statement();
            BEGIN
                EXECUTE s;
                UPDATE fx.load_stats SET applied = applied + 1;
            EXCEPTION WHEN OTHERS THEN
                UPDATE fx.load_stats SET refused = refused + 1;
            END;
            -- workers 7, 8 and 9 come amid batches 4, 6 and 8, after lines and payments of theirs
            IF i = 10 AND b IN (4, 6, 8) THEN
                BEGIN   -- (a subtransaction, as each statement has)
                    PERFORM fx.worker(7 + (b - 4) / 2);
                EXCEPTION WHEN OTHERS THEN
                    RAISE;
                END;
            END IF;
        END LOOP;
        PERFORM fx.check_batch(b, 'fx.load_result');
    END LOOP;
END $$;
-- (each statement ran in a subtransaction of its own, in order: a row's xmin says which came first)
SELECT applied + refused AS statements, applied > 150 AS most_applied,
       (SELECT count(*) FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.line_id > 5000 AND l.xmin::text::bigint < s.xmin::text::bigint) > 0 AS lines_before_sheets,
       (SELECT count(*) FROM wagecheck.wage_payment y JOIN wagecheck.pay_line l ON l.line_id = y.line_id
         WHERE y.payment_id > 9000 AND y.xmin::text::bigint < l.xmin::text::bigint) > 0 AS payments_before_lines,
       (SELECT count(*) FROM wagecheck.pay_line l JOIN wagecheck.worker k ON k.worker_id = l.worker_id
         WHERE l.line_id > 5000 AND l.xmin::text::bigint < k.xmin::text::bigint) > 0 AS lines_before_workers,
       (SELECT count(*) FROM wagecheck.pay_line c JOIN wagecheck.pay_line l ON l.line_id = c.corrects_line_id
         WHERE c.line_id > 5000 AND c.xmin::text::bigint < l.xmin::text::bigint) > 0 AS corrections_before_lines,
       (SELECT count(*) FROM wagecheck.payment_off_card WHERE payment_id > 9000) > 0 AS off_card
  FROM fx.load_stats;
SELECT batch, summary, missing, extra FROM fx.load_result ORDER BY 1, 2;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
