-- The alert engine with test-only rules over a fixture table: opening, idempotence,
-- G clearing, G->K escalation, K deadlines/overdue/rectification/confirmation,
-- O verify/report hours, replay, violations in alert mode, illegal transitions.
CREATE EXTENSION wagecheck;
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY terse
-- err(sql): runs a statement and shows the SQLSTATE and message of its error
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- the lifecycle table, from the C state machine
SELECT * FROM wagecheck.alert_transitions() ORDER BY tier, from_state NULLS FIRST, action;
-- the scan's fast path: _engine_opens_only is true exactly where _engine_steps is the one
-- row _scan_plan writes in its place (step 1, open, to the hit's level, new deadline and due)
WITH facts AS (
    SELECT t.tier, s.state, l.level, (b & 1) > 0 AS hit, (b & 2) > 0 AS dl, (b & 4) > 0 AS ndl,
           (b & 8) > 0 AS due, (b & 16) > 0 AS ndue, (b & 32) > 0 AS ver, (b & 64) > 0 AS rdue
      FROM (VALUES ('G'), ('K'), ('O')) t(tier),
           (VALUES (NULL), ('open'), ('overdue'), ('rectified'), ('verified'), ('cleared')) s(state),
           (VALUES ('G'), ('K'), ('O')) l(level), generate_series(0, 127) b
     WHERE l.level = t.tier OR (t.tier = 'G' AND l.level = 'K')
), cmp AS (
    SELECT f.*, wagecheck._engine_opens_only(CASE WHEN f.state IS NOT NULL THEN f.tier END, f.state, f.hit,
                   f.level, f.dl, f.ndl, f.due, f.ndue, f.ver, f.rdue) AS fast,
           (SELECT array_agg(row(e.*)::text ORDER BY e.step)
              FROM wagecheck._engine_steps(CASE WHEN f.state IS NOT NULL THEN f.tier END, f.state, f.hit,
                   f.level, f.dl, f.ndl, f.due, f.ndue, f.ver, f.rdue) e) AS steps
      FROM facts f
     WHERE f.state IS NULL OR f.state IN (SELECT a.from_state FROM wagecheck.alert_transitions() a WHERE a.tier = f.tier)
)
SELECT fast, count(*) AS cases,
       count(*) FILTER (WHERE (steps IS NOT DISTINCT FROM ARRAY[format('(1,open,,open,,%s,t,1)', level)]) <> fast) AS differing
  FROM cmp GROUP BY fast ORDER BY fast;

-- fixture: a hit of rule `rule` for `subject` holds from `since` until `until`
-- (scan runs evaluators with search_path = pg_catalog, wagecheck: they pin their own)
CREATE TABLE fx (rule text, subject text, level text, since timestamptz, until timestamptz,
                 due timestamptz, division text DEFAULT '371302');
CREATE FUNCTION fx_hits(p_rule text, as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT 'project', subject, '', NULL::bigint, NULL::bigint, division::wagecheck.division_code,
           level, due, jsonb_build_object('since', since)
      FROM fx WHERE rule = p_rule AND since <= as_of AND (until IS NULL OR as_of < until)
$$;
CREATE FUNCTION eval_zz01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM fx_hits('ZZ01', as_of) $$;
CREATE FUNCTION eval_zz02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM fx_hits('ZZ02', as_of) $$;
CREATE FUNCTION eval_zz03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT subject_kind, subject_id, period, project_id, enterprise_id, division, level,
           (details->>'since')::timestamptz + interval '2 hours',
           details || jsonb_build_object('report_due', (details->>'since')::timestamptz + interval '24 hours')
      FROM fx_hits('ZZ03', as_of) $$;
CREATE FUNCTION not_an_evaluator(as_of timestamptz) RETURNS int LANGUAGE sql AS 'SELECT 1';

-- the catalogue's rules are switched off here so that only the test rules run
UPDATE wagecheck.rule SET enabled = false;
INSERT INTO wagecheck.rule (code, tier, escalates, subject_kind, name_zh, name_en, params, evaluator) VALUES
  ('ZZ01', 'G', true, 'project', '测试一般', 'test general', '{}', 'eval_zz01(timestamptz)'),
  ('ZZ02', 'K', false, 'project', '测试关键', 'test key', '{"deadline_wd": 5}', 'eval_zz02(timestamptz)'),
  ('ZZ03', 'O', false, 'project', '测试舆情', 'test opinion', '{"verify_hours": 2, "report_hours": 24}',
   'eval_zz03(timestamptz)');
-- rules added by users are not builtin; K and G->K rules get deadline_wd, O rules their hours
SELECT code, builtin, params FROM wagecheck.rule WHERE code LIKE 'ZZ%' ORDER BY code;
-- an evaluator must have the contract's signature
INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, evaluator)
VALUES ('ZZ09', 'G', 'project', '坏', 'bad', 'not_an_evaluator(timestamptz)');

-- parameters: default, then the longest matching division prefix
INSERT INTO wagecheck.rule_param_override VALUES ('ZZ02', '37', '{"deadline_wd": 7}'),
                                                 ('ZZ02', '3713', '{"deadline_wd": 3}');
SELECT wagecheck.rule_param('ZZ02', 'deadline_wd') AS dflt,
       wagecheck.rule_param('ZZ02', 'deadline_wd', '371302') AS linyi,
       wagecheck.rule_param('ZZ02', 'deadline_wd', '370102') AS jinan,
       wagecheck.rule_param('ZZ02', 'deadline_wd', '110101') AS beijing;
SELECT wagecheck.rule_param('ZZ02', 'no_such_key');
INSERT INTO wagecheck.rule_param_override VALUES ('ZZ02', '11', '{"deadlin_wd": 2}');
INSERT INTO wagecheck.rule_param_override VALUES ('ZZ02', '3', '{"deadline_wd": 2}');
DELETE FROM wagecheck.rule_param_override;

-- 2026-03-02 is a Monday
INSERT INTO fx (rule, subject, level, since, until, due) VALUES
  ('ZZ01', 'p1', 'G', '2026-03-02 08:00', '2026-03-06 00:00', NULL),   -- G, gone on 03-06
  ('ZZ01', 'p2', 'G', '2026-03-02 08:00', '2026-03-04 00:00', NULL),   -- G, then K from 03-04
  ('ZZ01', 'p2', 'K', '2026-03-04 00:00', NULL, NULL),
  ('ZZ02', 'p3', NULL, '2026-03-02 08:00', '2026-03-05 00:00', NULL),  -- K, rectified on 03-05
  ('ZZ02', 'p4', NULL, '2026-03-02 08:00', NULL, NULL),                -- K, never rectified
  ('ZZ03', 'r1', NULL, '2026-03-02 10:00', NULL, NULL),                -- O, verify due 12:00
  ('ZZ03', 'r2', NULL, '2026-03-02 09:00', NULL, NULL);                -- O, verify due 11:00

CREATE VIEW board AS
  SELECT rule_code, subject_id, tier, state, deadline_on, due_at, opened_at, closed_at
    FROM wagecheck.alert ORDER BY rule_code, subject_id, alert_id;

-- first scan: everything opens; r2's verify deadline is exactly now: not yet overdue
SELECT * FROM wagecheck.scan('2026-03-02 11:00');
SELECT * FROM board;
-- idempotent: the same scan again changes nothing
SELECT count(*) AS events_before FROM wagecheck.alert_event;
SELECT * FROM wagecheck.scan('2026-03-02 11:00');
SELECT count(*) AS events_after FROM wagecheck.alert_event;

-- 03-04 noon: p2 escalates G->K (deadline 5 working days later), r1 and r2 past their 2 hours
SELECT * FROM wagecheck.scan('2026-03-04 12:00');
SELECT * FROM board;
-- verification: due moves to the report deadline (24 h after the report came in)
SELECT state, due_at FROM wagecheck.verify_alert(
    (SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'r1'), '核实：项目部已确认', '2026-03-04 13:00');
-- report before verification is refused; so is a note-less step
SELECT err($$SELECT wagecheck.report_alert((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'r2'), '上报', '2026-03-04 13:00')$$);
SELECT err($$SELECT wagecheck.verify_alert((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'r2'), '  ', '2026-03-04 13:00')$$);
SELECT err($$SELECT wagecheck.verify_alert((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'r2'), 'late', '2026-03-01 13:00')$$);

-- a violation recorded in alert mode raises an alert of its rule
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, occurred_at, details)
VALUES ('ZZ02', 'project', 'p9', '2026-03-05 15:00', '{"amount": 1200}');

-- 03-06: p1 cleared by itself, p3 rectified (awaits confirmation), r1 report overdue, p9 opens
SELECT * FROM wagecheck.scan('2026-03-06 09:00');
SELECT * FROM board;
SELECT subject_id, evidence, details FROM wagecheck.alert WHERE subject_id = 'p9';
SELECT * FROM wagecheck.alert_violation;

-- replay: as of 03-03 the board was the first scan's, and a replay writes nothing
SELECT count(*) AS events_before FROM wagecheck.alert_event;
SELECT * FROM wagecheck.scan('2026-03-03 09:00');
SELECT count(*) AS events_after FROM wagecheck.alert_event;
SELECT rule_code, subject_id, tier, state, deadline_on
  FROM wagecheck.alerts_as_of('2026-03-03 09:00') ORDER BY rule_code, subject_id;
SELECT rule_code, subject_id, tier, state, deadline_on
  FROM wagecheck.alerts_as_of('2026-03-06 09:00') ORDER BY rule_code, subject_id;

-- K closes only through an officer's confirmation once the condition is gone
SELECT err($$SELECT wagecheck.confirm_rectified((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'p4'),
                                   '已整改', '2026-03-06 10:00')$$);
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'p3'), '已补发工资，凭证已核', '2026-03-06 10:00');
SELECT err($$SELECT wagecheck.confirm_rectified((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'p3'),
                                   'again', '2026-03-06 11:00')$$);
-- a violation-only K alert: the officer's confirmation records the rectification too
SELECT state FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'p9'), '款项已退回专户', '2026-03-06 10:00');
SELECT state, closed_at FROM wagecheck.report_alert(
    (SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'r1'), '已报市专班', '2026-03-06 10:30');
-- G alerts have no officer step
SELECT err($$SELECT wagecheck.confirm_rectified((SELECT alert_id FROM wagecheck.alert WHERE subject_id = 'p1'),
                                   'x', '2026-03-06 10:30')$$);
SELECT err($$SELECT wagecheck.confirm_rectified(-1, 'x')$$);

-- 03-09 (deadline day of p4): not overdue yet; the consumed violation and the reported
-- O alert do not come back; a new violation on p9 opens a new alert
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, occurred_at)
VALUES ('ZZ02', 'project', 'p9', '2026-03-08 15:00');
SELECT * FROM wagecheck.scan('2026-03-09 23:59');
-- 03-10: p4 overdue; p3's condition returns: a new K alert (the old one is closed)
UPDATE fx SET until = NULL WHERE subject = 'p3';
SELECT * FROM wagecheck.scan('2026-03-10 08:00');
SELECT * FROM board;
-- rectified then back: the alert reopens, overdue when past its deadline
UPDATE fx SET until = '2026-03-11 00:00' WHERE subject = 'p4';
SELECT * FROM wagecheck.scan('2026-03-11 08:00');
UPDATE fx SET until = NULL WHERE subject = 'p4';
SELECT * FROM wagecheck.scan('2026-03-12 08:00');

-- the whole history of each alert
SELECT a.subject_id, e.at, e.action, e.from_state, e.to_state, e.from_tier, e.to_tier,
       e.deadline_on, e.due_at, e.note, e.actor = current_user AS by_me
  FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 ORDER BY a.subject_id, a.alert_id, e.event_id;

-- one live alert per (rule, subject, period)
SELECT err($$INSERT INTO wagecheck.alert (rule_code, tier, state, subject_kind, subject_id, opened_at, deadline_on, updated_at)
VALUES ('ZZ02', 'K', 'open', 'project', 'p4', now(), current_date, now())$$);
-- the state machine refuses what the lifecycle does not allow
SELECT err($$SELECT wagecheck.alert_transition('K', 'open', 'clear', 'engine')$$);
SELECT err($$SELECT wagecheck.alert_transition('G', 'open', 'clear', 'officer')$$);
SELECT wagecheck.alert_transition('K', 'rectified', 'confirm', 'officer');
SELECT err($$SELECT wagecheck.alert_transition('X', 'open', 'clear', 'engine')$$);
-- scans run at READ COMMITTED only
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM wagecheck.scan('2026-03-12 08:00');
ROLLBACK;
SELECT err($$SELECT * FROM wagecheck.scan(NULL)$$);

-- NOTIFY payloads are written in C as jsonb prints them: the same text for awkward values
-- (quotes, backslashes, control characters, CJK, NULLs) in two time zones
CREATE TEMP TABLE pv (event text, alert bigint, rule text, tier text, state text, kind text,
                      id text, period text, division text, at timestamptz);
INSERT INTO pv VALUES
  ('opened', 1, 'ZZ01', 'G', 'open', 'project', 'p1', '', '371302', '2026-03-02 12:00'),
  ('escalated', 9223372036854775807, 'WP04', 'K', 'overdue', 'worker', '37130219900101001X', '2026-02',
   NULL, '2026-03-02 12:00:00.123456'),
  ('cleared', -5, 'a"b\c', E'\t', E'x\ny\u0001', 'enterprise', '兰山区"建工"', E'/\u007f', '', '1999-12-31 23:59:59.5'),
  (NULL, NULL, NULL, NULL, NULL, NULL, 'p', NULL, NULL, NULL),
  ('opened', 0, 'ZZ02', 'O', 'open', 'k', NULL, 'p', '37', 'infinity');
SELECT count(*) AS payloads, count(*) FILTER (WHERE p IS DISTINCT FROM j) AS differing
  FROM (SELECT wagecheck._alert_payload(event, alert, rule, tier, state, kind, id, period, division, at) AS p,
               jsonb_build_object('event', event, 'alert', alert, 'rule', rule, 'tier', tier,
                                  'state', state, 'subject', kind || ':' || id, 'period', period,
                                  'division', division, 'at', at)::text AS j
          FROM pv, (VALUES ('Asia/Shanghai'), ('America/St_Johns')) z(tz),
               LATERAL set_config('TimeZone', z.tz, true) c) s;
SELECT wagecheck._alert_payload(event, alert, rule, tier, state, kind, id, period, division, at) FROM pv;

-- alerts and their history are kept (triggers, not foreign keys: see 10_engine.sql)
SELECT err($$DELETE FROM wagecheck.alert WHERE subject_id = 'p1'$$);
SELECT err($$TRUNCATE wagecheck.alert CASCADE$$);
SELECT err($$DELETE FROM wagecheck.rule WHERE code = 'ZZ01'$$);
-- a rule without alerts goes; a rule's new code goes to its alerts
BEGIN;
INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, evaluator)
VALUES ('ZZ09', 'G', 'project', '测试', 'test', 'eval_zz01(timestamptz)');
DELETE FROM wagecheck.rule WHERE code = 'ZZ09';
UPDATE wagecheck.rule SET code = 'ZZ08' WHERE code = 'ZZ02';
SELECT rule_code, count(*) FROM wagecheck.alert GROUP BY 1 ORDER BY 1;
SELECT count(*) AS events_of_zz08 FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 WHERE a.rule_code = 'ZZ08';
ROLLBACK;
-- truncated together, both go
BEGIN;
TRUNCATE wagecheck.alert_event, wagecheck.alert CASCADE;
SELECT (SELECT count(*) FROM wagecheck.alert) AS alerts, (SELECT count(*) FROM wagecheck.alert_event) AS events;
ROLLBACK;

DROP EXTENSION wagecheck CASCADE;
