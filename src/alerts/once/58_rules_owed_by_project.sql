-- A month and pay terms: what WP02's and WP03's project evaluators and horizons pass around.
CREATE TYPE wagecheck.pay_term_month AS (period date, pay_day smallint, pay_month_offset smallint);
