-- AC03 (K, account_txn): money left the dedicated account other than as a wage (专用账户违规支出).
-- an outflow other than a wage into the own card of a worker on the project's roster (arts. 26, 31).

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

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('AC03', 'K', 'account_txn', '专用账户违规支出', 'money left the dedicated account other than as a wage',
    description => 'an outflow of the dedicated account other than a wage into the own card of a worker on that project''s roster: cash, other accounts, other projects'' workers (Decree 724 arts. 26, 31)',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_ac03(timestamptz)',
    once => true,
    project_evaluator => 'wagecheck.eval_ac03_projects(timestamptz, bigint[])',
    inputs => '{account_txn,wage_account,project,roster,worker}',
    time_driven => false,
    uses => '{outflow_unmatched}');
