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
