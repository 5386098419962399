-- wagecheck 0.1.0 -> 0.2.0. Every change to src/*/*.sql after the 0.1.0 release is
-- repeated here; test/upgrade.sh compares an upgraded database with a fresh install.
\echo Use "ALTER EXTENSION wagecheck UPDATE TO '0.2.0'" to load this file. \quit

-- ==== cases
-- SECURITY DEFINER functions search pg_temp last (a caller's temporary table cannot stand in).
ALTER FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_logged() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_child_logged() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_number_assign() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_closeout_guard() SET search_path = pg_catalog, wagecheck, pg_temp;
-- ==== alerts: summaries kept at write time for the evaluators' building blocks
-- Summaries kept at write time for the evaluators' two heavy building blocks:
-- wagecheck.attendance_month (days attended per project, worker and month) and
-- wagecheck.wage_month (per project, worker and month: effective net, payable, days, and
-- the payments made). Statement-level triggers with transition tables keep them right on
-- every INSERT, UPDATE, DELETE and TRUNCATE of the input tables; they are ENABLE ALWAYS,
-- so loads with session_replication_role = replica (bulk generators, pg_restore) keep
-- them right too. They are derived data: never dumped (a restore rebuilds them through
-- the triggers); wagecheck.rebuild_summaries() recomputes them after the triggers were
-- disabled. Each row records known_to, the latest moment a row it summarizes became
-- known (or was paid): wages_owed(as_of) and attendance_months(as_of) read a summary only
-- when no summarized row is known after as_of, else they compute from the raw rows.
-- Pay dates are not stored: they depend on the roster's pay terms and the holiday
-- calendar as of the moment asked, and are derived when the summary is read.

CREATE TABLE wagecheck.attendance_month (
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    period     date NOT NULL,
    days       bigint NOT NULL,
    known_to   timestamptz NOT NULL,
    last_day   date NOT NULL,
    PRIMARY KEY (project_id, worker_id, period)
);
COMMENT ON TABLE wagecheck.attendance_month IS
    'derived (kept by triggers on wagecheck.attendance, not dumped): days attended per project, worker and month';
COMMENT ON COLUMN wagecheck.attendance_month.known_to IS
    'latest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_month.last_day IS
    'latest day counted';
CREATE INDEX attendance_month_known_to ON wagecheck.attendance_month (known_to);
CREATE INDEX attendance_month_last_day ON wagecheck.attendance_month (last_day);

CREATE TABLE wagecheck.wage_month (
    project_id   bigint NOT NULL,
    worker_id    bigint NOT NULL,
    period       date NOT NULL,
    employer_id  bigint,
    days         numeric NOT NULL,
    payable      numeric(14,2) NOT NULL,
    net          numeric(14,2) NOT NULL,
    paid         numeric(14,2) NOT NULL,
    paid_ats     timestamptz[] NOT NULL,
    paid_each    numeric(14,2)[] NOT NULL,
    known_to     timestamptz NOT NULL,
    PRIMARY KEY (project_id, worker_id, period)
);
COMMENT ON TABLE wagecheck.wage_month IS
    'derived (kept by triggers on pay_sheet, pay_line and wage_payment, not dumped): per project, worker and month on a pay sheet, the effective lines'' days, payable and net (a correction replaces the line it corrects) and the payments made';
COMMENT ON COLUMN wagecheck.wage_month.paid_ats IS 'when each payment on the month''s lines was made (with paid_each: paid by the pay date)';
COMMENT ON COLUMN wagecheck.wage_month.known_to IS
    'latest moment among the summarized rows: created_at of sheets, lines, correcting lines and payments, paid_at of payments';
CREATE INDEX wage_month_known_to ON wagecheck.wage_month (known_to);

-- _wage_month_rows(project_ids, worker_ids, periods): the wage_month rows of these keys
-- (all of them when the arrays are NULL), computed from the raw rows, whatever their moment.
CREATE FUNCTION wagecheck._wage_month_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.wage_month
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH k AS (
        SELECT DISTINCT u.project_id, u.worker_id, u.period
          FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
    ),
    lp AS (
        SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id, l.days, l.payable, l.net,
               c.line_id IS NULL AS effective,
               greatest(l.created_at, s.created_at, c.created_at) AS known
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
          LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id
         WHERE p_projects IS NULL
            OR (s.project_id, l.worker_id, s.period) IN (SELECT k.project_id, k.worker_id, k.period FROM k)
    ),
    py AS (
        SELECT y.line_id, sum(y.amount) AS paid, max(greatest(y.created_at, y.paid_at)) AS known
          FROM wagecheck.wage_payment y
         WHERE p_projects IS NULL OR y.line_id IN (SELECT lp.line_id FROM lp)
         GROUP BY y.line_id
    ),
    pays AS (          -- every payment of the month's lines, for "paid by the pay date"
        SELECT lp.project_id, lp.worker_id, lp.period,
               array_agg(y.paid_at ORDER BY y.paid_at, y.payment_id) AS ats,
               array_agg(y.amount ORDER BY y.paid_at, y.payment_id) AS amounts
          FROM lp
          JOIN wagecheck.wage_payment y ON y.line_id = lp.line_id
         GROUP BY lp.project_id, lp.worker_id, lp.period
    ),
    sums AS (
        SELECT lp.project_id, lp.worker_id, lp.period, min(lp.employer_id) AS employer_id,
               coalesce(sum(lp.days) FILTER (WHERE lp.effective), 0) AS days,
               coalesce(sum(lp.payable) FILTER (WHERE lp.effective), 0) AS payable,
               coalesce(sum(lp.net) FILTER (WHERE lp.effective), 0) AS net,
               coalesce(sum(py.paid), 0) AS paid,
               greatest(max(lp.known), max(py.known)) AS known_to
          FROM lp
          LEFT JOIN py ON py.line_id = lp.line_id
         GROUP BY lp.project_id, lp.worker_id, lp.period
    )
    SELECT s.project_id, s.worker_id, s.period, s.employer_id, s.days, s.payable, s.net, s.paid,
           coalesce(pays.ats, '{}'), coalesce(pays.amounts, '{}'), s.known_to
      FROM sums s
      LEFT JOIN pays ON (pays.project_id, pays.worker_id, pays.period) = (s.project_id, s.worker_id, s.period)
$$;
COMMENT ON FUNCTION wagecheck._wage_month_rows(bigint[], bigint[], date[]) IS
    'wage_month rows of the given (project, worker, month) keys, or of all when NULL, from the raw rows (internal)';

-- _wage_month_refresh(keys): recomputes the summary rows of these keys. Rows are locked
-- first (a placeholder for a new key), in key order, then computed with a fresh snapshot:
-- two writers touching one key serialise, and the later one sees the earlier one's rows.
CREATE FUNCTION wagecheck._wage_month_refresh(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
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
    PERFORM 1
       FROM wagecheck.wage_month w
       JOIN unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
         ON (w.project_id, w.worker_id, w.period) = (u.project_id, u.worker_id, u.period)
      ORDER BY w.project_id, w.worker_id, w.period
        FOR UPDATE OF w;
    WITH n AS MATERIALIZED (
        SELECT * FROM wagecheck._wage_month_rows(p_projects, p_workers, p_periods)
    ),
    upd AS (
        UPDATE wagecheck.wage_month w
           SET employer_id = n.employer_id, days = n.days, payable = n.payable, net = n.net, paid = n.paid,
               paid_ats = n.paid_ats, paid_each = n.paid_each, known_to = n.known_to
          FROM n
         WHERE (w.project_id, w.worker_id, w.period) = (n.project_id, n.worker_id, n.period)
    )
    DELETE FROM wagecheck.wage_month w
     USING unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
     WHERE (w.project_id, w.worker_id, w.period) = (u.project_id, u.worker_id, u.period)
       AND NOT EXISTS (SELECT 1 FROM n WHERE (n.project_id, n.worker_id, n.period)
                                             = (u.project_id, u.worker_id, u.period));
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_refresh(bigint[], bigint[], date[]) IS
    'recomputes the wage_month rows of the given keys from the raw rows, locking them first (internal)';

-- _wage_month_sync(): trigger on pay_sheet, pay_line and wage_payment (statement level,
-- transition tables old_rows/new_rows): refreshes the keys the statement touched.
CREATE FUNCTION wagecheck._wage_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    p bigint[] := '{}';
    w bigint[] := '{}';
    m date[] := '{}';
    kp bigint[];
    kw bigint[];
    km date[];
    t text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- what is left of the other two tables (payments truncated alone leave the lines)
        TRUNCATE wagecheck.wage_month;
        INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    -- the keys (project, worker, month) of the statement's old and new rows
    FOREACH t IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                  ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        EXECUTE 'SELECT array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period) FROM ('
             || format(CASE TG_TABLE_NAME
            WHEN 'pay_sheet' THEN   -- the lines of the sheets, under the sheets' project and month
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I s JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id'
            WHEN 'pay_line' THEN    -- the lines themselves and the lines they correct
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I c
                  CROSS JOIN LATERAL (SELECT c.sheet_id, c.worker_id
                                      UNION ALL
                                      SELECT k.sheet_id, k.worker_id FROM wagecheck.pay_line k
                                       WHERE k.line_id = c.corrects_line_id) l
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            ELSE                    -- wage_payment: the lines paid
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM (SELECT DISTINCT y.line_id FROM %I y) y
                   JOIN wagecheck.pay_line l ON l.line_id = y.line_id
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            END, t) || ') x'
        INTO kp, kw, km;
        p := p || coalesce(kp, '{}'); w := w || coalesce(kw, '{}'); m := m || coalesce(km, '{}');
    END LOOP;
    PERFORM wagecheck._wage_month_refresh(p, w, m);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_sync() IS
    'trigger: keeps wagecheck.wage_month right after a statement on pay_sheet, pay_line or wage_payment (internal)';

-- _attendance_month_sync(): trigger on attendance (statement level): adds the new rows'
-- days and takes the old rows' days away; counts are commutative, so concurrent writers
-- only wait on the row lock of a month they share.
CREATE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE wagecheck.attendance_month;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- lock the months in key order, then take the old rows' days away
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.worker_id, a.period) IN
                (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date FROM old_rows o)
          ORDER BY a.project_id, a.worker_id, a.period
            FOR UPDATE OF a;
        UPDATE wagecheck.attendance_month a
           SET days = a.days - d.n
          FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period, count(*) AS n
                  FROM old_rows o
                 GROUP BY 1, 2, 3) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO wagecheck.attendance_month AS a (project_id, worker_id, period, days, known_to, last_day)
        SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at), max(n.day)
          FROM new_rows n
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (project_id, worker_id, period) DO UPDATE
           SET days = a.days + excluded.days,
               known_to = greatest(a.known_to, excluded.known_to),
               last_day = greatest(a.last_day, excluded.last_day);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- months left empty go; the others' latest moment and day come from the rows left
        DELETE FROM wagecheck.attendance_month a
         USING (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                  FROM old_rows o) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period)
           AND a.days <= 0;
        UPDATE wagecheck.attendance_month a
           SET known_to = x.known_to, last_day = x.last_day
          FROM (SELECT d.project_id, d.worker_id, d.period, max(r.created_at) AS known_to, max(r.day) AS last_day
                  FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                          FROM old_rows o) d
                  JOIN wagecheck.attendance r
                    ON r.project_id = d.project_id AND r.worker_id = d.worker_id
                   AND r.day >= d.period AND r.day < (d.period + interval '1 month')::date
                 GROUP BY 1, 2, 3) x
         WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period)
           AND (a.known_to, a.last_day) IS DISTINCT FROM (x.known_to, x.last_day);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_month_sync() IS
    'trigger: keeps wagecheck.attendance_month right after a statement on attendance (internal)';

CREATE TRIGGER attendance_month_ins AFTER INSERT ON wagecheck.attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE TRIGGER attendance_month_upd AFTER UPDATE ON wagecheck.attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE TRIGGER attendance_month_del AFTER DELETE ON wagecheck.attendance
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._attendance_month_sync();
CREATE TRIGGER attendance_month_trunc AFTER TRUNCATE ON wagecheck.attendance
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
        EXECUTE format('CREATE TRIGGER wage_month_ins AFTER INSERT ON wagecheck.%I '
                       'REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE TRIGGER wage_month_upd AFTER UPDATE ON wagecheck.%I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE TRIGGER wage_month_del AFTER DELETE ON wagecheck.%I '
                       'REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        EXECUTE format('CREATE TRIGGER wage_month_trunc AFTER TRUNCATE ON wagecheck.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_sync()', t);
        -- bulk loads in replica mode (pg_restore, the bench generator) keep the summary too
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ALWAYS TRIGGER wage_month_ins, '
                       'ENABLE ALWAYS TRIGGER wage_month_upd, ENABLE ALWAYS TRIGGER wage_month_del, '
                       'ENABLE ALWAYS TRIGGER wage_month_trunc', t);
    END LOOP;
END
$$;

CREATE FUNCTION wagecheck.rebuild_summaries() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    LOCK TABLE wagecheck.attendance, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment
        IN SHARE MODE;
    TRUNCATE wagecheck.attendance_month, wagecheck.wage_month;
    INSERT INTO wagecheck.attendance_month (project_id, worker_id, period, days, known_to, last_day)
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*), max(a.created_at), max(a.day)
      FROM wagecheck.attendance a
     GROUP BY 1, 2, 3;
    INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
    ANALYZE wagecheck.attendance_month;
    ANALYZE wagecheck.wage_month;
END
$$;
COMMENT ON FUNCTION wagecheck.rebuild_summaries() IS
    'recomputes the derived summaries (attendance_month, wage_month) from the raw rows: needed only after their triggers were disabled; locks the input tables against writes while it runs';

-- _summary_exact(name, as_of): the summary counts exactly the rows known at as_of.
CREATE FUNCTION wagecheck._summary_exact(p_name text, p_as_of timestamptz) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    -- the latest moments, from the ends of their indexes (an empty summary is exact)
    SELECT CASE p_name
        WHEN 'attendance_months' THEN
            coalesce((SELECT max(a.known_to) FROM wagecheck.attendance_month a) <= p_as_of, true)
            AND coalesce((SELECT max(a.last_day) FROM wagecheck.attendance_month a) <= p_as_of::date, true)
        WHEN 'wages_owed' THEN
            coalesce((SELECT max(w.known_to) FROM wagecheck.wage_month w) <= p_as_of, true)
        ELSE false
    END
$$;
COMMENT ON FUNCTION wagecheck._summary_exact(text, timestamptz) IS
    'true when the summary behind a building block (wages_owed, attendance_months) holds exactly what was known at the moment: no row it summarizes is known, paid or dated after it (internal)';

-- ==== alerts: incremental scans (what each rule reads, change capture, carried-over hits)
ALTER TABLE wagecheck.rule ADD COLUMN inputs text[] CHECK (cardinality(inputs) > 0),
                           ADD COLUMN time_driven boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN wagecheck.rule.inputs IS
    'tables of schema wagecheck the evaluator reads (NULL: unknown, the rule is evaluated at every scan); with time_driven false, a forward scan carries the hits over while none of them changed';
COMMENT ON COLUMN wagecheck.rule.time_driven IS
    'the rule''s result can change by the passage of time alone (deadlines, pay days, gaps counted from as_of): evaluated at every scan';
-- Change capture for incremental scans. Statement-level triggers on every table an
-- evaluator reads append one row per statement to wagecheck.input_change (insert-only:
-- writers never wait on each other for it): the table, the writing transaction, and the
-- moments of the written rows (their date and time columns). A rule whose declared inputs
-- (rule.inputs) have no change since its last evaluation - none written by a transaction
-- its last scan could not see, and no written row dated between that scan's moment and
-- this one - and whose result cannot change by the passage of time alone
-- (rule.time_driven false) has the same hits as then: a forward scan carries them over
-- from its live alerts instead of evaluating the rule (see scan()).

CREATE TABLE wagecheck.input_change (
    table_name text NOT NULL,
    xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    moments    tstzmultirange,
    seq        bigint GENERATED ALWAYS AS IDENTITY
);
COMMENT ON TABLE wagecheck.input_change IS
    'derived (change capture, not dumped): one row per statement that wrote a table the rules read; consumed by scan() to skip rules whose inputs did not change';
COMMENT ON COLUMN wagecheck.input_change.xid IS 'the writing transaction (a scan whose snapshot does not see it has not seen the change)';
COMMENT ON COLUMN wagecheck.input_change.seq IS 'order of the changes (within one transaction: before or after a scan in it)';
COMMENT ON COLUMN wagecheck.input_change.moments IS
    'the moments of the written rows'' date and time columns (a date counts for the whole day in any time zone): a rule reading them can change when a scan passes one; NULL for deletes';
CREATE INDEX input_change_table ON wagecheck.input_change (table_name);

CREATE TABLE wagecheck.rule_eval_state (
    code         text PRIMARY KEY REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    snapshot     pg_snapshot NOT NULL,
    scan_xid     xid8 NOT NULL,
    seen_seq     bigint NOT NULL,
    evaluated_to timestamptz NOT NULL,
    carried      boolean NOT NULL,
    at           timestamptz NOT NULL,
    time_zone    text NOT NULL
);
COMMENT ON TABLE wagecheck.rule_eval_state IS
    'derived (not dumped: a restored database evaluates every rule once): per rule, the snapshot and moment up to which its live alerts reflect its hits, and whether its last forward scan evaluated it or carried its hits over';
COMMENT ON COLUMN wagecheck.rule_eval_state.scan_xid IS 'the scan''s transaction: its own changes (which its snapshot does not list) count when recorded after seen_seq';
COMMENT ON COLUMN wagecheck.rule_eval_state.seen_seq IS 'the last input_change.seq recorded when the rule was evaluated';
COMMENT ON COLUMN wagecheck.rule_eval_state.carried IS 'the last forward scan carried the hits over (inputs unchanged) instead of evaluating the rule';
COMMENT ON COLUMN wagecheck.rule_eval_state.time_zone IS 'the session time zone (TimeZone) of that scan: the day of as_of that time-driven rules count from';

-- _input_changed(): trigger (statement level) on the tables the rules read.
CREATE FUNCTION wagecheck._input_changed() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    m tstzmultirange;
BEGIN
    -- a statement that wrote no row changed nothing
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- the moments of the new rows, from the (moment, hours before, hours after) expressions
    -- over their date and time columns that the trigger was created with (TG_ARGV[0])
    IF TG_OP IN ('INSERT', 'UPDATE') AND TG_NARGS > 0 THEN
        EXECUTE format('SELECT range_agg(tstzrange(x.t - make_interval(hours => x.lo), '
                       'x.t + make_interval(hours => x.hi), ''[]'')) '
                       'FROM (SELECT DISTINCT v.t, v.lo, v.hi FROM new_rows n '
                       'CROSS JOIN LATERAL (VALUES %s) v(t, lo, hi) WHERE v.t IS NOT NULL) x', TG_ARGV[0])
           INTO m;
    END IF;
    INSERT INTO wagecheck.input_change (table_name, moments) VALUES (TG_TABLE_NAME, m);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._input_changed() IS
    'trigger: records in wagecheck.input_change that a statement wrote a table the rules read (internal)';

-- the tables the rules read, and the engine's own configuration (parameters, calendar);
-- the insert and update triggers carry the expressions of the table's moments, computed
-- here once instead of from the catalogs at every statement (an upgrade that adds a date or
-- time column to one of these tables creates its triggers anew)
DO $$
DECLARE
    t text;
    moments text;
BEGIN
    FOREACH t IN ARRAY ARRAY['enterprise', 'project', 'subcontract', 'worker', 'roster', 'attendance',
                             'wage_account', 'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                             'wage_payment', 'guarantee_deposit', 'rule', 'rule_param_override', 'holiday'] LOOP
        -- every date or time column: a timestamptz is a moment; a timestamp is one in the
        -- session's time zone (UTC-12 to UTC+14); a date compared with as_of::date turns at
        -- its first or its last midnight, in the session's time zone. Moments are kept to
        -- the hour (in UTC) that holds them (a bank file's million movements, one a second,
        -- make a few hundred ranges, not a million): a scan whose window meets that hour evaluates
        SELECT coalesce(quote_literal(string_agg(CASE a.atttypid
                   WHEN 'timestamptz'::regtype THEN format('(date_trunc(''hour'', n.%I, ''UTC''), 0, 1)', a.attname)
                   WHEN 'timestamp'::regtype THEN format('(date_trunc(''hour'', n.%I) AT TIME ZONE ''UTC'', 15, 16)', a.attname)
                   ELSE format('(n.%I::timestamp AT TIME ZONE ''UTC'', 15, 39)', a.attname)
               END, ', ' ORDER BY a.attnum)), '')
          INTO moments
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = format('wagecheck.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND a.atttypid IN ('timestamptz'::regtype, 'date'::regtype, 'timestamp'::regtype);
        EXECUTE format('CREATE TRIGGER input_change_ins AFTER INSERT ON wagecheck.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%s)', t, moments);
        EXECUTE format('CREATE TRIGGER input_change_upd AFTER UPDATE ON wagecheck.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%s)', t, moments);
        EXECUTE format('CREATE TRIGGER input_change_del AFTER DELETE ON wagecheck.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed()', t);
        EXECUTE format('CREATE TRIGGER input_change_trunc AFTER TRUNCATE ON wagecheck.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed()', t);
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ALWAYS TRIGGER input_change_ins, '
                       'ENABLE ALWAYS TRIGGER input_change_upd, ENABLE ALWAYS TRIGGER input_change_del, '
                       'ENABLE ALWAYS TRIGGER input_change_trunc', t);
    END LOOP;
END
$$;

-- _inputs_unchanged(code, as_of): the rule's hits as of as_of are those of its last
-- evaluation (its live alerts): it declares its inputs, does not change with time alone
-- (or does, counting whole days from as_of, and as_of is still the same day in the same
-- time zone), and nothing it reads changed since (nor does a row it reads turn visible by as_of).
CREATE FUNCTION wagecheck._inputs_unchanged(p_code text, p_as_of timestamptz) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT coalesce((
        SELECT r.inputs IS NOT NULL AND r.tier <> 'O' AND NOT r.once
               AND (NOT r.time_driven
                    OR (s.time_zone = pg_catalog.current_setting('TimeZone')
                        AND p_as_of::date = s.evaluated_to::date))
               AND p_as_of >= s.evaluated_to
               AND NOT EXISTS (
                   SELECT 1 FROM wagecheck.input_change c
                    WHERE c.table_name = ANY (r.inputs || ARRAY['rule', 'rule_param_override', 'holiday'])
                      AND (CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                                ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
                           OR c.moments && tstzmultirange(tstzrange(s.evaluated_to, p_as_of, '(]'))))
          FROM wagecheck.rule r
          JOIN wagecheck.rule_eval_state s ON s.code = r.code
         WHERE r.code = p_code), false)
$$;
COMMENT ON FUNCTION wagecheck._inputs_unchanged(text, timestamptz) IS
    'true when a forward scan as of the moment may carry the rule''s hits over from its live alerts instead of evaluating it (internal)';

-- _carried_hits(code): the hits of a rule's last evaluation, from its live alerts.
CREATE FUNCTION wagecheck._carried_hits(p_code text) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT a.subject_kind, a.subject_id, a.period, a.project_id, a.enterprise_id, a.division, a.tier,
           NULL::timestamptz, a.details
      FROM wagecheck.alert a
     WHERE a.rule_code = p_code AND a.evidence IN ('rule', 'both')
       AND ((a.tier = 'G' AND a.state = 'open') OR (a.tier = 'K' AND a.state IN ('open', 'overdue')))
$$;
COMMENT ON FUNCTION wagecheck._carried_hits(text) IS
    'the hits of a rule as its live alerts hold them (G open, K open or overdue, raised by the rule): what an unchanged rule finds again (internal)';

-- _input_change_trim(): forgets the changes every rule's last evaluation has seen.
CREATE FUNCTION wagecheck._input_change_trim() RETURNS void
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
    DELETE FROM wagecheck.input_change c
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule_eval_state s
                        WHERE CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                                   ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
                           OR upper_inf(c.moments) OR upper(c.moments) > s.evaluated_to)
$$;
COMMENT ON FUNCTION wagecheck._input_change_trim() IS
    'deletes the recorded changes that every rule''s last evaluation saw and whose moments have all passed (internal)';

-- _input_change_seen(): the last change recorded so far (with the snapshot: what a scan has seen).
CREATE FUNCTION wagecheck._input_change_seen() RETURNS bigint
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT s.last_value FROM wagecheck.input_change_seq_seq s
$$;
COMMENT ON FUNCTION wagecheck._input_change_seen() IS
    'the last input_change.seq handed out (internal)';

DROP FUNCTION wagecheck._scan_plan(text, timestamptz, boolean);
CREATE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
                                     p_carry boolean DEFAULT false)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at
          FROM wagecheck.alert c
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
        UNION ALL
        SELECT s.* FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    j AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, $1::date AS today
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    f AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date,
                                  wagecheck.add_working_days(j.today,
                                      (wagecheck.rule_param($2, 'deadline_wd', j.division))::int))
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due,
                                  $1 + make_interval(hours => (wagecheck.rule_param($2, 'verify_hours', j.division))::int))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1)
                                  + make_interval(hours => (wagecheck.rule_param($2, 'report_hours', j.division))::int))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END
      FROM f
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false)) st ON true
     WHERE st.action IS NOT NULL OR f.hit
     ORDER BY f.subject_kind, f.subject_id, f.period, st.step
    $q$, CASE WHEN p_carry THEN 'wagecheck._carried_hits($2)' ELSE r.evaluator::regproc::text || '($1)' END)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O';
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes, from the rule''s hits or (carry) those its live alerts hold (internal to scan)';

-- the building blocks read the summaries when exact for the moment; the scan's memo through them
CREATE FUNCTION wagecheck._wages_owed_summary(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS MATERIALIZED (    -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    )
    SELECT w.project_id, w.worker_id, w.employer_id, w.period, d.pay_date, w.days, w.payable, w.net, w.paid,
           -- payments are in time order: all, none, or those up to the pay date
           CASE WHEN cardinality(w.paid_ats) = 0 OR w.paid_ats[1]::date > d.pay_date THEN 0
                WHEN w.paid_ats[cardinality(w.paid_ats)]::date <= d.pay_date THEN w.paid
                ELSE (SELECT sum(u.a) FROM unnest(w.paid_ats, w.paid_each) u(at, a)
                       WHERE u.at::date <= d.pay_date) END,
           greatest(w.net - w.paid, 0)
      FROM wagecheck.wage_month w
      LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = w.project_id AND t.worker_id = w.worker_id
      JOIN dates d ON d.period = w.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_summary(timestamptz) IS
    'wagecheck.wages_owed read from the summary wagecheck.wage_month (internal)';

CREATE OR REPLACE FUNCTION wagecheck.attendance_months(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('attendance_months', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_attendance_months';
    ELSIF wagecheck._summary_exact('attendance_months', as_of) THEN
        RAISE DEBUG 'wagecheck: attendance_months as of % from the summary attendance_month', as_of;
        RETURN QUERY SELECT a.project_id, a.worker_id, a.period, a.days FROM wagecheck.attendance_month a;
    ELSE
        RAISE DEBUG 'wagecheck: attendance_months as of % from the raw rows (rows known after it)', as_of;
        RETURN QUERY SELECT * FROM wagecheck._attendance_months_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attendance_months(timestamptz) IS
    'days attended per project, worker and month, as known at a moment';

DROP FUNCTION wagecheck._memo_build(timestamptz);
CREATE FUNCTION wagecheck._memo_build(p_as_of timestamptz, p_skip text[] DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    b text;
BEGIN
    PERFORM wagecheck._memo_drop();
    CREATE TEMP TABLE wc_memo (name text PRIMARY KEY, as_of timestamptz NOT NULL) ON COMMIT DROP;
    FOREACH b IN ARRAY ARRAY['wages_owed', 'attendance_months'] LOOP
        IF (SELECT count(*) FROM wagecheck.rule r JOIN pg_catalog.pg_proc p ON p.oid = r.evaluator
             WHERE r.enabled AND r.code <> ALL (coalesce(p_skip, '{}'))
               AND strpos(p.prosrc, b || '(') > 0) > 1 THEN
            -- from the summary kept at write time when it is exact for the moment, else raw rows
            EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM wagecheck.%I($1)',
                           'wc_memo_' || b, b) USING p_as_of;
            EXECUTE format('ANALYZE pg_temp.%I', 'wc_memo_' || b);
            INSERT INTO pg_temp.wc_memo VALUES (b, p_as_of);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_build(timestamptz, text[]) IS
    'computes the building blocks shared by several enabled evaluators once per scan, leaving out the rules the scan will carry over (internal)';

DROP FUNCTION wagecheck.scan(timestamptz);
CREATE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- the rules whose inputs did not change are carried over: no building block for them
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to AND wagecheck._inputs_unchanged(ru.code, as_of);
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        carry := incremental AND wagecheck._inputs_unchanged(r.code, as_of);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' ELSE 'evaluated' END;
        WITH p AS MATERIALIZED (
            SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, carry)
        ),
        fin AS MATERIALIZED (
            SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
              FROM p
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
        ),
        ins AS (
            INSERT INTO wagecheck.alert AS a
                   (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                    division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
            SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                   f.enterprise_id, f.division, f.details, f.evidence, as_of,
                   CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                   CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                   CASE WHEN f.step > 1 THEN as_of END, as_of
              FROM fin f
             WHERE f.alert_id IS NULL AND f.action IS NOT NULL
            ON CONFLICT (rule_code, subject_kind, subject_id, period)
               WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               DO NOTHING
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        upd AS (
            UPDATE wagecheck.alert a
               SET tier = coalesce(f.to_tier, a.tier),
                   state = coalesce(f.to_state, a.state),
                   details = f.details,
                   evidence = f.evidence,
                   project_id = coalesce(f.project_id, a.project_id),
                   enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                   division = coalesce(f.division, a.division),
                   deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                   due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                   escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                       THEN as_of ELSE a.escalated_at END,
                   closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                   updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
              FROM fin f
             WHERE a.alert_id = f.alert_id
               AND a.state = f.cur_state
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                    OR a.evidence IS DISTINCT FROM f.evidence)
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        ev AS (
            INSERT INTO wagecheck.alert_event AS e
                   (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
            SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                   p.from_tier, p.to_tier,
                   CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                   CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                   CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
              FROM p
              LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                             AND i.subject_id = p.subject_id AND i.period = p.period
              LEFT JOIN upd u ON u.alert_id = p.alert_id
             WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step
            RETURNING e.alert_id, e.action, e.to_state, e.to_tier
        ),
        lnk AS (
            INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
            SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
              FROM fin f
              LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                             AND i.subject_id = f.subject_id AND i.period = f.period
             CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
             WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
            ON CONFLICT (violation_id) DO NOTHING
        )
        SELECT (SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FROM p WHERE p.hit),
               count(*) FILTER (WHERE ev.action = 'open'),
               count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
               count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
               count(*) FILTER (WHERE ev.action = 'rectify'),
               array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                  ev.to_tier, ev.to_state,
                                                  coalesce(i.subject_kind, u.subject_kind),
                                                  coalesce(i.subject_id, u.subject_id),
                                                  coalesce(i.period, u.period),
                                                  coalesce(i.division, u.division)::text, as_of)
                         ORDER BY ev.alert_id, ev.action)
                   FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
          INTO hits, opened, escalated, cleared, rectified, payloads
          FROM ev
          LEFT JOIN ins i ON i.alert_id = ev.alert_id
          LEFT JOIN upd u ON u.alert_id = ev.alert_id;
        PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated; incremental => false evaluates every rule';

-- What each rule of the catalogue reads, and whether time alone changes its result
-- (rule.inputs, rule.time_driven): a forward scan carries the hits of a rule that is not
-- time-driven over while none of its inputs changed (46_changes.sql). A rule compares
-- dates of its rows with as_of (created_at, booked_at, paid_at, start_on, ...) - such a
-- row is recorded with its moments, so the scan that passes one evaluates the rule - but
-- time-driven rules also count from as_of: a deadline, a pay day, a gap of days.
UPDATE wagecheck.rule r SET inputs = d.inputs, time_driven = d.time_driven
  FROM (VALUES
    ('RN01', '{pay_line,pay_sheet,project,roster}'::text[], false),
    ('RN02', '{roster,project}', false),
    ('RN03', '{project,attendance}', true),                      -- no attendance for gap_days up to as_of
    ('RN04', '{attendance,pay_sheet,pay_line,roster,project}', true),   -- after the pay day
    ('AC01', '{project,wage_account}', true),                    -- open_days after the contract
    ('AC02', '{labour_cost_schedule,account_txn,wage_account,project}', true),   -- K after k_overdue_days
    ('AC03', '{account_txn,wage_account,project,roster,worker}', false),
    ('AC04', '{project}', false),
    ('AC05', '{wage_account,project,pay_sheet,pay_line,wage_payment,roster}', false),
    ('AC06', '{account_txn,wage_account,project}', false),
    ('PS01', '{pay_line,pay_sheet,project}', false),
    ('WP01', '{attendance,pay_sheet,roster,project}', true),     -- after the pay day
    ('WP02', '{pay_sheet,pay_line,wage_payment,roster,project}', true),  -- after the pay day, K k_days later
    ('WP03', '{pay_sheet,pay_line,wage_payment,roster,project}', true),  -- months owed after their pay day
    ('WP04', '{wage_payment,pay_line,pay_sheet,project,worker}', false),
    -- WP05 and WP06 read only the days and payable of wages_owed: its rows and those columns
    -- come from the sheets and lines alone (payments and pay terms give paid and pay_date)
    ('WP05', '{pay_sheet,pay_line,project}', false),
    ('WP06', '{pay_sheet,pay_line,project}', false),
    ('WP07', '{roster,project}', true),                          -- settle_days after leaving
    ('DP01', '{project,guarantee_deposit,wage_account,pay_sheet,pay_line,wage_payment,roster}', true),  -- working days after the contract
    ('NB01', '{project}', true),                                 -- board_days after the start
    ('QR01', '{project}', false)
  ) d(code, inputs, time_driven)
 WHERE r.code = d.code;

-- the summaries of the rows already there (later writes keep them right through the triggers)
SELECT wagecheck.rebuild_summaries();

-- ==== enforce: officers of a county or sector regulator write within their scope
COMMENT ON ROLE wagecheck_sector IS 'wagecheck: officer of a sector regulator (行业主管部门): reads, records and corrects (never deletes) the facts of the projects of the sectors and divisions in wagecheck.officer_scope';
COMMENT ON ROLE wagecheck_county IS 'wagecheck: officer of a county or district (属地): reads, records and corrects (never deletes) the facts of the projects of the divisions in wagecheck.officer_scope';

-- Officers of a county (属地) or a sector regulator record and correct the facts of the
-- projects in their scope (wagecheck.officer_scope) and nowhere else: projects,
-- subcontracts, workers and rosters, attendance, dedicated accounts (not their balance),
-- labour-cost schedules, pay sheets and lines, wage payments, deposits. Nothing is deleted
-- (ledgers are kept 3 years: only an administrator deletes) and payments are not edited
-- (a wrong payment is answered by a correcting pay line). Account movements come from the
-- bank's feed and violations from the enforcing trigger: officers write neither, nor their
-- own scope, nor a project's enforcement mode. Inspectors and analysts only read.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['subcontract', 'roster', 'attendance', 'wage_account', 'labour_cost_schedule',
                             'pay_sheet', 'guarantee_deposit']
    LOOP
        EXECUTE format('CREATE POLICY officer_insert ON wagecheck.%I FOR INSERT TO wagecheck_county, wagecheck_sector'
                       ' WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project))', t);
        EXECUTE format('CREATE POLICY officer_update ON wagecheck.%I FOR UPDATE TO wagecheck_county, wagecheck_sector'
                       ' USING (project_id IN (SELECT project_id FROM wagecheck.project))'
                       ' WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project))', t);
    END LOOP;
END
$$;
CREATE POLICY officer_insert ON wagecheck.pay_line FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
CREATE POLICY officer_update ON wagecheck.pay_line FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet))
    WITH CHECK (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
CREATE POLICY officer_insert ON wagecheck.wage_payment FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (line_id IN (SELECT line_id FROM wagecheck.pay_line));
-- a worker is registered by real name before any roster names him; his record is then
-- kept by the officers of the projects whose roster he is on
CREATE POLICY officer_insert ON wagecheck.worker FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (true);
CREATE POLICY officer_update ON wagecheck.worker FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (worker_id IN (SELECT worker_id FROM wagecheck.roster))
    WITH CHECK (worker_id IN (SELECT worker_id FROM wagecheck.roster));

GRANT INSERT (code, name, division, sector, funding, owner_id, contractor_id, contract_value,
              contract_signed_on, labour_share, start_on, planned_end_on, completed_on, status,
              notice_board_on, complaint_qr),
      UPDATE (name, division, sector, funding, owner_id, contractor_id, contract_value,
              contract_signed_on, labour_share, start_on, planned_end_on)
    ON wagecheck.project TO wagecheck_sector, wagecheck_county;
GRANT INSERT (credit_code, name, role, legal_rep, division) ON wagecheck.enterprise
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT, UPDATE ON wagecheck.subcontract, wagecheck.roster, wagecheck.attendance,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.guarantee_deposit
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT (project_id, bank, account_no, account_name, opened_on, registered_on, closure_notice_on, closed_on),
      UPDATE (bank, account_name, registered_on, closure_notice_on, closed_on)
    ON wagecheck.wage_account TO wagecheck_sector, wagecheck_county;
GRANT INSERT (sheet_id, worker_id, days, payable, deductions, net, signed_on, corrects_line_id),
      UPDATE (days, payable, deductions, net, signed_on)
    ON wagecheck.pay_line TO wagecheck_sector, wagecheck_county;
GRANT INSERT (line_id, txn_id, amount, paid_at, method, card) ON wagecheck.wage_payment
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT (resident_id, name, phone, wage_card, card_bank),
      UPDATE (name, phone, wage_card, card_bank)
    ON wagecheck.worker TO wagecheck_sector, wagecheck_county;

-- ==== enforce: attach kinds wage_payment (RN01, WP04) and wage_account (AC05 closure)
CREATE OR REPLACE FUNCTION wagecheck.attach(tbl regclass, kind text, columns jsonb, mode text DEFAULT 'reject')
    RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    args text[];
    quoted text;
    r record;
BEGIN
    IF kind NOT IN ('account_txn', 'pay_line', 'wage_payment', 'wage_account') THEN
        RAISE EXCEPTION 'cannot attach wagecheck to a table of kind "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Kinds are account_txn, pay_line, wage_payment and wage_account.';
    END IF;
    IF mode NOT IN ('reject', 'alert') THEN
        RAISE EXCEPTION 'unknown enforcement mode "%"', mode
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Modes are reject and alert.';
    END IF;
    IF jsonb_typeof(columns) <> 'object' THEN
        RAISE EXCEPTION 'the column mapping must be a JSON object of role: column name'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kind = 'wage_account' AND columns ? 'balance' THEN
        RAISE EXCEPTION 'an attached table of accounts keeps its own balance: do not map "balance"'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'wagecheck derives balances from movements only in wagecheck.wage_account.';
    END IF;
    IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = tbl) <> 'r' THEN
        RAISE EXCEPTION '% is not an ordinary table', tbl
            USING ERRCODE = 'wrong_object_type';
    END IF;
    args := ARRAY[kind, mode];
    FOR r IN SELECT key, value FROM jsonb_each(columns) ORDER BY key LOOP
        IF jsonb_typeof(r.value) <> 'string' THEN
            RAISE EXCEPTION 'column role "%" must name a column as a JSON string', r.key
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        args := args || (r.key || '=' || (r.value #>> '{}'));
    END LOOP;
    -- the same check the trigger makes, so a bad mapping fails here, not at the first row
    PERFORM wagecheck.check_mapping(tbl, args);
    PERFORM wagecheck.detach(tbl);
    SELECT string_agg(quote_literal(a), ', ' ORDER BY n) INTO quoted
      FROM unnest(args) WITH ORDINALITY AS u(a, n);
    IF kind = 'account_txn' THEN
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    ELSIF kind = 'wage_account' THEN
        -- a closure is an update of the account row; nothing is remembered across rows
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_row BEFORE UPDATE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    ELSE
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_row BEFORE INSERT OR UPDATE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT OR UPDATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attach(regclass, text, jsonb, text) IS 'installs wagecheck''s enforcing C trigger on an existing table: kind account_txn, pay_line, wage_payment or wage_account, a mapping {role: column}, mode reject or alert; attaching again replaces it';

-- ==== per-project changes: change capture names the projects written; rules with a project
-- evaluator are evaluated for those projects only (alerts: incremental scans)

ALTER TABLE wagecheck.rule ADD COLUMN project_evaluator regprocedure;

COMMENT ON COLUMN wagecheck.rule.project_evaluator IS
    'optional function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit: the evaluator''s hits whose project is one of projects, reading only rows of those projects; a forward scan then evaluates only the projects whose rows changed and carries the hits of the others over';

ALTER TABLE wagecheck.input_change ADD COLUMN projects bigint[];
-- (session 5) what the statement did, written by the capture trigger from here on
ALTER TABLE wagecheck.input_change ADD COLUMN op "char" CHECK (op IN ('i', 'u', 'd', 't'));

COMMENT ON TABLE wagecheck.input_change IS
    'derived (change capture, not dumped): one row per statement that wrote a table the rules read (and per officer closure of a once rule''s alert: table alert); consumed by scan() to skip rules, or projects, whose inputs did not change';

COMMENT ON COLUMN wagecheck.input_change.projects IS
    'the projects whose rows the statement wrote (pay lines through their sheet, payments through their line, account movements through their account, workers through their rosters and pay lines; old and new rows); NULL: not limited to projects (rules, parameters, holidays, enterprises, TRUNCATE)';

ALTER TABLE wagecheck.rule_eval_state ADD COLUMN projects bigint[];

COMMENT ON COLUMN wagecheck.rule_eval_state.projects IS
    'the projects the last forward scan evaluated with the rule''s project evaluator, carrying the hits of the others over (NULL: evaluated in full, or carried over)';

CREATE TABLE wagecheck.rule_kept_hit (
    code       text NOT NULL REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    alert_id   bigint NOT NULL REFERENCES wagecheck.alert ON DELETE CASCADE,
    project_id bigint,
    PRIMARY KEY (code, alert_id)
);
COMMENT ON TABLE wagecheck.rule_kept_hit IS
    'derived (not dumped): hits of a rule.once rule at its last evaluation whose alert is no longer live (confirmed, closed): what carrying its hits over must count besides its live alerts';
COMMENT ON COLUMN wagecheck.rule_kept_hit.project_id IS 'the project of the hit (scopes a per-project evaluation)';

-- rule_check(): the evaluator must have the contract's signature; override keys must exist.
CREATE OR REPLACE FUNCTION wagecheck._rule_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    p pg_catalog.pg_proc;
    bad text;
BEGIN
    IF TG_TABLE_NAME = 'rule' THEN
        SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.evaluator;
        IF p.pronargs <> 1 OR p.proargtypes[0] <> 'timestamptz'::regtype
           OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
            RAISE EXCEPTION 'evaluator % of rule % has the wrong signature', NEW.evaluator, NEW.code
                USING ERRCODE = 'check_violation',
                      HINT = 'An evaluator is a function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit.';
        END IF;
        IF NEW.project_evaluator IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.project_evaluator;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'bigint[]'::regtype
               OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
                RAISE EXCEPTION 'project evaluator % of rule % has the wrong signature', NEW.project_evaluator, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A project evaluator is a function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit.';
            END IF;
        END IF;
        -- the engine's own parameters, with the catalogue's defaults where the rule gives none
        IF NEW.tier = 'K' OR NEW.escalates THEN
            NEW.params := jsonb_build_object('deadline_wd', 5) || NEW.params;
        ELSIF NEW.tier = 'O' THEN
            NEW.params := jsonb_build_object('verify_hours', 2, 'report_hours', 24) || NEW.params;
        END IF;
    ELSE
        SELECT string_agg(k, ', ') INTO bad
          FROM jsonb_object_keys(NEW.params) k
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule r WHERE r.code = NEW.code AND r.params ? k);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'rule % has no parameter %', NEW.code, bad
                USING ERRCODE = 'check_violation',
                      HINT = 'An override sets parameters the rule defines in wagecheck.rule.params.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_check() IS 'trigger: checks rule evaluators and parameter overrides; adds the engine''s default parameters (deadline_wd 5; verify_hours 2, report_hours 24)';

DROP TRIGGER rule_check ON wagecheck.rule;

CREATE TRIGGER rule_check BEFORE INSERT OR UPDATE OF evaluator, tier, escalates, params, project_evaluator ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();

DROP FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean);

-- _scan_plan(code, as_of, replay, carry, projects): what a scan of one rule does, one row
-- per (alert, step) — steps in order — plus no-op rows for hits that change nothing. With
-- carry, the hits are those the rule's live alerts hold; with projects too, the rule's
-- project evaluator gives the hits of those projects and the live alerts those of the others,
-- but for the alerts on which that changes nothing (_quiet_elsewhere: not planned at all).
CREATE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
                                     p_carry boolean DEFAULT false, p_projects bigint[] DEFAULT NULL)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at
          FROM wagecheck.alert c
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
           %s
        UNION ALL
        SELECT s.* FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    j AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, $1::date AS today
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    -- the engine's parameters, once per division, read only where a row below uses them
    prm AS MATERIALIZED (
        SELECT d.div,
               CASE WHEN d.deadline THEN (wagecheck.rule_param($2, 'deadline_wd', d.division))::int END AS deadline_wd,
               CASE WHEN d.verify THEN (wagecheck.rule_param($2, 'verify_hours', d.division))::int END AS verify_hours,
               CASE WHEN d.report THEN (wagecheck.rule_param($2, 'report_hours', d.division))::int END AS report_hours
          FROM (SELECT coalesce(j.division::text, '') AS div,
                       nullif(coalesce(j.division::text, ''), '')::wagecheck.division_code AS division,
                       bool_or(j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                               AND j.hit_due IS NULL) AS deadline,
                       bool_or(j.hit AND j.lvl = 'O' AND j.alert_id IS NULL AND j.hit_due IS NULL) AS verify,
                       bool_or(coalesce(j.c_tier, j.lvl) = 'O' AND j.details ->> 'report_due' IS NULL) AS report
                  FROM j
                 GROUP BY 1) d
    ),
    f AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date, wagecheck.add_working_days(j.today, prm.deadline_wd))
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due, $1 + make_interval(hours => prm.verify_hours))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1) + make_interval(hours => prm.report_hours))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
          JOIN prm ON prm.div = coalesce(j.division::text, '')
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END
      FROM f
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false)) st ON true
     WHERE st.action IS NOT NULL OR f.hit
     ORDER BY f.subject_kind, f.subject_id, f.period, st.step
    $q$, CASE WHEN p_carry AND p_projects IS NOT NULL AND r.project_evaluator IS NOT NULL
              THEN 'AND c.alert_id NOT IN (SELECT q.alert_id FROM wagecheck._quiet_elsewhere($2, $1, $7) q)'
              ELSE '' END,
         CASE WHEN p_carry AND p_projects IS NOT NULL AND r.project_evaluator IS NOT NULL
              -- the carried hits (as _carried_hits gives them) of the alerts left in cur
              THEN format('(SELECT * FROM %s($1, $7) UNION ALL '
                          'SELECT a.subject_kind, a.subject_id, a.period, coalesce(k.project_id, a.project_id), '
                          'a.enterprise_id, a.division, a.tier, NULL::timestamptz, a.details '
                          'FROM cur JOIN wagecheck.alert a ON a.alert_id = cur.alert_id '
                          'LEFT JOIN wagecheck.rule_kept_hit k ON k.code = $2 AND k.alert_id = a.alert_id '
                          'WHERE CASE WHEN k.alert_id IS NOT NULL THEN k.project_id IS NULL OR k.project_id <> ALL ($7) '
                          'ELSE a.evidence IN (''rule'', ''both'') '
                          'AND ((a.tier = ''G'' AND a.state = ''open'') OR (a.tier = ''K'' AND a.state IN (''open'', ''overdue''))) '
                          'AND (a.project_id IS NULL OR a.project_id <> ALL ($7)) END)',
                          r.project_evaluator::regproc)
              WHEN p_carry THEN 'wagecheck._carried_hits($2)'
              ELSE r.evaluator::regproc::text || '($1)' END)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O', p_projects;
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[]) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes, from the rule''s hits or (carry) those its live alerts hold, or (carry with projects) the project evaluator''s hits of those projects and the carried ones of the others (internal to scan)';


-- (scan() itself, with its per-project plan, is defined once in the section "scan speed" below)

-- _officer_step(alert, action, note, at): one officer action, checked by the state machine.
CREATE OR REPLACE FUNCTION wagecheck._officer_step(p_alert bigint, p_action text, p_note text, p_at timestamptz)
    RETURNS wagecheck.alert
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    a wagecheck.alert;
    steps text[] := ARRAY[p_action];
    step text;
    from_state text;
    to_state text;
    kind text;
BEGIN
    IF p_alert IS NULL THEN
        RAISE EXCEPTION 'no alert given' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_note IS NULL OR btrim(p_note) = '' THEN
        RAISE EXCEPTION 'a note is required to % alert %', p_action, p_alert
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what was found or done: the note goes into the alert''s history.';
    END IF;
    IF p_at IS NULL OR NOT isfinite(p_at) THEN
        RAISE EXCEPTION 'the time of the action must be a finite moment' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO a FROM wagecheck.alert WHERE alert_id = p_alert FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % does not exist', p_alert USING ERRCODE = 'no_data_found';
    END IF;
    IF p_at < a.updated_at THEN
        RAISE EXCEPTION 'cannot % alert % as of %: it last changed at %', p_action, p_alert, p_at, a.updated_at
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'An alert''s history moves forward only.';
    END IF;
    -- a K alert raised only by recorded violations, or by an event (rule.once), has no
    -- condition a scan sees go away: the officer's confirmation records the rectification
    IF p_action = 'confirm' AND a.tier = 'K' AND a.state IN ('open', 'overdue')
       AND (a.evidence = 'violation' OR (SELECT r.once FROM wagecheck.rule r WHERE r.code = a.rule_code)) THEN
        steps := ARRAY['rectify_violation', 'confirm'];
    END IF;
    FOREACH step IN ARRAY steps LOOP
        from_state := a.state;
        to_state := wagecheck.alert_transition(a.tier, a.state, step, 'officer');
        a.state := to_state;
        a.updated_at := p_at;
        IF to_state IN ('closed', 'reported') THEN
            a.closed_at := p_at;
        END IF;
        IF step = 'verify' THEN
            a.due_at := coalesce((a.details ->> 'report_due')::timestamptz,
                                 a.opened_at + make_interval(hours =>
                                     (wagecheck.rule_param(a.rule_code, 'report_hours', a.division))::int));
        END IF;
        INSERT INTO wagecheck.alert_event (alert_id, at, action, from_state, to_state, from_tier, to_tier,
                                           deadline_on, due_at, note)
        VALUES (a.alert_id, p_at, step, from_state, to_state, a.tier, a.tier,
                a.deadline_on, CASE WHEN a.tier = 'O' THEN a.due_at END, p_note);
    END LOOP;
    UPDATE wagecheck.alert
       SET state = a.state, updated_at = a.updated_at, closed_at = a.closed_at, due_at = a.due_at
     WHERE alert_id = a.alert_id;
    -- a once rule's alert raised by its evaluator and closed by the officer was a hit of the
    -- rule's last evaluation: recorded as a change of the project, so that the next scan
    -- evaluates it and keeps the hit (rule_kept_hit) instead of carrying over live alerts only
    IF a.state = 'closed' AND a.evidence IN ('rule', 'both')
       AND (SELECT r.once FROM wagecheck.rule r WHERE r.code = a.rule_code) THEN
        INSERT INTO wagecheck.input_change (table_name, projects)
        VALUES ('alert', CASE WHEN a.project_id IS NOT NULL THEN ARRAY[a.project_id] END);
    END IF;
    kind := wagecheck._notify_kind(p_action);
    IF kind IS NOT NULL THEN
        PERFORM pg_notify('wagecheck_alert',
                          wagecheck._alert_payload(kind, a.alert_id, a.rule_code, a.tier, a.state,
                                                   a.subject_kind, a.subject_id, a.period,
                                                   a.division::text, p_at));
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION wagecheck._officer_step(bigint, text, text, timestamptz) IS
    'one officer action on an alert, checked by the lifecycle state machine (internal)';

-- _input_changed(): trigger (statement level, C: src/alerts/capture.c) on the tables the
-- rules read. One pass over the statement's transition tables records the moments of the
-- new rows' date and time columns (to the hour that holds them, see src/core/changeset.c)
-- and the projects of the new and old rows, from its argument: project (the rows'
-- project_id), sheet (a pay line: its sheet's project, and that of the line it corrects),
-- line (a payment: its line's project), account (a movement: its account's project),
-- worker (a worker: the projects of his rosters and pay lines) or none (not limited to
-- projects). A statement that wrote no row records nothing.
CREATE OR REPLACE FUNCTION wagecheck._input_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_input_changed'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
COMMENT ON FUNCTION wagecheck._input_changed() IS
    'trigger: records in wagecheck.input_change that a statement wrote a table the rules read, with the moments and projects of its rows (internal)';

-- the tables the rules read, and the engine's own configuration (parameters, calendar): the
-- moments come from every date or time column - a timestamptz is a moment; a timestamp is
-- one in the session's time zone (UTC-12 to UTC+14); a date compared with as_of::date turns
-- at its first or its last midnight, in the session's time zone - kept to the hour (in UTC)
-- that holds them (a bank file's million movements, one a second, make a few hundred
-- ranges, not a million): a scan whose window meets that hour evaluates
DO $$
DECLARE
    t text;
    mode text;
BEGIN
    FOREACH t IN ARRAY ARRAY['enterprise', 'project', 'subcontract', 'worker', 'roster', 'attendance',
                             'wage_account', 'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                             'wage_payment', 'guarantee_deposit', 'rule', 'rule_param_override', 'holiday'] LOOP
        mode := CASE t WHEN 'pay_line' THEN 'sheet' WHEN 'wage_payment' THEN 'line'
                       WHEN 'account_txn' THEN 'account' WHEN 'worker' THEN 'worker'
                       WHEN 'enterprise' THEN 'none' WHEN 'rule' THEN 'none'
                       WHEN 'rule_param_override' THEN 'none' WHEN 'holiday' THEN 'none'
                       ELSE 'project' END;
        EXECUTE format('DROP TRIGGER input_change_ins ON wagecheck.%1$I; DROP TRIGGER input_change_upd ON wagecheck.%1$I; '
                       'DROP TRIGGER input_change_del ON wagecheck.%1$I; DROP TRIGGER input_change_trunc ON wagecheck.%1$I', t);
        EXECUTE format('CREATE TRIGGER input_change_ins AFTER INSERT ON wagecheck.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('CREATE TRIGGER input_change_upd AFTER UPDATE ON wagecheck.%I REFERENCING NEW TABLE AS new_rows %s'
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)',
                       t, CASE WHEN mode <> 'none' THEN 'OLD TABLE AS old_rows ' ELSE '' END, mode);
        EXECUTE format('CREATE TRIGGER input_change_del AFTER DELETE ON wagecheck.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('CREATE TRIGGER input_change_trunc AFTER TRUNCATE ON wagecheck.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ALWAYS TRIGGER input_change_ins, '
                       'ENABLE ALWAYS TRIGGER input_change_upd, ENABLE ALWAYS TRIGGER input_change_del, '
                       'ENABLE ALWAYS TRIGGER input_change_trunc', t);
    END LOOP;
END
$$;

DROP FUNCTION wagecheck._inputs_unchanged(text, timestamptz);
DROP FUNCTION wagecheck._carried_hits(text);

-- _changed_projects(code, as_of): what a forward scan as of as_of must evaluate of the rule.
-- '{}': nothing - its hits as of as_of are those of its last evaluation (its live alerts,
-- and for a rule.once rule the kept hits of alerts no longer live): it declares its inputs,
-- is not of tier O, does not change with time alone (or does, counting whole days from
-- as_of, and as_of is still the same day in the same time zone), and nothing it reads
-- changed since (nor does a row it reads turn visible by as_of; nor did an officer close an
-- alert of a once rule that was a hit: 'alert' changes). The projects whose rows
-- changed, when the rule has a project evaluator and every change names its projects.
-- NULL: the whole rule.
CREATE FUNCTION wagecheck._changed_projects(p_code text, p_as_of timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH s AS MATERIALIZED (
        SELECT r.inputs || ARRAY['rule', 'rule_param_override', 'holiday']
               || CASE WHEN r.once THEN ARRAY['alert'] ELSE '{}' END AS tables,
               r.project_evaluator IS NOT NULL AS by_project, e.snapshot, e.scan_xid, e.seen_seq, e.evaluated_to
          FROM wagecheck.rule r
          JOIN wagecheck.rule_eval_state e ON e.code = r.code
         WHERE r.code = p_code AND r.inputs IS NOT NULL AND r.tier <> 'O'
           AND (NOT r.time_driven
                OR (e.time_zone = pg_catalog.current_setting('TimeZone')
                    AND p_as_of::date = e.evaluated_to::date))
           AND p_as_of >= e.evaluated_to
    ),
    c AS MATERIALIZED (
        SELECT c.projects
          FROM s
          JOIN wagecheck.input_change c ON c.table_name = ANY (s.tables)
         WHERE CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                    ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
            OR c.moments && tstzmultirange(tstzrange(s.evaluated_to, p_as_of, '(]'))
    )
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM s) THEN NULL
                WHEN NOT EXISTS (SELECT 1 FROM c) THEN '{}'::bigint[]
                WHEN NOT (SELECT s.by_project FROM s) OR EXISTS (SELECT 1 FROM c WHERE c.projects IS NULL) THEN NULL
                ELSE ARRAY(SELECT DISTINCT u FROM c CROSS JOIN LATERAL unnest(c.projects) u ORDER BY u) END
$$;
COMMENT ON FUNCTION wagecheck._changed_projects(text, timestamptz) IS
    'what a forward scan as of the moment must evaluate of the rule: ''{}'' nothing (its hits carried over), the projects whose rows changed (rules with a project evaluator), NULL all (internal)';

-- _carried_hits(code, except): the hits of a rule's last evaluation, from its live alerts
-- (and a once rule's kept hits), but for those of the projects except.
CREATE FUNCTION wagecheck._carried_hits(p_code text, p_except bigint[] DEFAULT NULL)
    RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT a.subject_kind, a.subject_id, a.period, a.project_id, a.enterprise_id, a.division, a.tier,
           NULL::timestamptz, a.details
      FROM wagecheck.alert a
     WHERE a.rule_code = p_code AND a.evidence IN ('rule', 'both')
       AND ((a.tier = 'G' AND a.state = 'open') OR (a.tier = 'K' AND a.state IN ('open', 'overdue')))
       AND (p_except IS NULL OR a.project_id IS NULL OR a.project_id <> ALL (p_except))
    UNION ALL
    SELECT a.subject_kind, a.subject_id, a.period, k.project_id, a.enterprise_id, a.division, a.tier,
           NULL::timestamptz, a.details
      FROM wagecheck.rule_kept_hit k
      JOIN wagecheck.alert a ON a.alert_id = k.alert_id
     WHERE k.code = p_code
       AND (p_except IS NULL OR k.project_id IS NULL OR k.project_id <> ALL (p_except))
$$;
COMMENT ON FUNCTION wagecheck._carried_hits(text, bigint[]) IS
    'the hits of a rule as its live alerts hold them (G open, K open or overdue, raised by the rule) and, for a once rule, its kept hits: what an unchanged rule finds again; but for the projects given (internal)';

-- _quiet_elsewhere(code, as_of, projects): the alerts a scan evaluating the rule for the
-- projects only need not plan: raised by the rule alone (no violation of the rule names
-- their subject), on another project, and on which carrying the hit over changes nothing
-- (a G alert open, a K alert overdue, a K alert open up to its deadline, or, for a once
-- rule, an alert no longer live); hit: their subject is a hit (a live alert's or a kept one).
CREATE FUNCTION wagecheck._quiet_elsewhere(p_code text, p_as_of timestamptz, p_projects bigint[])
    RETURNS TABLE (alert_id bigint, hit boolean)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT a.alert_id,
           a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
           OR EXISTS (SELECT 1 FROM wagecheck.rule_kept_hit k WHERE k.code = p_code AND k.alert_id = a.alert_id)
      FROM wagecheck.alert a
     WHERE a.rule_code = p_code AND a.evidence = 'rule'
       AND a.project_id IS NOT NULL AND a.project_id <> ALL (p_projects)
       AND ((a.tier = 'G' AND a.state = 'open') OR (a.tier = 'K' AND a.state = 'overdue')
            OR (a.tier = 'K' AND a.state = 'open' AND p_as_of::date <= a.deadline_on)
            OR (a.state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                AND (SELECT r.once OR r.tier = 'O' FROM wagecheck.rule r WHERE r.code = p_code)))
       AND (a.subject_kind, a.subject_id) NOT IN (SELECT v.subject_kind, v.subject_id FROM wagecheck.violation v
                                                   WHERE v.rule_code = p_code)
$$;
COMMENT ON FUNCTION wagecheck._quiet_elsewhere(text, timestamptz, bigint[]) IS
    'the alerts of a rule outside the projects evaluated on which carrying their hits over changes nothing, and whether each is a hit: left out of a per-project scan''s plan, counted in its hits (internal)';

-- Project evaluators (rule.project_evaluator) of the catalogue's event-driven rules: each
-- gives the hits of its rule's evaluator whose project is one of the projects asked, and
-- reads only rows of those projects (through the indexes on project_id, sheet_id, line_id,
-- account_id), so the scan after a day's writes evaluates the few projects they touched.
-- Each is its evaluator with the projects as the starting point of the plan; the
-- regression test alerts_incremental checks that, given every project, each returns what
-- its evaluator does. WP06 (a worker across projects) has none: it is evaluated in full.

-- RN01: pay lines of the projects' sheets for workers not on the project's roster.
CREATE FUNCTION wagecheck.eval_rn01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
CREATE FUNCTION wagecheck.eval_rn02_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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

-- AC03: outflows of the projects' accounts other than wages into the own card of a worker on the roster.
CREATE FUNCTION wagecheck.eval_ac03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH acc AS MATERIALIZED (     -- the projects' accounts
        SELECT w.account_id, w.project_id, p.contractor_id, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
          JOIN wagecheck.wage_account w ON w.project_id = p.project_id
    ),
    cards AS MATERIALIZED (        -- the cards of the workers on their rosters
        SELECT DISTINCT r.project_id, k.wage_card::text AS card
          FROM (SELECT DISTINCT acc.project_id FROM acc) q
          JOIN wagecheck.roster r ON r.project_id = q.project_id
          JOIN wagecheck.worker k ON k.worker_id = r.worker_id
         WHERE r.created_at <= as_of
    )
    SELECT 'account_txn', t.txn_id::text, '', a.project_id, a.contractor_id, a.division, 'K', NULL::timestamptz,
           jsonb_build_object('amount', t.amount, 'purpose', t.purpose, 'booked_at', t.booked_at,
                              'counterparty', t.counterparty_name,
                              'reason', CASE WHEN t.purpose <> 'wage' THEN 'not a wage'
                                             ELSE 'not the own card of a worker on the roster' END)
      FROM acc a
     CROSS JOIN LATERAL (SELECT t.* FROM wagecheck.account_txn t    -- through the account's index
                          WHERE t.account_id = a.account_id AND t.booked_at <= as_of
                            AND t.direction = 'out' AND t.created_at <= as_of OFFSET 0) t
     WHERE t.purpose <> 'wage'
        OR NOT EXISTS (SELECT 1 FROM cards c
                        WHERE c.project_id = a.project_id
                          AND c.card = regexp_replace(t.counterparty_account, '[^0-9]', '', 'g'))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac03_projects(timestamptz, bigint[]) IS
    'AC03 for the given projects only (project evaluator of eval_ac03)';

-- AC04: the projects whose labour-cost share is below the minimum for their sector.
CREATE FUNCTION wagecheck.eval_ac04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
CREATE FUNCTION wagecheck.eval_ac05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
        SELECT o.project_id, sum(o.owed) AS owed
          FROM wagecheck.wages_owed(as_of) o
         WHERE o.project_id IN (SELECT closing.project_id FROM closing)
         GROUP BY o.project_id
        HAVING sum(o.owed) > 0
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
CREATE FUNCTION wagecheck.eval_ac06_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
CREATE FUNCTION wagecheck.eval_ps01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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

-- WP04: payments on the projects' pay lines in cash or to an account not the worker's own card.
CREATE FUNCTION wagecheck.eval_wp04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', y.payment_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'amount', y.amount, 'method', y.method,
                              'paid_at', y.paid_at,
                              'reason', CASE WHEN y.method = 'cash' THEN 'cash'
                                             WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                                             ELSE 'not the worker''s registered card' END)
      FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
      JOIN wagecheck.project p ON p.project_id = q.project_id
      JOIN wagecheck.pay_sheet s ON s.project_id = p.project_id
      JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
      JOIN wagecheck.wage_payment y ON y.line_id = l.line_id
      JOIN wagecheck.worker k ON k.worker_id = l.worker_id
     WHERE y.paid_at <= as_of AND y.created_at <= as_of
       AND (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp04_projects(timestamptz, bigint[]) IS
    'WP04 for the given projects only (project evaluator of eval_wp04)';

-- WP05: the projects' full months paid below the minimum wage.
CREATE FUNCTION wagecheck.eval_wp05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH full_month AS (
        SELECT o.*, p.division
          FROM wagecheck.wages_owed(as_of) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
         WHERE o.project_id = ANY (projects)
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
CREATE FUNCTION wagecheck.eval_qr01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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

-- ==== scan speed
-- full scans faster, same results: per-division rule parameters, summaries read directly,
-- NOTIFY payloads inlined, no JIT inside scan(), no ANALYZE of the memo.
CREATE OR REPLACE FUNCTION wagecheck._alert_payload(p_event text, p_alert bigint, p_rule text, p_tier text,
                                         p_state text, p_subject_kind text, p_subject_id text,
                                         p_period text, p_division text, p_at timestamptz)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN pg_catalog.jsonb_build_object('event', p_event, 'alert', p_alert, 'rule', p_rule, 'tier', p_tier,
                                         'state', p_state, 'subject', p_subject_kind || ':' || p_subject_id,
                                         'period', p_period, 'division', p_division, 'at', p_at)::text;
COMMENT ON FUNCTION wagecheck._alert_payload(text, bigint, text, text, text, text, text, text, text, timestamptz) IS
    'payload of NOTIFY wagecheck_alert: event (opened, escalated, cleared), alert id, rule, tier, state, subject, period, division, at';
CREATE OR REPLACE FUNCTION wagecheck._notify_kind(action text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE action
               WHEN 'open' THEN 'opened'
               WHEN 'escalate' THEN 'escalated'
               WHEN 'overdue' THEN 'escalated'
               WHEN 'reopen_overdue' THEN 'escalated'
               WHEN 'clear' THEN 'cleared'
               WHEN 'confirm' THEN 'cleared'
               WHEN 'report' THEN 'cleared'
               WHEN 'reported_in_source' THEN 'cleared'
           END;
COMMENT ON FUNCTION wagecheck._notify_kind(text) IS
    'announcement of an alert action on channel wagecheck_alert: opened, escalated (G->K, overdue) or cleared (cleared, confirmed, reported)';
CREATE OR REPLACE FUNCTION wagecheck._memo_build(p_as_of timestamptz, p_skip text[] DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    b text;
BEGIN
    PERFORM wagecheck._memo_drop();
    CREATE TEMP TABLE wc_memo (name text PRIMARY KEY, as_of timestamptz NOT NULL) ON COMMIT DROP;
    FOREACH b IN ARRAY ARRAY['wages_owed', 'attendance_months'] LOOP
        IF (SELECT count(*) FROM wagecheck.rule r JOIN pg_catalog.pg_proc p ON p.oid = r.evaluator
             WHERE r.enabled AND r.code <> ALL (coalesce(p_skip, '{}'))
               AND (strpos(p.prosrc, b || '(') > 0
                    OR (b = 'wages_owed' AND strpos(p.prosrc, '_wages_late(') > 0))) > 1
           AND NOT (b = 'attendance_months' AND wagecheck._summary_exact(b, p_as_of)) THEN
            -- from the summary kept at write time when it is exact for the moment, else raw rows;
            -- straight from the query (wages_owed() would copy its rows twice on their way)
            EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM wagecheck.%I($1)',
                           'wc_memo_' || b,
                           '_' || b || CASE WHEN b = 'wages_owed' AND wagecheck._summary_exact(b, p_as_of)
                                            THEN '_summary' ELSE '_compute' END) USING p_as_of;
            INSERT INTO pg_temp.wc_memo VALUES (b, p_as_of);
            IF b = 'wages_owed' THEN
                CREATE TEMP TABLE wc_memo_wages_late ON COMMIT DROP AS
                SELECT * FROM pg_temp.wc_memo_wages_owed o
                 WHERE o.pay_date < p_as_of::date AND (o.owed > 0 OR o.paid_by_pay_date < o.net);
                INSERT INTO pg_temp.wc_memo VALUES ('wages_late', p_as_of);
            END IF;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_build(timestamptz, text[]) IS
    'computes the building blocks shared by several enabled evaluators once per scan, leaving out the rules the scan will carry over (internal)';
CREATE OR REPLACE FUNCTION wagecheck._memo_drop() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF to_regclass('pg_temp.wc_memo') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo;
    END IF;
    IF to_regclass('pg_temp.wc_memo_wages_owed') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_wages_owed;
    END IF;
    IF to_regclass('pg_temp.wc_memo_attendance_months') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_attendance_months;
    END IF;
    IF to_regclass('pg_temp.wc_memo_wages_late') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_wages_late;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_drop() IS 'drops the building blocks of a scan (internal)';
CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- the rules whose inputs did not change are carried over: no building block for them
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to AND wagecheck._changed_projects(ru.code, as_of) = '{}';
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        WITH p AS MATERIALIZED (
            SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, nullif(changed, '{}'))
        ),
        fin AS MATERIALIZED (
            SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
              FROM p
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
        ),
        ins AS (
            INSERT INTO wagecheck.alert AS a
                   (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                    division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
            SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                   f.enterprise_id, f.division, f.details, f.evidence, as_of,
                   CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                   CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                   CASE WHEN f.step > 1 THEN as_of END, as_of
              FROM fin f
             WHERE f.alert_id IS NULL AND f.action IS NOT NULL
            ON CONFLICT (rule_code, subject_kind, subject_id, period)
               WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               DO NOTHING
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        upd AS (
            UPDATE wagecheck.alert a
               SET tier = coalesce(f.to_tier, a.tier),
                   state = coalesce(f.to_state, a.state),
                   details = f.details,
                   evidence = f.evidence,
                   project_id = coalesce(f.project_id, a.project_id),
                   enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                   division = coalesce(f.division, a.division),
                   deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                   due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                   escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                       THEN as_of ELSE a.escalated_at END,
                   closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                   updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
              FROM fin f
             WHERE a.alert_id = f.alert_id
               AND a.state = f.cur_state
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                    OR a.evidence IS DISTINCT FROM f.evidence)
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        ev AS (
            INSERT INTO wagecheck.alert_event AS e
                   (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
            SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                   p.from_tier, p.to_tier,
                   CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                   CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                   CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
              FROM p
              LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                             AND i.subject_id = p.subject_id AND i.period = p.period
              LEFT JOIN upd u ON u.alert_id = p.alert_id
             WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step
            RETURNING e.alert_id, e.action, e.to_state, e.to_tier
        ),
        lnk AS (
            INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
            SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
              FROM fin f
              LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                             AND i.subject_id = f.subject_id AND i.period = f.period
             CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
             WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
            ON CONFLICT (violation_id) DO NOTHING
        ),
        kept AS (
            INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
            SELECT r.code, f.alert_id, f.project_id
              FROM fin f
             WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
               AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (changed IS NULL OR f.project_id = ANY (changed))
            ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
        )
        -- distinct subjects hit: a hashed DISTINCT of the columns (a sort comparing row values
        -- took 0.2 s for WP04's 46,000 hits on the full city)
        SELECT (SELECT count(*) FROM (SELECT DISTINCT p.subject_kind, p.subject_id, p.period
                                        FROM p WHERE p.hit) d)
               + CASE WHEN cardinality(changed) > 0    -- the hits left out of a per-project plan
                      THEN (SELECT count(*) FROM wagecheck._quiet_elsewhere(r.code, as_of, changed) q WHERE q.hit)
                      ELSE 0 END,
               count(*) FILTER (WHERE ev.action = 'open'),
               count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
               count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
               count(*) FILTER (WHERE ev.action = 'rectify'),
               array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                  ev.to_tier, ev.to_state,
                                                  coalesce(i.subject_kind, u.subject_kind),
                                                  coalesce(i.subject_id, u.subject_id),
                                                  coalesce(i.period, u.period),
                                                  coalesce(i.division, u.division)::text, as_of)
                         ORDER BY ev.alert_id, ev.action)
                   FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
          INTO hits, opened, escalated, cleared, rectified, payloads
          FROM ev
          LEFT JOIN ins i ON i.alert_id = ev.alert_id
          LEFT JOIN upd u ON u.alert_id = ev.alert_id;
        PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed; incremental => false evaluates every rule';
CREATE OR REPLACE FUNCTION wagecheck._pay_terms(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, roster_id bigint, employer_id bigint,
                   pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT DISTINCT ON (r.project_id, r.worker_id)
           r.project_id, r.worker_id, r.roster_id, r.employer_id, r.pay_day, r.pay_month_offset
      FROM wagecheck.roster r
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
     ORDER BY r.project_id, r.worker_id, r.start_on DESC;
END;
COMMENT ON FUNCTION wagecheck._pay_terms(timestamptz) IS
    'pay day and month offset of each worker on each project (latest roster entry known at the moment)';
CREATE OR REPLACE FUNCTION wagecheck._wages_owed_summary(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH dates AS MATERIALIZED (    -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    )
    SELECT w.project_id, w.worker_id, w.employer_id, w.period, d.pay_date, w.days, w.payable, w.net, w.paid,
           -- payments are in time order: all, none, or those up to the pay date
           CASE WHEN cardinality(w.paid_ats) = 0 OR w.paid_ats[1]::date > d.pay_date THEN 0
                WHEN w.paid_ats[cardinality(w.paid_ats)]::date <= d.pay_date THEN w.paid
                ELSE (SELECT sum(u.a) FROM unnest(w.paid_ats, w.paid_each) u(at, a)
                       WHERE u.at::date <= d.pay_date) END,
           greatest(w.net - w.paid, 0)
      FROM wagecheck.wage_month w
      LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = w.project_id AND t.worker_id = w.worker_id
      JOIN dates d ON d.period = w.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint);
END;
COMMENT ON FUNCTION wagecheck._wages_owed_summary(timestamptz) IS
    'wagecheck.wages_owed read from the summary wagecheck.wage_month (internal)';
CREATE OR REPLACE FUNCTION wagecheck.wages_owed(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck
    SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_owed', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_owed';
    ELSIF wagecheck._summary_exact('wages_owed', as_of) THEN
        RAISE DEBUG 'wagecheck: wages_owed as of % from the summary wage_month', as_of;
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_summary(as_of);
    ELSE
        RAISE DEBUG 'wagecheck: wages_owed as of % from the raw rows (rows known after it)', as_of;
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.wages_owed(timestamptz) IS
    'wages per project, worker and month as known at a moment: pay date, days, payable (应发), net (实发), paid, paid by the pay date, owed (corrections replace the line they correct; unknown pay terms: the 15th of the next month)';
CREATE OR REPLACE FUNCTION wagecheck._wages_late(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_late', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_late';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck.wages_owed(as_of) o
                      WHERE o.pay_date < as_of::date AND (o.owed > 0 OR o.paid_by_pay_date < o.net);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_late(timestamptz) IS
    'the rows of wages_owed past their pay day with wages owed or paid late (internal)';
CREATE OR REPLACE FUNCTION wagecheck.eval_rn03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    last AS MATERIALIZED (
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM wagecheck.attendance_month m
         WHERE (SELECT ex.exact FROM ex)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN (SELECT l.last_day FROM last l WHERE l.project_id = p.project_id)
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.status = 'under_construction' AND p.created_at <= as_of
       AND p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN NOT EXISTS (SELECT 1 FROM last l
                                  WHERE l.project_id = p.project_id AND l.last_day > as_of::date - g.gap)
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03(timestamptz) IS
    'RN03: projects under construction with no attendance in the gap_days days up to as_of (data not kept current)';
CREATE OR REPLACE FUNCTION wagecheck._rn04_counts(as_of timestamptz)
    RETURNS TABLE (project_id bigint, period date, pay_day smallint, pay_month_offset smallint,
                   attendees bigint, unpaid bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB'
    SET enable_hashjoin = off SET enable_nestloop = off AS
$$
    SELECT a.project_id, a.period, coalesce(t.pay_day, 15::smallint), coalesce(t.pay_month_offset, 1::smallint),
           count(*), count(*) FILTER (WHERE w.worker_id IS NULL)
      FROM wagecheck.attendance_month a
      LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = a.project_id AND t.worker_id = a.worker_id
      LEFT JOIN wagecheck.wage_month w
             ON w.project_id = a.project_id AND w.worker_id = a.worker_id AND w.period = a.period
     GROUP BY 1, 2, 3, 4
$$;
COMMENT ON FUNCTION wagecheck._rn04_counts(timestamptz) IS
    'RN04''s counts per project, month and pay terms from the summaries attendance_month and wage_month (internal)';
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT c.project_id, c.period, c.pay_day, c.pay_month_offset, c.attendees, c.unpaid
          FROM wagecheck._rn04_counts(as_of) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT att.project_id, att.period, coalesce(t.pay_day, 15::smallint),
               coalesce(t.pay_month_offset, 1::smallint),
               count(*), count(*) FILTER (WHERE lines.worker_id IS NULL)
          FROM wagecheck.attendance_months(as_of) att
          LEFT JOIN wagecheck._pay_terms(as_of) t
                 ON t.project_id = att.project_id AND t.worker_id = att.worker_id
          LEFT JOIN lines ON lines.project_id = att.project_id AND lines.worker_id = att.worker_id
                         AND lines.period = att.period
         WHERE NOT (SELECT ex.exact FROM ex)
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04(timestamptz) IS
    'RN04: project-months whose attendees have no payroll line after their pay day; level K when more than k_share of them';
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
CREATE OR REPLACE FUNCTION wagecheck.eval_wp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    -- from the summary attendance_month when it is exact for as_of, else attendance_months(as_of)
    att AS (
        SELECT m.project_id, m.period, count(*) AS workers
          FROM wagecheck.attendance_month m
         WHERE (SELECT ex.att FROM ex)
         GROUP BY 1, 2
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM wagecheck.attendance_months(as_of) m
         WHERE NOT (SELECT ex.att FROM ex)
         GROUP BY 1, 2
    ),
    -- the project's earliest pay terms: the first pay day of the month's wages
    terms AS (
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT att.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms), not one per project-month
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    ),
    due AS (
        SELECT keyed.project_id, keyed.period, keyed.workers, dates.pay_date
          FROM keyed JOIN dates USING (period, pay_day, pay_month_offset)
    )
    SELECT 'project', due.project_id::text, to_char(due.period, 'YYYY-MM'), due.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', due.workers, 'pay_date', due.pay_date)
      FROM due
      JOIN wagecheck.project p ON p.project_id = due.project_id
     WHERE due.pay_date < as_of::date
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = due.project_id AND s.period = due.period
                          AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01(timestamptz) IS
    'WP01: project-months with attendance and no pay sheet after the pay day (the earliest pay terms of the project''s roster)';
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck._wages_late(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
     WHERE o.owed > 0 AND o.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02(timestamptz) IS
    'WP02: a worker''s month of wages on a project not fully paid after the pay day (moved earlier to a working day); K when still owed k_days later';
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               -- months since year 0 minus the row number: constant along a run of consecutive months
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_late(as_of) o
         WHERE o.owed > 0 AND o.pay_date < as_of::date
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    ),
    params AS MATERIALIZED (   -- once per division, not per row
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
COMMENT ON FUNCTION wagecheck.eval_wp03(timestamptz) IS
    'WP03: workers on a project with min_months or more consecutive months owed (the longest run)';
CREATE OR REPLACE FUNCTION wagecheck.eval_wp05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM wagecheck.wages_owed(as_of) f
      JOIN wagecheck.project p ON p.project_id = f.project_id
      JOIN params ON params.division = p.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05(timestamptz) IS
    'WP05: a full month''s pay (days >= full_month_days) below the local monthly minimum wage (min_monthly_wage, per division)';
CREATE OR REPLACE FUNCTION wagecheck.eval_wp06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH bounds AS MATERIALIZED (   -- the lowest limits of any division: only sums above them can hit
        SELECT min(v.amount) FILTER (WHERE v.key = 'month_amount') AS month_amount,
               min(v.amount) FILTER (WHERE v.key = 'year_amount') AS year_amount
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP06'
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP06') v
    ),
    owed AS MATERIALIZED (
        SELECT o.worker_id, o.project_id, o.period, o.payable FROM wagecheck.wages_owed(as_of) o
    ),
    -- sums in float8 (no numeric state per group) only choose the worker-months and years
    -- summed exactly below; the margin covers their rounding, so no sum over a limit is missed
    approx AS MATERIALIZED (
        SELECT o.worker_id, o.period, date_trunc('year', o.period::timestamp) AS year,
               sum(o.payable::float8) AS payable, sum(abs(o.payable::float8)) AS size
          FROM owed o
         GROUP BY o.worker_id, o.period
    ),
    maybe_years AS MATERIALIZED (
        SELECT a.worker_id, a.year
          FROM approx a
         GROUP BY a.worker_id, a.year
        HAVING sum(a.payable) > (SELECT b.year_amount FROM bounds b)::float8 - sum(a.size) * 1e-9
    ),
    months AS MATERIALIZED (   -- exact sums of the worker-months that may be over a limit
        SELECT o.worker_id, o.period, sum(o.payable) AS payable
          FROM owed o
          JOIN approx a ON a.worker_id = o.worker_id AND a.period = o.period
         WHERE a.payable > (SELECT b.month_amount FROM bounds b)::float8 - a.size * 1e-9
            OR (a.worker_id, a.year) IN (SELECT y.worker_id, y.year FROM maybe_years y)
         GROUP BY o.worker_id, o.period
    ),
    candidates AS (    -- the worker-months over the lowest month limit, or in a year over the lowest year limit
        SELECT m.worker_id, m.period
          FROM months m
         WHERE m.payable > (SELECT b.month_amount FROM bounds b)
            OR (m.worker_id, date_trunc('year', m.period::timestamp)) IN
               (SELECT y.worker_id, date_trunc('year', y.period::timestamp) FROM months y
                 WHERE (y.worker_id, date_trunc('year', y.period::timestamp)) IN
                       (SELECT my.worker_id, my.year FROM maybe_years my)
                 GROUP BY y.worker_id, date_trunc('year', y.period::timestamp)
                HAVING sum(y.payable) > (SELECT b.year_amount FROM bounds b))
    ),
    pay AS (
        -- the worker's division: that of the first project of the month
        SELECT o.worker_id, o.period, sum(o.payable) AS payable,
               (array_agg(p.division ORDER BY o.project_id))[1] AS division, min(o.project_id) AS project_id
          FROM owed o
          JOIN candidates c ON c.worker_id = o.worker_id AND c.period = o.period
          JOIN wagecheck.project p ON p.project_id = o.project_id
         GROUP BY o.worker_id, o.period
    ),
    sums AS (
        SELECT pay.worker_id, to_char(pay.period, 'YYYY-MM') AS period, pay.payable, pay.division,
               pay.project_id, 'month_amount' AS limit_key
          FROM pay
        UNION ALL
        SELECT pay.worker_id, to_char(pay.period, 'YYYY'), sum(pay.payable),
               (array_agg(pay.division ORDER BY pay.period))[1], min(pay.project_id), 'year_amount'
          FROM pay
         GROUP BY pay.worker_id, to_char(pay.period, 'YYYY')
    ),
    limits AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, k.limit_key, (wagecheck.rule_param('WP06', k.limit_key, d.division))::numeric AS amount
          FROM (SELECT DISTINCT pay.division FROM pay) d
         CROSS JOIN (VALUES ('month_amount'), ('year_amount')) k(limit_key)
    )
    SELECT 'worker', s.worker_id::text, s.period, s.project_id, NULL::bigint, s.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.limit_key)
      FROM sums s
      JOIN limits l ON l.division = s.division AND l.limit_key = s.limit_key
     WHERE s.payable > l.amount
$$;
COMMENT ON FUNCTION wagecheck.eval_wp06(timestamptz) IS
    'WP06: a worker paid (payable, all projects) over month_amount in a month (period YYYY-MM) or over year_amount in a year (period YYYY): possible fictitious payroll';
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM wagecheck.roster r
      JOIN wagecheck.project p ON p.project_id = r.project_id
      JOIN g ON g.division = p.division
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07(timestamptz) IS
    'WP07: workers who left a project over settle_days ago without final wage settlement';
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS (
        SELECT p.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(p.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    -- months of the contractor's projects with wages not fully paid by their pay day
    arrears AS (
        SELECT pr.contractor_id, max(o.pay_date) AS last_arrears
          FROM wagecheck._wages_late(as_of) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         WHERE o.paid_by_pay_date < o.net AND o.pay_date < as_of::date
           AND pr.contractor_id IN (SELECT cand.contractor_id FROM cand)
         GROUP BY pr.contractor_id
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               -- small contract and no arrears in the past year
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               -- clean_years without arrears, real-name roster and the dedicated account in place
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
COMMENT ON FUNCTION wagecheck.eval_dp01(timestamptz) IS
    'DP01: projects without a wage guarantee deposit or bank letter due_wd working days after the contract (K escalate_wd later); exempt: contract below exempt_below with no arrears in a year, or clean_years without arrears with roster and account in place';
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01(timestamptz) IS
    'NB01: projects under construction with no rights notice board (维权信息告示牌) recorded board_days after work started';

-- ==== horizons of time-driven rules (session 4): rule.horizon names the projects whose hits
-- time alone may change; a forward scan on a later day evaluates those and the changed ones

ALTER TABLE wagecheck.rule ADD COLUMN horizon regprocedure;

COMMENT ON COLUMN wagecheck.rule.horizon IS
    'optional function (from_ts timestamptz, to_ts timestamptz) RETURNS bigint[] of a time-driven rule with a project evaluator: the projects whose hits may differ between as_of from_ts and to_ts by the passage of time alone (NULL: cannot tell); a forward scan on a later day then evaluates only those and the projects whose rows changed, and carries the hits of the others over';

CREATE OR REPLACE FUNCTION wagecheck._rule_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    p pg_catalog.pg_proc;
    bad text;
BEGIN
    IF TG_TABLE_NAME = 'rule' THEN
        SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.evaluator;
        IF p.pronargs <> 1 OR p.proargtypes[0] <> 'timestamptz'::regtype
           OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
            RAISE EXCEPTION 'evaluator % of rule % has the wrong signature', NEW.evaluator, NEW.code
                USING ERRCODE = 'check_violation',
                      HINT = 'An evaluator is a function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit.';
        END IF;
        IF NEW.project_evaluator IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.project_evaluator;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'bigint[]'::regtype
               OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
                RAISE EXCEPTION 'project evaluator % of rule % has the wrong signature', NEW.project_evaluator, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A project evaluator is a function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit.';
            END IF;
        END IF;
        IF NEW.horizon IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.horizon;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'timestamptz'::regtype
               OR p.prorettype <> 'bigint[]'::regtype OR p.proretset THEN
                RAISE EXCEPTION 'horizon % of rule % has the wrong signature', NEW.horizon, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A horizon is a function (from_ts timestamptz, to_ts timestamptz) RETURNS bigint[].';
            END IF;
        END IF;
        -- the engine's own parameters, with the catalogue's defaults where the rule gives none
        IF NEW.tier = 'K' OR NEW.escalates THEN
            NEW.params := jsonb_build_object('deadline_wd', 5) || NEW.params;
        ELSIF NEW.tier = 'O' THEN
            NEW.params := jsonb_build_object('verify_hours', 2, 'report_hours', 24) || NEW.params;
        END IF;
    ELSE
        SELECT string_agg(k, ', ') INTO bad
          FROM jsonb_object_keys(NEW.params) k
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule r WHERE r.code = NEW.code AND r.params ? k);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'rule % has no parameter %', NEW.code, bad
                USING ERRCODE = 'check_violation',
                      HINT = 'An override sets parameters the rule defines in wagecheck.rule.params.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_check() IS 'trigger: checks the signatures of rule evaluators, project evaluators and horizons, and parameter overrides; adds the engine''s default parameters (deadline_wd 5; verify_hours 2, report_hours 24)';

DROP TRIGGER rule_check ON wagecheck.rule;
CREATE TRIGGER rule_check BEFORE INSERT OR UPDATE OF evaluator, tier, escalates, params, project_evaluator, horizon ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();

CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- building blocks only for the rules evaluated in full: those carried over read none, those
    -- evaluated for some projects read them through their project filter (a rule whose
    -- horizon turns out to name every project is evaluated in full without them)
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to
           AND wagecheck._changed_projects(ru.code, as_of, false) IS NOT NULL;
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        WITH p AS MATERIALIZED (
            SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, nullif(changed, '{}'))
        ),
        fin AS MATERIALIZED (
            SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
              FROM p
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
        ),
        ins AS (
            INSERT INTO wagecheck.alert AS a
                   (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                    division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
            SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                   f.enterprise_id, f.division, f.details, f.evidence, as_of,
                   CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                   CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                   CASE WHEN f.step > 1 THEN as_of END, as_of
              FROM fin f
             WHERE f.alert_id IS NULL AND f.action IS NOT NULL
            ON CONFLICT (rule_code, subject_kind, subject_id, period)
               WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               DO NOTHING
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        upd AS (
            UPDATE wagecheck.alert a
               SET tier = coalesce(f.to_tier, a.tier),
                   state = coalesce(f.to_state, a.state),
                   details = f.details,
                   evidence = f.evidence,
                   project_id = coalesce(f.project_id, a.project_id),
                   enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                   division = coalesce(f.division, a.division),
                   deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                   due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                   escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                       THEN as_of ELSE a.escalated_at END,
                   closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                   updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
              FROM fin f
             WHERE a.alert_id = f.alert_id
               AND a.state = f.cur_state
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                    OR a.evidence IS DISTINCT FROM f.evidence)
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        ev AS (
            INSERT INTO wagecheck.alert_event AS e
                   (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
            SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                   p.from_tier, p.to_tier,
                   CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                   CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                   CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
              FROM p
              LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                             AND i.subject_id = p.subject_id AND i.period = p.period
              LEFT JOIN upd u ON u.alert_id = p.alert_id
             WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step
            RETURNING e.alert_id, e.action, e.to_state, e.to_tier
        ),
        lnk AS (
            INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
            SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
              FROM fin f
              LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                             AND i.subject_id = f.subject_id AND i.period = f.period
             CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
             WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
            ON CONFLICT (violation_id) DO NOTHING
        ),
        kept AS (
            INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
            SELECT r.code, f.alert_id, f.project_id
              FROM fin f
             WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
               AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (changed IS NULL OR f.project_id = ANY (changed))
            ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
        )
        -- distinct subjects hit: a hashed DISTINCT of the columns (a sort comparing row values
        -- took 0.2 s for WP04's 46,000 hits on the full city)
        SELECT (SELECT count(*) FROM (SELECT DISTINCT p.subject_kind, p.subject_id, p.period
                                        FROM p WHERE p.hit) d)
               + CASE WHEN cardinality(changed) > 0    -- the hits left out of a per-project plan
                      THEN (SELECT count(*) FROM wagecheck._quiet_elsewhere(r.code, as_of, changed) q WHERE q.hit)
                      ELSE 0 END,
               count(*) FILTER (WHERE ev.action = 'open'),
               count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
               count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
               count(*) FILTER (WHERE ev.action = 'rectify'),
               array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                  ev.to_tier, ev.to_state,
                                                  coalesce(i.subject_kind, u.subject_kind),
                                                  coalesce(i.subject_id, u.subject_id),
                                                  coalesce(i.period, u.period),
                                                  coalesce(i.division, u.division)::text, as_of)
                         ORDER BY ev.alert_id, ev.action)
                   FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
          INTO hits, opened, escalated, cleared, rectified, payloads
          FROM ev
          LEFT JOIN ins i ON i.alert_id = ev.alert_id
          LEFT JOIN upd u ON u.alert_id = ev.alert_id;
        PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed (a time-driven one with a horizon, on a later day, also for those its horizon names); incremental => false evaluates every rule';

COMMENT ON FUNCTION wagecheck._memo_build(timestamptz, text[]) IS
    'computes the building blocks shared by several enabled evaluators once per scan, leaving out the rules the scan will not evaluate in full (carried over, or evaluated for some projects) (internal)';

DROP FUNCTION wagecheck._changed_projects(text, timestamptz);

CREATE FUNCTION wagecheck._changed_projects(p_code text, p_as_of timestamptz, p_horizon boolean DEFAULT true)
    RETURNS bigint[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    s record;
    by_time boolean;
    any_change boolean;
    unnamed boolean;
    changed bigint[];
    h bigint[];
    from_ts timestamptz;
    to_ts timestamptz;
    old_day date;
BEGIN
    SELECT r.inputs || ARRAY['rule', 'rule_param_override', 'holiday']
           || CASE WHEN r.once THEN ARRAY['alert'] ELSE '{}' END AS tables,
           r.project_evaluator IS NOT NULL AS by_project, r.time_driven, r.horizon,
           e.snapshot, e.scan_xid, e.seen_seq, e.evaluated_to, e.time_zone
      INTO s
      FROM wagecheck.rule r
      JOIN wagecheck.rule_eval_state e ON e.code = r.code
     WHERE r.code = p_code AND r.inputs IS NOT NULL AND r.tier <> 'O'
       AND p_as_of >= e.evaluated_to;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- time alone may have changed the hits: another day, or the same moment in another zone
    by_time := s.time_driven AND NOT (s.time_zone = pg_catalog.current_setting('TimeZone')
                                      AND p_as_of::date = s.evaluated_to::date);
    IF by_time AND (s.horizon IS NULL OR NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    WITH c AS MATERIALIZED (
        SELECT c.projects
          FROM wagecheck.input_change c
         WHERE c.table_name = ANY (s.tables)
           AND (CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                     ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
                OR c.moments && tstzmultirange(tstzrange(s.evaluated_to, p_as_of, '(]')))
    )
    SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM c WHERE c.projects IS NULL),
           ARRAY(SELECT DISTINCT u FROM c CROSS JOIN LATERAL unnest(c.projects) u)
      INTO any_change, unnamed, changed;
    IF unnamed OR (any_change AND NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    IF by_time AND p_horizon THEN
        -- the window from the day of the last evaluation (in its time zone) to as_of's, both
        -- days seen in this session's time zone
        from_ts := s.evaluated_to;
        to_ts := p_as_of;
        IF s.time_zone <> pg_catalog.current_setting('TimeZone') THEN
            old_day := (s.evaluated_to AT TIME ZONE s.time_zone)::date;
            from_ts := least(from_ts, old_day::timestamptz);
            to_ts := greatest(to_ts, (old_day + 1)::timestamptz - interval '1 microsecond');
        END IF;
        EXECUTE format('SELECT %s($1, $2)', s.horizon::regproc) INTO h USING from_ts, to_ts;
        RAISE DEBUG 'wagecheck: horizon of % from % to %: %', p_code, from_ts, to_ts, coalesce(h::text, 'all projects');
        IF h IS NULL THEN
            RETURN NULL;
        END IF;
        changed := changed || h;
    END IF;
    changed := ARRAY(SELECT DISTINCT u FROM unnest(changed) u WHERE u IS NOT NULL ORDER BY u);
    -- most of many projects: one evaluation of the whole rule costs less than per project
    IF cardinality(changed) > 100
       AND cardinality(changed) * 2 > (SELECT count(*) FROM wagecheck.project) THEN
        RETURN NULL;
    END IF;
    RETURN changed;
END
$$;
COMMENT ON FUNCTION wagecheck._changed_projects(text, timestamptz, boolean) IS
    'what a forward scan as of the moment must evaluate of the rule: ''{}'' nothing (its hits carried over), the projects whose rows changed and, for a time-driven rule with a horizon on another day, those its horizon names (rules with a project evaluator; horizon false leaves those out), NULL all (internal)';

-- ==== horizons of time-driven rules (session 4): project evaluators and horizons of NB01, AC01, WP07, RN03

-- NB01: project evaluator.
CREATE FUNCTION wagecheck.eval_nb01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01_projects(timestamptz, bigint[]) IS
    'NB01 for the given projects only (project evaluator of eval_nb01)';

-- NB01: the day after board_days from the start, or the board's date, in the window.
CREATE FUNCTION wagecheck.eval_nb01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status IN ('under_construction', 'suspended')
           AND (p.start_on + g.days + 1 > w.lo AND p.start_on + g.days + 1 <= w.hi
                OR p.notice_board_on > w.lo AND p.notice_board_on <= w.hi)
         ORDER BY p.project_id)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01_horizon(timestamptz, timestamptz) IS
    'NB01''s horizon: the projects whose board_days run out, or whose notice board is dated, between the two moments';

-- AC01: project evaluator.
CREATE FUNCTION wagecheck.eval_ac01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01_projects(timestamptz, bigint[]) IS
    'AC01 for the given projects only (project evaluator of eval_ac01)';

-- AC01: the day after open_days from the contract, or an account's opening, in the window.
CREATE FUNCTION wagecheck.eval_ac01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status NOT IN ('completed', 'closed')
           AND p.contract_signed_on + g.days + 1 > w.lo AND p.contract_signed_on + g.days + 1 <= w.hi
        UNION
        SELECT a.project_id
          FROM wagecheck.wage_account a
         CROSS JOIN w
         WHERE a.opened_on > w.lo AND a.opened_on <= w.hi
         ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01_horizon(timestamptz, timestamptz) IS
    'AC01''s horizon: the projects whose open_days after the contract run out, or whose account opens, between the two moments';

-- WP07: project evaluator.
CREATE FUNCTION wagecheck.eval_wp07_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.project_id, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM q p
      JOIN g ON g.division = p.division
      JOIN wagecheck.roster r ON r.project_id = p.project_id
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07_projects(timestamptz, bigint[]) IS
    'WP07 for the given projects only (project evaluator of eval_wp07)';

-- WP07: the day after settle_days from leaving, or a settlement's date, in the window.
CREATE FUNCTION wagecheck.eval_wp07_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (   -- once per division, not per project
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT DISTINCT r.project_id
          FROM wagecheck.roster r
          JOIN wagecheck.project p ON p.project_id = r.project_id
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE r.end_on + g.days + 1 > w.lo AND r.end_on + g.days + 1 <= w.hi
            OR r.settled_on > w.lo AND r.settled_on <= w.hi
         ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07_horizon(timestamptz, timestamptz) IS
    'WP07''s horizon: the projects on which a worker''s settle_days after leaving run out, or a settlement is dated, between the two moments';

-- RN03: project evaluator. When the summary attendance_month is exact, the projects attended
-- within the gap come from its index on last_day (the months of the last gap_days, not every
-- month of every project), and the last day attended of the few hit projects from their months.
CREATE FUNCTION wagecheck.eval_rn03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
         WHERE p.status = 'under_construction' AND p.created_at <= as_of
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT q.division FROM q) d
    ),
    recent AS MATERIALIZED (   -- the projects' last days attended within the longest gap
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM (SELECT m.project_id, m.last_day     -- through the index on last_day
                  FROM wagecheck.attendance_month m
                 WHERE (SELECT ex.exact FROM ex)
                   AND m.last_day > as_of::date - (SELECT max(g.gap) FROM g) OFFSET 0) m
         WHERE m.project_id = ANY (projects)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN coalesce((SELECT r.last_day FROM recent r WHERE r.project_id = p.project_id),
                                                 (SELECT max(m.last_day) FROM wagecheck.attendance_month m
                                                   WHERE m.project_id = p.project_id    -- by its key
                                                   GROUP BY m.project_id))
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN NOT EXISTS (SELECT 1 FROM recent r
                                  WHERE r.project_id = p.project_id AND r.last_day > as_of::date - g.gap)
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03_projects(timestamptz, bigint[]) IS
    'RN03 for the given projects only (project evaluator of eval_rn03)';

-- RN03: a project's gap opens the day its start, or its last day attended, lies gap_days
-- back (start_on + gap_days - 1, last day + gap_days in the window); it closes on an
-- attendance day (a row's date: named by the change capture). The last day attended comes
-- from the summary attendance_month, read through its index on last_day for the few months
-- that can end a gap in the window; NULL (cannot tell) when the summary holds rows known or
-- dated after to_ts.
CREATE FUNCTION wagecheck.eval_rn03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    b AS MATERIALIZED (SELECT min(g.gap) AS gmin, max(g.gap) AS gmax FROM g),   -- gaps of every division
    -- projects with a month last attended in (lo - longest gap, hi - shortest gap]: the
    -- only ones whose last day attended can be in (lo - gap, hi - gap]; of those, a project
    -- attended after hi - shortest gap is not (through attendance_month's index on last_day
    -- and its key, not the last day of every candidate project)
    cand AS MATERIALIZED (
        SELECT DISTINCT m.project_id
          FROM wagecheck.attendance_month m CROSS JOIN w CROSS JOIN b
         WHERE m.last_day > w.lo - b.gmax AND m.last_day <= w.hi - b.gmin
    )
    SELECT CASE WHEN wagecheck._summary_exact('attendance_months', to_ts) THEN ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status = 'under_construction'
           AND (p.start_on + g.gap - 1 > w.lo AND p.start_on + g.gap - 1 <= w.hi
                OR p.project_id IN (SELECT cand.project_id FROM cand)
                   AND NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month m
                                    WHERE m.project_id = p.project_id
                                      AND m.last_day > w.hi - (SELECT b.gmin FROM b)))
         ORDER BY p.project_id) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03_horizon(timestamptz, timestamptz) IS
    'RN03''s horizon: the projects whose gap_days without attendance (from the start or the last day attended) run out between the two moments; NULL when the summary attendance_month holds rows known or dated after to_ts';

UPDATE wagecheck.rule r SET project_evaluator = d.f, horizon = d.h
  FROM (VALUES
    ('NB01', 'wagecheck.eval_nb01_projects(timestamptz, bigint[])'::regprocedure,
             'wagecheck.eval_nb01_horizon(timestamptz, timestamptz)'::regprocedure),
    ('AC01', 'wagecheck.eval_ac01_projects(timestamptz, bigint[])', 'wagecheck.eval_ac01_horizon(timestamptz, timestamptz)'),
    ('WP07', 'wagecheck.eval_wp07_projects(timestamptz, bigint[])', 'wagecheck.eval_wp07_horizon(timestamptz, timestamptz)'),
    ('RN03', 'wagecheck.eval_rn03_projects(timestamptz, bigint[])', 'wagecheck.eval_rn03_horizon(timestamptz, timestamptz)')
  ) d(code, f, h)
 WHERE r.code = d.code;

-- ==== WP05/WP06 from the summaries (session 4): worker_pay, wage_month's index on payable
-- (and WP04: payment_off_card; RN01: sheet_worker; AC03 compares an account's text first)
-- WP05 reads only the months paid below the minimum wage
CREATE INDEX wage_month_payable ON wagecheck.wage_month (payable);

-- worker_pay: per worker, the sums of wage_month's payable over all projects, per month and
-- per year. Kept by _wage_month_refresh, which adds each key's change (new minus old, taken
-- under the wage_month row lock) to the worker's month and year: additions commute, so two
-- writers of different projects only wait on the row lock of a month they share. Exact
-- whenever wage_month is. WP06 finds the sums over its limits by the index on payable.
CREATE TABLE wagecheck.worker_pay (
    worker_id  bigint NOT NULL,
    span       text NOT NULL CHECK (span IN ('month', 'year')),
    period     date NOT NULL,
    payable    numeric(14,2) NOT NULL,
    entries    bigint NOT NULL,
    PRIMARY KEY (worker_id, span, period)
);
COMMENT ON TABLE wagecheck.worker_pay IS
    'derived (kept with wagecheck.wage_month, not dumped): per worker, payable summed over all projects per month and per year';
COMMENT ON COLUMN wagecheck.worker_pay.period IS
    'first day of the month (span month) or of the year (span year)';
COMMENT ON COLUMN wagecheck.worker_pay.entries IS
    'number of wage_month rows summed (the row goes when none is left)';
CREATE INDEX worker_pay_payable ON wagecheck.worker_pay (span, payable);

-- _worker_pay_rows(): worker_pay computed from wage_month (for TRUNCATE, rebuilds and checks).
CREATE FUNCTION wagecheck._worker_pay_rows() RETURNS SETOF wagecheck.worker_pay
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT w.worker_id, k.span, k.period, sum(w.payable), count(*)
      FROM wagecheck.wage_month w
     CROSS JOIN LATERAL (VALUES ('month', w.period), ('year', date_trunc('year', w.period)::date)) k(span, period)
     GROUP BY 1, 2, 3
$$;
COMMENT ON FUNCTION wagecheck._worker_pay_rows() IS
    'wagecheck.worker_pay recomputed from wagecheck.wage_month (internal)';


-- _worker_pay_add(workers, periods, payable, entries): adds changes of wage_month rows (one
-- element per row: its month, the change of its payable and of the row count) to the
-- workers' month and year sums, in key order; sums left without rows go.
CREATE FUNCTION wagecheck._worker_pay_add(p_workers bigint[], p_periods date[], p_payable numeric[],
                                          p_entries bigint[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF coalesce(cardinality(p_workers), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO wagecheck.worker_pay AS t (worker_id, span, period, payable, entries)
    SELECT u.worker_id, k.span, k.period, sum(u.payable), sum(u.entries)
      FROM unnest(p_workers, p_periods, p_payable, p_entries) u(worker_id, period, payable, entries)
     CROSS JOIN LATERAL (VALUES ('month', u.period), ('year', date_trunc('year', u.period)::date)) k(span, period)
     GROUP BY 1, 2, 3
    HAVING sum(u.payable) <> 0 OR sum(u.entries) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (worker_id, span, period) DO UPDATE
       SET payable = t.payable + excluded.payable, entries = t.entries + excluded.entries;
    DELETE FROM wagecheck.worker_pay t
     USING (SELECT DISTINCT u.worker_id, k.span, k.period
              FROM unnest(p_workers, p_periods) u(worker_id, period)
             CROSS JOIN LATERAL (VALUES ('month', u.period), ('year', date_trunc('year', u.period)::date)) k(span, period)) d
     WHERE (t.worker_id, t.span, t.period) = (d.worker_id, d.span, d.period) AND t.entries <= 0;
END
$$;
COMMENT ON FUNCTION wagecheck._worker_pay_add(bigint[], date[], numeric[], bigint[]) IS
    'adds the changes of wage_month rows to the workers'' month and year sums in wagecheck.worker_pay (internal)';


-- the sums of what wage_month holds already
INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();

-- sheet_worker: the workers on each project's pay sheets (any line, whatever its moment),
-- with the number of wage_month rows (months) they have there; kept by _wage_month_refresh
-- by additions like worker_pay. RN01 looks for lines only of the pairs not on the roster.
CREATE TABLE wagecheck.sheet_worker (
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    months     bigint NOT NULL,
    PRIMARY KEY (project_id, worker_id)
);
COMMENT ON TABLE wagecheck.sheet_worker IS
    'derived (kept with wagecheck.wage_month, not dumped): the workers on each project''s pay sheets and their number of months there';

-- _sheet_worker_rows(): sheet_worker computed from wage_month (for TRUNCATE, rebuilds and checks).
CREATE FUNCTION wagecheck._sheet_worker_rows() RETURNS SETOF wagecheck.sheet_worker
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT w.project_id, w.worker_id, count(*) FROM wagecheck.wage_month w GROUP BY 1, 2
$$;
COMMENT ON FUNCTION wagecheck._sheet_worker_rows() IS
    'wagecheck.sheet_worker recomputed from wagecheck.wage_month (internal)';

INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();

-- payment_off_card: the payments made in cash or into an account other than the worker's
-- registered card (WP04), under the wage_month key of their line, with what WP04 reports.
-- Kept by _wage_month_refresh with the keys it recomputes (a change of a worker's card
-- recomputes the keys of his lines), whatever the payments' moments: WP04 keeps those known
-- at the moment asked. The worker's card is the one registered now, as WP04 compares.
CREATE TABLE wagecheck.payment_off_card (
    project_id  bigint NOT NULL,
    worker_id   bigint NOT NULL,
    period      date NOT NULL,
    payment_id  bigint NOT NULL,
    employer_id bigint NOT NULL,
    amount      numeric(14,2) NOT NULL,
    method      text NOT NULL,
    paid_at     timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (project_id, worker_id, period, payment_id)
);
COMMENT ON TABLE wagecheck.payment_off_card IS
    'derived (kept with wagecheck.wage_month, not dumped): wage payments in cash or into an account other than the worker''s registered card, for WP04';
COMMENT ON COLUMN wagecheck.payment_off_card.reason IS
    'cash, worker has no registered card, or not the worker''s registered card';

-- _payment_off_card_rows(project_ids, worker_ids, periods): the payment_off_card rows of
-- these wage_month keys (all of them when the arrays are NULL), from the raw rows.
CREATE FUNCTION wagecheck._payment_off_card_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.payment_off_card
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT s.project_id, l.worker_id, s.period, y.payment_id, s.employer_id, y.amount, y.method, y.paid_at,
           y.created_at,
           CASE WHEN y.method = 'cash' THEN 'cash'
                WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                ELSE 'not the worker''s registered card' END
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.wage_payment y ON y.line_id = l.line_id
      JOIN wagecheck.worker k ON k.worker_id = l.worker_id
     WHERE (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card)
       AND (p_projects IS NULL
            OR (s.project_id, l.worker_id, s.period) IN
               (SELECT u.project_id, u.worker_id, u.period
                  FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)))
$$;
COMMENT ON FUNCTION wagecheck._payment_off_card_rows(bigint[], bigint[], date[]) IS
    'payment_off_card rows of the given (project, worker, month) keys, or of all when NULL, from the raw rows (internal)';


INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);

-- _wage_month_cards(): trigger on worker (statement level, after UPDATE): a worker's
-- registered card changed, so the months of his lines are recomputed (payment_off_card).
CREATE FUNCTION wagecheck._wage_month_cards() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    kp bigint[];
    kw bigint[];
    km date[];
BEGIN
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
CREATE TRIGGER wage_month_cards AFTER UPDATE ON wagecheck.worker
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._wage_month_cards();
ALTER TABLE wagecheck.worker ENABLE ALWAYS TRIGGER wage_month_cards;

-- _wage_month_sync(): trigger on pay_sheet, pay_line and wage_payment (statement level,
-- transition tables old_rows/new_rows): refreshes the keys the statement touched.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    p bigint[] := '{}';
    w bigint[] := '{}';
    m date[] := '{}';
    kp bigint[];
    kw bigint[];
    km date[];
    t text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- what is left of the other two tables (payments truncated alone leave the lines)
        TRUNCATE wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker;
        INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
        INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
        INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
        INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    -- the keys (project, worker, month) of the statement's old and new rows
    FOREACH t IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                  ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        EXECUTE 'SELECT array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period) FROM ('
             || format(CASE TG_TABLE_NAME
            WHEN 'pay_sheet' THEN   -- the lines of the sheets, under the sheets' project and month
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I s JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id'
            WHEN 'pay_line' THEN    -- the lines themselves and the lines they correct
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I c
                  CROSS JOIN LATERAL (SELECT c.sheet_id, c.worker_id
                                      UNION ALL
                                      SELECT k.sheet_id, k.worker_id FROM wagecheck.pay_line k
                                       WHERE k.line_id = c.corrects_line_id) l
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            ELSE                    -- wage_payment: the lines paid
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM (SELECT DISTINCT y.line_id FROM %I y) y
                   JOIN wagecheck.pay_line l ON l.line_id = y.line_id
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            END, t) || ') x'
        INTO kp, kw, km;
        p := p || coalesce(kp, '{}'); w := w || coalesce(kw, '{}'); m := m || coalesce(km, '{}');
    END LOOP;
    PERFORM wagecheck._wage_month_refresh(p, w, m);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_sync() IS
    'trigger: keeps wagecheck.wage_month right after a statement on pay_sheet, pay_line or wage_payment (internal)';


CREATE OR REPLACE FUNCTION wagecheck.rebuild_summaries() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    LOCK TABLE wagecheck.attendance, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment
        IN SHARE MODE;
    TRUNCATE wagecheck.attendance_month, wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card,
             wagecheck.sheet_worker;
    INSERT INTO wagecheck.attendance_month (project_id, worker_id, period, days, known_to, last_day)
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*), max(a.created_at), max(a.day)
      FROM wagecheck.attendance a
     GROUP BY 1, 2, 3;
    INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
    INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
    ANALYZE wagecheck.attendance_month;
    ANALYZE wagecheck.wage_month;
    ANALYZE wagecheck.worker_pay;
    ANALYZE wagecheck.payment_off_card;
    ANALYZE wagecheck.sheet_worker;
END
$$;
COMMENT ON FUNCTION wagecheck.rebuild_summaries() IS
    'recomputes the derived summaries (attendance_month, wage_month, worker_pay, payment_off_card, sheet_worker) from the raw rows: needed only after their triggers were disabled; locks the input tables against writes while it runs';


-- _wp05_months(as_of, below, days): the months (project, worker) paid below `below` for at
-- least `days` days, as known at as_of: from the summary wage_month by its index on payable
-- when it is exact for as_of, else from the raw rows. PL/pgSQL so that the bounds are known
-- to the planner (a custom plan: an index range, not a third of the table).
CREATE FUNCTION wagecheck._wp05_months(as_of timestamptz, below numeric, min_days numeric)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date, days numeric,
                   payable numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        SELECT w.project_id, w.worker_id, w.employer_id, w.period, w.days, w.payable::numeric
          FROM wagecheck.wage_month w
         WHERE w.payable < below AND w.days >= min_days;
    ELSE
        RETURN QUERY
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.days, o.payable
          FROM wagecheck._wages_owed_compute(as_of) o
         WHERE o.payable < below AND o.days >= min_days;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wp05_months(timestamptz, numeric, numeric) IS
    'WP05''s candidate months: paid below a bound for at least a number of days, from wage_month when exact, else from the raw rows (internal)';


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


-- WP05 (G, worker on project, month): full-month pay below the local monthly minimum wage.
-- Only the months below the highest minimum wage of any division (catalogue or override), of
-- at least the fewest full-month days, are read (_wp05_months).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH bounds AS MATERIALIZED (   -- the highest minimum and fewest days of any division: only months below it can hit
        SELECT max(v.amount) FILTER (WHERE v.key = 'min_monthly_wage') AS min_wage,
               min(v.amount) FILTER (WHERE v.key = 'full_month_days') AS full_days
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP05' AND e.key IN ('min_monthly_wage', 'full_month_days')
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP05' AND e.key IN ('min_monthly_wage', 'full_month_days')) v
    ),
    months AS MATERIALIZED (
        SELECT f.*, p.division
          FROM bounds b
         CROSS JOIN LATERAL wagecheck._wp05_months(as_of, b.min_wage, b.full_days) f
          JOIN wagecheck.project p ON p.project_id = f.project_id
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT months.division FROM months) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, f.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM months f
      JOIN params ON params.division = f.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05(timestamptz) IS
    'WP05: a full month''s pay (days >= full_month_days) below the local monthly minimum wage (min_monthly_wage, per division)';


-- _wp06_sums(as_of, month_over, year_over): a worker's sums of payable over all projects
-- above month_over in a month (span month) or above year_over in a year (span year), with
-- the first project (of the first month) and the lowest project. When the summaries are
-- exact for as_of, from worker_pay by its index on payable, and the projects from the
-- worker's pay lines; else from the raw rows (_wages_owed_compute). PL/pgSQL so that the
-- bounds are known to the planner (a custom plan: an index range).
CREATE FUNCTION wagecheck._wp06_sums(as_of timestamptz, month_over numeric, year_over numeric)
    RETURNS TABLE (worker_id bigint, span text, period date, payable numeric, first_project bigint,
                   min_project bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        WITH over AS (
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'month' AND w.payable > month_over
            UNION ALL
            SELECT w.worker_id, w.span, w.period, w.payable
              FROM wagecheck.worker_pay w
             WHERE w.span = 'year' AND w.payable > year_over
        )
        -- the projects of the sums' wage_month rows: the sheets of the worker's lines then
        SELECT o.worker_id, o.span, o.period, o.payable::numeric, f.first_project, f.min_project
          FROM over o
         CROSS JOIN LATERAL (
                SELECT (array_agg(s.project_id ORDER BY s.period, s.project_id))[1] AS first_project,
                       min(s.project_id) AS min_project
                  FROM wagecheck.pay_line l
                  JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
                 WHERE l.worker_id = o.worker_id AND s.period >= o.period
                   AND s.period < o.period + CASE o.span WHEN 'month' THEN interval '1 month'
                                                         ELSE interval '1 year' END) f;
    ELSE
        RETURN QUERY
        WITH owed AS MATERIALIZED (
            SELECT o.worker_id, o.project_id, o.period, o.payable FROM wagecheck._wages_owed_compute(as_of) o
        ),
        -- sums in float8 (no numeric state per group) only choose the worker-months and years
        -- summed exactly below; the margin covers their rounding, so no sum over a bound is missed
        approx AS MATERIALIZED (
            SELECT o.worker_id, o.period, date_trunc('year', o.period::timestamp) AS year,
                   sum(o.payable::float8) AS payable, sum(abs(o.payable::float8)) AS size
              FROM owed o
             GROUP BY o.worker_id, o.period
        ),
        maybe_years AS MATERIALIZED (
            SELECT a.worker_id, a.year
              FROM approx a
             GROUP BY a.worker_id, a.year
            HAVING sum(a.payable) > year_over::float8 - sum(a.size) * 1e-9
        ),
        months AS MATERIALIZED (   -- exact sums of the worker-months that may be over a bound
            SELECT o.worker_id, o.period, sum(o.payable) AS payable
              FROM owed o
              JOIN approx a ON a.worker_id = o.worker_id AND a.period = o.period
             WHERE a.payable > month_over::float8 - a.size * 1e-9
                OR (a.worker_id, a.year) IN (SELECT y.worker_id, y.year FROM maybe_years y)
             GROUP BY o.worker_id, o.period
        ),
        years AS (         -- the years over the bound, summed exactly
            SELECT y.worker_id, date_trunc('year', y.period)::date AS year
              FROM months y
             WHERE (y.worker_id, date_trunc('year', y.period::timestamp)) IN
                   (SELECT my.worker_id, my.year FROM maybe_years my)
             GROUP BY y.worker_id, date_trunc('year', y.period)::date
            HAVING sum(y.payable) > year_over
        ),
        pay AS (           -- the months over the bound or in a year over its bound, and their projects
            SELECT o.worker_id, o.period, sum(o.payable) AS payable, min(o.project_id) AS project_id
              FROM owed o
              JOIN months m ON m.worker_id = o.worker_id AND m.period = o.period
             WHERE m.payable > month_over
                OR (m.worker_id, date_trunc('year', m.period)::date) IN (SELECT y.worker_id, y.year FROM years y)
             GROUP BY o.worker_id, o.period
        )
        SELECT pay.worker_id, 'month', pay.period, pay.payable, pay.project_id, pay.project_id
          FROM pay
         WHERE pay.payable > month_over
        UNION ALL
        SELECT pay.worker_id, 'year', date_trunc('year', pay.period)::date, sum(pay.payable),
               (array_agg(pay.project_id ORDER BY pay.period))[1], min(pay.project_id)
          FROM pay
         GROUP BY pay.worker_id, date_trunc('year', pay.period)::date
        HAVING sum(pay.payable) > year_over;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wp06_sums(timestamptz, numeric, numeric) IS
    'WP06''s candidate sums: a worker''s payable over all projects above a bound in a month or a year, from worker_pay when exact, else from the raw rows (internal)';


-- WP06 (G, worker): over month_amount in one month or year_amount in one year (possible fictitious payroll).
-- Only the sums over the lowest limits of any division are read (_wp06_sums).
CREATE OR REPLACE FUNCTION wagecheck.eval_wp06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH bounds AS MATERIALIZED (   -- the lowest limits of any division: only sums above them can hit
        SELECT min(v.amount) FILTER (WHERE v.key = 'month_amount') AS month_amount,
               min(v.amount) FILTER (WHERE v.key = 'year_amount') AS year_amount
          FROM (SELECT e.key, e.value::numeric AS amount
                  FROM wagecheck.rule r CROSS JOIN LATERAL jsonb_each_text(r.params) e
                 WHERE r.code = 'WP06' AND e.key IN ('month_amount', 'year_amount')
                UNION ALL
                SELECT e.key, e.value::numeric
                  FROM wagecheck.rule_param_override o CROSS JOIN LATERAL jsonb_each_text(o.params) e
                 WHERE o.code = 'WP06' AND e.key IN ('month_amount', 'year_amount')) v
    ),
    -- the worker's division: that of the first project of the month (of the year's first month)
    sums AS MATERIALIZED (
        SELECT s.worker_id, s.span, s.period, s.payable, s.min_project, p.division
          FROM bounds b
         CROSS JOIN LATERAL wagecheck._wp06_sums(as_of, b.month_amount, b.year_amount) s
          JOIN wagecheck.project p ON p.project_id = s.first_project
    ),
    limits AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, k.span,
               (wagecheck.rule_param('WP06', k.span || '_amount', d.division))::numeric AS amount
          FROM (SELECT DISTINCT sums.division FROM sums) d
         CROSS JOIN (VALUES ('month'), ('year')) k(span)
    )
    SELECT 'worker', s.worker_id::text, to_char(s.period, CASE s.span WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY' END),
           s.min_project, NULL::bigint, s.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.span || '_amount')
      FROM sums s
      JOIN limits l ON l.division = s.division AND l.span = s.span
     WHERE s.payable > l.amount
$$;
COMMENT ON FUNCTION wagecheck.eval_wp06(timestamptz) IS
    'WP06: a worker paid (payable, all projects) over month_amount in a month (period YYYY-MM) or over year_amount in a year (period YYYY): possible fictitious payroll';


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


-- RN01 (K, pay line): a payroll line for a worker not on the project's real-name roster.
-- The pairs (project, worker) on pay sheets come from the summary sheet_worker (every line,
-- whatever its moment); only the lines of the pairs not on the roster then are read, per
-- pair through the index on pay_line.worker_id (OFFSET 0 keeps that subquery apart: the
-- function's generic plan would otherwise join every line to every pair).
CREATE OR REPLACE FUNCTION wagecheck.eval_rn01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', x.line_id::text, '', x.project_id, x.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', x.worker_id, 'period', to_char(x.period, 'YYYY-MM'),
                              'sheet_id', x.sheet_id, 'net', x.net)
      FROM wagecheck.sheet_worker q
     CROSS JOIN LATERAL (
            SELECT l.line_id, l.worker_id, l.net, s.sheet_id, s.project_id, s.employer_id, s.period
              FROM wagecheck.pay_line l
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
             WHERE l.worker_id = q.worker_id AND s.project_id = q.project_id AND l.created_at <= as_of
            OFFSET 0) x
      JOIN wagecheck.project p ON p.project_id = x.project_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = q.project_id AND r.worker_id = q.worker_id
                          AND r.created_at <= as_of AND r.start_on <= as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn01(timestamptz) IS
    'RN01: pay lines of workers not on the project''s real-name roster (known at as_of)';


-- AC03 (K, account transaction): money leaving the account other than as a wage into the
-- own card of a worker on that project's roster. A card's text is its digits alone, so an
-- account written as the digits of a rostered card needs no normalising: the account's
-- digits (regexp_replace) are compared only for the outflows whose text matched no card.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH cards AS MATERIALIZED (   -- the own cards of the workers on each project's roster then
        SELECT r.project_id, k.wage_card::text AS card
          FROM wagecheck.roster r
          JOIN wagecheck.worker k ON k.worker_id = r.worker_id
         WHERE r.created_at <= as_of AND k.wage_card IS NOT NULL
    )
    SELECT 'account_txn', t.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('amount', t.amount, 'purpose', t.purpose, 'booked_at', t.booked_at,
                              'counterparty', t.counterparty_name,
                              'reason', CASE WHEN t.purpose <> 'wage' THEN 'not a wage'
                                             ELSE 'not the own card of a worker on the roster' END)
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account w ON w.account_id = t.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE t.direction = 'out' AND t.booked_at <= as_of AND t.created_at <= as_of
       AND (t.purpose <> 'wage'
            OR NOT EXISTS (SELECT 1 FROM cards c WHERE c.project_id = w.project_id AND c.card = t.counterparty_account)
               AND NOT EXISTS (SELECT 1 FROM cards c
                                WHERE c.project_id = w.project_id
                                  AND c.card = regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac03(timestamptz) IS
    'AC03: outflows of a dedicated account that are not wages into the own card of a worker on the project''s roster (cash, other accounts, other projects'' workers)';

-- ==== alert writes (session 4)
-- alert.rule_code and alert_event.alert_id lose their foreign keys (a query per written row);
-- triggers guard what the keys guarded (src/alerts/10_engine.sql says how)
ALTER TABLE wagecheck.alert DROP CONSTRAINT alert_rule_code_fkey;
ALTER TABLE wagecheck.alert_event DROP CONSTRAINT alert_event_alert_id_fkey;
-- no index on division or project: no query of wagecheck uses them (10_engine.sql)
DROP INDEX wagecheck.alert_division_live, wagecheck.alert_project;
CREATE FUNCTION wagecheck._alert_kept() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'alerts are never deleted'
            USING ERRCODE = 'WC041',
                  DETAIL = format('Alert %s has a history in wagecheck.alert_event, which replays of past scans read.', OLD.alert_id),
                  HINT = 'An alert ends by its lifecycle: cleared, closed or reported.';
    END IF;
    -- TRUNCATE: checked after it, when every table it names is empty
    IF EXISTS (SELECT 1 FROM wagecheck.alert_event) THEN
        RAISE EXCEPTION 'wagecheck.alert cannot be truncated without wagecheck.alert_event'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Every event belongs to an alert.',
                  HINT = 'Truncate wagecheck.alert_event in the same statement.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._alert_kept() IS
    'trigger on alert: refuses DELETE (WC041: an alert''s history is kept) and a TRUNCATE that leaves events behind (23503)';
CREATE TRIGGER alert_kept BEFORE DELETE ON wagecheck.alert
    FOR EACH ROW EXECUTE FUNCTION wagecheck._alert_kept();
CREATE TRIGGER alert_kept_truncate AFTER TRUNCATE ON wagecheck.alert
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._alert_kept();

CREATE FUNCTION wagecheck._rule_alerts() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    -- the rule's row is locked before this runs: a scan writing its alerts has committed
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM wagecheck.alert a WHERE a.rule_code = OLD.code) THEN
            RAISE EXCEPTION 'rule % has alerts and cannot be deleted', OLD.code
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'Alerts keep the code of the rule that raised them.',
                      HINT = 'Disable the rule instead (enabled = false).';
        END IF;
        RETURN OLD;
    END IF;
    UPDATE wagecheck.alert a SET rule_code = NEW.code WHERE a.rule_code = OLD.code;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_alerts() IS
    'trigger on rule: a rule with alerts is not deleted (23503); a new code is carried to its alerts';
CREATE TRIGGER rule_alerts BEFORE DELETE ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_alerts();
CREATE TRIGGER rule_alerts_code AFTER UPDATE OF code ON wagecheck.rule
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION wagecheck._rule_alerts();
CREATE OR REPLACE FUNCTION wagecheck._engine_opens_only(
        cur_tier text, cur_state text, hit boolean, level text,
        deadline_passed boolean, new_deadline_passed boolean,
        due_passed boolean, new_due_passed boolean, verified boolean, report_due_passed boolean)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_engine_opens_only'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._engine_opens_only(text, text, boolean, text, boolean, boolean, boolean, boolean, boolean, boolean) IS
    'true when _engine_steps with the same arguments is one step, open (no alert yet, a hit, nothing more due at once): the scan''s fast path (internal)';
CREATE OR REPLACE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
                                     p_carry boolean DEFAULT false, p_projects bigint[] DEFAULT NULL)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at
          FROM wagecheck.alert c
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
           %s
        UNION ALL
        SELECT s.* FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        -- ordered as DISTINCT ON wants it, over the whole subject: one sort serves both
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period
                     ORDER BY raw.by_rule DESC, (raw.level = 'K') DESC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    j AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, $1::date AS today
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    -- the engine's parameters, once per division, read only where a row below uses them
    prm AS MATERIALIZED (
        SELECT d.div,
               CASE WHEN d.deadline THEN (wagecheck.rule_param($2, 'deadline_wd', d.division))::int END AS deadline_wd,
               CASE WHEN d.verify THEN (wagecheck.rule_param($2, 'verify_hours', d.division))::int END AS verify_hours,
               CASE WHEN d.report THEN (wagecheck.rule_param($2, 'report_hours', d.division))::int END AS report_hours
          FROM (SELECT coalesce(j.division::text, '') AS div,
                       nullif(coalesce(j.division::text, ''), '')::wagecheck.division_code AS division,
                       bool_or(j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                               AND j.hit_due IS NULL) AS deadline,
                       bool_or(j.hit AND j.lvl = 'O' AND j.alert_id IS NULL AND j.hit_due IS NULL) AS verify,
                       bool_or(coalesce(j.c_tier, j.lvl) = 'O' AND j.details ->> 'report_due' IS NULL) AS report
                  FROM j
                 GROUP BY 1) d
    ),
    f0 AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date, wagecheck.add_working_days(j.today, prm.deadline_wd))
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due, $1 + make_interval(hours => prm.verify_hours))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1) + make_interval(hours => prm.report_hours))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
          JOIN prm ON prm.div = coalesce(j.division::text, '')
    ),
    -- a hit without an alert: the steps are a lone opening unless a deadline or a
    -- verification moves the new alert on at once (_engine_opens_only, same arguments)
    f AS (
        SELECT f0.*,
               f0.alert_id IS NULL AND f0.hit
               AND wagecheck._engine_opens_only(
                       f0.c_tier, f0.c_state, f0.hit, f0.lvl,
                       f0.today > f0.c_deadline, f0.today > f0.new_deadline,
                       $1 > f0.c_due, $1 > f0.new_due,
                       coalesce((f0.details ->> 'verified')::boolean, false) AND f0.hit,
                       $1 > f0.report_due) AS opens
          FROM f0
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END
      FROM f
      -- a lone opening (most rows of a full scan) is a constant row; other steps come from
      -- the state machine, called only where something can change
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false) AND NOT coalesce(f.opens, false)
            UNION ALL
            SELECT 1, 'open', NULL, 'open', NULL, f.lvl, true, 1
             WHERE f.opens) st ON true
     WHERE st.action IS NOT NULL OR f.hit
    $q$, CASE WHEN p_carry AND p_projects IS NOT NULL AND r.project_evaluator IS NOT NULL
              THEN 'AND c.alert_id NOT IN (SELECT q.alert_id FROM wagecheck._quiet_elsewhere($2, $1, $7) q)'
              ELSE '' END,
         CASE WHEN p_carry AND p_projects IS NOT NULL AND r.project_evaluator IS NOT NULL
              -- the carried hits (as _carried_hits gives them) of the alerts left in cur
              THEN format('(SELECT * FROM %s($1, $7) UNION ALL '
                          'SELECT a.subject_kind, a.subject_id, a.period, coalesce(k.project_id, a.project_id), '
                          'a.enterprise_id, a.division, a.tier, NULL::timestamptz, a.details '
                          'FROM cur JOIN wagecheck.alert a ON a.alert_id = cur.alert_id '
                          'LEFT JOIN wagecheck.rule_kept_hit k ON k.code = $2 AND k.alert_id = a.alert_id '
                          'WHERE CASE WHEN k.alert_id IS NOT NULL THEN k.project_id IS NULL OR k.project_id <> ALL ($7) '
                          'ELSE a.evidence IN (''rule'', ''both'') '
                          'AND ((a.tier = ''G'' AND a.state = ''open'') OR (a.tier = ''K'' AND a.state IN (''open'', ''overdue''))) '
                          'AND (a.project_id IS NULL OR a.project_id <> ALL ($7)) END)',
                          r.project_evaluator::regproc)
              WHEN p_carry THEN 'wagecheck._carried_hits($2)'
              ELSE r.evaluator::regproc::text || '($1)' END)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O', p_projects;
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[]) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes, from the rule''s hits or (carry) those its live alerts hold, or (carry with projects) the project evaluator''s hits of those projects and the carried ones of the others (internal to scan)';
CREATE OR REPLACE FUNCTION wagecheck._alert_payload(p_event text, p_alert bigint, p_rule text, p_tier text,
                                         p_state text, p_subject_kind text, p_subject_id text,
                                         p_period text, p_division text, p_at timestamptz)
    RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_alert_payload'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._alert_payload(text, bigint, text, text, text, text, text, text, text, timestamptz) IS
    'payload of NOTIFY wagecheck_alert: event (opened, escalated, cleared), alert id, rule, tier, state, subject, period, division, at';
CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- building blocks only for the rules evaluated in full: those carried over read none, those
    -- evaluated for some projects read them through their project filter (a rule whose
    -- horizon turns out to name every project is evaluated in full without them)
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to
           AND wagecheck._changed_projects(ru.code, as_of, false) IS NOT NULL;
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- the rule's row, held until commit as a foreign key on alert.rule_code would hold it:
        -- the rule is neither deleted nor renamed while its alerts are written (rule_alerts)
        PERFORM FROM wagecheck.rule ru WHERE ru.code = r.code FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'rule % was deleted during the scan', r.code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        WITH p AS MATERIALIZED (
            SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, nullif(changed, '{}'))
        ),
        fin AS MATERIALIZED (
            SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
              FROM p
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
        ),
        ins AS (
            INSERT INTO wagecheck.alert AS a
                   (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                    division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
            SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                   f.enterprise_id, f.division, f.details, f.evidence, as_of,
                   CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                   CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                   CASE WHEN f.step > 1 THEN as_of END, as_of
              FROM fin f
             WHERE f.alert_id IS NULL AND f.action IS NOT NULL
            ON CONFLICT (rule_code, subject_kind, subject_id, period)
               WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               DO NOTHING
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        upd AS (
            UPDATE wagecheck.alert a
               SET tier = coalesce(f.to_tier, a.tier),
                   state = coalesce(f.to_state, a.state),
                   details = f.details,
                   evidence = f.evidence,
                   project_id = coalesce(f.project_id, a.project_id),
                   enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                   division = coalesce(f.division, a.division),
                   deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                   due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                   escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                       THEN as_of ELSE a.escalated_at END,
                   closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                   updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
              FROM fin f
             WHERE a.alert_id = f.alert_id
               -- this rule's live alerts only (alert_one_live), not a hash of every live alert
               AND a.rule_code = r.code AND f.alert_id IS NOT NULL
               AND a.state = f.cur_state
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                    OR a.evidence IS DISTINCT FROM f.evidence)
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        ev AS (
            INSERT INTO wagecheck.alert_event AS e
                   (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
            SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                   p.from_tier, p.to_tier,
                   CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                   CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                   CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
              FROM p
              LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                             AND i.subject_id = p.subject_id AND i.period = p.period
              LEFT JOIN upd u ON u.alert_id = p.alert_id
             WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step
            RETURNING e.alert_id, e.action, e.to_state, e.to_tier
        ),
        lnk AS (
            INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
            SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
              FROM fin f
              LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                             AND i.subject_id = f.subject_id AND i.period = f.period
             CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
             WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
            ON CONFLICT (violation_id) DO NOTHING
        ),
        kept AS (
            INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
            SELECT r.code, f.alert_id, f.project_id
              FROM fin f
             WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
               AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (changed IS NULL OR f.project_id = ANY (changed))
            ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
        )
        -- distinct subjects hit: a hashed DISTINCT of the columns (a sort comparing row values
        -- took 0.2 s for WP04's 46,000 hits on the full city)
        SELECT (SELECT count(*) FROM (SELECT DISTINCT p.subject_kind, p.subject_id, p.period
                                        FROM p WHERE p.hit) d)
               + CASE WHEN cardinality(changed) > 0    -- the hits left out of a per-project plan
                      THEN (SELECT count(*) FROM wagecheck._quiet_elsewhere(r.code, as_of, changed) q WHERE q.hit)
                      ELSE 0 END,
               count(*) FILTER (WHERE ev.action = 'open'),
               count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
               count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
               count(*) FILTER (WHERE ev.action = 'rectify'),
               array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                  ev.to_tier, ev.to_state,
                                                  coalesce(i.subject_kind, u.subject_kind),
                                                  coalesce(i.subject_id, u.subject_id),
                                                  coalesce(i.period, u.period),
                                                  coalesce(i.division, u.division)::text, as_of)
                         ORDER BY ev.alert_id, ev.action)
                   FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
          INTO hits, opened, escalated, cleared, rectified, payloads
          FROM ev
          LEFT JOIN ins i ON i.alert_id = ev.alert_id
          LEFT JOIN upd u ON u.alert_id = ev.alert_id;
        PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed (a time-driven one with a horizon, on a later day, also for those its horizon names); incremental => false evaluates every rule';

-- ==== owed and late wages (session 4): wage_month.settled_at finds the months owed or paid
-- late without a scan's memo of wages_owed; AC05 reads the owed months of its projects only
ALTER TABLE wagecheck.wage_month ADD COLUMN settled_at timestamptz;
COMMENT ON COLUMN wagecheck.wage_month.settled_at IS
    'when the payments (in time order) reached the net: -infinity when the net is not positive, NULL while the month is not fully paid (the months that can be owed); a month is paid late when this is after its pay date';
-- _settled_at(net, paid_ats, paid_each): the moment payments made at paid_ats (in time order)
-- of paid_each reached net; -infinity when net is not positive; NULL when they never did.
CREATE FUNCTION wagecheck._settled_at(net numeric, paid_ats timestamptz[], paid_each numeric[])
    RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN net <= 0 THEN '-infinity'::timestamptz
                ELSE (SELECT min(c.at)
                        FROM (SELECT u.at, sum(u.amount) OVER (ORDER BY u.n) AS cum
                                FROM unnest(paid_ats, paid_each) WITH ORDINALITY u(at, amount, n)) c
                       WHERE c.cum >= net) END;
END;
COMMENT ON FUNCTION wagecheck._settled_at(numeric, timestamptz[], numeric[]) IS
    'the moment a month''s payments (in time order) reached its net: -infinity when the net is not positive, NULL when they never did (internal)';
UPDATE wagecheck.wage_month SET settled_at = wagecheck._settled_at(net, paid_ats, paid_each);
-- the months still owed (few), for WP02 and WP03
CREATE INDEX wage_month_unsettled ON wagecheck.wage_month (project_id, worker_id, period) WHERE settled_at IS NULL;
-- _wage_month_rows(project_ids, worker_ids, periods): the wage_month rows of these keys
-- (all of them when the arrays are NULL), computed from the raw rows, whatever their moment.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.wage_month
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH k AS (
        SELECT DISTINCT u.project_id, u.worker_id, u.period
          FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)
    ),
    lp AS (
        SELECT s.project_id, l.worker_id, s.period, s.employer_id, l.line_id, l.days, l.payable, l.net,
               c.line_id IS NULL AS effective,
               greatest(l.created_at, s.created_at, c.created_at) AS known
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
          LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id
         WHERE p_projects IS NULL
            OR (s.project_id, l.worker_id, s.period) IN (SELECT k.project_id, k.worker_id, k.period FROM k)
    ),
    py AS (
        SELECT y.line_id, sum(y.amount) AS paid, max(greatest(y.created_at, y.paid_at)) AS known
          FROM wagecheck.wage_payment y
         WHERE p_projects IS NULL OR y.line_id IN (SELECT lp.line_id FROM lp)
         GROUP BY y.line_id
    ),
    pays AS (          -- every payment of the month's lines, for "paid by the pay date"
        SELECT lp.project_id, lp.worker_id, lp.period,
               array_agg(y.paid_at ORDER BY y.paid_at, y.payment_id) AS ats,
               array_agg(y.amount ORDER BY y.paid_at, y.payment_id) AS amounts
          FROM lp
          JOIN wagecheck.wage_payment y ON y.line_id = lp.line_id
         GROUP BY lp.project_id, lp.worker_id, lp.period
    ),
    sums AS (
        SELECT lp.project_id, lp.worker_id, lp.period, min(lp.employer_id) AS employer_id,
               coalesce(sum(lp.days) FILTER (WHERE lp.effective), 0) AS days,
               coalesce(sum(lp.payable) FILTER (WHERE lp.effective), 0) AS payable,
               coalesce(sum(lp.net) FILTER (WHERE lp.effective), 0) AS net,
               coalesce(sum(py.paid), 0) AS paid,
               greatest(max(lp.known), max(py.known)) AS known_to
          FROM lp
          LEFT JOIN py ON py.line_id = lp.line_id
         GROUP BY lp.project_id, lp.worker_id, lp.period
    )
    SELECT s.project_id, s.worker_id, s.period, s.employer_id, s.days, s.payable, s.net, s.paid,
           coalesce(pays.ats, '{}'), coalesce(pays.amounts, '{}'), s.known_to,
           wagecheck._settled_at(s.net, coalesce(pays.ats, '{}'), coalesce(pays.amounts, '{}'))
      FROM sums s
      LEFT JOIN pays ON (pays.project_id, pays.worker_id, pays.period) = (s.project_id, s.worker_id, s.period)
$$;
COMMENT ON FUNCTION wagecheck._wage_month_rows(bigint[], bigint[], date[]) IS
    'wage_month rows of the given (project, worker, month) keys, or of all when NULL, from the raw rows (internal)';

-- _wage_month_refresh(keys): recomputes the summary rows of these keys. Rows are locked
-- first (a placeholder for a new key), in key order, then computed with a fresh snapshot:
-- two writers touching one key serialise, and the later one sees the earlier one's rows.
-- The locked rows' payable (before) and the new one (after) give the change that is added
-- to the workers' sums in worker_pay (and the change of the row count to sheet_worker); the
-- keys' rows of payment_off_card are recomputed.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_refresh(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    dj bigint[];
    dw bigint[];
    dm date[];
    dp numeric[];
    dn bigint[];
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
          FROM n
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
DROP FUNCTION wagecheck._wages_late(timestamptz);
-- _wages_owed_projects(as_of, projects): _wages_owed_compute(as_of) for the given projects
-- only, reading their sheets, lines, payments and roster through the indexes on project_id,
-- sheet_id and line_id (the raw rows of a per-project evaluation when the summary is not exact).
CREATE FUNCTION wagecheck._wages_owed_projects(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH lines AS MATERIALIZED (   -- the projects' lines known then, the pay terms of their worker
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                            WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of) AS effective,
               coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.pay_sheet s ON s.project_id = q.project_id
          JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = s.project_id AND r.worker_id = l.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
         WHERE l.created_at <= as_of
    ),
    dates AS MATERIALIZED (        -- as _wages_owed_compute: months with a sheet known then
        SELECT k.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT lines.period, lines.pay_day, lines.pay_month_offset FROM lines) k
         WHERE k.period IN (SELECT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of)
    ),
    pl AS (
        SELECT lines.*, d.pay_date, y.paid, y.paid_by
          FROM lines
          JOIN dates d USING (period, pay_day, pay_month_offset)
          LEFT JOIN LATERAL (SELECT sum(y.amount) AS paid,
                                    sum(y.amount) FILTER (WHERE y.paid_at::date <= d.pay_date) AS paid_by
                               FROM wagecheck.wage_payment y
                              WHERE y.line_id = lines.line_id AND y.paid_at <= as_of
                                AND y.created_at <= as_of) y ON true
    )
    SELECT pl.project_id, pl.worker_id, min(pl.employer_id), pl.period, pl.pay_date,
           coalesce(sum(pl.days) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.payable) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.paid), 0), coalesce(sum(pl.paid_by), 0),
           greatest(coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0) - coalesce(sum(pl.paid), 0), 0)
      FROM pl
     GROUP BY pl.project_id, pl.worker_id, pl.period, pl.pay_date
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_projects(timestamptz, bigint[]) IS
    'wagecheck.wages_owed of the given projects only, computed from their raw rows (internal)';

-- _wages_unpaid_summary(as_of, projects): the months of wage_month not fully paid (the partial
-- index wage_month_unsettled: few), with the pay date of the pay terms known then, past it;
-- of the given projects, or all when NULL. Exact only when _summary_exact('wages_owed', as_of).
CREATE FUNCTION wagecheck._wages_unpaid_summary(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH c AS MATERIALIZED (
        SELECT w.*, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM wagecheck.wage_month w
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
         WHERE w.settled_at IS NULL AND (projects IS NULL OR w.project_id = ANY (projects))
    ),
    dates AS MATERIALIZED (        -- one pay date per (month, terms), not per row
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT c.period, c.pay_day, c.pay_month_offset FROM c) k
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      JOIN dates d USING (period, pay_day, pay_month_offset)
     WHERE d.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck._wages_unpaid_summary(timestamptz, bigint[]) IS
    'the months of the summary wage_month still owed past their pay day, of the given projects or all (internal)';

-- _wages_unpaid(as_of, projects): the rows of wages_owed(as_of) with wages owed past their
-- pay day (WP02, WP03), of the given projects or all when NULL: from the few months of the
-- summary not fully paid when it is exact for the moment, else from the raw rows.
CREATE FUNCTION wagecheck._wages_unpaid(as_of timestamptz, projects bigint[] DEFAULT NULL)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_unpaid_summary(as_of, projects);
    ELSIF projects IS NULL THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of) o
                      WHERE o.owed > 0 AND o.pay_date < as_of::date;
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_projects(as_of, projects) o
                      WHERE o.owed > 0 AND o.pay_date < as_of::date;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_unpaid(timestamptz, bigint[]) IS
    'the rows of wages_owed with wages owed past their pay day, of the given projects or all (internal)';

-- _wages_late_summary(as_of, projects): the months of the projects in wage_month past their
-- pay day and not fully paid by it. A month settled (settled_at) before the first pay date
-- any pay terms give its month cannot be late: pay terms and dates only for the others.
CREATE FUNCTION wagecheck._wages_late_summary(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (        -- per month, the earliest pay date, as the moment it ends
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    c AS MATERIALIZED (            -- the projects' months settled after that, or not at all
        SELECT w.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.wage_month w ON w.project_id = q.project_id
          JOIN first f ON f.period = w.period
         WHERE coalesce(w.settled_at, 'infinity') >= f.after
    ),
    terms AS (                     -- the pay terms known then of the projects' workers
        SELECT DISTINCT ON (r.project_id, r.worker_id) r.project_id, r.worker_id, r.pay_day, r.pay_month_offset
          FROM wagecheck.roster r
         WHERE r.project_id = ANY (projects) AND r.created_at <= as_of AND r.start_on <= as_of::date
         ORDER BY r.project_id, r.worker_id, r.start_on DESC
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      LEFT JOIN terms t ON t.project_id = c.project_id AND t.worker_id = c.worker_id
      JOIN dates d ON d.period = c.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
     WHERE d.pay_date < as_of::date
       AND coalesce(c.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz
$$;
COMMENT ON FUNCTION wagecheck._wages_late_summary(timestamptz, bigint[]) IS
    'the months of the given projects in the summary wage_month past their pay day and not fully paid by it (internal)';

-- _wages_late(as_of, projects): the rows of wages_owed(as_of) of the given projects (all when
-- NULL) past their pay day and not fully paid by it: owed, or paid in full only after the pay
-- day (DP01 reads those of a contractor's projects).
CREATE FUNCTION wagecheck._wages_late(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_late_summary(
            as_of, coalesce(projects, ARRAY(SELECT p.project_id FROM wagecheck.project p)));
    ELSIF projects IS NULL THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of) o
                      WHERE o.pay_date < as_of::date AND o.paid_by_pay_date < o.net;
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_projects(as_of, projects) o
                      WHERE o.pay_date < as_of::date AND o.paid_by_pay_date < o.net;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_late(timestamptz, bigint[]) IS
    'the rows of wages_owed of the given projects (all when NULL) past their pay day and not fully paid by it: owed or paid late (internal)';

-- _wages_owed_by_project(as_of, projects): per project of those given, the wages owed (the
-- sum of wages_owed(as_of).owed), where positive: from the months of the summary not fully
-- paid when it is exact for the moment, else from the projects' raw rows (AC05).
CREATE FUNCTION wagecheck._wages_owed_by_project(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT w.project_id, sum(w.net - w.paid)
                       FROM wagecheck.wage_month w
                      WHERE w.settled_at IS NULL AND w.project_id = ANY (projects)
                      GROUP BY w.project_id
                     HAVING sum(w.net - w.paid) > 0;
    ELSE
        RETURN QUERY SELECT o.project_id, sum(o.owed)
                       FROM wagecheck._wages_owed_projects(as_of, projects) o
                      GROUP BY o.project_id
                     HAVING sum(o.owed) > 0;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_by_project(timestamptz, bigint[]) IS
    'wages owed per project of those given, where positive (internal)';
-- _memo_build(as_of, skip): computes once, for the whole scan, the building blocks that more
-- than one enabled evaluator uses (wages_owed, attendance_months), as temporary tables. Not
-- attendance_months when its summary is exact for the moment: its readers then read the
-- summary attendance_month, as cheap as a copy. No ANALYZE: the readers see a memo through
-- the building block's function scan, where its statistics serve no plan. The months owed or
-- paid late (WP02, WP03, DP01) are not: they are found through the summary's settled_at.
CREATE OR REPLACE FUNCTION wagecheck._memo_build(p_as_of timestamptz, p_skip text[] DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    b text;
BEGIN
    PERFORM wagecheck._memo_drop();
    CREATE TEMP TABLE wc_memo (name text PRIMARY KEY, as_of timestamptz NOT NULL) ON COMMIT DROP;
    FOREACH b IN ARRAY ARRAY['wages_owed', 'attendance_months'] LOOP
        IF (SELECT count(*) FROM wagecheck.rule r JOIN pg_catalog.pg_proc p ON p.oid = r.evaluator
             WHERE r.enabled AND r.code <> ALL (coalesce(p_skip, '{}'))
               AND strpos(p.prosrc, b || '(') > 0) > 1
           AND NOT (b = 'attendance_months' AND wagecheck._summary_exact(b, p_as_of)) THEN
            -- from the summary kept at write time when it is exact for the moment, else raw rows;
            -- straight from the query (wages_owed() would copy its rows twice on their way)
            EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM wagecheck.%I($1)',
                           'wc_memo_' || b,
                           '_' || b || CASE WHEN b = 'wages_owed' AND wagecheck._summary_exact(b, p_as_of)
                                            THEN '_summary' ELSE '_compute' END) USING p_as_of;
            INSERT INTO pg_temp.wc_memo VALUES (b, p_as_of);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_build(timestamptz, text[]) IS
    'computes the building blocks shared by several enabled evaluators once per scan, leaving out the rules the scan will not evaluate in full (carried over, or evaluated for some projects) (internal)';

CREATE OR REPLACE FUNCTION wagecheck._memo_drop() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF to_regclass('pg_temp.wc_memo') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo;
    END IF;
    IF to_regclass('pg_temp.wc_memo_wages_owed') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_wages_owed;
    END IF;
    IF to_regclass('pg_temp.wc_memo_attendance_months') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_attendance_months;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_drop() IS 'drops the building blocks of a scan (internal)';

-- WP02 (G->K, worker on project, month): wages not fully paid by the pay day.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH k AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP02', 'k_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck._wages_unpaid(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
      JOIN k ON k.division = p.division
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02(timestamptz) IS
    'WP02: a worker''s month of wages on a project not fully paid after the pay day (moved earlier to a working day); K when still owed k_days later';

-- WP03 (K, worker on project): min_months or more consecutive months with wages owed.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               -- months since year 0 minus the row number: constant along a run of consecutive months
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck._wages_unpaid(as_of) o
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    ),
    params AS MATERIALIZED (   -- once per division, not per row
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
COMMENT ON FUNCTION wagecheck.eval_wp03(timestamptz) IS
    'WP03: workers on a project with min_months or more consecutive months owed (the longest run)';

-- DP01 (G->K, project): no wage guarantee deposit or bank letter due_wd working days after
-- the contract (G), escalate_wd working days later (K), unless exempt.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS (
        SELECT p.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(p.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    -- months of the contractor's projects with wages not fully paid by their pay day
    arrears AS (
        SELECT pr.contractor_id, max(o.pay_date) AS last_arrears
          FROM wagecheck._wages_late(as_of, ARRAY(SELECT pc.project_id FROM wagecheck.project pc
                                                   WHERE pc.contractor_id IN (SELECT cand.contractor_id FROM cand))) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         GROUP BY pr.contractor_id
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               -- small contract and no arrears in the past year
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               -- clean_years without arrears, real-name roster and the dedicated account in place
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
COMMENT ON FUNCTION wagecheck.eval_dp01(timestamptz) IS
    'DP01: projects without a wage guarantee deposit or bank letter due_wd working days after the contract (K escalate_wd later); exempt: contract below exempt_below with no arrears in a year, or clean_years without arrears with roster and account in place';

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

-- ==== owed and late wages, DP01 (session 4): DP01's project evaluator and date horizon
-- (written and tested, not registered: a DP01 hit reads the rows of the contractor's other
-- projects); DP01 reads its contractors' arrears from the months settled late through an index
-- (_contractor_arrears); the months late can be asked for some pay dates only
DROP FUNCTION wagecheck._wages_late_summary(timestamptz, bigint[]);
-- per project and month, the months by when they were settled (DP01: those settled after the
-- month's first pay date, read without their rows)
CREATE INDEX wage_month_settled ON wagecheck.wage_month (project_id, period, (coalesce(settled_at, 'infinity'::timestamptz)))
    INCLUDE (worker_id);
-- _wages_late_summary(as_of, projects, pay_dates): the months of the projects in wage_month
-- past their pay day and not fully paid by it (with pay_dates: only those whose pay date is
-- one of them). A month settled (settled_at) before the first pay date any pay terms give its
-- month cannot be late: pay terms and dates only for the others.
CREATE FUNCTION wagecheck._wages_late_summary(as_of timestamptz, projects bigint[],
                                              pay_dates datemultirange DEFAULT NULL)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (        -- per month, the earliest pay date, as the moment it ends
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
           AND (pay_dates IS NULL OR datemultirange(daterange(min(d.pay_date), max(d.pay_date), '[]')) && pay_dates)
    ),
    c AS MATERIALIZED (            -- the projects' months settled after that, or not at all
        SELECT w.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.wage_month w ON w.project_id = q.project_id
          JOIN first f ON f.period = w.period
         WHERE coalesce(w.settled_at, 'infinity') >= f.after
    ),
    terms AS (                     -- the pay terms known then of the projects' workers
        SELECT DISTINCT ON (r.project_id, r.worker_id) r.project_id, r.worker_id, r.pay_day, r.pay_month_offset
          FROM wagecheck.roster r
         WHERE r.project_id = ANY (projects) AND r.created_at <= as_of AND r.start_on <= as_of::date
         ORDER BY r.project_id, r.worker_id, r.start_on DESC
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      LEFT JOIN terms t ON t.project_id = c.project_id AND t.worker_id = c.worker_id
      JOIN dates d ON d.period = c.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
     WHERE d.pay_date < as_of::date
       AND coalesce(c.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz
       AND (pay_dates IS NULL OR d.pay_date <@ pay_dates)
$$;
COMMENT ON FUNCTION wagecheck._wages_late_summary(timestamptz, bigint[], datemultirange) IS
    'the months of the given projects in the summary wage_month past their pay day and not fully paid by it, with pay_dates only those paid on one of them (internal)';

-- _contractor_arrears(as_of, contractors): per contractor, the latest pay date of a month of
-- its projects past its pay day and not fully paid by it (DP01's exemptions). From the
-- summary when it is exact for the moment: only the key, month and settled_at of the months
-- settled after their month's earliest pay date are read, then their workers' pay terms.
CREATE FUNCTION wagecheck._contractor_arrears(as_of timestamptz, contractors bigint[])
    RETURNS TABLE (contractor_id bigint, last_arrears date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    projects bigint[] := ARRAY(SELECT p.project_id FROM wagecheck.project p WHERE p.contractor_id = ANY (contractors));
BEGIN
    IF NOT wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        SELECT pr.contractor_id, max(o.pay_date)
          FROM wagecheck._wages_late(as_of, projects) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         GROUP BY pr.contractor_id;
        RETURN;
    END IF;
    RETURN QUERY
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    c AS (                    -- per project and month, the months settled after its first pay date
        SELECT w.project_id, w.worker_id, w.period, w.settled
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
         CROSS JOIN first f
         CROSS JOIN LATERAL (SELECT w.project_id, w.worker_id, w.period, coalesce(w.settled_at, 'infinity') AS settled
                               FROM wagecheck.wage_month w
                              WHERE w.project_id = q.project_id AND w.period = f.period
                                AND coalesce(w.settled_at, 'infinity') >= f.after
                             OFFSET 0) w      -- through the index, per project and month
    ),
    terms AS (
        SELECT DISTINCT ON (r.project_id, r.worker_id) r.project_id, r.worker_id, r.pay_day, r.pay_month_offset
          FROM wagecheck.roster r
         WHERE r.project_id = ANY (projects) AND r.created_at <= as_of AND r.start_on <= as_of::date
         ORDER BY r.project_id, r.worker_id, r.start_on DESC
    ),
    by_project AS MATERIALIZED (
        SELECT c.project_id, max(d.pay_date) AS last_arrears
          FROM c
          LEFT JOIN terms t ON t.project_id = c.project_id AND t.worker_id = c.worker_id
          JOIN dates d ON d.period = c.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE d.pay_date < as_of::date AND c.settled >= (d.pay_date + 1)::timestamptz
         GROUP BY c.project_id
    )
    SELECT pr.contractor_id, max(b.last_arrears)
      FROM by_project b
      JOIN wagecheck.project pr ON pr.project_id = b.project_id
     GROUP BY pr.contractor_id;
END
$$;
COMMENT ON FUNCTION wagecheck._contractor_arrears(timestamptz, bigint[]) IS
    'per contractor, the latest pay date of a month of its projects paid late or owed (internal)';

-- DP01: the projects without a deposit past its due date. Not registered as DP01's project
-- evaluator and horizon: a project's hit depends on the rows of its contractor's other
-- projects (their months paid late, their start), whose changes name only those projects,
-- so a scan evaluating the projects changed would keep a stale hit; DP01 is evaluated in full.
CREATE FUNCTION wagecheck.eval_dp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
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
CREATE FUNCTION wagecheck.eval_dp01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
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
-- DP01 (G->K, project): no wage guarantee deposit or bank letter due_wd working days after
-- the contract (G), escalate_wd working days later (K), unless exempt.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS (
        SELECT p.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(p.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    -- months of the contractor's projects with wages not fully paid by their pay day
    arrears AS (
        SELECT a.contractor_id, a.last_arrears
          FROM wagecheck._contractor_arrears(as_of, ARRAY(SELECT DISTINCT cand.contractor_id FROM cand)) a
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               -- small contract and no arrears in the past year
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               -- clean_years without arrears, real-name roster and the dedicated account in place
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
COMMENT ON FUNCTION wagecheck.eval_dp01(timestamptz) IS
    'DP01: projects without a wage guarantee deposit or bank letter due_wd working days after the contract (K escalate_wd later); exempt: contract below exempt_below with no arrears in a year, or clean_years without arrears with roster and account in place';

-- ==== RN04 and WP01 by project, and their date horizons (session 4)
-- _pay_dates_passing(from_ts, to_ts): the months and pay terms in use (the default, 15th of the
-- next month, for a worker without terms; those of some roster entry, skipping through the
-- index roster_pay_terms) whose pay date passes between the two moments: an evaluator's test
-- pay_date < as_of::date is false as of from_ts and true as of to_ts, i.e. from_ts::date <=
-- pay_date < to_ts::date. For given terms the pay date grows with the month (the nominal day
-- does, and moving it earlier to a working day keeps the order), so each terms' months are
-- walked from the first whose nominal pay day can be on or after from_ts::date until the pay
-- date reaches to_ts::date, however long a run of holidays moves a pay day.
CREATE FUNCTION wagecheck._pay_dates_passing(from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (period date, pay_day smallint, pay_month_offset smallint, pay_date date)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE used AS (     -- the roster's distinct terms: one index probe each
        (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
          ORDER BY r.pay_day, r.pay_month_offset LIMIT 1)
        UNION ALL
        SELECT n.pay_day, n.pay_month_offset
          FROM used u
         CROSS JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (r.pay_day, r.pay_month_offset) > (u.pay_day, u.pay_month_offset)
                              ORDER BY r.pay_day, r.pay_month_offset LIMIT 1) n
    ),
    t AS (
        SELECT k.pay_day, k.pay_month_offset,
               (date_trunc('month', from_ts::date) - make_interval(months => k.pay_month_offset))::date AS first_month
          FROM (SELECT used.pay_day, used.pay_month_offset FROM used
                UNION SELECT 15::smallint, 1::smallint) k
         WHERE from_ts::date < to_ts::date
    ),
    m (period, pay_day, pay_month_offset, pay_date) AS (
        SELECT t.first_month, t.pay_day, t.pay_month_offset,
               wagecheck.wage_pay_date(t.first_month, t.pay_day, t.pay_month_offset)
          FROM t
        UNION ALL
        SELECT (m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset,
               wagecheck.wage_pay_date((m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset)
          FROM m
         WHERE m.pay_date < to_ts::date
    )
    SELECT m.period, m.pay_day, m.pay_month_offset, m.pay_date
      FROM m
     WHERE m.pay_date >= from_ts::date AND m.pay_date < to_ts::date
$$;
COMMENT ON FUNCTION wagecheck._pay_dates_passing(timestamptz, timestamptz) IS
    'the (month, pay day, month offset) of the pay terms in use whose pay date passes between two moments: from_ts::date <= pay date < to_ts::date, where the evaluators'' test pay_date < as_of::date turns true (internal)';

-- Finds the pay terms in use (_pay_dates_passing) and the projects using them without reading
-- the roster.
CREATE INDEX roster_pay_terms ON wagecheck.roster (pay_day, pay_month_offset, project_id);

-- _attendance_pay_passing(from_ts, to_ts): the rows of the summary attendance_month (every
-- attendance, whenever known) of the project-months whose pay date may pass between the two
-- moments: a month of _pay_dates_passing, for any project when its terms are the default (a
-- worker without pay terms), else for the projects with a roster entry of those terms. Most
-- days no terms in use pass and nothing is read; a month passing for the default terms is
-- read through the index on last_day, for other terms through the projects' keys.
CREATE FUNCTION wagecheck._attendance_pay_passing(from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH c AS MATERIALIZED (     -- months passing for terms in use
        SELECT c.period, c.pay_day, c.pay_month_offset,
               c.pay_day = 15 AND c.pay_month_offset = 1 AS default_terms
          FROM wagecheck._pay_dates_passing(from_ts, to_ts) c
    ),
    anyp AS (                    -- months passing for every project
        SELECT DISTINCT c.period FROM c WHERE c.default_terms
    )
    SELECT a.project_id, a.worker_id, a.period
      FROM anyp m
     CROSS JOIN LATERAL (SELECT a.project_id, a.worker_id, a.period
                           FROM wagecheck.attendance_month a
                          WHERE a.last_day >= m.period AND a.last_day < (m.period + interval '1 month')::date
                         OFFSET 0) a
    UNION ALL
    SELECT a.project_id, a.worker_id, a.period
      FROM (SELECT DISTINCT r.project_id, c.period
              FROM c
              JOIN wagecheck.roster r ON r.pay_day = c.pay_day AND r.pay_month_offset = c.pay_month_offset
             WHERE NOT c.default_terms AND c.period NOT IN (SELECT anyp.period FROM anyp)) k
      JOIN wagecheck.attendance_month a ON a.project_id = k.project_id AND a.period = k.period
$$;
COMMENT ON FUNCTION wagecheck._attendance_pay_passing(timestamptz, timestamptz) IS
    'the attendance months (project, worker, month) whose pay date may pass between two moments, for the pay terms in use on their project (internal)';

-- _rn04_counts_projects(as_of, projects): _rn04_counts for the given projects only, merged the
-- same way: each side read through its key on project_id = ANY (projects), in key order, so
-- that a few projects cost little and every project (a day's attendance names them all) no
-- more than _rn04_counts.
CREATE FUNCTION wagecheck._rn04_counts_projects(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, period date, pay_day smallint, pay_month_offset smallint,
                   attendees bigint, unpaid bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB'
    SET enable_hashjoin = off SET enable_nestloop = off AS
$$
    SELECT a.project_id, a.period, coalesce(t.pay_day, 15::smallint), coalesce(t.pay_month_offset, 1::smallint),
           count(*), count(*) FILTER (WHERE w.worker_id IS NULL)
      FROM wagecheck.attendance_month a
      LEFT JOIN (SELECT * FROM wagecheck._pay_terms(as_of) t WHERE t.project_id = ANY (projects)) t
             ON t.project_id = a.project_id AND t.worker_id = a.worker_id
      LEFT JOIN (SELECT * FROM wagecheck.wage_month w WHERE w.project_id = ANY (projects)) w
             ON w.project_id = a.project_id AND w.worker_id = a.worker_id AND w.period = a.period
     WHERE a.project_id = ANY (projects)
     GROUP BY 1, 2, 3, 4
$$;
COMMENT ON FUNCTION wagecheck._rn04_counts_projects(timestamptz, bigint[]) IS
    'RN04''s counts per project, month and pay terms of the given projects from the summaries attendance_month and wage_month (internal)';

-- RN04 for the given projects only (project evaluator): eval_rn04 reading the projects' rows
-- only - their attendance months merged with their wage months and pay terms through the keys
-- starting with project_id (_rn04_counts_projects), or their attendance rows and the lines of
-- their sheets when a summary is not exact.
CREATE FUNCTION wagecheck.eval_rn04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (             -- the lines known then of the projects' sheets (summaries not exact)
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_sheet s
          JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
         WHERE NOT (SELECT ex.exact FROM ex) AND s.project_id = ANY (projects) AND l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT c.project_id, c.period, c.pay_day, c.pay_month_offset, c.attendees, c.unpaid
          FROM wagecheck._rn04_counts_projects(as_of, projects) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT m.project_id, m.period, coalesce(t.pay_day, 15::smallint), coalesce(t.pay_month_offset, 1::smallint),
               count(*), count(*) FILTER (WHERE lines.worker_id IS NULL)
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.exact FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
          LEFT JOIN (SELECT * FROM wagecheck._pay_terms(as_of) t WHERE t.project_id = ANY (projects)) t
                 ON t.project_id = m.project_id AND t.worker_id = m.worker_id
          LEFT JOIN lines ON lines.project_id = m.project_id AND lines.worker_id = m.worker_id
                         AND lines.period = m.period
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04_projects(timestamptz, bigint[]) IS
    'RN04 for the given projects only (project evaluator of eval_rn04)';

-- RN04's horizon: what time alone changes in eval_rn04 is which (month, pay terms) have their
-- pay date before as_of::date (every other date it reads is a row's own, which the change
-- capture records). A project-month moves when one of its (month, terms) passes and it has an
-- attendee without a payroll line (else it is no hit, before or after). The projects: those
-- with a month passing for terms in use (_attendance_pay_passing) and an attendance month of
-- it without a wage_month row known by to_ts (a line known in between is a change the capture
-- records). A superset: attendance not yet known, another worker's terms, a month whose
-- payment is recorded later count as possibly moving.
CREATE FUNCTION wagecheck.eval_rn04_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT coalesce(array_agg(DISTINCT a.project_id ORDER BY a.project_id), '{}')
      FROM wagecheck._attendance_pay_passing(from_ts, to_ts) a
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE w.project_id = a.project_id AND w.worker_id = a.worker_id
                          AND w.period = a.period AND w.known_to <= to_ts)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04_horizon(timestamptz, timestamptz) IS
    'RN04''s horizon: the projects whose hits may change between two moments by time alone (a month''s pay date passing while a worker attending it has no payroll line)';

-- WP01 for the given projects only (project evaluator): eval_wp01 with the projects as the
-- start of the plan (their attendance months through the summary's primary key, or their
-- attendance rows when it is not exact; their roster and sheets through their project keys).
CREATE FUNCTION wagecheck.eval_wp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    att AS (
        SELECT m.project_id, m.period, count(*) AS workers
          FROM wagecheck.attendance_month m
         WHERE (SELECT ex.att FROM ex) AND m.project_id = ANY (projects)
         GROUP BY 1, 2
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.att FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
         GROUP BY 1, 2
    ),
    terms AS (             -- the project's earliest pay terms
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         WHERE t.project_id = ANY (projects)
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT att.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    ),
    due AS (
        SELECT keyed.project_id, keyed.period, keyed.workers, dates.pay_date
          FROM keyed JOIN dates USING (period, pay_day, pay_month_offset)
    )
    SELECT 'project', due.project_id::text, to_char(due.period, 'YYYY-MM'), due.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', due.workers, 'pay_date', due.pay_date)
      FROM due
      JOIN wagecheck.project p ON p.project_id = due.project_id
     WHERE due.pay_date < as_of::date
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = due.project_id AND s.period = due.period
                          AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01_projects(timestamptz, bigint[]) IS
    'WP01 for the given projects only (project evaluator of eval_wp01)';

-- WP01's horizon: time alone changes which months have their pay date before as_of::date (the
-- sheets' prepared_on and the roster's dates are rows' own dates, recorded by the change
-- capture). The projects with a month attended whose pay date passes for terms in use
-- (_attendance_pay_passing) and no pay sheet for it prepared and known by to_ts (one that
-- turns known or prepared in between is a change the capture records).
CREATE FUNCTION wagecheck.eval_wp01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT coalesce(array_agg(DISTINCT pm.project_id ORDER BY pm.project_id), '{}')
      FROM (SELECT DISTINCT a.project_id, a.period
              FROM wagecheck._attendance_pay_passing(from_ts, to_ts) a) pm
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = pm.project_id AND s.period = pm.period
                          AND s.prepared_on <= to_ts::date AND s.created_at <= to_ts)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01_horizon(timestamptz, timestamptz) IS
    'WP01''s horizon: the projects whose hits may change between two moments by time alone (the pay date of a month with attendance and no pay sheet passing)';

UPDATE wagecheck.rule SET project_evaluator = 'wagecheck.eval_rn04_projects(timestamptz, bigint[])',
                          horizon = 'wagecheck.eval_rn04_horizon(timestamptz, timestamptz)'
 WHERE code = 'RN04';
UPDATE wagecheck.rule SET project_evaluator = 'wagecheck.eval_wp01_projects(timestamptz, bigint[])',
                          horizon = 'wagecheck.eval_wp01_horizon(timestamptz, timestamptz)'
 WHERE code = 'WP01';

-- ==== owed and late wages, index (session 4): wage_month_settled holds settled_at too, so
-- that DP01's arrears are read by an index-only scan
DROP INDEX wagecheck.wage_month_settled;
CREATE INDEX wage_month_settled ON wagecheck.wage_month (project_id, period, (coalesce(settled_at, 'infinity'::timestamptz)))
    INCLUDE (worker_id, settled_at);
-- ==== the scan's own overhead (session 4): a rule carried over, or evaluated for some
-- projects, plans only the alerts on which something may change (_plan_alerts, from the
-- indexes alert_k_open and alert_rule_unquiet), counts the others' hits from the indexes
-- (_quiet_hits), and is not planned at all when nothing can change
-- What a scan carrying a rule's hits over must plan (_plan_alerts): its K alerts open, by
-- deadline (the deadline passes), and its alerts a step may move whatever the hits (rectified,
-- O) or raised by violations. Each holds only the alerts a quiet day may change.
CREATE INDEX alert_k_open ON wagecheck.alert (rule_code, deadline_on) WHERE tier = 'K' AND state = 'open';
CREATE INDEX alert_rule_unquiet ON wagecheck.alert (rule_code)
    WHERE evidence <> 'rule'
          OR NOT (state IN ('cleared', 'closed', 'reported') OR (tier = 'G' AND state = 'open')
                  OR (tier = 'K' AND state IN ('open', 'overdue')));

DROP FUNCTION wagecheck._quiet_elsewhere(text, timestamptz, bigint[]);
-- _plan_alerts(code, as_of, projects): the alerts of a rule that a forward scan carrying
-- its hits over (projects '{}') or evaluating it for the projects only must plan; the others
-- are quiet: raised by the rule alone (no violation of the rule names their subject), on
-- another project (with projects given; any, or none, when all hits are carried), and
-- carrying the hit over changes nothing on them (a G alert open, a K alert overdue, a K alert
-- open up to its deadline, or, for a once rule, an alert no longer live). Found from the
-- indexes, so that a rule costs what can change and not what it has: K alerts open past
-- their deadline (alert_k_open), alerts in other states or raised by violations
-- (alert_rule_unquiet), those of the subjects its violations name (alert_rule_subject);
-- only the projects evaluated read the rule's live alerts. live and kept: the alert is live,
-- or a once rule's kept hit (what _quiet_hits subtracts).
CREATE FUNCTION wagecheck._plan_alerts(p_code text, p_as_of timestamptz, p_projects bigint[])
    RETURNS TABLE (alert_id bigint, live boolean, kept boolean)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 100 SET search_path = pg_catalog, wagecheck AS
$$
    WITH ru AS (SELECT r.once OR r.tier = 'O' AS all_states FROM wagecheck.rule r WHERE r.code = p_code),
    ids AS (
        SELECT a.alert_id, a.state FROM wagecheck.alert a
         WHERE a.rule_code = p_code AND a.tier = 'K' AND a.state = 'open' AND a.deadline_on < p_as_of::date
        UNION
        SELECT a.alert_id, a.state FROM wagecheck.alert a
         WHERE a.rule_code = p_code
           AND (a.evidence <> 'rule'
                OR NOT (a.state IN ('cleared', 'closed', 'reported') OR (a.tier = 'G' AND a.state = 'open')
                        OR (a.tier = 'K' AND a.state IN ('open', 'overdue'))))
           AND (a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR (SELECT ru.all_states FROM ru))
        UNION
        SELECT a.alert_id, a.state FROM wagecheck.alert a
         WHERE cardinality(p_projects) > 0 AND a.rule_code = p_code
           AND (a.project_id IS NULL OR a.project_id = ANY (p_projects))
           AND (a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR (SELECT ru.all_states FROM ru))
        UNION
        SELECT a.alert_id, a.state
          FROM (SELECT DISTINCT v.subject_kind, v.subject_id FROM wagecheck.violation v
                 WHERE v.rule_code = p_code) v
          JOIN wagecheck.alert a ON a.rule_code = p_code AND a.subject_kind = v.subject_kind
                                AND a.subject_id = v.subject_id
         WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               OR (SELECT ru.all_states FROM ru)
    )
    SELECT ids.alert_id,
           ids.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue'),
           EXISTS (SELECT 1 FROM wagecheck.rule_kept_hit k WHERE k.code = p_code AND k.alert_id = ids.alert_id)
      FROM ids
$$;
COMMENT ON FUNCTION wagecheck._plan_alerts(text, timestamptz, bigint[]) IS
    'the alerts of a rule a scan carrying its hits over (projects ''{}'') or evaluating it for the projects only must plan, and whether each is live or a kept hit; the others are quiet: carrying their hits over changes nothing (internal)';

-- _quiet_hits(code, planned): the hits of the alerts of a rule left out of a scan's plan
-- (_plan_alerts): its live alerts and kept hits, less the planned number of them (live or
-- kept). Counted from the indexes (alert_one_live, rule_kept_hit's key).
CREATE FUNCTION wagecheck._quiet_hits(p_code text, p_planned bigint)
    RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT (SELECT count(*) FROM wagecheck.alert a
             WHERE a.rule_code = p_code
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue'))
           + (SELECT count(*) FROM wagecheck.rule_kept_hit k WHERE k.code = p_code)
           - p_planned
$$;
COMMENT ON FUNCTION wagecheck._quiet_hits(text, bigint) IS
    'the hits of a rule''s alerts left out of a scan''s plan: its live alerts and kept hits but for the planned number of them (internal)';

DROP FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[]);
-- _scan_plan(code, as_of, replay, carry, projects, alerts): what a scan of one rule does,
-- one row per (alert, step), numbered (in no order: scan() orders what it writes), plus no-op
-- rows for hits that change nothing. With carry, the hits are those the rule's live alerts
-- hold; with projects too ('{}': none), the rule's project evaluator gives the hits of those
-- projects and the alerts those of the others, and only the alerts given (_plan_alerts: those
-- on which something may change) are planned: the others are quiet (_quiet_hits counts them).
CREATE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
                                     p_carry boolean DEFAULT false, p_projects bigint[] DEFAULT NULL,
                                     p_alerts bigint[] DEFAULT NULL)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    IF p_carry AND cardinality(p_projects) > 0 AND r.project_evaluator IS NULL THEN
        RAISE EXCEPTION 'rule % has no project evaluator to evaluate projects %', p_code, p_projects
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at
          FROM %s
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
        UNION ALL
        SELECT s.* FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        -- ordered as DISTINCT ON wants it, over the whole subject: one sort serves both
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period
                     ORDER BY raw.by_rule DESC, (raw.level = 'K') DESC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    j AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, $1::date AS today
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    -- the engine's parameters, once per division, read only where a row below uses them
    prm AS MATERIALIZED (
        SELECT d.div,
               CASE WHEN d.deadline THEN (wagecheck.rule_param($2, 'deadline_wd', d.division))::int END AS deadline_wd,
               CASE WHEN d.verify THEN (wagecheck.rule_param($2, 'verify_hours', d.division))::int END AS verify_hours,
               CASE WHEN d.report THEN (wagecheck.rule_param($2, 'report_hours', d.division))::int END AS report_hours
          FROM (SELECT coalesce(j.division::text, '') AS div,
                       nullif(coalesce(j.division::text, ''), '')::wagecheck.division_code AS division,
                       bool_or(j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                               AND j.hit_due IS NULL) AS deadline,
                       bool_or(j.hit AND j.lvl = 'O' AND j.alert_id IS NULL AND j.hit_due IS NULL) AS verify,
                       bool_or(coalesce(j.c_tier, j.lvl) = 'O' AND j.details ->> 'report_due' IS NULL) AS report
                  FROM j
                 GROUP BY 1) d
    ),
    f0 AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date, wagecheck.add_working_days(j.today, prm.deadline_wd))
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due, $1 + make_interval(hours => prm.verify_hours))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1) + make_interval(hours => prm.report_hours))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
          JOIN prm ON prm.div = coalesce(j.division::text, '')
    ),
    -- a hit without an alert: the steps are a lone opening unless a deadline or a
    -- verification moves the new alert on at once (_engine_opens_only, same arguments)
    f AS (
        SELECT f0.*,
               f0.alert_id IS NULL AND f0.hit
               AND wagecheck._engine_opens_only(
                       f0.c_tier, f0.c_state, f0.hit, f0.lvl,
                       f0.today > f0.c_deadline, f0.today > f0.new_deadline,
                       $1 > f0.c_due, $1 > f0.new_due,
                       coalesce((f0.details ->> 'verified')::boolean, false) AND f0.hit,
                       $1 > f0.report_due) AS opens
          FROM f0
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END
      FROM f
      -- a lone opening (most rows of a full scan) is a constant row; other steps come from
      -- the state machine, called only where something can change
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false) AND NOT coalesce(f.opens, false)
            UNION ALL
            SELECT 1, 'open', NULL, 'open', NULL, f.lvl, true, 1
             WHERE f.opens) st ON true
     WHERE st.action IS NOT NULL OR f.hit
    $q$, CASE WHEN p_carry AND p_projects IS NOT NULL
              -- the alerts on which something may change, by their primary key
              THEN 'unnest($8::bigint[]) pa(id) JOIN wagecheck.alert c ON c.alert_id = pa.id'
              ELSE 'wagecheck.alert c' END,
         CASE WHEN p_carry AND p_projects IS NOT NULL
              -- the carried hits (as _carried_hits gives them) of the alerts left in cur
              THEN format('(%s SELECT a.subject_kind, a.subject_id, a.period, '
                          'coalesce(k.project_id, a.project_id) AS project_id, a.enterprise_id, a.division, '
                          'a.tier AS level, NULL::timestamptz AS due_at, a.details '
                          'FROM cur JOIN wagecheck.alert a ON a.alert_id = cur.alert_id '
                          'LEFT JOIN wagecheck.rule_kept_hit k ON k.code = $2 AND k.alert_id = a.alert_id '
                          'WHERE CASE WHEN k.alert_id IS NOT NULL THEN k.project_id IS NULL OR k.project_id <> ALL ($7) '
                          'ELSE a.evidence IN (''rule'', ''both'') '
                          'AND ((a.tier = ''G'' AND a.state = ''open'') OR (a.tier = ''K'' AND a.state IN (''open'', ''overdue''))) '
                          'AND (a.project_id IS NULL OR a.project_id <> ALL ($7)) END)',
                          CASE WHEN cardinality(p_projects) > 0
                               THEN format('SELECT * FROM %s($1, $7) UNION ALL', r.project_evaluator::regproc)
                               ELSE '' END)
              WHEN p_carry THEN 'wagecheck._carried_hits($2)'
              ELSE r.evaluator::regproc::text || '($1)' END)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O', p_projects,
          coalesce(p_alerts, '{}');
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[], bigint[]) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes, from the rule''s hits or (carry) those its live alerts hold, or (carry with projects, ''{}'' for none) the project evaluator''s hits of those projects and the carried ones of the others, planning only the alerts given (internal to scan)';

CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
    planned bigint[];
    n_planned bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- building blocks only for the rules evaluated in full: those carried over read none, those
    -- evaluated for some projects read them through their project filter (a rule whose
    -- horizon turns out to name every project is evaluated in full without them)
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to
           AND wagecheck._changed_projects(ru.code, as_of, false) IS NOT NULL;
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- the rule's row, held until commit as a foreign key on alert.rule_code would hold it:
        -- the rule is neither deleted nor renamed while its alerts are written (rule_alerts)
        PERFORM FROM wagecheck.rule ru WHERE ru.code = r.code FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'rule % was deleted during the scan', r.code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        -- carried over, or evaluated for some projects: only the alerts on which something may
        -- change are planned (a deadline passing, a violation, a project evaluated)
        planned := NULL;
        n_planned := 0;
        IF changed IS NOT NULL THEN
            SELECT coalesce(array_agg(u.alert_id), '{}'),
                   count(*) FILTER (WHERE u.live) + count(*) FILTER (WHERE u.kept)
              INTO planned, n_planned
              FROM wagecheck._plan_alerts(r.code, as_of, changed) u;
        END IF;
        IF carry AND cardinality(planned) = 0
           AND NOT EXISTS (SELECT 1 FROM wagecheck.violation v
                            WHERE v.rule_code = r.code AND v.occurred_at <= as_of
                              AND NOT EXISTS (SELECT 1 FROM wagecheck.alert_violation av
                                               WHERE av.violation_id = v.violation_id
                                                 AND av.consumed_at <= as_of)) THEN
            -- nothing can change: the hits are its live alerts and kept hits, nothing is written
            hits := wagecheck._quiet_hits(r.code, 0);
            opened := 0;
            escalated := 0;
            cleared := 0;
            rectified := 0;
        ELSE
            WITH p AS MATERIALIZED (
                SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, changed, planned)
            ),
            fin AS MATERIALIZED (
                SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
                  FROM p
                 ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
            ),
            ins AS (
                INSERT INTO wagecheck.alert AS a
                       (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                        division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
                SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                       f.enterprise_id, f.division, f.details, f.evidence, as_of,
                       CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                       CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                       CASE WHEN f.step > 1 THEN as_of END, as_of
                  FROM fin f
                 WHERE f.alert_id IS NULL AND f.action IS NOT NULL
                ON CONFLICT (rule_code, subject_kind, subject_id, period)
                   WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   DO NOTHING
                RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
            ),
            upd AS (
                UPDATE wagecheck.alert a
                   SET tier = coalesce(f.to_tier, a.tier),
                       state = coalesce(f.to_state, a.state),
                       details = f.details,
                       evidence = f.evidence,
                       project_id = coalesce(f.project_id, a.project_id),
                       enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                       division = coalesce(f.division, a.division),
                       deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                       due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                       escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                           THEN as_of ELSE a.escalated_at END,
                       closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                       updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
                  FROM fin f
                 WHERE a.alert_id = f.alert_id
                   -- this rule's live alerts only (alert_one_live), not a hash of every live alert
                   AND a.rule_code = r.code AND f.alert_id IS NOT NULL
                   AND a.state = f.cur_state
                   AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                        OR a.evidence IS DISTINCT FROM f.evidence)
                RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
            ),
            ev AS (
                INSERT INTO wagecheck.alert_event AS e
                       (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
                SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                       p.from_tier, p.to_tier,
                       CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                       CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                       CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
                  FROM p
                  LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                                 AND i.subject_id = p.subject_id AND i.period = p.period
                  LEFT JOIN upd u ON u.alert_id = p.alert_id
                 WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
                 ORDER BY p.subject_kind, p.subject_id, p.period, p.step
                RETURNING e.alert_id, e.action, e.to_state, e.to_tier
            ),
            lnk AS (
                INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
                SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
                  FROM fin f
                  LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                                 AND i.subject_id = f.subject_id AND i.period = f.period
                 CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
                 WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
                ON CONFLICT (violation_id) DO NOTHING
            ),
            kept AS (
                INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
                SELECT r.code, f.alert_id, f.project_id
                  FROM fin f
                 WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
                   AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (changed IS NULL OR f.project_id = ANY (changed))
                ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
            )
            -- distinct subjects hit: a hashed DISTINCT of the columns (a sort comparing row values
            -- took 0.2 s for WP04's 46,000 hits on the full city)
            SELECT (SELECT count(*) FROM (SELECT DISTINCT p.subject_kind, p.subject_id, p.period
                                            FROM p WHERE p.hit) d)
                   + CASE WHEN changed IS NOT NULL    -- the hits left out of the plan
                          THEN wagecheck._quiet_hits(r.code, n_planned) ELSE 0 END,
                   count(*) FILTER (WHERE ev.action = 'open'),
                   count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE ev.action = 'rectify'),
                   array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                      ev.to_tier, ev.to_state,
                                                      coalesce(i.subject_kind, u.subject_kind),
                                                      coalesce(i.subject_id, u.subject_id),
                                                      coalesce(i.period, u.period),
                                                      coalesce(i.division, u.division)::text, as_of)
                             ORDER BY ev.alert_id, ev.action)
                       FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
              INTO hits, opened, escalated, cleared, rectified, payloads
              FROM ev
              LEFT JOIN ins i ON i.alert_id = ev.alert_id
              LEFT JOIN upd u ON u.alert_id = ev.alert_id;
            PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        END IF;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed (a time-driven one with a horizon, on a later day, also for those its horizon names); incremental => false evaluates every rule';

-- ==== DP01 by project, with peers (session 4): rule.peers widens the projects whose rows
-- changed to those whose hits read them; DP01 registered with its project evaluator, horizon and peers

ALTER TABLE wagecheck.rule ADD COLUMN peers regprocedure;

COMMENT ON COLUMN wagecheck.rule.peers IS
    'optional function (projects bigint[]) RETURNS bigint[] of a rule with a project evaluator whose hits of a project read rows of other projects too: the projects whose hits may depend on rows of the given projects (NULL: all); a forward scan evaluates those too for the projects whose rows changed (its horizon must name every project whose hits time alone moves, peers included)';

CREATE OR REPLACE FUNCTION wagecheck._rule_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    p pg_catalog.pg_proc;
    bad text;
BEGIN
    IF TG_TABLE_NAME = 'rule' THEN
        SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.evaluator;
        IF p.pronargs <> 1 OR p.proargtypes[0] <> 'timestamptz'::regtype
           OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
            RAISE EXCEPTION 'evaluator % of rule % has the wrong signature', NEW.evaluator, NEW.code
                USING ERRCODE = 'check_violation',
                      HINT = 'An evaluator is a function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit.';
        END IF;
        IF NEW.project_evaluator IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.project_evaluator;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'bigint[]'::regtype
               OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
                RAISE EXCEPTION 'project evaluator % of rule % has the wrong signature', NEW.project_evaluator, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A project evaluator is a function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit.';
            END IF;
        END IF;
        IF NEW.horizon IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.horizon;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'timestamptz'::regtype
               OR p.prorettype <> 'bigint[]'::regtype OR p.proretset THEN
                RAISE EXCEPTION 'horizon % of rule % has the wrong signature', NEW.horizon, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A horizon is a function (from_ts timestamptz, to_ts timestamptz) RETURNS bigint[].';
            END IF;
        END IF;
        IF NEW.peers IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.peers;
            IF p.pronargs <> 1 OR p.proargtypes[0] <> 'bigint[]'::regtype
               OR p.prorettype <> 'bigint[]'::regtype OR p.proretset THEN
                RAISE EXCEPTION 'peers function % of rule % has the wrong signature', NEW.peers, NEW.code
                    USING ERRCODE = 'check_violation',
                          HINT = 'A peers function is a function (projects bigint[]) RETURNS bigint[].';
            END IF;
        END IF;
        -- the engine's own parameters, with the catalogue's defaults where the rule gives none
        IF NEW.tier = 'K' OR NEW.escalates THEN
            NEW.params := jsonb_build_object('deadline_wd', 5) || NEW.params;
        ELSIF NEW.tier = 'O' THEN
            NEW.params := jsonb_build_object('verify_hours', 2, 'report_hours', 24) || NEW.params;
        END IF;
    ELSE
        SELECT string_agg(k, ', ') INTO bad
          FROM jsonb_object_keys(NEW.params) k
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule r WHERE r.code = NEW.code AND r.params ? k);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'rule % has no parameter %', NEW.code, bad
                USING ERRCODE = 'check_violation',
                      HINT = 'An override sets parameters the rule defines in wagecheck.rule.params.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION wagecheck._rule_check() IS 'trigger: checks the signatures of rule evaluators, project evaluators, horizons and peers functions, and parameter overrides; adds the engine''s default parameters (deadline_wd 5; verify_hours 2, report_hours 24)';

DROP TRIGGER rule_check ON wagecheck.rule;

CREATE TRIGGER rule_check BEFORE INSERT OR UPDATE OF evaluator, tier, escalates, params, project_evaluator, horizon, peers ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();

CREATE OR REPLACE FUNCTION wagecheck._changed_projects(p_code text, p_as_of timestamptz, p_horizon boolean DEFAULT true)
    RETURNS bigint[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    s record;
    by_time boolean;
    any_change boolean;
    unnamed boolean;
    changed bigint[];
    h bigint[];
    w bigint[];
    from_ts timestamptz;
    to_ts timestamptz;
    old_day date;
BEGIN
    SELECT r.inputs || ARRAY['rule', 'rule_param_override', 'holiday']
           || CASE WHEN r.once THEN ARRAY['alert'] ELSE '{}' END AS tables,
           r.project_evaluator IS NOT NULL AS by_project, r.time_driven, r.horizon, r.peers,
           e.snapshot, e.scan_xid, e.seen_seq, e.evaluated_to, e.time_zone
      INTO s
      FROM wagecheck.rule r
      JOIN wagecheck.rule_eval_state e ON e.code = r.code
     WHERE r.code = p_code AND r.inputs IS NOT NULL AND r.tier <> 'O'
       AND p_as_of >= e.evaluated_to;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- time alone may have changed the hits: another day, or the same moment in another zone
    by_time := s.time_driven AND NOT (s.time_zone = pg_catalog.current_setting('TimeZone')
                                      AND p_as_of::date = s.evaluated_to::date);
    IF by_time AND (s.horizon IS NULL OR NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    WITH c AS MATERIALIZED (
        SELECT c.projects
          FROM wagecheck.input_change c
         WHERE c.table_name = ANY (s.tables)
           AND (CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                     ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
                OR c.moments && tstzmultirange(tstzrange(s.evaluated_to, p_as_of, '(]')))
    )
    SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM c WHERE c.projects IS NULL),
           ARRAY(SELECT DISTINCT u FROM c CROSS JOIN LATERAL unnest(c.projects) u)
      INTO any_change, unnamed, changed;
    IF unnamed OR (any_change AND NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    -- the projects whose hits read rows of those changed (rule.peers; NULL: all)
    IF s.peers IS NOT NULL AND cardinality(changed) > 0 THEN
        EXECUTE format('SELECT %s($1)', s.peers::regproc) INTO w USING changed;
        RAISE DEBUG 'wagecheck: peers of % for %: %', p_code, changed, coalesce(w::text, 'all projects');
        IF w IS NULL THEN
            RETURN NULL;
        END IF;
        changed := changed || w;
    END IF;
    IF by_time AND p_horizon THEN
        -- the window from the day of the last evaluation (in its time zone) to as_of's, both
        -- days seen in this session's time zone
        from_ts := s.evaluated_to;
        to_ts := p_as_of;
        IF s.time_zone <> pg_catalog.current_setting('TimeZone') THEN
            old_day := (s.evaluated_to AT TIME ZONE s.time_zone)::date;
            from_ts := least(from_ts, old_day::timestamptz);
            to_ts := greatest(to_ts, (old_day + 1)::timestamptz - interval '1 microsecond');
        END IF;
        EXECUTE format('SELECT %s($1, $2)', s.horizon::regproc) INTO h USING from_ts, to_ts;
        RAISE DEBUG 'wagecheck: horizon of % from % to %: %', p_code, from_ts, to_ts, coalesce(h::text, 'all projects');
        IF h IS NULL THEN
            RETURN NULL;
        END IF;
        changed := changed || h;
    END IF;
    changed := ARRAY(SELECT DISTINCT u FROM unnest(changed) u WHERE u IS NOT NULL ORDER BY u);
    -- most of many projects: one evaluation of the whole rule costs less than per project
    IF cardinality(changed) > 100
       AND cardinality(changed) * 2 > (SELECT count(*) FROM wagecheck.project) THEN
        RETURN NULL;
    END IF;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION wagecheck._changed_projects(text, timestamptz, boolean) IS
    'what a forward scan as of the moment must evaluate of the rule: ''{}'' nothing (its hits carried over), the projects whose rows changed (and their peers, rule.peers) and, for a time-driven rule with a horizon on another day, those its horizon names (rules with a project evaluator; horizon false leaves those out), NULL all (internal)';

CREATE FUNCTION wagecheck.eval_dp01_peers(projects bigint[]) RETURNS bigint[]
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
CREATE FUNCTION wagecheck._dp01_project_moved() RETURNS trigger
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
CREATE TRIGGER dp01_project_moved_upd AFTER UPDATE ON wagecheck.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();
CREATE TRIGGER dp01_project_moved_del AFTER DELETE ON wagecheck.project REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();
ALTER TABLE wagecheck.project ENABLE ALWAYS TRIGGER dp01_project_moved_upd, ENABLE ALWAYS TRIGGER dp01_project_moved_del;

UPDATE wagecheck.rule
   SET project_evaluator = 'wagecheck.eval_dp01_projects(timestamptz, bigint[])',
       horizon = 'wagecheck.eval_dp01_horizon(timestamptz, timestamptz)',
       peers = 'wagecheck.eval_dp01_peers(bigint[])'
 WHERE code = 'DP01';

-- ==== scan writes (session 5): scan() draws a new alert's id before writing it and joins its events
-- by the subject's number from _scan_plan (sid), not by the subject's text; a live alert left
-- out of the plan is found by an anti-join instead of ON CONFLICT; the announcements are built
-- from the events written, with the division from the plan (cur_division).
DROP FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[], bigint[]);
CREATE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
                                     p_carry boolean DEFAULT false, p_projects bigint[] DEFAULT NULL,
                                     p_alerts bigint[] DEFAULT NULL)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz, sid bigint,
                   cur_division wagecheck.division_code)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
    fresh boolean;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    IF p_carry AND cardinality(p_projects) > 0 AND r.project_evaluator IS NULL THEN
        RAISE EXCEPTION 'rule % has no project evaluator to evaluate projects %', p_code, p_projects
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a rule evaluated with no alert to plan and no violation recorded (its first scan): each
    -- subject is its hits alone, found without joining alerts or aggregating violations. The
    -- scan holds the rule's rule_scan row: no other transaction writes the rule's alerts.
    fresh := NOT p_replay AND NOT p_carry
             AND NOT EXISTS (SELECT 1 FROM wagecheck.violation v
                              WHERE v.rule_code = p_code AND v.occurred_at <= p_as_of);
    IF fresh AND (r.once OR r.tier = 'O') THEN
        fresh := NOT EXISTS (SELECT 1 FROM wagecheck.alert a WHERE a.rule_code = p_code);
    ELSIF fresh THEN
        fresh := NOT EXISTS (SELECT 1 FROM wagecheck.alert a
                              WHERE a.rule_code = p_code
                                AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                'verified', 'report_overdue'));
    END IF;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at, c.division
          FROM %s
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
        UNION ALL
        SELECT s.*, NULL FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        -- ordered as DISTINCT ON wants it, over the whole subject: one sort serves both
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period
                     ORDER BY raw.by_rule DESC, (raw.level = 'K') DESC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    jall AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, c.division AS c_division, $1::date AS today,
               -- the subjects in order: the merge join's output is (a sort finds it sorted)
               row_number() OVER (ORDER BY coalesce(h.subject_kind, c.subject_kind),
                                           coalesce(h.subject_id, c.subject_id),
                                           coalesce(h.period, c.period)) AS sid
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    j AS (%s),
    -- the engine's parameters, once per division, read only where a row below uses them; a
    -- new deadline counted once per division
    prm AS MATERIALIZED (
        SELECT d.div,
               CASE WHEN d.deadline
                    THEN wagecheck.add_working_days($1::date, (wagecheck.rule_param($2, 'deadline_wd', d.division))::int)
               END AS deadline_to,
               CASE WHEN d.verify THEN (wagecheck.rule_param($2, 'verify_hours', d.division))::int END AS verify_hours,
               CASE WHEN d.report THEN (wagecheck.rule_param($2, 'report_hours', d.division))::int END AS report_hours
          FROM (SELECT coalesce(j.division::text, '') AS div,
                       nullif(coalesce(j.division::text, ''), '')::wagecheck.division_code AS division,
                       bool_or(j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                               AND j.hit_due IS NULL) AS deadline,
                       bool_or(j.hit AND j.lvl = 'O' AND j.alert_id IS NULL AND j.hit_due IS NULL) AS verify,
                       bool_or(coalesce(j.c_tier, j.lvl) = 'O' AND j.details ->> 'report_due' IS NULL) AS report
                  FROM j
                 GROUP BY 1) d
    ),
    f0 AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date, prm.deadline_to)
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due, $1 + make_interval(hours => prm.verify_hours))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1) + make_interval(hours => prm.report_hours))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
          JOIN prm ON prm.div = coalesce(j.division::text, '')
    ),
    -- a hit without an alert: the steps are a lone opening unless a deadline or a
    -- verification moves the new alert on at once (_engine_opens_only, same arguments)
    f AS (
        SELECT f0.*,
               f0.alert_id IS NULL AND f0.hit
               AND wagecheck._engine_opens_only(
                       f0.c_tier, f0.c_state, f0.hit, f0.lvl,
                       f0.today > f0.c_deadline, f0.today > f0.new_deadline,
                       $1 > f0.c_due, $1 > f0.new_due,
                       coalesce((f0.details ->> 'verified')::boolean, false) AND f0.hit,
                       $1 > f0.report_due) AS opens
          FROM f0
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END, f.sid, f.c_division
      FROM f
      -- a lone opening (most rows of a full scan) is a constant row; other steps come from
      -- the state machine, called only where something can change
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false) AND NOT coalesce(f.opens, false)
            UNION ALL
            SELECT 1, 'open', NULL, 'open', NULL, f.lvl, true, 1
             WHERE f.opens) st ON true
     WHERE st.action IS NOT NULL OR f.hit
    $q$, CASE WHEN p_carry AND p_projects IS NOT NULL
              -- the alerts on which something may change, by their primary key
              THEN 'unnest($8::bigint[]) pa(id) JOIN wagecheck.alert c ON c.alert_id = pa.id'
              ELSE 'wagecheck.alert c' END,
         CASE WHEN p_carry AND p_projects IS NOT NULL
              -- the carried hits (as _carried_hits gives them) of the alerts left in cur
              THEN format('(%s SELECT a.subject_kind, a.subject_id, a.period, '
                          'coalesce(k.project_id, a.project_id) AS project_id, a.enterprise_id, a.division, '
                          'a.tier AS level, NULL::timestamptz AS due_at, a.details '
                          'FROM cur JOIN wagecheck.alert a ON a.alert_id = cur.alert_id '
                          'LEFT JOIN wagecheck.rule_kept_hit k ON k.code = $2 AND k.alert_id = a.alert_id '
                          'WHERE CASE WHEN k.alert_id IS NOT NULL THEN k.project_id IS NULL OR k.project_id <> ALL ($7) '
                          'ELSE a.evidence IN (''rule'', ''both'') '
                          'AND ((a.tier = ''G'' AND a.state = ''open'') OR (a.tier = ''K'' AND a.state IN (''open'', ''overdue''))) '
                          'AND (a.project_id IS NULL OR a.project_id <> ALL ($7)) END)',
                          CASE WHEN cardinality(p_projects) > 0
                               THEN format('SELECT * FROM %s($1, $7) UNION ALL', r.project_evaluator::regproc)
                               ELSE '' END)
              WHEN p_carry THEN 'wagecheck._carried_hits($2)'
              ELSE r.evaluator::regproc::text || '($1)' END,
         CASE WHEN fresh
              -- the hits of each subject as hits above finds them without violations, in
              -- the same order: the lone evaluator's rows (a G->K rule's level K if any is)
              THEN format($j$
        SELECT NULL::bigint AS alert_id, h.subject_kind, h.subject_id, h.period, h.project_id,
               h.enterprise_id, h.division, h.details, 'rule'::text AS evidence,
               NULL::bigint[] AS violation_ids, h.subject_id IS NOT NULL AS hit, h.lvl,
               h.due_at AS hit_due, NULL::text AS c_tier, NULL::text AS c_state,
               NULL::date AS c_deadline, NULL::timestamptz AS c_due, NULL::timestamptz AS c_opened,
               NULL::wagecheck.division_code AS c_division, $1::date AS today,
               row_number() OVER (ORDER BY h.subject_kind, h.subject_id, h.period) AS sid
          FROM (SELECT DISTINCT ON (e.subject_kind, e.subject_id, coalesce(e.period, ''))
                       e.subject_kind, e.subject_id, coalesce(e.period, '') AS period, e.project_id,
                       e.enterprise_id, e.division, e.due_at, coalesce(e.details, '{}') AS details,
                       %s AS lvl
                  FROM %s($1) e
                 %s
                 ORDER BY e.subject_kind, e.subject_id, coalesce(e.period, ''), (e.level = 'K') DESC) h
    $j$, CASE WHEN r.tier <> 'G' THEN quote_literal(r.tier)
              WHEN r.escalates THEN 'CASE WHEN bool_or(e.level = ''K'') OVER w THEN ''K'' ELSE ''G'' END'
              ELSE '''G''' END,
         r.evaluator::regproc,
         CASE WHEN r.tier = 'G' AND r.escalates
              THEN 'WINDOW w AS (PARTITION BY e.subject_kind, e.subject_id, coalesce(e.period, '''') '
                   'ORDER BY (e.level = ''K'') DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'
              ELSE '' END)
              ELSE 'SELECT * FROM jall' END)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O', p_projects,
          coalesce(p_alerts, '{}');
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean, boolean, bigint[], bigint[]) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes, from the rule''s hits or (carry) those its live alerts hold, or (carry with projects, ''{}'' for none) the project evaluator''s hits of those projects and the carried ones of the others, planning only the alerts given (internal to scan)';
CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
    planned bigint[];
    n_planned bigint;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- building blocks only for the rules evaluated in full: those carried over read none, those
    -- evaluated for some projects read them through their project filter (a rule whose
    -- horizon turns out to name every project is evaluated in full without them)
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to
           AND wagecheck._changed_projects(ru.code, as_of, false) IS NOT NULL;
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT p.sid) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- the rule's row, held until commit as a foreign key on alert.rule_code would hold it:
        -- the rule is neither deleted nor renamed while its alerts are written (rule_alerts)
        PERFORM FROM wagecheck.rule ru WHERE ru.code = r.code FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'rule % was deleted during the scan', r.code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        -- carried over, or evaluated for some projects: only the alerts on which something may
        -- change are planned (a deadline passing, a violation, a project evaluated)
        planned := NULL;
        n_planned := 0;
        IF changed IS NOT NULL THEN
            SELECT coalesce(array_agg(u.alert_id), '{}'),
                   count(*) FILTER (WHERE u.live) + count(*) FILTER (WHERE u.kept)
              INTO planned, n_planned
              FROM wagecheck._plan_alerts(r.code, as_of, changed) u;
        END IF;
        IF carry AND cardinality(planned) = 0
           AND NOT EXISTS (SELECT 1 FROM wagecheck.violation v
                            WHERE v.rule_code = r.code AND v.occurred_at <= as_of
                              AND NOT EXISTS (SELECT 1 FROM wagecheck.alert_violation av
                                               WHERE av.violation_id = v.violation_id
                                                 AND av.consumed_at <= as_of)) THEN
            -- nothing can change: the hits are its live alerts and kept hits, nothing is written
            hits := wagecheck._quiet_hits(r.code, 0);
            opened := 0;
            escalated := 0;
            cleared := 0;
            rectified := 0;
        ELSE
            WITH p AS MATERIALIZED (
                SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, changed, planned)
            ),
            -- each subject's last step; a new alert's id drawn here, in the subjects' order
            -- (as the identity gave them), so that its events need no join on the subject's text
            fin AS MATERIALIZED (
                SELECT l.*,
                       CASE WHEN l.alert_id IS NULL AND l.action IS NOT NULL
                            THEN pg_catalog.nextval('wagecheck.alert_alert_id_seq'::pg_catalog.regclass) END AS new_id
                  FROM (SELECT DISTINCT ON (p.sid) p.* FROM p ORDER BY p.sid, p.step DESC) l
                 ORDER BY l.sid
            ),
            ins AS (
                INSERT INTO wagecheck.alert AS a
                       (alert_id, rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                        division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
                OVERRIDING SYSTEM VALUE
                SELECT f.new_id, r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                       f.enterprise_id, f.division, f.details, f.evidence, as_of,
                       CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                       CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                       CASE WHEN f.step > 1 THEN as_of END, as_of
                  FROM fin f
                 WHERE f.new_id IS NOT NULL
                   -- a live alert of the subject that the plan left out (a scan by project plans
                   -- only some) stays as it is. Only a scan of the rule, which holds the rule's
                   -- rule_scan row, writes its alerts, and no step makes an alert live again: no
                   -- other transaction can add one (alert_one_live) before this one ends.
                   AND NOT EXISTS (SELECT 1 FROM wagecheck.alert o
                                    WHERE o.rule_code = r.code AND o.subject_kind = f.subject_kind
                                      AND o.subject_id = f.subject_id AND o.period = f.period
                                      AND o.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                      'verified', 'report_overdue'))
                RETURNING a.alert_id
            ),
            upd AS (
                UPDATE wagecheck.alert a
                   SET tier = coalesce(f.to_tier, a.tier),
                       state = coalesce(f.to_state, a.state),
                       details = f.details,
                       evidence = f.evidence,
                       project_id = coalesce(f.project_id, a.project_id),
                       enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                       division = coalesce(f.division, a.division),
                       deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                       due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                       escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                           THEN as_of ELSE a.escalated_at END,
                       closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                       updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
                  FROM fin f
                 WHERE a.alert_id = f.alert_id
                   -- this rule's live alerts only (alert_one_live), not a hash of every live alert
                   AND a.rule_code = r.code AND f.alert_id IS NOT NULL
                   AND a.state = f.cur_state
                   AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                        OR a.evidence IS DISTINCT FROM f.evidence)
                RETURNING a.alert_id
            ),
            -- the events of the alerts inserted or updated, with what their announcements say
            -- (an updated alert keeps its division where the hit has none, as upd does)
            evs AS MATERIALIZED (
                SELECT coalesce(f.new_id, p.alert_id) AS alert_id, p.sid, p.step, p.action,
                       p.from_state, p.to_state, p.from_tier, p.to_tier,
                       CASE WHEN p.to_tier = 'K' THEN p.deadline_on END AS deadline_on,
                       CASE WHEN p.to_tier = 'O' THEN p.due_at END AS due_at,
                       CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END AS note,
                       p.subject_kind, p.subject_id, p.period, coalesce(f.division, f.cur_division) AS division
                  FROM p
                  JOIN fin f ON f.sid = p.sid
                 WHERE p.action IS NOT NULL
                   AND CASE WHEN f.new_id IS NOT NULL THEN f.new_id IN (SELECT i.alert_id FROM ins i)
                            ELSE p.alert_id IN (SELECT u.alert_id FROM upd u) END
            ),
            ev AS (
                INSERT INTO wagecheck.alert_event AS e
                       (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
                SELECT evs.alert_id, as_of, evs.action, evs.from_state, evs.to_state, evs.from_tier, evs.to_tier,
                       evs.deadline_on, evs.due_at, evs.note
                  FROM evs
                 ORDER BY evs.sid, evs.step
            ),
            lnk AS (
                INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
                SELECT v.id, coalesce(f.new_id, f.alert_id), as_of
                  FROM fin f
                 CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
                 WHERE f.violation_ids IS NOT NULL
                   AND CASE WHEN f.new_id IS NOT NULL THEN f.new_id IN (SELECT i.alert_id FROM ins i)
                            ELSE f.alert_id IS NOT NULL END
                ON CONFLICT (violation_id) DO NOTHING
            ),
            kept AS (
                INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
                SELECT r.code, f.alert_id, f.project_id
                  FROM fin f
                 WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
                   AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (changed IS NULL OR f.project_id = ANY (changed))
                ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
            )
            -- distinct subjects hit: fin has a row per subject
            SELECT (SELECT count(*) FROM fin WHERE fin.hit)
                   + CASE WHEN changed IS NOT NULL    -- the hits left out of the plan
                          THEN wagecheck._quiet_hits(r.code, n_planned) ELSE 0 END,
                   count(*) FILTER (WHERE evs.action = 'open'),
                   count(*) FILTER (WHERE evs.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE evs.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE evs.action = 'rectify'),
                   array_agg(wagecheck._alert_payload(wagecheck._notify_kind(evs.action), evs.alert_id, r.code,
                                                      evs.to_tier, evs.to_state, evs.subject_kind, evs.subject_id,
                                                      evs.period, evs.division::text, as_of)
                             ORDER BY evs.alert_id, evs.action)
                       FILTER (WHERE wagecheck._notify_kind(evs.action) IS NOT NULL)
              INTO hits, opened, escalated, cleared, rectified, payloads
              FROM evs;
            PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        END IF;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed (a time-driven one with a horizon, on a later day, also for those its horizon names); incremental => false evaluates every rule';
-- ==== change capture by attendance months (session 5): RN04 and WP01 read of attendance
-- only which workers attended which months - the summary attendance_month records the
-- projects whose months may exist at other moments (table attendance_month in input_change);
-- input_change.op (added above, after input_change.projects) and rule.clears_on: new
-- attendance only evaluates RN03 where it has a live alert
ALTER TABLE wagecheck.attendance_month ADD COLUMN first_day date, ADD COLUMN first_known timestamptz,
    ADD COLUMN extended boolean NOT NULL DEFAULT true;
UPDATE wagecheck.attendance_month a
   SET first_day = x.first_day, first_known = x.first_known
  FROM (SELECT r.project_id, r.worker_id, date_trunc('month', r.day)::date AS period,
               min(r.day) AS first_day, min(r.created_at) AS first_known
          FROM wagecheck.attendance r
         GROUP BY 1, 2, 3) x
 WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period);
ALTER TABLE wagecheck.attendance_month ALTER COLUMN first_day SET NOT NULL, ALTER COLUMN first_known SET NOT NULL;
COMMENT ON COLUMN wagecheck.attendance_month.first_day IS
    'earliest day counted';
COMMENT ON COLUMN wagecheck.attendance_month.first_known IS
    'earliest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_month.extended IS
    'the last statement adding rows to the month may have moved the moments from which it exists: it added the month, or rows known before its latest known_to or dated before its first_day (the row of first_day, known by known_to, otherwise counts first; see _attendance_month_sync)';
COMMENT ON COLUMN wagecheck.input_change.op IS
    'what the statement did: i insert, u update, d delete, t truncate (a rule that new rows of a table can only clear, rule.clears_on, evaluates for an insert only the projects of its live alerts)';
ALTER TABLE wagecheck.rule ADD COLUMN clears_on text[],
    ADD CONSTRAINT rule_clears_on_inputs CHECK (clears_on <@ inputs);
COMMENT ON COLUMN wagecheck.rule.clears_on IS
    'inputs whose new rows can only clear a hit of the rule or change its details, never raise one (a rule with a project evaluator and no peers function): a forward scan evaluates for the rows inserted into them only the projects of the rule''s live alerts';

CREATE OR REPLACE FUNCTION wagecheck._attendance_month_moments(first_known timestamptz, known_to timestamptz,
                                                    first_day date, last_day date)
    RETURNS tstzrange
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.tstzrange(
        LEAST(first_known, (first_day::timestamp AT TIME ZONE 'UTC') - interval '14 hours'),
        GREATEST(known_to, ((last_day + 1)::timestamp AT TIME ZONE 'UTC') + interval '12 hours'), '[]');
COMMENT ON FUNCTION wagecheck._attendance_month_moments(timestamptz, timestamptz, date, date) IS
    'the moments from which attendance rows known and dated within the bounds count for a scan (internal)';

CREATE OR REPLACE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE wagecheck.attendance_month;
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        VALUES ('attendance_month', NULL, NULL, 't');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;    -- no row written: nothing changed
        END IF;
        -- lock the months in key order, then take the old rows' days away
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.worker_id, a.period) IN
                (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date FROM old_rows o)
          ORDER BY a.project_id, a.worker_id, a.period
            FOR UPDATE OF a;
        UPDATE wagecheck.attendance_month a
           SET days = a.days - d.n
          FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period, count(*) AS n
                  FROM old_rows o
                 GROUP BY 1, 2, 3) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period);
    END IF;
    IF TG_OP = 'INSERT' THEN
        WITH up AS (
            INSERT INTO wagecheck.attendance_month AS a
                   (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
            SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at),
                   max(n.day), min(n.day), min(n.created_at), true
              FROM new_rows n
             GROUP BY 1, 2, 3
             ORDER BY 1, 2, 3
            ON CONFLICT (project_id, worker_id, period) DO UPDATE
               SET days = a.days + excluded.days,
                   known_to = greatest(a.known_to, excluded.known_to),
                   last_day = greatest(a.last_day, excluded.last_day),
                   first_day = least(a.first_day, excluded.first_day),
                   first_known = least(a.first_known, excluded.first_known),
                   extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day
            RETURNING a.project_id, a.extended, a.first_known, a.known_to, a.first_day, a.last_day
        )
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        SELECT 'attendance_month',
               range_agg(wagecheck._attendance_month_moments(up.first_known, up.known_to, up.first_day, up.last_day)),
               array_agg(DISTINCT up.project_id ORDER BY up.project_id), 'i'
          FROM up
         WHERE up.extended
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO wagecheck.attendance_month AS a
               (project_id, worker_id, period, days, known_to, last_day, first_day, first_known)
        SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at),
               max(n.day), min(n.day), min(n.created_at)
          FROM new_rows n
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (project_id, worker_id, period) DO UPDATE
           SET days = a.days + excluded.days,
               known_to = greatest(a.known_to, excluded.known_to),
               last_day = greatest(a.last_day, excluded.last_day),
               first_day = least(a.first_day, excluded.first_day),
               first_known = least(a.first_known, excluded.first_known),
               extended = true;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- months left empty go; the others' bounds come from the rows left
        DELETE FROM wagecheck.attendance_month a
         USING (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                  FROM old_rows o) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period)
           AND a.days <= 0;
        UPDATE wagecheck.attendance_month a
           SET known_to = x.known_to, last_day = x.last_day, first_day = x.first_day, first_known = x.first_known
          FROM (SELECT d.project_id, d.worker_id, d.period, max(r.created_at) AS known_to, max(r.day) AS last_day,
                       min(r.day) AS first_day, min(r.created_at) AS first_known
                  FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                          FROM old_rows o) d
                  JOIN wagecheck.attendance r
                    ON r.project_id = d.project_id AND r.worker_id = d.worker_id
                   AND r.day >= d.period AND r.day < (d.period + interval '1 month')::date
                 GROUP BY 1, 2, 3) x
         WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period)
           AND (a.known_to, a.last_day, a.first_day, a.first_known)
               IS DISTINCT FROM (x.known_to, x.last_day, x.first_day, x.first_known);
        -- every project of the old and new rows; the moments of the new rows
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   (SELECT range_agg(wagecheck._attendance_month_moments(n.created_at, n.created_at, n.day, n.day))
                      FROM new_rows n),
                   ARRAY(SELECT o.project_id FROM old_rows o UNION SELECT n.project_id FROM new_rows n ORDER BY 1),
                   'u';
        ELSE
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month', NULL, ARRAY(SELECT DISTINCT o.project_id FROM old_rows o ORDER BY 1), 'd';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_month_sync() IS
    'trigger: keeps wagecheck.attendance_month right after a statement on attendance (internal)';

CREATE OR REPLACE FUNCTION wagecheck.rebuild_summaries() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    LOCK TABLE wagecheck.attendance, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment
        IN SHARE MODE;
    TRUNCATE wagecheck.attendance_month, wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card,
             wagecheck.sheet_worker;
    INSERT INTO wagecheck.attendance_month
           (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*), max(a.created_at), max(a.day),
           min(a.day), min(a.created_at), true
      FROM wagecheck.attendance a
     GROUP BY 1, 2, 3;
    -- what the rules read of them may differ from what they read before: every rule evaluates
    INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
    VALUES ('attendance_month', NULL, NULL, 't');
    INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
    INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
    INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
    ANALYZE wagecheck.attendance_month;
    ANALYZE wagecheck.wage_month;
    ANALYZE wagecheck.worker_pay;
    ANALYZE wagecheck.payment_off_card;
    ANALYZE wagecheck.sheet_worker;
END
$$;
COMMENT ON FUNCTION wagecheck.rebuild_summaries() IS
    'recomputes the derived summaries (attendance_month, wage_month, worker_pay, payment_off_card, sheet_worker) from the raw rows: needed only after their triggers were disabled; locks the input tables against writes while it runs';

CREATE OR REPLACE FUNCTION wagecheck._changed_projects(p_code text, p_as_of timestamptz, p_horizon boolean DEFAULT true)
    RETURNS bigint[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    s record;
    by_time boolean;
    any_change boolean;
    unnamed boolean;
    changed bigint[];
    cleared bigint[];
    h bigint[];
    w bigint[];
    from_ts timestamptz;
    to_ts timestamptz;
    old_day date;
BEGIN
    SELECT r.inputs || ARRAY['rule', 'rule_param_override', 'holiday']
           || CASE WHEN r.once THEN ARRAY['alert'] ELSE '{}' END AS tables,
           r.project_evaluator IS NOT NULL AS by_project, r.time_driven, r.horizon, r.peers,
           CASE WHEN r.peers IS NULL THEN r.clears_on END AS clears_on,
           e.snapshot, e.scan_xid, e.seen_seq, e.evaluated_to, e.time_zone
      INTO s
      FROM wagecheck.rule r
      JOIN wagecheck.rule_eval_state e ON e.code = r.code
     WHERE r.code = p_code AND r.inputs IS NOT NULL AND r.tier <> 'O'
       AND p_as_of >= e.evaluated_to;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- time alone may have changed the hits: another day, or the same moment in another zone
    by_time := s.time_driven AND NOT (s.time_zone = pg_catalog.current_setting('TimeZone')
                                      AND p_as_of::date = s.evaluated_to::date);
    IF by_time AND (s.horizon IS NULL OR NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    WITH c AS MATERIALIZED (
        SELECT c.projects, coalesce(c.op = 'i' AND c.table_name = ANY (s.clears_on), false) AS clears
          FROM wagecheck.input_change c
         WHERE c.table_name = ANY (s.tables)
           AND (CASE WHEN c.xid = s.scan_xid THEN c.seq > s.seen_seq
                     ELSE NOT pg_catalog.pg_visible_in_snapshot(c.xid, s.snapshot) END
                OR c.moments && tstzmultirange(tstzrange(s.evaluated_to, p_as_of, '(]')))
    )
    SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM c WHERE c.projects IS NULL),
           ARRAY(SELECT DISTINCT u FROM c CROSS JOIN LATERAL unnest(c.projects) u WHERE NOT c.clears),
           ARRAY(SELECT DISTINCT u FROM c CROSS JOIN LATERAL unnest(c.projects) u WHERE c.clears)
      INTO any_change, unnamed, changed, cleared;
    IF unnamed OR (any_change AND NOT s.by_project) THEN
        RETURN NULL;
    END IF;
    -- rows inserted into a table that can only clear the rule's hits (rule.clears_on): only
    -- the projects of its live alerts (and a once rule's kept hits) may change
    IF cardinality(cleared) > 0 THEN
        changed := changed || ARRAY(
            SELECT a.project_id FROM wagecheck.alert a
             WHERE a.rule_code = p_code AND a.project_id = ANY (cleared)
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
            UNION
            SELECT k.project_id FROM wagecheck.rule_kept_hit k
             WHERE k.code = p_code AND k.project_id = ANY (cleared));
    END IF;
    -- the projects whose hits read rows of those changed (rule.peers; NULL: all)
    IF s.peers IS NOT NULL AND cardinality(changed) > 0 THEN
        EXECUTE format('SELECT %s($1)', s.peers::regproc) INTO w USING changed;
        RAISE DEBUG 'wagecheck: peers of % for %: %', p_code, changed, coalesce(w::text, 'all projects');
        IF w IS NULL THEN
            RETURN NULL;
        END IF;
        changed := changed || w;
    END IF;
    IF by_time AND p_horizon THEN
        -- the window from the day of the last evaluation (in its time zone) to as_of's, both
        -- days seen in this session's time zone
        from_ts := s.evaluated_to;
        to_ts := p_as_of;
        IF s.time_zone <> pg_catalog.current_setting('TimeZone') THEN
            old_day := (s.evaluated_to AT TIME ZONE s.time_zone)::date;
            from_ts := least(from_ts, old_day::timestamptz);
            to_ts := greatest(to_ts, (old_day + 1)::timestamptz - interval '1 microsecond');
        END IF;
        EXECUTE format('SELECT %s($1, $2)', s.horizon::regproc) INTO h USING from_ts, to_ts;
        RAISE DEBUG 'wagecheck: horizon of % from % to %: %', p_code, from_ts, to_ts, coalesce(h::text, 'all projects');
        IF h IS NULL THEN
            RETURN NULL;
        END IF;
        changed := changed || h;
    END IF;
    changed := ARRAY(SELECT DISTINCT u FROM unnest(changed) u WHERE u IS NOT NULL ORDER BY u);
    -- most of many projects: one evaluation of the whole rule costs less than per project
    IF cardinality(changed) > 100
       AND cardinality(changed) * 2 > (SELECT count(*) FROM wagecheck.project) THEN
        RETURN NULL;
    END IF;
    RETURN changed;
END
$$;
COMMENT ON FUNCTION wagecheck._changed_projects(text, timestamptz, boolean) IS
    'what a forward scan as of the moment must evaluate of the rule: ''{}'' nothing (its hits carried over), the projects whose rows changed (and their peers, rule.peers) and, for a time-driven rule with a horizon on another day, those its horizon names (rules with a project evaluator; horizon false leaves those out), NULL all (internal)';

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

CREATE TYPE wagecheck.pay_term_month AS (period date, pay_day smallint, pay_month_offset smallint);
COMMENT ON TYPE wagecheck.pay_term_month IS 'a month and pay terms (pay day, month offset) (internal)';
COMMENT ON TYPE wagecheck.pay_term_month IS 'a month and pay terms (pay day, month offset) (internal)';
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

CREATE OR REPLACE FUNCTION wagecheck.eval_wp03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts)
                THEN wagecheck._owed_months_passing(ARRAY(SELECT ROW(d.period, d.pay_day, d.pay_month_offset)::wagecheck.pay_term_month
                                                            FROM wagecheck._pay_dates_passing(from_ts, to_ts) d), to_ts) END
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03_horizon(timestamptz, timestamptz) IS
    'WP03''s date horizon: the projects with a month owed whose pay date falls between the two moments (NULL: cannot tell, the summary is not exact)';

UPDATE wagecheck.rule r SET inputs = d.inputs
  FROM (VALUES ('RN03', '{project,attendance,attendance_month}'::text[]),
               ('RN04', '{attendance_month,pay_sheet,pay_line,roster,project}'),
               ('WP01', '{attendance_month,pay_sheet,roster,project}')) d(code, inputs)
 WHERE r.code = d.code;
UPDATE wagecheck.rule SET clears_on = '{attendance,attendance_month}' WHERE code = 'RN03';

-- ==== attendance_project_month (session 5): per project and month, the workers who attended
-- and the latest day counted, kept with attendance_month: WP01 and RN03 read it instead of
-- grouping every worker's month
CREATE TABLE wagecheck.attendance_project_month (
    project_id bigint NOT NULL,
    period     date NOT NULL,
    workers    bigint NOT NULL,
    known_to   timestamptz NOT NULL,
    last_day   date NOT NULL,
    PRIMARY KEY (project_id, period)
);
COMMENT ON TABLE wagecheck.attendance_project_month IS
    'derived (kept with wagecheck.attendance_month, not dumped): per project and month, the workers who attended and the latest day and moment counted (WP01, RN03); exact when attendance_month is';
COMMENT ON COLUMN wagecheck.attendance_project_month.workers IS 'workers with attendance in the month (rows of attendance_month)';
COMMENT ON COLUMN wagecheck.attendance_project_month.known_to IS 'latest created_at of the attendance rows counted';
COMMENT ON COLUMN wagecheck.attendance_project_month.last_day IS 'latest day counted';

INSERT INTO wagecheck.attendance_project_month (project_id, period, workers, known_to, last_day)
SELECT a.project_id, a.period, count(*), max(a.known_to), max(a.last_day)
  FROM wagecheck.attendance_month a
 GROUP BY 1, 2;
CREATE OR REPLACE FUNCTION wagecheck._attendance_project_month_refresh(p_projects bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
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

CREATE OR REPLACE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month;
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        VALUES ('attendance_month', NULL, NULL, 't');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;    -- no row written: nothing changed
        END IF;
        -- lock the months in key order, then take the old rows' days away
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.worker_id, a.period) IN
                (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date FROM old_rows o)
          ORDER BY a.project_id, a.worker_id, a.period
            FOR UPDATE OF a;
        UPDATE wagecheck.attendance_month a
           SET days = a.days - d.n
          FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period, count(*) AS n
                  FROM old_rows o
                 GROUP BY 1, 2, 3) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period);
    END IF;
    IF TG_OP = 'INSERT' THEN
        WITH g AS MATERIALIZED (
            SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date AS period, count(*) AS days,
                   max(n.created_at) AS known_to, max(n.day) AS last_day, min(n.day) AS first_day,
                   min(n.created_at) AS first_known
              FROM new_rows n
             GROUP BY 1, 2, 3
        ),
        up AS (
            INSERT INTO wagecheck.attendance_month AS a
                   (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
            SELECT g.project_id, g.worker_id, g.period, g.days, g.known_to, g.last_day, g.first_day, g.first_known, true
              FROM g
             ORDER BY 1, 2, 3
            ON CONFLICT (project_id, worker_id, period) DO UPDATE
               SET days = a.days + excluded.days,
                   known_to = greatest(a.known_to, excluded.known_to),
                   last_day = greatest(a.last_day, excluded.last_day),
                   first_day = least(a.first_day, excluded.first_day),
                   first_known = least(a.first_known, excluded.first_known),
                   extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day
            RETURNING a.project_id, a.worker_id, a.period, a.days, a.extended, a.first_known, a.known_to,
                      a.first_day, a.last_day
        ),
        -- the project's months: a month of a worker is new when it holds only the new rows' days
        pm AS (
            INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)
            SELECT up.project_id, up.period, count(*) FILTER (WHERE up.days = g.days), max(g.known_to),
                   max(g.last_day)
              FROM up
              JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)
             GROUP BY 1, 2
             ORDER BY 1, 2
            ON CONFLICT (project_id, period) DO UPDATE
               SET workers = m.workers + excluded.workers,
                   known_to = greatest(m.known_to, excluded.known_to),
                   last_day = greatest(m.last_day, excluded.last_day)
        )
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        SELECT 'attendance_month',
               range_agg(wagecheck._attendance_month_moments(up.first_known, up.known_to, up.first_day, up.last_day)),
               array_agg(DISTINCT up.project_id ORDER BY up.project_id), 'i'
          FROM up
         WHERE up.extended
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO wagecheck.attendance_month AS a
               (project_id, worker_id, period, days, known_to, last_day, first_day, first_known)
        SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at),
               max(n.day), min(n.day), min(n.created_at)
          FROM new_rows n
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (project_id, worker_id, period) DO UPDATE
           SET days = a.days + excluded.days,
               known_to = greatest(a.known_to, excluded.known_to),
               last_day = greatest(a.last_day, excluded.last_day),
               first_day = least(a.first_day, excluded.first_day),
               first_known = least(a.first_known, excluded.first_known),
               extended = true;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- months left empty go; the others' bounds come from the rows left
        DELETE FROM wagecheck.attendance_month a
         USING (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                  FROM old_rows o) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period)
           AND a.days <= 0;
        UPDATE wagecheck.attendance_month a
           SET known_to = x.known_to, last_day = x.last_day, first_day = x.first_day, first_known = x.first_known
          FROM (SELECT d.project_id, d.worker_id, d.period, max(r.created_at) AS known_to, max(r.day) AS last_day,
                       min(r.day) AS first_day, min(r.created_at) AS first_known
                  FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                          FROM old_rows o) d
                  JOIN wagecheck.attendance r
                    ON r.project_id = d.project_id AND r.worker_id = d.worker_id
                   AND r.day >= d.period AND r.day < (d.period + interval '1 month')::date
                 GROUP BY 1, 2, 3) x
         WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period)
           AND (a.known_to, a.last_day, a.first_day, a.first_known)
               IS DISTINCT FROM (x.known_to, x.last_day, x.first_day, x.first_known);
        -- the project months written, recomputed from their workers' months
        IF TG_OP = 'UPDATE' THEN
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o
                     UNION SELECT n.project_id, date_trunc('month', n.day)::date FROM new_rows n) t;
        ELSE
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT DISTINCT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o) t;
        END IF;
        -- every project of the old and new rows; the moments of the new rows
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   (SELECT range_agg(wagecheck._attendance_month_moments(n.created_at, n.created_at, n.day, n.day))
                      FROM new_rows n),
                   ARRAY(SELECT o.project_id FROM old_rows o UNION SELECT n.project_id FROM new_rows n ORDER BY 1),
                   'u';
        ELSE
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month', NULL, ARRAY(SELECT DISTINCT o.project_id FROM old_rows o ORDER BY 1), 'd';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_month_sync() IS
    'trigger: keeps wagecheck.attendance_month right after a statement on attendance (internal)';

CREATE OR REPLACE FUNCTION wagecheck.rebuild_summaries() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    LOCK TABLE wagecheck.attendance, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment
        IN SHARE MODE;
    TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month, wagecheck.wage_month,
             wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker;
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
    ANALYZE wagecheck.attendance_month;
    ANALYZE wagecheck.attendance_project_month;
    ANALYZE wagecheck.wage_month;
    ANALYZE wagecheck.worker_pay;
    ANALYZE wagecheck.payment_off_card;
    ANALYZE wagecheck.sheet_worker;
END
$$;
COMMENT ON FUNCTION wagecheck.rebuild_summaries() IS
    'recomputes the derived summaries (attendance_month, attendance_project_month, wage_month, worker_pay, payment_off_card, sheet_worker) from the raw rows: needed only after their triggers were disabled; locks the input tables against writes while it runs';

CREATE OR REPLACE FUNCTION wagecheck._pay_terms_in_use()
    RETURNS TABLE (pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE used AS (
        (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
          ORDER BY r.pay_day, r.pay_month_offset LIMIT 1)
        UNION ALL
        SELECT n.pay_day, n.pay_month_offset
          FROM used u
         CROSS JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (r.pay_day, r.pay_month_offset) > (u.pay_day, u.pay_month_offset)
                              ORDER BY r.pay_day, r.pay_month_offset LIMIT 1) n
    )
    SELECT used.pay_day, used.pay_month_offset FROM used
    UNION
    SELECT 15::smallint, 1::smallint
$$;
COMMENT ON FUNCTION wagecheck._pay_terms_in_use() IS
    'the distinct pay terms of the roster and the default ones (15th of the next month) (internal)';

CREATE OR REPLACE FUNCTION wagecheck.eval_wp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    -- from the summary attendance_project_month when attendance_month is exact for as_of,
    -- else attendance_months(as_of)
    att AS (
        SELECT m.project_id, m.period, m.workers
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.att FROM ex)
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM wagecheck.attendance_months(as_of) m
         WHERE NOT (SELECT ex.att FROM ex)
         GROUP BY 1, 2
    ),
    unsheeted AS MATERIALIZED (    -- the months with no pay sheet known
        SELECT att.*
          FROM att
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                            WHERE s.project_id = att.project_id AND s.period = att.period
                              AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
    ),
    earliest AS MATERIALIZED (     -- per month, its earliest pay date for the pay terms in use
        SELECT k.period, min(wagecheck.wage_pay_date(k.period, u.pay_day, u.pay_month_offset)) AS pay_date
          FROM (SELECT DISTINCT unsheeted.period FROM unsheeted) k
         CROSS JOIN wagecheck._pay_terms_in_use() u
         GROUP BY k.period
    ),
    cand AS MATERIALIZED (
        SELECT unsheeted.*
          FROM unsheeted JOIN earliest USING (period)
         WHERE earliest.pay_date < as_of::date
    ),
    -- the project's earliest pay terms: the first pay day of the month's wages
    terms AS (
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         WHERE t.project_id = ANY (ARRAY(SELECT DISTINCT cand.project_id FROM cand))   -- by the roster's key
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT cand.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM cand LEFT JOIN terms ON terms.project_id = cand.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms), not one per project-month
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    )
    SELECT 'project', keyed.project_id::text, to_char(keyed.period, 'YYYY-MM'), keyed.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', keyed.workers, 'pay_date', dates.pay_date)
      FROM keyed
      JOIN dates USING (period, pay_day, pay_month_offset)
      JOIN wagecheck.project p ON p.project_id = keyed.project_id
     WHERE dates.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01(timestamptz) IS
    'WP01: project-months with attendance and no pay sheet after the pay day (the earliest pay terms of the project''s roster)';

CREATE OR REPLACE FUNCTION wagecheck.eval_wp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS att
    ),
    att AS (
        SELECT m.project_id, m.period, m.workers
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.att FROM ex) AND m.project_id = ANY (projects)
        UNION ALL
        SELECT m.project_id, m.period, count(*)
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.att FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
         GROUP BY 1, 2
    ),
    terms AS (             -- the project's earliest pay terms
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         WHERE t.project_id = ANY (projects)
         GROUP BY t.project_id
    ),
    keyed AS (
        SELECT att.*, coalesce(terms.code % 100, 15)::smallint AS pay_day,
               coalesce(terms.code / 100, 1)::smallint AS pay_month_offset
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT keyed.period, keyed.pay_day, keyed.pay_month_offset FROM keyed) k
    ),
    due AS (
        SELECT keyed.project_id, keyed.period, keyed.workers, dates.pay_date
          FROM keyed JOIN dates USING (period, pay_day, pay_month_offset)
    )
    SELECT 'project', due.project_id::text, to_char(due.period, 'YYYY-MM'), due.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', due.workers, 'pay_date', due.pay_date)
      FROM due
      JOIN wagecheck.project p ON p.project_id = due.project_id
     WHERE due.pay_date < as_of::date
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = due.project_id AND s.period = due.period
                          AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01_projects(timestamptz, bigint[]) IS
    'WP01 for the given projects only (project evaluator of eval_wp01)';

CREATE OR REPLACE FUNCTION wagecheck.eval_rn03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    last AS MATERIALIZED (
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.exact FROM ex)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN l.last_day
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
      LEFT JOIN last l ON l.project_id = p.project_id    -- one row per project (hashed)
     WHERE p.status = 'under_construction' AND p.created_at <= as_of
       AND p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN l.last_day IS NULL OR l.last_day <= as_of::date - g.gap
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03(timestamptz) IS
    'RN03: projects under construction with no attendance in the gap_days days up to as_of (data not kept current)';

CREATE OR REPLACE FUNCTION wagecheck.eval_rn03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
         WHERE p.status = 'under_construction' AND p.created_at <= as_of
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT q.division FROM q) d
    ),
    recent AS MATERIALIZED (   -- the projects' last days attended (their months, by key)
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.exact FROM ex) AND m.project_id IN (SELECT q.project_id FROM q)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN (SELECT r.last_day FROM recent r WHERE r.project_id = p.project_id)
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN NOT EXISTS (SELECT 1 FROM recent r
                                  WHERE r.project_id = p.project_id AND r.last_day > as_of::date - g.gap)
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03_projects(timestamptz, bigint[]) IS
    'RN03 for the given projects only (project evaluator of eval_rn03)';


-- ==== evaluators' speed (session 5): DP01's arrears, RN04, AC03 from less

-- _contractor_arrears(as_of, contractors): per contractor, the latest pay date of a month of
-- its projects past its pay day and not fully paid by it (DP01's exemptions). From the
-- summary when it is exact for the moment, without reading every month late: per project,
-- the latest month with a month late (months latest first, through wage_month_settled, the
-- first with one); a month late of an earlier month can only have a later pay date when that
-- month's latest pay date (any terms in use) reaches the latest month's earliest, so only
-- those months are asked, each for its pay dates latest first, the first with a month late
-- of those terms. Pay terms are looked up per month asked, not for every month late.
CREATE OR REPLACE FUNCTION wagecheck._contractor_arrears(as_of timestamptz, contractors bigint[])
    RETURNS TABLE (contractor_id bigint, last_arrears date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    projects bigint[] := ARRAY(SELECT p.project_id FROM wagecheck.project p WHERE p.contractor_id = ANY (contractors));
BEGIN
    IF NOT wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        SELECT pr.contractor_id, max(o.pay_date)
          FROM wagecheck._wages_late(as_of, projects) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         GROUP BY pr.contractor_id;
        RETURN;
    END IF;
    RETURN QUERY
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (        -- per month: its earliest pay date (as the moment it ends) and latest
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after, min(d.pay_date) AS lo,
               max(d.pay_date) AS hi
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    latest AS MATERIALIZED (       -- per project, the latest month with a month late: its earliest pay date
        SELECT q.project_id, l.lo
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
         CROSS JOIN LATERAL (
                SELECT f.lo
                  FROM first f
                 WHERE EXISTS (SELECT 1
                                 FROM wagecheck.wage_month w
                                 LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                                     WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                                                       AND r.created_at <= as_of AND r.start_on <= as_of::date
                                                     ORDER BY r.start_on DESC LIMIT 1) t ON true
                                 JOIN dates d ON d.period = w.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                                             AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
                                WHERE w.project_id = q.project_id AND w.period = f.period
                                  AND coalesce(w.settled_at, 'infinity') >= f.after
                                  AND d.pay_date < as_of::date
                                  AND coalesce(w.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz)
                 ORDER BY f.period DESC
                 LIMIT 1) l
    ),
    by_project AS MATERIALIZED (   -- per project, the latest pay date of a month late
        SELECT lt.project_id, max(x.pay_date) AS last_arrears
          FROM latest lt
          JOIN first f ON f.hi >= lt.lo
         CROSS JOIN LATERAL (
                SELECT d.pay_date
                  FROM dates d
                 WHERE d.period = f.period AND d.pay_date >= lt.lo AND d.pay_date < as_of::date
                   AND EXISTS (SELECT 1
                                 FROM wagecheck.wage_month w
                                 LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                                     WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                                                       AND r.created_at <= as_of AND r.start_on <= as_of::date
                                                     ORDER BY r.start_on DESC LIMIT 1) t ON true
                                WHERE w.project_id = lt.project_id AND w.period = f.period
                                  AND coalesce(w.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz
                                  AND coalesce(t.pay_day, 15::smallint) = d.pay_day
                                  AND coalesce(t.pay_month_offset, 1::smallint) = d.pay_month_offset)
                 ORDER BY d.pay_date DESC
                 LIMIT 1) x
         GROUP BY lt.project_id
    )
    SELECT pr.contractor_id, max(b.last_arrears)
      FROM by_project b
      JOIN wagecheck.project pr ON pr.project_id = b.project_id
     GROUP BY pr.contractor_id;
END
$$;
COMMENT ON FUNCTION wagecheck._contractor_arrears(timestamptz, bigint[]) IS
    'per contractor, the latest pay date of a month of its projects paid late or owed (internal)';


-- RN04 from the attendance months without a wage month (attendance_unpaid), kept by the
-- summaries' triggers, and the projects' workers per month (attendance_project_month)
-- attendance_unpaid: the attendance months (keys of attendance_month) without a wage_month
-- row - a worker who attended a project in a month with no payroll line for it on the
-- project's sheets: RN04's candidates, by month first (RN04 reads the months whose pay
-- date may have passed). Kept by both summaries' triggers (_attendance_unpaid_sync) for
-- the keys whose attendance month or wage month came or went. Exact whenever both are.
CREATE TABLE wagecheck.attendance_unpaid (
    period     date NOT NULL,
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    PRIMARY KEY (period, project_id, worker_id)
);
COMMENT ON TABLE wagecheck.attendance_unpaid IS
    'derived (kept with wagecheck.attendance_month and wagecheck.wage_month, not dumped): the workers who attended a project in a month without a payroll line of that month on the project''s sheets, for RN04';

-- _attendance_unpaid_rows(project_ids, worker_ids, periods): the attendance_unpaid rows of
-- these keys (all of them when the arrays are NULL), from the summaries.
CREATE FUNCTION wagecheck._attendance_unpaid_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.attendance_unpaid
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT a.period, a.project_id, a.worker_id
      FROM wagecheck.attendance_month a
     WHERE (p_projects IS NULL
            OR (a.project_id, a.worker_id, a.period) IN
               (SELECT u.project_id, u.worker_id, u.period
                  FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)))
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE (w.project_id, w.worker_id, w.period) = (a.project_id, a.worker_id, a.period))
$$;
COMMENT ON FUNCTION wagecheck._attendance_unpaid_rows(bigint[], bigint[], date[]) IS
    'attendance_unpaid rows of the given (project, worker, month) keys, or of all when NULL, from attendance_month and wage_month (internal)';

-- _attendance_unpaid_sync(project_ids, worker_ids, periods): the keys' attendance month or
-- wage month came or went. Their attendance_unpaid rows are locked first (a placeholder for
-- a key without one), in key order, then those without an attendance month or with a wage
-- month go, read with a fresh snapshot: a writer changes its summary before it locks here,
-- so of two writers of one key the later one sees the earlier one's month.
CREATE FUNCTION wagecheck._attendance_unpaid_sync(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
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
    DELETE FROM wagecheck.attendance_unpaid t
     USING (SELECT DISTINCT u.project_id, u.worker_id, u.period
              FROM unnest(p_projects, p_workers, p_periods) u(project_id, worker_id, period)) k
     WHERE (t.period, t.project_id, t.worker_id) = (k.period, k.project_id, k.worker_id)
       AND (NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month a
                         WHERE (a.project_id, a.worker_id, a.period) = (k.project_id, k.worker_id, k.period))
            OR EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE (w.project_id, w.worker_id, w.period) = (k.project_id, k.worker_id, k.period)));
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_unpaid_sync(bigint[], bigint[], date[]) IS
    'keeps the attendance_unpaid rows of keys whose attendance month or wage month came or went, locking them first (internal)';

INSERT INTO wagecheck.attendance_unpaid SELECT * FROM wagecheck._attendance_unpaid_rows(NULL, NULL, NULL);

-- outflow_unmatched: AC03's candidates - the outflows of dedicated accounts that are not
-- wages, or wages whose account matched no card of a worker on the project's roster known
-- by the time the outflow was booked and recorded (the worker's card as registered now, as
-- AC03 compares). Every other outflow is no AC03 hit at any moment it is known: the roster
-- entry it matched is known then too. A superset of AC03's hits at every moment (a roster
-- entry or a card recorded after an outflow may match it later: AC03 checks its candidates).
-- Kept by triggers: an outflow written is looked at again, after locking (FOR SHARE) its
-- account and the roster entries and workers it matched, so that a concurrent change of
-- those waits for it and then looks at it again; a roster entry moved or deleted, a card
-- changed, an account moved to another project look at the outflows of their projects again;
-- a roster entry or a worker added (a restore loads workers last), the candidates there.
CREATE TABLE wagecheck.outflow_unmatched (
    txn_id bigint PRIMARY KEY
);
COMMENT ON TABLE wagecheck.outflow_unmatched IS
    'derived (kept by triggers on account_txn, wage_account, roster and worker, not dumped): the outflows of dedicated accounts that are not wages, or wages whose account matched no card of a worker on the project''s roster when they were booked and recorded: AC03''s candidates';

-- finds a card by its text (AC03 compares an account's text with the rostered workers' cards)
CREATE INDEX worker_wage_card_text ON wagecheck.worker ((wage_card::text));

-- _outflow_unmatched_rows(txn_ids): the outflow_unmatched rows of these account movements
-- (all of them when NULL), from the raw rows: the outflows less the wages whose account, as
-- written or its digits, is the card of a worker on the project's roster known by then -
-- joined (hashed for many movements, through the indexes on a card's text and the roster's
-- worker for a few), not looked up per movement.
CREATE FUNCTION wagecheck._outflow_unmatched_rows(p_txns bigint[]) RETURNS SETOF wagecheck.outflow_unmatched
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH t AS MATERIALIZED (
        SELECT t.txn_id, t.purpose, t.counterparty_account, greatest(t.created_at, t.booked_at) AS known,
               w.project_id
          FROM wagecheck.account_txn t
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE t.direction = 'out' AND p_txns IS NULL
        UNION ALL
        SELECT t.txn_id, t.purpose, t.counterparty_account, greatest(t.created_at, t.booked_at), w.project_id
          FROM (SELECT DISTINCT u FROM unnest(p_txns) u) q(txn_id)
          JOIN wagecheck.account_txn t ON t.txn_id = q.txn_id
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE t.direction = 'out'
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
    SELECT t.txn_id FROM t WHERE t.txn_id NOT IN (SELECT matched.txn_id FROM matched)
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_rows(bigint[]) IS
    'outflow_unmatched rows of the given account movements, or of all when NULL, from the raw rows (internal)';

-- _outflow_unmatched_refresh(txn_ids): looks at these account movements again. Their accounts
-- and the roster entries and workers whose cards their accounts name are locked FOR SHARE
-- first (a writer moving or deleting one waits for this transaction, then looks at the
-- movement again; one that did so first is waited for), then they are read with a fresh
-- snapshot.
CREATE FUNCTION wagecheck._outflow_unmatched_refresh(p_txns bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    rosters bigint[];
    workers bigint[];
BEGIN
    IF coalesce(cardinality(p_txns), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1
       FROM wagecheck.wage_account w
      WHERE w.account_id IN (SELECT t.account_id
                               FROM (SELECT DISTINCT u FROM unnest(p_txns) u) q(txn_id)
                               JOIN wagecheck.account_txn t ON t.txn_id = q.txn_id)
      ORDER BY w.account_id
        FOR SHARE OF w;
    SELECT array_agg(DISTINCT r.roster_id), array_agg(DISTINCT k.worker_id)
      INTO rosters, workers
      FROM (SELECT DISTINCT u FROM unnest(p_txns) u) q(txn_id)
      JOIN wagecheck.account_txn t ON t.txn_id = q.txn_id
      JOIN wagecheck.wage_account w ON w.account_id = t.account_id
     CROSS JOIN LATERAL (SELECT t.counterparty_account
                         UNION SELECT regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')) c(card)
      JOIN wagecheck.worker k ON k.wage_card::text = c.card
      JOIN wagecheck.roster r ON r.worker_id = k.worker_id AND r.project_id = w.project_id
     WHERE t.direction = 'out' AND t.purpose = 'wage';
    PERFORM 1 FROM wagecheck.roster r
      WHERE r.roster_id IN (SELECT unnest(rosters))
      ORDER BY r.roster_id
        FOR SHARE OF r;
    PERFORM 1 FROM wagecheck.worker k
      WHERE k.worker_id IN (SELECT unnest(workers))
      ORDER BY k.worker_id
        FOR SHARE OF k;
    -- (a row another writer of the movement left in between is one candidate too many: AC03
    -- checks its candidates)
    DELETE FROM wagecheck.outflow_unmatched u WHERE u.txn_id IN (SELECT unnest(p_txns));
    INSERT INTO wagecheck.outflow_unmatched SELECT * FROM wagecheck._outflow_unmatched_rows(p_txns) ORDER BY 1
        ON CONFLICT (txn_id) DO NOTHING;
END
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_refresh(bigint[]) IS
    'recomputes the outflow_unmatched rows of the given account movements, locking what they matched first (internal)';

-- _outflow_unmatched_redo(projects): looks at every outflow of these projects' accounts
-- again, as _outflow_unmatched_refresh does (a roster entry, card or account they may have
-- matched moved, went or changed); at every outflow, without locks, when NULL (TRUNCATE).
CREATE FUNCTION wagecheck._outflow_unmatched_redo(p_projects bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF p_projects IS NULL THEN
        DELETE FROM wagecheck.outflow_unmatched;
        INSERT INTO wagecheck.outflow_unmatched SELECT * FROM wagecheck._outflow_unmatched_rows(NULL) ORDER BY 1;
        RETURN;
    END IF;
    PERFORM wagecheck._outflow_unmatched_refresh(ARRAY(
        SELECT t.txn_id
          FROM wagecheck.wage_account w
          JOIN wagecheck.account_txn t ON t.account_id = w.account_id
         WHERE w.project_id = ANY (p_projects) AND t.direction = 'out'));
END
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_redo(bigint[]) IS
    'recomputes the outflow_unmatched rows of every outflow of the given projects'' accounts, or of all when NULL (internal)';

-- _outflow_unmatched_recheck(projects): looks at the candidates of these projects' accounts
-- again (a roster entry or a worker's card came that they may match now), as
-- _outflow_unmatched_refresh does; the other outflows cannot become candidates by it.
CREATE FUNCTION wagecheck._outflow_unmatched_recheck(p_projects bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF coalesce(cardinality(p_projects), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM wagecheck._outflow_unmatched_refresh(ARRAY(
        SELECT u.txn_id
          FROM wagecheck.outflow_unmatched u
          JOIN wagecheck.account_txn t ON t.txn_id = u.txn_id
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE w.project_id = ANY (p_projects)));
END
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_recheck(bigint[]) IS
    'recomputes the outflow_unmatched rows of the candidates of the given projects'' accounts (internal)';

-- _outflow_unmatched_sync(): trigger (statement level) on account_txn: the movements written
-- are looked at again (_outflow_unmatched_refresh), those deleted go; on wage_account, roster
-- and worker: the outflows of the projects of an account moved to another project, of a
-- roster entry moved or deleted, of a worker whose card changed are (_outflow_unmatched_redo),
-- and the candidates of the projects of a roster entry or worker added or moved there
-- (_outflow_unmatched_recheck); a TRUNCATE looks at all of them again.
CREATE FUNCTION wagecheck._outflow_unmatched_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF TG_TABLE_NAME = 'account_txn' THEN
            TRUNCATE wagecheck.outflow_unmatched;
        ELSE
            PERFORM wagecheck._outflow_unmatched_redo(NULL);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'account_txn' THEN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM wagecheck.outflow_unmatched u WHERE u.txn_id IN (SELECT o.txn_id FROM old_rows o);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM wagecheck._outflow_unmatched_refresh(ARRAY(SELECT n.txn_id FROM new_rows n WHERE n.direction = 'out'));
        END IF;
    ELSIF TG_TABLE_NAME = 'wage_account' THEN
        -- accounts moved to another project (or deleted: their movements are gone)
        PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
            SELECT n.project_id FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id
             WHERE o.project_id IS DISTINCT FROM n.project_id));
    ELSIF TG_TABLE_NAME = 'roster' THEN
        -- roster entries moved to another project or worker, made known later, or deleted:
        -- their old projects' outflows; new entries (or moved): their projects' candidates
        IF TG_OP = 'DELETE' THEN
            PERFORM wagecheck._outflow_unmatched_redo(ARRAY(SELECT DISTINCT o.project_id FROM old_rows o));
        ELSIF TG_OP = 'INSERT' THEN
            PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(SELECT DISTINCT n.project_id FROM new_rows n));
        ELSE
            PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
                SELECT DISTINCT o.project_id FROM old_rows o
                 WHERE NOT EXISTS (SELECT 1 FROM new_rows n
                                    WHERE n.roster_id = o.roster_id AND n.project_id = o.project_id
                                      AND n.worker_id = o.worker_id AND n.created_at <= o.created_at)));
            PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(
                SELECT DISTINCT n.project_id FROM new_rows n
                 WHERE NOT EXISTS (SELECT 1 FROM old_rows o
                                    WHERE o.roster_id = n.roster_id AND o.project_id = n.project_id
                                      AND o.worker_id = n.worker_id AND o.created_at <= n.created_at)));
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        -- new workers (loaded after their roster entries): the candidates of their projects
        PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(
            SELECT DISTINCT r.project_id FROM new_rows n JOIN wagecheck.roster r ON r.worker_id = n.worker_id
             WHERE n.wage_card IS NOT NULL));
    ELSE
        -- workers whose registered card changed: the outflows of the projects they are on
        PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
            SELECT DISTINCT r.project_id
              FROM old_rows o
              JOIN new_rows n ON n.worker_id = o.worker_id
              JOIN wagecheck.roster r ON r.worker_id = o.worker_id
             WHERE o.wage_card IS DISTINCT FROM n.wage_card));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._outflow_unmatched_sync() IS
    'trigger: keeps wagecheck.outflow_unmatched right after a statement on account_txn, wage_account, roster or worker (internal)';

CREATE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.account_txn
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.account_txn
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_del AFTER DELETE ON wagecheck.account_txn
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.account_txn
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.wage_account
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.wage_account
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.roster
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.roster
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_del AFTER DELETE ON wagecheck.roster
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_trunc AFTER TRUNCATE ON wagecheck.roster
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_ins AFTER INSERT ON wagecheck.worker
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
CREATE TRIGGER outflow_unmatched_upd AFTER UPDATE ON wagecheck.worker
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._outflow_unmatched_sync();
ALTER TABLE wagecheck.account_txn ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_del, ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.wage_account ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.roster ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd,
    ENABLE ALWAYS TRIGGER outflow_unmatched_del, ENABLE ALWAYS TRIGGER outflow_unmatched_trunc;
ALTER TABLE wagecheck.worker ENABLE ALWAYS TRIGGER outflow_unmatched_ins, ENABLE ALWAYS TRIGGER outflow_unmatched_upd;

INSERT INTO wagecheck.outflow_unmatched SELECT * FROM wagecheck._outflow_unmatched_rows(NULL);

-- _wage_month_refresh(keys): recomputes the summary rows of these keys. Rows are locked
-- first (a placeholder for a new key), in key order, then computed with a fresh snapshot:
-- two writers touching one key serialise, and the later one sees the earlier one's rows.
-- The locked rows' payable (before) and the new one (after) give the change that is added
-- to the workers' sums in worker_pay (and the change of the row count to sheet_worker); the
-- keys' rows of payment_off_card are recomputed; the keys whose row came or went are synced
-- in attendance_unpaid.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_refresh(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
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
          FROM n
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
-- transition tables old_rows/new_rows): refreshes the keys the statement touched.
CREATE OR REPLACE FUNCTION wagecheck._wage_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    p bigint[] := '{}';
    w bigint[] := '{}';
    m date[] := '{}';
    kp bigint[];
    kw bigint[];
    km date[];
    t text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- what is left of the other two tables (payments truncated alone leave the lines)
        TRUNCATE wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker,
                 wagecheck.attendance_unpaid;
        INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
        INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
        INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
        INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
        INSERT INTO wagecheck.attendance_unpaid SELECT * FROM wagecheck._attendance_unpaid_rows(NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    -- the keys (project, worker, month) of the statement's old and new rows
    FOREACH t IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                  ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        EXECUTE 'SELECT array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period) FROM ('
             || format(CASE TG_TABLE_NAME
            WHEN 'pay_sheet' THEN   -- the lines of the sheets, under the sheets' project and month
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I s JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id'
            WHEN 'pay_line' THEN    -- the lines themselves and the lines they correct
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I c
                  CROSS JOIN LATERAL (SELECT c.sheet_id, c.worker_id
                                      UNION ALL
                                      SELECT k.sheet_id, k.worker_id FROM wagecheck.pay_line k
                                       WHERE k.line_id = c.corrects_line_id) l
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            ELSE                    -- wage_payment: the lines paid
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM (SELECT DISTINCT y.line_id FROM %I y) y
                   JOIN wagecheck.pay_line l ON l.line_id = y.line_id
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            END, t) || ') x'
        INTO kp, kw, km;
        p := p || coalesce(kp, '{}'); w := w || coalesce(kw, '{}'); m := m || coalesce(km, '{}');
    END LOOP;
    PERFORM wagecheck._wage_month_refresh(p, w, m);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._wage_month_sync() IS
    'trigger: keeps wagecheck.wage_month right after a statement on pay_sheet, pay_line or wage_payment (internal)';

-- _attendance_month_sync(): trigger on attendance (statement level): adds the new rows'
-- days and takes the old rows' days away; counts are commutative, so concurrent writers
-- only wait on the row lock of a month they share. It also records in input_change (table
-- attendance_month) the projects whose months may now exist at other moments - a month
-- exists as of as_of when one of its rows is known (created_at) and dated by then - for
-- the rules that read only which workers attended which months (RN04, WP01): every project
-- of a statement that updates or deletes rows; for an insert, the months it adds and those
-- to which it adds a row known before the month's latest known_to or dated before its
-- first_day. Any other new row counts only after the month's row of first_day, known by
-- known_to, counts already (checked on the row as locked by ON CONFLICT: a concurrent
-- delete of that row is waited for). A day's attendance for months already attended names
-- no project. The keys of the months it adds (those holding only the new rows' days), or of
-- every month an update or delete touched, are synced in attendance_unpaid.
CREATE OR REPLACE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    kp bigint[];
    kw bigint[];
    km date[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month, wagecheck.attendance_unpaid;
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        VALUES ('attendance_month', NULL, NULL, 't');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;    -- no row written: nothing changed
        END IF;
        -- lock the months in key order, then take the old rows' days away
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.worker_id, a.period) IN
                (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date FROM old_rows o)
          ORDER BY a.project_id, a.worker_id, a.period
            FOR UPDATE OF a;
        UPDATE wagecheck.attendance_month a
           SET days = a.days - d.n
          FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period, count(*) AS n
                  FROM old_rows o
                 GROUP BY 1, 2, 3) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period);
    END IF;
    IF TG_OP = 'INSERT' THEN
        WITH g AS MATERIALIZED (
            SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date AS period, count(*) AS days,
                   max(n.created_at) AS known_to, max(n.day) AS last_day, min(n.day) AS first_day,
                   min(n.created_at) AS first_known
              FROM new_rows n
             GROUP BY 1, 2, 3
        ),
        up AS (
            INSERT INTO wagecheck.attendance_month AS a
                   (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
            SELECT g.project_id, g.worker_id, g.period, g.days, g.known_to, g.last_day, g.first_day, g.first_known, true
              FROM g
             ORDER BY 1, 2, 3
            ON CONFLICT (project_id, worker_id, period) DO UPDATE
               SET days = a.days + excluded.days,
                   known_to = greatest(a.known_to, excluded.known_to),
                   last_day = greatest(a.last_day, excluded.last_day),
                   first_day = least(a.first_day, excluded.first_day),
                   first_known = least(a.first_known, excluded.first_known),
                   extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day
            RETURNING a.project_id, a.worker_id, a.period, a.days, a.extended, a.first_known, a.known_to,
                      a.first_day, a.last_day
        ),
        -- the project's months: a month of a worker is new when it holds only the new rows' days
        pm AS (
            INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)
            SELECT up.project_id, up.period, count(*) FILTER (WHERE up.days = g.days), max(g.known_to),
                   max(g.last_day)
              FROM up
              JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)
             GROUP BY 1, 2
             ORDER BY 1, 2
            ON CONFLICT (project_id, period) DO UPDATE
               SET workers = m.workers + excluded.workers,
                   known_to = greatest(m.known_to, excluded.known_to),
                   last_day = greatest(m.last_day, excluded.last_day)
        ),
        ic AS (
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   range_agg(wagecheck._attendance_month_moments(up.first_known, up.known_to, up.first_day, up.last_day)),
                   array_agg(DISTINCT up.project_id ORDER BY up.project_id), 'i'
              FROM up
             WHERE up.extended
            HAVING count(*) > 0
        )
        -- the months added: their attendance without a wage month
        SELECT array_agg(up.project_id), array_agg(up.worker_id), array_agg(up.period)
          INTO kp, kw, km
          FROM up
          JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)
         WHERE up.days = g.days;
        PERFORM wagecheck._attendance_unpaid_sync(kp, kw, km);
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO wagecheck.attendance_month AS a
               (project_id, worker_id, period, days, known_to, last_day, first_day, first_known)
        SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at),
               max(n.day), min(n.day), min(n.created_at)
          FROM new_rows n
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (project_id, worker_id, period) DO UPDATE
           SET days = a.days + excluded.days,
               known_to = greatest(a.known_to, excluded.known_to),
               last_day = greatest(a.last_day, excluded.last_day),
               first_day = least(a.first_day, excluded.first_day),
               first_known = least(a.first_known, excluded.first_known),
               extended = true;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- months left empty go; the others' bounds come from the rows left
        DELETE FROM wagecheck.attendance_month a
         USING (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                  FROM old_rows o) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period)
           AND a.days <= 0;
        UPDATE wagecheck.attendance_month a
           SET known_to = x.known_to, last_day = x.last_day, first_day = x.first_day, first_known = x.first_known
          FROM (SELECT d.project_id, d.worker_id, d.period, max(r.created_at) AS known_to, max(r.day) AS last_day,
                       min(r.day) AS first_day, min(r.created_at) AS first_known
                  FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                          FROM old_rows o) d
                  JOIN wagecheck.attendance r
                    ON r.project_id = d.project_id AND r.worker_id = d.worker_id
                   AND r.day >= d.period AND r.day < (d.period + interval '1 month')::date
                 GROUP BY 1, 2, 3) x
         WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period)
           AND (a.known_to, a.last_day, a.first_day, a.first_known)
               IS DISTINCT FROM (x.known_to, x.last_day, x.first_day, x.first_known);
        -- the project months written, recomputed from their workers' months
        IF TG_OP = 'UPDATE' THEN
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o
                     UNION SELECT n.project_id, date_trunc('month', n.day)::date FROM new_rows n) t;
            PERFORM wagecheck._attendance_unpaid_sync(array_agg(t.project_id), array_agg(t.worker_id), array_agg(t.period))
               FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period FROM old_rows o
                     UNION SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date FROM new_rows n) t;
        ELSE
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT DISTINCT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o) t;
            PERFORM wagecheck._attendance_unpaid_sync(array_agg(t.project_id), array_agg(t.worker_id), array_agg(t.period))
               FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                       FROM old_rows o) t;
        END IF;
        -- every project of the old and new rows; the moments of the new rows
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   (SELECT range_agg(wagecheck._attendance_month_moments(n.created_at, n.created_at, n.day, n.day))
                      FROM new_rows n),
                   ARRAY(SELECT o.project_id FROM old_rows o UNION SELECT n.project_id FROM new_rows n ORDER BY 1),
                   'u';
        ELSE
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month', NULL, ARRAY(SELECT DISTINCT o.project_id FROM old_rows o ORDER BY 1), 'd';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._attendance_month_sync() IS
    'trigger: keeps wagecheck.attendance_month (and attendance_unpaid) right after a statement on attendance (internal)';

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

-- _rn04_months(as_of, projects): per project and month (of the given projects, all when
-- NULL) with a worker who attended without a payroll line past his pay date: the attendees
-- past their pay date and those of them without a line, from the summaries (exact only when
-- attendance_month and wage_month both are for as_of). The months come from the keys of
-- attendance_unpaid (the attendance months without a wage month, by month first): a month
-- whose earliest pay date (pay terms of any roster entry, or the default) has not passed is
-- not read. In a month whose latest pay date has passed too, every attendee's has: its rows
-- are counted without their pay terms and its attendees are the project's workers of the
-- month (attendance_project_month); in the others each worker's pay terms known then decide.
CREATE OR REPLACE FUNCTION wagecheck._rn04_months(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, period date, attendees bigint, unpaid bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE used AS (     -- the roster's distinct pay terms: one index probe each
        (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
          ORDER BY r.pay_day, r.pay_month_offset LIMIT 1)
        UNION ALL
        SELECT n.pay_day, n.pay_month_offset
          FROM used u
         CROSS JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (r.pay_day, r.pay_month_offset) > (u.pay_day, u.pay_month_offset)
                              ORDER BY r.pay_day, r.pay_month_offset LIMIT 1) n
    ),
    months AS (                  -- the months with attendees without a line: one index probe each
        (SELECT u.period FROM wagecheck.attendance_unpaid u ORDER BY u.period LIMIT 1)
        UNION ALL
        SELECT n.period
          FROM months m
         CROSS JOIN LATERAL (SELECT u.period FROM wagecheck.attendance_unpaid u
                              WHERE u.period > m.period ORDER BY u.period LIMIT 1) n
    ),
    dates AS MATERIALIZED (      -- their pay dates for every pay terms in use
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM months m
         CROSS JOIN (SELECT used.pay_day, used.pay_month_offset FROM used
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    passed AS MATERIALIZED (     -- the months with a pay date passed: whether every one has
        SELECT d.period, max(d.pay_date) < as_of::date AS all_passed
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    unpaid AS (
        SELECT u.project_id, u.period, count(*) AS unpaid
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
         WHERE m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
         GROUP BY 1, 2
        UNION ALL
        SELECT u.project_id, u.period, count(*)
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = u.project_id AND r.worker_id = u.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
          JOIN dates d ON d.period = u.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE NOT m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
           AND d.pay_date < as_of::date
         GROUP BY 1, 2
    )
    SELECT x.project_id, x.period,
           CASE WHEN m.all_passed
                THEN (SELECT h.workers FROM wagecheck.attendance_project_month h
                       WHERE h.project_id = x.project_id AND h.period = x.period)
                ELSE (SELECT count(*)
                        FROM wagecheck.attendance_month a
                        LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                            WHERE r.project_id = a.project_id AND r.worker_id = a.worker_id
                                              AND r.created_at <= as_of AND r.start_on <= as_of::date
                                            ORDER BY r.start_on DESC LIMIT 1) t ON true
                        JOIN dates d ON d.period = a.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                                    AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
                       WHERE a.project_id = x.project_id AND a.period = x.period
                         AND d.pay_date < as_of::date) END,
           x.unpaid
      FROM unpaid x
      JOIN passed m ON m.period = x.period
$$;
COMMENT ON FUNCTION wagecheck._rn04_months(timestamptz, bigint[]) IS
    'RN04''s project-months with attendees without a payroll line past their pay date, of the given projects or all, from the summaries attendance_unpaid and attendance_project_month (internal)';

-- RN04 (G->K, project-month): attendees of a month without a payroll line after their pay day.
-- When the summaries attendance_month and wage_month are exact for as_of the project-months
-- come from them (_rn04_months); else from attendance_months(as_of) and the pay lines known
-- then, counted per project, month and pay terms first, so that a pay date is computed once
-- per distinct (month, terms).
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT att.project_id, att.period, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset,
               count(*) AS attendees, count(*) FILTER (WHERE lines.worker_id IS NULL) AS unpaid
          FROM wagecheck.attendance_months(as_of) att
          LEFT JOIN wagecheck._pay_terms(as_of) t
                 ON t.project_id = att.project_id AND t.worker_id = att.worker_id
          LEFT JOIN lines ON lines.project_id = att.project_id AND lines.worker_id = att.worker_id
                         AND lines.period = att.period
         WHERE NOT (SELECT ex.exact FROM ex)
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT c.project_id, c.period, c.attendees, c.unpaid
          FROM wagecheck._rn04_months(as_of, NULL) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04(timestamptz) IS
    'RN04: project-months whose attendees have no payroll line after their pay day; level K when more than k_share of them';

-- RN04 for the given projects only (project evaluator): eval_rn04 reading the projects' rows
-- only - their attendance months without a wage month and their workers per month (_rn04_months),
-- or their attendance rows and the lines of their sheets when a summary is not exact.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (             -- the lines known then of the projects' sheets (summaries not exact)
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_sheet s
          JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
         WHERE NOT (SELECT ex.exact FROM ex) AND s.project_id = ANY (projects) AND l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT m.project_id, m.period, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset,
               count(*) AS attendees, count(*) FILTER (WHERE lines.worker_id IS NULL) AS unpaid
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.exact FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
          LEFT JOIN (SELECT * FROM wagecheck._pay_terms(as_of) t WHERE t.project_id = ANY (projects)) t
                 ON t.project_id = m.project_id AND t.worker_id = m.worker_id
          LEFT JOIN lines ON lines.project_id = m.project_id AND lines.worker_id = m.worker_id
                         AND lines.period = m.period
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT c.project_id, c.period, c.attendees, c.unpaid
          FROM wagecheck._rn04_months(as_of, coalesce(projects, '{}')) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04_projects(timestamptz, bigint[]) IS
    'RN04 for the given projects only (project evaluator of eval_rn04)';

DROP FUNCTION wagecheck._rn04_counts(timestamptz);
DROP FUNCTION wagecheck._rn04_counts_projects(timestamptz, bigint[]);

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

-- ==== AC02's inflows (session 5): the labour cost paid into the dedicated accounts, from a
-- partial index (an index-only scan, not a pass over every movement of every account)
CREATE INDEX account_txn_labour_in ON wagecheck.account_txn (account_id) INCLUDE (amount, booked_at, created_at)
    WHERE direction = 'in' AND purpose = 'labour_cost';

-- ==== WP02/WP03/WP05 building blocks (session 5): the months owed without the roster when
-- only the default pay terms are in use; WP05's candidates bounded in the index on both columns
DROP INDEX wagecheck.wage_month_payable;
-- WP05's candidates (paid below a bound for at least a number of days): both bounds are
-- checked in the index, no month read that is not one
CREATE INDEX wage_month_payable ON wagecheck.wage_month (payable, days);
CREATE OR REPLACE FUNCTION wagecheck._wages_unpaid_summary(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH terms AS MATERIALIZED (   -- other pay terms than the default in use
        SELECT EXISTS (SELECT 1 FROM wagecheck._pay_terms_in_use() u
                        WHERE (u.pay_day, u.pay_month_offset) <> (15, 1)) AS other
    ),
    c AS MATERIALIZED (
        SELECT w.*, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM wagecheck.wage_month w
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (SELECT terms.other FROM terms)
                                AND r.project_id = w.project_id AND r.worker_id = w.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
         WHERE w.settled_at IS NULL AND (projects IS NULL OR w.project_id = ANY (projects))
    ),
    dates AS MATERIALIZED (        -- one pay date per (month, terms), not per row
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT c.period, c.pay_day, c.pay_month_offset FROM c) k
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      JOIN dates d USING (period, pay_day, pay_month_offset)
     WHERE d.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck._wages_unpaid_summary(timestamptz, bigint[]) IS
    'the months of the summary wage_month still owed past their pay day, of the given projects or all (internal)';


-- ==== pay terms in use (session 5): _pay_dates_passing and _rn04_months read them from
-- _pay_terms_in_use() instead of each walking the roster's index itself
CREATE OR REPLACE FUNCTION wagecheck._pay_dates_passing(from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (period date, pay_day smallint, pay_month_offset smallint, pay_date date)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE t AS (
        SELECT k.pay_day, k.pay_month_offset,
               (date_trunc('month', from_ts::date) - make_interval(months => k.pay_month_offset))::date AS first_month
          FROM wagecheck._pay_terms_in_use() k
         WHERE from_ts::date < to_ts::date
    ),
    m (period, pay_day, pay_month_offset, pay_date) AS (
        SELECT t.first_month, t.pay_day, t.pay_month_offset,
               wagecheck.wage_pay_date(t.first_month, t.pay_day, t.pay_month_offset)
          FROM t
        UNION ALL
        SELECT (m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset,
               wagecheck.wage_pay_date((m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset)
          FROM m
         WHERE m.pay_date < to_ts::date
    )
    SELECT m.period, m.pay_day, m.pay_month_offset, m.pay_date
      FROM m
     WHERE m.pay_date >= from_ts::date AND m.pay_date < to_ts::date
$$;
COMMENT ON FUNCTION wagecheck._pay_dates_passing(timestamptz, timestamptz) IS
    'the (month, pay day, month offset) of the pay terms in use whose pay date passes between two moments: from_ts::date <= pay date < to_ts::date, where the evaluators'' test pay_date < as_of::date turns true (internal)';

CREATE OR REPLACE FUNCTION wagecheck._rn04_months(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, period date, attendees bigint, unpaid bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE months AS (                  -- the months with attendees without a line: one index probe each
        (SELECT u.period FROM wagecheck.attendance_unpaid u ORDER BY u.period LIMIT 1)
        UNION ALL
        SELECT n.period
          FROM months m
         CROSS JOIN LATERAL (SELECT u.period FROM wagecheck.attendance_unpaid u
                              WHERE u.period > m.period ORDER BY u.period LIMIT 1) n
    ),
    dates AS MATERIALIZED (      -- their pay dates for every pay terms in use
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM months m
         CROSS JOIN wagecheck._pay_terms_in_use() k
    ),
    passed AS MATERIALIZED (     -- the months with a pay date passed: whether every one has
        SELECT d.period, max(d.pay_date) < as_of::date AS all_passed
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    unpaid AS (
        SELECT u.project_id, u.period, count(*) AS unpaid
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
         WHERE m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
         GROUP BY 1, 2
        UNION ALL
        SELECT u.project_id, u.period, count(*)
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = u.project_id AND r.worker_id = u.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
          JOIN dates d ON d.period = u.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE NOT m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
           AND d.pay_date < as_of::date
         GROUP BY 1, 2
    )
    SELECT x.project_id, x.period,
           CASE WHEN m.all_passed
                THEN (SELECT h.workers FROM wagecheck.attendance_project_month h
                       WHERE h.project_id = x.project_id AND h.period = x.period)
                ELSE (SELECT count(*)
                        FROM wagecheck.attendance_month a
                        LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                            WHERE r.project_id = a.project_id AND r.worker_id = a.worker_id
                                              AND r.created_at <= as_of AND r.start_on <= as_of::date
                                            ORDER BY r.start_on DESC LIMIT 1) t ON true
                        JOIN dates d ON d.period = a.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                                    AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
                       WHERE a.project_id = x.project_id AND a.period = x.period
                         AND d.pay_date < as_of::date) END,
           x.unpaid
      FROM unpaid x
      JOIN passed m ON m.period = x.period
$$;
COMMENT ON FUNCTION wagecheck._rn04_months(timestamptz, bigint[]) IS
    'RN04''s project-months with attendees without a payroll line past their pay date, of the given projects or all, from the summaries attendance_unpaid and attendance_project_month (internal)';


-- ==== value guards: every numeric column refuses NaN and infinity, account_txn.amount and
-- wage_payment.amount are positive in whole fen (their unnamed amount > 0 checks give way to
-- named ones with a clear message), every date and time lies in 2000-01-01 .. 2099-12-31
-- Beijing time; the checks are C functions naming the column (src/values/values.sql); the
-- complaint and dishonest-listing triggers check the date they count from first; the range
-- checks of hours, days and labour share are renamed to run after their guard
ALTER TABLE wagecheck.account_txn DROP CONSTRAINT account_txn_amount_check;
ALTER TABLE wagecheck.wage_payment DROP CONSTRAINT wage_payment_amount_check;
CREATE FUNCTION wagecheck._finite(value numeric, tab text, col text, unit text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_finite'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._finite(numeric, text, text, text) IS
    'check of a numeric column: true, or an error naming the column for NaN or infinity (internal)';

CREATE FUNCTION wagecheck._positive_fen(value numeric, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_positive_fen'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._positive_fen(numeric, text, text) IS
    'check of a positive amount in whole fen: true, or an error naming the column for zero (an amount under 0.005 rounded to 0.00), a negative amount, NaN or infinity (internal)';

CREATE FUNCTION wagecheck._plausible(value date, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_plausible_date'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._plausible(date, text, text) IS
    'check of a business date: true, or an error naming the column for infinity or a date outside 2000-01-01 .. 2099-12-31 (internal)';

CREATE FUNCTION wagecheck._plausible(value timestamptz, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_plausible_time'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._plausible(timestamptz, text, text) IS
    'check of a business time: true, or an error naming the column for infinity or a time outside 2000-01-01 .. 2099-12-31 Beijing time (internal)';

ALTER TABLE wagecheck.account_txn
    ADD CONSTRAINT account_txn_amount_positive CHECK (wagecheck._positive_fen(amount, 'account_txn', 'amount')),
    ADD CONSTRAINT account_txn_booked_at_plausible CHECK (wagecheck._plausible(booked_at, 'account_txn', 'booked_at')),
    ADD CONSTRAINT account_txn_created_at_plausible CHECK (wagecheck._plausible(created_at, 'account_txn', 'created_at'));
ALTER TABLE wagecheck.alert
    ADD CONSTRAINT alert_opened_at_plausible CHECK (wagecheck._plausible(opened_at, 'alert', 'opened_at')),
    ADD CONSTRAINT alert_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'alert', 'deadline_on')),
    ADD CONSTRAINT alert_due_at_plausible CHECK (wagecheck._plausible(due_at, 'alert', 'due_at')),
    ADD CONSTRAINT alert_escalated_at_plausible CHECK (wagecheck._plausible(escalated_at, 'alert', 'escalated_at')),
    ADD CONSTRAINT alert_closed_at_plausible CHECK (wagecheck._plausible(closed_at, 'alert', 'closed_at')),
    ADD CONSTRAINT alert_updated_at_plausible CHECK (wagecheck._plausible(updated_at, 'alert', 'updated_at'));
ALTER TABLE wagecheck.alert_event
    ADD CONSTRAINT alert_event_at_plausible CHECK (wagecheck._plausible(at, 'alert_event', 'at')),
    ADD CONSTRAINT alert_event_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'alert_event', 'deadline_on')),
    ADD CONSTRAINT alert_event_due_at_plausible CHECK (wagecheck._plausible(due_at, 'alert_event', 'due_at')),
    ADD CONSTRAINT alert_event_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'alert_event', 'recorded_at'));
ALTER TABLE wagecheck.alert_violation
    ADD CONSTRAINT alert_violation_consumed_at_plausible CHECK (wagecheck._plausible(consumed_at, 'alert_violation', 'consumed_at'));
ALTER TABLE wagecheck.attendance
    ADD CONSTRAINT attendance_day_plausible CHECK (wagecheck._plausible(day, 'attendance', 'day')),
    ADD CONSTRAINT attendance_hours_finite CHECK (wagecheck._finite(hours, 'attendance', 'hours', 'hours')),
    ADD CONSTRAINT attendance_created_at_plausible CHECK (wagecheck._plausible(created_at, 'attendance', 'created_at'));
ALTER TABLE wagecheck.attendance_month
    ADD CONSTRAINT attendance_month_period_plausible CHECK (wagecheck._plausible(period, 'attendance_month', 'period')),
    ADD CONSTRAINT attendance_month_known_to_plausible CHECK (wagecheck._plausible(known_to, 'attendance_month', 'known_to')),
    ADD CONSTRAINT attendance_month_last_day_plausible CHECK (wagecheck._plausible(last_day, 'attendance_month', 'last_day')),
    ADD CONSTRAINT attendance_month_first_day_plausible CHECK (wagecheck._plausible(first_day, 'attendance_month', 'first_day')),
    ADD CONSTRAINT attendance_month_first_known_plausible CHECK (wagecheck._plausible(first_known, 'attendance_month', 'first_known'));
ALTER TABLE wagecheck.attendance_project_month
    ADD CONSTRAINT attendance_project_month_period_plausible CHECK (wagecheck._plausible(period, 'attendance_project_month', 'period')),
    ADD CONSTRAINT attendance_project_month_known_to_plausible CHECK (CASE WHEN known_to = '-infinity' THEN true ELSE wagecheck._plausible(known_to, 'attendance_project_month', 'known_to') END),
    ADD CONSTRAINT attendance_project_month_last_day_plausible CHECK (CASE WHEN last_day = '-infinity' THEN true ELSE wagecheck._plausible(last_day, 'attendance_project_month', 'last_day') END);
ALTER TABLE wagecheck.attendance_unpaid
    ADD CONSTRAINT attendance_unpaid_period_plausible CHECK (wagecheck._plausible(period, 'attendance_unpaid', 'period'));
ALTER TABLE wagecheck.campaign
    ADD CONSTRAINT campaign_starts_on_plausible CHECK (wagecheck._plausible(starts_on, 'campaign', 'starts_on')),
    ADD CONSTRAINT campaign_ledger_due_on_plausible CHECK (wagecheck._plausible(ledger_due_on, 'campaign', 'ledger_due_on'));
ALTER TABLE wagecheck.campaign_deadline
    ADD CONSTRAINT campaign_deadline_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'campaign_deadline', 'deadline_on'));
ALTER TABLE wagecheck.case_contact
    ADD CONSTRAINT case_contact_contacted_at_plausible CHECK (wagecheck._plausible(contacted_at, 'case_contact', 'contacted_at'));
ALTER TABLE wagecheck.case_event
    ADD CONSTRAINT case_event_at_plausible CHECK (wagecheck._plausible(at, 'case_event', 'at')),
    ADD CONSTRAINT case_event_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_event', 'recorded_at'));
ALTER TABLE wagecheck.case_extension
    ADD CONSTRAINT case_extension_approved_at_plausible CHECK (wagecheck._plausible(approved_at, 'case_extension', 'approved_at'));
ALTER TABLE wagecheck.case_ledger
    ADD CONSTRAINT case_ledger_amount_owed_finite CHECK (wagecheck._finite(amount_owed, 'case_ledger', 'amount_owed', 'yuan')),
    ADD CONSTRAINT case_ledger_filed_on_plausible CHECK (wagecheck._plausible(filed_on, 'case_ledger', 'filed_on')),
    ADD CONSTRAINT case_ledger_registered_at_plausible CHECK (wagecheck._plausible(registered_at, 'case_ledger', 'registered_at')),
    ADD CONSTRAINT case_ledger_closed_at_plausible CHECK (wagecheck._plausible(closed_at, 'case_ledger', 'closed_at')),
    ADD CONSTRAINT case_ledger_reopened_at_plausible CHECK (wagecheck._plausible(reopened_at, 'case_ledger', 'reopened_at'));
ALTER TABLE wagecheck.case_order
    ADD CONSTRAINT case_order_issued_on_plausible CHECK (wagecheck._plausible(issued_on, 'case_order', 'issued_on')),
    ADD CONSTRAINT case_order_due_on_plausible CHECK (wagecheck._plausible(due_on, 'case_order', 'due_on')),
    ADD CONSTRAINT case_order_amount_finite CHECK (wagecheck._finite(amount, 'case_order', 'amount', 'yuan')),
    ADD CONSTRAINT case_order_max_worker_amount_finite CHECK (wagecheck._finite(max_worker_amount, 'case_order', 'max_worker_amount', 'yuan')),
    ADD CONSTRAINT case_order_complied_on_plausible CHECK (wagecheck._plausible(complied_on, 'case_order', 'complied_on')),
    ADD CONSTRAINT case_order_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_order', 'recorded_at'));
ALTER TABLE wagecheck.case_plan
    ADD CONSTRAINT case_plan_target_on_plausible CHECK (wagecheck._plausible(target_on, 'case_plan', 'target_on')),
    ADD CONSTRAINT case_plan_created_at_plausible CHECK (wagecheck._plausible(created_at, 'case_plan', 'created_at')),
    ADD CONSTRAINT case_plan_updated_at_plausible CHECK (wagecheck._plausible(updated_at, 'case_plan', 'updated_at'));
ALTER TABLE wagecheck.case_repayment
    ADD CONSTRAINT case_repayment_amount_finite CHECK (wagecheck._finite(amount, 'case_repayment', 'amount', 'yuan')),
    ADD CONSTRAINT case_repayment_paid_on_plausible CHECK (wagecheck._plausible(paid_on, 'case_repayment', 'paid_on')),
    ADD CONSTRAINT case_repayment_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_repayment', 'recorded_at'));
ALTER TABLE wagecheck.case_supervision
    ADD CONSTRAINT case_supervision_listed_on_plausible CHECK (wagecheck._plausible(listed_on, 'case_supervision', 'listed_on')),
    ADD CONSTRAINT case_supervision_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'case_supervision', 'deadline_on')),
    ADD CONSTRAINT case_supervision_lifted_on_plausible CHECK (wagecheck._plausible(lifted_on, 'case_supervision', 'lifted_on'));
ALTER TABLE wagecheck.complaint
    ADD CONSTRAINT complaint_amount_claimed_finite CHECK (wagecheck._finite(amount_claimed, 'complaint', 'amount_claimed', 'yuan')),
    ADD CONSTRAINT complaint_received_at_plausible CHECK (wagecheck._plausible(received_at, 'complaint', 'received_at')),
    ADD CONSTRAINT complaint_accept_due_on_plausible CHECK (wagecheck._plausible(accept_due_on, 'complaint', 'accept_due_on')),
    ADD CONSTRAINT complaint_decided_at_plausible CHECK (wagecheck._plausible(decided_at, 'complaint', 'decided_at')),
    ADD CONSTRAINT complaint_created_at_plausible CHECK (wagecheck._plausible(created_at, 'complaint', 'created_at'));
ALTER TABLE wagecheck.dishonest_declined
    ADD CONSTRAINT dishonest_declined_decided_at_plausible CHECK (wagecheck._plausible(decided_at, 'dishonest_declined', 'decided_at'));
ALTER TABLE wagecheck.dishonest_listing
    ADD CONSTRAINT dishonest_listing_listed_on_plausible CHECK (wagecheck._plausible(listed_on, 'dishonest_listing', 'listed_on')),
    ADD CONSTRAINT dishonest_listing_ends_on_plausible CHECK (wagecheck._plausible(ends_on, 'dishonest_listing', 'ends_on')),
    ADD CONSTRAINT dishonest_listing_corrected_on_plausible CHECK (wagecheck._plausible(corrected_on, 'dishonest_listing', 'corrected_on')),
    ADD CONSTRAINT dishonest_listing_pledge_on_plausible CHECK (wagecheck._plausible(pledge_on, 'dishonest_listing', 'pledge_on')),
    ADD CONSTRAINT dishonest_listing_removed_on_plausible CHECK (wagecheck._plausible(removed_on, 'dishonest_listing', 'removed_on')),
    ADD CONSTRAINT dishonest_listing_police_referred_on_plausible CHECK (wagecheck._plausible(police_referred_on, 'dishonest_listing', 'police_referred_on')),
    ADD CONSTRAINT dishonest_listing_published_on_plausible CHECK (wagecheck._plausible(published_on, 'dishonest_listing', 'published_on')),
    ADD CONSTRAINT dishonest_listing_created_at_plausible CHECK (wagecheck._plausible(created_at, 'dishonest_listing', 'created_at'));
ALTER TABLE wagecheck.enterprise
    ADD CONSTRAINT enterprise_created_at_plausible CHECK (wagecheck._plausible(created_at, 'enterprise', 'created_at'));
ALTER TABLE wagecheck.guarantee_deposit
    ADD CONSTRAINT guarantee_deposit_amount_finite CHECK (wagecheck._finite(amount, 'guarantee_deposit', 'amount', 'yuan')),
    ADD CONSTRAINT guarantee_deposit_deposited_on_plausible CHECK (wagecheck._plausible(deposited_on, 'guarantee_deposit', 'deposited_on')),
    ADD CONSTRAINT guarantee_deposit_expires_on_plausible CHECK (wagecheck._plausible(expires_on, 'guarantee_deposit', 'expires_on')),
    ADD CONSTRAINT guarantee_deposit_returned_on_plausible CHECK (wagecheck._plausible(returned_on, 'guarantee_deposit', 'returned_on')),
    ADD CONSTRAINT guarantee_deposit_created_at_plausible CHECK (wagecheck._plausible(created_at, 'guarantee_deposit', 'created_at'));
ALTER TABLE wagecheck.holiday
    ADD CONSTRAINT holiday_day_plausible CHECK (wagecheck._plausible(day, 'holiday', 'day'));
ALTER TABLE wagecheck.labour_cost_schedule
    ADD CONSTRAINT labour_cost_schedule_period_plausible CHECK (wagecheck._plausible(period, 'labour_cost_schedule', 'period')),
    ADD CONSTRAINT labour_cost_schedule_amount_due_finite CHECK (wagecheck._finite(amount_due, 'labour_cost_schedule', 'amount_due', 'yuan')),
    ADD CONSTRAINT labour_cost_schedule_due_on_plausible CHECK (wagecheck._plausible(due_on, 'labour_cost_schedule', 'due_on')),
    ADD CONSTRAINT labour_cost_schedule_created_at_plausible CHECK (wagecheck._plausible(created_at, 'labour_cost_schedule', 'created_at'));
ALTER TABLE wagecheck.lead_outbox
    ADD CONSTRAINT lead_outbox_created_at_plausible CHECK (wagecheck._plausible(created_at, 'lead_outbox', 'created_at')),
    ADD CONSTRAINT lead_outbox_delivered_at_plausible CHECK (wagecheck._plausible(delivered_at, 'lead_outbox', 'delivered_at'));
ALTER TABLE wagecheck.officer_scope
    ADD CONSTRAINT officer_scope_created_at_plausible CHECK (wagecheck._plausible(created_at, 'officer_scope', 'created_at'));
ALTER TABLE wagecheck.opinion_report
    ADD CONSTRAINT opinion_report_received_at_plausible CHECK (wagecheck._plausible(received_at, 'opinion_report', 'received_at')),
    ADD CONSTRAINT opinion_report_verified_at_plausible CHECK (wagecheck._plausible(verified_at, 'opinion_report', 'verified_at')),
    ADD CONSTRAINT opinion_report_reported_at_plausible CHECK (wagecheck._plausible(reported_at, 'opinion_report', 'reported_at')),
    ADD CONSTRAINT opinion_report_created_at_plausible CHECK (wagecheck._plausible(created_at, 'opinion_report', 'created_at'));
ALTER TABLE wagecheck.pay_line
    ADD CONSTRAINT pay_line_days_finite CHECK (wagecheck._finite(days, 'pay_line', 'days', 'days')),
    ADD CONSTRAINT pay_line_payable_finite CHECK (wagecheck._finite(payable, 'pay_line', 'payable', 'yuan')),
    ADD CONSTRAINT pay_line_deductions_finite CHECK (wagecheck._finite(deductions, 'pay_line', 'deductions', 'yuan')),
    ADD CONSTRAINT pay_line_net_finite CHECK (wagecheck._finite(net, 'pay_line', 'net', 'yuan')),
    ADD CONSTRAINT pay_line_signed_on_plausible CHECK (wagecheck._plausible(signed_on, 'pay_line', 'signed_on')),
    ADD CONSTRAINT pay_line_created_at_plausible CHECK (wagecheck._plausible(created_at, 'pay_line', 'created_at'));
ALTER TABLE wagecheck.pay_sheet
    ADD CONSTRAINT pay_sheet_period_plausible CHECK (wagecheck._plausible(period, 'pay_sheet', 'period')),
    ADD CONSTRAINT pay_sheet_prepared_on_plausible CHECK (wagecheck._plausible(prepared_on, 'pay_sheet', 'prepared_on')),
    ADD CONSTRAINT pay_sheet_created_at_plausible CHECK (wagecheck._plausible(created_at, 'pay_sheet', 'created_at'));
ALTER TABLE wagecheck.payment_off_card
    ADD CONSTRAINT payment_off_card_period_plausible CHECK (wagecheck._plausible(period, 'payment_off_card', 'period')),
    ADD CONSTRAINT payment_off_card_amount_finite CHECK (wagecheck._finite(amount, 'payment_off_card', 'amount', 'yuan')),
    ADD CONSTRAINT payment_off_card_paid_at_plausible CHECK (wagecheck._plausible(paid_at, 'payment_off_card', 'paid_at')),
    ADD CONSTRAINT payment_off_card_created_at_plausible CHECK (wagecheck._plausible(created_at, 'payment_off_card', 'created_at'));
ALTER TABLE wagecheck.project
    ADD CONSTRAINT project_contract_value_finite CHECK (wagecheck._finite(contract_value, 'project', 'contract_value', 'yuan')),
    ADD CONSTRAINT project_contract_signed_on_plausible CHECK (wagecheck._plausible(contract_signed_on, 'project', 'contract_signed_on')),
    ADD CONSTRAINT project_labour_share_finite CHECK (wagecheck._finite(labour_share, 'project', 'labour_share', '')),
    ADD CONSTRAINT project_start_on_plausible CHECK (wagecheck._plausible(start_on, 'project', 'start_on')),
    ADD CONSTRAINT project_planned_end_on_plausible CHECK (wagecheck._plausible(planned_end_on, 'project', 'planned_end_on')),
    ADD CONSTRAINT project_completed_on_plausible CHECK (wagecheck._plausible(completed_on, 'project', 'completed_on')),
    ADD CONSTRAINT project_notice_board_on_plausible CHECK (wagecheck._plausible(notice_board_on, 'project', 'notice_board_on')),
    ADD CONSTRAINT project_created_at_plausible CHECK (wagecheck._plausible(created_at, 'project', 'created_at'));
ALTER TABLE wagecheck.roster
    ADD CONSTRAINT roster_contract_signed_on_plausible CHECK (wagecheck._plausible(contract_signed_on, 'roster', 'contract_signed_on')),
    ADD CONSTRAINT roster_wage_rate_finite CHECK (wagecheck._finite(wage_rate, 'roster', 'wage_rate', 'yuan')),
    ADD CONSTRAINT roster_start_on_plausible CHECK (wagecheck._plausible(start_on, 'roster', 'start_on')),
    ADD CONSTRAINT roster_end_on_plausible CHECK (wagecheck._plausible(end_on, 'roster', 'end_on')),
    ADD CONSTRAINT roster_settled_on_plausible CHECK (wagecheck._plausible(settled_on, 'roster', 'settled_on')),
    ADD CONSTRAINT roster_created_at_plausible CHECK (wagecheck._plausible(created_at, 'roster', 'created_at'));
ALTER TABLE wagecheck.rule_eval_state
    ADD CONSTRAINT rule_eval_state_evaluated_to_plausible CHECK (wagecheck._plausible(evaluated_to, 'rule_eval_state', 'evaluated_to')),
    ADD CONSTRAINT rule_eval_state_at_plausible CHECK (wagecheck._plausible(at, 'rule_eval_state', 'at'));
ALTER TABLE wagecheck.rule_scan
    ADD CONSTRAINT rule_scan_scanned_to_plausible CHECK (CASE WHEN scanned_to = '-infinity' THEN true ELSE wagecheck._plausible(scanned_to, 'rule_scan', 'scanned_to') END),
    ADD CONSTRAINT rule_scan_scanned_at_plausible CHECK (wagecheck._plausible(scanned_at, 'rule_scan', 'scanned_at'));
ALTER TABLE wagecheck.subcontract
    ADD CONSTRAINT subcontract_value_finite CHECK (wagecheck._finite(value, 'subcontract', 'value', 'yuan')),
    ADD CONSTRAINT subcontract_signed_on_plausible CHECK (wagecheck._plausible(signed_on, 'subcontract', 'signed_on')),
    ADD CONSTRAINT subcontract_created_at_plausible CHECK (wagecheck._plausible(created_at, 'subcontract', 'created_at'));
ALTER TABLE wagecheck.violation
    ADD CONSTRAINT violation_occurred_at_plausible CHECK (wagecheck._plausible(occurred_at, 'violation', 'occurred_at'));
ALTER TABLE wagecheck.wage_account
    ADD CONSTRAINT wage_account_opened_on_plausible CHECK (wagecheck._plausible(opened_on, 'wage_account', 'opened_on')),
    ADD CONSTRAINT wage_account_registered_on_plausible CHECK (wagecheck._plausible(registered_on, 'wage_account', 'registered_on')),
    ADD CONSTRAINT wage_account_closure_notice_on_plausible CHECK (wagecheck._plausible(closure_notice_on, 'wage_account', 'closure_notice_on')),
    ADD CONSTRAINT wage_account_closed_on_plausible CHECK (wagecheck._plausible(closed_on, 'wage_account', 'closed_on')),
    ADD CONSTRAINT wage_account_balance_finite CHECK (wagecheck._finite(balance, 'wage_account', 'balance', 'yuan')),
    ADD CONSTRAINT wage_account_created_at_plausible CHECK (wagecheck._plausible(created_at, 'wage_account', 'created_at'));
ALTER TABLE wagecheck.wage_month
    ADD CONSTRAINT wage_month_period_plausible CHECK (wagecheck._plausible(period, 'wage_month', 'period')),
    ADD CONSTRAINT wage_month_days_finite CHECK (wagecheck._finite(days, 'wage_month', 'days', 'days')),
    ADD CONSTRAINT wage_month_payable_finite CHECK (wagecheck._finite(payable, 'wage_month', 'payable', 'yuan')),
    ADD CONSTRAINT wage_month_net_finite CHECK (wagecheck._finite(net, 'wage_month', 'net', 'yuan')),
    ADD CONSTRAINT wage_month_paid_finite CHECK (wagecheck._finite(paid, 'wage_month', 'paid', 'yuan')),
    ADD CONSTRAINT wage_month_known_to_plausible CHECK (CASE WHEN known_to = 'infinity' THEN true ELSE wagecheck._plausible(known_to, 'wage_month', 'known_to') END),
    ADD CONSTRAINT wage_month_settled_at_plausible CHECK (CASE WHEN settled_at = '-infinity' THEN true ELSE wagecheck._plausible(settled_at, 'wage_month', 'settled_at') END);
ALTER TABLE wagecheck.wage_payment
    ADD CONSTRAINT wage_payment_amount_positive CHECK (wagecheck._positive_fen(amount, 'wage_payment', 'amount')),
    ADD CONSTRAINT wage_payment_paid_at_plausible CHECK (wagecheck._plausible(paid_at, 'wage_payment', 'paid_at')),
    ADD CONSTRAINT wage_payment_created_at_plausible CHECK (wagecheck._plausible(created_at, 'wage_payment', 'created_at'));
ALTER TABLE wagecheck.worker
    ADD CONSTRAINT worker_registered_at_plausible CHECK (wagecheck._plausible(registered_at, 'worker', 'registered_at'));
ALTER TABLE wagecheck.worker_pay
    ADD CONSTRAINT worker_pay_period_plausible CHECK (wagecheck._plausible(period, 'worker_pay', 'period')),
    ADD CONSTRAINT worker_pay_payable_finite CHECK (wagecheck._finite(payable, 'worker_pay', 'payable', 'yuan'));

-- the complaint and dishonest-listing triggers refuse an implausible receipt or listing date
-- before counting a deadline or an end from it
CREATE OR REPLACE FUNCTION wagecheck.complaint_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE div wagecheck.division_code;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'received' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = format('a complaint is recorded as received, not "%s"', NEW.status),
                HINT = 'Use wagecheck.accept_complaint or wagecheck.reject_complaint to decide it.';
        END IF;
        -- the deadline is counted from the receipt: refuse an implausible one as its check does
        PERFORM wagecheck._plausible(NEW.received_at, 'complaint', 'received_at');
        SELECT p.division INTO div FROM wagecheck.project p WHERE p.project_id = NEW.project_id;
        IF NEW.unit_code IS NULL AND div IS NOT NULL THEN
            NEW.unit_code := wagecheck.unit_for_division(div);
        END IF;
        IF div IS NULL THEN
            SELECT u.division INTO div FROM wagecheck.case_unit u WHERE u.unit_code = NEW.unit_code;
        END IF;
        NEW.accept_due_on := wagecheck.add_working_days(NEW.received_at::date,
                                 (wagecheck.rule_param('CP01', 'accept_wd', div))::int);
        RETURN NEW;
    END IF;
    IF NEW.unit_code IS DISTINCT FROM OLD.unit_code AND OLD.status <> 'received' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was already %s: it can no longer be handed to another unit', OLD.complaint_id, OLD.status),
            HINT = 'Transfer its case instead: register a case with source ''transfer'' at the other unit.';
    END IF;
    IF NEW.received_at IS DISTINCT FROM OLD.received_at OR NEW.channel IS DISTINCT FROM OLD.channel
       OR NEW.accept_due_on IS DISTINCT FROM OLD.accept_due_on THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s: receipt time, channel and acceptance deadline cannot change', OLD.complaint_id);
    END IF;
    IF OLD.status <> 'received' AND (NEW.status, NEW.decided_at, NEW.decided_by, NEW.decision_reason)
            IS DISTINCT FROM (OLD.status, OLD.decided_at, OLD.decided_by, OLD.decision_reason) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was already %s on %s', OLD.complaint_id, OLD.status, OLD.decided_at),
            HINT = CASE OLD.status WHEN 'accepted' THEN 'Work on its case; a withdrawal closes the case as withdrawn.'
                                   ELSE 'Record a new complaint if the worker complains again.' END;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_before() IS 'trigger: complaints start received; the unit defaults to the one answering for the project''s division; computes the acceptance deadline; only a waiting complaint changes unit; a decision is final';

CREATE OR REPLACE FUNCTION wagecheck.dishonest_listing_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    e wagecheck.enterprise;
    unpaid bigint[];
    months int;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- the end is counted from the listing: refuse an implausible one as its check does
        PERFORM wagecheck._plausible(NEW.listed_on, 'dishonest_listing', 'listed_on');
        SELECT * INTO e FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id;
        NEW.legal_rep := coalesce(NEW.legal_rep, e.legal_rep);
        IF NEW.ends_on IS NULL THEN
            NEW.ends_on := NEW.listed_on
                + make_interval(years => (wagecheck.rule_param('BL01', 'listing_years', e.division))::int);
        END IF;
        PERFORM 1 FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                    WHERE l.enterprise_id = NEW.enterprise_id
                      AND daterange(l.listed_on, coalesce(l.removed_on, l.ends_on))
                          && daterange(NEW.listed_on, NEW.ends_on)) THEN
            RAISE EXCEPTION USING ERRCODE = '23P01',
                MESSAGE = format('enterprise %s is already on the dishonest list for part of %s to %s',
                                 NEW.enterprise_id, NEW.listed_on, NEW.ends_on);
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.enterprise_id, NEW.legal_rep, NEW.reason, NEW.listed_on, NEW.ends_on, NEW.decided_by,
        NEW.order_ids, NEW.report_ids, NEW.created_at)
       IS DISTINCT FROM (OLD.enterprise_id, OLD.legal_rep, OLD.reason, OLD.listed_on, OLD.ends_on,
                         OLD.decided_by, OLD.order_ids, OLD.report_ids, OLD.created_at) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s: the decision (unit, legal representative, reason, basis, dates) cannot change', OLD.listing_id),
            HINT = 'Remove the listing early if the law allows, or record a new listing.';
    END IF;
    IF OLD.removed_on IS NOT NULL AND (NEW.removed_on, NEW.removal_reason, NEW.corrected_on, NEW.pledge_on)
            IS DISTINCT FROM (OLD.removed_on, OLD.removal_reason, OLD.corrected_on, OLD.pledge_on) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s was removed on %s: the removal is final', OLD.listing_id, OLD.removed_on);
    END IF;
    IF OLD.police_referred_on IS NOT NULL
       AND (NEW.police_referred_on, NEW.police_ref) IS DISTINCT FROM (OLD.police_referred_on, OLD.police_ref) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s was referred to the police on %s: the referral is final', OLD.listing_id, OLD.police_referred_on);
    END IF;
    IF OLD.removed_on IS NULL AND NEW.removed_on IS NOT NULL THEN
        SELECT e2.division INTO e.division FROM wagecheck.enterprise e2 WHERE e2.enterprise_id = NEW.enterprise_id;
        months := (wagecheck.rule_param('BL01', 'removal_months', e.division))::int;
        SELECT array_agg(o.order_id ORDER BY o.order_id) INTO unpaid
          FROM wagecheck.case_order o
         WHERE o.enterprise_id = NEW.enterprise_id AND o.issued_on <= NEW.removed_on
           AND (o.complied_on IS NULL OR o.complied_on > NEW.removed_on);
        IF unpaid IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early: wages are not repaid', OLD.listing_id),
                DETAIL = format('Orders to pay not yet met: %s.', array_to_string(unpaid, ', ')),
                HINT = 'Record complied_on on each order once the wages are paid.';
        END IF;
        IF NEW.corrected_on IS NULL OR NEW.removed_on < NEW.corrected_on + make_interval(months => months) THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early: %s months must pass after the correction', OLD.listing_id, months),
                DETAIL = CASE WHEN NEW.corrected_on IS NULL THEN 'No correction date is recorded.'
                              ELSE format('Corrected on %s: removal possible from %s.', NEW.corrected_on,
                                          (NEW.corrected_on + make_interval(months => months))::date) END;
        END IF;
        IF NEW.pledge_on IS NULL OR NEW.pledge_on > NEW.removed_on THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early without a written credit-repair pledge signed by the removal day', OLD.listing_id),
                HINT = 'Record pledge_on, the day the pledge (信用承诺书) was signed.';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.dishonest_listing_guard() IS 'trigger: fills legal representative and end date; one listing at a time; the decision is final; early removal only when repaid, 6 months after correction, with a pledge (WC060)';

-- the range checks of numeric columns run after their _finite guard (checks run in name
-- order), so that NaN gets the guard's message
ALTER TABLE wagecheck.project RENAME CONSTRAINT project_labour_share_check TO project_labour_share_range;
ALTER TABLE wagecheck.attendance RENAME CONSTRAINT attendance_hours_check TO attendance_hours_range;
ALTER TABLE wagecheck.pay_line RENAME CONSTRAINT pay_line_days_check TO pay_line_days_range;

-- ==== scan guard: scan() refuses a moment beyond now() plus wagecheck.scan_future_tolerance
-- (_scan_future_limit), warns of rules already scanned into the future, and skips at once
-- while another scan runs (advisory lock 95946671341902); undo_scan(after) removes what scans
-- wrote as of moments in the future
-- _scan_future_limit(): the latest moment a scan accepts, now() plus
-- wagecheck.scan_future_tolerance (C: src/alerts/scan_guard.c, where the setting is defined).
CREATE FUNCTION wagecheck._scan_future_limit() RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'wagecheck_scan_future_limit'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._scan_future_limit() IS
    'the latest as_of a scan accepts: the transaction''s now() plus wagecheck.scan_future_tolerance (internal)';

-- One scan at a time: scan() takes the transaction-level advisory lock 95946671341902
-- (0x57435343414E, "WCSCAN"; pg_locks: locktype advisory, classid 22339, objid 1396916558,
-- objsubid 1) with pg_try_advisory_xact_lock. A second scan while a first one's transaction is
-- open returns at once without a row (NOTICE "skipped") instead of waiting for the first one's
-- locks and holding its own caller's. A caller that would rather wait takes the same lock with
-- pg_advisory_xact_lock before calling scan() in its transaction.
CREATE OR REPLACE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck
    -- compiling its queries' expressions costs more than running them (100-150 ms per scan)
    SET jit = off
    -- the evaluators' hash joins over payments, lines and months should not spill to disk
    SET work_mem = '64MB' AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
    carry boolean;
    changed bigint[];
    skip text[];
    snap pg_catalog.pg_snapshot;
    seen bigint;
    planned bigint[];
    n_planned bigint;
    ahead text;
    ahead_to timestamptz;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a forward scan moves every rule to as_of, and every scan before it is then a replay:
    -- a moment in the future would freeze the engine until then
    IF as_of > wagecheck._scan_future_limit() THEN
        RAISE EXCEPTION 'wagecheck.scan() cannot scan as of a moment in the future'
            USING ERRCODE = 'datetime_field_overflow',
                  DETAIL = format('The moment asked is %s; now() is %s and wagecheck.scan_future_tolerance allows %s beyond it.',
                                  as_of, now(), pg_catalog.current_setting('wagecheck.scan_future_tolerance')),
                  HINT = 'Scan as of now() (the default); an earlier moment replays what was known then.';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'A scan reads the alerts the scans before it committed: each of its statements needs a fresh snapshot.';
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION 'scan needs incremental true or false'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_catalog.pg_try_advisory_xact_lock(95946671341902) THEN
        RAISE NOTICE 'wagecheck.scan() skipped: another scan is running'
            USING DETAIL = 'Another transaction holds the scan lock (advisory lock 95946671341902) until it ends; this scan wrote nothing and returns no row.',
                  HINT = 'The next scan catches up. To wait for the running scan instead, call pg_advisory_xact_lock(95946671341902) in the transaction before wagecheck.scan().';
        RETURN;
    END IF;
    -- a rule moved beyond now() (a scan as of a future moment, before such scans were refused)
    -- holds every scan up to then as a replay until an administrator undoes that scan
    SELECT string_agg(rs.code, ', ' ORDER BY rs.code), max(rs.scanned_to) INTO ahead, ahead_to
      FROM wagecheck.rule_scan rs
     WHERE rs.scanned_to > wagecheck._scan_future_limit();
    IF ahead IS NOT NULL THEN
        RAISE WARNING 'wagecheck: rules % were scanned as of a moment in the future', ahead
            USING DETAIL = format('Up to %s every scan of them is a replay that writes nothing.', ahead_to),
                  HINT = 'An administrator removes what that scan wrote with wagecheck.undo_scan(now()).';
    END IF;
    -- a rule disabled since its last scan is evaluated in full once it is enabled again
    DELETE FROM wagecheck.rule_eval_state s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule ru WHERE ru.code = s.code AND ru.enabled);
    -- building blocks only for the rules evaluated in full: those carried over read none, those
    -- evaluated for some projects read them through their project filter (a rule whose
    -- horizon turns out to name every project is evaluated in full without them)
    IF incremental THEN
        SELECT array_agg(ru.code) INTO skip
          FROM wagecheck.rule ru
          JOIN wagecheck.rule_scan rs ON rs.code = ru.code
         WHERE ru.enabled AND as_of >= rs.scanned_to
           AND wagecheck._changed_projects(ru.code, as_of, false) IS NOT NULL;
    END IF;
    PERFORM wagecheck._memo_build(as_of, skip);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT p.sid) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        -- the rule's row, held until commit as a foreign key on alert.rule_code would hold it:
        -- the rule is neither deleted nor renamed while its alerts are written (rule_alerts)
        PERFORM FROM wagecheck.rule ru WHERE ru.code = r.code FOR KEY SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'rule % was deleted during the scan', r.code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        -- forward: evaluate the rule, or carry its hits over when nothing it reads changed
        seen := wagecheck._input_change_seen();
        snap := pg_catalog.pg_current_snapshot();
        -- '{}': carried over; projects: those evaluated, the others carried over; NULL: evaluated
        changed := CASE WHEN incremental THEN wagecheck._changed_projects(r.code, as_of) END;
        carry := coalesce(cardinality(changed) = 0, false);
        RAISE DEBUG 'wagecheck: scan of % as of %: %', r.code, as_of,
              CASE WHEN carry THEN 'hits carried over (inputs unchanged)' WHEN changed IS NULL THEN 'evaluated'
                   ELSE format('evaluated for projects %s, other hits carried over', changed) END;
        IF NOT carry THEN   -- a once rule's hits of closed alerts, kept for carrying over
            DELETE FROM wagecheck.rule_kept_hit k
             WHERE k.code = r.code AND (changed IS NULL OR k.project_id = ANY (changed));
        END IF;
        -- carried over, or evaluated for some projects: only the alerts on which something may
        -- change are planned (a deadline passing, a violation, a project evaluated)
        planned := NULL;
        n_planned := 0;
        IF changed IS NOT NULL THEN
            SELECT coalesce(array_agg(u.alert_id), '{}'),
                   count(*) FILTER (WHERE u.live) + count(*) FILTER (WHERE u.kept)
              INTO planned, n_planned
              FROM wagecheck._plan_alerts(r.code, as_of, changed) u;
        END IF;
        IF carry AND cardinality(planned) = 0
           AND NOT EXISTS (SELECT 1 FROM wagecheck.violation v
                            WHERE v.rule_code = r.code AND v.occurred_at <= as_of
                              AND NOT EXISTS (SELECT 1 FROM wagecheck.alert_violation av
                                               WHERE av.violation_id = v.violation_id
                                                 AND av.consumed_at <= as_of)) THEN
            -- nothing can change: the hits are its live alerts and kept hits, nothing is written
            hits := wagecheck._quiet_hits(r.code, 0);
            opened := 0;
            escalated := 0;
            cleared := 0;
            rectified := 0;
        ELSE
            WITH p AS MATERIALIZED (
                SELECT * FROM wagecheck._scan_plan(r.code, as_of, false, changed IS NOT NULL, changed, planned)
            ),
            -- each subject's last step; a new alert's id drawn here, in the subjects' order
            -- (as the identity gave them), so that its events need no join on the subject's text
            fin AS MATERIALIZED (
                SELECT l.*,
                       CASE WHEN l.alert_id IS NULL AND l.action IS NOT NULL
                            THEN pg_catalog.nextval('wagecheck.alert_alert_id_seq'::pg_catalog.regclass) END AS new_id
                  FROM (SELECT DISTINCT ON (p.sid) p.* FROM p ORDER BY p.sid, p.step DESC) l
                 ORDER BY l.sid
            ),
            ins AS (
                INSERT INTO wagecheck.alert AS a
                       (alert_id, rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                        division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
                OVERRIDING SYSTEM VALUE
                SELECT f.new_id, r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                       f.enterprise_id, f.division, f.details, f.evidence, as_of,
                       CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                       CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                       CASE WHEN f.step > 1 THEN as_of END, as_of
                  FROM fin f
                 WHERE f.new_id IS NOT NULL
                   -- a live alert of the subject that the plan left out (a scan by project plans
                   -- only some) stays as it is. Only a scan of the rule, which holds the rule's
                   -- rule_scan row, writes its alerts, and no step makes an alert live again: no
                   -- other transaction can add one (alert_one_live) before this one ends.
                   AND NOT EXISTS (SELECT 1 FROM wagecheck.alert o
                                    WHERE o.rule_code = r.code AND o.subject_kind = f.subject_kind
                                      AND o.subject_id = f.subject_id AND o.period = f.period
                                      AND o.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                      'verified', 'report_overdue'))
                RETURNING a.alert_id
            ),
            upd AS (
                UPDATE wagecheck.alert a
                   SET tier = coalesce(f.to_tier, a.tier),
                       state = coalesce(f.to_state, a.state),
                       details = f.details,
                       evidence = f.evidence,
                       project_id = coalesce(f.project_id, a.project_id),
                       enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                       division = coalesce(f.division, a.division),
                       deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                       due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                       escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                           THEN as_of ELSE a.escalated_at END,
                       closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                       updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
                  FROM fin f
                 WHERE a.alert_id = f.alert_id
                   -- this rule's live alerts only (alert_one_live), not a hash of every live alert
                   AND a.rule_code = r.code AND f.alert_id IS NOT NULL
                   AND a.state = f.cur_state
                   AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                        OR a.evidence IS DISTINCT FROM f.evidence)
                RETURNING a.alert_id
            ),
            -- the events of the alerts inserted or updated, with what their announcements say
            -- (an updated alert keeps its division where the hit has none, as upd does)
            evs AS MATERIALIZED (
                SELECT coalesce(f.new_id, p.alert_id) AS alert_id, p.sid, p.step, p.action,
                       p.from_state, p.to_state, p.from_tier, p.to_tier,
                       CASE WHEN p.to_tier = 'K' THEN p.deadline_on END AS deadline_on,
                       CASE WHEN p.to_tier = 'O' THEN p.due_at END AS due_at,
                       CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END AS note,
                       p.subject_kind, p.subject_id, p.period, coalesce(f.division, f.cur_division) AS division
                  FROM p
                  JOIN fin f ON f.sid = p.sid
                 WHERE p.action IS NOT NULL
                   AND CASE WHEN f.new_id IS NOT NULL THEN f.new_id IN (SELECT i.alert_id FROM ins i)
                            ELSE p.alert_id IN (SELECT u.alert_id FROM upd u) END
            ),
            ev AS (
                INSERT INTO wagecheck.alert_event AS e
                       (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
                SELECT evs.alert_id, as_of, evs.action, evs.from_state, evs.to_state, evs.from_tier, evs.to_tier,
                       evs.deadline_on, evs.due_at, evs.note
                  FROM evs
                 ORDER BY evs.sid, evs.step
            ),
            lnk AS (
                INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
                SELECT v.id, coalesce(f.new_id, f.alert_id), as_of
                  FROM fin f
                 CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
                 WHERE f.violation_ids IS NOT NULL
                   AND CASE WHEN f.new_id IS NOT NULL THEN f.new_id IN (SELECT i.alert_id FROM ins i)
                            ELSE f.alert_id IS NOT NULL END
                ON CONFLICT (violation_id) DO NOTHING
            ),
            kept AS (
                INSERT INTO wagecheck.rule_kept_hit (code, alert_id, project_id)
                SELECT r.code, f.alert_id, f.project_id
                  FROM fin f
                 WHERE NOT carry AND f.hit AND f.evidence IN ('rule', 'both') AND f.alert_id IS NOT NULL
                   AND f.cur_state NOT IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                   AND (changed IS NULL OR f.project_id = ANY (changed))
                ON CONFLICT (code, alert_id) DO UPDATE SET project_id = excluded.project_id
            )
            -- distinct subjects hit: fin has a row per subject
            SELECT (SELECT count(*) FROM fin WHERE fin.hit)
                   + CASE WHEN changed IS NOT NULL    -- the hits left out of the plan
                          THEN wagecheck._quiet_hits(r.code, n_planned) ELSE 0 END,
                   count(*) FILTER (WHERE evs.action = 'open'),
                   count(*) FILTER (WHERE evs.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE evs.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE evs.action = 'rectify'),
                   array_agg(wagecheck._alert_payload(wagecheck._notify_kind(evs.action), evs.alert_id, r.code,
                                                      evs.to_tier, evs.to_state, evs.subject_kind, evs.subject_id,
                                                      evs.period, evs.division::text, as_of)
                             ORDER BY evs.alert_id, evs.action)
                       FILTER (WHERE wagecheck._notify_kind(evs.action) IS NOT NULL)
              INTO hits, opened, escalated, cleared, rectified, payloads
              FROM evs;
            PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        END IF;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        INSERT INTO wagecheck.rule_eval_state AS es
               (code, snapshot, scan_xid, seen_seq, evaluated_to, carried, at, time_zone, projects)
        VALUES (r.code, snap, pg_catalog.pg_current_xact_id(), seen, as_of, carry, now(),
                pg_catalog.current_setting('TimeZone'), nullif(changed, '{}'))
        ON CONFLICT (code) DO UPDATE
           SET snapshot = excluded.snapshot, scan_xid = excluded.scan_xid, seen_seq = excluded.seen_seq,
               evaluated_to = excluded.evaluated_to, carried = excluded.carried, at = excluded.at,
               time_zone = excluded.time_zone, projects = excluded.projects;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
    PERFORM wagecheck._input_change_trim();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz, boolean) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing. Incremental (default): a rule whose inputs did not change since its last scan, and which time alone does not change, keeps its hits (from its live alerts) without being evaluated, and a rule with a project evaluator is evaluated only for the projects whose rows changed (a time-driven one with a horizon, on a later day, also for those its horizon names); incremental => false evaluates every rule. Refuses a moment beyond now() plus wagecheck.scan_future_tolerance (22008); while another scan''s transaction is open it returns no row at once (NOTICE; advisory lock 95946671341902)';

-- undo_scan(after): the way back from a scan as of a moment in the future (made before scan()
-- refused them, or within wagecheck.scan_future_tolerance). Removes what scans wrote as of
-- moments after `after`: their events, the alerts they opened (which alert_kept otherwise
-- refuses to delete: its trigger is disabled while undo_scan runs), the violations they
-- consumed (free again for the next scan); gives every alert they changed back the state its
-- last remaining event records; sets the rules' high-water mark back to `after` and forgets
-- their last evaluation (rule_eval_state, rule_kept_hit), so the next scan evaluates them in
-- full. `after` lies between now() and the furthest moment a scan accepts: history before
-- now() is never undone. Only the owner of wagecheck's tables (or a superuser) may; each undo
-- is written to the server log. Waits for a running scan (the scan lock).
CREATE FUNCTION wagecheck.undo_scan(after timestamptz DEFAULT now())
    RETURNS TABLE (rule_code text, scanned_to timestamptz, alerts_removed bigint,
                   events_removed bigint, alerts_restored bigint, violations_released bigint)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
#variable_conflict use_column
DECLARE
    k record;
    gone bigint[];
    touched bigint[];
BEGIN
    IF after IS NULL OR NOT isfinite(after) THEN
        RAISE EXCEPTION 'undo_scan needs a finite moment'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'wagecheck.undo_scan(now()) removes what scans wrote as of moments in the future.';
    END IF;
    IF after < now() OR after > wagecheck._scan_future_limit() THEN
        RAISE EXCEPTION 'undo_scan removes only what scans wrote as of moments in the future'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The moment given is %s; now() is %s, and a scan may look %s beyond it.', after, now(),
                                  pg_catalog.current_setting('wagecheck.scan_future_tolerance')),
                  HINT = 'Alerts and events as of moments up to now() are history and stay. Call wagecheck.undo_scan(now()).';
    END IF;
    IF NOT pg_catalog.pg_has_role(current_user,
                                  (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'wagecheck.alert'::regclass),
                                  'USAGE') THEN
        RAISE EXCEPTION 'permission denied to undo a scan'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Undoing a scan deletes alerts and their history.',
                  HINT = 'Ask the owner of the wagecheck extension, or a superuser.';
    END IF;
    -- no scan runs meanwhile: wait for a running one, keep the next one out until commit
    PERFORM pg_catalog.pg_advisory_xact_lock(95946671341902);
    ALTER TABLE wagecheck.alert DISABLE TRIGGER alert_kept;
    FOR k IN
        SELECT u.code, max(u.scanned_to) AS scanned_to
          FROM (SELECT rs.code, rs.scanned_to FROM wagecheck.rule_scan rs WHERE rs.scanned_to > after
                UNION ALL
                SELECT DISTINCT a.rule_code, NULL::timestamptz
                  FROM wagecheck.alert_event e JOIN wagecheck.alert a ON a.alert_id = e.alert_id
                 WHERE e.at > after) u
         GROUP BY u.code ORDER BY u.code
    LOOP
        rule_code := k.code;
        scanned_to := k.scanned_to;
        gone := ARRAY(SELECT a.alert_id FROM wagecheck.alert a WHERE a.rule_code = k.code AND a.opened_at > after);
        touched := ARRAY(SELECT DISTINCT e.alert_id
                           FROM wagecheck.alert a JOIN wagecheck.alert_event e ON e.alert_id = a.alert_id
                          WHERE a.rule_code = k.code AND a.opened_at <= after AND e.at > after);
        DELETE FROM wagecheck.alert_event e
         WHERE e.alert_id = ANY (gone || touched) AND e.at > after;
        GET DIAGNOSTICS events_removed = ROW_COUNT;
        DELETE FROM wagecheck.alert_violation av
         WHERE av.consumed_at > after
           AND av.alert_id IN (SELECT a.alert_id FROM wagecheck.alert a WHERE a.rule_code = k.code);
        GET DIAGNOSTICS violations_released = ROW_COUNT;
        DELETE FROM wagecheck.alert a WHERE a.alert_id = ANY (gone);
        GET DIAGNOSTICS alerts_removed = ROW_COUNT;
        -- the state the last remaining event records (closing and escalating moments with it)
        UPDATE wagecheck.alert a
           SET tier = l.to_tier, state = l.to_state, deadline_on = l.deadline_on, due_at = l.due_at,
               updated_at = l.at,
               closed_at = CASE WHEN l.to_state IN ('cleared', 'closed', 'reported') THEN l.at END,
               escalated_at = CASE WHEN a.escalated_at > after
                                   THEN (SELECT max(e.at) FROM wagecheck.alert_event e
                                          WHERE e.alert_id = a.alert_id
                                            AND e.action IN ('escalate', 'overdue', 'reopen_overdue'))
                                   ELSE a.escalated_at END
          FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.at, e.to_tier, e.to_state, e.deadline_on, e.due_at
                  FROM wagecheck.alert_event e
                 WHERE e.alert_id = ANY (touched)
                 ORDER BY e.alert_id, e.at DESC, e.event_id DESC) l
         WHERE a.alert_id = l.alert_id;
        GET DIAGNOSTICS alerts_restored = ROW_COUNT;
        DELETE FROM wagecheck.rule_kept_hit h WHERE h.code = k.code;
        DELETE FROM wagecheck.rule_eval_state s WHERE s.code = k.code;
        UPDATE wagecheck.rule_scan rs SET scanned_to = after, scanned_at = now()
         WHERE rs.code = k.code AND rs.scanned_to > after;
        RAISE LOG 'wagecheck.undo_scan(%) by %: rule % (scanned to %): % alerts removed, % events removed, % alerts restored, % violations released',
                  after, current_user, k.code, coalesce(k.scanned_to::text, '-'), alerts_removed, events_removed,
                  alerts_restored, violations_released;
        RETURN NEXT;
    END LOOP;
    ALTER TABLE wagecheck.alert ENABLE TRIGGER alert_kept;
END
$$;
COMMENT ON FUNCTION wagecheck.undo_scan(timestamptz) IS
    'administrators only: removes what scans wrote as of moments after the one given (between now() and the furthest a scan accepts): their alerts, events and consumed violations; gives the alerts they changed back their earlier state; sets the rules'' scan mark back to it and forgets their last evaluation. Returns per rule what was undone; logged to the server log';

-- ==== scoped alerts and owner-rights BI views: every role reads the alerts, their events,
-- the supervision ledger, the board and the indicators of its scope (project_in_scope,
-- alert_in_scope: row-level security on alert, alert_event, alert_violation and violation;
-- the ledger, the board and project_month_indicators apply their caller's scope under their
-- owner's rights), and officers take their steps on the alerts of their scope
-- project_in_scope: is the project within the officer's scope (by default the current
-- role)? The one test of a project's scope that the policies of the alerts and violations
-- and the owner-rights views (the boards, the ledger, the indicators) call, row by row:
-- it reads the project as the owner (no row-level security to recurse into, and a view
-- that runs with its owner's rights still applies its caller's scope), for the officer
-- the session acts as; asking about another role is refused, as worker_in_scope does.
CREATE FUNCTION wagecheck.project_in_scope(project bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF project_in_scope.officer IS NULL
       OR (project_in_scope.officer <> session_user
           AND NOT pg_has_role(session_user, project_in_scope.officer, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to ask which projects % sees', coalesce(project_in_scope.officer, 'NULL')
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(project_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(project_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(project_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR EXISTS (SELECT 1
                     FROM wagecheck.project p
                     JOIN wagecheck.officer_scope s ON s.officer = project_in_scope.officer
                                                    AND starts_with(p.division::text, s.division_prefix)
                                                    AND (s.sector IS NULL OR s.sector = p.sector)
                    WHERE p.project_id = project_in_scope.project);
END
$$;
COMMENT ON FUNCTION wagecheck.project_in_scope(bigint, name) IS 'true when the project is within the scope of the officer (the current role unless named; only a role the session may act as): roles that see everything, officers whose wagecheck.officer_scope covers its division and sector; false for no project';

-- alert_in_scope: is an alert of this project (or, without a project, of this division:
-- an enterprise's) within the officer's scope? Alerts of no project are seen by the
-- officers whose scope names no sector, within its divisions.
CREATE FUNCTION wagecheck.alert_in_scope(project bigint, division wagecheck.division_code,
                                         officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF alert_in_scope.project IS NOT NULL THEN
        RETURN wagecheck.project_in_scope(alert_in_scope.project, alert_in_scope.officer);
    END IF;
    IF alert_in_scope.officer IS NULL
       OR (alert_in_scope.officer <> session_user
           AND NOT pg_has_role(session_user, alert_in_scope.officer, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to ask which alerts % sees', coalesce(alert_in_scope.officer, 'NULL')
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(alert_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(alert_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(alert_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR (alert_in_scope.division IS NOT NULL
            AND EXISTS (SELECT 1 FROM wagecheck.officer_scope s
                         WHERE s.officer = alert_in_scope.officer AND s.sector IS NULL
                           AND starts_with(alert_in_scope.division::text, s.division_prefix)));
END
$$;
COMMENT ON FUNCTION wagecheck.alert_in_scope(bigint, wagecheck.division_code, name) IS 'true when an alert of this project, or of no project and this division, is within the scope of the officer (the current role unless named; only a role the session may act as): project_in_scope for a project; without one, officers whose scope names no sector and covers the division';

DROP POLICY scope ON wagecheck.violation;
CREATE POLICY scope ON wagecheck.violation FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id));
DROP FUNCTION wagecheck._officer_step(bigint, text, text, timestamptz);
-- _officer_step(alert, action, note, at, officer): one officer action, checked by the state
-- machine, on an alert within the officer's scope. It writes the alert and its event as the
-- owner (no role writes them); the officer is the role the public steps run as (their
-- current_user), and only a role the session may act as: an alert outside his scope is
-- refused as one that does not exist. The event's actor is that officer.
CREATE FUNCTION wagecheck._officer_step(p_alert bigint, p_action text, p_note text, p_at timestamptz,
                                        p_officer name)
    RETURNS wagecheck.alert
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    a wagecheck.alert;
    steps text[] := ARRAY[p_action];
    step text;
    from_state text;
    to_state text;
    kind text;
BEGIN
    IF p_alert IS NULL THEN
        RAISE EXCEPTION 'no alert given' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_note IS NULL OR btrim(p_note) = '' THEN
        RAISE EXCEPTION 'a note is required to % alert %', p_action, p_alert
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what was found or done: the note goes into the alert''s history.';
    END IF;
    IF p_at IS NULL OR NOT isfinite(p_at) THEN
        RAISE EXCEPTION 'the time of the action must be a finite moment' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_officer IS NULL OR (p_officer <> session_user AND NOT pg_has_role(session_user, p_officer, 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to act on alerts as %', coalesce(p_officer, 'NULL')
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM wagecheck.alert WHERE alert_id = p_alert FOR UPDATE;
    IF NOT FOUND OR NOT wagecheck.alert_in_scope(a.project_id, a.division, p_officer) THEN
        RAISE EXCEPTION 'alert % does not exist', p_alert USING ERRCODE = 'no_data_found';
    END IF;
    IF p_at < a.updated_at THEN
        RAISE EXCEPTION 'cannot % alert % as of %: it last changed at %', p_action, p_alert, p_at, a.updated_at
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'An alert''s history moves forward only.';
    END IF;
    -- a K alert raised only by recorded violations, or by an event (rule.once), has no
    -- condition a scan sees go away: the officer's confirmation records the rectification
    IF p_action = 'confirm' AND a.tier = 'K' AND a.state IN ('open', 'overdue')
       AND (a.evidence = 'violation' OR (SELECT r.once FROM wagecheck.rule r WHERE r.code = a.rule_code)) THEN
        steps := ARRAY['rectify_violation', 'confirm'];
    END IF;
    FOREACH step IN ARRAY steps LOOP
        from_state := a.state;
        to_state := wagecheck.alert_transition(a.tier, a.state, step, 'officer');
        a.state := to_state;
        a.updated_at := p_at;
        IF to_state IN ('closed', 'reported') THEN
            a.closed_at := p_at;
        END IF;
        IF step = 'verify' THEN
            a.due_at := coalesce((a.details ->> 'report_due')::timestamptz,
                                 a.opened_at + make_interval(hours =>
                                     (wagecheck.rule_param(a.rule_code, 'report_hours', a.division))::int));
        END IF;
        INSERT INTO wagecheck.alert_event (alert_id, at, action, from_state, to_state, from_tier, to_tier,
                                           deadline_on, due_at, actor, note)
        VALUES (a.alert_id, p_at, step, from_state, to_state, a.tier, a.tier,
                a.deadline_on, CASE WHEN a.tier = 'O' THEN a.due_at END, p_officer, p_note);
    END LOOP;
    UPDATE wagecheck.alert
       SET state = a.state, updated_at = a.updated_at, closed_at = a.closed_at, due_at = a.due_at
     WHERE alert_id = a.alert_id;
    -- a once rule's alert raised by its evaluator and closed by the officer was a hit of the
    -- rule's last evaluation: recorded as a change of the project, so that the next scan
    -- evaluates it and keeps the hit (rule_kept_hit) instead of carrying over live alerts only
    IF a.state = 'closed' AND a.evidence IN ('rule', 'both')
       AND (SELECT r.once FROM wagecheck.rule r WHERE r.code = a.rule_code) THEN
        INSERT INTO wagecheck.input_change (table_name, projects)
        VALUES ('alert', CASE WHEN a.project_id IS NOT NULL THEN ARRAY[a.project_id] END);
    END IF;
    kind := wagecheck._notify_kind(p_action);
    IF kind IS NOT NULL THEN
        PERFORM pg_notify('wagecheck_alert',
                          wagecheck._alert_payload(kind, a.alert_id, a.rule_code, a.tier, a.state,
                                                   a.subject_kind, a.subject_id, a.period,
                                                   a.division::text, p_at));
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION wagecheck._officer_step(bigint, text, text, timestamptz, name) IS
    'one officer action on an alert within the officer''s scope, checked by the lifecycle state machine (internal)';

CREATE OR REPLACE FUNCTION wagecheck.confirm_rectified(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'confirm', note, at, current_user) $$;
COMMENT ON FUNCTION wagecheck.confirm_rectified(bigint, text, timestamptz) IS
    'closes a key (K) alert: an officer confirms the rectification after a scan found the condition gone (state rectified); SQLSTATE WC040 otherwise';

CREATE OR REPLACE FUNCTION wagecheck.verify_alert(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'verify', note, at, current_user) $$;
COMMENT ON FUNCTION wagecheck.verify_alert(bigint, text, timestamptz) IS
    'records the verification (核查落实) of a public-opinion (O) alert; its report deadline then runs';

CREATE OR REPLACE FUNCTION wagecheck.report_alert(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'report', note, at, current_user) $$;
COMMENT ON FUNCTION wagecheck.report_alert(bigint, text, timestamptz) IS
    'records the report upward (反馈上报) of a verified public-opinion (O) alert, which closes it';

-- The ledger and the board run with their owner's rights and apply their caller's scope
-- themselves (wagecheck.alert_in_scope, as the policies of the alerts do): an officer sees
-- the alerts of his projects and reads them without rights on the tables they join;
-- security_barrier keeps a caller's own conditions from running before that scope is applied.
CREATE OR REPLACE VIEW wagecheck.supervision_ledger WITH (security_barrier = true) AS
SELECT a.alert_id,
       a.rule_code,
       r.name_zh AS rule_name_zh,
       r.name_en AS rule_name_en,
       coalesce(p.name, e.name, a.subject_kind || ' ' || a.subject_id) AS unit,
       a.subject_kind,
       a.subject_id,
       a.period,
       a.project_id,
       a.division AS county,
       a.state,
       a.opened_at,
       a.deadline_on,
       s.scanned_to AS as_of,
       greatest(s.scanned_to::date - a.deadline_on, 0) AS days_overdue,
       CASE WHEN s.scanned_to::date > a.deadline_on
            THEN wagecheck.working_days_between(a.deadline_on, s.scanned_to::date) ELSE 0 END AS working_days_overdue,
       coalesce(d.department_zh, '人力资源和社会保障局') AS department_zh,
       coalesce(d.department_en, 'human resources and social security bureau') AS department_en,
       coalesce(p.sector, 'other') AS sector,
       a.details
  FROM wagecheck.alert a
  JOIN wagecheck.rule r ON r.code = a.rule_code
  LEFT JOIN wagecheck.rule_scan s ON s.code = a.rule_code
  LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
  LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = a.enterprise_id AND p.project_id IS NULL
  LEFT JOIN wagecheck.sector_department d ON d.sector = coalesce(p.sector, 'other')
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division));
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county; of the alerts within the caller''s scope (alert_in_scope)';

CREATE OR REPLACE VIEW wagecheck.alert_board WITH (security_barrier = true) AS
SELECT a.division AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at
  FROM wagecheck.alert a
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division))
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest; of the alerts within the caller''s scope (alert_in_scope)';

-- Who sees and handles which alerts: every role reads the alerts, their events and the
-- violations they consumed within its scope (row-level security through
-- wagecheck.alert_in_scope, the test of wagecheck.project_in_scope by the alert's project);
-- inspectors, analysts and administrators see every alert. Only wagecheck's functions
-- write alerts: scan() as its owner; officers take their steps (confirm_rectified,
-- verify_alert, report_alert) on the alerts of their scope.

-- alert_id_in_scope: is the alert (by id) within the officer's scope? For the tables that
-- name an alert and no project: its events and the violations it consumed.
CREATE FUNCTION wagecheck.alert_id_in_scope(alert bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
    SELECT coalesce((SELECT wagecheck.alert_in_scope(a.project_id, a.division, officer)
                       FROM wagecheck.alert a WHERE a.alert_id = alert), false)
$$;
COMMENT ON FUNCTION wagecheck.alert_id_in_scope(bigint, name) IS 'true when the alert is within the scope of the officer (the current role unless named; only a role the session may act as), as alert_in_scope judges it by the alert''s project or division; false for no alert';

ALTER TABLE wagecheck.alert ENABLE ROW LEVEL SECURITY;
ALTER TABLE wagecheck.alert_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE wagecheck.alert_violation ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON wagecheck.alert FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.alert_in_scope(project_id, division));
CREATE POLICY scope ON wagecheck.alert_event FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.alert_id_in_scope(alert_id));
CREATE POLICY scope ON wagecheck.alert_violation FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.alert_id_in_scope(alert_id));

-- read by every role within its scope; written by no role (scan() and the officers' steps
-- write them as the owner)
GRANT SELECT ON wagecheck.alert, wagecheck.alert_event, wagecheck.alert_violation,
    wagecheck.rule_scan, wagecheck.sector_department, wagecheck.supervision_ledger, wagecheck.alert_board
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;

CREATE OR REPLACE VIEW wagecheck.project_month_indicators WITH (security_barrier = true) AS
WITH current_line AS (          -- pay lines not replaced by a correction
    SELECT l.line_id, l.worker_id, l.payable, l.net, s.project_id, s.period
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id)
), payment AS (
    SELECT cl.project_id, cl.period, cl.worker_id, cl.line_id, p.amount,
           (p.method = 'account' AND p.card IS NOT DISTINCT FROM w.wage_card AND p.card IS NOT NULL) AS own_card_via_account
      FROM wagecheck.wage_payment p
      JOIN current_line cl ON cl.line_id = p.line_id
      JOIN wagecheck.worker w ON w.worker_id = cl.worker_id
), coverage AS (                -- who was rostered, attended, on the pay sheet, paid
    SELECT project_id, period,
           wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) AS c
      FROM (SELECT a.project_id, date_trunc('month', a.day::timestamp)::date AS period, a.worker_id,
                   false AS rostered, true AS attended, false AS on_payroll, false AS paid
              FROM wagecheck.attendance a
            UNION ALL
            SELECT project_id, period, worker_id, false, false, true, false FROM current_line
            UNION ALL
            SELECT project_id, period, worker_id, false, false, false, true FROM payment
            UNION ALL
            SELECT r.project_id, m::date, r.worker_id, true, false, false, false
              FROM wagecheck.roster r,
                   generate_series(date_trunc('month', r.start_on::timestamp),
                                   date_trunc('month', least(coalesce(r.end_on, CURRENT_DATE), CURRENT_DATE)::timestamp),
                                   interval '1 month') m) f
     GROUP BY project_id, period
), worker_month AS (            -- each worker's payable, net (实发) and paid per project-month
    SELECT cl.project_id, cl.period, cl.worker_id, sum(cl.payable) AS payable, sum(cl.net) AS net,
           coalesce(sum(pp.paid), 0) AS paid
      FROM current_line cl
      LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM payment GROUP BY line_id) pp USING (line_id)
     GROUP BY cl.project_id, cl.period, cl.worker_id
), worker_run AS (              -- runs of months owed up to each month, per worker
    SELECT project_id, period, worker_id, payable, net, paid, greatest(net - paid, 0) AS owed,
           wagecheck.owed_agg(period, net, paid)
               OVER (PARTITION BY project_id, worker_id ORDER BY period) AS o
      FROM worker_month
), wages AS (
    SELECT project_id, period, sum(payable) AS payable, sum(net) AS net, sum(paid) AS paid, sum(owed) AS owed,
           count(*) FILTER (WHERE owed > 0) AS workers_owed,
           coalesce(max((o).current_run), 0) AS longest_owed_run,
           min((o).oldest_unpaid) AS oldest_unpaid_period
      FROM worker_run
     GROUP BY project_id, period
), payments AS (
    SELECT project_id, period, count(*) AS payments,
           count(*) FILTER (WHERE own_card_via_account) AS payments_own_card
      FROM payment GROUP BY project_id, period
), months AS (
    SELECT project_id, period FROM coverage
     WHERE (c).attended + (c).on_payroll + (c).paid > 0
    UNION
    SELECT project_id, period FROM wagecheck.labour_cost_schedule
    UNION                       -- the month a period's labour cost falls due
    SELECT project_id, date_trunc('month', due_on::timestamp)::date FROM wagecheck.labour_cost_schedule
), labour_event AS (            -- schedule rows (due) and the owner's payments in (paid)
    SELECT project_id, due_on AS day, amount_due AS due, 0::numeric AS paid
      FROM wagecheck.labour_cost_schedule
    UNION ALL
    SELECT a.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account a ON a.account_id = t.account_id
     WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
), labour AS (
    SELECT m.project_id, m.period,
           wagecheck.labour_cost_agg(e.day, e.due, e.paid,
               least((m.period + interval '1 month - 1 day')::date, CURRENT_DATE)) AS l
      FROM months m
      JOIN labour_event e ON e.project_id = m.project_id
     GROUP BY m.project_id, m.period
)
SELECT p.project_id, p.code AS project_code, p.name AS project_name,
       p.division, wagecheck.county(p.division) AS county, wagecheck.city(p.division) AS city,
       p.sector, p.funding, m.period,
       s.amount_due AS labour_cost_due_month,
       coalesce((l.l).due, 0.00) AS labour_cost_due,
       coalesce((l.l).paid, 0.00) AS labour_cost_paid,
       coalesce((l.l).shortfall, 0.00) AS labour_cost_shortfall,
       coalesce((l.l).days_overdue, 0) AS labour_cost_days_overdue,
       coalesce(w.payable, 0.00) AS wages_payable,
       coalesce(w.net, 0.00) AS wages_net,
       coalesce(w.paid, 0.00) AS wages_paid,
       coalesce(w.owed, 0.00) AS wages_owed,
       coalesce(w.workers_owed, 0) AS workers_owed,
       coalesce(w.longest_owed_run, 0) AS longest_owed_run,
       w.oldest_unpaid_period,
       CASE WHEN w.oldest_unpaid_period IS NOT NULL
            THEN ((extract(year FROM m.period) - extract(year FROM w.oldest_unpaid_period)) * 12
                  + extract(month FROM m.period) - extract(month FROM w.oldest_unpaid_period))::int
       END AS oldest_unpaid_age_months,
       coalesce((c.c).rostered, 0) AS roster_size,
       coalesce((c.c).attended, 0) AS workers_attended,
       coalesce((c.c).on_payroll, 0) AS workers_on_payroll,
       coalesce((c.c).paid, 0) AS workers_paid,
       coalesce((c.c).attended_paid, 0) AS attendees_paid,
       coalesce((c.c).attended - (c.c).attended_on_payroll, 0) AS attendees_not_on_payroll,
       coalesce((c.c).attended_not_rostered, 0) AS attendees_not_rostered,
       round((c.c).attended_paid::numeric / nullif((c.c).attended, 0), 4) AS share_attendees_paid,
       coalesce(pm.payments, 0) AS payments,
       coalesce(pm.payments_own_card, 0) AS payments_own_card_via_account,
       round(pm.payments_own_card::numeric / nullif(pm.payments, 0), 4) AS share_payments_own_card_via_account,
       round(coalesce(p.contract_value, 0) * coalesce(pg_catalog.current_setting('wagecheck.deposit_rate', true), '0.02')::numeric, 2)
           AS deposit_required,
       coalesce((SELECT sum(d.amount) FROM wagecheck.guarantee_deposit d
                  WHERE d.project_id = p.project_id
                    AND d.deposited_on <= (m.period + interval '1 month - 1 day')::date
                    AND (d.returned_on IS NULL OR d.returned_on > (m.period + interval '1 month - 1 day')::date)
                    AND (d.expires_on IS NULL OR d.expires_on >= (m.period + interval '1 month - 1 day')::date)),
                0.00) AS deposit_in_place
  FROM months m
  JOIN wagecheck.project p ON p.project_id = m.project_id
  LEFT JOIN wagecheck.labour_cost_schedule s ON s.project_id = m.project_id AND s.period = m.period
  LEFT JOIN labour l ON l.project_id = m.project_id AND l.period = m.period
  LEFT JOIN wages w ON w.project_id = m.project_id AND w.period = m.period
  LEFT JOIN coverage c ON c.project_id = m.project_id AND c.period = m.period
  LEFT JOIN payments pm ON pm.project_id = m.project_id AND pm.period = m.period
 WHERE wagecheck.sees_everything() OR wagecheck.project_in_scope(p.project_id);

COMMENT ON VIEW wagecheck.project_month_indicators IS 'arrears indicators per project and month (months with attendance, a pay sheet, a payment, a labour-cost period or a labour-cost due date): labour cost, wages owed, runs of months owed, roster/attendance/payroll coverage, payments through the dedicated account, guarantee deposit; of the projects within the caller''s scope (project_in_scope)';
ALTER VIEW wagecheck.county_month_indicators RESET (security_invoker);
ALTER VIEW wagecheck.city_month_indicators RESET (security_invoker);
ALTER VIEW wagecheck.sector_month_indicators RESET (security_invoker);
ALTER VIEW wagecheck.funding_month_indicators RESET (security_invoker);

-- every role reads the indicators, of the projects in its scope
GRANT SELECT ON wagecheck.project_month_indicators, wagecheck.county_month_indicators,
    wagecheck.city_month_indicators, wagecheck.sector_month_indicators, wagecheck.funding_month_indicators
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;

-- ==== views for BI tools: division codes as text and their names (wagecheck.division, GB/T
-- 2260, shipped as data), counts as bigint, no jsonb, Chinese labels (label_zh), local-time
-- columns in wagecheck.timezone; the views are recreated (their columns change type)
-- GB/T 2260 names of administrative divisions, for the names beside the codes in the views
-- for BI tools. Shipped rows (every province, prefecture and county, 51_division_data.sql,
-- generated from divisions-cn.csv) are the extension's; a deployment adds its own (new or
-- renamed divisions), which pg_dump keeps.

CREATE TABLE wagecheck.division (
    code    text PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$'),
    name    text NOT NULL CHECK (btrim(name) <> ''),
    level   text NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent  text,
    shipped boolean NOT NULL DEFAULT false,
    CHECK (level = CASE length(code) WHEN 2 THEN 'province' WHEN 4 THEN 'prefecture' ELSE 'county' END),
    CHECK (parent IS NOT DISTINCT FROM CASE WHEN length(code) > 2 THEN left(code, length(code) - 2) END)
);
COMMENT ON TABLE wagecheck.division IS 'GB/T 2260 administrative divisions (行政区划) by code prefix: 2 digits a province, 4 a prefecture (city), 6 a county or district; names for the views for BI tools';
COMMENT ON COLUMN wagecheck.division.code IS 'code prefix: 2 digits (province), 4 (prefecture) or 6 (county), as in officer_scope.division_prefix';
COMMENT ON COLUMN wagecheck.division.name IS 'official name, e.g. 山东省, 临沂市, 兰山区';
COMMENT ON COLUMN wagecheck.division.level IS 'province, prefecture or county (by the length of the code)';
COMMENT ON COLUMN wagecheck.division.parent IS 'code of the division above (the code without its last two digits); NULL for a province';
COMMENT ON COLUMN wagecheck.division.shipped IS 'true for the divisions installed with wagecheck; rows added by a deployment are false and are the ones pg_dump saves';
SELECT pg_catalog.pg_extension_config_dump('wagecheck.division', 'WHERE NOT shipped');

-- division_key: the row of wagecheck.division a six-digit code names: 370000 the province
-- (37), 371300 the prefecture (3713), any other the county.
CREATE FUNCTION wagecheck.division_key(code wagecheck.division_code) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE WHEN right(code::text, 4) = '0000' THEN left(code::text, 2)
                WHEN right(code::text, 2) = '00' THEN left(code::text, 4)
                ELSE code::text END
$$;
COMMENT ON FUNCTION wagecheck.division_key(wagecheck.division_code) IS 'the code prefix of wagecheck.division a six-digit division code names: 370000 -> 37, 371300 -> 3713, 371302 -> 371302';

-- division_name: the name of a division (NULL when wagecheck.division has none).
CREATE FUNCTION wagecheck.division_name(code wagecheck.division_code) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT d.name FROM wagecheck.division d WHERE d.code = wagecheck.division_key(division_name.code)
$$;
COMMENT ON FUNCTION wagecheck.division_name(wagecheck.division_code) IS 'the GB/T 2260 name of a division (370000 山东省, 371300 临沂市, 371302 兰山区) from wagecheck.division; NULL when it has none';

-- GB/T 2260 administrative divisions shipped with wagecheck: every province, prefecture and county.
-- Generated from src/ident/divisions-cn.csv by src/ident/gen-division-data.sh; do not edit.
INSERT INTO wagecheck.division (code, name, level, parent, shipped) VALUES
    ('11', '北京市', 'province', NULL, true),
    ('12', '天津市', 'province', NULL, true),
    ('13', '河北省', 'province', NULL, true),
    ('14', '山西省', 'province', NULL, true),
    ('15', '内蒙古自治区', 'province', NULL, true),
    ('21', '辽宁省', 'province', NULL, true),
    ('22', '吉林省', 'province', NULL, true),
    ('23', '黑龙江省', 'province', NULL, true),
    ('31', '上海市', 'province', NULL, true),
    ('32', '江苏省', 'province', NULL, true),
    ('33', '浙江省', 'province', NULL, true),
    ('34', '安徽省', 'province', NULL, true),
    ('35', '福建省', 'province', NULL, true),
    ('36', '江西省', 'province', NULL, true),
    ('37', '山东省', 'province', NULL, true),
    ('41', '河南省', 'province', NULL, true),
    ('42', '湖北省', 'province', NULL, true),
    ('43', '湖南省', 'province', NULL, true),
    ('44', '广东省', 'province', NULL, true),
    ('45', '广西壮族自治区', 'province', NULL, true),
    ('46', '海南省', 'province', NULL, true),
    ('50', '重庆市', 'province', NULL, true),
    ('51', '四川省', 'province', NULL, true),
    ('52', '贵州省', 'province', NULL, true),
    ('53', '云南省', 'province', NULL, true),
    ('54', '西藏自治区', 'province', NULL, true),
    ('61', '陕西省', 'province', NULL, true),
    ('62', '甘肃省', 'province', NULL, true),
    ('63', '青海省', 'province', NULL, true),
    ('64', '宁夏回族自治区', 'province', NULL, true),
    ('65', '新疆维吾尔自治区', 'province', NULL, true),
    ('1101', '市辖区', 'prefecture', '11', true),
    ('1201', '市辖区', 'prefecture', '12', true),
    ('1301', '石家庄市', 'prefecture', '13', true),
    ('1302', '唐山市', 'prefecture', '13', true),
    ('1303', '秦皇岛市', 'prefecture', '13', true),
    ('1304', '邯郸市', 'prefecture', '13', true),
    ('1305', '邢台市', 'prefecture', '13', true),
    ('1306', '保定市', 'prefecture', '13', true),
    ('1307', '张家口市', 'prefecture', '13', true),
    ('1308', '承德市', 'prefecture', '13', true),
    ('1309', '沧州市', 'prefecture', '13', true),
    ('1310', '廊坊市', 'prefecture', '13', true),
    ('1311', '衡水市', 'prefecture', '13', true),
    ('1401', '太原市', 'prefecture', '14', true),
    ('1402', '大同市', 'prefecture', '14', true),
    ('1403', '阳泉市', 'prefecture', '14', true),
    ('1404', '长治市', 'prefecture', '14', true),
    ('1405', '晋城市', 'prefecture', '14', true),
    ('1406', '朔州市', 'prefecture', '14', true),
    ('1407', '晋中市', 'prefecture', '14', true),
    ('1408', '运城市', 'prefecture', '14', true),
    ('1409', '忻州市', 'prefecture', '14', true),
    ('1410', '临汾市', 'prefecture', '14', true),
    ('1411', '吕梁市', 'prefecture', '14', true),
    ('1501', '呼和浩特市', 'prefecture', '15', true),
    ('1502', '包头市', 'prefecture', '15', true),
    ('1503', '乌海市', 'prefecture', '15', true),
    ('1504', '赤峰市', 'prefecture', '15', true),
    ('1505', '通辽市', 'prefecture', '15', true),
    ('1506', '鄂尔多斯市', 'prefecture', '15', true),
    ('1507', '呼伦贝尔市', 'prefecture', '15', true),
    ('1508', '巴彦淖尔市', 'prefecture', '15', true),
    ('1509', '乌兰察布市', 'prefecture', '15', true),
    ('1522', '兴安盟', 'prefecture', '15', true),
    ('1525', '锡林郭勒盟', 'prefecture', '15', true),
    ('1529', '阿拉善盟', 'prefecture', '15', true),
    ('2101', '沈阳市', 'prefecture', '21', true),
    ('2102', '大连市', 'prefecture', '21', true),
    ('2103', '鞍山市', 'prefecture', '21', true),
    ('2104', '抚顺市', 'prefecture', '21', true),
    ('2105', '本溪市', 'prefecture', '21', true),
    ('2106', '丹东市', 'prefecture', '21', true),
    ('2107', '锦州市', 'prefecture', '21', true),
    ('2108', '营口市', 'prefecture', '21', true),
    ('2109', '阜新市', 'prefecture', '21', true),
    ('2110', '辽阳市', 'prefecture', '21', true),
    ('2111', '盘锦市', 'prefecture', '21', true),
    ('2112', '铁岭市', 'prefecture', '21', true),
    ('2113', '朝阳市', 'prefecture', '21', true),
    ('2114', '葫芦岛市', 'prefecture', '21', true),
    ('2201', '长春市', 'prefecture', '22', true),
    ('2202', '吉林市', 'prefecture', '22', true),
    ('2203', '四平市', 'prefecture', '22', true),
    ('2204', '辽源市', 'prefecture', '22', true),
    ('2205', '通化市', 'prefecture', '22', true),
    ('2206', '白山市', 'prefecture', '22', true),
    ('2207', '松原市', 'prefecture', '22', true),
    ('2208', '白城市', 'prefecture', '22', true),
    ('2224', '延边朝鲜族自治州', 'prefecture', '22', true),
    ('2301', '哈尔滨市', 'prefecture', '23', true),
    ('2302', '齐齐哈尔市', 'prefecture', '23', true),
    ('2303', '鸡西市', 'prefecture', '23', true),
    ('2304', '鹤岗市', 'prefecture', '23', true),
    ('2305', '双鸭山市', 'prefecture', '23', true),
    ('2306', '大庆市', 'prefecture', '23', true),
    ('2307', '伊春市', 'prefecture', '23', true),
    ('2308', '佳木斯市', 'prefecture', '23', true),
    ('2309', '七台河市', 'prefecture', '23', true),
    ('2310', '牡丹江市', 'prefecture', '23', true),
    ('2311', '黑河市', 'prefecture', '23', true),
    ('2312', '绥化市', 'prefecture', '23', true),
    ('2327', '大兴安岭地区', 'prefecture', '23', true),
    ('3101', '市辖区', 'prefecture', '31', true),
    ('3201', '南京市', 'prefecture', '32', true),
    ('3202', '无锡市', 'prefecture', '32', true),
    ('3203', '徐州市', 'prefecture', '32', true),
    ('3204', '常州市', 'prefecture', '32', true),
    ('3205', '苏州市', 'prefecture', '32', true),
    ('3206', '南通市', 'prefecture', '32', true),
    ('3207', '连云港市', 'prefecture', '32', true),
    ('3208', '淮安市', 'prefecture', '32', true),
    ('3209', '盐城市', 'prefecture', '32', true),
    ('3210', '扬州市', 'prefecture', '32', true),
    ('3211', '镇江市', 'prefecture', '32', true),
    ('3212', '泰州市', 'prefecture', '32', true),
    ('3213', '宿迁市', 'prefecture', '32', true),
    ('3301', '杭州市', 'prefecture', '33', true),
    ('3302', '宁波市', 'prefecture', '33', true),
    ('3303', '温州市', 'prefecture', '33', true),
    ('3304', '嘉兴市', 'prefecture', '33', true),
    ('3305', '湖州市', 'prefecture', '33', true),
    ('3306', '绍兴市', 'prefecture', '33', true),
    ('3307', '金华市', 'prefecture', '33', true),
    ('3308', '衢州市', 'prefecture', '33', true),
    ('3309', '舟山市', 'prefecture', '33', true),
    ('3310', '台州市', 'prefecture', '33', true),
    ('3311', '丽水市', 'prefecture', '33', true),
    ('3401', '合肥市', 'prefecture', '34', true),
    ('3402', '芜湖市', 'prefecture', '34', true),
    ('3403', '蚌埠市', 'prefecture', '34', true),
    ('3404', '淮南市', 'prefecture', '34', true),
    ('3405', '马鞍山市', 'prefecture', '34', true),
    ('3406', '淮北市', 'prefecture', '34', true),
    ('3407', '铜陵市', 'prefecture', '34', true),
    ('3408', '安庆市', 'prefecture', '34', true),
    ('3410', '黄山市', 'prefecture', '34', true),
    ('3411', '滁州市', 'prefecture', '34', true),
    ('3412', '阜阳市', 'prefecture', '34', true),
    ('3413', '宿州市', 'prefecture', '34', true),
    ('3415', '六安市', 'prefecture', '34', true),
    ('3416', '亳州市', 'prefecture', '34', true),
    ('3417', '池州市', 'prefecture', '34', true),
    ('3418', '宣城市', 'prefecture', '34', true),
    ('3501', '福州市', 'prefecture', '35', true),
    ('3502', '厦门市', 'prefecture', '35', true),
    ('3503', '莆田市', 'prefecture', '35', true),
    ('3504', '三明市', 'prefecture', '35', true),
    ('3505', '泉州市', 'prefecture', '35', true),
    ('3506', '漳州市', 'prefecture', '35', true),
    ('3507', '南平市', 'prefecture', '35', true),
    ('3508', '龙岩市', 'prefecture', '35', true),
    ('3509', '宁德市', 'prefecture', '35', true),
    ('3601', '南昌市', 'prefecture', '36', true),
    ('3602', '景德镇市', 'prefecture', '36', true),
    ('3603', '萍乡市', 'prefecture', '36', true),
    ('3604', '九江市', 'prefecture', '36', true),
    ('3605', '新余市', 'prefecture', '36', true),
    ('3606', '鹰潭市', 'prefecture', '36', true),
    ('3607', '赣州市', 'prefecture', '36', true),
    ('3608', '吉安市', 'prefecture', '36', true),
    ('3609', '宜春市', 'prefecture', '36', true),
    ('3610', '抚州市', 'prefecture', '36', true),
    ('3611', '上饶市', 'prefecture', '36', true),
    ('3701', '济南市', 'prefecture', '37', true),
    ('3702', '青岛市', 'prefecture', '37', true),
    ('3703', '淄博市', 'prefecture', '37', true),
    ('3704', '枣庄市', 'prefecture', '37', true),
    ('3705', '东营市', 'prefecture', '37', true),
    ('3706', '烟台市', 'prefecture', '37', true),
    ('3707', '潍坊市', 'prefecture', '37', true),
    ('3708', '济宁市', 'prefecture', '37', true),
    ('3709', '泰安市', 'prefecture', '37', true),
    ('3710', '威海市', 'prefecture', '37', true),
    ('3711', '日照市', 'prefecture', '37', true),
    ('3713', '临沂市', 'prefecture', '37', true),
    ('3714', '德州市', 'prefecture', '37', true),
    ('3715', '聊城市', 'prefecture', '37', true),
    ('3716', '滨州市', 'prefecture', '37', true),
    ('3717', '菏泽市', 'prefecture', '37', true),
    ('4101', '郑州市', 'prefecture', '41', true),
    ('4102', '开封市', 'prefecture', '41', true),
    ('4103', '洛阳市', 'prefecture', '41', true),
    ('4104', '平顶山市', 'prefecture', '41', true),
    ('4105', '安阳市', 'prefecture', '41', true),
    ('4106', '鹤壁市', 'prefecture', '41', true),
    ('4107', '新乡市', 'prefecture', '41', true),
    ('4108', '焦作市', 'prefecture', '41', true),
    ('4109', '濮阳市', 'prefecture', '41', true),
    ('4110', '许昌市', 'prefecture', '41', true),
    ('4111', '漯河市', 'prefecture', '41', true),
    ('4112', '三门峡市', 'prefecture', '41', true),
    ('4113', '南阳市', 'prefecture', '41', true),
    ('4114', '商丘市', 'prefecture', '41', true),
    ('4115', '信阳市', 'prefecture', '41', true),
    ('4116', '周口市', 'prefecture', '41', true),
    ('4117', '驻马店市', 'prefecture', '41', true),
    ('4190', '省直辖县级行政区划', 'prefecture', '41', true),
    ('4201', '武汉市', 'prefecture', '42', true),
    ('4202', '黄石市', 'prefecture', '42', true),
    ('4203', '十堰市', 'prefecture', '42', true),
    ('4205', '宜昌市', 'prefecture', '42', true),
    ('4206', '襄阳市', 'prefecture', '42', true),
    ('4207', '鄂州市', 'prefecture', '42', true),
    ('4208', '荆门市', 'prefecture', '42', true),
    ('4209', '孝感市', 'prefecture', '42', true),
    ('4210', '荆州市', 'prefecture', '42', true),
    ('4211', '黄冈市', 'prefecture', '42', true),
    ('4212', '咸宁市', 'prefecture', '42', true),
    ('4213', '随州市', 'prefecture', '42', true),
    ('4228', '恩施土家族苗族自治州', 'prefecture', '42', true),
    ('4290', '省直辖县级行政区划', 'prefecture', '42', true),
    ('4301', '长沙市', 'prefecture', '43', true),
    ('4302', '株洲市', 'prefecture', '43', true),
    ('4303', '湘潭市', 'prefecture', '43', true),
    ('4304', '衡阳市', 'prefecture', '43', true),
    ('4305', '邵阳市', 'prefecture', '43', true),
    ('4306', '岳阳市', 'prefecture', '43', true),
    ('4307', '常德市', 'prefecture', '43', true),
    ('4308', '张家界市', 'prefecture', '43', true),
    ('4309', '益阳市', 'prefecture', '43', true),
    ('4310', '郴州市', 'prefecture', '43', true),
    ('4311', '永州市', 'prefecture', '43', true),
    ('4312', '怀化市', 'prefecture', '43', true),
    ('4313', '娄底市', 'prefecture', '43', true),
    ('4331', '湘西土家族苗族自治州', 'prefecture', '43', true),
    ('4401', '广州市', 'prefecture', '44', true),
    ('4402', '韶关市', 'prefecture', '44', true),
    ('4403', '深圳市', 'prefecture', '44', true),
    ('4404', '珠海市', 'prefecture', '44', true),
    ('4405', '汕头市', 'prefecture', '44', true),
    ('4406', '佛山市', 'prefecture', '44', true),
    ('4407', '江门市', 'prefecture', '44', true),
    ('4408', '湛江市', 'prefecture', '44', true),
    ('4409', '茂名市', 'prefecture', '44', true),
    ('4412', '肇庆市', 'prefecture', '44', true),
    ('4413', '惠州市', 'prefecture', '44', true),
    ('4414', '梅州市', 'prefecture', '44', true),
    ('4415', '汕尾市', 'prefecture', '44', true),
    ('4416', '河源市', 'prefecture', '44', true),
    ('4417', '阳江市', 'prefecture', '44', true),
    ('4418', '清远市', 'prefecture', '44', true),
    ('4419', '东莞市', 'prefecture', '44', true),
    ('4420', '中山市', 'prefecture', '44', true),
    ('4451', '潮州市', 'prefecture', '44', true),
    ('4452', '揭阳市', 'prefecture', '44', true),
    ('4453', '云浮市', 'prefecture', '44', true),
    ('4501', '南宁市', 'prefecture', '45', true),
    ('4502', '柳州市', 'prefecture', '45', true),
    ('4503', '桂林市', 'prefecture', '45', true),
    ('4504', '梧州市', 'prefecture', '45', true),
    ('4505', '北海市', 'prefecture', '45', true),
    ('4506', '防城港市', 'prefecture', '45', true),
    ('4507', '钦州市', 'prefecture', '45', true),
    ('4508', '贵港市', 'prefecture', '45', true),
    ('4509', '玉林市', 'prefecture', '45', true),
    ('4510', '百色市', 'prefecture', '45', true),
    ('4511', '贺州市', 'prefecture', '45', true),
    ('4512', '河池市', 'prefecture', '45', true),
    ('4513', '来宾市', 'prefecture', '45', true),
    ('4514', '崇左市', 'prefecture', '45', true),
    ('4601', '海口市', 'prefecture', '46', true),
    ('4602', '三亚市', 'prefecture', '46', true),
    ('4603', '三沙市', 'prefecture', '46', true),
    ('4604', '儋州市', 'prefecture', '46', true),
    ('4690', '省直辖县级行政区划', 'prefecture', '46', true),
    ('5001', '市辖区', 'prefecture', '50', true),
    ('5002', '县', 'prefecture', '50', true),
    ('5101', '成都市', 'prefecture', '51', true),
    ('5103', '自贡市', 'prefecture', '51', true),
    ('5104', '攀枝花市', 'prefecture', '51', true),
    ('5105', '泸州市', 'prefecture', '51', true),
    ('5106', '德阳市', 'prefecture', '51', true),
    ('5107', '绵阳市', 'prefecture', '51', true),
    ('5108', '广元市', 'prefecture', '51', true),
    ('5109', '遂宁市', 'prefecture', '51', true),
    ('5110', '内江市', 'prefecture', '51', true),
    ('5111', '乐山市', 'prefecture', '51', true),
    ('5113', '南充市', 'prefecture', '51', true),
    ('5114', '眉山市', 'prefecture', '51', true),
    ('5115', '宜宾市', 'prefecture', '51', true),
    ('5116', '广安市', 'prefecture', '51', true),
    ('5117', '达州市', 'prefecture', '51', true),
    ('5118', '雅安市', 'prefecture', '51', true),
    ('5119', '巴中市', 'prefecture', '51', true),
    ('5120', '资阳市', 'prefecture', '51', true),
    ('5132', '阿坝藏族羌族自治州', 'prefecture', '51', true),
    ('5133', '甘孜藏族自治州', 'prefecture', '51', true),
    ('5134', '凉山彝族自治州', 'prefecture', '51', true),
    ('5201', '贵阳市', 'prefecture', '52', true),
    ('5202', '六盘水市', 'prefecture', '52', true),
    ('5203', '遵义市', 'prefecture', '52', true),
    ('5204', '安顺市', 'prefecture', '52', true),
    ('5205', '毕节市', 'prefecture', '52', true),
    ('5206', '铜仁市', 'prefecture', '52', true),
    ('5223', '黔西南布依族苗族自治州', 'prefecture', '52', true),
    ('5226', '黔东南苗族侗族自治州', 'prefecture', '52', true),
    ('5227', '黔南布依族苗族自治州', 'prefecture', '52', true),
    ('5301', '昆明市', 'prefecture', '53', true),
    ('5303', '曲靖市', 'prefecture', '53', true),
    ('5304', '玉溪市', 'prefecture', '53', true),
    ('5305', '保山市', 'prefecture', '53', true),
    ('5306', '昭通市', 'prefecture', '53', true),
    ('5307', '丽江市', 'prefecture', '53', true),
    ('5308', '普洱市', 'prefecture', '53', true),
    ('5309', '临沧市', 'prefecture', '53', true),
    ('5323', '楚雄彝族自治州', 'prefecture', '53', true),
    ('5325', '红河哈尼族彝族自治州', 'prefecture', '53', true),
    ('5326', '文山壮族苗族自治州', 'prefecture', '53', true),
    ('5328', '西双版纳傣族自治州', 'prefecture', '53', true),
    ('5329', '大理白族自治州', 'prefecture', '53', true),
    ('5331', '德宏傣族景颇族自治州', 'prefecture', '53', true),
    ('5333', '怒江傈僳族自治州', 'prefecture', '53', true),
    ('5334', '迪庆藏族自治州', 'prefecture', '53', true),
    ('5401', '拉萨市', 'prefecture', '54', true),
    ('5402', '日喀则市', 'prefecture', '54', true),
    ('5403', '昌都市', 'prefecture', '54', true),
    ('5404', '林芝市', 'prefecture', '54', true),
    ('5405', '山南市', 'prefecture', '54', true),
    ('5406', '那曲市', 'prefecture', '54', true),
    ('5425', '阿里地区', 'prefecture', '54', true),
    ('6101', '西安市', 'prefecture', '61', true),
    ('6102', '铜川市', 'prefecture', '61', true),
    ('6103', '宝鸡市', 'prefecture', '61', true),
    ('6104', '咸阳市', 'prefecture', '61', true),
    ('6105', '渭南市', 'prefecture', '61', true),
    ('6106', '延安市', 'prefecture', '61', true),
    ('6107', '汉中市', 'prefecture', '61', true),
    ('6108', '榆林市', 'prefecture', '61', true),
    ('6109', '安康市', 'prefecture', '61', true),
    ('6110', '商洛市', 'prefecture', '61', true),
    ('6201', '兰州市', 'prefecture', '62', true),
    ('6202', '嘉峪关市', 'prefecture', '62', true),
    ('6203', '金昌市', 'prefecture', '62', true),
    ('6204', '白银市', 'prefecture', '62', true),
    ('6205', '天水市', 'prefecture', '62', true),
    ('6206', '武威市', 'prefecture', '62', true),
    ('6207', '张掖市', 'prefecture', '62', true),
    ('6208', '平凉市', 'prefecture', '62', true),
    ('6209', '酒泉市', 'prefecture', '62', true),
    ('6210', '庆阳市', 'prefecture', '62', true),
    ('6211', '定西市', 'prefecture', '62', true),
    ('6212', '陇南市', 'prefecture', '62', true),
    ('6229', '临夏回族自治州', 'prefecture', '62', true),
    ('6230', '甘南藏族自治州', 'prefecture', '62', true),
    ('6301', '西宁市', 'prefecture', '63', true),
    ('6302', '海东市', 'prefecture', '63', true),
    ('6322', '海北藏族自治州', 'prefecture', '63', true),
    ('6323', '黄南藏族自治州', 'prefecture', '63', true),
    ('6325', '海南藏族自治州', 'prefecture', '63', true),
    ('6326', '果洛藏族自治州', 'prefecture', '63', true),
    ('6327', '玉树藏族自治州', 'prefecture', '63', true),
    ('6328', '海西蒙古族藏族自治州', 'prefecture', '63', true),
    ('6401', '银川市', 'prefecture', '64', true),
    ('6402', '石嘴山市', 'prefecture', '64', true),
    ('6403', '吴忠市', 'prefecture', '64', true),
    ('6404', '固原市', 'prefecture', '64', true),
    ('6405', '中卫市', 'prefecture', '64', true),
    ('6501', '乌鲁木齐市', 'prefecture', '65', true),
    ('6502', '克拉玛依市', 'prefecture', '65', true),
    ('6504', '吐鲁番市', 'prefecture', '65', true),
    ('6505', '哈密市', 'prefecture', '65', true),
    ('6523', '昌吉回族自治州', 'prefecture', '65', true),
    ('6527', '博尔塔拉蒙古自治州', 'prefecture', '65', true),
    ('6528', '巴音郭楞蒙古自治州', 'prefecture', '65', true),
    ('6529', '阿克苏地区', 'prefecture', '65', true),
    ('6530', '克孜勒苏柯尔克孜自治州', 'prefecture', '65', true),
    ('6531', '喀什地区', 'prefecture', '65', true),
    ('6532', '和田地区', 'prefecture', '65', true),
    ('6540', '伊犁哈萨克自治州', 'prefecture', '65', true),
    ('6542', '塔城地区', 'prefecture', '65', true),
    ('6543', '阿勒泰地区', 'prefecture', '65', true),
    ('6590', '自治区直辖县级行政区划', 'prefecture', '65', true),
    ('110101', '东城区', 'county', '1101', true),
    ('110102', '西城区', 'county', '1101', true),
    ('110105', '朝阳区', 'county', '1101', true),
    ('110106', '丰台区', 'county', '1101', true),
    ('110107', '石景山区', 'county', '1101', true),
    ('110108', '海淀区', 'county', '1101', true),
    ('110109', '门头沟区', 'county', '1101', true),
    ('110111', '房山区', 'county', '1101', true),
    ('110112', '通州区', 'county', '1101', true),
    ('110113', '顺义区', 'county', '1101', true),
    ('110114', '昌平区', 'county', '1101', true),
    ('110115', '大兴区', 'county', '1101', true),
    ('110116', '怀柔区', 'county', '1101', true),
    ('110117', '平谷区', 'county', '1101', true),
    ('110118', '密云区', 'county', '1101', true),
    ('110119', '延庆区', 'county', '1101', true),
    ('120101', '和平区', 'county', '1201', true),
    ('120102', '河东区', 'county', '1201', true),
    ('120103', '河西区', 'county', '1201', true),
    ('120104', '南开区', 'county', '1201', true),
    ('120105', '河北区', 'county', '1201', true),
    ('120106', '红桥区', 'county', '1201', true),
    ('120110', '东丽区', 'county', '1201', true),
    ('120111', '西青区', 'county', '1201', true),
    ('120112', '津南区', 'county', '1201', true),
    ('120113', '北辰区', 'county', '1201', true),
    ('120114', '武清区', 'county', '1201', true),
    ('120115', '宝坻区', 'county', '1201', true),
    ('120116', '滨海新区', 'county', '1201', true),
    ('120117', '宁河区', 'county', '1201', true),
    ('120118', '静海区', 'county', '1201', true),
    ('120119', '蓟州区', 'county', '1201', true),
    ('130102', '长安区', 'county', '1301', true),
    ('130104', '桥西区', 'county', '1301', true),
    ('130105', '新华区', 'county', '1301', true),
    ('130107', '井陉矿区', 'county', '1301', true),
    ('130108', '裕华区', 'county', '1301', true),
    ('130109', '藁城区', 'county', '1301', true),
    ('130110', '鹿泉区', 'county', '1301', true),
    ('130111', '栾城区', 'county', '1301', true),
    ('130121', '井陉县', 'county', '1301', true),
    ('130123', '正定县', 'county', '1301', true),
    ('130125', '行唐县', 'county', '1301', true),
    ('130126', '灵寿县', 'county', '1301', true),
    ('130127', '高邑县', 'county', '1301', true),
    ('130128', '深泽县', 'county', '1301', true),
    ('130129', '赞皇县', 'county', '1301', true),
    ('130130', '无极县', 'county', '1301', true),
    ('130131', '平山县', 'county', '1301', true),
    ('130132', '元氏县', 'county', '1301', true),
    ('130133', '赵县', 'county', '1301', true),
    ('130171', '石家庄高新技术产业开发区', 'county', '1301', true),
    ('130172', '石家庄循环化工园区', 'county', '1301', true),
    ('130181', '辛集市', 'county', '1301', true),
    ('130183', '晋州市', 'county', '1301', true),
    ('130184', '新乐市', 'county', '1301', true),
    ('130202', '路南区', 'county', '1302', true),
    ('130203', '路北区', 'county', '1302', true),
    ('130204', '古冶区', 'county', '1302', true),
    ('130205', '开平区', 'county', '1302', true),
    ('130207', '丰南区', 'county', '1302', true),
    ('130208', '丰润区', 'county', '1302', true),
    ('130209', '曹妃甸区', 'county', '1302', true),
    ('130224', '滦南县', 'county', '1302', true),
    ('130225', '乐亭县', 'county', '1302', true),
    ('130227', '迁西县', 'county', '1302', true),
    ('130229', '玉田县', 'county', '1302', true),
    ('130271', '河北唐山芦台经济开发区', 'county', '1302', true),
    ('130272', '唐山市汉沽管理区', 'county', '1302', true),
    ('130273', '唐山高新技术产业开发区', 'county', '1302', true),
    ('130274', '河北唐山海港经济开发区', 'county', '1302', true),
    ('130281', '遵化市', 'county', '1302', true),
    ('130283', '迁安市', 'county', '1302', true),
    ('130284', '滦州市', 'county', '1302', true),
    ('130302', '海港区', 'county', '1303', true),
    ('130303', '山海关区', 'county', '1303', true),
    ('130304', '北戴河区', 'county', '1303', true),
    ('130306', '抚宁区', 'county', '1303', true),
    ('130321', '青龙满族自治县', 'county', '1303', true),
    ('130322', '昌黎县', 'county', '1303', true),
    ('130324', '卢龙县', 'county', '1303', true),
    ('130371', '秦皇岛市经济技术开发区', 'county', '1303', true),
    ('130372', '北戴河新区', 'county', '1303', true),
    ('130402', '邯山区', 'county', '1304', true),
    ('130403', '丛台区', 'county', '1304', true),
    ('130404', '复兴区', 'county', '1304', true),
    ('130406', '峰峰矿区', 'county', '1304', true),
    ('130407', '肥乡区', 'county', '1304', true),
    ('130408', '永年区', 'county', '1304', true),
    ('130423', '临漳县', 'county', '1304', true),
    ('130424', '成安县', 'county', '1304', true),
    ('130425', '大名县', 'county', '1304', true),
    ('130426', '涉县', 'county', '1304', true),
    ('130427', '磁县', 'county', '1304', true),
    ('130430', '邱县', 'county', '1304', true),
    ('130431', '鸡泽县', 'county', '1304', true),
    ('130432', '广平县', 'county', '1304', true),
    ('130433', '馆陶县', 'county', '1304', true),
    ('130434', '魏县', 'county', '1304', true),
    ('130435', '曲周县', 'county', '1304', true),
    ('130471', '邯郸经济技术开发区', 'county', '1304', true),
    ('130473', '邯郸冀南新区', 'county', '1304', true),
    ('130481', '武安市', 'county', '1304', true),
    ('130502', '襄都区', 'county', '1305', true),
    ('130503', '信都区', 'county', '1305', true),
    ('130505', '任泽区', 'county', '1305', true),
    ('130506', '南和区', 'county', '1305', true),
    ('130522', '临城县', 'county', '1305', true),
    ('130523', '内丘县', 'county', '1305', true),
    ('130524', '柏乡县', 'county', '1305', true),
    ('130525', '隆尧县', 'county', '1305', true),
    ('130528', '宁晋县', 'county', '1305', true),
    ('130529', '巨鹿县', 'county', '1305', true),
    ('130530', '新河县', 'county', '1305', true),
    ('130531', '广宗县', 'county', '1305', true),
    ('130532', '平乡县', 'county', '1305', true),
    ('130533', '威县', 'county', '1305', true),
    ('130534', '清河县', 'county', '1305', true),
    ('130535', '临西县', 'county', '1305', true),
    ('130571', '河北邢台经济开发区', 'county', '1305', true),
    ('130581', '南宫市', 'county', '1305', true),
    ('130582', '沙河市', 'county', '1305', true),
    ('130602', '竞秀区', 'county', '1306', true),
    ('130606', '莲池区', 'county', '1306', true),
    ('130607', '满城区', 'county', '1306', true),
    ('130608', '清苑区', 'county', '1306', true),
    ('130609', '徐水区', 'county', '1306', true),
    ('130623', '涞水县', 'county', '1306', true),
    ('130624', '阜平县', 'county', '1306', true),
    ('130626', '定兴县', 'county', '1306', true),
    ('130627', '唐县', 'county', '1306', true),
    ('130628', '高阳县', 'county', '1306', true),
    ('130629', '容城县', 'county', '1306', true),
    ('130630', '涞源县', 'county', '1306', true),
    ('130631', '望都县', 'county', '1306', true),
    ('130632', '安新县', 'county', '1306', true),
    ('130633', '易县', 'county', '1306', true),
    ('130634', '曲阳县', 'county', '1306', true),
    ('130635', '蠡县', 'county', '1306', true),
    ('130636', '顺平县', 'county', '1306', true),
    ('130637', '博野县', 'county', '1306', true),
    ('130638', '雄县', 'county', '1306', true),
    ('130671', '保定高新技术产业开发区', 'county', '1306', true),
    ('130672', '保定白沟新城', 'county', '1306', true),
    ('130681', '涿州市', 'county', '1306', true),
    ('130682', '定州市', 'county', '1306', true),
    ('130683', '安国市', 'county', '1306', true),
    ('130684', '高碑店市', 'county', '1306', true),
    ('130702', '桥东区', 'county', '1307', true),
    ('130703', '桥西区', 'county', '1307', true),
    ('130705', '宣化区', 'county', '1307', true),
    ('130706', '下花园区', 'county', '1307', true),
    ('130708', '万全区', 'county', '1307', true),
    ('130709', '崇礼区', 'county', '1307', true),
    ('130722', '张北县', 'county', '1307', true),
    ('130723', '康保县', 'county', '1307', true),
    ('130724', '沽源县', 'county', '1307', true),
    ('130725', '尚义县', 'county', '1307', true),
    ('130726', '蔚县', 'county', '1307', true),
    ('130727', '阳原县', 'county', '1307', true),
    ('130728', '怀安县', 'county', '1307', true),
    ('130730', '怀来县', 'county', '1307', true),
    ('130731', '涿鹿县', 'county', '1307', true),
    ('130732', '赤城县', 'county', '1307', true),
    ('130771', '张家口经济开发区', 'county', '1307', true),
    ('130772', '张家口市察北管理区', 'county', '1307', true),
    ('130773', '张家口市塞北管理区', 'county', '1307', true),
    ('130802', '双桥区', 'county', '1308', true),
    ('130803', '双滦区', 'county', '1308', true),
    ('130804', '鹰手营子矿区', 'county', '1308', true),
    ('130821', '承德县', 'county', '1308', true),
    ('130822', '兴隆县', 'county', '1308', true),
    ('130824', '滦平县', 'county', '1308', true),
    ('130825', '隆化县', 'county', '1308', true),
    ('130826', '丰宁满族自治县', 'county', '1308', true),
    ('130827', '宽城满族自治县', 'county', '1308', true),
    ('130828', '围场满族蒙古族自治县', 'county', '1308', true),
    ('130871', '承德高新技术产业开发区', 'county', '1308', true),
    ('130881', '平泉市', 'county', '1308', true),
    ('130902', '新华区', 'county', '1309', true),
    ('130903', '运河区', 'county', '1309', true),
    ('130921', '沧县', 'county', '1309', true),
    ('130922', '青县', 'county', '1309', true),
    ('130923', '东光县', 'county', '1309', true),
    ('130924', '海兴县', 'county', '1309', true),
    ('130925', '盐山县', 'county', '1309', true),
    ('130926', '肃宁县', 'county', '1309', true),
    ('130927', '南皮县', 'county', '1309', true),
    ('130928', '吴桥县', 'county', '1309', true),
    ('130929', '献县', 'county', '1309', true),
    ('130930', '孟村回族自治县', 'county', '1309', true),
    ('130971', '河北沧州经济开发区', 'county', '1309', true),
    ('130972', '沧州高新技术产业开发区', 'county', '1309', true),
    ('130973', '沧州渤海新区', 'county', '1309', true),
    ('130981', '泊头市', 'county', '1309', true),
    ('130982', '任丘市', 'county', '1309', true),
    ('130983', '黄骅市', 'county', '1309', true),
    ('130984', '河间市', 'county', '1309', true),
    ('131002', '安次区', 'county', '1310', true),
    ('131003', '广阳区', 'county', '1310', true),
    ('131022', '固安县', 'county', '1310', true),
    ('131023', '永清县', 'county', '1310', true),
    ('131024', '香河县', 'county', '1310', true),
    ('131025', '大城县', 'county', '1310', true),
    ('131026', '文安县', 'county', '1310', true),
    ('131028', '大厂回族自治县', 'county', '1310', true),
    ('131071', '廊坊经济技术开发区', 'county', '1310', true),
    ('131081', '霸州市', 'county', '1310', true),
    ('131082', '三河市', 'county', '1310', true),
    ('131102', '桃城区', 'county', '1311', true),
    ('131103', '冀州区', 'county', '1311', true),
    ('131121', '枣强县', 'county', '1311', true),
    ('131122', '武邑县', 'county', '1311', true),
    ('131123', '武强县', 'county', '1311', true),
    ('131124', '饶阳县', 'county', '1311', true),
    ('131125', '安平县', 'county', '1311', true),
    ('131126', '故城县', 'county', '1311', true),
    ('131127', '景县', 'county', '1311', true),
    ('131128', '阜城县', 'county', '1311', true),
    ('131171', '河北衡水高新技术产业开发区', 'county', '1311', true),
    ('131172', '衡水滨湖新区', 'county', '1311', true),
    ('131182', '深州市', 'county', '1311', true),
    ('140105', '小店区', 'county', '1401', true),
    ('140106', '迎泽区', 'county', '1401', true),
    ('140107', '杏花岭区', 'county', '1401', true),
    ('140108', '尖草坪区', 'county', '1401', true),
    ('140109', '万柏林区', 'county', '1401', true),
    ('140110', '晋源区', 'county', '1401', true),
    ('140121', '清徐县', 'county', '1401', true),
    ('140122', '阳曲县', 'county', '1401', true),
    ('140123', '娄烦县', 'county', '1401', true),
    ('140171', '山西转型综合改革示范区', 'county', '1401', true),
    ('140181', '古交市', 'county', '1401', true),
    ('140212', '新荣区', 'county', '1402', true),
    ('140213', '平城区', 'county', '1402', true),
    ('140214', '云冈区', 'county', '1402', true),
    ('140215', '云州区', 'county', '1402', true),
    ('140221', '阳高县', 'county', '1402', true),
    ('140222', '天镇县', 'county', '1402', true),
    ('140223', '广灵县', 'county', '1402', true),
    ('140224', '灵丘县', 'county', '1402', true),
    ('140225', '浑源县', 'county', '1402', true),
    ('140226', '左云县', 'county', '1402', true),
    ('140271', '山西大同经济开发区', 'county', '1402', true),
    ('140302', '城区', 'county', '1403', true),
    ('140303', '矿区', 'county', '1403', true),
    ('140311', '郊区', 'county', '1403', true),
    ('140321', '平定县', 'county', '1403', true),
    ('140322', '盂县', 'county', '1403', true),
    ('140403', '潞州区', 'county', '1404', true),
    ('140404', '上党区', 'county', '1404', true),
    ('140405', '屯留区', 'county', '1404', true),
    ('140406', '潞城区', 'county', '1404', true),
    ('140423', '襄垣县', 'county', '1404', true),
    ('140425', '平顺县', 'county', '1404', true),
    ('140426', '黎城县', 'county', '1404', true),
    ('140427', '壶关县', 'county', '1404', true),
    ('140428', '长子县', 'county', '1404', true),
    ('140429', '武乡县', 'county', '1404', true),
    ('140430', '沁县', 'county', '1404', true),
    ('140431', '沁源县', 'county', '1404', true),
    ('140502', '城区', 'county', '1405', true),
    ('140521', '沁水县', 'county', '1405', true),
    ('140522', '阳城县', 'county', '1405', true),
    ('140524', '陵川县', 'county', '1405', true),
    ('140525', '泽州县', 'county', '1405', true),
    ('140581', '高平市', 'county', '1405', true),
    ('140602', '朔城区', 'county', '1406', true),
    ('140603', '平鲁区', 'county', '1406', true),
    ('140621', '山阴县', 'county', '1406', true),
    ('140622', '应县', 'county', '1406', true),
    ('140623', '右玉县', 'county', '1406', true),
    ('140671', '山西朔州经济开发区', 'county', '1406', true),
    ('140681', '怀仁市', 'county', '1406', true),
    ('140702', '榆次区', 'county', '1407', true),
    ('140703', '太谷区', 'county', '1407', true),
    ('140721', '榆社县', 'county', '1407', true),
    ('140722', '左权县', 'county', '1407', true),
    ('140723', '和顺县', 'county', '1407', true),
    ('140724', '昔阳县', 'county', '1407', true),
    ('140725', '寿阳县', 'county', '1407', true),
    ('140727', '祁县', 'county', '1407', true),
    ('140728', '平遥县', 'county', '1407', true),
    ('140729', '灵石县', 'county', '1407', true),
    ('140781', '介休市', 'county', '1407', true),
    ('140802', '盐湖区', 'county', '1408', true),
    ('140821', '临猗县', 'county', '1408', true),
    ('140822', '万荣县', 'county', '1408', true),
    ('140823', '闻喜县', 'county', '1408', true),
    ('140824', '稷山县', 'county', '1408', true),
    ('140825', '新绛县', 'county', '1408', true),
    ('140826', '绛县', 'county', '1408', true),
    ('140827', '垣曲县', 'county', '1408', true),
    ('140828', '夏县', 'county', '1408', true),
    ('140829', '平陆县', 'county', '1408', true),
    ('140830', '芮城县', 'county', '1408', true),
    ('140881', '永济市', 'county', '1408', true),
    ('140882', '河津市', 'county', '1408', true),
    ('140902', '忻府区', 'county', '1409', true),
    ('140921', '定襄县', 'county', '1409', true),
    ('140922', '五台县', 'county', '1409', true),
    ('140923', '代县', 'county', '1409', true),
    ('140924', '繁峙县', 'county', '1409', true),
    ('140925', '宁武县', 'county', '1409', true),
    ('140926', '静乐县', 'county', '1409', true),
    ('140927', '神池县', 'county', '1409', true),
    ('140928', '五寨县', 'county', '1409', true),
    ('140929', '岢岚县', 'county', '1409', true),
    ('140930', '河曲县', 'county', '1409', true),
    ('140931', '保德县', 'county', '1409', true),
    ('140932', '偏关县', 'county', '1409', true),
    ('140971', '五台山风景名胜区', 'county', '1409', true),
    ('140981', '原平市', 'county', '1409', true),
    ('141002', '尧都区', 'county', '1410', true),
    ('141021', '曲沃县', 'county', '1410', true),
    ('141022', '翼城县', 'county', '1410', true),
    ('141023', '襄汾县', 'county', '1410', true),
    ('141024', '洪洞县', 'county', '1410', true),
    ('141025', '古县', 'county', '1410', true),
    ('141026', '安泽县', 'county', '1410', true),
    ('141027', '浮山县', 'county', '1410', true),
    ('141028', '吉县', 'county', '1410', true),
    ('141029', '乡宁县', 'county', '1410', true),
    ('141030', '大宁县', 'county', '1410', true),
    ('141031', '隰县', 'county', '1410', true),
    ('141032', '永和县', 'county', '1410', true),
    ('141033', '蒲县', 'county', '1410', true),
    ('141034', '汾西县', 'county', '1410', true),
    ('141081', '侯马市', 'county', '1410', true),
    ('141082', '霍州市', 'county', '1410', true),
    ('141102', '离石区', 'county', '1411', true),
    ('141121', '文水县', 'county', '1411', true),
    ('141122', '交城县', 'county', '1411', true),
    ('141123', '兴县', 'county', '1411', true),
    ('141124', '临县', 'county', '1411', true),
    ('141125', '柳林县', 'county', '1411', true),
    ('141126', '石楼县', 'county', '1411', true),
    ('141127', '岚县', 'county', '1411', true),
    ('141128', '方山县', 'county', '1411', true),
    ('141129', '中阳县', 'county', '1411', true),
    ('141130', '交口县', 'county', '1411', true),
    ('141181', '孝义市', 'county', '1411', true),
    ('141182', '汾阳市', 'county', '1411', true),
    ('150102', '新城区', 'county', '1501', true),
    ('150103', '回民区', 'county', '1501', true),
    ('150104', '玉泉区', 'county', '1501', true),
    ('150105', '赛罕区', 'county', '1501', true),
    ('150121', '土默特左旗', 'county', '1501', true),
    ('150122', '托克托县', 'county', '1501', true),
    ('150123', '和林格尔县', 'county', '1501', true),
    ('150124', '清水河县', 'county', '1501', true),
    ('150125', '武川县', 'county', '1501', true),
    ('150172', '呼和浩特经济技术开发区', 'county', '1501', true),
    ('150202', '东河区', 'county', '1502', true),
    ('150203', '昆都仑区', 'county', '1502', true),
    ('150204', '青山区', 'county', '1502', true),
    ('150205', '石拐区', 'county', '1502', true),
    ('150206', '白云鄂博矿区', 'county', '1502', true),
    ('150207', '九原区', 'county', '1502', true),
    ('150221', '土默特右旗', 'county', '1502', true),
    ('150222', '固阳县', 'county', '1502', true),
    ('150223', '达尔罕茂明安联合旗', 'county', '1502', true),
    ('150271', '包头稀土高新技术产业开发区', 'county', '1502', true),
    ('150302', '海勃湾区', 'county', '1503', true),
    ('150303', '海南区', 'county', '1503', true),
    ('150304', '乌达区', 'county', '1503', true),
    ('150402', '红山区', 'county', '1504', true),
    ('150403', '元宝山区', 'county', '1504', true),
    ('150404', '松山区', 'county', '1504', true),
    ('150421', '阿鲁科尔沁旗', 'county', '1504', true),
    ('150422', '巴林左旗', 'county', '1504', true),
    ('150423', '巴林右旗', 'county', '1504', true),
    ('150424', '林西县', 'county', '1504', true),
    ('150425', '克什克腾旗', 'county', '1504', true),
    ('150426', '翁牛特旗', 'county', '1504', true),
    ('150428', '喀喇沁旗', 'county', '1504', true),
    ('150429', '宁城县', 'county', '1504', true),
    ('150430', '敖汉旗', 'county', '1504', true),
    ('150502', '科尔沁区', 'county', '1505', true),
    ('150521', '科尔沁左翼中旗', 'county', '1505', true),
    ('150522', '科尔沁左翼后旗', 'county', '1505', true),
    ('150523', '开鲁县', 'county', '1505', true),
    ('150524', '库伦旗', 'county', '1505', true),
    ('150525', '奈曼旗', 'county', '1505', true),
    ('150526', '扎鲁特旗', 'county', '1505', true),
    ('150571', '通辽经济技术开发区', 'county', '1505', true),
    ('150581', '霍林郭勒市', 'county', '1505', true),
    ('150602', '东胜区', 'county', '1506', true),
    ('150603', '康巴什区', 'county', '1506', true),
    ('150621', '达拉特旗', 'county', '1506', true),
    ('150622', '准格尔旗', 'county', '1506', true),
    ('150623', '鄂托克前旗', 'county', '1506', true),
    ('150624', '鄂托克旗', 'county', '1506', true),
    ('150625', '杭锦旗', 'county', '1506', true),
    ('150626', '乌审旗', 'county', '1506', true),
    ('150627', '伊金霍洛旗', 'county', '1506', true),
    ('150702', '海拉尔区', 'county', '1507', true),
    ('150703', '扎赉诺尔区', 'county', '1507', true),
    ('150721', '阿荣旗', 'county', '1507', true),
    ('150722', '莫力达瓦达斡尔族自治旗', 'county', '1507', true),
    ('150723', '鄂伦春自治旗', 'county', '1507', true),
    ('150724', '鄂温克族自治旗', 'county', '1507', true),
    ('150725', '陈巴尔虎旗', 'county', '1507', true),
    ('150726', '新巴尔虎左旗', 'county', '1507', true),
    ('150727', '新巴尔虎右旗', 'county', '1507', true),
    ('150781', '满洲里市', 'county', '1507', true),
    ('150782', '牙克石市', 'county', '1507', true),
    ('150783', '扎兰屯市', 'county', '1507', true),
    ('150784', '额尔古纳市', 'county', '1507', true),
    ('150785', '根河市', 'county', '1507', true),
    ('150802', '临河区', 'county', '1508', true),
    ('150821', '五原县', 'county', '1508', true),
    ('150822', '磴口县', 'county', '1508', true),
    ('150823', '乌拉特前旗', 'county', '1508', true),
    ('150824', '乌拉特中旗', 'county', '1508', true),
    ('150825', '乌拉特后旗', 'county', '1508', true),
    ('150826', '杭锦后旗', 'county', '1508', true),
    ('150902', '集宁区', 'county', '1509', true),
    ('150921', '卓资县', 'county', '1509', true),
    ('150922', '化德县', 'county', '1509', true),
    ('150923', '商都县', 'county', '1509', true),
    ('150924', '兴和县', 'county', '1509', true),
    ('150925', '凉城县', 'county', '1509', true),
    ('150926', '察哈尔右翼前旗', 'county', '1509', true),
    ('150927', '察哈尔右翼中旗', 'county', '1509', true),
    ('150928', '察哈尔右翼后旗', 'county', '1509', true),
    ('150929', '四子王旗', 'county', '1509', true),
    ('150981', '丰镇市', 'county', '1509', true),
    ('152201', '乌兰浩特市', 'county', '1522', true),
    ('152202', '阿尔山市', 'county', '1522', true),
    ('152221', '科尔沁右翼前旗', 'county', '1522', true),
    ('152222', '科尔沁右翼中旗', 'county', '1522', true),
    ('152223', '扎赉特旗', 'county', '1522', true),
    ('152224', '突泉县', 'county', '1522', true),
    ('152501', '二连浩特市', 'county', '1525', true),
    ('152502', '锡林浩特市', 'county', '1525', true),
    ('152522', '阿巴嘎旗', 'county', '1525', true),
    ('152523', '苏尼特左旗', 'county', '1525', true),
    ('152524', '苏尼特右旗', 'county', '1525', true),
    ('152525', '东乌珠穆沁旗', 'county', '1525', true),
    ('152526', '西乌珠穆沁旗', 'county', '1525', true),
    ('152527', '太仆寺旗', 'county', '1525', true),
    ('152528', '镶黄旗', 'county', '1525', true),
    ('152529', '正镶白旗', 'county', '1525', true),
    ('152530', '正蓝旗', 'county', '1525', true),
    ('152531', '多伦县', 'county', '1525', true),
    ('152571', '乌拉盖管理区管委会', 'county', '1525', true),
    ('152921', '阿拉善左旗', 'county', '1529', true),
    ('152922', '阿拉善右旗', 'county', '1529', true),
    ('152923', '额济纳旗', 'county', '1529', true),
    ('152971', '内蒙古阿拉善高新技术产业开发区', 'county', '1529', true),
    ('210102', '和平区', 'county', '2101', true),
    ('210103', '沈河区', 'county', '2101', true),
    ('210104', '大东区', 'county', '2101', true),
    ('210105', '皇姑区', 'county', '2101', true),
    ('210106', '铁西区', 'county', '2101', true),
    ('210111', '苏家屯区', 'county', '2101', true),
    ('210112', '浑南区', 'county', '2101', true),
    ('210113', '沈北新区', 'county', '2101', true),
    ('210114', '于洪区', 'county', '2101', true),
    ('210115', '辽中区', 'county', '2101', true),
    ('210123', '康平县', 'county', '2101', true),
    ('210124', '法库县', 'county', '2101', true),
    ('210181', '新民市', 'county', '2101', true),
    ('210202', '中山区', 'county', '2102', true),
    ('210203', '西岗区', 'county', '2102', true),
    ('210204', '沙河口区', 'county', '2102', true),
    ('210211', '甘井子区', 'county', '2102', true),
    ('210212', '旅顺口区', 'county', '2102', true),
    ('210213', '金州区', 'county', '2102', true),
    ('210214', '普兰店区', 'county', '2102', true),
    ('210224', '长海县', 'county', '2102', true),
    ('210281', '瓦房店市', 'county', '2102', true),
    ('210283', '庄河市', 'county', '2102', true),
    ('210302', '铁东区', 'county', '2103', true),
    ('210303', '铁西区', 'county', '2103', true),
    ('210304', '立山区', 'county', '2103', true),
    ('210311', '千山区', 'county', '2103', true),
    ('210321', '台安县', 'county', '2103', true),
    ('210323', '岫岩满族自治县', 'county', '2103', true),
    ('210381', '海城市', 'county', '2103', true),
    ('210402', '新抚区', 'county', '2104', true),
    ('210403', '东洲区', 'county', '2104', true),
    ('210404', '望花区', 'county', '2104', true),
    ('210411', '顺城区', 'county', '2104', true),
    ('210421', '抚顺县', 'county', '2104', true),
    ('210422', '新宾满族自治县', 'county', '2104', true),
    ('210423', '清原满族自治县', 'county', '2104', true),
    ('210502', '平山区', 'county', '2105', true),
    ('210503', '溪湖区', 'county', '2105', true),
    ('210504', '明山区', 'county', '2105', true),
    ('210505', '南芬区', 'county', '2105', true),
    ('210521', '本溪满族自治县', 'county', '2105', true),
    ('210522', '桓仁满族自治县', 'county', '2105', true),
    ('210602', '元宝区', 'county', '2106', true),
    ('210603', '振兴区', 'county', '2106', true),
    ('210604', '振安区', 'county', '2106', true),
    ('210624', '宽甸满族自治县', 'county', '2106', true),
    ('210681', '东港市', 'county', '2106', true),
    ('210682', '凤城市', 'county', '2106', true),
    ('210702', '古塔区', 'county', '2107', true),
    ('210703', '凌河区', 'county', '2107', true),
    ('210711', '太和区', 'county', '2107', true),
    ('210726', '黑山县', 'county', '2107', true),
    ('210727', '义县', 'county', '2107', true),
    ('210781', '凌海市', 'county', '2107', true),
    ('210782', '北镇市', 'county', '2107', true),
    ('210802', '站前区', 'county', '2108', true),
    ('210803', '西市区', 'county', '2108', true),
    ('210804', '鲅鱼圈区', 'county', '2108', true),
    ('210811', '老边区', 'county', '2108', true),
    ('210881', '盖州市', 'county', '2108', true),
    ('210882', '大石桥市', 'county', '2108', true),
    ('210902', '海州区', 'county', '2109', true),
    ('210903', '新邱区', 'county', '2109', true),
    ('210904', '太平区', 'county', '2109', true),
    ('210905', '清河门区', 'county', '2109', true),
    ('210911', '细河区', 'county', '2109', true),
    ('210921', '阜新蒙古族自治县', 'county', '2109', true),
    ('210922', '彰武县', 'county', '2109', true),
    ('211002', '白塔区', 'county', '2110', true),
    ('211003', '文圣区', 'county', '2110', true),
    ('211004', '宏伟区', 'county', '2110', true),
    ('211005', '弓长岭区', 'county', '2110', true),
    ('211011', '太子河区', 'county', '2110', true),
    ('211021', '辽阳县', 'county', '2110', true),
    ('211081', '灯塔市', 'county', '2110', true),
    ('211102', '双台子区', 'county', '2111', true),
    ('211103', '兴隆台区', 'county', '2111', true),
    ('211104', '大洼区', 'county', '2111', true),
    ('211122', '盘山县', 'county', '2111', true),
    ('211202', '银州区', 'county', '2112', true),
    ('211204', '清河区', 'county', '2112', true),
    ('211221', '铁岭县', 'county', '2112', true),
    ('211223', '西丰县', 'county', '2112', true),
    ('211224', '昌图县', 'county', '2112', true),
    ('211281', '调兵山市', 'county', '2112', true),
    ('211282', '开原市', 'county', '2112', true),
    ('211302', '双塔区', 'county', '2113', true),
    ('211303', '龙城区', 'county', '2113', true),
    ('211321', '朝阳县', 'county', '2113', true),
    ('211322', '建平县', 'county', '2113', true),
    ('211324', '喀喇沁左翼蒙古族自治县', 'county', '2113', true),
    ('211381', '北票市', 'county', '2113', true),
    ('211382', '凌源市', 'county', '2113', true),
    ('211402', '连山区', 'county', '2114', true),
    ('211403', '龙港区', 'county', '2114', true),
    ('211404', '南票区', 'county', '2114', true),
    ('211421', '绥中县', 'county', '2114', true),
    ('211422', '建昌县', 'county', '2114', true),
    ('211481', '兴城市', 'county', '2114', true),
    ('220102', '南关区', 'county', '2201', true),
    ('220103', '宽城区', 'county', '2201', true),
    ('220104', '朝阳区', 'county', '2201', true),
    ('220105', '二道区', 'county', '2201', true),
    ('220106', '绿园区', 'county', '2201', true),
    ('220112', '双阳区', 'county', '2201', true),
    ('220113', '九台区', 'county', '2201', true),
    ('220122', '农安县', 'county', '2201', true),
    ('220171', '长春经济技术开发区', 'county', '2201', true),
    ('220172', '长春净月高新技术产业开发区', 'county', '2201', true),
    ('220173', '长春高新技术产业开发区', 'county', '2201', true),
    ('220174', '长春汽车经济技术开发区', 'county', '2201', true),
    ('220182', '榆树市', 'county', '2201', true),
    ('220183', '德惠市', 'county', '2201', true),
    ('220184', '公主岭市', 'county', '2201', true),
    ('220202', '昌邑区', 'county', '2202', true),
    ('220203', '龙潭区', 'county', '2202', true),
    ('220204', '船营区', 'county', '2202', true),
    ('220211', '丰满区', 'county', '2202', true),
    ('220221', '永吉县', 'county', '2202', true),
    ('220271', '吉林经济开发区', 'county', '2202', true),
    ('220272', '吉林高新技术产业开发区', 'county', '2202', true),
    ('220273', '吉林中国新加坡食品区', 'county', '2202', true),
    ('220281', '蛟河市', 'county', '2202', true),
    ('220282', '桦甸市', 'county', '2202', true),
    ('220283', '舒兰市', 'county', '2202', true),
    ('220284', '磐石市', 'county', '2202', true),
    ('220302', '铁西区', 'county', '2203', true),
    ('220303', '铁东区', 'county', '2203', true),
    ('220322', '梨树县', 'county', '2203', true),
    ('220323', '伊通满族自治县', 'county', '2203', true),
    ('220382', '双辽市', 'county', '2203', true),
    ('220402', '龙山区', 'county', '2204', true),
    ('220403', '西安区', 'county', '2204', true),
    ('220421', '东丰县', 'county', '2204', true),
    ('220422', '东辽县', 'county', '2204', true),
    ('220502', '东昌区', 'county', '2205', true),
    ('220503', '二道江区', 'county', '2205', true),
    ('220521', '通化县', 'county', '2205', true),
    ('220523', '辉南县', 'county', '2205', true),
    ('220524', '柳河县', 'county', '2205', true),
    ('220581', '梅河口市', 'county', '2205', true),
    ('220582', '集安市', 'county', '2205', true),
    ('220602', '浑江区', 'county', '2206', true),
    ('220605', '江源区', 'county', '2206', true),
    ('220621', '抚松县', 'county', '2206', true),
    ('220622', '靖宇县', 'county', '2206', true),
    ('220623', '长白朝鲜族自治县', 'county', '2206', true),
    ('220681', '临江市', 'county', '2206', true),
    ('220702', '宁江区', 'county', '2207', true),
    ('220721', '前郭尔罗斯蒙古族自治县', 'county', '2207', true),
    ('220722', '长岭县', 'county', '2207', true),
    ('220723', '乾安县', 'county', '2207', true),
    ('220771', '吉林松原经济开发区', 'county', '2207', true),
    ('220781', '扶余市', 'county', '2207', true),
    ('220802', '洮北区', 'county', '2208', true),
    ('220821', '镇赉县', 'county', '2208', true),
    ('220822', '通榆县', 'county', '2208', true),
    ('220871', '吉林白城经济开发区', 'county', '2208', true),
    ('220881', '洮南市', 'county', '2208', true),
    ('220882', '大安市', 'county', '2208', true),
    ('222401', '延吉市', 'county', '2224', true),
    ('222402', '图们市', 'county', '2224', true),
    ('222403', '敦化市', 'county', '2224', true),
    ('222404', '珲春市', 'county', '2224', true),
    ('222405', '龙井市', 'county', '2224', true),
    ('222406', '和龙市', 'county', '2224', true),
    ('222424', '汪清县', 'county', '2224', true),
    ('222426', '安图县', 'county', '2224', true),
    ('230102', '道里区', 'county', '2301', true),
    ('230103', '南岗区', 'county', '2301', true),
    ('230104', '道外区', 'county', '2301', true),
    ('230108', '平房区', 'county', '2301', true),
    ('230109', '松北区', 'county', '2301', true),
    ('230110', '香坊区', 'county', '2301', true),
    ('230111', '呼兰区', 'county', '2301', true),
    ('230112', '阿城区', 'county', '2301', true),
    ('230113', '双城区', 'county', '2301', true),
    ('230123', '依兰县', 'county', '2301', true),
    ('230124', '方正县', 'county', '2301', true),
    ('230125', '宾县', 'county', '2301', true),
    ('230126', '巴彦县', 'county', '2301', true),
    ('230127', '木兰县', 'county', '2301', true),
    ('230128', '通河县', 'county', '2301', true),
    ('230129', '延寿县', 'county', '2301', true),
    ('230183', '尚志市', 'county', '2301', true),
    ('230184', '五常市', 'county', '2301', true),
    ('230202', '龙沙区', 'county', '2302', true),
    ('230203', '建华区', 'county', '2302', true),
    ('230204', '铁锋区', 'county', '2302', true),
    ('230205', '昂昂溪区', 'county', '2302', true),
    ('230206', '富拉尔基区', 'county', '2302', true),
    ('230207', '碾子山区', 'county', '2302', true),
    ('230208', '梅里斯达斡尔族区', 'county', '2302', true),
    ('230221', '龙江县', 'county', '2302', true),
    ('230223', '依安县', 'county', '2302', true),
    ('230224', '泰来县', 'county', '2302', true),
    ('230225', '甘南县', 'county', '2302', true),
    ('230227', '富裕县', 'county', '2302', true),
    ('230229', '克山县', 'county', '2302', true),
    ('230230', '克东县', 'county', '2302', true),
    ('230231', '拜泉县', 'county', '2302', true),
    ('230281', '讷河市', 'county', '2302', true),
    ('230302', '鸡冠区', 'county', '2303', true),
    ('230303', '恒山区', 'county', '2303', true),
    ('230304', '滴道区', 'county', '2303', true),
    ('230305', '梨树区', 'county', '2303', true),
    ('230306', '城子河区', 'county', '2303', true),
    ('230307', '麻山区', 'county', '2303', true),
    ('230321', '鸡东县', 'county', '2303', true),
    ('230381', '虎林市', 'county', '2303', true),
    ('230382', '密山市', 'county', '2303', true),
    ('230402', '向阳区', 'county', '2304', true),
    ('230403', '工农区', 'county', '2304', true),
    ('230404', '南山区', 'county', '2304', true),
    ('230405', '兴安区', 'county', '2304', true),
    ('230406', '东山区', 'county', '2304', true),
    ('230407', '兴山区', 'county', '2304', true),
    ('230421', '萝北县', 'county', '2304', true),
    ('230422', '绥滨县', 'county', '2304', true),
    ('230502', '尖山区', 'county', '2305', true),
    ('230503', '岭东区', 'county', '2305', true),
    ('230505', '四方台区', 'county', '2305', true),
    ('230506', '宝山区', 'county', '2305', true),
    ('230521', '集贤县', 'county', '2305', true),
    ('230522', '友谊县', 'county', '2305', true),
    ('230523', '宝清县', 'county', '2305', true),
    ('230524', '饶河县', 'county', '2305', true),
    ('230602', '萨尔图区', 'county', '2306', true),
    ('230603', '龙凤区', 'county', '2306', true),
    ('230604', '让胡路区', 'county', '2306', true),
    ('230605', '红岗区', 'county', '2306', true),
    ('230606', '大同区', 'county', '2306', true),
    ('230621', '肇州县', 'county', '2306', true),
    ('230622', '肇源县', 'county', '2306', true),
    ('230623', '林甸县', 'county', '2306', true),
    ('230624', '杜尔伯特蒙古族自治县', 'county', '2306', true),
    ('230671', '大庆高新技术产业开发区', 'county', '2306', true),
    ('230717', '伊美区', 'county', '2307', true),
    ('230718', '乌翠区', 'county', '2307', true),
    ('230719', '友好区', 'county', '2307', true),
    ('230722', '嘉荫县', 'county', '2307', true),
    ('230723', '汤旺县', 'county', '2307', true),
    ('230724', '丰林县', 'county', '2307', true),
    ('230725', '大箐山县', 'county', '2307', true),
    ('230726', '南岔县', 'county', '2307', true),
    ('230751', '金林区', 'county', '2307', true),
    ('230781', '铁力市', 'county', '2307', true),
    ('230803', '向阳区', 'county', '2308', true),
    ('230804', '前进区', 'county', '2308', true),
    ('230805', '东风区', 'county', '2308', true),
    ('230811', '郊区', 'county', '2308', true),
    ('230822', '桦南县', 'county', '2308', true),
    ('230826', '桦川县', 'county', '2308', true),
    ('230828', '汤原县', 'county', '2308', true),
    ('230881', '同江市', 'county', '2308', true),
    ('230882', '富锦市', 'county', '2308', true),
    ('230883', '抚远市', 'county', '2308', true),
    ('230902', '新兴区', 'county', '2309', true),
    ('230903', '桃山区', 'county', '2309', true),
    ('230904', '茄子河区', 'county', '2309', true),
    ('230921', '勃利县', 'county', '2309', true),
    ('231002', '东安区', 'county', '2310', true),
    ('231003', '阳明区', 'county', '2310', true),
    ('231004', '爱民区', 'county', '2310', true),
    ('231005', '西安区', 'county', '2310', true),
    ('231025', '林口县', 'county', '2310', true),
    ('231081', '绥芬河市', 'county', '2310', true),
    ('231083', '海林市', 'county', '2310', true),
    ('231084', '宁安市', 'county', '2310', true),
    ('231085', '穆棱市', 'county', '2310', true),
    ('231086', '东宁市', 'county', '2310', true),
    ('231102', '爱辉区', 'county', '2311', true),
    ('231123', '逊克县', 'county', '2311', true),
    ('231124', '孙吴县', 'county', '2311', true),
    ('231181', '北安市', 'county', '2311', true),
    ('231182', '五大连池市', 'county', '2311', true),
    ('231183', '嫩江市', 'county', '2311', true),
    ('231202', '北林区', 'county', '2312', true),
    ('231221', '望奎县', 'county', '2312', true),
    ('231222', '兰西县', 'county', '2312', true),
    ('231223', '青冈县', 'county', '2312', true),
    ('231224', '庆安县', 'county', '2312', true),
    ('231225', '明水县', 'county', '2312', true),
    ('231226', '绥棱县', 'county', '2312', true),
    ('231281', '安达市', 'county', '2312', true),
    ('231282', '肇东市', 'county', '2312', true),
    ('231283', '海伦市', 'county', '2312', true),
    ('232701', '漠河市', 'county', '2327', true),
    ('232721', '呼玛县', 'county', '2327', true),
    ('232722', '塔河县', 'county', '2327', true),
    ('232761', '加格达奇区', 'county', '2327', true),
    ('232762', '松岭区', 'county', '2327', true),
    ('232763', '新林区', 'county', '2327', true),
    ('232764', '呼中区', 'county', '2327', true),
    ('310101', '黄浦区', 'county', '3101', true),
    ('310104', '徐汇区', 'county', '3101', true),
    ('310105', '长宁区', 'county', '3101', true),
    ('310106', '静安区', 'county', '3101', true),
    ('310107', '普陀区', 'county', '3101', true),
    ('310109', '虹口区', 'county', '3101', true),
    ('310110', '杨浦区', 'county', '3101', true),
    ('310112', '闵行区', 'county', '3101', true),
    ('310113', '宝山区', 'county', '3101', true),
    ('310114', '嘉定区', 'county', '3101', true),
    ('310115', '浦东新区', 'county', '3101', true),
    ('310116', '金山区', 'county', '3101', true),
    ('310117', '松江区', 'county', '3101', true),
    ('310118', '青浦区', 'county', '3101', true),
    ('310120', '奉贤区', 'county', '3101', true),
    ('310151', '崇明区', 'county', '3101', true),
    ('320102', '玄武区', 'county', '3201', true),
    ('320104', '秦淮区', 'county', '3201', true),
    ('320105', '建邺区', 'county', '3201', true),
    ('320106', '鼓楼区', 'county', '3201', true),
    ('320111', '浦口区', 'county', '3201', true),
    ('320113', '栖霞区', 'county', '3201', true),
    ('320114', '雨花台区', 'county', '3201', true),
    ('320115', '江宁区', 'county', '3201', true),
    ('320116', '六合区', 'county', '3201', true),
    ('320117', '溧水区', 'county', '3201', true),
    ('320118', '高淳区', 'county', '3201', true),
    ('320205', '锡山区', 'county', '3202', true),
    ('320206', '惠山区', 'county', '3202', true),
    ('320211', '滨湖区', 'county', '3202', true),
    ('320213', '梁溪区', 'county', '3202', true),
    ('320214', '新吴区', 'county', '3202', true),
    ('320281', '江阴市', 'county', '3202', true),
    ('320282', '宜兴市', 'county', '3202', true),
    ('320302', '鼓楼区', 'county', '3203', true),
    ('320303', '云龙区', 'county', '3203', true),
    ('320305', '贾汪区', 'county', '3203', true),
    ('320311', '泉山区', 'county', '3203', true),
    ('320312', '铜山区', 'county', '3203', true),
    ('320321', '丰县', 'county', '3203', true),
    ('320322', '沛县', 'county', '3203', true),
    ('320324', '睢宁县', 'county', '3203', true),
    ('320371', '徐州经济技术开发区', 'county', '3203', true),
    ('320381', '新沂市', 'county', '3203', true),
    ('320382', '邳州市', 'county', '3203', true),
    ('320402', '天宁区', 'county', '3204', true),
    ('320404', '钟楼区', 'county', '3204', true),
    ('320411', '新北区', 'county', '3204', true),
    ('320412', '武进区', 'county', '3204', true),
    ('320413', '金坛区', 'county', '3204', true),
    ('320481', '溧阳市', 'county', '3204', true),
    ('320505', '虎丘区', 'county', '3205', true),
    ('320506', '吴中区', 'county', '3205', true),
    ('320507', '相城区', 'county', '3205', true),
    ('320508', '姑苏区', 'county', '3205', true),
    ('320509', '吴江区', 'county', '3205', true),
    ('320576', '苏州工业园区', 'county', '3205', true),
    ('320581', '常熟市', 'county', '3205', true),
    ('320582', '张家港市', 'county', '3205', true),
    ('320583', '昆山市', 'county', '3205', true),
    ('320585', '太仓市', 'county', '3205', true),
    ('320612', '通州区', 'county', '3206', true),
    ('320613', '崇川区', 'county', '3206', true),
    ('320614', '海门区', 'county', '3206', true),
    ('320623', '如东县', 'county', '3206', true),
    ('320671', '南通经济技术开发区', 'county', '3206', true),
    ('320681', '启东市', 'county', '3206', true),
    ('320682', '如皋市', 'county', '3206', true),
    ('320685', '海安市', 'county', '3206', true),
    ('320703', '连云区', 'county', '3207', true),
    ('320706', '海州区', 'county', '3207', true),
    ('320707', '赣榆区', 'county', '3207', true),
    ('320722', '东海县', 'county', '3207', true),
    ('320723', '灌云县', 'county', '3207', true),
    ('320724', '灌南县', 'county', '3207', true),
    ('320771', '连云港经济技术开发区', 'county', '3207', true),
    ('320803', '淮安区', 'county', '3208', true),
    ('320804', '淮阴区', 'county', '3208', true),
    ('320812', '清江浦区', 'county', '3208', true),
    ('320813', '洪泽区', 'county', '3208', true),
    ('320826', '涟水县', 'county', '3208', true),
    ('320830', '盱眙县', 'county', '3208', true),
    ('320831', '金湖县', 'county', '3208', true),
    ('320871', '淮安经济技术开发区', 'county', '3208', true),
    ('320902', '亭湖区', 'county', '3209', true),
    ('320903', '盐都区', 'county', '3209', true),
    ('320904', '大丰区', 'county', '3209', true),
    ('320921', '响水县', 'county', '3209', true),
    ('320922', '滨海县', 'county', '3209', true),
    ('320923', '阜宁县', 'county', '3209', true),
    ('320924', '射阳县', 'county', '3209', true),
    ('320925', '建湖县', 'county', '3209', true),
    ('320971', '盐城经济技术开发区', 'county', '3209', true),
    ('320981', '东台市', 'county', '3209', true),
    ('321002', '广陵区', 'county', '3210', true),
    ('321003', '邗江区', 'county', '3210', true),
    ('321012', '江都区', 'county', '3210', true),
    ('321023', '宝应县', 'county', '3210', true),
    ('321071', '扬州经济技术开发区', 'county', '3210', true),
    ('321081', '仪征市', 'county', '3210', true),
    ('321084', '高邮市', 'county', '3210', true),
    ('321102', '京口区', 'county', '3211', true),
    ('321111', '润州区', 'county', '3211', true),
    ('321112', '丹徒区', 'county', '3211', true),
    ('321171', '镇江新区', 'county', '3211', true),
    ('321181', '丹阳市', 'county', '3211', true),
    ('321182', '扬中市', 'county', '3211', true),
    ('321183', '句容市', 'county', '3211', true),
    ('321202', '海陵区', 'county', '3212', true),
    ('321203', '高港区', 'county', '3212', true),
    ('321204', '姜堰区', 'county', '3212', true),
    ('321281', '兴化市', 'county', '3212', true),
    ('321282', '靖江市', 'county', '3212', true),
    ('321283', '泰兴市', 'county', '3212', true),
    ('321302', '宿城区', 'county', '3213', true),
    ('321311', '宿豫区', 'county', '3213', true),
    ('321322', '沭阳县', 'county', '3213', true),
    ('321323', '泗阳县', 'county', '3213', true),
    ('321324', '泗洪县', 'county', '3213', true),
    ('321371', '宿迁经济技术开发区', 'county', '3213', true),
    ('330102', '上城区', 'county', '3301', true),
    ('330105', '拱墅区', 'county', '3301', true),
    ('330106', '西湖区', 'county', '3301', true),
    ('330108', '滨江区', 'county', '3301', true),
    ('330109', '萧山区', 'county', '3301', true),
    ('330110', '余杭区', 'county', '3301', true),
    ('330111', '富阳区', 'county', '3301', true),
    ('330112', '临安区', 'county', '3301', true),
    ('330113', '临平区', 'county', '3301', true),
    ('330114', '钱塘区', 'county', '3301', true),
    ('330122', '桐庐县', 'county', '3301', true),
    ('330127', '淳安县', 'county', '3301', true),
    ('330182', '建德市', 'county', '3301', true),
    ('330203', '海曙区', 'county', '3302', true),
    ('330205', '江北区', 'county', '3302', true),
    ('330206', '北仑区', 'county', '3302', true),
    ('330211', '镇海区', 'county', '3302', true),
    ('330212', '鄞州区', 'county', '3302', true),
    ('330213', '奉化区', 'county', '3302', true),
    ('330225', '象山县', 'county', '3302', true),
    ('330226', '宁海县', 'county', '3302', true),
    ('330281', '余姚市', 'county', '3302', true),
    ('330282', '慈溪市', 'county', '3302', true),
    ('330302', '鹿城区', 'county', '3303', true),
    ('330303', '龙湾区', 'county', '3303', true),
    ('330304', '瓯海区', 'county', '3303', true),
    ('330305', '洞头区', 'county', '3303', true),
    ('330324', '永嘉县', 'county', '3303', true),
    ('330326', '平阳县', 'county', '3303', true),
    ('330327', '苍南县', 'county', '3303', true),
    ('330328', '文成县', 'county', '3303', true),
    ('330329', '泰顺县', 'county', '3303', true),
    ('330381', '瑞安市', 'county', '3303', true),
    ('330382', '乐清市', 'county', '3303', true),
    ('330383', '龙港市', 'county', '3303', true),
    ('330402', '南湖区', 'county', '3304', true),
    ('330411', '秀洲区', 'county', '3304', true),
    ('330421', '嘉善县', 'county', '3304', true),
    ('330424', '海盐县', 'county', '3304', true),
    ('330481', '海宁市', 'county', '3304', true),
    ('330482', '平湖市', 'county', '3304', true),
    ('330483', '桐乡市', 'county', '3304', true),
    ('330502', '吴兴区', 'county', '3305', true),
    ('330503', '南浔区', 'county', '3305', true),
    ('330521', '德清县', 'county', '3305', true),
    ('330522', '长兴县', 'county', '3305', true),
    ('330523', '安吉县', 'county', '3305', true),
    ('330602', '越城区', 'county', '3306', true),
    ('330603', '柯桥区', 'county', '3306', true),
    ('330604', '上虞区', 'county', '3306', true),
    ('330624', '新昌县', 'county', '3306', true),
    ('330681', '诸暨市', 'county', '3306', true),
    ('330683', '嵊州市', 'county', '3306', true),
    ('330702', '婺城区', 'county', '3307', true),
    ('330703', '金东区', 'county', '3307', true),
    ('330723', '武义县', 'county', '3307', true),
    ('330726', '浦江县', 'county', '3307', true),
    ('330727', '磐安县', 'county', '3307', true),
    ('330781', '兰溪市', 'county', '3307', true),
    ('330782', '义乌市', 'county', '3307', true),
    ('330783', '东阳市', 'county', '3307', true),
    ('330784', '永康市', 'county', '3307', true),
    ('330802', '柯城区', 'county', '3308', true),
    ('330803', '衢江区', 'county', '3308', true),
    ('330822', '常山县', 'county', '3308', true),
    ('330824', '开化县', 'county', '3308', true),
    ('330825', '龙游县', 'county', '3308', true),
    ('330881', '江山市', 'county', '3308', true),
    ('330902', '定海区', 'county', '3309', true),
    ('330903', '普陀区', 'county', '3309', true),
    ('330921', '岱山县', 'county', '3309', true),
    ('330922', '嵊泗县', 'county', '3309', true),
    ('331002', '椒江区', 'county', '3310', true),
    ('331003', '黄岩区', 'county', '3310', true),
    ('331004', '路桥区', 'county', '3310', true),
    ('331022', '三门县', 'county', '3310', true),
    ('331023', '天台县', 'county', '3310', true),
    ('331024', '仙居县', 'county', '3310', true),
    ('331081', '温岭市', 'county', '3310', true),
    ('331082', '临海市', 'county', '3310', true),
    ('331083', '玉环市', 'county', '3310', true),
    ('331102', '莲都区', 'county', '3311', true),
    ('331121', '青田县', 'county', '3311', true),
    ('331122', '缙云县', 'county', '3311', true),
    ('331123', '遂昌县', 'county', '3311', true),
    ('331124', '松阳县', 'county', '3311', true),
    ('331125', '云和县', 'county', '3311', true),
    ('331126', '庆元县', 'county', '3311', true),
    ('331127', '景宁畲族自治县', 'county', '3311', true),
    ('331181', '龙泉市', 'county', '3311', true),
    ('340102', '瑶海区', 'county', '3401', true),
    ('340103', '庐阳区', 'county', '3401', true),
    ('340104', '蜀山区', 'county', '3401', true),
    ('340111', '包河区', 'county', '3401', true),
    ('340121', '长丰县', 'county', '3401', true),
    ('340122', '肥东县', 'county', '3401', true),
    ('340123', '肥西县', 'county', '3401', true),
    ('340124', '庐江县', 'county', '3401', true),
    ('340176', '合肥高新技术产业开发区', 'county', '3401', true),
    ('340177', '合肥经济技术开发区', 'county', '3401', true),
    ('340178', '合肥新站高新技术产业开发区', 'county', '3401', true),
    ('340181', '巢湖市', 'county', '3401', true),
    ('340202', '镜湖区', 'county', '3402', true),
    ('340207', '鸠江区', 'county', '3402', true),
    ('340209', '弋江区', 'county', '3402', true),
    ('340210', '湾沚区', 'county', '3402', true),
    ('340212', '繁昌区', 'county', '3402', true),
    ('340223', '南陵县', 'county', '3402', true),
    ('340271', '芜湖经济技术开发区', 'county', '3402', true),
    ('340272', '安徽芜湖三山经济开发区', 'county', '3402', true),
    ('340281', '无为市', 'county', '3402', true),
    ('340302', '龙子湖区', 'county', '3403', true),
    ('340303', '蚌山区', 'county', '3403', true),
    ('340304', '禹会区', 'county', '3403', true),
    ('340311', '淮上区', 'county', '3403', true),
    ('340321', '怀远县', 'county', '3403', true),
    ('340322', '五河县', 'county', '3403', true),
    ('340323', '固镇县', 'county', '3403', true),
    ('340371', '蚌埠市高新技术开发区', 'county', '3403', true),
    ('340372', '蚌埠市经济开发区', 'county', '3403', true),
    ('340402', '大通区', 'county', '3404', true),
    ('340403', '田家庵区', 'county', '3404', true),
    ('340404', '谢家集区', 'county', '3404', true),
    ('340405', '八公山区', 'county', '3404', true),
    ('340406', '潘集区', 'county', '3404', true),
    ('340421', '凤台县', 'county', '3404', true),
    ('340422', '寿县', 'county', '3404', true),
    ('340503', '花山区', 'county', '3405', true),
    ('340504', '雨山区', 'county', '3405', true),
    ('340506', '博望区', 'county', '3405', true),
    ('340521', '当涂县', 'county', '3405', true),
    ('340522', '含山县', 'county', '3405', true),
    ('340523', '和县', 'county', '3405', true),
    ('340602', '杜集区', 'county', '3406', true),
    ('340603', '相山区', 'county', '3406', true),
    ('340604', '烈山区', 'county', '3406', true),
    ('340621', '濉溪县', 'county', '3406', true),
    ('340705', '铜官区', 'county', '3407', true),
    ('340706', '义安区', 'county', '3407', true),
    ('340711', '郊区', 'county', '3407', true),
    ('340722', '枞阳县', 'county', '3407', true),
    ('340802', '迎江区', 'county', '3408', true),
    ('340803', '大观区', 'county', '3408', true),
    ('340811', '宜秀区', 'county', '3408', true),
    ('340822', '怀宁县', 'county', '3408', true),
    ('340825', '太湖县', 'county', '3408', true),
    ('340826', '宿松县', 'county', '3408', true),
    ('340827', '望江县', 'county', '3408', true),
    ('340828', '岳西县', 'county', '3408', true),
    ('340871', '安徽安庆经济开发区', 'county', '3408', true),
    ('340881', '桐城市', 'county', '3408', true),
    ('340882', '潜山市', 'county', '3408', true),
    ('341002', '屯溪区', 'county', '3410', true),
    ('341003', '黄山区', 'county', '3410', true),
    ('341004', '徽州区', 'county', '3410', true),
    ('341021', '歙县', 'county', '3410', true),
    ('341022', '休宁县', 'county', '3410', true),
    ('341023', '黟县', 'county', '3410', true),
    ('341024', '祁门县', 'county', '3410', true),
    ('341102', '琅琊区', 'county', '3411', true),
    ('341103', '南谯区', 'county', '3411', true),
    ('341122', '来安县', 'county', '3411', true),
    ('341124', '全椒县', 'county', '3411', true),
    ('341125', '定远县', 'county', '3411', true),
    ('341126', '凤阳县', 'county', '3411', true),
    ('341171', '中新苏滁高新技术产业开发区', 'county', '3411', true),
    ('341172', '滁州经济技术开发区', 'county', '3411', true),
    ('341181', '天长市', 'county', '3411', true),
    ('341182', '明光市', 'county', '3411', true),
    ('341202', '颍州区', 'county', '3412', true),
    ('341203', '颍东区', 'county', '3412', true),
    ('341204', '颍泉区', 'county', '3412', true),
    ('341221', '临泉县', 'county', '3412', true),
    ('341222', '太和县', 'county', '3412', true),
    ('341225', '阜南县', 'county', '3412', true),
    ('341226', '颍上县', 'county', '3412', true),
    ('341271', '阜阳合肥现代产业园区', 'county', '3412', true),
    ('341272', '阜阳经济技术开发区', 'county', '3412', true),
    ('341282', '界首市', 'county', '3412', true),
    ('341302', '埇桥区', 'county', '3413', true),
    ('341321', '砀山县', 'county', '3413', true),
    ('341322', '萧县', 'county', '3413', true),
    ('341323', '灵璧县', 'county', '3413', true),
    ('341324', '泗县', 'county', '3413', true),
    ('341371', '宿州马鞍山现代产业园区', 'county', '3413', true),
    ('341372', '宿州经济技术开发区', 'county', '3413', true),
    ('341502', '金安区', 'county', '3415', true),
    ('341503', '裕安区', 'county', '3415', true),
    ('341504', '叶集区', 'county', '3415', true),
    ('341522', '霍邱县', 'county', '3415', true),
    ('341523', '舒城县', 'county', '3415', true),
    ('341524', '金寨县', 'county', '3415', true),
    ('341525', '霍山县', 'county', '3415', true),
    ('341602', '谯城区', 'county', '3416', true),
    ('341621', '涡阳县', 'county', '3416', true),
    ('341622', '蒙城县', 'county', '3416', true),
    ('341623', '利辛县', 'county', '3416', true),
    ('341702', '贵池区', 'county', '3417', true),
    ('341721', '东至县', 'county', '3417', true),
    ('341722', '石台县', 'county', '3417', true),
    ('341723', '青阳县', 'county', '3417', true),
    ('341802', '宣州区', 'county', '3418', true),
    ('341821', '郎溪县', 'county', '3418', true),
    ('341823', '泾县', 'county', '3418', true),
    ('341824', '绩溪县', 'county', '3418', true),
    ('341825', '旌德县', 'county', '3418', true),
    ('341871', '宣城市经济开发区', 'county', '3418', true),
    ('341881', '宁国市', 'county', '3418', true),
    ('341882', '广德市', 'county', '3418', true),
    ('350102', '鼓楼区', 'county', '3501', true),
    ('350103', '台江区', 'county', '3501', true),
    ('350104', '仓山区', 'county', '3501', true),
    ('350105', '马尾区', 'county', '3501', true),
    ('350111', '晋安区', 'county', '3501', true),
    ('350112', '长乐区', 'county', '3501', true),
    ('350121', '闽侯县', 'county', '3501', true),
    ('350122', '连江县', 'county', '3501', true),
    ('350123', '罗源县', 'county', '3501', true),
    ('350124', '闽清县', 'county', '3501', true),
    ('350125', '永泰县', 'county', '3501', true),
    ('350128', '平潭县', 'county', '3501', true),
    ('350181', '福清市', 'county', '3501', true),
    ('350203', '思明区', 'county', '3502', true),
    ('350205', '海沧区', 'county', '3502', true),
    ('350206', '湖里区', 'county', '3502', true),
    ('350211', '集美区', 'county', '3502', true),
    ('350212', '同安区', 'county', '3502', true),
    ('350213', '翔安区', 'county', '3502', true),
    ('350302', '城厢区', 'county', '3503', true),
    ('350303', '涵江区', 'county', '3503', true),
    ('350304', '荔城区', 'county', '3503', true),
    ('350305', '秀屿区', 'county', '3503', true),
    ('350322', '仙游县', 'county', '3503', true),
    ('350404', '三元区', 'county', '3504', true),
    ('350405', '沙县区', 'county', '3504', true),
    ('350421', '明溪县', 'county', '3504', true),
    ('350423', '清流县', 'county', '3504', true),
    ('350424', '宁化县', 'county', '3504', true),
    ('350425', '大田县', 'county', '3504', true),
    ('350426', '尤溪县', 'county', '3504', true),
    ('350428', '将乐县', 'county', '3504', true),
    ('350429', '泰宁县', 'county', '3504', true),
    ('350430', '建宁县', 'county', '3504', true),
    ('350481', '永安市', 'county', '3504', true),
    ('350502', '鲤城区', 'county', '3505', true),
    ('350503', '丰泽区', 'county', '3505', true),
    ('350504', '洛江区', 'county', '3505', true),
    ('350505', '泉港区', 'county', '3505', true),
    ('350521', '惠安县', 'county', '3505', true),
    ('350524', '安溪县', 'county', '3505', true),
    ('350525', '永春县', 'county', '3505', true),
    ('350526', '德化县', 'county', '3505', true),
    ('350527', '金门县', 'county', '3505', true),
    ('350581', '石狮市', 'county', '3505', true),
    ('350582', '晋江市', 'county', '3505', true),
    ('350583', '南安市', 'county', '3505', true),
    ('350602', '芗城区', 'county', '3506', true),
    ('350603', '龙文区', 'county', '3506', true),
    ('350604', '龙海区', 'county', '3506', true),
    ('350605', '长泰区', 'county', '3506', true),
    ('350622', '云霄县', 'county', '3506', true),
    ('350623', '漳浦县', 'county', '3506', true),
    ('350624', '诏安县', 'county', '3506', true),
    ('350626', '东山县', 'county', '3506', true),
    ('350627', '南靖县', 'county', '3506', true),
    ('350628', '平和县', 'county', '3506', true),
    ('350629', '华安县', 'county', '3506', true),
    ('350702', '延平区', 'county', '3507', true),
    ('350703', '建阳区', 'county', '3507', true),
    ('350721', '顺昌县', 'county', '3507', true),
    ('350722', '浦城县', 'county', '3507', true),
    ('350723', '光泽县', 'county', '3507', true),
    ('350724', '松溪县', 'county', '3507', true),
    ('350725', '政和县', 'county', '3507', true),
    ('350781', '邵武市', 'county', '3507', true),
    ('350782', '武夷山市', 'county', '3507', true),
    ('350783', '建瓯市', 'county', '3507', true),
    ('350802', '新罗区', 'county', '3508', true),
    ('350803', '永定区', 'county', '3508', true),
    ('350821', '长汀县', 'county', '3508', true),
    ('350823', '上杭县', 'county', '3508', true),
    ('350824', '武平县', 'county', '3508', true),
    ('350825', '连城县', 'county', '3508', true),
    ('350881', '漳平市', 'county', '3508', true),
    ('350902', '蕉城区', 'county', '3509', true),
    ('350921', '霞浦县', 'county', '3509', true),
    ('350922', '古田县', 'county', '3509', true),
    ('350923', '屏南县', 'county', '3509', true),
    ('350924', '寿宁县', 'county', '3509', true),
    ('350925', '周宁县', 'county', '3509', true),
    ('350926', '柘荣县', 'county', '3509', true),
    ('350981', '福安市', 'county', '3509', true),
    ('350982', '福鼎市', 'county', '3509', true),
    ('360102', '东湖区', 'county', '3601', true),
    ('360103', '西湖区', 'county', '3601', true),
    ('360104', '青云谱区', 'county', '3601', true),
    ('360111', '青山湖区', 'county', '3601', true),
    ('360112', '新建区', 'county', '3601', true),
    ('360113', '红谷滩区', 'county', '3601', true),
    ('360121', '南昌县', 'county', '3601', true),
    ('360123', '安义县', 'county', '3601', true),
    ('360124', '进贤县', 'county', '3601', true),
    ('360202', '昌江区', 'county', '3602', true),
    ('360203', '珠山区', 'county', '3602', true),
    ('360222', '浮梁县', 'county', '3602', true),
    ('360281', '乐平市', 'county', '3602', true),
    ('360302', '安源区', 'county', '3603', true),
    ('360313', '湘东区', 'county', '3603', true),
    ('360321', '莲花县', 'county', '3603', true),
    ('360322', '上栗县', 'county', '3603', true),
    ('360323', '芦溪县', 'county', '3603', true),
    ('360402', '濂溪区', 'county', '3604', true),
    ('360403', '浔阳区', 'county', '3604', true),
    ('360404', '柴桑区', 'county', '3604', true),
    ('360423', '武宁县', 'county', '3604', true),
    ('360424', '修水县', 'county', '3604', true),
    ('360425', '永修县', 'county', '3604', true),
    ('360426', '德安县', 'county', '3604', true),
    ('360428', '都昌县', 'county', '3604', true),
    ('360429', '湖口县', 'county', '3604', true),
    ('360430', '彭泽县', 'county', '3604', true),
    ('360481', '瑞昌市', 'county', '3604', true),
    ('360482', '共青城市', 'county', '3604', true),
    ('360483', '庐山市', 'county', '3604', true),
    ('360502', '渝水区', 'county', '3605', true),
    ('360521', '分宜县', 'county', '3605', true),
    ('360602', '月湖区', 'county', '3606', true),
    ('360603', '余江区', 'county', '3606', true),
    ('360681', '贵溪市', 'county', '3606', true),
    ('360702', '章贡区', 'county', '3607', true),
    ('360703', '南康区', 'county', '3607', true),
    ('360704', '赣县区', 'county', '3607', true),
    ('360722', '信丰县', 'county', '3607', true),
    ('360723', '大余县', 'county', '3607', true),
    ('360724', '上犹县', 'county', '3607', true),
    ('360725', '崇义县', 'county', '3607', true),
    ('360726', '安远县', 'county', '3607', true),
    ('360728', '定南县', 'county', '3607', true),
    ('360729', '全南县', 'county', '3607', true),
    ('360730', '宁都县', 'county', '3607', true),
    ('360731', '于都县', 'county', '3607', true),
    ('360732', '兴国县', 'county', '3607', true),
    ('360733', '会昌县', 'county', '3607', true),
    ('360734', '寻乌县', 'county', '3607', true),
    ('360735', '石城县', 'county', '3607', true),
    ('360781', '瑞金市', 'county', '3607', true),
    ('360783', '龙南市', 'county', '3607', true),
    ('360802', '吉州区', 'county', '3608', true),
    ('360803', '青原区', 'county', '3608', true),
    ('360821', '吉安县', 'county', '3608', true),
    ('360822', '吉水县', 'county', '3608', true),
    ('360823', '峡江县', 'county', '3608', true),
    ('360824', '新干县', 'county', '3608', true),
    ('360825', '永丰县', 'county', '3608', true),
    ('360826', '泰和县', 'county', '3608', true),
    ('360827', '遂川县', 'county', '3608', true),
    ('360828', '万安县', 'county', '3608', true),
    ('360829', '安福县', 'county', '3608', true),
    ('360830', '永新县', 'county', '3608', true),
    ('360881', '井冈山市', 'county', '3608', true),
    ('360902', '袁州区', 'county', '3609', true),
    ('360921', '奉新县', 'county', '3609', true),
    ('360922', '万载县', 'county', '3609', true),
    ('360923', '上高县', 'county', '3609', true),
    ('360924', '宜丰县', 'county', '3609', true),
    ('360925', '靖安县', 'county', '3609', true),
    ('360926', '铜鼓县', 'county', '3609', true),
    ('360981', '丰城市', 'county', '3609', true),
    ('360982', '樟树市', 'county', '3609', true),
    ('360983', '高安市', 'county', '3609', true),
    ('361002', '临川区', 'county', '3610', true),
    ('361003', '东乡区', 'county', '3610', true),
    ('361021', '南城县', 'county', '3610', true),
    ('361022', '黎川县', 'county', '3610', true),
    ('361023', '南丰县', 'county', '3610', true),
    ('361024', '崇仁县', 'county', '3610', true),
    ('361025', '乐安县', 'county', '3610', true),
    ('361026', '宜黄县', 'county', '3610', true),
    ('361027', '金溪县', 'county', '3610', true),
    ('361028', '资溪县', 'county', '3610', true),
    ('361030', '广昌县', 'county', '3610', true),
    ('361102', '信州区', 'county', '3611', true),
    ('361103', '广丰区', 'county', '3611', true),
    ('361104', '广信区', 'county', '3611', true),
    ('361123', '玉山县', 'county', '3611', true),
    ('361124', '铅山县', 'county', '3611', true),
    ('361125', '横峰县', 'county', '3611', true),
    ('361126', '弋阳县', 'county', '3611', true),
    ('361127', '余干县', 'county', '3611', true),
    ('361128', '鄱阳县', 'county', '3611', true),
    ('361129', '万年县', 'county', '3611', true),
    ('361130', '婺源县', 'county', '3611', true),
    ('361181', '德兴市', 'county', '3611', true),
    ('370102', '历下区', 'county', '3701', true),
    ('370103', '市中区', 'county', '3701', true),
    ('370104', '槐荫区', 'county', '3701', true),
    ('370105', '天桥区', 'county', '3701', true),
    ('370112', '历城区', 'county', '3701', true),
    ('370113', '长清区', 'county', '3701', true),
    ('370114', '章丘区', 'county', '3701', true),
    ('370115', '济阳区', 'county', '3701', true),
    ('370116', '莱芜区', 'county', '3701', true),
    ('370117', '钢城区', 'county', '3701', true),
    ('370124', '平阴县', 'county', '3701', true),
    ('370126', '商河县', 'county', '3701', true),
    ('370176', '济南高新技术产业开发区', 'county', '3701', true),
    ('370202', '市南区', 'county', '3702', true),
    ('370203', '市北区', 'county', '3702', true),
    ('370211', '黄岛区', 'county', '3702', true),
    ('370212', '崂山区', 'county', '3702', true),
    ('370213', '李沧区', 'county', '3702', true),
    ('370214', '城阳区', 'county', '3702', true),
    ('370215', '即墨区', 'county', '3702', true),
    ('370281', '胶州市', 'county', '3702', true),
    ('370283', '平度市', 'county', '3702', true),
    ('370285', '莱西市', 'county', '3702', true),
    ('370302', '淄川区', 'county', '3703', true),
    ('370303', '张店区', 'county', '3703', true),
    ('370304', '博山区', 'county', '3703', true),
    ('370305', '临淄区', 'county', '3703', true),
    ('370306', '周村区', 'county', '3703', true),
    ('370321', '桓台县', 'county', '3703', true),
    ('370322', '高青县', 'county', '3703', true),
    ('370323', '沂源县', 'county', '3703', true),
    ('370402', '市中区', 'county', '3704', true),
    ('370403', '薛城区', 'county', '3704', true),
    ('370404', '峄城区', 'county', '3704', true),
    ('370405', '台儿庄区', 'county', '3704', true),
    ('370406', '山亭区', 'county', '3704', true),
    ('370481', '滕州市', 'county', '3704', true),
    ('370502', '东营区', 'county', '3705', true),
    ('370503', '河口区', 'county', '3705', true),
    ('370505', '垦利区', 'county', '3705', true),
    ('370522', '利津县', 'county', '3705', true),
    ('370523', '广饶县', 'county', '3705', true),
    ('370571', '东营经济技术开发区', 'county', '3705', true),
    ('370572', '东营港经济开发区', 'county', '3705', true),
    ('370602', '芝罘区', 'county', '3706', true),
    ('370611', '福山区', 'county', '3706', true),
    ('370612', '牟平区', 'county', '3706', true),
    ('370613', '莱山区', 'county', '3706', true),
    ('370614', '蓬莱区', 'county', '3706', true),
    ('370671', '烟台高新技术产业开发区', 'county', '3706', true),
    ('370676', '烟台经济技术开发区', 'county', '3706', true),
    ('370681', '龙口市', 'county', '3706', true),
    ('370682', '莱阳市', 'county', '3706', true),
    ('370683', '莱州市', 'county', '3706', true),
    ('370685', '招远市', 'county', '3706', true),
    ('370686', '栖霞市', 'county', '3706', true),
    ('370687', '海阳市', 'county', '3706', true),
    ('370702', '潍城区', 'county', '3707', true),
    ('370703', '寒亭区', 'county', '3707', true),
    ('370704', '坊子区', 'county', '3707', true),
    ('370705', '奎文区', 'county', '3707', true),
    ('370724', '临朐县', 'county', '3707', true),
    ('370725', '昌乐县', 'county', '3707', true),
    ('370772', '潍坊滨海经济技术开发区', 'county', '3707', true),
    ('370781', '青州市', 'county', '3707', true),
    ('370782', '诸城市', 'county', '3707', true),
    ('370783', '寿光市', 'county', '3707', true),
    ('370784', '安丘市', 'county', '3707', true),
    ('370785', '高密市', 'county', '3707', true),
    ('370786', '昌邑市', 'county', '3707', true),
    ('370811', '任城区', 'county', '3708', true),
    ('370812', '兖州区', 'county', '3708', true),
    ('370826', '微山县', 'county', '3708', true),
    ('370827', '鱼台县', 'county', '3708', true),
    ('370828', '金乡县', 'county', '3708', true),
    ('370829', '嘉祥县', 'county', '3708', true),
    ('370830', '汶上县', 'county', '3708', true),
    ('370831', '泗水县', 'county', '3708', true),
    ('370832', '梁山县', 'county', '3708', true),
    ('370871', '济宁高新技术产业开发区', 'county', '3708', true),
    ('370881', '曲阜市', 'county', '3708', true),
    ('370883', '邹城市', 'county', '3708', true),
    ('370902', '泰山区', 'county', '3709', true),
    ('370911', '岱岳区', 'county', '3709', true),
    ('370921', '宁阳县', 'county', '3709', true),
    ('370923', '东平县', 'county', '3709', true),
    ('370982', '新泰市', 'county', '3709', true),
    ('370983', '肥城市', 'county', '3709', true),
    ('371002', '环翠区', 'county', '3710', true),
    ('371003', '文登区', 'county', '3710', true),
    ('371071', '威海火炬高技术产业开发区', 'county', '3710', true),
    ('371072', '威海经济技术开发区', 'county', '3710', true),
    ('371073', '威海临港经济技术开发区', 'county', '3710', true),
    ('371082', '荣成市', 'county', '3710', true),
    ('371083', '乳山市', 'county', '3710', true),
    ('371102', '东港区', 'county', '3711', true),
    ('371103', '岚山区', 'county', '3711', true),
    ('371121', '五莲县', 'county', '3711', true),
    ('371122', '莒县', 'county', '3711', true),
    ('371171', '日照经济技术开发区', 'county', '3711', true),
    ('371302', '兰山区', 'county', '3713', true),
    ('371311', '罗庄区', 'county', '3713', true),
    ('371312', '河东区', 'county', '3713', true),
    ('371321', '沂南县', 'county', '3713', true),
    ('371322', '郯城县', 'county', '3713', true),
    ('371323', '沂水县', 'county', '3713', true),
    ('371324', '兰陵县', 'county', '3713', true),
    ('371325', '费县', 'county', '3713', true),
    ('371326', '平邑县', 'county', '3713', true),
    ('371327', '莒南县', 'county', '3713', true),
    ('371328', '蒙阴县', 'county', '3713', true),
    ('371329', '临沭县', 'county', '3713', true),
    ('371371', '临沂高新技术产业开发区', 'county', '3713', true),
    ('371402', '德城区', 'county', '3714', true),
    ('371403', '陵城区', 'county', '3714', true),
    ('371422', '宁津县', 'county', '3714', true),
    ('371423', '庆云县', 'county', '3714', true),
    ('371424', '临邑县', 'county', '3714', true),
    ('371425', '齐河县', 'county', '3714', true),
    ('371426', '平原县', 'county', '3714', true),
    ('371427', '夏津县', 'county', '3714', true),
    ('371428', '武城县', 'county', '3714', true),
    ('371471', '德州天衢新区', 'county', '3714', true),
    ('371481', '乐陵市', 'county', '3714', true),
    ('371482', '禹城市', 'county', '3714', true),
    ('371502', '东昌府区', 'county', '3715', true),
    ('371503', '茌平区', 'county', '3715', true),
    ('371521', '阳谷县', 'county', '3715', true),
    ('371522', '莘县', 'county', '3715', true),
    ('371524', '东阿县', 'county', '3715', true),
    ('371525', '冠县', 'county', '3715', true),
    ('371526', '高唐县', 'county', '3715', true),
    ('371581', '临清市', 'county', '3715', true),
    ('371602', '滨城区', 'county', '3716', true),
    ('371603', '沾化区', 'county', '3716', true),
    ('371621', '惠民县', 'county', '3716', true),
    ('371622', '阳信县', 'county', '3716', true),
    ('371623', '无棣县', 'county', '3716', true),
    ('371625', '博兴县', 'county', '3716', true),
    ('371681', '邹平市', 'county', '3716', true),
    ('371702', '牡丹区', 'county', '3717', true),
    ('371703', '定陶区', 'county', '3717', true),
    ('371721', '曹县', 'county', '3717', true),
    ('371722', '单县', 'county', '3717', true),
    ('371723', '成武县', 'county', '3717', true),
    ('371724', '巨野县', 'county', '3717', true),
    ('371725', '郓城县', 'county', '3717', true),
    ('371726', '鄄城县', 'county', '3717', true),
    ('371728', '东明县', 'county', '3717', true),
    ('371771', '菏泽经济技术开发区', 'county', '3717', true),
    ('371772', '菏泽高新技术开发区', 'county', '3717', true),
    ('410102', '中原区', 'county', '4101', true),
    ('410103', '二七区', 'county', '4101', true),
    ('410104', '管城回族区', 'county', '4101', true),
    ('410105', '金水区', 'county', '4101', true),
    ('410106', '上街区', 'county', '4101', true),
    ('410108', '惠济区', 'county', '4101', true),
    ('410122', '中牟县', 'county', '4101', true),
    ('410171', '郑州经济技术开发区', 'county', '4101', true),
    ('410172', '郑州高新技术产业开发区', 'county', '4101', true),
    ('410173', '郑州航空港经济综合实验区', 'county', '4101', true),
    ('410181', '巩义市', 'county', '4101', true),
    ('410182', '荥阳市', 'county', '4101', true),
    ('410183', '新密市', 'county', '4101', true),
    ('410184', '新郑市', 'county', '4101', true),
    ('410185', '登封市', 'county', '4101', true),
    ('410202', '龙亭区', 'county', '4102', true),
    ('410203', '顺河回族区', 'county', '4102', true),
    ('410204', '鼓楼区', 'county', '4102', true),
    ('410205', '禹王台区', 'county', '4102', true),
    ('410212', '祥符区', 'county', '4102', true),
    ('410221', '杞县', 'county', '4102', true),
    ('410222', '通许县', 'county', '4102', true),
    ('410223', '尉氏县', 'county', '4102', true),
    ('410225', '兰考县', 'county', '4102', true),
    ('410302', '老城区', 'county', '4103', true),
    ('410303', '西工区', 'county', '4103', true),
    ('410304', '瀍河回族区', 'county', '4103', true),
    ('410305', '涧西区', 'county', '4103', true),
    ('410307', '偃师区', 'county', '4103', true),
    ('410308', '孟津区', 'county', '4103', true),
    ('410311', '洛龙区', 'county', '4103', true),
    ('410323', '新安县', 'county', '4103', true),
    ('410324', '栾川县', 'county', '4103', true),
    ('410325', '嵩县', 'county', '4103', true),
    ('410326', '汝阳县', 'county', '4103', true),
    ('410327', '宜阳县', 'county', '4103', true),
    ('410328', '洛宁县', 'county', '4103', true),
    ('410329', '伊川县', 'county', '4103', true),
    ('410371', '洛阳高新技术产业开发区', 'county', '4103', true),
    ('410402', '新华区', 'county', '4104', true),
    ('410403', '卫东区', 'county', '4104', true),
    ('410404', '石龙区', 'county', '4104', true),
    ('410411', '湛河区', 'county', '4104', true),
    ('410421', '宝丰县', 'county', '4104', true),
    ('410422', '叶县', 'county', '4104', true),
    ('410423', '鲁山县', 'county', '4104', true),
    ('410425', '郏县', 'county', '4104', true),
    ('410471', '平顶山高新技术产业开发区', 'county', '4104', true),
    ('410472', '平顶山市城乡一体化示范区', 'county', '4104', true),
    ('410481', '舞钢市', 'county', '4104', true),
    ('410482', '汝州市', 'county', '4104', true),
    ('410502', '文峰区', 'county', '4105', true),
    ('410503', '北关区', 'county', '4105', true),
    ('410505', '殷都区', 'county', '4105', true),
    ('410506', '龙安区', 'county', '4105', true),
    ('410522', '安阳县', 'county', '4105', true),
    ('410523', '汤阴县', 'county', '4105', true),
    ('410526', '滑县', 'county', '4105', true),
    ('410527', '内黄县', 'county', '4105', true),
    ('410571', '安阳高新技术产业开发区', 'county', '4105', true),
    ('410581', '林州市', 'county', '4105', true),
    ('410602', '鹤山区', 'county', '4106', true),
    ('410603', '山城区', 'county', '4106', true),
    ('410611', '淇滨区', 'county', '4106', true),
    ('410621', '浚县', 'county', '4106', true),
    ('410622', '淇县', 'county', '4106', true),
    ('410671', '鹤壁经济技术开发区', 'county', '4106', true),
    ('410702', '红旗区', 'county', '4107', true),
    ('410703', '卫滨区', 'county', '4107', true),
    ('410704', '凤泉区', 'county', '4107', true),
    ('410711', '牧野区', 'county', '4107', true),
    ('410721', '新乡县', 'county', '4107', true),
    ('410724', '获嘉县', 'county', '4107', true),
    ('410725', '原阳县', 'county', '4107', true),
    ('410726', '延津县', 'county', '4107', true),
    ('410727', '封丘县', 'county', '4107', true),
    ('410771', '新乡高新技术产业开发区', 'county', '4107', true),
    ('410772', '新乡经济技术开发区', 'county', '4107', true),
    ('410773', '新乡市平原城乡一体化示范区', 'county', '4107', true),
    ('410781', '卫辉市', 'county', '4107', true),
    ('410782', '辉县市', 'county', '4107', true),
    ('410783', '长垣市', 'county', '4107', true),
    ('410802', '解放区', 'county', '4108', true),
    ('410803', '中站区', 'county', '4108', true),
    ('410804', '马村区', 'county', '4108', true),
    ('410811', '山阳区', 'county', '4108', true),
    ('410821', '修武县', 'county', '4108', true),
    ('410822', '博爱县', 'county', '4108', true),
    ('410823', '武陟县', 'county', '4108', true),
    ('410825', '温县', 'county', '4108', true),
    ('410871', '焦作城乡一体化示范区', 'county', '4108', true),
    ('410882', '沁阳市', 'county', '4108', true),
    ('410883', '孟州市', 'county', '4108', true),
    ('410902', '华龙区', 'county', '4109', true),
    ('410922', '清丰县', 'county', '4109', true),
    ('410923', '南乐县', 'county', '4109', true),
    ('410926', '范县', 'county', '4109', true),
    ('410927', '台前县', 'county', '4109', true),
    ('410928', '濮阳县', 'county', '4109', true),
    ('410971', '河南濮阳工业园区', 'county', '4109', true),
    ('410972', '濮阳经济技术开发区', 'county', '4109', true),
    ('411002', '魏都区', 'county', '4110', true),
    ('411003', '建安区', 'county', '4110', true),
    ('411024', '鄢陵县', 'county', '4110', true),
    ('411025', '襄城县', 'county', '4110', true),
    ('411071', '许昌经济技术开发区', 'county', '4110', true),
    ('411081', '禹州市', 'county', '4110', true),
    ('411082', '长葛市', 'county', '4110', true),
    ('411102', '源汇区', 'county', '4111', true),
    ('411103', '郾城区', 'county', '4111', true),
    ('411104', '召陵区', 'county', '4111', true),
    ('411121', '舞阳县', 'county', '4111', true),
    ('411122', '临颍县', 'county', '4111', true),
    ('411171', '漯河经济技术开发区', 'county', '4111', true),
    ('411202', '湖滨区', 'county', '4112', true),
    ('411203', '陕州区', 'county', '4112', true),
    ('411221', '渑池县', 'county', '4112', true),
    ('411224', '卢氏县', 'county', '4112', true),
    ('411271', '河南三门峡经济开发区', 'county', '4112', true),
    ('411281', '义马市', 'county', '4112', true),
    ('411282', '灵宝市', 'county', '4112', true),
    ('411302', '宛城区', 'county', '4113', true),
    ('411303', '卧龙区', 'county', '4113', true),
    ('411321', '南召县', 'county', '4113', true),
    ('411322', '方城县', 'county', '4113', true),
    ('411323', '西峡县', 'county', '4113', true),
    ('411324', '镇平县', 'county', '4113', true),
    ('411325', '内乡县', 'county', '4113', true),
    ('411326', '淅川县', 'county', '4113', true),
    ('411327', '社旗县', 'county', '4113', true),
    ('411328', '唐河县', 'county', '4113', true),
    ('411329', '新野县', 'county', '4113', true),
    ('411330', '桐柏县', 'county', '4113', true),
    ('411371', '南阳高新技术产业开发区', 'county', '4113', true),
    ('411372', '南阳市城乡一体化示范区', 'county', '4113', true),
    ('411381', '邓州市', 'county', '4113', true),
    ('411402', '梁园区', 'county', '4114', true),
    ('411403', '睢阳区', 'county', '4114', true),
    ('411421', '民权县', 'county', '4114', true),
    ('411422', '睢县', 'county', '4114', true),
    ('411423', '宁陵县', 'county', '4114', true),
    ('411424', '柘城县', 'county', '4114', true),
    ('411425', '虞城县', 'county', '4114', true),
    ('411426', '夏邑县', 'county', '4114', true),
    ('411471', '豫东综合物流产业聚集区', 'county', '4114', true),
    ('411472', '河南商丘经济开发区', 'county', '4114', true),
    ('411481', '永城市', 'county', '4114', true),
    ('411502', '浉河区', 'county', '4115', true),
    ('411503', '平桥区', 'county', '4115', true),
    ('411521', '罗山县', 'county', '4115', true),
    ('411522', '光山县', 'county', '4115', true),
    ('411523', '新县', 'county', '4115', true),
    ('411524', '商城县', 'county', '4115', true),
    ('411525', '固始县', 'county', '4115', true),
    ('411526', '潢川县', 'county', '4115', true),
    ('411527', '淮滨县', 'county', '4115', true),
    ('411528', '息县', 'county', '4115', true),
    ('411571', '信阳高新技术产业开发区', 'county', '4115', true),
    ('411602', '川汇区', 'county', '4116', true),
    ('411603', '淮阳区', 'county', '4116', true),
    ('411621', '扶沟县', 'county', '4116', true),
    ('411622', '西华县', 'county', '4116', true),
    ('411623', '商水县', 'county', '4116', true),
    ('411624', '沈丘县', 'county', '4116', true),
    ('411625', '郸城县', 'county', '4116', true),
    ('411627', '太康县', 'county', '4116', true),
    ('411628', '鹿邑县', 'county', '4116', true),
    ('411671', '周口临港开发区', 'county', '4116', true),
    ('411681', '项城市', 'county', '4116', true),
    ('411702', '驿城区', 'county', '4117', true),
    ('411721', '西平县', 'county', '4117', true),
    ('411722', '上蔡县', 'county', '4117', true),
    ('411723', '平舆县', 'county', '4117', true),
    ('411724', '正阳县', 'county', '4117', true),
    ('411725', '确山县', 'county', '4117', true),
    ('411726', '泌阳县', 'county', '4117', true),
    ('411727', '汝南县', 'county', '4117', true),
    ('411728', '遂平县', 'county', '4117', true),
    ('411729', '新蔡县', 'county', '4117', true),
    ('411771', '河南驻马店经济开发区', 'county', '4117', true),
    ('419001', '济源市', 'county', '4190', true),
    ('420102', '江岸区', 'county', '4201', true),
    ('420103', '江汉区', 'county', '4201', true),
    ('420104', '硚口区', 'county', '4201', true),
    ('420105', '汉阳区', 'county', '4201', true),
    ('420106', '武昌区', 'county', '4201', true),
    ('420107', '青山区', 'county', '4201', true),
    ('420111', '洪山区', 'county', '4201', true),
    ('420112', '东西湖区', 'county', '4201', true),
    ('420113', '汉南区', 'county', '4201', true),
    ('420114', '蔡甸区', 'county', '4201', true),
    ('420115', '江夏区', 'county', '4201', true),
    ('420116', '黄陂区', 'county', '4201', true),
    ('420117', '新洲区', 'county', '4201', true),
    ('420202', '黄石港区', 'county', '4202', true),
    ('420203', '西塞山区', 'county', '4202', true),
    ('420204', '下陆区', 'county', '4202', true),
    ('420205', '铁山区', 'county', '4202', true),
    ('420222', '阳新县', 'county', '4202', true),
    ('420281', '大冶市', 'county', '4202', true),
    ('420302', '茅箭区', 'county', '4203', true),
    ('420303', '张湾区', 'county', '4203', true),
    ('420304', '郧阳区', 'county', '4203', true),
    ('420322', '郧西县', 'county', '4203', true),
    ('420323', '竹山县', 'county', '4203', true),
    ('420324', '竹溪县', 'county', '4203', true),
    ('420325', '房县', 'county', '4203', true),
    ('420381', '丹江口市', 'county', '4203', true),
    ('420502', '西陵区', 'county', '4205', true),
    ('420503', '伍家岗区', 'county', '4205', true),
    ('420504', '点军区', 'county', '4205', true),
    ('420505', '猇亭区', 'county', '4205', true),
    ('420506', '夷陵区', 'county', '4205', true),
    ('420525', '远安县', 'county', '4205', true),
    ('420526', '兴山县', 'county', '4205', true),
    ('420527', '秭归县', 'county', '4205', true),
    ('420528', '长阳土家族自治县', 'county', '4205', true),
    ('420529', '五峰土家族自治县', 'county', '4205', true),
    ('420581', '宜都市', 'county', '4205', true),
    ('420582', '当阳市', 'county', '4205', true),
    ('420583', '枝江市', 'county', '4205', true),
    ('420602', '襄城区', 'county', '4206', true),
    ('420606', '樊城区', 'county', '4206', true),
    ('420607', '襄州区', 'county', '4206', true),
    ('420624', '南漳县', 'county', '4206', true),
    ('420625', '谷城县', 'county', '4206', true),
    ('420626', '保康县', 'county', '4206', true),
    ('420682', '老河口市', 'county', '4206', true),
    ('420683', '枣阳市', 'county', '4206', true),
    ('420684', '宜城市', 'county', '4206', true),
    ('420702', '梁子湖区', 'county', '4207', true),
    ('420703', '华容区', 'county', '4207', true),
    ('420704', '鄂城区', 'county', '4207', true),
    ('420802', '东宝区', 'county', '4208', true),
    ('420804', '掇刀区', 'county', '4208', true),
    ('420822', '沙洋县', 'county', '4208', true),
    ('420881', '钟祥市', 'county', '4208', true),
    ('420882', '京山市', 'county', '4208', true),
    ('420902', '孝南区', 'county', '4209', true),
    ('420921', '孝昌县', 'county', '4209', true),
    ('420922', '大悟县', 'county', '4209', true),
    ('420923', '云梦县', 'county', '4209', true),
    ('420981', '应城市', 'county', '4209', true),
    ('420982', '安陆市', 'county', '4209', true),
    ('420984', '汉川市', 'county', '4209', true),
    ('421002', '沙市区', 'county', '4210', true),
    ('421003', '荆州区', 'county', '4210', true),
    ('421022', '公安县', 'county', '4210', true),
    ('421024', '江陵县', 'county', '4210', true),
    ('421071', '荆州经济技术开发区', 'county', '4210', true),
    ('421081', '石首市', 'county', '4210', true),
    ('421083', '洪湖市', 'county', '4210', true),
    ('421087', '松滋市', 'county', '4210', true),
    ('421088', '监利市', 'county', '4210', true),
    ('421102', '黄州区', 'county', '4211', true),
    ('421121', '团风县', 'county', '4211', true),
    ('421122', '红安县', 'county', '4211', true),
    ('421123', '罗田县', 'county', '4211', true),
    ('421124', '英山县', 'county', '4211', true),
    ('421125', '浠水县', 'county', '4211', true),
    ('421126', '蕲春县', 'county', '4211', true),
    ('421127', '黄梅县', 'county', '4211', true),
    ('421171', '龙感湖管理区', 'county', '4211', true),
    ('421181', '麻城市', 'county', '4211', true),
    ('421182', '武穴市', 'county', '4211', true),
    ('421202', '咸安区', 'county', '4212', true),
    ('421221', '嘉鱼县', 'county', '4212', true),
    ('421222', '通城县', 'county', '4212', true),
    ('421223', '崇阳县', 'county', '4212', true),
    ('421224', '通山县', 'county', '4212', true),
    ('421281', '赤壁市', 'county', '4212', true),
    ('421303', '曾都区', 'county', '4213', true),
    ('421321', '随县', 'county', '4213', true),
    ('421381', '广水市', 'county', '4213', true),
    ('422801', '恩施市', 'county', '4228', true),
    ('422802', '利川市', 'county', '4228', true),
    ('422822', '建始县', 'county', '4228', true),
    ('422823', '巴东县', 'county', '4228', true),
    ('422825', '宣恩县', 'county', '4228', true),
    ('422826', '咸丰县', 'county', '4228', true),
    ('422827', '来凤县', 'county', '4228', true),
    ('422828', '鹤峰县', 'county', '4228', true),
    ('429004', '仙桃市', 'county', '4290', true),
    ('429005', '潜江市', 'county', '4290', true),
    ('429006', '天门市', 'county', '4290', true),
    ('429021', '神农架林区', 'county', '4290', true),
    ('430102', '芙蓉区', 'county', '4301', true),
    ('430103', '天心区', 'county', '4301', true),
    ('430104', '岳麓区', 'county', '4301', true),
    ('430105', '开福区', 'county', '4301', true),
    ('430111', '雨花区', 'county', '4301', true),
    ('430112', '望城区', 'county', '4301', true),
    ('430121', '长沙县', 'county', '4301', true),
    ('430181', '浏阳市', 'county', '4301', true),
    ('430182', '宁乡市', 'county', '4301', true),
    ('430202', '荷塘区', 'county', '4302', true),
    ('430203', '芦淞区', 'county', '4302', true),
    ('430204', '石峰区', 'county', '4302', true),
    ('430211', '天元区', 'county', '4302', true),
    ('430212', '渌口区', 'county', '4302', true),
    ('430223', '攸县', 'county', '4302', true),
    ('430224', '茶陵县', 'county', '4302', true),
    ('430225', '炎陵县', 'county', '4302', true),
    ('430281', '醴陵市', 'county', '4302', true),
    ('430302', '雨湖区', 'county', '4303', true),
    ('430304', '岳塘区', 'county', '4303', true),
    ('430321', '湘潭县', 'county', '4303', true),
    ('430371', '湖南湘潭高新技术产业园区', 'county', '4303', true),
    ('430372', '湘潭昭山示范区', 'county', '4303', true),
    ('430373', '湘潭九华示范区', 'county', '4303', true),
    ('430381', '湘乡市', 'county', '4303', true),
    ('430382', '韶山市', 'county', '4303', true),
    ('430405', '珠晖区', 'county', '4304', true),
    ('430406', '雁峰区', 'county', '4304', true),
    ('430407', '石鼓区', 'county', '4304', true),
    ('430408', '蒸湘区', 'county', '4304', true),
    ('430412', '南岳区', 'county', '4304', true),
    ('430421', '衡阳县', 'county', '4304', true),
    ('430422', '衡南县', 'county', '4304', true),
    ('430423', '衡山县', 'county', '4304', true),
    ('430424', '衡东县', 'county', '4304', true),
    ('430426', '祁东县', 'county', '4304', true),
    ('430473', '湖南衡阳松木经济开发区', 'county', '4304', true),
    ('430476', '湖南衡阳高新技术产业园区', 'county', '4304', true),
    ('430481', '耒阳市', 'county', '4304', true),
    ('430482', '常宁市', 'county', '4304', true),
    ('430502', '双清区', 'county', '4305', true),
    ('430503', '大祥区', 'county', '4305', true),
    ('430511', '北塔区', 'county', '4305', true),
    ('430522', '新邵县', 'county', '4305', true),
    ('430523', '邵阳县', 'county', '4305', true),
    ('430524', '隆回县', 'county', '4305', true),
    ('430525', '洞口县', 'county', '4305', true),
    ('430527', '绥宁县', 'county', '4305', true),
    ('430528', '新宁县', 'county', '4305', true),
    ('430529', '城步苗族自治县', 'county', '4305', true),
    ('430581', '武冈市', 'county', '4305', true),
    ('430582', '邵东市', 'county', '4305', true),
    ('430602', '岳阳楼区', 'county', '4306', true),
    ('430603', '云溪区', 'county', '4306', true),
    ('430611', '君山区', 'county', '4306', true),
    ('430621', '岳阳县', 'county', '4306', true),
    ('430623', '华容县', 'county', '4306', true),
    ('430624', '湘阴县', 'county', '4306', true),
    ('430626', '平江县', 'county', '4306', true),
    ('430671', '岳阳市屈原管理区', 'county', '4306', true),
    ('430681', '汨罗市', 'county', '4306', true),
    ('430682', '临湘市', 'county', '4306', true),
    ('430702', '武陵区', 'county', '4307', true),
    ('430703', '鼎城区', 'county', '4307', true),
    ('430721', '安乡县', 'county', '4307', true),
    ('430722', '汉寿县', 'county', '4307', true),
    ('430723', '澧县', 'county', '4307', true),
    ('430724', '临澧县', 'county', '4307', true),
    ('430725', '桃源县', 'county', '4307', true),
    ('430726', '石门县', 'county', '4307', true),
    ('430771', '常德市西洞庭管理区', 'county', '4307', true),
    ('430781', '津市市', 'county', '4307', true),
    ('430802', '永定区', 'county', '4308', true),
    ('430811', '武陵源区', 'county', '4308', true),
    ('430821', '慈利县', 'county', '4308', true),
    ('430822', '桑植县', 'county', '4308', true),
    ('430902', '资阳区', 'county', '4309', true),
    ('430903', '赫山区', 'county', '4309', true),
    ('430921', '南县', 'county', '4309', true),
    ('430922', '桃江县', 'county', '4309', true),
    ('430923', '安化县', 'county', '4309', true),
    ('430971', '益阳市大通湖管理区', 'county', '4309', true),
    ('430972', '湖南益阳高新技术产业园区', 'county', '4309', true),
    ('430981', '沅江市', 'county', '4309', true),
    ('431002', '北湖区', 'county', '4310', true),
    ('431003', '苏仙区', 'county', '4310', true),
    ('431021', '桂阳县', 'county', '4310', true),
    ('431022', '宜章县', 'county', '4310', true),
    ('431023', '永兴县', 'county', '4310', true),
    ('431024', '嘉禾县', 'county', '4310', true),
    ('431025', '临武县', 'county', '4310', true),
    ('431026', '汝城县', 'county', '4310', true),
    ('431027', '桂东县', 'county', '4310', true),
    ('431028', '安仁县', 'county', '4310', true),
    ('431081', '资兴市', 'county', '4310', true),
    ('431102', '零陵区', 'county', '4311', true),
    ('431103', '冷水滩区', 'county', '4311', true),
    ('431122', '东安县', 'county', '4311', true),
    ('431123', '双牌县', 'county', '4311', true),
    ('431124', '道县', 'county', '4311', true),
    ('431125', '江永县', 'county', '4311', true),
    ('431126', '宁远县', 'county', '4311', true),
    ('431127', '蓝山县', 'county', '4311', true),
    ('431128', '新田县', 'county', '4311', true),
    ('431129', '江华瑶族自治县', 'county', '4311', true),
    ('431171', '永州经济技术开发区', 'county', '4311', true),
    ('431173', '永州市回龙圩管理区', 'county', '4311', true),
    ('431181', '祁阳市', 'county', '4311', true),
    ('431202', '鹤城区', 'county', '4312', true),
    ('431221', '中方县', 'county', '4312', true),
    ('431222', '沅陵县', 'county', '4312', true),
    ('431223', '辰溪县', 'county', '4312', true),
    ('431224', '溆浦县', 'county', '4312', true),
    ('431225', '会同县', 'county', '4312', true),
    ('431226', '麻阳苗族自治县', 'county', '4312', true),
    ('431227', '新晃侗族自治县', 'county', '4312', true),
    ('431228', '芷江侗族自治县', 'county', '4312', true),
    ('431229', '靖州苗族侗族自治县', 'county', '4312', true),
    ('431230', '通道侗族自治县', 'county', '4312', true),
    ('431271', '怀化市洪江管理区', 'county', '4312', true),
    ('431281', '洪江市', 'county', '4312', true),
    ('431302', '娄星区', 'county', '4313', true),
    ('431321', '双峰县', 'county', '4313', true),
    ('431322', '新化县', 'county', '4313', true),
    ('431381', '冷水江市', 'county', '4313', true),
    ('431382', '涟源市', 'county', '4313', true),
    ('433101', '吉首市', 'county', '4331', true),
    ('433122', '泸溪县', 'county', '4331', true),
    ('433123', '凤凰县', 'county', '4331', true),
    ('433124', '花垣县', 'county', '4331', true),
    ('433125', '保靖县', 'county', '4331', true),
    ('433126', '古丈县', 'county', '4331', true),
    ('433127', '永顺县', 'county', '4331', true),
    ('433130', '龙山县', 'county', '4331', true),
    ('440103', '荔湾区', 'county', '4401', true),
    ('440104', '越秀区', 'county', '4401', true),
    ('440105', '海珠区', 'county', '4401', true),
    ('440106', '天河区', 'county', '4401', true),
    ('440111', '白云区', 'county', '4401', true),
    ('440112', '黄埔区', 'county', '4401', true),
    ('440113', '番禺区', 'county', '4401', true),
    ('440114', '花都区', 'county', '4401', true),
    ('440115', '南沙区', 'county', '4401', true),
    ('440117', '从化区', 'county', '4401', true),
    ('440118', '增城区', 'county', '4401', true),
    ('440203', '武江区', 'county', '4402', true),
    ('440204', '浈江区', 'county', '4402', true),
    ('440205', '曲江区', 'county', '4402', true),
    ('440222', '始兴县', 'county', '4402', true),
    ('440224', '仁化县', 'county', '4402', true),
    ('440229', '翁源县', 'county', '4402', true),
    ('440232', '乳源瑶族自治县', 'county', '4402', true),
    ('440233', '新丰县', 'county', '4402', true),
    ('440281', '乐昌市', 'county', '4402', true),
    ('440282', '南雄市', 'county', '4402', true),
    ('440303', '罗湖区', 'county', '4403', true),
    ('440304', '福田区', 'county', '4403', true),
    ('440305', '南山区', 'county', '4403', true),
    ('440306', '宝安区', 'county', '4403', true),
    ('440307', '龙岗区', 'county', '4403', true),
    ('440308', '盐田区', 'county', '4403', true),
    ('440309', '龙华区', 'county', '4403', true),
    ('440310', '坪山区', 'county', '4403', true),
    ('440311', '光明区', 'county', '4403', true),
    ('440402', '香洲区', 'county', '4404', true),
    ('440403', '斗门区', 'county', '4404', true),
    ('440404', '金湾区', 'county', '4404', true),
    ('440507', '龙湖区', 'county', '4405', true),
    ('440511', '金平区', 'county', '4405', true),
    ('440512', '濠江区', 'county', '4405', true),
    ('440513', '潮阳区', 'county', '4405', true),
    ('440514', '潮南区', 'county', '4405', true),
    ('440515', '澄海区', 'county', '4405', true),
    ('440523', '南澳县', 'county', '4405', true),
    ('440604', '禅城区', 'county', '4406', true),
    ('440605', '南海区', 'county', '4406', true),
    ('440606', '顺德区', 'county', '4406', true),
    ('440607', '三水区', 'county', '4406', true),
    ('440608', '高明区', 'county', '4406', true),
    ('440703', '蓬江区', 'county', '4407', true),
    ('440704', '江海区', 'county', '4407', true),
    ('440705', '新会区', 'county', '4407', true),
    ('440781', '台山市', 'county', '4407', true),
    ('440783', '开平市', 'county', '4407', true),
    ('440784', '鹤山市', 'county', '4407', true),
    ('440785', '恩平市', 'county', '4407', true),
    ('440802', '赤坎区', 'county', '4408', true),
    ('440803', '霞山区', 'county', '4408', true),
    ('440804', '坡头区', 'county', '4408', true),
    ('440811', '麻章区', 'county', '4408', true),
    ('440823', '遂溪县', 'county', '4408', true),
    ('440825', '徐闻县', 'county', '4408', true),
    ('440881', '廉江市', 'county', '4408', true),
    ('440882', '雷州市', 'county', '4408', true),
    ('440883', '吴川市', 'county', '4408', true),
    ('440902', '茂南区', 'county', '4409', true),
    ('440904', '电白区', 'county', '4409', true),
    ('440981', '高州市', 'county', '4409', true),
    ('440982', '化州市', 'county', '4409', true),
    ('440983', '信宜市', 'county', '4409', true),
    ('441202', '端州区', 'county', '4412', true),
    ('441203', '鼎湖区', 'county', '4412', true),
    ('441204', '高要区', 'county', '4412', true),
    ('441223', '广宁县', 'county', '4412', true),
    ('441224', '怀集县', 'county', '4412', true),
    ('441225', '封开县', 'county', '4412', true),
    ('441226', '德庆县', 'county', '4412', true),
    ('441284', '四会市', 'county', '4412', true),
    ('441302', '惠城区', 'county', '4413', true),
    ('441303', '惠阳区', 'county', '4413', true),
    ('441322', '博罗县', 'county', '4413', true),
    ('441323', '惠东县', 'county', '4413', true),
    ('441324', '龙门县', 'county', '4413', true),
    ('441402', '梅江区', 'county', '4414', true),
    ('441403', '梅县区', 'county', '4414', true),
    ('441422', '大埔县', 'county', '4414', true),
    ('441423', '丰顺县', 'county', '4414', true),
    ('441424', '五华县', 'county', '4414', true),
    ('441426', '平远县', 'county', '4414', true),
    ('441427', '蕉岭县', 'county', '4414', true),
    ('441481', '兴宁市', 'county', '4414', true),
    ('441502', '城区', 'county', '4415', true),
    ('441521', '海丰县', 'county', '4415', true),
    ('441523', '陆河县', 'county', '4415', true),
    ('441581', '陆丰市', 'county', '4415', true),
    ('441602', '源城区', 'county', '4416', true),
    ('441621', '紫金县', 'county', '4416', true),
    ('441622', '龙川县', 'county', '4416', true),
    ('441623', '连平县', 'county', '4416', true),
    ('441624', '和平县', 'county', '4416', true),
    ('441625', '东源县', 'county', '4416', true),
    ('441702', '江城区', 'county', '4417', true),
    ('441704', '阳东区', 'county', '4417', true),
    ('441721', '阳西县', 'county', '4417', true),
    ('441781', '阳春市', 'county', '4417', true),
    ('441802', '清城区', 'county', '4418', true),
    ('441803', '清新区', 'county', '4418', true),
    ('441821', '佛冈县', 'county', '4418', true),
    ('441823', '阳山县', 'county', '4418', true),
    ('441825', '连山壮族瑶族自治县', 'county', '4418', true),
    ('441826', '连南瑶族自治县', 'county', '4418', true),
    ('441881', '英德市', 'county', '4418', true),
    ('441882', '连州市', 'county', '4418', true),
    ('441900', '东莞市', 'county', '4419', true),
    ('442000', '中山市', 'county', '4420', true),
    ('445102', '湘桥区', 'county', '4451', true),
    ('445103', '潮安区', 'county', '4451', true),
    ('445122', '饶平县', 'county', '4451', true),
    ('445202', '榕城区', 'county', '4452', true),
    ('445203', '揭东区', 'county', '4452', true),
    ('445222', '揭西县', 'county', '4452', true),
    ('445224', '惠来县', 'county', '4452', true),
    ('445281', '普宁市', 'county', '4452', true),
    ('445302', '云城区', 'county', '4453', true),
    ('445303', '云安区', 'county', '4453', true),
    ('445321', '新兴县', 'county', '4453', true),
    ('445322', '郁南县', 'county', '4453', true),
    ('445381', '罗定市', 'county', '4453', true),
    ('450102', '兴宁区', 'county', '4501', true),
    ('450103', '青秀区', 'county', '4501', true),
    ('450105', '江南区', 'county', '4501', true),
    ('450107', '西乡塘区', 'county', '4501', true),
    ('450108', '良庆区', 'county', '4501', true),
    ('450109', '邕宁区', 'county', '4501', true),
    ('450110', '武鸣区', 'county', '4501', true),
    ('450123', '隆安县', 'county', '4501', true),
    ('450124', '马山县', 'county', '4501', true),
    ('450125', '上林县', 'county', '4501', true),
    ('450126', '宾阳县', 'county', '4501', true),
    ('450181', '横州市', 'county', '4501', true),
    ('450202', '城中区', 'county', '4502', true),
    ('450203', '鱼峰区', 'county', '4502', true),
    ('450204', '柳南区', 'county', '4502', true),
    ('450205', '柳北区', 'county', '4502', true),
    ('450206', '柳江区', 'county', '4502', true),
    ('450222', '柳城县', 'county', '4502', true),
    ('450223', '鹿寨县', 'county', '4502', true),
    ('450224', '融安县', 'county', '4502', true),
    ('450225', '融水苗族自治县', 'county', '4502', true),
    ('450226', '三江侗族自治县', 'county', '4502', true),
    ('450302', '秀峰区', 'county', '4503', true),
    ('450303', '叠彩区', 'county', '4503', true),
    ('450304', '象山区', 'county', '4503', true),
    ('450305', '七星区', 'county', '4503', true),
    ('450311', '雁山区', 'county', '4503', true),
    ('450312', '临桂区', 'county', '4503', true),
    ('450321', '阳朔县', 'county', '4503', true),
    ('450323', '灵川县', 'county', '4503', true),
    ('450324', '全州县', 'county', '4503', true),
    ('450325', '兴安县', 'county', '4503', true),
    ('450326', '永福县', 'county', '4503', true),
    ('450327', '灌阳县', 'county', '4503', true),
    ('450328', '龙胜各族自治县', 'county', '4503', true),
    ('450329', '资源县', 'county', '4503', true),
    ('450330', '平乐县', 'county', '4503', true),
    ('450332', '恭城瑶族自治县', 'county', '4503', true),
    ('450381', '荔浦市', 'county', '4503', true),
    ('450403', '万秀区', 'county', '4504', true),
    ('450405', '长洲区', 'county', '4504', true),
    ('450406', '龙圩区', 'county', '4504', true),
    ('450421', '苍梧县', 'county', '4504', true),
    ('450422', '藤县', 'county', '4504', true),
    ('450423', '蒙山县', 'county', '4504', true),
    ('450481', '岑溪市', 'county', '4504', true),
    ('450502', '海城区', 'county', '4505', true),
    ('450503', '银海区', 'county', '4505', true),
    ('450512', '铁山港区', 'county', '4505', true),
    ('450521', '合浦县', 'county', '4505', true),
    ('450602', '港口区', 'county', '4506', true),
    ('450603', '防城区', 'county', '4506', true),
    ('450621', '上思县', 'county', '4506', true),
    ('450681', '东兴市', 'county', '4506', true),
    ('450702', '钦南区', 'county', '4507', true),
    ('450703', '钦北区', 'county', '4507', true),
    ('450721', '灵山县', 'county', '4507', true),
    ('450722', '浦北县', 'county', '4507', true),
    ('450802', '港北区', 'county', '4508', true),
    ('450803', '港南区', 'county', '4508', true),
    ('450804', '覃塘区', 'county', '4508', true),
    ('450821', '平南县', 'county', '4508', true),
    ('450881', '桂平市', 'county', '4508', true),
    ('450902', '玉州区', 'county', '4509', true),
    ('450903', '福绵区', 'county', '4509', true),
    ('450921', '容县', 'county', '4509', true),
    ('450922', '陆川县', 'county', '4509', true),
    ('450923', '博白县', 'county', '4509', true),
    ('450924', '兴业县', 'county', '4509', true),
    ('450981', '北流市', 'county', '4509', true),
    ('451002', '右江区', 'county', '4510', true),
    ('451003', '田阳区', 'county', '4510', true),
    ('451022', '田东县', 'county', '4510', true),
    ('451024', '德保县', 'county', '4510', true),
    ('451026', '那坡县', 'county', '4510', true),
    ('451027', '凌云县', 'county', '4510', true),
    ('451028', '乐业县', 'county', '4510', true),
    ('451029', '田林县', 'county', '4510', true),
    ('451030', '西林县', 'county', '4510', true),
    ('451031', '隆林各族自治县', 'county', '4510', true),
    ('451081', '靖西市', 'county', '4510', true),
    ('451082', '平果市', 'county', '4510', true),
    ('451102', '八步区', 'county', '4511', true),
    ('451103', '平桂区', 'county', '4511', true),
    ('451121', '昭平县', 'county', '4511', true),
    ('451122', '钟山县', 'county', '4511', true),
    ('451123', '富川瑶族自治县', 'county', '4511', true),
    ('451202', '金城江区', 'county', '4512', true),
    ('451203', '宜州区', 'county', '4512', true),
    ('451221', '南丹县', 'county', '4512', true),
    ('451222', '天峨县', 'county', '4512', true),
    ('451223', '凤山县', 'county', '4512', true),
    ('451224', '东兰县', 'county', '4512', true),
    ('451225', '罗城仫佬族自治县', 'county', '4512', true),
    ('451226', '环江毛南族自治县', 'county', '4512', true),
    ('451227', '巴马瑶族自治县', 'county', '4512', true),
    ('451228', '都安瑶族自治县', 'county', '4512', true),
    ('451229', '大化瑶族自治县', 'county', '4512', true),
    ('451302', '兴宾区', 'county', '4513', true),
    ('451321', '忻城县', 'county', '4513', true),
    ('451322', '象州县', 'county', '4513', true),
    ('451323', '武宣县', 'county', '4513', true),
    ('451324', '金秀瑶族自治县', 'county', '4513', true),
    ('451381', '合山市', 'county', '4513', true),
    ('451402', '江州区', 'county', '4514', true),
    ('451421', '扶绥县', 'county', '4514', true),
    ('451422', '宁明县', 'county', '4514', true),
    ('451423', '龙州县', 'county', '4514', true),
    ('451424', '大新县', 'county', '4514', true),
    ('451425', '天等县', 'county', '4514', true),
    ('451481', '凭祥市', 'county', '4514', true),
    ('460105', '秀英区', 'county', '4601', true),
    ('460106', '龙华区', 'county', '4601', true),
    ('460107', '琼山区', 'county', '4601', true),
    ('460108', '美兰区', 'county', '4601', true),
    ('460202', '海棠区', 'county', '4602', true),
    ('460203', '吉阳区', 'county', '4602', true),
    ('460204', '天涯区', 'county', '4602', true),
    ('460205', '崖州区', 'county', '4602', true),
    ('460321', '西沙群岛', 'county', '4603', true),
    ('460322', '南沙群岛', 'county', '4603', true),
    ('460323', '中沙群岛的岛礁及其海域', 'county', '4603', true),
    ('460400', '儋州市', 'county', '4604', true),
    ('469001', '五指山市', 'county', '4690', true),
    ('469002', '琼海市', 'county', '4690', true),
    ('469005', '文昌市', 'county', '4690', true),
    ('469006', '万宁市', 'county', '4690', true),
    ('469007', '东方市', 'county', '4690', true),
    ('469021', '定安县', 'county', '4690', true),
    ('469022', '屯昌县', 'county', '4690', true),
    ('469023', '澄迈县', 'county', '4690', true),
    ('469024', '临高县', 'county', '4690', true),
    ('469025', '白沙黎族自治县', 'county', '4690', true),
    ('469026', '昌江黎族自治县', 'county', '4690', true),
    ('469027', '乐东黎族自治县', 'county', '4690', true),
    ('469028', '陵水黎族自治县', 'county', '4690', true),
    ('469029', '保亭黎族苗族自治县', 'county', '4690', true),
    ('469030', '琼中黎族苗族自治县', 'county', '4690', true),
    ('500101', '万州区', 'county', '5001', true),
    ('500102', '涪陵区', 'county', '5001', true),
    ('500103', '渝中区', 'county', '5001', true),
    ('500104', '大渡口区', 'county', '5001', true),
    ('500105', '江北区', 'county', '5001', true),
    ('500106', '沙坪坝区', 'county', '5001', true),
    ('500107', '九龙坡区', 'county', '5001', true),
    ('500108', '南岸区', 'county', '5001', true),
    ('500109', '北碚区', 'county', '5001', true),
    ('500110', '綦江区', 'county', '5001', true),
    ('500111', '大足区', 'county', '5001', true),
    ('500112', '渝北区', 'county', '5001', true),
    ('500113', '巴南区', 'county', '5001', true),
    ('500114', '黔江区', 'county', '5001', true),
    ('500115', '长寿区', 'county', '5001', true),
    ('500116', '江津区', 'county', '5001', true),
    ('500117', '合川区', 'county', '5001', true),
    ('500118', '永川区', 'county', '5001', true),
    ('500119', '南川区', 'county', '5001', true),
    ('500120', '璧山区', 'county', '5001', true),
    ('500151', '铜梁区', 'county', '5001', true),
    ('500152', '潼南区', 'county', '5001', true),
    ('500153', '荣昌区', 'county', '5001', true),
    ('500154', '开州区', 'county', '5001', true),
    ('500155', '梁平区', 'county', '5001', true),
    ('500156', '武隆区', 'county', '5001', true),
    ('500229', '城口县', 'county', '5002', true),
    ('500230', '丰都县', 'county', '5002', true),
    ('500231', '垫江县', 'county', '5002', true),
    ('500233', '忠县', 'county', '5002', true),
    ('500235', '云阳县', 'county', '5002', true),
    ('500236', '奉节县', 'county', '5002', true),
    ('500237', '巫山县', 'county', '5002', true),
    ('500238', '巫溪县', 'county', '5002', true),
    ('500240', '石柱土家族自治县', 'county', '5002', true),
    ('500241', '秀山土家族苗族自治县', 'county', '5002', true),
    ('500242', '酉阳土家族苗族自治县', 'county', '5002', true),
    ('500243', '彭水苗族土家族自治县', 'county', '5002', true),
    ('510104', '锦江区', 'county', '5101', true),
    ('510105', '青羊区', 'county', '5101', true),
    ('510106', '金牛区', 'county', '5101', true),
    ('510107', '武侯区', 'county', '5101', true),
    ('510108', '成华区', 'county', '5101', true),
    ('510112', '龙泉驿区', 'county', '5101', true),
    ('510113', '青白江区', 'county', '5101', true),
    ('510114', '新都区', 'county', '5101', true),
    ('510115', '温江区', 'county', '5101', true),
    ('510116', '双流区', 'county', '5101', true),
    ('510117', '郫都区', 'county', '5101', true),
    ('510118', '新津区', 'county', '5101', true),
    ('510121', '金堂县', 'county', '5101', true),
    ('510129', '大邑县', 'county', '5101', true),
    ('510131', '蒲江县', 'county', '5101', true),
    ('510181', '都江堰市', 'county', '5101', true),
    ('510182', '彭州市', 'county', '5101', true),
    ('510183', '邛崃市', 'county', '5101', true),
    ('510184', '崇州市', 'county', '5101', true),
    ('510185', '简阳市', 'county', '5101', true),
    ('510302', '自流井区', 'county', '5103', true),
    ('510303', '贡井区', 'county', '5103', true),
    ('510304', '大安区', 'county', '5103', true),
    ('510311', '沿滩区', 'county', '5103', true),
    ('510321', '荣县', 'county', '5103', true),
    ('510322', '富顺县', 'county', '5103', true),
    ('510402', '东区', 'county', '5104', true),
    ('510403', '西区', 'county', '5104', true),
    ('510411', '仁和区', 'county', '5104', true),
    ('510421', '米易县', 'county', '5104', true),
    ('510422', '盐边县', 'county', '5104', true),
    ('510502', '江阳区', 'county', '5105', true),
    ('510503', '纳溪区', 'county', '5105', true),
    ('510504', '龙马潭区', 'county', '5105', true),
    ('510521', '泸县', 'county', '5105', true),
    ('510522', '合江县', 'county', '5105', true),
    ('510524', '叙永县', 'county', '5105', true),
    ('510525', '古蔺县', 'county', '5105', true),
    ('510603', '旌阳区', 'county', '5106', true),
    ('510604', '罗江区', 'county', '5106', true),
    ('510623', '中江县', 'county', '5106', true),
    ('510681', '广汉市', 'county', '5106', true),
    ('510682', '什邡市', 'county', '5106', true),
    ('510683', '绵竹市', 'county', '5106', true),
    ('510703', '涪城区', 'county', '5107', true),
    ('510704', '游仙区', 'county', '5107', true),
    ('510705', '安州区', 'county', '5107', true),
    ('510722', '三台县', 'county', '5107', true),
    ('510723', '盐亭县', 'county', '5107', true),
    ('510725', '梓潼县', 'county', '5107', true),
    ('510726', '北川羌族自治县', 'county', '5107', true),
    ('510727', '平武县', 'county', '5107', true),
    ('510781', '江油市', 'county', '5107', true),
    ('510802', '利州区', 'county', '5108', true),
    ('510811', '昭化区', 'county', '5108', true),
    ('510812', '朝天区', 'county', '5108', true),
    ('510821', '旺苍县', 'county', '5108', true),
    ('510822', '青川县', 'county', '5108', true),
    ('510823', '剑阁县', 'county', '5108', true),
    ('510824', '苍溪县', 'county', '5108', true),
    ('510903', '船山区', 'county', '5109', true),
    ('510904', '安居区', 'county', '5109', true),
    ('510921', '蓬溪县', 'county', '5109', true),
    ('510923', '大英县', 'county', '5109', true),
    ('510981', '射洪市', 'county', '5109', true),
    ('511002', '市中区', 'county', '5110', true),
    ('511011', '东兴区', 'county', '5110', true),
    ('511024', '威远县', 'county', '5110', true),
    ('511025', '资中县', 'county', '5110', true),
    ('511083', '隆昌市', 'county', '5110', true),
    ('511102', '市中区', 'county', '5111', true),
    ('511111', '沙湾区', 'county', '5111', true),
    ('511112', '五通桥区', 'county', '5111', true),
    ('511113', '金口河区', 'county', '5111', true),
    ('511123', '犍为县', 'county', '5111', true),
    ('511124', '井研县', 'county', '5111', true),
    ('511126', '夹江县', 'county', '5111', true),
    ('511129', '沐川县', 'county', '5111', true),
    ('511132', '峨边彝族自治县', 'county', '5111', true),
    ('511133', '马边彝族自治县', 'county', '5111', true),
    ('511181', '峨眉山市', 'county', '5111', true),
    ('511302', '顺庆区', 'county', '5113', true),
    ('511303', '高坪区', 'county', '5113', true),
    ('511304', '嘉陵区', 'county', '5113', true),
    ('511321', '南部县', 'county', '5113', true),
    ('511322', '营山县', 'county', '5113', true),
    ('511323', '蓬安县', 'county', '5113', true),
    ('511324', '仪陇县', 'county', '5113', true),
    ('511325', '西充县', 'county', '5113', true),
    ('511381', '阆中市', 'county', '5113', true),
    ('511402', '东坡区', 'county', '5114', true),
    ('511403', '彭山区', 'county', '5114', true),
    ('511421', '仁寿县', 'county', '5114', true),
    ('511423', '洪雅县', 'county', '5114', true),
    ('511424', '丹棱县', 'county', '5114', true),
    ('511425', '青神县', 'county', '5114', true),
    ('511502', '翠屏区', 'county', '5115', true),
    ('511503', '南溪区', 'county', '5115', true),
    ('511504', '叙州区', 'county', '5115', true),
    ('511523', '江安县', 'county', '5115', true),
    ('511524', '长宁县', 'county', '5115', true),
    ('511525', '高县', 'county', '5115', true),
    ('511526', '珙县', 'county', '5115', true),
    ('511527', '筠连县', 'county', '5115', true),
    ('511528', '兴文县', 'county', '5115', true),
    ('511529', '屏山县', 'county', '5115', true),
    ('511602', '广安区', 'county', '5116', true),
    ('511603', '前锋区', 'county', '5116', true),
    ('511621', '岳池县', 'county', '5116', true),
    ('511622', '武胜县', 'county', '5116', true),
    ('511623', '邻水县', 'county', '5116', true),
    ('511681', '华蓥市', 'county', '5116', true),
    ('511702', '通川区', 'county', '5117', true),
    ('511703', '达川区', 'county', '5117', true),
    ('511722', '宣汉县', 'county', '5117', true),
    ('511723', '开江县', 'county', '5117', true),
    ('511724', '大竹县', 'county', '5117', true),
    ('511725', '渠县', 'county', '5117', true),
    ('511781', '万源市', 'county', '5117', true),
    ('511802', '雨城区', 'county', '5118', true),
    ('511803', '名山区', 'county', '5118', true),
    ('511822', '荥经县', 'county', '5118', true),
    ('511823', '汉源县', 'county', '5118', true),
    ('511824', '石棉县', 'county', '5118', true),
    ('511825', '天全县', 'county', '5118', true),
    ('511826', '芦山县', 'county', '5118', true),
    ('511827', '宝兴县', 'county', '5118', true),
    ('511902', '巴州区', 'county', '5119', true),
    ('511903', '恩阳区', 'county', '5119', true),
    ('511921', '通江县', 'county', '5119', true),
    ('511922', '南江县', 'county', '5119', true),
    ('511923', '平昌县', 'county', '5119', true),
    ('512002', '雁江区', 'county', '5120', true),
    ('512021', '安岳县', 'county', '5120', true),
    ('512022', '乐至县', 'county', '5120', true),
    ('513201', '马尔康市', 'county', '5132', true),
    ('513221', '汶川县', 'county', '5132', true),
    ('513222', '理县', 'county', '5132', true),
    ('513223', '茂县', 'county', '5132', true),
    ('513224', '松潘县', 'county', '5132', true),
    ('513225', '九寨沟县', 'county', '5132', true),
    ('513226', '金川县', 'county', '5132', true),
    ('513227', '小金县', 'county', '5132', true),
    ('513228', '黑水县', 'county', '5132', true),
    ('513230', '壤塘县', 'county', '5132', true),
    ('513231', '阿坝县', 'county', '5132', true),
    ('513232', '若尔盖县', 'county', '5132', true),
    ('513233', '红原县', 'county', '5132', true),
    ('513301', '康定市', 'county', '5133', true),
    ('513322', '泸定县', 'county', '5133', true),
    ('513323', '丹巴县', 'county', '5133', true),
    ('513324', '九龙县', 'county', '5133', true),
    ('513325', '雅江县', 'county', '5133', true),
    ('513326', '道孚县', 'county', '5133', true),
    ('513327', '炉霍县', 'county', '5133', true),
    ('513328', '甘孜县', 'county', '5133', true),
    ('513329', '新龙县', 'county', '5133', true),
    ('513330', '德格县', 'county', '5133', true),
    ('513331', '白玉县', 'county', '5133', true),
    ('513332', '石渠县', 'county', '5133', true),
    ('513333', '色达县', 'county', '5133', true),
    ('513334', '理塘县', 'county', '5133', true),
    ('513335', '巴塘县', 'county', '5133', true),
    ('513336', '乡城县', 'county', '5133', true),
    ('513337', '稻城县', 'county', '5133', true),
    ('513338', '得荣县', 'county', '5133', true),
    ('513401', '西昌市', 'county', '5134', true),
    ('513402', '会理市', 'county', '5134', true),
    ('513422', '木里藏族自治县', 'county', '5134', true),
    ('513423', '盐源县', 'county', '5134', true),
    ('513424', '德昌县', 'county', '5134', true),
    ('513426', '会东县', 'county', '5134', true),
    ('513427', '宁南县', 'county', '5134', true),
    ('513428', '普格县', 'county', '5134', true),
    ('513429', '布拖县', 'county', '5134', true),
    ('513430', '金阳县', 'county', '5134', true),
    ('513431', '昭觉县', 'county', '5134', true),
    ('513432', '喜德县', 'county', '5134', true),
    ('513433', '冕宁县', 'county', '5134', true),
    ('513434', '越西县', 'county', '5134', true),
    ('513435', '甘洛县', 'county', '5134', true),
    ('513436', '美姑县', 'county', '5134', true),
    ('513437', '雷波县', 'county', '5134', true),
    ('520102', '南明区', 'county', '5201', true),
    ('520103', '云岩区', 'county', '5201', true),
    ('520111', '花溪区', 'county', '5201', true),
    ('520112', '乌当区', 'county', '5201', true),
    ('520113', '白云区', 'county', '5201', true),
    ('520115', '观山湖区', 'county', '5201', true),
    ('520121', '开阳县', 'county', '5201', true),
    ('520122', '息烽县', 'county', '5201', true),
    ('520123', '修文县', 'county', '5201', true),
    ('520181', '清镇市', 'county', '5201', true),
    ('520201', '钟山区', 'county', '5202', true),
    ('520203', '六枝特区', 'county', '5202', true),
    ('520204', '水城区', 'county', '5202', true),
    ('520281', '盘州市', 'county', '5202', true),
    ('520302', '红花岗区', 'county', '5203', true),
    ('520303', '汇川区', 'county', '5203', true),
    ('520304', '播州区', 'county', '5203', true),
    ('520322', '桐梓县', 'county', '5203', true),
    ('520323', '绥阳县', 'county', '5203', true),
    ('520324', '正安县', 'county', '5203', true),
    ('520325', '道真仡佬族苗族自治县', 'county', '5203', true),
    ('520326', '务川仡佬族苗族自治县', 'county', '5203', true),
    ('520327', '凤冈县', 'county', '5203', true),
    ('520328', '湄潭县', 'county', '5203', true),
    ('520329', '余庆县', 'county', '5203', true),
    ('520330', '习水县', 'county', '5203', true),
    ('520381', '赤水市', 'county', '5203', true),
    ('520382', '仁怀市', 'county', '5203', true),
    ('520402', '西秀区', 'county', '5204', true),
    ('520403', '平坝区', 'county', '5204', true),
    ('520422', '普定县', 'county', '5204', true),
    ('520423', '镇宁布依族苗族自治县', 'county', '5204', true),
    ('520424', '关岭布依族苗族自治县', 'county', '5204', true),
    ('520425', '紫云苗族布依族自治县', 'county', '5204', true),
    ('520502', '七星关区', 'county', '5205', true),
    ('520521', '大方县', 'county', '5205', true),
    ('520523', '金沙县', 'county', '5205', true),
    ('520524', '织金县', 'county', '5205', true),
    ('520525', '纳雍县', 'county', '5205', true),
    ('520526', '威宁彝族回族苗族自治县', 'county', '5205', true),
    ('520527', '赫章县', 'county', '5205', true),
    ('520581', '黔西市', 'county', '5205', true),
    ('520602', '碧江区', 'county', '5206', true),
    ('520603', '万山区', 'county', '5206', true),
    ('520621', '江口县', 'county', '5206', true),
    ('520622', '玉屏侗族自治县', 'county', '5206', true),
    ('520623', '石阡县', 'county', '5206', true),
    ('520624', '思南县', 'county', '5206', true),
    ('520625', '印江土家族苗族自治县', 'county', '5206', true),
    ('520626', '德江县', 'county', '5206', true),
    ('520627', '沿河土家族自治县', 'county', '5206', true),
    ('520628', '松桃苗族自治县', 'county', '5206', true),
    ('522301', '兴义市', 'county', '5223', true),
    ('522302', '兴仁市', 'county', '5223', true),
    ('522323', '普安县', 'county', '5223', true),
    ('522324', '晴隆县', 'county', '5223', true),
    ('522325', '贞丰县', 'county', '5223', true),
    ('522326', '望谟县', 'county', '5223', true),
    ('522327', '册亨县', 'county', '5223', true),
    ('522328', '安龙县', 'county', '5223', true),
    ('522601', '凯里市', 'county', '5226', true),
    ('522622', '黄平县', 'county', '5226', true),
    ('522623', '施秉县', 'county', '5226', true),
    ('522624', '三穗县', 'county', '5226', true),
    ('522625', '镇远县', 'county', '5226', true),
    ('522626', '岑巩县', 'county', '5226', true),
    ('522627', '天柱县', 'county', '5226', true),
    ('522628', '锦屏县', 'county', '5226', true),
    ('522629', '剑河县', 'county', '5226', true),
    ('522630', '台江县', 'county', '5226', true),
    ('522631', '黎平县', 'county', '5226', true),
    ('522632', '榕江县', 'county', '5226', true),
    ('522633', '从江县', 'county', '5226', true),
    ('522634', '雷山县', 'county', '5226', true),
    ('522635', '麻江县', 'county', '5226', true),
    ('522636', '丹寨县', 'county', '5226', true),
    ('522701', '都匀市', 'county', '5227', true),
    ('522702', '福泉市', 'county', '5227', true),
    ('522722', '荔波县', 'county', '5227', true),
    ('522723', '贵定县', 'county', '5227', true),
    ('522725', '瓮安县', 'county', '5227', true),
    ('522726', '独山县', 'county', '5227', true),
    ('522727', '平塘县', 'county', '5227', true),
    ('522728', '罗甸县', 'county', '5227', true),
    ('522729', '长顺县', 'county', '5227', true),
    ('522730', '龙里县', 'county', '5227', true),
    ('522731', '惠水县', 'county', '5227', true),
    ('522732', '三都水族自治县', 'county', '5227', true),
    ('530102', '五华区', 'county', '5301', true),
    ('530103', '盘龙区', 'county', '5301', true),
    ('530111', '官渡区', 'county', '5301', true),
    ('530112', '西山区', 'county', '5301', true),
    ('530113', '东川区', 'county', '5301', true),
    ('530114', '呈贡区', 'county', '5301', true),
    ('530115', '晋宁区', 'county', '5301', true),
    ('530124', '富民县', 'county', '5301', true),
    ('530125', '宜良县', 'county', '5301', true),
    ('530126', '石林彝族自治县', 'county', '5301', true),
    ('530127', '嵩明县', 'county', '5301', true),
    ('530128', '禄劝彝族苗族自治县', 'county', '5301', true),
    ('530129', '寻甸回族彝族自治县', 'county', '5301', true),
    ('530181', '安宁市', 'county', '5301', true),
    ('530302', '麒麟区', 'county', '5303', true),
    ('530303', '沾益区', 'county', '5303', true),
    ('530304', '马龙区', 'county', '5303', true),
    ('530322', '陆良县', 'county', '5303', true),
    ('530323', '师宗县', 'county', '5303', true),
    ('530324', '罗平县', 'county', '5303', true),
    ('530325', '富源县', 'county', '5303', true),
    ('530326', '会泽县', 'county', '5303', true),
    ('530381', '宣威市', 'county', '5303', true),
    ('530402', '红塔区', 'county', '5304', true),
    ('530403', '江川区', 'county', '5304', true),
    ('530423', '通海县', 'county', '5304', true),
    ('530424', '华宁县', 'county', '5304', true),
    ('530425', '易门县', 'county', '5304', true),
    ('530426', '峨山彝族自治县', 'county', '5304', true),
    ('530427', '新平彝族傣族自治县', 'county', '5304', true),
    ('530428', '元江哈尼族彝族傣族自治县', 'county', '5304', true),
    ('530481', '澄江市', 'county', '5304', true),
    ('530502', '隆阳区', 'county', '5305', true),
    ('530521', '施甸县', 'county', '5305', true),
    ('530523', '龙陵县', 'county', '5305', true),
    ('530524', '昌宁县', 'county', '5305', true),
    ('530581', '腾冲市', 'county', '5305', true),
    ('530602', '昭阳区', 'county', '5306', true),
    ('530621', '鲁甸县', 'county', '5306', true),
    ('530622', '巧家县', 'county', '5306', true),
    ('530623', '盐津县', 'county', '5306', true),
    ('530624', '大关县', 'county', '5306', true),
    ('530625', '永善县', 'county', '5306', true),
    ('530626', '绥江县', 'county', '5306', true),
    ('530627', '镇雄县', 'county', '5306', true),
    ('530628', '彝良县', 'county', '5306', true),
    ('530629', '威信县', 'county', '5306', true),
    ('530681', '水富市', 'county', '5306', true),
    ('530702', '古城区', 'county', '5307', true),
    ('530721', '玉龙纳西族自治县', 'county', '5307', true),
    ('530722', '永胜县', 'county', '5307', true),
    ('530723', '华坪县', 'county', '5307', true),
    ('530724', '宁蒗彝族自治县', 'county', '5307', true),
    ('530802', '思茅区', 'county', '5308', true),
    ('530821', '宁洱哈尼族彝族自治县', 'county', '5308', true),
    ('530822', '墨江哈尼族自治县', 'county', '5308', true),
    ('530823', '景东彝族自治县', 'county', '5308', true),
    ('530824', '景谷傣族彝族自治县', 'county', '5308', true),
    ('530825', '镇沅彝族哈尼族拉祜族自治县', 'county', '5308', true),
    ('530826', '江城哈尼族彝族自治县', 'county', '5308', true),
    ('530827', '孟连傣族拉祜族佤族自治县', 'county', '5308', true),
    ('530828', '澜沧拉祜族自治县', 'county', '5308', true),
    ('530829', '西盟佤族自治县', 'county', '5308', true),
    ('530902', '临翔区', 'county', '5309', true),
    ('530921', '凤庆县', 'county', '5309', true),
    ('530922', '云县', 'county', '5309', true),
    ('530923', '永德县', 'county', '5309', true),
    ('530924', '镇康县', 'county', '5309', true),
    ('530925', '双江拉祜族佤族布朗族傣族自治县', 'county', '5309', true),
    ('530926', '耿马傣族佤族自治县', 'county', '5309', true),
    ('530927', '沧源佤族自治县', 'county', '5309', true),
    ('532301', '楚雄市', 'county', '5323', true),
    ('532302', '禄丰市', 'county', '5323', true),
    ('532322', '双柏县', 'county', '5323', true),
    ('532323', '牟定县', 'county', '5323', true),
    ('532324', '南华县', 'county', '5323', true),
    ('532325', '姚安县', 'county', '5323', true),
    ('532326', '大姚县', 'county', '5323', true),
    ('532327', '永仁县', 'county', '5323', true),
    ('532328', '元谋县', 'county', '5323', true),
    ('532329', '武定县', 'county', '5323', true),
    ('532501', '个旧市', 'county', '5325', true),
    ('532502', '开远市', 'county', '5325', true),
    ('532503', '蒙自市', 'county', '5325', true),
    ('532504', '弥勒市', 'county', '5325', true),
    ('532523', '屏边苗族自治县', 'county', '5325', true),
    ('532524', '建水县', 'county', '5325', true),
    ('532525', '石屏县', 'county', '5325', true),
    ('532527', '泸西县', 'county', '5325', true),
    ('532528', '元阳县', 'county', '5325', true),
    ('532529', '红河县', 'county', '5325', true),
    ('532530', '金平苗族瑶族傣族自治县', 'county', '5325', true),
    ('532531', '绿春县', 'county', '5325', true),
    ('532532', '河口瑶族自治县', 'county', '5325', true),
    ('532601', '文山市', 'county', '5326', true),
    ('532622', '砚山县', 'county', '5326', true),
    ('532623', '西畴县', 'county', '5326', true),
    ('532624', '麻栗坡县', 'county', '5326', true),
    ('532625', '马关县', 'county', '5326', true),
    ('532626', '丘北县', 'county', '5326', true),
    ('532627', '广南县', 'county', '5326', true),
    ('532628', '富宁县', 'county', '5326', true),
    ('532801', '景洪市', 'county', '5328', true),
    ('532822', '勐海县', 'county', '5328', true),
    ('532823', '勐腊县', 'county', '5328', true),
    ('532901', '大理市', 'county', '5329', true),
    ('532922', '漾濞彝族自治县', 'county', '5329', true),
    ('532923', '祥云县', 'county', '5329', true),
    ('532924', '宾川县', 'county', '5329', true),
    ('532925', '弥渡县', 'county', '5329', true),
    ('532926', '南涧彝族自治县', 'county', '5329', true),
    ('532927', '巍山彝族回族自治县', 'county', '5329', true),
    ('532928', '永平县', 'county', '5329', true),
    ('532929', '云龙县', 'county', '5329', true),
    ('532930', '洱源县', 'county', '5329', true),
    ('532931', '剑川县', 'county', '5329', true),
    ('532932', '鹤庆县', 'county', '5329', true),
    ('533102', '瑞丽市', 'county', '5331', true),
    ('533103', '芒市', 'county', '5331', true),
    ('533122', '梁河县', 'county', '5331', true),
    ('533123', '盈江县', 'county', '5331', true),
    ('533124', '陇川县', 'county', '5331', true),
    ('533301', '泸水市', 'county', '5333', true),
    ('533323', '福贡县', 'county', '5333', true),
    ('533324', '贡山独龙族怒族自治县', 'county', '5333', true),
    ('533325', '兰坪白族普米族自治县', 'county', '5333', true),
    ('533401', '香格里拉市', 'county', '5334', true),
    ('533422', '德钦县', 'county', '5334', true),
    ('533423', '维西傈僳族自治县', 'county', '5334', true),
    ('540102', '城关区', 'county', '5401', true),
    ('540103', '堆龙德庆区', 'county', '5401', true),
    ('540104', '达孜区', 'county', '5401', true),
    ('540121', '林周县', 'county', '5401', true),
    ('540122', '当雄县', 'county', '5401', true),
    ('540123', '尼木县', 'county', '5401', true),
    ('540124', '曲水县', 'county', '5401', true),
    ('540127', '墨竹工卡县', 'county', '5401', true),
    ('540171', '格尔木藏青工业园区', 'county', '5401', true),
    ('540172', '拉萨经济技术开发区', 'county', '5401', true),
    ('540173', '西藏文化旅游创意园区', 'county', '5401', true),
    ('540174', '达孜工业园区', 'county', '5401', true),
    ('540202', '桑珠孜区', 'county', '5402', true),
    ('540221', '南木林县', 'county', '5402', true),
    ('540222', '江孜县', 'county', '5402', true),
    ('540223', '定日县', 'county', '5402', true),
    ('540224', '萨迦县', 'county', '5402', true),
    ('540225', '拉孜县', 'county', '5402', true),
    ('540226', '昂仁县', 'county', '5402', true),
    ('540227', '谢通门县', 'county', '5402', true),
    ('540228', '白朗县', 'county', '5402', true),
    ('540229', '仁布县', 'county', '5402', true),
    ('540230', '康马县', 'county', '5402', true),
    ('540231', '定结县', 'county', '5402', true),
    ('540232', '仲巴县', 'county', '5402', true),
    ('540233', '亚东县', 'county', '5402', true),
    ('540234', '吉隆县', 'county', '5402', true),
    ('540235', '聂拉木县', 'county', '5402', true),
    ('540236', '萨嘎县', 'county', '5402', true),
    ('540237', '岗巴县', 'county', '5402', true),
    ('540302', '卡若区', 'county', '5403', true),
    ('540321', '江达县', 'county', '5403', true),
    ('540322', '贡觉县', 'county', '5403', true),
    ('540323', '类乌齐县', 'county', '5403', true),
    ('540324', '丁青县', 'county', '5403', true),
    ('540325', '察雅县', 'county', '5403', true),
    ('540326', '八宿县', 'county', '5403', true),
    ('540327', '左贡县', 'county', '5403', true),
    ('540328', '芒康县', 'county', '5403', true),
    ('540329', '洛隆县', 'county', '5403', true),
    ('540330', '边坝县', 'county', '5403', true),
    ('540402', '巴宜区', 'county', '5404', true),
    ('540421', '工布江达县', 'county', '5404', true),
    ('540423', '墨脱县', 'county', '5404', true),
    ('540424', '波密县', 'county', '5404', true),
    ('540425', '察隅县', 'county', '5404', true),
    ('540426', '朗县', 'county', '5404', true),
    ('540481', '米林市', 'county', '5404', true),
    ('540502', '乃东区', 'county', '5405', true),
    ('540521', '扎囊县', 'county', '5405', true),
    ('540522', '贡嘎县', 'county', '5405', true),
    ('540523', '桑日县', 'county', '5405', true),
    ('540524', '琼结县', 'county', '5405', true),
    ('540525', '曲松县', 'county', '5405', true),
    ('540526', '措美县', 'county', '5405', true),
    ('540527', '洛扎县', 'county', '5405', true),
    ('540528', '加查县', 'county', '5405', true),
    ('540529', '隆子县', 'county', '5405', true),
    ('540531', '浪卡子县', 'county', '5405', true),
    ('540581', '错那市', 'county', '5405', true),
    ('540602', '色尼区', 'county', '5406', true),
    ('540621', '嘉黎县', 'county', '5406', true),
    ('540622', '比如县', 'county', '5406', true),
    ('540623', '聂荣县', 'county', '5406', true),
    ('540624', '安多县', 'county', '5406', true),
    ('540625', '申扎县', 'county', '5406', true),
    ('540626', '索县', 'county', '5406', true),
    ('540627', '班戈县', 'county', '5406', true),
    ('540628', '巴青县', 'county', '5406', true),
    ('540629', '尼玛县', 'county', '5406', true),
    ('540630', '双湖县', 'county', '5406', true),
    ('542521', '普兰县', 'county', '5425', true),
    ('542522', '札达县', 'county', '5425', true),
    ('542523', '噶尔县', 'county', '5425', true),
    ('542524', '日土县', 'county', '5425', true),
    ('542525', '革吉县', 'county', '5425', true),
    ('542526', '改则县', 'county', '5425', true),
    ('542527', '措勤县', 'county', '5425', true),
    ('610102', '新城区', 'county', '6101', true),
    ('610103', '碑林区', 'county', '6101', true),
    ('610104', '莲湖区', 'county', '6101', true),
    ('610111', '灞桥区', 'county', '6101', true),
    ('610112', '未央区', 'county', '6101', true),
    ('610113', '雁塔区', 'county', '6101', true),
    ('610114', '阎良区', 'county', '6101', true),
    ('610115', '临潼区', 'county', '6101', true),
    ('610116', '长安区', 'county', '6101', true),
    ('610117', '高陵区', 'county', '6101', true),
    ('610118', '鄠邑区', 'county', '6101', true),
    ('610122', '蓝田县', 'county', '6101', true),
    ('610124', '周至县', 'county', '6101', true),
    ('610202', '王益区', 'county', '6102', true),
    ('610203', '印台区', 'county', '6102', true),
    ('610204', '耀州区', 'county', '6102', true),
    ('610222', '宜君县', 'county', '6102', true),
    ('610302', '渭滨区', 'county', '6103', true),
    ('610303', '金台区', 'county', '6103', true),
    ('610304', '陈仓区', 'county', '6103', true),
    ('610305', '凤翔区', 'county', '6103', true),
    ('610323', '岐山县', 'county', '6103', true),
    ('610324', '扶风县', 'county', '6103', true),
    ('610326', '眉县', 'county', '6103', true),
    ('610327', '陇县', 'county', '6103', true),
    ('610328', '千阳县', 'county', '6103', true),
    ('610329', '麟游县', 'county', '6103', true),
    ('610330', '凤县', 'county', '6103', true),
    ('610331', '太白县', 'county', '6103', true),
    ('610402', '秦都区', 'county', '6104', true),
    ('610403', '杨陵区', 'county', '6104', true),
    ('610404', '渭城区', 'county', '6104', true),
    ('610422', '三原县', 'county', '6104', true),
    ('610423', '泾阳县', 'county', '6104', true),
    ('610424', '乾县', 'county', '6104', true),
    ('610425', '礼泉县', 'county', '6104', true),
    ('610426', '永寿县', 'county', '6104', true),
    ('610428', '长武县', 'county', '6104', true),
    ('610429', '旬邑县', 'county', '6104', true),
    ('610430', '淳化县', 'county', '6104', true),
    ('610431', '武功县', 'county', '6104', true),
    ('610481', '兴平市', 'county', '6104', true),
    ('610482', '彬州市', 'county', '6104', true),
    ('610502', '临渭区', 'county', '6105', true),
    ('610503', '华州区', 'county', '6105', true),
    ('610522', '潼关县', 'county', '6105', true),
    ('610523', '大荔县', 'county', '6105', true),
    ('610524', '合阳县', 'county', '6105', true),
    ('610525', '澄城县', 'county', '6105', true),
    ('610526', '蒲城县', 'county', '6105', true),
    ('610527', '白水县', 'county', '6105', true),
    ('610528', '富平县', 'county', '6105', true),
    ('610581', '韩城市', 'county', '6105', true),
    ('610582', '华阴市', 'county', '6105', true),
    ('610602', '宝塔区', 'county', '6106', true),
    ('610603', '安塞区', 'county', '6106', true),
    ('610621', '延长县', 'county', '6106', true),
    ('610622', '延川县', 'county', '6106', true),
    ('610625', '志丹县', 'county', '6106', true),
    ('610626', '吴起县', 'county', '6106', true),
    ('610627', '甘泉县', 'county', '6106', true),
    ('610628', '富县', 'county', '6106', true),
    ('610629', '洛川县', 'county', '6106', true),
    ('610630', '宜川县', 'county', '6106', true),
    ('610631', '黄龙县', 'county', '6106', true),
    ('610632', '黄陵县', 'county', '6106', true),
    ('610681', '子长市', 'county', '6106', true),
    ('610702', '汉台区', 'county', '6107', true),
    ('610703', '南郑区', 'county', '6107', true),
    ('610722', '城固县', 'county', '6107', true),
    ('610723', '洋县', 'county', '6107', true),
    ('610724', '西乡县', 'county', '6107', true),
    ('610725', '勉县', 'county', '6107', true),
    ('610726', '宁强县', 'county', '6107', true),
    ('610727', '略阳县', 'county', '6107', true),
    ('610728', '镇巴县', 'county', '6107', true),
    ('610729', '留坝县', 'county', '6107', true),
    ('610730', '佛坪县', 'county', '6107', true),
    ('610802', '榆阳区', 'county', '6108', true),
    ('610803', '横山区', 'county', '6108', true),
    ('610822', '府谷县', 'county', '6108', true),
    ('610824', '靖边县', 'county', '6108', true),
    ('610825', '定边县', 'county', '6108', true),
    ('610826', '绥德县', 'county', '6108', true),
    ('610827', '米脂县', 'county', '6108', true),
    ('610828', '佳县', 'county', '6108', true),
    ('610829', '吴堡县', 'county', '6108', true),
    ('610830', '清涧县', 'county', '6108', true),
    ('610831', '子洲县', 'county', '6108', true),
    ('610881', '神木市', 'county', '6108', true),
    ('610902', '汉滨区', 'county', '6109', true),
    ('610921', '汉阴县', 'county', '6109', true),
    ('610922', '石泉县', 'county', '6109', true),
    ('610923', '宁陕县', 'county', '6109', true),
    ('610924', '紫阳县', 'county', '6109', true),
    ('610925', '岚皋县', 'county', '6109', true),
    ('610926', '平利县', 'county', '6109', true),
    ('610927', '镇坪县', 'county', '6109', true),
    ('610929', '白河县', 'county', '6109', true),
    ('610981', '旬阳市', 'county', '6109', true),
    ('611002', '商州区', 'county', '6110', true),
    ('611021', '洛南县', 'county', '6110', true),
    ('611022', '丹凤县', 'county', '6110', true),
    ('611023', '商南县', 'county', '6110', true),
    ('611024', '山阳县', 'county', '6110', true),
    ('611025', '镇安县', 'county', '6110', true),
    ('611026', '柞水县', 'county', '6110', true),
    ('620102', '城关区', 'county', '6201', true),
    ('620103', '七里河区', 'county', '6201', true),
    ('620104', '西固区', 'county', '6201', true),
    ('620105', '安宁区', 'county', '6201', true),
    ('620111', '红古区', 'county', '6201', true),
    ('620121', '永登县', 'county', '6201', true),
    ('620122', '皋兰县', 'county', '6201', true),
    ('620123', '榆中县', 'county', '6201', true),
    ('620171', '兰州新区', 'county', '6201', true),
    ('620201', '嘉峪关市', 'county', '6202', true),
    ('620302', '金川区', 'county', '6203', true),
    ('620321', '永昌县', 'county', '6203', true),
    ('620402', '白银区', 'county', '6204', true),
    ('620403', '平川区', 'county', '6204', true),
    ('620421', '靖远县', 'county', '6204', true),
    ('620422', '会宁县', 'county', '6204', true),
    ('620423', '景泰县', 'county', '6204', true),
    ('620502', '秦州区', 'county', '6205', true),
    ('620503', '麦积区', 'county', '6205', true),
    ('620521', '清水县', 'county', '6205', true),
    ('620522', '秦安县', 'county', '6205', true),
    ('620523', '甘谷县', 'county', '6205', true),
    ('620524', '武山县', 'county', '6205', true),
    ('620525', '张家川回族自治县', 'county', '6205', true),
    ('620602', '凉州区', 'county', '6206', true),
    ('620621', '民勤县', 'county', '6206', true),
    ('620622', '古浪县', 'county', '6206', true),
    ('620623', '天祝藏族自治县', 'county', '6206', true),
    ('620702', '甘州区', 'county', '6207', true),
    ('620721', '肃南裕固族自治县', 'county', '6207', true),
    ('620722', '民乐县', 'county', '6207', true),
    ('620723', '临泽县', 'county', '6207', true),
    ('620724', '高台县', 'county', '6207', true),
    ('620725', '山丹县', 'county', '6207', true),
    ('620802', '崆峒区', 'county', '6208', true),
    ('620821', '泾川县', 'county', '6208', true),
    ('620822', '灵台县', 'county', '6208', true),
    ('620823', '崇信县', 'county', '6208', true),
    ('620825', '庄浪县', 'county', '6208', true),
    ('620826', '静宁县', 'county', '6208', true),
    ('620881', '华亭市', 'county', '6208', true),
    ('620902', '肃州区', 'county', '6209', true),
    ('620921', '金塔县', 'county', '6209', true),
    ('620922', '瓜州县', 'county', '6209', true),
    ('620923', '肃北蒙古族自治县', 'county', '6209', true),
    ('620924', '阿克塞哈萨克族自治县', 'county', '6209', true),
    ('620981', '玉门市', 'county', '6209', true),
    ('620982', '敦煌市', 'county', '6209', true),
    ('621002', '西峰区', 'county', '6210', true),
    ('621021', '庆城县', 'county', '6210', true),
    ('621022', '环县', 'county', '6210', true),
    ('621023', '华池县', 'county', '6210', true),
    ('621024', '合水县', 'county', '6210', true),
    ('621025', '正宁县', 'county', '6210', true),
    ('621026', '宁县', 'county', '6210', true),
    ('621027', '镇原县', 'county', '6210', true),
    ('621102', '安定区', 'county', '6211', true),
    ('621121', '通渭县', 'county', '6211', true),
    ('621122', '陇西县', 'county', '6211', true),
    ('621123', '渭源县', 'county', '6211', true),
    ('621124', '临洮县', 'county', '6211', true),
    ('621125', '漳县', 'county', '6211', true),
    ('621126', '岷县', 'county', '6211', true),
    ('621202', '武都区', 'county', '6212', true),
    ('621221', '成县', 'county', '6212', true),
    ('621222', '文县', 'county', '6212', true),
    ('621223', '宕昌县', 'county', '6212', true),
    ('621224', '康县', 'county', '6212', true),
    ('621225', '西和县', 'county', '6212', true),
    ('621226', '礼县', 'county', '6212', true),
    ('621227', '徽县', 'county', '6212', true),
    ('621228', '两当县', 'county', '6212', true),
    ('622901', '临夏市', 'county', '6229', true),
    ('622921', '临夏县', 'county', '6229', true),
    ('622922', '康乐县', 'county', '6229', true),
    ('622923', '永靖县', 'county', '6229', true),
    ('622924', '广河县', 'county', '6229', true),
    ('622925', '和政县', 'county', '6229', true),
    ('622926', '东乡族自治县', 'county', '6229', true),
    ('622927', '积石山保安族东乡族撒拉族自治县', 'county', '6229', true),
    ('623001', '合作市', 'county', '6230', true),
    ('623021', '临潭县', 'county', '6230', true),
    ('623022', '卓尼县', 'county', '6230', true),
    ('623023', '舟曲县', 'county', '6230', true),
    ('623024', '迭部县', 'county', '6230', true),
    ('623025', '玛曲县', 'county', '6230', true),
    ('623026', '碌曲县', 'county', '6230', true),
    ('623027', '夏河县', 'county', '6230', true),
    ('630102', '城东区', 'county', '6301', true),
    ('630103', '城中区', 'county', '6301', true),
    ('630104', '城西区', 'county', '6301', true),
    ('630105', '城北区', 'county', '6301', true),
    ('630106', '湟中区', 'county', '6301', true),
    ('630121', '大通回族土族自治县', 'county', '6301', true),
    ('630123', '湟源县', 'county', '6301', true),
    ('630202', '乐都区', 'county', '6302', true),
    ('630203', '平安区', 'county', '6302', true),
    ('630222', '民和回族土族自治县', 'county', '6302', true),
    ('630223', '互助土族自治县', 'county', '6302', true),
    ('630224', '化隆回族自治县', 'county', '6302', true),
    ('630225', '循化撒拉族自治县', 'county', '6302', true),
    ('632221', '门源回族自治县', 'county', '6322', true),
    ('632222', '祁连县', 'county', '6322', true),
    ('632223', '海晏县', 'county', '6322', true),
    ('632224', '刚察县', 'county', '6322', true),
    ('632301', '同仁市', 'county', '6323', true),
    ('632322', '尖扎县', 'county', '6323', true),
    ('632323', '泽库县', 'county', '6323', true),
    ('632324', '河南蒙古族自治县', 'county', '6323', true),
    ('632521', '共和县', 'county', '6325', true),
    ('632522', '同德县', 'county', '6325', true),
    ('632523', '贵德县', 'county', '6325', true),
    ('632524', '兴海县', 'county', '6325', true),
    ('632525', '贵南县', 'county', '6325', true),
    ('632621', '玛沁县', 'county', '6326', true),
    ('632622', '班玛县', 'county', '6326', true),
    ('632623', '甘德县', 'county', '6326', true),
    ('632624', '达日县', 'county', '6326', true),
    ('632625', '久治县', 'county', '6326', true),
    ('632626', '玛多县', 'county', '6326', true),
    ('632701', '玉树市', 'county', '6327', true),
    ('632722', '杂多县', 'county', '6327', true),
    ('632723', '称多县', 'county', '6327', true),
    ('632724', '治多县', 'county', '6327', true),
    ('632725', '囊谦县', 'county', '6327', true),
    ('632726', '曲麻莱县', 'county', '6327', true),
    ('632801', '格尔木市', 'county', '6328', true),
    ('632802', '德令哈市', 'county', '6328', true),
    ('632803', '茫崖市', 'county', '6328', true),
    ('632821', '乌兰县', 'county', '6328', true),
    ('632822', '都兰县', 'county', '6328', true),
    ('632823', '天峻县', 'county', '6328', true),
    ('632857', '大柴旦行政委员会', 'county', '6328', true),
    ('640104', '兴庆区', 'county', '6401', true),
    ('640105', '西夏区', 'county', '6401', true),
    ('640106', '金凤区', 'county', '6401', true),
    ('640121', '永宁县', 'county', '6401', true),
    ('640122', '贺兰县', 'county', '6401', true),
    ('640181', '灵武市', 'county', '6401', true),
    ('640202', '大武口区', 'county', '6402', true),
    ('640205', '惠农区', 'county', '6402', true),
    ('640221', '平罗县', 'county', '6402', true),
    ('640302', '利通区', 'county', '6403', true),
    ('640303', '红寺堡区', 'county', '6403', true),
    ('640323', '盐池县', 'county', '6403', true),
    ('640324', '同心县', 'county', '6403', true),
    ('640381', '青铜峡市', 'county', '6403', true),
    ('640402', '原州区', 'county', '6404', true),
    ('640422', '西吉县', 'county', '6404', true),
    ('640423', '隆德县', 'county', '6404', true),
    ('640424', '泾源县', 'county', '6404', true),
    ('640425', '彭阳县', 'county', '6404', true),
    ('640502', '沙坡头区', 'county', '6405', true),
    ('640521', '中宁县', 'county', '6405', true),
    ('640522', '海原县', 'county', '6405', true),
    ('650102', '天山区', 'county', '6501', true),
    ('650103', '沙依巴克区', 'county', '6501', true),
    ('650104', '新市区', 'county', '6501', true),
    ('650105', '水磨沟区', 'county', '6501', true),
    ('650106', '头屯河区', 'county', '6501', true),
    ('650107', '达坂城区', 'county', '6501', true),
    ('650109', '米东区', 'county', '6501', true),
    ('650121', '乌鲁木齐县', 'county', '6501', true),
    ('650202', '独山子区', 'county', '6502', true),
    ('650203', '克拉玛依区', 'county', '6502', true),
    ('650204', '白碱滩区', 'county', '6502', true),
    ('650205', '乌尔禾区', 'county', '6502', true),
    ('650402', '高昌区', 'county', '6504', true),
    ('650421', '鄯善县', 'county', '6504', true),
    ('650422', '托克逊县', 'county', '6504', true),
    ('650502', '伊州区', 'county', '6505', true),
    ('650521', '巴里坤哈萨克自治县', 'county', '6505', true),
    ('650522', '伊吾县', 'county', '6505', true),
    ('652301', '昌吉市', 'county', '6523', true),
    ('652302', '阜康市', 'county', '6523', true),
    ('652323', '呼图壁县', 'county', '6523', true),
    ('652324', '玛纳斯县', 'county', '6523', true),
    ('652325', '奇台县', 'county', '6523', true),
    ('652327', '吉木萨尔县', 'county', '6523', true),
    ('652328', '木垒哈萨克自治县', 'county', '6523', true),
    ('652701', '博乐市', 'county', '6527', true),
    ('652702', '阿拉山口市', 'county', '6527', true),
    ('652722', '精河县', 'county', '6527', true),
    ('652723', '温泉县', 'county', '6527', true),
    ('652801', '库尔勒市', 'county', '6528', true),
    ('652822', '轮台县', 'county', '6528', true),
    ('652823', '尉犁县', 'county', '6528', true),
    ('652824', '若羌县', 'county', '6528', true),
    ('652825', '且末县', 'county', '6528', true),
    ('652826', '焉耆回族自治县', 'county', '6528', true),
    ('652827', '和静县', 'county', '6528', true),
    ('652828', '和硕县', 'county', '6528', true),
    ('652829', '博湖县', 'county', '6528', true),
    ('652901', '阿克苏市', 'county', '6529', true),
    ('652902', '库车市', 'county', '6529', true),
    ('652922', '温宿县', 'county', '6529', true),
    ('652924', '沙雅县', 'county', '6529', true),
    ('652925', '新和县', 'county', '6529', true),
    ('652926', '拜城县', 'county', '6529', true),
    ('652927', '乌什县', 'county', '6529', true),
    ('652928', '阿瓦提县', 'county', '6529', true),
    ('652929', '柯坪县', 'county', '6529', true),
    ('653001', '阿图什市', 'county', '6530', true),
    ('653022', '阿克陶县', 'county', '6530', true),
    ('653023', '阿合奇县', 'county', '6530', true),
    ('653024', '乌恰县', 'county', '6530', true),
    ('653101', '喀什市', 'county', '6531', true),
    ('653121', '疏附县', 'county', '6531', true),
    ('653122', '疏勒县', 'county', '6531', true),
    ('653123', '英吉沙县', 'county', '6531', true),
    ('653124', '泽普县', 'county', '6531', true),
    ('653125', '莎车县', 'county', '6531', true),
    ('653126', '叶城县', 'county', '6531', true),
    ('653127', '麦盖提县', 'county', '6531', true),
    ('653128', '岳普湖县', 'county', '6531', true),
    ('653129', '伽师县', 'county', '6531', true),
    ('653130', '巴楚县', 'county', '6531', true),
    ('653131', '塔什库尔干塔吉克自治县', 'county', '6531', true),
    ('653201', '和田市', 'county', '6532', true),
    ('653221', '和田县', 'county', '6532', true),
    ('653222', '墨玉县', 'county', '6532', true),
    ('653223', '皮山县', 'county', '6532', true),
    ('653224', '洛浦县', 'county', '6532', true),
    ('653225', '策勒县', 'county', '6532', true),
    ('653226', '于田县', 'county', '6532', true),
    ('653227', '民丰县', 'county', '6532', true),
    ('654002', '伊宁市', 'county', '6540', true),
    ('654003', '奎屯市', 'county', '6540', true),
    ('654004', '霍尔果斯市', 'county', '6540', true),
    ('654021', '伊宁县', 'county', '6540', true),
    ('654022', '察布查尔锡伯自治县', 'county', '6540', true),
    ('654023', '霍城县', 'county', '6540', true),
    ('654024', '巩留县', 'county', '6540', true),
    ('654025', '新源县', 'county', '6540', true),
    ('654026', '昭苏县', 'county', '6540', true),
    ('654027', '特克斯县', 'county', '6540', true),
    ('654028', '尼勒克县', 'county', '6540', true),
    ('654201', '塔城市', 'county', '6542', true),
    ('654202', '乌苏市', 'county', '6542', true),
    ('654203', '沙湾市', 'county', '6542', true),
    ('654221', '额敏县', 'county', '6542', true),
    ('654224', '托里县', 'county', '6542', true),
    ('654225', '裕民县', 'county', '6542', true),
    ('654226', '和布克赛尔蒙古自治县', 'county', '6542', true),
    ('654301', '阿勒泰市', 'county', '6543', true),
    ('654321', '布尔津县', 'county', '6543', true),
    ('654322', '富蕴县', 'county', '6543', true),
    ('654323', '福海县', 'county', '6543', true),
    ('654324', '哈巴河县', 'county', '6543', true),
    ('654325', '青河县', 'county', '6543', true),
    ('654326', '吉木乃县', 'county', '6543', true),
    ('659001', '石河子市', 'county', '6590', true),
    ('659002', '阿拉尔市', 'county', '6590', true),
    ('659003', '图木舒克市', 'county', '6590', true),
    ('659004', '五家渠市', 'county', '6590', true),
    ('659005', '北屯市', 'county', '6590', true),
    ('659006', '铁门关市', 'county', '6590', true),
    ('659007', '双河市', 'county', '6590', true),
    ('659008', '可克达拉市', 'county', '6590', true),
    ('659009', '昆玉市', 'county', '6590', true),
    ('659010', '胡杨河市', 'county', '6590', true),
    ('659011', '新星市', 'county', '6590', true),
    ('659012', '白杨市', 'county', '6590', true);

-- Chinese labels of the codes the views for BI tools show.

-- label_zh: the Chinese label of a code wagecheck's views show (alert tiers and states,
-- sectors, funding types), beside the code; NULL for a code it does not know.
CREATE FUNCTION wagecheck.label_zh(kind text, code text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE kind
        WHEN 'tier' THEN CASE code WHEN 'G' THEN '一般性指标预警' WHEN 'K' THEN '关键性指标预警'
                                   WHEN 'O' THEN '舆情信息预警' END
        WHEN 'state' THEN CASE code WHEN 'open' THEN '预警中' WHEN 'cleared' THEN '已消除'
                                    WHEN 'overdue' THEN '逾期未整改' WHEN 'rectified' THEN '已整改待确认'
                                    WHEN 'closed' THEN '已销号' WHEN 'verify_overdue' THEN '核查超时'
                                    WHEN 'verified' THEN '已核查待上报' WHEN 'report_overdue' THEN '上报超时'
                                    WHEN 'reported' THEN '已上报' END
        WHEN 'sector' THEN CASE code WHEN 'housing' THEN '住房和城乡建设' WHEN 'transport' THEN '交通运输'
                                     WHEN 'water' THEN '水利' WHEN 'municipal' THEN '市政'
                                     WHEN 'development_reform' THEN '发展改革' WHEN 'other' THEN '其他' END
        WHEN 'funding' THEN CASE code WHEN 'government' THEN '政府投资' WHEN 'soe' THEN '国有企业投资'
                                      WHEN 'other' THEN '其他投资' END
    END
$$;
COMMENT ON FUNCTION wagecheck.label_zh(text, text) IS 'the Chinese label of a code shown by the views for BI tools: kind tier (G 一般性指标预警, K 关键性指标预警, O 舆情信息预警), state (alert states, e.g. overdue 逾期未整改), sector (e.g. housing 住房和城乡建设), funding (government 政府投资, soe 国有企业投资, other 其他投资); NULL for an unknown code';

-- Division names (GB/T 2260): every role reads them; administrators add the divisions the
-- shipped rows lack and correct those they added, never the shipped ones (row-level
-- security: their policy sees only rows with shipped false and writes only such rows).
ALTER TABLE wagecheck.division ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON wagecheck.division FOR SELECT USING (true);
CREATE POLICY admin_added ON wagecheck.division FOR ALL TO wagecheck_admin
    USING (NOT shipped) WITH CHECK (NOT shipped);
GRANT SELECT ON wagecheck.division
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;
GRANT INSERT, UPDATE, DELETE ON wagecheck.division TO wagecheck_admin;

DROP VIEW wagecheck.county_month_indicators, wagecheck.city_month_indicators,
    wagecheck.sector_month_indicators, wagecheck.funding_month_indicators;
DROP VIEW wagecheck.project_month_indicators;
DROP VIEW wagecheck.supervision_ledger, wagecheck.alert_board;
CREATE VIEW wagecheck.project_month_indicators WITH (security_barrier = true) AS
WITH current_line AS (          -- pay lines not replaced by a correction
    SELECT l.line_id, l.worker_id, l.payable, l.net, s.project_id, s.period
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id)
), payment AS (
    SELECT cl.project_id, cl.period, cl.worker_id, cl.line_id, p.amount,
           (p.method = 'account' AND p.card IS NOT DISTINCT FROM w.wage_card AND p.card IS NOT NULL) AS own_card_via_account
      FROM wagecheck.wage_payment p
      JOIN current_line cl ON cl.line_id = p.line_id
      JOIN wagecheck.worker w ON w.worker_id = cl.worker_id
), coverage AS (                -- who was rostered, attended, on the pay sheet, paid
    SELECT project_id, period,
           wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) AS c
      FROM (SELECT a.project_id, date_trunc('month', a.day::timestamp)::date AS period, a.worker_id,
                   false AS rostered, true AS attended, false AS on_payroll, false AS paid
              FROM wagecheck.attendance a
            UNION ALL
            SELECT project_id, period, worker_id, false, false, true, false FROM current_line
            UNION ALL
            SELECT project_id, period, worker_id, false, false, false, true FROM payment
            UNION ALL
            SELECT r.project_id, m::date, r.worker_id, true, false, false, false
              FROM wagecheck.roster r,
                   generate_series(date_trunc('month', r.start_on::timestamp),
                                   date_trunc('month', least(coalesce(r.end_on, CURRENT_DATE), CURRENT_DATE)::timestamp),
                                   interval '1 month') m) f
     GROUP BY project_id, period
), worker_month AS (            -- each worker's payable, net (实发) and paid per project-month
    SELECT cl.project_id, cl.period, cl.worker_id, sum(cl.payable) AS payable, sum(cl.net) AS net,
           coalesce(sum(pp.paid), 0) AS paid
      FROM current_line cl
      LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM payment GROUP BY line_id) pp USING (line_id)
     GROUP BY cl.project_id, cl.period, cl.worker_id
), worker_run AS (              -- runs of months owed up to each month, per worker
    SELECT project_id, period, worker_id, payable, net, paid, greatest(net - paid, 0) AS owed,
           wagecheck.owed_agg(period, net, paid)
               OVER (PARTITION BY project_id, worker_id ORDER BY period) AS o
      FROM worker_month
), wages AS (
    SELECT project_id, period, sum(payable) AS payable, sum(net) AS net, sum(paid) AS paid, sum(owed) AS owed,
           count(*) FILTER (WHERE owed > 0) AS workers_owed,
           coalesce(max((o).current_run), 0) AS longest_owed_run,
           min((o).oldest_unpaid) AS oldest_unpaid_period
      FROM worker_run
     GROUP BY project_id, period
), payments AS (
    SELECT project_id, period, count(*) AS payments,
           count(*) FILTER (WHERE own_card_via_account) AS payments_own_card
      FROM payment GROUP BY project_id, period
), months AS (
    SELECT project_id, period FROM coverage
     WHERE (c).attended + (c).on_payroll + (c).paid > 0
    UNION
    SELECT project_id, period FROM wagecheck.labour_cost_schedule
    UNION                       -- the month a period's labour cost falls due
    SELECT project_id, date_trunc('month', due_on::timestamp)::date FROM wagecheck.labour_cost_schedule
), labour_event AS (            -- schedule rows (due) and the owner's payments in (paid)
    SELECT project_id, due_on AS day, amount_due AS due, 0::numeric AS paid
      FROM wagecheck.labour_cost_schedule
    UNION ALL
    SELECT a.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account a ON a.account_id = t.account_id
     WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
), labour AS (
    SELECT m.project_id, m.period,
           wagecheck.labour_cost_agg(e.day, e.due, e.paid,
               least((m.period + interval '1 month - 1 day')::date, CURRENT_DATE)) AS l
      FROM months m
      JOIN labour_event e ON e.project_id = m.project_id
     GROUP BY m.project_id, m.period
)
SELECT p.project_id, p.code AS project_code, p.name AS project_name,
       p.division::text AS division, wagecheck.county(p.division)::text AS county,
       wagecheck.city(p.division)::text AS city,
       p.sector, p.funding, m.period,
       s.amount_due AS labour_cost_due_month,
       coalesce((l.l).due, 0.00) AS labour_cost_due,
       coalesce((l.l).paid, 0.00) AS labour_cost_paid,
       coalesce((l.l).shortfall, 0.00) AS labour_cost_shortfall,
       coalesce((l.l).days_overdue, 0) AS labour_cost_days_overdue,
       coalesce(w.payable, 0.00) AS wages_payable,
       coalesce(w.net, 0.00) AS wages_net,
       coalesce(w.paid, 0.00) AS wages_paid,
       coalesce(w.owed, 0.00) AS wages_owed,
       coalesce(w.workers_owed, 0) AS workers_owed,
       coalesce(w.longest_owed_run, 0) AS longest_owed_run,
       w.oldest_unpaid_period,
       CASE WHEN w.oldest_unpaid_period IS NOT NULL
            THEN ((extract(year FROM m.period) - extract(year FROM w.oldest_unpaid_period)) * 12
                  + extract(month FROM m.period) - extract(month FROM w.oldest_unpaid_period))::int
       END AS oldest_unpaid_age_months,
       coalesce((c.c).rostered, 0) AS roster_size,
       coalesce((c.c).attended, 0) AS workers_attended,
       coalesce((c.c).on_payroll, 0) AS workers_on_payroll,
       coalesce((c.c).paid, 0) AS workers_paid,
       coalesce((c.c).attended_paid, 0) AS attendees_paid,
       coalesce((c.c).attended - (c.c).attended_on_payroll, 0) AS attendees_not_on_payroll,
       coalesce((c.c).attended_not_rostered, 0) AS attendees_not_rostered,
       round((c.c).attended_paid::numeric / nullif((c.c).attended, 0), 4) AS share_attendees_paid,
       coalesce(pm.payments, 0) AS payments,
       coalesce(pm.payments_own_card, 0) AS payments_own_card_via_account,
       round(pm.payments_own_card::numeric / nullif(pm.payments, 0), 4) AS share_payments_own_card_via_account,
       round(coalesce(p.contract_value, 0) * coalesce(pg_catalog.current_setting('wagecheck.deposit_rate', true), '0.02')::numeric, 2)
           AS deposit_required,
       coalesce((SELECT sum(d.amount) FROM wagecheck.guarantee_deposit d
                  WHERE d.project_id = p.project_id
                    AND d.deposited_on <= (m.period + interval '1 month - 1 day')::date
                    AND (d.returned_on IS NULL OR d.returned_on > (m.period + interval '1 month - 1 day')::date)
                    AND (d.expires_on IS NULL OR d.expires_on >= (m.period + interval '1 month - 1 day')::date)),
                0.00) AS deposit_in_place,
       dc.name AS county_name, dt.name AS city_name,
       wagecheck.label_zh('sector', p.sector) AS sector_zh, wagecheck.label_zh('funding', p.funding) AS funding_zh
  FROM months m
  JOIN wagecheck.project p ON p.project_id = m.project_id
  LEFT JOIN wagecheck.division dc ON dc.code = wagecheck.division_key(wagecheck.county(p.division))
  LEFT JOIN wagecheck.division dt ON dt.code = wagecheck.division_key(wagecheck.city(p.division))
  LEFT JOIN wagecheck.labour_cost_schedule s ON s.project_id = m.project_id AND s.period = m.period
  LEFT JOIN labour l ON l.project_id = m.project_id AND l.period = m.period
  LEFT JOIN wages w ON w.project_id = m.project_id AND w.period = m.period
  LEFT JOIN coverage c ON c.project_id = m.project_id AND c.period = m.period
  LEFT JOIN payments pm ON pm.project_id = m.project_id AND pm.period = m.period
 WHERE wagecheck.sees_everything() OR wagecheck.project_in_scope(p.project_id);

COMMENT ON VIEW wagecheck.project_month_indicators IS 'arrears indicators per project and month (months with attendance, a pay sheet, a payment, a labour-cost period or a labour-cost due date): labour cost, wages owed, runs of months owed, roster/attendance/payroll coverage, payments through the dedicated account, guarantee deposit; of the projects within the caller''s scope (project_in_scope)';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_id IS 'project';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_code IS 'project code';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_name IS 'project name';
COMMENT ON COLUMN wagecheck.project_month_indicators.division IS 'division code of the site (6 digits, as text)';
COMMENT ON COLUMN wagecheck.project_month_indicators.county IS 'county-level division (县区) of the site (code as text)';
COMMENT ON COLUMN wagecheck.project_month_indicators.city IS 'city-level division (市) of the site (code as text, e.g. 371300)';
COMMENT ON COLUMN wagecheck.project_month_indicators.sector IS 'sector regulator (行业主管部门)';
COMMENT ON COLUMN wagecheck.project_month_indicators.funding IS 'funding type: government, soe, other';
COMMENT ON COLUMN wagecheck.project_month_indicators.period IS 'month (first day)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due_month IS 'labour cost scheduled for this period (NULL: no schedule row)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due IS 'labour cost due on or before the end of the month (or today), all periods';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_paid IS 'labour cost paid into the dedicated account by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_shortfall IS 'labour cost due and not covered by then, oldest dues settled first (AC02)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_days_overdue IS 'days the oldest uncovered due had been overdue by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_payable IS 'wages payable on this month''s pay sheets (corrected lines replaced by their corrections)';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_net IS 'wages to be paid out (实发: payable minus withholdings) on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_paid IS 'payments recorded so far against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_owed IS 'sum over workers of net minus paid where positive (withholdings are not owed)';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_owed IS 'workers with wages owed for this month';
COMMENT ON COLUMN wagecheck.project_month_indicators.longest_owed_run IS 'longest run of consecutive months owed ending with this month, among the project''s workers (WP03)';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_period IS 'oldest month, up to this one, still owed to one of the project''s workers';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_age_months IS 'months from oldest_unpaid_period to this month (0: this month)';
COMMENT ON COLUMN wagecheck.project_month_indicators.roster_size IS 'workers on the real-name roster during the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_attended IS 'workers with attendance in the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_on_payroll IS 'workers on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_paid IS 'workers with a payment against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_paid IS 'workers who attended and were paid';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_on_payroll IS 'workers who attended but are on no pay sheet of the month (RN04, WP01)';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_rostered IS 'workers who attended without being on the roster (real-name gap)';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_attendees_paid IS 'attendees_paid / workers_attended (NULL without attendance)';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments IS 'payments against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments_own_card_via_account IS 'of those, made through the dedicated account into the worker''s own registered card';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_payments_own_card_via_account IS 'payments_own_card_via_account / payments (NULL without payments)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_required IS 'guarantee deposit required: contract value times wagecheck.deposit_rate (exemptions not applied)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_in_place IS 'deposits and bank letters in force at the end of the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.county_name IS 'name of the county (GB/T 2260, wagecheck.division)';
COMMENT ON COLUMN wagecheck.project_month_indicators.city_name IS 'name of the city (GB/T 2260, wagecheck.division)';
COMMENT ON COLUMN wagecheck.project_month_indicators.sector_zh IS 'sector in Chinese (label_zh)';
COMMENT ON COLUMN wagecheck.project_month_indicators.funding_zh IS 'funding type in Chinese: 政府投资, 国有企业投资, 其他投资';

-- Roll-ups: one view per dimension, same measures, from one template.  Shares are
-- recomputed from the summed counts (never averaged); maxima stay maxima.
DO $roll$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT * FROM (VALUES
        ('county', 'county (县区, territorial responsibility)', 'county_name'),
        ('city', 'city (市)', 'city_name'),
        ('sector', 'sector regulator (行业主管部门)', 'sector_zh'),
        ('funding', 'funding type (government investment, state-owned enterprise, other)', 'funding_zh'))
          AS v(dim, label, name)
    LOOP
        EXECUTE format($v$
CREATE VIEW wagecheck.%2$I AS
SELECT %1$I, period, count(*) AS projects,
       sum(labour_cost_due) AS labour_cost_due, sum(labour_cost_paid) AS labour_cost_paid,
       sum(labour_cost_shortfall) AS labour_cost_shortfall,
       count(*) FILTER (WHERE labour_cost_shortfall > 0) AS projects_with_shortfall,
       max(labour_cost_days_overdue) AS max_labour_cost_days_overdue,
       sum(wages_payable) AS wages_payable, sum(wages_paid) AS wages_paid, sum(wages_owed) AS wages_owed,
       sum(workers_owed)::bigint AS workers_owed, count(*) FILTER (WHERE wages_owed > 0) AS projects_owing,
       max(longest_owed_run) AS longest_owed_run, max(oldest_unpaid_age_months) AS oldest_unpaid_age_months,
       sum(roster_size)::bigint AS roster_size, sum(workers_attended)::bigint AS workers_attended,
       sum(workers_paid)::bigint AS workers_paid, sum(attendees_paid)::bigint AS attendees_paid,
       round(sum(attendees_paid)::numeric / nullif(sum(workers_attended), 0), 4) AS share_attendees_paid,
       sum(payments)::bigint AS payments, sum(payments_own_card_via_account)::bigint AS payments_own_card_via_account,
       round(sum(payments_own_card_via_account)::numeric / nullif(sum(payments), 0), 4)
           AS share_payments_own_card_via_account,
       sum(deposit_required) AS deposit_required, sum(deposit_in_place) AS deposit_in_place,
       count(*) FILTER (WHERE deposit_in_place < deposit_required) AS projects_deposit_short,
       min(%3$I) AS %3$I
  FROM wagecheck.project_month_indicators
 GROUP BY %1$I, period
$v$, d.dim, d.dim || '_month_indicators', d.name);
        EXECUTE format('COMMENT ON VIEW wagecheck.%I IS %L', d.dim || '_month_indicators',
                       'project_month_indicators rolled up by ' || d.label || ' and month');
    END LOOP;
END
$roll$;

-- Column comments shared by the four roll-ups.
DO $$
DECLARE
    v text;
    c record;
BEGIN
    FOREACH v IN ARRAY ARRAY['county_month_indicators', 'city_month_indicators',
                             'sector_month_indicators', 'funding_month_indicators'] LOOP
        FOR c IN SELECT * FROM (VALUES
            ('county', 'county-level division (县区), code as text'),
            ('city', 'city-level division (市), code as text'),
            ('county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
            ('city_name', 'name of the city (GB/T 2260, wagecheck.division)'),
            ('sector_zh', 'sector in Chinese (label_zh)'),
            ('funding_zh', 'funding type in Chinese: 政府投资, 国有企业投资, 其他投资'),
            ('sector', 'sector regulator (行业主管部门)'),
            ('funding', 'funding type: government, soe, other'),
            ('period', 'month (first day)'),
            ('projects', 'projects with activity in the month'),
            ('labour_cost_due', 'labour cost due by the end of the month (or today)'),
            ('labour_cost_paid', 'labour cost paid into the dedicated accounts by then'),
            ('labour_cost_shortfall', 'labour cost due and not covered by then'),
            ('projects_with_shortfall', 'projects with a labour-cost shortfall'),
            ('max_labour_cost_days_overdue', 'longest labour-cost delay of any project, in days'),
            ('wages_payable', 'wages payable on the month''s pay sheets'),
            ('wages_paid', 'payments recorded against them so far'),
            ('wages_owed', 'wages owed for the month'),
            ('workers_owed', 'worker-projects owed wages for the month'),
            ('projects_owing', 'projects owing wages for the month'),
            ('longest_owed_run', 'longest run of consecutive months owed to a worker, ending with the month'),
            ('oldest_unpaid_age_months', 'age in months of the oldest month still owed'),
            ('roster_size', 'roster entries active in the month'),
            ('workers_attended', 'worker-projects with attendance'),
            ('workers_paid', 'worker-projects paid for the month'),
            ('attendees_paid', 'worker-projects that attended and were paid'),
            ('share_attendees_paid', 'attendees_paid / workers_attended'),
            ('payments', 'payments against the month''s pay lines'),
            ('payments_own_card_via_account', 'of those, through the dedicated account into the worker''s own card'),
            ('share_payments_own_card_via_account', 'payments_own_card_via_account / payments'),
            ('deposit_required', 'guarantee deposits required (contract value times wagecheck.deposit_rate)'),
            ('deposit_in_place', 'guarantee deposits and bank letters in force at the end of the month'),
            ('projects_deposit_short', 'projects whose deposit in place is below the one required')) d(col, note)
        LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = pg_catalog.format('wagecheck.%I', v)::regclass AND attname = c.col) THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN wagecheck.%I.%I IS %L', v, c.col, c.note);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- every role reads the indicators, of the projects in its scope
GRANT SELECT ON wagecheck.project_month_indicators, wagecheck.county_month_indicators,
    wagecheck.city_month_indicators, wagecheck.sector_month_indicators, wagecheck.funding_month_indicators
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;

-- The ledger and the board run with their owner's rights and apply their caller's scope
-- themselves (wagecheck.alert_in_scope, as the policies of the alerts do): an officer sees
-- the alerts of his projects and reads them without rights on the tables they join;
-- security_barrier keeps a caller's own conditions from running before that scope is applied.
CREATE VIEW wagecheck.supervision_ledger WITH (security_barrier = true) AS
SELECT a.alert_id,
       a.rule_code,
       r.name_zh AS rule_name_zh,
       r.name_en AS rule_name_en,
       coalesce(p.name, e.name, a.subject_kind || ' ' || a.subject_id) AS unit,
       a.subject_kind,
       a.subject_id,
       a.period,
       a.project_id,
       a.division::text AS county,
       a.state,
       a.opened_at,
       a.deadline_on,
       s.scanned_to AS as_of,
       greatest(s.scanned_to::date - a.deadline_on, 0) AS days_overdue,
       CASE WHEN s.scanned_to::date > a.deadline_on
            THEN wagecheck.working_days_between(a.deadline_on, s.scanned_to::date) ELSE 0 END AS working_days_overdue,
       coalesce(d.department_zh, '人力资源和社会保障局') AS department_zh,
       coalesce(d.department_en, 'human resources and social security bureau') AS department_en,
       coalesce(p.sector, 'other') AS sector,
       a.details::text AS details,
       dn.name AS county_name,
       wagecheck.label_zh('state', a.state) AS state_zh,
       wagecheck.label_zh('sector', coalesce(p.sector, 'other')) AS sector_zh,
       a.opened_at AT TIME ZONE tz.zone AS opened_at_local,
       s.scanned_to AT TIME ZONE tz.zone AS as_of_local
  FROM wagecheck.alert a
  JOIN wagecheck.rule r ON r.code = a.rule_code
  LEFT JOIN wagecheck.rule_scan s ON s.code = a.rule_code
  LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
  LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = a.enterprise_id AND p.project_id IS NULL
  LEFT JOIN wagecheck.sector_department d ON d.sector = coalesce(p.sector, 'other')
  LEFT JOIN wagecheck.division dn ON dn.code = wagecheck.division_key(a.division)
 CROSS JOIN (SELECT coalesce(nullif(pg_catalog.current_setting('wagecheck.timezone', true), ''), 'Asia/Shanghai') AS zone) tz
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division));
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county; of the alerts within the caller''s scope (alert_in_scope)';

CREATE VIEW wagecheck.alert_board WITH (security_barrier = true) AS
SELECT a.division::text AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at,
       min(dn.name) AS county_name,
       wagecheck.label_zh('tier', a.tier) AS tier_zh,
       min(a.opened_at) AT TIME ZONE min(tz.zone) AS oldest_opened_at_local
  FROM wagecheck.alert a
  LEFT JOIN wagecheck.division dn ON dn.code = wagecheck.division_key(a.division)
 CROSS JOIN (SELECT coalesce(nullif(pg_catalog.current_setting('wagecheck.timezone', true), ''), 'Asia/Shanghai') AS zone) tz
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division))
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest; of the alerts within the caller''s scope (alert_in_scope)';

-- Columns, for BI tools: codes and identifiers as text, counts as bigint, no jsonb; the
-- *_local columns are the moments in the time zone wagecheck.timezone (Asia/Shanghai).
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('supervision_ledger', 'alert_id', 'the alert (wagecheck.alert)'),
        ('supervision_ledger', 'rule_code', 'code of the rule that raised it'),
        ('supervision_ledger', 'rule_name_zh', 'the rule''s name in Chinese'),
        ('supervision_ledger', 'rule_name_en', 'the rule''s name in English'),
        ('supervision_ledger', 'unit', 'the unit answering for it: the project''s name, else the enterprise''s, else the subject'),
        ('supervision_ledger', 'subject_kind', 'kind of subject: project, enterprise, worker on a project, case, complaint'),
        ('supervision_ledger', 'subject_id', 'the subject''s key, as text'),
        ('supervision_ledger', 'period', 'the period the alert is about (empty when none)'),
        ('supervision_ledger', 'project_id', 'the project (NULL for an enterprise''s alert)'),
        ('supervision_ledger', 'county', 'county-level division (code as text)'),
        ('supervision_ledger', 'state', 'open, overdue, or rectified (awaiting the officer''s confirmation)'),
        ('supervision_ledger', 'opened_at', 'when the alert opened'),
        ('supervision_ledger', 'deadline_on', 'rectification deadline (整改期限)'),
        ('supervision_ledger', 'as_of', 'moment of the rule''s last scan, as of which the days overdue count'),
        ('supervision_ledger', 'days_overdue', 'calendar days past the deadline as of the last scan'),
        ('supervision_ledger', 'working_days_overdue', 'working days past the deadline as of the last scan'),
        ('supervision_ledger', 'department_zh', 'responsible department in Chinese (sector regulator of the project, HRSS otherwise)'),
        ('supervision_ledger', 'department_en', 'responsible department in English'),
        ('supervision_ledger', 'sector', 'sector of the project (other for enterprises)'),
        ('supervision_ledger', 'details', 'what the rule found, as JSON text'),
        ('supervision_ledger', 'county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
        ('supervision_ledger', 'state_zh', 'state in Chinese: 预警中, 逾期未整改, 已整改待确认'),
        ('supervision_ledger', 'sector_zh', 'sector in Chinese'),
        ('supervision_ledger', 'opened_at_local', 'opened_at in local time (wagecheck.timezone)'),
        ('supervision_ledger', 'as_of_local', 'as_of in local time (wagecheck.timezone)'),
        ('alert_board', 'county', 'county-level division (code as text)'),
        ('alert_board', 'tier', 'G, K or O'),
        ('alert_board', 'live', 'live alerts'),
        ('alert_board', 'overdue', 'of those, overdue (K past the deadline, O past the verify or report deadline)'),
        ('alert_board', 'awaiting_confirmation', 'of those, K alerts rectified and awaiting the officer''s confirmation'),
        ('alert_board', 'oldest_opened_at', 'when the oldest of them opened'),
        ('alert_board', 'county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
        ('alert_board', 'tier_zh', 'tier in Chinese: 一般性指标预警, 关键性指标预警, 舆情信息预警'),
        ('alert_board', 'oldest_opened_at_local', 'oldest_opened_at in local time (wagecheck.timezone)')) v(rel, col, note)
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN wagecheck.%I.%I IS %L', c.rel, c.col, c.note);
    END LOOP;
END
$$;

GRANT SELECT ON wagecheck.supervision_ledger, wagecheck.alert_board
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;

-- ==== access: no function runs for PUBLIC unless the access table says so (src/privileges.sql,
-- repeated at the end of this section); SECURITY DEFINER trigger functions fire only on
-- their own tables; an officer rosters only workers he sees (worker.registered_by,
-- worker_in_scope); analysts' views rebuild no ID number and show no worker's name inside
-- violations, nor the contact log of a case
ALTER TABLE wagecheck.worker ADD COLUMN registered_by name NOT NULL DEFAULT current_user;
COMMENT ON COLUMN wagecheck.worker.registered_by IS 'the role that registered the worker: a county or sector officer sees the workers he registered and those on the rosters of the projects in his scope';
CREATE FUNCTION wagecheck.worker_in_scope(worker bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF worker_in_scope.officer <> session_user AND NOT pg_has_role(session_user, worker_in_scope.officer, 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied to ask which workers % sees', worker_in_scope.officer
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(worker_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(worker_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(worker_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR EXISTS (SELECT 1 FROM wagecheck.worker w
                    WHERE w.worker_id = worker_in_scope.worker AND w.registered_by = worker_in_scope.officer)
        OR EXISTS (SELECT 1
                     FROM wagecheck.roster r
                     JOIN wagecheck.project p ON p.project_id = r.project_id
                     JOIN wagecheck.officer_scope s ON s.officer = worker_in_scope.officer
                                                    AND starts_with(p.division::text, s.division_prefix)
                                                    AND (s.sector IS NULL OR s.sector = p.sector)
                    WHERE r.worker_id = worker_in_scope.worker);
END
$$;
COMMENT ON FUNCTION wagecheck.worker_in_scope(bigint, name) IS 'true when the officer (the current role unless named; only a role the session may act as) may see the worker: roles that see everything, the officer who registered him, officers of the projects whose rosters name him';
DROP POLICY scope ON wagecheck.worker;
DROP POLICY officer_insert ON wagecheck.worker;
DROP POLICY officer_update ON wagecheck.worker;
DROP POLICY officer_insert ON wagecheck.roster;
DROP POLICY officer_update ON wagecheck.roster;
CREATE POLICY scope ON wagecheck.worker FOR SELECT
    USING (wagecheck.sees_everything() OR registered_by = current_user OR wagecheck.worker_in_scope(worker_id));
CREATE POLICY officer_insert ON wagecheck.roster FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project) AND wagecheck.worker_in_scope(worker_id));
CREATE POLICY officer_update ON wagecheck.roster FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (project_id IN (SELECT project_id FROM wagecheck.project))
    WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project) AND wagecheck.worker_in_scope(worker_id));
CREATE POLICY officer_insert ON wagecheck.worker FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (registered_by = current_user);
CREATE POLICY officer_update ON wagecheck.worker FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (registered_by = current_user OR wagecheck.worker_in_scope(worker_id))
    WITH CHECK (registered_by = current_user OR wagecheck.worker_in_scope(worker_id));
DROP VIEW wagecheck.worker_masked;
CREATE VIEW wagecheck.worker_masked AS
SELECT w.worker_id, left(w.name, 1) || repeat('*', length(w.name) - 1) AS name,
       left(w.resident_id::text, 6) || '************' AS resident_id,
       extract(year FROM wagecheck.birth_date(w.resident_id))::integer AS birth_year,
       wagecheck.sex(w.resident_id) AS sex,
       CASE WHEN w.phone IS NULL THEN NULL ELSE left(w.phone, 3) || '****' || right(w.phone, 4) END AS phone,
       wagecheck.mask(w.wage_card) AS wage_card, w.card_bank, w.registered_at
  FROM wagecheck.worker w;
COMMENT ON VIEW wagecheck.worker_masked IS 'workers without personal data (for analysts): name masked, of the ID number only the region, year of birth and sex, phone and card masked';
CREATE OR REPLACE VIEW wagecheck.violation_masked AS
SELECT v.violation_id, v.rule_code, v.subject_kind, v.subject_id, v.project_id, v.occurred_at,
       jsonb_strip_nulls(jsonb_build_object('amount', v.details -> 'amount', 'sqlstate', v.details -> 'sqlstate')) AS details,
       v.source
  FROM wagecheck.violation v;
COMMENT ON VIEW wagecheck.violation_masked IS 'recorded violations without personal data (for analysts): of the details only amount and sqlstate';
GRANT SELECT ON wagecheck.worker_masked TO wagecheck_analyst, wagecheck_admin, wagecheck_inspector;
CREATE VIEW wagecheck.case_event_masked AS
SELECT e.event_id, e.case_id, e.at, e.kind, e.actor, e.recorded_at, e.details
  FROM wagecheck.case_event e
 WHERE e.kind NOT IN ('contact', 'contact_changed');
COMMENT ON VIEW wagecheck.case_event_masked IS 'history of each case without the contact log (for analysts)';
REVOKE SELECT ON wagecheck.case_event FROM wagecheck_analyst;
GRANT SELECT ON wagecheck.case_event_masked TO wagecheck_admin, wagecheck_inspector;
GRANT SELECT ON wagecheck.case_event_masked TO wagecheck_analyst;
CREATE OR REPLACE FUNCTION wagecheck._outflow_unmatched_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> ALL (ARRAY['wagecheck.account_txn', 'wagecheck.wage_account', 'wagecheck.roster',
                              'wagecheck.worker']::regclass[])
       OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION 'wagecheck._outflow_unmatched_sync() fires only AFTER each statement on account_txn, wage_account, roster or worker, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        IF TG_TABLE_NAME = 'account_txn' THEN
            TRUNCATE wagecheck.outflow_unmatched;
        ELSE
            PERFORM wagecheck._outflow_unmatched_redo(NULL);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'account_txn' THEN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM wagecheck.outflow_unmatched u WHERE u.txn_id IN (SELECT o.txn_id FROM old_rows o);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM wagecheck._outflow_unmatched_refresh(ARRAY(SELECT n.txn_id FROM new_rows n WHERE n.direction = 'out'));
        END IF;
    ELSIF TG_TABLE_NAME = 'wage_account' THEN
        -- accounts moved to another project (or deleted: their movements are gone)
        PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
            SELECT n.project_id FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id
             WHERE o.project_id IS DISTINCT FROM n.project_id));
    ELSIF TG_TABLE_NAME = 'roster' THEN
        -- roster entries moved to another project or worker, made known later, or deleted:
        -- their old projects' outflows; new entries (or moved): their projects' candidates
        IF TG_OP = 'DELETE' THEN
            PERFORM wagecheck._outflow_unmatched_redo(ARRAY(SELECT DISTINCT o.project_id FROM old_rows o));
        ELSIF TG_OP = 'INSERT' THEN
            PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(SELECT DISTINCT n.project_id FROM new_rows n));
        ELSE
            PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
                SELECT DISTINCT o.project_id FROM old_rows o
                 WHERE NOT EXISTS (SELECT 1 FROM new_rows n
                                    WHERE n.roster_id = o.roster_id AND n.project_id = o.project_id
                                      AND n.worker_id = o.worker_id AND n.created_at <= o.created_at)));
            PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(
                SELECT DISTINCT n.project_id FROM new_rows n
                 WHERE NOT EXISTS (SELECT 1 FROM old_rows o
                                    WHERE o.roster_id = n.roster_id AND o.project_id = n.project_id
                                      AND o.worker_id = n.worker_id AND o.created_at <= n.created_at)));
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        -- new workers (loaded after their roster entries): the candidates of their projects
        PERFORM wagecheck._outflow_unmatched_recheck(ARRAY(
            SELECT DISTINCT r.project_id FROM new_rows n JOIN wagecheck.roster r ON r.worker_id = n.worker_id
             WHERE n.wage_card IS NOT NULL));
    ELSE
        -- workers whose registered card changed: the outflows of the projects they are on
        PERFORM wagecheck._outflow_unmatched_redo(ARRAY(
            SELECT DISTINCT r.project_id
              FROM old_rows o
              JOIN new_rows n ON n.worker_id = o.worker_id
              JOIN wagecheck.roster r ON r.worker_id = o.worker_id
             WHERE o.wage_card IS DISTINCT FROM n.wage_card));
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION wagecheck._wage_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    p bigint[] := '{}';
    w bigint[] := '{}';
    m date[] := '{}';
    kp bigint[];
    kw bigint[];
    km date[];
    t text;
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> ALL (ARRAY['wagecheck.pay_sheet', 'wagecheck.pay_line', 'wagecheck.wage_payment']::regclass[])
       OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION 'wagecheck._wage_month_sync() fires only AFTER each statement on pay_sheet, pay_line or wage_payment, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        -- what is left of the other two tables (payments truncated alone leave the lines)
        TRUNCATE wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker,
                 wagecheck.attendance_unpaid;
        INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);
        INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();
        INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();
        INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);
        INSERT INTO wagecheck.attendance_unpaid SELECT * FROM wagecheck._attendance_unpaid_rows(NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    -- the keys (project, worker, month) of the statement's old and new rows
    FOREACH t IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                  ELSE ARRAY['old_rows', 'new_rows'] END LOOP
        EXECUTE 'SELECT array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period) FROM ('
             || format(CASE TG_TABLE_NAME
            WHEN 'pay_sheet' THEN   -- the lines of the sheets, under the sheets' project and month
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I s JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id'
            WHEN 'pay_line' THEN    -- the lines themselves and the lines they correct
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM %I c
                  CROSS JOIN LATERAL (SELECT c.sheet_id, c.worker_id
                                      UNION ALL
                                      SELECT k.sheet_id, k.worker_id FROM wagecheck.pay_line k
                                       WHERE k.line_id = c.corrects_line_id) l
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            ELSE                    -- wage_payment: the lines paid
                'SELECT DISTINCT s.project_id, l.worker_id, s.period
                   FROM (SELECT DISTINCT y.line_id FROM %I y) y
                   JOIN wagecheck.pay_line l ON l.line_id = y.line_id
                   JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id'
            END, t) || ') x'
        INTO kp, kw, km;
        p := p || coalesce(kp, '{}'); w := w || coalesce(kw, '{}'); m := m || coalesce(km, '{}');
    END LOOP;
    PERFORM wagecheck._wage_month_refresh(p, w, m);
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION wagecheck._attendance_month_sync() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    kp bigint[];
    kw bigint[];
    km date[];
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.attendance'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION 'wagecheck._attendance_month_sync() fires only AFTER each statement on attendance, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month, wagecheck.attendance_unpaid;
        INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
        VALUES ('attendance_month', NULL, NULL, 't');
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;    -- no row written: nothing changed
        END IF;
        -- lock the months in key order, then take the old rows' days away
        PERFORM 1
           FROM wagecheck.attendance_month a
          WHERE (a.project_id, a.worker_id, a.period) IN
                (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date FROM old_rows o)
          ORDER BY a.project_id, a.worker_id, a.period
            FOR UPDATE OF a;
        UPDATE wagecheck.attendance_month a
           SET days = a.days - d.n
          FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period, count(*) AS n
                  FROM old_rows o
                 GROUP BY 1, 2, 3) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period);
    END IF;
    IF TG_OP = 'INSERT' THEN
        WITH g AS MATERIALIZED (
            SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date AS period, count(*) AS days,
                   max(n.created_at) AS known_to, max(n.day) AS last_day, min(n.day) AS first_day,
                   min(n.created_at) AS first_known
              FROM new_rows n
             GROUP BY 1, 2, 3
        ),
        up AS (
            INSERT INTO wagecheck.attendance_month AS a
                   (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)
            SELECT g.project_id, g.worker_id, g.period, g.days, g.known_to, g.last_day, g.first_day, g.first_known, true
              FROM g
             ORDER BY 1, 2, 3
            ON CONFLICT (project_id, worker_id, period) DO UPDATE
               SET days = a.days + excluded.days,
                   known_to = greatest(a.known_to, excluded.known_to),
                   last_day = greatest(a.last_day, excluded.last_day),
                   first_day = least(a.first_day, excluded.first_day),
                   first_known = least(a.first_known, excluded.first_known),
                   extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day
            RETURNING a.project_id, a.worker_id, a.period, a.days, a.extended, a.first_known, a.known_to,
                      a.first_day, a.last_day
        ),
        -- the project's months: a month of a worker is new when it holds only the new rows' days
        pm AS (
            INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)
            SELECT up.project_id, up.period, count(*) FILTER (WHERE up.days = g.days), max(g.known_to),
                   max(g.last_day)
              FROM up
              JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)
             GROUP BY 1, 2
             ORDER BY 1, 2
            ON CONFLICT (project_id, period) DO UPDATE
               SET workers = m.workers + excluded.workers,
                   known_to = greatest(m.known_to, excluded.known_to),
                   last_day = greatest(m.last_day, excluded.last_day)
        ),
        ic AS (
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   range_agg(wagecheck._attendance_month_moments(up.first_known, up.known_to, up.first_day, up.last_day)),
                   array_agg(DISTINCT up.project_id ORDER BY up.project_id), 'i'
              FROM up
             WHERE up.extended
            HAVING count(*) > 0
        )
        -- the months added: their attendance without a wage month
        SELECT array_agg(up.project_id), array_agg(up.worker_id), array_agg(up.period)
          INTO kp, kw, km
          FROM up
          JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)
         WHERE up.days = g.days;
        PERFORM wagecheck._attendance_unpaid_sync(kp, kw, km);
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO wagecheck.attendance_month AS a
               (project_id, worker_id, period, days, known_to, last_day, first_day, first_known)
        SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date, count(*), max(n.created_at),
               max(n.day), min(n.day), min(n.created_at)
          FROM new_rows n
         GROUP BY 1, 2, 3
         ORDER BY 1, 2, 3
        ON CONFLICT (project_id, worker_id, period) DO UPDATE
           SET days = a.days + excluded.days,
               known_to = greatest(a.known_to, excluded.known_to),
               last_day = greatest(a.last_day, excluded.last_day),
               first_day = least(a.first_day, excluded.first_day),
               first_known = least(a.first_known, excluded.first_known),
               extended = true;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- months left empty go; the others' bounds come from the rows left
        DELETE FROM wagecheck.attendance_month a
         USING (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                  FROM old_rows o) d
         WHERE (a.project_id, a.worker_id, a.period) = (d.project_id, d.worker_id, d.period)
           AND a.days <= 0;
        UPDATE wagecheck.attendance_month a
           SET known_to = x.known_to, last_day = x.last_day, first_day = x.first_day, first_known = x.first_known
          FROM (SELECT d.project_id, d.worker_id, d.period, max(r.created_at) AS known_to, max(r.day) AS last_day,
                       min(r.day) AS first_day, min(r.created_at) AS first_known
                  FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                          FROM old_rows o) d
                  JOIN wagecheck.attendance r
                    ON r.project_id = d.project_id AND r.worker_id = d.worker_id
                   AND r.day >= d.period AND r.day < (d.period + interval '1 month')::date
                 GROUP BY 1, 2, 3) x
         WHERE (a.project_id, a.worker_id, a.period) = (x.project_id, x.worker_id, x.period)
           AND (a.known_to, a.last_day, a.first_day, a.first_known)
               IS DISTINCT FROM (x.known_to, x.last_day, x.first_day, x.first_known);
        -- the project months written, recomputed from their workers' months
        IF TG_OP = 'UPDATE' THEN
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o
                     UNION SELECT n.project_id, date_trunc('month', n.day)::date FROM new_rows n) t;
            PERFORM wagecheck._attendance_unpaid_sync(array_agg(t.project_id), array_agg(t.worker_id), array_agg(t.period))
               FROM (SELECT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period FROM old_rows o
                     UNION SELECT n.project_id, n.worker_id, date_trunc('month', n.day)::date FROM new_rows n) t;
        ELSE
            PERFORM wagecheck._attendance_project_month_refresh(array_agg(t.project_id), array_agg(t.period))
               FROM (SELECT DISTINCT o.project_id, date_trunc('month', o.day)::date AS period FROM old_rows o) t;
            PERFORM wagecheck._attendance_unpaid_sync(array_agg(t.project_id), array_agg(t.worker_id), array_agg(t.period))
               FROM (SELECT DISTINCT o.project_id, o.worker_id, date_trunc('month', o.day)::date AS period
                       FROM old_rows o) t;
        END IF;
        -- every project of the old and new rows; the moments of the new rows
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month',
                   (SELECT range_agg(wagecheck._attendance_month_moments(n.created_at, n.created_at, n.day, n.day))
                      FROM new_rows n),
                   ARRAY(SELECT o.project_id FROM old_rows o UNION SELECT n.project_id FROM new_rows n ORDER BY 1),
                   'u';
        ELSE
            INSERT INTO wagecheck.input_change (table_name, moments, projects, op)
            SELECT 'attendance_month', NULL, ARRAY(SELECT DISTINCT o.project_id FROM old_rows o ORDER BY 1), 'd';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION wagecheck._wage_month_cards() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    kp bigint[];
    kw bigint[];
    km date[];
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.worker'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION 'wagecheck._wage_month_cards() fires only AFTER each statement on worker, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
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
CREATE OR REPLACE FUNCTION wagecheck._dp01_project_moved() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    left_from bigint[];
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.project'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION 'wagecheck._dp01_project_moved() fires only AFTER each statement on project, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
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
CREATE OR REPLACE FUNCTION wagecheck.case_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE changed jsonb;
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.case_ledger'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION 'wagecheck.case_logged() fires only AFTER each row on case_ledger, not on %', TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, NEW.filed_on::timestamptz, 'registered',
                jsonb_build_object('case_no', NEW.case_no, 'source', NEW.source,
                                   'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected));
        PERFORM wagecheck.push_lead(NEW.unit_code, 'case', NEW.case_id,
            jsonb_build_object('case_id', NEW.case_id, 'case_no', NEW.case_no, 'source', NEW.source,
                               'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id,
                               'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected,
                               'filed_on', NEW.filed_on));
        RETURN NULL;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'closed' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, actor, details)
        VALUES (NEW.case_id, NEW.closed_at, 'closed', coalesce(NEW.closed_by, current_user),
                jsonb_build_object('close_kind', NEW.close_kind, 'reason', NEW.close_reason));
    ELSIF OLD.status = 'closed' AND NEW.status = 'open' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, coalesce(NEW.reopened_at, now()), 'reopened',
                jsonb_build_object('reason', NEW.reopen_reason, 'reopen_count', NEW.reopen_count,
                                   'was', jsonb_build_object('close_kind', OLD.close_kind, 'closed_at', OLD.closed_at,
                                                             'reason', OLD.close_reason)));
    ELSE
        SELECT jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value)) INTO changed
          FROM jsonb_each(to_jsonb(NEW)) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed IS NOT NULL THEN
            INSERT INTO wagecheck.case_event (case_id, at, kind, details)
            VALUES (NEW.case_id, now(), 'updated', changed);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION wagecheck.case_child_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> ALL (ARRAY['wagecheck.case_plan', 'wagecheck.case_contact', 'wagecheck.case_supervision',
                              'wagecheck.case_extension', 'wagecheck.case_order', 'wagecheck.case_repayment']::regclass[])
       OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION 'wagecheck.case_child_logged() fires only AFTER each row on the records of a case, not on %',
              TG_RELID::regclass
              USING ERRCODE = 'trigger_protocol_violated';
    END IF;
    INSERT INTO wagecheck.case_event (case_id, at, kind, details)
    VALUES (NEW.case_id,
            coalesce((to_jsonb(NEW) ->> 'contacted_at')::timestamptz, now()),
            replace(TG_TABLE_NAME, 'case_', '') || CASE TG_OP WHEN 'UPDATE' THEN '_changed' ELSE '' END,
            CASE TG_OP WHEN 'UPDATE' THEN jsonb_build_object('from', to_jsonb(OLD), 'to', to_jsonb(NEW))
                       ELSE to_jsonb(NEW) END);
    RETURN NULL;
END $$;
ALTER FUNCTION wagecheck.case_logged() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_child_logged() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
-- Who may run which function: the access table of the manual (contrib-docs/enforce.sgml,
-- "Function privileges"), applied last, over every function of the extension. Each
-- function first loses EXECUTE for PUBLIC and the five roles, then gets exactly the
-- grants listed here, so an install and an upgrade end with the same privileges, and a
-- function added later runs for its owner only until it is listed.
--  PUBLIC: the identifier types' input, output, operators, casts and index support, the
--    aggregates, and functions of their arguments alone (identifiers, calendar, masks);
--  the five roles: what row-level security, views and defaults of tables they read call;
--  the four roles that handle alerts (not analysts): the officers' steps on the alerts
--    of their scope (confirm_rectified, verify_alert, report_alert);
--  wagecheck_admin and wagecheck_inspector: recording and deciding complaints and cases;
--  wagecheck_admin: attaching the enforcing trigger to other tables;
--  nobody else: the rule engine (scan() and its evaluators, run by the owner, as the
--    scheduled scan is), the summaries, and every trigger function (a trigger fires
--    without EXECUTE; CREATE TRIGGER needs it, so nobody can attach them elsewhere).
DO $$
DECLARE
    f regprocedure;
    grantees text;
BEGIN
    FOR f, grantees IN
        WITH access (name, grantees) AS (VALUES
            -- identifiers
            ('is_valid_resident_id', 'PUBLIC'), ('is_valid_credit_code', 'PUBLIC'),
            ('is_valid_bank_card', 'PUBLIC'), ('is_valid_division_code', 'PUBLIC'),
            ('birth_date', 'PUBLIC'), ('sex', 'PUBLIC'), ('age', 'PUBLIC'), ('region', 'PUBLIC'),
            ('category', 'PUBLIC'), ('registration_authority', 'PUBLIC'), ('province', 'PUBLIC'),
            ('city', 'PUBLIC'), ('county', 'PUBLIC'), ('level', 'PUBLIC'),
            ('mask', 'PUBLIC'), ('mask_account', 'PUBLIC'), ('mask_person_name', 'PUBLIC'),
            ('mask_phone', 'PUBLIC'),
            -- calendar
            ('add_working_days', 'PUBLIC'), ('is_working_day', 'PUBLIC'), ('working_days_between', 'PUBLIC'),
            ('pay_day', 'PUBLIC'), ('wage_pay_date', 'PUBLIC'), ('lunar_to_gregorian', 'PUBLIC'),
            ('gregorian_to_lunar', 'PUBLIC'), ('spring_festival', 'PUBLIC'), ('lunar_new_year', 'PUBLIC'),
            ('lantern_festival', 'PUBLIC'), ('dragon_boat_festival', 'PUBLIC'),
            ('mid_autumn_festival', 'PUBLIC'), ('chinese_new_years_eve', 'PUBLIC'),
            -- formats and constants
            ('version', 'PUBLIC'), ('case_number', 'PUBLIC'), ('case_number_parts', 'PUBLIC'),
            ('alert_transition', 'PUBLIC'), ('alert_transitions', 'PUBLIC'),
            -- row-level security, rule parameters, the case area's views and defaults
            ('sees_everything', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('worker_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('project_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alert_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alert_id_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alerts_as_of', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('division_key', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('division_name', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('label_zh', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('rule_param', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('unit_for_division', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_due_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_open_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_repaid_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_deadline_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_cases', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_progress', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('dishonest_listed', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            -- the officers' steps on the alerts of their scope
            ('confirm_rectified', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('verify_alert', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('report_alert', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('_officer_step', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            -- complaints, cases, opinion reports, the dishonest list
            ('accept_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('reject_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('withdraw_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('_complaint_for_decision', 'wagecheck_admin, wagecheck_inspector'),
            ('close_case', 'wagecheck_admin, wagecheck_inspector'),
            ('reopen_case', 'wagecheck_admin, wagecheck_inspector'),
            ('reverse_repayment', 'wagecheck_admin, wagecheck_inspector'),
            ('push_lead', 'wagecheck_admin, wagecheck_inspector'),
            ('report_opinion_report', 'wagecheck_admin, wagecheck_inspector'),
            ('verify_opinion_report', 'wagecheck_admin, wagecheck_inspector'),
            ('dishonest_candidates', 'wagecheck_admin, wagecheck_inspector'),
            ('list_dishonest', 'wagecheck_admin, wagecheck_inspector'),
            ('decline_dishonest_listing', 'wagecheck_admin, wagecheck_inspector'),
            ('remove_dishonest_listing', 'wagecheck_admin, wagecheck_inspector'),
            -- the outbox's reader, attaching the enforcing trigger to other tables
            ('lead_delivered', 'wagecheck_admin'),
            ('attach', 'wagecheck_admin'), ('detach', 'wagecheck_admin'), ('check_mapping', 'wagecheck_admin'),
            ('enforce', 'wagecheck_admin'), ('_trigger_args', 'wagecheck_admin')
        ),
        -- what the types, operators, casts, operator classes and aggregates are made of
        type_support (oid) AS (
            SELECT unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze])
              FROM pg_catalog.pg_type t WHERE t.typnamespace = 'wagecheck'::regnamespace
            UNION SELECT unnest(ARRAY[o.oprcode, o.oprrest, o.oprjoin])
              FROM pg_catalog.pg_operator o WHERE o.oprnamespace = 'wagecheck'::regnamespace
            UNION SELECT ap.amproc
              FROM pg_catalog.pg_amproc ap JOIN pg_catalog.pg_opfamily f ON f.oid = ap.amprocfamily
             WHERE f.opfnamespace = 'wagecheck'::regnamespace
            UNION SELECT c.castfunc
              FROM pg_catalog.pg_cast c JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc
             WHERE p.pronamespace = 'wagecheck'::regnamespace
            UNION SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn])
              FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
             WHERE p.pronamespace = 'wagecheck'::regnamespace
            -- what the tables' check constraints call: they run as the role that writes the row
            UNION SELECT d.refobjid
              FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_constraint c ON c.oid = d.objid
             WHERE d.classid = 'pg_catalog.pg_constraint'::regclass
               AND d.refclassid = 'pg_catalog.pg_proc'::regclass
               AND c.contype = 'c' AND c.connamespace = 'wagecheck'::regnamespace
        )
        SELECT p.oid::regprocedure,
               CASE WHEN p.oid IN (SELECT oid FROM type_support) THEN 'PUBLIC' ELSE a.grantees END
          FROM pg_catalog.pg_proc p LEFT JOIN access a ON a.name = p.proname
         WHERE p.pronamespace = 'wagecheck'::regnamespace
         ORDER BY p.oid::regprocedure::text
    LOOP
        EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC, wagecheck_admin, wagecheck_inspector, '
                       'wagecheck_sector, wagecheck_county, wagecheck_analyst', f);
        IF grantees IS NOT NULL THEN
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO %s', f, grantees);
        END IF;
    END LOOP;
END
$$;

-- ==== complaint_masked shows of the complainant's ID number only the region
CREATE OR REPLACE VIEW wagecheck.complaint_masked WITH (security_barrier = true) AS
SELECT complaint_id, unit_code, channel, transferred_from,
       wagecheck.mask_person_name(complainant_name) AS complainant_name,
       wagecheck.mask_phone(complainant_phone) AS complainant_phone,
       left(complainant_id::text, 6) || '************' AS complainant_id,
       workers_count, amount_claimed, project_id, enterprise_id, received_at, accept_due_on,
       status, decided_at, decision_reason
  FROM wagecheck.complaint
 WHERE wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id);
COMMENT ON VIEW wagecheck.complaint_masked IS 'complaints with the complainant''s name and phone masked and of the ID number only the region (no birth date or sequence: nothing rebuilds it), for analysts and, of the projects in their scope, county and sector officers';
-- county and sector officers read the masked complaints about the projects of their scope
GRANT SELECT ON wagecheck.complaint_masked TO wagecheck_county, wagecheck_sector;
