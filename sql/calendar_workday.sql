-- Working-day arithmetic over the official holiday arrangements (wagecheck.holiday).
CREATE EXTENSION wagecheck;
\set VERBOSITY default

-- The shipped arrangements: 2020-2026, registered for pg_dump of user rows only.
SELECT count(*) AS shipped_days, min(day), max(day), bool_and(shipped) AS all_shipped,
       count(*) FILTER (WHERE kind = 'work') AS swapped_working_days
  FROM wagecheck.holiday;
SELECT count(DISTINCT extract(year FROM day)) AS years FROM wagecheck.holiday;
SELECT c.relname, x.extcondition
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, extcondition)
  JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'wagecheck' AND c.relname = 'holiday';

-- The 2024 Spring Festival: 02-10..17 off, Sundays 02-04 and 02-18 worked (调休).
SELECT d::date AS day, to_char(d, 'Dy') AS dow, wagecheck.is_working_day(d::date) AS working
  FROM generate_series(DATE '2024-02-03', DATE '2024-02-19', '1 day') AS d;

-- add_working_days across holiday blocks and swapped weekends, forwards and backwards.
SELECT a.day, a.n, wagecheck.add_working_days(a.day, a.n) AS result
  FROM (VALUES (DATE '2024-02-09', 1),     -- Friday before the block -> the worked Sunday 02-18
               (DATE '2024-02-02', 1),     -- Friday -> the worked Sunday 02-04
               (DATE '2024-02-18', -1),    -- back over the block -> 02-09
               (DATE '2024-02-12', 0),     -- zero: the day itself, even a holiday
               (DATE '2025-09-26', 6),     -- over National Day 2025 -> the worked Saturday 10-11
               (DATE '2025-10-11', -6),
               (DATE '2025-09-30', 1),     -- -> 10-09
               (DATE '2020-01-23', 1),     -- the 2020 block extended to 02-02 -> 02-03
               (DATE '2026-02-13', 1),     -- 2026: Saturday 02-14 worked
               (DATE '2026-02-14', 1),     -- 02-15..23 off -> 02-24
               (DATE '2025-12-31', 1),     -- 2026-01-01..03 off -> Sunday 01-04 worked
               (DATE '2024-01-02', 60),    -- a 60-working-day case deadline
               (DATE '2024-12-31', -250)) AS a(day, n);

-- working_days_between counts (a, b]; negative when b < a.
SELECT wagecheck.working_days_between(DATE '2024-02-09', DATE '2024-02-18') AS over_block,
       wagecheck.working_days_between(DATE '2024-02-18', DATE '2024-02-09') AS reversed,
       wagecheck.working_days_between(DATE '2025-09-26', DATE '2025-10-12') AS national_day,
       wagecheck.working_days_between(DATE '2024-02-01', DATE '2024-02-29') AS february_2024,
       wagecheck.working_days_between(DATE '2024-01-01', DATE '2024-12-31') AS year_2024,
       wagecheck.working_days_between(DATE '2025-01-01', DATE '2025-01-01') AS same_day;

-- Agrees with counting day by day, and inverts add_working_days, over 2020-2026.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE wagecheck.working_days_between(a, b) <>
                        (SELECT count(*) FROM generate_series(a + 1, b, '1 day') AS d
                          WHERE wagecheck.is_working_day(d::date))) AS count_mismatches
  FROM (SELECT DATE '2020-01-01' + i * 37 AS a,
               least(DATE '2020-01-01' + i * 37 + (i * 53) % 400, DATE '2026-12-31') AS b
          FROM generate_series(0, 60) AS i) AS p;
SELECT count(*) AS steps,
       count(*) FILTER (WHERE wagecheck.working_days_between(d, wagecheck.add_working_days(d, n)) <> n)
           AS roundtrip_mismatches
  FROM generate_series(DATE '2020-01-01', DATE '2026-11-01', '5 days') AS g(ts),
       LATERAL (SELECT g.ts::date AS d) AS x,
       generate_series(0, 40, 7) AS n;

-- pay_day: a pay day on a holiday or rest day moves to the last working day before it.
SELECT p.day, to_char(p.day, 'Dy') AS dow, wagecheck.pay_day(p.day) AS paid_on
  FROM (VALUES (DATE '2024-02-15'),   -- Spring Festival holiday -> Friday 02-09
               (DATE '2024-02-04'),   -- worked Sunday: stays
               (DATE '2024-02-03'),   -- plain Saturday -> Friday
               (DATE '2025-10-05'),   -- National Day -> 09-30
               (DATE '2025-10-10'),   -- working Friday: stays
               (DATE '2026-02-20'),   -- Spring Festival 2026 -> the worked Saturday 02-14
               (DATE '2026-01-03')) AS p(day);   -- New Year 2026 -> 2025-12-31

-- A year without holiday rows falls back to Saturday/Sunday and says so once per backend and year.
SELECT wagecheck.is_working_day(DATE '2027-03-01') AS monday_2027;
SELECT wagecheck.is_working_day(DATE '2027-03-06') AS saturday_2027;   -- no second NOTICE
SELECT wagecheck.add_working_days(DATE '2026-12-31', 300);            -- reaches 2028: one NOTICE, for 2028
SELECT wagecheck.working_days_between(DATE '2018-06-01', DATE '2031-06-01');  -- 2018-2019 and 2029-2031
SELECT wagecheck.working_days_between(DATE '2018-06-01', DATE '2031-06-01');  -- quiet now

-- The cache follows changes of the table at once in this session (and in others after
-- commit: test/isolation/specs/calendar_cache.spec).
SELECT wagecheck.is_working_day(DATE '2026-11-30') AS before_insert;
INSERT INTO wagecheck.holiday VALUES (DATE '2026-11-30', 'off', 'test day off');
SELECT wagecheck.is_working_day(DATE '2026-11-30') AS after_insert,
       wagecheck.add_working_days(DATE '2026-11-27', 1) AS next_after_friday;
UPDATE wagecheck.holiday SET kind = 'work' WHERE day = DATE '2026-11-30';
SELECT wagecheck.is_working_day(DATE '2026-11-30') AS after_update;
DELETE FROM wagecheck.holiday WHERE day = DATE '2026-11-30';
SELECT wagecheck.add_working_days(DATE '2026-11-27', 1) AS after_delete;
BEGIN;
INSERT INTO wagecheck.holiday VALUES (DATE '2026-12-01', 'off', 'rolled back');
SELECT wagecheck.is_working_day(DATE '2026-12-01') AS inside_transaction;
ROLLBACK;
SELECT wagecheck.is_working_day(DATE '2026-12-01') AS after_rollback;
-- Shipped arrangements stay as shipped (pg_dump keeps only user rows): changes are refused.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q, pg_temp.error_of(q) AS error
  FROM (VALUES ($q$UPDATE wagecheck.holiday SET kind = 'work' WHERE day = '2024-02-12'$q$),
               ($q$DELETE FROM wagecheck.holiday WHERE day = '2024-02-12'$q$),
               ($q$TRUNCATE wagecheck.holiday$q$),
               ($q$INSERT INTO wagecheck.holiday VALUES ('2027-10-01', 'off', '国庆节', true)$q$),
               ($q$INSERT INTO wagecheck.holiday VALUES ('2027-10-01', 'off', '国庆节')$q$),
               ($q$UPDATE wagecheck.holiday SET shipped = true WHERE day = '2027-10-01'$q$),
               ($q$UPDATE wagecheck.holiday SET name = '国庆节（2027）' WHERE day = '2027-10-01'$q$),
               ($q$DELETE FROM wagecheck.holiday WHERE day = '2027-10-01'$q$)) AS t(q);
SELECT wagecheck.is_working_day(DATE '2024-02-12') AS still_off, count(*) AS rows
  FROM wagecheck.holiday;
-- a user-added year: 2027 (no longer falls back)
INSERT INTO wagecheck.holiday VALUES (DATE '2027-01-01', 'off', '元旦');
SELECT wagecheck.is_working_day(DATE '2027-01-01') AS new_year_2027, shipped
  FROM wagecheck.holiday WHERE day = DATE '2027-01-01';

-- NULL in, NULL out (STRICT); the markings are what they claim.
SELECT wagecheck.is_working_day(NULL) IS NULL AS a,
       wagecheck.add_working_days(NULL, 1) IS NULL AS b,
       wagecheck.add_working_days(DATE '2024-01-01', NULL) IS NULL AS c,
       wagecheck.working_days_between(NULL, DATE '2024-01-01') IS NULL AS d,
       wagecheck.pay_day(NULL) IS NULL AS e;
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace
   AND p.proname IN ('is_working_day', 'add_working_days', 'working_days_between', 'pay_day',
                     'holiday_changed', 'holiday_guard')
 ORDER BY p.oid::regprocedure::text;

-- Bad arguments: SQLSTATE and message.
SELECT q, pg_temp.error_of(q) AS error
  FROM (VALUES ($q$SELECT wagecheck.is_working_day('infinity')$q$),
               ($q$SELECT wagecheck.add_working_days('-infinity', 1)$q$),
               ($q$SELECT wagecheck.pay_day('infinity')$q$),
               ($q$SELECT wagecheck.working_days_between('2024-01-01', 'infinity')$q$),
               ($q$SELECT wagecheck.add_working_days('5874897-12-30', 10)$q$),
               ($q$SELECT wagecheck.add_working_days('2024-01-01', 2147483647)$q$),
               ($q$SELECT wagecheck.add_working_days('2024-01-01', -2147483648)$q$),
               ($q$INSERT INTO wagecheck.holiday VALUES ('2027-01-02', 'holiday', 'bad kind')$q$),
               ($q$INSERT INTO wagecheck.holiday VALUES ('10000-01-01', 'off', 'too far')$q$),
               ($q$INSERT INTO wagecheck.holiday VALUES ('2024-02-12', 'work', 'duplicate')$q$))
       AS t(q);

DROP EXTENSION wagecheck CASCADE;
