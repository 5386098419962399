-- CP01 (K, complaint): complaint not accepted or rejected in time (投诉未按时受理).
-- a complaint neither accepted nor rejected within accept_wd working days of receipt.

CREATE OR REPLACE FUNCTION wagecheck.eval_cp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'complaint', c.complaint_id::text, '', c.project_id, c.enterprise_id,
           coalesce(p.division, u.division), 'K', NULL::timestamptz,
           jsonb_build_object('unit', c.unit_code, 'channel', c.channel, 'received_at', c.received_at,
                              'accept_due_on', c.accept_due_on, 'workers', c.workers_count,
                              'amount_claimed', c.amount_claimed)
      FROM wagecheck.complaint c
      JOIN wagecheck.case_unit u ON u.unit_code = c.unit_code
      LEFT JOIN wagecheck.project p ON p.project_id = c.project_id
     WHERE c.received_at <= as_of AND as_of::date > c.accept_due_on
       AND (c.decided_at IS NULL OR c.decided_at > as_of) $$;

COMMENT ON FUNCTION wagecheck.eval_cp01(timestamptz) IS 'CP01: complaints neither accepted nor rejected within accept_wd (5) working days of receipt';

-- The catalogue row, last: its evaluator columns name the functions above. Written again by
-- every upgrade; enabled and rule_param_override are the user's and left alone.
INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
VALUES ('CP01', 'K', false, false, 'complaint', '投诉未按时受理', 'complaint not accepted or rejected in time',
        'a complaint neither accepted nor rejected within accept_wd working days of receipt (劳动保障监察条例)',
        '{"accept_wd": 5, "deadline_wd": 5}',
        'wagecheck.eval_cp01(timestamptz)', NULL,
        NULL, NULL,
        NULL, true, NULL, NULL)
ON CONFLICT (code) DO UPDATE SET (tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
    = (EXCLUDED.tier, EXCLUDED.escalates, EXCLUDED.once, EXCLUDED.subject_kind, EXCLUDED.name_zh,
       EXCLUDED.name_en, EXCLUDED.description, EXCLUDED.params, EXCLUDED.evaluator,
       EXCLUDED.project_evaluator, EXCLUDED.horizon, EXCLUDED.peers, EXCLUDED.inputs,
       EXCLUDED.time_driven, EXCLUDED.clears_on, EXCLUDED.uses);
