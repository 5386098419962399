-- Indicators, the definitions: the C aggregates' functions and the aggregates, and the
-- comments of their result types (types: once/10_aggregates.sql).

COMMENT ON TYPE wagecheck.owed_summary IS 'result of wagecheck.owed_agg: wages payable, paid and owed over the months of a group, and runs of months owed';
COMMENT ON COLUMN wagecheck.owed_summary.payable IS 'wages payable (应发), all months';
COMMENT ON COLUMN wagecheck.owed_summary.paid IS 'wages paid against those months';
COMMENT ON COLUMN wagecheck.owed_summary.owed IS 'sum over months of payable minus paid where positive: an overpaid month does not pay another';
COMMENT ON COLUMN wagecheck.owed_summary.months IS 'months with at least one row';
COMMENT ON COLUMN wagecheck.owed_summary.months_owed IS 'months with something owed';
COMMENT ON COLUMN wagecheck.owed_summary.longest_run IS 'longest run of consecutive calendar months owed (WP03); a month without rows breaks a run';
COMMENT ON COLUMN wagecheck.owed_summary.current_run IS 'run of months owed ending at last_month (0 when last_month is paid)';
COMMENT ON COLUMN wagecheck.owed_summary.longest_run_start IS 'first month of the (earliest) longest run; NULL when nothing is owed';
COMMENT ON COLUMN wagecheck.owed_summary.oldest_unpaid IS 'oldest month with something owed; NULL when nothing is owed';
COMMENT ON COLUMN wagecheck.owed_summary.last_month IS 'latest month with a row';
COMMENT ON TYPE wagecheck.labour_cost_summary IS 'result of wagecheck.labour_cost_agg: labour cost (人工费用) due by the schedule against payments into the dedicated account, as of a day';
COMMENT ON COLUMN wagecheck.labour_cost_summary.due IS 'labour cost whose due date is on or before as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.paid IS 'labour cost paid in on or before as_of (later inflows were not known then)';
COMMENT ON COLUMN wagecheck.labour_cost_summary.shortfall IS 'part of due not covered by payments, oldest dues settled first (AC02)';
COMMENT ON COLUMN wagecheck.labour_cost_summary.not_yet_due IS 'labour cost scheduled after as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.days_overdue IS 'as_of minus the due date of the oldest due not yet covered; 0 when covered or due today';
COMMENT ON COLUMN wagecheck.labour_cost_summary.max_days_late IS 'longest wait of any due in days: settled late, or still open at as_of';
COMMENT ON COLUMN wagecheck.labour_cost_summary.late_count IS 'dues settled after their due date or still open past it';
COMMENT ON COLUMN wagecheck.labour_cost_summary.oldest_unpaid_due IS 'due date of the oldest due not yet covered; NULL when all is covered';
COMMENT ON COLUMN wagecheck.labour_cost_summary.as_of IS 'the day the figures are computed for';
COMMENT ON TYPE wagecheck.coverage_summary IS 'result of wagecheck.coverage_agg: distinct workers of a group by roster, attendance, pay sheet and payment';
COMMENT ON COLUMN wagecheck.coverage_summary.workers IS 'distinct workers seen in any row';
COMMENT ON COLUMN wagecheck.coverage_summary.rostered IS 'workers with a row saying rostered';
COMMENT ON COLUMN wagecheck.coverage_summary.attended IS 'workers with a row saying attended';
COMMENT ON COLUMN wagecheck.coverage_summary.on_payroll IS 'workers with a row saying on the pay sheet';
COMMENT ON COLUMN wagecheck.coverage_summary.paid IS 'workers with a row saying paid';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_on_payroll IS 'workers who attended and are on the pay sheet (RN04 counts attended minus this)';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_paid IS 'workers who attended and were paid';
COMMENT ON COLUMN wagecheck.coverage_summary.attended_not_rostered IS 'workers who attended without a roster row (real-name gap)';
COMMENT ON COLUMN wagecheck.coverage_summary.paid_not_rostered IS 'workers paid without a roster row (RN01)';
COMMENT ON COLUMN wagecheck.coverage_summary.payments IS 'rows saying paid (one per payment when fed from wage_payment)';

-- Shared support functions: the state records which aggregate it belongs to.
CREATE OR REPLACE FUNCTION wagecheck.indicator_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_indicator_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_combine(internal, internal) IS 'combine function of the indicator aggregates: merges two partial states exactly';
CREATE OR REPLACE FUNCTION wagecheck.indicator_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'wc_indicator_serial'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_serial(internal) IS 'serial function of the indicator aggregates (portable little-endian bytes)';
CREATE OR REPLACE FUNCTION wagecheck.indicator_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_indicator_deserial'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.indicator_deserial(bytea, internal) IS 'deserial function of the indicator aggregates: validates the bytes fully';

-- owed_agg(month, payable, paid)
CREATE OR REPLACE FUNCTION wagecheck.owed_agg_trans(internal, date, numeric, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_owed_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.owed_agg_trans(internal, date, numeric, numeric) IS 'transition function of wagecheck.owed_agg';
CREATE OR REPLACE FUNCTION wagecheck.owed_agg_final(internal) RETURNS wagecheck.owed_summary
    AS 'MODULE_PATHNAME', 'wc_owed_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.owed_agg_final(internal) IS 'final function of wagecheck.owed_agg';
CREATE OR REPLACE AGGREGATE wagecheck.owed_agg(month date, payable numeric, paid numeric) (
    SFUNC = wagecheck.owed_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.owed_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.owed_agg(date, numeric, numeric) IS 'wages owed over months (any day of a month counts for its month): payable, paid, owed, months owed, longest run of consecutive months owed, oldest month unpaid; rows with a NULL are ignored';

-- labour_cost_agg(on, due, paid, as_of)
CREATE OR REPLACE FUNCTION wagecheck.labour_cost_agg_trans(internal, date, numeric, numeric, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_labour_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.labour_cost_agg_trans(internal, date, numeric, numeric, date) IS 'transition function of wagecheck.labour_cost_agg';
CREATE OR REPLACE FUNCTION wagecheck.labour_cost_agg_final(internal) RETURNS wagecheck.labour_cost_summary
    AS 'MODULE_PATHNAME', 'wc_labour_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.labour_cost_agg_final(internal) IS 'final function of wagecheck.labour_cost_agg';
CREATE OR REPLACE AGGREGATE wagecheck.labour_cost_agg("on" date, due numeric, paid numeric, as_of date) (
    SFUNC = wagecheck.labour_cost_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.labour_cost_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.labour_cost_agg(date, numeric, numeric, date) IS 'labour cost due (schedule rows: due on their due date) against inflows (paid on their booking day), as of a day the same for the whole group: shortfall, days overdue, lateness; rows with a NULL are ignored';

-- coverage_agg(worker, rostered, attended, on_payroll, paid)
CREATE OR REPLACE FUNCTION wagecheck.coverage_agg_trans(internal, bigint, boolean, boolean, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_coverage_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.coverage_agg_trans(internal, bigint, boolean, boolean, boolean, boolean) IS 'transition function of wagecheck.coverage_agg';
CREATE OR REPLACE FUNCTION wagecheck.coverage_agg_final(internal) RETURNS wagecheck.coverage_summary
    AS 'MODULE_PATHNAME', 'wc_coverage_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.coverage_agg_final(internal) IS 'final function of wagecheck.coverage_agg';
CREATE OR REPLACE AGGREGATE wagecheck.coverage_agg(worker_id bigint, rostered boolean, attended boolean, on_payroll boolean, paid boolean) (
    SFUNC = wagecheck.coverage_agg_trans, STYPE = internal,
    FINALFUNC = wagecheck.coverage_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.coverage_agg(bigint, boolean, boolean, boolean, boolean) IS 'attendance versus payroll: distinct workers by roster, attendance, pay sheet and payment (feed one row per roster entry, attendance day, pay line or payment); rows with a NULL are ignored';
