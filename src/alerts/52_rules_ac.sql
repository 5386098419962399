-- Dedicated wage account rules (农民工工资专用账户): AC01-AC05.

-- AC01 (K, project): no dedicated account open_days after the construction contract.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01(timestamptz) IS
    'AC01: projects with no dedicated wage account open_days after the construction contract was signed';

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

-- AC03 (K, account transaction): money leaving the account other than as a wage into the
-- own card of a worker on that project's roster. Only the candidates kept at write time are
-- read (outflow_unmatched: the outflows that are not wages or matched no rostered card when
-- they were booked and recorded; any other is no hit at any moment it is known), each through
-- account_txn's key (OFFSET 0: the generic plan would hash a scan of every movement), and
-- checked against the cards of its project's roster known then, found by the card's text (its
-- digits): the account as written, or its digits.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
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
     WHERE (t.purpose <> 'wage'
            OR NOT EXISTS (SELECT 1
                             FROM wagecheck.worker k
                             JOIN wagecheck.roster r ON r.worker_id = k.worker_id
                            WHERE k.wage_card::text IN (t.counterparty_account,
                                                        regexp_replace(t.counterparty_account, '[^0-9]', '', 'g'))
                              AND r.project_id = w.project_id AND r.created_at <= as_of))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac03(timestamptz) IS
    'AC03: outflows of a dedicated account that are not wages into the own card of a worker on the project''s roster (cash, other accounts, other projects'' workers)';

-- AC04 (G, project): agreed labour-cost share below the minimum for the sector.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.owner_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('sector', p.sector, 'labour_share', p.labour_share, 'minimum', m.share)
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric
                                AS share) m
     WHERE p.created_at <= as_of AND p.status NOT IN ('completed', 'closed')
       AND p.labour_share < m.share
$$;
COMMENT ON FUNCTION wagecheck.eval_ac04(timestamptz) IS
    'AC04: projects whose contract''s labour-cost share is below the minimum for their sector (min_share, per province)';

-- AC05 (K, project): account closed or closing while wages are owed, or closed before the
-- public notice ended.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH closing AS (
        SELECT w.*, p.division, p.contractor_id,
               (wagecheck.rule_param('AC05', 'notice_days', p.division))::int AS notice_days
          FROM wagecheck.wage_account w
          JOIN wagecheck.project p ON p.project_id = w.project_id
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
COMMENT ON FUNCTION wagecheck.eval_ac05(timestamptz) IS
    'AC05: dedicated accounts closed or under closure notice while wages are owed, or closed before notice_days of public notice';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('AC01', 'K', false, false, 'project', '未按时开立工资专用账户', 'no dedicated wage account in time',
 'no dedicated wage account open_days after the construction contract was signed (人社部发〔2021〕53号)',
 '{"open_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac01(timestamptz)'),
('AC02', 'G', true, false, 'project_period', '人工费用未按时足额拨付', 'labour cost not paid in as scheduled',
 'labour cost paid into the account below what the schedule says was due by its due date: shortfall → G; nothing paid for the period, or over k_overdue_days overdue → K (Decree 724 arts. 24, 27)',
 '{"k_overdue_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac02(timestamptz)'),
('AC03', 'K', false, true, 'account_txn', '专用账户违规支出', 'money left the dedicated account other than as a wage',
 'an outflow of the dedicated account other than a wage into the own card of a worker on that project''s roster: cash, other accounts, other projects'' workers (Decree 724 arts. 26, 31)',
 '{"deadline_wd": 5}', 'wagecheck.eval_ac03(timestamptz)'),
('AC04', 'G', false, false, 'project', '人工费用比例低于规定', 'labour-cost share below the minimum',
 'the contract''s labour-cost share is below the provincial minimum for the sector (Shandong 2022: housing 20%, transport 8%, municipal and water 12%)',
 '{"min_share": {"housing": 0.20, "transport": 0.08, "municipal": 0.12, "water": 0.12}}',
 'wagecheck.eval_ac04(timestamptz)'),
('AC05', 'K', false, true, 'project', '专用账户违规销户', 'dedicated account closed too early',
 'the account is closed or under closure while wages are owed, or was closed before notice_days of public notice ended (Decree 724 art. 27)',
 '{"notice_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac05(timestamptz)')
ON CONFLICT (code) DO UPDATE SET
    tier = EXCLUDED.tier,
    escalates = EXCLUDED.escalates,
    once = EXCLUDED.once,
    subject_kind = EXCLUDED.subject_kind,
    name_zh = EXCLUDED.name_zh,
    name_en = EXCLUDED.name_en,
    description = EXCLUDED.description,
    params = EXCLUDED.params,
    evaluator = EXCLUDED.evaluator;
