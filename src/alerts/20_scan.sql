-- wagecheck.scan(as_of): evaluates every enabled rule and applies the plan.

-- _alert_payload(...): the small JSON payload of NOTIFY wagecheck_alert, the text of a jsonb
-- object (keys in jsonb's order), written in C (src/alerts/payload.c): built as jsonb and
-- printed it cost a quarter of scan()'s own time per opened alert. STABLE: the moment is
-- printed in the session's time zone.
CREATE OR REPLACE FUNCTION wagecheck._alert_payload(p_event text, p_alert bigint, p_rule text, p_tier text,
                                         p_state text, p_subject_kind text, p_subject_id text,
                                         p_period text, p_division text, p_at timestamptz)
    RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_alert_payload'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._alert_payload(text, bigint, text, text, text, text, text, text, text, timestamptz) IS
    'payload of NOTIFY wagecheck_alert: event (opened, escalated, cleared), alert id, rule, tier, state, subject, period, division, at';

-- _notify_kind(action): which announcement an action makes (NULL: none). A SQL-standard body
-- (names bound when it is created, no search_path needed) without SET clause: inlined.
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

-- _memo_build(as_of, skip): computes once, for the whole scan, the building blocks that more
-- than one enabled rule declares in rule.uses (wages_owed, attendance_months), as temporary tables. Not
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
        IF (SELECT count(*) FROM wagecheck.rule r
             WHERE r.enabled AND r.code <> ALL (coalesce(p_skip, '{}')) AND r.uses @> ARRAY[b]) > 1
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

-- _scan_future_limit(): the latest moment a scan accepts, now() plus
-- wagecheck.scan_future_tolerance (C: src/alerts/scan_guard.c, where the setting is defined).
CREATE OR REPLACE FUNCTION wagecheck._scan_future_limit() RETURNS timestamptz
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
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('scan needs a finite as_of moment'),
            ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a forward scan moves every rule to as_of, and every scan before it is then a replay:
    -- a moment in the future would freeze the engine until then
    IF as_of > wagecheck._scan_future_limit() THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck.scan() cannot scan as of a moment in the future'),
            ERRCODE = 'datetime_field_overflow',
                  DETAIL = wagecheck._msg('The moment asked is %s; now() is %s and wagecheck.scan_future_tolerance allows %s beyond it.',
                                  as_of, now(), pg_catalog.current_setting('wagecheck.scan_future_tolerance')),
                  HINT = wagecheck._msg('Scan as of now() (the default); an earlier moment replays what was known then.');
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck.scan() runs only at READ COMMITTED isolation'),
            ERRCODE = 'invalid_transaction_state',
                  DETAIL = wagecheck._msg('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = wagecheck._msg('A scan reads the alerts the scans before it committed: each of its statements needs a fresh snapshot.');
    END IF;
    IF incremental IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('scan needs incremental true or false'),
            ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_catalog.pg_try_advisory_xact_lock(95946671341902) THEN
        RAISE NOTICE USING MESSAGE = wagecheck._msg('wagecheck.scan() skipped: another scan is running'),
            DETAIL = wagecheck._msg('Another transaction holds the scan lock (advisory lock 95946671341902) until it ends; this scan wrote nothing and returns no row.'),
                  HINT = wagecheck._msg('The next scan catches up. To wait for the running scan instead, call pg_advisory_xact_lock(95946671341902) in the transaction before wagecheck.scan().');
        RETURN;
    END IF;
    -- a rule moved beyond now() (a scan as of a future moment, before such scans were refused)
    -- holds every scan up to then as a replay until an administrator undoes that scan
    SELECT string_agg(rs.code, ', ' ORDER BY rs.code), max(rs.scanned_to) INTO ahead, ahead_to
      FROM wagecheck.rule_scan rs
     WHERE rs.scanned_to > wagecheck._scan_future_limit();
    IF ahead IS NOT NULL THEN
        RAISE WARNING USING MESSAGE = wagecheck._msg('wagecheck: rules %s were scanned as of a moment in the future', ahead),
            DETAIL = wagecheck._msg('Up to %s every scan of them is a replay that writes nothing.', ahead_to),
                  HINT = wagecheck._msg('An administrator removes what that scan wrote with wagecheck.undo_scan(now()).');
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
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s was deleted during the scan', r.code),
                ERRCODE = 'foreign_key_violation';
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
                   -- other transaction can add one (alert_one_live) before this one ends. A rule
                   -- evaluated in full plans every live alert of its own (changed IS NULL): a
                   -- subject with one has its alert_id and no new_id, and nothing is looked up.
                   AND (changed IS NULL OR NOT EXISTS (SELECT 1 FROM wagecheck.alert o
                                    WHERE o.rule_code = r.code AND o.subject_kind = f.subject_kind
                                      AND o.subject_id = f.subject_id AND o.period = f.period
                                      AND o.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                      'verified', 'report_overdue')))
                RETURNING a.alert_id, a.project_id
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
                RETURNING a.alert_id, a.project_id
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
            ev AS (                     -- each with its alert's project as written above
                INSERT INTO wagecheck.alert_event AS e
                       (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note,
                        project_id)
                SELECT evs.alert_id, as_of, evs.action, evs.from_state, evs.to_state, evs.from_tier, evs.to_tier,
                       evs.deadline_on, evs.due_at, evs.note, w.project_id
                  FROM evs
                  JOIN (SELECT i.alert_id, i.project_id FROM ins i
                        UNION ALL
                        SELECT u.alert_id, u.project_id FROM upd u) w ON w.alert_id = evs.alert_id
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
CREATE OR REPLACE FUNCTION wagecheck.undo_scan(after timestamptz DEFAULT now())
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
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('undo_scan needs a finite moment'),
            ERRCODE = 'invalid_parameter_value',
                  HINT = wagecheck._msg('wagecheck.undo_scan(now()) removes what scans wrote as of moments in the future.');
    END IF;
    IF after < now() OR after > wagecheck._scan_future_limit() THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('undo_scan removes only what scans wrote as of moments in the future'),
            ERRCODE = 'invalid_parameter_value',
                  DETAIL = wagecheck._msg('The moment given is %s; now() is %s, and a scan may look %s beyond it.', after, now(),
                                  pg_catalog.current_setting('wagecheck.scan_future_tolerance')),
                  HINT = wagecheck._msg('Alerts and events as of moments up to now() are history and stay. Call wagecheck.undo_scan(now()).');
    END IF;
    IF NOT pg_catalog.pg_has_role(current_user,
                                  (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'wagecheck.alert'::regclass),
                                  'USAGE') THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('permission denied to undo a scan'),
            ERRCODE = 'insufficient_privilege',
                  DETAIL = wagecheck._msg('Undoing a scan deletes alerts and their history.'),
                  HINT = wagecheck._msg('Ask the owner of the wagecheck extension, or a superuser.');
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
