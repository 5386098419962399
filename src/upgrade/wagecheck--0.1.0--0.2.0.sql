-- wagecheck 0.1.0 -> 0.2.0. Every change to src/*/*.sql after the 0.1.0 release is
-- repeated here; test/upgrade.sh compares an upgraded database with a fresh install.
\echo Use "ALTER EXTENSION wagecheck UPDATE TO '0.2.0'" to load this file. \quit

-- ==== cases
-- SECURITY DEFINER functions search pg_temp last (a caller's temporary table cannot stand in).
ALTER FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_logged() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_child_logged() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_number_assign() SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_closeout_guard() SET search_path = pg_catalog, wagecheck, pg_temp;
