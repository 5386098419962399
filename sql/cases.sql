-- Case ledger: registration and numbering, the close-out guard (不解决不销账),
-- lawful other ends, reopening, history, plan, contacts, supervision, extensions,
-- repayments and their reversal, and the ledger that never loses a row.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

-- case numbers: format and parse
SELECT wagecheck.case_number('LSRS', 2020, 42);
SELECT * FROM wagecheck.case_number_parts(' lsrs-2020-7 ');
SELECT pg_temp.try($$SELECT wagecheck.case_number_parts('LSRS/2020/7')$$);
SELECT pg_temp.try($$SELECT wagecheck.case_number_parts('LSRS-20-7')$$);
SELECT pg_temp.try($$SELECT wagecheck.case_number_parts('LSRS-2020-0')$$);
SELECT pg_temp.try($$SELECT wagecheck.case_number('lsrs', 2020, 1)$$);
SELECT pg_temp.try($$SELECT wagecheck.case_number('LSRS', 2020, 0)$$);

-- registration from an inspection, an alert and a transfer: numbers per unit and year
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'inspection', 1, 12, 86000, '2020-12-01');
INSERT INTO wagecheck.case_ledger (unit_code, source, alert_ref, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'alert', 'WP03:17', 2, 3, 24000, '2020-12-02');
INSERT INTO wagecheck.case_ledger (unit_code, source, transferred_from, enterprise_id, workers_affected, amount_owed, filed_on)
VALUES ('LZRS', 'transfer', '费县人社局', 4, 2, 9000, '2020-12-03');
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'inspection', 2, 1, 5000, '2021-01-05');
-- a number from an existing ledger is kept, and the counter moves past it
INSERT INTO wagecheck.case_ledger (unit_code, case_no, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'lsrs-2020-40', 'inspection', 1, 4, 12000, '2020-12-04');
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'inspection', 1, 2, 3000, '2020-12-05');
SELECT case_id, case_no, case_year, case_seq, source, enterprise_id, division, sector, funding, status
  FROM wagecheck.case_ledger ORDER BY case_id;
SELECT * FROM wagecheck.case_number_counter ORDER BY 1, 2;
-- refused registrations
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, case_no, source, workers_affected, amount_owed, filed_on)
                     VALUES ('LSRS', 'LZRS-2020-00001', 'inspection', 1, 1, '2020-12-06')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, case_no, source, workers_affected, amount_owed, filed_on)
                     VALUES ('LSRS', 'LSRS-2020-00040', 'inspection', 1, 1, '2020-12-06')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, source, workers_affected, amount_owed, filed_on, status, close_kind, closed_at)
                     VALUES ('LSRS', 'inspection', 1, 1, '2020-12-06', 'closed', 'repaid', '2020-12-06')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, source, workers_affected, amount_owed, filed_on)
                     VALUES ('LSRS', 'complaint', 1, 1, '2020-12-06')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, source, workers_affected, amount_owed, filed_on)
                     VALUES ('NOPE', 'inspection', 1, 1, '2020-12-06')$$);
-- identity of a registered case is fixed
SELECT pg_temp.try($$UPDATE wagecheck.case_ledger SET case_no = 'LSRS-2020-00099' WHERE case_id = 1$$);
SELECT pg_temp.try($$UPDATE wagecheck.case_ledger SET filed_on = '2020-11-30' WHERE case_id = 1$$);

-- close-out while wages are owed is refused (不解决不销账)
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'repaid', NULL, 'officer_wang', '2020-12-20')$$);
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid, note)
VALUES (1, 50000, '2020-12-15', 7, 'first instalment');
SELECT pg_temp.try($$UPDATE wagecheck.case_ledger SET status = 'closed', close_kind = 'repaid', closed_at = '2020-12-20' WHERE case_id = 1$$);
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid, note)
VALUES (1, 36000, '2020-12-22', 5, 'balance');
SELECT case_no, status, close_kind FROM wagecheck.close_case(1, 'repaid', NULL, 'officer_wang', '2020-12-23');
-- other lawful ends need a reason
SELECT pg_temp.try($$SELECT wagecheck.close_case(2, 'police')$$);
SELECT pg_temp.try($$SELECT wagecheck.close_case(2, 'court', '   ')$$);
SELECT case_no, status, close_kind, close_reason
  FROM wagecheck.close_case(2, 'police', '涉嫌拒不支付劳动报酬罪，移送兰山公安分局', 'officer_wang', '2020-12-28');
-- a closed case does not change, is not closed twice, and its records are frozen
SELECT pg_temp.try($$UPDATE wagecheck.case_ledger SET amount_owed = 1 WHERE case_id = 1$$);
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'court', 'again')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_plan (case_id, officer, measures) VALUES (1, 'x', 'y')$$);
SELECT pg_temp.try($$UPDATE wagecheck.case_ledger SET status = 'open', close_kind = NULL, closed_at = NULL WHERE case_id = 1$$);
UPDATE wagecheck.case_ledger SET summary = summary WHERE case_id = 1;
-- reversal of a repayment: only while open
SELECT pg_temp.try($$SELECT wagecheck.reverse_repayment(1, 'bank returned the transfer')$$);
-- reopening: with a reason, logged; the case can then be changed and closed again
SELECT pg_temp.try($$SELECT wagecheck.reopen_case(1, NULL)$$);
SELECT pg_temp.try($$SELECT wagecheck.reopen_case(3, 'why')$$);
SELECT pg_temp.try($$SELECT wagecheck.reopen_case(1, 'before close', '2020-12-22')$$);
SELECT case_no, status, reopen_count, reopen_reason
  FROM wagecheck.reopen_case(1, '工人反映仍有2人未领到工资', '2021-01-04 09:00');
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'court', '判决', 'x', '2021-01-03')$$);
SELECT wagecheck.reverse_repayment(2, 'bank returned the transfer') > 0 AS reversed;
SELECT pg_temp.try($$SELECT wagecheck.reverse_repayment(2, 'twice')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, -100, '2021-01-04')$$);
SELECT pg_temp.try($$UPDATE wagecheck.case_repayment SET amount = 1 WHERE repayment_id = 1$$);
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'repaid', NULL, 'officer_wang', '2021-01-05')$$);
UPDATE wagecheck.case_ledger SET amount_owed = 90000 WHERE case_id = 1;
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid) VALUES (1, 40000, '2021-01-06', 7);
SELECT case_no, status, close_kind FROM wagecheck.close_case(1, 'repaid', NULL, 'officer_wang', '2021-01-06');
SELECT case_id, amount, paid_on, reverses_id FROM wagecheck.case_repayment ORDER BY repayment_id;

-- history: every registration, change, close-out and reopening
SELECT case_id, CASE WHEN kind <> 'updated' THEN at END AS at, kind, details - 'case_no' AS details
  FROM wagecheck.case_event WHERE case_id IN (1, 2) AND kind IN ('registered', 'closed', 'reopened', 'updated')
 ORDER BY event_id;
SELECT wagecheck.case_open_at(1, '2020-12-22'), wagecheck.case_open_at(1, '2020-12-24'),
       wagecheck.case_open_at(1, '2021-01-05'), wagecheck.case_open_at(1, '2021-01-07'),
       wagecheck.case_open_at(1, '2020-11-30');

-- one plan per case (一案一策), revised with history; contact log
INSERT INTO wagecheck.case_plan (case_id, officer, measures, target_on)
VALUES (3, '张警官', '约谈罗庄路桥法定代表人，责令15日内支付', '2020-12-31');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_plan (case_id, officer, measures) VALUES (3, '李', '重复')$$);
UPDATE wagecheck.case_plan SET measures = measures || '；动用工资保证金' WHERE case_id = 3;
INSERT INTO wagecheck.case_contact (case_id, contacted_at, officer, channel, summary)
VALUES (3, '2020-12-04 10:00', '张警官', 'phone', '告知反映人已立案'),
       (3, '2020-12-18 15:30', '张警官', 'visit', '走访工地，核对欠薪名单');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_contact (case_id, officer, channel, summary) VALUES (3, '张', 'fax', 'x')$$);
SELECT kind, coalesce(details ->> 'summary', details ->> 'measures', details -> 'to' ->> 'measures') AS what FROM wagecheck.case_event
 WHERE case_id = 3 AND kind IN ('plan', 'plan_changed', 'contact') ORDER BY event_id;

-- major cases listed for supervision (挂牌督办)
INSERT INTO wagecheck.case_supervision (case_id, level, unit_code, listed_on, deadline_on, reason)
VALUES (3, 'city', 'LYRS', '2020-12-10', '2020-12-31', '涉及农民工人数多，市级挂牌督办');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_supervision (case_id, level, unit_code, listed_on, deadline_on, reason)
                     VALUES (3, 'city', 'LYRS', '2020-12-11', '2020-12-31', 'twice')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_supervision (case_id, level, unit_code, listed_on, deadline_on, reason)
                     VALUES (3, 'county', 'LZRS', '2020-12-11', '2020-12-01', 'deadline before listing')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_supervision (case_id, level, unit_code, listed_on, deadline_on, reason)
                     VALUES (2, 'county', 'LSRS', '2020-12-30', '2021-01-15', 'closed case')$$);
SELECT case_no, amount_owed, repaid, outstanding, due_on, extended, status, plan_officer, supervised, supervision_overdue
  FROM wagecheck.case_overview ORDER BY case_id;

-- time limit: 60 WD from filing (holidays skipped), +30 WD with an approval before it ends
SELECT case_id, filed_on, wagecheck.case_due_on(case_id, '2021-06-01') FROM wagecheck.case_ledger WHERE case_id IN (3, 4);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_extension (case_id, approved_by, approved_at, reason)
                     VALUES (4, '局长', '2021-05-01', 'late')$$);
INSERT INTO wagecheck.case_extension (case_id, approved_by, approved_at, reason)
VALUES (3, '刘局长', '2021-02-20 10:00', '涉案企业资产需司法查封');
SELECT pg_temp.try($$UPDATE wagecheck.case_extension SET extra_wd = 60 WHERE case_id = 3$$);
SELECT wagecheck.case_due_on(3, '2021-02-19'), wagecheck.case_due_on(3, '2021-02-21');
-- CS01 as of several moments: case 3 overdue only after the extended limit
SELECT as_of, h.subject_id, h.details ->> 'due_on' AS due_on, h.details ->> 'extended' AS extended,
       wagecheck.working_days_between((h.details ->> 'due_on')::date, as_of::date) AS wd_over
  FROM unnest(ARRAY['2021-03-01', '2021-03-31', '2021-04-06', '2021-05-20']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_cs01(as_of) h ON true
 ORDER BY as_of, h.subject_id;

-- the ledger never loses a row
SELECT pg_temp.try($$DELETE FROM wagecheck.case_ledger WHERE case_id = 6$$);
SET client_min_messages = warning;
SELECT pg_temp.try($$TRUNCATE wagecheck.case_ledger CASCADE$$);
RESET client_min_messages;
SELECT pg_temp.try($$TRUNCATE wagecheck.case_event$$);
SELECT pg_temp.try($$DELETE FROM wagecheck.case_repayment$$);
SELECT pg_temp.try($$DELETE FROM wagecheck.case_event$$);
SELECT pg_temp.try($$UPDATE wagecheck.case_event SET kind = 'x'$$);
SELECT pg_temp.try($$DELETE FROM wagecheck.case_contact$$);
SELECT count(*) AS cases, (SELECT count(*) FROM wagecheck.case_event) AS events FROM wagecheck.case_ledger;

-- new cases were pushed to their unit
SELECT unit_code, kind, ref_id, payload ->> 'case_no' AS case_no FROM wagecheck.lead_outbox ORDER BY outbox_id;

DROP EXTENSION wagecheck CASCADE;
