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
