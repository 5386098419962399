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
