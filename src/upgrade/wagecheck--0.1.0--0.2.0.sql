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

-- ==== wage_month's keys read through the indexes: _wage_month_rows and _payment_off_card_rows
-- (PL/pgSQL, a query for all keys and one for a few) find a statement's lines by sheet and
-- their payments by line instead of reading every line and payment; _wage_month_refresh
-- updates the keys' rows through the primary key

CREATE OR REPLACE FUNCTION wagecheck._wage_month_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.wage_month
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
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

CREATE OR REPLACE FUNCTION wagecheck._payment_off_card_rows(p_projects bigint[], p_workers bigint[], p_periods date[])
    RETURNS SETOF wagecheck.payment_off_card
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
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
            ('rule_param', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('unit_for_division', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_due_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_open_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_repaid_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_deadline_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_cases', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_progress', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('dishonest_listed', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
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
CREATE OR REPLACE VIEW wagecheck.complaint_masked AS
SELECT complaint_id, unit_code, channel, transferred_from,
       wagecheck.mask_person_name(complainant_name) AS complainant_name,
       wagecheck.mask_phone(complainant_phone) AS complainant_phone,
       left(complainant_id::text, 6) || '************' AS complainant_id,
       workers_count, amount_claimed, project_id, enterprise_id, received_at, accept_due_on,
       status, decided_at, decision_reason
  FROM wagecheck.complaint;
COMMENT ON VIEW wagecheck.complaint_masked IS 'complaints with the complainant''s name and phone masked and of the ID number only the region (no birth date or sequence: nothing rebuilds it), for analysts';
