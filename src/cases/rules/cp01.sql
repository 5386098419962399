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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('CP01', 'K', 'complaint', '投诉未按时受理', 'complaint not accepted or rejected in time',
    description => 'a complaint neither accepted nor rejected within accept_wd working days of receipt (劳动保障监察条例)',
    params => '{"accept_wd": 5, "deadline_wd": 5}',
    evaluator => 'wagecheck.eval_cp01(timestamptz)');
