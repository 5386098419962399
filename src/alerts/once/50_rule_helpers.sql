-- What the rules' building blocks and evaluators read through, created once: indexes on the
-- domain tables and a type of the pay-terms building blocks.

-- Finds the pay terms in use (_pay_dates_passing) and the projects using them without reading
-- the roster (RN04, WP01, and WP02 and WP03 horizons).
CREATE INDEX roster_pay_terms ON wagecheck.roster (pay_day, pay_month_offset, project_id);

-- A month and pay terms: what WP02's and WP03's project evaluators and horizons pass around.
CREATE TYPE wagecheck.pay_term_month AS (period date, pay_day smallint, pay_month_offset smallint);

-- The labour cost paid into the dedicated accounts (AC02): a partial index holding the few
-- inflows of labour cost with what AC02 reads of them (an index-only scan, not a pass over
-- every movement of every account).
CREATE INDEX account_txn_labour_in ON wagecheck.account_txn (account_id) INCLUDE (amount, booked_at, created_at)
    WHERE direction = 'in' AND purpose = 'labour_cost';
