-- WP06 (G, worker): unusually high pay (possible fictitious payroll) (工资发放金额异常).
-- more than month_amount in one month or year_amount in one year to one worker.

-- _wp06_sums(as_of, month_over, year_over): a worker's sums of payable over all projects
-- above month_over in a month (span month) or above year_over in a year (span year), with
-- the first project (of the first month) and the lowest project. When the summaries are
-- exact for as_of, from worker_pay by its index of the sums marked high (over 25,000 a month,
-- 150,000 a year: limits set lower read the whole table), and the projects from the
-- worker's pay lines; else from the raw rows (_wages_owed_compute). PL/pgSQL so that each
-- way is planned on its own.
CREATE OR REPLACE FUNCTION wagecheck._wp06_sums(as_of timestamptz, month_over numeric, year_over numeric)
    RETURNS TABLE (worker_id bigint, span text, period date, payable numeric, first_project bigint,
                   min_project bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        -- (a bound at or above worker_pay's high one reads the rows marked high by their index;
        -- a lower one reads the whole table: each branch's bound test is a one-time filter)
        WITH over AS (
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.high AND w.span = 'month' AND w.payable > month_over AND month_over >= 25000
            UNION ALL
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'month' AND w.payable > month_over AND NOT month_over >= 25000
            UNION ALL
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.high AND w.span = 'year' AND w.payable > year_over AND year_over >= 150000
            UNION ALL
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'year' AND w.payable > year_over AND NOT year_over >= 150000
        )
        -- the projects of the sums' wage_month rows: the sheets of the worker's lines then
        SELECT o.worker_id, o.span, o.period, o.payable::numeric, f.first_project, f.min_project
          FROM over o
         CROSS JOIN LATERAL (
                SELECT (array_agg(s.project_id ORDER BY s.period, s.project_id))[1] AS first_project,
                       min(s.project_id) AS min_project
                  FROM wagecheck.pay_line l
                  JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
                 WHERE l.worker_id = o.worker_id AND s.period >= o.period
                   AND s.period < o.period + CASE o.span WHEN 'month' THEN interval '1 month'
                                                         ELSE interval '1 year' END) f;
    ELSE
        RETURN QUERY
        WITH owed AS MATERIALIZED (
            SELECT o.worker_id, o.project_id, o.period, o.payable FROM wagecheck._wages_owed_compute(as_of) o
        ),
        -- sums in float8 (no numeric state per group) only choose the worker-months and years
        -- summed exactly below; the margin covers their rounding, so no sum over a bound is missed
        approx AS MATERIALIZED (
            SELECT o.worker_id, o.period, date_trunc('year', o.period::timestamp) AS year,
                   sum(o.payable::float8) AS payable, sum(abs(o.payable::float8)) AS size
              FROM owed o
             GROUP BY o.worker_id, o.period
        ),
        maybe_years AS MATERIALIZED (
            SELECT a.worker_id, a.year
              FROM approx a
             GROUP BY a.worker_id, a.year
            HAVING sum(a.payable) > year_over::float8 - sum(a.size) * 1e-9
        ),
        months AS MATERIALIZED (   -- exact sums of the worker-months that may be over a bound
            SELECT o.worker_id, o.period, sum(o.payable) AS payable
              FROM owed o
              JOIN approx a ON a.worker_id = o.worker_id AND a.period = o.period
             WHERE a.payable > month_over::float8 - a.size * 1e-9
                OR (a.worker_id, a.year) IN (SELECT y.worker_id, y.year FROM maybe_years y)
             GROUP BY o.worker_id, o.period
        ),
        years AS (         -- the years over the bound, summed exactly
            SELECT y.worker_id, date_trunc('year', y.period)::date AS year
              FROM months y
             WHERE (y.worker_id, date_trunc('year', y.period::timestamp)) IN
                   (SELECT my.worker_id, my.year FROM maybe_years my)
             GROUP BY y.worker_id, date_trunc('year', y.period)::date
            HAVING sum(y.payable) > year_over
        ),
        pay AS (           -- the months over the bound or in a year over its bound, and their projects
            SELECT o.worker_id, o.period, sum(o.payable) AS payable, min(o.project_id) AS project_id
              FROM owed o
              JOIN months m ON m.worker_id = o.worker_id AND m.period = o.period
             WHERE m.payable > month_over
                OR (m.worker_id, date_trunc('year', m.period)::date) IN (SELECT y.worker_id, y.year FROM years y)
             GROUP BY o.worker_id, o.period
        )
        SELECT pay.worker_id, 'month', pay.period, pay.payable, pay.project_id, pay.project_id
          FROM pay
         WHERE pay.payable > month_over
        UNION ALL
        SELECT pay.worker_id, 'year', date_trunc('year', pay.period)::date, sum(pay.payable),
               (array_agg(pay.project_id ORDER BY pay.period))[1], min(pay.project_id)
          FROM pay
         GROUP BY pay.worker_id, date_trunc('year', pay.period)::date
        HAVING sum(pay.payable) > year_over;
    END IF;
END
$$;

COMMENT ON FUNCTION wagecheck._wp06_sums(timestamptz, numeric, numeric) IS
    'WP06''s candidate sums: a worker''s payable over all projects above a bound in a month or a year, from worker_pay when exact, else from the raw rows (internal)';

-- WP06 (G, worker): over month_amount in one month or year_amount in one year (possible fictitious payroll).
-- Only the sums over the lowest limits of any division are read (_wp06_sums).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH bounds AS MATERIALIZED (   -- the lowest limits of any division: only sums above them can hit
        SELECT min(v.amount) FILTER (WHERE v.key = 'month_amount') AS month_amount,
               min(v.amount) FILTER (WHERE v.key = 'year_amount') AS year_amount
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP06' AND e.key IN ('month_amount', 'year_amount')
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP06' AND e.key IN ('month_amount', 'year_amount')) v
    ),
    -- the worker's division: that of the first project of the month (of the year's first month)
    sums AS MATERIALIZED (
        SELECT s.worker_id, s.span, s.period, s.payable, s.min_project, p.division
          FROM bounds b
         CROSS JOIN LATERAL wagecheck._wp06_sums(as_of, b.month_amount, b.year_amount) s
          JOIN wagecheck.project p ON p.project_id = s.first_project
    ),
    limits AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, k.span,
               (wagecheck.rule_param('WP06', k.span || '_amount', d.division))::numeric AS amount
          FROM (SELECT DISTINCT sums.division FROM sums) d
         CROSS JOIN (VALUES ('month'), ('year')) k(span)
    )
    SELECT 'worker', s.worker_id::text, to_char(s.period, CASE s.span WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY' END),
           s.min_project, NULL::bigint, s.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.span || '_amount')
      FROM sums s
      JOIN limits l ON l.division = s.division AND l.span = s.span
     WHERE s.payable > l.amount
$$;

COMMENT ON FUNCTION wagecheck.eval_wp06(timestamptz) IS
    'WP06: a worker paid (payable, all projects) over month_amount in a month (period YYYY-MM) or over year_amount in a year (period YYYY): possible fictitious payroll';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- WP05 and WP06 read only the days and payable of wages_owed: its rows and those columns come from
-- the sheets and lines alone (payments and pay terms give paid and pay_date)
-- WP05 and WP06 read only the days and payable of wages_owed: its rows and those columns come from
-- the sheets and lines alone (payments and pay terms give paid and pay_date)
SELECT wagecheck._rule_define('WP06', 'G', 'worker', '工资发放金额异常', 'unusually high pay (possible fictitious payroll)',
    description => 'more than month_amount in one month or year_amount in one year to one worker, all projects together',
    params => '{"year_amount": 300000, "month_amount": 50000}',
    evaluator => 'wagecheck.eval_wp06(timestamptz)',
    inputs => '{pay_sheet,pay_line,project}',
    time_driven => false,
    uses => '{_pay_terms,_wages_owed_compute,attendance_month,roster,wage_month,wage_pay_date,wage_payment,worker_pay}');
