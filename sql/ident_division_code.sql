-- wagecheck.division_code: GB/T 2260 administrative division codes.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;

-- try(value): what the input function says about a value, SQLSTATE and detail included.
CREATE FUNCTION pg_temp.try(v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  RETURN v::wagecheck.division_code::text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || d;
END $$;

-- Linyi and its counties; full-width and spaced input; Taiwan, Hong Kong, Macau.
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('371300'), ('371302'), ('３７１３２９'), ('371 311'), ('37-13-12'), ('370000'),
               ('710000'), ('810000'), ('820000'), ('110105')) AS t(v);

-- Each kind of defect: length, letters, a province code that does not exist.
SELECT v AS input, pg_temp.try(v) AS result
  FROM (VALUES (''), ('37130'), ('3713021'), ('37130A'), ('000000'), ('100000'), ('161234'),
               ('830000'), ('991234'), ('37.13.02')) AS t(v);

-- Only ASCII and full-width digits, spaces and hyphens: decorative digits, tab, dashes
-- and the minus sign are refused by input, cast and is_valid_division_code alike.
SELECT replace(v, chr(9), '<TAB>') AS input, replace(pg_temp.try(v), chr(9), '<TAB>') AS result,
       is_valid_division_code(v) AS valid
  FROM (VALUES ('３７－１３　０２'), ('③71302'), ('37130²'), ('𝟑71302'), (E'37\t13\t02'), ('37—13—02'),
               ('37−13−02')) AS t(v);

-- As plain psql shows it.
SELECT '991234'::division_code;

-- is_valid_division_code never raises, and is strict.
SELECT v AS input, is_valid_division_code(v) AS valid
  FROM (VALUES ('371302'), ('３７１３０２'), ('991234'), ('Linyi'), (NULL)) AS t(v);
SELECT NULL::division_code IS NULL AS null_input, province(NULL::division_code) IS NULL AS null_accessor;

-- Casts.
SELECT '３７１３００'::text::division_code AS from_text, '371300'::division_code::text AS to_text;

-- Roll-up: province, city, county and level of each code.
SELECT d, province(d), city(d), county(d), level(d)
  FROM (VALUES ('370000'::division_code), ('371300'), ('371302'), ('371329'), ('110105')) AS t(d);

-- Containment is a prefix test at the outer code's level; a code contains itself.
SELECT a, b, contains(a, b), a @> b AS "a @> b", b <@ a AS "b <@ a"
  FROM (VALUES ('370000'::division_code, '371302'::division_code), ('371300', '371302'),
               ('371300', '371300'), ('371302', '371300'), ('371300', '370000'),
               ('371300', '371400'), ('370000', '110105'), ('371302', '371302')) AS t(a, b);

-- Comparison.
SELECT '371302'::division_code = '３７１３０２' AS eq, '371302'::division_code <> '371311' AS ne,
       '371302'::division_code < '371311' AS lt, '371302'::division_code <= '371302' AS le,
       '371311'::division_code > '371302' AS gt, '371311'::division_code >= '371311' AS ge;

DROP EXTENSION wagecheck CASCADE;
