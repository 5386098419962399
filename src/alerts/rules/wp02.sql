-- WP02 (G->K, worker_month): wages not fully paid by the pay day (工资未按时足额支付).
-- wages payable not fully paid by the pay day (G), still owed k_days after it (K).

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

-- WP02: the projects' months with wages owed past the pay day (K k_days after it).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p WHERE p.project_id = ANY (projects)) d
    )
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck._wages_unpaid(as_of, projects) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
$$;

COMMENT ON FUNCTION wagecheck.eval_wp02_projects(timestamptz, bigint[]) IS
    'WP02 for the given projects only (project evaluator of eval_wp02)';

-- WP02's horizon: the projects with a month still owed whose pay date, or pay date + k_days,
-- is passed between the two moments (NULL when the summary wage_month is not exact at to_ts).
-- The months owed are found by period among the few (month, pay terms) whose pay date passes
-- (_pay_dates_passing; for each k_days in use, in the window moved back by it), through the
-- partial index of the months owed, and kept where the project uses those terms (the index
-- roster_pay_terms) or they are the default ones: no pay date computed per month owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (
        SELECT DISTINCT (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    passing AS MATERIALIZED (
        SELECT d.period, d.pay_day, d.pay_month_offset FROM wagecheck._pay_dates_passing(from_ts, to_ts) d
        UNION
        SELECT d.period, d.pay_day, d.pay_month_offset
          FROM k
         CROSS JOIN LATERAL wagecheck._pay_dates_passing(from_ts - make_interval(days => k.days),
                                                         to_ts - make_interval(days => k.days)) d
    )
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN wagecheck._owed_months_passing(ARRAY(SELECT ROW(x.period, x.pay_day, x.pay_month_offset)::wagecheck.pay_term_month
                                                            FROM passing x), to_ts) END
$$;

COMMENT ON FUNCTION wagecheck.eval_wp02_horizon(timestamptz, timestamptz) IS
    'WP02''s date horizon: the projects with a month owed whose pay date or pay date + k_days falls between the two moments (NULL: cannot tell, the summary is not exact)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: after the pay day, K k_days later
SELECT wagecheck._rule_define('WP02', 'G', 'worker_month', '工资未按时足额支付', 'wages not fully paid by the pay day',
    description => 'wages payable not fully paid by the pay day (moved earlier when it falls on a rest day): owed → G; still owed k_days after → K (Decree 724 arts. 13-14)',
    params => '{"k_days": 30, "deadline_wd": 5}',
    evaluator => 'wagecheck.eval_wp02(timestamptz)',
    escalates => true,
    project_evaluator => 'wagecheck.eval_wp02_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_wp02_horizon(timestamptz, timestamptz)',
    inputs => '{pay_sheet,pay_line,wage_payment,roster,project}',
    uses => '{_owed_months_passing,_pay_dates_passing,_pay_terms,_pay_terms_in_use,_wages_owed_compute,_wages_owed_projects,_wages_unpaid,_wages_unpaid_summary,attendance_month,wage_month,wage_pay_date}');
