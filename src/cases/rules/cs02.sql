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

-- The catalogue row, last: its evaluator columns name the functions above. Written again by
-- every upgrade; enabled and rule_param_override are the user's and left alone.
INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
VALUES ('CS02', 'K', false, false, 'case', '专项行动清零期限已过', 'case open past its campaign deadline',
        'a case of a campaign (两个清零) still open after the deadline for its project''s funding class',
        '{"deadline_wd": 5}',
        'wagecheck.eval_cs02(timestamptz)', NULL,
        NULL, NULL,
        NULL, true, NULL, NULL)
ON CONFLICT (code) DO UPDATE SET (tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
    = (EXCLUDED.tier, EXCLUDED.escalates, EXCLUDED.once, EXCLUDED.subject_kind, EXCLUDED.name_zh,
       EXCLUDED.name_en, EXCLUDED.description, EXCLUDED.params, EXCLUDED.evaluator,
       EXCLUDED.project_evaluator, EXCLUDED.horizon, EXCLUDED.peers, EXCLUDED.inputs,
       EXCLUDED.time_driven, EXCLUDED.clears_on, EXCLUDED.uses);
