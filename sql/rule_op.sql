-- Rule OP01 (public-opinion report, tier O) through the alert engine: the report comes in,
-- is verified within verify_hours and reported within report_hours of receipt, else the
-- alert escalates; the engine follows the verification and the report recorded on the
-- report itself (wagecheck.opinion_report, cases area).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['OP01']);
SELECT code, tier, params FROM wagecheck.rule WHERE code = 'OP01';
SELECT fx.project(50, '371302', '2026-01-05', '2025-12-01');
INSERT INTO wagecheck.opinion_report (report_id, project_id, kind, mass_incident, summary, received_at, created_at)
VALUES (1, 50, 'online_post', false, '网帖反映项目拖欠工资', '2026-03-02 10:00', '2026-03-02 10:00'),
       (2, 50, 'gathering', true, '二十余名工人聚集讨薪', '2026-03-02 10:30', '2026-03-02 10:30');

SELECT * FROM fx.scan('2026-03-02 11:00');   -- both open, verify due 12:00 and 12:30
SELECT * FROM fx.scan('2026-03-02 12:00');   -- report 1: due now, not yet overdue
SELECT * FROM fx.scan('2026-03-02 12:01');   -- report 1: verification overdue (escalated)
SELECT (wagecheck.verify_opinion_report(1, '兰山区人社局 王某', 'confirmed', false, '2026-03-02 12:20')).report_id;
SELECT (wagecheck.verify_opinion_report(2, '兰山区人社局 王某', 'confirmed', true, '2026-03-02 12:25')).report_id;
SELECT * FROM fx.scan('2026-03-02 13:00');   -- both verified (seen in the reports); report due 24 h after receipt
SELECT (wagecheck.report_opinion_report(2, '临沂市根治欠薪专班', '2026-03-02 18:00')).report_id;
SELECT * FROM fx.scan('2026-03-03 10:00');   -- report 2 reported: closed; report 1 due now
SELECT * FROM fx.scan('2026-03-03 10:01');   -- report 1: report overdue (escalated)
SELECT (wagecheck.report_opinion_report(1, '临沂市根治欠薪专班', '2026-03-03 11:00')).report_id;
SELECT * FROM fx.scan('2026-03-03 12:00');   -- reported: closed, and it does not open again
SELECT * FROM fx.scan('2026-03-04 12:00');
SELECT * FROM fx.board;
SELECT a.subject_id, e.at, e.action, e.from_state, e.to_state, e.due_at
  FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 WHERE a.rule_code = 'OP01' ORDER BY a.subject_id, e.event_id;
-- an officer step on a closed O alert is refused
\set VERBOSITY sqlstate
SELECT wagecheck.report_alert((SELECT alert_id FROM wagecheck.alert WHERE subject_id = '1'), '再报', '2026-03-04 13:00');
\set VERBOSITY default
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
