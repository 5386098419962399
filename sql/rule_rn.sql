-- Rules RN01-RN04 (real-name management) on a small fixture, scanned at fixed moments.
-- Every row carries the moment it became known (created_at), so the whole story is
-- loaded first and each scan sees only what was known then.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['RN01', 'RN02', 'RN03', 'RN04']);
SELECT fx.project(10, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(11, '371311', '2026-02-01', '2026-01-10');
SELECT fx.project(12, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 19) i;

-- RN01: a pay sheet of P10 for February made on 03-10: worker 1 on the roster, worker 2
-- not (he is put on it on 03-12), worker 3 put on it the same day (not an alert), worker 4
-- never (his alert goes overdue after 5 working days: deadline 03-17)
SELECT fx.roster(10, 1, '2026-01-05');
SELECT fx.roster(10, 3, '2026-03-10');
UPDATE wagecheck.roster SET created_at = '2026-03-10 09:00' WHERE worker_id = 3;
SELECT fx.roster(10, 2, '2026-03-12');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 10, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
SELECT 1, w, 22, 6000, 6000, '2026-03-10 10:00' FROM unnest('{1,2,3,4}'::int[]) w;
-- P10 keeps attendance current (worker 1 every day)
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 10, 1, d, 8, d + time '18:00' FROM generate_series('2026-02-01'::date, '2026-03-31', '1 day') d;

-- RN02: worker 5 on P10 without a contract; worker 6 signs his on 03-05
SELECT fx.roster(10, 5, '2026-03-01');
SELECT fx.roster(10, 6, '2026-03-01', '2026-03-05');
UPDATE wagecheck.roster SET contract_signed_on = NULL WHERE worker_id = 5;
UPDATE wagecheck.roster SET contract_signed_on = '2026-03-05' WHERE worker_id = 6;

-- RN03: P11's last attendance is on 03-01, then again from 03-09
SELECT fx.roster(11, 7, '2026-02-01');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (3, 11, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
VALUES (3, 7, 20, 6000, 6000, '2026-03-10 10:00');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 11, 7, d, 8, d + time '18:00'
  FROM generate_series('2026-02-01'::date, '2026-03-31', '1 day') d
 WHERE d <= '2026-03-01' OR d >= '2026-03-09';

-- RN04: P12, February: 11 workers (8-18) attend, 10 are on the sheet of 03-10 (18 is not:
-- 1 of 11 = 9% → G); on 03-14 a late attendance record of worker 19 shows up (2 of 12 =
-- 17% > 10% → K); their lines come on 03-16. Pay day: 15th of March, a Sunday → Fri 03-13.
SELECT fx.roster(12, w, '2026-01-05') FROM generate_series(8, 19) w;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 12, w, d, 8, d + time '18:00'
  FROM generate_series(8, 18) w, generate_series('2026-02-02'::date, '2026-02-27', '1 day') d;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 12, 19, d, 8, '2026-03-14 09:00' FROM generate_series('2026-02-02'::date, '2026-02-27', '1 day') d;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 12, 8, d, 8, d + time '18:00' FROM generate_series('2026-03-01'::date, '2026-03-31', '1 day') d;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (2, 12, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
SELECT 2, w, 20, 6000, 6000, CASE WHEN w < 18 THEN '2026-03-10 10:00' ELSE '2026-03-16 10:00' END::timestamptz
  FROM generate_series(8, 19) w;
SELECT wagecheck.wage_pay_date('2026-02-01', 15::smallint, 1::smallint) AS february_pay_date;

SELECT * FROM fx.scan('2026-03-04 12:00');  -- RN02 opens for workers 5 and 6
SELECT * FROM fx.scan('2026-03-05 12:00');  -- worker 6 signed today: cleared
SELECT * FROM fx.scan('2026-03-07 12:00');  -- P11 silent since 03-01: 6 days, not yet
SELECT * FROM fx.scan('2026-03-08 12:00');  -- 7 days: RN03 opens
SELECT * FROM fx.scan('2026-03-09 20:00');  -- attendance again: cleared
SELECT * FROM fx.scan('2026-03-10 12:00');  -- RN01 for workers 2 and 4 (not 3: on the roster since today)
SELECT * FROM fx.scan('2026-03-12 12:00');  -- worker 2 now on the roster: rectified
SELECT * FROM fx.scan('2026-03-13 12:00');  -- pay day of February: RN04 not yet
SELECT * FROM fx.scan('2026-03-14 08:00');  -- the day after: 1 of 11 without payroll → G
SELECT * FROM fx.scan('2026-03-14 10:00');  -- worker 19's attendance known: 2 of 12 → K
SELECT * FROM fx.scan('2026-03-16 12:00');  -- their lines arrive: rectified
SELECT * FROM fx.scan('2026-03-17 12:00');  -- deadline day of worker 4's RN01 alert
SELECT * FROM fx.scan('2026-03-18 12:00');  -- past it: overdue
-- the officer confirms worker 2's rectification; worker 4's is refused (condition still there)
SELECT state, closed_at FROM wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'RN01' AND subject_id = '2'),
    '已补录实名制名册', '2026-03-18 14:00');
\set VERBOSITY sqlstate
SELECT wagecheck.confirm_rectified(
    (SELECT alert_id FROM wagecheck.alert WHERE rule_code = 'RN01' AND subject_id = '4'), '已整改', '2026-03-18 14:00');
\set VERBOSITY default
SELECT * FROM fx.board;
SELECT * FROM fx.history;
-- the supervision ledger lists the live key alerts with the responsible department
SELECT rule_code, unit, state, deadline_on, department_zh, county FROM wagecheck.supervision_ledger
 ORDER BY alert_id;
-- replay: as of 03-14 08:00 the RN04 alert was a G alert
SELECT rule_code, subject_id, period, tier, state FROM wagecheck.alerts_as_of('2026-03-14 08:00')
 WHERE rule_code = 'RN04';
SELECT * FROM fx.scan('2026-03-14 08:00');
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
