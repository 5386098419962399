-- WP05 (G, worker_month): pay below the minimum wage (工资低于最低工资标准).
-- a full month's pay (full_month_days worked) below the local monthly minimum wage.

-- _wp05_months(as_of, below, days): the months (project, worker) paid below `below` for at
-- least `days` days, as known at as_of: from the summary wage_month by its index on payable
-- (the months paid below 4,000: a bound above reads the whole table) when it is exact for
-- as_of, else from the raw rows. PL/pgSQL so that the bounds are known to the planner (a
-- custom plan: an index range, not a third of the table).
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

-- WP05: the projects' full months paid below the minimum wage.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    -- the projects' months from the summary wage_month when it is exact, else from the raw rows
    full_month AS (
        SELECT w.project_id, w.worker_id, w.employer_id, w.period, w.days, w.payable, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
          JOIN wagecheck.wage_month w ON w.project_id = p.project_id
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.days, o.payable, p.division
          FROM wagecheck._wages_owed_compute(as_of) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
         WHERE NOT (SELECT ex.exact FROM ex) AND o.project_id = ANY (projects)
    ),
    params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT full_month.division FROM full_month) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, f.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM full_month f
      JOIN params ON params.division = f.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;

COMMENT ON FUNCTION wagecheck.eval_wp05_projects(timestamptz, bigint[]) IS
    'WP05 for the given projects only (project evaluator of eval_wp05)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- WP05 and WP06 read only the days and payable of wages_owed: its rows and those columns come from
-- the sheets and lines alone (payments and pay terms give paid and pay_date)
SELECT wagecheck._rule_define('WP05', 'G', 'worker_month', '工资低于最低工资标准', 'pay below the minimum wage',
    description => 'a full month''s pay (full_month_days worked) below the local monthly minimum wage (min_monthly_wage, per division: Shandong 2023 class I 2200)',
    params => '{"full_month_days": 21.75, "min_monthly_wage": 2200}',
    evaluator => 'wagecheck.eval_wp05(timestamptz)',
    project_evaluator => 'wagecheck.eval_wp05_projects(timestamptz, bigint[])',
    inputs => '{pay_sheet,pay_line,project}',
    time_driven => false,
    uses => '{_pay_terms,_wages_owed_compute,attendance_month,roster,wage_month,wage_pay_date,wage_payment}');
