-- wagecheck.credit_code: GB 32100-2015 unified social credit codes.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;

-- try(value): what the input function says about a value, SQLSTATE and detail included.
CREATE FUNCTION pg_temp.try(v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  RETURN v::wagecheck.credit_code::text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || d;
END $$;

-- The standard's example and Linyi-style codes; dirty but valid input becomes canonical.
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('91350100M000100Y43'), ('91371300MA3C1234XA'), ('52371300MJD12345X3'),
               ('11100000000013127D'), ('91350100m000100y43'), ('９１３５０１００Ｍ０００１００Ｙ４３'),
               ('９１３５０１００ｍ０００１００ｙ４３'), ('91350100-M000100Y4-3'), (' 9135 0100 M000 100Y 43 '),
               ('91371302MA3MXQ5G8W')) AS t(v);

-- Each kind of defect.
SELECT v AS input, pg_temp.try(v) AS result
  FROM (VALUES (''), ('91310115MA1H8R7C6D'), ('91350100M000100Y4'), ('91350100M000100Y433'),
               ('91350100M000100I43'), ('91350100M000100O43'), ('91350100S000100Y43'),
               ('91350100V000100Y43'), ('91350100Z000100Y43'), ('91350100M000100Y4_'),
               ('91350100M000100Y44'), ('000000000000000000'), ('００００００００００００００００００'),
               ('000000000000000001')) AS t(v);

-- Only ASCII and full-width digits, letters, spaces and hyphens: decorative forms, tab,
-- dashes and the minus sign are refused by input, cast and is_valid_credit_code alike.
SELECT replace(v, chr(9), '<TAB>') AS input, replace(pg_temp.try(v), chr(9), '<TAB>') AS result,
       is_valid_credit_code(v) AS valid
  FROM (VALUES ('９１３５０１００－Ｍ０００１００Ｙ４３'), ('𝟗1350100M000100Y43'), ('⑨1350100M000100Y43'),
               ('91350100Ⓜ000100Y43'), (E'91350100\tM000100Y43'), ('91350100—M000100Y43'),
               ('91350100−M000100Y43')) AS t(v);

-- As plain psql shows it.
SELECT '91310115MA1H8R7C6D'::credit_code;

-- is_valid_credit_code never raises, and is strict.
SELECT v AS input, is_valid_credit_code(v) AS valid
  FROM (VALUES ('91350100m000100y43'), ('91310115MA1H8R7C6D'), ('91310115MA1H8R7C67'), ('?'),
               ('000000000000000000'), (NULL)) AS t(v);
SELECT NULL::credit_code IS NULL AS null_input, region(NULL::credit_code) IS NULL AS null_accessor;

-- Casts, and assignment from text.
SELECT '９１３５０１００ｍ０００１００ｙ４３'::text::credit_code AS from_text,
       '91350100M000100Y43'::credit_code::text AS to_text;
CREATE TABLE firms (code credit_code);
INSERT INTO firms SELECT v FROM (VALUES ('91371300MA3C1234XA'::text), ('52371300mjd12345x3')) AS t(v);
SELECT code FROM firms ORDER BY code;

-- The parts of the code: registration authority, category, region (NULL when the
-- region part is not a division code, such as 100000 for central registrations).
SELECT code, registration_authority(code), category(code), region(code)
  FROM (VALUES ('91350100M000100Y43'::credit_code), ('91371300MA3C1234XA'), ('52371300MJD12345X3'),
               ('11100000000013127D')) AS t(code);

-- Comparison follows the text: digits before letters, letters in alphabetical order.
SELECT code FROM (VALUES ('91371300MA3C1234XA'::credit_code), ('11100000000013127D'), ('91350100M000100Y43'),
                         ('52371300MJD12345X3'), ('91371302MA3MXQ5G8W')) AS t(code)
 ORDER BY code;
SELECT (SELECT array_agg(c ORDER BY c) FROM unnest(ARRAY['91371300MA3C1234XA'::credit_code, '11100000000013127D',
         '91350100M000100Y43', '52371300MJD12345X3', '91371302MA3MXQ5G8W']) AS c)::text[]
     = (SELECT array_agg(c ORDER BY c COLLATE "C") FROM unnest(ARRAY['91371300MA3C1234XA', '11100000000013127D',
         '91350100M000100Y43', '52371300MJD12345X3', '91371302MA3MXQ5G8W']) AS c) AS same_order_as_text;
SELECT '91350100M000100Y43'::credit_code = '91350100m000100y43' AS eq,
       '91350100M000100Y43'::credit_code <> '91371300MA3C1234XA' AS ne,
       '91350100M000100Y43'::credit_code < '91371300MA3C1234XA' AS lt,
       '91350100M000100Y43'::credit_code <= '91350100M000100Y43' AS le,
       '91371300MA3C1234XA'::credit_code > '91350100M000100Y43' AS gt,
       '91371300MA3C1234XA'::credit_code >= '91371300MA3C1234XA' AS ge;

DROP TABLE firms;
DROP EXTENSION wagecheck CASCADE;
