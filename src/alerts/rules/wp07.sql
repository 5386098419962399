-- WP07 (K, roster): left without final settlement (离场未结清工资).
-- a worker who left the project without final wage settlement within settle_days.

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

-- WP07: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.project_id, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM q p
      JOIN g ON g.division = p.division
      JOIN wagecheck.roster r ON r.project_id = p.project_id
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_wp07_projects(timestamptz, bigint[]) IS
    'WP07 for the given projects only (project evaluator of eval_wp07)';

-- WP07: the day after settle_days from leaving, or a settlement's date, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (   -- once per division, not per project
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT DISTINCT r.project_id
          FROM wagecheck.roster r
          JOIN wagecheck.project p ON p.project_id = r.project_id
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE r.end_on + g.days + 1 > w.lo AND r.end_on + g.days + 1 <= w.hi
            OR r.settled_on > w.lo AND r.settled_on <= w.hi
         ORDER BY 1)
$$;

COMMENT ON FUNCTION wagecheck.eval_wp07_horizon(timestamptz, timestamptz) IS
    'WP07''s horizon: the projects on which a worker''s settle_days after leaving run out, or a settlement is dated, between the two moments';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: settle_days after leaving
SELECT wagecheck._rule_define('WP07', 'K', 'roster', '离场未结清工资', 'left without final settlement',
    description => 'a worker who left the project without final wage settlement within settle_days',
    params => '{"deadline_wd": 5, "settle_days": 30}',
    evaluator => 'wagecheck.eval_wp07(timestamptz)',
    project_evaluator => 'wagecheck.eval_wp07_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_wp07_horizon(timestamptz, timestamptz)',
    inputs => '{roster,project}');
