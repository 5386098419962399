-- RN02 (G, roster): on the roster without a signed labour contract (未签订劳动合同).
-- a worker on the roster without a written labour contract (Decree 724 art. 28).

-- RN02 (G, roster entry): on the roster without a signed labour contract.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'start_on', r.start_on)
      FROM wagecheck.roster r
      JOIN wagecheck.project p ON p.project_id = r.project_id
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
       AND (r.end_on IS NULL OR r.end_on >= as_of::date)
       AND (r.contract_signed_on IS NULL OR r.contract_signed_on > as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_rn02(timestamptz) IS
    'RN02: workers on a roster (active at as_of) without a signed labour contract';

-- RN02: the projects' roster entries without a signed labour contract.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'start_on', r.start_on)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.roster r ON r.project_id = p.project_id
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
       AND (r.end_on IS NULL OR r.end_on >= as_of::date)
       AND (r.contract_signed_on IS NULL OR r.contract_signed_on > as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_rn02_projects(timestamptz, bigint[]) IS
    'RN02 for the given projects only (project evaluator of eval_rn02)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('RN02', 'G', 'roster', '未签订劳动合同', 'on the roster without a signed labour contract',
    description => 'a worker on the roster without a written labour contract (Decree 724 art. 28)',
    params => '{}',
    evaluator => 'wagecheck.eval_rn02(timestamptz)',
    project_evaluator => 'wagecheck.eval_rn02_projects(timestamptz, bigint[])',
    inputs => '{roster,project}',
    time_driven => false);
