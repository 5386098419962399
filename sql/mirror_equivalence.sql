-- Mirror mode runs the whole engine on a legacy platform's rows: a month of a real-name
-- platform's activity (workers, roster with contract dates, attendance; pinyin columns,
-- codes and dates as text, full-width digits, the platform's own project key), written
-- once into wagecheck's own tables and once into legacy tables attached in mirror mode
-- (in several statements, with a correction and a deletion), raises exactly the same
-- alerts: rule, subject, project and opening date, compared EXCEPT both ways.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
CREATE TABLE public.seen (side text, rule_code text, subject_kind text, subject text, project text,
                          period text, opened date);

-- what both sides share: the owner, the contractor, the project (code LS-2026-017)
CREATE FUNCTION pg_temp.base() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO wagecheck.enterprise (credit_code, name, role, created_at) VALUES
        ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner', '2026-02-01'),
        ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor', '2026-02-01');
    INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id,
                                   contract_value, contract_signed_on, labour_share, start_on, status, created_at)
    VALUES ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2,
            36000000, '2026-02-20', 0.22, '2026-03-01', 'under_construction', '2026-02-01');
END
$$;
-- the alerts of a scan on 20 April, by natural keys (a roster entry by its worker's ID)
CREATE FUNCTION pg_temp.collect(side text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.seen
    SELECT collect.side, a.rule_code, a.subject_kind,
           CASE a.subject_kind
                WHEN 'roster' THEN (SELECT w.resident_id::text FROM wagecheck.roster r JOIN wagecheck.worker w USING (worker_id)
                                     WHERE r.roster_id::text = a.subject_id)
                WHEN 'worker' THEN (SELECT w.resident_id::text FROM wagecheck.worker w WHERE w.worker_id::text = a.subject_id)
                ELSE a.subject_id END,
           (SELECT p.code FROM wagecheck.project p WHERE p.project_id = a.project_id), a.period, a.opened_at::date
      FROM wagecheck.alert a;
END
$$;

-- 1. the facts written into wagecheck's own tables
CREATE EXTENSION wagecheck;
SELECT pg_temp.base();
INSERT INTO wagecheck.worker (resident_id, name, wage_card, registered_at) VALUES
    ('371302198503122131', '张伟', '6228481234567890003', '2026-03-01 08:00'),
    ('37130219780521001X', '王强', '6228481234567890029', '2026-03-01 08:10'),
    ('371302199001011233', '李娜', NULL, '2026-03-02 09:00');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at) VALUES
    (1, 1, 2, '2026-03-01', '2026-03-01', '2026-03-01 08:30'),
    (1, 2, 2, NULL, '2026-03-01', '2026-03-01 08:40'),          -- no labour contract
    (1, 3, 2, '2026-03-02', '2026-03-02', '2026-03-02 09:30');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 1, w, d::date, CASE WHEN w = 1 THEN 8 ELSE 9 END, d + interval '18 hours'
  FROM generate_series(1, 2) AS w, generate_series(timestamp '2026-03-02', '2026-03-20', interval '1 day') AS d
 WHERE extract(isodow FROM d) < 6;
SELECT count(*) AS rules_hit FROM wagecheck.scan('2026-04-20 12:00') WHERE hits > 0;
SELECT pg_temp.collect('direct');
DROP EXTENSION wagecheck CASCADE;

-- 2. the same facts as the platform writes them, mirrored
CREATE EXTENSION wagecheck;
SELECT pg_temp.base();
CREATE SCHEMA legacy;
CREATE TABLE legacy.ryxx (ryid integer PRIMARY KEY, sfzhm text, xm text, gzkh text, djsj text);
CREATE TABLE legacy.hmc (hmcid text PRIMARY KEY, xmbh text, sfzhm text, qyxydm text, htqdrq text, jcrq text, lrsj text);
CREATE TABLE legacy.kq (kqid bigint PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text, lrsj text);
SELECT wagecheck.attach('legacy.ryxx', 'worker',
    '{"key": "ryid", "resident_id": "sfzhm", "name": "xm", "wage_card": "gzkh", "at": "djsj"}', mirror => true);
SELECT wagecheck.attach('legacy.hmc', 'roster',
    '{"key": "hmcid", "project": "xmbh", "worker": "sfzhm", "employer": "qyxydm", "contract": "htqdrq",
      "start": "jcrq", "at": "lrsj"}', mirror => true);
SELECT wagecheck.attach('legacy.kq', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs", "at": "lrsj"}', mirror => true);
INSERT INTO legacy.ryxx VALUES
    (11, '３７１３０２１９８５０３１２２１３１', '张伟', '6228 4812 3456 7890 003', '2026年3月1日 08:00'),
    (12, '37130219780521001x', ' 王强 ', '6228-4812-3456-7890-029', '20260301 08:10:00');
INSERT INTO legacy.ryxx VALUES (13, '371302 19900101 1233', '李娜', NULL, '2026-03-02 09:00:00');
INSERT INTO legacy.hmc VALUES
    ('H1', 'ＬＳ-2026-017', '371302198503122131', '91371302MA3N0L6GXQ', '20260301', '20260301', '2026-03-01 08:30'),
    ('H2', 'LS-2026-017', '37130219780521001X', '91371302ma3n0l6gxq', '', '2026-03-01', '2026-03-01 08:40');
INSERT INTO legacy.hmc VALUES ('H3', 'LS-2026-017', '371302199001011233', '91371302MA3N0L6GXQ', '2026.03.02', '20260302', '2026-03-02 09:30');
-- attendance day by day, as the clerk enters it; 王强's hours first keyed wrong, then corrected
INSERT INTO legacy.kq
SELECT row_number() OVER (ORDER BY d, w), 'LS-2026-017',
       CASE w WHEN 1 THEN '３７１３０２１９８５０３１２２１３１' ELSE '37130219780521001X' END,
       to_char(d, 'YYYYMMDD'), CASE WHEN w = 1 THEN '８' ELSE '10' END, to_char(d + interval '18 hours', 'YYYY-MM-DD HH24:MI')
  FROM generate_series(1, 2) AS w, generate_series(timestamp '2026-03-02', '2026-03-20', interval '1 day') AS d
 WHERE extract(isodow FROM d) < 6 AND w = 1;
INSERT INTO legacy.kq
SELECT 100 + row_number() OVER (ORDER BY d), 'LS-2026-017', '37130219780521001X', to_char(d, 'YYYY年MM月DD日'), '１０',
       to_char(d + interval '18 hours', 'YYYYMMDD HH24:MI:SS')
  FROM generate_series(timestamp '2026-03-02', '2026-03-20', interval '1 day') AS d
 WHERE extract(isodow FROM d) < 6;
UPDATE legacy.kq SET gs = '9' WHERE kqid > 100;
-- a day keyed for 李娜 by mistake, deleted: no attendance of hers remains
INSERT INTO legacy.kq VALUES (999, 'LS-2026-017', '371302199001011233', '20260310', '8', '2026-03-10 18:00');
DELETE FROM legacy.kq WHERE kqid = 999;
SELECT count(*) AS rules_hit FROM wagecheck.scan('2026-04-20 12:00') WHERE hits > 0;
SELECT pg_temp.collect('mirrored');
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;

-- the alerts of each side (a scan that finds nothing would prove nothing)
SELECT rule_code, subject_kind, subject, project, period, opened FROM public.seen WHERE side = 'direct'
 ORDER BY 1, 2, 3, 5;
-- the same alerts both ways: none only on one side
(SELECT rule_code, subject_kind, subject, project, period, opened FROM public.seen WHERE side = 'direct'
 EXCEPT SELECT rule_code, subject_kind, subject, project, period, opened FROM public.seen WHERE side = 'mirrored')
UNION ALL
(SELECT rule_code, subject_kind, subject, project, period, opened FROM public.seen WHERE side = 'mirrored'
 EXCEPT SELECT rule_code, subject_kind, subject, project, period, opened FROM public.seen WHERE side = 'direct');
SELECT side, count(*) FROM public.seen GROUP BY 1 ORDER BY 1;
DROP TABLE public.seen;
