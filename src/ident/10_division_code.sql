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
