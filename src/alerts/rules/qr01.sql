-- QR01 (G, project): no complaint QR code (未设置欠薪投诉二维码).
-- no wage-complaint QR code registered for a project under construction.

-- QR01 (G, project): no complaint QR code registered for a project whose work has started.
CREATE OR REPLACE FUNCTION wagecheck.eval_qr01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND p.start_on <= as_of::date
       AND coalesce(btrim(p.complaint_qr), '') = ''
$$;

COMMENT ON FUNCTION wagecheck.eval_qr01(timestamptz) IS
    'QR01: projects under construction with no complaint QR code (欠薪投诉二维码) registered';

-- QR01: the projects under construction with no complaint QR code.
CREATE OR REPLACE FUNCTION wagecheck.eval_qr01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND p.start_on <= as_of::date
       AND coalesce(btrim(p.complaint_qr), '') = ''
$$;

COMMENT ON FUNCTION wagecheck.eval_qr01_projects(timestamptz, bigint[]) IS
    'QR01 for the given projects only (project evaluator of eval_qr01)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('QR01', 'G', 'project', '未设置欠薪投诉二维码', 'no complaint QR code',
    description => 'no wage-complaint QR code registered for a project under construction',
    params => '{}',
    evaluator => 'wagecheck.eval_qr01(timestamptz)',
    project_evaluator => 'wagecheck.eval_qr01_projects(timestamptz, bigint[])',
    inputs => '{project}',
    time_driven => false);
