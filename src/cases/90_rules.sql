-- The case area's alert rules: evaluators (as_of timestamptz) RETURNS SETOF rule_hit,
-- registered in wagecheck.rule for the alert engine (wagecheck.scan). Details carry
-- the facts of the subject, never counters that grow with as_of (the engine would
-- rewrite every alert at every scan).

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

CREATE OR REPLACE FUNCTION wagecheck.eval_bl01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'enterprise', d.enterprise_id::text, '', d.project_id, d.enterprise_id, d.division, 'K', NULL::timestamptz,
           jsonb_build_object('enterprise', e.name, 'legal_rep', e.legal_rep, 'order_ids', d.order_ids,
                              'mass_incident_reports', d.report_ids, 'amount', d.amount, 'workers', d.workers,
                              'by_threshold', d.by_threshold, 'by_mass_incident', d.by_mass_incident)
      FROM wagecheck.dishonest_candidates(as_of) d
      JOIN wagecheck.enterprise e ON e.enterprise_id = d.enterprise_id $$;
COMMENT ON FUNCTION wagecheck.eval_bl01(timestamptz) IS 'BL01: enterprises meeting the dishonest-list criteria (missed order to pay, and the provincial threshold or a mass incident), proposed for an officer''s decision';

CREATE OR REPLACE FUNCTION wagecheck.eval_op01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'opinion_report', r.report_id::text, '', r.project_id, r.enterprise_id, t.division, 'O', t.verify_due,
           jsonb_build_object('kind', r.kind, 'mass_incident', r.mass_incident, 'summary', r.summary,
                              'received_at', r.received_at, 'verify_due', t.verify_due, 'report_due', t.report_due,
                              -- the alert engine follows a verification recorded here (O: verified_in_source)
                              'verified', r.verified_at <= as_of)
      FROM wagecheck.opinion_report r
      LEFT JOIN wagecheck.project p ON p.project_id = r.project_id
      LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = r.enterprise_id
     CROSS JOIN LATERAL (
        SELECT coalesce(p.division, e.division) AS division,
               r.received_at + make_interval(hours => (wagecheck.rule_param('OP01', 'verify_hours', coalesce(p.division, e.division)))::int) AS verify_due,
               r.received_at + make_interval(hours => (wagecheck.rule_param('OP01', 'report_hours', coalesce(p.division, e.division)))::int) AS report_due) t
     WHERE r.received_at <= as_of AND (r.reported_at IS NULL OR r.reported_at > as_of) $$;
COMMENT ON FUNCTION wagecheck.eval_op01(timestamptz) IS 'OP01: public-opinion reports not yet reported upward; due_at = verification deadline (verify_hours), details.report_due = reporting deadline (report_hours)';

INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('CP01', 'K', 'complaint', '投诉未按时受理', 'complaint not accepted or rejected in time',
 'a complaint neither accepted nor rejected within accept_wd working days of receipt (劳动保障监察条例)',
 '{"accept_wd": 5, "deadline_wd": 5}', 'wagecheck.eval_cp01(timestamptz)'),
('CS01', 'K', 'case', '案件超期未办结', 'case not finished within its time limit',
 'a case open after finish_wd working days from filing, + extension_wd with an approved extension',
 '{"finish_wd": 60, "extension_wd": 30, "deadline_wd": 5}', 'wagecheck.eval_cs01(timestamptz)'),
('CS02', 'K', 'case', '专项行动清零期限已过', 'case open past its campaign deadline',
 'a case of a campaign (两个清零) still open after the deadline for its project''s funding class',
 '{"deadline_wd": 5}', 'wagecheck.eval_cs02(timestamptz)'),
('BL01', 'K', 'enterprise', '符合失信联合惩戒条件', 'meets the dishonest-list criteria',
 'an order to pay by a deadline was missed and the amount reaches the provincial criminal threshold (one worker: one_worker_months months and one_worker_amount; or workers and total_amount) or a mass incident was confirmed; an officer decides on listing for listing_years; early removal after removal_months',
 '{"one_worker_months": 3, "one_worker_amount": 10000, "workers": 10, "total_amount": 50000, "listing_years": 3, "removal_months": 6, "deadline_wd": 5}',
 'wagecheck.eval_bl01(timestamptz)'),
('OP01', 'O', 'opinion_report', '舆情未及时核查上报', 'public-opinion report not verified or reported in time',
 'a public-opinion report (online post, media, petition, gathering) must be verified within verify_hours and reported upward within report_hours of receipt',
 '{"verify_hours": 2, "report_hours": 24}', 'wagecheck.eval_op01(timestamptz)')
ON CONFLICT (code) DO UPDATE SET
    tier = EXCLUDED.tier,
    subject_kind = EXCLUDED.subject_kind,
    name_zh = EXCLUDED.name_zh,
    name_en = EXCLUDED.name_en,
    description = EXCLUDED.description,
    params = EXCLUDED.params,
    evaluator = EXCLUDED.evaluator;
