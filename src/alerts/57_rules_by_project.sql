-- Project evaluators (rule.project_evaluator) of the catalogue's event-driven rules: each
-- gives the hits of its rule's evaluator whose project is one of the projects asked, and
-- reads only rows of those projects (through the indexes on project_id, sheet_id, line_id,
-- account_id), so the scan after a day's writes evaluates the few projects they touched.
-- Each is its evaluator with the projects as the starting point of the plan; the
-- regression test alerts_incremental checks that, given every project, each returns what
-- its evaluator does. WP06 (a worker across projects) has none: it is evaluated in full, from
-- the summary worker_pay (its sums over the limits) when exact.

-- RN01: pay lines of the projects' sheets for workers not on the project's roster.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'net', l.net)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.pay_sheet s ON s.project_id = p.project_id
      JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
     WHERE l.created_at <= as_of
       AND NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = s.project_id AND r.worker_id = l.worker_id
                          AND r.created_at <= as_of AND r.start_on <= as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn01_projects(timestamptz, bigint[]) IS
    'RN01 for the given projects only (project evaluator of eval_rn01)';

-- RN02: the projects' roster entries without a signed labour contract.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'start_on', r.start_on)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.roster r ON r.project_id = p.project_id
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
       AND (r.end_on IS NULL OR r.end_on >= as_of::date)
       AND (r.contract_signed_on IS NULL OR r.contract_signed_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn02_projects(timestamptz, bigint[]) IS
    'RN02 for the given projects only (project evaluator of eval_rn02)';

-- AC03: outflows of the projects' accounts other than wages into the own card of a worker on
-- the roster: eval_ac03's candidates (outflow_unmatched, few: each through account_txn's key)
-- of the projects' accounts, checked the same way.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'account_txn', t.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('amount', t.amount, 'purpose', t.purpose, 'booked_at', t.booked_at,
                              'counterparty', t.counterparty_name,
                              'reason', CASE WHEN t.purpose <> 'wage' THEN 'not a wage'
                                             ELSE 'not the own card of a worker on the roster' END)
      FROM wagecheck.outflow_unmatched u
     CROSS JOIN LATERAL (SELECT t.* FROM wagecheck.account_txn t    -- by its key, not a scan of all
                          WHERE t.txn_id = u.txn_id AND t.direction = 'out'
                            AND t.booked_at <= as_of AND t.created_at <= as_of OFFSET 0) t
      JOIN wagecheck.wage_account w ON w.account_id = t.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE w.project_id IN (SELECT unnest(projects))
       AND (t.purpose <> 'wage'
            OR NOT EXISTS (SELECT 1
                             FROM wagecheck.worker k
                             JOIN wagecheck.roster r ON r.worker_id = k.worker_id
                            WHERE k.wage_card::text IN (t.counterparty_account,
                                                        regexp_replace(t.counterparty_account, '[^0-9]', '', 'g'))
                              AND r.project_id = w.project_id AND r.created_at <= as_of))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac03_projects(timestamptz, bigint[]) IS
    'AC03 for the given projects only (project evaluator of eval_ac03)';

-- AC04: the projects whose labour-cost share is below the minimum for their sector.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.owner_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('sector', p.sector, 'labour_share', p.labour_share, 'minimum', m.share)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric
                                AS share) m
     WHERE p.created_at <= as_of AND p.status NOT IN ('completed', 'closed')
       AND p.labour_share < m.share
$$;
COMMENT ON FUNCTION wagecheck.eval_ac04_projects(timestamptz, bigint[]) IS
    'AC04 for the given projects only (project evaluator of eval_ac04)';

-- AC05: the projects' accounts closed or closing while wages are owed, or closed before the notice ended.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH closing AS MATERIALIZED (
        SELECT w.*, p.division, p.contractor_id,
               (wagecheck.rule_param('AC05', 'notice_days', p.division))::int AS notice_days
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
          JOIN wagecheck.wage_account w ON w.project_id = p.project_id
         WHERE w.created_at <= as_of
           AND (w.closure_notice_on <= as_of::date OR w.closed_on <= as_of::date)
    ),
    owed AS (
        SELECT o.project_id, o.owed
          FROM wagecheck._wages_owed_by_project(as_of, ARRAY(SELECT closing.project_id FROM closing)) o
    )
    SELECT 'project', c.project_id::text, '', c.project_id, c.contractor_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', c.account_id, 'closure_notice_on', c.closure_notice_on,
                              'closed_on', c.closed_on, 'wages_owed', coalesce(owed.owed, 0),
                              'notice_ends_on', c.closure_notice_on + c.notice_days)
      FROM closing c
      LEFT JOIN owed ON owed.project_id = c.project_id
     WHERE owed.owed > 0
        OR (c.closed_on <= as_of::date
            AND (c.closure_notice_on IS NULL OR c.closed_on < c.closure_notice_on + c.notice_days))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac05_projects(timestamptz, bigint[]) IS
    'AC05 for the given projects only (project evaluator of eval_ac05)';

-- AC06: outflows that overdrew one of the projects' accounts.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac06_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH mv AS (
        SELECT t.txn_id, t.account_id, t.direction, t.amount, t.purpose, t.booked_at, t.counterparty_name,
               row_number() OVER w AS n,
               sum(CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END)
                   OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance_after
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.wage_account a ON a.project_id = q.project_id
          JOIN wagecheck.account_txn t ON t.account_id = a.account_id
         WHERE t.booked_at <= as_of AND t.created_at <= as_of
        WINDOW w AS (PARTITION BY t.account_id ORDER BY t.booked_at, t.txn_id)
    ),
    restored AS (
        SELECT mv.*, max(mv.n) FILTER (WHERE mv.balance_after >= 0)
                         OVER (PARTITION BY mv.account_id) AS last_ok
          FROM mv
    )
    SELECT 'account_txn', o.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', o.account_id, 'amount', o.amount, 'purpose', o.purpose,
                              'booked_at', o.booked_at, 'counterparty', o.counterparty_name,
                              'balance_before', o.balance_after + o.amount, 'balance_after', o.balance_after)
      FROM restored o
      JOIN wagecheck.wage_account w ON w.account_id = o.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE o.direction = 'out' AND o.balance_after < 0
       AND (o.last_ok IS NULL OR o.last_ok < o.n)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac06_projects(timestamptz, bigint[]) IS
    'AC06 for the given projects only (project evaluator of eval_ac06)';

-- PS01: the projects' pay lines that do not add up, not yet corrected.
CREATE OR REPLACE FUNCTION wagecheck.eval_ps01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'payable', l.payable, 'deductions', l.deductions,
                              'net', l.net,
                              'reason', CASE WHEN l.payable < 0 OR l.deductions < 0 OR l.net < 0
                                             THEN 'negative amount'
                                             ELSE 'net is not payable minus deductions' END)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.pay_sheet s ON s.project_id = p.project_id
      JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
     WHERE l.created_at <= as_of
       AND (l.payable < 0 OR l.deductions < 0 OR l.net < 0 OR l.net <> l.payable - l.deductions)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                        WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ps01_projects(timestamptz, bigint[]) IS
    'PS01 for the given projects only (project evaluator of eval_ps01)';

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

-- WP05: the projects' full months paid below the minimum wage.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    -- the projects' months from the summary wage_month when it is exact, else from the raw rows
    full_month AS (
        SELECT w.project_id, w.worker_id, w.employer_id, w.period, w.days, w.payable, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
          JOIN wagecheck.wage_month w ON w.project_id = p.project_id
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.days, o.payable, p.division
          FROM wagecheck._wages_owed_compute(as_of) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
         WHERE NOT (SELECT ex.exact FROM ex) AND o.project_id = ANY (projects)
    ),
    params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT full_month.division FROM full_month) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, f.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM full_month f
      JOIN params ON params.division = f.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05_projects(timestamptz, bigint[]) IS
    'WP05 for the given projects only (project evaluator of eval_wp05)';

-- QR01: the projects under construction with no complaint QR code.
CREATE OR REPLACE FUNCTION wagecheck.eval_qr01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND p.start_on <= as_of::date
       AND coalesce(btrim(p.complaint_qr), '') = ''
$$;
COMMENT ON FUNCTION wagecheck.eval_qr01_projects(timestamptz, bigint[]) IS
    'QR01 for the given projects only (project evaluator of eval_qr01)';

UPDATE wagecheck.rule r SET project_evaluator = d.f
  FROM (VALUES
    ('RN01', 'wagecheck.eval_rn01_projects(timestamptz, bigint[])'::regprocedure),
    ('RN02', 'wagecheck.eval_rn02_projects(timestamptz, bigint[])'),
    ('AC03', 'wagecheck.eval_ac03_projects(timestamptz, bigint[])'),
    ('AC04', 'wagecheck.eval_ac04_projects(timestamptz, bigint[])'),
    ('AC05', 'wagecheck.eval_ac05_projects(timestamptz, bigint[])'),
    ('AC06', 'wagecheck.eval_ac06_projects(timestamptz, bigint[])'),
    ('PS01', 'wagecheck.eval_ps01_projects(timestamptz, bigint[])'),
    ('WP04', 'wagecheck.eval_wp04_projects(timestamptz, bigint[])'),
    ('WP05', 'wagecheck.eval_wp05_projects(timestamptz, bigint[])'),
    ('QR01', 'wagecheck.eval_qr01_projects(timestamptz, bigint[])')
  ) d(code, f)
 WHERE r.code = d.code;
