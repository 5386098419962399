-- WP03 (K, worker_on_project): wages owed for consecutive months (连续欠薪).
-- min_months or more consecutive months with wages owed to a worker on a project.

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

-- WP03: the projects' workers with min_months or more consecutive months owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_unpaid(as_of, projects) o
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    ),
    params AS MATERIALIZED (
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

COMMENT ON FUNCTION wagecheck.eval_wp03_projects(timestamptz, bigint[]) IS
    'WP03 for the given projects only (project evaluator of eval_wp03)';

-- WP03's horizon: the projects with a month still owed whose pay date is passed between the
-- two moments (a run of months owed grows then); NULL when the summary is not exact at to_ts.
-- As WP02's: the months owed of the (month, pay terms) whose pay date passes.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN wagecheck._owed_months_passing(ARRAY(SELECT ROW(d.period, d.pay_day, d.pay_month_offset)::wagecheck.pay_term_month
                                                            FROM wagecheck._pay_dates_passing(from_ts, to_ts) d), to_ts) END
$$;

COMMENT ON FUNCTION wagecheck.eval_wp03_horizon(timestamptz, timestamptz) IS
    'WP03''s date horizon: the projects with a month owed whose pay date falls between the two moments (NULL: cannot tell, the summary is not exact)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: months owed after their pay day
SELECT wagecheck._rule_define('WP03', 'K', 'worker_on_project', '连续欠薪', 'wages owed for consecutive months',
    description => 'min_months or more consecutive months with wages owed to a worker on a project',
    params => '{"min_months": 2, "deadline_wd": 5}',
    evaluator => 'wagecheck.eval_wp03(timestamptz)',
    project_evaluator => 'wagecheck.eval_wp03_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_wp03_horizon(timestamptz, timestamptz)',
    inputs => '{pay_sheet,pay_line,wage_payment,roster,project}',
    uses => '{_owed_months_passing,_pay_dates_passing,_pay_terms,_pay_terms_in_use,_wages_owed_compute,_wages_owed_projects,_wages_unpaid,_wages_unpaid_summary,attendance_month,wage_month,wage_pay_date}');
