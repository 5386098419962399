-- Indicators: a generated city-year and its arrears figures by county, project and worker
-- The benchmark generator builds a small Linyi (2% of the city-year: 40 projects, 2,000
-- workers, a year of daily attendance, pay sheets, payments and labour cost, with arrears and
-- late labour cost here and there) in a database of its own, wagecheck_demo_city.
DROP DATABASE IF EXISTS wagecheck_demo_city;
CREATE DATABASE wagecheck_demo_city;
\c wagecheck_demo_city
SET client_min_messages = warning;
CREATE EXTENSION wagecheck;
\set ECHO none
\i test/bench/gen_city.sql
\set ECHO queries
CALL wc_bench.gen_city(0.02);
RESET client_min_messages;

-- June 2024 by county (县区): wages owed, workers owed, labour cost short, attendees paid
SELECT county, projects, wages_payable, wages_owed, workers_owed, longest_owed_run,
       labour_cost_shortfall, max_labour_cost_days_overdue, share_attendees_paid,
       share_payments_own_card_via_account
  FROM wagecheck.county_month_indicators WHERE period = '2024-06-01' ORDER BY wages_owed DESC, county;

-- The same month by sector regulator and by funding type
SELECT sector, projects, wages_owed, labour_cost_shortfall, deposit_required, deposit_in_place
  FROM wagecheck.sector_month_indicators WHERE period = '2024-06-01' ORDER BY sector;
SELECT funding, projects, wages_owed, projects_owing, labour_cost_shortfall, projects_with_shortfall
  FROM wagecheck.funding_month_indicators WHERE period = '2024-06-01' ORDER BY funding;

-- Projects owing the most, any month: how long, how many workers, since when
SELECT project_code, period, wages_owed, workers_owed, longest_owed_run, oldest_unpaid_period,
       attendees_not_on_payroll, labour_cost_shortfall, labour_cost_days_overdue
  FROM wagecheck.project_month_indicators
 WHERE wages_owed > 0 ORDER BY longest_owed_run DESC, wages_owed DESC LIMIT 8;

-- The aggregates on raw rows: the workers with the longest runs of months owed (WP03: 2 or more)
SELECT l.worker_id, (o).owed, (o).months_owed, (o).longest_run, (o).oldest_unpaid
  FROM (SELECT l.worker_id,
               wagecheck.owed_agg(s.period, l.net, coalesce(p.paid, 0)) AS o
          FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)
          LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM wagecheck.wage_payment GROUP BY 1) p USING (line_id)
         GROUP BY l.worker_id) l
 WHERE (o).longest_run >= 2 ORDER BY (o).longest_run DESC, (o).owed DESC LIMIT 5;

-- Labour cost paid into the dedicated accounts, as of 2024-10-15, projects furthest behind (AC02)
SELECT a.project_id, (x).due, (x).paid, (x).shortfall, (x).days_overdue, (x).oldest_unpaid_due
  FROM (SELECT project_id, wagecheck.labour_cost_agg(day, due, paid, '2024-10-15') AS x
          FROM (SELECT project_id, due_on AS day, amount_due AS due, 0 AS paid FROM wagecheck.labour_cost_schedule
                UNION ALL
                SELECT w.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
                  FROM wagecheck.account_txn t JOIN wagecheck.wage_account w USING (account_id)
                 WHERE t.direction = 'in' AND t.purpose = 'labour_cost') e
         GROUP BY project_id) a
 WHERE (x).shortfall > 0 ORDER BY (x).days_overdue DESC LIMIT 5;

-- The aggregates run in parallel: partial states in the workers, merged exactly in the leader
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT (wagecheck.coverage_agg(worker_id, false, true, false, false)).attended FROM wagecheck.attendance;
