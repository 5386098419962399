-- Guards of every money column and business date: each numeric column refuses NaN and
-- infinity (<table>_<column>_finite; account_txn.amount and wage_payment.amount are
-- positive: <table>_<column>_positive), each date and timestamptz column refuses infinity
-- and anything outside 2000-01-01 .. 2099-12-31, Beijing time (<table>_<column>_plausible).
-- The checks are C functions that raise a message naming the column (SQLSTATE 23514, with
-- the schema, table, column and constraint fields set), not "Failing row contains (...)".
-- A few derived columns keep an infinite placeholder by design and accept only that one:
-- wage_month.known_to (infinity), wage_month.settled_at, attendance_project_month.known_to
-- and last_day, rule_scan.scanned_to (-infinity).

-- The check functions; the constraints that call them: once/20_constraints.sql (added once
-- every table exists; an upgrade adds them after the definitions, 0.1.0--0.2.0.post.sql).

CREATE OR REPLACE FUNCTION wagecheck._finite(value numeric, tab text, col text, unit text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_finite'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._finite(numeric, text, text, text) IS
    'check of a numeric column: true, or an error naming the column for NaN or infinity (internal)';

CREATE OR REPLACE FUNCTION wagecheck._positive_fen(value numeric, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_positive_fen'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._positive_fen(numeric, text, text) IS
    'check of a positive amount in whole fen: true, or an error naming the column for zero (an amount under 0.005 rounded to 0.00), a negative amount, NaN or infinity (internal)';

CREATE OR REPLACE FUNCTION wagecheck._plausible(value date, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_plausible_date'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._plausible(date, text, text) IS
    'check of a business date: true, or an error naming the column for infinity or a date outside 2000-01-01 .. 2099-12-31 (internal)';

CREATE OR REPLACE FUNCTION wagecheck._plausible(value timestamptz, tab text, col text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wc_check_plausible_time'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._plausible(timestamptz, text, text) IS
    'check of a business time: true, or an error naming the column for infinity or a time outside 2000-01-01 .. 2099-12-31 Beijing time (internal)';
