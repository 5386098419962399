-- Campaigns (两个清零): deadlines per funding class, one of them computed from the
-- Spring Festival; progress per county and per sector regulator as of any date,
-- on a fixture whose right answers are worked out by hand below; CS02.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

INSERT INTO wagecheck.campaign (campaign_id, name, starts_on, ledger_due_on, description)
VALUES (1, '2020-21冬季根治欠薪专项行动', '2020-11-16', '2020-12-18',
        '政府工程和国企项目欠薪案件2020年底前全部清零，其他欠薪案件2021年春节前动态清零');
INSERT INTO wagecheck.campaign_deadline (campaign_id, funding, deadline_on, before_spring_festival_of) VALUES
    (1, 'government', '2020-12-31', NULL),
    (1, 'soe', '2020-12-31', NULL),
    (1, 'other', NULL, 2021);
SELECT funding, wagecheck.campaign_deadline_on(1, funding) FROM wagecheck.campaign_deadline ORDER BY funding;
-- refused definitions
SELECT pg_temp.try($$INSERT INTO wagecheck.campaign_deadline VALUES (1, 'other', '2021-01-31', 2021)$$);
INSERT INTO wagecheck.campaign (campaign_id, name, starts_on) VALUES (2, '2021-22冬季根治欠薪专项行动', '2021-11-15');
SELECT pg_temp.try($$INSERT INTO wagecheck.campaign_deadline VALUES (2, 'government', '2021-10-31', NULL)$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.campaign_deadline VALUES (2, 'other', NULL, 2021)$$);
INSERT INTO wagecheck.campaign_deadline VALUES (2, 'other', NULL, 2022);
SELECT wagecheck.campaign_deadline_on(2, 'other') AS eve_of_spring_festival_2022;

-- The fixture (county 371302 = 兰山 projects 1 gov/housing and 2 other/housing;
-- county 371311 = 罗庄 projects 3 soe/transport and 4 other/water):
--   A  p1 filed 2020-11-20 owes 100000: repaid 60000 12-20 + 40000 12-30, closed repaid 12-30
--   B  p1 filed 2020-12-10 owes  50000: repaid 20000 12-25, still open
--   C  p3 filed 2020-10-15 owes  80000: open at the start, repaid 80000 12-28, closed 12-29
--   D  p3 filed 2020-09-01 owes  30000: closed (police) 11-10, before the start: not in the campaign
--   E  p2 filed 2020-12-05 owes  40000: repaid 10000 01-20 + 30000 02-05, closed 02-05
--   F  p4 filed 2021-01-10 owes  25000: repaid 5000 02-01, still open
--   G  p4 filed 2021-02-15 owes  10000: after the deadline: not in the campaign
--   H  no project, 罗庄 unit, filed 2020-12-20 owes 6000: closed unsubstantiated 01-15, nothing repaid
INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on) VALUES
    (1, 'LSRS', 'inspection', 1, 10, 100000, '2020-11-20'),
    (2, 'LSRS', 'inspection', 1, 5, 50000, '2020-12-10'),
    (3, 'LZRS', 'inspection', 3, 8, 80000, '2020-10-15'),
    (4, 'LZRS', 'inspection', 3, 3, 30000, '2020-09-01'),
    (5, 'LSRS', 'inspection', 2, 4, 40000, '2020-12-05'),
    (6, 'LZRS', 'inspection', 4, 2, 25000, '2021-01-10'),
    (7, 'LZRS', 'inspection', 4, 1, 10000, '2021-02-15'),
    (8, 'LZRS', 'inspection', NULL, 1, 6000, '2020-12-20');
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on) VALUES
    (1, 60000, '2020-12-20'), (1, 40000, '2020-12-30'), (2, 20000, '2020-12-25'), (3, 80000, '2020-12-28'),
    (5, 10000, '2021-01-20'), (5, 30000, '2021-02-05'), (6, 5000, '2021-02-01');
SELECT count(*) FROM (
    SELECT wagecheck.close_case(1, 'repaid', NULL, 'x', '2020-12-30 17:00')
    UNION ALL SELECT wagecheck.close_case(3, 'repaid', NULL, 'x', '2020-12-29 10:00')
    UNION ALL SELECT wagecheck.close_case(4, 'police', '移送公安', 'x', '2020-11-10 10:00')
    UNION ALL SELECT wagecheck.close_case(5, 'repaid', NULL, 'x', '2021-02-05 16:00')
    UNION ALL SELECT wagecheck.close_case(8, 'unsubstantiated', '经查双方系合伙关系，不属欠薪', 'x', '2021-01-15 11:00')) s;
SELECT case_id, funding, deadline_on, county, sector, amount_owed, repaid, open_at_end, overdue
  FROM wagecheck.campaign_cases('2020-21冬季根治欠薪专项行动', '2021-02-12') ORDER BY case_id;

-- By county at the end of 2020-12-31. Expected by hand:
--  371302 government+soe (12-31): A,B  150000; cleared 1 (A); repaid 100000+20000 = 120000; overdue 0; 0.8000
--  371302 other (02-11):           E    40000; cleared 0; repaid 0; 0.0000
--  371311 government+soe (12-31): C    80000 (D closed before the start); cleared 1; repaid 80000; 1.0000
--  371311 other (02-11):           H     6000 (F not yet filed); cleared 0; repaid 0; 0.0000
SELECT * FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2020-12-31');
-- 2021-01-01: B is now overdue (30000 outstanding); nothing else changes.
SELECT area, deadline_class, cases_to_clear, cases_cleared, cases_overdue, amount_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-01-01');
-- 2021-02-11 (the eve, last day): E cleared (40000, 1.0000); 371311 other: H and F, 31000, cleared 1 (H),
-- repaid 5000, share 5000/31000 = 0.1613, nothing overdue yet.
SELECT * FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-11');
-- 2021-02-12 (Spring Festival): F overdue with 20000 outstanding.
SELECT area, deadline_class, cases_to_clear, amount_to_clear, cases_cleared, amount_repaid, cases_overdue, amount_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-12');
-- By sector regulator at 2021-02-12. Expected by hand:
--  housing   government+soe: A,B 150000, cleared 1, repaid 120000, overdue 1 / 30000, 0.8000
--  housing   other:          E    40000, cleared 1, repaid  40000, 1.0000
--  other     other:          H     6000, cleared 1, repaid      0, 0.0000
--  transport government+soe: C    80000, cleared 1, repaid  80000, 1.0000
--  water     other:          F    25000, cleared 0, repaid   5000, overdue 1 / 20000, 0.2000
SELECT * FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-12', 'sector');
-- reopening a cleared case puts it back: C reopened on 2021-01-05
SELECT status FROM wagecheck.reopen_case(3, '复查发现另有3人未结清', '2021-01-05 09:00');
UPDATE wagecheck.case_ledger SET amount_owed = 95000 WHERE case_id = 3;
SELECT area, deadline_class, amount_to_clear, cases_cleared, amount_repaid, cases_overdue, amount_overdue, cleared_share
  FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-01-06') WHERE area = '371311';
-- refused calls
SELECT pg_temp.try($$SELECT * FROM wagecheck.campaign_progress('no such campaign', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT * FROM wagecheck.campaign_progress('2020-21冬季根治欠薪专项行动', '2021-01-01', 'city')$$);

-- CS02: cases open past their campaign deadline
SELECT as_of, h.subject_id, h.period, h.level, h.details ->> 'deadline_on' AS deadline
  FROM unnest(ARRAY['2020-12-31 23:00', '2021-01-01 08:00', '2021-02-11 12:00', '2021-02-12 08:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_cs02(as_of) h ON true
 ORDER BY as_of, h.subject_id::int;

SELECT (SELECT count(*) FROM wagecheck.campaign_progress_county) AS county_rows,
       (SELECT count(*) FROM wagecheck.campaign_progress_sector) AS sector_rows;
DROP EXTENSION wagecheck CASCADE;
