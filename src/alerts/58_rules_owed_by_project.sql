-- Project evaluators (rule.project_evaluator) and date horizons (rule.horizon) of the
-- time-driven rules on wages owed and labour cost paid in: WP02, WP03, AC02. A forward scan
-- on a later day evaluates them only for the projects whose rows changed and those their
-- horizon names: the projects whose hits may differ between as_of = from_ts and as_of =
-- to_ts with the same rows. A hit turns with the day of as_of at a date X compared as
-- "X < as_of::date" (a pay date passed, a deadline of k days after it): it differs between
-- the two moments exactly when from_ts::date <= X < to_ts::date. Their details hold dates
-- and amounts, no count of days up to as_of, so only those dates change them.

-- WP02: the projects' months with wages owed past the pay day (K k_days after it).
CREATE FUNCTION wagecheck.eval_wp02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p WHERE p.project_id = ANY (projects)) d
    )
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck._wages_unpaid(as_of, projects) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02_projects(timestamptz, bigint[]) IS
    'WP02 for the given projects only (project evaluator of eval_wp02)';

-- WP02's horizon: the projects with a month still owed whose pay date, or pay date + k_days,
-- is passed between the two moments (NULL when the summary wage_month is not exact at to_ts).
CREATE FUNCTION wagecheck.eval_wp02_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH o AS MATERIALIZED (
        SELECT o.project_id, o.pay_date, p.division
          FROM wagecheck._wages_unpaid_summary(to_ts, NULL) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
         WHERE wagecheck._summary_exact('wages_owed', to_ts)
    ),
    k AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT o.division FROM o) d
    )
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN ARRAY(SELECT DISTINCT o.project_id
                             FROM o JOIN k ON k.division = o.division
                            WHERE o.pay_date >= from_ts::date
                               OR (o.pay_date + k.days >= from_ts::date AND o.pay_date + k.days < to_ts::date)
                            ORDER BY 1) END
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02_horizon(timestamptz, timestamptz) IS
    'WP02''s date horizon: the projects with a month owed whose pay date or pay date + k_days falls between the two moments (NULL: cannot tell, the summary is not exact)';

-- WP03: the projects' workers with min_months or more consecutive months owed.
CREATE FUNCTION wagecheck.eval_wp03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_unpaid(as_of, projects) o
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    ),
    params AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('WP03', 'min_months', d.division))::int AS min_months
          FROM (SELECT DISTINCT p.division
                  FROM runs JOIN wagecheck.project p ON p.project_id = runs.project_id) d
    )
    SELECT DISTINCT ON (runs.project_id, runs.worker_id)
           'worker_on_project', runs.project_id || '/' || runs.worker_id, '', runs.project_id, runs.employer_id,
           p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', runs.worker_id, 'months', runs.months,
                              'from', to_char(runs.first_month, 'YYYY-MM'),
                              'to', to_char(runs.last_month, 'YYYY-MM'), 'owed', runs.owed)
      FROM runs
      JOIN wagecheck.project p ON p.project_id = runs.project_id
      JOIN params ON params.division = p.division
     WHERE runs.months >= params.min_months
     ORDER BY runs.project_id, runs.worker_id, runs.months DESC, runs.last_month DESC
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03_projects(timestamptz, bigint[]) IS
    'WP03 for the given projects only (project evaluator of eval_wp03)';

-- WP03's horizon: the projects with a month still owed whose pay date is passed between the
-- two moments (a run of months owed grows then); NULL when the summary is not exact at to_ts.
CREATE FUNCTION wagecheck.eval_wp03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN ARRAY(SELECT DISTINCT o.project_id
                             FROM wagecheck._wages_unpaid_summary(to_ts, NULL) o
                            WHERE o.pay_date >= from_ts::date
                            ORDER BY 1) END
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03_horizon(timestamptz, timestamptz) IS
    'WP03''s date horizon: the projects with a month owed whose pay date falls between the two moments (NULL: cannot tell, the summary is not exact)';

-- AC02: the projects' schedule periods past their due date with labour cost not fully paid in.
CREATE FUNCTION wagecheck.eval_ac02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
CREATE FUNCTION wagecheck.eval_ac02_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
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

UPDATE wagecheck.rule r SET project_evaluator = d.f, horizon = d.h
  FROM (VALUES
    ('WP02', 'wagecheck.eval_wp02_projects(timestamptz, bigint[])'::regprocedure,
             'wagecheck.eval_wp02_horizon(timestamptz, timestamptz)'::regprocedure),
    ('WP03', 'wagecheck.eval_wp03_projects(timestamptz, bigint[])', 'wagecheck.eval_wp03_horizon(timestamptz, timestamptz)'),
    ('AC02', 'wagecheck.eval_ac02_projects(timestamptz, bigint[])', 'wagecheck.eval_ac02_horizon(timestamptz, timestamptz)')
  ) d(code, f, h)
 WHERE r.code = d.code;
