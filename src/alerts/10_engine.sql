-- Alert engine, the definitions: the C state machine's functions, the engine's steps, the
-- rule and alert triggers, parameters and the alert state as of a moment (tables: once/10_engine.sql).
CREATE OR REPLACE FUNCTION wagecheck.alert_transition(tier text, state text, action text, actor text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_alert_transition'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.alert_transition(text, text, text, text) IS
    'state an alert of the tier reaches when the actor (engine or officer) takes the action from the state (NULL = not yet open); SQLSTATE WC040 when illegal';

CREATE OR REPLACE FUNCTION wagecheck.alert_transitions(
        OUT tier text, OUT from_state text, OUT action text, OUT to_state text,
        OUT to_tier text, OUT actor text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'wagecheck_alert_transitions'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION wagecheck.alert_transitions() IS
    'the alert lifecycle: every legal transition per tier, and who may make it';

CREATE OR REPLACE FUNCTION wagecheck._engine_steps(
        cur_tier text, cur_state text, hit boolean, level text,
        deadline_passed boolean, new_deadline_passed boolean,
        due_passed boolean, new_due_passed boolean, verified boolean, report_due_passed boolean,
        OUT step int, OUT action text, OUT from_state text, OUT to_state text,
        OUT from_tier text, OUT to_tier text, OUT deadline_new boolean, OUT due int)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'wagecheck_engine_steps'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION wagecheck._engine_steps(text, text, boolean, text, boolean, boolean, boolean, boolean, boolean, boolean) IS
    'the steps one scan takes for one (rule, subject, period) from its alert and the rule''s hit, up to a fixpoint (internal to scan)';

-- _engine_opens_only(...): the fast path of _engine_steps (same arguments): true when its
-- steps are one opening, which _scan_plan then writes as a constant row instead of calling
-- the set-returning function (a tuple store per call) for each of a full scan's new alerts.
CREATE OR REPLACE FUNCTION wagecheck._engine_opens_only(
        cur_tier text, cur_state text, hit boolean, level text,
        deadline_passed boolean, new_deadline_passed boolean,
        due_passed boolean, new_due_passed boolean, verified boolean, report_due_passed boolean)
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_engine_opens_only'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._engine_opens_only(text, text, boolean, text, boolean, boolean, boolean, boolean, boolean, boolean) IS
    'true when _engine_steps with the same arguments is one step, open (no alert yet, a hit, nothing more due at once): the scan''s fast path (internal)';
COMMENT ON TYPE wagecheck.rule_hit IS
    'one subject for which a rule''s condition holds: (subject_kind, subject_id, period) identifies the alert; level G/K for G->K rules; due_at the hit''s own deadline; details the numbers an inspector needs';
COMMENT ON TABLE wagecheck.rule IS
    'alert rules (预警规则): code, tier (G general 一般性, K key 关键性, O public opinion 舆情), parameters and the evaluator function';
COMMENT ON COLUMN wagecheck.rule.escalates IS 'G->K rule: a hit of level K opens or escalates the alert to tier K';
COMMENT ON COLUMN wagecheck.rule.once IS
    'the subject is an event (a transaction, a payment, a report): it raises one alert only, and an officer may confirm its rectification directly';
COMMENT ON COLUMN wagecheck.rule.params IS
    'parameters with the catalogue defaults; per-division values in rule_param_override. K rules: deadline_wd (rectification deadline in working days); O rules: verify_hours, report_hours';
COMMENT ON COLUMN wagecheck.rule.evaluator IS 'function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit';
COMMENT ON COLUMN wagecheck.rule.builtin IS 'row shipped with wagecheck (not dumped; change parameters with rule_param_override)';
COMMENT ON COLUMN wagecheck.rule.inputs IS
    'tables of schema wagecheck the evaluator reads (NULL: unknown, the rule is evaluated at every scan); with time_driven false, a forward scan carries the hits over while none of them changed';
COMMENT ON COLUMN wagecheck.rule.project_evaluator IS
    'optional function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit: the evaluator''s hits whose project is one of projects, reading only rows of those projects; a forward scan then evaluates only the projects whose rows changed and carries the hits of the others over';
COMMENT ON COLUMN wagecheck.rule.horizon IS
    'optional function (from_ts timestamptz, to_ts timestamptz) RETURNS bigint[] of a time-driven rule with a project evaluator: the projects whose hits may differ between as_of from_ts and to_ts by the passage of time alone (NULL: cannot tell); a forward scan on a later day then evaluates only those and the projects whose rows changed, and carries the hits of the others over';
COMMENT ON COLUMN wagecheck.rule.peers IS
    'optional function (projects bigint[]) RETURNS bigint[] of a rule with a project evaluator whose hits of a project read rows of other projects too: the projects whose hits may depend on rows of the given projects (NULL: all); a forward scan evaluates those too for the projects whose rows changed (its horizon must name every project whose hits time alone moves, peers included)';
COMMENT ON COLUMN wagecheck.rule.clears_on IS
    'inputs whose new rows can only clear a hit of the rule or change its details, never raise one (a rule with a project evaluator and no peers function): a forward scan evaluates for the rows inserted into them only the projects of the rule''s live alerts';
COMMENT ON COLUMN wagecheck.rule.uses IS
    'what the rule''s functions read besides its inputs: the building blocks (shared functions such as wages_owed and attendance_months, and the summaries kept at write time such as wage_month), and tables whose changes cannot change its hits (read for what the rule ignores, or only when a summary is not exact for the moment); a scan computes a building block once when several enabled rules use it; the regression test rule_uses runs each rule''s functions allowed only its inputs and uses';
COMMENT ON COLUMN wagecheck.rule.time_driven IS
    'the rule''s result can change by the passage of time alone (deadlines, pay days, gaps counted from as_of): evaluated at every scan';
COMMENT ON TABLE wagecheck.rule_param_override IS
    'province (2 digits), city (4) or county (6) values of rule parameters; the longest matching division prefix wins';

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
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('evaluator %s of rule %s has the wrong signature', NEW.evaluator, NEW.code),
                ERRCODE = 'check_violation',
                      HINT = wagecheck._msg('An evaluator is a function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit.');
        END IF;
        IF NEW.project_evaluator IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.project_evaluator;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'bigint[]'::regtype
               OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
                RAISE EXCEPTION USING MESSAGE = wagecheck._msg('project evaluator %s of rule %s has the wrong signature', NEW.project_evaluator, NEW.code),
                    ERRCODE = 'check_violation',
                          HINT = wagecheck._msg('A project evaluator is a function (as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit.');
            END IF;
        END IF;
        IF NEW.horizon IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.horizon;
            IF p.pronargs <> 2 OR p.proargtypes[0] <> 'timestamptz'::regtype
               OR p.proargtypes[1] <> 'timestamptz'::regtype
               OR p.prorettype <> 'bigint[]'::regtype OR p.proretset THEN
                RAISE EXCEPTION USING MESSAGE = wagecheck._msg('horizon %s of rule %s has the wrong signature', NEW.horizon, NEW.code),
                    ERRCODE = 'check_violation',
                          HINT = wagecheck._msg('A horizon is a function (from_ts timestamptz, to_ts timestamptz) RETURNS bigint[].');
            END IF;
        END IF;
        IF NEW.peers IS NOT NULL THEN
            SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.peers;
            IF p.pronargs <> 1 OR p.proargtypes[0] <> 'bigint[]'::regtype
               OR p.prorettype <> 'bigint[]'::regtype OR p.proretset THEN
                RAISE EXCEPTION USING MESSAGE = wagecheck._msg('peers function %s of rule %s has the wrong signature', NEW.peers, NEW.code),
                    ERRCODE = 'check_violation',
                          HINT = wagecheck._msg('A peers function is a function (projects bigint[]) RETURNS bigint[].');
            END IF;
        END IF;
        SELECT string_agg(u, ', ') INTO bad
          FROM unnest(NEW.uses) u
         WHERE pg_catalog.to_regclass(pg_catalog.format('wagecheck.%I', u)) IS NULL
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc f
                            WHERE f.pronamespace = 'wagecheck'::regnamespace AND f.proname = u);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s uses %s, which is no table or function of schema wagecheck', NEW.code, bad),
                ERRCODE = 'check_violation',
                      HINT = wagecheck._msg('rule.uses names building blocks: summaries and shared functions of schema wagecheck.');
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
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s has no parameter %s', NEW.code, bad),
                ERRCODE = 'check_violation',
                      HINT = wagecheck._msg('An override sets parameters the rule defines in wagecheck.rule.params.');
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_check() IS 'trigger: checks the signatures of rule evaluators, project evaluators, horizons and peers functions, and parameter overrides; adds the engine''s default parameters (deadline_wd 5; verify_hours 2, report_hours 24)';
CREATE OR REPLACE TRIGGER rule_check BEFORE INSERT OR UPDATE OF evaluator, tier, escalates, params, project_evaluator, horizon, peers, uses ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();
CREATE OR REPLACE TRIGGER rule_param_override_check BEFORE INSERT OR UPDATE ON wagecheck.rule_param_override
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();

-- _rule_define(...): a rule of the catalogue shipped with wagecheck, as each file of
-- src/alerts/rules/ and src/cases/rules/ declares it: inserted by CREATE EXTENSION, its
-- catalogue columns written again by every upgrade. A rule's enabled and its overrides in
-- rule_param_override are the user's: they are left alone.
CREATE OR REPLACE FUNCTION wagecheck._rule_define(
        code text, tier text, subject_kind text, name_zh text, name_en text, description text,
        params jsonb, evaluator regprocedure, escalates boolean DEFAULT false, once boolean DEFAULT false,
        project_evaluator regprocedure DEFAULT NULL, horizon regprocedure DEFAULT NULL,
        peers regprocedure DEFAULT NULL, inputs text[] DEFAULT NULL, time_driven boolean DEFAULT true,
        clears_on text[] DEFAULT NULL, uses text[] DEFAULT NULL)
    RETURNS void
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
    INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params,
                                evaluator, project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
    VALUES ($1, $2, $9, $10, $3, $4, $5, $6, $7, $8, $11, $12, $13, $14, $15, $16, $17)
    ON CONFLICT ON CONSTRAINT rule_pkey DO UPDATE
       SET (tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator,
            project_evaluator, horizon, peers, inputs, time_driven, clears_on, uses)
         = (EXCLUDED.tier, EXCLUDED.escalates, EXCLUDED.once, EXCLUDED.subject_kind, EXCLUDED.name_zh,
            EXCLUDED.name_en, EXCLUDED.description, EXCLUDED.params, EXCLUDED.evaluator,
            EXCLUDED.project_evaluator, EXCLUDED.horizon, EXCLUDED.peers, EXCLUDED.inputs,
            EXCLUDED.time_driven, EXCLUDED.clears_on, EXCLUDED.uses)
$$;
COMMENT ON FUNCTION wagecheck._rule_define(text, text, text, text, text, text, jsonb, regprocedure, boolean, boolean,
                                           regprocedure, regprocedure, regprocedure, text[], boolean, text[], text[]) IS
    'writes a rule of the shipped catalogue (each file of src/*/rules/ calls it): inserted, or its catalogue columns written again by an upgrade; enabled and rule_param_override are left to the user (internal)';

CREATE OR REPLACE FUNCTION wagecheck.rule_param(code text, key text, division wagecheck.division_code DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    v jsonb;
    d text := division::text;
BEGIN
    IF code IS NULL OR key IS NULL THEN
        RETURN NULL;
    END IF;
    IF d IS NOT NULL THEN
        SELECT o.params -> key INTO v
          FROM wagecheck.rule_param_override o
         WHERE o.code = rule_param.code AND o.params ? key
           AND o.division_prefix = left(d, length(o.division_prefix))
         ORDER BY length(o.division_prefix) DESC
         LIMIT 1;
        IF v IS NOT NULL THEN
            RETURN v;
        END IF;
    END IF;
    SELECT r.params -> key INTO v FROM wagecheck.rule r WHERE r.code = rule_param.code;
    IF v IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s has no parameter %s', code, key),
            ERRCODE = 'undefined_object',
                  HINT = wagecheck._msg('Parameters are the keys of wagecheck.rule.params.');
    END IF;
    RETURN v;
END
$$;
COMMENT ON FUNCTION wagecheck.rule_param(text, text, wagecheck.division_code) IS
    'value of a rule parameter for a division: the override of the longest matching division prefix, else the rule''s default';
COMMENT ON TABLE wagecheck.alert IS
    'alerts (预警): one per rule, subject and period while live; its history is in alert_event';
COMMENT ON COLUMN wagecheck.alert.tier IS 'current tier: G, K (also a G alert escalated by a G->K rule) or O';
COMMENT ON COLUMN wagecheck.alert.state IS
    'G: open, cleared; K: open, overdue, rectified (condition gone, awaiting confirmation), closed; O: open, verify_overdue, verified, report_overdue, reported';
COMMENT ON COLUMN wagecheck.alert.evidence IS 'what raised it: the rule''s evaluator, violations recorded by triggers in alert mode, or both';
COMMENT ON COLUMN wagecheck.alert.deadline_on IS 'K: rectification deadline (整改期限), working days after opening unless the rule gives one';
COMMENT ON COLUMN wagecheck.alert.due_at IS 'O: deadline of the current step (verify, then report)';
COMMENT ON COLUMN wagecheck.alert.updated_at IS 'effective time of the last event';
COMMENT ON TABLE wagecheck.alert_event IS
    'every change of every alert (who, when, from, to, note); the alert''s state at any moment is its last event at or before it';
COMMENT ON COLUMN wagecheck.alert_event.at IS 'when the change took effect: the scan''s as_of, or the officer''s action time';
COMMENT ON COLUMN wagecheck.alert_event.actor IS 'database role that made the change (the scan''s caller for engine actions)';
COMMENT ON COLUMN wagecheck.alert_event.recorded_at IS 'when the row was written';
COMMENT ON COLUMN wagecheck.alert_event.project_id IS 'the alert''s project when the event was written (NULL for an enterprise''s alert); the events of a project are read and scoped by it';

-- Integrity of alert.rule_code and alert_event.alert_id without foreign keys. A key checks
-- every inserted row with a query of its own (3-4 us each, a fifth of what a full scan
-- spends writing an alert and its event); here the rows are checked where they can go wrong.
-- Alerts and events are written only by wagecheck's functions (no role is granted INSERT):
-- scan() writes an alert's events in the statement that returns the alert's id, and holds
-- the rule's row (FOR KEY SHARE, as the key's check did) while it writes the rule's alerts;
-- an officer's step writes the event of the alert it holds FOR UPDATE. What is left to guard
-- is removal: an alert is never deleted (its events are its history, replays read them),
-- alert and alert_event are truncated together, and a rule with alerts is not deleted; a
-- rule's new code is carried to its alerts (as ON UPDATE CASCADE did).
CREATE OR REPLACE FUNCTION wagecheck._alert_kept() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('alerts are never deleted'),
            ERRCODE = 'WC041',
                  DETAIL = wagecheck._msg('Alert %s has a history in wagecheck.alert_event, which replays of past scans read.', OLD.alert_id),
                  HINT = wagecheck._msg('An alert ends by its lifecycle: cleared, closed or reported.');
    END IF;
    -- TRUNCATE: checked after it, when every table it names is empty
    IF EXISTS (SELECT 1 FROM wagecheck.alert_event) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck.alert cannot be truncated without wagecheck.alert_event'),
            ERRCODE = 'foreign_key_violation',
                  DETAIL = wagecheck._msg('Every event belongs to an alert.'),
                  HINT = wagecheck._msg('Truncate wagecheck.alert_event in the same statement.');
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._alert_kept() IS
    'trigger on alert: refuses DELETE (WC041: an alert''s history is kept) and a TRUNCATE that leaves events behind (23503)';
CREATE OR REPLACE TRIGGER alert_kept BEFORE DELETE ON wagecheck.alert
    FOR EACH ROW EXECUTE FUNCTION wagecheck._alert_kept();
CREATE OR REPLACE TRIGGER alert_kept_truncate AFTER TRUNCATE ON wagecheck.alert
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._alert_kept();

CREATE OR REPLACE FUNCTION wagecheck._rule_alerts() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    -- the rule's row is locked before this runs: a scan writing its alerts has committed
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM wagecheck.alert a WHERE a.rule_code = OLD.code) THEN
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s has alerts and cannot be deleted', OLD.code),
                ERRCODE = 'foreign_key_violation',
                      DETAIL = wagecheck._msg('Alerts keep the code of the rule that raised them.'),
                      HINT = wagecheck._msg('Disable the rule instead (enabled = false).');
        END IF;
        RETURN OLD;
    END IF;
    UPDATE wagecheck.alert a SET rule_code = NEW.code WHERE a.rule_code = OLD.code;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_alerts() IS
    'trigger on rule: a rule with alerts is not deleted (23503); a new code is carried to its alerts';
CREATE OR REPLACE TRIGGER rule_alerts BEFORE DELETE ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_alerts();
CREATE OR REPLACE TRIGGER rule_alerts_code AFTER UPDATE OF code ON wagecheck.rule
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION wagecheck._rule_alerts();
COMMENT ON TABLE wagecheck.alert_violation IS
    'which alert each violation recorded in alert mode (wagecheck.violation, schema area) raised or joined, and as of which scan; the engine never changes wagecheck.violation';
COMMENT ON TABLE wagecheck.rule_scan IS
    'per rule, the latest as_of a scan applied (scanned_to) and when; a scan as of an earlier moment is a replay that writes nothing';

-- _alert_state_at(code, as_of): the live alerts of a rule as the events say they stood at as_of.
CREATE OR REPLACE FUNCTION wagecheck._alert_state_at(p_code text, p_as_of timestamptz)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   tier text, state text, deadline_on date, due_at timestamptz,
                   details jsonb, evidence text, opened_at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT s.alert_id, a.subject_kind, a.subject_id, a.period, s.to_tier, s.to_state,
           s.deadline_on, s.due_at, a.details, a.evidence, a.opened_at
      FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.to_tier, e.to_state, e.deadline_on, e.due_at
              FROM wagecheck.alert_event e
              JOIN wagecheck.alert a0 ON a0.alert_id = e.alert_id
             WHERE a0.rule_code = p_code AND e.at <= p_as_of
             ORDER BY e.alert_id, e.at DESC, e.event_id DESC) s
      JOIN wagecheck.alert a ON a.alert_id = s.alert_id
$$;
COMMENT ON FUNCTION wagecheck._alert_state_at(text, timestamptz) IS
    'alerts of a rule as they stood at a moment, derived from their events (used by replays)';

CREATE OR REPLACE FUNCTION wagecheck.alerts_as_of(as_of timestamptz)
    RETURNS TABLE (alert_id bigint, rule_code text, tier text, state text,
                   subject_kind text, subject_id text, period text, division wagecheck.division_code,
                   opened_at timestamptz, deadline_on date, due_at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT a.alert_id, a.rule_code, s.to_tier, s.to_state, a.subject_kind, a.subject_id, a.period,
           a.division, a.opened_at, s.deadline_on, s.due_at
      FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.to_tier, e.to_state, e.deadline_on, e.due_at
              FROM wagecheck.alert_event e
             WHERE e.at <= as_of
             ORDER BY e.alert_id, e.at DESC, e.event_id DESC) s
      JOIN wagecheck.alert a ON a.alert_id = s.alert_id
$$;
COMMENT ON FUNCTION wagecheck.alerts_as_of(timestamptz) IS
    'every alert as it stood at a moment (what was known then), derived from alert_event';

-- _scan_plan(code, as_of, replay, carry, projects, alerts): what a scan of one rule does,
-- one row per (alert, step), numbered (in no order: scan() orders what it writes), plus no-op
-- rows for hits that change nothing; sid numbers the subjects in their order, so that scan()
-- orders and joins its writes by an integer and not by the subjects' text; cur_division is
-- the alert's division (scan() announces an alert with the division it keeps). With carry, the hits are those the rule's live alerts
-- hold; with projects too ('{}': none), the rule's project evaluator gives the hits of those
-- projects and the alerts those of the others, and only the alerts given (_plan_alerts: those
-- on which something may change) are planned: the others are quiet (_quiet_hits counts them).
CREATE OR REPLACE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean,
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
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('rule %s has no project evaluator to evaluate projects %s', p_code, p_projects),
            ERRCODE = 'invalid_parameter_value';
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
