-- Mirror mode: tables of a legacy real-name platform (pinyin column names, codes and
-- dates as text, full-width digits, the platform's own project key) feed wagecheck's
-- worker, roster and attendance tables, kept in step on INSERT, UPDATE, DELETE and
-- TRUNCATE by one statement-level C trigger; every mirrored row keeps its source.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2);

CREATE SCHEMA legacy;
-- 人员信息 (workers): the key is the platform's own, the ID number is dirty text
CREATE TABLE legacy.ryxx (ryid integer PRIMARY KEY, sfzhm text, xm text, sjhm text, gzkh text, khyh text, djsj text);
-- 花名册 (roster): the project by the platform's key, dates as text
CREATE TABLE legacy.hmc (hmcid text PRIMARY KEY, xmbh text, sfzhm text, qyxydm text, gz text,
                         htqdrq text, jcrq text, tcrq text, rgz text);
-- 考勤 (attendance)
CREATE TABLE legacy.kq (kqid bigint PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text);

-- the kinds and roles are checked when attaching
SELECT wagecheck.attach('legacy.ryxx', 'worker', '{"key": "ryid", "resident_id": "sfzhm"}', 'reject', mirror => true);
SELECT wagecheck.attach('legacy.ryxx', 'worker', '{"key": "ryid", "resident_id": "sfzhm", "name": "xm", "colour": "xm"}', 'reject', mirror => true);
SELECT wagecheck.attach('legacy.ryxx', 'worker', '{"key": "ryid", "resident_id": "sfzhm", "name": "xingming"}', 'reject', mirror => true);
SELECT wagecheck.attach('legacy.ryxx', 'worker', '{"key": "ryid", "resident_id": "sfzhm", "name": "xm"}');
SELECT wagecheck.attach('legacy.ryxx', 'account_txn', '{"account": "sfzhm"}', mirror => true);

SELECT wagecheck.attach('legacy.ryxx', 'worker',
    '{"key": "ryid", "resident_id": "sfzhm", "name": "xm", "phone": "sjhm", "wage_card": "gzkh", "card_bank": "khyh", "at": "djsj"}',
    'reject', mirror => true);
SELECT wagecheck.attach('legacy.hmc', 'roster',
    '{"key": "hmcid", "project": "xmbh", "worker": "sfzhm", "employer": "qyxydm", "trade": "gz",
      "contract": "htqdrq", "start": "jcrq", "end": "tcrq", "wage_rate": "rgz"}', 'reject', mirror => true);
SELECT wagecheck.attach('legacy.kq', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', 'reject', mirror => true);
SELECT "table", kind, mode, columns, builtin FROM wagecheck.attached ORDER BY "table"::text;
SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = 'legacy.ryxx'::regclass ORDER BY 1;

-- one statement, three workers: full-width digits, blanks and hyphens in the ID numbers and cards
INSERT INTO legacy.ryxx VALUES
    (101, '３７１３０２１９８５０３１２２１３１', ' 张伟 ', '138 0539 0001', '6228 4812 3456 7890 003', '农业银行', '2026年03月01日'),
    (102, '37130219780521001x', '王强', NULL, '6228-4812-3456-7890-029', '农业银行', '20260302'),
    (103, '371302199001011233', '李娜', NULL, NULL, NULL, NULL);
-- (李娜's registration time is empty: the moment of the write, today)
SELECT worker_id, resident_id, name, phone, wage_card, card_bank, nullif(registered_at::date, current_date) AS registered_on
  FROM wagecheck.worker ORDER BY 1;
SELECT source, source_key, kind, project_id, target FROM wagecheck.mirror_ref ORDER BY source::text, source_key;

-- a worker's ID that is no ID: the whole statement is refused, nothing half-written
INSERT INTO legacy.ryxx VALUES (104, '371302199202024567', '赵六', NULL, NULL, NULL, NULL),
                               (105, '12345', '钱七', NULL, NULL, NULL, NULL);
INSERT INTO legacy.ryxx VALUES (106, '371302199202024567', '赵六', NULL, NULL, NULL, 'yesterday');
INSERT INTO legacy.ryxx VALUES (107, '371302199202024567', NULL, NULL, NULL, NULL, NULL);
SELECT count(*) AS workers FROM wagecheck.worker;

-- the roster names the project by the platform's key (the project's code, written with
-- full-width characters) and the worker by the ID number
INSERT INTO legacy.hmc VALUES
    ('HMC-1', 'ＬＳ-2026-017', '371302198503122131', '91371302MA3N0L6GXQ', '钢筋工', '20260301', '2026-03-01', NULL, '３５０'),
    ('HMC-2', 'LS-2026-017', '37130219780521001X', '91371302ma3n0l6gxq', '木工', NULL, '2026年3月2日', NULL, NULL);
SELECT roster_id, project_id, worker_id, employer_id, trade, contract_signed_on, start_on, end_on, wage_rate
  FROM wagecheck.roster ORDER BY 1;
-- a project key, a worker or an employer that resolves to nothing is refused and named
INSERT INTO legacy.hmc VALUES ('HMC-3', 'LS-2099-001', '371302199001011233', '91371302MA3N0L6GXQ', NULL, NULL, '20260303', NULL, NULL);
INSERT INTO legacy.hmc VALUES ('HMC-3', 'LS-2026-017', '371302199202024567', '91371302MA3N0L6GXQ', NULL, NULL, '20260303', NULL, NULL);
INSERT INTO legacy.hmc VALUES ('HMC-3', 'LS-2026-017', '371302199001011233', '91371302MA3N0L6GXX', NULL, NULL, '20260303', NULL, NULL);
INSERT INTO legacy.hmc VALUES ('HMC-3', 'LS-2026-017', '371302199001011233', '91371302MA3N0L6GXQ', NULL, '2026-13-01', '20260303', NULL, NULL);
INSERT INTO legacy.hmc VALUES ('HMC-3', 'LS-2026-017', '371302199001011233', '91371302MA3N0L6GXQ', NULL, NULL, '20260303', NULL, 'many');

-- attendance: one statement of many rows, hours as text
INSERT INTO legacy.kq SELECT 1000 + d, 'LS-2026-017', '371302198503122131', to_char(date '2026-03-01' + d, 'YYYYMMDD'), '８'
  FROM generate_series(0, 4) AS d;
INSERT INTO legacy.kq VALUES (2000, 'LS-2026-017', '37130219780521001X', '2026-03-02', '9.5');
SELECT project_id, worker_id, day, hours FROM wagecheck.attendance ORDER BY worker_id, day;

-- updates follow the key: a worker's new phone, a roster's end, an attendance day moved
UPDATE legacy.ryxx SET sjhm = '13905390002', xm = '王 强' WHERE ryid = 102;
UPDATE legacy.hmc SET tcrq = '20260430' WHERE hmcid = 'HMC-1';
UPDATE legacy.kq SET kqrq = '20260307', gs = '10' WHERE kqid = 2000;
SELECT worker_id, name, phone FROM wagecheck.worker WHERE worker_id = 2;
SELECT roster_id, end_on FROM wagecheck.roster ORDER BY 1;
SELECT project_id, worker_id, day, hours FROM wagecheck.attendance WHERE worker_id = 2;
SELECT source_key, target FROM wagecheck.mirror_ref WHERE source = 'legacy.kq'::regclass AND source_key = '2000';
-- an update that would leave its row unresolved is refused
UPDATE legacy.hmc SET sfzhm = '371302199202024567' WHERE hmcid = 'HMC-2';

-- deletes: the mirrored rows go with their source rows
DELETE FROM legacy.kq WHERE kqid IN (1003, 1004);
SELECT count(*) AS attendance_days FROM wagecheck.attendance;
-- a worker still on a roster cannot go: wagecheck's own foreign key refuses the legacy delete
DELETE FROM legacy.ryxx WHERE ryid = 101;
DELETE FROM legacy.ryxx WHERE ryid = 103;
SELECT count(*) AS workers, count(*) FILTER (WHERE resident_id::text = '371302199001011233') AS li_na FROM wagecheck.worker;

-- an officer goes from a mirrored row back to the legacy record
SELECT r.source, r.source_key, k.xm, k.sfzhm
  FROM wagecheck.roster ro
  JOIN wagecheck.mirror_ref r ON r.kind = 'roster' AND r.target = jsonb_build_object('roster_id', ro.roster_id)
  JOIN legacy.hmc h ON h.hmcid = r.source_key
  JOIN wagecheck.mirror_ref rw ON rw.kind = 'worker' AND rw.target = jsonb_build_object('worker_id', ro.worker_id)
  JOIN legacy.ryxx k ON k.ryid::text = rw.source_key
 ORDER BY ro.roster_id;

-- the platform's clerk writes the legacy table only and cannot even read wagecheck's tables:
-- the mirrored rows are written as the owner of wagecheck's tables, in a search path of the
-- trigger's own (a btrim() planted in public is not called)
CREATE ROLE mirror_clerk;
GRANT USAGE ON SCHEMA legacy TO mirror_clerk;
GRANT INSERT, UPDATE, DELETE, SELECT ON legacy.kq TO mirror_clerk;
CREATE FUNCTION public.btrim(text) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked' $$;
SET ROLE mirror_clerk;
SET search_path = public, pg_catalog;
INSERT INTO legacy.kq VALUES (1010, 'LS-2026-017', '371302198503122131', '20260311', '7');
SELECT count(*) FROM wagecheck.attendance;
RESET search_path;
RESET ROLE;
SELECT project_id, worker_id, day, hours FROM wagecheck.attendance WHERE day = '2026-03-11';
SELECT source_key FROM wagecheck.mirror_ref WHERE source = 'legacy.kq'::regclass AND source_key = '1010';
DROP FUNCTION public.btrim(text);

-- TRUNCATE empties the mirrored attendance too
TRUNCATE legacy.kq;
SELECT count(*) AS attendance_days, (SELECT count(*) FROM wagecheck.mirror_ref WHERE source = 'legacy.kq'::regclass) AS refs
  FROM wagecheck.attendance;

-- the trigger fires only where attach() put it
CREATE TABLE public.other (id int);
CREATE TRIGGER t AFTER INSERT ON public.other REFERENCING NEW TABLE AS wagecheck_new
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.mirror();
INSERT INTO public.other VALUES (1);
DROP TRIGGER t ON public.other;
CREATE TRIGGER wagecheck_mirror_x AFTER INSERT ON public.other FOR EACH ROW EXECUTE FUNCTION wagecheck.mirror();
INSERT INTO public.other VALUES (2);
DROP TABLE public.other;

-- detach: keep the mirrored rows (and their way back), or remove them
INSERT INTO legacy.kq VALUES (3000, 'LS-2026-017', '371302198503122131', '20260310', '8');
SELECT wagecheck.detach('legacy.kq', keep_rows => false);
SELECT count(*) AS attendance_days FROM wagecheck.attendance;
SELECT wagecheck.detach('legacy.hmc');
SELECT count(*) AS rosters, (SELECT count(*) FROM wagecheck.mirror_ref WHERE source = 'legacy.hmc'::regclass) AS refs
  FROM wagecheck.roster;
INSERT INTO legacy.hmc VALUES ('HMC-9', 'LS-2026-017', '371302199001011233', '91371302MA3N0L6GXQ', NULL, NULL, '20260303', NULL, NULL);
SELECT count(*) AS rosters FROM wagecheck.roster;
SELECT "table", kind FROM wagecheck.attached ORDER BY "table"::text;
SELECT tgname FROM pg_trigger WHERE tgrelid IN ('legacy.hmc'::regclass, 'legacy.kq'::regclass);

-- backfill: the rows a table already holds. attach(..., backfill => true) loads them in
-- batches in its own transaction, with a NOTICE for each batch
CREATE TABLE legacy.kq2 (kqid bigint PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text);
INSERT INTO legacy.kq2 SELECT 5000 + d, 'LS-2026-017', '37130219780521001X', to_char(date '2026-04-01' + d, 'YYYYMMDD'), '8'
  FROM generate_series(0, 2) AS d;
SELECT wagecheck.attach('legacy.kq2', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', mirror => true, backfill => true);
SELECT count(*) AS april_days FROM wagecheck.attendance WHERE day >= '2026-04-01';
SELECT backfilled_to FROM wagecheck.mirror WHERE source = 'legacy.kq2'::regclass;
SELECT wagecheck.attach('legacy.kq2', 'attendance', '{"key": "kqid"}', backfill => true);
-- CALL mirror_backfill commits each batch with its high-water mark: interrupted by a row it
-- cannot resolve, it goes on from there once the row is corrected; rows mirrored since by the
-- trigger are not loaded twice
SELECT wagecheck.detach('legacy.kq2', keep_rows => false);
INSERT INTO legacy.kq2 SELECT 6000 + d, 'LS-2026-017', '37130219780521001X', to_char(date '2026-05-01' + d, 'YYYYMMDD'), '8'
  FROM generate_series(0, 4) AS d;
UPDATE legacy.kq2 SET kqrq = 'someday' WHERE kqid = 6001;
SELECT wagecheck.attach('legacy.kq2', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', mirror => true);
INSERT INTO legacy.kq2 VALUES (7000, 'LS-2026-017', '37130219780521001X', '20260601', '8');
CALL wagecheck.mirror_backfill('legacy.kq2', 3);
SELECT backfilled_to, (SELECT count(*) FROM wagecheck.mirror_ref WHERE source = 'legacy.kq2'::regclass) AS mirrored
  FROM wagecheck.mirror WHERE source = 'legacy.kq2'::regclass;
UPDATE legacy.kq2 SET kqrq = '20260502' WHERE kqid = 6001;
CALL wagecheck.mirror_backfill('legacy.kq2', 3);
CALL wagecheck.mirror_backfill('legacy.kq2', 3);
SELECT count(*) AS days, count(DISTINCT day) AS distinct_days FROM wagecheck.attendance WHERE worker_id = 2 AND day >= '2026-04-01';
SELECT source_key FROM wagecheck.mirror_ref WHERE source = 'legacy.kq2'::regclass ORDER BY 1;
CALL wagecheck.mirror_backfill('legacy.kq', 0);
-- a worker updated before his batch came is mirrored by the update
CREATE TABLE legacy.ryxx2 (ryid text PRIMARY KEY, sfzhm text, xm text);
INSERT INTO legacy.ryxx2 VALUES ('R1', '371302199202024567', '赵六');
SELECT wagecheck.attach('legacy.ryxx2', 'worker', '{"key": "ryid", "resident_id": "sfzhm", "name": "xm"}', mirror => true);
UPDATE legacy.ryxx2 SET xm = '赵 六';
UPDATE legacy.ryxx2 SET xm = '赵六';
SELECT w.name, r.source_key FROM wagecheck.worker w
  JOIN wagecheck.mirror_ref r ON r.source = 'legacy.ryxx2'::regclass AND r.target = jsonb_build_object('worker_id', w.worker_id);
CALL wagecheck.mirror_backfill('legacy.ryxx2');

-- a statement of many rows looks each reference up once per distinct value and joins it to
-- its rows: a worker's ID written three ways and a project key with full-width letters resolve
-- alike on every row; one row naming nobody refuses the whole statement, naming its value;
-- in alert mode that row is recorded and the others are mirrored
CREATE TABLE legacy.kq3 (kqid bigint PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text);
SELECT wagecheck.attach('legacy.kq3', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', mirror => true);
CREATE TEMP VIEW july AS
  SELECT 8000 + d AS kqid, CASE WHEN d % 2 = 0 THEN 'LS-2026-017' ELSE 'ＬＳ-2026-017' END AS xmbh,
         CASE d % 3 WHEN 0 THEN '37130219780521001X' WHEN 1 THEN '371302 19780521 001x'
                    ELSE '３７１３０２１９７８０５２１００１Ｘ' END AS sfzhm,
         to_char(date '2026-07-01' + d, 'YYYYMMDD') AS kqrq, '8' AS gs
    FROM generate_series(0, 99) AS d;
INSERT INTO legacy.kq3 SELECT * FROM july UNION ALL SELECT 8100, 'LS-2026-017', '371302 19990909 9999', '20260701', '8';
INSERT INTO legacy.kq3 SELECT * FROM july UNION ALL SELECT 8100, 'NO-SUCH-PROJECT', '37130219780521001X', '20260701', '8';
SELECT count(*) AS days_from_july FROM wagecheck.attendance WHERE day >= '2026-07-01';
INSERT INTO legacy.kq3 SELECT * FROM july;
SELECT count(*) AS days_from_july, count(DISTINCT worker_id) AS workers, count(DISTINCT project_id) AS projects,
       min(day) AS first, max(day) AS last
  FROM wagecheck.attendance WHERE day >= '2026-07-01';
SELECT count(*) AS refs, count(DISTINCT r.project_id) AS projects, count(*) FILTER (WHERE a.day IS NULL) AS dangling
  FROM wagecheck.mirror_ref r
  LEFT JOIN wagecheck.attendance a ON a.project_id = (r.target ->> 'project_id')::bigint
       AND a.worker_id = (r.target ->> 'worker_id')::bigint AND a.day = (r.target ->> 'day')::date
 WHERE r.source = 'legacy.kq3'::regclass;
CREATE TABLE legacy.kq4 (LIKE legacy.kq3 INCLUDING ALL);
SELECT wagecheck.attach('legacy.kq4', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', 'alert', mirror => true);
INSERT INTO legacy.kq4 SELECT kqid + 1000, xmbh, sfzhm, to_char(to_date(kqrq, 'YYYYMMDD') + 100, 'YYYYMMDD'), gs FROM july
  UNION ALL SELECT 9100, 'LS-2026-017', '371302 19990909 9999', '20261020', '8';
SELECT count(*) AS days_from_october_9 FROM wagecheck.attendance WHERE day >= '2026-10-09';
SELECT rule_code, subject_kind, subject_id, details ->> 'message' AS message FROM wagecheck.violation
 WHERE source = 'legacy.kq4'::regclass;

DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
DROP ROLE mirror_clerk;
