-- The extension installs into its own schema and reports a library version
-- that matches the installed SQL.
CREATE EXTENSION wagecheck;
SELECT extversion = wagecheck.version() AS versions_match
  FROM pg_extension WHERE extname = 'wagecheck';
SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'wagecheck';
DROP EXTENSION wagecheck;
