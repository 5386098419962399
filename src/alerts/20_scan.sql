-- wagecheck.scan(as_of): evaluates every enabled rule and applies the plan.

-- _alert_payload(...): the small JSON payload of NOTIFY wagecheck_alert, the text of a jsonb
-- object (keys in jsonb's order), written in C (src/alerts/payload.c): built as jsonb and
-- printed it cost a quarter of scan()'s own time per opened alert. STABLE: the moment is
-- printed in the session's time zone.
CREATE FUNCTION wagecheck._alert_payload(p_event text, p_alert bigint, p_rule text, p_tier text,
                                         p_state text, p_subject_kind text, p_subject_id text,
                                         p_period text, p_division text, p_at timestamptz)
    RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_alert_payload'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._alert_payload(text, bigint, text, text, text, text, text, text, text, timestamptz) IS
    'payload of NOTIFY wagecheck_alert: event (opened, escalated, cleared), alert id, rule, tier, state, subject, period, division, at';

-- _notify_kind(action): which announcement an action makes (NULL: none). A SQL-standard body
-- (names bound when it is created, no search_path needed) without SET clause: inlined.
CREATE FUNCTION wagecheck._notify_kind(action text) RETURNS text
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

-- _memo_build(as_of, skip): computes once, for the whole scan, the building blocks that more
-- than one enabled evaluator uses (wages_owed, attendance_months), as temporary tables. Not
-- attendance_months when its summary is exact for the moment: its readers then read the
-- summary attendance_month, as cheap as a copy. No ANALYZE: the readers see a memo through
-- the building block's function scan, where its statistics serve no plan. The months owed or
-- paid late (WP02, WP03, DP01) are not: they are found through the summary's settled_at.
CREATE FUNCTION wagecheck._memo_build(p_as_of timestamptz, p_skip text[] DEFAULT '{}') RETURNS void
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

CREATE FUNCTION wagecheck._memo_drop() RETURNS void
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

CREATE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now(), incremental boolean DEFAULT true)
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
