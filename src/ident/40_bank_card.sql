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
