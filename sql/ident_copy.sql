-- Binary send/receive: COPY BINARY round trip, and receive checks values like text input.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;
\getenv abs_builddir PG_ABS_BUILDDIR
\set binfile :abs_builddir '/results/ident_copy.bin'
\set badfile :abs_builddir '/results/ident_copy_bad.bin'

CREATE TABLE ids (n int, person resident_id, firm credit_code, card bank_card, place division_code);
INSERT INTO ids VALUES
  (1, '11010519491231002x', '91350100m000100y43', '4111 1111 1111 1111', '371302'),
  (2, '440524188001010014', '91371300MA3C1234XA', '123456789015', '３７１３２９'),
  (3, '110105491231002', '11100000000013127D', '1234567890123456785', '710000'),
  (4, '911840198503150016', '52371300MJD12345X3', '0000000000018', '820000'),
  (5, NULL, NULL, NULL, NULL);

-- Out through psql into a file, in again with the server's COPY.
\o :binfile
COPY ids TO STDOUT (FORMAT binary);
\o
CREATE TABLE ids_back (LIKE ids);
COPY ids_back FROM :'binfile' (FORMAT binary);
SELECT * FROM ids_back ORDER BY n;
SELECT count(*) AS rows_differing
  FROM (SELECT * FROM ids EXCEPT SELECT * FROM ids_back) AS d;

-- Receive is strict: the binary form is the canonical text and must pass every check.
-- bad_copy(value) writes a one-column binary COPY file holding value as raw bytes.
CREATE FUNCTION pg_temp.bad_copy(v text) RETURNS bytea LANGUAGE sql AS $$
  SELECT '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
         || '\x0001'::bytea || int4send(octet_length(convert_to(v, 'UTF8')))
         || convert_to(v, 'UTF8') || '\xffff'::bytea
$$;
CREATE TABLE one_id (person resident_id);
CREATE TABLE one_firm (firm credit_code);
CREATE TABLE one_card (card bank_card);
CREATE TABLE one_place (place division_code);
\set VERBOSITY default
SELECT lo_from_bytea(0, pg_temp.bad_copy('110105194912310021')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_id FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('11010519491231002x')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_id FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('110105491231002')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_id FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('91310115MA1H8R7C6D')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_firm FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('4111 1111 1111 1111')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_card FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('991234')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_place FROM :'badfile' (FORMAT binary);
-- All zeros is refused on receive as on text input.
SELECT lo_from_bytea(0, pg_temp.bad_copy('0000000000000000')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_card FROM :'badfile' (FORMAT binary);
SELECT lo_from_bytea(0, pg_temp.bad_copy('000000000000000000')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_firm FROM :'badfile' (FORMAT binary);
-- A good value goes in the same way.
SELECT lo_from_bytea(0, pg_temp.bad_copy('371302')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_place FROM :'badfile' (FORMAT binary);
SELECT * FROM one_place;

-- Text COPY accepts the dirty forms, like any text input, and rejects with the detail.
COPY one_card FROM STDIN;
6222 0212 3456 7890 12
４１１１－１１１１－１１１１－１１１１
\.
SELECT * FROM one_card ORDER BY card;
COPY one_card FROM STDIN;
6222 0212 3456 7890 13
\.
-- Text COPY admits what text input admits, no more: a decorative digit, a dash.
COPY one_card FROM STDIN;
6222 0212 3456 7890 1②
\.
COPY one_card FROM STDIN;
6222—0212—3456—7890—12
\.
COPY one_card FROM STDIN;
0000 0000 0000 0000
\.
-- Binary receive takes the canonical ASCII text only: a circled digit is refused there too.
SELECT lo_from_bytea(0, pg_temp.bad_copy('622202123456789①')) AS lo \gset
\lo_export :lo :badfile
\lo_unlink :lo
COPY one_card FROM :'badfile' (FORMAT binary);

DROP TABLE ids, ids_back, one_id, one_firm, one_card, one_place;
DROP EXTENSION wagecheck CASCADE;
