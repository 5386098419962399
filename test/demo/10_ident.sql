-- Identifier types: resident IDs, credit codes, wage cards and division codes from dirty input
SET search_path = wagecheck, public;
\set VERBOSITY default

-- Clerks type full-width digits, a lower-case x, spaces and hyphens; bank exports
-- group card digits in fours. Every form is stored once, canonically.
SELECT '１１０１０５１９４９１２３１００２ｘ'::resident_id AS full_width,
       '110105 1949-1231 002x'::resident_id             AS spaced,
       '110105491231002'::resident_id                   AS old_15_digits;
SELECT '９１３７１３００ＭＡ３Ｃ１２３４ＸＡ'::credit_code AS credit_code,
       '6222 0212 3456 7890 12'::bank_card              AS wage_card,
       '３７１３０２'::division_code                     AS lanshan_district;

-- A wrong check character is refused, and the detail says which one it should be.
SELECT '110105194912310021'::resident_id;
SELECT '91310115MA1H8R7C6D'::credit_code;
SELECT '6222 0212 3456 7890 13'::bank_card;
-- So is an impossible birth date, or a province that does not exist.
SELECT '110105194913320021'::resident_id;
SELECT '991234491231002'::resident_id;

-- A staging table as it arrives from a subcontractor's spreadsheet.
DROP TABLE IF EXISTS ident_staging;
CREATE TABLE ident_staging (line int, name text, id_number text, card_number text);
INSERT INTO ident_staging VALUES
  (1, '张伟', '３７１３０２１９９００６１５１２３５', '6222 0212 3456 7890 12'),
  (2, '王芳', '371322198501012348',                  '６２１７ ００００ ００００ ００００ ００４'),
  (3, '李强', '371328 19921111 4568',                '4111-1111-1111-1111'),
  (4, '刘洋', '371302199006151234',                  '6222021234567890128'),
  (5, '陈静', '37132919950230002X',                  '6217000000000000004'),
  (6, '杨磊', '371326850612301',                     '622848000000000007'),
  (7, '赵敏', '3713241988010100',                    '62284800000000000');
-- is_valid_* never raises: it sorts the rows into clean and rejected...
SELECT line, name, is_valid_resident_id(id_number) AS id_ok, is_valid_bank_card(card_number) AS card_ok
  FROM ident_staging ORDER BY line;
-- ...and the rejected rows get the reason, for the subcontractor to correct.
CREATE FUNCTION pg_temp.reason(v text, t regtype) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE format('SELECT %L::%s', v, t);
  RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN d;
END $$;
SELECT line, name, coalesce(pg_temp.reason(id_number, 'resident_id'), pg_temp.reason(card_number, 'bank_card')) AS reason
  FROM ident_staging
 WHERE NOT (is_valid_resident_id(id_number) AND is_valid_bank_card(card_number))
 ORDER BY line;
-- The clean rows go in typed and canonical.
SELECT line, name, id_number::resident_id AS resident_id, card_number::bank_card AS wage_card
  FROM ident_staging
 WHERE is_valid_resident_id(id_number) AND is_valid_bank_card(card_number)
 ORDER BY line;

-- What a resident ID says, and what a clerk without the right to see it gets.
SELECT id, birth_date(id), sex(id), region(id), age(id), mask(id)
  FROM (SELECT id_number::resident_id AS id FROM ident_staging
         WHERE is_valid_resident_id(id_number) ORDER BY line) AS t;
SELECT card_number::bank_card AS card, mask(card_number::bank_card)
  FROM ident_staging WHERE is_valid_bank_card(card_number) ORDER BY line;

-- Division codes roll up by prefix: the workers' home counties within Linyi (371300).
SELECT region(id_number::resident_id) AS county, city(region(id_number::resident_id)) AS city,
       region(id_number::resident_id) <@ '371300' AS in_linyi
  FROM ident_staging WHERE is_valid_resident_id(id_number) ORDER BY line;
-- And the parts of a unified social credit code.
SELECT code, registration_authority(code), category(code), region(code)
  FROM (VALUES ('91371300MA3C1234XA'::credit_code), ('52371300MJD12345X3')) AS t(code);
