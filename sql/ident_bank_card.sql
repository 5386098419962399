-- wagecheck.bank_card: worker wage card numbers, 12-19 digits with a Luhn check digit.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;

-- try(value): what the input function says about a value, SQLSTATE and detail included.
CREATE FUNCTION pg_temp.try(v text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  RETURN v::wagecheck.bank_card::text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ' ' || SQLERRM || ' / ' || d;
END $$;

-- Valid numbers, dirty forms from bank exports, and the length boundaries 12 and 19.
SELECT v AS input, pg_temp.try(v) AS stored
  FROM (VALUES ('4111111111111111'), ('4111 1111 1111 1111'), ('4111-1111-1111-1111'),
               ('４１１１　１１１１　１１１１　１１１１'), ('622202123456789012'),
               ('6217 0000 0000 0000 004'), ('123456789015'), ('1234567890123456785'),
               ('0000000000018')) AS t(v);

-- Each kind of defect: length (11 and 20 digits), letters, a wrong check digit, all zeros
-- (which the Luhn check alone lets pass) at the shortest and longest lengths.
SELECT v AS input, pg_temp.try(v) AS result
  FROM (VALUES (''), ('79927398713'), ('12345678901234567897'), ('4111 1111 1111 111A'),
               ('4111111111111112'), ('6222 0212 3456 7890 123'), ('4111*1111*1111*1111'),
               ('000000000000'), ('0000000000000000000'), ('０００００００００００００００００'),
               ('0000 0000 0000 0000'), ('000000000005')) AS t(v);
SELECT count(*) FILTER (WHERE is_valid_bank_card(repeat('0', n))) AS all_zeros_valid,
       count(*) FILTER (WHERE is_valid_bank_card(repeat('0', n - 2) || '26')) AS leading_zeros_valid
  FROM generate_series(12, 19) AS n;

-- Only ASCII and full-width digits, spaces and hyphens: decorative digits, tab, dashes
-- and the minus sign are refused by input, cast and is_valid_bank_card alike.
SELECT replace(v, chr(9), '<TAB>') AS input, replace(pg_temp.try(v), chr(9), '<TAB>') AS result,
       is_valid_bank_card(v) AS valid
  FROM (VALUES ('４１１１－１１１１－１１１１－１１１１'), ('4①①① 1111 1111 1111'), ('4111 1111 1111 111¹'),
               ('𝟒111 1111 1111 1111'), (E'4111\t1111\t1111\t1111'), ('4111—1111—1111—1111'),
               ('4111−1111−1111−1111')) AS t(v);
SELECT '4111—1111—1111—1111'::bank_card;

-- As plain psql shows it.
SELECT '6222021234567890123'::bank_card;

-- is_valid_bank_card never raises, and is strict.
SELECT v AS input, is_valid_bank_card(v) AS valid
  FROM (VALUES ('4111111111111111'), ('4111111111111112'), ('79927398713'), ('card'), (NULL)) AS t(v);
SELECT NULL::bank_card IS NULL AS null_input, mask(NULL::bank_card) IS NULL AS null_mask;

-- Casts, and assignment from text.
SELECT '４１１１１１１１１１１１１１１１'::text::bank_card AS from_text, '4111111111111111'::bank_card::text AS to_text;
CREATE TABLE cards (card bank_card);
INSERT INTO cards SELECT v FROM (VALUES ('6222 0212 3456 7890 12'::text), ('4111-1111-1111-1111')) AS t(v);
SELECT card FROM cards ORDER BY card;

-- Masked for roles that may not see the number: first and last four digits, the length hidden.
SELECT card, mask(card)
  FROM (VALUES ('4111111111111111'::bank_card), ('622202123456789012'), ('123456789015'),
               ('1234567890123456785')) AS t(card);

-- Order: shorter numbers first, then numerically; leading zeros are kept.
SELECT card FROM (VALUES ('4111111111111111'::bank_card), ('123456789015'), ('0000000000018'),
                         ('1234567890123456785'), ('622202123456789012')) AS t(card)
 ORDER BY card;
SELECT '4111111111111111'::bank_card = '4111 1111 1111 1111' AS eq,
       '4111111111111111'::bank_card <> '123456789015' AS ne,
       '123456789015'::bank_card < '4111111111111111' AS lt,
       '123456789015'::bank_card <= '123456789015' AS le,
       '1234567890123456785'::bank_card > '4111111111111111' AS gt,
       '0000000000018'::bank_card >= '123456789015' AS ge;

DROP TABLE cards;
DROP EXTENSION wagecheck CASCADE;
