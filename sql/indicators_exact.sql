-- The indicator views read the summaries kept at write time (wage_month, attendance_month,
-- attendance_project_month, attendance_unpaid, payment_off_card) and the small tables; here
-- every column of every one of them is compared with the same figures computed in plain SQL
-- over the raw rows (test/bench/bi_plain.sql, bench_bi.sh's baseline): on a small generated
-- city, with a project added by hand for the cases the summaries must get right, then again
-- after payments, lines, roster entries, attendance and deposits change.
CREATE EXTENSION wagecheck;
SET client_min_messages = warning;
SET DateStyle = ISO;
SET jit = off;
\set ECHO none
\set QUIET on
\i test/bench/gen_city.sql
SET client_min_messages = warning;
CALL wc_bench.gen_city(0.001);
\i test/bench/bi_plain.sql
\set QUIET off
\set ECHO all
SET search_path = public;

-- rows of each view, and those of the view without an equal row in the plain SQL and back
CREATE FUNCTION pg_temp.differ() RETURNS TABLE (view text, view_rows bigint, not_in_plain bigint, not_in_view bigint)
    LANGUAGE plpgsql AS
$$
DECLARE
    v text;
    cols text;
    r record;
BEGIN
    FOREACH v IN ARRAY ARRAY['project_month_indicators', 'county_month_indicators', 'city_month_indicators',
                             'sector_month_indicators', 'funding_month_indicators'] LOOP
        -- every column the two have in common (the views add names and labels), codes as text
        SELECT string_agg(CASE WHEN a.attname IN ('division', 'county', 'city')
                               THEN format('%I::text', a.attname) ELSE format('%I', a.attname) END, ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = format('wagecheck.%I', v)::regclass AND a.attnum > 0
           AND EXISTS (SELECT 1 FROM pg_attribute b
                        WHERE b.attrelid = format('wc_bench_plain.%I', v)::regclass AND b.attname = a.attname);
        EXECUTE format($q$
            SELECT (SELECT count(*) FROM wagecheck.%1$I) AS n,
                   (SELECT count(*) FROM (SELECT %2$s FROM wagecheck.%1$I EXCEPT ALL SELECT %2$s FROM wc_bench_plain.%1$I) x) AS v_p,
                   (SELECT count(*) FROM (SELECT %2$s FROM wc_bench_plain.%1$I EXCEPT ALL SELECT %2$s FROM wagecheck.%1$I) x) AS p_v$q$,
                       v, cols) INTO r;
        view := v; view_rows := r.n; not_in_plain := r.v_p; not_in_view := r.p_v;
        RETURN NEXT;
    END LOOP;
END
$$;
-- the columns compared: all of project_month_indicators but the names and labels
SELECT count(*) AS columns_compared FROM pg_attribute a
 WHERE a.attrelid = 'wagecheck.project_month_indicators'::regclass AND a.attnum > 0
   AND EXISTS (SELECT 1 FROM pg_attribute b
                WHERE b.attrelid = 'wc_bench_plain.project_month_indicators'::regclass AND b.attname = a.attname);

-- the generated city (10 projects, a year)
SELECT * FROM pg_temp.differ();

-- Project 900 by hand, loaded as the generator loads (no enforcement: the defects get in; the
-- summaries' triggers fire), with workers A, B, C, D of the generated city.
SELECT min(worker_id) AS a, min(worker_id) + 1 AS b, min(worker_id) + 2 AS c, min(worker_id) + 3 AS d,
       min(enterprise_id) AS e1, max(enterprise_id) AS e2
  FROM wagecheck.worker, wagecheck.enterprise \gset
SET session_replication_role = replica;
INSERT INTO wagecheck.project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                               contract_value, start_on, status)
VALUES (900, 'X900', '手工项目', '371302', 'water', 'soe', :e1, :e2, 3000000, '2024-01-01', 'under_construction');
-- A: two overlapping entries; B: until 02-15, and one starting after today; C: from March; D: none
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on, end_on) VALUES
  (900, :a, :e2, '2024-01-10', '2024-03-20'), (900, :a, :e2, '2024-02-01', NULL),
  (900, :b, :e2, '2024-01-01', '2024-02-15'), (900, :b, :e2, CURRENT_DATE + 40, NULL),
  (900, :c, :e2, '2024-03-01', NULL);
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES
  (900, :a, '2024-01-15', 8), (900, :a, '2024-02-15', 8), (900, :a, '2024-03-15', 8), (900, :a, '2024-04-15', 8),
  (900, :b, '2024-01-15', 8), (900, :b, '2024-03-15', 8),     -- B in March: off the roster
  (900, :d, '2024-02-15', 8),                                 -- D: never on the roster
  (900, :c, '2024-04-15', 8);
-- sheets: E1 for January to April, E2 for February too
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on) VALUES
  (9001, 900, :e1, '2024-01-01', '2024-02-05'), (9002, 900, :e1, '2024-02-01', '2024-03-05'),
  (9003, 900, :e2, '2024-02-01', '2024-03-05'), (9004, 900, :e1, '2024-03-01', '2024-04-05'),
  (9005, 900, :e1, '2024-04-01', '2024-05-05');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id) VALUES
  (90001, 9001, :a, 10, 1000, 0, 1000, NULL), (90002, 9001, :b, 8, 800, 0, 800, NULL),
  (90003, 9002, :a, 5, 500, 0, 500, NULL), (90004, 9003, :a, 3, 300, 0, 300, NULL),
  (90005, 9002, :d, 4, 400, 0, 400, NULL),
  (90006, 9004, :a, 9, 900, 0, 900, NULL), (90007, 9004, :b, 0, 0, 0, 0, NULL),   -- B in March: nothing to pay
  (90008, 9005, :a, 10, 1000, 0, 1000, NULL), (90009, 9005, :c, 7, 700, 0, 700, NULL),
  (90010, 9002, :b, 8, 850, 0, 850, 90002),     -- B's January line corrected on February's sheet
  (90011, 9001, :a, 11, 1100, 0, 1100, 90001);  -- A's January line corrected after it was paid
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card) VALUES
  (90001, 90001, 1000, '2024-02-15 09:00+08', 'account', (SELECT wage_card FROM wagecheck.worker WHERE worker_id = :a)),
  (90002, 90003, 500, '2024-03-15 09:00+08', 'cash', NULL),
  (90003, 90004, 100, '2024-03-15 09:00+08', 'other_account', '6217000000000000012'),
  (90004, 90005, 400, '2024-03-15 09:00+08', 'account', NULL),
  (90005, 90006, 450, '2024-04-15 09:00+08', 'account', (SELECT wage_card FROM wagecheck.worker WHERE worker_id = :a)),
  (90006, 90010, 850, '2024-03-15 09:00+08', 'account', (SELECT wage_card FROM wagecheck.worker WHERE worker_id = :b));
-- labour cost: two periods due the same day, a payment in before it (a credit), one after; a
-- period of this month, due today
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on)
VALUES (900, 900, '建行临沂分行', '37050100000900', '2024-01-02');
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES
  (900, '2024-01-01', 5000, '2024-02-10'), (900, '2024-02-01', 3000, '2024-02-10'), (900, '2024-03-01', 2000, '2024-04-10'),
  (900, date_trunc('month', CURRENT_DATE)::date, 100, CURRENT_DATE);
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
  (900, 'in', 2000, '37050199999999', 'labour_cost', '2024-01-20 10:00+08'),
  (900, 'in', 4000, '37050199999999', 'labour_cost', '2024-03-01 10:00+08'),
  (900, 'in', 999, '37050199999999', 'top_up', '2024-03-02 10:00+08');         -- not labour cost
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, deposited_on, expires_on, returned_on) VALUES
  (900, 'cash', 10000, '2024-01-05', NULL, '2024-03-15'), (900, 'bank_letter', 5000, '2024-02-01', '2024-04-30', NULL);
RESET session_replication_role;

-- what the hand-made project shows (worked out from the rows above)
SELECT period, labour_cost_due, labour_cost_paid, labour_cost_shortfall, labour_cost_days_overdue,
       wages_payable, wages_paid, wages_owed, workers_owed, longest_owed_run, oldest_unpaid_period,
       roster_size, workers_attended, workers_on_payroll, workers_paid, attendees_paid,
       attendees_not_on_payroll, attendees_not_rostered, payments, payments_own_card_via_account, deposit_in_place
  FROM wagecheck.project_month_indicators WHERE project_id = 900 AND period < '2024-06-01' ORDER BY period;
SELECT * FROM pg_temp.differ();

-- changes: a payment goes, the corrected line of A is paid in full, a line is corrected on the
-- same sheet, an attendance day goes, C leaves the roster, a deposit is returned early
SET session_replication_role = replica;
DELETE FROM wagecheck.wage_payment WHERE payment_id = 90003;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card)
VALUES (90007, 90011, 100, '2024-05-15 09:00+08', 'account', (SELECT wage_card FROM wagecheck.worker WHERE worker_id = :a));
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id)
VALUES (90012, 9005, :c, 7, 650, 50, 600, 90009);
DELETE FROM wagecheck.attendance WHERE project_id = 900 AND worker_id = :d;
UPDATE wagecheck.roster SET end_on = '2024-03-31' WHERE project_id = 900 AND worker_id = :c;
UPDATE wagecheck.guarantee_deposit SET returned_on = '2024-02-10' WHERE project_id = 900 AND form = 'cash';
RESET session_replication_role;
SELECT * FROM pg_temp.differ();
-- and across the generated city: a month's payments of a project go, a worker's card changes
DELETE FROM wagecheck.wage_payment WHERE line_id IN (SELECT l.line_id FROM wagecheck.pay_line l
    JOIN wagecheck.pay_sheet s USING (sheet_id) WHERE s.project_id = 1 AND s.period = '2024-05-01');
UPDATE wagecheck.worker SET wage_card = NULL WHERE worker_id IN (SELECT worker_id FROM wagecheck.roster WHERE project_id = 2 LIMIT 3);
SELECT * FROM pg_temp.differ();

-- A month and a county reach the summaries' indexes through the security_barrier view and
-- its roll-up (with sequential scans off, as on a large city): wage_month is read by project
-- and month, the projects by county; nothing reads all of wage_month.
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$
DECLARE
    l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        RETURN NEXT l;
    END LOOP;
END
$$;
SET enable_seqscan = off;
SELECT count(*) FILTER (WHERE l ~ $r$Index Cond: \(\(project_id = .*\) AND \(period = '2024-06-01'::date\)\)$r$) > 0
           AS by_project_and_month,
       count(*) FILTER (WHERE l ~ $r$wagecheck\.county\(.*'371302'$r$) >= 2 AS projects_by_county,
       count(*) FILTER (WHERE l ~ $r$Seq Scan on (wage_month|attendance_month) $r$) = 0 AS no_full_read
  FROM pg_temp.plan_lines($$SELECT * FROM wagecheck.county_month_indicators
                             WHERE county = '371302' AND period = '2024-06-01'$$) l;
RESET enable_seqscan;
DROP EXTENSION wagecheck CASCADE;
