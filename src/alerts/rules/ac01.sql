-- AC01 (K, project): no dedicated wage account in time (未按时开立工资专用账户).
-- no dedicated wage account open_days after the construction contract was signed (人社部发〔2021〕53号).

-- AC01 (K, project): no dedicated account open_days after the construction contract.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;

COMMENT ON FUNCTION wagecheck.eval_ac01(timestamptz) IS
    'AC01: projects with no dedicated wage account open_days after the construction contract was signed';

-- AC01: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;

COMMENT ON FUNCTION wagecheck.eval_ac01_projects(timestamptz, bigint[]) IS
    'AC01 for the given projects only (project evaluator of eval_ac01)';

-- AC01: the day after open_days from the contract, or an account's opening, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status NOT IN ('completed', 'closed')
           AND p.contract_signed_on + g.days + 1 > w.lo AND p.contract_signed_on + g.days + 1 <= w.hi
        UNION
        SELECT a.project_id
          FROM wagecheck.wage_account a
         CROSS JOIN w
         WHERE a.opened_on > w.lo AND a.opened_on <= w.hi
         ORDER BY 1)
$$;

COMMENT ON FUNCTION wagecheck.eval_ac01_horizon(timestamptz, timestamptz) IS
    'AC01''s horizon: the projects whose open_days after the contract run out, or whose account opens, between the two moments';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- RN04 and WP01 read of attendance only which workers attended which months: the changes of the
-- summary attendance_month (a day's attendance of months already attended is none)
-- time-driven: open_days after the contract
SELECT wagecheck._rule_define('AC01', 'K', 'project', '未按时开立工资专用账户', 'no dedicated wage account in time',
    description => 'no dedicated wage account open_days after the construction contract was signed (人社部发〔2021〕53号)',
    params => '{"open_days": 30, "deadline_wd": 5}',
    evaluator => 'wagecheck.eval_ac01(timestamptz)',
    project_evaluator => 'wagecheck.eval_ac01_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_ac01_horizon(timestamptz, timestamptz)',
    inputs => '{project,wage_account}');
