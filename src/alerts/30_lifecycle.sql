-- Officer steps of the alert lifecycle: confirm a K rectification, verify and report an O alert.

-- _officer_step(alert, action, note, at, officer): one officer action, checked by the state
-- machine, on an alert within the officer's scope. It writes the alert and its event as the
-- owner (no role writes them); the officer is the role the public steps run as (their
-- current_user), and only a role the session may act as: an alert outside his scope is
-- refused as one that does not exist. The event's actor is that officer.
CREATE OR REPLACE FUNCTION wagecheck._officer_step(p_alert bigint, p_action text, p_note text, p_at timestamptz,
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
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('no alert given'), ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_note IS NULL OR btrim(p_note) = '' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('a note is required to %s alert %s', p_action, p_alert),
            ERRCODE = 'invalid_parameter_value',
                  HINT = wagecheck._msg('Say what was found or done: the note goes into the alert''s history.');
    END IF;
    IF p_at IS NULL OR NOT isfinite(p_at) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('the time of the action must be a finite moment'), ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_officer IS NULL OR (p_officer <> session_user AND NOT pg_has_role(session_user, p_officer, 'MEMBER')) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('permission denied to act on alerts as %s', coalesce(p_officer, 'NULL')),
              ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM wagecheck.alert WHERE alert_id = p_alert FOR UPDATE;
    IF NOT FOUND OR NOT wagecheck.alert_in_scope(a.project_id, a.division, p_officer) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('alert %s does not exist', p_alert), ERRCODE = 'no_data_found';
    END IF;
    IF p_at < a.updated_at THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('cannot %s alert %s as of %s: it last changed at %s', p_action, p_alert, p_at, a.updated_at),
            ERRCODE = 'invalid_parameter_value',
                  HINT = wagecheck._msg('An alert''s history moves forward only.');
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
                                           deadline_on, due_at, actor, note, project_id)
        VALUES (a.alert_id, p_at, step, from_state, to_state, a.tier, a.tier,
                a.deadline_on, CASE WHEN a.tier = 'O' THEN a.due_at END, p_officer, p_note, a.project_id);
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
