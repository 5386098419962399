-- Project evaluators (rule.project_evaluator) and date horizons (rule.horizon) of the
-- time-driven rules on wages owed and labour cost paid in: WP02, WP03, AC02, DP01.

COMMENT ON TYPE wagecheck.pay_term_month IS 'a month and pay terms (pay day, month offset) (internal)';

-- _owed_months_passing(months, as_of): the projects with a month still owed (the partial
-- index of wage_month's months owed, by period) among the given (month, pay terms), where the
-- project uses those terms (the index roster_pay_terms), or they are the default ones (15th of
-- the next month) and the month's worker has no pay terms on the project as of as_of. A
-- superset of the projects with such a month owed for a worker of those terms, found without
-- the pay terms of each month owed.
CREATE OR REPLACE FUNCTION wagecheck._owed_months_passing(months wagecheck.pay_term_month[], as_of timestamptz)
    RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT ARRAY(SELECT DISTINCT w.project_id
                   FROM unnest(months) m
                   JOIN wagecheck.wage_month w ON w.period = m.period AND w.settled_at IS NULL
                  WHERE EXISTS (SELECT 1 FROM wagecheck.roster r
                                 WHERE r.pay_day = m.pay_day AND r.pay_month_offset = m.pay_month_offset
                                   AND r.project_id = w.project_id)
                     OR ((m.pay_day, m.pay_month_offset) = (15, 1)
                         AND NOT EXISTS (SELECT 1 FROM wagecheck._pay_terms(as_of) t
                                          WHERE t.project_id = w.project_id AND t.worker_id = w.worker_id))
                  ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck._owed_months_passing(wagecheck.pay_term_month[], timestamptz) IS
    'the projects with a month owed among the given (month, pay terms) that use those terms, or the default ones for a worker without terms (internal)';

-- WP02: the projects' months with wages owed past the pay day (K k_days after it).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
-- The months owed are found by period among the few (month, pay terms) whose pay date passes
-- (_pay_dates_passing; for each k_days in use, in the window moved back by it), through the
-- partial index of the months owed, and kept where the project uses those terms (the index
-- roster_pay_terms) or they are the default ones: no pay date computed per month owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (
        SELECT DISTINCT (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    passing AS MATERIALIZED (
        SELECT d.period, d.pay_day, d.pay_month_offset FROM wagecheck._pay_dates_passing(from_ts, to_ts) d
        UNION
        SELECT d.period, d.pay_day, d.pay_month_offset
          FROM k
         CROSS JOIN LATERAL wagecheck._pay_dates_passing(from_ts - make_interval(days => k.days),
                                                         to_ts - make_interval(days => k.days)) d
    )
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN wagecheck._owed_months_passing(ARRAY(SELECT ROW(x.period, x.pay_day, x.pay_month_offset)::wagecheck.pay_term_month
                                                            FROM passing x), to_ts) END
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02_horizon(timestamptz, timestamptz) IS
    'WP02''s date horizon: the projects with a month owed whose pay date or pay date + k_days falls between the two moments (NULL: cannot tell, the summary is not exact)';

-- WP03: the projects' workers with min_months or more consecutive months owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
-- As WP02's: the months owed of the (month, pay terms) whose pay date passes.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN wagecheck._owed_months_passing(ARRAY(SELECT ROW(d.period, d.pay_day, d.pay_month_offset)::wagecheck.pay_term_month
                                                            FROM wagecheck._pay_dates_passing(from_ts, to_ts) d), to_ts) END
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03_horizon(timestamptz, timestamptz) IS
    'WP03''s date horizon: the projects with a month owed whose pay date falls between the two moments (NULL: cannot tell, the summary is not exact)';

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

-- DP01: the projects without a deposit past its due date. A project's hit depends on the rows
-- of its contractor's other projects (their months paid late, their start), whose changes
-- name only those projects: DP01's peers function (eval_dp01_peers) widens them to every
-- project of their contractors, and a project leaving a contractor (_dp01_project_moved)
-- names the old contractor's projects as changed.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT q.division FROM q) d
    ),
    cand AS (
        SELECT q.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM q
          JOIN params x ON x.division = q.division
         WHERE q.created_at <= as_of AND q.contract_signed_on IS NOT NULL
           AND q.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(q.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = q.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    arrears AS (
        SELECT a.contractor_id, a.last_arrears
          FROM wagecheck._contractor_arrears(as_of, ARRAY(SELECT DISTINCT cand.contractor_id FROM cand)) a
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               ((arrears.last_arrears IS NULL
                 OR arrears.last_arrears < (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.project o2
                             WHERE o2.contractor_id = cand.contractor_id AND o2.created_at <= as_of
                               AND o2.start_on <= (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.wage_account w
                             WHERE w.project_id = cand.project_id AND w.opened_on <= as_of::date
                               AND w.created_at <= as_of)
                AND EXISTS (SELECT 1 FROM wagecheck.roster r
                             WHERE r.project_id = cand.project_id AND r.created_at <= as_of)) AS long_clean
          FROM cand LEFT JOIN arrears ON arrears.contractor_id = cand.contractor_id
    )
    SELECT 'project', j.project_id::text, '', j.project_id, j.contractor_id, j.division,
           CASE WHEN as_of::date > wagecheck.add_working_days(j.contract_signed_on, j.due_wd + j.escalate_wd)
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('contract_signed_on', j.contract_signed_on,
                              'due_on', wagecheck.add_working_days(j.contract_signed_on, j.due_wd),
                              'contract_value', j.contract_value,
                              'deposit_required', round(j.contract_value * j.rate, 2),
                              'last_arrears', j.last_arrears)
      FROM judged j
     WHERE NOT j.small_clean AND NOT j.long_clean
$$;
COMMENT ON FUNCTION wagecheck.eval_dp01_projects(timestamptz, bigint[]) IS
    'DP01 for the given projects only (project evaluator of eval_dp01; it reads the wages of their contractors'' other projects too)';

-- DP01's horizon: of the projects that may lack a deposit past its due date at to_ts, those
-- whose due or escalation day passes between the two moments, and those of a contractor with
-- a month late whose pay date passes, or turns a year or clean_years old, or a project that
-- turns clean_years old (NULL when the summary wage_month is not exact at to_ts).
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS MATERIALIZED (
        SELECT p.project_id, p.contractor_id, x.clean_years,
               wagecheck.add_working_days(p.contract_signed_on, x.due_wd) AS due_on,
               wagecheck.add_working_days(p.contract_signed_on, x.due_wd + x.escalate_wd) AS k_on
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= to_ts AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= to_ts
                              AND g.deposited_on <= to_ts::date
                              AND (g.returned_on IS NULL OR g.returned_on > to_ts::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= to_ts::date))
    ),
    live AS MATERIALIZED (SELECT * FROM cand WHERE cand.due_on < to_ts::date),
    -- the windows of pay dates whose passing, or turning a year or clean_years old, counts
    win AS MATERIALIZED (
        SELECT from_ts::date AS lo, to_ts::date AS hi
        UNION SELECT from_ts::date - 366, to_ts::date - 365
        UNION SELECT (from_ts::date - make_interval(years => y.c))::date - 1, (to_ts::date - make_interval(years => y.c))::date + 1
          FROM (SELECT DISTINCT live.clean_years AS c FROM live) y
    ),
    late AS MATERIALIZED (   -- the months late of the live projects' contractors, pay date in a window
        SELECT DISTINCT pr.contractor_id
          FROM wagecheck._wages_late_summary(to_ts, ARRAY(SELECT pc.project_id FROM wagecheck.project pc
                                                           WHERE pc.contractor_id IN (SELECT live.contractor_id FROM live)),
                                             (SELECT range_agg(daterange(win.lo, win.hi, '[]')) FROM win)) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
    ),
    started AS MATERIALIZED (   -- a project of the contractor turning clean_years old
        SELECT DISTINCT live.contractor_id
          FROM live
          JOIN wagecheck.project o2 ON o2.contractor_id = live.contractor_id
         WHERE o2.start_on BETWEEN (from_ts::date - make_interval(years => live.clean_years))::date - 1
                               AND (to_ts::date - make_interval(years => live.clean_years))::date + 1
    )
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts) THEN
           ARRAY(SELECT cand.project_id FROM cand
                  WHERE (cand.due_on >= from_ts::date AND cand.due_on < to_ts::date)
                     OR (cand.k_on >= from_ts::date AND cand.k_on < to_ts::date)
                 UNION
                 SELECT live.project_id FROM live
                  WHERE live.contractor_id IN (SELECT late.contractor_id FROM late)
                     OR live.contractor_id IN (SELECT started.contractor_id FROM started)
                 ORDER BY 1) END
$$;
COMMENT ON FUNCTION wagecheck.eval_dp01_horizon(timestamptz, timestamptz) IS
    'DP01''s date horizon: the projects without a deposit whose due or escalation day falls between the two moments, or whose contractor''s arrears or projects'' age change the exemptions then (NULL: cannot tell, the summary is not exact)';

-- DP01's peers: every project of the contractors of the given projects (their arrears and
-- their projects' start decide the exemptions of all of them), and the given projects.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_peers(projects bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT ARRAY(SELECT u FROM unnest(projects) u WHERE u IS NOT NULL
                 UNION
                 SELECT o.project_id
                   FROM wagecheck.project o
                  WHERE o.contractor_id IN (SELECT p.contractor_id FROM wagecheck.project p
                                             WHERE p.project_id = ANY (projects))
                 ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck.eval_dp01_peers(bigint[]) IS
    'DP01''s peers: the given projects and every project of their contractors, whose exemptions read the contractor''s arrears and projects';

-- _dp01_project_moved(): trigger (statement level) on project: a project leaving a contractor
-- (contractor changed, project deleted) changes the exemptions of the contractor's remaining
-- projects, which eval_dp01_peers no longer finds through it: records them as changed.
CREATE OR REPLACE FUNCTION wagecheck._dp01_project_moved() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    left_from bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT o.contractor_id) INTO left_from
          FROM old_rows o
         WHERE o.contractor_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM new_rows n
                            WHERE n.project_id = o.project_id AND n.contractor_id = o.contractor_id);
    ELSE
        SELECT array_agg(DISTINCT o.contractor_id) INTO left_from
          FROM old_rows o WHERE o.contractor_id IS NOT NULL;
    END IF;
    IF left_from IS NOT NULL THEN
        INSERT INTO wagecheck.input_change (table_name, projects)
        SELECT 'project', ARRAY(SELECT p.project_id FROM wagecheck.project p
                                 WHERE p.contractor_id = ANY (left_from) ORDER BY 1);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._dp01_project_moved() IS
    'trigger: records in wagecheck.input_change the remaining projects of a contractor a project left (contractor changed or project deleted), whose DP01 exemptions change (internal)';
CREATE OR REPLACE TRIGGER dp01_project_moved_upd AFTER UPDATE ON wagecheck.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();
CREATE OR REPLACE TRIGGER dp01_project_moved_del AFTER DELETE ON wagecheck.project REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();
ALTER TABLE wagecheck.project ENABLE ALWAYS TRIGGER dp01_project_moved_upd, ENABLE ALWAYS TRIGGER dp01_project_moved_del;

UPDATE wagecheck.rule r SET project_evaluator = d.f, horizon = d.h
  FROM (VALUES
    ('WP02', 'wagecheck.eval_wp02_projects(timestamptz, bigint[])'::regprocedure,
             'wagecheck.eval_wp02_horizon(timestamptz, timestamptz)'::regprocedure),
    ('WP03', 'wagecheck.eval_wp03_projects(timestamptz, bigint[])', 'wagecheck.eval_wp03_horizon(timestamptz, timestamptz)'),
    ('AC02', 'wagecheck.eval_ac02_projects(timestamptz, bigint[])', 'wagecheck.eval_ac02_horizon(timestamptz, timestamptz)')
  ) d(code, f, h)
 WHERE r.code = d.code;

-- DP01: its horizon names every project of a contractor whose arrears or projects' age move
-- by time (no peers needed there); its peers widen the projects whose rows changed
UPDATE wagecheck.rule
   SET project_evaluator = 'wagecheck.eval_dp01_projects(timestamptz, bigint[])',
       horizon = 'wagecheck.eval_dp01_horizon(timestamptz, timestamptz)',
       peers = 'wagecheck.eval_dp01_peers(bigint[])'
 WHERE code = 'DP01';
