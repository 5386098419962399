-- The identifier types in the catalogue: every function marked on purpose, every
-- object commented, casts and operator classes in place.
CREATE EXTENSION wagecheck;

CREATE TEMP VIEW ident_types AS
  SELECT t.oid, t.typname FROM pg_type t
   WHERE t.typnamespace = 'wagecheck'::regnamespace
     AND t.typname IN ('resident_id', 'credit_code', 'bank_card', 'division_code');
-- The functions of the identifier area: its C symbols, and the one SQL function.
CREATE TEMP VIEW ident_functions AS
  SELECT p.* FROM pg_proc p
   WHERE p.pronamespace = 'wagecheck'::regnamespace
     AND ((p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
           AND p.prosrc ~ '^((resident_id|credit_code|bank_card|division_code)_|is_valid_(resident_id|credit_code|bank_card|division_code)$|wc_ident_|wc_credit_code_)')
          OR p.oid = 'wagecheck.age(wagecheck.resident_id)'::regprocedure);

-- Types: storage and comments.
SELECT t.typname, t.typlen, t.typbyval, t.typalign, t.typstorage, obj_description(t.oid, 'pg_type') IS NOT NULL AS commented
  FROM pg_type t JOIN ident_types i ON i.oid = t.oid ORDER BY t.typname;

-- Functions: every one strict and parallel safe, and commented. Only those that look at
-- today's date (a birth date may not lie in the future) are STABLE; all others IMMUTABLE.
SELECT count(*) AS functions,
       count(*) FILTER (WHERE proisstrict) AS strict,
       count(*) FILTER (WHERE proparallel = 's') AS parallel_safe,
       count(*) FILTER (WHERE obj_description(oid, 'pg_proc') IS NOT NULL) AS commented
  FROM ident_functions;
SELECT oid::regprocedure AS function, provolatile
  FROM ident_functions WHERE provolatile <> 'i' ORDER BY oid::regprocedure::text;
SELECT oid::regprocedure AS function, 'not commented' AS problem
  FROM ident_functions WHERE obj_description(oid, 'pg_proc') IS NULL
UNION ALL
SELECT oid::regprocedure, 'not strict or not parallel safe'
  FROM ident_functions WHERE NOT proisstrict OR proparallel <> 's';

-- Operators: commented, with commutators and negators; = hashes and merges.
SELECT o.oprname, o.oprleft::regtype, o.oprcanhash AS hashes, o.oprcanmerge AS merges,
       o.oprcom <> 0 AS has_commutator, o.oprnegate <> 0 AS has_negator,
       obj_description(o.oid, 'pg_operator') IS NOT NULL AS commented
  FROM pg_operator o
 WHERE o.oprnamespace = 'wagecheck'::regnamespace AND o.oprleft IN (SELECT oid FROM ident_types)
 ORDER BY o.oprleft::regtype::text, o.oprname;

-- Default btree and hash operator classes for each type.
SELECT t.typname, am.amname, c.opcname, c.opcdefault
  FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod JOIN ident_types t ON t.oid = c.opcintype
 ORDER BY t.typname, am.amname;

-- Casts from and to text, applied on assignment.
SELECT c.castsource::regtype, c.casttarget::regtype, c.castcontext, c.castmethod,
       obj_description(c.oid, 'pg_cast') IS NOT NULL AS commented
  FROM pg_cast c
 WHERE c.castsource IN (SELECT oid FROM ident_types) OR c.casttarget IN (SELECT oid FROM ident_types)
 ORDER BY c.castsource::regtype::text, c.casttarget::regtype::text;

DROP VIEW ident_functions, ident_types;
DROP EXTENSION wagecheck;
