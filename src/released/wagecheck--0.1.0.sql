-- wagecheck 0.1.0: generated from src/*/*.sql by make; do not edit
\echo Use "CREATE EXTENSION wagecheck" to load this file. \quit

-- ==== src/wagecheck.sql
-- Module-level functions.

CREATE FUNCTION wagecheck.version() RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.version() IS 'version of the loaded wagecheck library';

-- ==== src/ident/10_division_code.sql
-- 行政区划代码 — administrative division code (GB/T 2260)

CREATE TYPE wagecheck.division_code;

CREATE FUNCTION wagecheck.division_code_in(cstring) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code_in(cstring) IS
    'input function of type division_code: six digits, full-width accepted';

CREATE FUNCTION wagecheck.division_code_out(wagecheck.division_code) RETURNS cstring
    AS 'MODULE_PATHNAME', 'division_code_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code_out(wagecheck.division_code) IS
    'output function of type division_code: the canonical form';

CREATE FUNCTION wagecheck.division_code_recv(internal) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code_recv(internal) IS
    'binary input function of type division_code: the canonical text, validated like text input';

CREATE FUNCTION wagecheck.division_code_send(wagecheck.division_code) RETURNS bytea
    AS 'MODULE_PATHNAME', 'division_code_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code_send(wagecheck.division_code) IS
    'binary output function of type division_code: the canonical text';

CREATE TYPE wagecheck.division_code (
    INPUT = wagecheck.division_code_in,
    OUTPUT = wagecheck.division_code_out,
    RECEIVE = wagecheck.division_code_recv,
    SEND = wagecheck.division_code_send,
    LIKE = pg_catalog.int4
);

COMMENT ON TYPE wagecheck.division_code IS
    '行政区划代码, GB/T 2260 administrative division code: six digits, province-level code in front';

-- Roll-up: codes are prefixes of each other.
CREATE FUNCTION wagecheck.province(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_province'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.province(wagecheck.division_code) IS
    'the province-level code a division belongs to (371302 -> 370000)';

CREATE FUNCTION wagecheck.city(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_city'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.city(wagecheck.division_code) IS
    'the prefecture/city code of a city or county (371302 -> 371300); NULL for a province-level code';

CREATE FUNCTION wagecheck.county(wagecheck.division_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_county'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.county(wagecheck.division_code) IS
    'the code itself if it is county-level (371302); NULL for a province or city code';

CREATE FUNCTION wagecheck.level(wagecheck.division_code) RETURNS text
    AS 'MODULE_PATHNAME', 'division_code_level'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.level(wagecheck.division_code) IS
    'the level of a division code: province (xx0000), city (xxyy00) or county';

CREATE FUNCTION wagecheck.contains(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'division_code_contains'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.contains(wagecheck.division_code, wagecheck.division_code) IS
    'true if the first division contains the second (a division contains itself)';

CREATE FUNCTION wagecheck.contained_by(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'division_code_contained_by'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.contained_by(wagecheck.division_code, wagecheck.division_code) IS
    'true if the first division lies within the second (a division lies within itself)';

CREATE OPERATOR wagecheck.@> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.contains,
    COMMUTATOR = OPERATOR(wagecheck.<@),
    RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR wagecheck.@> (wagecheck.division_code, wagecheck.division_code) IS
    'contains: 371300 @> 371302';

CREATE OPERATOR wagecheck.<@ (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.contained_by,
    COMMUTATOR = OPERATOR(wagecheck.@>),
    RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR wagecheck.<@ (wagecheck.division_code, wagecheck.division_code) IS
    'is contained by: 371302 <@ 371300';

-- Casts from and to text.
CREATE FUNCTION wagecheck.division_code(text) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code(text) IS
    'converts text to division_code, validating it like text input (cast text AS division_code)';

CREATE FUNCTION wagecheck.text(wagecheck.division_code) RETURNS text
    AS 'MODULE_PATHNAME', 'division_code_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.text(wagecheck.division_code) IS
    'the canonical text of a division_code (cast division_code AS text)';

CREATE CAST (text AS wagecheck.division_code) WITH FUNCTION wagecheck.division_code(text) AS ASSIGNMENT;
COMMENT ON CAST (text AS wagecheck.division_code) IS 'validates and normalises text into a division_code';
CREATE CAST (wagecheck.division_code AS text) WITH FUNCTION wagecheck.text(wagecheck.division_code) AS ASSIGNMENT;
COMMENT ON CAST (wagecheck.division_code AS text) IS 'the canonical text of a division_code';

CREATE FUNCTION wagecheck.is_valid_division_code(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_division_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_division_code(text) IS
    'true if the text is a valid division_code (dirty forms included); never raises for bad input';

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.division_code_eq(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_eq(wagecheck.division_code, wagecheck.division_code) IS 'implementation of = for division_code';

CREATE FUNCTION wagecheck.division_code_ne(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_ne(wagecheck.division_code, wagecheck.division_code) IS 'implementation of <> for division_code';

CREATE FUNCTION wagecheck.division_code_lt(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_lt(wagecheck.division_code, wagecheck.division_code) IS 'implementation of < for division_code';

CREATE FUNCTION wagecheck.division_code_le(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_le(wagecheck.division_code, wagecheck.division_code) IS 'implementation of <= for division_code';

CREATE FUNCTION wagecheck.division_code_gt(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_gt(wagecheck.division_code, wagecheck.division_code) IS 'implementation of > for division_code';

CREATE FUNCTION wagecheck.division_code_ge(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_ge(wagecheck.division_code, wagecheck.division_code) IS 'implementation of >= for division_code';

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
COMMENT ON OPERATOR wagecheck.= (wagecheck.division_code, wagecheck.division_code) IS 'equal';

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR wagecheck.<> (wagecheck.division_code, wagecheck.division_code) IS 'not equal';

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR wagecheck.< (wagecheck.division_code, wagecheck.division_code) IS 'less than';

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR wagecheck.<= (wagecheck.division_code, wagecheck.division_code) IS 'less than or equal';

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR wagecheck.> (wagecheck.division_code, wagecheck.division_code) IS 'greater than';

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR wagecheck.>= (wagecheck.division_code, wagecheck.division_code) IS 'greater than or equal';

CREATE FUNCTION wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int4_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code) IS 'btree comparison of division_code values';

CREATE FUNCTION wagecheck.division_code_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int4_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.division_code_sortsupport(internal) IS 'btree sort support of division_code';

CREATE FUNCTION wagecheck.division_code_hash(wagecheck.division_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int4_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_hash(wagecheck.division_code) IS 'hash of a division_code (hash indexes, hash joins)';

CREATE FUNCTION wagecheck.division_code_hash_extended(wagecheck.division_code, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int4_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.division_code_hash_extended(wagecheck.division_code, bigint) IS 'seeded 64-bit hash of a division_code';

CREATE OPERATOR CLASS wagecheck.division_code_ops
    DEFAULT FOR TYPE wagecheck.division_code USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code),
        FUNCTION 2 wagecheck.division_code_sortsupport(internal);
COMMENT ON OPERATOR CLASS wagecheck.division_code_ops USING btree IS 'default btree operator class of division_code';

CREATE OPERATOR CLASS wagecheck.division_code_ops
    DEFAULT FOR TYPE wagecheck.division_code USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.division_code_hash(wagecheck.division_code),
        FUNCTION 2 wagecheck.division_code_hash_extended(wagecheck.division_code, bigint);
COMMENT ON OPERATOR CLASS wagecheck.division_code_ops USING hash IS 'default hash operator class of division_code';

-- ==== src/ident/20_resident_id.sql
-- 居民身份证号码 — resident identity number (GB 11643-1999)

CREATE TYPE wagecheck.resident_id;

CREATE FUNCTION wagecheck.resident_id_in(cstring) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_in'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id_in(cstring) IS
    'input function of type resident_id: 18 characters or an old 15-digit number, full-width, lower-case x, spaces and hyphens accepted; the birth date may not be after today (stable)';

CREATE FUNCTION wagecheck.resident_id_out(wagecheck.resident_id) RETURNS cstring
    AS 'MODULE_PATHNAME', 'resident_id_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id_out(wagecheck.resident_id) IS
    'output function of type resident_id: the canonical form';

CREATE FUNCTION wagecheck.resident_id_recv(internal) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_recv'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id_recv(internal) IS
    'binary input function of type resident_id: the canonical text, validated like text input';

CREATE FUNCTION wagecheck.resident_id_send(wagecheck.resident_id) RETURNS bytea
    AS 'MODULE_PATHNAME', 'resident_id_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id_send(wagecheck.resident_id) IS
    'binary output function of type resident_id: the canonical text';

CREATE TYPE wagecheck.resident_id (
    INPUT = wagecheck.resident_id_in,
    OUTPUT = wagecheck.resident_id_out,
    RECEIVE = wagecheck.resident_id_recv,
    SEND = wagecheck.resident_id_send,
    LIKE = pg_catalog.int8
);

COMMENT ON TYPE wagecheck.resident_id IS
    '居民身份证号码, GB 11643-1999 resident identity number (also the social security number, HK/Macau/Taiwan residence permits and foreigners'' permanent residence cards)';

-- What the number says about its holder.
CREATE FUNCTION wagecheck.birth_date(wagecheck.resident_id) RETURNS date
    AS 'MODULE_PATHNAME', 'resident_id_birth_date'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.birth_date(wagecheck.resident_id) IS
    'the holder''s birth date (characters 7-14)';

CREATE FUNCTION wagecheck.sex(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_sex'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.sex(wagecheck.resident_id) IS
    'the holder''s sex as the number encodes it: M (odd 17th digit) or F (even)';

CREATE FUNCTION wagecheck.region(wagecheck.resident_id) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'resident_id_region'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.region(wagecheck.resident_id) IS
    'the division code of the number''s region (first six digits; 710000 for a Taiwan residents'' permit 830000; the issuing province for a foreigners'' card)';

CREATE FUNCTION wagecheck.age(wagecheck.resident_id, date) RETURNS integer
    AS 'MODULE_PATHNAME', 'resident_id_age_at'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.age(wagecheck.resident_id, date) IS
    'the holder''s age in full years on a date; NULL for a date before the birth date';

CREATE FUNCTION wagecheck.age(wagecheck.resident_id) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN wagecheck.age($1, CURRENT_DATE);
COMMENT ON FUNCTION wagecheck.age(wagecheck.resident_id) IS
    'the holder''s age in full years today';

CREATE FUNCTION wagecheck.mask(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_mask'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.mask(wagecheck.resident_id) IS
    'the number with its birth date hidden, 110105********002X, for roles that may not see it';

-- Casts from and to text.
CREATE FUNCTION wagecheck.resident_id(text) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_from_text'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id(text) IS
    'converts text to resident_id, validating it like text input (cast text AS resident_id)';

CREATE FUNCTION wagecheck.text(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.text(wagecheck.resident_id) IS
    'the canonical text of a resident_id (cast resident_id AS text)';

CREATE CAST (text AS wagecheck.resident_id) WITH FUNCTION wagecheck.resident_id(text) AS ASSIGNMENT;
COMMENT ON CAST (text AS wagecheck.resident_id) IS 'validates and normalises text into a resident_id';
CREATE CAST (wagecheck.resident_id AS text) WITH FUNCTION wagecheck.text(wagecheck.resident_id) AS ASSIGNMENT;
COMMENT ON CAST (wagecheck.resident_id AS text) IS 'the canonical text of a resident_id';

CREATE FUNCTION wagecheck.is_valid_resident_id(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_resident_id'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_resident_id(text) IS
    'true if the text is a valid resident_id (dirty forms included); never raises for bad input';

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.resident_id_eq(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_eq(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of = for resident_id';

CREATE FUNCTION wagecheck.resident_id_ne(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_ne(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of <> for resident_id';

CREATE FUNCTION wagecheck.resident_id_lt(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_lt(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of < for resident_id';

CREATE FUNCTION wagecheck.resident_id_le(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_le(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of <= for resident_id';

CREATE FUNCTION wagecheck.resident_id_gt(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_gt(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of > for resident_id';

CREATE FUNCTION wagecheck.resident_id_ge(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_ge(wagecheck.resident_id, wagecheck.resident_id) IS 'implementation of >= for resident_id';

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
COMMENT ON OPERATOR wagecheck.= (wagecheck.resident_id, wagecheck.resident_id) IS 'equal';

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR wagecheck.<> (wagecheck.resident_id, wagecheck.resident_id) IS 'not equal';

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR wagecheck.< (wagecheck.resident_id, wagecheck.resident_id) IS 'less than';

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR wagecheck.<= (wagecheck.resident_id, wagecheck.resident_id) IS 'less than or equal';

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR wagecheck.> (wagecheck.resident_id, wagecheck.resident_id) IS 'greater than';

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR wagecheck.>= (wagecheck.resident_id, wagecheck.resident_id) IS 'greater than or equal';

CREATE FUNCTION wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id) IS 'btree comparison of resident_id values';

CREATE FUNCTION wagecheck.resident_id_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int8_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.resident_id_sortsupport(internal) IS 'btree sort support of resident_id';

CREATE FUNCTION wagecheck.resident_id_hash(wagecheck.resident_id) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_hash(wagecheck.resident_id) IS 'hash of a resident_id (hash indexes, hash joins)';

CREATE FUNCTION wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint) IS 'seeded 64-bit hash of a resident_id';

CREATE OPERATOR CLASS wagecheck.resident_id_ops
    DEFAULT FOR TYPE wagecheck.resident_id USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id),
        FUNCTION 2 wagecheck.resident_id_sortsupport(internal);
COMMENT ON OPERATOR CLASS wagecheck.resident_id_ops USING btree IS 'default btree operator class of resident_id';

CREATE OPERATOR CLASS wagecheck.resident_id_ops
    DEFAULT FOR TYPE wagecheck.resident_id USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.resident_id_hash(wagecheck.resident_id),
        FUNCTION 2 wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint);
COMMENT ON OPERATOR CLASS wagecheck.resident_id_ops USING hash IS 'default hash operator class of resident_id';

-- ==== src/ident/30_credit_code.sql
-- 统一社会信用代码 — unified social credit code (GB 32100-2015)

CREATE TYPE wagecheck.credit_code;

CREATE FUNCTION wagecheck.credit_code_in(cstring) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code_in(cstring) IS
    'input function of type credit_code: 18 characters, full-width, lower case, spaces and hyphens accepted';

CREATE FUNCTION wagecheck.credit_code_out(wagecheck.credit_code) RETURNS cstring
    AS 'MODULE_PATHNAME', 'credit_code_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code_out(wagecheck.credit_code) IS
    'output function of type credit_code: the canonical form';

CREATE FUNCTION wagecheck.credit_code_recv(internal) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code_recv(internal) IS
    'binary input function of type credit_code: the canonical text, validated like text input';

CREATE FUNCTION wagecheck.credit_code_send(wagecheck.credit_code) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_code_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code_send(wagecheck.credit_code) IS
    'binary output function of type credit_code: the canonical text';

CREATE TYPE wagecheck.credit_code (
    INPUT = wagecheck.credit_code_in,
    OUTPUT = wagecheck.credit_code_out,
    RECEIVE = wagecheck.credit_code_recv,
    SEND = wagecheck.credit_code_send,
    INTERNALLENGTH = 11, ALIGNMENT = char, STORAGE = plain
);

COMMENT ON TYPE wagecheck.credit_code IS
    '统一社会信用代码, GB 32100-2015 unified social credit code of an enterprise or organisation';

-- The parts of the code.
CREATE FUNCTION wagecheck.registration_authority(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_authority'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.registration_authority(wagecheck.credit_code) IS
    'registration authority, character 1 (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他, ...)';

CREATE FUNCTION wagecheck.category(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_category'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.category(wagecheck.credit_code) IS
    'entity category within the authority, character 2 (under 9: 1 企业, 2 个体工商户, 3 农民专业合作社)';

CREATE FUNCTION wagecheck.region(wagecheck.credit_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'credit_code_region'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.region(wagecheck.credit_code) IS
    'division code of the registering authority (characters 3-8); NULL when that is not a province-level code, e.g. 100000 for central registrations';

-- Casts from and to text.
CREATE FUNCTION wagecheck.credit_code(text) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code(text) IS
    'converts text to credit_code, validating it like text input (cast text AS credit_code)';

CREATE FUNCTION wagecheck.text(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.text(wagecheck.credit_code) IS
    'the canonical text of a credit_code (cast credit_code AS text)';

CREATE CAST (text AS wagecheck.credit_code) WITH FUNCTION wagecheck.credit_code(text) AS ASSIGNMENT;
COMMENT ON CAST (text AS wagecheck.credit_code) IS 'validates and normalises text into a credit_code';
CREATE CAST (wagecheck.credit_code AS text) WITH FUNCTION wagecheck.text(wagecheck.credit_code) AS ASSIGNMENT;
COMMENT ON CAST (wagecheck.credit_code AS text) IS 'the canonical text of a credit_code';

CREATE FUNCTION wagecheck.is_valid_credit_code(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_credit_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_credit_code(text) IS
    'true if the text is a valid credit_code (dirty forms included); never raises for bad input';

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.credit_code_eq(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_eq(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of = for credit_code';

CREATE FUNCTION wagecheck.credit_code_ne(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_ne(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of <> for credit_code';

CREATE FUNCTION wagecheck.credit_code_lt(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_lt(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of < for credit_code';

CREATE FUNCTION wagecheck.credit_code_le(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_le(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of <= for credit_code';

CREATE FUNCTION wagecheck.credit_code_gt(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_gt(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of > for credit_code';

CREATE FUNCTION wagecheck.credit_code_ge(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_ge(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of >= for credit_code';

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
COMMENT ON OPERATOR wagecheck.= (wagecheck.credit_code, wagecheck.credit_code) IS 'equal';

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR wagecheck.<> (wagecheck.credit_code, wagecheck.credit_code) IS 'not equal';

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR wagecheck.< (wagecheck.credit_code, wagecheck.credit_code) IS 'less than';

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR wagecheck.<= (wagecheck.credit_code, wagecheck.credit_code) IS 'less than or equal';

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR wagecheck.> (wagecheck.credit_code, wagecheck.credit_code) IS 'greater than';

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR wagecheck.>= (wagecheck.credit_code, wagecheck.credit_code) IS 'greater than or equal';

CREATE FUNCTION wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_credit_code_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code) IS 'btree comparison of credit_code values';

CREATE FUNCTION wagecheck.credit_code_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_credit_code_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.credit_code_sortsupport(internal) IS 'btree sort support of credit_code';

CREATE FUNCTION wagecheck.credit_code_hash(wagecheck.credit_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_credit_code_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_hash(wagecheck.credit_code) IS 'hash of a credit_code (hash indexes, hash joins)';

CREATE FUNCTION wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_credit_code_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint) IS 'seeded 64-bit hash of a credit_code';

CREATE OPERATOR CLASS wagecheck.credit_code_ops
    DEFAULT FOR TYPE wagecheck.credit_code USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code),
        FUNCTION 2 wagecheck.credit_code_sortsupport(internal);
COMMENT ON OPERATOR CLASS wagecheck.credit_code_ops USING btree IS 'default btree operator class of credit_code';

CREATE OPERATOR CLASS wagecheck.credit_code_ops
    DEFAULT FOR TYPE wagecheck.credit_code USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.credit_code_hash(wagecheck.credit_code),
        FUNCTION 2 wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint);
COMMENT ON OPERATOR CLASS wagecheck.credit_code_ops USING hash IS 'default hash operator class of credit_code';

-- ==== src/ident/40_bank_card.sql
-- 银行卡号 — worker wage card number (12-19 digits, Luhn)

CREATE TYPE wagecheck.bank_card;

CREATE FUNCTION wagecheck.bank_card_in(cstring) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card_in(cstring) IS
    'input function of type bank_card: 12-19 digits, full-width, spaces and hyphens accepted';

CREATE FUNCTION wagecheck.bank_card_out(wagecheck.bank_card) RETURNS cstring
    AS 'MODULE_PATHNAME', 'bank_card_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card_out(wagecheck.bank_card) IS
    'output function of type bank_card: the canonical form';

CREATE FUNCTION wagecheck.bank_card_recv(internal) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card_recv(internal) IS
    'binary input function of type bank_card: the canonical text, validated like text input';

CREATE FUNCTION wagecheck.bank_card_send(wagecheck.bank_card) RETURNS bytea
    AS 'MODULE_PATHNAME', 'bank_card_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card_send(wagecheck.bank_card) IS
    'binary output function of type bank_card: the canonical text';

CREATE TYPE wagecheck.bank_card (
    INPUT = wagecheck.bank_card_in,
    OUTPUT = wagecheck.bank_card_out,
    RECEIVE = wagecheck.bank_card_recv,
    SEND = wagecheck.bank_card_send,
    LIKE = pg_catalog.int8
);

COMMENT ON TYPE wagecheck.bank_card IS
    'worker wage card number: 12-19 digits ending in a Luhn check digit; orders by length, then numerically';

CREATE FUNCTION wagecheck.mask(wagecheck.bank_card) RETURNS text
    AS 'MODULE_PATHNAME', 'bank_card_mask'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.mask(wagecheck.bank_card) IS
    'the card number as 6222 **** **** 1234 (first and last four digits; length hidden) for roles that may not see it';

-- Casts from and to text.
CREATE FUNCTION wagecheck.bank_card(text) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card(text) IS
    'converts text to bank_card, validating it like text input (cast text AS bank_card)';

CREATE FUNCTION wagecheck.text(wagecheck.bank_card) RETURNS text
    AS 'MODULE_PATHNAME', 'bank_card_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.text(wagecheck.bank_card) IS
    'the canonical text of a bank_card (cast bank_card AS text)';

CREATE CAST (text AS wagecheck.bank_card) WITH FUNCTION wagecheck.bank_card(text) AS ASSIGNMENT;
COMMENT ON CAST (text AS wagecheck.bank_card) IS 'validates and normalises text into a bank_card';
CREATE CAST (wagecheck.bank_card AS text) WITH FUNCTION wagecheck.text(wagecheck.bank_card) AS ASSIGNMENT;
COMMENT ON CAST (wagecheck.bank_card AS text) IS 'the canonical text of a bank_card';

CREATE FUNCTION wagecheck.is_valid_bank_card(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_bank_card'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_bank_card(text) IS
    'true if the text is a valid bank_card (dirty forms included); never raises for bad input';

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.bank_card_eq(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_eq(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of = for bank_card';

CREATE FUNCTION wagecheck.bank_card_ne(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_ne(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of <> for bank_card';

CREATE FUNCTION wagecheck.bank_card_lt(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_lt(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of < for bank_card';

CREATE FUNCTION wagecheck.bank_card_le(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_le(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of <= for bank_card';

CREATE FUNCTION wagecheck.bank_card_gt(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_gt(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of > for bank_card';

CREATE FUNCTION wagecheck.bank_card_ge(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_ge(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of >= for bank_card';

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
COMMENT ON OPERATOR wagecheck.= (wagecheck.bank_card, wagecheck.bank_card) IS 'equal';

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR wagecheck.<> (wagecheck.bank_card, wagecheck.bank_card) IS 'not equal';

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR wagecheck.< (wagecheck.bank_card, wagecheck.bank_card) IS 'less than';

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR wagecheck.<= (wagecheck.bank_card, wagecheck.bank_card) IS 'less than or equal';

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR wagecheck.> (wagecheck.bank_card, wagecheck.bank_card) IS 'greater than';

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR wagecheck.>= (wagecheck.bank_card, wagecheck.bank_card) IS 'greater than or equal';

CREATE FUNCTION wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card) IS 'btree comparison of bank_card values';

CREATE FUNCTION wagecheck.bank_card_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int8_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.bank_card_sortsupport(internal) IS 'btree sort support of bank_card';

CREATE FUNCTION wagecheck.bank_card_hash(wagecheck.bank_card) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_hash(wagecheck.bank_card) IS 'hash of a bank_card (hash indexes, hash joins)';

CREATE FUNCTION wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint) IS 'seeded 64-bit hash of a bank_card';

CREATE OPERATOR CLASS wagecheck.bank_card_ops
    DEFAULT FOR TYPE wagecheck.bank_card USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card),
        FUNCTION 2 wagecheck.bank_card_sortsupport(internal);
COMMENT ON OPERATOR CLASS wagecheck.bank_card_ops USING btree IS 'default btree operator class of bank_card';

CREATE OPERATOR CLASS wagecheck.bank_card_ops
    DEFAULT FOR TYPE wagecheck.bank_card USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.bank_card_hash(wagecheck.bank_card),
        FUNCTION 2 wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint);
COMMENT ON OPERATOR CLASS wagecheck.bank_card_ops USING hash IS 'default hash operator class of bank_card';

-- ==== src/calendar/10_holiday.sql
-- Calendar: the official holiday arrangements and working-day arithmetic.

CREATE TABLE wagecheck.holiday (
    day      date PRIMARY KEY
             CHECK (day BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'),
    kind     text NOT NULL CHECK (kind IN ('off', 'work')),
    name     text NOT NULL,
    shipped  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE wagecheck.holiday IS
    'days that depart from the Monday-Friday week: public holidays (off) and swapped working weekends (调休, work), as announced by the State Council each year; a year with no row here uses Saturday/Sunday rest days';
COMMENT ON COLUMN wagecheck.holiday.day IS 'the date';
COMMENT ON COLUMN wagecheck.holiday.kind IS 'off: a day off (holiday or rest day moved onto a weekday); work: a working day (a weekend day worked in exchange)';
COMMENT ON COLUMN wagecheck.holiday.name IS 'the holiday the arrangement belongs to, e.g. 春节, 国庆节';
COMMENT ON COLUMN wagecheck.holiday.shipped IS 'true for the arrangements installed with wagecheck; rows added by users are false and are the ones pg_dump saves';

-- Rows users add (shipped = false) are configuration that pg_dump must keep.
SELECT pg_catalog.pg_extension_config_dump('wagecheck.holiday', 'WHERE NOT shipped');

GRANT SELECT ON wagecheck.holiday TO PUBLIC;

CREATE FUNCTION wagecheck.holiday_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_holiday_changed'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.holiday_changed() IS
    'statement trigger of wagecheck.holiday: invalidates the holiday cache of every backend (others see the change after commit)';

CREATE TRIGGER holiday_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wagecheck.holiday
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.holiday_changed();
COMMENT ON TRIGGER holiday_changed ON wagecheck.holiday IS
    'keeps the per-backend holiday cache of the working-day functions fresh';

CREATE FUNCTION wagecheck.holiday_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_holiday_guard'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.holiday_guard() IS
    'trigger of wagecheck.holiday: refuses to add, change, delete or truncate shipped arrangements outside wagecheck''s own scripts (pg_dump keeps only rows users added)';

CREATE TRIGGER holiday_guard
    BEFORE INSERT OR UPDATE OR DELETE ON wagecheck.holiday
    FOR EACH ROW EXECUTE FUNCTION wagecheck.holiday_guard();
COMMENT ON TRIGGER holiday_guard ON wagecheck.holiday IS
    'keeps shipped rows (shipped = true) as shipped, so that a dump and restore loses nothing';
CREATE TRIGGER holiday_guard_truncate
    BEFORE TRUNCATE ON wagecheck.holiday
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.holiday_guard();
COMMENT ON TRIGGER holiday_guard_truncate ON wagecheck.holiday IS
    'TRUNCATE would remove the shipped rows: refused (DELETE FROM wagecheck.holiday WHERE NOT shipped removes the rows users added)';

CREATE FUNCTION wagecheck.is_working_day(date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_is_working_day'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_working_day(date) IS
    'true when the date is a working day: per wagecheck.holiday where it has a row, else Monday to Friday';

CREATE FUNCTION wagecheck.add_working_days(date, integer) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_add_working_days'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.add_working_days(date, integer) IS
    'the n-th working day after the date (n > 0), before it (n < 0), or the date itself (n = 0), e.g. a deadline of n working days (工作日)';

CREATE FUNCTION wagecheck.working_days_between(date, date) RETURNS integer
    AS 'MODULE_PATHNAME', 'wagecheck_working_days_between'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.working_days_between(date, date) IS
    'working days in (a, b]: after a, up to and including b; negative when b < a; working_days_between(a, add_working_days(a, n)) = n for n >= 0';

CREATE FUNCTION wagecheck.pay_day(date) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_pay_day'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.pay_day(date) IS
    'the actual pay day of a nominal pay day: the date itself when it is a working day, else the last working day before it (工资支付暂行规定 art. 7; Decree 724 art. 14)';

-- ==== src/calendar/20_holiday_data.sql
-- Calendar: the official holiday arrangements shipped with wagecheck.
-- Generated from src/calendar/holidays-cn.csv by src/calendar/gen-holiday-data.sh; do not edit.
INSERT INTO wagecheck.holiday (day, kind, name, shipped) VALUES
    ('2020-01-01', 'off', '元旦', true),
    ('2020-01-19', 'work', '春节', true),
    ('2020-01-24', 'off', '春节', true),
    ('2020-01-25', 'off', '春节', true),
    ('2020-01-26', 'off', '春节', true),
    ('2020-01-27', 'off', '春节', true),
    ('2020-01-28', 'off', '春节', true),
    ('2020-01-29', 'off', '春节', true),
    ('2020-01-30', 'off', '春节', true),
    ('2020-01-31', 'off', '春节', true),
    ('2020-02-01', 'off', '春节', true),
    ('2020-02-02', 'off', '春节', true),
    ('2020-04-04', 'off', '清明节', true),
    ('2020-04-05', 'off', '清明节', true),
    ('2020-04-06', 'off', '清明节', true),
    ('2020-04-26', 'work', '劳动节', true),
    ('2020-05-01', 'off', '劳动节', true),
    ('2020-05-02', 'off', '劳动节', true),
    ('2020-05-03', 'off', '劳动节', true),
    ('2020-05-04', 'off', '劳动节', true),
    ('2020-05-05', 'off', '劳动节', true),
    ('2020-05-09', 'work', '劳动节', true),
    ('2020-06-25', 'off', '端午节', true),
    ('2020-06-26', 'off', '端午节', true),
    ('2020-06-27', 'off', '端午节', true),
    ('2020-06-28', 'work', '端午节', true),
    ('2020-09-27', 'work', '国庆节、中秋节', true),
    ('2020-10-01', 'off', '国庆节、中秋节', true),
    ('2020-10-02', 'off', '国庆节、中秋节', true),
    ('2020-10-03', 'off', '国庆节、中秋节', true),
    ('2020-10-04', 'off', '国庆节、中秋节', true),
    ('2020-10-05', 'off', '国庆节、中秋节', true),
    ('2020-10-06', 'off', '国庆节、中秋节', true),
    ('2020-10-07', 'off', '国庆节、中秋节', true),
    ('2020-10-08', 'off', '国庆节、中秋节', true),
    ('2020-10-10', 'work', '国庆节、中秋节', true),
    ('2021-01-01', 'off', '元旦', true),
    ('2021-01-02', 'off', '元旦', true),
    ('2021-01-03', 'off', '元旦', true),
    ('2021-02-07', 'work', '春节', true),
    ('2021-02-11', 'off', '春节', true),
    ('2021-02-12', 'off', '春节', true),
    ('2021-02-13', 'off', '春节', true),
    ('2021-02-14', 'off', '春节', true),
    ('2021-02-15', 'off', '春节', true),
    ('2021-02-16', 'off', '春节', true),
    ('2021-02-17', 'off', '春节', true),
    ('2021-02-20', 'work', '春节', true),
    ('2021-04-03', 'off', '清明节', true),
    ('2021-04-04', 'off', '清明节', true),
    ('2021-04-05', 'off', '清明节', true),
    ('2021-04-25', 'work', '劳动节', true),
    ('2021-05-01', 'off', '劳动节', true),
    ('2021-05-02', 'off', '劳动节', true),
    ('2021-05-03', 'off', '劳动节', true),
    ('2021-05-04', 'off', '劳动节', true),
    ('2021-05-05', 'off', '劳动节', true),
    ('2021-05-08', 'work', '劳动节', true),
    ('2021-06-12', 'off', '端午节', true),
    ('2021-06-13', 'off', '端午节', true),
    ('2021-06-14', 'off', '端午节', true),
    ('2021-09-18', 'work', '中秋节', true),
    ('2021-09-19', 'off', '中秋节', true),
    ('2021-09-20', 'off', '中秋节', true),
    ('2021-09-21', 'off', '中秋节', true),
    ('2021-09-26', 'work', '国庆节', true),
    ('2021-10-01', 'off', '国庆节', true),
    ('2021-10-02', 'off', '国庆节', true),
    ('2021-10-03', 'off', '国庆节', true),
    ('2021-10-04', 'off', '国庆节', true),
    ('2021-10-05', 'off', '国庆节', true),
    ('2021-10-06', 'off', '国庆节', true),
    ('2021-10-07', 'off', '国庆节', true),
    ('2021-10-09', 'work', '国庆节', true),
    ('2022-01-01', 'off', '元旦', true),
    ('2022-01-02', 'off', '元旦', true),
    ('2022-01-03', 'off', '元旦', true),
    ('2022-01-29', 'work', '春节', true),
    ('2022-01-30', 'work', '春节', true),
    ('2022-01-31', 'off', '春节', true),
    ('2022-02-01', 'off', '春节', true),
    ('2022-02-02', 'off', '春节', true),
    ('2022-02-03', 'off', '春节', true),
    ('2022-02-04', 'off', '春节', true),
    ('2022-02-05', 'off', '春节', true),
    ('2022-02-06', 'off', '春节', true),
    ('2022-04-02', 'work', '清明节', true),
    ('2022-04-03', 'off', '清明节', true),
    ('2022-04-04', 'off', '清明节', true),
    ('2022-04-05', 'off', '清明节', true),
    ('2022-04-24', 'work', '劳动节', true),
    ('2022-04-30', 'off', '劳动节', true),
    ('2022-05-01', 'off', '劳动节', true),
    ('2022-05-02', 'off', '劳动节', true),
    ('2022-05-03', 'off', '劳动节', true),
    ('2022-05-04', 'off', '劳动节', true),
    ('2022-05-07', 'work', '劳动节', true),
    ('2022-06-03', 'off', '端午节', true),
    ('2022-06-04', 'off', '端午节', true),
    ('2022-06-05', 'off', '端午节', true),
    ('2022-09-10', 'off', '中秋节', true),
    ('2022-09-11', 'off', '中秋节', true),
    ('2022-09-12', 'off', '中秋节', true),
    ('2022-10-01', 'off', '国庆节', true),
    ('2022-10-02', 'off', '国庆节', true),
    ('2022-10-03', 'off', '国庆节', true),
    ('2022-10-04', 'off', '国庆节', true),
    ('2022-10-05', 'off', '国庆节', true),
    ('2022-10-06', 'off', '国庆节', true),
    ('2022-10-07', 'off', '国庆节', true),
    ('2022-10-08', 'work', '国庆节', true),
    ('2022-10-09', 'work', '国庆节', true),
    ('2022-12-31', 'off', '元旦', true),
    ('2023-01-01', 'off', '元旦', true),
    ('2023-01-02', 'off', '元旦', true),
    ('2023-01-21', 'off', '春节', true),
    ('2023-01-22', 'off', '春节', true),
    ('2023-01-23', 'off', '春节', true),
    ('2023-01-24', 'off', '春节', true),
    ('2023-01-25', 'off', '春节', true),
    ('2023-01-26', 'off', '春节', true),
    ('2023-01-27', 'off', '春节', true),
    ('2023-01-28', 'work', '春节', true),
    ('2023-01-29', 'work', '春节', true),
    ('2023-04-05', 'off', '清明节', true),
    ('2023-04-23', 'work', '劳动节', true),
    ('2023-04-29', 'off', '劳动节', true),
    ('2023-04-30', 'off', '劳动节', true),
    ('2023-05-01', 'off', '劳动节', true),
    ('2023-05-02', 'off', '劳动节', true),
    ('2023-05-03', 'off', '劳动节', true),
    ('2023-05-06', 'work', '劳动节', true),
    ('2023-06-22', 'off', '端午节', true),
    ('2023-06-23', 'off', '端午节', true),
    ('2023-06-24', 'off', '端午节', true),
    ('2023-06-25', 'work', '端午节', true),
    ('2023-09-29', 'off', '国庆节、中秋节', true),
    ('2023-09-30', 'off', '国庆节、中秋节', true),
    ('2023-10-01', 'off', '国庆节、中秋节', true),
    ('2023-10-02', 'off', '国庆节、中秋节', true),
    ('2023-10-03', 'off', '国庆节、中秋节', true),
    ('2023-10-04', 'off', '国庆节、中秋节', true),
    ('2023-10-05', 'off', '国庆节、中秋节', true),
    ('2023-10-06', 'off', '国庆节、中秋节', true),
    ('2023-10-07', 'work', '国庆节、中秋节', true),
    ('2023-10-08', 'work', '国庆节、中秋节', true),
    ('2023-12-30', 'off', '元旦', true),
    ('2023-12-31', 'off', '元旦', true),
    ('2024-01-01', 'off', '元旦', true),
    ('2024-02-04', 'work', '春节', true),
    ('2024-02-10', 'off', '春节', true),
    ('2024-02-11', 'off', '春节', true),
    ('2024-02-12', 'off', '春节', true),
    ('2024-02-13', 'off', '春节', true),
    ('2024-02-14', 'off', '春节', true),
    ('2024-02-15', 'off', '春节', true),
    ('2024-02-16', 'off', '春节', true),
    ('2024-02-17', 'off', '春节', true),
    ('2024-02-18', 'work', '春节', true),
    ('2024-04-04', 'off', '清明节', true),
    ('2024-04-05', 'off', '清明节', true),
    ('2024-04-06', 'off', '清明节', true),
    ('2024-04-07', 'work', '清明节', true),
    ('2024-04-28', 'work', '劳动节', true),
    ('2024-05-01', 'off', '劳动节', true),
    ('2024-05-02', 'off', '劳动节', true),
    ('2024-05-03', 'off', '劳动节', true),
    ('2024-05-04', 'off', '劳动节', true),
    ('2024-05-05', 'off', '劳动节', true),
    ('2024-05-11', 'work', '劳动节', true),
    ('2024-06-08', 'off', '端午节', true),
    ('2024-06-09', 'off', '端午节', true),
    ('2024-06-10', 'off', '端午节', true),
    ('2024-09-14', 'work', '中秋节', true),
    ('2024-09-15', 'off', '中秋节', true),
    ('2024-09-16', 'off', '中秋节', true),
    ('2024-09-17', 'off', '中秋节', true),
    ('2024-09-29', 'work', '国庆节', true),
    ('2024-10-01', 'off', '国庆节', true),
    ('2024-10-02', 'off', '国庆节', true),
    ('2024-10-03', 'off', '国庆节', true),
    ('2024-10-04', 'off', '国庆节', true),
    ('2024-10-05', 'off', '国庆节', true),
    ('2024-10-06', 'off', '国庆节', true),
    ('2024-10-07', 'off', '国庆节', true),
    ('2024-10-12', 'work', '国庆节', true),
    ('2025-01-01', 'off', '元旦', true),
    ('2025-01-26', 'work', '春节', true),
    ('2025-01-28', 'off', '春节', true),
    ('2025-01-29', 'off', '春节', true),
    ('2025-01-30', 'off', '春节', true),
    ('2025-01-31', 'off', '春节', true),
    ('2025-02-01', 'off', '春节', true),
    ('2025-02-02', 'off', '春节', true),
    ('2025-02-03', 'off', '春节', true),
    ('2025-02-04', 'off', '春节', true),
    ('2025-02-08', 'work', '春节', true),
    ('2025-04-04', 'off', '清明节', true),
    ('2025-04-05', 'off', '清明节', true),
    ('2025-04-06', 'off', '清明节', true),
    ('2025-04-27', 'work', '劳动节', true),
    ('2025-05-01', 'off', '劳动节', true),
    ('2025-05-02', 'off', '劳动节', true),
    ('2025-05-03', 'off', '劳动节', true),
    ('2025-05-04', 'off', '劳动节', true),
    ('2025-05-05', 'off', '劳动节', true),
    ('2025-05-31', 'off', '端午节', true),
    ('2025-06-01', 'off', '端午节', true),
    ('2025-06-02', 'off', '端午节', true),
    ('2025-09-28', 'work', '国庆节、中秋节', true),
    ('2025-10-01', 'off', '国庆节、中秋节', true),
    ('2025-10-02', 'off', '国庆节、中秋节', true),
    ('2025-10-03', 'off', '国庆节、中秋节', true),
    ('2025-10-04', 'off', '国庆节、中秋节', true),
    ('2025-10-05', 'off', '国庆节、中秋节', true),
    ('2025-10-06', 'off', '国庆节、中秋节', true),
    ('2025-10-07', 'off', '国庆节、中秋节', true),
    ('2025-10-08', 'off', '国庆节、中秋节', true),
    ('2025-10-11', 'work', '国庆节、中秋节', true),
    ('2026-01-01', 'off', '元旦', true),
    ('2026-01-02', 'off', '元旦', true),
    ('2026-01-03', 'off', '元旦', true),
    ('2026-01-04', 'work', '元旦', true),
    ('2026-02-14', 'work', '春节', true),
    ('2026-02-15', 'off', '春节', true),
    ('2026-02-16', 'off', '春节', true),
    ('2026-02-17', 'off', '春节', true),
    ('2026-02-18', 'off', '春节', true),
    ('2026-02-19', 'off', '春节', true),
    ('2026-02-20', 'off', '春节', true),
    ('2026-02-21', 'off', '春节', true),
    ('2026-02-22', 'off', '春节', true),
    ('2026-02-23', 'off', '春节', true),
    ('2026-02-28', 'work', '春节', true),
    ('2026-04-04', 'off', '清明节', true),
    ('2026-04-05', 'off', '清明节', true),
    ('2026-04-06', 'off', '清明节', true),
    ('2026-05-01', 'off', '劳动节', true),
    ('2026-05-02', 'off', '劳动节', true),
    ('2026-05-03', 'off', '劳动节', true),
    ('2026-05-04', 'off', '劳动节', true),
    ('2026-05-05', 'off', '劳动节', true),
    ('2026-05-09', 'work', '劳动节', true),
    ('2026-06-19', 'off', '端午节', true),
    ('2026-06-20', 'off', '端午节', true),
    ('2026-06-21', 'off', '端午节', true),
    ('2026-09-20', 'work', '国庆节', true),
    ('2026-09-25', 'off', '中秋节', true),
    ('2026-09-26', 'off', '中秋节', true),
    ('2026-09-27', 'off', '中秋节', true),
    ('2026-10-01', 'off', '国庆节', true),
    ('2026-10-02', 'off', '国庆节', true),
    ('2026-10-03', 'off', '国庆节', true),
    ('2026-10-04', 'off', '国庆节', true),
    ('2026-10-05', 'off', '国庆节', true),
    ('2026-10-06', 'off', '国庆节', true),
    ('2026-10-07', 'off', '国庆节', true),
    ('2026-10-10', 'work', '国庆节', true);

-- ==== src/calendar/30_lunar.sql
-- Calendar: the Chinese (lunisolar) calendar and its festivals, from ICU's Chinese
-- calendar corrected to the official dates (src/core/lunar.c), lunar years 1929-2100.
-- IMMUTABLE: the official calendar does not change; `make test` checks every month of
-- 1929-2100 against a precise new-moon computation with the ICU wagecheck is built with.

CREATE FUNCTION wagecheck.lunar_to_gregorian(year integer, month integer, day integer,
                                             leap boolean DEFAULT false) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_lunar_to_gregorian'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.lunar_to_gregorian(integer, integer, integer, boolean) IS
    'the date of a Chinese-calendar date: lunar year (the Gregorian year it starts in), month 1-12, day 1-30, leap = true for the leap month (闰月); years 1929-2100';

CREATE FUNCTION wagecheck.gregorian_to_lunar(date, OUT year integer, OUT month integer,
                                             OUT day integer, OUT leap boolean)
    AS 'MODULE_PATHNAME', 'wagecheck_gregorian_to_lunar'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.gregorian_to_lunar(date) IS
    'the Chinese-calendar date of a date: lunar year, month, day and whether the month is the leap month (闰月)';

CREATE FUNCTION wagecheck.spring_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false);
COMMENT ON FUNCTION wagecheck.spring_festival(integer) IS
    'the Spring Festival (春节, lunar 1/1) of a Gregorian year, e.g. the deadline "before the Spring Festival of year Y"';

CREATE FUNCTION wagecheck.lunar_new_year(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false);
COMMENT ON FUNCTION wagecheck.lunar_new_year(integer) IS
    'the first day of the lunar year starting in a Gregorian year (lunar 1/1): the same day as spring_festival(year)';

CREATE FUNCTION wagecheck.chinese_new_years_eve(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false) - 1;
COMMENT ON FUNCTION wagecheck.chinese_new_years_eve(integer) IS
    'Chinese New Year''s Eve (除夕): the last day of the lunar year, the eve of spring_festival(year), a day off since 2025';

CREATE FUNCTION wagecheck.lantern_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 15, false);
COMMENT ON FUNCTION wagecheck.lantern_festival(integer) IS
    'the Lantern Festival (元宵节, lunar 1/15) of a Gregorian year';

CREATE FUNCTION wagecheck.dragon_boat_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 5, 5, false);
COMMENT ON FUNCTION wagecheck.dragon_boat_festival(integer) IS
    'the Dragon Boat Festival (端午节, lunar 5/5) of a Gregorian year';

CREATE FUNCTION wagecheck.mid_autumn_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 8, 15, false);
COMMENT ON FUNCTION wagecheck.mid_autumn_festival(integer) IS
    'the Mid-Autumn Festival (中秋节, lunar 8/15) of a Gregorian year';

-- ==== src/schema/schema.sql
-- Domain schema: who builds what where, who works on it, how the money moves.
-- Money is numeric(14,2); months are the first day of the month (date); every table
-- that holds user data is registered with pg_extension_config_dump at the end.

CREATE TABLE wagecheck.enterprise (
    enterprise_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    credit_code     wagecheck.credit_code NOT NULL UNIQUE,
    name            text NOT NULL CHECK (name <> ''),
    role            text NOT NULL DEFAULT 'general_contractor'
                    CHECK (role IN ('owner', 'general_contractor', 'subcontractor', 'labour_company')),
    legal_rep       text,
    division        wagecheck.division_code,
    created_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE wagecheck.enterprise IS 'enterprises by unified social credit code: owners (建设单位), general contractors (施工总承包单位), subcontractors (分包单位), labour companies (劳务公司)';
COMMENT ON COLUMN wagecheck.enterprise.role IS 'main role of the enterprise; its role on a given project comes from project and subcontract';
COMMENT ON COLUMN wagecheck.enterprise.legal_rep IS 'legal representative (法定代表人), listed with the unit on the dishonest list';

CREATE TABLE wagecheck.project (
    project_id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code <> ''),
    name              text NOT NULL CHECK (name <> ''),
    division          wagecheck.division_code NOT NULL,
    sector            text NOT NULL
                      CHECK (sector IN ('housing', 'transport', 'water', 'municipal', 'development_reform', 'other')),
    funding           text NOT NULL CHECK (funding IN ('government', 'soe', 'other')),
    owner_id          bigint NOT NULL REFERENCES wagecheck.enterprise,
    contractor_id     bigint NOT NULL REFERENCES wagecheck.enterprise,
    contract_value    numeric(14,2) CHECK (contract_value >= 0),
    contract_signed_on date,
    labour_share      numeric(5,4) CHECK (labour_share >= 0 AND labour_share <= 1),
    start_on          date,
    planned_end_on    date,
    completed_on      date,
    status            text NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'under_construction', 'suspended', 'completed', 'closed')),
    notice_board_on   date,
    complaint_qr      text,
    enforcement_mode  text NOT NULL DEFAULT 'reject' CHECK (enforcement_mode IN ('reject', 'alert')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (planned_end_on IS NULL OR start_on IS NULL OR planned_end_on >= start_on)
);
COMMENT ON TABLE wagecheck.project IS 'construction projects under wage supervision (在建工程项目)';
COMMENT ON COLUMN wagecheck.project.division IS 'administrative division (行政区划代码) of the site; county and city roll-ups are prefixes';
COMMENT ON COLUMN wagecheck.project.sector IS 'sector regulator (行业主管部门): housing 住建, transport 交通, water 水利, municipal 市政, development_reform 发改, other';
COMMENT ON COLUMN wagecheck.project.funding IS 'funding type: government investment (政府投资), state-owned enterprise (国企), other';
COMMENT ON COLUMN wagecheck.project.labour_share IS 'labour-cost share (人工费用比例) of progress payments agreed in the construction contract';
COMMENT ON COLUMN wagecheck.project.notice_board_on IS 'date the rights notice board (维权信息告示牌) was recorded at the site';
COMMENT ON COLUMN wagecheck.project.complaint_qr IS 'the project''s wage-complaint QR code (欠薪投诉二维码) link';
COMMENT ON COLUMN wagecheck.project.enforcement_mode IS 'reject: rule violations raise an error; alert: the row is accepted and a violation is recorded';

CREATE TABLE wagecheck.subcontract (
    subcontract_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id       bigint NOT NULL REFERENCES wagecheck.project,
    contractor_id    bigint NOT NULL REFERENCES wagecheck.enterprise,
    subcontractor_id bigint NOT NULL REFERENCES wagecheck.enterprise,
    kind             text NOT NULL CHECK (kind IN ('professional', 'labour')),
    value            numeric(14,2) CHECK (value >= 0),
    signed_on        date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, subcontractor_id)
);
COMMENT ON TABLE wagecheck.subcontract IS 'professional subcontracts (专业分包) and labour subcontracts (劳务分包) on a project';

CREATE TABLE wagecheck.worker (
    worker_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    resident_id   wagecheck.resident_id NOT NULL UNIQUE,
    name          text NOT NULL CHECK (name <> ''),
    phone         text,
    wage_card     wagecheck.bank_card,
    card_bank     text,
    registered_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE wagecheck.worker IS 'workers registered by real name (实名制) with their own wage card';
CREATE INDEX ON wagecheck.worker (wage_card);
COMMENT ON COLUMN wagecheck.worker.wage_card IS 'the worker''s own bank card: wages from the dedicated account may go only here';

CREATE TABLE wagecheck.roster (
    roster_id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id         bigint NOT NULL REFERENCES wagecheck.project,
    worker_id          bigint NOT NULL REFERENCES wagecheck.worker,
    employer_id        bigint NOT NULL REFERENCES wagecheck.enterprise,
    trade              text,
    contract_signed_on date,
    wage_basis         text NOT NULL DEFAULT 'monthly'
                       CHECK (wage_basis IN ('monthly', 'daily', 'hourly', 'piece')),
    wage_rate          numeric(14,2) CHECK (wage_rate >= 0),
    pay_day            smallint NOT NULL DEFAULT 15 CHECK (pay_day BETWEEN 1 AND 31),
    pay_month_offset   smallint NOT NULL DEFAULT 1 CHECK (pay_month_offset IN (0, 1)),
    start_on           date NOT NULL,
    end_on             date,
    settled_on         date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (end_on IS NULL OR end_on >= start_on),
    UNIQUE (project_id, worker_id, start_on)
);
COMMENT ON TABLE wagecheck.roster IS 'real-name roster (用工管理台账): a worker''s engagement on a project';
COMMENT ON COLUMN wagecheck.roster.contract_signed_on IS 'date the written labour contract was signed; NULL = no contract (RN02)';
COMMENT ON COLUMN wagecheck.roster.pay_day IS 'agreed pay day of the month (moved earlier when it falls on a holiday or rest day)';
COMMENT ON COLUMN wagecheck.roster.pay_month_offset IS '0: wages of a month are paid in the same month; 1: in the next month';
COMMENT ON COLUMN wagecheck.roster.settled_on IS 'date of final wage settlement after leaving (WP07)';
CREATE INDEX ON wagecheck.roster (worker_id);

CREATE TABLE wagecheck.attendance (
    project_id bigint NOT NULL REFERENCES wagecheck.project,
    worker_id  bigint NOT NULL REFERENCES wagecheck.worker,
    day        date NOT NULL,
    hours      numeric(4,1) CHECK (hours >= 0 AND hours <= 24),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, worker_id, day)
);
COMMENT ON TABLE wagecheck.attendance IS 'daily attendance (考勤) of workers on a project';

CREATE TABLE wagecheck.wage_account (
    account_id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id         bigint NOT NULL REFERENCES wagecheck.project,
    bank               text NOT NULL,
    account_no         text NOT NULL UNIQUE CHECK (account_no <> '' AND length(account_no) <= 40),
    account_name       text,
    opened_on          date NOT NULL,
    registered_on      date,
    closure_notice_on  date,
    closed_on          date,
    balance            numeric(14,2) NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
COMMENT ON TABLE wagecheck.wage_account IS 'dedicated wage account (农民工工资专用账户), one open account per project';
COMMENT ON COLUMN wagecheck.wage_account.account_no IS 'corporate account number: no public checksum, kept as text';
COMMENT ON COLUMN wagecheck.wage_account.closure_notice_on IS 'first day of the 30-day public notice before closure (AC05)';
COMMENT ON COLUMN wagecheck.wage_account.balance IS 'current balance, maintained by the enforcing trigger on account_txn';
CREATE UNIQUE INDEX wage_account_one_open_per_project
    ON wagecheck.wage_account (project_id) WHERE closed_on IS NULL;

CREATE TABLE wagecheck.account_txn (
    txn_id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account_id           bigint NOT NULL REFERENCES wagecheck.wage_account,
    direction            text NOT NULL CHECK (direction IN ('in', 'out')),
    amount               numeric(14,2) NOT NULL CHECK (amount > 0),
    counterparty_account text,
    counterparty_name    text,
    purpose              text NOT NULL
                         CHECK (purpose IN ('labour_cost', 'top_up', 'wage', 'cash', 'transfer', 'refund', 'other')),
    booked_at            timestamptz NOT NULL,
    bank_ref             text,
    created_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE wagecheck.account_txn IS 'movements of the dedicated wage account as booked by the bank';
COMMENT ON COLUMN wagecheck.account_txn.counterparty_account IS 'the other side: payer account for inflows; for wages, the worker''s card number';
COMMENT ON COLUMN wagecheck.account_txn.purpose IS 'labour_cost: owner''s labour-cost payment (人工费用); top_up: contractor''s own money; wage: pay to a worker''s card';
CREATE INDEX ON wagecheck.account_txn (account_id, booked_at);

CREATE TABLE wagecheck.labour_cost_schedule (
    project_id bigint NOT NULL REFERENCES wagecheck.project,
    period     date NOT NULL CHECK (period = date_trunc('month', period)::date),
    amount_due numeric(14,2) NOT NULL CHECK (amount_due >= 0),
    due_on     date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, period)
);
COMMENT ON TABLE wagecheck.labour_cost_schedule IS 'labour cost (人工费用) the owner must pay into the dedicated account per period, and by when';

CREATE TABLE wagecheck.pay_sheet (
    sheet_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES wagecheck.project,
    employer_id bigint NOT NULL REFERENCES wagecheck.enterprise,
    period      date NOT NULL CHECK (period = date_trunc('month', period)::date),
    prepared_on date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, employer_id, period)
);
COMMENT ON TABLE wagecheck.pay_sheet IS 'monthly pay sheet (工资支付表) prepared by the employer for one project';

CREATE TABLE wagecheck.pay_line (
    line_id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    sheet_id         bigint NOT NULL REFERENCES wagecheck.pay_sheet,
    worker_id        bigint NOT NULL REFERENCES wagecheck.worker,
    days             numeric(4,1) CHECK (days >= 0 AND days <= 31),
    payable          numeric(14,2) NOT NULL,
    deductions       numeric(14,2) NOT NULL DEFAULT 0,
    net              numeric(14,2) NOT NULL,
    signed_on        date,
    corrects_line_id bigint REFERENCES wagecheck.pay_line CHECK (corrects_line_id <> line_id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE wagecheck.pay_line IS 'one worker''s line on a pay sheet: payable (应发), deductions, net (实发); corrections are new lines';
COMMENT ON COLUMN wagecheck.pay_line.signed_on IS 'date the worker signed the line';
COMMENT ON COLUMN wagecheck.pay_line.corrects_line_id IS 'the line this one corrects (a paid line is never edited in place)';
CREATE INDEX ON wagecheck.pay_line (sheet_id);
CREATE INDEX ON wagecheck.pay_line (worker_id);
CREATE UNIQUE INDEX pay_line_corrected_once ON wagecheck.pay_line (corrects_line_id);

CREATE TABLE wagecheck.wage_payment (
    payment_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    line_id    bigint NOT NULL REFERENCES wagecheck.pay_line,
    txn_id     bigint REFERENCES wagecheck.account_txn,
    amount     numeric(14,2) NOT NULL CHECK (amount > 0),
    paid_at    timestamptz NOT NULL,
    method     text NOT NULL DEFAULT 'account' CHECK (method IN ('account', 'cash', 'other_account')),
    card       wagecheck.bank_card,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN wagecheck.wage_payment.method IS 'account: transfer from the dedicated account; cash and other_account break WP04';
COMMENT ON COLUMN wagecheck.wage_payment.card IS 'card the money went to; must be the worker''s own registered card (WP04)';
COMMENT ON TABLE wagecheck.wage_payment IS 'wage paid against a pay-sheet line, normally a dedicated-account transfer to the worker''s own card';
CREATE INDEX ON wagecheck.wage_payment (line_id);
CREATE INDEX ON wagecheck.wage_payment (txn_id);

CREATE TABLE wagecheck.guarantee_deposit (
    deposit_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES wagecheck.project,
    form         text NOT NULL CHECK (form IN ('cash', 'bank_letter')),
    amount       numeric(14,2) NOT NULL CHECK (amount >= 0),
    bank         text,
    deposited_on date NOT NULL,
    expires_on   date,
    returned_on  date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_on IS NULL OR expires_on >= deposited_on)
);
COMMENT ON TABLE wagecheck.guarantee_deposit IS 'wage guarantee deposit (工资保证金) in cash, or a bank guarantee letter (保函) in its place';

CREATE TABLE wagecheck.violation (
    violation_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    rule_code    text NOT NULL CHECK (rule_code ~ '^[A-Z]{2}[0-9]{2}$'),
    subject_kind text NOT NULL,
    subject_id   text NOT NULL,
    project_id   bigint,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    details      jsonb NOT NULL DEFAULT '{}',
    source       regclass
);
COMMENT ON TABLE wagecheck.violation IS 'rule violations let in by an enforcing trigger in alert mode; the alert engine turns each into an alert and never changes them';
COMMENT ON COLUMN wagecheck.violation.rule_code IS 'rule of the alert catalogue broken (AC03, WP04, RN01, AC05, ...)';
COMMENT ON COLUMN wagecheck.violation.subject_kind IS 'what the rule is about: account_txn, pay_line, payment, project';
COMMENT ON COLUMN wagecheck.violation.subject_id IS 'key of the subject row in its table (as text: attached tables have their own keys)';
COMMENT ON COLUMN wagecheck.violation.project_id IS 'project concerned, when known (no foreign key: violations outlive what they are about)';
COMMENT ON COLUMN wagecheck.violation.details IS 'what an inspector needs: amounts, worker, counterparty, message';
COMMENT ON COLUMN wagecheck.violation.source IS 'table the offending row was written to';
CREATE INDEX ON wagecheck.violation (project_id, occurred_at);
CREATE INDEX ON wagecheck.violation (rule_code, occurred_at);

-- Register every table of this file and its identity sequence, so that pg_dump
-- keeps the data and the ids continue after a restore (one call per statement:
-- each call updates pg_extension).
DO $$
DECLARE
    t text;
    s text;
BEGIN
    FOREACH t IN ARRAY ARRAY['enterprise', 'project', 'subcontract', 'worker', 'roster', 'attendance',
                             'wage_account', 'account_txn', 'labour_cost_schedule', 'pay_sheet',
                             'pay_line', 'wage_payment', 'guarantee_deposit', 'violation']
    LOOP
        PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('wagecheck.%I', t)::regclass, '');
        FOR s IN
            SELECT pg_catalog.pg_get_serial_sequence(pg_catalog.format('wagecheck.%I', t), a.attname)
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = pg_catalog.format('wagecheck.%I', t)::regclass AND a.attidentity <> ''
        LOOP
            PERFORM pg_catalog.pg_extension_config_dump(s::regclass, '');
        END LOOP;
    END LOOP;
END
$$;

-- ==== src/enforce/enforce.sql
-- Enforcing triggers: the rules that can be checked as a row arrives, in C.

CREATE FUNCTION wagecheck.enforce() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_enforce'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.enforce() IS 'enforcing trigger (C): arguments kind, mode (project|reject|alert), then role=column pairs; BEFORE each row it checks, AFTER each statement it writes account balances';

CREATE FUNCTION wagecheck.check_mapping(tbl regclass, args text[]) RETURNS void
    AS 'MODULE_PATHNAME', 'wagecheck_check_mapping'
    LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION wagecheck.check_mapping(regclass, text[]) IS 'raises the error the enforcing trigger would raise for this mapping (kind, mode, role=column...) on this table; returns nothing when it fits';

CREATE FUNCTION wagecheck.project_wages_owed(project bigint)
RETURNS TABLE (sheet_id bigint, worker_id bigint, period date, net numeric, paid numeric, owed numeric)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT l.sheet_id, l.worker_id, s.period, n.net, coalesce(sum(p.amount), 0),
           greatest(n.net - coalesce(sum(p.amount), 0), 0)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      LEFT JOIN wagecheck.wage_payment p ON p.line_id = l.line_id
      CROSS JOIN LATERAL (
          SELECT coalesce(sum(e.net), 0) AS net
            FROM wagecheck.pay_line e
           WHERE e.sheet_id = l.sheet_id AND e.worker_id = l.worker_id
             AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = e.line_id)) n
     WHERE s.project_id = $1
     GROUP BY l.sheet_id, l.worker_id, s.period, n.net
$$;
COMMENT ON FUNCTION wagecheck.project_wages_owed(bigint) IS 'per pay sheet and worker of a project: net pay of the lines in force (not corrected), paid, and still owed';

-- wagecheck's own tables, mapped like any attached table; mode "project" follows
-- project.enforcement_mode. New movements are checked by the statement-level call
-- over the transition table (so COPY keeps its multi-row inserts); the row-level
-- call refuses changes to booked movements.
CREATE TRIGGER enforce_row BEFORE UPDATE OR DELETE ON wagecheck.account_txn
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('account_txn', 'project', 'id=txn_id',
        'account=account_id', 'direction=direction', 'amount=amount',
        'counterparty=counterparty_account', 'counterparty_name=counterparty_name', 'purpose=purpose');
CREATE TRIGGER enforce_statement AFTER INSERT ON wagecheck.account_txn
    REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('account_txn', 'project', 'id=txn_id',
        'account=account_id', 'direction=direction', 'amount=amount',
        'counterparty=counterparty_account', 'counterparty_name=counterparty_name', 'purpose=purpose');

CREATE TRIGGER enforce_row BEFORE INSERT OR UPDATE OR DELETE ON wagecheck.pay_line
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('pay_line', 'project', 'id=line_id',
        'sheet=sheet_id', 'worker=worker_id', 'payable=payable', 'deductions=deductions', 'net=net',
        'corrects=corrects_line_id');
CREATE TRIGGER enforce_statement AFTER INSERT OR UPDATE OR DELETE ON wagecheck.pay_line
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('pay_line', 'project', 'id=line_id',
        'sheet=sheet_id', 'worker=worker_id', 'payable=payable', 'deductions=deductions', 'net=net',
        'corrects=corrects_line_id');

CREATE TRIGGER enforce_row BEFORE INSERT OR UPDATE ON wagecheck.wage_payment
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('wage_payment', 'project', 'id=payment_id',
        'line=line_id', 'amount=amount', 'method=method', 'card=card');

CREATE TRIGGER enforce_row BEFORE UPDATE ON wagecheck.wage_account
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('wage_account', 'project', 'id=account_id',
        'project=project_id', 'closed_on=closed_on', 'notice_on=closure_notice_on', 'balance=balance');

-- ==== src/attach/attach.sql
-- Attaching wagecheck's enforcing trigger to existing (legacy) tables.

CREATE FUNCTION wagecheck._trigger_args(args bytea) RETURNS text[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT coalesce(array_agg(convert_from(substring(args FROM z.st + 1 FOR z.en - z.st),
                                           current_setting('server_encoding')) ORDER BY z.en), '{}')
      FROM (SELECT i AS en, coalesce(lag(i) OVER (ORDER BY i) + 1, 0) AS st
              FROM generate_series(0, length(args) - 1) AS i
             WHERE get_byte(args, i) = 0) AS z
$$;
COMMENT ON FUNCTION wagecheck._trigger_args(bytea) IS 'the arguments of a trigger (pg_trigger.tgargs) as a text array';

CREATE FUNCTION wagecheck.detach(tbl regclass) RETURNS boolean
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    t name;
    dropped boolean := false;
BEGIN
    FOR t IN
        SELECT tg.tgname FROM pg_catalog.pg_trigger tg
         WHERE tg.tgrelid = tbl AND NOT tg.tgisinternal
           AND tg.tgfoid = 'wagecheck.enforce()'::regprocedure
           AND tg.tgname IN ('wagecheck_enforce_row', 'wagecheck_enforce_statement')
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t, tbl);
        dropped := true;
    END LOOP;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION wagecheck.detach(regclass) IS 'removes the enforcing trigger that wagecheck.attach() installed on a table; true if there was one';

CREATE FUNCTION wagecheck.attach(tbl regclass, kind text, columns jsonb, mode text DEFAULT 'reject')
    RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    args text[];
    quoted text;
    r record;
BEGIN
    IF kind NOT IN ('account_txn', 'pay_line') THEN
        RAISE EXCEPTION 'cannot attach wagecheck to a table of kind "%"', kind
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Kinds are account_txn and pay_line.';
    END IF;
    IF mode NOT IN ('reject', 'alert') THEN
        RAISE EXCEPTION 'unknown enforcement mode "%"', mode
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Modes are reject and alert.';
    END IF;
    IF jsonb_typeof(columns) <> 'object' THEN
        RAISE EXCEPTION 'the column mapping must be a JSON object of role: column name'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = tbl) <> 'r' THEN
        RAISE EXCEPTION '% is not an ordinary table', tbl
            USING ERRCODE = 'wrong_object_type';
    END IF;
    args := ARRAY[kind, mode];
    FOR r IN SELECT key, value FROM jsonb_each(columns) ORDER BY key LOOP
        IF jsonb_typeof(r.value) <> 'string' THEN
            RAISE EXCEPTION 'column role "%" must name a column as a JSON string', r.key
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        args := args || (r.key || '=' || (r.value #>> '{}'));
    END LOOP;
    -- the same check the trigger makes, so a bad mapping fails here, not at the first row
    PERFORM wagecheck.check_mapping(tbl, args);
    PERFORM wagecheck.detach(tbl);
    SELECT string_agg(quote_literal(a), ', ' ORDER BY n) INTO quoted
      FROM unnest(args) WITH ORDINALITY AS u(a, n);
    IF kind = 'account_txn' THEN
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    ELSE
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_row BEFORE INSERT OR UPDATE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT OR UPDATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attach(regclass, text, jsonb, text) IS 'installs wagecheck''s enforcing C trigger on an existing table: kind account_txn or pay_line, a mapping {role: column}, mode reject or alert; attaching again replaces it';

CREATE VIEW wagecheck.attached AS
SELECT DISTINCT ON (tg.tgrelid)
       tg.tgrelid::regclass AS "table",
       a.args[1] AS kind,
       a.args[2] AS mode,
       (SELECT jsonb_object_agg(split_part(m, '=', 1), substr(m, strpos(m, '=') + 1))
          FROM unnest(a.args[3:]) AS m) AS columns,
       c.relnamespace = 'wagecheck'::regnamespace AS builtin
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  CROSS JOIN LATERAL (SELECT wagecheck._trigger_args(tg.tgargs) AS args) AS a
 WHERE tg.tgfoid = 'wagecheck.enforce()'::regprocedure AND NOT tg.tgisinternal
 ORDER BY tg.tgrelid, tg.tgname;
COMMENT ON VIEW wagecheck.attached IS 'tables guarded by wagecheck''s enforcing trigger: kind, mode (project = the project''s enforcement_mode), column mapping; builtin = wagecheck''s own tables';

-- ==== src/access/access.sql
-- Who may see what: five roles, officers' scopes in a table, row-level security
-- by division and sector, and masked views for analysts.

-- Roles are cluster-wide: created once, kept when the extension is dropped.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['wagecheck_admin', 'wagecheck_inspector', 'wagecheck_sector',
                             'wagecheck_county', 'wagecheck_analyst']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;
COMMENT ON ROLE wagecheck_admin IS 'wagecheck: administers the supervision data and officers'' scopes; sees and writes everything';
COMMENT ON ROLE wagecheck_inspector IS 'wagecheck: labour inspector of HRSS (人社局): reads every division and sector';
COMMENT ON ROLE wagecheck_sector IS 'wagecheck: officer of a sector regulator (行业主管部门): reads the projects of the sectors and divisions in wagecheck.officer_scope';
COMMENT ON ROLE wagecheck_county IS 'wagecheck: officer of a county or district (属地): reads the projects of the divisions in wagecheck.officer_scope';
COMMENT ON ROLE wagecheck_analyst IS 'wagecheck: analyst: reads everything without personal data (ID and card numbers masked)';

CREATE TABLE wagecheck.officer_scope (
    scope_id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    officer         name NOT NULL,
    division_prefix text NOT NULL DEFAULT '' CHECK (division_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})?$'),
    sector          text CHECK (sector IN ('housing', 'transport', 'water', 'municipal', 'development_reform', 'other')),
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (officer, division_prefix, sector)
);
COMMENT ON TABLE wagecheck.officer_scope IS 'what each officer (a login role) may see: projects whose division starts with division_prefix (2 digits province, 4 city, 6 county; empty = all) and, when sector is set, of that sector only';
COMMENT ON COLUMN wagecheck.officer_scope.officer IS 'login role of the officer (member of wagecheck_sector or wagecheck_county)';

-- sees_everything: admin, inspector and analyst roles see every row.
CREATE FUNCTION wagecheck.sees_everything() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT pg_has_role(current_user, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(current_user, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(current_user, 'wagecheck_analyst', 'MEMBER')
$$;
COMMENT ON FUNCTION wagecheck.sees_everything() IS 'true when the current role is (a member of) wagecheck_admin, wagecheck_inspector or wagecheck_analyst';

-- in_scope: is a project of this division and sector within the current officer's scope?
CREATE FUNCTION wagecheck.in_scope(division wagecheck.division_code, sector text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT wagecheck.sees_everything()
        OR EXISTS (SELECT 1 FROM wagecheck.officer_scope s
                    WHERE s.officer = current_user
                      AND starts_with(division::text, s.division_prefix)
                      AND (s.sector IS NULL OR s.sector = $2))
$$;
COMMENT ON FUNCTION wagecheck.in_scope(wagecheck.division_code, text) IS 'true when a project of this division and sector is within the current role''s scope (wagecheck.officer_scope)';

ALTER TABLE wagecheck.officer_scope ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_scope ON wagecheck.officer_scope FOR SELECT
    USING (officer = current_user OR wagecheck.sees_everything());
CREATE POLICY admin_all ON wagecheck.officer_scope FOR ALL
    USING (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'));

-- Row-level security: a project is visible within scope; every other table follows its project.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['project', 'subcontract', 'worker', 'roster', 'attendance', 'wage_account',
                             'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                             'wage_payment', 'guarantee_deposit', 'violation']
    LOOP
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON wagecheck.%I FOR ALL'
                       ' USING (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER''))'
                       ' WITH CHECK (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER''))', t);
    END LOOP;
END
$$;
CREATE POLICY scope ON wagecheck.project FOR ALL
    USING (wagecheck.in_scope(division, sector)) WITH CHECK (wagecheck.in_scope(division, sector));
CREATE POLICY scope ON wagecheck.subcontract FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.roster FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.worker FOR SELECT
    USING (wagecheck.sees_everything() OR worker_id IN (SELECT worker_id FROM wagecheck.roster));
CREATE POLICY scope ON wagecheck.attendance FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.wage_account FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.account_txn FOR SELECT
    USING (account_id IN (SELECT account_id FROM wagecheck.wage_account));
CREATE POLICY scope ON wagecheck.labour_cost_schedule FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.pay_sheet FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.pay_line FOR SELECT
    USING (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
CREATE POLICY scope ON wagecheck.wage_payment FOR SELECT
    USING (line_id IN (SELECT line_id FROM wagecheck.pay_line));
CREATE POLICY scope ON wagecheck.guarantee_deposit FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
CREATE POLICY scope ON wagecheck.violation FOR SELECT
    USING (wagecheck.sees_everything() OR project_id IN (SELECT project_id FROM wagecheck.project));

-- Privileges.
GRANT USAGE ON SCHEMA wagecheck TO wagecheck_admin, wagecheck_inspector, wagecheck_sector,
    wagecheck_county, wagecheck_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract,
    wagecheck.worker, wagecheck.roster, wagecheck.attendance, wagecheck.wage_account, wagecheck.account_txn,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment,
    wagecheck.guarantee_deposit, wagecheck.officer_scope TO wagecheck_admin;
GRANT SELECT ON wagecheck.violation TO wagecheck_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA wagecheck TO wagecheck_admin;
GRANT SELECT ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract, wagecheck.worker,
    wagecheck.roster, wagecheck.attendance, wagecheck.wage_account, wagecheck.account_txn,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment,
    wagecheck.guarantee_deposit, wagecheck.violation, wagecheck.officer_scope
    TO wagecheck_inspector, wagecheck_sector, wagecheck_county;
-- regulators keep their projects' site facts current
GRANT UPDATE (status, notice_board_on, complaint_qr, completed_on) ON wagecheck.project
    TO wagecheck_sector, wagecheck_county;
-- analysts: everything without personal data
GRANT SELECT ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract, wagecheck.roster,
    wagecheck.attendance, wagecheck.wage_account, wagecheck.labour_cost_schedule, wagecheck.pay_sheet,
    wagecheck.pay_line, wagecheck.guarantee_deposit, wagecheck.officer_scope TO wagecheck_analyst;

-- Attaching the enforcing trigger is an administrator's act: the trigger checks (and
-- records violations) as the owner of wagecheck's tables, so not everyone who can
-- create a table may install it (CREATE TRIGGER needs EXECUTE on the function).
REVOKE EXECUTE ON FUNCTION wagecheck.enforce() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wagecheck.enforce() TO wagecheck_admin;

-- mask_account: any account or card number as text, first 4 and last 4 characters kept.
CREATE FUNCTION wagecheck.mask_account(account text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE WHEN wagecheck.is_valid_bank_card(account) THEN wagecheck.mask(account::wagecheck.bank_card)
                WHEN length(account) <= 8 THEN repeat('*', length(account))
                ELSE left(account, 4) || repeat('*', length(account) - 8) || right(account, 4) END
$$;
COMMENT ON FUNCTION wagecheck.mask_account(text) IS 'an account or card number with all but its first and last 4 characters hidden';

CREATE VIEW wagecheck.worker_masked AS
SELECT w.worker_id, w.name, wagecheck.mask(w.resident_id) AS resident_id,
       wagecheck.birth_date(w.resident_id) AS birth_date, wagecheck.sex(w.resident_id) AS sex,
       CASE WHEN w.phone IS NULL THEN NULL ELSE left(w.phone, 3) || '****' || right(w.phone, 4) END AS phone,
       wagecheck.mask(w.wage_card) AS wage_card, w.card_bank, w.registered_at
  FROM wagecheck.worker w;
COMMENT ON VIEW wagecheck.worker_masked IS 'workers without personal numbers: ID, phone and card masked (for analysts)';
CREATE VIEW wagecheck.account_txn_masked AS
SELECT t.txn_id, t.account_id, t.direction, t.amount, wagecheck.mask_account(t.counterparty_account) AS counterparty_account,
       t.counterparty_name, t.purpose, t.booked_at, t.created_at
  FROM wagecheck.account_txn t;
COMMENT ON VIEW wagecheck.account_txn_masked IS 'dedicated-account movements with the counterparty account masked (for analysts)';
CREATE VIEW wagecheck.wage_payment_masked AS
SELECT p.payment_id, p.line_id, p.txn_id, p.amount, p.paid_at, p.method, wagecheck.mask(p.card) AS card, p.created_at
  FROM wagecheck.wage_payment p;
COMMENT ON VIEW wagecheck.wage_payment_masked IS 'wage payments with the card masked (for analysts)';
CREATE VIEW wagecheck.violation_masked AS
SELECT v.violation_id, v.rule_code, v.subject_kind, v.subject_id, v.project_id, v.occurred_at,
       v.details - 'worker' AS details, v.source
  FROM wagecheck.violation v;
COMMENT ON VIEW wagecheck.violation_masked IS 'recorded violations (numbers in messages are already masked; worker names removed) for analysts';
GRANT SELECT ON wagecheck.worker_masked, wagecheck.account_txn_masked, wagecheck.wage_payment_masked,
    wagecheck.violation_masked TO wagecheck_analyst, wagecheck_admin, wagecheck_inspector;

SELECT pg_catalog.pg_extension_config_dump('wagecheck.officer_scope', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('wagecheck.officer_scope', 'scope_id')::regclass, '');

-- ==== src/indicators/10_aggregates.sql
-- Indicators: C aggregates computing the arrears indicators of alerts.md from raw rows.
-- Every aggregate ignores a row in which any argument is NULL (like a strict
-- aggregate), returns NULL for a group without any non-NULL row (like sum), keeps
-- money exactly in whole cents (22003 beyond ±92233720368547758.07, 22023 for
-- sub-cent or negative amounts), and is PARALLEL SAFE with a combine function
-- and serial/deserial functions, so partial states from parallel workers merge
-- exactly.

CREATE TYPE wagecheck.owed_summary AS (
    payable           numeric,
    paid              numeric,
    owed              numeric,
    months            integer,
    months_owed       integer,
    longest_run       integer,
    current_run       integer,
    longest_run_start date,
    oldest_unpaid     date,
    last_month        date
);
COMMENT ON TYPE wagecheck.owed_summary IS 'result of wagecheck.owed_agg: wages payable, paid and owed over the months of a group, and runs of months owed';
COMMENT ON COLUMN wagecheck.owed_summary.payable IS 'wages payable (应发), all months';
COMMENT ON COLUMN wagecheck.owed_summary.paid IS 'wages paid against those months';
COMMENT ON COLUMN wagecheck.owed_summary.owed IS 'sum over months of payable minus paid where positive: an overpaid month does not pay another';
COMMENT ON COLUMN wagecheck.owed_summary.months IS 'months with at least one row';
COMMENT ON COLUMN wagecheck.owed_summary.months_owed IS 'months with something owed';
COMMENT ON COLUMN wagecheck.owed_summary.longest_run IS 'longest run of consecutive calendar months owed (WP03); a month without rows breaks a run';
COMMENT ON COLUMN wagecheck.owed_summary.current_run IS 'run of months owed ending at last_month (0 when last_month is paid)';
COMMENT ON COLUMN wagecheck.owed_summary.longest_run_start IS 'first month of the (earliest) longest run; NULL when nothing is owed';
COMMENT ON COLUMN wagecheck.owed_summary.oldest_unpaid IS 'oldest month with something owed; NULL when nothing is owed';
COMMENT ON COLUMN wagecheck.owed_summary.last_month IS 'latest month with a row';

CREATE TYPE wagecheck.labour_cost_summary AS (
    due            numeric,
    paid           numeric,
    shortfall      numeric,
    not_yet_due    numeric,
    days_overdue   integer,
    max_days_late  integer,
    late_count     integer,
    oldest_unpaid_due date,
    as_of          date
);
COMMENT ON TYPE wagecheck.labour_cost_summary IS 'result of wagecheck.labour_cost_agg: labour cost (人工费用) due by the schedule against payments into the dedicated account, as of a day';
COMMENT ON COLUMN wagecheck.labour_cost_summary.due IS 'labour cost whose due date is on or before as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.paid IS 'labour cost paid in on or before as_of (later inflows were not known then)';
COMMENT ON COLUMN wagecheck.labour_cost_summary.shortfall IS 'part of due not covered by payments, oldest dues settled first (AC02)';
COMMENT ON COLUMN wagecheck.labour_cost_summary.not_yet_due IS 'labour cost scheduled after as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.days_overdue IS 'as_of minus the due date of the oldest due not yet covered; 0 when covered or due today';
COMMENT ON COLUMN wagecheck.labour_cost_summary.max_days_late IS 'longest wait of any due in days: settled late, or still open at as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.late_count IS 'dues settled after their due date or still open past it';
COMMENT ON COLUMN wagecheck.labour_cost_summary.oldest_unpaid_due IS 'due date of the oldest due not yet covered; NULL when all is covered';
COMMENT ON COLUMN wagecheck.labour_cost_summary.as_of IS 'the day the figures are computed for';

CREATE TYPE wagecheck.coverage_summary AS (
    workers               bigint,
    rostered              bigint,
    attended              bigint,
    on_payroll            bigint,
    paid                  bigint,
    attended_on_payroll   bigint,
    attended_paid         bigint,
    attended_not_rostered bigint,
    paid_not_rostered     bigint,
    payments              bigint
);
COMMENT ON TYPE wagecheck.coverage_summary IS 'result of wagecheck.coverage_agg: distinct workers of a group by roster, attendance, pay sheet and payment';
COMMENT ON COLUMN wagecheck.coverage_summary.workers IS 'distinct workers seen in any row';
COMMENT ON COLUMN wagecheck.coverage_summary.rostered IS 'workers with a row saying rostered';
COMMENT ON COLUMN wagecheck.coverage_summary.attended IS 'workers with a row saying attended';
COMMENT ON COLUMN wagecheck.coverage_summary.on_payroll IS 'workers with a row saying on the pay sheet';
COMMENT ON COLUMN wagecheck.coverage_summary.paid IS 'workers with a row saying paid';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_on_payroll IS 'workers who attended and are on the pay sheet (RN04 counts attended minus this)';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_paid IS 'workers who attended and were paid';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_not_rostered IS 'workers who attended without a roster row (real-name gap)';
COMMENT ON COLUMN wagecheck.coverage_summary.paid_not_rostered IS 'workers paid without a roster row (RN01)';
COMMENT ON COLUMN wagecheck.coverage_summary.payments IS 'rows saying paid (one per payment when fed from wage_payment)';

-- Shared support functions: the state records which aggregate it belongs to.
CREATE FUNCTION wagecheck.indicator_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_indicator_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_combine(internal, internal) IS 'combine function of the indicator aggregates: merges two partial states exactly';
CREATE FUNCTION wagecheck.indicator_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'wc_indicator_serial'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_serial(internal) IS 'serial function of the indicator aggregates (portable little-endian bytes)';
CREATE FUNCTION wagecheck.indicator_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_indicator_deserial'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_deserial(bytea, internal) IS 'deserial function of the indicator aggregates: validates the bytes fully';

-- owed_agg(month, payable, paid)
CREATE FUNCTION wagecheck.owed_agg_trans(internal, date, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_owed_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.owed_agg_trans(internal, date, numeric, numeric) IS 'transition function of wagecheck.owed_agg';
CREATE FUNCTION wagecheck.owed_agg_final(internal) RETURNS wagecheck.owed_summary
    AS 'MODULE_PATHNAME', 'wc_owed_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.owed_agg_final(internal) IS 'final function of wagecheck.owed_agg';
CREATE AGGREGATE wagecheck.owed_agg(month date, payable numeric, paid numeric) (
    SFUNC = wagecheck.owed_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.owed_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.owed_agg(date, numeric, numeric) IS 'wages owed over months (any day of a month counts for its month): payable, paid, owed, months owed, longest run of consecutive months owed, oldest month unpaid; rows with a NULL are ignored';

-- labour_cost_agg(on, due, paid, as_of)
CREATE FUNCTION wagecheck.labour_cost_agg_trans(internal, date, numeric, numeric, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_labour_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.labour_cost_agg_trans(internal, date, numeric, numeric, date) IS 'transition function of wagecheck.labour_cost_agg';
CREATE FUNCTION wagecheck.labour_cost_agg_final(internal) RETURNS wagecheck.labour_cost_summary
    AS 'MODULE_PATHNAME', 'wc_labour_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.labour_cost_agg_final(internal) IS 'final function of wagecheck.labour_cost_agg';
CREATE AGGREGATE wagecheck.labour_cost_agg("on" date, due numeric, paid numeric, as_of date) (
    SFUNC = wagecheck.labour_cost_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.labour_cost_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.labour_cost_agg(date, numeric, numeric, date) IS 'labour cost due (schedule rows: due on their due date) against inflows (paid on their booking day), as of a day the same for the whole group: shortfall, days overdue, lateness; rows with a NULL are ignored';

-- coverage_agg(worker, rostered, attended, on_payroll, paid)
CREATE FUNCTION wagecheck.coverage_agg_trans(internal, bigint, boolean, boolean, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_coverage_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.coverage_agg_trans(internal, bigint, boolean, boolean, boolean, boolean) IS 'transition function of wagecheck.coverage_agg';
CREATE FUNCTION wagecheck.coverage_agg_final(internal) RETURNS wagecheck.coverage_summary
    AS 'MODULE_PATHNAME', 'wc_coverage_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.coverage_agg_final(internal) IS 'final function of wagecheck.coverage_agg';
CREATE AGGREGATE wagecheck.coverage_agg(worker_id bigint, rostered boolean, attended boolean, on_payroll boolean, paid boolean) (
    SFUNC = wagecheck.coverage_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.coverage_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.coverage_agg(bigint, boolean, boolean, boolean, boolean) IS 'attendance versus payroll: distinct workers by roster, attendance, pay sheet and payment (feed one row per roster entry, attendance day, pay line or payment); rows with a NULL are ignored';

-- ==== src/indicators/20_views.sql
-- Indicator views for BI tools: one row per project and month, and the same figures
-- rolled up by county, city, sector regulator and funding type.
--
-- Stable contract: columns are only ever added at the end, never renamed or retyped.
-- Figures are "as known now": wages owed count every payment recorded so far; the
-- labour-cost columns are as of the end of the month (or today, for the current month).
-- The views run with the caller's rights (security_invoker), so the row-level security
-- of the base tables decides which projects a county or sector officer sees; they hold
-- no personal data.  security_barrier is not needed: the views filter no rows of their
-- own that a leaky function could reveal, row-level security does that, below them.

-- Months a project has any activity in, with the figures of every indicator.
CREATE VIEW wagecheck.project_month_indicators WITH (security_invoker = true) AS
WITH current_line AS (          -- pay lines not replaced by a correction
    SELECT l.line_id, l.worker_id, l.payable, l.net, s.project_id, s.period
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id)
), payment AS (
    SELECT cl.project_id, cl.period, cl.worker_id, cl.line_id, p.amount,
           (p.method = 'account' AND p.card IS NOT DISTINCT FROM w.wage_card AND p.card IS NOT NULL) AS own_card_via_account
      FROM wagecheck.wage_payment p
      JOIN current_line cl ON cl.line_id = p.line_id
      JOIN wagecheck.worker w ON w.worker_id = cl.worker_id
), coverage AS (                -- who was rostered, attended, on the pay sheet, paid
    SELECT project_id, period,
           wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) AS c
      FROM (SELECT a.project_id, date_trunc('month', a.day::timestamp)::date AS period, a.worker_id,
                   false AS rostered, true AS attended, false AS on_payroll, false AS paid
              FROM wagecheck.attendance a
            UNION ALL
            SELECT project_id, period, worker_id, false, false, true, false FROM current_line
            UNION ALL
            SELECT project_id, period, worker_id, false, false, false, true FROM payment
            UNION ALL
            SELECT r.project_id, m::date, r.worker_id, true, false, false, false
              FROM wagecheck.roster r,
                   generate_series(date_trunc('month', r.start_on::timestamp),
                                   date_trunc('month', least(coalesce(r.end_on, CURRENT_DATE), CURRENT_DATE)::timestamp),
                                   interval '1 month') m) f
     GROUP BY project_id, period
), worker_month AS (            -- each worker's payable, net (实发) and paid per project-month
    SELECT cl.project_id, cl.period, cl.worker_id, sum(cl.payable) AS payable, sum(cl.net) AS net,
           coalesce(sum(pp.paid), 0) AS paid
      FROM current_line cl
      LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM payment GROUP BY line_id) pp USING (line_id)
     GROUP BY cl.project_id, cl.period, cl.worker_id
), worker_run AS (              -- runs of months owed up to each month, per worker
    SELECT project_id, period, worker_id, payable, net, paid, greatest(net - paid, 0) AS owed,
           wagecheck.owed_agg(period, net, paid)
               OVER (PARTITION BY project_id, worker_id ORDER BY period) AS o
      FROM worker_month
), wages AS (
    SELECT project_id, period, sum(payable) AS payable, sum(net) AS net, sum(paid) AS paid, sum(owed) AS owed,
           count(*) FILTER (WHERE owed > 0) AS workers_owed,
           coalesce(max((o).current_run), 0) AS longest_owed_run,
           min((o).oldest_unpaid) AS oldest_unpaid_period
      FROM worker_run
     GROUP BY project_id, period
), payments AS (
    SELECT project_id, period, count(*) AS payments,
           count(*) FILTER (WHERE own_card_via_account) AS payments_own_card
      FROM payment GROUP BY project_id, period
), months AS (
    SELECT project_id, period FROM coverage
     WHERE (c).attended + (c).on_payroll + (c).paid > 0
    UNION
    SELECT project_id, period FROM wagecheck.labour_cost_schedule
    UNION                       -- the month a period's labour cost falls due
    SELECT project_id, date_trunc('month', due_on::timestamp)::date FROM wagecheck.labour_cost_schedule
), labour_event AS (            -- schedule rows (due) and the owner's payments in (paid)
    SELECT project_id, due_on AS day, amount_due AS due, 0::numeric AS paid
      FROM wagecheck.labour_cost_schedule
    UNION ALL
    SELECT a.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account a ON a.account_id = t.account_id
     WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
), labour AS (
    SELECT m.project_id, m.period,
           wagecheck.labour_cost_agg(e.day, e.due, e.paid,
               least((m.period + interval '1 month - 1 day')::date, CURRENT_DATE)) AS l
      FROM months m
      JOIN labour_event e ON e.project_id = m.project_id
     GROUP BY m.project_id, m.period
)
SELECT p.project_id, p.code AS project_code, p.name AS project_name,
       p.division, wagecheck.county(p.division) AS county, wagecheck.city(p.division) AS city,
       p.sector, p.funding, m.period,
       s.amount_due AS labour_cost_due_month,
       coalesce((l.l).due, 0.00) AS labour_cost_due,
       coalesce((l.l).paid, 0.00) AS labour_cost_paid,
       coalesce((l.l).shortfall, 0.00) AS labour_cost_shortfall,
       coalesce((l.l).days_overdue, 0) AS labour_cost_days_overdue,
       coalesce(w.payable, 0.00) AS wages_payable,
       coalesce(w.net, 0.00) AS wages_net,
       coalesce(w.paid, 0.00) AS wages_paid,
       coalesce(w.owed, 0.00) AS wages_owed,
       coalesce(w.workers_owed, 0) AS workers_owed,
       coalesce(w.longest_owed_run, 0) AS longest_owed_run,
       w.oldest_unpaid_period,
       CASE WHEN w.oldest_unpaid_period IS NOT NULL
            THEN ((extract(year FROM m.period) - extract(year FROM w.oldest_unpaid_period)) * 12
                  + extract(month FROM m.period) - extract(month FROM w.oldest_unpaid_period))::int
       END AS oldest_unpaid_age_months,
       coalesce((c.c).rostered, 0) AS roster_size,
       coalesce((c.c).attended, 0) AS workers_attended,
       coalesce((c.c).on_payroll, 0) AS workers_on_payroll,
       coalesce((c.c).paid, 0) AS workers_paid,
       coalesce((c.c).attended_paid, 0) AS attendees_paid,
       coalesce((c.c).attended - (c.c).attended_on_payroll, 0) AS attendees_not_on_payroll,
       coalesce((c.c).attended_not_rostered, 0) AS attendees_not_rostered,
       round((c.c).attended_paid::numeric / nullif((c.c).attended, 0), 4) AS share_attendees_paid,
       coalesce(pm.payments, 0) AS payments,
       coalesce(pm.payments_own_card, 0) AS payments_own_card_via_account,
       round(pm.payments_own_card::numeric / nullif(pm.payments, 0), 4) AS share_payments_own_card_via_account,
       round(coalesce(p.contract_value, 0) * coalesce(pg_catalog.current_setting('wagecheck.deposit_rate', true), '0.02')::numeric, 2)
           AS deposit_required,
       coalesce((SELECT sum(d.amount) FROM wagecheck.guarantee_deposit d
                  WHERE d.project_id = p.project_id
                    AND d.deposited_on <= (m.period + interval '1 month - 1 day')::date
                    AND (d.returned_on IS NULL OR d.returned_on > (m.period + interval '1 month - 1 day')::date)
                    AND (d.expires_on IS NULL OR d.expires_on >= (m.period + interval '1 month - 1 day')::date)),
                0.00) AS deposit_in_place
  FROM months m
  JOIN wagecheck.project p ON p.project_id = m.project_id
  LEFT JOIN wagecheck.labour_cost_schedule s ON s.project_id = m.project_id AND s.period = m.period
  LEFT JOIN labour l ON l.project_id = m.project_id AND l.period = m.period
  LEFT JOIN wages w ON w.project_id = m.project_id AND w.period = m.period
  LEFT JOIN coverage c ON c.project_id = m.project_id AND c.period = m.period
  LEFT JOIN payments pm ON pm.project_id = m.project_id AND pm.period = m.period;

COMMENT ON VIEW wagecheck.project_month_indicators IS 'arrears indicators per project and month (months with attendance, a pay sheet, a payment, a labour-cost period or a labour-cost due date): labour cost, wages owed, runs of months owed, roster/attendance/payroll coverage, payments through the dedicated account, guarantee deposit';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_id IS 'project';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_code IS 'project code';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_name IS 'project name';
COMMENT ON COLUMN wagecheck.project_month_indicators.division IS 'division code of the site';
COMMENT ON COLUMN wagecheck.project_month_indicators.county IS 'county-level division (县区) of the site';
COMMENT ON COLUMN wagecheck.project_month_indicators.city IS 'city-level division (市) of the site';
COMMENT ON COLUMN wagecheck.project_month_indicators.sector IS 'sector regulator (行业主管部门)';
COMMENT ON COLUMN wagecheck.project_month_indicators.funding IS 'funding type: government, soe, other';
COMMENT ON COLUMN wagecheck.project_month_indicators.period IS 'month (first day)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due_month IS 'labour cost scheduled for this period (NULL: no schedule row)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due IS 'labour cost due on or before the end of the month (or today), all periods';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_paid IS 'labour cost paid into the dedicated account by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_shortfall IS 'labour cost due and not covered by then, oldest dues settled first (AC02)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_days_overdue IS 'days the oldest uncovered due had been overdue by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_payable IS 'wages payable on this month''s pay sheets (corrected lines replaced by their corrections)';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_net IS 'wages to be paid out (实发: payable minus withholdings) on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_paid IS 'payments recorded so far against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_owed IS 'sum over workers of net minus paid where positive (withholdings are not owed)';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_owed IS 'workers with wages owed for this month';
COMMENT ON COLUMN wagecheck.project_month_indicators.longest_owed_run IS 'longest run of consecutive months owed ending with this month, among the project''s workers (WP03)';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_period IS 'oldest month, up to this one, still owed to one of the project''s workers';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_age_months IS 'months from oldest_unpaid_period to this month (0: this month)';
COMMENT ON COLUMN wagecheck.project_month_indicators.roster_size IS 'workers on the real-name roster during the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_attended IS 'workers with attendance in the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_on_payroll IS 'workers on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_paid IS 'workers with a payment against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_paid IS 'workers who attended and were paid';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_on_payroll IS 'workers who attended but are on no pay sheet of the month (RN04, WP01)';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_rostered IS 'workers who attended without being on the roster (real-name gap)';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_attendees_paid IS 'attendees_paid / workers_attended (NULL without attendance)';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments IS 'payments against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments_own_card_via_account IS 'of those, made through the dedicated account into the worker''s own registered card';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_payments_own_card_via_account IS 'payments_own_card_via_account / payments (NULL without payments)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_required IS 'guarantee deposit required: contract value times wagecheck.deposit_rate (exemptions not applied)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_in_place IS 'deposits and bank letters in force at the end of the month';

-- Roll-ups: one view per dimension, same measures, from one template.  Shares are
-- recomputed from the summed counts (never averaged); maxima stay maxima.
DO $roll$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT * FROM (VALUES
        ('county', 'county (县区, territorial responsibility)'),
        ('city', 'city (市)'),
        ('sector', 'sector regulator (行业主管部门)'),
        ('funding', 'funding type (government investment, state-owned enterprise, other)')) AS v(dim, label)
    LOOP
        EXECUTE format($v$
CREATE VIEW wagecheck.%2$I WITH (security_invoker = true) AS
SELECT %1$I, period, count(*) AS projects,
       sum(labour_cost_due) AS labour_cost_due, sum(labour_cost_paid) AS labour_cost_paid,
       sum(labour_cost_shortfall) AS labour_cost_shortfall,
       count(*) FILTER (WHERE labour_cost_shortfall > 0) AS projects_with_shortfall,
       max(labour_cost_days_overdue) AS max_labour_cost_days_overdue,
       sum(wages_payable) AS wages_payable, sum(wages_paid) AS wages_paid, sum(wages_owed) AS wages_owed,
       sum(workers_owed) AS workers_owed, count(*) FILTER (WHERE wages_owed > 0) AS projects_owing,
       max(longest_owed_run) AS longest_owed_run, max(oldest_unpaid_age_months) AS oldest_unpaid_age_months,
       sum(roster_size) AS roster_size, sum(workers_attended) AS workers_attended,
       sum(workers_paid) AS workers_paid, sum(attendees_paid) AS attendees_paid,
       round(sum(attendees_paid)::numeric / nullif(sum(workers_attended), 0), 4) AS share_attendees_paid,
       sum(payments) AS payments, sum(payments_own_card_via_account) AS payments_own_card_via_account,
       round(sum(payments_own_card_via_account)::numeric / nullif(sum(payments), 0), 4)
           AS share_payments_own_card_via_account,
       sum(deposit_required) AS deposit_required, sum(deposit_in_place) AS deposit_in_place,
       count(*) FILTER (WHERE deposit_in_place < deposit_required) AS projects_deposit_short
  FROM wagecheck.project_month_indicators
 GROUP BY %1$I, period
$v$, d.dim, d.dim || '_month_indicators');
        EXECUTE format('COMMENT ON VIEW wagecheck.%I IS %L', d.dim || '_month_indicators',
                       'project_month_indicators rolled up by ' || d.label || ' and month');
    END LOOP;
END
$roll$;

-- Column comments shared by the four roll-ups.
DO $$
DECLARE
    v text;
    c record;
BEGIN
    FOREACH v IN ARRAY ARRAY['county_month_indicators', 'city_month_indicators',
                             'sector_month_indicators', 'funding_month_indicators'] LOOP
        FOR c IN SELECT * FROM (VALUES
            ('county', 'county-level division (县区)'),
            ('city', 'city-level division (市)'),
            ('sector', 'sector regulator (行业主管部门)'),
            ('funding', 'funding type: government, soe, other'),
            ('period', 'month (first day)'),
            ('projects', 'projects with activity in the month'),
            ('labour_cost_due', 'labour cost due by the end of the month (or today)'),
            ('labour_cost_paid', 'labour cost paid into the dedicated accounts by then'),
            ('labour_cost_shortfall', 'labour cost due and not covered by then'),
            ('projects_with_shortfall', 'projects with a labour-cost shortfall'),
            ('max_labour_cost_days_overdue', 'longest labour-cost delay of any project, in days'),
            ('wages_payable', 'wages payable on the month''s pay sheets'),
            ('wages_paid', 'payments recorded against them so far'),
            ('wages_owed', 'wages owed for the month'),
            ('workers_owed', 'worker-projects owed wages for the month'),
            ('projects_owing', 'projects owing wages for the month'),
            ('longest_owed_run', 'longest run of consecutive months owed to a worker, ending with the month'),
            ('oldest_unpaid_age_months', 'age in months of the oldest month still owed'),
            ('roster_size', 'roster entries active in the month'),
            ('workers_attended', 'worker-projects with attendance'),
            ('workers_paid', 'worker-projects paid for the month'),
            ('attendees_paid', 'worker-projects that attended and were paid'),
            ('share_attendees_paid', 'attendees_paid / workers_attended'),
            ('payments', 'payments against the month''s pay lines'),
            ('payments_own_card_via_account', 'of those, through the dedicated account into the worker''s own card'),
            ('share_payments_own_card_via_account', 'payments_own_card_via_account / payments'),
            ('deposit_required', 'guarantee deposits required (contract value times wagecheck.deposit_rate)'),
            ('deposit_in_place', 'guarantee deposits and bank letters in force at the end of the month'),
            ('projects_deposit_short', 'projects whose deposit in place is below the one required')) d(col, note)
        LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = pg_catalog.format('wagecheck.%I', v)::regclass AND attname = c.col) THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN wagecheck.%I.%I IS %L', v, c.col, c.note);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- ==== src/alerts/10_engine.sql
-- Alert engine: rules, parameters, alerts and their events, the scan.
--
-- A rule is a row of wagecheck.rule whose evaluator function returns, as of a
-- moment, every subject for which its condition holds (wagecheck.rule_hit rows).
-- wagecheck.scan(as_of) turns those hits into alerts: G alerts open and clear by
-- themselves, K alerts get a rectification deadline in working days and go
-- overdue, O alerts must be verified and reported within hours. Every change of
-- an alert is an event row; the legal changes are the C state machine of
-- src/core/alert_fsm.c (wagecheck.alert_transition).
--
-- Replay: every event carries `at`, the moment it took effect (the scan's as_of,
-- or the officer's action time). Each rule has a high-water mark (rule_scan): a
-- scan moves a rule forward only. A scan as of an earlier moment than the mark
-- is a replay: it evaluates the rule and compares the hits with the alert state
-- derived from the events with at <= as_of, reports what it finds, and writes
-- nothing; so later alerts and events never leak into an earlier replay.

CREATE FUNCTION wagecheck._creating_extension() RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_creating_extension'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._creating_extension() IS
    'true while an extension script runs: marks rule rows shipped with wagecheck (rule.builtin)';

CREATE FUNCTION wagecheck.alert_transition(tier text, state text, action text, actor text)
    RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_alert_transition'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.alert_transition(text, text, text, text) IS
    'state an alert of the tier reaches when the actor (engine or officer) takes the action from the state (NULL = not yet open); SQLSTATE WC040 when illegal';

CREATE FUNCTION wagecheck.alert_transitions(
        OUT tier text, OUT from_state text, OUT action text, OUT to_state text,
        OUT to_tier text, OUT actor text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'wagecheck_alert_transitions'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION wagecheck.alert_transitions() IS
    'the alert lifecycle: every legal transition per tier, and who may make it';

CREATE FUNCTION wagecheck._engine_steps(
        cur_tier text, cur_state text, hit boolean, level text,
        deadline_passed boolean, new_deadline_passed boolean,
        due_passed boolean, new_due_passed boolean, verified boolean, report_due_passed boolean,
        OUT step int, OUT action text, OUT from_state text, OUT to_state text,
        OUT from_tier text, OUT to_tier text, OUT deadline_new boolean, OUT due int)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'wagecheck_engine_steps'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION wagecheck._engine_steps(text, text, boolean, text, boolean, boolean, boolean, boolean, boolean, boolean) IS
    'the steps one scan takes for one (rule, subject, period) from its alert and the rule''s hit, up to a fixpoint (internal to scan)';

CREATE TYPE wagecheck.rule_hit AS (
    subject_kind  text,
    subject_id    text,
    period        text,
    project_id    bigint,
    enterprise_id bigint,
    division      wagecheck.division_code,
    level         text,
    due_at        timestamptz,
    details       jsonb
);
COMMENT ON TYPE wagecheck.rule_hit IS
    'one subject for which a rule''s condition holds: (subject_kind, subject_id, period) identifies the alert; level G/K for G->K rules; due_at the hit''s own deadline; details the numbers an inspector needs';

CREATE TABLE wagecheck.rule (
    code         text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}[0-9]{2}$'),
    tier         text NOT NULL CHECK (tier IN ('G', 'K', 'O')),
    escalates    boolean NOT NULL DEFAULT false,
    once         boolean NOT NULL DEFAULT false,
    subject_kind text NOT NULL CHECK (subject_kind <> ''),
    name_zh      text NOT NULL CHECK (name_zh <> ''),
    name_en      text NOT NULL CHECK (name_en <> ''),
    description  text,
    enabled      boolean NOT NULL DEFAULT true,
    params       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    evaluator    regprocedure NOT NULL,
    builtin      boolean NOT NULL DEFAULT wagecheck._creating_extension(),
    CHECK (NOT escalates OR tier = 'G')
);
COMMENT ON TABLE wagecheck.rule IS
    'alert rules (预警规则): code, tier (G general 一般性, K key 关键性, O public opinion 舆情), parameters and the evaluator function';
COMMENT ON COLUMN wagecheck.rule.escalates IS 'G->K rule: a hit of level K opens or escalates the alert to tier K';
COMMENT ON COLUMN wagecheck.rule.once IS
    'the subject is an event (a transaction, a payment, a report): it raises one alert only, and an officer may confirm its rectification directly';
COMMENT ON COLUMN wagecheck.rule.params IS
    'parameters with the catalogue defaults; per-division values in rule_param_override. K rules: deadline_wd (rectification deadline in working days); O rules: verify_hours, report_hours';
COMMENT ON COLUMN wagecheck.rule.evaluator IS 'function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit';
COMMENT ON COLUMN wagecheck.rule.builtin IS 'row shipped with wagecheck (not dumped; change parameters with rule_param_override)';

CREATE TABLE wagecheck.rule_param_override (
    code            text NOT NULL REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    division_prefix text NOT NULL CHECK (division_prefix ~ '^([0-9]{2}){1,3}$'),
    params          jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    PRIMARY KEY (code, division_prefix)
);
COMMENT ON TABLE wagecheck.rule_param_override IS
    'province (2 digits), city (4) or county (6) values of rule parameters; the longest matching division prefix wins';

-- rule_check(): the evaluator must have the contract's signature; override keys must exist.
CREATE FUNCTION wagecheck._rule_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    p pg_catalog.pg_proc;
    bad text;
BEGIN
    IF TG_TABLE_NAME = 'rule' THEN
        SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.evaluator;
        IF p.pronargs <> 1 OR p.proargtypes[0] <> 'timestamptz'::regtype
           OR p.prorettype <> 'wagecheck.rule_hit'::regtype OR NOT p.proretset THEN
            RAISE EXCEPTION 'evaluator % of rule % has the wrong signature', NEW.evaluator, NEW.code
                USING ERRCODE = 'check_violation',
                      HINT = 'An evaluator is a function (as_of timestamptz) RETURNS SETOF wagecheck.rule_hit.';
        END IF;
        -- the engine's own parameters, with the catalogue's defaults where the rule gives none
        IF NEW.tier = 'K' OR NEW.escalates THEN
            NEW.params := jsonb_build_object('deadline_wd', 5) || NEW.params;
        ELSIF NEW.tier = 'O' THEN
            NEW.params := jsonb_build_object('verify_hours', 2, 'report_hours', 24) || NEW.params;
        END IF;
    ELSE
        SELECT string_agg(k, ', ') INTO bad
          FROM jsonb_object_keys(NEW.params) k
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.rule r WHERE r.code = NEW.code AND r.params ? k);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'rule % has no parameter %', NEW.code, bad
                USING ERRCODE = 'check_violation',
                      HINT = 'An override sets parameters the rule defines in wagecheck.rule.params.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION wagecheck._rule_check() IS 'trigger: checks rule evaluators and parameter overrides; adds the engine''s default parameters (deadline_wd 5; verify_hours 2, report_hours 24)';
CREATE TRIGGER rule_check BEFORE INSERT OR UPDATE OF evaluator, tier, escalates, params ON wagecheck.rule
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();
CREATE TRIGGER rule_param_override_check BEFORE INSERT OR UPDATE ON wagecheck.rule_param_override
    FOR EACH ROW EXECUTE FUNCTION wagecheck._rule_check();

CREATE FUNCTION wagecheck.rule_param(code text, key text, division wagecheck.division_code DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    v jsonb;
    d text := division::text;
BEGIN
    IF code IS NULL OR key IS NULL THEN
        RETURN NULL;
    END IF;
    IF d IS NOT NULL THEN
        SELECT o.params -> key INTO v
          FROM wagecheck.rule_param_override o
         WHERE o.code = rule_param.code AND o.params ? key
           AND o.division_prefix = left(d, length(o.division_prefix))
         ORDER BY length(o.division_prefix) DESC
         LIMIT 1;
        IF v IS NOT NULL THEN
            RETURN v;
        END IF;
    END IF;
    SELECT r.params -> key INTO v FROM wagecheck.rule r WHERE r.code = rule_param.code;
    IF v IS NULL THEN
        RAISE EXCEPTION 'rule % has no parameter %', code, key
            USING ERRCODE = 'undefined_object',
                  HINT = 'Parameters are the keys of wagecheck.rule.params.';
    END IF;
    RETURN v;
END
$$;
COMMENT ON FUNCTION wagecheck.rule_param(text, text, wagecheck.division_code) IS
    'value of a rule parameter for a division: the override of the longest matching division prefix, else the rule''s default';

CREATE TABLE wagecheck.alert (
    alert_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_code     text NOT NULL REFERENCES wagecheck.rule ON UPDATE CASCADE,
    tier          text NOT NULL CHECK (tier IN ('G', 'K', 'O')),
    state         text NOT NULL CHECK (state IN ('open', 'cleared', 'overdue', 'rectified', 'closed',
                                                  'verify_overdue', 'verified', 'report_overdue', 'reported')),
    subject_kind  text NOT NULL,
    subject_id    text NOT NULL,
    period        text NOT NULL DEFAULT '',
    project_id    bigint,
    enterprise_id bigint,
    division      wagecheck.division_code,
    details       jsonb NOT NULL DEFAULT '{}',
    evidence      text NOT NULL DEFAULT 'rule' CHECK (evidence IN ('rule', 'violation', 'both')),
    opened_at     timestamptz NOT NULL,
    deadline_on   date,
    due_at        timestamptz,
    escalated_at  timestamptz,
    closed_at     timestamptz,
    updated_at    timestamptz NOT NULL,
    CHECK ((state IN ('cleared', 'closed', 'reported')) = (closed_at IS NOT NULL)),
    CHECK (tier <> 'K' OR deadline_on IS NOT NULL)
);
COMMENT ON TABLE wagecheck.alert IS
    'alerts (预警): one per rule, subject and period while live; its history is in alert_event';
COMMENT ON COLUMN wagecheck.alert.tier IS 'current tier: G, K (also a G alert escalated by a G->K rule) or O';
COMMENT ON COLUMN wagecheck.alert.state IS
    'G: open, cleared; K: open, overdue, rectified (condition gone, awaiting confirmation), closed; O: open, verify_overdue, verified, report_overdue, reported';
COMMENT ON COLUMN wagecheck.alert.evidence IS 'what raised it: the rule''s evaluator, violations recorded by triggers in alert mode, or both';
COMMENT ON COLUMN wagecheck.alert.deadline_on IS 'K: rectification deadline (整改期限), working days after opening unless the rule gives one';
COMMENT ON COLUMN wagecheck.alert.due_at IS 'O: deadline of the current step (verify, then report)';
COMMENT ON COLUMN wagecheck.alert.updated_at IS 'effective time of the last event';
CREATE UNIQUE INDEX alert_one_live ON wagecheck.alert (rule_code, subject_kind, subject_id, period)
    WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue');
CREATE INDEX alert_division_live ON wagecheck.alert (division, tier)
    WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue');
CREATE INDEX alert_project ON wagecheck.alert (project_id);
CREATE INDEX alert_rule_subject ON wagecheck.alert (rule_code, subject_kind, subject_id, period);

CREATE TABLE wagecheck.alert_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id    bigint NOT NULL REFERENCES wagecheck.alert ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    action      text NOT NULL,
    from_state  text,
    to_state    text NOT NULL,
    from_tier   text,
    to_tier     text NOT NULL,
    deadline_on date,
    due_at      timestamptz,
    actor       text NOT NULL DEFAULT current_user,
    note        text,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE wagecheck.alert_event IS
    'every change of every alert (who, when, from, to, note); the alert''s state at any moment is its last event at or before it';
COMMENT ON COLUMN wagecheck.alert_event.at IS 'when the change took effect: the scan''s as_of, or the officer''s action time';
COMMENT ON COLUMN wagecheck.alert_event.actor IS 'database role that made the change (the scan''s caller for engine actions)';
COMMENT ON COLUMN wagecheck.alert_event.recorded_at IS 'when the row was written';
CREATE INDEX alert_event_alert ON wagecheck.alert_event (alert_id, at);

CREATE TABLE wagecheck.alert_violation (
    violation_id bigint PRIMARY KEY REFERENCES wagecheck.violation ON DELETE CASCADE,
    alert_id     bigint NOT NULL REFERENCES wagecheck.alert ON DELETE CASCADE,
    consumed_at  timestamptz NOT NULL
);
COMMENT ON TABLE wagecheck.alert_violation IS
    'which alert each violation recorded in alert mode (wagecheck.violation, schema area) raised or joined, and as of which scan; the engine never changes wagecheck.violation';
CREATE INDEX alert_violation_alert ON wagecheck.alert_violation (alert_id);

CREATE TABLE wagecheck.rule_scan (
    code       text PRIMARY KEY REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    scanned_to timestamptz NOT NULL,
    scanned_at timestamptz NOT NULL
);
COMMENT ON TABLE wagecheck.rule_scan IS
    'per rule, the latest as_of a scan applied (scanned_to) and when; a scan as of an earlier moment is a replay that writes nothing';

-- _alert_state_at(code, as_of): the live alerts of a rule as the events say they stood at as_of.
CREATE FUNCTION wagecheck._alert_state_at(p_code text, p_as_of timestamptz)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   tier text, state text, deadline_on date, due_at timestamptz,
                   details jsonb, evidence text, opened_at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT s.alert_id, a.subject_kind, a.subject_id, a.period, s.to_tier, s.to_state,
           s.deadline_on, s.due_at, a.details, a.evidence, a.opened_at
      FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.to_tier, e.to_state, e.deadline_on, e.due_at
              FROM wagecheck.alert_event e
              JOIN wagecheck.alert a0 ON a0.alert_id = e.alert_id
             WHERE a0.rule_code = p_code AND e.at <= p_as_of
             ORDER BY e.alert_id, e.at DESC, e.event_id DESC) s
      JOIN wagecheck.alert a ON a.alert_id = s.alert_id
$$;
COMMENT ON FUNCTION wagecheck._alert_state_at(text, timestamptz) IS
    'alerts of a rule as they stood at a moment, derived from their events (used by replays)';

CREATE FUNCTION wagecheck.alerts_as_of(as_of timestamptz)
    RETURNS TABLE (alert_id bigint, rule_code text, tier text, state text,
                   subject_kind text, subject_id text, period text, division wagecheck.division_code,
                   opened_at timestamptz, deadline_on date, due_at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT a.alert_id, a.rule_code, s.to_tier, s.to_state, a.subject_kind, a.subject_id, a.period,
           a.division, a.opened_at, s.deadline_on, s.due_at
      FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.to_tier, e.to_state, e.deadline_on, e.due_at
              FROM wagecheck.alert_event e
             WHERE e.at <= as_of
             ORDER BY e.alert_id, e.at DESC, e.event_id DESC) s
      JOIN wagecheck.alert a ON a.alert_id = s.alert_id
$$;
COMMENT ON FUNCTION wagecheck.alerts_as_of(timestamptz) IS
    'every alert as it stood at a moment (what was known then), derived from alert_event';

-- _scan_plan(code, as_of, replay): what a scan of one rule does, one row per
-- (alert, step) — steps in order — plus no-op rows for hits that change nothing.
CREATE FUNCTION wagecheck._scan_plan(p_code text, p_as_of timestamptz, p_replay boolean)
    RETURNS TABLE (alert_id bigint, subject_kind text, subject_id text, period text,
                   project_id bigint, enterprise_id bigint, division wagecheck.division_code,
                   details jsonb, evidence text, violation_ids bigint[], hit boolean,
                   cur_state text, step int, action text, from_state text, to_state text,
                   from_tier text, to_tier text, deadline_on date, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    r wagecheck.rule;
BEGIN
    SELECT * INTO STRICT r FROM wagecheck.rule WHERE code = p_code;
    RETURN QUERY EXECUTE format($q$
    WITH cur AS MATERIALIZED (
        SELECT c.alert_id, c.subject_kind, c.subject_id, c.period, c.tier, c.state,
               c.deadline_on, c.due_at, c.details, c.evidence, c.opened_at
          FROM wagecheck.alert c
         WHERE NOT $3 AND c.rule_code = $2
           AND (c.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                OR $6)
        UNION ALL
        SELECT s.* FROM wagecheck._alert_state_at($2, $1) s
         WHERE $3 AND (s.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
                       OR $6)
    ),
    raw AS (
        SELECT h.subject_kind, h.subject_id, coalesce(h.period, '') AS period, h.project_id,
               h.enterprise_id, h.division, h.level, h.due_at, coalesce(h.details, '{}') AS details,
               true AS by_rule, NULL::bigint AS violation_id
          FROM %s($1) h
        UNION ALL
        SELECT v.subject_kind, v.subject_id, coalesce(v.details ->> 'period', ''), v.project_id,
               NULL, p.division, NULL, NULL,
               v.details || jsonb_build_object('violation_id', v.violation_id, 'occurred_at', v.occurred_at),
               false, v.violation_id
          FROM wagecheck.violation v
          LEFT JOIN wagecheck.project p ON p.project_id = v.project_id
          LEFT JOIN wagecheck.alert_violation av
                 ON av.violation_id = v.violation_id AND av.consumed_at <= $1
         WHERE v.rule_code = $2 AND v.occurred_at <= $1
           AND (av.alert_id IS NULL
                OR av.alert_id IN (SELECT cur.alert_id FROM cur
                                    WHERE cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                                        'verified', 'report_overdue')))
    ),
    hits AS (
        SELECT DISTINCT ON (raw.subject_kind, raw.subject_id, raw.period)
               raw.subject_kind, raw.subject_id, raw.period, raw.project_id, raw.enterprise_id,
               raw.division, raw.due_at, raw.details,
               CASE $4 WHEN 'G' THEN CASE WHEN $5 AND bool_or(raw.level = 'K') OVER w THEN 'K' ELSE 'G' END
                       ELSE $4 END AS lvl,
               CASE WHEN bool_or(raw.by_rule) OVER w
                    THEN CASE WHEN bool_or(NOT raw.by_rule) OVER w THEN 'both' ELSE 'rule' END
                    ELSE 'violation' END AS evidence,
               array_agg(raw.violation_id) FILTER (WHERE raw.violation_id IS NOT NULL) OVER w AS violation_ids
          FROM raw
        WINDOW w AS (PARTITION BY raw.subject_kind, raw.subject_id, raw.period)
         ORDER BY raw.subject_kind, raw.subject_id, raw.period, raw.by_rule DESC, (raw.level = 'K') DESC
    ),
    j AS (
        SELECT c.alert_id, coalesce(h.subject_kind, c.subject_kind) AS subject_kind,
               coalesce(h.subject_id, c.subject_id) AS subject_id, coalesce(h.period, c.period) AS period,
               h.project_id, h.enterprise_id, h.division, coalesce(h.details, c.details) AS details,
               coalesce(h.evidence, c.evidence) AS evidence, h.violation_ids,
               h.subject_id IS NOT NULL AS hit, h.lvl, h.due_at AS hit_due,
               c.tier AS c_tier, c.state AS c_state, c.deadline_on AS c_deadline, c.due_at AS c_due,
               c.opened_at AS c_opened, $1::date AS today
          FROM hits h
          FULL JOIN (SELECT DISTINCT ON (cur.subject_kind, cur.subject_id, cur.period) cur.*
                       FROM cur
                      ORDER BY cur.subject_kind, cur.subject_id, cur.period,
                               cur.state IN ('open', 'overdue', 'rectified', 'verify_overdue',
                                             'verified', 'report_overdue') DESC,
                               cur.alert_id DESC) c
            ON c.subject_kind = h.subject_kind AND c.subject_id = h.subject_id AND c.period = h.period
    ),
    f AS (
        SELECT j.*,
               CASE WHEN j.hit AND j.lvl = 'K' AND (j.alert_id IS NULL OR j.c_tier = 'G')
                    THEN coalesce(j.hit_due::date,
                                  wagecheck.add_working_days(j.today,
                                      (wagecheck.rule_param($2, 'deadline_wd', j.division))::int))
               END AS new_deadline,
               CASE WHEN j.hit AND j.lvl = 'O' AND j.alert_id IS NULL
                    THEN coalesce(j.hit_due,
                                  $1 + make_interval(hours => (wagecheck.rule_param($2, 'verify_hours', j.division))::int))
               END AS new_due,
               CASE WHEN coalesce(j.c_tier, j.lvl) = 'O'
                    THEN coalesce((j.details ->> 'report_due')::timestamptz,
                                  coalesce(j.c_opened, $1)
                                  + make_interval(hours => (wagecheck.rule_param($2, 'report_hours', j.division))::int))
               END AS report_due,
               -- nothing can change: a hit on a live G alert of the same level, an overdue K
               -- alert, or an open K alert before its deadline
               j.hit AND ((j.c_tier = 'G' AND j.lvl = 'G' AND j.c_state = 'open')
                          OR (j.c_tier = 'K' AND j.c_state = 'overdue')
                          OR (j.c_tier = 'K' AND j.c_state = 'open' AND j.today <= j.c_deadline))
                 AS quiet
          FROM j
    )
    SELECT f.alert_id, f.subject_kind, f.subject_id, f.period, f.project_id, f.enterprise_id,
           f.division, f.details, f.evidence, f.violation_ids, f.hit, f.c_state,
           coalesce(st.step, 1), st.action, st.from_state, st.to_state, st.from_tier, st.to_tier,
           CASE WHEN st.deadline_new THEN f.new_deadline ELSE f.c_deadline END,
           CASE st.due WHEN 1 THEN f.new_due WHEN 2 THEN f.report_due ELSE f.c_due END
      FROM f
      LEFT JOIN LATERAL (
            SELECT * FROM wagecheck._engine_steps(
                f.c_tier, f.c_state, f.hit, f.lvl,
                f.today > f.c_deadline, f.today > f.new_deadline,
                $1 > f.c_due, $1 > f.new_due,
                coalesce((f.details ->> 'verified')::boolean, false) AND f.hit,
                $1 > f.report_due)
             WHERE NOT coalesce(f.quiet, false)) st ON true
     WHERE st.action IS NOT NULL OR f.hit
     ORDER BY f.subject_kind, f.subject_id, f.period, st.step
    $q$, r.evaluator::regproc::text)
    USING p_as_of, p_code, p_replay, r.tier, r.escalates, r.once OR r.tier = 'O';
END
$$;
COMMENT ON FUNCTION wagecheck._scan_plan(text, timestamptz, boolean) IS
    'what a scan of one rule as of a moment does: the steps of every alert it opens or changes (internal to scan)';

-- user data and configuration survive pg_dump; rules shipped with wagecheck come from the script
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule_param_override', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_event', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_violation', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.rule_scan', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_alert_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.alert_event_event_id_seq', '');

-- ==== src/alerts/20_scan.sql
-- wagecheck.scan(as_of): evaluates every enabled rule and applies the plan.

-- _alert_payload(...): the small JSON payload of NOTIFY wagecheck_alert.
CREATE FUNCTION wagecheck._alert_payload(p_event text, p_alert bigint, p_rule text, p_tier text,
                                         p_state text, p_subject_kind text, p_subject_id text,
                                         p_period text, p_division text, p_at timestamptz)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS
$$
    SELECT jsonb_build_object('event', p_event, 'alert', p_alert, 'rule', p_rule, 'tier', p_tier,
                              'state', p_state, 'subject', p_subject_kind || ':' || p_subject_id,
                              'period', p_period, 'division', p_division, 'at', p_at)::text
$$;
COMMENT ON FUNCTION wagecheck._alert_payload(text, bigint, text, text, text, text, text, text, text, timestamptz) IS
    'payload of NOTIFY wagecheck_alert: event (opened, escalated, cleared), alert id, rule, tier, state, subject, period, division, at';

-- _notify_kind(action): which announcement an action makes (NULL: none).
CREATE FUNCTION wagecheck._notify_kind(action text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS
$$
    SELECT CASE action
               WHEN 'open' THEN 'opened'
               WHEN 'escalate' THEN 'escalated'
               WHEN 'overdue' THEN 'escalated'
               WHEN 'reopen_overdue' THEN 'escalated'
               WHEN 'clear' THEN 'cleared'
               WHEN 'confirm' THEN 'cleared'
               WHEN 'report' THEN 'cleared'
               WHEN 'reported_in_source' THEN 'cleared'
           END
$$;
COMMENT ON FUNCTION wagecheck._notify_kind(text) IS
    'announcement of an alert action on channel wagecheck_alert: opened, escalated (G->K, overdue) or cleared (cleared, confirmed, reported)';

-- _memo_build(as_of): computes once, for the whole scan, the building blocks that more
-- than one enabled evaluator uses (wages_owed, attendance_months), as temporary tables.
CREATE FUNCTION wagecheck._memo_build(p_as_of timestamptz) RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    b text;
BEGIN
    PERFORM wagecheck._memo_drop();
    CREATE TEMP TABLE wc_memo (name text PRIMARY KEY, as_of timestamptz NOT NULL) ON COMMIT DROP;
    FOREACH b IN ARRAY ARRAY['wages_owed', 'attendance_months'] LOOP
        IF (SELECT count(*) FROM wagecheck.rule r JOIN pg_catalog.pg_proc p ON p.oid = r.evaluator
             WHERE r.enabled AND strpos(p.prosrc, b || '(') > 0) > 1 THEN
            EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM wagecheck.%I($1)',
                           'wc_memo_' || b, '_' || b || '_compute') USING p_as_of;
            EXECUTE format('ANALYZE pg_temp.%I', 'wc_memo_' || b);
            INSERT INTO pg_temp.wc_memo VALUES (b, p_as_of);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_build(timestamptz) IS
    'computes the building blocks shared by several enabled evaluators once per scan (internal)';

CREATE FUNCTION wagecheck._memo_drop() RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF to_regclass('pg_temp.wc_memo') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo;
    END IF;
    IF to_regclass('pg_temp.wc_memo_wages_owed') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_wages_owed;
    END IF;
    IF to_regclass('pg_temp.wc_memo_attendance_months') IS NOT NULL THEN
        DROP TABLE pg_temp.wc_memo_attendance_months;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_drop() IS 'drops the building blocks of a scan (internal)';

CREATE FUNCTION wagecheck.scan(as_of timestamptz DEFAULT now())
    RETURNS TABLE (rule_code text, hits int, opened int, escalated int, cleared int,
                   rectified int, replay boolean)
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
#variable_conflict use_column
DECLARE
    r record;
    mark timestamptz;
    payloads text[];
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'scan needs a finite as_of moment'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'wagecheck.scan() runs only at READ COMMITTED isolation'
            USING ERRCODE = 'invalid_transaction_state',
                  DETAIL = format('The transaction is at %s.', current_setting('transaction_isolation')),
                  HINT = 'Each rule is locked while it is scanned; a concurrent scan then sees the first one''s alerts.';
    END IF;
    PERFORM wagecheck._memo_build(as_of);
    FOR r IN SELECT ru.code FROM wagecheck.rule ru WHERE ru.enabled ORDER BY ru.code LOOP
        -- one scan per rule at a time: lock the rule's high-water mark
        INSERT INTO wagecheck.rule_scan AS rs (code, scanned_to, scanned_at)
        VALUES (r.code, '-infinity', now())
        ON CONFLICT (code) DO NOTHING;
        SELECT rs.scanned_to INTO mark FROM wagecheck.rule_scan rs WHERE rs.code = r.code FOR UPDATE;

        rule_code := r.code;
        IF as_of < mark THEN
            -- replay: what was known then, nothing written
            replay := true;
            SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FILTER (WHERE p.hit),
                   count(*) FILTER (WHERE p.action = 'open'),
                   count(*) FILTER (WHERE p.action IN ('escalate', 'overdue', 'reopen_overdue')),
                   count(*) FILTER (WHERE p.action IN ('clear', 'reported_in_source')),
                   count(*) FILTER (WHERE p.action = 'rectify')
              INTO hits, opened, escalated, cleared, rectified
              FROM wagecheck._scan_plan(r.code, as_of, true) p;
            RETURN NEXT;
            CONTINUE;
        END IF;

        replay := false;
        WITH p AS MATERIALIZED (
            SELECT * FROM wagecheck._scan_plan(r.code, as_of, false)
        ),
        fin AS MATERIALIZED (
            SELECT DISTINCT ON (p.subject_kind, p.subject_id, p.period) p.*
              FROM p
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step DESC
        ),
        ins AS (
            INSERT INTO wagecheck.alert AS a
                   (rule_code, tier, state, subject_kind, subject_id, period, project_id, enterprise_id,
                    division, details, evidence, opened_at, deadline_on, due_at, escalated_at, updated_at)
            SELECT r.code, f.to_tier, f.to_state, f.subject_kind, f.subject_id, f.period, f.project_id,
                   f.enterprise_id, f.division, f.details, f.evidence, as_of,
                   CASE WHEN f.to_tier = 'K' THEN f.deadline_on END,
                   CASE WHEN f.to_tier = 'O' THEN f.due_at END,
                   CASE WHEN f.step > 1 THEN as_of END, as_of
              FROM fin f
             WHERE f.alert_id IS NULL AND f.action IS NOT NULL
            ON CONFLICT (rule_code, subject_kind, subject_id, period)
               WHERE state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               DO NOTHING
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        upd AS (
            UPDATE wagecheck.alert a
               SET tier = coalesce(f.to_tier, a.tier),
                   state = coalesce(f.to_state, a.state),
                   details = f.details,
                   evidence = f.evidence,
                   project_id = coalesce(f.project_id, a.project_id),
                   enterprise_id = coalesce(f.enterprise_id, a.enterprise_id),
                   division = coalesce(f.division, a.division),
                   deadline_on = CASE WHEN coalesce(f.to_tier, a.tier) = 'K' THEN f.deadline_on END,
                   due_at = CASE WHEN coalesce(f.to_tier, a.tier) = 'O' THEN f.due_at END,
                   escalated_at = CASE WHEN f.action IN ('escalate', 'overdue', 'reopen_overdue')
                                       THEN as_of ELSE a.escalated_at END,
                   closed_at = CASE WHEN f.to_state IN ('cleared', 'closed', 'reported') THEN as_of END,
                   updated_at = CASE WHEN f.action IS NOT NULL THEN as_of ELSE a.updated_at END
              FROM fin f
             WHERE a.alert_id = f.alert_id
               AND a.state = f.cur_state
               AND a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
               AND (f.action IS NOT NULL OR a.details IS DISTINCT FROM f.details
                    OR a.evidence IS DISTINCT FROM f.evidence)
            RETURNING a.alert_id, a.subject_kind, a.subject_id, a.period, a.division
        ),
        ev AS (
            INSERT INTO wagecheck.alert_event AS e
                   (alert_id, at, action, from_state, to_state, from_tier, to_tier, deadline_on, due_at, note)
            SELECT coalesce(i.alert_id, u.alert_id), as_of, p.action, p.from_state, p.to_state,
                   p.from_tier, p.to_tier,
                   CASE WHEN p.to_tier = 'K' THEN p.deadline_on END,
                   CASE WHEN p.to_tier = 'O' THEN p.due_at END,
                   CASE WHEN p.evidence = 'violation' THEN 'raised by recorded violation(s)' END
              FROM p
              LEFT JOIN ins i ON p.alert_id IS NULL AND i.subject_kind = p.subject_kind
                             AND i.subject_id = p.subject_id AND i.period = p.period
              LEFT JOIN upd u ON u.alert_id = p.alert_id
             WHERE p.action IS NOT NULL AND coalesce(i.alert_id, u.alert_id) IS NOT NULL
             ORDER BY p.subject_kind, p.subject_id, p.period, p.step
            RETURNING e.alert_id, e.action, e.to_state, e.to_tier
        ),
        lnk AS (
            INSERT INTO wagecheck.alert_violation (violation_id, alert_id, consumed_at)
            SELECT v.id, coalesce(i.alert_id, f.alert_id), as_of
              FROM fin f
              LEFT JOIN ins i ON f.alert_id IS NULL AND i.subject_kind = f.subject_kind
                             AND i.subject_id = f.subject_id AND i.period = f.period
             CROSS JOIN LATERAL unnest(f.violation_ids) v(id)
             WHERE coalesce(i.alert_id, f.alert_id) IS NOT NULL
            ON CONFLICT (violation_id) DO NOTHING
        )
        SELECT (SELECT count(DISTINCT (p.subject_kind, p.subject_id, p.period)) FROM p WHERE p.hit),
               count(*) FILTER (WHERE ev.action = 'open'),
               count(*) FILTER (WHERE ev.action IN ('escalate', 'overdue', 'reopen_overdue')),
               count(*) FILTER (WHERE ev.action IN ('clear', 'reported_in_source')),
               count(*) FILTER (WHERE ev.action = 'rectify'),
               array_agg(wagecheck._alert_payload(wagecheck._notify_kind(ev.action), ev.alert_id, r.code,
                                                  ev.to_tier, ev.to_state,
                                                  coalesce(i.subject_kind, u.subject_kind),
                                                  coalesce(i.subject_id, u.subject_id),
                                                  coalesce(i.period, u.period),
                                                  coalesce(i.division, u.division)::text, as_of)
                         ORDER BY ev.alert_id, ev.action)
                   FILTER (WHERE wagecheck._notify_kind(ev.action) IS NOT NULL)
          INTO hits, opened, escalated, cleared, rectified, payloads
          FROM ev
          LEFT JOIN ins i ON i.alert_id = ev.alert_id
          LEFT JOIN upd u ON u.alert_id = ev.alert_id;
        PERFORM pg_notify('wagecheck_alert', x) FROM unnest(payloads) x;
        UPDATE wagecheck.rule_scan rs SET scanned_to = as_of, scanned_at = now()
         WHERE rs.code = r.code AND rs.scanned_to < as_of;
        RETURN NEXT;
    END LOOP;
    PERFORM wagecheck._memo_drop();
END
$$;
COMMENT ON FUNCTION wagecheck.scan(timestamptz) IS
    'evaluates every enabled rule as of a moment: opens, escalates, marks overdue, clears; returns per rule the hits and what changed. Idempotent; as of a moment before a rule''s last scan it is a replay that writes nothing';

-- ==== src/alerts/30_lifecycle.sql
-- Officer steps of the alert lifecycle: confirm a K rectification, verify and report an O alert.

-- _officer_step(alert, action, note, at): one officer action, checked by the state machine.
CREATE FUNCTION wagecheck._officer_step(p_alert bigint, p_action text, p_note text, p_at timestamptz)
    RETURNS wagecheck.alert
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    a wagecheck.alert;
    steps text[] := ARRAY[p_action];
    step text;
    from_state text;
    to_state text;
    kind text;
BEGIN
    IF p_alert IS NULL THEN
        RAISE EXCEPTION 'no alert given' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_note IS NULL OR btrim(p_note) = '' THEN
        RAISE EXCEPTION 'a note is required to % alert %', p_action, p_alert
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what was found or done: the note goes into the alert''s history.';
    END IF;
    IF p_at IS NULL OR NOT isfinite(p_at) THEN
        RAISE EXCEPTION 'the time of the action must be a finite moment' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO a FROM wagecheck.alert WHERE alert_id = p_alert FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % does not exist', p_alert USING ERRCODE = 'no_data_found';
    END IF;
    IF p_at < a.updated_at THEN
        RAISE EXCEPTION 'cannot % alert % as of %: it last changed at %', p_action, p_alert, p_at, a.updated_at
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'An alert''s history moves forward only.';
    END IF;
    -- a K alert raised only by recorded violations, or by an event (rule.once), has no
    -- condition a scan sees go away: the officer's confirmation records the rectification
    IF p_action = 'confirm' AND a.tier = 'K' AND a.state IN ('open', 'overdue')
       AND (a.evidence = 'violation' OR (SELECT r.once FROM wagecheck.rule r WHERE r.code = a.rule_code)) THEN
        steps := ARRAY['rectify_violation', 'confirm'];
    END IF;
    FOREACH step IN ARRAY steps LOOP
        from_state := a.state;
        to_state := wagecheck.alert_transition(a.tier, a.state, step, 'officer');
        a.state := to_state;
        a.updated_at := p_at;
        IF to_state IN ('closed', 'reported') THEN
            a.closed_at := p_at;
        END IF;
        IF step = 'verify' THEN
            a.due_at := coalesce((a.details ->> 'report_due')::timestamptz,
                                 a.opened_at + make_interval(hours =>
                                     (wagecheck.rule_param(a.rule_code, 'report_hours', a.division))::int));
        END IF;
        INSERT INTO wagecheck.alert_event (alert_id, at, action, from_state, to_state, from_tier, to_tier,
                                           deadline_on, due_at, note)
        VALUES (a.alert_id, p_at, step, from_state, to_state, a.tier, a.tier,
                a.deadline_on, CASE WHEN a.tier = 'O' THEN a.due_at END, p_note);
    END LOOP;
    UPDATE wagecheck.alert
       SET state = a.state, updated_at = a.updated_at, closed_at = a.closed_at, due_at = a.due_at
     WHERE alert_id = a.alert_id;
    kind := wagecheck._notify_kind(p_action);
    IF kind IS NOT NULL THEN
        PERFORM pg_notify('wagecheck_alert',
                          wagecheck._alert_payload(kind, a.alert_id, a.rule_code, a.tier, a.state,
                                                   a.subject_kind, a.subject_id, a.period,
                                                   a.division::text, p_at));
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION wagecheck._officer_step(bigint, text, text, timestamptz) IS
    'one officer action on an alert, checked by the lifecycle state machine (internal)';

CREATE FUNCTION wagecheck.confirm_rectified(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'confirm', note, at) $$;
COMMENT ON FUNCTION wagecheck.confirm_rectified(bigint, text, timestamptz) IS
    'closes a key (K) alert: an officer confirms the rectification after a scan found the condition gone (state rectified); SQLSTATE WC040 otherwise';

CREATE FUNCTION wagecheck.verify_alert(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'verify', note, at) $$;
COMMENT ON FUNCTION wagecheck.verify_alert(bigint, text, timestamptz) IS
    'records the verification (核查落实) of a public-opinion (O) alert; its report deadline then runs';

CREATE FUNCTION wagecheck.report_alert(alert bigint, note text, at timestamptz DEFAULT now())
    RETURNS wagecheck.alert
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, wagecheck AS
$$ SELECT wagecheck._officer_step(alert, 'report', note, at) $$;
COMMENT ON FUNCTION wagecheck.report_alert(bigint, text, timestamptz) IS
    'records the report upward (反馈上报) of a verified public-opinion (O) alert, which closes it';

-- ==== src/alerts/40_views.sql
-- The supervision ledger (督办台账) of key alerts and the board of open alerts.

CREATE TABLE wagecheck.sector_department (
    sector        text PRIMARY KEY,
    department_zh text NOT NULL CHECK (department_zh <> ''),
    department_en text NOT NULL CHECK (department_en <> ''),
    shipped       boolean NOT NULL DEFAULT wagecheck._creating_extension()
);
COMMENT ON TABLE wagecheck.sector_department IS
    'department that answers for alerts on a project of each sector (行业主管部门); HRSS (人社) for enterprises and anything else';
INSERT INTO wagecheck.sector_department (sector, department_zh, department_en) VALUES
    ('housing', '住房和城乡建设局', 'housing and urban-rural development bureau'),
    ('transport', '交通运输局', 'transport bureau'),
    ('water', '水利局', 'water resources bureau'),
    ('municipal', '住房和城乡建设局（市政）', 'housing and urban-rural development bureau (municipal works)'),
    ('development_reform', '发展和改革局', 'development and reform bureau'),
    ('other', '人力资源和社会保障局', 'human resources and social security bureau');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.sector_department', 'WHERE NOT shipped');

CREATE VIEW wagecheck.supervision_ledger AS
SELECT a.alert_id,
       a.rule_code,
       r.name_zh AS rule_name_zh,
       r.name_en AS rule_name_en,
       coalesce(p.name, e.name, a.subject_kind || ' ' || a.subject_id) AS unit,
       a.subject_kind,
       a.subject_id,
       a.period,
       a.project_id,
       a.division AS county,
       a.state,
       a.opened_at,
       a.deadline_on,
       s.scanned_to AS as_of,
       greatest(s.scanned_to::date - a.deadline_on, 0) AS days_overdue,
       CASE WHEN s.scanned_to::date > a.deadline_on
            THEN wagecheck.working_days_between(a.deadline_on, s.scanned_to::date) ELSE 0 END AS working_days_overdue,
       coalesce(d.department_zh, '人力资源和社会保障局') AS department_zh,
       coalesce(d.department_en, 'human resources and social security bureau') AS department_en,
       coalesce(p.sector, 'other') AS sector,
       a.details
  FROM wagecheck.alert a
  JOIN wagecheck.rule r ON r.code = a.rule_code
  LEFT JOIN wagecheck.rule_scan s ON s.code = a.rule_code
  LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
  LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = a.enterprise_id AND p.project_id IS NULL
  LEFT JOIN wagecheck.sector_department d ON d.sector = coalesce(p.sector, 'other')
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified');
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county';

CREATE VIEW wagecheck.alert_board AS
SELECT a.division AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at
  FROM wagecheck.alert a
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest';

-- ==== src/alerts/50_rule_helpers.sql
-- Shared building blocks of the catalogue's evaluators: pay days and wages owed,
-- as known at a moment (rows created after it are not seen).

-- _memo_ready(name, as_of): the scan in progress has computed this building block for this moment.
CREATE FUNCTION wagecheck._memo_ready(p_name text, p_as_of timestamptz) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    found boolean;
BEGIN
    IF to_regclass('pg_temp.wc_memo') IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_temp.wc_memo WHERE name = $1 AND as_of = $2)'
       INTO found USING p_name, p_as_of;
    RETURN found;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_ready(text, timestamptz) IS
    'true when the running scan has computed the named building block for the moment (internal)';

CREATE FUNCTION wagecheck.wage_pay_date(period date, pay_day smallint, pay_month_offset smallint)
    RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT wagecheck.pay_day(m + (least(pay_day, extract(day FROM m + interval '1 month' - interval '1 day')::int) - 1))
      FROM (SELECT (date_trunc('month', period) + make_interval(months => pay_month_offset))::date AS m) x
$$;
COMMENT ON FUNCTION wagecheck.wage_pay_date(date, smallint, smallint) IS
    'pay day of a month''s wages: the agreed day of the same or the next month (clamped to the month''s end), moved earlier to a working day';

-- _pay_terms(as_of): per project and worker, the pay terms of the latest roster entry known then.
CREATE FUNCTION wagecheck._pay_terms(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, roster_id bigint, employer_id bigint,
                   pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT DISTINCT ON (r.project_id, r.worker_id)
           r.project_id, r.worker_id, r.roster_id, r.employer_id, r.pay_day, r.pay_month_offset
      FROM wagecheck.roster r
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
     ORDER BY r.project_id, r.worker_id, r.start_on DESC
$$;
COMMENT ON FUNCTION wagecheck._pay_terms(timestamptz) IS
    'pay day and month offset of each worker on each project (latest roster entry known at the moment)';

-- _wages_owed_compute(as_of): per project, worker and month on a pay sheet, the net
-- wages (effective lines: corrections replace the line they correct), paid, and owed.
CREATE FUNCTION wagecheck._wages_owed_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- one pass over lines and payments with hash joins: the hash tables should not spill
    SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS (    -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    lp AS (            -- lines known then, whether a correction replaces them, their pay date
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               c.line_id IS NULL AS effective, d.pay_date
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
          LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id AND c.created_at <= as_of
          LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = s.project_id AND t.worker_id = l.worker_id
          JOIN dates d ON d.period = s.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE l.created_at <= as_of
    ),
    py AS (            -- payments per line known then
        SELECT y.line_id, sum(y.amount) AS paid, array_agg(y.paid_at) AS ats, array_agg(y.amount) AS amounts
          FROM wagecheck.wage_payment y
         WHERE y.paid_at <= as_of AND y.created_at <= as_of
         GROUP BY y.line_id
    ),
    pl AS (
        SELECT lp.*, py.paid, b.paid_by
          FROM lp
          LEFT JOIN py ON py.line_id = lp.line_id
          LEFT JOIN LATERAL (SELECT sum(u.a) FILTER (WHERE u.at::date <= lp.pay_date) AS paid_by
                               FROM unnest(py.ats, py.amounts) u(at, a)) b ON true
    )
    SELECT pl.project_id, pl.worker_id, min(pl.employer_id), pl.period, pl.pay_date,
           coalesce(sum(pl.days) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.payable) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.paid), 0), coalesce(sum(pl.paid_by), 0),
           greatest(coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0) - coalesce(sum(pl.paid), 0), 0)
      FROM pl
     GROUP BY pl.project_id, pl.worker_id, pl.period, pl.pay_date
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_compute(timestamptz) IS
    'computes wagecheck.wages_owed (internal)';

-- _attendance_months_compute(as_of): per project, worker and month, the days attended.
CREATE FUNCTION wagecheck._attendance_months_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*)
      FROM wagecheck.attendance a
     WHERE a.day <= as_of::date AND a.created_at <= as_of
     GROUP BY 1, 2, 3
$$;
COMMENT ON FUNCTION wagecheck._attendance_months_compute(timestamptz) IS
    'computes wagecheck.attendance_months (internal)';

-- A scan computes once the building blocks its evaluators share, as temporary tables that
-- live until the end of the scan (pg_temp.wc_memo names them and their moment); the
-- functions below read them when they are there for the moment asked, else compute.
CREATE FUNCTION wagecheck.wages_owed(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_owed', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_owed';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.wages_owed(timestamptz) IS
    'wages per project, worker and month as known at a moment: pay date, days, payable (应发), net (实发), paid, paid by the pay date, owed (corrections replace the line they correct; unknown pay terms: the 15th of the next month)';

CREATE FUNCTION wagecheck.attendance_months(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('attendance_months', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_attendance_months';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._attendance_months_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attendance_months(timestamptz) IS
    'days attended per project, worker and month, as known at a moment';

-- ==== src/alerts/51_rules_rn.sql
-- Real-name rules (实名制): RN01-RN04.

-- RN01 (K, pay line): a payroll line for a worker not on the project's real-name roster.
CREATE FUNCTION wagecheck.eval_rn01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'net', l.net)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
     WHERE l.created_at <= as_of
       AND NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = s.project_id AND r.worker_id = l.worker_id
                          AND r.created_at <= as_of AND r.start_on <= as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn01(timestamptz) IS
    'RN01: pay lines of workers not on the project''s real-name roster (known at as_of)';

-- RN02 (G, roster entry): on the roster without a signed labour contract.
CREATE FUNCTION wagecheck.eval_rn02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'start_on', r.start_on)
      FROM wagecheck.roster r
      JOIN wagecheck.project p ON p.project_id = r.project_id
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
       AND (r.end_on IS NULL OR r.end_on >= as_of::date)
       AND (r.contract_signed_on IS NULL OR r.contract_signed_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn02(timestamptz) IS
    'RN02: workers on a roster (active at as_of) without a signed labour contract';

-- RN03 (G, project): under construction, no attendance record for gap_days days.
CREATE FUNCTION wagecheck.eval_rn03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              (SELECT max(a.day) FROM wagecheck.attendance a
                                WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                  AND a.created_at <= as_of))
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('RN03', 'gap_days', p.division))::int AS gap) g
     WHERE p.status = 'under_construction' AND p.created_at <= as_of
       AND p.start_on <= as_of::date - g.gap + 1
       AND NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                        WHERE a.project_id = p.project_id
                          AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                          AND a.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03(timestamptz) IS
    'RN03: projects under construction with no attendance in the gap_days days up to as_of (data not kept current)';

-- RN04 (G->K, project-month): attendees of a month without a payroll line after their pay day.
CREATE FUNCTION wagecheck.eval_rn04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH att AS (
        SELECT m.project_id, m.worker_id, m.period FROM wagecheck.attendance_months(as_of) m
    ),
    terms AS (
        SELECT att.*, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM att
          LEFT JOIN wagecheck._pay_terms(as_of) t
                 ON t.project_id = att.project_id AND t.worker_id = att.worker_id
    ),
    dates AS (
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT terms.period, terms.pay_day, terms.pay_month_offset FROM terms) k
    ),
    due AS (
        SELECT terms.project_id, terms.worker_id, terms.period
          FROM terms
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
    ),
    lines AS (
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.created_at <= as_of
    ),
    pm AS (
        SELECT due.project_id, due.period, count(*) AS attendees,
               count(*) FILTER (WHERE lines.worker_id IS NULL) AS unpaid
          FROM due
          LEFT JOIN lines ON lines.project_id = due.project_id AND lines.worker_id = due.worker_id
                         AND lines.period = due.period
         GROUP BY due.project_id, due.period
    )
    SELECT 'project', pm.project_id::text, to_char(pm.period, 'YYYY-MM'), pm.project_id, p.contractor_id,
           p.division,
           CASE WHEN pm.unpaid::numeric / pm.attendees
                     > (wagecheck.rule_param('RN04', 'k_share', p.division))::numeric
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', pm.attendees, 'without_payroll', pm.unpaid,
                              'share', round(pm.unpaid::numeric / pm.attendees, 4))
      FROM pm
      JOIN wagecheck.project p ON p.project_id = pm.project_id
     WHERE pm.unpaid > 0
$$;
COMMENT ON FUNCTION wagecheck.eval_rn04(timestamptz) IS
    'RN04: project-months whose attendees have no payroll line after their pay day; level K when more than k_share of them';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('RN01', 'K', false, false, 'pay_line', '工资发放对象不在实名制名册', 'payroll line for a worker not on the real-name roster',
 'a pay-sheet line (and so any payment on it) for a worker who is not on the project''s real-name roster (Decree 724 arts. 28, 31)',
 '{"deadline_wd": 5}', 'wagecheck.eval_rn01(timestamptz)'),
('RN02', 'G', false, false, 'roster', '未签订劳动合同', 'on the roster without a signed labour contract',
 'a worker on the roster without a written labour contract (Decree 724 art. 28)',
 '{}', 'wagecheck.eval_rn02(timestamptz)'),
('RN03', 'G', false, false, 'project', '考勤数据未及时更新', 'attendance not kept current',
 'a project under construction with no attendance record for gap_days consecutive calendar days (应录必录、实时更新)',
 '{"gap_days": 7}', 'wagecheck.eval_rn03(timestamptz)'),
('RN04', 'G', true, false, 'project_month', '有考勤无工资发放记录', 'attendance without payroll after the pay day',
 'workers with attendance in a month but no payroll line after their pay day: any → G; more than k_share of the month''s attendees → K',
 '{"k_share": 0.10, "deadline_wd": 5}', 'wagecheck.eval_rn04(timestamptz)');

-- ==== src/alerts/52_rules_ac.sql
-- Dedicated wage account rules (农民工工资专用账户): AC01-AC05.

-- AC01 (K, project): no dedicated account open_days after the construction contract.
CREATE FUNCTION wagecheck.eval_ac01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC01', 'open_days', p.division))::int AS days) g
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01(timestamptz) IS
    'AC01: projects with no dedicated wage account open_days after the construction contract was signed';

-- AC02 (G->K, project-period): labour cost paid in below the schedule after its due date.
-- Payments are set against the periods in order (the oldest first).
CREATE FUNCTION wagecheck.eval_ac02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH sched AS (
        SELECT s.project_id, s.period, s.amount_due, s.due_on,
               sum(s.amount_due) OVER (PARTITION BY s.project_id ORDER BY s.period) AS cum_due
          FROM wagecheck.labour_cost_schedule s
         WHERE s.created_at <= as_of AND s.due_on < as_of::date
    ),
    paid AS (
        SELECT w.project_id, sum(t.amount) AS paid
          FROM wagecheck.account_txn t
          JOIN wagecheck.wage_account w ON w.account_id = t.account_id
         WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
           AND t.booked_at <= as_of AND t.created_at <= as_of
         GROUP BY w.project_id
    ),
    short AS (
        SELECT sched.*, coalesce(paid.paid, 0) AS paid,
               least(sched.amount_due, sched.cum_due - coalesce(paid.paid, 0)) AS shortfall
          FROM sched LEFT JOIN paid ON paid.project_id = sched.project_id
    )
    SELECT 'project', short.project_id::text, to_char(short.period, 'YYYY-MM'), short.project_id, p.owner_id,
           p.division,
           CASE WHEN short.shortfall >= short.amount_due
                  OR as_of::date - short.due_on > (wagecheck.rule_param('AC02', 'k_overdue_days', p.division))::int
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('amount_due', short.amount_due, 'due_on', short.due_on,
                              'shortfall', short.shortfall)
      FROM short
      JOIN wagecheck.project p ON p.project_id = short.project_id
     WHERE short.shortfall > 0
$$;
COMMENT ON FUNCTION wagecheck.eval_ac02(timestamptz) IS
    'AC02: schedule periods past their due date with labour cost not fully paid in (payments set against the oldest period first); K when nothing was paid for the period or it is over k_overdue_days overdue';

-- AC03 (K, account transaction): money leaving the account other than as a wage into the
-- own card of a worker on that project's roster.
CREATE FUNCTION wagecheck.eval_ac03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'account_txn', t.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('amount', t.amount, 'purpose', t.purpose, 'booked_at', t.booked_at,
                              'counterparty', t.counterparty_name,
                              'reason', CASE WHEN t.purpose <> 'wage' THEN 'not a wage'
                                             ELSE 'not the own card of a worker on the roster' END)
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account w ON w.account_id = t.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE t.direction = 'out' AND t.booked_at <= as_of AND t.created_at <= as_of
       AND (t.purpose <> 'wage'
            OR NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                             JOIN wagecheck.worker k ON k.worker_id = r.worker_id
                            WHERE r.project_id = w.project_id AND r.created_at <= as_of
                              AND k.wage_card::text = regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac03(timestamptz) IS
    'AC03: outflows of a dedicated account that are not wages into the own card of a worker on the project''s roster (cash, other accounts, other projects'' workers)';

-- AC04 (G, project): agreed labour-cost share below the minimum for the sector.
CREATE FUNCTION wagecheck.eval_ac04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.owner_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('sector', p.sector, 'labour_share', p.labour_share, 'minimum', m.share)
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric
                                AS share) m
     WHERE p.created_at <= as_of AND p.status NOT IN ('completed', 'closed')
       AND p.labour_share < m.share
$$;
COMMENT ON FUNCTION wagecheck.eval_ac04(timestamptz) IS
    'AC04: projects whose contract''s labour-cost share is below the minimum for their sector (min_share, per province)';

-- AC05 (K, project): account closed or closing while wages are owed, or closed before the
-- public notice ended.
CREATE FUNCTION wagecheck.eval_ac05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH closing AS (
        SELECT w.*, p.division, p.contractor_id,
               (wagecheck.rule_param('AC05', 'notice_days', p.division))::int AS notice_days
          FROM wagecheck.wage_account w
          JOIN wagecheck.project p ON p.project_id = w.project_id
         WHERE w.created_at <= as_of
           AND (w.closure_notice_on <= as_of::date OR w.closed_on <= as_of::date)
    ),
    owed AS (
        SELECT o.project_id, sum(o.owed) AS owed
          FROM wagecheck.wages_owed(as_of) o
         WHERE o.project_id IN (SELECT closing.project_id FROM closing)
         GROUP BY o.project_id
        HAVING sum(o.owed) > 0
    )
    SELECT 'project', c.project_id::text, '', c.project_id, c.contractor_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', c.account_id, 'closure_notice_on', c.closure_notice_on,
                              'closed_on', c.closed_on, 'wages_owed', coalesce(owed.owed, 0),
                              'notice_ends_on', c.closure_notice_on + c.notice_days)
      FROM closing c
      LEFT JOIN owed ON owed.project_id = c.project_id
     WHERE owed.owed > 0
        OR (c.closed_on <= as_of::date
            AND (c.closure_notice_on IS NULL OR c.closed_on < c.closure_notice_on + c.notice_days))
$$;
COMMENT ON FUNCTION wagecheck.eval_ac05(timestamptz) IS
    'AC05: dedicated accounts closed or under closure notice while wages are owed, or closed before notice_days of public notice';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('AC01', 'K', false, false, 'project', '未按时开立工资专用账户', 'no dedicated wage account in time',
 'no dedicated wage account open_days after the construction contract was signed (人社部发〔2021〕53号)',
 '{"open_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac01(timestamptz)'),
('AC02', 'G', true, false, 'project_period', '人工费用未按时足额拨付', 'labour cost not paid in as scheduled',
 'labour cost paid into the account below what the schedule says was due by its due date: shortfall → G; nothing paid for the period, or over k_overdue_days overdue → K (Decree 724 arts. 24, 27)',
 '{"k_overdue_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac02(timestamptz)'),
('AC03', 'K', false, true, 'account_txn', '专用账户违规支出', 'money left the dedicated account other than as a wage',
 'an outflow of the dedicated account other than a wage into the own card of a worker on that project''s roster: cash, other accounts, other projects'' workers (Decree 724 arts. 26, 31)',
 '{"deadline_wd": 5}', 'wagecheck.eval_ac03(timestamptz)'),
('AC04', 'G', false, false, 'project', '人工费用比例低于规定', 'labour-cost share below the minimum',
 'the contract''s labour-cost share is below the provincial minimum for the sector (Shandong 2022: housing 20%, transport 8%, municipal and water 12%)',
 '{"min_share": {"housing": 0.20, "transport": 0.08, "municipal": 0.12, "water": 0.12}}',
 'wagecheck.eval_ac04(timestamptz)'),
('AC05', 'K', false, true, 'project', '专用账户违规销户', 'dedicated account closed too early',
 'the account is closed or under closure while wages are owed, or was closed before notice_days of public notice ended (Decree 724 art. 27)',
 '{"notice_days": 30, "deadline_wd": 5}', 'wagecheck.eval_ac05(timestamptz)');

-- ==== src/alerts/53_rules_wp.sql
-- Wage payment rules (工资支付): WP01-WP07.

-- WP01 (G, project-month): attendance in a month but no pay sheet after the pay day.
CREATE FUNCTION wagecheck.eval_wp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH att AS (
        SELECT m.project_id, m.period, count(*) AS workers
          FROM wagecheck.attendance_months(as_of) m
         GROUP BY 1, 2
    ),
    -- the project's earliest pay terms: the first pay day of the month's wages
    terms AS (
        SELECT t.project_id, min(t.pay_month_offset * 100 + t.pay_day) AS code
          FROM wagecheck._pay_terms(as_of) t
         GROUP BY t.project_id
    ),
    due AS (
        SELECT att.*, wagecheck.wage_pay_date(att.period, coalesce(terms.code % 100, 15)::smallint,
                                              coalesce(terms.code / 100, 1)::smallint) AS pay_date
          FROM att LEFT JOIN terms ON terms.project_id = att.project_id
    )
    SELECT 'project', due.project_id::text, to_char(due.period, 'YYYY-MM'), due.project_id, p.contractor_id,
           p.division, 'G', NULL::timestamptz,
           jsonb_build_object('workers_with_attendance', due.workers, 'pay_date', due.pay_date)
      FROM due
      JOIN wagecheck.project p ON p.project_id = due.project_id
     WHERE due.pay_date < as_of::date
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_sheet s
                        WHERE s.project_id = due.project_id AND s.period = due.period
                          AND s.prepared_on <= as_of::date AND s.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp01(timestamptz) IS
    'WP01: project-months with attendance and no pay sheet after the pay day (the earliest pay terms of the project''s roster)';

-- WP02 (G->K, worker on project, month): wages not fully paid by the pay day.
CREATE FUNCTION wagecheck.eval_wp02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division,
           CASE WHEN as_of::date - o.pay_date > k.days THEN 'K' ELSE 'G' END, NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'net', o.net, 'paid', o.paid, 'owed', o.owed,
                              'pay_date', o.pay_date)
      FROM wagecheck.wages_owed(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('WP02', 'k_days', p.division))::int AS days) k
     WHERE o.owed > 0 AND o.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck.eval_wp02(timestamptz) IS
    'WP02: a worker''s month of wages on a project not fully paid after the pay day (moved earlier to a working day); K when still owed k_days later';

-- WP03 (K, worker on project): min_months or more consecutive months with wages owed.
CREATE FUNCTION wagecheck.eval_wp03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH owed AS (
        SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.owed,
               -- months since year 0 minus the row number: constant along a run of consecutive months
               (extract(year FROM o.period) * 12 + extract(month FROM o.period))::int
               - row_number() OVER (PARTITION BY o.project_id, o.worker_id ORDER BY o.period) AS run
          FROM wagecheck.wages_owed(as_of) o
         WHERE o.owed > 0 AND o.pay_date < as_of::date
    ),
    runs AS (
        SELECT owed.project_id, owed.worker_id, min(owed.employer_id) AS employer_id,
               count(*) AS months, min(owed.period) AS first_month, max(owed.period) AS last_month,
               sum(owed.owed) AS owed
          FROM owed
         GROUP BY owed.project_id, owed.worker_id, owed.run
    )
    SELECT DISTINCT ON (runs.project_id, runs.worker_id)
           'worker_on_project', runs.project_id || '/' || runs.worker_id, '', runs.project_id, runs.employer_id,
           p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', runs.worker_id, 'months', runs.months,
                              'from', to_char(runs.first_month, 'YYYY-MM'),
                              'to', to_char(runs.last_month, 'YYYY-MM'), 'owed', runs.owed)
      FROM runs
      JOIN wagecheck.project p ON p.project_id = runs.project_id
     WHERE runs.months >= (wagecheck.rule_param('WP03', 'min_months', p.division))::int
     ORDER BY runs.project_id, runs.worker_id, runs.months DESC, runs.last_month DESC
$$;
COMMENT ON FUNCTION wagecheck.eval_wp03(timestamptz) IS
    'WP03: workers on a project with min_months or more consecutive months owed (the longest run)';

-- WP04 (K, payment): paid in cash, or into an account that is not the worker's registered card.
CREATE FUNCTION wagecheck.eval_wp04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'payment', y.payment_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'amount', y.amount, 'method', y.method,
                              'paid_at', y.paid_at,
                              'reason', CASE WHEN y.method = 'cash' THEN 'cash'
                                             WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                                             ELSE 'not the worker''s registered card' END)
      FROM wagecheck.wage_payment y
      JOIN wagecheck.pay_line l ON l.line_id = y.line_id
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
      JOIN wagecheck.worker k ON k.worker_id = l.worker_id
     WHERE y.paid_at <= as_of AND y.created_at <= as_of
       AND (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL OR y.card <> k.wage_card)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp04(timestamptz) IS
    'WP04: wage payments in cash or into an account other than the worker''s own registered card';

-- WP05 (G, worker on project, month): full-month pay below the local monthly minimum wage.
CREATE FUNCTION wagecheck.eval_wp05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH full_month AS (
        SELECT o.*, p.division
          FROM wagecheck.wages_owed(as_of) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('WP05', 'min_monthly_wage', d.division))::numeric AS min_wage,
               (wagecheck.rule_param('WP05', 'full_month_days', d.division))::numeric AS full_days
          FROM (SELECT DISTINCT full_month.division FROM full_month) d
    )
    SELECT 'worker_on_project', f.project_id || '/' || f.worker_id, to_char(f.period, 'YYYY-MM'),
           f.project_id, f.employer_id, f.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', f.worker_id, 'days', f.days, 'payable', f.payable,
                              'minimum', params.min_wage)
      FROM full_month f
      JOIN params ON params.division = f.division
     WHERE f.days >= params.full_days AND f.payable < params.min_wage
$$;
COMMENT ON FUNCTION wagecheck.eval_wp05(timestamptz) IS
    'WP05: a full month''s pay (days >= full_month_days) below the local monthly minimum wage (min_monthly_wage, per division)';

-- WP06 (G, worker): over month_amount in one month or year_amount in one year (possible fictitious payroll).
CREATE FUNCTION wagecheck.eval_wp06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH pay AS (
        -- the worker's division: that of the first project of the month
        SELECT o.worker_id, o.period, sum(o.payable) AS payable,
               (array_agg(p.division ORDER BY o.project_id))[1] AS division, min(o.project_id) AS project_id
          FROM wagecheck.wages_owed(as_of) o
          JOIN wagecheck.project p ON p.project_id = o.project_id
         GROUP BY o.worker_id, o.period
    ),
    sums AS (
        SELECT pay.worker_id, to_char(pay.period, 'YYYY-MM') AS period, pay.payable, pay.division,
               pay.project_id, 'month_amount' AS limit_key
          FROM pay
        UNION ALL
        SELECT pay.worker_id, to_char(pay.period, 'YYYY'), sum(pay.payable),
               (array_agg(pay.division ORDER BY pay.period))[1], min(pay.project_id), 'year_amount'
          FROM pay
         GROUP BY pay.worker_id, to_char(pay.period, 'YYYY')
    ),
    limits AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, k.limit_key, (wagecheck.rule_param('WP06', k.limit_key, d.division))::numeric AS amount
          FROM (SELECT DISTINCT pay.division FROM pay) d
         CROSS JOIN (VALUES ('month_amount'), ('year_amount')) k(limit_key)
    )
    SELECT 'worker', s.worker_id::text, s.period, s.project_id, NULL::bigint, s.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.limit_key)
      FROM sums s
      JOIN limits l ON l.division = s.division AND l.limit_key = s.limit_key
     WHERE s.payable > l.amount
$$;
COMMENT ON FUNCTION wagecheck.eval_wp06(timestamptz) IS
    'WP06: a worker paid (payable, all projects) over month_amount in a month (period YYYY-MM) or over year_amount in a year (period YYYY): possible fictitious payroll';

-- WP07 (K, roster entry): left the project without final settlement within settle_days.
CREATE FUNCTION wagecheck.eval_wp07(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM wagecheck.roster r
      JOIN wagecheck.project p ON p.project_id = r.project_id
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('WP07', 'settle_days', p.division))::int AS days) g
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07(timestamptz) IS
    'WP07: workers who left a project over settle_days ago without final wage settlement';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('WP01', 'G', false, false, 'project_month', '有考勤未编制工资支付表', 'no pay sheet for a month with attendance',
 'no payroll (pay sheet) for a month with attendance, after the pay day (Decree 724 arts. 15, 31)',
 '{}', 'wagecheck.eval_wp01(timestamptz)'),
('WP02', 'G', true, false, 'worker_month', '工资未按时足额支付', 'wages not fully paid by the pay day',
 'wages payable not fully paid by the pay day (moved earlier when it falls on a rest day): owed → G; still owed k_days after → K (Decree 724 arts. 13-14)',
 '{"k_days": 30, "deadline_wd": 5}', 'wagecheck.eval_wp02(timestamptz)'),
('WP03', 'K', false, false, 'worker_on_project', '连续欠薪', 'wages owed for consecutive months',
 'min_months or more consecutive months with wages owed to a worker on a project',
 '{"min_months": 2, "deadline_wd": 5}', 'wagecheck.eval_wp03(timestamptz)'),
('WP04', 'K', false, true, 'payment', '未通过专户发放至本人银行卡', 'wage not paid into the worker''s own card',
 'a wage paid in cash, or into an account that is not the worker''s own registered card (Decree 724 art. 31)',
 '{"deadline_wd": 5}', 'wagecheck.eval_wp04(timestamptz)'),
('WP05', 'G', false, false, 'worker_month', '工资低于最低工资标准', 'pay below the minimum wage',
 'a full month''s pay (full_month_days worked) below the local monthly minimum wage (min_monthly_wage, per division: Shandong 2023 class I 2200)',
 '{"min_monthly_wage": 2200, "full_month_days": 21.75}', 'wagecheck.eval_wp05(timestamptz)'),
('WP06', 'G', false, false, 'worker', '工资发放金额异常', 'unusually high pay (possible fictitious payroll)',
 'more than month_amount in one month or year_amount in one year to one worker, all projects together',
 '{"month_amount": 50000, "year_amount": 300000}', 'wagecheck.eval_wp06(timestamptz)'),
('WP07', 'K', false, false, 'roster', '离场未结清工资', 'left without final settlement',
 'a worker who left the project without final wage settlement within settle_days',
 '{"settle_days": 30, "deadline_wd": 5}', 'wagecheck.eval_wp07(timestamptz)');

-- ==== src/alerts/54_rules_other.sql
-- Deposit, site and listing rules: DP01, NB01, QR01, BL02.

-- DP01 (G->K, project): no wage guarantee deposit or bank letter due_wd working days after
-- the contract (G), escalate_wd working days later (K), unless exempt.
CREATE FUNCTION wagecheck.eval_dp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH cand AS (
        SELECT p.*, x.*
          FROM wagecheck.project p
         CROSS JOIN LATERAL (
                SELECT (wagecheck.rule_param('DP01', 'due_wd', p.division))::int AS due_wd,
                       (wagecheck.rule_param('DP01', 'escalate_wd', p.division))::int AS escalate_wd,
                       (wagecheck.rule_param('DP01', 'exempt_below', p.division))::numeric AS exempt_below,
                       (wagecheck.rule_param('DP01', 'clean_years', p.division))::int AS clean_years,
                       (wagecheck.rule_param('DP01', 'rate', p.division))::numeric AS rate) x
         WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(p.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    -- months of the contractor's projects with wages not fully paid by their pay day
    arrears AS (
        SELECT pr.contractor_id, max(o.pay_date) AS last_arrears
          FROM wagecheck.wages_owed(as_of) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         WHERE o.paid_by_pay_date < o.net AND o.pay_date < as_of::date
           AND pr.contractor_id IN (SELECT cand.contractor_id FROM cand)
         GROUP BY pr.contractor_id
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               -- small contract and no arrears in the past year
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               -- clean_years without arrears, real-name roster and the dedicated account in place
               ((arrears.last_arrears IS NULL
                 OR arrears.last_arrears < (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.project o2
                             WHERE o2.contractor_id = cand.contractor_id AND o2.created_at <= as_of
                               AND o2.start_on <= (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.wage_account w
                             WHERE w.project_id = cand.project_id AND w.opened_on <= as_of::date
                               AND w.created_at <= as_of)
                AND EXISTS (SELECT 1 FROM wagecheck.roster r
                             WHERE r.project_id = cand.project_id AND r.created_at <= as_of)) AS long_clean
          FROM cand LEFT JOIN arrears ON arrears.contractor_id = cand.contractor_id
    )
    SELECT 'project', j.project_id::text, '', j.project_id, j.contractor_id, j.division,
           CASE WHEN as_of::date > wagecheck.add_working_days(j.contract_signed_on, j.due_wd + j.escalate_wd)
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('contract_signed_on', j.contract_signed_on,
                              'due_on', wagecheck.add_working_days(j.contract_signed_on, j.due_wd),
                              'contract_value', j.contract_value,
                              'deposit_required', round(j.contract_value * j.rate, 2),
                              'last_arrears', j.last_arrears)
      FROM judged j
     WHERE NOT j.small_clean AND NOT j.long_clean
$$;
COMMENT ON FUNCTION wagecheck.eval_dp01(timestamptz) IS
    'DP01: projects without a wage guarantee deposit or bank letter due_wd working days after the contract (K escalate_wd later); exempt: contract below exempt_below with no arrears in a year, or clean_years without arrears with roster and account in place';

-- NB01 (G, project): no rights notice board recorded board_days after work started.
CREATE FUNCTION wagecheck.eval_nb01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
     CROSS JOIN LATERAL (SELECT (wagecheck.rule_param('NB01', 'board_days', p.division))::int AS days) g
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01(timestamptz) IS
    'NB01: projects under construction with no rights notice board (维权信息告示牌) recorded board_days after work started';

-- QR01 (G, project): no complaint QR code registered for a project whose work has started.
CREATE FUNCTION wagecheck.eval_qr01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND p.start_on <= as_of::date
       AND coalesce(btrim(p.complaint_qr), '') = ''
$$;
COMMENT ON FUNCTION wagecheck.eval_qr01(timestamptz) IS
    'QR01: projects under construction with no complaint QR code (欠薪投诉二维码) registered';

-- BL02 (K, project): an enterprise on the dishonest list is contractor or subcontractor on a
-- project started while it was listed. The list is kept by the cases area
-- (wagecheck.dishonest_listing); without it there is nothing to check.
CREATE FUNCTION wagecheck.eval_bl02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF to_regclass('wagecheck.dishonest_listing') IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
    WITH parties AS (
        SELECT p.project_id, p.contractor_id AS enterprise_id, 'general_contractor' AS role
          FROM wagecheck.project p WHERE p.created_at <= $1
        UNION ALL
        SELECT s.project_id, s.subcontractor_id, 'subcontractor'
          FROM wagecheck.subcontract s WHERE s.created_at <= $1
    ),
    listed AS (
        SELECT pa.project_id, pa.enterprise_id, pa.role, l.listing_id, l.listed_on
          FROM parties pa
          JOIN wagecheck.project p ON p.project_id = pa.project_id
          JOIN wagecheck.dishonest_listing l ON l.enterprise_id = pa.enterprise_id
         WHERE p.start_on <= $1::date AND l.created_at <= $1
           AND l.listed_on <= p.start_on AND p.start_on < l.ends_on
           AND (l.removed_on IS NULL OR p.start_on < l.removed_on)
    )
    SELECT 'project', p.project_id::text, '', p.project_id, min(listed.enterprise_id), p.division,
           'K', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on,
                              'listed', jsonb_agg(jsonb_build_object('enterprise_id', listed.enterprise_id,
                                                                     'role', listed.role,
                                                                     'listing_id', listed.listing_id,
                                                                     'listed_on', listed.listed_on)
                                                  ORDER BY listed.enterprise_id))
      FROM listed
      JOIN wagecheck.project p ON p.project_id = listed.project_id
     GROUP BY p.project_id, p.division, p.start_on
    $q$ USING as_of;
END
$$;
COMMENT ON FUNCTION wagecheck.eval_bl02(timestamptz) IS
    'BL02: projects started while their general contractor or a subcontractor was on the dishonest list (wagecheck.dishonest_listing)';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('DP01', 'G', true, false, 'project', '未按规定存储工资保证金', 'no wage guarantee deposit',
 'no wage guarantee deposit or bank guarantee letter due_wd working days after the contract → G, escalate_wd working days later → K; exempt: contract below exempt_below with no arrears in the past year, or clean_years without arrears with real-name management and the account in place (人社部发〔2021〕65号)',
 '{"due_wd": 20, "escalate_wd": 10, "exempt_below": 3000000, "clean_years": 3, "rate": 0.01, "deadline_wd": 5}',
 'wagecheck.eval_dp01(timestamptz)'),
('NB01', 'G', false, false, 'project', '未设置维权信息告示牌', 'no rights notice board',
 'no rights notice board recorded board_days after work started (Decree 724 art. 34)',
 '{"board_days": 7}', 'wagecheck.eval_nb01(timestamptz)'),
('QR01', 'G', false, false, 'project', '未设置欠薪投诉二维码', 'no complaint QR code',
 'no wage-complaint QR code registered for a project under construction',
 '{}', 'wagecheck.eval_qr01(timestamptz)'),
('BL02', 'K', false, true, 'project', '失信主体承揽工程', 'listed enterprise on a new project',
 'an enterprise on the dishonest list is general contractor or subcontractor on a project started while it is listed (人社部令第45号)',
 '{"deadline_wd": 5}', 'wagecheck.eval_bl02(timestamptz)');

-- ==== src/alerts/55_rules_enforce.sql
-- Rules of the enforcing trigger that the starting catalogue lacked: AC06 (the dedicated
-- account overdrawn) and PS01 (a pay-sheet line that does not add up). In alert mode
-- wagecheck.enforce() records them in wagecheck.violation; the engine turns a violation
-- into an alert only when its rule is in wagecheck.rule. The evaluators find the same
-- conditions in wagecheck's own tables (rows that reached them without the trigger:
-- loads with session_replication_role = replica, data older than the trigger), with the
-- subjects the trigger records: account_txn:<txn_id> and pay_line:<line_id>.

-- AC06 (K, account transaction): an outflow that took the account's balance below zero,
-- while the balance has not been brought back to zero or above since. The balance is
-- the running sum of the account's movements (an account starts empty) in booking order,
-- ties in insertion order (txn_id); movements booked or known after as_of are not seen.
CREATE FUNCTION wagecheck.eval_ac06(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH mv AS (
        SELECT t.txn_id, t.account_id, t.direction, t.amount, t.purpose, t.booked_at, t.counterparty_name,
               row_number() OVER w AS n,
               sum(CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END)
                   OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance_after
          FROM wagecheck.account_txn t
         WHERE t.booked_at <= as_of AND t.created_at <= as_of
        WINDOW w AS (PARTITION BY t.account_id ORDER BY t.booked_at, t.txn_id)
    ),
    restored AS (      -- the last movement after which the account was not overdrawn
        SELECT mv.*, max(mv.n) FILTER (WHERE mv.balance_after >= 0)
                         OVER (PARTITION BY mv.account_id) AS last_ok
          FROM mv
    )
    SELECT 'account_txn', o.txn_id::text, '', w.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', o.account_id, 'amount', o.amount, 'purpose', o.purpose,
                              'booked_at', o.booked_at, 'counterparty', o.counterparty_name,
                              'balance_before', o.balance_after + o.amount, 'balance_after', o.balance_after)
      FROM restored o
      JOIN wagecheck.wage_account w ON w.account_id = o.account_id
      JOIN wagecheck.project p ON p.project_id = w.project_id
     WHERE o.direction = 'out' AND o.balance_after < 0
       AND (o.last_ok IS NULL OR o.last_ok < o.n)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac06(timestamptz) IS
    'AC06: outflows that overdrew a dedicated account (running balance of its movements in booking order below zero), until money paid in brings the balance back to zero or above';

-- PS01 (K, pay line): a line whose net pay is not payable minus deductions, or with a
-- negative amount, and which no correcting line known at as_of replaces.
CREATE FUNCTION wagecheck.eval_ps01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'payable', l.payable, 'deductions', l.deductions,
                              'net', l.net,
                              'reason', CASE WHEN l.payable < 0 OR l.deductions < 0 OR l.net < 0
                                             THEN 'negative amount'
                                             ELSE 'net is not payable minus deductions' END)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
     WHERE l.created_at <= as_of
       AND (l.payable < 0 OR l.deductions < 0 OR l.net < 0 OR l.net <> l.payable - l.deductions)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                        WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ps01(timestamptz) IS
    'PS01: pay lines whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount, not yet replaced by a correcting line';

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('AC06', 'K', false, false, 'account_txn', '工资专用账户透支支付', 'dedicated account overdrawn',
 'an outflow larger than the balance of the dedicated account: wages paid before the labour cost was paid in (Decree 724 arts. 24, 26); rectified when money paid in brings the balance back to zero',
 '{"deadline_wd": 5}', 'wagecheck.eval_ac06(timestamptz)'),
('PS01', 'K', false, false, 'pay_line', '工资支付表金额不符', 'pay-sheet line does not add up',
 'a pay-sheet line whose net pay (实发) is not payable (应发) minus deductions, or with a negative amount (Decree 724 art. 15: the wage ledger records what is payable, withheld and paid); rectified by a correcting line (corrects_line_id)',
 '{"deadline_wd": 5}', 'wagecheck.eval_ps01(timestamptz)');

-- ==== src/cases/10_ledger.sql
-- Case ledger (台账): handling units, leads pushed to them, complaints, cases with
-- their plan, contacts, supervision, extensions, payment orders and repayments.
-- The ledger never loses a row: DELETE and TRUNCATE are refused (WC053); every
-- change of a case is an event row.

-- ---------------------------------------------------------------- common helpers

CREATE FUNCTION wagecheck.ledger_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'WC053',
        MESSAGE = format('rows of %s are never deleted', TG_TABLE_NAME),
        DETAIL = 'The case ledger keeps its whole history (入销号台账).',
        HINT = 'Close, withdraw, reverse or lift the record instead.';
END $$;
COMMENT ON FUNCTION wagecheck.ledger_append_only() IS 'trigger refusing DELETE and TRUNCATE on the case ledger''s tables (WC053)';

CREATE FUNCTION wagecheck.mask_person_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN length(btrim(name)) <= 1 THEN '*'
                ELSE left(btrim(name), 1) || repeat('*', length(btrim(name)) - 1) END $$;
COMMENT ON FUNCTION wagecheck.mask_person_name(text) IS 'a person''s name with all but the first character masked (张三丰 → 张**)';

CREATE FUNCTION wagecheck.mask_phone(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN length(d) < 7 THEN repeat('*', length(d))
                ELSE left(d, 3) || repeat('*', length(d) - 7) || right(d, 4) END
      FROM (SELECT regexp_replace(phone, '[^0-9]', '', 'g') AS d) s $$;
COMMENT ON FUNCTION wagecheck.mask_phone(text) IS 'a phone number with the middle digits masked (13812345678 → 138****5678)';

-- ---------------------------------------------------------------- units and leads

CREATE TABLE wagecheck.case_unit (
    unit_code   text PRIMARY KEY CHECK (unit_code ~ '^[A-Z0-9]{2,16}$'),
    name        text NOT NULL CHECK (name <> ''),
    level       text NOT NULL CHECK (level IN ('province', 'city', 'county')),
    division    wagecheck.division_code NOT NULL,
    parent_code text REFERENCES wagecheck.case_unit
);
COMMENT ON TABLE wagecheck.case_unit IS 'units that receive complaints, hold cases and supervise them (人社局/劳动保障监察机构 of a province, city or county)';
COMMENT ON COLUMN wagecheck.case_unit.unit_code IS 'short code (2-16 of A-Z, 0-9) that opens each case number: UNIT-YYYY-NNNNN';
COMMENT ON COLUMN wagecheck.case_unit.division IS 'the division the unit answers for (属地管理); leads on projects there are routed to it';

CREATE FUNCTION wagecheck.unit_for_division(p_division wagecheck.division_code) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT u.unit_code
      FROM wagecheck.case_unit u, LATERAL (SELECT u.division::text AS ud, p_division::text AS d) x
     WHERE x.ud = x.d
        OR (right(x.ud, 2) = '00' AND left(x.ud, 4) = left(x.d, 4))
        OR (right(x.ud, 4) = '0000' AND left(x.ud, 2) = left(x.d, 2))
     ORDER BY (x.ud = x.d) DESC, (right(x.ud, 4) <> '0000') DESC, u.unit_code
     LIMIT 1 $$;
COMMENT ON FUNCTION wagecheck.unit_for_division(wagecheck.division_code) IS 'the unit answering for a division: its county''s unit, else its city''s, else its province''s';

CREATE TABLE wagecheck.case_number_counter (
    unit_code text NOT NULL REFERENCES wagecheck.case_unit,
    year      int NOT NULL,
    last_seq  int NOT NULL CHECK (last_seq > 0),
    PRIMARY KEY (unit_code, year)
);
COMMENT ON TABLE wagecheck.case_number_counter IS 'last case number given per unit and year; updated only by the registration trigger';

CREATE TABLE wagecheck.lead_outbox (
    outbox_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_code    text REFERENCES wagecheck.case_unit,
    kind         text NOT NULL CHECK (kind IN ('complaint', 'case', 'opinion')),
    ref_id       bigint NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    delivered_to text,
    CHECK ((delivered_at IS NULL) = (delivered_to IS NULL))
);
COMMENT ON TABLE wagecheck.lead_outbox IS 'new leads (complaints, cases, opinion reports) to push to the responsible unit at once (第一时间推送); a mailer or the provincial link reads it and marks rows delivered';
COMMENT ON COLUMN wagecheck.lead_outbox.payload IS 'what the receiving unit needs; personal data in it is masked';
CREATE INDEX lead_outbox_pending ON wagecheck.lead_outbox (created_at) WHERE delivered_at IS NULL;

CREATE FUNCTION wagecheck.push_lead(p_unit text, p_kind text, p_ref bigint, p_payload jsonb) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE id bigint;
BEGIN
    INSERT INTO wagecheck.lead_outbox (unit_code, kind, ref_id, payload)
    VALUES (p_unit, p_kind, p_ref, p_payload) RETURNING outbox_id INTO id;
    PERFORM pg_notify('wagecheck_lead',
        jsonb_build_object('outbox_id', id, 'unit', p_unit, 'kind', p_kind, 'ref', p_ref)::text);
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) IS 'queues a lead in lead_outbox and announces it with NOTIFY wagecheck_lead (JSON: outbox_id, unit, kind, ref)';

CREATE FUNCTION wagecheck.lead_delivered(p_outbox_id bigint, p_to text) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    UPDATE wagecheck.lead_outbox SET delivered_at = now(), delivered_to = p_to
     WHERE outbox_id = p_outbox_id AND delivered_at IS NULL;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM wagecheck.lead_outbox WHERE outbox_id = p_outbox_id) THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = format('lead %s was already delivered', p_outbox_id);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format('no lead %s in the outbox', p_outbox_id);
    END IF;
END $$;
COMMENT ON FUNCTION wagecheck.lead_delivered(bigint, text) IS 'marks a queued lead delivered (once) to the named receiver';

-- ---------------------------------------------------------------- complaints

CREATE TABLE wagecheck.complaint (
    complaint_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    unit_code         text NOT NULL REFERENCES wagecheck.case_unit,
    channel           text NOT NULL CHECK (channel IN ('hotline_12333', 'visit', 'online', 'project_qr',
                                                       'national_platform', 'letter', 'transfer')),
    transferred_from  text,
    complainant_name  text NOT NULL CHECK (btrim(complainant_name) <> ''),
    complainant_phone text,
    complainant_id    wagecheck.resident_id,
    workers_count     int NOT NULL DEFAULT 1 CHECK (workers_count >= 1),
    amount_claimed    numeric(14,2) CHECK (amount_claimed >= 0),
    project_id        bigint REFERENCES wagecheck.project,
    enterprise_id     bigint REFERENCES wagecheck.enterprise,
    summary           text,
    received_at       timestamptz NOT NULL DEFAULT now(),
    accept_due_on     date NOT NULL,
    status            text NOT NULL DEFAULT 'received'
                      CHECK (status IN ('received', 'accepted', 'rejected', 'withdrawn')),
    decided_at        timestamptz,
    decided_by        text,
    decision_reason   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((channel = 'transfer') = (transferred_from IS NOT NULL)),
    CHECK ((status = 'received') = (decided_at IS NULL)),
    CHECK (status NOT IN ('rejected', 'withdrawn') OR btrim(decision_reason) <> ''),
    CHECK (decided_at IS NULL OR decided_at >= received_at)
);
COMMENT ON TABLE wagecheck.complaint IS 'wage complaints and reports (欠薪投诉举报) by channel; accepted or rejected within 5 WD of receipt (CP01), a case opened the day of acceptance';
COMMENT ON COLUMN wagecheck.complaint.channel IS 'hotline_12333, visit (上门), online, project_qr (项目欠薪投诉二维码), national_platform (全国根治欠薪线索反映平台), letter, transfer (from another unit)';
COMMENT ON COLUMN wagecheck.complaint.complainant_name IS 'personal data: analysts see wagecheck.complaint_masked';
COMMENT ON COLUMN wagecheck.complaint.accept_due_on IS 'last day to accept or reject: receipt date + accept_wd working days (CP01 parameter, default 5)';
COMMENT ON COLUMN wagecheck.complaint.decision_reason IS 'why the complaint was rejected or withdrawn (required then)';
CREATE INDEX ON wagecheck.complaint (status, accept_due_on);
CREATE INDEX ON wagecheck.complaint (project_id);

CREATE FUNCTION wagecheck.complaint_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE div wagecheck.division_code;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'received' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = format('a complaint is recorded as received, not "%s"', NEW.status),
                HINT = 'Use wagecheck.accept_complaint or wagecheck.reject_complaint to decide it.';
        END IF;
        SELECT p.division INTO div FROM wagecheck.project p WHERE p.project_id = NEW.project_id;
        IF NEW.unit_code IS NULL AND div IS NOT NULL THEN
            NEW.unit_code := wagecheck.unit_for_division(div);
        END IF;
        IF div IS NULL THEN
            SELECT u.division INTO div FROM wagecheck.case_unit u WHERE u.unit_code = NEW.unit_code;
        END IF;
        NEW.accept_due_on := wagecheck.add_working_days(NEW.received_at::date,
                                 (wagecheck.rule_param('CP01', 'accept_wd', div))::int);
        RETURN NEW;
    END IF;
    IF NEW.unit_code IS DISTINCT FROM OLD.unit_code AND OLD.status <> 'received' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was already %s: it can no longer be handed to another unit', OLD.complaint_id, OLD.status),
            HINT = 'Transfer its case instead: register a case with source ''transfer'' at the other unit.';
    END IF;
    IF NEW.received_at IS DISTINCT FROM OLD.received_at OR NEW.channel IS DISTINCT FROM OLD.channel
       OR NEW.accept_due_on IS DISTINCT FROM OLD.accept_due_on THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s: receipt time, channel and acceptance deadline cannot change', OLD.complaint_id);
    END IF;
    IF OLD.status <> 'received' AND (NEW.status, NEW.decided_at, NEW.decided_by, NEW.decision_reason)
            IS DISTINCT FROM (OLD.status, OLD.decided_at, OLD.decided_by, OLD.decision_reason) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was already %s on %s', OLD.complaint_id, OLD.status, OLD.decided_at),
            HINT = CASE OLD.status WHEN 'accepted' THEN 'Work on its case; a withdrawal closes the case as withdrawn.'
                                   ELSE 'Record a new complaint if the worker complains again.' END;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_before() IS 'trigger: complaints start received; the unit defaults to the one answering for the project''s division; computes the acceptance deadline; only a waiting complaint changes unit; a decision is final';

CREATE TRIGGER complaint_before BEFORE INSERT OR UPDATE ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_before();
CREATE TRIGGER complaint_no_delete BEFORE DELETE ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER complaint_no_truncate BEFORE TRUNCATE ON wagecheck.complaint
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE FUNCTION wagecheck.complaint_pushed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.unit_code IS NOT DISTINCT FROM OLD.unit_code THEN
        RETURN NULL;
    END IF;
    PERFORM wagecheck.push_lead(NEW.unit_code, 'complaint', NEW.complaint_id,
        jsonb_build_object('complaint_id', NEW.complaint_id, 'channel', NEW.channel,
                           'handed_over_by', CASE TG_OP WHEN 'UPDATE' THEN OLD.unit_code END,
                           'received_at', NEW.received_at, 'accept_due_on', NEW.accept_due_on,
                           'complainant', wagecheck.mask_person_name(NEW.complainant_name),
                           'phone', wagecheck.mask_phone(NEW.complainant_phone),
                           'workers', NEW.workers_count, 'amount_claimed', NEW.amount_claimed,
                           'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_pushed() IS 'trigger: pushes each new complaint to its unit (outbox + NOTIFY), and again to the new unit when a waiting complaint is handed over';
CREATE TRIGGER complaint_pushed AFTER INSERT OR UPDATE OF unit_code ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_pushed();

-- ---------------------------------------------------------------- cases

CREATE TABLE wagecheck.case_ledger (
    case_id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_no          text NOT NULL UNIQUE,
    unit_code        text NOT NULL REFERENCES wagecheck.case_unit,
    case_year        int NOT NULL,
    case_seq         int NOT NULL,
    source           text NOT NULL CHECK (source IN ('complaint', 'inspection', 'alert', 'transfer')),
    complaint_id     bigint UNIQUE REFERENCES wagecheck.complaint,
    alert_ref        text,
    transferred_from text,
    project_id       bigint REFERENCES wagecheck.project,
    enterprise_id    bigint REFERENCES wagecheck.enterprise,
    division         wagecheck.division_code NOT NULL,
    sector           text NOT NULL CHECK (sector IN ('housing', 'transport', 'water', 'municipal',
                                                      'development_reform', 'other')),
    funding          text NOT NULL CHECK (funding IN ('government', 'soe', 'other')),
    workers_affected int NOT NULL CHECK (workers_affected >= 0),
    amount_owed      numeric(14,2) NOT NULL CHECK (amount_owed >= 0),
    summary          text,
    filed_on         date NOT NULL,
    registered_at    timestamptz NOT NULL DEFAULT now(),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    close_kind       text CHECK (close_kind IN ('repaid', 'police', 'court', 'withdrawn', 'unsubstantiated')),
    close_reason     text,
    closed_at        timestamptz,
    closed_by        text,
    reopen_count     int NOT NULL DEFAULT 0,
    reopen_reason    text,
    reopened_at      timestamptz,
    UNIQUE (unit_code, case_year, case_seq),
    CHECK ((source = 'complaint') = (complaint_id IS NOT NULL)),
    CHECK ((source = 'transfer') = (transferred_from IS NOT NULL)),
    CHECK ((source = 'alert') = (alert_ref IS NOT NULL)),
    CHECK ((status = 'closed') = (close_kind IS NOT NULL AND closed_at IS NOT NULL)),
    CHECK (closed_at IS NULL OR closed_at::date >= filed_on)
);
COMMENT ON TABLE wagecheck.case_ledger IS 'wage-arrears cases (欠薪案件台账): registered with a number (入号), closed out (销号) only when repaid or ended another lawful way; never deleted';
COMMENT ON COLUMN wagecheck.case_ledger.case_no IS 'UNIT-YYYY-NNNNN, unique per unit and filing year, allocated at registration';
COMMENT ON COLUMN wagecheck.case_ledger.source IS 'complaint, inspection (检查发现), alert (from the warning platform; alert_ref), transfer (from another unit; transferred_from)';
COMMENT ON COLUMN wagecheck.case_ledger.division IS 'division of the case (the project''s; else the unit''s): county roll-ups use its first 6 digits';
COMMENT ON COLUMN wagecheck.case_ledger.funding IS 'funding of the project (government, soe, other) at registration; decides the campaign deadline';
COMMENT ON COLUMN wagecheck.case_ledger.close_kind IS 'repaid (销号: repayments cover the amount owed), police (移送公安), court (judgment), withdrawn, unsubstantiated';
COMMENT ON COLUMN wagecheck.case_ledger.closed_at IS 'when the case was closed (effective time, may be recorded afterwards)';
CREATE INDEX ON wagecheck.case_ledger (status, filed_on);
CREATE INDEX ON wagecheck.case_ledger (enterprise_id);
CREATE INDEX ON wagecheck.case_ledger (project_id);

CREATE FUNCTION wagecheck.case_number(unit text, year int, seq int) RETURNS text
    AS 'MODULE_PATHNAME', 'wc_case_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.case_number(text, int, int) IS 'canonical case number UNIT-YYYY-NNNNN of its parts (22023 on a bad part)';

CREATE FUNCTION wagecheck.case_number_parts(case_no text, OUT unit text, OUT year int, OUT seq int)
    AS 'MODULE_PATHNAME', 'wc_case_number_parts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.case_number_parts(text) IS 'unit, year and sequence of a case number (lower case, blanks and unpadded sequences accepted; 22P02 otherwise)';

CREATE FUNCTION wagecheck.case_number_assign() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wc_case_number_assign' LANGUAGE C;
COMMENT ON FUNCTION wagecheck.case_number_assign() IS 'C trigger: allocates the next case number of the unit and filing year (or records a given one)';

CREATE FUNCTION wagecheck.case_closeout_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wc_case_closeout_guard' LANGUAGE C;
COMMENT ON FUNCTION wagecheck.case_closeout_guard() IS 'C trigger: cases register open; close-out as repaid only when repayments cover the amount owed (WC050); other ends need a reason (WC052); closed cases do not change (WC051)';

CREATE FUNCTION wagecheck.case_defaults() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE p wagecheck.project;
BEGIN
    SELECT * INTO p FROM wagecheck.project WHERE project_id = NEW.project_id;
    IF NEW.enterprise_id IS NULL THEN NEW.enterprise_id := p.contractor_id; END IF;
    IF NEW.division IS NULL THEN
        NEW.division := coalesce(p.division,
                                 (SELECT u.division FROM wagecheck.case_unit u WHERE u.unit_code = NEW.unit_code));
    END IF;
    IF NEW.sector IS NULL THEN NEW.sector := coalesce(p.sector, 'other'); END IF;
    IF NEW.funding IS NULL THEN NEW.funding := coalesce(p.funding, 'other'); END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.case_defaults() IS 'trigger: a case takes enterprise (the general contractor), division, sector and funding from its project unless given';

CREATE TRIGGER case_10_defaults BEFORE INSERT ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_defaults();
CREATE TRIGGER case_20_guard BEFORE INSERT OR UPDATE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_closeout_guard();
CREATE TRIGGER case_30_number BEFORE INSERT ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_number_assign();
CREATE TRIGGER case_no_delete BEFORE DELETE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER case_no_truncate BEFORE TRUNCATE ON wagecheck.case_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE TABLE wagecheck.case_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES wagecheck.case_ledger,
    at          timestamptz NOT NULL,
    kind        text NOT NULL,
    actor       text NOT NULL DEFAULT current_user,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    details     jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE wagecheck.case_event IS 'history of each case: registered, updated, closed, reopened, plan, contact, supervision, extension, order, repayment (who, when, what)';
COMMENT ON COLUMN wagecheck.case_event.at IS 'effective time of the event (the closing time for closed, the filing date for registered)';
CREATE INDEX ON wagecheck.case_event (case_id, at);
CREATE TRIGGER case_event_no_delete BEFORE DELETE OR UPDATE ON wagecheck.case_event
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON wagecheck.case_event
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE FUNCTION wagecheck.case_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE changed jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, NEW.filed_on::timestamptz, 'registered',
                jsonb_build_object('case_no', NEW.case_no, 'source', NEW.source,
                                   'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected));
        PERFORM wagecheck.push_lead(NEW.unit_code, 'case', NEW.case_id,
            jsonb_build_object('case_id', NEW.case_id, 'case_no', NEW.case_no, 'source', NEW.source,
                               'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id,
                               'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected,
                               'filed_on', NEW.filed_on));
        RETURN NULL;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'closed' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, actor, details)
        VALUES (NEW.case_id, NEW.closed_at, 'closed', coalesce(NEW.closed_by, current_user),
                jsonb_build_object('close_kind', NEW.close_kind, 'reason', NEW.close_reason));
    ELSIF OLD.status = 'closed' AND NEW.status = 'open' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, coalesce(NEW.reopened_at, now()), 'reopened',
                jsonb_build_object('reason', NEW.reopen_reason, 'reopen_count', NEW.reopen_count,
                                   'was', jsonb_build_object('close_kind', OLD.close_kind, 'closed_at', OLD.closed_at,
                                                             'reason', OLD.close_reason)));
    ELSE
        SELECT jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value)) INTO changed
          FROM jsonb_each(to_jsonb(NEW)) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed IS NOT NULL THEN
            INSERT INTO wagecheck.case_event (case_id, at, kind, details)
            VALUES (NEW.case_id, now(), 'updated', changed);
        END IF;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.case_logged() IS 'trigger: writes the case_event row of every registration, close-out, reopening and change; pushes new cases to their unit';
CREATE TRIGGER case_logged AFTER INSERT OR UPDATE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_logged();

CREATE FUNCTION wagecheck.case_open_at(p_case_id bigint, p_at timestamptz) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT c.filed_on <= p_at::date
           AND coalesce((SELECT e.kind FROM wagecheck.case_event e
                           WHERE e.case_id = c.case_id AND e.kind IN ('closed', 'reopened') AND e.at <= p_at
                           ORDER BY e.at DESC, e.event_id DESC LIMIT 1), 'reopened') = 'reopened'
      FROM wagecheck.case_ledger c WHERE c.case_id = p_case_id $$;
COMMENT ON FUNCTION wagecheck.case_open_at(bigint, timestamptz) IS 'true when the case was filed and not closed at the given time (replays close-outs and reopenings)';

-- one plan per case (一案一策)
CREATE TABLE wagecheck.case_plan (
    case_id     bigint PRIMARY KEY REFERENCES wagecheck.case_ledger,
    officer     text NOT NULL CHECK (btrim(officer) <> ''),
    measures    text NOT NULL CHECK (btrim(measures) <> ''),
    target_on   date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE wagecheck.case_plan IS 'the one plan of each case (一案一策): responsible officer, measures, target date; revisions are kept in case_event';

CREATE TABLE wagecheck.case_contact (
    contact_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES wagecheck.case_ledger,
    contacted_at timestamptz NOT NULL DEFAULT now(),
    officer      text NOT NULL CHECK (btrim(officer) <> ''),
    channel      text NOT NULL CHECK (channel IN ('phone', 'visit', 'sms', 'letter', 'online', 'meeting')),
    summary      text NOT NULL CHECK (btrim(summary) <> ''),
    next_step    text
);
COMMENT ON TABLE wagecheck.case_contact IS 'contact log with the complainant (及时与反映人沟通联系)';
CREATE INDEX ON wagecheck.case_contact (case_id, contacted_at);

CREATE TABLE wagecheck.case_supervision (
    supervision_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id        bigint NOT NULL REFERENCES wagecheck.case_ledger,
    level          text NOT NULL CHECK (level IN ('city', 'county')),
    unit_code      text NOT NULL REFERENCES wagecheck.case_unit,
    listed_on      date NOT NULL,
    deadline_on    date NOT NULL,
    reason         text NOT NULL CHECK (btrim(reason) <> ''),
    lifted_on      date,
    lift_reason    text,
    CHECK (deadline_on >= listed_on),
    CHECK ((lifted_on IS NULL) = (lift_reason IS NULL)),
    CHECK (lifted_on IS NULL OR lifted_on >= listed_on)
);
COMMENT ON TABLE wagecheck.case_supervision IS 'major cases listed for supervision (挂牌督办) by a city or county unit, with a deadline';
CREATE UNIQUE INDEX case_supervision_one_active ON wagecheck.case_supervision (case_id, level) WHERE lifted_on IS NULL;

CREATE TABLE wagecheck.case_extension (
    case_id     bigint PRIMARY KEY REFERENCES wagecheck.case_ledger,
    approved_by text NOT NULL CHECK (btrim(approved_by) <> ''),
    approved_at timestamptz NOT NULL,
    extra_wd    int NOT NULL CHECK (extra_wd > 0),
    reason      text NOT NULL CHECK (btrim(reason) <> '')
);
COMMENT ON TABLE wagecheck.case_extension IS 'the one approved extension of a case''s time limit (+30 WD, CS01 parameter extension_wd), approved before the limit ran out';

CREATE TABLE wagecheck.case_order (
    order_id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id           bigint NOT NULL REFERENCES wagecheck.case_ledger,
    enterprise_id     bigint NOT NULL REFERENCES wagecheck.enterprise,
    issued_on         date NOT NULL,
    due_on            date NOT NULL,
    amount            numeric(14,2) NOT NULL CHECK (amount > 0),
    workers           int NOT NULL CHECK (workers >= 1),
    months_owed       int NOT NULL CHECK (months_owed >= 1),
    max_worker_amount numeric(14,2) NOT NULL CHECK (max_worker_amount > 0),
    complied_on       date,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (due_on >= issued_on),
    CHECK (max_worker_amount <= amount),
    CHECK (complied_on IS NULL OR complied_on >= issued_on)
);
COMMENT ON TABLE wagecheck.case_order IS 'orders to pay by a deadline (责令限期支付): a missed one is the first condition of the dishonest list (BL01)';
COMMENT ON COLUMN wagecheck.case_order.months_owed IS 'longest run of months owed to one worker covered by the order';
COMMENT ON COLUMN wagecheck.case_order.max_worker_amount IS 'the largest amount the order covers for one worker';
COMMENT ON COLUMN wagecheck.case_order.complied_on IS 'the day the order was fully met; after due_on it is still a missed order';

CREATE TABLE wagecheck.case_repayment (
    repayment_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES wagecheck.case_ledger,
    amount       numeric(14,2) NOT NULL CHECK (amount <> 0),
    paid_on      date NOT NULL,
    workers_paid int CHECK (workers_paid >= 0),
    payment_id   bigint UNIQUE REFERENCES wagecheck.wage_payment,
    reverses_id  bigint UNIQUE REFERENCES wagecheck.case_repayment,
    note         text,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text NOT NULL DEFAULT current_user,
    CHECK ((amount < 0) = (reverses_id IS NOT NULL))
);
COMMENT ON TABLE wagecheck.case_repayment IS 'wages repaid under a case (linked to the wage_payment when paid through the dedicated account); a mistake is reversed by a negative row, never edited';
COMMENT ON COLUMN wagecheck.case_repayment.reverses_id IS 'the repayment this negative row reverses (only while the case is open)';
CREATE INDEX ON wagecheck.case_repayment (case_id, paid_on);

CREATE FUNCTION wagecheck.case_child_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.case_ledger;
    orig wagecheck.case_repayment;
    pay_amount numeric;
    pay_at timestamptz;
    pay_project bigint;
BEGIN
    -- lock the case: a close-out and a change to what it depends on are serialised
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = NEW.case_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;   -- the foreign key reports it
    END IF;
    IF TG_TABLE_NAME = 'case_repayment' THEN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = format('repayment %s of case %s cannot be edited', OLD.repayment_id, c.case_no),
                HINT = 'Reverse it with wagecheck.reverse_repayment and record the right amount.';
        END IF;
        IF NEW.payment_id IS NOT NULL THEN
            SELECT w.amount, w.paid_at, s.project_id INTO pay_amount, pay_at, pay_project
              FROM wagecheck.wage_payment w
              JOIN wagecheck.pay_line l ON l.line_id = w.line_id
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
             WHERE w.payment_id = NEW.payment_id;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = '23503',
                    MESSAGE = format('wage payment %s does not exist', NEW.payment_id);
            END IF;
            IF c.project_id IS NOT NULL AND pay_project <> c.project_id THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = format('wage payment %s was made on project %s, not on project %s of case %s',
                                     NEW.payment_id, pay_project, c.project_id, c.case_no);
            END IF;
            NEW.amount := coalesce(NEW.amount, pay_amount);
            NEW.paid_on := coalesce(NEW.paid_on, pay_at::date);
            IF NEW.amount > pay_amount THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = format('repayment of %s exceeds wage payment %s of %s', NEW.amount, NEW.payment_id, pay_amount);
            END IF;
        END IF;
        IF NEW.reverses_id IS NOT NULL THEN
            IF c.status = 'closed' THEN
                RAISE EXCEPTION USING ERRCODE = 'WC051',
                    MESSAGE = format('case %s is closed: its repayments cannot be reversed', c.case_no),
                    HINT = 'Reopen the case first with wagecheck.reopen_case(case_id, reason).';
            END IF;
            SELECT * INTO orig FROM wagecheck.case_repayment WHERE repayment_id = NEW.reverses_id;
            IF orig.case_id IS DISTINCT FROM NEW.case_id OR orig.amount < 0 OR NEW.amount <> -orig.amount THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = format('a reversal must cancel exactly one positive repayment of the same case (repayment %s)', NEW.reverses_id);
            END IF;
        END IF;
    ELSIF c.status = 'closed' AND TG_TABLE_NAME IN ('case_plan', 'case_supervision', 'case_extension', 'case_order')
          AND NOT (TG_TABLE_NAME = 'case_order' AND TG_OP = 'UPDATE'
                   AND (to_jsonb(NEW) - 'complied_on') = (to_jsonb(OLD) - 'complied_on')) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC051',
            MESSAGE = format('case %s is closed: its %s cannot change', c.case_no, replace(TG_TABLE_NAME, 'case_', '')),
            HINT = 'Reopen the case first with wagecheck.reopen_case(case_id, reason).';
    END IF;
    IF TG_TABLE_NAME = 'case_plan' AND TG_OP = 'UPDATE' THEN
        IF NEW.case_id <> OLD.case_id THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = 'a plan belongs to its case for good';
        END IF;
        NEW.updated_at := now();
    END IF;
    IF TG_TABLE_NAME = 'case_extension' THEN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = format('the extension of case %s was approved and cannot change', c.case_no);
        END IF;
        IF TG_OP = 'INSERT' AND NEW.extra_wd IS NULL THEN
            NEW.extra_wd := (wagecheck.rule_param('CS01', 'extension_wd', c.division))::int;
        END IF;
        IF NEW.approved_at::date > wagecheck.case_due_on(c.case_id, NEW.approved_at - interval '1 microsecond') THEN
            RAISE EXCEPTION USING ERRCODE = 'WC054',
                MESSAGE = format('the time limit of case %s ran out on %s: it can no longer be extended',
                                 c.case_no, wagecheck.case_due_on(c.case_id, NEW.approved_at - interval '1 microsecond')),
                HINT = 'An extension must be approved before the 60 working days end.';
        END IF;
    END IF;
    IF TG_TABLE_NAME IN ('case_supervision', 'case_order', 'case_contact') AND TG_OP = 'UPDATE'
       AND NEW.case_id <> OLD.case_id THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = format('a %s belongs to its case for good', TG_TABLE_NAME);
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.case_child_before() IS 'trigger on the records of a case: locks the case; refuses changes to closed cases (WC051) except recording an order''s compliance, edits of repayments, late extensions (WC054)';

CREATE FUNCTION wagecheck.case_child_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    INSERT INTO wagecheck.case_event (case_id, at, kind, details)
    VALUES (NEW.case_id,
            coalesce((to_jsonb(NEW) ->> 'contacted_at')::timestamptz, now()),
            replace(TG_TABLE_NAME, 'case_', '') || CASE TG_OP WHEN 'UPDATE' THEN '_changed' ELSE '' END,
            CASE TG_OP WHEN 'UPDATE' THEN jsonb_build_object('from', to_jsonb(OLD), 'to', to_jsonb(NEW))
                       ELSE to_jsonb(NEW) END);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.case_child_logged() IS 'trigger: logs plans, contacts, supervision, extensions, orders and repayments in case_event';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_plan', 'case_contact', 'case_supervision', 'case_extension',
                             'case_order', 'case_repayment'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.case_child_before()',
                       t || '_before', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.case_child_logged()',
                       t || '_logged', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only()',
                       t || '_no_delete', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON wagecheck.%I FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only()',
                       t || '_no_truncate', t);
    END LOOP;
END $$;

CREATE FUNCTION wagecheck.case_due_on(p_case_id bigint, p_as_of timestamptz) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT wagecheck.add_working_days(c.filed_on,
               (wagecheck.rule_param('CS01', 'finish_wd', c.division))::int
               + coalesce((SELECT x.extra_wd FROM wagecheck.case_extension x
                            WHERE x.case_id = c.case_id AND x.approved_at <= p_as_of), 0))
      FROM wagecheck.case_ledger c WHERE c.case_id = p_case_id $$;
COMMENT ON FUNCTION wagecheck.case_due_on(bigint, timestamptz) IS 'last day to finish the case: filing date + 60 WD (CS01 finish_wd), + the approved extension known at p_as_of';

CREATE FUNCTION wagecheck.case_repaid_at(p_case_id bigint, p_on date) RETURNS numeric
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT coalesce(sum(r.amount), 0) FROM wagecheck.case_repayment r
     WHERE r.case_id = p_case_id AND r.paid_on <= p_on $$;

COMMENT ON FUNCTION wagecheck.case_repaid_at(bigint, date) IS 'sum of the repayments of a case paid on or before a day';

-- ==== src/cases/20_workflow.sql
-- Complaint and case workflow: accept (case opened the same day), reject, withdraw,
-- close out, reopen, reverse a repayment; the analysts' masked view of complaints.

CREATE FUNCTION wagecheck.complaint_case_same_day() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE filed date;
BEGIN
    IF NEW.status <> 'accepted' THEN
        RETURN NULL;
    END IF;
    SELECT c.filed_on INTO filed FROM wagecheck.case_ledger c WHERE c.complaint_id = NEW.complaint_id;
    IF filed IS DISTINCT FROM NEW.decided_at::date THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was accepted on %s but no case was opened that day',
                             NEW.complaint_id, NEW.decided_at::date),
            DETAIL = CASE WHEN filed IS NULL THEN 'No case refers to the complaint.'
                          ELSE format('Its case was filed on %s.', filed) END,
            HINT = 'Accept complaints with wagecheck.accept_complaint, which opens the case (立案) the same day.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_case_same_day() IS 'deferred constraint trigger: an accepted complaint has its case filed on the day of acceptance';
CREATE CONSTRAINT TRIGGER complaint_case_same_day AFTER INSERT OR UPDATE OF status ON wagecheck.complaint
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_case_same_day();

-- _complaint_for_decision: the complaint, locked, still waiting for a decision.
CREATE FUNCTION wagecheck._complaint_for_decision(p_id bigint, p_at timestamptz) RETURNS wagecheck.complaint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.complaint;
BEGIN
    SELECT * INTO c FROM wagecheck.complaint WHERE complaint_id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('complaint %s does not exist', p_id);
    END IF;
    IF c.status <> 'received' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s was already %s on %s', p_id, c.status, c.decided_at);
    END IF;
    IF p_at < c.received_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('complaint %s cannot be decided at %s, before it was received (%s)', p_id, p_at, c.received_at);
    END IF;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck._complaint_for_decision(bigint, timestamptz) IS 'internal: locks a complaint that waits for acceptance or rejection';

CREATE FUNCTION wagecheck.accept_complaint(p_complaint_id bigint, p_officer text,
                                           p_at timestamptz DEFAULT now(),
                                           p_amount_owed numeric DEFAULT NULL,
                                           p_summary text DEFAULT NULL)
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.complaint;
    id bigint;
BEGIN
    IF p_officer IS NULL OR btrim(p_officer) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the accepting officer must be named';
    END IF;
    c := wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint SET status = 'accepted', decided_at = p_at, decided_by = p_officer
     WHERE complaint_id = p_complaint_id;
    INSERT INTO wagecheck.case_ledger (unit_code, source, complaint_id, project_id, enterprise_id,
                                       workers_affected, amount_owed, summary, filed_on, registered_at)
    VALUES (c.unit_code, 'complaint', c.complaint_id, c.project_id, c.enterprise_id, c.workers_count,
            coalesce(p_amount_owed, c.amount_claimed, 0), coalesce(p_summary, c.summary), p_at::date, p_at)
    RETURNING case_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.accept_complaint(bigint, text, timestamptz, numeric, text) IS 'accepts (受理) a received complaint and opens its case (立案) the same day; returns the case_id';

CREATE FUNCTION wagecheck.reject_complaint(p_complaint_id bigint, p_officer text, p_reason text,
                                           p_at timestamptz DEFAULT now())
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC052',
            MESSAGE = format('complaint %s can be rejected only with a reason', p_complaint_id),
            HINT = 'Say why: not a wage matter, outside the unit''s competence, time-barred (2 years), ...';
    END IF;
    PERFORM wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint
       SET status = 'rejected', decided_at = p_at, decided_by = p_officer, decision_reason = p_reason
     WHERE complaint_id = p_complaint_id;
END $$;
COMMENT ON FUNCTION wagecheck.reject_complaint(bigint, text, text, timestamptz) IS 'rejects (不予受理) a received complaint with a reason';

CREATE FUNCTION wagecheck.withdraw_complaint(p_complaint_id bigint, p_reason text,
                                             p_at timestamptz DEFAULT now())
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.complaint;
    k bigint;
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC052',
            MESSAGE = format('complaint %s can be withdrawn only with a reason', p_complaint_id);
    END IF;
    SELECT * INTO c FROM wagecheck.complaint WHERE complaint_id = p_complaint_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('complaint %s does not exist', p_complaint_id);
    END IF;
    IF c.status = 'accepted' THEN
        SELECT case_id INTO k FROM wagecheck.case_ledger WHERE complaint_id = p_complaint_id;
        PERFORM wagecheck.close_case(k, 'withdrawn', p_reason, current_user, p_at);
        RETURN;
    END IF;
    PERFORM wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint SET status = 'withdrawn', decided_at = p_at, decision_reason = p_reason
     WHERE complaint_id = p_complaint_id;
END $$;

CREATE FUNCTION wagecheck.close_case(p_case_id bigint, p_kind text, p_reason text DEFAULT NULL,
                                     p_by text DEFAULT current_user, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.case_ledger LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.case_ledger;
BEGIN
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = p_case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('case %s does not exist', p_case_id);
    END IF;
    IF c.status = 'closed' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC051',
            MESSAGE = format('case %s was already closed (%s) at %s', c.case_no, c.close_kind, c.closed_at);
    END IF;
    UPDATE wagecheck.case_ledger
       SET status = 'closed', close_kind = p_kind, close_reason = p_reason, closed_by = p_by, closed_at = p_at
     WHERE case_id = p_case_id
    RETURNING * INTO c;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck.close_case(bigint, text, text, text, timestamptz) IS 'closes a case: as repaid (销号, refused while repayments fall short: WC050) or as police, court, withdrawn, unsubstantiated with a reason (WC052)';
COMMENT ON FUNCTION wagecheck.withdraw_complaint(bigint, text, timestamptz) IS 'records the complainant''s withdrawal: a waiting complaint ends withdrawn; an accepted one closes its case as withdrawn';

CREATE FUNCTION wagecheck.reopen_case(p_case_id bigint, p_reason text, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.case_ledger LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.case_ledger;
BEGIN
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = p_case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('case %s does not exist', p_case_id);
    END IF;
    IF c.status <> 'closed' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = format('case %s is open: there is nothing to reopen', c.case_no);
    END IF;
    IF p_at < c.closed_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('case %s cannot be reopened at %s, before it was closed (%s)', c.case_no, p_at, c.closed_at);
    END IF;
    UPDATE wagecheck.case_ledger
       SET status = 'open', close_kind = NULL, close_reason = NULL, closed_by = NULL, closed_at = NULL,
           reopen_count = reopen_count + 1, reopen_reason = p_reason, reopened_at = p_at
     WHERE case_id = p_case_id
    RETURNING * INTO c;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck.reopen_case(bigint, text, timestamptz) IS 'reopens a closed case with a reason (logged in case_event; the closing stays in the history)';

CREATE FUNCTION wagecheck.reverse_repayment(p_repayment_id bigint, p_note text)
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    r wagecheck.case_repayment;
    id bigint;
BEGIN
    SELECT * INTO r FROM wagecheck.case_repayment WHERE repayment_id = p_repayment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('repayment %s does not exist', p_repayment_id);
    END IF;
    INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, reverses_id, note)
    VALUES (r.case_id, -r.amount, r.paid_on, r.repayment_id, p_note)
    RETURNING repayment_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.reverse_repayment(bigint, text) IS 'cancels a wrongly recorded repayment with a negative row dated like it (only while the case is open)';

-- the case ledger with its deadline and repayments now
CREATE VIEW wagecheck.case_overview AS
SELECT c.case_id, c.case_no, c.unit_code, c.source, c.project_id, c.enterprise_id, c.division,
       c.sector, c.funding, c.workers_affected, c.amount_owed,
       coalesce(r.repaid, 0) AS repaid,
       greatest(c.amount_owed - coalesce(r.repaid, 0), 0) AS outstanding,
       c.filed_on, wagecheck.case_due_on(c.case_id, now()) AS due_on,
       x.case_id IS NOT NULL AS extended,
       c.status, c.close_kind, c.closed_at, c.reopen_count,
       p.officer AS plan_officer,
       (SELECT string_agg(s.level || ':' || s.deadline_on, ', ' ORDER BY s.level)
          FROM wagecheck.case_supervision s WHERE s.case_id = c.case_id AND s.lifted_on IS NULL) AS supervised,
       c.status = 'open' AND EXISTS (SELECT 1 FROM wagecheck.case_supervision s
                                      WHERE s.case_id = c.case_id AND s.lifted_on IS NULL
                                        AND s.deadline_on < current_date) AS supervision_overdue
  FROM wagecheck.case_ledger c
  LEFT JOIN (SELECT case_id, sum(amount) AS repaid FROM wagecheck.case_repayment GROUP BY case_id) r
         ON r.case_id = c.case_id
  LEFT JOIN wagecheck.case_extension x ON x.case_id = c.case_id
  LEFT JOIN wagecheck.case_plan p ON p.case_id = c.case_id;
COMMENT ON VIEW wagecheck.case_overview IS 'the case ledger with repaid and outstanding amounts, time limit, plan officer, active supervision and whether its supervision deadline has passed with the case still open';

CREATE VIEW wagecheck.complaint_masked AS
SELECT complaint_id, unit_code, channel, transferred_from,
       wagecheck.mask_person_name(complainant_name) AS complainant_name,
       wagecheck.mask_phone(complainant_phone) AS complainant_phone,
       wagecheck.mask(complainant_id) AS complainant_id,
       workers_count, amount_claimed, project_id, enterprise_id, received_at, accept_due_on,
       status, decided_at, decision_reason
  FROM wagecheck.complaint;
COMMENT ON VIEW wagecheck.complaint_masked IS 'complaints with the complainant''s name, phone and ID number masked, for analysts';

-- ==== src/cases/30_campaigns.sql
-- Campaigns ("两个清零"): a campaign is data — a name, a start, and a deadline per
-- funding class of project, either a fixed date or "before the Spring Festival of
-- year Y" (computed with wagecheck.spring_festival). Progress (清零率) per county
-- and per sector regulator, against each deadline, as of any date.

CREATE TABLE wagecheck.campaign (
    campaign_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    starts_on     date NOT NULL,
    ledger_due_on date,
    description   text,
    CHECK (ledger_due_on IS NULL OR ledger_due_on >= starts_on)
);
COMMENT ON TABLE wagecheck.campaign IS 'arrears-clearing campaigns (根治欠薪专项行动, e.g. the 2020-21 winter campaign''s 两个清零)';
COMMENT ON COLUMN wagecheck.campaign.ledger_due_on IS 'day the departments hand in their ledgers (e.g. 12-18)';

CREATE TABLE wagecheck.campaign_deadline (
    campaign_id          bigint NOT NULL REFERENCES wagecheck.campaign,
    funding              text NOT NULL CHECK (funding IN ('government', 'soe', 'other')),
    deadline_on          date,
    before_spring_festival_of int CHECK (before_spring_festival_of BETWEEN 1950 AND 2100),
    PRIMARY KEY (campaign_id, funding),
    CHECK (num_nonnulls(deadline_on, before_spring_festival_of) = 1)
);
COMMENT ON TABLE wagecheck.campaign_deadline IS 'deadline of a campaign per funding class of project: a fixed date, or before the Spring Festival of a year';
COMMENT ON COLUMN wagecheck.campaign_deadline.before_spring_festival_of IS 'year Y of "cleared before the Spring Festival of Y": the deadline is the eve, spring_festival(Y) - 1';

CREATE FUNCTION wagecheck.campaign_deadline_on(p_campaign_id bigint, p_funding text) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT coalesce(d.deadline_on, wagecheck.spring_festival(d.before_spring_festival_of) - 1)
      FROM wagecheck.campaign_deadline d
     WHERE d.campaign_id = p_campaign_id AND d.funding = p_funding $$;
COMMENT ON FUNCTION wagecheck.campaign_deadline_on(bigint, text) IS 'the last day of a campaign for a funding class (the Spring Festival''s eve for "before the Spring Festival")';

CREATE FUNCTION wagecheck.campaign_deadline_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    d date := coalesce(NEW.deadline_on, wagecheck.spring_festival(NEW.before_spring_festival_of) - 1);
    s date;
BEGIN
    SELECT starts_on INTO s FROM wagecheck.campaign WHERE campaign_id = NEW.campaign_id;
    IF d < s THEN
        RAISE EXCEPTION USING ERRCODE = '23514',
            MESSAGE = format('the %s deadline %s falls before the campaign starts (%s)', NEW.funding, d, s);
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.campaign_deadline_check() IS 'trigger: a campaign deadline is not before its start';
CREATE TRIGGER campaign_deadline_check BEFORE INSERT OR UPDATE ON wagecheck.campaign_deadline
    FOR EACH ROW EXECUTE FUNCTION wagecheck.campaign_deadline_check();

-- campaign_cases: every case a campaign must clear, with its state at the end of a day.
-- A case is in scope when its funding class has a deadline, it was filed by the deadline
-- and by the day asked, and it was not already closed when the campaign started.
CREATE FUNCTION wagecheck.campaign_cases(p_campaign text, p_as_of date)
    RETURNS TABLE (campaign_id bigint, case_id bigint, funding text, deadline_on date, county text,
                   sector text, amount_owed numeric, repaid numeric, open_at_end boolean, overdue boolean)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    WITH k AS (
        SELECT m.campaign_id, m.starts_on,
               ((p_as_of + 1)::timestamp - interval '1 microsecond')::timestamptz AS end_of_day
          FROM wagecheck.campaign m WHERE m.name = p_campaign
    )
    SELECT k.campaign_id, c.case_id, c.funding, dl.d, left(c.division::text, 6), c.sector, c.amount_owed,
           least(wagecheck.case_repaid_at(c.case_id, p_as_of), c.amount_owed),
           o.open_now, o.open_now AND p_as_of > dl.d
      FROM k
      JOIN wagecheck.case_ledger c ON c.filed_on <= p_as_of
      CROSS JOIN LATERAL (SELECT wagecheck.campaign_deadline_on(k.campaign_id, c.funding) AS d) dl
      CROSS JOIN LATERAL (SELECT wagecheck.case_open_at(c.case_id, k.end_of_day) AS open_now) o
     WHERE dl.d IS NOT NULL AND c.filed_on <= dl.d
       AND (c.filed_on >= k.starts_on
            OR wagecheck.case_open_at(c.case_id, (k.starts_on::timestamp - interval '1 microsecond')::timestamptz))
$$;
COMMENT ON FUNCTION wagecheck.campaign_cases(text, date) IS 'the cases a campaign must clear and their state at the end of a day: repaid so far (capped at the amount owed), still open, overdue';

CREATE FUNCTION wagecheck.campaign_progress(p_campaign text, p_as_of date, p_by text DEFAULT 'county')
    RETURNS TABLE (campaign text, area text, deadline_class text, deadline_on date,
                   cases_to_clear bigint, amount_to_clear numeric, cases_cleared bigint,
                   amount_repaid numeric, cases_overdue bigint, amount_overdue numeric,
                   cleared_share numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF p_by IS NULL OR p_by NOT IN ('county', 'sector') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('progress is by county or by sector, not %L', p_by);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM wagecheck.campaign m WHERE m.name = p_campaign) THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('no campaign named %L', p_campaign);
    END IF;
    RETURN QUERY
    WITH classes AS (
        SELECT d.campaign_id, wagecheck.campaign_deadline_on(d.campaign_id, d.funding) AS dl,
               string_agg(d.funding, '+' ORDER BY array_position(ARRAY['government', 'soe', 'other'], d.funding)) AS cls
          FROM wagecheck.campaign_deadline d JOIN wagecheck.campaign m USING (campaign_id)
         WHERE m.name = p_campaign
         GROUP BY 1, 2
    )
    SELECT p_campaign, CASE p_by WHEN 'county' THEN x.county ELSE x.sector END, cl.cls, x.deadline_on,
           count(*), sum(x.amount_owed),
           count(*) FILTER (WHERE NOT x.open_at_end), sum(x.repaid),
           count(*) FILTER (WHERE x.overdue),
           coalesce(sum(x.amount_owed - x.repaid) FILTER (WHERE x.overdue), 0),
           CASE WHEN sum(x.amount_owed) > 0 THEN round(sum(x.repaid) / sum(x.amount_owed), 4) END
      FROM wagecheck.campaign_cases(p_campaign, p_as_of) x
      JOIN classes cl ON cl.campaign_id = x.campaign_id AND cl.dl = x.deadline_on
     GROUP BY 2, 3, 4
     ORDER BY 2, 4;
END $$;
COMMENT ON FUNCTION wagecheck.campaign_progress(text, date, text) IS 'campaign progress at the end of a day, per county (first 6 digits of the division) or per sector regulator, against each deadline: cases and amounts to clear, cleared, repaid, overdue, 清零率 (repaid / owed)';

CREATE VIEW wagecheck.campaign_progress_county AS
SELECT p.* FROM wagecheck.campaign m
 CROSS JOIN LATERAL wagecheck.campaign_progress(m.name, current_date, 'county') p;
COMMENT ON VIEW wagecheck.campaign_progress_county IS 'progress of every campaign today, per county and deadline (campaign_progress(name, day, ''county'') for another day)';

CREATE VIEW wagecheck.campaign_progress_sector AS
SELECT p.* FROM wagecheck.campaign m
 CROSS JOIN LATERAL wagecheck.campaign_progress(m.name, current_date, 'sector') p;
COMMENT ON VIEW wagecheck.campaign_progress_sector IS 'progress of every campaign today, per sector regulator and deadline';

-- ==== src/cases/40_opinion.sql
-- Public-opinion reports (舆情): an online post, a media report, a petition or a
-- gathering about a project or an enterprise; verified within hours and reported
-- upward (OP01). A confirmed mass or extreme incident is evidence for the
-- dishonest list (BL01).

CREATE TABLE wagecheck.opinion_report (
    report_id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    project_id       bigint REFERENCES wagecheck.project,
    enterprise_id    bigint REFERENCES wagecheck.enterprise,
    unit_code        text REFERENCES wagecheck.case_unit,
    kind             text NOT NULL CHECK (kind IN ('online_post', 'media', 'petition', 'gathering')),
    mass_incident    boolean NOT NULL DEFAULT false,
    summary          text NOT NULL CHECK (btrim(summary) <> ''),
    source           text,
    workers_involved int CHECK (workers_involved >= 0),
    received_at      timestamptz NOT NULL DEFAULT now(),
    verified_at      timestamptz,
    verified_by      text,
    verification     text CHECK (verification IN ('confirmed', 'unfounded')),
    reported_at      timestamptz,
    reported_to      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (project_id IS NOT NULL OR enterprise_id IS NOT NULL),
    CHECK ((verified_at IS NULL) = (verification IS NULL) AND (verified_at IS NULL) = (verified_by IS NULL)),
    CHECK (verified_at IS NULL OR verified_at >= received_at),
    CHECK ((reported_at IS NULL) = (reported_to IS NULL)),
    CHECK (reported_at IS NULL OR (verified_at IS NOT NULL AND reported_at >= verified_at))
);
COMMENT ON TABLE wagecheck.opinion_report IS 'public-opinion reports (舆情) on a project or enterprise: verified (核查) within verify_hours and reported upward (上报) within report_hours of receipt (OP01)';
COMMENT ON COLUMN wagecheck.opinion_report.mass_incident IS 'a mass or extreme incident (群体性/极端事件): top priority, and when confirmed a ground for the dishonest list';
COMMENT ON COLUMN wagecheck.opinion_report.unit_code IS 'unit answering for it (default: the unit of the project''s division)';
CREATE INDEX ON wagecheck.opinion_report (received_at) WHERE reported_at IS NULL;
CREATE INDEX ON wagecheck.opinion_report (enterprise_id);
CREATE INDEX ON wagecheck.opinion_report (project_id);

CREATE FUNCTION wagecheck.opinion_report_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.enterprise_id IS NULL THEN
            SELECT p.contractor_id INTO NEW.enterprise_id FROM wagecheck.project p WHERE p.project_id = NEW.project_id;
        END IF;
        IF NEW.unit_code IS NULL THEN
            NEW.unit_code := wagecheck.unit_for_division(
                coalesce((SELECT p.division FROM wagecheck.project p WHERE p.project_id = NEW.project_id),
                         (SELECT e.division FROM wagecheck.enterprise e WHERE e.enterprise_id = NEW.enterprise_id)));
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.received_at IS DISTINCT FROM OLD.received_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s: the time of receipt cannot change', OLD.report_id);
    END IF;
    IF OLD.verified_at IS NOT NULL AND (NEW.verified_at, NEW.verified_by, NEW.verification, NEW.mass_incident)
            IS DISTINCT FROM (OLD.verified_at, OLD.verified_by, OLD.verification, OLD.mass_incident) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s was verified at %s: the verification is final', OLD.report_id, OLD.verified_at),
            HINT = 'Record a new report if the situation changes.';
    END IF;
    IF OLD.reported_at IS NOT NULL AND (NEW.reported_at, NEW.reported_to) IS DISTINCT FROM (OLD.reported_at, OLD.reported_to) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s was reported at %s: the report is final', OLD.report_id, OLD.reported_at);
    END IF;
    IF NEW.reported_at IS NOT NULL AND NEW.verified_at IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s must be verified before it is reported', OLD.report_id),
            HINT = 'Use wagecheck.verify_opinion_report first (第一时间核查落实, then 第一时间反馈上报).';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.opinion_report_before() IS 'trigger: fills enterprise and unit; verification and reporting happen once, in that order';
CREATE TRIGGER opinion_report_before BEFORE INSERT OR UPDATE ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.opinion_report_before();
CREATE TRIGGER opinion_report_no_delete BEFORE DELETE ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER opinion_report_no_truncate BEFORE TRUNCATE ON wagecheck.opinion_report
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE FUNCTION wagecheck.opinion_report_pushed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    PERFORM wagecheck.push_lead(NEW.unit_code, 'opinion', NEW.report_id,
        jsonb_build_object('report_id', NEW.report_id, 'kind', NEW.kind, 'mass_incident', NEW.mass_incident,
                           'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id,
                           'received_at', NEW.received_at, 'summary', NEW.summary));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.opinion_report_pushed() IS 'trigger: pushes each new opinion report to its unit at once (outbox + NOTIFY)';
CREATE TRIGGER opinion_report_pushed AFTER INSERT ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.opinion_report_pushed();

CREATE FUNCTION wagecheck.verify_opinion_report(p_report_id bigint, p_officer text, p_verification text,
                                                p_mass_incident boolean DEFAULT NULL,
                                                p_at timestamptz DEFAULT now())
    RETURNS wagecheck.opinion_report LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE r wagecheck.opinion_report;
BEGIN
    SELECT * INTO r FROM wagecheck.opinion_report WHERE report_id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('opinion report %s does not exist', p_report_id);
    END IF;
    IF r.verified_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s was already verified at %s', p_report_id, r.verified_at);
    END IF;
    UPDATE wagecheck.opinion_report
       SET verified_at = p_at, verified_by = p_officer, verification = p_verification,
           mass_incident = coalesce(p_mass_incident, mass_incident)
     WHERE report_id = p_report_id RETURNING * INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION wagecheck.verify_opinion_report(bigint, text, text, boolean, timestamptz) IS 'records the verification (核查) of an opinion report: confirmed or unfounded, and whether it is a mass incident';

CREATE FUNCTION wagecheck.report_opinion_report(p_report_id bigint, p_to text, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.opinion_report LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE r wagecheck.opinion_report;
BEGIN
    SELECT * INTO r FROM wagecheck.opinion_report WHERE report_id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('opinion report %s does not exist', p_report_id);
    END IF;
    IF r.reported_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('opinion report %s was already reported at %s', p_report_id, r.reported_at);
    END IF;
    UPDATE wagecheck.opinion_report SET reported_at = p_at, reported_to = p_to
     WHERE report_id = p_report_id RETURNING * INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION wagecheck.report_opinion_report(bigint, text, timestamptz) IS 'records that a verified opinion report was reported upward (反馈上报) to the named body';

-- ==== src/cases/50_dishonest.sql
-- Dishonest list (失信联合惩戒对象名单, 人社部令第45号). BL01 proposes an enterprise
-- when an order to pay by a deadline was missed and either the amount reaches the
-- provincial criminal threshold or the arrears caused a confirmed mass incident; an
-- officer lists it (or declines). A listing lasts listing_years (3); early removal
-- needs the wages repaid, removal_months (6) since the correction, and a pledge.

CREATE TABLE wagecheck.dishonest_listing (
    listing_id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    enterprise_id       bigint NOT NULL REFERENCES wagecheck.enterprise,
    legal_rep           text NOT NULL CHECK (btrim(legal_rep) <> ''),
    responsible_persons text[] NOT NULL DEFAULT '{}',
    reason              text NOT NULL CHECK (btrim(reason) <> ''),
    order_ids           bigint[] NOT NULL DEFAULT '{}',
    report_ids          bigint[] NOT NULL DEFAULT '{}',
    decided_by          text NOT NULL CHECK (btrim(decided_by) <> ''),
    listed_on           date NOT NULL,
    ends_on             date NOT NULL,
    corrected_on        date,
    pledge_on           date,
    removed_on          date,
    removal_reason      text,
    police_referred_on  date,
    police_ref          text,
    published_on        date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on > listed_on),
    CHECK (removed_on IS NULL OR (removed_on >= listed_on AND removed_on < ends_on)),
    CHECK ((removed_on IS NULL) = (removal_reason IS NULL)),
    CHECK ((police_referred_on IS NULL) = (police_ref IS NULL))
);
COMMENT ON TABLE wagecheck.dishonest_listing IS 'enterprises on the dishonest list (失信联合惩戒): unit, legal representative, responsible persons, reason, listed_on to ends_on (listing_years), early removal, police referral; BL02 reads (enterprise_id, listed_on, ends_on, removed_on)';
COMMENT ON COLUMN wagecheck.dishonest_listing.order_ids IS 'the missed orders to pay (case_order) the listing rests on';
COMMENT ON COLUMN wagecheck.dishonest_listing.report_ids IS 'the confirmed mass-incident reports (opinion_report) the listing rests on';
COMMENT ON COLUMN wagecheck.dishonest_listing.ends_on IS 'first day off the list: listed_on + listing_years (BL01 parameter, default 3)';
COMMENT ON COLUMN wagecheck.dishonest_listing.corrected_on IS 'day the enterprise corrected the violation (repaid in full)';
COMMENT ON COLUMN wagecheck.dishonest_listing.pledge_on IS 'day of the written credit-repair pledge (信用承诺书)';
COMMENT ON COLUMN wagecheck.dishonest_listing.published_on IS 'day pushed to the credit platform (信用中国（山东临沂）)';
CREATE INDEX ON wagecheck.dishonest_listing (enterprise_id, listed_on);

CREATE FUNCTION wagecheck.dishonest_listed(p_enterprise_id bigint, p_on date) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                    WHERE l.enterprise_id = p_enterprise_id AND l.listed_on <= p_on AND p_on < l.ends_on
                      AND (l.removed_on IS NULL OR p_on < l.removed_on)) $$;
COMMENT ON FUNCTION wagecheck.dishonest_listed(bigint, date) IS 'true when the enterprise is on the dishonest list on that day';

CREATE TABLE wagecheck.dishonest_declined (
    declined_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    enterprise_id bigint NOT NULL REFERENCES wagecheck.enterprise,
    order_ids     bigint[] NOT NULL CHECK (cardinality(order_ids) > 0),
    decided_by    text NOT NULL CHECK (btrim(decided_by) <> ''),
    decided_at    timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL CHECK (btrim(reason) <> '')
);
COMMENT ON TABLE wagecheck.dishonest_declined IS 'BL01 proposals an officer decided not to list, with the orders they covered (a new missed order proposes again)';

CREATE FUNCTION wagecheck.dishonest_listing_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    e wagecheck.enterprise;
    unpaid bigint[];
    months int;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO e FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id;
        NEW.legal_rep := coalesce(NEW.legal_rep, e.legal_rep);
        IF NEW.ends_on IS NULL THEN
            NEW.ends_on := NEW.listed_on
                + make_interval(years => (wagecheck.rule_param('BL01', 'listing_years', e.division))::int);
        END IF;
        PERFORM 1 FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                    WHERE l.enterprise_id = NEW.enterprise_id
                      AND daterange(l.listed_on, coalesce(l.removed_on, l.ends_on))
                          && daterange(NEW.listed_on, NEW.ends_on)) THEN
            RAISE EXCEPTION USING ERRCODE = '23P01',
                MESSAGE = format('enterprise %s is already on the dishonest list for part of %s to %s',
                                 NEW.enterprise_id, NEW.listed_on, NEW.ends_on);
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.enterprise_id, NEW.legal_rep, NEW.reason, NEW.listed_on, NEW.ends_on, NEW.decided_by,
        NEW.order_ids, NEW.report_ids, NEW.created_at)
       IS DISTINCT FROM (OLD.enterprise_id, OLD.legal_rep, OLD.reason, OLD.listed_on, OLD.ends_on,
                         OLD.decided_by, OLD.order_ids, OLD.report_ids, OLD.created_at) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s: the decision (unit, legal representative, reason, basis, dates) cannot change', OLD.listing_id),
            HINT = 'Remove the listing early if the law allows, or record a new listing.';
    END IF;
    IF OLD.removed_on IS NOT NULL AND (NEW.removed_on, NEW.removal_reason, NEW.corrected_on, NEW.pledge_on)
            IS DISTINCT FROM (OLD.removed_on, OLD.removal_reason, OLD.corrected_on, OLD.pledge_on) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s was removed on %s: the removal is final', OLD.listing_id, OLD.removed_on);
    END IF;
    IF OLD.police_referred_on IS NOT NULL
       AND (NEW.police_referred_on, NEW.police_ref) IS DISTINCT FROM (OLD.police_referred_on, OLD.police_ref) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('listing %s was referred to the police on %s: the referral is final', OLD.listing_id, OLD.police_referred_on);
    END IF;
    IF OLD.removed_on IS NULL AND NEW.removed_on IS NOT NULL THEN
        SELECT e2.division INTO e.division FROM wagecheck.enterprise e2 WHERE e2.enterprise_id = NEW.enterprise_id;
        months := (wagecheck.rule_param('BL01', 'removal_months', e.division))::int;
        SELECT array_agg(o.order_id ORDER BY o.order_id) INTO unpaid
          FROM wagecheck.case_order o
         WHERE o.enterprise_id = NEW.enterprise_id AND o.issued_on <= NEW.removed_on
           AND (o.complied_on IS NULL OR o.complied_on > NEW.removed_on);
        IF unpaid IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early: wages are not repaid', OLD.listing_id),
                DETAIL = format('Orders to pay not yet met: %s.', array_to_string(unpaid, ', ')),
                HINT = 'Record complied_on on each order once the wages are paid.';
        END IF;
        IF NEW.corrected_on IS NULL OR NEW.removed_on < NEW.corrected_on + make_interval(months => months) THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early: %s months must pass after the correction', OLD.listing_id, months),
                DETAIL = CASE WHEN NEW.corrected_on IS NULL THEN 'No correction date is recorded.'
                              ELSE format('Corrected on %s: removal possible from %s.', NEW.corrected_on,
                                          (NEW.corrected_on + make_interval(months => months))::date) END;
        END IF;
        IF NEW.pledge_on IS NULL OR NEW.pledge_on > NEW.removed_on THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = format('listing %s cannot be removed early without a written credit-repair pledge signed by the removal day', OLD.listing_id),
                HINT = 'Record pledge_on, the day the pledge (信用承诺书) was signed.';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.dishonest_listing_guard() IS 'trigger: fills legal representative and end date; one listing at a time; the decision is final; early removal only when repaid, 6 months after correction, with a pledge (WC060)';
CREATE TRIGGER dishonest_listing_guard BEFORE INSERT OR UPDATE ON wagecheck.dishonest_listing
    FOR EACH ROW EXECUTE FUNCTION wagecheck.dishonest_listing_guard();
CREATE TRIGGER dishonest_listing_no_delete BEFORE DELETE ON wagecheck.dishonest_listing
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER dishonest_listing_no_truncate BEFORE TRUNCATE ON wagecheck.dishonest_listing
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER dishonest_declined_no_delete BEFORE DELETE OR UPDATE ON wagecheck.dishonest_declined
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE TRIGGER dishonest_declined_no_truncate BEFORE TRUNCATE ON wagecheck.dishonest_declined
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

-- dishonest_candidates: the enterprises meeting the criteria as of a moment (BL01's condition).
CREATE FUNCTION wagecheck.dishonest_candidates(p_as_of timestamptz)
    RETURNS TABLE (enterprise_id bigint, division wagecheck.division_code, project_id bigint,
                   order_ids bigint[], report_ids bigint[], amount numeric, workers int,
                   by_threshold boolean, by_mass_incident boolean)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    WITH missed AS (
        SELECT o.order_id, o.enterprise_id, o.amount, o.workers, c.division, c.project_id,
               (o.months_owed >= (wagecheck.rule_param('BL01', 'one_worker_months', c.division))::int
                AND o.max_worker_amount >= (wagecheck.rule_param('BL01', 'one_worker_amount', c.division))::numeric)
               OR (o.workers >= (wagecheck.rule_param('BL01', 'workers', c.division))::int
                   AND o.amount >= (wagecheck.rule_param('BL01', 'total_amount', c.division))::numeric) AS big,
               (SELECT array_agg(r.report_id ORDER BY r.report_id) FROM wagecheck.opinion_report r
                 WHERE r.mass_incident AND r.verification = 'confirmed' AND r.verified_at <= p_as_of
                   AND (r.enterprise_id = o.enterprise_id OR r.project_id = c.project_id)) AS mass
          FROM wagecheck.case_order o
          JOIN wagecheck.case_ledger c ON c.case_id = o.case_id
         WHERE o.issued_on <= p_as_of::date AND o.due_on < p_as_of::date
           AND (o.complied_on IS NULL OR o.complied_on > o.due_on)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_declined d
                            WHERE o.order_id = ANY (d.order_ids) AND d.decided_at <= p_as_of)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                            WHERE o.order_id = ANY (l.order_ids) AND l.listed_on <= p_as_of::date)
    )
    SELECT m.enterprise_id, (array_agg(m.division ORDER BY m.amount DESC))[1],
           (array_agg(m.project_id ORDER BY m.amount DESC))[1],
           array_agg(m.order_id ORDER BY m.order_id),
           (SELECT array_agg(DISTINCT x ORDER BY x) FROM missed m2, unnest(m2.mass) x
             WHERE m2.enterprise_id = m.enterprise_id),
           sum(m.amount), max(m.workers), bool_or(m.big), bool_or(m.mass IS NOT NULL)
      FROM missed m
     WHERE (m.big OR m.mass IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                        WHERE l.enterprise_id = m.enterprise_id AND l.listed_on <= p_as_of::date AND p_as_of::date < l.ends_on
                          AND (l.removed_on IS NULL OR p_as_of::date < l.removed_on))
     GROUP BY m.enterprise_id
$$;
COMMENT ON FUNCTION wagecheck.dishonest_candidates(timestamptz) IS 'enterprises meeting the dishonest-list criteria as of a moment: a missed order to pay (not yet listed or declined) at the provincial threshold, or with a confirmed mass incident';

CREATE FUNCTION wagecheck.decline_dishonest_listing(p_enterprise_id bigint, p_officer text, p_reason text,
                                                    p_at timestamptz DEFAULT now())
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    ids bigint[];
    id bigint;
BEGIN
    SELECT d.order_ids INTO ids FROM wagecheck.dishonest_candidates(p_at) d WHERE d.enterprise_id = p_enterprise_id;
    IF ids IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = format('enterprise %s is not proposed for the dishonest list at %s', p_enterprise_id, p_at);
    END IF;
    INSERT INTO wagecheck.dishonest_declined (enterprise_id, order_ids, decided_by, decided_at, reason)
    VALUES (p_enterprise_id, ids, p_officer, p_at, p_reason) RETURNING declined_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.decline_dishonest_listing(bigint, text, text, timestamptz) IS 'an officer decides not to list a proposed enterprise (for the orders proposed now)';

CREATE FUNCTION wagecheck.list_dishonest(p_enterprise_id bigint, p_officer text, p_reason text,
                                         p_listed_on date DEFAULT current_date,
                                         p_responsible_persons text[] DEFAULT '{}')
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    d record;
    id bigint;
BEGIN
    SELECT * INTO d FROM wagecheck.dishonest_candidates((p_listed_on + 1)::timestamptz) c
     WHERE c.enterprise_id = p_enterprise_id;
    INSERT INTO wagecheck.dishonest_listing (enterprise_id, responsible_persons, reason, order_ids, report_ids,
                                             decided_by, listed_on)
    VALUES (p_enterprise_id, coalesce(p_responsible_persons, '{}'), p_reason, coalesce(d.order_ids, '{}'),
            coalesce(d.report_ids, '{}'), p_officer, p_listed_on)
    RETURNING listing_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.list_dishonest(bigint, text, text, date, text[]) IS 'an officer lists an enterprise on the dishonest list, resting on the orders and incidents BL01 proposes on the listing day';

CREATE FUNCTION wagecheck.remove_dishonest_listing(p_listing_id bigint, p_removed_on date, p_corrected_on date,
                                                   p_pledge_on date, p_reason text)
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    UPDATE wagecheck.dishonest_listing
       SET removed_on = p_removed_on, corrected_on = p_corrected_on, pledge_on = p_pledge_on,
           removal_reason = p_reason
     WHERE listing_id = p_listing_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('listing %s does not exist', p_listing_id);
    END IF;
END $$;
COMMENT ON FUNCTION wagecheck.remove_dishonest_listing(bigint, date, date, date, text) IS 'early removal from the dishonest list (信用修复): refused (WC060) unless repaid, removal_months after the correction, with a pledge';

-- ==== src/cases/90_rules.sql
-- The case area's alert rules: evaluators (as_of timestamptz) RETURNS SETOF rule_hit,
-- registered in wagecheck.rule for the alert engine (wagecheck.scan). Details carry
-- the facts of the subject, never counters that grow with as_of (the engine would
-- rewrite every alert at every scan).

CREATE FUNCTION wagecheck.eval_cp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'complaint', c.complaint_id::text, '', c.project_id, c.enterprise_id,
           coalesce(p.division, u.division), 'K', NULL::timestamptz,
           jsonb_build_object('unit', c.unit_code, 'channel', c.channel, 'received_at', c.received_at,
                              'accept_due_on', c.accept_due_on, 'workers', c.workers_count,
                              'amount_claimed', c.amount_claimed)
      FROM wagecheck.complaint c
      JOIN wagecheck.case_unit u ON u.unit_code = c.unit_code
      LEFT JOIN wagecheck.project p ON p.project_id = c.project_id
     WHERE c.received_at <= as_of AND as_of::date > c.accept_due_on
       AND (c.decided_at IS NULL OR c.decided_at > as_of) $$;
COMMENT ON FUNCTION wagecheck.eval_cp01(timestamptz) IS 'CP01: complaints neither accepted nor rejected within accept_wd (5) working days of receipt';

CREATE FUNCTION wagecheck.eval_cs01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'case', c.case_id::text, '', c.project_id, c.enterprise_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('case_no', c.case_no, 'unit', c.unit_code, 'filed_on', c.filed_on, 'due_on', d.due_on,
                              'extended', EXISTS (SELECT 1 FROM wagecheck.case_extension x
                                                   WHERE x.case_id = c.case_id AND x.approved_at <= as_of),
                              'amount_owed', c.amount_owed,
                              'repaid', wagecheck.case_repaid_at(c.case_id, as_of::date))
      FROM wagecheck.case_ledger c
     CROSS JOIN LATERAL (SELECT wagecheck.case_due_on(c.case_id, as_of) AS due_on) d
     WHERE as_of::date > d.due_on
       AND wagecheck.case_open_at(c.case_id, as_of) $$;
COMMENT ON FUNCTION wagecheck.eval_cs01(timestamptz) IS 'CS01: cases still open after finish_wd (60) working days from filing, + extension_wd (30) when an extension was approved';

CREATE FUNCTION wagecheck.eval_cs02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'case', c.case_id::text, m.name, c.project_id, c.enterprise_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('case_no', c.case_no, 'campaign', m.name, 'funding', x.funding,
                              'deadline_on', x.deadline_on, 'amount_owed', x.amount_owed, 'repaid', x.repaid)
      FROM wagecheck.campaign m
     CROSS JOIN LATERAL wagecheck.campaign_cases(m.name, as_of::date) x
      JOIN wagecheck.case_ledger c ON c.case_id = x.case_id
     WHERE m.starts_on <= as_of::date AND as_of::date > x.deadline_on
       AND wagecheck.case_open_at(c.case_id, as_of) $$;
COMMENT ON FUNCTION wagecheck.eval_cs02(timestamptz) IS 'CS02: cases of a campaign still open after the campaign''s deadline for their funding class (period = campaign name)';

CREATE FUNCTION wagecheck.eval_bl01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'enterprise', d.enterprise_id::text, '', d.project_id, d.enterprise_id, d.division, 'K', NULL::timestamptz,
           jsonb_build_object('enterprise', e.name, 'legal_rep', e.legal_rep, 'order_ids', d.order_ids,
                              'mass_incident_reports', d.report_ids, 'amount', d.amount, 'workers', d.workers,
                              'by_threshold', d.by_threshold, 'by_mass_incident', d.by_mass_incident)
      FROM wagecheck.dishonest_candidates(as_of) d
      JOIN wagecheck.enterprise e ON e.enterprise_id = d.enterprise_id $$;
COMMENT ON FUNCTION wagecheck.eval_bl01(timestamptz) IS 'BL01: enterprises meeting the dishonest-list criteria (missed order to pay, and the provincial threshold or a mass incident), proposed for an officer''s decision';

CREATE FUNCTION wagecheck.eval_op01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT 'opinion_report', r.report_id::text, '', r.project_id, r.enterprise_id, t.division, 'O', t.verify_due,
           jsonb_build_object('kind', r.kind, 'mass_incident', r.mass_incident, 'summary', r.summary,
                              'received_at', r.received_at, 'verify_due', t.verify_due, 'report_due', t.report_due,
                              -- the alert engine follows a verification recorded here (O: verified_in_source)
                              'verified', r.verified_at <= as_of)
      FROM wagecheck.opinion_report r
      LEFT JOIN wagecheck.project p ON p.project_id = r.project_id
      LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = r.enterprise_id
     CROSS JOIN LATERAL (
        SELECT coalesce(p.division, e.division) AS division,
               r.received_at + make_interval(hours => (wagecheck.rule_param('OP01', 'verify_hours', coalesce(p.division, e.division)))::int) AS verify_due,
               r.received_at + make_interval(hours => (wagecheck.rule_param('OP01', 'report_hours', coalesce(p.division, e.division)))::int) AS report_due) t
     WHERE r.received_at <= as_of AND (r.reported_at IS NULL OR r.reported_at > as_of) $$;
COMMENT ON FUNCTION wagecheck.eval_op01(timestamptz) IS 'OP01: public-opinion reports not yet reported upward; due_at = verification deadline (verify_hours), details.report_due = reporting deadline (report_hours)';

INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('CP01', 'K', 'complaint', '投诉未按时受理', 'complaint not accepted or rejected in time',
 'a complaint neither accepted nor rejected within accept_wd working days of receipt (劳动保障监察条例)',
 '{"accept_wd": 5, "deadline_wd": 5}', 'wagecheck.eval_cp01(timestamptz)'),
('CS01', 'K', 'case', '案件超期未办结', 'case not finished within its time limit',
 'a case open after finish_wd working days from filing, + extension_wd with an approved extension',
 '{"finish_wd": 60, "extension_wd": 30, "deadline_wd": 5}', 'wagecheck.eval_cs01(timestamptz)'),
('CS02', 'K', 'case', '专项行动清零期限已过', 'case open past its campaign deadline',
 'a case of a campaign (两个清零) still open after the deadline for its project''s funding class',
 '{"deadline_wd": 5}', 'wagecheck.eval_cs02(timestamptz)'),
('BL01', 'K', 'enterprise', '符合失信联合惩戒条件', 'meets the dishonest-list criteria',
 'an order to pay by a deadline was missed and the amount reaches the provincial criminal threshold (one worker: one_worker_months months and one_worker_amount; or workers and total_amount) or a mass incident was confirmed; an officer decides on listing for listing_years; early removal after removal_months',
 '{"one_worker_months": 3, "one_worker_amount": 10000, "workers": 10, "total_amount": 50000, "listing_years": 3, "removal_months": 6, "deadline_wd": 5}',
 'wagecheck.eval_bl01(timestamptz)'),
('OP01', 'O', 'opinion_report', '舆情未及时核查上报', 'public-opinion report not verified or reported in time',
 'a public-opinion report (online post, media, petition, gathering) must be verified within verify_hours and reported upward within report_hours of receipt',
 '{"verify_hours": 2, "report_hours": 24}', 'wagecheck.eval_op01(timestamptz)');

-- ==== src/cases/95_dump.sql
-- The case area's tables hold user data: pg_dump keeps their rows and the state of
-- their identity sequences.
DO $$
DECLARE
    tabs regclass[] := ARRAY['wagecheck.case_unit', 'wagecheck.case_number_counter', 'wagecheck.lead_outbox',
        'wagecheck.complaint', 'wagecheck.case_ledger', 'wagecheck.case_event', 'wagecheck.case_plan',
        'wagecheck.case_contact', 'wagecheck.case_supervision', 'wagecheck.case_extension',
        'wagecheck.case_order', 'wagecheck.case_repayment', 'wagecheck.campaign', 'wagecheck.campaign_deadline',
        'wagecheck.opinion_report', 'wagecheck.dishonest_listing', 'wagecheck.dishonest_declined']::regclass[];
    r regclass;
BEGIN
    FOREACH r IN ARRAY tabs LOOP
        PERFORM pg_catalog.pg_extension_config_dump(r, '');
    END LOOP;
    FOR r IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid = d.objid
              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND c.relkind = 'S'
                AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ANY (tabs)
                AND d.deptype IN ('a', 'i') LOOP
        PERFORM pg_catalog.pg_extension_config_dump(r, '');
    END LOOP;
END $$;

-- ==== src/cases/96_privileges.sql
-- Who may do what in the case area (roles of the access area):
--  wagecheck_admin, wagecheck_inspector (labour inspection): record and decide complaints,
--    register, work and close cases, opinion reports, the dishonest list;
--  wagecheck_county, wagecheck_sector: read the cases (and their records) of the projects in
--    their scope (wagecheck.officer_scope), row-level security as on the domain tables;
--  wagecheck_analyst: everything without the complainant's personal data.
-- The ledger's own bookkeeping (case numbers, the event log, the outbox) and the close-out
-- guard's count of repayments run as the owner of the tables, like foreign-key checks, so
-- writers need no privileges on them and row-level security cannot blind the guard.

ALTER FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) SECURITY DEFINER;
ALTER FUNCTION wagecheck.case_logged() SECURITY DEFINER;
ALTER FUNCTION wagecheck.case_child_logged() SECURITY DEFINER;
ALTER FUNCTION wagecheck.case_number_assign() SECURITY DEFINER SET search_path = pg_catalog, wagecheck;
ALTER FUNCTION wagecheck.case_closeout_guard() SECURITY DEFINER SET search_path = pg_catalog, wagecheck;
REVOKE EXECUTE ON FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) TO wagecheck_admin, wagecheck_inspector;

-- deadlines and thresholds are rule parameters: whoever records or reads cases computes them
GRANT SELECT ON wagecheck.rule, wagecheck.rule_param_override
    TO wagecheck_admin, wagecheck_inspector, wagecheck_county, wagecheck_sector, wagecheck_analyst;

GRANT SELECT, INSERT, UPDATE ON wagecheck.complaint, wagecheck.case_ledger, wagecheck.case_plan,
    wagecheck.case_contact, wagecheck.case_supervision, wagecheck.case_extension, wagecheck.case_order,
    wagecheck.case_repayment, wagecheck.campaign, wagecheck.campaign_deadline, wagecheck.opinion_report,
    wagecheck.dishonest_listing, wagecheck.dishonest_declined
    TO wagecheck_admin, wagecheck_inspector;
GRANT SELECT, INSERT, UPDATE ON wagecheck.case_unit TO wagecheck_admin;
GRANT SELECT, UPDATE ON wagecheck.lead_outbox TO wagecheck_admin;
GRANT SELECT ON wagecheck.case_unit, wagecheck.case_event, wagecheck.lead_outbox, wagecheck.case_number_counter,
    wagecheck.case_overview, wagecheck.complaint_masked, wagecheck.campaign_progress_county,
    wagecheck.campaign_progress_sector
    TO wagecheck_admin, wagecheck_inspector;
GRANT SELECT ON wagecheck.case_unit, wagecheck.case_ledger, wagecheck.case_event, wagecheck.case_plan,
    wagecheck.case_supervision, wagecheck.case_extension, wagecheck.case_order, wagecheck.case_repayment,
    wagecheck.case_overview, wagecheck.campaign, wagecheck.campaign_deadline, wagecheck.campaign_progress_county,
    wagecheck.campaign_progress_sector, wagecheck.opinion_report, wagecheck.dishonest_listing
    TO wagecheck_county, wagecheck_sector;
DO $$
DECLARE s regclass;
BEGIN
    FOR s IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'i'
                AND d.refobjid IN ('wagecheck.complaint'::regclass, 'wagecheck.case_ledger'::regclass,
                                   'wagecheck.case_contact'::regclass, 'wagecheck.case_supervision'::regclass,
                                   'wagecheck.case_order'::regclass, 'wagecheck.case_repayment'::regclass,
                                   'wagecheck.campaign'::regclass, 'wagecheck.opinion_report'::regclass,
                                   'wagecheck.dishonest_listing'::regclass, 'wagecheck.dishonest_declined'::regclass)
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO wagecheck_admin, wagecheck_inspector', s);
    END LOOP;
END $$;

-- analysts: the masked complaints, the complaint table without name, phone, ID number and summary
REVOKE ALL ON wagecheck.complaint FROM wagecheck_analyst;
GRANT SELECT (complaint_id, unit_code, channel, transferred_from, workers_count, amount_claimed,
              project_id, enterprise_id, received_at, accept_due_on, status, decided_at, decided_by,
              decision_reason, created_at)
    ON wagecheck.complaint TO wagecheck_analyst;
GRANT SELECT ON wagecheck.complaint_masked, wagecheck.case_unit, wagecheck.case_ledger,
                wagecheck.case_event, wagecheck.case_plan, wagecheck.case_supervision,
                wagecheck.case_extension, wagecheck.case_order, wagecheck.case_repayment,
                wagecheck.case_overview, wagecheck.campaign, wagecheck.campaign_deadline,
                wagecheck.campaign_progress_county, wagecheck.campaign_progress_sector,
                wagecheck.opinion_report, wagecheck.dishonest_listing, wagecheck.dishonest_declined
    TO wagecheck_analyst;

-- row-level security: writers see and change every case; scoped officers read theirs
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_ledger', 'case_plan', 'case_contact', 'case_supervision', 'case_extension',
                             'case_order', 'case_repayment', 'case_event', 'opinion_report'] LOOP
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY writers ON wagecheck.%I FOR ALL'
                       ' USING (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER'')'
                       '     OR pg_has_role(current_user, ''wagecheck_inspector'', ''MEMBER''))'
                       ' WITH CHECK (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER'')'
                       '     OR pg_has_role(current_user, ''wagecheck_inspector'', ''MEMBER''))', t);
        IF t NOT IN ('case_ledger', 'opinion_report') THEN
            EXECUTE format('CREATE POLICY scope ON wagecheck.%I FOR SELECT'
                           ' USING (case_id IN (SELECT case_id FROM wagecheck.case_ledger))', t);
        END IF;
    END LOOP;
END $$;
CREATE POLICY scope ON wagecheck.case_ledger FOR SELECT USING (wagecheck.in_scope(division, sector));
CREATE POLICY scope ON wagecheck.opinion_report FOR SELECT
    USING (wagecheck.sees_everything() OR project_id IN (SELECT project_id FROM wagecheck.project));
ALTER VIEW wagecheck.case_overview SET (security_invoker = true);
ALTER VIEW wagecheck.campaign_progress_county SET (security_invoker = true);
ALTER VIEW wagecheck.campaign_progress_sector SET (security_invoker = true);
