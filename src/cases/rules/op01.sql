-- OP01 (O, opinion_report): public-opinion report not verified or reported in time (舆情未及时核查上报).
-- a public-opinion report not verified within verify_hours or reported within report_hours.

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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('OP01', 'O', 'opinion_report', '舆情未及时核查上报', 'public-opinion report not verified or reported in time',
    description => 'a public-opinion report (online post, media, petition, gathering) must be verified within verify_hours and reported upward within report_hours of receipt',
    params => '{"report_hours": 24, "verify_hours": 2}',
    evaluator => 'wagecheck.eval_op01(timestamptz)');
