-- The Chinese calendar: official festival dates (ICU corrected where its astronomy errs).
CREATE EXTENSION wagecheck;

-- The anchors, and the Spring Festivals ICU alone gets wrong (1954, 2027, 2030).
SELECT y, wagecheck.spring_festival(y) AS spring_festival
  FROM unnest(ARRAY[1954, 2021, 2024, 2025, 2026, 2027, 2030]) AS y;

-- Every festival function, 2024-2027.
SELECT y,
       wagecheck.chinese_new_years_eve(y) AS eve,
       wagecheck.lunar_new_year(y) AS new_year,
       wagecheck.lantern_festival(y) AS lantern,
       wagecheck.dragon_boat_festival(y) AS dragon_boat,
       wagecheck.mid_autumn_festival(y) AS mid_autumn
  FROM generate_series(2024, 2027) AS y;

-- The festivals agree with the State Council's arrangements shipped in wagecheck.holiday,
-- 2020-2026 (the holiday blocks contain the festival day, marked off).
SELECT f.festival, count(*) AS years,
       count(*) FILTER (WHERE h.kind = 'off' AND h.name LIKE '%' || f.label || '%') AS matching
  FROM generate_series(2020, 2026) AS y
 CROSS JOIN LATERAL (VALUES ('spring_festival', '春节', wagecheck.spring_festival(y)),
                            ('dragon_boat', '端午', wagecheck.dragon_boat_festival(y)),
                            ('mid_autumn', '中秋', wagecheck.mid_autumn_festival(y)))
       AS f(festival, label, day)
  LEFT JOIN wagecheck.holiday h ON h.day = f.day
 GROUP BY f.festival ORDER BY f.festival;
-- Since 2025 the eve (除夕) is a day off too.
SELECT y, wagecheck.chinese_new_years_eve(y) AS eve, h.kind, h.name
  FROM generate_series(2025, 2026) AS y
  LEFT JOIN wagecheck.holiday h ON h.day = wagecheck.chinese_new_years_eve(y);

-- Every month start that ICU puts on the wrong day, 1929-2100, comes out official.
SELECT y, m, wagecheck.lunar_to_gregorian(y, m, 1) AS first_day
  FROM (VALUES (1954, 1), (1955, 2), (1998, 12), (2012, 7), (2018, 10),
               (2027, 1), (2030, 1), (2057, 9), (2070, 2)) AS c(y, m);
-- 1987: ICU puts the leap month after month 7; officially it follows month 6 (闰六月),
-- because the principal term 处暑 falls at 00:09:47 on 08-24, after the month of 07-26 ended.
SELECT wagecheck.lunar_to_gregorian(1987, 6, 1, true) AS leap6_1987,
       wagecheck.lunar_to_gregorian(1987, 7, 7) AS qixi_1987,
       (wagecheck.gregorian_to_lunar('1987-08-01')).*;

-- Leap months (闰月) and the reverse conversion.
SELECT wagecheck.lunar_to_gregorian(2025, 6, 1, true) AS leap6_2025,
       wagecheck.lunar_to_gregorian(2033, 11, 1, true) AS leap11_2033,
       wagecheck.lunar_to_gregorian(2024, 12, 29) AS last_day_2024;
SELECT d, (wagecheck.gregorian_to_lunar(d)).*
  FROM unnest(ARRAY[DATE '2025-07-25', DATE '2027-02-05', DATE '2027-02-06',
                    DATE '2024-02-24', DATE '1929-02-10', DATE '2101-01-28']) AS d;
SELECT count(*) AS days,
       count(*) FILTER (WHERE wagecheck.lunar_to_gregorian(l.year, l.month, l.day, l.leap) <> g.d)
           AS roundtrip_mismatches
  FROM (SELECT ts::date AS d
          FROM generate_series(DATE '2020-01-01', DATE '2030-12-31', '1 day') AS ts) AS g
 CROSS JOIN LATERAL wagecheck.gregorian_to_lunar(g.d) AS l;

-- NULL in, NULL out; the markings are what they claim.
SELECT wagecheck.spring_festival(NULL) IS NULL AS a,
       wagecheck.lunar_to_gregorian(2024, NULL, 1) IS NULL AS b,
       wagecheck.lunar_to_gregorian(2024, 1, 1, NULL) IS NULL AS c,
       wagecheck.gregorian_to_lunar(NULL) IS NULL AS d;
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace
   AND (p.proname LIKE '%festival' OR p.proname LIKE '%lunar%' OR p.proname LIKE '%gregorian%'
        OR p.proname = 'chinese_new_years_eve')
 ORDER BY p.oid::regprocedure::text;

-- Bad arguments: SQLSTATE, message and detail.
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END $$;
SELECT q, pg_temp.error_of(q) AS error
  FROM (VALUES ($q$SELECT wagecheck.spring_festival(1928)$q$),
               ($q$SELECT wagecheck.spring_festival(2101)$q$),
               ($q$SELECT wagecheck.mid_autumn_festival(-2147483648)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2024, 13, 1)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2024, 0, 1)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2025, 4, 1, true)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2024, 4, 1, true)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2026, 12, 30)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2024, 1, 0)$q$),
               ($q$SELECT wagecheck.lunar_to_gregorian(2024, 1, 31)$q$),
               ($q$SELECT wagecheck.gregorian_to_lunar('1900-01-01')$q$),
               ($q$SELECT wagecheck.gregorian_to_lunar('2102-01-01')$q$),
               ($q$SELECT wagecheck.gregorian_to_lunar('infinity')$q$)) AS t(q);

DROP EXTENSION wagecheck CASCADE;
