-- pg_dump keeps the case ledger, its counters and identity sequences. The ledger's
-- triggers refuse rows that did not go through its lifecycle (a case inserted
-- closed, a complaint inserted accepted), so a dump is restored with triggers off:
-- PGOPTIONS='-c session_replication_role=replica' pg_restore ...
\set orig_db :DBNAME
CREATE DATABASE wc_cases_dump;
CREATE DATABASE wc_cases_restore;
\c wc_cases_dump
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
INSERT INTO wagecheck.complaint (channel, complainant_name, workers_count, amount_claimed, project_id, received_at)
VALUES ('hotline_12333', '张三', 2, 8000, 1, '2021-01-04 09:00'), ('visit', '李四', 1, 3000, 2, '2021-01-05 09:00');
SELECT wagecheck.accept_complaint(1, '甲', '2021-01-05 10:00') AS case_id;
SELECT wagecheck.reject_complaint(2, '乙', '非欠薪', '2021-01-06 10:00');
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES (1, 8000, '2021-01-20');
SELECT status FROM wagecheck.close_case(1, 'repaid', NULL, '甲', '2021-01-20 17:00');
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'inspection', 1, 3, 9000, '2021-01-25');
INSERT INTO wagecheck.campaign (name, starts_on) VALUES ('2020-21冬季', '2020-11-16');
INSERT INTO wagecheck.campaign_deadline SELECT campaign_id, 'other', NULL, 2021 FROM wagecheck.campaign;
\! "${WC_BINDIR:-$(pg_config --bindir)}/pg_dump" -Fc -f tmp/regress/wc_cases_dump.pgc wc_cases_dump 2>/dev/null
\! PGOPTIONS='-c session_replication_role=replica' "${WC_BINDIR:-$(pg_config --bindir)}/pg_restore" -d wc_cases_restore tmp/regress/wc_cases_dump.pgc
\c wc_cases_restore
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
SELECT (SELECT count(*) FROM wagecheck.complaint) AS complaints, (SELECT count(*) FROM wagecheck.case_ledger) AS cases,
       (SELECT count(*) FROM wagecheck.case_event) AS events, (SELECT count(*) FROM wagecheck.case_repayment) AS repayments,
       (SELECT count(*) FROM wagecheck.lead_outbox) AS leads, (SELECT count(*) FROM wagecheck.campaign_deadline) AS deadlines;
SELECT case_id, case_no, status, close_kind FROM wagecheck.case_ledger ORDER BY case_id;
SELECT wagecheck.case_open_at(1, '2021-01-10'), wagecheck.case_open_at(1, '2021-01-21');
-- numbering and identities continue where the dumped database stopped
INSERT INTO wagecheck.case_ledger (unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES ('LSRS', 'inspection', 2, 1, 1000, '2021-02-01') RETURNING case_id, case_no;
INSERT INTO wagecheck.complaint (channel, complainant_name, project_id, received_at) VALUES ('letter', '王五', 1, '2021-02-01 09:00')
RETURNING complaint_id, unit_code;
-- the triggers are back: the restored closed case is still guarded
SELECT count(*) FROM wagecheck.case_ledger WHERE status = 'closed';
UPDATE wagecheck.case_ledger SET amount_owed = 1 WHERE case_id = 1;
\c :orig_db
DROP DATABASE wc_cases_dump;
DROP DATABASE wc_cases_restore;
