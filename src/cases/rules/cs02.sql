-- CS02 (K, case): case open past its campaign deadline (专项行动清零期限已过).
-- a case of a campaign (两个清零) still open after the deadline for its project's funding class.

CREATE OR REPLACE FUNCTION wagecheck.eval_cs02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'case', c.case_id::text, m.name, c.project_id, c.enterprise_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('case_no', c.case_no, 'campaign', m.name, 'funding', x.funding,
                              'deadline_on', x.deadline_on, 'amount_owed', x.amount_owed, 'repaid', x.repaid)
      FROM wagecheck.campaign m
     CROSS JOIN LATERAL wagecheck.campaign_cases(m.name, as_of::date) x
      JOIN wagecheck.case_ledger c ON c.case_id = x.case_id
     WHERE m.starts_on <= as_of::date AND as_of::date > x.deadline_on
       AND wagecheck.case_open_at(c.case_id, as_of) $$;

COMMENT ON FUNCTION wagecheck.eval_cs02(timestamptz) IS 'CS02: cases of a campaign still open after the campaign''s deadline for their funding class (period = campaign name)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('CS02', 'K', 'case', '专项行动清零期限已过', 'case open past its campaign deadline',
    description => 'a case of a campaign (两个清零) still open after the deadline for its project''s funding class',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_cs02(timestamptz)');
