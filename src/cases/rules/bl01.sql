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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('BL01', 'K', 'enterprise', '符合失信联合惩戒条件', 'meets the dishonest-list criteria',
    description => 'an order to pay by a deadline was missed and the amount reaches the provincial criminal threshold (one worker: one_worker_months months and one_worker_amount; or workers and total_amount) or a mass incident was confirmed; an officer decides on listing for listing_years; early removal after removal_months',
    params => '{"workers": 10, "deadline_wd": 5, "total_amount": 50000, "listing_years": 3, "removal_months": 6, "one_worker_amount": 10000, "one_worker_months": 3}',
    evaluator => 'wagecheck.eval_bl01(timestamptz)');
