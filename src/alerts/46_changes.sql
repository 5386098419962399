-- Change capture for incremental scans, the definitions: the capture triggers, the projects
-- changed, carried-over hits and the alerts a scan must plan (tables: once/46_changes.sql).

COMMENT ON TABLE wagecheck.input_change IS
    'derived (change capture, not dumped): one row per statement that wrote a table the rules read (and per officer closure of a once rule''s alert: table alert); consumed by scan() to skip rules, or projects, whose inputs did not change';
COMMENT ON COLUMN wagecheck.input_change.xid IS 'the writing transaction (a scan whose snapshot does not see it has not seen the change)';
COMMENT ON COLUMN wagecheck.input_change.seq IS 'order of the changes (within one transaction: before or after a scan in it)';
COMMENT ON COLUMN wagecheck.input_change.moments IS
    'the moments of the written rows'' date and time columns (a date counts for the whole day in any time zone): a rule reading them can change when a scan passes one; NULL for deletes';
COMMENT ON COLUMN wagecheck.input_change.projects IS
    'the projects whose rows the statement wrote (pay lines through their sheet, payments through their line, account movements through their account, workers through their rosters and pay lines; old and new rows); NULL: not limited to projects (rules, parameters, holidays, enterprises, TRUNCATE)';
COMMENT ON COLUMN wagecheck.input_change.op IS
    'what the statement did: i insert, u update, d delete, t truncate (a rule that new rows of a table can only clear, rule.clears_on, evaluates for an insert only the projects of its live alerts)';
COMMENT ON TABLE wagecheck.rule_eval_state IS
    'derived (not dumped: a restored database evaluates every rule once): per rule, the snapshot and moment up to which its live alerts reflect its hits, and whether its last forward scan evaluated it or carried its hits over';
COMMENT ON COLUMN wagecheck.rule_eval_state.scan_xid IS 'the scan''s transaction: its own changes (which its snapshot does not list) count when recorded after seen_seq';
COMMENT ON COLUMN wagecheck.rule_eval_state.seen_seq IS 'the last input_change.seq recorded when the rule was evaluated';
COMMENT ON COLUMN wagecheck.rule_eval_state.carried IS 'the last forward scan carried the hits over (inputs unchanged) instead of evaluating the rule';
COMMENT ON COLUMN wagecheck.rule_eval_state.time_zone IS 'the session time zone (TimeZone) of that scan: the day of as_of that time-driven rules count from';
COMMENT ON COLUMN wagecheck.rule_eval_state.projects IS
    'the projects the last forward scan evaluated with the rule''s project evaluator, carrying the hits of the others over (NULL: evaluated in full, or carried over)';
COMMENT ON TABLE wagecheck.rule_kept_hit IS
    'derived (not dumped): hits of a rule.once rule at its last evaluation whose alert is no longer live (confirmed, closed): what carrying its hits over must count besides its live alerts';
COMMENT ON COLUMN wagecheck.rule_kept_hit.project_id IS 'the project of the hit (scopes a per-project evaluation)';

-- _input_changed(): trigger (statement level, C: src/alerts/capture.c) on the tables the
-- rules read. One pass over the statement's transition tables records the moments of the
-- new rows' date and time columns (to the hour that holds them, see src/core/changeset.c)
-- and the projects of the new and old rows, from its argument: project (the rows'
-- project_id), sheet (a pay line: its sheet's project, and that of the line it corrects),
-- line (a payment: its line's project), account (a movement: its account's project),
-- worker (a worker: the projects of his rosters and pay lines) or none (not limited to
-- projects). A statement that wrote no row records nothing. It runs as the owner of
-- wagecheck's tables, switched to in C (src/trigowner.c), not SECURITY DEFINER.
CREATE OR REPLACE FUNCTION wagecheck._input_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_input_changed'
    LANGUAGE C VOLATILE;
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
        EXECUTE format('CREATE OR REPLACE TRIGGER input_change_ins AFTER INSERT ON wagecheck.%I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('CREATE OR REPLACE TRIGGER input_change_upd AFTER UPDATE ON wagecheck.%I REFERENCING NEW TABLE AS new_rows %s'
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)',
                       t, CASE WHEN mode <> 'none' THEN 'OLD TABLE AS old_rows ' ELSE '' END, mode);
        EXECUTE format('CREATE OR REPLACE TRIGGER input_change_del AFTER DELETE ON wagecheck.%I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('CREATE OR REPLACE TRIGGER input_change_trunc AFTER TRUNCATE ON wagecheck.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._input_changed(%L)', t, mode);
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ALWAYS TRIGGER input_change_ins, '
                       'ENABLE ALWAYS TRIGGER input_change_upd, ENABLE ALWAYS TRIGGER input_change_del, '
                       'ENABLE ALWAYS TRIGGER input_change_trunc', t);
    END LOOP;
END
$$;

-- _changed_projects(code, as_of, horizon): what a forward scan as of as_of must evaluate of
-- the rule. '{}': nothing - its hits as of as_of are those of its last evaluation (its live
-- alerts, and for a rule.once rule the kept hits of alerts no longer live): it declares its
-- inputs, is not of tier O, does not change with time alone (or does, counting whole days
-- from as_of, and as_of is still the same day in the same time zone), and nothing it reads
-- changed since (nor does a row it reads turn visible by as_of; nor did an officer close an
-- alert of a once rule that was a hit: 'alert' changes). The projects whose rows changed,
-- when the rule has a project evaluator and every change names its projects, with those
-- its peers function (rule.peers) names for them (the horizon names its own); for a
-- time-driven rule with a project evaluator and a horizon (rule.horizon) scanned on another
-- day (or in another time zone), those and the projects its horizon names between the day of
-- its last evaluation and as_of (with horizon false, for a plan only: without them). NULL:
-- the whole rule, also when the projects to evaluate are more than 100 and more than half of
-- all (one evaluation of the whole rule then costs less than one per project).
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

-- _carried_hits(code, except): the hits of a rule's last evaluation, from its live alerts
-- (and a once rule's kept hits), but for those of the projects except.
CREATE OR REPLACE FUNCTION wagecheck._carried_hits(p_code text, p_except bigint[] DEFAULT NULL)
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
CREATE OR REPLACE FUNCTION wagecheck._plan_alerts(p_code text, p_as_of timestamptz, p_projects bigint[])
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
CREATE OR REPLACE FUNCTION wagecheck._quiet_hits(p_code text, p_planned bigint)
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

-- _input_change_trim(): forgets the changes every rule's last evaluation has seen.
CREATE OR REPLACE FUNCTION wagecheck._input_change_trim() RETURNS void
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
CREATE OR REPLACE FUNCTION wagecheck._input_change_seen() RETURNS bigint
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT s.last_value FROM wagecheck.input_change_seq_seq s
$$;
COMMENT ON FUNCTION wagecheck._input_change_seen() IS
    'the last input_change.seq handed out (internal)';
