#!/usr/bin/env bash
# Calendar speed as ratios within one run: wagecheck's working-day and lunar functions
# against the plain date arithmetic they replace, over 1,000,000 rows each.
set -euo pipefail
$PSQL -d postgres <<'SQL'
SET client_min_messages = warning;
DROP DATABASE IF EXISTS wc_bench_calendar;
CREATE DATABASE wc_bench_calendar;
\c wc_bench_calendar
CREATE EXTENSION wagecheck;
SET client_min_messages = warning;   -- the fallback NOTICE for years without data
DO $$
DECLARE
    t0 timestamptz;
    plain_add interval; wc_add interval; plain_dow interval; wc_dow interval;
    plain_make interval; wc_sf interval;
BEGIN
    PERFORM wagecheck.add_working_days('2024-01-01', 1), wagecheck.spring_festival(2024);  -- warm caches
    t0 := clock_timestamp();
    PERFORM count(DATE '2020-01-01' + i % 2400 + 350) FROM generate_series(1, 1000000) i;
    plain_add := clock_timestamp() - t0; t0 := clock_timestamp();
    PERFORM count(wagecheck.add_working_days(DATE '2020-01-01' + i % 2400, 250))
       FROM generate_series(1, 1000000) i;
    wc_add := clock_timestamp() - t0; t0 := clock_timestamp();
    PERFORM count(*) FILTER (WHERE extract(isodow FROM DATE '2020-01-01' + i % 2400) < 6)
       FROM generate_series(1, 1000000) i;
    plain_dow := clock_timestamp() - t0; t0 := clock_timestamp();
    PERFORM count(*) FILTER (WHERE wagecheck.is_working_day(DATE '2020-01-01' + i % 2400))
       FROM generate_series(1, 1000000) i;
    wc_dow := clock_timestamp() - t0; t0 := clock_timestamp();
    PERFORM count(make_date(1929 + i % 172, 1, 1)) FROM generate_series(1, 1000000) i;
    plain_make := clock_timestamp() - t0; t0 := clock_timestamp();
    PERFORM count(wagecheck.spring_festival(1929 + i % 172)) FROM generate_series(1, 1000000) i;
    wc_sf := clock_timestamp() - t0;
    RAISE WARNING '%', format(E'\n  %-45s %s vs %s  ratio %s\n  %-45s %s vs %s  ratio %s\n  %-45s %s vs %s  ratio %s',
        'add_working_days(d, 250) vs d + 350:', wc_add, plain_add,
        round((extract(epoch FROM wc_add) / extract(epoch FROM plain_add))::numeric, 2),
        'is_working_day(d) vs extract(isodow) < 6:', wc_dow, plain_dow,
        round((extract(epoch FROM wc_dow) / extract(epoch FROM plain_dow))::numeric, 2),
        'spring_festival(y) vs make_date(y, 1, 1):', wc_sf, plain_make,
        round((extract(epoch FROM wc_sf) / extract(epoch FROM plain_make))::numeric, 2));
END $$;
\c postgres
DROP DATABASE wc_bench_calendar;
SQL
