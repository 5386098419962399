-- AC06 (K, account_txn): dedicated account overdrawn (工资专用账户透支支付).
-- an outflow larger than the balance of the dedicated account.

-- AC06 (K, account transaction): an outflow that took the account's balance below zero,
-- while the balance has not been brought back to zero or above since. The balance is
-- the running sum of the account's movements (an account starts empty) in booking order,
-- ties in insertion order (txn_id); movements booked or known after as_of are not seen.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH mv AS (
        SELECT t.txn_id, t.account_id, t.direction, t.amount, t.purpose, t.booked_at, t.counterparty_name,
               row_number() OVER w AS n,
               sum(CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END)
                   OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance_after
          FROM wagecheck.account_txn t
         WHERE t.booked_at <= as_of AND t.created_at <= as_of
        WINDOW w AS (PARTITION BY t.account_id ORDER BY t.booked_at, t.txn_id)
    ),
    restored AS (      -- the last movement after which the account was not overdrawn
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

COMMENT ON FUNCTION wagecheck.eval_ac06(timestamptz) IS
    'AC06: outflows that overdrew a dedicated account (running balance of its movements in booking order below zero), until money paid in brings the balance back to zero or above';

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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('AC06', 'K', 'account_txn', '工资专用账户透支支付', 'dedicated account overdrawn',
    description => 'an outflow larger than the balance of the dedicated account: wages paid before the labour cost was paid in (Decree 724 arts. 24, 26); rectified when money paid in brings the balance back to zero',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_ac06(timestamptz)',
    project_evaluator => 'wagecheck.eval_ac06_projects(timestamptz, bigint[])',
    inputs => '{account_txn,wage_account,project}',
    time_driven => false);
