-- 银行卡号 — worker wage card number (12-19 digits, Luhn)

CREATE TYPE wagecheck.bank_card;

CREATE FUNCTION wagecheck.bank_card_in(cstring) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.bank_card_out(wagecheck.bank_card) RETURNS cstring
    AS 'MODULE_PATHNAME', 'bank_card_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.bank_card_recv(internal) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.bank_card_send(wagecheck.bank_card) RETURNS bytea
    AS 'MODULE_PATHNAME', 'bank_card_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE wagecheck.bank_card (
    INPUT = wagecheck.bank_card_in,
    OUTPUT = wagecheck.bank_card_out,
    RECEIVE = wagecheck.bank_card_recv,
    SEND = wagecheck.bank_card_send,
    LIKE = pg_catalog.int8
);

-- Casts from and to text.
CREATE FUNCTION wagecheck.bank_card(text) RETURNS wagecheck.bank_card
    AS 'MODULE_PATHNAME', 'bank_card_from_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.text(wagecheck.bank_card) RETURNS text
    AS 'MODULE_PATHNAME', 'bank_card_to_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (text AS wagecheck.bank_card) WITH FUNCTION wagecheck.bank_card(text) AS ASSIGNMENT;
CREATE CAST (wagecheck.bank_card AS text) WITH FUNCTION wagecheck.text(wagecheck.bank_card) AS ASSIGNMENT;

-- Comparison: operators, btree and hash operator classes.

CREATE FUNCTION wagecheck.bank_card_eq(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_ne(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_lt(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_le(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_gt(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_ge(wagecheck.bank_card, wagecheck.bank_card) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_ident_int8_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR wagecheck.= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_eq,
    COMMUTATOR = OPERATOR(wagecheck.=), NEGATOR = OPERATOR(wagecheck.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);

CREATE OPERATOR wagecheck.<> (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_ne,
    COMMUTATOR = OPERATOR(wagecheck.<>), NEGATOR = OPERATOR(wagecheck.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

CREATE OPERATOR wagecheck.< (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_lt,
    COMMUTATOR = OPERATOR(wagecheck.>), NEGATOR = OPERATOR(wagecheck.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR wagecheck.<= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_le,
    COMMUTATOR = OPERATOR(wagecheck.>=), NEGATOR = OPERATOR(wagecheck.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR wagecheck.> (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_gt,
    COMMUTATOR = OPERATOR(wagecheck.<), NEGATOR = OPERATOR(wagecheck.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR wagecheck.>= (
    LEFTARG = wagecheck.bank_card, RIGHTARG = wagecheck.bank_card,
    FUNCTION = wagecheck.bank_card_ge,
    COMMUTATOR = OPERATOR(wagecheck.<=), NEGATOR = OPERATOR(wagecheck.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE FUNCTION wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'wc_ident_int8_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION wagecheck.bank_card_hash(wagecheck.bank_card) RETURNS integer
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'wc_ident_int8_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR CLASS wagecheck.bank_card_ops
    DEFAULT FOR TYPE wagecheck.bank_card USING btree AS
        OPERATOR 1 wagecheck.< ,
        OPERATOR 2 wagecheck.<= ,
        OPERATOR 3 wagecheck.= ,
        OPERATOR 4 wagecheck.>= ,
        OPERATOR 5 wagecheck.> ,
        FUNCTION 1 wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card),
        FUNCTION 2 wagecheck.bank_card_sortsupport(internal);

CREATE OPERATOR CLASS wagecheck.bank_card_ops
    DEFAULT FOR TYPE wagecheck.bank_card USING hash AS
        OPERATOR 1 wagecheck.= ,
        FUNCTION 1 wagecheck.bank_card_hash(wagecheck.bank_card),
        FUNCTION 2 wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint);
