-- Calendar, the definitions: the holiday cache's triggers and the working-day arithmetic
-- (the holiday table: once/10_holiday.sql, its shipped rows: once/20_holiday_data.sql).

COMMENT ON TABLE wagecheck.holiday IS
    'days that depart from the Monday-Friday week: public holidays (off) and swapped working weekends (调休, work), as announced by the State Council each year; a year with no row here uses Saturday/Sunday rest days';
COMMENT ON COLUMN wagecheck.holiday.day IS 'the date';
COMMENT ON COLUMN wagecheck.holiday.kind IS 'off: a day off (holiday or rest day moved onto a weekday); work: a working day (a weekend day worked in exchange)';
COMMENT ON COLUMN wagecheck.holiday.name IS 'the holiday the arrangement belongs to, e.g. 春节, 国庆节';
COMMENT ON COLUMN wagecheck.holiday.shipped IS 'true for the arrangements installed with wagecheck; rows added by users are false and are the ones pg_dump saves';

GRANT SELECT ON wagecheck.holiday TO PUBLIC;

CREATE OR REPLACE FUNCTION wagecheck.holiday_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_holiday_changed'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.holiday_changed() IS
    'statement trigger of wagecheck.holiday: invalidates the holiday cache of every backend (others see the change after commit)';

CREATE OR REPLACE TRIGGER holiday_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wagecheck.holiday
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.holiday_changed();
COMMENT ON TRIGGER holiday_changed ON wagecheck.holiday IS
    'keeps the per-backend holiday cache of the working-day functions fresh';

CREATE OR REPLACE FUNCTION wagecheck.holiday_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_holiday_guard'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.holiday_guard() IS
    'trigger of wagecheck.holiday: refuses to add, change, delete or truncate shipped arrangements outside wagecheck''s own scripts (pg_dump keeps only rows users added)';

CREATE OR REPLACE TRIGGER holiday_guard
    BEFORE INSERT OR UPDATE OR DELETE ON wagecheck.holiday
    FOR EACH ROW EXECUTE FUNCTION wagecheck.holiday_guard();
COMMENT ON TRIGGER holiday_guard ON wagecheck.holiday IS
    'keeps shipped rows (shipped = true) as shipped, so that a dump and restore loses nothing';
CREATE OR REPLACE TRIGGER holiday_guard_truncate
    BEFORE TRUNCATE ON wagecheck.holiday
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.holiday_guard();
COMMENT ON TRIGGER holiday_guard_truncate ON wagecheck.holiday IS
    'TRUNCATE would remove the shipped rows: refused (DELETE FROM wagecheck.holiday WHERE NOT shipped removes the rows users added)';

CREATE OR REPLACE FUNCTION wagecheck.is_working_day(date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_is_working_day'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.is_working_day(date) IS
    'true when the date is a working day: per wagecheck.holiday where it has a row, else Monday to Friday';

CREATE OR REPLACE FUNCTION wagecheck.add_working_days(date, integer) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_add_working_days'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.add_working_days(date, integer) IS
    'the n-th working day after the date (n > 0), before it (n < 0), or the date itself (n = 0), e.g. a deadline of n working days (工作日)';

CREATE OR REPLACE FUNCTION wagecheck.working_days_between(date, date) RETURNS integer
    AS 'MODULE_PATHNAME', 'wagecheck_working_days_between'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.working_days_between(date, date) IS
    'working days in (a, b]: after a, up to and including b; negative when b < a; working_days_between(a, add_working_days(a, n)) = n for n >= 0';

CREATE OR REPLACE FUNCTION wagecheck.pay_day(date) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_pay_day'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.pay_day(date) IS
    'the actual pay day of a nominal pay day: the date itself when it is a working day, else the last working day before it (工资支付暂行规定 art. 7; Decree 724 art. 14)';
