-- Per-division rule parameters of the time-driven rules (the evaluators and the engine read
-- each parameter once per division): three projects in three counties of Linyi, the same
-- facts on each, and overrides for Luozhuang (371311), for the city (3713) and for Lanshan
-- (371302): the longest matching prefix wins, a county without one gets the city's or the
-- catalogue's value.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['RN03', 'RN04', 'AC01', 'NB01', 'WP02', 'WP03', 'WP07']);
-- P1 in Lanshan 371302, P2 in Luozhuang 371311, P3 in Hedong 371312: contracts signed on
-- 2026-01-05, work started on 2026-02-02, no notice board, no dedicated account
SELECT fx.project(id, d, '2026-02-02', '2026-01-05')
  FROM (VALUES (1, '371302'), (2, '371311'), (3, '371312')) v(id, d);
UPDATE wagecheck.project SET notice_board_on = NULL;
INSERT INTO wagecheck.rule_param_override (code, division_prefix, params) VALUES
    ('NB01', '371311', '{"board_days": 3}'),
    ('RN03', '371311', '{"gap_days": 3}'),
    ('AC01', '3713', '{"open_days": 10}'),
    ('AC01', '371302', '{"open_days": 40}'),
    ('AC01', '371311', '{"deadline_wd": 2}'),
    ('RN04', '371311', '{"k_share": 0.9}'),
    ('WP02', '371311', '{"k_days": 5}'),
    ('WP03', '371311', '{"min_months": 3}'),
    ('WP07', '371311', '{"settle_days": 5}');

-- AC01: 35 days after the contract: over the city's 10 days in Luozhuang and Hedong, not
-- over Lanshan's 40
SELECT subject_id, details FROM wagecheck.eval_ac01('2026-02-09 12:00') ORDER BY 1;
-- NB01: 4 days after the start Luozhuang's 3 board days are over, the catalogue's 7 not
SELECT subject_id FROM wagecheck.eval_nb01('2026-02-06 12:00') ORDER BY 1;
SELECT subject_id FROM wagecheck.eval_nb01('2026-02-10 12:00') ORDER BY 1;

-- each project: workers 1 and 2 (pay day the 15th of the next month), attendance every day
-- of February up to 02-20; worker 2 of each project has no February pay line
SELECT fx.worker(w) FROM generate_series(1, 6) w;
SELECT fx.roster(p, w, '2026-02-02') FROM (VALUES (1, 1), (1, 2), (2, 3), (2, 4), (3, 5), (3, 6)) v(p, w);
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT r.project_id, r.worker_id, d, 8, d + time '18:00'
  FROM wagecheck.roster r CROSS JOIN generate_series('2026-02-02'::date, '2026-02-20', '1 day') d;
-- RN03: 4 days without attendance: over Luozhuang's 3, not the catalogue's 7
SELECT subject_id, details FROM wagecheck.eval_rn03('2026-02-24 12:00') ORDER BY 1;
SELECT subject_id FROM wagecheck.eval_rn03('2026-02-28 12:00') ORDER BY 1;

-- January and February pay sheets: workers 1, 3 and 5 owed both months (nothing paid),
-- workers 2, 4 and 6 have no February line
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
SELECT p * 10 + m, p, 3, make_date(2026, m, 1), make_date(2026, m + 1, 5), make_date(2026, m + 1, 5) + time '10:00'
  FROM generate_series(1, 3) p CROSS JOIN generate_series(1, 2) m;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
SELECT p * 10 + m, w, 20, 6000, 6000, make_date(2026, m + 1, 5) + time '10:00'
  FROM (VALUES (1, 1), (2, 3), (3, 5)) v(p, w) CROSS JOIN generate_series(1, 2) m;
-- RN04 after February's pay day (2026-03-13, a Friday: the 15th is a Sunday): 1 of 2
-- attendees without a line, over the catalogue's 10% (K), not over Luozhuang's 90% (G)
SELECT wagecheck.wage_pay_date('2026-02-01', 15::smallint, 1::smallint) AS february_pay_day;
SELECT subject_id, period, level, details FROM wagecheck.eval_rn04('2026-03-16 12:00') ORDER BY 1;
-- WP02: February's wages owed 6 days after the pay day: K in Luozhuang (5 days), G elsewhere
SELECT subject_id, period, level FROM wagecheck.eval_wp02('2026-03-19 12:00') WHERE period = '2026-02' ORDER BY 1;
-- WP03: two consecutive months owed: enough for the catalogue's 2, not Luozhuang's 3
SELECT subject_id, details ->> 'months' AS months FROM wagecheck.eval_wp03('2026-03-19 12:00') ORDER BY 1;

-- WP07: workers 2, 4 and 6 left on 03-01 without settlement: 6 days later over Luozhuang's
-- 5 settle days, not the catalogue's 30
UPDATE wagecheck.roster SET end_on = '2026-03-01' WHERE worker_id IN (2, 4, 6);
SELECT subject_id, details ->> 'worker_id' AS worker FROM wagecheck.eval_wp07('2026-03-07 12:00') ORDER BY 1;

-- the engine: AC01's rectification deadline is 2 working days in Luozhuang, 5 elsewhere;
-- RN04 opens G in Luozhuang, K elsewhere
SELECT fx.only(ARRAY['AC01', 'RN04']);
SELECT * FROM fx.scan('2026-03-16 12:00');
SELECT * FROM fx.board;
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
