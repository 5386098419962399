-- WP01 (G, project_month): no pay sheet for a month with attendance (有考勤未编制工资支付表).
-- no payroll (pay sheet) for a month with attendance, after the pay day (Decree 724 arts. 15, 31).

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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- RN04 and WP01 read of attendance only which workers attended which months: the changes of the
-- summary attendance_month (a day's attendance of months already attended is none)
-- time-driven: after the pay day
SELECT wagecheck._rule_define('WP01', 'G', 'project_month', '有考勤未编制工资支付表', 'no pay sheet for a month with attendance',
    description => 'no payroll (pay sheet) for a month with attendance, after the pay day (Decree 724 arts. 15, 31)',
    params => '{}',
    evaluator => 'wagecheck.eval_wp01(timestamptz)',
    project_evaluator => 'wagecheck.eval_wp01_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_wp01_horizon(timestamptz, timestamptz)',
    inputs => '{attendance_month,pay_sheet,roster,project}',
    uses => '{_attendance_months_compute,_attendance_pay_passing,_pay_dates_passing,_pay_terms,_pay_terms_in_use,attendance,attendance_month,attendance_months,attendance_project_month,wage_month,wage_pay_date}');
