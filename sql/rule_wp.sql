-- Rules WP01-WP07 (wage payment) on a small fixture, scanned at fixed moments.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['WP01', 'WP02', 'WP03', 'WP04', 'WP05', 'WP06', 'WP07']);
SELECT fx.project(30, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(31, '371311', '2026-01-05', '2025-12-01');
SELECT fx.project(32, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 11) i;
SELECT fx.roster(30, w, '2026-01-05') FROM generate_series(1, 6) w;
SELECT fx.roster(31, 7, '2026-01-05');
SELECT fx.roster(32, w, '2026-01-05') FROM generate_series(8, 10) w;
SELECT fx.roster(30, 11, '2026-01-05', end_on => '2026-02-11', settled => '2026-03-20');
-- pay days: January's wages on the 15th of February (a Sunday in the Spring Festival
-- holiday: Sat 02-14, a working day by 调休), February's on the 15th of March (a Sunday: Fri 03-13)
SELECT wagecheck.wage_pay_date('2026-01-01', 15::smallint, 1::smallint) AS january,
       wagecheck.wage_pay_date('2026-02-01', 15::smallint, 1::smallint) AS february;

-- WP01: P31 has attendance in February and no pay sheet until 03-20
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 31, 7, d, 8, d + time '18:00' FROM generate_series('2026-02-02'::date, '2026-02-27', '1 day') d;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 30, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (2, 30, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00'),
    (3, 31, 3, '2026-02-01', '2026-03-20', '2026-03-20 10:00'),
    (4, 32, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (5, 32, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
-- P30, February: worker 1 paid in full; worker 2 half (the rest on 04-20); worker 3 owed
-- January and February; worker 4 paid in cash; worker 5 to another card, with exactly the
-- minimum wage for 21.75 days; worker 6 below the minimum wage for 22 days
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (1, 2, 1, 22, 6000, 6000, '2026-03-10 10:00'),
    (2, 2, 2, 22, 6000, 6000, '2026-03-10 10:00'),
    (3, 1, 3, 22, 5000, 5000, '2026-02-10 10:00'),
    (4, 2, 3, 22, 5000, 5000, '2026-03-10 10:00'),
    (5, 2, 4, 22, 4000, 4000, '2026-03-10 10:00'),
    (6, 2, 5, 21.75, 2200, 2200, '2026-03-10 10:00'),
    (7, 2, 6, 22, 2000, 2000, '2026-03-10 10:00'),
    (8, 3, 7, 20, 4000, 4000, '2026-03-20 10:00'),
-- WP06: P32: worker 8 earns 45,000 in January and 50,000.01 in February; worker 9 50,000
    (9, 4, 8, 22, 45000, 45000, '2026-02-10 10:00'),
    (10, 5, 8, 22, 50000.01, 50000.01, '2026-03-10 10:00'),
    (11, 5, 9, 22, 50000, 50000, '2026-03-10 10:00');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT line_id, amount, paid_at::timestamptz, method, card::wagecheck.bank_card, paid_at::timestamptz FROM (VALUES
    (1, 6000, '2026-03-12 10:00', 'account', fx.card(1)),
    (2, 3000, '2026-03-12 10:00', 'account', fx.card(2)),
    (2, 3000, '2026-04-20 10:00', 'account', fx.card(2)),
    (5, 4000, '2026-03-12 10:00', 'cash', NULL),
    (6, 2200, '2026-03-12 10:00', 'account', fx.card(9)),
    (7, 2000, '2026-03-12 10:00', 'account', fx.card(6)),
    (8, 4000, '2026-03-25 10:00', 'account', fx.card(7)),
    (9, 45000, '2026-02-12 10:00', 'account', fx.card(8)),
    (10, 50000.01, '2026-03-12 10:00', 'account', fx.card(8)),
    (11, 50000, '2026-03-12 10:00', 'account', fx.card(9))) v(line_id, amount, paid_at, method, card);
-- in this city the yearly limit of WP06 is lowered to 90,000 (an override for division 3713)
INSERT INTO wagecheck.rule_param_override VALUES ('WP06', '3713', '{"year_amount": 90000}');

SELECT * FROM fx.scan('2026-03-13 12:00');  -- February's pay day: WP02 for January (worker 3), WP04, WP05, WP06
SELECT * FROM fx.scan('2026-03-14 12:00');  -- the day after: WP01 (P31), WP02 February, WP03 (worker 3), WP07 (worker 11)
SELECT * FROM fx.scan('2026-03-16 12:00');  -- worker 3's January: 30 days after its pay day, still G
SELECT * FROM fx.scan('2026-03-20 12:00');  -- ... now K; P31's sheet prepared (WP01 cleared, WP02 for worker 7), worker 11 settled
SELECT * FROM fx.scan('2026-03-25 12:00');  -- worker 7 paid
SELECT * FROM fx.scan('2026-04-13 12:00');  -- worker 2's February: 31 days after its pay day → K
SELECT * FROM fx.scan('2026-04-20 12:00');  -- worker 2 paid in full: rectified
SELECT * FROM fx.board;
SELECT * FROM fx.history;
SELECT rule_code, subject_id, period, details FROM wagecheck.alert
 WHERE rule_code IN ('WP03', 'WP04', 'WP05', 'WP06') ORDER BY alert_id;
-- wages owed as of 03-14, the numbers behind WP02/WP03
SELECT project_id, worker_id, period, pay_date, net, paid, paid_by_pay_date, owed
  FROM wagecheck.wages_owed('2026-03-14 12:00') WHERE project_id = 30 ORDER BY worker_id, period;
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
