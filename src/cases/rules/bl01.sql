-- BL01 (K, enterprise): meets the dishonest-list criteria (符合失信联合惩戒条件).
-- an order to pay missed, with arrears over the criminal threshold or a confirmed mass incident.

CREATE OR REPLACE FUNCTION wagecheck.eval_bl01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'enterprise', d.enterprise_id::text, '', d.project_id, d.enterprise_id, d.division, 'K', NULL::timestamptz,
           jsonb_build_object('enterprise', e.name, 'legal_rep', e.legal_rep, 'order_ids', d.order_ids,
                              'mass_incident_reports', d.report_ids, 'amount', d.amount, 'workers', d.workers,
                              'by_threshold', d.by_threshold, 'by_mass_incident', d.by_mass_incident)
      FROM wagecheck.dishonest_candidates(as_of) d
      JOIN wagecheck.enterprise e ON e.enterprise_id = d.enterprise_id $$;

COMMENT ON FUNCTION wagecheck.eval_bl01(timestamptz) IS 'BL01: enterprises meeting the dishonest-list criteria (missed order to pay, and the provincial threshold or a mass incident), proposed for an officer''s decision';

-- The catalogue row, last: its evaluator columns name the functions above. Written again by
-- every upgrade; enabled and rule_param_override are the user's and left alone.
INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
VALUES ('BL01', 'K', false, false, 'enterprise', '符合失信联合惩戒条件', 'meets the dishonest-list criteria',
        'an order to pay by a deadline was missed and the amount reaches the provincial criminal threshold (one worker: one_worker_months months and one_worker_amount; or workers and total_amount) or a mass incident was confirmed; an officer decides on listing for listing_years; early removal after removal_months',
        '{"workers": 10, "deadline_wd": 5, "total_amount": 50000, "listing_years": 3, "removal_months": 6, "one_worker_amount": 10000, "one_worker_months": 3}',
        'wagecheck.eval_bl01(timestamptz)', NULL,
        NULL, NULL,
        NULL, true, NULL, NULL)
ON CONFLICT (code) DO UPDATE SET (tier, escalates, once, subject_kind, name_zh, name_en, description, params,
        evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
    = (EXCLUDED.tier, EXCLUDED.escalates, EXCLUDED.once, EXCLUDED.subject_kind, EXCLUDED.name_zh,
       EXCLUDED.name_en, EXCLUDED.description, EXCLUDED.params, EXCLUDED.evaluator,
       EXCLUDED.project_evaluator, EXCLUDED.horizon, EXCLUDED.peers, EXCLUDED.inputs,
       EXCLUDED.time_driven, EXCLUDED.clears_on, EXCLUDED.uses);
