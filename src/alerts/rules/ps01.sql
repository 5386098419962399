-- PS01 (K, pay_line): pay-sheet line does not add up (工资支付表金额不符).
-- a pay-sheet line whose net pay is not payable minus deductions, or is negative.

-- PS01 (K, pay line): a line whose net pay is not payable minus deductions, or with a
-- negative amount, and which no correcting line known at as_of replaces.
CREATE OR REPLACE FUNCTION wagecheck.eval_ps01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'payable', l.payable, 'deductions', l.deductions,
                              'net', l.net,
                              'reason', CASE WHEN l.payable < 0 OR l.deductions < 0 OR l.net < 0
                                             THEN 'negative amount'
                                             ELSE 'net is not payable minus deductions' END)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
     WHERE l.created_at <= as_of
       AND (l.payable < 0 OR l.deductions < 0 OR l.net < 0 OR l.net <> l.payable - l.deductions)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                        WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of)
$$;

COMMENT ON FUNCTION wagecheck.eval_ps01(timestamptz) IS
    'PS01: pay lines whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount, not yet replaced by a correcting line';

-- PS01: the projects' pay lines that do not add up, not yet corrected.
CREATE OR REPLACE FUNCTION wagecheck.eval_ps01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'payable', l.payable, 'deductions', l.deductions,
                              'net', l.net,
                              'reason', CASE WHEN l.payable < 0 OR l.deductions < 0 OR l.net < 0
                                             THEN 'negative amount'
                                             ELSE 'net is not payable minus deductions' END)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.pay_sheet s ON s.project_id = p.project_id
      JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
     WHERE l.created_at <= as_of
       AND (l.payable < 0 OR l.deductions < 0 OR l.net < 0 OR l.net <> l.payable - l.deductions)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                        WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of)
$$;

COMMENT ON FUNCTION wagecheck.eval_ps01_projects(timestamptz, bigint[]) IS
    'PS01 for the given projects only (project evaluator of eval_ps01)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('PS01', 'K', 'pay_line', '工资支付表金额不符', 'pay-sheet line does not add up',
    description => 'a pay-sheet line whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount (Decree 724 art. 15: the wage ledger records what is payable, withheld and paid); rectified by a correcting line (corrects_line_id)',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_ps01(timestamptz)',
    project_evaluator => 'wagecheck.eval_ps01_projects(timestamptz, bigint[])',
    inputs => '{pay_line,pay_sheet,project}',
    time_driven => false);
