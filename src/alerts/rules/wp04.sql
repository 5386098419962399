-- WP04 (K, payment): wage not paid into the worker's own card (未通过专户发放至本人银行卡).
-- a wage paid in cash, or into an account that is not the worker's own registered card.

-- WP04 (K, payment): paid in cash, or into an account that is not the worker's registered card.
-- Read from the summary payment_off_card (kept at write time whatever the payments' moments):
-- those known at as_of.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', o.payment_id::text, '', o.project_id, o.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'amount', o.amount, 'method', o.method,
                              'paid_at', o.paid_at, 'reason', o.reason)
      FROM wagecheck.payment_off_card o
      JOIN wagecheck.project p ON p.project_id = o.project_id
     WHERE o.paid_at <= as_of AND o.created_at <= as_of
$$;

COMMENT ON FUNCTION wagecheck.eval_wp04(timestamptz) IS
    'WP04: wage payments in cash or into an account other than the worker''s own registered card';

-- WP04: the projects' payments in cash or off the worker's registered card, from the summary
-- payment_off_card (as eval_wp04), through its key starting with project_id.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', o.payment_id::text, '', o.project_id, o.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'amount', o.amount, 'method', o.method,
                              'paid_at', o.paid_at, 'reason', o.reason)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.payment_off_card o ON o.project_id = p.project_id
     WHERE o.paid_at <= as_of AND o.created_at <= as_of
$$;

COMMENT ON FUNCTION wagecheck.eval_wp04_projects(timestamptz, bigint[]) IS
    'WP04 for the given projects only (project evaluator of eval_wp04)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('WP04', 'K', 'payment', '未通过专户发放至本人银行卡', 'wage not paid into the worker''s own card',
    description => 'a wage paid in cash, or into an account that is not the worker''s own registered card (Decree 724 art. 31)',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_wp04(timestamptz)',
    once => true,
    project_evaluator => 'wagecheck.eval_wp04_projects(timestamptz, bigint[])',
    inputs => '{wage_payment,pay_line,pay_sheet,project,worker}',
    time_driven => false,
    uses => '{payment_off_card}');
