-- 居民身份证号码, the definitions: comments, and the functions that are not the type's
-- support (the type, its I/O, operators, casts and operator classes: once/20_resident_id.sql).

COMMENT ON FUNCTION wagecheck.resident_id_in(cstring) IS
    'input function of type resident_id: 18 characters or an old 15-digit number, full-width, lower-case x, spaces and hyphens accepted; the birth date may not be after today (stable)';
COMMENT ON FUNCTION wagecheck.resident_id_out(wagecheck.resident_id) IS
    'output function of type resident_id: the canonical form';
COMMENT ON FUNCTION wagecheck.resident_id_recv(internal) IS
    'binary input function of type resident_id: the canonical text, validated like text input';
COMMENT ON FUNCTION wagecheck.resident_id_send(wagecheck.resident_id) IS
    'binary output function of type resident_id: the canonical text';

COMMENT ON TYPE wagecheck.resident_id IS
    '居民身份证号码, GB 11643-1999 resident identity number (also the social security number, HK/Macau/Taiwan residence permits and foreigners'' permanent residence cards)';

-- What the number says about its holder.
CREATE OR REPLACE FUNCTION wagecheck.birth_date(wagecheck.resident_id) RETURNS date
    AS 'MODULE_PATHNAME', 'resident_id_birth_date'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.birth_date(wagecheck.resident_id) IS
    'the holder''s birth date (characters 7-14)';

CREATE OR REPLACE FUNCTION wagecheck.sex(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_sex'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.sex(wagecheck.resident_id) IS
    'the holder''s sex as the number encodes it: M (odd 17th digit) or F (even)';

CREATE OR REPLACE FUNCTION wagecheck.region(wagecheck.resident_id) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'resident_id_region'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.region(wagecheck.resident_id) IS
    'the division code of the number''s region (first six digits; 710000 for a Taiwan residents'' permit 830000; the issuing province for a foreigners'' card)';

CREATE OR REPLACE FUNCTION wagecheck.age(wagecheck.resident_id, date) RETURNS integer
    AS 'MODULE_PATHNAME', 'resident_id_age_at'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.age(wagecheck.resident_id, date) IS
    'the holder''s age in full years on a date; NULL for a date before the birth date';

CREATE OR REPLACE FUNCTION wagecheck.age(wagecheck.resident_id) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN wagecheck.age($1, CURRENT_DATE);
COMMENT ON FUNCTION wagecheck.age(wagecheck.resident_id) IS
    'the holder''s age in full years today';

CREATE OR REPLACE FUNCTION wagecheck.mask(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_mask'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.mask(wagecheck.resident_id) IS
    'the number with its birth date hidden, 110105********002X, for roles that may not see it';
COMMENT ON FUNCTION wagecheck.resident_id(text) IS
    'converts text to resident_id, validating it like text input (cast text AS resident_id)';
COMMENT ON FUNCTION wagecheck.text(wagecheck.resident_id) IS
    'the canonical text of a resident_id (cast resident_id AS text)';
COMMENT ON CAST (text AS wagecheck.resident_id) IS 'validates and normalises text into a resident_id';
COMMENT ON CAST (wagecheck.resident_id AS text) IS 'the canonical text of a resident_id';

CREATE OR REPLACE FUNCTION wagecheck.is_valid_resident_id(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_resident_id'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_resident_id(text) IS
    'true if the text is a valid resident_id (dirty forms included); never raises for bad input';
COMMENT ON FUNCTION wagecheck.resident_id_eq(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of = for resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_ne(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of <> for resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_lt(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of < for resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_le(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of <= for resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_gt(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of > for resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_ge(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of >= for resident_id';
COMMENT ON OPERATOR wagecheck.= (wagecheck.resident_id, wagecheck.resident_id) IS 'equal';
COMMENT ON OPERATOR wagecheck.<> (wagecheck.resident_id, wagecheck.resident_id) IS 'not equal';
COMMENT ON OPERATOR wagecheck.< (wagecheck.resident_id, wagecheck.resident_id) IS 'less than';
COMMENT ON OPERATOR wagecheck.<= (wagecheck.resident_id, wagecheck.resident_id) IS 'less than or equal';
COMMENT ON OPERATOR wagecheck.> (wagecheck.resident_id, wagecheck.resident_id) IS 'greater than';
COMMENT ON OPERATOR wagecheck.>= (wagecheck.resident_id, wagecheck.resident_id) IS 'greater than or equal';
COMMENT ON FUNCTION wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id) IS 'btree comparison of resident_id values';
COMMENT ON FUNCTION wagecheck.resident_id_sortsupport(internal) IS 'btree sort support of resident_id';
COMMENT ON FUNCTION wagecheck.resident_id_hash(wagecheck.resident_id) IS 'hash of a resident_id (hash indexes, hash joins)';
COMMENT ON FUNCTION wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint) IS 'seeded 64-bit hash of a resident_id';
COMMENT ON OPERATOR CLASS wagecheck.resident_id_ops USING btree IS 'default btree operator class of resident_id';
COMMENT ON OPERATOR CLASS wagecheck.resident_id_ops USING hash IS 'default hash operator class of resident_id';
