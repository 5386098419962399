-- The case area's rules in the alert engine: CP01, CS01, CS02, BL01 and OP01 are
-- registered with their parameters and raise alerts through wagecheck.scan.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

SELECT code, tier, subject_kind, name_zh, params, evaluator, builtin
  FROM wagecheck.rule WHERE code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY code;

INSERT INTO wagecheck.complaint (complaint_id, channel, complainant_name, workers_count, amount_claimed, project_id, received_at)
VALUES (1, 'hotline_12333', '张三', 4, 20000, 2, '2021-03-01 09:00');
INSERT INTO wagecheck.opinion_report (report_id, project_id, kind, mass_incident, summary, received_at)
VALUES (1, 3, 'gathering', true, '工人聚集讨薪', '2021-03-08 09:00');
INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES (100, 'LZRS', 'inspection', 3, 12, 60000, '2020-12-01');
INSERT INTO wagecheck.case_order (case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed, max_worker_amount)
VALUES (100, 4, '2021-02-20', '2021-03-02', 60000, 12, 3, 5000);
INSERT INTO wagecheck.campaign (campaign_id, name, starts_on) VALUES (1, '2020-21冬季', '2020-11-16');
INSERT INTO wagecheck.campaign_deadline VALUES (1, 'government', '2020-12-31', NULL), (1, 'soe', '2020-12-31', NULL),
                                               (1, 'other', NULL, 2021);

-- scan as of 2021-03-08 10:00: complaint 1 (due 03-08) not yet late; case 1 past 12-31 (CS02),
-- past 60 WD from 12-01 (due 2021-03-01: CS01); enterprise 4 missed its order (BL01);
-- the opinion report waits for verification (OP01, due 11:00)
SELECT rule_code, hits, opened FROM wagecheck.scan('2021-03-08 10:00')
 WHERE rule_code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY rule_code;
SELECT rule_code, tier, state, subject_kind, subject_id, period, deadline_on, due_at
  FROM wagecheck.alert WHERE rule_code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY rule_code, subject_id;
-- a day later: the complaint is late (CP01); the report was never verified (OP01 overdue)
SELECT rule_code, hits, opened FROM wagecheck.scan('2021-03-09 10:00')
 WHERE rule_code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY rule_code;
SELECT rule_code, tier, state, subject_id, deadline_on
  FROM wagecheck.alert WHERE rule_code IN ('CP01', 'OP01') ORDER BY rule_code, subject_id;
-- the complaint is accepted and the case repaid and closed: CP01, CS01, CS02 (and BL01) rectified
SELECT wagecheck.accept_complaint(1, '兰山监察员', '2021-03-09 11:00') > 0 AS accepted;
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (100, 60000, '2021-03-09');
SELECT status FROM wagecheck.close_case(100, 'repaid', NULL, '罗庄监察员', '2021-03-09 16:00');
-- the missed order stays a ground for listing until an officer decides: declined here
UPDATE wagecheck.case_order SET complied_on = '2021-03-09' WHERE case_id = 100;
SELECT wagecheck.decline_dishonest_listing(4, '临沂市人社局', '逾期3日后全额支付，未造成严重后果', '2021-03-09 17:00') > 0 AS declined;
SELECT rule_code, hits, rectified FROM wagecheck.scan('2021-03-10 09:00')
 WHERE rule_code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY rule_code;
SELECT rule_code, state, subject_id FROM wagecheck.alert
 WHERE rule_code IN ('CP01', 'CS01', 'CS02', 'BL01', 'OP01') ORDER BY rule_code, subject_id;

-- the opinion report is verified and then reported in opinion_report: the O alert follows
SELECT report_id FROM wagecheck.verify_opinion_report(1, '罗庄区人社局', 'confirmed', true, '2021-03-10 10:00');
SELECT rule_code, hits FROM wagecheck.scan('2021-03-10 11:00') WHERE rule_code = 'OP01';
SELECT state FROM wagecheck.alert WHERE rule_code = 'OP01';
SELECT report_id FROM wagecheck.report_opinion_report(1, '临沂市根治欠薪领导小组办公室', '2021-03-10 12:00');
SELECT rule_code, hits, cleared FROM wagecheck.scan('2021-03-10 13:00') WHERE rule_code = 'OP01';
SELECT e.action, e.from_state, e.to_state FROM wagecheck.alert a JOIN wagecheck.alert_event e USING (alert_id)
 WHERE a.rule_code = 'OP01' ORDER BY e.event_id;

DROP EXTENSION wagecheck CASCADE;
