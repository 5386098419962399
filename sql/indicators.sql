-- Indicator aggregates: results on hand-computed fixtures, NULL behaviour, exact money, errors.
CREATE EXTENSION wagecheck;
SET DateStyle = ISO;
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Wages owed per worker.  Worker 1: Jan paid; Feb-Apr owed (Mar in part, Apr in two
-- rows); May overpaid (pays no other month); Jun owed; Jul has no row; Aug owed.
CREATE TEMP TABLE pay (worker int, month date, payable numeric(14,2), paid numeric(14,2));
INSERT INTO pay VALUES
  (1, '2024-01-01', 5000, 5000), (1, '2024-02-01', 5000, 0), (1, '2024-03-15', 5000, 2000),
  (1, '2024-04-01', 3000, 0), (1, '2024-04-01', 0, 1000), (1, '2024-05-01', 5000, 6000),
  (1, '2024-06-01', 0.01, 0), (1, '2024-08-01', 0.01, 0),
  (2, '2024-01-01', 4200.50, 4200.50),
  (3, '2024-01-01', NULL, 0), (3, NULL, 100, 0), (3, '2024-02-01', 100, NULL);
-- Expected, worker 1: payable 23000.02, paid 14000, owed 5000+3000+2000+0.01+0.01 = 10000.02,
-- 7 months, 5 owed, longest run 3 from February, current run 1 (August), oldest unpaid February.
-- Worker 2: nothing owed, no run.  Worker 3: every row has a NULL, so the result is NULL.
SELECT worker, (wagecheck.owed_agg(month, payable, paid)).*
  FROM pay GROUP BY worker ORDER BY worker;
-- NULL behaviour: no rows, or only rows with a NULL -> NULL (like sum)
SELECT wagecheck.owed_agg(month, payable, paid) IS NULL AS no_rows FROM pay WHERE false;
SELECT wagecheck.owed_agg(month, payable, paid) IS NULL AS only_null_rows FROM pay WHERE worker = 3;
-- December and January are consecutive months
SELECT (wagecheck.owed_agg(m, 10, 0)).longest_run
  FROM (VALUES (date '2024-12-01'), (date '2025-01-31')) v(m);
-- as a window aggregate: running figures month by month
SELECT month, (wagecheck.owed_agg(month, payable, paid) OVER (ORDER BY month)).longest_run
  FROM pay WHERE worker = 1 AND month < '2024-05-01' ORDER BY month, payable;

-- Money is exact: 0.1 + 0.2 summed many times stays exact
SELECT (wagecheck.owed_agg('2024-01-01', x, 0)).payable
  FROM (SELECT CASE WHEN i % 2 = 0 THEN 0.10 ELSE 0.20 END FROM generate_series(1, 100001) i) s(x);
SELECT (wagecheck.owed_agg('2024-01-01', 92233720368547758.07, 0)).owed AS largest_amount;
-- amounts are read from numeric's digits: totals equal sum() for every size and scale,
-- including scales above 2 with trailing zeros and values read back from a table
SELECT setseed(0.25);
CREATE TEMP TABLE amounts AS
  SELECT i % 40 AS g, CASE WHEN i % 4 = 0 THEN round((random() * 10 ^ (i % 13))::numeric, i % 3)::numeric(20,6)
                           ELSE round((random() * 10 ^ (i % 13))::numeric, i % 3) END AS x
    FROM generate_series(1, 20000) i;
SELECT count(*) AS groups, count(*) FILTER (WHERE (o).payable = s AND (o).paid = s) AS equal_to_sum
  FROM (SELECT g, wagecheck.owed_agg('2024-01-01', x, x) o, sum(x) s FROM amounts GROUP BY g) q;
SELECT count(*) AS groups, count(*) FILTER (WHERE (o).payable = s) AS equal_to_sum
  FROM (SELECT g, wagecheck.owed_agg('2024-01-01', x * 1, 0) o, sum(x) s FROM amounts GROUP BY g) q;

-- Errors
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('2024-01-01', 1.005, 0)$$);
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('2024-01-01', -1, 0)$$);
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('2024-01-01', 'NaN', 0)$$);
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('2024-01-01', 92233720368547758.08, 0)$$);
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('2024-01-01', 92233720368547758.07, 0)
                     FROM generate_series(1, 2)$$);
SELECT pg_temp.try($$SELECT wagecheck.owed_agg('infinity', 1, 0)$$);

-- Labour cost per project as of 2024-04-10: 1000 due on the 10th of Jan-May;
-- inflows 500 on 01-05 (early), 1000 on 01-25, 500 on 02-10, 300 on 03-20, 5000 on 04-20.
CREATE TEMP TABLE lc (project int, on_day date, due numeric(14,2), paid numeric(14,2));
INSERT INTO lc
  SELECT 1, d, 1000, 0 FROM generate_series(date '2024-01-10', '2024-05-10', interval '1 month') d
  UNION ALL VALUES (1, date '2024-01-05', 0, 500), (1, '2024-01-25', 0, 1000), (1, '2024-02-10', 0, 500),
                   (1, '2024-03-20', 0, 300), (1, '2024-04-20', 0, 5000),
                   (2, '2024-04-01', 800, 0), (2, NULL, 0, 800);
-- Expected, project 1: due 4000 (Jan-Apr), paid 2300 (the 04-20 inflow is after as_of),
-- Jan settled on 01-25 (15 days late), Feb on time on 02-10, Mar 700 open since 03-10
-- (31 days), Apr open but due today (not late): shortfall 1700, days overdue 31,
-- max 31, 2 late, May not yet due 1000.
-- Project 2: the inflow row with a NULL day is ignored: 800 open for 9 days.
SELECT project, (wagecheck.labour_cost_agg(on_day, due, paid, '2024-04-10')).*
  FROM lc GROUP BY project ORDER BY project;
-- a day later
SELECT (wagecheck.labour_cost_agg(on_day, due, paid, '2024-04-25')).*
  FROM lc WHERE project = 1;
SELECT pg_temp.try($$SELECT wagecheck.labour_cost_agg('2024-01-01', 1, 0, d)
                     FROM (VALUES (date '2024-01-01'), ('2024-01-02')) v(d)$$);
SELECT pg_temp.try($$SELECT wagecheck.labour_cost_agg('2024-01-01', 1, 0, 'infinity')$$);

-- Coverage of one project-month: workers 1-3 rostered; 1, 2 and 4 attend 20 days;
-- 1 and 2 on the pay sheet; 1 paid twice; 5 paid but never rostered; a NULL row ignored.
CREATE TEMP TABLE cov (worker bigint, rostered bool, attended bool, on_payroll bool, paid bool);
INSERT INTO cov
  SELECT w, true, false, false, false FROM generate_series(1, 3) w
  UNION ALL SELECT w, false, true, false, false FROM generate_series(1, 20) d, unnest('{1,2,4}'::int[]) w
  UNION ALL VALUES (1, false, false, true, false), (1, false, false, false, true),
                   (1, false, false, false, true), (2, false, false, true, false),
                   (5, false, false, false, true), (6, NULL, true, true, true);
SELECT (wagecheck.coverage_agg(worker, rostered, attended, on_payroll, paid)).* FROM cov;

-- every indicator function is marked on purpose
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'wagecheck' AND (p.proname ~ '_agg' OR p.proname ~ '^indicator_')
 ORDER BY p.proname;
SELECT a.aggfnoid::regproc, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'wagecheck' ORDER BY a.aggfnoid::regproc::text;
DROP EXTENSION wagecheck CASCADE;
