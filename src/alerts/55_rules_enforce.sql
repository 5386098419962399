-- Rules of the enforcing trigger that the starting catalogue lacked: AC06 (the dedicated
-- account overdrawn) and PS01 (a pay-sheet line that does not add up). In alert mode
-- wagecheck.enforce() records them in wagecheck.violation; the engine turns a violation
-- into an alert only when its rule is in wagecheck.rule. The evaluators find the same
-- conditions in wagecheck's own tables (rows that reached them without the trigger:
-- loads with session_replication_role = replica, data older than the trigger), with the
-- subjects the trigger records: account_txn:<txn_id> and pay_line:<line_id>.

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

-- PS01 (K, pay line): a line whose net pay is not payable minus deductions, or with a
-- negative amount, and which no correcting line known at as_of replaces.
CREATE OR REPLACE FUNCTION wagecheck.eval_ps01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'payable', l.payable, 'deductions', l.deductions,
                              'net', l.net,
                              'reason', CASE WHEN l.payable < 0 OR l.deductions < 0 OR l.net < 0
                                             THEN 'negative amount'
                                             ELSE 'net is not payable minus deductions' END)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
     WHERE l.created_at <= as_of
       AND (l.payable < 0 OR l.deductions < 0 OR l.net < 0 OR l.net <> l.payable - l.deductions)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                        WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ps01(timestamptz) IS
    'PS01: pay lines whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount, not yet replaced by a correcting line';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('AC06', 'K', false, false, 'account_txn', '工资专用账户透支支付', 'dedicated account overdrawn',
 'an outflow larger than the balance of the dedicated account: wages paid before the labour cost was paid in (Decree 724 arts. 24, 26); rectified when money paid in brings the balance back to zero',
 '{"deadline_wd": 5}', 'wagecheck.eval_ac06(timestamptz)'),
('PS01', 'K', false, false, 'pay_line', '工资支付表金额不符', 'pay-sheet line does not add up',
 'a pay-sheet line whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount (Decree 724 art. 15: the wage ledger records what is payable, withheld and paid); rectified by a correcting line (corrects_line_id)',
 '{"deadline_wd": 5}', 'wagecheck.eval_ps01(timestamptz)')
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
