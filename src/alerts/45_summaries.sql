-- Summaries kept at write time, the definitions: the functions computing their rows, the
-- triggers keeping them and rebuild_summaries() (tables and indexes: once/45_summaries.sql).
-- The triggers run with jit off: their statements are small, but a plan kept for the next
-- statement (made for a large first one, or generic) can be estimated above jit_above_cost
-- and would then be compiled again on every statement (some 50 ms each).
-- Read by (rule.uses): attendance_month and wage_month (AC05, DP01, RN03, RN04, WP01, WP02,
-- WP03, WP05, WP06), attendance_project_month (RN03, RN04, WP01), attendance_unpaid (RN04),
-- worker_pay (WP06), sheet_worker (RN01), payment_off_card (WP04), outflow_unmatched (AC03).

COMMENT ON TABLE wagecheck.attendance_month IS
    'derived (kept by triggers on wagecheck.attendance, not dumped): days attended per project, worker and month';
COMMENT ON COLUMN wagecheck.attendance_month.known_to IS
    'latest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_month.last_day IS
    'latest day counted';
COMMENT ON COLUMN wagecheck.attendance_month.first_day IS
    'earliest day counted';
COMMENT ON COLUMN wagecheck.attendance_month.first_known IS
    'earliest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_month.extended IS
    'the last statement adding rows to the month may have moved the moments from which it exists: it added the month, or rows known before its latest known_to or dated before its first_day (the row of first_day, known by known_to, otherwise counts first; see _attendance_month_sync)';
COMMENT ON TABLE wagecheck.attendance_project_month IS
    'derived (kept with wagecheck.attendance_month, not dumped): per project and month, the workers who attended and the latest day and moment counted (WP01, RN03); exact when attendance_month is';
COMMENT ON COLUMN wagecheck.attendance_project_month.workers IS 'workers with attendance in the month (rows of attendance_month)';
COMMENT ON COLUMN wagecheck.attendance_project_month.known_to IS 'latest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_project_month.last_day IS 'latest day counted';
COMMENT ON TABLE wagecheck.wage_month IS
    'derived (kept by triggers on pay_sheet, pay_line and wage_payment, not dumped): per project, worker and month on a pay sheet, the effective lines'' days, payable and net (a correction replaces the line it corrects) and the payments made';
COMMENT ON COLUMN wagecheck.wage_month.paid_ats IS 'when each payment on the month''s lines was made (with paid_each: paid by the pay date)';
COMMENT ON COLUMN wagecheck.wage_month.known_to IS
    'latest moment among the summarized rows: created_at of sheets, lines, correcting lines and payments, paid_at of payments';
COMMENT ON COLUMN wagecheck.wage_month.settled_at IS
    'when the payments (in time order) reached the net: -infinity when the net is not positive, NULL while the month is not fully paid (the months that can be owed); a month is paid late when this is after its pay date';
COMMENT ON TABLE wagecheck.worker_pay IS
    'derived (kept with wagecheck.wage_month, not dumped): per worker, payable summed over all projects per month and per year';
COMMENT ON COLUMN wagecheck.worker_pay.period IS
    'first day of the month (span month) or of the year (span year)';
COMMENT ON COLUMN wagecheck.worker_pay.entries IS
    'number of wage_month rows summed (the row goes when none is left)';
COMMENT ON COLUMN wagecheck.worker_pay.high IS
    'payable is over 25,000 (span month) or 150,000 (span year): the sums WP06 finds by its index';
COMMENT ON TABLE wagecheck.sheet_worker IS
    'derived (kept with wagecheck.wage_month, not dumped): the workers on each project''s pay sheets and their number of months there';

-- _sheet_worker_rows(): sheet_worker computed from wage_month (for TRUNCATE, rebuilds and checks).
CREATE OR REPLACE FUNCTION wagecheck._sheet_worker_rows() RETURNS SETOF wagecheck.sheet_worker
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT w.project_id, w.worker_id, count(*) FROM wagecheck.wage_month w GROUP BY 1, 2
$$;
COMMENT ON FUNCTION wagecheck._sheet_worker_rows() IS
    'wagecheck.sheet_worker recomputed from wagecheck.wage_month (internal)';
COMMENT ON TABLE wagecheck.payment_off_card IS
    'derived (kept with wagecheck.wage_month, not dumped): wage payments in cash or into an account other than the worker''s registered card, for WP04';
COMMENT ON COLUMN wagecheck.payment_off_card.reason IS
    'cash, worker has no registered card, or not the worker''s registered card';

-- _payment_off_card_rows(project_ids, worker_ids, periods): the payment_off_card rows of
-- these wage_month keys (all of them when the arrays are NULL), from the raw rows; the keys'
-- lines are found through the indexes, as _wage_month_rows finds them.
CREATE OR REPLACE FUNCTION wagecheck._payment_off_card_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.payment_off_card
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan SET work_mem = '64MB' AS
$$
BEGIN
    IF p_projects IS NULL THEN
        RETURN QUERY
        WITH l AS (
            SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id
              FROM wagecheck.pay_line l
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
        )
        SELECT l.project_id, l.worker_id, l.period, y.payment_id, l.employer_id, y.amount, y.method, y.paid_at,
               y.created_at,
               CASE WHEN y.method = 'cash' THEN 'cash'
                    WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                    ELSE 'not the worker''s registered card' END
          FROM l
          JOIN wagecheck.wage_payment y ON y.line_id = l.line_id
          JOIN wagecheck.worker k ON k.worker_id = l.worker_id
         WHERE (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card);
    ELSE
        RETURN QUERY
        WITH l AS MATERIALIZED (
            SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id
              FROM (SELECT DISTINCT u.project_id, u.worker_id, u.period
                      FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)) k
              JOIN wagecheck.pay_sheet s ON s.project_id = k.project_id AND s.period = k.period
              JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id AND l.worker_id = k.worker_id
        )
        SELECT l.project_id, l.worker_id, l.period, y.payment_id, l.employer_id, y.amount, y.method, y.paid_at,
               y.created_at,
               CASE WHEN y.method = 'cash' THEN 'cash'
                    WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                    ELSE 'not the worker''s registered card' END
          FROM l
          JOIN wagecheck.wage_payment y ON y.line_id = l.line_id
          JOIN wagecheck.worker k ON k.worker_id = l.worker_id
         WHERE (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._payment_off_card_rows(bigint[], bigint[], date[]) IS
    'payment_off_card rows of the given (project, worker, month) keys, or of all when NULL, from the raw rows (internal)';
COMMENT ON TABLE wagecheck.attendance_unpaid IS
    'derived (kept with wagecheck.attendance_month and wagecheck.wage_month, not dumped): the workers who attended a project in a month without a payroll line of that month on the project''s sheets, for RN04';

-- _attendance_unpaid_rows(project_ids, worker_ids, periods): the attendance_unpaid rows of
-- these keys (all of them when the arrays are NULL), from the summaries.
CREATE OR REPLACE FUNCTION wagecheck._attendance_unpaid_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.attendance_unpaid
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan SET work_mem = '64MB' AS
$$
BEGIN
    RETURN QUERY
    SELECT a.period, a.project_id, a.worker_id
      FROM wagecheck.attendance_month a
     WHERE (p_projects IS NULL
            OR (a.project_id, a.worker_id, a.period) IN
               (SELECT u.project_id, u.worker_id, u.period
                  FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)))
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE (w.project_id, w.worker_id, w.period) = (a.project_id, a.worker_id, a.period));
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_unpaid_rows(bigint[], bigint[], date[]) IS
    'attendance_unpaid rows of the given (project, worker, month) keys, or of all when NULL, from attendance_month and wage_month (internal)';

-- _attendance_unpaid_sync(project_ids, worker_ids, periods): the keys' attendance month or
-- wage month came or went. Their attendance_unpaid rows are locked first (a placeholder for
-- a key without one), in key order, then those without an attendance month or with a wage
-- month go, read with a fresh snapshot: a writer changes its summary before it locks here,
-- so of two writers of one key the later one sees the earlier one's month.
CREATE OR REPLACE FUNCTION wagecheck._attendance_unpaid_sync(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan AS
$$
BEGIN
    IF coalesce(cardinality(p_projects), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO wagecheck.attendance_unpaid AS t (period, project_id, worker_id)
    SELECT DISTINCT u.period, u.project_id, u.worker_id
      FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
     ORDER BY 1, 2, 3
    ON CONFLICT (period, project_id, worker_id) DO UPDATE SET worker_id = excluded.worker_id;
    -- (OFFSET 0: each key looks its months up by their primary keys; a generic plan would
    -- otherwise hash all of attendance_month for the OR'd EXISTS)
    DELETE FROM wagecheck.attendance_unpaid t
     USING (SELECT DISTINCT u.project_id, u.worker_id, u.period
              FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)) k
     WHERE (t.period, t.project_id, t.worker_id) = (k.period, k.project_id, k.worker_id)
       AND (NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month a
                         WHERE (a.project_id, a.worker_id, a.period) = (k.project_id, k.worker_id, k.period) OFFSET 0)
            OR EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE (w.project_id, w.worker_id, w.period) = (k.project_id, k.worker_id, k.period) OFFSET 0));
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_unpaid_sync(bigint[], bigint[], date[]) IS
    'keeps the attendance_unpaid rows of keys whose attendance month or wage month came or went, locking them first (internal)';
COMMENT ON TABLE wagecheck.outflow_unmatched IS
    'derived (kept by triggers on account_txn, wage_account, roster and worker, not dumped): the outflows of dedicated accounts that are not wages, or wages whose account matched no card of a worker on the project''s roster when they were booked and recorded: AC03''s candidates';

-- _outflow_unmatched_rows(txn_ids): the outflow_unmatched rows of these account movements
-- (all of them when NULL; with their account's project and, of a wage, the digits of the
-- account it went to), from the raw rows: the outflows less the wages whose account, as
-- written or its digits, is the card of a worker on the project's roster known by then -
-- joined, not looked up per movement. The reference recomputation that rebuild_summaries()
-- and the tests compare the C trigger (src/alerts/outflow.c) with; each call is planned for
-- its argument (NULL: every movement, hashed).
CREATE OR REPLACE FUNCTION wagecheck._outflow_unmatched_rows(p_txns bigint[]) RETURNS SETOF wagecheck.outflow_unmatched
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS
$$
BEGIN
    RETURN QUERY
    WITH t AS MATERIALIZED (
        SELECT t.txn_id, t.purpose, t.counterparty_account, greatest(t.created_at, t.booked_at) AS known,
               w.project_id
          FROM wagecheck.account_txn t
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE t.direction = 'out' AND (p_txns IS NULL OR t.txn_id = ANY (p_txns))
    ),
    matched AS (      -- the wages paid to the card of a worker on the roster then
        SELECT t.txn_id
          FROM t
         CROSS JOIN LATERAL (SELECT t.counterparty_account
                             UNION SELECT regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')) c(card)
          JOIN wagecheck.worker k ON k.wage_card::text = c.card
          JOIN wagecheck.roster r ON r.worker_id = k.worker_id AND r.project_id = t.project_id
         WHERE t.purpose = 'wage' AND r.created_at <= t.known
    )
    SELECT t.txn_id, t.project_id,
           CASE WHEN t.purpose = 'wage' THEN nullif(regexp_replace(t.counterparty_account, '[^0-9]', '', 'g'), '') END
      FROM t WHERE t.txn_id NOT IN (SELECT matched.txn_id FROM matched);
END
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_rows(bigint[]) IS
    'outflow_unmatched rows of the given account movements, or of all when NULL, from the raw rows (internal)';

-- _outflow_unmatched_sync(): trigger (C: src/alerts/outflow.c) keeping outflow_unmatched.
-- After each statement on account_txn: the outflows written are judged from the statement's
-- transition table, those deleted go (TRUNCATE: all). After an update of wage_account that
-- moves an account to another project (a row trigger: the balances written after every
-- movement fire nothing): that account's outflows. After each statement on roster (entries
-- added, deleted, moved or known from another moment) and worker (added, card changed): the
-- wages of the entries' projects to the workers' cards, old and new - no other outflow can
-- change; a TRUNCATE of the roster or the accounts rebuilds. Judging locks FOR SHARE the
-- account, roster entry and worker of every match first (see the table's comment). It runs as
-- the owner of wagecheck's tables, switched to in C as the enforcing trigger does (not
-- SECURITY DEFINER: a one-row movement judged by key runs no statement, and the SET clauses
-- would cost it as much as the judging); its statements run with search_path, jit and
-- join_collapse_limit set in C.
CREATE OR REPLACE FUNCTION wagecheck._outflow_unmatched_sync() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_outflow_unmatched_sync'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_sync() IS
    'trigger: keeps wagecheck.outflow_unmatched right after a statement on account_txn, roster or worker, or an account moved to another project (internal)';

CREATE OR REPLACE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.account_txn
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.account_txn
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_del AFTER DELETE ON wagecheck.account_txn
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.account_txn
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.wage_account
    FOR EACH ROW WHEN (old.project_id IS DISTINCT FROM new.project_id)
    EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.wage_account
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.roster
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.roster
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_del AFTER DELETE ON wagecheck.roster
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.roster
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.worker
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE OR REPLACE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.worker
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
ALTER TABLE wagecheck.account_txn ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_del, ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.wage_account ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.roster ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_del, ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.worker ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd;

-- _settled_at(net, paid_ats, paid_each): the moment payments made at paid_ats (in list order)
-- of paid_each reached net; -infinity when net is not positive; NULL when they never did
-- (C: src/alerts/summaries.c, the arithmetic in src/core/settle.c, in cents; numeric for
-- amounts that are not whole cents).
CREATE OR REPLACE FUNCTION wagecheck._settled_at(net numeric, paid_ats timestamptz[], paid_each numeric[])
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'wagecheck_settled_at'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._settled_at(numeric, timestamptz[], numeric[]) IS
    'the moment a month''s payments (in time order) reached its net: -infinity when the net is not positive, NULL when they never did (internal)';

-- _wage_month_rows(project_ids, worker_ids, periods): the wage_month rows of these keys
-- (all of them when the arrays are NULL), computed from the raw rows, whatever their moment.
-- Two queries, each planned for its case: every row read once (NULL), or the keys' lines
-- found through the indexes (the sheets by project, the lines by sheet, their payments by
-- line), so that a statement writing a few rows reads only theirs.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.wage_month
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan SET work_mem = '64MB' AS
$$
BEGIN
    IF p_projects IS NULL THEN
        RETURN QUERY
        WITH lp AS (
            SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id, l.days, l.payable, l.net,
                   c.line_id IS NULL AS effective,
                   greatest(l.created_at, s.created_at, c.created_at) AS known
              FROM wagecheck.pay_line l
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
              LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id
        ),
        y AS (
            SELECT lp.project_id, lp.worker_id, lp.period, y.payment_id, y.amount, y.paid_at, y.created_at
              FROM lp
              JOIN wagecheck.wage_payment y ON y.line_id = lp.line_id
        ),
        -- the lines' and the payments' rows in one aggregation per key (no join of the two)
        x AS (
            SELECT lp.project_id, lp.worker_id, lp.period, lp.employer_id, lp.days, lp.payable, lp.net, lp.effective,
                   lp.known, NULL::bigint AS payment_id, NULL::timestamptz AS paid_at, NULL::numeric AS amount
              FROM lp
            UNION ALL
            SELECT y.project_id, y.worker_id, y.period, NULL, NULL, NULL, NULL, NULL,
                   greatest(y.created_at, y.paid_at), y.payment_id, y.paid_at, y.amount
              FROM y
        ),
        sums AS (
            SELECT x.project_id, x.worker_id, x.period, min(x.employer_id) AS employer_id,
                   coalesce(sum(x.days) FILTER (WHERE x.effective), 0) AS days,
                   coalesce(sum(x.payable) FILTER (WHERE x.effective), 0) AS payable,
                   coalesce(sum(x.net) FILTER (WHERE x.effective), 0) AS net,
                   coalesce(sum(x.amount), 0) AS paid,
                   max(x.known) AS known_to,
                   coalesce(array_agg(x.paid_at ORDER BY x.paid_at, x.payment_id)
                            FILTER (WHERE x.payment_id IS NOT NULL), '{}') AS ats,
                   coalesce(array_agg(x.amount ORDER BY x.paid_at, x.payment_id)
                            FILTER (WHERE x.payment_id IS NOT NULL), '{}') AS amounts
              FROM x
             GROUP BY x.project_id, x.worker_id, x.period
        )
        SELECT s.project_id, s.worker_id, s.period, s.employer_id, s.days, s.payable::numeric(14,2),
               s.net::numeric(14,2), s.paid::numeric(14,2), s.ats, s.amounts::numeric(14,2)[], s.known_to,
               wagecheck._settled_at(s.net, s.ats, s.amounts)
          FROM sums s;
    ELSE
        RETURN QUERY
        WITH lp AS MATERIALIZED (
            SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id, l.days, l.payable, l.net,
                   c.line_id IS NULL AS effective,
                   greatest(l.created_at, s.created_at, c.created_at) AS known
              FROM (SELECT DISTINCT u.project_id, u.worker_id, u.period
                      FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)) k
              JOIN wagecheck.pay_sheet s ON s.project_id = k.project_id AND s.period = k.period
              JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id AND l.worker_id = k.worker_id
              LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id
        ),
        y AS (
            SELECT lp.project_id, lp.worker_id, lp.period, y.payment_id, y.amount, y.paid_at, y.created_at
              FROM lp
              JOIN wagecheck.wage_payment y ON y.line_id = lp.line_id
        ),
        -- the lines' and the payments' rows in one aggregation per key (no join of the two)
        x AS (
            SELECT lp.project_id, lp.worker_id, lp.period, lp.employer_id, lp.days, lp.payable, lp.net, lp.effective,
                   lp.known, NULL::bigint AS payment_id, NULL::timestamptz AS paid_at, NULL::numeric AS amount
              FROM lp
            UNION ALL
            SELECT y.project_id, y.worker_id, y.period, NULL, NULL, NULL, NULL, NULL,
                   greatest(y.created_at, y.paid_at), y.payment_id, y.paid_at, y.amount
              FROM y
        ),
        sums AS (
            SELECT x.project_id, x.worker_id, x.period, min(x.employer_id) AS employer_id,
                   coalesce(sum(x.days) FILTER (WHERE x.effective), 0) AS days,
                   coalesce(sum(x.payable) FILTER (WHERE x.effective), 0) AS payable,
                   coalesce(sum(x.net) FILTER (WHERE x.effective), 0) AS net,
                   coalesce(sum(x.amount), 0) AS paid,
                   max(x.known) AS known_to,
                   coalesce(array_agg(x.paid_at ORDER BY x.paid_at, x.payment_id)
                            FILTER (WHERE x.payment_id IS NOT NULL), '{}') AS ats,
                   coalesce(array_agg(x.amount ORDER BY x.paid_at, x.payment_id)
                            FILTER (WHERE x.payment_id IS NOT NULL), '{}') AS amounts
              FROM x
             GROUP BY x.project_id, x.worker_id, x.period
        )
        SELECT s.project_id, s.worker_id, s.period, s.employer_id, s.days, s.payable::numeric(14,2),
               s.net::numeric(14,2), s.paid::numeric(14,2), s.ats, s.amounts::numeric(14,2)[], s.known_to,
               wagecheck._settled_at(s.net, s.ats, s.amounts)
          FROM sums s;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_rows(bigint[], bigint[], date[]) IS
    'wage_month rows of the given (project, worker, month) keys, or of all when NULL, from the raw rows (internal)';

-- _worker_pay_rows(): worker_pay computed from wage_month (for TRUNCATE, rebuilds and checks).
-- high: the sum over 25,000 a month or 150,000 a year (the same bounds in _worker_pay_add,
-- the statements of src/alerts/summaries.c and src/alerts/wage_keyed.c, and WP06's reads).
CREATE OR REPLACE FUNCTION wagecheck._worker_pay_rows() RETURNS SETOF wagecheck.worker_pay
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT x.worker_id, x.span, x.period, x.payable, x.entries,
           CASE x.span WHEN 'month' THEN x.payable > 25000 ELSE x.payable > 150000 END
      FROM (SELECT w.worker_id, k.span, k.period, sum(w.payable)::numeric(14,2) AS payable, count(*) AS entries
              FROM wagecheck.wage_month w
             CROSS JOIN LATERAL (VALUES ('month', w.period), ('year', date_trunc('year', w.period)::date)) k(span, period)
             GROUP BY 1, 2, 3) x
$$;
COMMENT ON FUNCTION wagecheck._worker_pay_rows() IS
    'wagecheck.worker_pay recomputed from wagecheck.wage_month (internal)';

-- _worker_pay_add(workers, periods, payable, entries): adds changes of wage_month rows (one
-- element per row: its month, the change of its payable and of the row count) to the
-- workers' month and year sums, in key order (high again from the new sum: the row's
-- index entry changes only when the sum crosses its bound); sums left without rows go.
CREATE OR REPLACE FUNCTION wagecheck._worker_pay_add(p_workers bigint[], p_periods date[], p_payable numeric[],
                                          p_entries bigint[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan AS
$$
BEGIN
    IF coalesce(cardinality(p_workers), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO wagecheck.worker_pay AS t (worker_id, span, period, payable, entries, high)
    SELECT u.worker_id, k.span, k.period, sum(u.payable), sum(u.entries),
           CASE k.span WHEN 'month' THEN sum(u.payable)::numeric(14,2) > 25000
                       ELSE sum(u.payable)::numeric(14,2) > 150000 END
      FROM unnest(p_workers, p_periods, p_payable, p_entries) u(worker_id, period, payable, entries)
     CROSS JOIN LATERAL (VALUES ('month', u.period), ('year', date_trunc('year', u.period)::date)) k(span, period)
     GROUP BY 1, 2, 3
    HAVING sum(u.payable) <> 0 OR sum(u.entries) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (worker_id, span, period) DO UPDATE
       SET payable = t.payable + excluded.payable, entries = t.entries + excluded.entries,
           high = CASE t.span WHEN 'month' THEN (t.payable + excluded.payable)::numeric(14,2) > 25000
                              ELSE (t.payable + excluded.payable)::numeric(14,2) > 150000 END;
    DELETE FROM wagecheck.worker_pay t
     USING (SELECT DISTINCT u.worker_id, k.span, k.period
              FROM unnest(p_workers, p_periods) u(worker_id, period)
             CROSS JOIN LATERAL (VALUES ('month', u.period), ('year', date_trunc('year', u.period)::date)) k(span, period)) d
     WHERE (t.worker_id, t.span, t.period) = (d.worker_id, d.span, d.period) AND t.entries <= 0;
END
$$;
COMMENT ON FUNCTION wagecheck._worker_pay_add(bigint[], date[], numeric[], bigint[]) IS
    'adds the changes of wage_month rows to the workers'' month and year sums in wagecheck.worker_pay (internal)';

-- _wage_month_refresh(keys): recomputes the summary rows of these keys. Rows are locked
-- first (a placeholder for a new key), in key order, then computed with a fresh snapshot:
-- two writers touching one key serialise, and the later one sees the earlier one's rows.
-- The locked rows' payable (before) and the new one (after) give the change that is added
-- to the workers' sums in worker_pay (and the change of the row count to sheet_worker); the
-- keys' rows of payment_off_card are recomputed; the keys whose row came or went are synced
-- in attendance_unpaid.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_refresh(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan AS
$$
DECLARE
    dj bigint[];
    dw bigint[];
    dm date[];
    dp numeric[];
    dn bigint[];
    kj bigint[];
    kw bigint[];
    km date[];
BEGIN
    IF coalesce(cardinality(p_projects), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO wagecheck.wage_month AS w
           (project_id, worker_id, period, days, payable, net, paid, paid_ats, paid_each, known_to)
    SELECT DISTINCT u.project_id, u.worker_id, u.period, 0, 0, 0, 0, '{}'::timestamptz[], '{}'::numeric(14,2)[],
           'infinity'::timestamptz
      FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
     WHERE u.project_id IS NOT NULL AND u.worker_id IS NOT NULL AND u.period IS NOT NULL
     ORDER BY 1, 2, 3
    ON CONFLICT (project_id, worker_id, period) DO NOTHING;
    -- lock the keys' rows; what they held before (a placeholder, known_to infinity, is no row:
    -- any other writer's placeholder was replaced or removed before its lock was let go)
    SELECT array_agg(o.project_id), array_agg(o.worker_id), array_agg(o.period), array_agg(-o.payable),
           array_agg(CASE WHEN o.known_to = 'infinity' THEN 0 ELSE -1 END)
      INTO dj, dw, dm, dp, dn
      FROM (SELECT w.project_id, w.worker_id, w.period, w.payable, w.known_to
              FROM wagecheck.wage_month w
             WHERE (w.project_id, w.worker_id, w.period) IN
                   (SELECT u.project_id, u.worker_id, u.period
                      FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period))
             ORDER BY w.project_id, w.worker_id, w.period
               FOR UPDATE OF w) o;
    WITH n AS MATERIALIZED (
        SELECT * FROM wagecheck._wage_month_rows(p_projects, p_workers, p_periods)
    ),
    upd AS (
        UPDATE wagecheck.wage_month w
           SET employer_id = n.employer_id, days = n.days, payable = n.payable, net = n.net, paid = n.paid,
               paid_ats = n.paid_ats, paid_each = n.paid_each, known_to = n.known_to, settled_at = n.settled_at
          FROM (SELECT * FROM n LIMIT cardinality(p_projects)) n   -- (no more rows than keys: the limit
                                                                  -- tells the planner how few, for the key's index)
         WHERE (w.project_id, w.worker_id, w.period) = (n.project_id, n.worker_id, n.period)
    ),
    del AS (
        DELETE FROM wagecheck.wage_month w
         USING unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
         WHERE (w.project_id, w.worker_id, w.period) = (u.project_id, u.worker_id, u.period)
           AND NOT EXISTS (SELECT 1 FROM n WHERE (n.project_id, n.worker_id, n.period)
                                                 = (u.project_id, u.worker_id, u.period))
    )
    -- the rows after: the changes are before's negated plus after's
    SELECT dj || array_agg(n.project_id), dw || array_agg(n.worker_id), dm || array_agg(n.period),
           dp || array_agg(n.payable::numeric), dn || array_agg(1::bigint)
      INTO dj, dw, dm, dp, dn
      FROM n;
    PERFORM wagecheck._worker_pay_add(dw, dm, dp, dn);
    -- the keys whose wage month came or went (row count changed): their attendance months
    -- without one (attendance_unpaid)
    SELECT array_agg(c.project_id), array_agg(c.worker_id), array_agg(c.period)
      INTO kj, kw, km
      FROM (SELECT u.project_id, u.worker_id, u.period
              FROM unnest(dj, dw, dm, dn) u(project_id, worker_id, period, n)
             GROUP BY 1, 2, 3
            HAVING sum(u.n) <> 0) c;
    PERFORM wagecheck._attendance_unpaid_sync(kj, kw, km);
    -- the projects' workers on pay sheets: the change of their count of months
    INSERT INTO wagecheck.sheet_worker AS t (project_id, worker_id, months)
    SELECT u.project_id, u.worker_id, sum(u.entries)
      FROM unnest(dj, dw, dn) u(project_id, worker_id, entries)
     GROUP BY 1, 2
    HAVING sum(u.entries) <> 0
     ORDER BY 1, 2
    ON CONFLICT (project_id, worker_id) DO UPDATE SET months = t.months + excluded.months;
    DELETE FROM wagecheck.sheet_worker t
     USING (SELECT DISTINCT u.project_id, u.worker_id FROM unnest(dj, dw) u(project_id, worker_id)) d
     WHERE (t.project_id, t.worker_id) = (d.project_id, d.worker_id) AND t.months <= 0;
    -- the keys' payments off the workers' cards (the keys are locked: no other writer's)
    DELETE FROM wagecheck.payment_off_card o
     USING (SELECT DISTINCT u.project_id, u.worker_id, u.period
              FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)) u
     WHERE (o.project_id, o.worker_id, o.period) = (u.project_id, u.worker_id, u.period);
    INSERT INTO wagecheck.payment_off_card
    SELECT * FROM wagecheck._payment_off_card_rows(p_projects, p_workers, p_periods);
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_refresh(bigint[], bigint[], date[]) IS
    'recomputes the wage_month rows of the given keys from the raw rows, locking them first (internal)';

-- _wage_month_sync(): trigger on pay_sheet, pay_line and wage_payment (statement level,
-- transition tables old_rows/new_rows; C: src/alerts/summaries.c). New payments that come
-- after those recorded for their month are appended to it, and new pay lines (not
-- corrections) added to their month, in one statement each, under the months' row locks;
-- any other statement recomputes the keys (project, worker, month) of its old and new rows
-- with _wage_month_refresh; a TRUNCATE rebuilds from what is left. It runs as the owner of
-- wagecheck's tables, switched to in C (src/trigowner.c), not SECURITY DEFINER.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_sync() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_wage_month_sync'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION wagecheck._wage_month_sync() IS
    'trigger: keeps wagecheck.wage_month right after a statement on pay_sheet, pay_line or wage_payment (internal)';

-- _attendance_project_month_refresh(projects, periods): recomputes the rows of
-- attendance_project_month of these project months from attendance_month. The rows are
-- locked first (a placeholder for a new one), in key order, FOR UPDATE, then computed with a
-- fresh snapshot: an insert adding workers to one waits for the lock and adds them to the count
-- recomputed, and this one sees the workers' months of a writer it waited for (an insert
-- of a day that leaves the project month as it is holds it FOR KEY SHARE: waited for too).
CREATE OR REPLACE FUNCTION wagecheck._attendance_project_month_refresh(p_projects bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET plan_cache_mode = force_generic_plan AS
$$
BEGIN
    IF coalesce(cardinality(p_projects), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)
    SELECT DISTINCT u.project_id, u.period, 0, '-infinity'::timestamptz, '-infinity'::date
      FROM unnest(p_projects, p_periods) u(project_id, period)
     ORDER BY 1, 2
    ON CONFLICT (project_id, period) DO NOTHING;
    PERFORM 1
       FROM wagecheck.attendance_project_month m
      WHERE (m.project_id, m.period) IN (SELECT u.project_id, u.period FROM unnest(p_projects, p_periods) u(project_id, period))
      ORDER BY m.project_id, m.period
        FOR UPDATE OF m;
    -- (REPEATABLE READ reads the transaction's snapshot, not a fresh one: the months are locked
    -- FOR SHARE, which fails the transaction where one was written since by a transaction that
    -- committed - an insert that only locked the project month; those a writer in progress
    -- holds are skipped: it locks the project month after this, and moves or recomputes it)
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.period) IN (SELECT u.project_id, u.period FROM unnest(p_projects, p_periods) u(project_id, period))
            FOR SHARE OF a SKIP LOCKED;
    END IF;
    WITH x AS MATERIALIZED (
        SELECT k.project_id, k.period, count(a.worker_id) AS workers, max(a.known_to) AS known_to,
               max(a.last_day) AS last_day
          FROM (SELECT DISTINCT u.project_id, u.period FROM unnest(p_projects, p_periods) u(project_id, period)) k
          LEFT JOIN wagecheck.attendance_month a ON a.project_id = k.project_id AND a.period = k.period
         GROUP BY 1, 2
    ),
    gone AS (
        DELETE FROM wagecheck.attendance_project_month m
         USING x
         WHERE (m.project_id, m.period) = (x.project_id, x.period) AND x.workers = 0
    )
    UPDATE wagecheck.attendance_project_month m
       SET workers = x.workers, known_to = x.known_to, last_day = x.last_day
      FROM x
     WHERE (m.project_id, m.period) = (x.project_id, x.period) AND x.workers > 0;
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_project_month_refresh(bigint[], date[]) IS
    'recomputes the rows of wagecheck.attendance_project_month of the given project months from attendance_month (internal)';

-- _attendance_month_moments(first_known, known_to, first_day, last_day): the moments from
-- which attendance rows known and dated within those bounds count for a scan (a day turns
-- at its midnight in any time zone, UTC+14 to UTC-12): what the change capture records.
CREATE OR REPLACE FUNCTION wagecheck._attendance_month_moments(first_known timestamptz, known_to timestamptz,
                                                    first_day date, last_day date)
    RETURNS tstzrange
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.tstzrange(
        LEAST(first_known, (first_day::timestamp AT TIME ZONE 'UTC') - interval '14 hours'),
        GREATEST(known_to, ((last_day + 1)::timestamp AT TIME ZONE 'UTC') + interval '12 hours'), '[]');
COMMENT ON FUNCTION wagecheck._attendance_month_moments(timestamptz, timestamptz, date, date) IS
    'the moments from which attendance rows known and dated within the bounds count for a scan (internal)';

-- _attendance_month_sync(): trigger on attendance (statement level, C: attendance_months.c):
-- adds the new rows' days and takes the old rows' days away; counts are commutative, so
-- concurrent writers only wait on the row lock of a month they share. It also records in
-- input_change (table attendance_month) the projects whose months may now exist at other
-- moments - a month exists as of as_of when one of its rows is known (created_at) and dated
-- by then - for the rules that read only which workers attended which months (RN04, WP01):
-- every project of a statement that updates or deletes rows; for an insert, the months it
-- adds and those to which it adds a row known before the month's latest known_to or dated
-- before its first_day. Any other new row counts only after the month's row of first_day,
-- known by known_to, counts already (checked on the row as locked by ON CONFLICT: a
-- concurrent delete of that row is waited for). A day's attendance for months already
-- attended names no project. The keys of the months it adds (those holding only the new
-- rows' days), or of every month an update or delete touched, are synced in
-- attendance_unpaid. An update or delete locks its months in key order and writes each once,
-- its bounds recomputed from the rows left. It runs as the owner of wagecheck's tables,
-- switched to in C (src/trigowner.c), not SECURITY DEFINER: its statements' settings are
-- made only when a statement runs.
CREATE OR REPLACE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_attendance_month_sync'
    LANGUAGE C VOLATILE;
COMMENT ON FUNCTION wagecheck._attendance_month_sync() IS
    'trigger: keeps wagecheck.attendance_month (and attendance_unpaid) right after a statement on attendance (internal)';

CREATE OR REPLACE TRIGGER attendance_month_ins AFTER INSERT ON wagecheck.attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE OR REPLACE TRIGGER attendance_month_upd AFTER UPDATE ON wagecheck.attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE OR REPLACE TRIGGER attendance_month_del AFTER DELETE ON wagecheck.attendance
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE OR REPLACE TRIGGER attendance_month_trunc AFTER TRUNCATE ON wagecheck.attendance
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
ALTER TABLE wagecheck.attendance ENABLE ALWAYS TRIGGER attendance_month_ins;
ALTER TABLE wagecheck.attendance ENABLE ALWAYS TRIGGER attendance_month_upd;
ALTER TABLE wagecheck.attendance ENABLE ALWAYS TRIGGER attendance_month_del;
ALTER TABLE wagecheck.attendance ENABLE ALWAYS TRIGGER attendance_month_trunc;

-- the same four triggers on each table wage_month is computed from
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['pay_sheet', 'pay_line', 'wage_payment'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER wage_month_ins AFTER INSERT ON wagecheck.%I '
                       'REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER wage_month_upd AFTER UPDATE ON wagecheck.%I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER wage_month_del AFTER DELETE ON wagecheck.%I '
                       'REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER wage_month_trunc AFTER TRUNCATE ON wagecheck.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        -- bulk loads in replica mode (pg_restore, the bench generator) keep the summary too
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ALWAYS TRIGGER wage_month_ins, '
                       'ENABLE ALWAYS TRIGGER wage_month_upd, ENABLE ALWAYS TRIGGER wage_month_del, '
                       'ENABLE ALWAYS TRIGGER wage_month_trunc', t);
    END LOOP;
END
$$;

-- _wage_month_cards_raced(workers): in REPEATABLE READ or SERIALIZABLE, a serialization
-- failure when the months (project, worker, period) of the workers' pay lines read with a
-- new snapshot are not those of the transaction's snapshot (C: src/alerts/card_months.c);
-- nothing in READ COMMITTED. STRICT (no workers, nothing to compare), VOLATILE and PARALLEL
-- UNSAFE: it reads past the transaction's snapshot, and fails the transaction.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_cards_raced(p_workers bigint[]) RETURNS void
    AS 'MODULE_PATHNAME', 'wagecheck_wage_month_cards_raced'
    LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION wagecheck._wage_month_cards_raced(bigint[]) IS
    'fails with a serialization failure when the months of the workers'' pay lines committed since the transaction''s snapshot differ from those it sees (REPEATABLE READ, SERIALIZABLE; internal)';

-- _wage_month_cards(): trigger on worker (statement level, after UPDATE): a worker's
-- registered card changed, so the months of his lines are recomputed (payment_off_card).
CREATE OR REPLACE FUNCTION wagecheck._wage_month_cards() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp SET jit = off AS
$$
DECLARE
    kp bigint[];
    kw bigint[];
    km date[];
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.worker'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck._wage_month_cards() fires only AFTER each statement on worker, not on %s', TG_RELID::regclass),
              ERRCODE = 'trigger_protocol_violated';
    END IF;
    -- the workers whose card changed, locked FOR UPDATE first: a transaction writing a pay
    -- line of theirs holds the row FOR KEY SHARE (the line's foreign key) until it commits,
    -- and its month may be one no statement of this one sees yet; this one waits for it and
    -- then reads its lines and payments (a payment that read the old card is recomputed)
    PERFORM 1 FROM wagecheck.worker k
     WHERE k.worker_id IN (SELECT n.worker_id FROM old_rows o JOIN new_rows n ON n.worker_id = o.worker_id
                            WHERE o.wage_card IS DISTINCT FROM n.wage_card)
     ORDER BY k.worker_id
       FOR UPDATE OF k;
    -- (REPEATABLE READ, SERIALIZABLE: the statements below read the transaction's snapshot; a
    -- month of theirs committed since, by a writer waited for or one that ended before, would
    -- not be recomputed: the months as a new snapshot reads them must be those of the
    -- snapshot, else a serialization failure)
    IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN
        PERFORM wagecheck._wage_month_cards_raced(
            (SELECT array_agg(DISTINCT n.worker_id)
               FROM old_rows o JOIN new_rows n ON n.worker_id = o.worker_id
              WHERE o.wage_card IS DISTINCT FROM n.wage_card));
    END IF;
    SELECT array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period) INTO kp, kw, km
      FROM (SELECT DISTINCT s.project_id, l.worker_id, s.period
              FROM old_rows o
              JOIN new_rows n ON n.worker_id = o.worker_id
              JOIN wagecheck.pay_line l ON l.worker_id = n.worker_id
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
             WHERE o.wage_card IS DISTINCT FROM n.wage_card) x;
    PERFORM wagecheck._wage_month_refresh(kp, kw, km);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_cards() IS
    'trigger: recomputes the wage_month and payment_off_card rows of workers whose registered card changed (internal)';
CREATE OR REPLACE TRIGGER wage_month_cards AFTER UPDATE ON wagecheck.worker
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_cards();
-- _wage_month_workers(): trigger on worker (statement level, after INSERT): a worker who came
-- after his pay lines (a load in replica mode checks no foreign key) has the months of his
-- lines recomputed (payment_off_card); C (src/alerts/new_workers.c): a registration costs one
-- probe of pay_line's index per worker, no statement.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_workers() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_wage_month_workers'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION wagecheck._wage_month_workers() IS
    'trigger: recomputes the wage_month and payment_off_card rows of new workers whose pay lines came before them (internal)';
CREATE OR REPLACE TRIGGER wage_month_workers AFTER INSERT ON wagecheck.worker
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_workers();
ALTER TABLE wagecheck.worker ENABLE ALWAYS TRIGGER wage_month_cards, ENABLE ALWAYS TRIGGER wage_month_workers;

CREATE OR REPLACE FUNCTION wagecheck.rebuild_summaries() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    LOCK TABLE wagecheck.attendance, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment,
               wagecheck.account_txn, wagecheck.wage_account, wagecheck.roster, wagecheck.worker
        IN SHARE MODE;
    TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month, wagecheck.wage_month,
             wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker, wagecheck.attendance_unpaid,
             wagecheck.outflow_unmatched;
    INSERT INTO wagecheck.attendance_month
           (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*), max(a.created_at), max(a.day),
           min(a.day), min(a.created_at), true
      FROM wagecheck.attendance a
     GROUP BY 1, 2, 3;
    INSERT INTO wagecheck.attendance_project_month (project_id, period, workers, known_to, last_day)
    SELECT a.project_id, a.period, count(*), max(a.known_to), max(a.last_day)
      FROM wagecheck.attendance_month a
     GROUP BY 1, 2;
    -- what the rules read of them may differ from what they read before: every rule evaluates
    INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
    VALUES ('attendance_month', NULL, NULL, 't');
    INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
    INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
    INSERT INTO wagecheck.attendance_unpaid SELECT * FROM wagecheck._attendance_unpaid_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.outflow_unmatched SELECT * FROM wagecheck._outflow_unmatched_rows(NULL);
    ANALYZE wagecheck.attendance_month;
    ANALYZE wagecheck.attendance_project_month;
    ANALYZE wagecheck.wage_month;
    ANALYZE wagecheck.worker_pay;
    ANALYZE wagecheck.payment_off_card;
    ANALYZE wagecheck.sheet_worker;
    ANALYZE wagecheck.attendance_unpaid;
    ANALYZE wagecheck.outflow_unmatched;
END
$$;
COMMENT ON FUNCTION wagecheck.rebuild_summaries() IS
    'recomputes the derived summaries (attendance_month, attendance_project_month, wage_month, worker_pay, payment_off_card, sheet_worker, attendance_unpaid, outflow_unmatched) from the raw rows: needed only after their triggers were disabled; locks the input tables against writes while it runs';

-- _summary_exact(name, as_of): the summary counts exactly the rows known at as_of. The latest
-- moments (an empty summary is exact): of wage_month from the end of its index on known_to; of
-- attendance_month from attendance_project_month, whose rows hold the latest known_to and
-- last_day of their months' rows (a row per project and month, read whole: attendance_month
-- has no index on either, its rows are updated in place). PL/pgSQL so that each name reads
-- only its own summary (a rule asking of wages_owed reads no attendance).
CREATE OR REPLACE FUNCTION wagecheck._summary_exact(p_name text, p_as_of timestamptz) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF p_name = 'wages_owed' THEN
        RETURN coalesce((SELECT max(w.known_to) FROM wagecheck.wage_month w) <= p_as_of, true);
    ELSIF p_name = 'attendance_months' THEN
        RETURN coalesce((SELECT max(m.known_to) <= p_as_of AND max(m.last_day) <= p_as_of::date
                           FROM wagecheck.attendance_project_month m), true);
    END IF;
    RETURN false;
END
$$;
COMMENT ON FUNCTION wagecheck._summary_exact(text, timestamptz) IS
    'true when the summary behind a building block (wages_owed, attendance_months) holds exactly what was known at the moment: no row it summarizes is known, paid or dated after it (internal)';
