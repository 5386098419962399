-- AC02 (G->K, project_period): labour cost not paid in as scheduled (人工费用未按时足额拨付).
-- labour cost paid in below the schedule by its due date (G); nothing paid, or k_overdue_days late (K).

-- AC02 (G->K, project-period): labour cost paid in below the schedule after its due date.
-- Payments are set against the periods in order (the oldest first).
CREATE OR REPLACE FUNCTION wagecheck.eval_ac02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH sched AS (
        SELECT s.project_id, s.period, s.amount_due, s.due_on,
               sum(s.amount_due) OVER (PARTITION BY s.project_id ORDER BY s.period) AS cum_due
          FROM wagecheck.labour_cost_schedule s
         WHERE s.created_at <= as_of AND s.due_on < as_of::date
    ),
    paid AS (
        SELECT w.project_id, sum(t.amount) AS paid
          FROM wagecheck.account_txn t
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
           AND t.booked_at <= as_of AND t.created_at <= as_of
         GROUP BY w.project_id
    ),
    short AS (
        SELECT sched.*, coalesce(paid.paid, 0) AS paid,
               least(sched.amount_due, sched.cum_due - coalesce(paid.paid, 0)) AS shortfall
          FROM sched LEFT JOIN paid ON paid.project_id = sched.project_id
    ),
    k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC02', 'k_overdue_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', short.project_id::text, to_char(short.period, 'YYYY-MM'), short.project_id, p.owner_id,
           p.division,
           CASE WHEN short.shortfall >= short.amount_due
                  OR as_of::date - short.due_on > k.days
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('amount_due', short.amount_due, 'due_on', short.due_on,
                              'shortfall', short.shortfall)
      FROM short
      JOIN wagecheck.project p ON p.project_id = short.project_id
      JOIN k ON k.division = p.division
     WHERE short.shortfall > 0
$$;

COMMENT ON FUNCTION wagecheck.eval_ac02(timestamptz) IS
    'AC02: schedule periods past their due date with labour cost not fully paid in (payments set against the oldest period first); K when nothing was paid for the period or it is over k_overdue_days overdue';

-- AC02: the projects' schedule periods past their due date with labour cost not fully paid in.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.project_id, p.owner_id, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    sched AS (
        SELECT s.project_id, s.period, s.amount_due, s.due_on,
               sum(s.amount_due) OVER (PARTITION BY s.project_id ORDER BY s.period) AS cum_due
          FROM q
          JOIN wagecheck.labour_cost_schedule s ON s.project_id = q.project_id
         WHERE s.created_at <= as_of AND s.due_on < as_of::date
    ),
    paid AS (
        SELECT w.project_id, sum(t.amount) AS paid
          FROM q
          JOIN wagecheck.wage_account w ON w.project_id = q.project_id
          JOIN wagecheck.account_txn t ON t.account_id = w.account_id
         WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
           AND t.booked_at <= as_of AND t.created_at <= as_of
         GROUP BY w.project_id
    ),
    short AS (
        SELECT sched.*, coalesce(paid.paid, 0) AS paid,
               least(sched.amount_due, sched.cum_due - coalesce(paid.paid, 0)) AS shortfall
          FROM sched LEFT JOIN paid ON paid.project_id = sched.project_id
    ),
    k AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('AC02', 'k_overdue_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', short.project_id::text, to_char(short.period, 'YYYY-MM'), short.project_id, q.owner_id,
           q.division,
           CASE WHEN short.shortfall >= short.amount_due
                  OR as_of::date - short.due_on > k.days
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('amount_due', short.amount_due, 'due_on', short.due_on,
                              'shortfall', short.shortfall)
      FROM short
      JOIN q ON q.project_id = short.project_id
      JOIN k ON k.division = q.division
     WHERE short.shortfall > 0
$$;

COMMENT ON FUNCTION wagecheck.eval_ac02_projects(timestamptz, bigint[]) IS
    'AC02 for the given projects only (project evaluator of eval_ac02)';

-- AC02's horizon: the projects with a schedule period whose due date, or due date +
-- k_overdue_days, is passed between the two moments.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac02_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH s AS MATERIALIZED (
        SELECT s.project_id, s.due_on, p.division
          FROM wagecheck.labour_cost_schedule s
          JOIN wagecheck.project p ON p.project_id = s.project_id
         WHERE s.created_at <= to_ts AND s.due_on < to_ts::date
    ),
    k AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('AC02', 'k_overdue_days', d.division))::int AS days
          FROM (SELECT DISTINCT s.division FROM s) d
    )
    SELECT ARRAY(SELECT DISTINCT s.project_id
                   FROM s JOIN k ON k.division = s.division
                  WHERE s.due_on >= from_ts::date
                     OR (s.due_on + k.days >= from_ts::date AND s.due_on + k.days < to_ts::date)
                  ORDER BY 1)
$$;

COMMENT ON FUNCTION wagecheck.eval_ac02_horizon(timestamptz, timestamptz) IS
    'AC02''s date horizon: the projects with a schedule period whose due date or due date + k_overdue_days falls between the two moments';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: K after k_overdue_days
SELECT wagecheck._rule_define('AC02', 'G', 'project_period', '人工费用未按时足额拨付', 'labour cost not paid in as scheduled',
    description => 'labour cost paid into the account below what the schedule says was due by its due date: shortfall → G; nothing paid for the period, or over k_overdue_days overdue → K (Decree 724 arts. 24, 27)',
    params => '{"deadline_wd": 5, "k_overdue_days": 30}',
    evaluator => 'wagecheck.eval_ac02(timestamptz)',
    escalates => true,
    project_evaluator => 'wagecheck.eval_ac02_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_ac02_horizon(timestamptz, timestamptz)',
    inputs => '{labour_cost_schedule,account_txn,wage_account,project}');
