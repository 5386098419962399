-- 银行卡号, the definitions: comments, and the functions that are not the type's
-- support (the type, its I/O, operators, casts and operator classes: once/40_bank_card.sql).

COMMENT ON FUNCTION wagecheck.bank_card_in(cstring) IS
    'input function of type bank_card: 12-19 digits, full-width, spaces and hyphens accepted';
COMMENT ON FUNCTION wagecheck.bank_card_out(wagecheck.bank_card) IS
    'output function of type bank_card: the canonical form';
COMMENT ON FUNCTION wagecheck.bank_card_recv(internal) IS
    'binary input function of type bank_card: the canonical text, validated like text input';
COMMENT ON FUNCTION wagecheck.bank_card_send(wagecheck.bank_card) IS
    'binary output function of type bank_card: the canonical text';

COMMENT ON TYPE wagecheck.bank_card IS
    'worker wage card number: 12-19 digits ending in a Luhn check digit; orders by length, then numerically';

CREATE OR REPLACE FUNCTION wagecheck.mask(wagecheck.bank_card) RETURNS text
    AS 'MODULE_PATHNAME', 'bank_card_mask'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.mask(wagecheck.bank_card) IS
    'the card number as 6222 **** **** 1234 (first and last four digits; length hidden) for roles that may not see it';
COMMENT ON FUNCTION wagecheck.bank_card(text) IS
    'converts text to bank_card, validating it like text input (cast text AS bank_card)';
COMMENT ON FUNCTION wagecheck.text(wagecheck.bank_card) IS
    'the canonical text of a bank_card (cast bank_card AS text)';
COMMENT ON CAST (text AS wagecheck.bank_card) IS 'validates and normalises text into a bank_card';
COMMENT ON CAST (wagecheck.bank_card AS text) IS 'the canonical text of a bank_card';

CREATE OR REPLACE FUNCTION wagecheck.is_valid_bank_card(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_bank_card'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_bank_card(text) IS
    'true if the text is a valid bank_card (dirty forms included); never raises for bad input';
COMMENT ON FUNCTION wagecheck.bank_card_eq(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of = for bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_ne(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of <> for bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_lt(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of < for bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_le(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of <= for bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_gt(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of > for bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_ge(wagecheck.bank_card, wagecheck.bank_card) IS 'implementation of >= for bank_card';
COMMENT ON OPERATOR wagecheck.= (wagecheck.bank_card, wagecheck.bank_card) IS 'equal';
COMMENT ON OPERATOR wagecheck.<> (wagecheck.bank_card, wagecheck.bank_card) IS 'not equal';
COMMENT ON OPERATOR wagecheck.< (wagecheck.bank_card, wagecheck.bank_card) IS 'less than';
COMMENT ON OPERATOR wagecheck.<= (wagecheck.bank_card, wagecheck.bank_card) IS 'less than or equal';
COMMENT ON OPERATOR wagecheck.> (wagecheck.bank_card, wagecheck.bank_card) IS 'greater than';
COMMENT ON OPERATOR wagecheck.>= (wagecheck.bank_card, wagecheck.bank_card) IS 'greater than or equal';
COMMENT ON FUNCTION wagecheck.bank_card_cmp(wagecheck.bank_card, wagecheck.bank_card) IS 'btree comparison of bank_card values';
COMMENT ON FUNCTION wagecheck.bank_card_sortsupport(internal) IS 'btree sort support of bank_card';
COMMENT ON FUNCTION wagecheck.bank_card_hash(wagecheck.bank_card) IS 'hash of a bank_card (hash indexes, hash joins)';
COMMENT ON FUNCTION wagecheck.bank_card_hash_extended(wagecheck.bank_card, bigint) IS 'seeded 64-bit hash of a bank_card';
COMMENT ON OPERATOR CLASS wagecheck.bank_card_ops USING btree IS 'default btree operator class of bank_card';
COMMENT ON OPERATOR CLASS wagecheck.bank_card_ops USING hash IS 'default hash operator class of bank_card';
