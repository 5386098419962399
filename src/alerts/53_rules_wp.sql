-- Wage payment rules (工资支付): WP01-WP07.

-- WP01 (G, project-month): attendance in a month but no pay sheet after the pay day.
CREATE FUNCTION wagecheck.eval_wp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    -- from the summary attendance_month when it is exact for as_of, else attendance_months(as_of)
    att AS (
        SELECT m.project_id, m.period, count(*) AS workers
          FROM wagecheck.attendance_month m
         WHERE (SELECT ex.att FROM ex)
         GROUP BY 1, 2
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM wagecheck.attendance_months(as_of) m
         WHERE NOT (SELECT ex.att FROM ex)
         GROUP BY 1, 2
    ),
    -- the project's earliest pay terms: the first pay day of the month's wages
    terms AS (
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT att.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms), not one per project-month
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    ),
    due AS (
        SELECT keyed.project_id, keyed.period, keyed.workers, dates.pay_date
          FROM keyed JOIN dates USING (period, pay_day, pay_month_offset)
    )
    SELECT 'project', due.project_id::text, to_char(due.period, 'YYYY-MM'), due.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', due.workers, 'pay_date', due.pay_date)
      FROM due
      JOIN wagecheck.project p ON p.project_id = due.project_id
     WHERE due.pay_date < as_of::date
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = due.project_id AND s.period = due.period
                          AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01(timestamptz) IS
    'WP01: project-months with attendance and no pay sheet after the pay day (the earliest pay terms of the project''s roster)';

-- WP02 (G->K, worker on project, month): wages not fully paid by the pay day.
CREATE FUNCTION wagecheck.eval_wp02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck._wages_late(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
     WHERE o.owed > 0 AND o.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02(timestamptz) IS
    'WP02: a worker''s month of wages on a project not fully paid after the pay day (moved earlier to a working day); K when still owed k_days later';

-- WP03 (K, worker on project): min_months or more consecutive months with wages owed.
CREATE FUNCTION wagecheck.eval_wp03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               -- months since year 0 minus the row number: constant along a run of consecutive months
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_late(as_of) o
         WHERE o.owed > 0 AND o.pay_date < as_of::date
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP03', 'min_months', d.division))::int AS min_months
          FROM (SELECT DISTINCT p.division
                  FROM runs JOIN wagecheck.project p ON p.project_id = runs.project_id) d
    )
    SELECT DISTINCT ON (runs.project_id, runs.worker_id)
           'worker_on_project', runs.project_id || '/' || runs.worker_id, '', runs.project_id, runs.employer_id,
           p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', runs.worker_id, 'months', runs.months,
                              'from', to_char(runs.first_month, 'YYYY-MM'),
                              'to', to_char(runs.last_month, 'YYYY-MM'), 'owed', runs.owed)
      FROM runs
      JOIN wagecheck.project p ON p.project_id = runs.project_id
      JOIN params ON params.division = p.division
     WHERE runs.months >= params.min_months
     ORDER BY runs.project_id, runs.worker_id, runs.months DESC, runs.last_month DESC
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03(timestamptz) IS
    'WP03: workers on a project with min_months or more consecutive months owed (the longest run)';

-- WP04 (K, payment): paid in cash, or into an account that is not the worker's registered card.
CREATE FUNCTION wagecheck.eval_wp04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', y.payment_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'amount', y.amount, 'method', y.method,
                              'paid_at', y.paid_at,
                              'reason', CASE WHEN y.method = 'cash' THEN 'cash'
                                             WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                                             ELSE 'not the worker''s registered card' END)
      FROM wagecheck.wage_payment y
      JOIN wagecheck.pay_line l ON l.line_id = y.line_id
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
      JOIN wagecheck.worker k ON k.worker_id = l.worker_id
     WHERE y.paid_at <= as_of AND y.created_at <= as_of
       AND (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp04(timestamptz) IS
    'WP04: wage payments in cash or into an account other than the worker''s own registered card';

-- WP05 (G, worker on project, month): full-month pay below the local monthly minimum wage.
CREATE FUNCTION wagecheck.eval_wp05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM wagecheck.wages_owed(as_of) f
      JOIN wagecheck.project p ON p.project_id = f.project_id
      JOIN params ON params.division = p.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05(timestamptz) IS
    'WP05: a full month''s pay (days >= full_month_days) below the local monthly minimum wage (min_monthly_wage, per division)';

-- WP06 (G, worker): over month_amount in one month or year_amount in one year (possible fictitious payroll).
CREATE FUNCTION wagecheck.eval_wp06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH bounds AS MATERIALIZED (   -- the lowest limits of any division: only sums above them can hit
        SELECT min(v.amount) FILTER (WHERE v.key = 'month_amount') AS month_amount,
               min(v.amount) FILTER (WHERE v.key = 'year_amount') AS year_amount
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP06'
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP06') v
    ),
    owed AS MATERIALIZED (
        SELECT o.worker_id, o.project_id, o.period, o.payable FROM wagecheck.wages_owed(as_of) o
    ),
    -- sums in float8 (no numeric state per group) only choose the worker-months and years
    -- summed exactly below; the margin covers their rounding, so no sum over a limit is missed
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
        HAVING sum(a.payable) > (SELECT b.year_amount FROM bounds b)::float8 - sum(a.size) * 1e-9
    ),
    months AS MATERIALIZED (   -- exact sums of the worker-months that may be over a limit
        SELECT o.worker_id, o.period, sum(o.payable) AS payable
          FROM owed o
          JOIN approx a ON a.worker_id = o.worker_id AND a.period = o.period
         WHERE a.payable > (SELECT b.month_amount FROM bounds b)::float8 - a.size * 1e-9
            OR (a.worker_id, a.year) IN (SELECT y.worker_id, y.year FROM maybe_years y)
         GROUP BY o.worker_id, o.period
    ),
    candidates AS (    -- the worker-months over the lowest month limit, or in a year over the lowest year limit
        SELECT m.worker_id, m.period
          FROM months m
         WHERE m.payable > (SELECT b.month_amount FROM bounds b)
            OR (m.worker_id, date_trunc('year', m.period::timestamp)) IN
               (SELECT y.worker_id, date_trunc('year', y.period::timestamp) FROM months y
                 WHERE (y.worker_id, date_trunc('year', y.period::timestamp)) IN
                       (SELECT my.worker_id, my.year FROM maybe_years my)
                 GROUP BY y.worker_id, date_trunc('year', y.period::timestamp)
                HAVING sum(y.payable) > (SELECT b.year_amount FROM bounds b))
    ),
    pay AS (
        -- the worker's division: that of the first project of the month
        SELECT o.worker_id, o.period, sum(o.payable) AS payable,
               (array_agg(p.division ORDER BY o.project_id))[1] AS division, min(o.project_id) AS project_id
          FROM owed o
          JOIN candidates c ON c.worker_id = o.worker_id AND c.period = o.period
          JOIN wagecheck.project p ON p.project_id = o.project_id
         GROUP BY o.worker_id, o.period
    ),
    sums AS (
        SELECT pay.worker_id, to_char(pay.period, 'YYYY-MM') AS period, pay.payable, pay.division,
               pay.project_id, 'month_amount' AS limit_key
          FROM pay
        UNION ALL
        SELECT pay.worker_id, to_char(pay.period, 'YYYY'), sum(pay.payable),
               (array_agg(pay.division ORDER BY pay.period))[1], min(pay.project_id), 'year_amount'
          FROM pay
         GROUP BY pay.worker_id, to_char(pay.period, 'YYYY')
    ),
    limits AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, k.limit_key, (wagecheck.rule_param('WP06', k.limit_key, d.division))::numeric AS amount
          FROM (SELECT DISTINCT pay.division FROM pay) d
         CROSS JOIN (VALUES ('month_amount'), ('year_amount')) k(limit_key)
    )
    SELECT 'worker', s.worker_id::text, s.period, s.project_id, NULL::bigint, s.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.limit_key)
      FROM sums s
      JOIN limits l ON l.division = s.division AND l.limit_key = s.limit_key
     WHERE s.payable > l.amount
$$;
COMMENT ON FUNCTION wagecheck.eval_wp06(timestamptz) IS
    'WP06: a worker paid (payable, all projects) over month_amount in a month (period YYYY-MM) or over year_amount in a year (period YYYY): possible fictitious payroll';

-- WP07 (K, roster entry): left the project without final settlement within settle_days.
CREATE FUNCTION wagecheck.eval_wp07(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM wagecheck.roster r
      JOIN wagecheck.project p ON p.project_id = r.project_id
      JOIN g ON g.division = p.division
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07(timestamptz) IS
    'WP07: workers who left a project over settle_days ago without final wage settlement';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('WP01', 'G', false, false, 'project_month', '有考勤未编制工资支付表', 'no pay sheet for a month with attendance',
 'no payroll (pay sheet) for a month with attendance, after the pay day (Decree 724 arts. 15, 31)',
 '{}', 'wagecheck.eval_wp01(timestamptz)'),
('WP02', 'G', true, false, 'worker_month', '工资未按时足额支付', 'wages not fully paid by the pay day',
 'wages payable not fully paid by the pay day (moved earlier when it falls on a rest day): owed → G; still owed k_days after → K (Decree 724 arts. 13-14)',
 '{"k_days": 30, "deadline_wd": 5}', 'wagecheck.eval_wp02(timestamptz)'),
('WP03', 'K', false, false, 'worker_on_project', '连续欠薪', 'wages owed for consecutive months',
 'min_months or more consecutive months with wages owed to a worker on a project',
 '{"min_months": 2, "deadline_wd": 5}', 'wagecheck.eval_wp03(timestamptz)'),
('WP04', 'K', false, true, 'payment', '未通过专户发放至本人银行卡', 'wage not paid into the worker''s own card',
 'a wage paid in cash, or into an account that is not the worker''s own registered card (Decree 724 art. 31)',
 '{"deadline_wd": 5}', 'wagecheck.eval_wp04(timestamptz)'),
('WP05', 'G', false, false, 'worker_month', '工资低于最低工资标准', 'pay below the minimum wage',
 'a full month''s pay (full_month_days worked) below the local monthly minimum wage (min_monthly_wage, per division: Shandong 2023 class I 2200)',
 '{"min_monthly_wage": 2200, "full_month_days": 21.75}', 'wagecheck.eval_wp05(timestamptz)'),
('WP06', 'G', false, false, 'worker', '工资发放金额异常', 'unusually high pay (possible fictitious payroll)',
 'more than month_amount in one month or year_amount in one year to one worker, all projects together',
 '{"month_amount": 50000, "year_amount": 300000}', 'wagecheck.eval_wp06(timestamptz)'),
('WP07', 'K', false, false, 'roster', '离场未结清工资', 'left without final settlement',
 'a worker who left the project without final wage settlement within settle_days',
 '{"settle_days": 30, "deadline_wd": 5}', 'wagecheck.eval_wp07(timestamptz)');
