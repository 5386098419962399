-- The result types of the aggregates the indicator views use (12_view_aggregates.sql).
CREATE TYPE wagecheck.wage_month_summary AS (
    payable      numeric,
    net          numeric,
    paid         numeric,
    owed         numeric,
    workers_owed bigint,
    workers      bigint,
    workers_paid bigint,
    payments     bigint
);

CREATE TYPE wagecheck.roster_months AS (
    months  date[],
    workers bigint[]
);
