-- Lists every user-visible object of the extension with its COMMENT, as DocBook rows
-- (type support, operator, opclass, aggregate-support and trigger functions are left out:
-- they are reached through their types, operators and aggregates). Used by objects-doc.sh.
-- Each object links to the section of the manual of the area whose SQL creates it
-- (table wc_doc_area, filled by objects-doc.sh from the install script); an object with
-- no area is flagged UNLINKED, which fails `make test`.
\pset format unaligned
\pset tuples_only on
WITH ext AS (
    SELECT d.classid, d.objid
      FROM pg_catalog.pg_depend d
     WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'wagecheck')
       AND d.deptype = 'e'
),
obj AS (
    SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
           p.oid::pg_catalog.regprocedure::text AS name, p.proname::text AS bare,
           pg_catalog.obj_description(p.oid, 'pg_proc') AS comment
      FROM ext JOIN pg_catalog.pg_proc p ON ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = ext.objid
     WHERE p.proname !~ '^_'
       AND p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t
                        WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_operator o WHERE o.oprcode = p.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_amproc a WHERE a.amproc = p.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate g
                        WHERE p.oid IN (g.aggtransfn, g.aggfinalfn, g.aggcombinefn, g.aggserialfn, g.aggdeserialfn))
    UNION ALL
    SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END,
           c.oid::pg_catalog.regclass::text, c.relname::text,
           pg_catalog.obj_description(c.oid, 'pg_class')
      FROM ext JOIN pg_catalog.pg_class c ON ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = ext.objid
     WHERE c.relkind IN ('r', 'v', 'm') AND c.relname !~ '^_'
    UNION ALL
    SELECT CASE t.typtype WHEN 'c' THEN 'composite type' ELSE 'type' END,
           t.oid::pg_catalog.regtype::text, t.typname::text,
           pg_catalog.obj_description(t.oid, 'pg_type')
      FROM ext JOIN pg_catalog.pg_type t ON ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = ext.objid
     WHERE t.typname !~ '^_'
)
SELECT '     <row><entry>' || kind || '</entry><entry>'
       || coalesce('<link linkend="' || CASE a.area WHEN 'main' THEN 'wagecheck'
                                                    WHEN 'values' THEN 'wagecheck-schema'
                                                    ELSE 'wagecheck-' || a.area END || '">', 'UNLINKED')
       || '<literal>'
       || replace(replace(replace(obj.name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
       || '</literal>' || CASE WHEN a.area IS NULL THEN '' ELSE '</link>' END || '</entry><entry>'
       || coalesce(replace(replace(replace(comment, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), 'UNDOCUMENTED')
       || '</entry></row>'
  FROM obj LEFT JOIN wc_doc_area a ON a.name = obj.bare
 ORDER BY obj.kind, obj.name;
