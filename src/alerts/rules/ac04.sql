-- AC04 (G, project): labour-cost share below the minimum (人工费用比例低于规定).
-- the contract's labour-cost share is below the provincial minimum for the sector.

-- AC04 (G, project): agreed labour-cost share below the minimum for the sector.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.owner_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('sector', p.sector, 'labour_share', p.labour_share, 'minimum', m.share)
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric
                                AS share) m
     WHERE p.created_at <= as_of AND p.status NOT IN ('completed', 'closed')
       AND p.labour_share < m.share
$$;

COMMENT ON FUNCTION wagecheck.eval_ac04(timestamptz) IS
    'AC04: projects whose contract''s labour-cost share is below the minimum for their sector (min_share, per province)';

-- AC04: the projects whose labour-cost share is below the minimum for their sector.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.owner_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('sector', p.sector, 'labour_share', p.labour_share, 'minimum', m.share)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric
                                AS share) m
     WHERE p.created_at <= as_of AND p.status NOT IN ('completed', 'closed')
       AND p.labour_share < m.share
$$;

COMMENT ON FUNCTION wagecheck.eval_ac04_projects(timestamptz, bigint[]) IS
    'AC04 for the given projects only (project evaluator of eval_ac04)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('AC04', 'G', 'project', '人工费用比例低于规定', 'labour-cost share below the minimum',
    description => 'the contract''s labour-cost share is below the provincial minimum for the sector (Shandong 2022: housing 20%, transport 8%, municipal and water 12%)',
    params => '{"min_share": {"water": 0.12, "housing": 0.20, "municipal": 0.12, "transport": 0.08}}',
    evaluator => 'wagecheck.eval_ac04(timestamptz)',
    project_evaluator => 'wagecheck.eval_ac04_projects(timestamptz, bigint[])',
    inputs => '{project}',
    time_driven => false);
