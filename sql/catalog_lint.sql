-- catalog_lint: extension-wide rules every wagecheck object keeps, read from the catalogs
-- (each query lists the offenders: an empty result is a pass; a listed exception says why).
CREATE EXTENSION wagecheck;

-- every function that runs SQL resolves names safely: a pinned search_path, or a
-- SQL-standard body (RETURN/BEGIN ATOMIC), whose names are bound when it is created;
-- except the procedure mirror_backfill, which commits between batches (a SET clause
-- forbids it): it is no SECURITY DEFINER and names wagecheck's objects with their schema
SELECT p.oid::regprocedure AS unpinned
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'wagecheck'::regnamespace
   AND l.lanname NOT IN ('c', 'internal')
   AND p.prosqlbody IS NULL
   AND p.oid <> 'wagecheck.mirror_backfill(regclass,integer,boolean)'::regprocedure
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
 ORDER BY 1;

-- SECURITY DEFINER only with a pinned search_path that ends with pg_temp
SELECT p.oid::regprocedure AS definer, p.proconfig
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*pg_temp$')
 ORDER BY 1;
SELECT count(*) AS security_definer_functions
  FROM pg_proc p WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.prosecdef;

-- SECURITY DEFINER functions cannot be run by PUBLIC, triggers included (CREATE TRIGGER
-- needs EXECUTE: a trigger function open to PUBLIC could be attached to anyone's table)
SELECT p.oid::regprocedure AS definer_open_to_public
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.prosecdef
   AND has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY 1;

-- stable or immutable functions that are not PARALLEL SAFE, each for a reason:
-- check_mapping reads the catalogs through SPI; the four plpgsql readers of a scan's
-- building blocks read temporary tables, which parallel workers cannot see
SELECT p.oid::regprocedure AS not_parallel_safe, p.provolatile, p.proparallel
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.provolatile <> 'v' AND p.proparallel <> 's'
 ORDER BY 1;

-- aggregates can run in parallel: combine, and serialise an internal state
SELECT a.aggfnoid::regprocedure AS aggregate_not_parallel
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.pronamespace = 'wagecheck'::regnamespace
   AND (a.aggcombinefn = 0 OR p.proparallel <> 's'
        OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)))
 ORDER BY 1;

-- every table holds registered data (pg_dump keeps it), unless its comment says it is
-- derived (rebuilt from the registered tables)
SELECT c.oid::regclass AS table_not_dumped
  FROM pg_class c
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p')
   AND c.oid NOT IN (SELECT unnest(e.extconfig) FROM pg_extension e WHERE e.extname = 'wagecheck')
   AND coalesce(obj_description(c.oid, 'pg_class'), '') !~* '\mderived\M'
 ORDER BY 1;

-- every identity sequence is registered too, so restored ids continue
SELECT s.oid::regclass AS sequence_not_dumped
  FROM pg_class s
 WHERE s.relnamespace = 'wagecheck'::regnamespace AND s.relkind = 'S'
   AND s.oid NOT IN (SELECT unnest(e.extconfig) FROM pg_extension e WHERE e.extname = 'wagecheck')
   AND EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
                WHERE d.objid = s.oid AND d.deptype IN ('a', 'i')
                  AND t.oid IN (SELECT unnest(e.extconfig) FROM pg_extension e WHERE e.extname = 'wagecheck'))
 ORDER BY 1;

-- money is numeric(14,2), never float
SELECT a.attrelid::regclass AS "table", a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0
   AND NOT a.attisdropped AND a.atttypid IN ('real'::regtype, 'double precision'::regtype, 'money'::regtype)
 ORDER BY 1, 2;
SELECT a.attrelid::regclass AS "table", a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0
   AND NOT a.attisdropped
   AND a.attname ~ '(amount|balance|payable|deductions|^net$|^paid$|owed|wage_rate|contract_value|value$)'
   AND a.attname !~ '^months_' AND format_type(a.atttypid, a.atttypmod) <> 'numeric(14,2)'
 ORDER BY 1, 2;

-- every table of project data that a county or sector officer may read has row-level
-- security on (their scope in wagecheck.officer_scope decides which rows)
SELECT c.oid::regclass AS readable_without_rls
  FROM pg_class c
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p')
   AND NOT c.relrowsecurity
   AND (has_table_privilege('wagecheck_county', c.oid, 'SELECT')
        OR has_table_privilege('wagecheck_sector', c.oid, 'SELECT'))
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'project_id'
                AND NOT a.attisdropped)
 ORDER BY 1;

DROP EXTENSION wagecheck CASCADE;
