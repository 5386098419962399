-- 居民身份证号码 — resident identity number (GB 11643-1999)

CREATE TYPE wagecheck.resident_id;

CREATE FUNCTION wagecheck.resident_id_in(cstring) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_in'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.resident_id_out(wagecheck.resident_id) RETURNS cstring
    AS 'MODULE_PATHNAME', 'resident_id_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.resident_id_recv(internal) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_recv'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.resident_id_send(wagecheck.resident_id) RETURNS bytea
    AS 'MODULE_PATHNAME', 'resident_id_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE wagecheck.resident_id (
    INPUT = wagecheck.resident_id_in,
    OUTPUT = wagecheck.resident_id_out,
    RECEIVE = wagecheck.resident_id_recv,
    SEND = wagecheck.resident_id_send,
    LIKE = pg_catalog.int8
);

-- Casts from and to text.
CREATE FUNCTION wagecheck.resident_id(text) RETURNS wagecheck.resident_id
    AS 'MODULE_PATHNAME', 'resident_id_from_text'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.text(wagecheck.resident_id) RETURNS text
    AS 'MODULE_PATHNAME', 'resident_id_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (text AS wagecheck.resident_id) WITH FUNCTION wagecheck.resident_id(text) AS ASSIGNMENT;
CREATE CAST (wagecheck.resident_id AS text) WITH FUNCTION wagecheck.text(wagecheck.resident_id) AS ASSIGNMENT;

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.resident_id_eq(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_ne(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_lt(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_le(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_gt(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_ge(wagecheck.resident_id, wagecheck.resident_id) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.resident_id, RIGHTARG = wagecheck.resident_id,
    FUNCTION = wagecheck.resident_id_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int8_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.resident_id_hash(wagecheck.resident_id) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR CLASS wagecheck.resident_id_ops
    DEFAULT FOR TYPE wagecheck.resident_id USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.resident_id_cmp(wagecheck.resident_id, wagecheck.resident_id),
        FUNCTION 2 wagecheck.resident_id_sortsupport(internal);

CREATE OPERATOR CLASS wagecheck.resident_id_ops
    DEFAULT FOR TYPE wagecheck.resident_id USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.resident_id_hash(wagecheck.resident_id),
        FUNCTION 2 wagecheck.resident_id_hash_extended(wagecheck.resident_id, bigint);
