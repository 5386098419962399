-- 统一社会信用代码, the definitions: comments, and the functions that are not the type's
-- support (the type, its I/O, operators, casts and operator classes: once/30_credit_code.sql).

COMMENT ON FUNCTION wagecheck.credit_code_in(cstring) IS
    'input function of type credit_code: 18 characters, full-width, lower case, spaces and hyphens accepted';
COMMENT ON FUNCTION wagecheck.credit_code_out(wagecheck.credit_code) IS
    'output function of type credit_code: the canonical form';
COMMENT ON FUNCTION wagecheck.credit_code_recv(internal) IS
    'binary input function of type credit_code: the canonical text, validated like text input';
COMMENT ON FUNCTION wagecheck.credit_code_send(wagecheck.credit_code) IS
    'binary output function of type credit_code: the canonical text';

COMMENT ON TYPE wagecheck.credit_code IS
    '统一社会信用代码, GB 32100-2015 unified social credit code of an enterprise or organisation';

-- The parts of the code.
CREATE OR REPLACE FUNCTION wagecheck.registration_authority(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_authority'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.registration_authority(wagecheck.credit_code) IS
    'registration authority, character 1 (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他, ...)';

CREATE OR REPLACE FUNCTION wagecheck.category(wagecheck.credit_code) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_code_category'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.category(wagecheck.credit_code) IS
    'entity category within the authority, character 2 (under 9: 1 企业, 2 个体工商户, 3 农民专业合作社)';

CREATE OR REPLACE FUNCTION wagecheck.region(wagecheck.credit_code) RETURNS wagecheck.division_code
    AS 'MODULE_PATHNAME', 'credit_code_region'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.region(wagecheck.credit_code) IS
    'division code of the registering authority (characters 3-8); NULL when that is not a province-level code, e.g. 100000 for central registrations';
COMMENT ON FUNCTION wagecheck.credit_code(text) IS
    'converts text to credit_code, validating it like text input (cast text AS credit_code)';
COMMENT ON FUNCTION wagecheck.text(wagecheck.credit_code) IS
    'the canonical text of a credit_code (cast credit_code AS text)';
COMMENT ON CAST (text AS wagecheck.credit_code) IS 'validates and normalises text into a credit_code';
COMMENT ON CAST (wagecheck.credit_code AS text) IS 'the canonical text of a credit_code';

CREATE OR REPLACE FUNCTION wagecheck.is_valid_credit_code(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_valid_credit_code'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_valid_credit_code(text) IS
    'true if the text is a valid credit_code (dirty forms included); never raises for bad input';
COMMENT ON FUNCTION wagecheck.credit_code_eq(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of = for credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_ne(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of <> for credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_lt(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of < for credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_le(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of <= for credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_gt(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of > for credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_ge(wagecheck.credit_code, wagecheck.credit_code) IS 'implementation of >= for credit_code';
COMMENT ON OPERATOR wagecheck.= (wagecheck.credit_code, wagecheck.credit_code) IS 'equal';
COMMENT ON OPERATOR wagecheck.<> (wagecheck.credit_code, wagecheck.credit_code) IS 'not equal';
COMMENT ON OPERATOR wagecheck.< (wagecheck.credit_code, wagecheck.credit_code) IS 'less than';
COMMENT ON OPERATOR wagecheck.<= (wagecheck.credit_code, wagecheck.credit_code) IS 'less than or equal';
COMMENT ON OPERATOR wagecheck.> (wagecheck.credit_code, wagecheck.credit_code) IS 'greater than';
COMMENT ON OPERATOR wagecheck.>= (wagecheck.credit_code, wagecheck.credit_code) IS 'greater than or equal';
COMMENT ON FUNCTION wagecheck.credit_code_cmp(wagecheck.credit_code, wagecheck.credit_code) IS 'btree comparison of credit_code values';
COMMENT ON FUNCTION wagecheck.credit_code_sortsupport(internal) IS 'btree sort support of credit_code';
COMMENT ON FUNCTION wagecheck.credit_code_hash(wagecheck.credit_code) IS 'hash of a credit_code (hash indexes, hash joins)';
COMMENT ON FUNCTION wagecheck.credit_code_hash_extended(wagecheck.credit_code, bigint) IS 'seeded 64-bit hash of a credit_code';
COMMENT ON OPERATOR CLASS wagecheck.credit_code_ops USING btree IS 'default btree operator class of credit_code';
COMMENT ON OPERATOR CLASS wagecheck.credit_code_ops USING hash IS 'default hash operator class of credit_code';
