-- 统一社会信用代码 — unified social credit code (GB 32100-2015)

CREATE TYPE wagecheck.credit_code;

CREATE FUNCTION wagecheck.credit_code_in(cstring) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.credit_code_out(wagecheck.credit_code) RETURNS cstring
    AS 'MODULE_PATHNAME', 'credit_code_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.credit_code_recv(internal) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.credit_code_send(wagecheck.credit_code) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_code_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE wagecheck.credit_code (
    INPUT = wagecheck.credit_code_in,
    OUTPUT = wagecheck.credit_code_out,
    RECEIVE = wagecheck.credit_code_recv,
    SEND = wagecheck.credit_code_send,
    INTERNALLENGTH = 11, ALIGNMENT = char, STORAGE = plain
);

-- Casts from and to text.
CREATE FUNCTION wagecheck.credit_code(text) RETURNS wagecheck.credit_code
    AS 'MODULE_PATHNAME', 'credit_code_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.text(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (text AS wagecheck.credit_code) WITH FUNCTION wagecheck.credit_code(text) AS ASSIGNMENT;
CREATE CAST (wagecheck.credit_code AS text) WITH FUNCTION wagecheck.text(wagecheck.credit_code) AS ASSIGNMENT;

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.credit_code_eq(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_ne(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_lt(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_le(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_gt(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_ge(wagecheck.credit_code, wagecheck.credit_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_credit_code_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.credit_code, RIGHTARG = wagecheck.credit_code,
    FUNCTION = wagecheck.credit_code_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_credit_code_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_credit_code_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.credit_code_hash(wagecheck.credit_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_credit_code_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_credit_code_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR CLASS wagecheck.credit_code_ops
    DEFAULT FOR TYPE wagecheck.credit_code USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code),
        FUNCTION 2 wagecheck.credit_code_sortsupport(internal);

CREATE OPERATOR CLASS wagecheck.credit_code_ops
    DEFAULT FOR TYPE wagecheck.credit_code USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.credit_code_hash(wagecheck.credit_code),
        FUNCTION 2 wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint);
