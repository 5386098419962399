-- CS01 (K, case): case not finished within its time limit (案件超期未办结).
-- a case open after finish_wd working days from filing, + extension_wd with an approved extension.

CREATE OR REPLACE FUNCTION wagecheck.eval_cs01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'case', c.case_id::text, '', c.project_id, c.enterprise_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('case_no', c.case_no, 'unit', c.unit_code, 'filed_on', c.filed_on, 'due_on', d.due_on,
                              'extended', EXISTS (SELECT 1 FROM wagecheck.case_extension x
                                                   WHERE x.case_id = c.case_id AND x.approved_at <= as_of),
                              'amount_owed', c.amount_owed,
                              'repaid', wagecheck.case_repaid_at(c.case_id, as_of::date))
      FROM wagecheck.case_ledger c
     CROSS JOIN LATERAL (SELECT wagecheck.case_due_on(c.case_id, as_of) AS due_on) d
     WHERE as_of::date > d.due_on
       AND wagecheck.case_open_at(c.case_id, as_of) $$;

COMMENT ON FUNCTION wagecheck.eval_cs01(timestamptz) IS 'CS01: cases still open after finish_wd (60) working days from filing, + extension_wd (30) when an extension was approved';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('CS01', 'K', 'case', '案件超期未办结', 'case not finished within its time limit',
    description => 'a case open after finish_wd working days from filing, + extension_wd with an approved extension',
    params => '{"finish_wd": 60, "deadline_wd": 5, "extension_wd": 30}',
    evaluator => 'wagecheck.eval_cs01(timestamptz)');
