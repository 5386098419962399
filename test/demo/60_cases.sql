-- The case ledger: complaints become cases, no close-out before the money is paid, the winter campaign
-- Units that receive complaints and hold cases; each case number starts with the unit's code.
SET TimeZone = 'Asia/Shanghai';
SET search_path = wagecheck, public;   -- the identifier types' operators live in schema wagecheck
INSERT INTO wagecheck.case_unit (unit_code, name, level, division, parent_code) VALUES
    ('LYRS', '临沂市人力资源和社会保障局', 'city', '371300', NULL),
    ('LSRS', '兰山区人力资源和社会保障局', 'county', '371302', 'LYRS'),
    ('LZRS', '罗庄区人力资源和社会保障局', 'county', '371311', 'LYRS');
INSERT INTO wagecheck.enterprise (credit_code, name, role, legal_rep, division) VALUES
    ('91371300MA3CAK001Y', '临沂示范城建投资集团', 'owner', '王建国', '371300'),
    ('91371302MA3CAK002Y', '兰山示范建工有限公司', 'general_contractor', '李四海', '371302'),
    ('91371311MA3CAK0033', '罗庄示范路桥有限公司', 'general_contractor', '孙七', '371311');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, status, start_on)
SELECT v.code, v.name, v.division::wagecheck.division_code, v.sector, v.funding, o.enterprise_id, c.enterprise_id,
       'under_construction', '2020-05-01'
  FROM (VALUES ('DEMO-CASE-1', '兰山安置房（政府投资）', '371302', 'housing', 'government', '91371302MA3CAK002Y'),
               ('DEMO-CASE-2', '兰山商业综合体', '371302', 'housing', 'other', '91371302MA3CAK002Y'),
               ('DEMO-CASE-3', '罗庄疏港公路（国企）', '371311', 'transport', 'soe', '91371311MA3CAK0033'),
               ('DEMO-CASE-4', '罗庄水利枢纽', '371311', 'water', 'other', '91371311MA3CAK0033'))
       AS v(code, name, division, sector, funding, contractor)
  JOIN wagecheck.enterprise o ON o.credit_code = '91371300MA3CAK001Y'
  JOIN wagecheck.enterprise c ON c.credit_code = v.contractor::wagecheck.credit_code;
SELECT project_id AS p1 FROM wagecheck.project WHERE code = 'DEMO-CASE-1' \gset
SELECT project_id AS p2 FROM wagecheck.project WHERE code = 'DEMO-CASE-2' \gset
SELECT project_id AS p3 FROM wagecheck.project WHERE code = 'DEMO-CASE-3' \gset
SELECT project_id AS p4 FROM wagecheck.project WHERE code = 'DEMO-CASE-4' \gset

-- Three complaints arrive by the 12333 hotline, a project's QR code and the national clue platform.
-- Each is routed to the county of its project and pushed at once (outbox + NOTIFY wagecheck_lead);
-- the deadline to accept or reject is 5 working days (New Year's Day skipped).
INSERT INTO wagecheck.complaint (channel, complainant_name, complainant_phone, workers_count, amount_claimed,
                                 project_id, summary, received_at) VALUES
    ('hotline_12333', '张三丰', '13812345678', 12, 86000, :p1, '安置房项目12名木工11月起工资未付', '2020-12-28 09:15'),
    ('project_qr', '李小龙', '13905398888', 3, 15000, :p3, '扫码投诉：疏港公路劳务班组欠薪', '2020-12-29 20:40'),
    ('national_platform', '钱六', NULL, 1, 2000, :p2, '全国根治欠薪线索反映平台转来', '2020-12-30 14:00');
SELECT complaint_id, unit_code, channel, complainant_name, complainant_phone, received_at, accept_due_on
  FROM wagecheck.complaint_masked ORDER BY complaint_id;
SELECT unit_code, kind, payload ->> 'complainant' AS complainant, payload ->> 'accept_due_on' AS accept_by
  FROM wagecheck.lead_outbox WHERE kind = 'complaint' ORDER BY outbox_id;

-- Accepting a complaint opens its case the same day (快受理、快立案), numbered per unit and year.
SELECT complaint_id AS c1 FROM wagecheck.complaint WHERE summary LIKE '安置房%' \gset
SELECT complaint_id AS c2 FROM wagecheck.complaint WHERE summary LIKE '扫码投诉%' \gset
SELECT complaint_id AS c3 FROM wagecheck.complaint WHERE summary LIKE '全国%' \gset
SELECT wagecheck.accept_complaint(:c1, '兰山监察员王', '2020-12-29 10:00') AS case_a \gset
SELECT wagecheck.accept_complaint(:c2, '罗庄监察员赵', '2020-12-31 09:00', 15000) AS case_b \gset
SELECT wagecheck.reject_complaint(:c3, '兰山监察员王', '经核实系工程款结算纠纷，已告知通过诉讼解决', '2021-01-04 11:00');
SELECT case_no, source, project_id, workers_affected, amount_owed, filed_on, funding, status
  FROM wagecheck.case_ledger WHERE case_id IN (:case_a, :case_b) ORDER BY case_no;

-- One plan per case (一案一策), a contact log with the complainant, city-level supervision (挂牌督办).
INSERT INTO wagecheck.case_plan (case_id, officer, measures, target_on)
VALUES (:case_a, '兰山监察员王', '约谈总包兰山示范建工，责令动用工资专用账户余额先行清偿', '2021-01-15');
INSERT INTO wagecheck.case_contact (case_id, contacted_at, officer, channel, summary)
VALUES (:case_a, '2020-12-29 15:00', '兰山监察员王', 'phone', '告知已立案，约定1月5日前反馈进展');
INSERT INTO wagecheck.case_supervision (case_id, level, unit_code, listed_on, deadline_on, reason)
VALUES (:case_a, 'city', 'LYRS', '2020-12-30', '2021-01-15', '政府投资项目，涉及12人，市级挂牌督办');

-- 不解决不销账: half the money is paid, and the close-out is refused by the C trigger (SQLSTATE WC050).
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid, note)
VALUES (:case_a, 43000, '2021-01-08', 6, '总包代发第一批');
\set VERBOSITY verbose
SELECT wagecheck.close_case(:case_a, 'repaid', NULL, '兰山监察员王', '2021-01-08 17:00');
\set VERBOSITY default
-- the rest is paid; now the case closes out
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid, note)
VALUES (:case_a, 43000, '2021-01-12', 6, '总包代发第二批');
SELECT case_no, status, close_kind, closed_at FROM wagecheck.close_case(:case_a, 'repaid', NULL, '兰山监察员王', '2021-01-12 17:00');
SELECT case_no, amount_owed, repaid, outstanding, status, plan_officer FROM wagecheck.case_overview
 WHERE case_id IN (:case_a, :case_b) ORDER BY case_no;

-- The 2020-21 winter campaign (两个清零): government and SOE projects by 2020-12-31, all others
-- before the Spring Festival of 2021 — computed from the Chinese calendar (deadline: the eve, 2021-02-11).
INSERT INTO wagecheck.campaign (name, starts_on, ledger_due_on, description)
VALUES ('2020-21冬季根治欠薪专项行动', '2020-11-16', '2020-12-18', '政府工程和国企项目2020年底前全部清零，其他欠薪案件2021年春节前动态清零');
INSERT INTO wagecheck.campaign_deadline (campaign_id, funding, deadline_on, before_spring_festival_of)
SELECT campaign_id, f, CASE WHEN f = 'other' THEN NULL ELSE date '2020-12-31' END, CASE WHEN f = 'other' THEN 2021 END
  FROM wagecheck.campaign, unnest(ARRAY['government', 'soe', 'other']) f WHERE name = '2020-21冬季根治欠薪专项行动';
-- more cases found by inspection during the campaign
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on) VALUES
    ('LSRS', 'inspection', :p2, 4, 40000, '2020-12-05'),
    ('LZRS', 'inspection', :p4, 2, 25000, '2021-01-10');
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on)
SELECT case_id, 40000, '2021-02-05' FROM wagecheck.case_ledger WHERE project_id = :p2 AND source = 'inspection';
SELECT count(*) AS closed FROM wagecheck.case_ledger c,
       LATERAL wagecheck.close_case(c.case_id, 'repaid', NULL, '兰山监察员王', '2021-02-05 16:00') x
 WHERE c.project_id = :p2 AND c.source = 'inspection';
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on)
SELECT case_id, 5000, '2021-02-01' FROM wagecheck.case_ledger WHERE project_id = :p4;

-- Progress per county at the first deadline and on the Spring Festival: cases and amounts to clear,
-- cleared, overdue, and 清零率 (share of the amount owed that was repaid).
SELECT area AS county, deadline_class, deadline_on, cases_to_clear, amount_to_clear, cases_cleared,
       amount_repaid, cases_overdue, amount_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2020-12-31');
SELECT area AS county, deadline_class, deadline_on, cases_to_clear, amount_to_clear, cases_cleared,
       amount_repaid, cases_overdue, amount_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-12');
-- the same by sector regulator (行业主管部门)
SELECT area AS sector, deadline_class, cases_to_clear, amount_to_clear, cases_cleared, amount_repaid,
       cases_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-12', 'sector');

-- Cases still open past their campaign deadline raise CS02 (key tier) in the alert engine.
SELECT subject_id AS case_id, period AS campaign, details ->> 'case_no' AS case_no,
       details ->> 'deadline_on' AS deadline, details ->> 'amount_owed' AS owed, details ->> 'repaid' AS repaid
  FROM wagecheck.eval_cs02('2021-02-12 09:00') ORDER BY 1;
