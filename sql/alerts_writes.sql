-- scan()'s writes. A rule's first scan (no alert, no violation: each subject from its hits
-- alone) and a scan that plans with the rule's alerts and violations find the same alerts
-- and events; new alerts are numbered in their subjects' order, their events in step order.
-- A live alert that a scan by project leaves out of its plan is kept, not opened twice.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SET client_min_messages = notice;

-- fixture: the hits of rule `rule` (duplicates of a subject allowed) since a moment
CREATE TABLE public.wx (rule text, subject text, level text, due timestamptz, project bigint,
                        since timestamptz DEFAULT '2026-03-02 08:00');
CREATE FUNCTION public.wx_hits(p_rule text, as_of timestamptz, projects bigint[] DEFAULT NULL)
RETURNS SETOF wagecheck.rule_hit LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT CASE WHEN p_rule = 'ZW03' THEN 'worker' ELSE 'project' END, subject, '', project, NULL::bigint,
           '371302'::wagecheck.division_code, level, due, jsonb_build_object('level', level, 'project', project)
      FROM wx WHERE rule = p_rule AND since <= as_of AND (projects IS NULL OR project = ANY (projects)) $$;
-- ZW01 and ZW02: the same G->K rule over the same hits
CREATE FUNCTION public.eval_zw01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM wx_hits('ZW01', as_of) $$;
CREATE FUNCTION public.eval_zw02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM wx_hits('ZW01', as_of) $$;
-- ZW03: a rule of workers by project, reading wagecheck.project
CREATE FUNCTION public.eval_zw03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM wx_hits('ZW03', as_of) $$;
CREATE FUNCTION public.eval_zw03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = public AS $$ SELECT * FROM wx_hits('ZW03', as_of, projects) $$;
INSERT INTO wagecheck.rule (code, tier, escalates, subject_kind, name_zh, name_en, evaluator) VALUES
    ('ZW01', 'G', true, 'project', '测试升级甲', 'test escalating A', 'public.eval_zw01(timestamptz)'),
    ('ZW02', 'G', true, 'project', '测试升级乙', 'test escalating B', 'public.eval_zw02(timestamptz)');
INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, evaluator, project_evaluator,
                            inputs, time_driven) VALUES
    ('ZW03', 'G', 'worker', '测试按项目', 'test by project', 'public.eval_zw03(timestamptz)',
     'public.eval_zw03_projects(timestamptz, bigint[])', '{project}', false);
SELECT fx.only('{ZW01,ZW02}');

-- hits in no order, some subjects twice: p1 at no level and at K (K wins), p2 at K with a
-- deadline already passed (opens and goes overdue at once) and at G, p10 and p3 at G
INSERT INTO public.wx (rule, subject, level, due) VALUES
    ('ZW01', 'p3', 'G', NULL), ('ZW01', 'p1', NULL, NULL), ('ZW01', 'p2', 'K', '2026-03-01 12:00'),
    ('ZW01', 'p10', 'G', NULL), ('ZW01', 'p1', 'K', NULL), ('ZW01', 'p2', 'G', NULL);
-- ZW02 has a violation recorded (another subject): its scan plans with alerts and violations
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, occurred_at)
VALUES ('ZW02', 'project', 'pv', '2026-03-02 09:00');
SELECT * FROM fx.scan('2026-03-02 12:00');
-- each rule's alerts: numbered in their subjects' order
SELECT rule_code, subject_id, tier, state, deadline_on, evidence, details,
       rank() OVER (PARTITION BY rule_code ORDER BY alert_id) AS nth
  FROM wagecheck.alert ORDER BY rule_code, alert_id;
-- the same alerts and the same events (in order) but for ZW02's violation
SELECT count(*) AS alerts_differing
  FROM (SELECT subject_id, tier, state, deadline_on, due_at, escalated_at, closed_at, evidence, details
          FROM wagecheck.alert WHERE rule_code = 'ZW01'
        EXCEPT ALL
        SELECT subject_id, tier, state, deadline_on, due_at, escalated_at, closed_at, evidence, details
          FROM wagecheck.alert WHERE rule_code = 'ZW02' AND subject_id <> 'pv') d;
SELECT count(*) AS events_differing
  FROM (SELECT a.subject_id, e.action, e.from_state, e.to_state, e.from_tier, e.to_tier, e.deadline_on,
               rank() OVER (ORDER BY e.event_id)
          FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id) WHERE a.rule_code = 'ZW01'
        EXCEPT ALL
        SELECT a.subject_id, e.action, e.from_state, e.to_state, e.from_tier, e.to_tier, e.deadline_on,
               rank() OVER (ORDER BY e.event_id)
          FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
         WHERE a.rule_code = 'ZW02' AND a.subject_id <> 'pv') d;
-- events in the subjects' order, then in step order
SELECT a.rule_code, a.subject_id, e.action, e.from_state, e.to_state, e.to_tier, e.deadline_on
  FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 ORDER BY e.event_id;
-- next day: p3 goes, p1 stays: the same on both rules (both plan with their alerts now)
DELETE FROM public.wx WHERE subject = 'p3';
SELECT * FROM fx.scan('2026-03-03 12:00');
SELECT rule_code, subject_id, tier, state FROM wagecheck.alert ORDER BY rule_code, alert_id;

-- ZW03: w1 hit on project 1; after its first scan, the hit moves to project 2 and project 2
-- is written: the scan evaluates project 2 only and plans its alerts (w1's is on project 1)
SELECT fx.only('{ZW03}');
SELECT fx.project(1, '371302', '2025-03-01', '2025-02-01'), fx.project(2, '371302', '2025-03-01', '2025-02-01');
INSERT INTO public.wx (rule, subject, level, project) VALUES ('ZW03', 'w1', NULL, 1);
SELECT rule_code, hits, opened FROM fx.scan('2026-03-02 12:00');
UPDATE public.wx SET project = 2 WHERE subject = 'w1';
UPDATE wagecheck.project SET notice_board_on = notice_board_on WHERE project_id = 2;
SELECT rule_code, opened, escalated, cleared FROM fx.scan('2026-03-02 13:00');
SELECT code, projects FROM wagecheck.rule_eval_state WHERE code = 'ZW03';
-- one live alert of w1, opened once
SELECT a.subject_id, a.state, a.project_id, count(e.*) AS events
  FROM wagecheck.alert a JOIN wagecheck.alert_event e USING (alert_id)
 WHERE a.rule_code = 'ZW03' GROUP BY a.alert_id ORDER BY a.alert_id;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
DROP TABLE public.wx;
