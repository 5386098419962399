-- Alert engine: rules, parameters, alerts and their events, the scan.
--
-- A rule is a row of wagecheck.rule whose evaluator function returns, as of a
-- moment, every subject for which its condition holds (wagecheck.rule_hit rows).
-- wagecheck.scan(as_of) turns those hits into alerts: G alerts open and clear by
-- themselves, K alerts get a rectification deadline in working days and go
-- overdue, O alerts must be verified and reported within hours. Every change of
-- an alert is an event row; the legal changes are the C state machine of
-- src/core/alert_fsm.c (wagecheck.alert_transition).
--
-- Replay: every event carries `at`, the moment it took effect (the scan's as_of,
-- or the officer's action time). Each rule has a high-water mark (rule_scan): a
-- scan moves a rule forward only. A scan as of an earlier moment than the mark
-- is a replay: it evaluates the rule and compares the hits with the alert state
-- derived from the events with at <= as_of, reports what it finds, and writes
-- nothing; so later alerts and events never leak into an earlier replay.

CREATE TYPE wagecheck.rule_hit AS (
    subject_kind  text,
    subject_id    text,
    period        text,
    project_id    bigint,
    enterprise_id bigint,
    division      wagecheck.division_code,
    level         text,
    due_at        timestamptz,
    details       jsonb
);

CREATE TABLE wagecheck.rule (
    code         text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}[0-9]{2}$'),
    tier         text NOT NULL CHECK (tier IN ('G', 'K', 'O')),
    escalates    boolean NOT NULL DEFAULT false,
    once         boolean NOT NULL DEFAULT false,
    subject_kind text NOT NULL CHECK (subject_kind <> ''),
    name_zh      text NOT NULL CHECK (name_zh <> ''),
    name_en      text NOT NULL CHECK (name_en <> ''),
    description  text,
    enabled      boolean NOT NULL DEFAULT true,
    params       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    evaluator    regprocedure NOT NULL,
    builtin      boolean NOT NULL DEFAULT wagecheck._creating_extension(),
    inputs       text[] CHECK (cardinality(inputs) > 0),
    time_driven  boolean NOT NULL DEFAULT true,
    CHECK (NOT escalates OR tier = 'G'),
    project_evaluator regprocedure,
    horizon      regprocedure,
    peers        regprocedure,
    clears_on    text[],
    CONSTRAINT rule_clears_on_inputs CHECK (clears_on <@ inputs),
    uses         text[]
);

CREATE TABLE wagecheck.rule_param_override (
    code            text NOT NULL REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    division_prefix text NOT NULL CHECK (division_prefix ~ '^([0-9]{2}){1,3}$'),
    params          jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    PRIMARY KEY (code, division_prefix)
);

CREATE TABLE wagecheck.alert (
    alert_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_code     text NOT NULL,   -- a rule's code: kept by trigger rule_alerts, see below
    tier          text NOT NULL CHECK (tier IN ('G', 'K', 'O')),
    state         text NOT NULL CHECK (state IN ('open', 'cleared', 'overdue', 'rectified', 'closed',
                                                  'verify_overdue', 'verified', 'report_overdue', 'reported')),
    subject_kind  text NOT NULL,
    subject_id    text NOT NULL,
    period        text NOT NULL DEFAULT '',
    project_id    bigint,
    enterprise_id bigint,
    division      wagecheck.division_code,
    details       jsonb NOT NULL DEFAULT '{}',
    evidence      text NOT NULL DEFAULT 'rule' CHECK (evidence IN ('rule', 'violation', 'both')),
    opened_at     timestamptz NOT NULL,
    deadline_on   date,
    due_at        timestamptz,
    escalated_at  timestamptz,
    closed_at     timestamptz,
    updated_at    timestamptz NOT NULL,
    CHECK ((state IN ('cleared', 'closed', 'reported')) = (closed_at IS NOT NULL)),
    CHECK (tier <> 'K' OR deadline_on IS NOT NULL)
);
-- Every index is written for each alert a scan opens (and, the state being indexed, for
-- each change of an alert), so the alerts keep only those their readers use: the primary
-- key (events, violations, kept hits, officers' steps); alert_one_live (one live alert per
-- rule, subject and period; where the scan looks before opening one; a rule's live alerts: _scan_plan,
-- _carried_hits, _quiet_hits); alert_rule_subject (a rule's alerts in every state:
-- replays, rules raising one alert per event, rule_alerts). No index on division or
-- project: no query of wagecheck looks alerts up by them (the boards read every live
-- alert), and each cost a full scan about 1 us per alert.
CREATE UNIQUE INDEX alert_one_live ON wagecheck.alert (rule_code, subject_kind, subject_id, period)
    WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue');
CREATE INDEX alert_rule_subject ON wagecheck.alert (rule_code, subject_kind, subject_id, period);
-- What a scan carrying a rule's hits over must plan (_plan_alerts): its K alerts open, by
-- deadline (the deadline passes), and its alerts a step may move whatever the hits (rectified,
-- O) or raised by violations. Each holds only the alerts a quiet day may change.
CREATE INDEX alert_k_open ON wagecheck.alert (rule_code, deadline_on) WHERE tier = 'K' AND state = 'open';
CREATE INDEX alert_rule_unquiet ON wagecheck.alert (rule_code)
    WHERE evidence <> 'rule'
          OR NOT (state IN ('cleared', 'closed', 'reported') OR (tier = 'G' AND state = 'open')
                  OR (tier = 'K' AND state IN ('open', 'overdue')));

CREATE TABLE wagecheck.alert_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id    bigint NOT NULL,   -- an alert's id: kept by trigger alert_kept, see below
    at          timestamptz NOT NULL,
    action      text NOT NULL,
    from_state  text,
    to_state    text NOT NULL,
    from_tier   text,
    to_tier     text NOT NULL,
    deadline_on date,
    due_at      timestamptz,
    actor       text NOT NULL DEFAULT current_user,
    note        text,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    project_id  bigint         -- the alert's project when the event was written (NULL: an enterprise's)
);
CREATE INDEX alert_event_alert ON wagecheck.alert_event (alert_id, at);

CREATE TABLE wagecheck.alert_violation (
    violation_id bigint PRIMARY KEY REFERENCES wagecheck.violation ON DELETE CASCADE,
    alert_id     bigint NOT NULL REFERENCES wagecheck.alert ON DELETE CASCADE,
    consumed_at  timestamptz NOT NULL
);
CREATE INDEX alert_violation_alert ON wagecheck.alert_violation (alert_id);

CREATE TABLE wagecheck.rule_scan (
    code       text PRIMARY KEY REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    scanned_to timestamptz NOT NULL,
    scanned_at timestamptz NOT NULL
);

-- user data and configuration survive pg_dump; rules shipped with wagecheck come from the script
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule_param_override', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_event', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_violation', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule_scan', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_alert_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_event_event_id_seq', '');
