-- wage_month_agg(payable, net, paid, payments): the sums and counts the indicator views take
-- of wage_month's rows per project and month, in one C call per row, exactly in whole cents
-- (the eight SQL aggregates it replaces cost most of a twelve-month trend). It uses the
-- indicator aggregates' state, combine, serial and deserial functions (10_aggregates.sql).
COMMENT ON TYPE wagecheck.wage_month_summary IS 'result of wagecheck.wage_month_agg: a group of wage_month rows (one per worker and month) summed';
COMMENT ON COLUMN wagecheck.wage_month_summary.payable IS 'sum of payable (应发)';
COMMENT ON COLUMN wagecheck.wage_month_summary.net IS 'sum of net (实发: payable minus withholdings)';
COMMENT ON COLUMN wagecheck.wage_month_summary.paid IS 'sum of paid';
COMMENT ON COLUMN wagecheck.wage_month_summary.owed IS 'sum over rows of net minus paid where positive (an overpaid row pays no other)';
COMMENT ON COLUMN wagecheck.wage_month_summary.workers_owed IS 'rows with net above paid';
COMMENT ON COLUMN wagecheck.wage_month_summary.workers IS 'rows';
COMMENT ON COLUMN wagecheck.wage_month_summary.workers_paid IS 'rows with paid above zero';
COMMENT ON COLUMN wagecheck.wage_month_summary.payments IS 'sum of payments (the payments each row counts)';

CREATE OR REPLACE FUNCTION wagecheck.wage_month_agg_trans(internal, numeric, numeric, numeric, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_wage_month_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.wage_month_agg_trans(internal, numeric, numeric, numeric, integer) IS 'transition function of wagecheck.wage_month_agg';
CREATE OR REPLACE FUNCTION wagecheck.wage_month_agg_final(internal) RETURNS wagecheck.wage_month_summary
    AS 'MODULE_PATHNAME', 'wc_wage_month_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.wage_month_agg_final(internal) IS 'final function of wagecheck.wage_month_agg';
-- SSPACE: the state and its four entries, so that the planner hashes 20,000 groups in work_mem
CREATE OR REPLACE AGGREGATE wagecheck.wage_month_agg(payable numeric, net numeric, paid numeric, payments integer) (
    SFUNC = wagecheck.wage_month_agg_trans, STYPE = internal, SSPACE = 160,
    FINALFUNC = wagecheck.wage_month_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.wage_month_agg(numeric, numeric, numeric, integer) IS 'wage_month rows summed (feed one row per worker and month: payable, net, paid, number of payments): payable, net, paid, owed (net above paid, row by row), workers owed, on the sheets and paid, payments; exact in whole cents; rows with a NULL are ignored';

-- roster_months_agg(worker, start_on, end_on, today): a project's roster size per month as the
-- months it changes and the size from each, from its entries in one pass (a worker counts once
-- in a month, whatever his entries); a month's size is workers[width_bucket(month, months)].
-- The state keeps each worker's runs of months, united where they overlap or adjoin, so
-- partial states merge exactly; the final function compacts it in place and may run again.
COMMENT ON TYPE wagecheck.roster_months IS 'result of wagecheck.roster_months_agg: the months a roster''s size changes, ascending, and the size from each until the next';
COMMENT ON COLUMN wagecheck.roster_months.months IS 'first days of the months the number of workers on the roster changes, ascending';
COMMENT ON COLUMN wagecheck.roster_months.workers IS 'workers on the roster from the month at the same position until the next (0 after the last entry ends)';
CREATE OR REPLACE FUNCTION wagecheck.roster_months_agg_trans(internal, bigint, date, date, date) RETURNS internal
    AS 'MODULE_PATHNAME', 'wc_roster_months_agg_trans'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.roster_months_agg_trans(internal, bigint, date, date, date) IS 'transition function of wagecheck.roster_months_agg';
CREATE OR REPLACE FUNCTION wagecheck.roster_months_agg_final(internal) RETURNS wagecheck.roster_months
    AS 'MODULE_PATHNAME', 'wc_roster_months_agg_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.roster_months_agg_final(internal) IS 'final function of wagecheck.roster_months_agg';
CREATE OR REPLACE AGGREGATE wagecheck.roster_months_agg(worker_id bigint, start_on date, end_on date, today date) (
    SFUNC = wagecheck.roster_months_agg_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = wagecheck.roster_months_agg_final,
    COMBINEFUNC = wagecheck.indicator_combine,
    SERIALFUNC = wagecheck.indicator_serial, DESERIALFUNC = wagecheck.indicator_deserial,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE wagecheck.roster_months_agg(bigint, date, date, date) IS 'workers on a roster per month from its entries (worker, start_on, end_on: NULL while open; counted until the month of today at the latest; a worker once per month): the months the number changes and the number from each; rows without worker, start_on or today are ignored';
