-- Indicator aggregates in a parallel plan: partial aggregation in the workers,
-- states serialised and combined in the leader, same results as a serial plan
-- and as plain SQL (gaps-and-islands with window functions).
CREATE EXTENSION wagecheck;
SET DateStyle = ISO;
-- 4,000 workers x 24 months: each worker leaves 3 months in every 13 unpaid (runs of 3,
-- longer where a short-paid month joins them); every 7th worker-month is paid short.
CREATE TABLE pw AS
  SELECT w AS worker, (date '2023-01-01' + m * interval '1 month')::date AS month,
         (3000 + w % 500 + m)::numeric(14,2) AS payable,
         CASE WHEN (w + m) % 13 < 3 THEN 0
              WHEN (w * 24 + m) % 7 = 0 THEN (1500 + w % 300)::numeric(14,2)
              ELSE (3000 + w % 500 + m)::numeric(14,2) END AS paid
    FROM generate_series(1, 4000) w, generate_series(0, 23) m;
ANALYZE pw;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;   -- every row goes through a worker's partial state

EXPLAIN (COSTS OFF)
SELECT wagecheck.owed_agg(month, payable, paid),
       wagecheck.labour_cost_agg(month, payable, paid, '2024-06-30'),
       wagecheck.coverage_agg(worker, true, paid > 0, true, paid = payable)
  FROM pw;
CREATE TEMP TABLE par AS
SELECT wagecheck.owed_agg(month, payable, paid) o,
       wagecheck.labour_cost_agg(month, payable, paid, '2024-06-30') l,
       wagecheck.coverage_agg(worker, true, paid > 0, true, paid = payable) c
  FROM pw;
EXPLAIN (COSTS OFF)
SELECT worker % 10 AS g, wagecheck.owed_agg(month, payable, paid) FROM pw GROUP BY 1;
CREATE TEMP TABLE par_g AS
SELECT worker % 10 AS g, wagecheck.owed_agg(month, payable, paid) o FROM pw GROUP BY 1;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT wagecheck.owed_agg(month, payable, paid) FROM pw;
CREATE TEMP TABLE ser AS
SELECT wagecheck.owed_agg(month, payable, paid) o,
       wagecheck.labour_cost_agg(month, payable, paid, '2024-06-30') l,
       wagecheck.coverage_agg(worker, true, paid > 0, true, paid = payable) c
  FROM pw;
CREATE TEMP TABLE ser_g AS
SELECT worker % 10 AS g, wagecheck.owed_agg(month, payable, paid) o FROM pw GROUP BY 1;

-- parallel = serial, whole rows compared
SELECT (SELECT o::text FROM par) = (SELECT o::text FROM ser) AS owed_same,
       (SELECT l::text FROM par) = (SELECT l::text FROM ser) AS labour_same,
       (SELECT c::text FROM par) = (SELECT c::text FROM ser) AS coverage_same;
SELECT count(*) AS groups_differing
  FROM par_g FULL JOIN ser_g USING (g) WHERE par_g.o::text IS DISTINCT FROM ser_g.o::text;
-- the whole table as one group (all workers' months folded together)
SELECT (o).* FROM ser;
SELECT (l).* FROM ser;

-- per worker, the aggregate equals plain SQL
WITH m AS (
  SELECT worker, month, greatest(payable - paid, 0) AS owed FROM pw
), islands AS (
  SELECT worker, month, owed,
         (extract(year FROM month) * 12 + extract(month FROM month))::int
           - row_number() OVER (PARTITION BY worker, owed > 0 ORDER BY month)::int AS island
    FROM m
), runs AS (
  SELECT worker, max(n) AS longest_run
    FROM (SELECT worker, count(*) AS n FROM islands WHERE owed > 0 GROUP BY worker, island) r
   GROUP BY worker
), plain AS (
  SELECT worker, sum(owed) AS owed, count(*) FILTER (WHERE owed > 0) AS months_owed,
         min(month) FILTER (WHERE owed > 0) AS oldest_unpaid,
         coalesce(max(r.longest_run), 0) AS longest_run
    FROM islands i LEFT JOIN runs r USING (worker) GROUP BY worker
), agg AS (
  SELECT worker, (wagecheck.owed_agg(month, payable, paid)).* FROM pw GROUP BY worker
)
SELECT count(*) AS workers,
       count(*) FILTER (WHERE a.owed = p.owed AND a.months_owed = p.months_owed
                          AND a.longest_run = p.longest_run
                          AND a.oldest_unpaid IS NOT DISTINCT FROM p.oldest_unpaid) AS agreeing,
       max(a.longest_run) AS max_run
  FROM agg a JOIN plain p USING (worker);
-- wage_month_agg and roster_months_agg (the views' aggregates): partial states through
-- bytes in a parallel plan = a serial plan = plain SQL. Net is payable less 100 (so some
-- rows are overpaid), payments 0-2 per row; roster entries: 400 workers per group of the
-- table, each with entries of 1-5 months starting in a third of the months (none in the
-- rest: a NULL start is ignored), that overlap, with gaps, open for one worker in 11 (a
-- NULL end), cut at 2024-10-15.
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT worker % 10 AS g, wagecheck.wage_month_agg(payable, payable - 100, paid, worker % 3),
       wagecheck.roster_months_agg(worker, CASE WHEN (worker / 10 + extract(month FROM month)::int) % 6 < 2 THEN month END,
                                   CASE WHEN worker % 11 > 0 THEN (month + (worker % 5) * interval '1 month')::date END, '2024-10-15')
  FROM pw GROUP BY 1;
CREATE TEMP TABLE par_v AS
SELECT worker % 10 AS g, wagecheck.wage_month_agg(payable, payable - 100, paid, worker % 3) AS w,
       wagecheck.roster_months_agg(worker, CASE WHEN (worker / 10 + extract(month FROM month)::int) % 6 < 2 THEN month END,
                                   CASE WHEN worker % 11 > 0 THEN (month + (worker % 5) * interval '1 month')::date END, '2024-10-15') AS r
  FROM pw GROUP BY 1;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser_v AS
SELECT worker % 10 AS g, wagecheck.wage_month_agg(payable, payable - 100, paid, worker % 3) AS w,
       wagecheck.roster_months_agg(worker, CASE WHEN (worker / 10 + extract(month FROM month)::int) % 6 < 2 THEN month END,
                                   CASE WHEN worker % 11 > 0 THEN (month + (worker % 5) * interval '1 month')::date END, '2024-10-15') AS r
  FROM pw GROUP BY 1;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.w::text = s.w::text AND p.r::text = s.r::text) AS parallel_same
  FROM par_v p JOIN ser_v s USING (g);
WITH plain AS (
  SELECT worker % 10 AS g, sum(payable) AS payable, sum(payable - 100) AS net, sum(paid) AS paid,
         sum(greatest(payable - 100 - paid, 0)) AS owed, count(*) FILTER (WHERE payable - 100 > paid) AS workers_owed,
         count(*) AS workers, count(*) FILTER (WHERE paid > 0) AS workers_paid, sum(worker % 3) AS payments
    FROM pw GROUP BY 1)
SELECT count(*) AS groups, count(*) FILTER (WHERE (s.w).payable = p.payable AND (s.w).net = p.net AND (s.w).paid = p.paid
                                              AND (s.w).owed = p.owed AND (s.w).workers_owed = p.workers_owed
                                              AND (s.w).workers = p.workers AND (s.w).workers_paid = p.workers_paid
                                              AND (s.w).payments = p.payments) AS wages_agreeing,
       min(p.workers_owed) > 0 AND min(p.workers - p.workers_owed) > 0 AS some_owed_some_not
  FROM ser_v s JOIN plain p USING (g);
WITH months AS (
  SELECT (date '2022-11-01' + k * interval '1 month')::date AS m FROM generate_series(0, 30) k
), plain AS (
  SELECT pw.worker % 10 AS g, months.m, count(DISTINCT pw.worker) AS workers
    FROM pw JOIN months ON date_trunc('month', pw.month) <= months.m
                       AND date_trunc('month', least(CASE WHEN pw.worker % 11 > 0 THEN pw.month + (pw.worker % 5) * interval '1 month' END,
                                                     '2024-10-15')) >= months.m
   WHERE (pw.worker / 10 + extract(month FROM pw.month)::int) % 6 < 2
   GROUP BY 1, 2
), grid AS (
  SELECT g, months.m, coalesce((s.r).workers[width_bucket(months.m, (s.r).months)], 0) AS workers
    FROM ser_v s CROSS JOIN months
)
SELECT count(*) AS group_months, count(*) FILTER (WHERE grid.workers = coalesce(plain.workers, 0)) AS roster_agreeing,
       count(DISTINCT grid.workers) AS different_counts, max(grid.workers) AS most_workers
  FROM grid LEFT JOIN plain USING (g, m);
DROP TABLE pw, par, par_g, ser, ser_g, par_v, ser_v;
DROP EXTENSION wagecheck CASCADE;
