-- RN01 (K, pay_line): payroll line for a worker not on the real-name roster (工资发放对象不在实名制名册).
-- a pay-sheet line for a worker not on the project's real-name roster (Decree 724 arts. 28, 31).

-- RN01 (K, pay line): a payroll line for a worker not on the project's real-name roster.
-- The pairs (project, worker) on pay sheets come from the summary sheet_worker (every line,
-- whatever its moment); only the lines of the pairs not on the roster then are read, per
-- pair through the index on pay_line.worker_id (OFFSET 0 keeps that subquery apart: the
-- function's generic plan would otherwise join every line to every pair).
CREATE OR REPLACE FUNCTION wagecheck.eval_rn01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', x.line_id::text, '', x.project_id, x.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', x.worker_id, 'period', to_char(x.period, 'YYYY-MM'),
                              'sheet_id', x.sheet_id, 'net', x.net)
      FROM wagecheck.sheet_worker q
     CROSS JOIN LATERAL (
            SELECT l.line_id, l.worker_id, l.net, s.sheet_id, s.project_id, s.employer_id, s.period
              FROM wagecheck.pay_line l
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
             WHERE l.worker_id = q.worker_id AND s.project_id = q.project_id AND l.created_at <= as_of
            OFFSET 0) x
      JOIN wagecheck.project p ON p.project_id = x.project_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = q.project_id AND r.worker_id = q.worker_id
                          AND r.created_at <= as_of AND r.start_on <= as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_rn01(timestamptz) IS
    'RN01: pay lines of workers not on the project''s real-name roster (known at as_of)';

-- RN01: pay lines of the projects' sheets for workers not on the project's roster.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'net', l.net)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.pay_sheet s ON s.project_id = p.project_id
      JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
     WHERE l.created_at <= as_of
       AND NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = s.project_id AND r.worker_id = l.worker_id
                          AND r.created_at <= as_of AND r.start_on <= as_of::date)
$$;

COMMENT ON FUNCTION wagecheck.eval_rn01_projects(timestamptz, bigint[]) IS
    'RN01 for the given projects only (project evaluator of eval_rn01)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('RN01', 'K', 'pay_line', '工资发放对象不在实名制名册', 'payroll line for a worker not on the real-name roster',
    description => 'a pay-sheet line (and so any payment on it) for a worker who is not on the project''s real-name roster (Decree 724 arts. 28, 31)',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_rn01(timestamptz)',
    project_evaluator => 'wagecheck.eval_rn01_projects(timestamptz, bigint[])',
    inputs => '{pay_line,pay_sheet,project,roster}',
    time_driven => false,
    uses => '{sheet_worker}');
