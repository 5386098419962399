-- 0.1.0 -> 0.2.0, after the definitions: what needs the new functions.

-- ==== the guards of every money column and business date (they call the check functions of
-- src/values/10_checks.sql): the existing rows must pass them
\ir ../values/once/20_constraints.sql

-- ==== the summaries new in 0.2.0, computed from the rows
SELECT wagecheck.rebuild_summaries();
