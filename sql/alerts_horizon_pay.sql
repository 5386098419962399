-- Pay days passing: the project evaluators and date horizons of RN04 (attendance without a
-- payroll line after the pay day) and WP01 (no pay sheet after the pay day). Every row is
-- known by 01-31 20:00 and dated January, so from February on the rules' hits change by the
-- passage of time alone: a horizon (from_ts, to_ts) must name every project whose hits
-- differ between as_of = from_ts and as_of = to_ts, and should name few others.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['RN04', 'WP01']);
-- P60: worker 3 has no line on January's sheet; P61: no sheet, worker 6 is paid on the 5th of
-- the next month (the others and P60, P62 on the default 15th); P62: every worker has a line
SELECT fx.project(60, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(61, '371311', '2026-01-05', '2025-12-01');
SELECT fx.project(62, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 9) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(1, 9) w, LATERAL (SELECT 59 + (w + 2) / 3) x(p);
UPDATE wagecheck.roster SET pay_day = 5 WHERE worker_id = 6;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT r.project_id, r.worker_id, d, 8, d + time '18:00'
  FROM wagecheck.roster r CROSS JOIN generate_series('2026-01-05'::date, '2026-01-31', '1 day') d
 WHERE extract(isodow FROM d) < 6;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 60, 3, '2026-01-01', '2026-01-31', '2026-01-31 20:00'), (2, 62, 3, '2026-01-01', '2026-01-31', '2026-01-31 20:00');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
SELECT s, w, 20, 6000, 6000, '2026-01-31 20:00'
  FROM (VALUES (1, 1), (1, 2), (2, 7), (2, 8), (2, 9)) v(s, w);
-- January's pay dates: the 5th of February (a Thursday) for worker 6; the 15th, a day of the
-- Spring Festival break, moves to the 14th (a Saturday made a working day)
SELECT wagecheck.wage_pay_date('2026-01-01', 5::smallint, 1::smallint) AS worker_6,
       wagecheck.wage_pay_date('2026-01-01', 15::smallint, 1::smallint) AS default_terms;
-- the months and terms in use whose pay date passes: from_ts::date <= pay date < to_ts::date
-- (the evaluators test pay_date < as_of::date); none within a day, none backwards
SELECT * FROM wagecheck._pay_dates_passing('2026-02-05 12:00', '2026-02-06 12:00');
SELECT * FROM wagecheck._pay_dates_passing('2026-02-04 12:00', '2026-02-05 23:59');
SELECT * FROM wagecheck._pay_dates_passing('2026-01-20 00:00', '2026-03-20 00:00') ORDER BY 4, 1, 2;
SELECT count(*) AS same_day FROM wagecheck._pay_dates_passing('2026-02-06 00:00', '2026-02-06 23:59');
SELECT count(*) AS backwards FROM wagecheck._pay_dates_passing('2026-03-06 00:00', '2026-02-06 00:00');

-- fx.hits(code, t): the rule's hits as of t
CREATE FUNCTION fx.hits(code text, t timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT * FROM %s($1)',
                                (SELECT r.evaluator::regproc FROM wagecheck.rule r WHERE r.code = $1)) USING t;
END
$$;
CREATE FUNCTION fx.horizon(code text, t1 timestamptz, t2 timestamptz) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    h bigint[];
BEGIN
    EXECUTE format('SELECT %s($1, $2)', CASE code WHEN 'RN04' THEN 'wagecheck.eval_rn04_horizon'
                                                  ELSE 'wagecheck.eval_wp01_horizon' END)
       INTO h USING t1, t2;
    RETURN h;
END
$$;
-- the hits of both rules every 4 hours from 02-01 to 03-20 (same rows throughout)
CREATE TABLE fx.hits_at AS
SELECT c.code, t, h.*
  FROM unnest(ARRAY['RN04', 'WP01']) c(code)
 CROSS JOIN generate_series('2026-02-01 00:00'::timestamptz, '2026-03-20 00:00', '4 hours') t
 CROSS JOIN LATERAL fx.hits(c.code, t) h;
-- fx.moved(code, t1, t2): the projects whose hits differ between as_of t1 and t2
CREATE FUNCTION fx.moved(p_code text, t1 timestamptz, t2 timestamptz) RETURNS bigint[] LANGUAGE sql AS $$
    WITH a AS (SELECT h.subject_kind, h.subject_id, h.period, h.project_id, h.enterprise_id, h.division, h.level,
                      h.due_at, h.details FROM fx.hits_at h WHERE h.code = p_code AND h.t = t1),
         b AS (SELECT h.subject_kind, h.subject_id, h.period, h.project_id, h.enterprise_id, h.division, h.level,
                      h.due_at, h.details FROM fx.hits_at h WHERE h.code = p_code AND h.t = t2)
    SELECT coalesce(array_agg(DISTINCT d.project_id ORDER BY d.project_id), '{}')
      FROM ((TABLE a EXCEPT TABLE b) UNION ALL (TABLE b EXCEPT TABLE a)) d
$$;

-- every day at noon from 02-01 to 03-20, against the day before: the projects whose hits
-- moved and the horizon (shown when either is not empty). February's pay days pass too, but
-- nobody attended February. WP01's horizon of 02-15 names P61, whose hit is not moved by the
-- 15th (its earliest terms, worker 6's, passed on the 5th): a superset is correct.
SELECT c.code, to_char(t - interval '1 day', 'MM-DD') AS from_day, to_char(t, 'MM-DD') AS to_day,
       fx.moved(c.code, t - interval '1 day', t) AS moved, fx.horizon(c.code, t - interval '1 day', t) AS horizon
  FROM unnest(ARRAY['RN04', 'WP01']) c(code)
 CROSS JOIN generate_series('2026-02-02 12:00'::timestamptz, '2026-03-19 12:00', '1 day') t
 WHERE fx.moved(c.code, t - interval '1 day', t) <> '{}' OR fx.horizon(c.code, t - interval '1 day', t) <> '{}'
 ORDER BY 1, 2;
-- windows of 12 hours, 20 hours and 4 days 4 hours, starting every 8 hours: missed counts the moved
-- projects a horizon does not name (must be none)
SELECT w.code, count(*) AS windows, count(*) FILTER (WHERE w.moved <> '{}') AS moving,
       count(*) FILTER (WHERE NOT w.moved <@ w.horizon) AS missed
  FROM (SELECT c.code, fx.moved(c.code, t1, t2) AS moved, fx.horizon(c.code, t1, t2) AS horizon
          FROM unnest(ARRAY['RN04', 'WP01']) c(code),
               generate_series('2026-02-01 00:00'::timestamptz, '2026-03-15 16:00', '8 hours') t1,
               unnest('{3,5,25}'::int[]) k, LATERAL (SELECT t1 + k * interval '4 hours') x(t2)) w
 GROUP BY 1 ORDER BY 1;
-- the hits the pay days made (02-06: worker 6's; 02-15: the default terms')
SELECT c.code, h.subject_id, h.period, h.level, h.details
  FROM unnest(ARRAY['RN04', 'WP01']) c(code), fx.hits(c.code, '2026-02-06 12:00') h
 ORDER BY 1, 2;
SELECT c.code, h.subject_id, h.period, h.level, h.details
  FROM unnest(ARRAY['RN04', 'WP01']) c(code), fx.hits(c.code, '2026-02-15 12:00') h
 ORDER BY 1, 2;
-- a line of worker 3 (P60) known then: P60 has nothing left to move on the default pay day
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 3, 20, 6000, 6000, '2026-01-31 21:00');
SELECT wagecheck.eval_rn04_horizon('2026-02-14 12:00', '2026-02-15 12:00') AS rn04,
       wagecheck.eval_wp01_horizon('2026-02-14 12:00', '2026-02-15 12:00') AS wp01;
DELETE FROM wagecheck.pay_line WHERE worker_id = 3;

-- the project evaluators: given every project, what the evaluators find (from the summaries
-- when every row is known and dated by then, else from the raw rows: on 01-20 and 01-31 19:00,
-- and on 02-16, before worker 3's line and February's attendance below are known); given
-- some projects, those projects' hits
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 3, 20, 6000, 6000, '2026-02-20 10:00');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT r.project_id, r.worker_id, d, 8, '2026-02-25 18:00'
  FROM wagecheck.roster r CROSS JOIN generate_series('2026-02-02'::date, '2026-02-13', '1 day') d
 WHERE extract(isodow FROM d) < 6 AND r.worker_id IN (1, 4, 7);
CREATE FUNCTION fx.differs(t timestamptz, projects bigint[])
RETURNS TABLE (code text, hits bigint, differing bigint) LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT ru.code, ru.evaluator, ru.project_evaluator FROM wagecheck.rule ru
              WHERE ru.code IN ('RN04', 'WP01') ORDER BY ru.code LOOP
        code := r.code;
        EXECUTE format('SELECT (SELECT count(*) FROM %1$s($1) h WHERE h.project_id = ANY ($2)), '
                       '(SELECT count(*) FROM ((SELECT * FROM %1$s($1) h WHERE h.project_id = ANY ($2) '
                       'EXCEPT ALL SELECT * FROM %2$s($1, $2)) '
                       'UNION ALL (SELECT * FROM %2$s($1, $2) EXCEPT ALL SELECT * FROM %1$s($1))) d)',
                       r.evaluator::regproc, r.project_evaluator::regproc)
           INTO hits, differing
          USING t, projects;
        RETURN NEXT;
    END LOOP;
END
$$;
SELECT to_char(t, 'MM-DD HH24:MI') AS at, wagecheck._summary_exact('attendance_months', t) AS attendance_exact,
       wagecheck._summary_exact('wages_owed', t) AS wages_exact, array_to_string(p, ',') AS projects, d.*
  FROM unnest(ARRAY['2026-01-20 12:00', '2026-01-31 19:00', '2026-02-16 12:00', '2026-03-16 12:00']::timestamptz[]) t,
       (VALUES (1, '{60,61,62}'::bigint[]), (2, '{61}'), (3, '{60,62,60}'), (4, '{}')) ps(i, p),
       LATERAL fx.differs(t, p) d
 WHERE t >= '2026-02-16' OR i = 1
 ORDER BY t, i, d.code;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
