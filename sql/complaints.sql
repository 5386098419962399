-- Complaints and leads: channels, acceptance deadline in working days, accept (case
-- opened the same day) / reject / withdraw, the outbox push, CP01, masking.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

-- every channel; the unit defaults to the one answering for the project's county
INSERT INTO wagecheck.complaint (complaint_id, unit_code, channel, transferred_from, complainant_name, complainant_phone,
                                 workers_count, amount_claimed, project_id, enterprise_id, summary, received_at) VALUES
    (1, NULL, 'hotline_12333', NULL, '张三丰', '13812345678', 12, 86000, 1, NULL, '安置房项目12名木工工资未付', '2020-12-28 09:15'),
    (2, NULL, 'project_qr', NULL, '李小龙', '139-0539-8888', 1, 15000, 3, NULL, '扫码投诉', '2020-12-28 20:40'),
    (3, 'LSRS', 'visit', NULL, '王五', NULL, 3, 9000, NULL, 3, '上门投诉劳务公司', '2021-02-06 10:00'),
    (4, 'LZRS', 'online', NULL, '赵', '0539-1234567', 1, 4000, 4, NULL, '网上投诉', '2021-01-04 08:00'),
    (5, 'LYRS', 'national_platform', NULL, '钱六', NULL, 20, 300000, NULL, NULL, '全国根治欠薪线索反映平台转来', '2021-01-05 14:00'),
    (6, 'LSRS', 'letter', NULL, '孙七', NULL, 2, 5000, 2, NULL, '来信', '2021-01-06 09:00'),
    (7, 'LSRS', 'transfer', '费县人社局', '周八', NULL, 5, 20000, 2, NULL, '外地转办', '2021-01-07 09:00');
SELECT complaint_id, unit_code, channel, received_at::date AS received, accept_due_on, status
  FROM wagecheck.complaint ORDER BY complaint_id;
-- refused records
SELECT pg_temp.try($$INSERT INTO wagecheck.complaint (unit_code, channel, complainant_name) VALUES ('LSRS', 'transfer', '某')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.complaint (unit_code, channel, complainant_name) VALUES ('LSRS', 'fax', '某')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.complaint (unit_code, channel, complainant_name) VALUES ('LSRS', 'visit', ' ')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.complaint (unit_code, channel, complainant_name, status, decided_at)
                     VALUES ('LSRS', 'visit', '某', 'accepted', now())$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.complaint (channel, complainant_name) VALUES ('visit', '无项目无单位')$$);

-- each new complaint was pushed at once, complainant masked
SELECT outbox_id, unit_code, kind, ref_id, payload ->> 'complainant' AS complainant, payload ->> 'phone' AS phone,
       payload ->> 'accept_due_on' AS due
  FROM wagecheck.lead_outbox ORDER BY outbox_id;
SELECT wagecheck.lead_delivered(1, 'mailer@lsrs');
SELECT pg_temp.try($$SELECT wagecheck.lead_delivered(1, 'mailer@lsrs')$$);
SELECT pg_temp.try($$SELECT wagecheck.lead_delivered(999, 'mailer@lsrs')$$);
SELECT count(*) FILTER (WHERE delivered_at IS NULL) AS pending, count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered
  FROM wagecheck.lead_outbox;

-- a waiting complaint handed to the right unit is pushed to it (the deadline runs from receipt)
UPDATE wagecheck.complaint SET unit_code = 'LZRS' WHERE complaint_id = 5;
UPDATE wagecheck.complaint SET summary = summary || '（已转罗庄）' WHERE complaint_id = 5;
SELECT unit_code, kind, ref_id, payload ->> 'handed_over_by' AS handed_over_by FROM wagecheck.lead_outbox
 WHERE ref_id = 5 ORDER BY outbox_id;

-- CP01: not decided within 5 working days (New Year and Spring Festival skipped, swapped Sunday 02-07 counted)
SELECT as_of, h.subject_id, h.level, h.details ->> 'accept_due_on' AS due,
       wagecheck.working_days_between((h.details ->> 'received_at')::timestamptz::date, as_of::date) AS waiting
  FROM unnest(ARRAY['2021-01-05 18:00', '2021-01-06 08:00', '2021-01-14 09:00', '2021-02-18 12:00', '2021-02-19 00:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_cp01(as_of) h ON true
 ORDER BY as_of, h.subject_id::int;

-- accept: the case is opened the same day, numbered by the complaint's unit
SELECT wagecheck.accept_complaint(1, '兰山监察员甲', '2021-01-04 10:30', 80000) AS case_id;
SELECT complaint_id, status, decided_at, decided_by FROM wagecheck.complaint WHERE complaint_id = 1;
SELECT case_no, source, complaint_id, project_id, enterprise_id, workers_affected, amount_owed, filed_on, funding
  FROM wagecheck.case_ledger WHERE complaint_id = 1;
SELECT wagecheck.accept_complaint(2, '罗庄监察员乙', '2021-01-06 16:00') AS case_id;
SELECT case_no, amount_owed, filed_on FROM wagecheck.case_ledger WHERE complaint_id = 2;
-- refused decisions
SELECT pg_temp.try($$SELECT wagecheck.accept_complaint(1, '兰山监察员甲')$$);
SELECT pg_temp.try($$SELECT wagecheck.accept_complaint(3, ' ')$$);
SELECT pg_temp.try($$SELECT wagecheck.accept_complaint(3, '甲', '2021-02-05 10:00')$$);
SELECT pg_temp.try($$SELECT wagecheck.accept_complaint(99, '甲')$$);
SELECT pg_temp.try($$SELECT wagecheck.reject_complaint(4, '乙', NULL)$$);
SELECT pg_temp.try($$SELECT wagecheck.reject_complaint(1, '乙', '重复')$$);
SELECT pg_temp.try($$UPDATE wagecheck.complaint SET status = 'rejected', decision_reason = 'x' WHERE complaint_id = 1$$);
SELECT pg_temp.try($$UPDATE wagecheck.complaint SET received_at = received_at - interval '1 day' WHERE complaint_id = 4$$);
SELECT pg_temp.try($$UPDATE wagecheck.complaint SET unit_code = 'LZRS' WHERE complaint_id = 1$$);
-- an acceptance without its case is refused at commit
BEGIN;
UPDATE wagecheck.complaint SET status = 'accepted', decided_at = '2021-01-08 10:00', decided_by = 'x' WHERE complaint_id = 6;
COMMIT;
SELECT status FROM wagecheck.complaint WHERE complaint_id = 6;
-- reject with a reason; withdraw before and after acceptance
SELECT wagecheck.reject_complaint(4, '罗庄监察员乙', '系工程款纠纷，非农民工工资，告知通过诉讼解决', '2021-01-05 09:00');
SELECT wagecheck.withdraw_complaint(6, '投诉人称已与包工头协商解决', '2021-01-07 11:00');
SELECT pg_temp.try($$SELECT wagecheck.withdraw_complaint(6, '再次撤回')$$);
SELECT wagecheck.accept_complaint(7, '兰山监察员甲', '2021-01-08 09:00') AS case_id;
SELECT wagecheck.withdraw_complaint(7, '投诉人撤回投诉，工资已当面结清', '2021-01-20 15:00');
SELECT c.complaint_id, c.status, c.decision_reason, k.case_no, k.status AS case_status, k.close_kind
  FROM wagecheck.complaint c LEFT JOIN wagecheck.case_ledger k USING (complaint_id) ORDER BY c.complaint_id;
SELECT as_of, h.subject_id FROM unnest(ARRAY['2021-01-14 09:00', '2021-02-19 00:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_cp01(as_of) h ON true ORDER BY 1, 2;
-- the complaints ledger keeps every row
SELECT pg_temp.try($$DELETE FROM wagecheck.complaint WHERE complaint_id = 4$$);

-- analysts see complaints masked
SELECT wagecheck.mask_person_name('张三丰'), wagecheck.mask_person_name('王'), wagecheck.mask_phone('139-0539-8888'),
       wagecheck.mask_phone('12333'), wagecheck.mask_person_name(NULL);
SELECT complaint_id, complainant_name, complainant_phone, workers_count, amount_claimed
  FROM wagecheck.complaint_masked ORDER BY complaint_id;

DROP EXTENSION wagecheck CASCADE;
