-- The summaries kept at write time (attendance_month, wage_month, and with them RN04's
-- attendance_unpaid): every kind of write keeps them equal to a recomputation from the raw
-- rows, and wages_owed/attendance_months (and RN04) read them only when they are exact for
-- the moment asked (else compute from raw rows).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(40, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(41, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 4) i;
SELECT fx.roster(40, w, '2026-01-05') FROM generate_series(1, 3) w;
SELECT fx.roster(41, 4, '2026-01-05');

-- fx.unpaid_raw(): attendance_unpaid computed plainly from the attendance rows and pay lines
CREATE FUNCTION fx.unpaid_raw() RETURNS SETOF wagecheck.attendance_unpaid LANGUAGE sql AS $$
    SELECT DISTINCT date_trunc('month', a.day)::date, a.project_id, a.worker_id
      FROM wagecheck.attendance a
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
                        WHERE s.project_id = a.project_id AND l.worker_id = a.worker_id
                          AND s.period = date_trunc('month', a.day)::date) $$;
-- fx.stale(): rows where a summary differs from a recomputation from the raw rows
CREATE FUNCTION fx.stale() RETURNS TABLE (summary text, diff bigint) LANGUAGE sql AS $$
    SELECT 'attendance_month', count(*) FROM (
        (SELECT project_id, worker_id, period, days, known_to, last_day, first_day, first_known
           FROM wagecheck.attendance_month
         EXCEPT ALL
         SELECT project_id, worker_id, date_trunc('month', day)::date, count(*), max(created_at), max(day),
                min(day), min(created_at)
           FROM wagecheck.attendance
          GROUP BY 1, 2, 3)
        UNION ALL
        (SELECT project_id, worker_id, date_trunc('month', day)::date, count(*), max(created_at), max(day),
                min(day), min(created_at)
           FROM wagecheck.attendance
          GROUP BY 1, 2, 3
         EXCEPT ALL
         SELECT project_id, worker_id, period, days, known_to, last_day, first_day, first_known
           FROM wagecheck.attendance_month)) x
    UNION ALL
    SELECT 'attendance_project_month', count(*) FROM (
        (SELECT project_id, period, workers, known_to, last_day FROM wagecheck.attendance_project_month
         EXCEPT ALL
         SELECT project_id, date_trunc('month', day)::date, count(DISTINCT worker_id), max(created_at), max(day)
           FROM wagecheck.attendance
          GROUP BY 1, 2)
        UNION ALL
        (SELECT project_id, date_trunc('month', day)::date, count(DISTINCT worker_id), max(created_at), max(day)
           FROM wagecheck.attendance
          GROUP BY 1, 2
         EXCEPT ALL
         SELECT project_id, period, workers, known_to, last_day FROM wagecheck.attendance_project_month)) p
    UNION ALL
    SELECT 'wage_month', count(*) FROM (
        (SELECT * FROM wagecheck.wage_month EXCEPT ALL SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL))
        UNION ALL
        (SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL) EXCEPT ALL SELECT * FROM wagecheck.wage_month)) y
    UNION ALL   -- the attendance months without a line of the month on the project's sheets
    SELECT 'attendance_unpaid', count(*) FROM (
        (SELECT * FROM wagecheck.attendance_unpaid EXCEPT ALL SELECT * FROM fx.unpaid_raw())
        UNION ALL
        (SELECT * FROM fx.unpaid_raw() EXCEPT ALL SELECT * FROM wagecheck.attendance_unpaid)) v
$$;
-- fx.same(as_of): the building blocks read from the summaries equal those computed from raw rows
CREATE FUNCTION fx.same(as_of timestamptz) RETURNS TABLE (block text, exact boolean, diff bigint) LANGUAGE sql AS $$
    SELECT 'wages_owed', wagecheck._summary_exact('wages_owed', as_of), count(*) FROM (
        (SELECT * FROM wagecheck._wages_owed_summary(as_of) EXCEPT ALL SELECT * FROM wagecheck._wages_owed_compute(as_of))
        UNION ALL
        (SELECT * FROM wagecheck._wages_owed_compute(as_of) EXCEPT ALL SELECT * FROM wagecheck._wages_owed_summary(as_of))) x
    UNION ALL
    SELECT 'attendance_months', wagecheck._summary_exact('attendance_months', as_of), count(*) FROM (
        (SELECT project_id, worker_id, period, days FROM wagecheck.attendance_month
         EXCEPT ALL SELECT * FROM wagecheck._attendance_months_compute(as_of))
        UNION ALL
        (SELECT * FROM wagecheck._attendance_months_compute(as_of)
         EXCEPT ALL SELECT project_id, worker_id, period, days FROM wagecheck.attendance_month)) y
$$;

-- January and February: attendance, two pay sheets, lines and payments
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT p, w, d, 8, d + time '18:00'
  FROM (VALUES (40, 1), (40, 2), (40, 3), (41, 4)) pw(p, w)
 CROSS JOIN generate_series('2026-01-05'::date, '2026-02-27', '1 day') d
 WHERE extract(isodow FROM d) < 6;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 40, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (2, 40, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00'),
    (3, 41, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (1, 1, 1, 19, 5000, 5000, '2026-02-10 10:00'),
    (2, 1, 2, 19, 5000, 5000, '2026-02-10 10:00'),
    (3, 1, 3, 19, 5000, 5000, '2026-02-10 10:00'),
    (4, 2, 1, 20, 6000, 6000, '2026-03-10 10:00'),
    (5, 2, 2, 20, 6000, 6000, '2026-03-10 10:00'),
    (6, 3, 4, 19, 4000, 4000, '2026-02-10 10:00');
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
SELECT i, line_id, amount, paid_at::timestamptz, 'account', fx.card(w)::wagecheck.bank_card, paid_at::timestamptz
  FROM (VALUES (1, 1, 1, 5000, '2026-02-12 10:00'),
               (2, 2, 2, 3000, '2026-02-12 10:00'),
               (3, 2, 2, 2000, '2026-02-20 10:00'),      -- after January's pay day (02-14)
               (4, 4, 1, 6000, '2026-03-12 10:00'),
               (5, 6, 4, 4000, '2026-02-12 10:00')) v(i, line_id, w, amount, paid_at);
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, days, known_to FROM wagecheck.attendance_month ORDER BY 1, 2, 3;
SELECT project_id, worker_id, period, employer_id, days, payable, net, paid, paid_ats, paid_each, known_to
  FROM wagecheck.wage_month ORDER BY 1, 2, 3;

-- exact only once every summarized row is known (and every attendance day has come);
-- where not (diff > 0 shows why), wages_owed() and attendance_months() compute from raw rows
SELECT * FROM fx.same('2026-03-12 12:00');          -- all known: the summaries are read
SELECT * FROM fx.same('2026-03-12 09:00');          -- payment 4 not yet made
SELECT * FROM fx.same('2026-02-27 12:00');          -- February's sheet not yet known, nor 02-27's attendance
SELECT (SELECT count(*) FROM ((SELECT * FROM wagecheck.wages_owed('2026-03-12 09:00')
                                EXCEPT ALL SELECT * FROM wagecheck._wages_owed_compute('2026-03-12 09:00'))
                               UNION ALL
                               (SELECT * FROM wagecheck._wages_owed_compute('2026-03-12 09:00')
                                EXCEPT ALL SELECT * FROM wagecheck.wages_owed('2026-03-12 09:00'))) x) AS wages_differing,
       (SELECT count(*) FROM ((SELECT * FROM wagecheck.attendance_months('2026-02-27 12:00')
                                EXCEPT ALL SELECT * FROM wagecheck._attendance_months_compute('2026-02-27 12:00'))
                               UNION ALL
                               (SELECT * FROM wagecheck._attendance_months_compute('2026-02-27 12:00')
                                EXCEPT ALL SELECT * FROM wagecheck.attendance_months('2026-02-27 12:00'))) y) AS attendance_differing;
SELECT * FROM wagecheck.wages_owed('2026-03-12 12:00') ORDER BY 1, 2, 4;
SELECT * FROM wagecheck.wages_owed('2026-02-15 12:00') ORDER BY 1, 2, 4;   -- from raw rows: what was known then

-- a correcting line replaces the line it corrects (here on another sheet and month: both change)
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
VALUES (7, 2, 3, 19, 5200, 5200, 3, '2026-03-11 09:00');
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, days, payable, net, paid, known_to
  FROM wagecheck.wage_month WHERE worker_id = 3 ORDER BY period;
SELECT * FROM fx.same('2026-03-12 12:00');
SELECT * FROM fx.same('2026-03-11 08:00');          -- before the correction: raw rows see line 3 in force

-- updates: a payment's amount and moment, a line moved to another sheet, a sheet's month
UPDATE wagecheck.wage_payment SET amount = 2500, paid_at = '2026-02-13 10:00' WHERE payment_id = 3;
UPDATE wagecheck.pay_line SET sheet_id = 3 WHERE line_id = 5;
UPDATE wagecheck.pay_sheet SET period = '2026-03-01' WHERE sheet_id = 2;
SELECT * FROM fx.stale();
SELECT * FROM fx.same('2026-03-12 12:00');
UPDATE wagecheck.pay_sheet SET period = '2026-02-01' WHERE sheet_id = 2;
UPDATE wagecheck.pay_line SET sheet_id = 2 WHERE line_id = 5;
-- attendance: a day moved to another month, a day deleted, a month emptied
UPDATE wagecheck.attendance SET day = '2026-03-02' WHERE project_id = 40 AND worker_id = 1 AND day = '2026-02-27';
DELETE FROM wagecheck.attendance WHERE project_id = 40 AND worker_id = 2 AND day = '2026-02-26';
DELETE FROM wagecheck.attendance WHERE project_id = 41 AND day < '2026-02-01';
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, days FROM wagecheck.attendance_month ORDER BY 1, 2, 3;
-- a month's last payment deleted, then a line and its payments
DELETE FROM wagecheck.wage_payment WHERE payment_id = 5;
DELETE FROM wagecheck.wage_payment WHERE line_id = 4;
DELETE FROM wagecheck.pay_line WHERE line_id = 4;
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, net, paid, paid_ats FROM wagecheck.wage_month ORDER BY 1, 2, 3;
-- attendance dated after the moment asked is not counted: computed from raw rows
SELECT * FROM fx.same('2026-03-01 12:00');

-- bulk loads with session_replication_role = replica (generators, pg_restore) keep them right
SET session_replication_role = replica;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 40, 3, d, 8, d + time '18:00' FROM generate_series('2026-03-02'::date, '2026-03-06', '1 day') d;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, created_at)
VALUES (6, 6, 4000, '2026-02-13 10:00', 'cash', '2026-02-13 10:00');
RESET session_replication_role;
SELECT * FROM fx.stale();

-- RN03 reads the last day attended from attendance_month when it is exact: the same hits as
-- from the attendance rows (project 41 silent since 02-27; on 03-20 project 40 too)
CREATE FUNCTION fx.rn03_raw(as_of timestamptz) RETURNS TABLE (project text, last_attendance date) LANGUAGE sql AS $$
    SELECT p.project_id::text, (SELECT max(a.day) FROM wagecheck.attendance a
                                 WHERE a.project_id = p.project_id AND a.day <= as_of::date AND a.created_at <= as_of)
      FROM wagecheck.project p
     WHERE p.status = 'under_construction' AND p.start_on <= as_of::date - 6
       AND NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                        WHERE a.project_id = p.project_id AND a.day > as_of::date - 7 AND a.day <= as_of::date
                          AND a.created_at <= as_of) $$;
SELECT m.as_of, wagecheck._summary_exact('attendance_months', m.as_of) AS exact,
       (SELECT string_agg(h.subject_id || ' ' || (h.details ->> 'last_attendance'), ', ' ORDER BY h.subject_id)
          FROM wagecheck.eval_rn03(m.as_of) h) AS rn03,
       (SELECT string_agg(r.project || ' ' || r.last_attendance, ', ' ORDER BY r.project)
          FROM fx.rn03_raw(m.as_of) r) AS from_rows
  FROM (VALUES ('2026-03-12 12:00'::timestamptz), ('2026-03-20 12:00'), ('2026-03-05 12:00')) m(as_of);

-- RN04 reads the attendance months without a wage month (attendance_unpaid) and the
-- projects' workers per month when both summaries are exact: the same project-months,
-- attendees and workers without a line as a plain count from the attendance rows and lines
-- known then. Worker 1 (no line for February) is paid on the 28th of the same month from
-- 03-01: February's pay day is 02-27 for him, 03-13 for the others, so on 03-12 only he
-- counts (read per worker), on 03-20 every attendee does (attendance_project_month)
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, pay_day,
                              pay_month_offset, created_at)
VALUES (40, 1, 3, '2026-03-01', '2026-03-01', 28, 0, '2026-03-01 09:00');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at) VALUES
    (41, 4, '2026-03-02', 8, '2026-03-02 18:00');
CREATE FUNCTION fx.rn04_raw(as_of timestamptz) RETURNS TABLE (project text, period text, attendees bigint,
                                                               without_payroll bigint) LANGUAGE sql AS $$
    SELECT m.project_id::text, to_char(m.period, 'YYYY-MM'), count(*),
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line l
                                                JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
                                               WHERE s.project_id = m.project_id AND l.worker_id = m.worker_id
                                                 AND s.period = m.period AND l.created_at <= as_of))
      FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
              FROM wagecheck.attendance a WHERE a.day <= as_of::date AND a.created_at <= as_of) m
      LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = m.project_id AND t.worker_id = m.worker_id
     WHERE wagecheck.wage_pay_date(m.period, coalesce(t.pay_day, 15::smallint),
                                   coalesce(t.pay_month_offset, 1::smallint)) < as_of::date
     GROUP BY 1, 2
    HAVING count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line l
                                                JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
                                               WHERE s.project_id = m.project_id AND l.worker_id = m.worker_id
                                                 AND s.period = m.period AND l.created_at <= as_of)) > 0 $$;
SELECT * FROM fx.stale();
SELECT * FROM wagecheck.attendance_unpaid ORDER BY 1, 2, 3;
SELECT m.as_of, wagecheck._summary_exact('attendance_months', m.as_of)
                AND wagecheck._summary_exact('wages_owed', m.as_of) AS exact,
       (SELECT string_agg(h.subject_id || ' ' || h.period || ' ' || h.level || ' ' || (h.details ->> 'attendees')
                          || '/' || (h.details ->> 'without_payroll'), ', ' ORDER BY h.subject_id, h.period)
          FROM wagecheck.eval_rn04(m.as_of) h) AS rn04,
       (SELECT string_agg(r.project || ' ' || r.period || ' ' || r.attendees || '/' || r.without_payroll, ', '
                          ORDER BY r.project, r.period)
          FROM fx.rn04_raw(m.as_of) r) AS from_rows,
       (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_rn04(m.as_of)
                               EXCEPT ALL SELECT * FROM wagecheck.eval_rn04_projects(m.as_of, '{40,41}'))
                              UNION ALL
                              (SELECT * FROM wagecheck.eval_rn04_projects(m.as_of, '{40,41}')
                               EXCEPT ALL SELECT * FROM wagecheck.eval_rn04(m.as_of))) x) AS by_project_differing
  FROM (VALUES ('2026-03-20 12:00'::timestamptz), ('2026-03-05 12:00'), ('2026-04-20 12:00'),
               ('2026-03-12 09:00')) m(as_of);

-- TRUNCATE (as a generator does it, in replica mode: the case ledger refuses it otherwise):
-- payments alone leave the lines' months, unpaid; attendance empties its summary
SET session_replication_role = replica;
SET client_min_messages = warning;
TRUNCATE wagecheck.wage_payment CASCADE;
RESET client_min_messages;
RESET session_replication_role;
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, net, paid, paid_ats FROM wagecheck.wage_month ORDER BY 1, 2, 3;
SELECT count(*) AS unpaid_attendance_months FROM wagecheck.attendance_unpaid;
TRUNCATE wagecheck.attendance;
SELECT count(*) AS attendance_months FROM wagecheck.attendance_month;
SELECT * FROM fx.stale();

-- with the triggers disabled the summaries go stale; rebuild_summaries() recomputes them
ALTER TABLE wagecheck.pay_line DISABLE TRIGGER wage_month_ins;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (8, 3, 1, 2, 600, 600, '2026-02-10 11:00');
ALTER TABLE wagecheck.pay_line ENABLE ALWAYS TRIGGER wage_month_ins;
SELECT * FROM fx.stale();
SELECT wagecheck.rebuild_summaries();
SELECT * FROM fx.stale();

-- a load in replica mode checks no foreign key: pay lines of workers 9 and 30 and payments of
-- them (to an account that is not worker 9's card; in cash) come before the workers; WP04's
-- rows of the payments are written when the workers come (by their cards then), as a
-- recomputation writes them. The workers come in one statement of ten: pay_line's index is
-- looked at for those between its least and greatest worker_id (1 and 30), not for 40
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (9, 3, 9, 5, 1500, 1500, '2026-02-10 11:00'), (10, 3, 30, 5, 1500, 1500, '2026-02-10 11:00');
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (9, 9, 1500, '2026-02-13 10:00', 'account', fx.card(8)::wagecheck.bank_card, '2026-02-13 10:00'),
       (10, 10, 1500, '2026-02-13 10:00', 'cash', NULL, '2026-02-13 10:00');
SELECT count(*) AS off_card_before_the_workers FROM wagecheck.payment_off_card WHERE worker_id IN (9, 30);
INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card, registered_at)
SELECT id, fx.rid('37130219800101' || lpad(id::text, 3, '0'))::wagecheck.resident_id, '工人' || id,
       fx.luhn('622202' || lpad(id::text, 12, '0'))::wagecheck.bank_card, '2025-01-01'
  FROM unnest(ARRAY[9, 10, 11, 12, 13, 14, 15, 16, 30, 40]) id;
RESET session_replication_role;
SELECT project_id, worker_id, period, payment_id, method, reason FROM wagecheck.payment_off_card
 WHERE worker_id IN (9, 30) ORDER BY worker_id;
SELECT count(*) AS off_card_stale FROM (
    (SELECT * FROM wagecheck.payment_off_card EXCEPT ALL SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL))
    UNION ALL
    (SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL) EXCEPT ALL SELECT * FROM wagecheck.payment_off_card)) o;
SELECT * FROM fx.stale();

-- the summaries are derived data: not dumped with the extension's configuration
SELECT c.relname FROM pg_catalog.pg_extension e CROSS JOIN LATERAL unnest(e.extconfig) t(oid)
  JOIN pg_catalog.pg_class c ON c.oid = t.oid
 WHERE e.extname = 'wagecheck' AND c.relname IN ('attendance_month', 'wage_month', 'attendance_unpaid');
-- and the triggers that keep them fire in replica mode too
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_catalog.pg_trigger
 WHERE tgname ~ '^(attendance|wage)_month_' ORDER BY 1, 2;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
