-- Calendar: the Chinese (lunisolar) calendar and its festivals, from ICU's Chinese
-- calendar corrected to the official dates (src/core/lunar.c), lunar years 1929-2100.
-- IMMUTABLE: the official calendar does not change; `make test` checks every month of
-- 1929-2100 against a precise new-moon computation with the ICU wagecheck is built with.

CREATE OR REPLACE FUNCTION wagecheck.lunar_to_gregorian(year integer, month integer, day integer,
                                             leap boolean DEFAULT false) RETURNS date
    AS 'MODULE_PATHNAME', 'wagecheck_lunar_to_gregorian'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.lunar_to_gregorian(integer, integer, integer, boolean) IS
    'the date of a Chinese-calendar date: lunar year (the Gregorian year it starts in), month 1-12, day 1-30, leap = true for the leap month (闰月); years 1929-2100';

CREATE OR REPLACE FUNCTION wagecheck.gregorian_to_lunar(date, OUT year integer, OUT month integer,
                                             OUT day integer, OUT leap boolean)
    AS 'MODULE_PATHNAME', 'wagecheck_gregorian_to_lunar'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.gregorian_to_lunar(date) IS
    'the Chinese-calendar date of a date: lunar year, month, day and whether the month is the leap month (闰月)';

CREATE OR REPLACE FUNCTION wagecheck.spring_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false);
COMMENT ON FUNCTION wagecheck.spring_festival(integer) IS
    'the Spring Festival (春节, lunar 1/1) of a Gregorian year, e.g. the deadline "before the Spring Festival of year Y"';

CREATE OR REPLACE FUNCTION wagecheck.lunar_new_year(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false);
COMMENT ON FUNCTION wagecheck.lunar_new_year(integer) IS
    'the first day of the lunar year starting in a Gregorian year (lunar 1/1): the same day as spring_festival(year)';

CREATE OR REPLACE FUNCTION wagecheck.chinese_new_years_eve(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 1, false) - 1;
COMMENT ON FUNCTION wagecheck.chinese_new_years_eve(integer) IS
    'Chinese New Year''s Eve (除夕): the last day of the lunar year, the eve of spring_festival(year), a day off since 2025';

CREATE OR REPLACE FUNCTION wagecheck.lantern_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 1, 15, false);
COMMENT ON FUNCTION wagecheck.lantern_festival(integer) IS
    'the Lantern Festival (元宵节, lunar 1/15) of a Gregorian year';

CREATE OR REPLACE FUNCTION wagecheck.dragon_boat_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 5, 5, false);
COMMENT ON FUNCTION wagecheck.dragon_boat_festival(integer) IS
    'the Dragon Boat Festival (端午节, lunar 5/5) of a Gregorian year';

CREATE OR REPLACE FUNCTION wagecheck.mid_autumn_festival(year integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN wagecheck.lunar_to_gregorian(year, 8, 15, false);
COMMENT ON FUNCTION wagecheck.mid_autumn_festival(integer) IS
    'the Mid-Autumn Festival (中秋节, lunar 8/15) of a Gregorian year';
