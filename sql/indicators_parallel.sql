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
DROP TABLE pw, par, par_g, ser, ser_g;
DROP EXTENSION wagecheck CASCADE;
