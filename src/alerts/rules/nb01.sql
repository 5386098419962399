-- NB01 (G, project): no rights notice board (未设置维权信息告示牌).
-- no rights notice board recorded board_days after work started (Decree 724 art. 34).

-- NB01 (G, project): no rights notice board recorded board_days after work started.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_nb01(timestamptz) IS
    'NB01: projects under construction with no rights notice board (维权信息告示牌) recorded board_days after work started';

-- NB01: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_nb01_projects(timestamptz, bigint[]) IS
    'NB01 for the given projects only (project evaluator of eval_nb01)';

-- NB01: the day after board_days from the start, or the board's date, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status IN ('under_construction', 'suspended')
           AND (p.start_on + g.days + 1 > w.lo AND p.start_on + g.days + 1 <= w.hi
                OR p.notice_board_on > w.lo AND p.notice_board_on <= w.hi)
         ORDER BY p.project_id)
$$;

COMMENT ON FUNCTION wagecheck.eval_nb01_horizon(timestamptz, timestamptz) IS
    'NB01''s horizon: the projects whose board_days run out, or whose notice board is dated, between the two moments';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: board_days after the start
SELECT wagecheck._rule_define('NB01', 'G', 'project', '未设置维权信息告示牌', 'no rights notice board',
    description => 'no rights notice board recorded board_days after work started (Decree 724 art. 34)',
    params => '{"board_days": 7}',
    evaluator => 'wagecheck.eval_nb01(timestamptz)',
    project_evaluator => 'wagecheck.eval_nb01_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_nb01_horizon(timestamptz, timestamptz)',
    inputs => '{project}');
