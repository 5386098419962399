-- 行政区划代码, the definitions: comments, and the functions that are not the type's
-- support (the type, its I/O, operators, casts and operator classes: once/10_division_code.sql).

COMMENT ON FUNCTION wagecheck.division_code_in(cstring) IS
    'input function of type division_code: six digits, full-width accepted';
COMMENT ON FUNCTION wagecheck.division_code_out(wagecheck.division_code) IS
    'output function of type division_code: the canonical form';
COMMENT ON FUNCTION wagecheck.division_code_recv(internal) IS
    'binary input function of type division_code: the canonical text, validated like text input';
COMMENT ON FUNCTION wagecheck.division_code_send(wagecheck.division_code) IS
    'binary output function of type division_code: the canonical text';

COMMENT ON TYPE wagecheck.division_code IS
    '行政区划代码, GB/T 2260 administrative division code: six digits, province-level code in front';

-- Roll-up: codes are prefixes of each other.
CREATE OR REPLACE FUNCTION wagecheck.province(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_province'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.province(wagecheck.division_code) IS
    'the province-level code a division belongs to (371302 -> 370000)';

CREATE OR REPLACE FUNCTION wagecheck.city(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_city'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.city(wagecheck.division_code) IS
    'the prefecture/city code of a city or county (371302 -> 371300); NULL for a province-level code';

CREATE OR REPLACE FUNCTION wagecheck.county(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_county'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.county(wagecheck.division_code) IS
    'the code itself if it is county-level (371302); NULL for a province or city code';

CREATE OR REPLACE FUNCTION wagecheck.level(wagecheck.division_code) RETURNS text
    AS 'MODULE_PATHNAME', 'division_code_level'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.level(wagecheck.division_code) IS
    'the level of a division code: province (xx0000), city (xxyy00) or county';
COMMENT ON FUNCTION wagecheck.contains(wagecheck.division_code, wagecheck.division_code) IS
    'true if the first division contains the second (a division contains itself)';
COMMENT ON FUNCTION wagecheck.contained_by(wagecheck.division_code, wagecheck.division_code) IS
    'true if the first division lies within the second (a division lies within itself)';
COMMENT ON OPERATOR wagecheck.@> (wagecheck.division_code, wagecheck.division_code) IS
    'contains: 371300 @> 371302';
COMMENT ON OPERATOR wagecheck.<@ (wagecheck.division_code, wagecheck.division_code) IS
    'is contained by: 371302 <@ 371300';
COMMENT ON FUNCTION wagecheck.division_code(text) IS
    'converts text to division_code, validating it like text input (cast text AS division_code)';
COMMENT ON FUNCTION wagecheck.text(wagecheck.division_code) IS
    'the canonical text of a division_code (cast division_code AS text)';
COMMENT ON CAST (text AS wagecheck.division_code) IS 'validates and normalises text into a division_code';
COMMENT ON CAST (wagecheck.division_code AS text) IS 'the canonical text of a division_code';

CREATE OR REPLACE FUNCTION wagecheck.is_valid_division_code(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_division_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_division_code(text) IS
    'true if the text is a valid division_code (dirty forms included); never raises for bad input';
COMMENT ON FUNCTION wagecheck.division_code_eq(wagecheck.division_code, wagecheck.division_code) IS 'implementation of = for division_code';
COMMENT ON FUNCTION wagecheck.division_code_ne(wagecheck.division_code, wagecheck.division_code) IS 'implementation of <> for division_code';
COMMENT ON FUNCTION wagecheck.division_code_lt(wagecheck.division_code, wagecheck.division_code) IS 'implementation of < for division_code';
COMMENT ON FUNCTION wagecheck.division_code_le(wagecheck.division_code, wagecheck.division_code) IS 'implementation of <= for division_code';
COMMENT ON FUNCTION wagecheck.division_code_gt(wagecheck.division_code, wagecheck.division_code) IS 'implementation of > for division_code';
COMMENT ON FUNCTION wagecheck.division_code_ge(wagecheck.division_code, wagecheck.division_code) IS 'implementation of >= for division_code';
COMMENT ON OPERATOR wagecheck.= (wagecheck.division_code, wagecheck.division_code) IS 'equal';
COMMENT ON OPERATOR wagecheck.<> (wagecheck.division_code, wagecheck.division_code) IS 'not equal';
COMMENT ON OPERATOR wagecheck.< (wagecheck.division_code, wagecheck.division_code) IS 'less than';
COMMENT ON OPERATOR wagecheck.<= (wagecheck.division_code, wagecheck.division_code) IS 'less than or equal';
COMMENT ON OPERATOR wagecheck.> (wagecheck.division_code, wagecheck.division_code) IS 'greater than';
COMMENT ON OPERATOR wagecheck.>= (wagecheck.division_code, wagecheck.division_code) IS 'greater than or equal';
COMMENT ON FUNCTION wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code) IS 'btree comparison of division_code values';
COMMENT ON FUNCTION wagecheck.division_code_sortsupport(internal) IS 'btree sort support of division_code';
COMMENT ON FUNCTION wagecheck.division_code_hash(wagecheck.division_code) IS 'hash of a division_code (hash indexes, hash joins)';
COMMENT ON FUNCTION wagecheck.division_code_hash_extended(wagecheck.division_code, bigint) IS 'seeded 64-bit hash of a division_code';
COMMENT ON OPERATOR CLASS wagecheck.division_code_ops USING btree IS 'default btree operator class of division_code';
COMMENT ON OPERATOR CLASS wagecheck.division_code_ops USING hash IS 'default hash operator class of division_code';
