-- upgrade_snapshot.sql: one line per fact of wagecheck's catalog state, for test/upgrade.sh.
-- pg_dump leaves out an extension's member objects, so their definitions are read here.
WITH m AS (
    SELECT d.classid, d.objid, d.objsubid
      FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE d.refclassid = 'pg_extension'::regclass AND e.extname = 'wagecheck' AND d.deptype = 'e'
),
facts AS (
    -- every member object, its comment and its grants
    SELECT pg_describe_object(m.classid, m.objid, m.objsubid) || ' comment: '
           || coalesce(obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)), '-') AS f
      FROM m
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure || ': ' || pg_get_functiondef(p.oid)
           || ' acl ' || coalesce(p.proacl::text, '-')
      FROM pg_proc p JOIN m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
     WHERE p.prokind IN ('f', 'p')
    UNION ALL
    SELECT 'aggregate ' || p.oid::regprocedure || ': ' || row(a.aggkind, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
           a.aggserialfn, a.aggdeserialfn, a.aggtranstype::regtype, a.agginitval, a.aggfinalmodify)::text
           || ' ' || row(p.provolatile, p.proparallel, p.proisstrict)::text || ' acl ' || coalesce(p.proacl::text, '-')
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
      JOIN m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' rls ' || c.relrowsecurity || '/' || c.relforcerowsecurity
           || ' options ' || coalesce(c.reloptions::text, '-') || ' acl ' || coalesce(c.relacl::text, '-')
      FROM pg_class c JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
    UNION ALL
    SELECT 'column ' || c.oid::regclass || '.' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
           || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END
           || ' comment: ' || coalesce(col_description(c.oid, a.attnum), '-')
           || ' acl ' || coalesce(a.attacl::text, '-')
      FROM pg_class c JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT 'view ' || c.oid::regclass || ': ' || pg_get_viewdef(c.oid)
      FROM pg_class c JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
     WHERE c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'constraint ' || r.conrelid::regclass || ' ' || r.conname || ': ' || pg_get_constraintdef(r.oid)
      FROM pg_constraint r JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = r.conrelid
    UNION ALL
    SELECT 'domain constraint ' || r.contypid::regtype || ' ' || r.conname || ': ' || pg_get_constraintdef(r.oid)
      FROM pg_constraint r JOIN m ON m.classid = 'pg_type'::regclass AND m.objid = r.contypid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid) || ' comment: ' || coalesce(obj_description(i.indexrelid, 'pg_class'), '-')
      FROM pg_index i JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = i.indrelid
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled ' || t.tgenabled::text
      FROM pg_trigger t JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = t.tgrelid
     WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'policy ' || p.schemaname || '.' || p.tablename || ' ' || p.policyname || ' ' || p.permissive || ' '
           || p.roles::text || ' ' || p.cmd || ' using ' || coalesce(p.qual, '-') || ' check ' || coalesce(p.with_check, '-')
      FROM pg_policies p WHERE p.schemaname = 'wagecheck'
    UNION ALL
    SELECT 'rule ' || r.schemaname || '.' || r.tablename || ' ' || r.rulename || ': ' || r.definition
      FROM pg_rules r WHERE r.schemaname = 'wagecheck'
    UNION ALL
    SELECT 'type ' || t.oid::regtype || ' ' || row(t.typlen, t.typbyval, t.typtype, t.typcategory, t.typalign, t.typstorage,
           t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typanalyze, t.typsubscript)::text
           || ' acl ' || coalesce(t.typacl::text, '-')
      FROM pg_type t JOIN m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
    UNION ALL
    SELECT 'operator ' || o.oid::regoperator || ' ' || row(o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin,
           o.oprcanmerge, o.oprcanhash)::text
      FROM pg_operator o JOIN m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
    UNION ALL
    SELECT 'cast ' || c.castsource::regtype || ' -> ' || c.casttarget::regtype || ' ' || c.castfunc::regprocedure
           || ' ' || c.castcontext::text || c.castmethod::text
      FROM pg_cast c JOIN m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
    UNION ALL
    SELECT 'opclass member ' || opc.opcname || ' ' || am.amname || ' op ' || ao.amopstrategy || ' ' || ao.amopopr::regoperator
      FROM pg_opclass opc JOIN m ON m.classid = 'pg_opclass'::regclass AND m.objid = opc.oid
      JOIN pg_am am ON am.oid = opc.opcmethod
      JOIN pg_amop ao ON ao.amopfamily = opc.opcfamily
    UNION ALL
    SELECT 'opclass support ' || opc.opcname || ' ' || ap.amprocnum || ' ' || ap.amproc::regprocedure
      FROM pg_opclass opc JOIN m ON m.classid = 'pg_opclass'::regclass AND m.objid = opc.oid
      JOIN pg_amproc ap ON ap.amprocfamily = opc.opcfamily
    UNION ALL
    SELECT 'sequence ' || s.seqrelid::regclass || ' ' || row(s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmax, s.seqmin,
           s.seqcache, s.seqcycle)::text
      FROM pg_sequence s JOIN m ON m.classid = 'pg_class'::regclass AND m.objid = s.seqrelid
    UNION ALL
    SELECT 'config table ' || u.oid::regclass || ' ' || coalesce(x.extcondition[u.n], '-')
      FROM pg_extension x, unnest(x.extconfig) WITH ORDINALITY AS u(oid, n)
     WHERE x.extname = 'wagecheck'
    UNION ALL
    SELECT 'role ' || r.rolname || ' ' || row(r.rolinherit, r.rolcanlogin, r.rolbypassrls)::text
           || ' member of ' || coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname)
                                          FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
                                         WHERE am.member = r.oid), '-')
      FROM pg_roles r WHERE r.rolname LIKE 'wagecheck\_%'
    UNION ALL
    SELECT 'grant on schema wagecheck: ' || coalesce(n.nspacl::text, '-') FROM pg_namespace n WHERE n.nspname = 'wagecheck'
)
SELECT f FROM facts ORDER BY f;
