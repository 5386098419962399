-- Dishonest list (失信联合惩戒): BL01 proposals from missed orders to pay at the
-- provincial threshold or with a confirmed mass incident; parameters per province;
-- the officer's listing or refusal; the 3-year term, early removal and police referral.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, enterprise_id, workers_affected, amount_owed, filed_on) VALUES
    (1, 'LZRS', 'inspection', 3, 4, 12, 60000, '2020-12-20'),
    (2, 'LSRS', 'inspection', 2, 2, 1, 12000, '2020-12-21'),
    (3, 'LSRS', 'inspection', 1, 3, 5, 20000, '2020-12-22'),
    (4, 'LSRS', 'inspection', 1, 2, 2, 8000, '2020-12-23');
-- orders to pay by a deadline (责令限期支付)
INSERT INTO wagecheck.case_order (order_id, case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed,
                                  max_worker_amount, complied_on) VALUES
    (1, 1, 4, '2021-01-05', '2021-01-15', 60000, 12, 2, 8000, NULL),    -- 12 workers, 60000: the 10-worker clause
    (2, 2, 2, '2021-01-05', '2021-01-15', 12000, 1, 4, 12000, NULL),    -- one worker, 4 months, 12000
    (3, 3, 3, '2021-01-05', '2021-01-15', 20000, 5, 2, 5000, NULL),     -- below the threshold
    (4, 4, 2, '2021-01-05', '2021-01-15', 8000, 2, 1, 4000, '2021-01-14'); -- met in time
SELECT pg_temp.try($$INSERT INTO wagecheck.case_order (case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed, max_worker_amount)
                     VALUES (1, 4, '2021-01-05', '2021-01-04', 1, 1, 1, 1)$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_order (case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed, max_worker_amount)
                     VALUES (1, 4, '2021-01-05', '2021-01-15', 100, 2, 1, 200)$$);

-- BL01: nothing while the orders can still be met; the next day two enterprises
SELECT as_of, h.subject_id, h.level, h.details -> 'order_ids' AS orders, h.details ->> 'by_threshold' AS threshold,
       h.details ->> 'by_mass_incident' AS mass
  FROM unnest(ARRAY['2021-01-15 18:00', '2021-01-16 09:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_bl01(as_of) h ON true ORDER BY 1, 2;
-- a province with a higher threshold (Shandong at 70000 for 10 workers): enterprise 4 drops out
INSERT INTO wagecheck.rule_param_override (code, division_prefix, params) VALUES ('BL01', '37', '{"total_amount": 70000}');
SELECT h.subject_id FROM wagecheck.eval_bl01('2021-01-16 09:00') h ORDER BY 1;
DELETE FROM wagecheck.rule_param_override WHERE code = 'BL01';
-- a confirmed mass incident on the project of order 3 makes enterprise 3 a candidate too
INSERT INTO wagecheck.opinion_report (report_id, project_id, enterprise_id, kind, mass_incident, summary, received_at)
VALUES (1, 1, 3, 'gathering', true, '30余名工人堵门讨薪', '2021-01-18 08:00');
SELECT h.subject_id, h.details ->> 'by_mass_incident' AS mass, h.details -> 'mass_incident_reports' AS reports
  FROM wagecheck.eval_bl01('2021-01-19 09:00') h ORDER BY 1;
SELECT FROM wagecheck.verify_opinion_report(1, '兰山区人社局', 'confirmed', true, '2021-01-18 09:00');
SELECT h.subject_id, h.details ->> 'by_mass_incident' AS mass, h.details -> 'mass_incident_reports' AS reports
  FROM wagecheck.eval_bl01('2021-01-19 09:00') h ORDER BY 1;

-- the officer decides: list enterprise 4, decline enterprise 2
SELECT wagecheck.list_dishonest(4, '临沂市人社局', '拒不执行限期支付指令，拖欠12名农民工工资60000元', '2021-01-25',
                                ARRAY['孙七（法定代表人）', '钱八（项目经理）']) AS listing_id;
SELECT listing_id, enterprise_id, legal_rep, responsible_persons, order_ids, listed_on, ends_on
  FROM wagecheck.dishonest_listing;
SELECT wagecheck.decline_dishonest_listing(2, '兰山区人社局', '已全额支付，情节轻微', '2021-01-26 10:00') AS declined_id;
SELECT pg_temp.try($$SELECT wagecheck.decline_dishonest_listing(1, 'x', 'not proposed', '2021-01-26 10:00')$$);
SELECT h.subject_id FROM wagecheck.eval_bl01('2021-01-27 09:00') h ORDER BY 1;
-- a new missed order proposes enterprise 2 again
INSERT INTO wagecheck.case_order (order_id, case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed, max_worker_amount)
VALUES (5, 2, 2, '2021-02-01', '2021-02-10', 15000, 1, 5, 15000);
SELECT h.subject_id, h.details -> 'order_ids' AS orders FROM wagecheck.eval_bl01('2021-02-18 09:00') h ORDER BY 1;

-- one listing at a time; the term
SELECT pg_temp.try($$INSERT INTO wagecheck.dishonest_listing (enterprise_id, reason, decided_by, listed_on)
                     VALUES (4, 'again', 'x', '2022-01-01')$$);
SELECT d, wagecheck.dishonest_listed(4, d)
  FROM unnest(ARRAY['2021-01-24', '2021-01-25', '2024-01-24', '2024-01-25']::date[]) d;
-- the decision is final; police referral recorded once
SELECT pg_temp.try($$UPDATE wagecheck.dishonest_listing SET reason = 'softer' WHERE listing_id = 1$$);
UPDATE wagecheck.dishonest_listing SET police_referred_on = '2021-02-01', police_ref = '罗公（经）立字〔2021〕15号' WHERE listing_id = 1;
SELECT pg_temp.try($$UPDATE wagecheck.dishonest_listing SET police_referred_on = NULL, police_ref = NULL WHERE listing_id = 1$$);
-- early removal (信用修复): repaid, 6 months after the correction, a written pledge
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-09-01', '2021-03-01', '2021-08-30', '已整改')$$);
UPDATE wagecheck.case_order SET complied_on = '2021-03-01' WHERE order_id = 1;
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-08-31', '2021-03-01', '2021-08-30', '已整改')$$);
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-09-01', NULL, '2021-08-30', '已整改')$$);
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-09-01', '2021-03-01', NULL, '已整改')$$);
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-09-01', '2021-03-01', '2021-09-02', '已整改')$$);
SELECT wagecheck.remove_dishonest_listing(1, '2021-09-01', '2021-03-01', '2021-08-30', '已全额支付并作出信用承诺，提前移出');
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(1, '2021-10-01', '2021-03-01', '2021-08-30', 'again')$$);
SELECT pg_temp.try($$SELECT wagecheck.remove_dishonest_listing(9, '2021-10-01', '2021-03-01', '2021-08-30', 'none')$$);
SELECT d, wagecheck.dishonest_listed(4, d) FROM unnest(ARRAY['2021-08-31', '2021-09-01']::date[]) d;
-- what BL02 reads
SELECT enterprise_id, listed_on, ends_on, removed_on FROM wagecheck.dishonest_listing;
-- the list keeps every row
SELECT pg_temp.try($$DELETE FROM wagecheck.dishonest_listing$$);
SELECT pg_temp.try($$DELETE FROM wagecheck.dishonest_declined$$);

DROP EXTENSION wagecheck CASCADE;
