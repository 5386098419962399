-- Roles in the case area: an inspector works complaints and cases end to end without
-- privileges on the ledger's bookkeeping; a county officer reads only the cases of
-- the county in scope and cannot write; the close-out guard is not blinded by scope.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
CREATE ROLE wc_cases_inspector NOLOGIN IN ROLE wagecheck_inspector;
CREATE ROLE wc_cases_luozhuang NOLOGIN IN ROLE wagecheck_county;
INSERT INTO wagecheck.officer_scope (officer, division_prefix) VALUES ('wc_cases_luozhuang', '371311');
INSERT INTO wagecheck.campaign (name, starts_on) VALUES ('2020-21冬季', '2020-11-16');
INSERT INTO wagecheck.campaign_deadline SELECT campaign_id, f, '2020-12-31', NULL
  FROM wagecheck.campaign, unnest(ARRAY['government', 'soe', 'other']) f;

SET ROLE wc_cases_inspector;
INSERT INTO wagecheck.complaint (channel, complainant_name, workers_count, amount_claimed, project_id, received_at)
VALUES ('hotline_12333', '张三', 2, 8000, 1, '2020-12-01 09:00'), ('visit', '李四', 1, 5000, 3, '2020-12-02 09:00');
SELECT wagecheck.accept_complaint(1, '兰山监察员', '2020-12-02 10:00') AS case_id;
SELECT wagecheck.accept_complaint(2, '罗庄监察员', '2020-12-03 10:00') AS case_id;
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 5000, '2020-12-10');
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'repaid', NULL, '兰山监察员', '2020-12-11 10:00')$$);
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 3000, '2020-12-20');
SELECT case_no, status FROM wagecheck.close_case(1, 'repaid', NULL, '兰山监察员', '2020-12-21 10:00');
SELECT count(*) AS events FROM wagecheck.case_event;
-- the bookkeeping is not the inspector's to write
SELECT pg_temp.try($$INSERT INTO wagecheck.case_event (case_id, at, kind) VALUES (1, now(), 'forged')$$);
SELECT pg_temp.try($$UPDATE wagecheck.case_number_counter SET last_seq = 0$$);
RESET ROLE;

-- the county officer of 罗庄 (371311) sees its case only, and writes nothing
SET ROLE wc_cases_luozhuang;
SELECT case_no, division, status FROM wagecheck.case_ledger;
SELECT case_no, amount_owed, repaid FROM wagecheck.case_overview;
SELECT count(*) AS repayments_seen FROM wagecheck.case_repayment;
SELECT area, cases_to_clear, amount_to_clear FROM wagecheck.campaign_progress('2020-21冬季', '2020-12-31');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_ledger (unit_code, source, workers_affected, amount_owed, filed_on)
                     VALUES ('LZRS', 'inspection', 1, 1, '2020-12-05')$$);
SELECT pg_temp.try($$SELECT complainant_name FROM wagecheck.complaint$$);
SELECT pg_temp.try($$SELECT wagecheck.close_case(2, 'court', '判决')$$);
SELECT pg_temp.try($$SELECT wagecheck.push_lead('LZRS', 'case', 2, '{}')$$);
RESET ROLE;

DROP EXTENSION wagecheck CASCADE;
DROP ROLE wc_cases_inspector;
DROP ROLE wc_cases_luozhuang;
