-- What wagecheck keeps of the catalogs across statements of a session (OIDs of tables and
-- indexes, column numbers, prepared paths: src/catalog_watch.c tells each cache when a
-- relation's cache entry is invalidated) is forgotten when what it was found from changes
-- in the same session: each case below has something kept, changes the catalog under it,
-- and writes again, which must work on the catalog as it is now.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
-- a project of two enterprises, made again after the extension is created again (case 2)
SET check_function_bodies = off;
CREATE FUNCTION pg_temp.project_fixture() RETURNS void LANGUAGE sql AS $$
    INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
        ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
        ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
    INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
        ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2);
    INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
        VALUES (1, 1, '临商银行', 'A-1', '2026-01-05', '2026-01-05 10:00');
$$;
-- a movement of the project's account, with the DEBUG lines of the statement
CREATE FUNCTION pg_temp.movement() RETURNS void LANGUAGE sql SET client_min_messages = debug1 AS $$
    INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
        VALUES (1, 'in', 90000, 'labour_cost', '2026-03-02 09:00', '2026-03-02 09:00');
$$;
RESET check_function_bodies;
CREATE EXTENSION wagecheck;

SELECT pg_temp.project_fixture();
INSERT INTO wagecheck.worker (resident_id, name) VALUES
    ('371302198503122131', '张伟'), ('37130219780521001X', '王强');

-- 1. A mirrored table's one-row path (src/enforce/mirror_one.c) probes the unique indexes of
-- project codes and resident IDs by the OIDs it found: rebuilt concurrently (a new index
-- under the old name, the old one dropped), the path is built again from the new ones.
CREATE SCHEMA legacy;
CREATE TABLE legacy.kq (kqid text, xmbh text, sfzhm text, kqrq text, gs text, lrsj text);
SELECT wagecheck.attach('legacy.kq', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs", "at": "lrsj"}', mirror => true);
CREATE TEMP TABLE index_before AS
  SELECT 'wagecheck.project_code_key'::regclass::oid AS project_code, 'wagecheck.worker_resident_id_key'::regclass::oid AS resident_id;
INSERT INTO legacy.kq VALUES ('K1', 'LS-2026-017', '371302198503122131', '20260302', '8', '2026-03-02 18:00');
REINDEX INDEX CONCURRENTLY wagecheck.project_code_key;
INSERT INTO legacy.kq VALUES ('K2', 'LS-2026-017', '37130219780521001X', '20260302', '9', '2026-03-02 18:00');
REINDEX INDEX CONCURRENTLY wagecheck.worker_resident_id_key;
INSERT INTO legacy.kq VALUES ('K3', 'LS-2026-017', '371302198503122131', '20260303', '7', '2026-03-03 18:00');
SELECT project_code <> 'wagecheck.project_code_key'::regclass AS code_index_new,
       resident_id <> 'wagecheck.worker_resident_id_key'::regclass AS resident_id_index_new
  FROM index_before;
SELECT r.source_key, p.code, w.name, a.day, a.hours
  FROM wagecheck.mirror_ref r
  JOIN wagecheck.attendance a ON r.target = jsonb_build_object('project_id', a.project_id, 'worker_id', a.worker_id, 'day', a.day)
  JOIN wagecheck.project p ON p.project_id = a.project_id JOIN wagecheck.worker w ON w.worker_id = a.worker_id
 WHERE r.source = 'legacy.kq'::regclass
 ORDER BY r.source_key;

SET client_min_messages = warning;
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
RESET client_min_messages;

-- 2. The OID of schema wagecheck is kept (wc_schema_oid); the extension and its schema
-- dropped and created again in the session make a new schema: its triggers know it as
-- theirs, and a movement of one account is still locked, read and written by key (the DEBUG
-- line), through the new schema's tables.
CREATE EXTENSION wagecheck;
SELECT pg_temp.project_fixture();
SELECT pg_temp.movement();
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA wagecheck;
CREATE EXTENSION wagecheck;
SELECT pg_temp.project_fixture();
SELECT pg_temp.movement();
SELECT balance FROM wagecheck.wage_account;
DROP EXTENSION wagecheck CASCADE;
