-- wagecheck.resident_id: GB 11643-1999 resident identity numbers.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;

-- try(value): what the input function says about a value, SQLSTATE and detail included.
CREATE FUNCTION pg_temp.try(v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  RETURN v::wagecheck.resident_id::text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || d;
END $$;

-- The published examples, and the canonical form of dirty but valid input:
-- lower-case x, full-width digits and letters, spaces, hyphens, full-width space and hyphen.
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('11010519491231002X'), ('440524188001010014'), ('11010519491231002x'),
               ('１１０１０５１９４９１２３１００２Ｘ'), ('１１０１０５１９４９１２３１００２ｘ'),
               ('110105 19491231 002X'), ('110105-1949-1231-002x'), ('  110105 1949 1231 002X  '),
               ('１１０１０５　１９４９１２３１　００２Ｘ'), ('110105－19491231－002X'),
               ('１１０１０５－１９４９－１２３１－００２ｘ'),
               ('371302199006151235'), ('371322198501012348')) AS t(v);

-- Old 15-digit numbers become 18: "19" goes before the year, the check character is computed.
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('110105491231002'), ('110105 491231 002'), ('４４０５２４８００１０１００１')) AS t(v);

-- Residence permits of Hong Kong, Macau and Taiwan residents (810000, 820000, 830000)
-- and the 2023 foreigners' permanent residence card (9, issuing province, nationality).
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('810000199001010019'), ('820000199001010029'), ('830000199001010039'),
               ('911840198503150016')) AS t(v);

-- Each kind of defect, with its SQLSTATE and the detail a clerk can act on (all zeros,
-- 18 or 15 digits, fails on its province code 00).
SELECT replace(v, chr(7), '<BEL>') AS input, replace(pg_temp.try(v), chr(7), '<BEL>') AS result
  FROM (VALUES (''), ('   '), ('- -'), ('11010519491231002'), ('11010519491231002X1'),
               ('110105194912310021'), ('11010519491231002Y'), ('1101051949X231002X'),
               ('11010549123100X'), ('110105.19491231.002X'), ('110105。19491231002X'),
               ('110105/19491231/002X'), ('110105' || chr(7) || '19491231002X'),
               ('000000000000000000'), ('000000000000000'),
               ('001234199001010013'), ('991234491231002'), ('831234199001010034'),
               ('999999199001010016'), ('110105194913320021'), ('110105194912320021'),
               ('110105194902300021'), ('371302190002290026'), ('110105491332002'),
               ('110105179912310021'), ('110105209901010021')) AS t(v);

-- Only ASCII and the full-width forms are admitted. Decorative digits and letters that
-- NFKC would make ASCII (circled, superscript, mathematical bold, the Roman numeral Ⅹ)
-- are refused, and so are tab, dashes, the minus sign and no-break space as separators:
-- by the input function, the cast from text and is_valid_resident_id alike.
SELECT replace(replace(v, chr(9), '<TAB>'), chr(160), '<NBSP>') AS input,
       replace(replace(pg_temp.try(v), chr(9), '<TAB>'), chr(160), '<NBSP>') AS result,
       is_valid_resident_id(v) AS valid
  FROM (VALUES ('11010519491231002Ⅹ'), ('①1010519491231002X'), ('¹1010519491231002X'),
               ('𝟏1010519491231002X'), ('１１０１０５１９４９１２３１００２Ⅹ'), (E'110105\t19491231\t002X'),
               ('110105—19491231002X'), ('110105–19491231002X'), ('110105−19491231002X'),
               ('110105‐19491231002X'), ('110105' || chr(160) || '19491231002X'),
               ('110105．19491231002X')) AS t(v);
SELECT '11010519491231002Ⅹ'::resident_id;

-- The same as plain psql shows it.
SELECT '110105194912310021'::resident_id;
SELECT '110105194913320021'::resident_id;
SELECT 'abc'::text::resident_id;

-- Birth date boundaries: 1 January 1800 is the first day accepted, 29 February only in
-- leap years (2000 yes, 1900 no), today yes and tomorrow no (exactly one of the eleven
-- possible check characters makes a number valid).
SELECT pg_temp.try('440524180001010018') AS first_day, pg_temp.try('371302200002290022') AS leap_2000,
       pg_temp.try('371302190002290026') AS not_leap_1900;
SELECT d = current_date AS born_today, count(*) FILTER (WHERE is_valid_resident_id('110105' || to_char(d, 'YYYYMMDD') || '001' || c)) AS valid
  FROM (VALUES (current_date), (current_date + 1)) AS dd(d),
       unnest(string_to_array('0123456789X', NULL)) AS c
 GROUP BY d ORDER BY d;

-- is_valid_resident_id never raises, whatever the input, and is strict.
SELECT left(v, 20) AS input, length(v), is_valid_resident_id(v) AS valid
  FROM (VALUES ('11010519491231002x'), ('110105491231002'), ('110105194912310021'), (''),
               ('not a number at all'), (repeat('9', 5000)), (repeat('１', 2000)),
               (NULL)) AS t(v);

-- NULL in, NULL out.
SELECT NULL::resident_id IS NULL AS null_input, birth_date(NULL::resident_id) IS NULL AS null_accessor;

-- Casts from and to text, and assignment from a text column.
SELECT '11010519491231002x'::text::resident_id AS from_text,
       '11010519491231002X'::resident_id::text AS to_text,
       pg_typeof('11010519491231002X'::resident_id::text) AS text_type;
CREATE TABLE staged (v text);
INSERT INTO staged VALUES ('110105491231002'), ('４４０５２４１８８００１０１００１４');
CREATE TABLE people (id resident_id);
INSERT INTO people SELECT v FROM staged;
SELECT id FROM people ORDER BY id;

-- What the number says: birth date, sex, region, age on a date, masked form.
SELECT id, birth_date(id), sex(id), region(id), age(id, date '2026-11-28') AS age_2026, mask(id)
  FROM (VALUES ('11010519491231002X'::resident_id), ('440524188001010014'), ('371302199006151235'),
               ('810000199001010019'), ('830000199001010039'), ('911840198503150016')) AS t(id);
-- Age counts full years: not yet on the day before the birthday, a year more on it;
-- a person born on 29 February turns a year older on 1 March in common years.
SELECT age(r, date '2026-12-30') AS day_before, age(r, date '2026-12-31') AS on_day,
       age(l, date '2023-02-28') AS leapling_feb28, age(l, date '2023-03-01') AS leapling_mar1,
       age(r, date '1949-12-30') AS before_birth, age(r, date '1949-12-31') AS birth_day
  FROM (SELECT '11010519491231002X'::resident_id AS r, '371302200002290022'::resident_id AS l) AS t;
-- an infinite date has no age: refused (22008), not NULL
SELECT age('11010519491231002X'::resident_id, 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT age('11010519491231002X'::resident_id) = extract(year FROM age(current_date, date '1949-12-31'))::int AS age_today_matches;

-- Comparison: order is the order of the text.
SELECT id FROM (VALUES ('440524188001010014'::resident_id), ('11010519491231002X'), ('371302199006151235')) AS t(id)
 ORDER BY id;
SELECT '11010519491231002X'::resident_id = '110105491231002' AS eq,
       '11010519491231002X'::resident_id <> '440524188001010014' AS ne,
       '11010519491231002X'::resident_id < '440524188001010014' AS lt,
       '11010519491231002X'::resident_id <= '11010519491231002x' AS le,
       '440524188001010014'::resident_id > '11010519491231002X' AS gt,
       '440524188001010014'::resident_id >= '440524188001010014' AS ge;

DROP TABLE staged, people;
DROP EXTENSION wagecheck CASCADE;
