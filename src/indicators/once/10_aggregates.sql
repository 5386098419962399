-- Indicators: C aggregates computing the arrears indicators of alerts.md from raw rows.
-- Every aggregate ignores a row in which any argument is NULL (like a strict
-- aggregate), returns NULL for a group without any non-NULL row (like sum), keeps
-- money exactly in whole cents (22003 beyond ±92233720368547758.07, 22023 for
-- sub-cent or negative amounts), and is PARALLEL SAFE with a combine function
-- and serial/deserial functions, so partial states from parallel workers merge
-- exactly.

CREATE TYPE wagecheck.owed_summary AS (
    payable           numeric,
    paid              numeric,
    owed              numeric,
    months            integer,
    months_owed       integer,
    longest_run       integer,
    current_run       integer,
    longest_run_start date,
    oldest_unpaid     date,
    last_month        date
);

CREATE TYPE wagecheck.labour_cost_summary AS (
    due            numeric,
    paid           numeric,
    shortfall      numeric,
    not_yet_due    numeric,
    days_overdue   integer,
    max_days_late  integer,
    late_count     integer,
    oldest_unpaid_due date,
    as_of          date
);

CREATE TYPE wagecheck.coverage_summary AS (
    workers               bigint,
    rostered              bigint,
    attended              bigint,
    on_payroll            bigint,
    paid                  bigint,
    attended_on_payroll   bigint,
    attended_paid         bigint,
    attended_not_rostered bigint,
    paid_not_rostered     bigint,
    payments              bigint
);
