-- 行政区划代码 — administrative division code (GB/T 2260)

CREATE TYPE wagecheck.division_code;

CREATE FUNCTION wagecheck.division_code_in(cstring) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.division_code_out(wagecheck.division_code) RETURNS cstring
    AS 'MODULE_PATHNAME', 'division_code_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.division_code_recv(internal) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.division_code_send(wagecheck.division_code) RETURNS bytea
    AS 'MODULE_PATHNAME', 'division_code_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE wagecheck.division_code (
    INPUT = wagecheck.division_code_in,
    OUTPUT = wagecheck.division_code_out,
    RECEIVE = wagecheck.division_code_recv,
    SEND = wagecheck.division_code_send,
    LIKE = pg_catalog.int4
);

CREATE FUNCTION wagecheck.contains(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'division_code_contains'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.contained_by(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'division_code_contained_by'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR wagecheck.@> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.contains,
    COMMUTATOR = OPERATOR(wagecheck.<@),
    RESTRICT = contsel, JOIN = contjoinsel
);

CREATE OPERATOR wagecheck.<@ (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.contained_by,
    COMMUTATOR = OPERATOR(wagecheck.@>),
    RESTRICT = contsel, JOIN = contjoinsel
);

-- Casts from and to text.
CREATE FUNCTION wagecheck.division_code(text) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'division_code_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.text(wagecheck.division_code) RETURNS text
    AS 'MODULE_PATHNAME', 'division_code_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (text AS wagecheck.division_code) WITH FUNCTION wagecheck.division_code(text) AS ASSIGNMENT;
CREATE CAST (wagecheck.division_code AS text) WITH FUNCTION wagecheck.text(wagecheck.division_code) AS ASSIGNMENT;

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.division_code_eq(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_ne(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_lt(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_le(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_gt(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_ge(wagecheck.division_code, wagecheck.division_code) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int4_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.division_code, RIGHTARG = wagecheck.division_code,
    FUNCTION = wagecheck.division_code_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int4_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int4_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.division_code_hash(wagecheck.division_code) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int4_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.division_code_hash_extended(wagecheck.division_code, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int4_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR CLASS wagecheck.division_code_ops
    DEFAULT FOR TYPE wagecheck.division_code USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.division_code_cmp(wagecheck.division_code, wagecheck.division_code),
        FUNCTION 2 wagecheck.division_code_sortsupport(internal);

CREATE OPERATOR CLASS wagecheck.division_code_ops
    DEFAULT FOR TYPE wagecheck.division_code USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.division_code_hash(wagecheck.division_code),
        FUNCTION 2 wagecheck.division_code_hash_extended(wagecheck.division_code, bigint);
