-- Wage payment rules (工资支付): WP01-WP07.

-- WP01 (G, project-month): attendance in a month but no pay sheet after the pay day. The
-- project-months without a sheet known are found first (few: mostly the current month), and
-- those whose pay date cannot have passed for any pay terms in use are left out before the
-- pay terms of the remaining projects are read (through the roster's key).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    -- from the summary attendance_project_month when attendance_month is exact for as_of,
    -- else attendance_months(as_of)
    att AS (
        SELECT m.project_id, m.period, m.workers
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.att FROM ex)
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM wagecheck.attendance_months(as_of) m
         WHERE NOT (SELECT ex.att FROM ex)
         GROUP BY 1, 2
    ),
    unsheeted AS MATERIALIZED (    -- the months with no pay sheet known
        SELECT att.*
          FROM att
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                            WHERE s.project_id = att.project_id AND s.period = att.period
                              AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
    ),
    earliest AS MATERIALIZED (     -- per month, its earliest pay date for the pay terms in use
        SELECT k.period, min(wagecheck.wage_pay_date(k.period, u.pay_day, u.pay_month_offset)) AS pay_date
          FROM (SELECT DISTINCT unsheeted.period FROM unsheeted) k
         CROSS JOIN wagecheck._pay_terms_in_use() u
         GROUP BY k.period
    ),
    cand AS MATERIALIZED (
        SELECT unsheeted.*
          FROM unsheeted JOIN earliest USING (period)
         WHERE earliest.pay_date < as_of::date
    ),
    -- the project's earliest pay terms: the first pay day of the month's wages
    terms AS (
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         WHERE t.project_id = ANY (ARRAY(SELECT DISTINCT cand.project_id FROM cand))   -- by the roster's key
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT cand.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM cand LEFT JOIN terms ON terms.project_id = cand.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms), not one per project-month
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    )
    SELECT 'project', keyed.project_id::text, to_char(keyed.period, 'YYYY-MM'), keyed.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', keyed.workers, 'pay_date', dates.pay_date)
      FROM keyed
      JOIN dates USING (period, pay_day, pay_month_offset)
      JOIN wagecheck.project p ON p.project_id = keyed.project_id
     WHERE dates.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01(timestamptz) IS
    'WP01: project-months with attendance and no pay sheet after the pay day (the earliest pay terms of the project''s roster)';

-- WP01 for the given projects only (project evaluator): eval_wp01 with the projects as the
-- start of the plan (their months through attendance_project_month's primary key, or their
-- attendance rows when it is not exact; their roster and sheets through their project keys).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    att AS (
        SELECT m.project_id, m.period, m.workers
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.att FROM ex) AND m.project_id = ANY (projects)
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.att FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
         GROUP BY 1, 2
    ),
    terms AS (             -- the project's earliest pay terms
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         WHERE t.project_id = ANY (projects)
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT att.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
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
COMMENT ON FUNCTION wagecheck.eval_wp01_projects(timestamptz, bigint[]) IS
    'WP01 for the given projects only (project evaluator of eval_wp01)';

-- WP01's horizon: time alone changes which months have their pay date before as_of::date (the
-- sheets' prepared_on and the roster's dates are rows' own dates, recorded by the change
-- capture). The projects with a month attended whose pay date passes for terms in use
-- (_attendance_pay_passing) and no pay sheet for it prepared and known by to_ts (one that
-- turns known or prepared in between is a change the capture records).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT coalesce(array_agg(DISTINCT pm.project_id ORDER BY pm.project_id), '{}')
      FROM (SELECT DISTINCT a.project_id, a.period
              FROM wagecheck._attendance_pay_passing(from_ts, to_ts) a) pm
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = pm.project_id AND s.period = pm.period
                          AND s.prepared_on <= to_ts::date AND s.created_at <= to_ts)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01_horizon(timestamptz, timestamptz) IS
    'WP01''s horizon: the projects whose hits may change between two moments by time alone (the pay date of a month with attendance and no pay sheet passing)';

-- WP02 (G->K, worker on project, month): wages not fully paid by the pay day.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
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
      FROM wagecheck._wages_unpaid(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02(timestamptz) IS
    'WP02: a worker''s month of wages on a project not fully paid after the pay day (moved earlier to a working day); K when still owed k_days later';

-- WP03 (K, worker on project): min_months or more consecutive months with wages owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               -- months since year 0 minus the row number: constant along a run of consecutive months
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_unpaid(as_of) o
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
-- Read from the summary payment_off_card (kept at write time whatever the payments' moments):
-- those known at as_of.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', o.payment_id::text, '', o.project_id, o.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'amount', o.amount, 'method', o.method,
                              'paid_at', o.paid_at, 'reason', o.reason)
      FROM wagecheck.payment_off_card o
      JOIN wagecheck.project p ON p.project_id = o.project_id
     WHERE o.paid_at <= as_of AND o.created_at <= as_of
$$;
COMMENT ON FUNCTION wagecheck.eval_wp04(timestamptz) IS
    'WP04: wage payments in cash or into an account other than the worker''s own registered card';

-- _wp05_months(as_of, below, days): the months (project, worker) paid below `below` for at
-- least `days` days, as known at as_of: from the summary wage_month by its index on payable
-- when it is exact for as_of, else from the raw rows. PL/pgSQL so that the bounds are known
-- to the planner (a custom plan: an index range, not a third of the table).
CREATE OR REPLACE FUNCTION wagecheck._wp05_months(as_of timestamptz, below numeric, min_days numeric)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date, days numeric,
                   payable numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        SELECT w.project_id, w.worker_id, w.employer_id, w.period, w.days, w.payable::numeric
          FROM wagecheck.wage_month w
         WHERE w.payable < below AND w.days >= min_days;
    ELSE
        RETURN QUERY
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.days, o.payable
          FROM wagecheck._wages_owed_compute(as_of) o
         WHERE o.payable < below AND o.days >= min_days;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wp05_months(timestamptz, numeric, numeric) IS
    'WP05''s candidate months: paid below a bound for at least a number of days, from wage_month when exact, else from the raw rows (internal)';

-- WP05 (G, worker on project, month): full-month pay below the local monthly minimum wage.
-- Only the months below the highest minimum wage of any division (catalogue or override), of
-- at least the fewest full-month days, are read (_wp05_months).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH bounds AS MATERIALIZED (   -- the highest minimum and fewest days of any division: only months below it can hit
        SELECT max(v.amount) FILTER (WHERE v.key = 'min_monthly_wage') AS min_wage,
               min(v.amount) FILTER (WHERE v.key = 'full_month_days') AS full_days
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP05' AND e.key IN ('min_monthly_wage', 'full_month_days')
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP05' AND e.key IN ('min_monthly_wage', 'full_month_days')) v
    ),
    months AS MATERIALIZED (
        SELECT f.*, p.division
          FROM bounds b
         CROSS JOIN LATERAL wagecheck._wp05_months(as_of, b.min_wage, b.full_days) f
          JOIN wagecheck.project p ON p.project_id = f.project_id
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT months.division FROM months) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, f.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM months f
      JOIN params ON params.division = f.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05(timestamptz) IS
    'WP05: a full month''s pay (days >= full_month_days) below the local monthly minimum wage (min_monthly_wage, per division)';

-- _wp06_sums(as_of, month_over, year_over): a worker's sums of payable over all projects
-- above month_over in a month (span month) or above year_over in a year (span year), with
-- the first project (of the first month) and the lowest project. When the summaries are
-- exact for as_of, from worker_pay by its index on payable, and the projects from the
-- worker's pay lines; else from the raw rows (_wages_owed_compute). PL/pgSQL so that the
-- bounds are known to the planner (a custom plan: an index range).
CREATE OR REPLACE FUNCTION wagecheck._wp06_sums(as_of timestamptz, month_over numeric, year_over numeric)
    RETURNS TABLE (worker_id bigint, span text, period date, payable numeric, first_project bigint,
                   min_project bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        WITH over AS (
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'month' AND w.payable > month_over
            UNION ALL
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'year' AND w.payable > year_over
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

-- WP07 (K, roster entry): left the project without final settlement within settle_days.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
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
 '{"settle_days": 30, "deadline_wd": 5}', 'wagecheck.eval_wp07(timestamptz)')
ON CONFLICT (code) DO UPDATE SET
    tier = EXCLUDED.tier,
    escalates = EXCLUDED.escalates,
    once = EXCLUDED.once,
    subject_kind = EXCLUDED.subject_kind,
    name_zh = EXCLUDED.name_zh,
    name_en = EXCLUDED.name_en,
    description = EXCLUDED.description,
    params = EXCLUDED.params,
    evaluator = EXCLUDED.evaluator;
UPDATE wagecheck.rule SET project_evaluator = 'wagecheck.eval_wp01_projects(timestamptz, bigint[])',
                          horizon = 'wagecheck.eval_wp01_horizon(timestamptz, timestamptz)'
 WHERE code = 'WP01';
