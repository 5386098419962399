-- Mirror mode runs the whole engine on a legacy platform's rows: a month of a real-name
-- and payroll platform's activity (enterprises, the project under the platform's own key,
-- workers, roster with contract dates, attendance, the dedicated account and its bank
-- movements, the labour-cost schedule, the deposit, pay sheet, pay lines and wage payments;
-- pinyin columns, codes and dates as text, full-width digits, the bank's direction codes),
-- written once into wagecheck's own tables and once into legacy tables attached in mirror
-- mode (in several statements, with a correction and a deletion), raises exactly the same
-- alerts: rule, subject, project and opening date, compared EXCEPT both ways. The project
-- is enforced in alert mode, so the wrong movements and payments are written and recorded
-- on both sides.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
CREATE TABLE public.seen (side text, rule_code text, subject_kind text, subject text, project text,
                          period text, opened date);

-- the alerts of a scan on 20 April, by natural keys (a roster entry by its worker's ID), and the violations
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
    -- and the violations the triggers recorded, at the facts' own times
    INSERT INTO public.seen
    SELECT collect.side, v.rule_code, 'violation of ' || v.subject_kind, v.subject_id,
           (SELECT p.code FROM wagecheck.project p WHERE p.project_id = v.project_id), to_char(v.occurred_at, 'YYYY-MM-DD HH24:MI'),
           NULL
      FROM wagecheck.violation v;
END
$$;

-- 1. the facts written into wagecheck's own tables: the owner, the contractor, the project
-- (code LS-2026-017, enforced in alert mode)
CREATE EXTENSION wagecheck;
INSERT INTO wagecheck.enterprise (credit_code, name, role, created_at) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner', '2026-02-01'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor', '2026-02-01');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id,
                               contract_value, contract_signed_on, labour_share, start_on, status,
                               enforcement_mode, created_at)
VALUES ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2,
        36000000, '2026-02-20', 0.22, '2026-03-01', 'under_construction', 'alert', '2026-02-01');
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
-- the dedicated account, the labour cost due and paid in short, a cash withdrawal, the
-- deposit, March's pay sheet, and April's wages: 张伟 paid in full, 王强 short, 李娜 nothing
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on, created_at)
VALUES (1, '农业银行临沂分行', '15230101040031001', '2026-02-25', '2026-02-25 09:00');
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on, created_at)
VALUES (1, '2026-03-01', 200000, '2026-03-10', '2026-02-26');
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, bank, deposited_on, created_at)
VALUES (1, 'bank_letter', 720000, '农业银行临沂分行', '2026-03-05', '2026-03-05 10:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose,
                                   booked_at, created_at) VALUES
    (1, 'in', 150000, '9558801234567890', '临沂城投建设有限公司', 'labour_cost', '2026-03-08 10:00', '2026-03-08 10:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose,
                                   booked_at, created_at) VALUES
    (1, 'out', 3000, NULL, NULL, 'cash', '2026-03-25 15:00', '2026-03-25 15:00');
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 2, '2026-03-01', '2026-04-05', '2026-04-05 09:00');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, created_at) VALUES
    (1, 1, 15, 6000, 0, 6000, '2026-04-05 09:00'),
    (1, 2, 15, 6750, 0, 6750, '2026-04-05 09:00'),
    (1, 3, 0, 0, 0, 0, '2026-04-05 09:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose,
                                   booked_at, created_at) VALUES
    (1, 'out', 6000, '6228481234567890003', '张伟', 'wage', '2026-04-15 10:00', '2026-04-15 10:00'),
    (1, 'out', 5500, '6228481234567890029', '王强', 'wage', '2026-04-15 10:00', '2026-04-15 10:00');
INSERT INTO wagecheck.wage_payment (line_id, txn_id, amount, paid_at, method, card, created_at) VALUES
    (1, 3, 6000, '2026-04-15 10:00', 'account', '6228481234567890003', '2026-04-15 10:00'),
    (2, 4, 5500, '2026-04-15 10:00', 'account', '6228481234567890029', '2026-04-15 10:00');
SELECT count(*) AS rules_hit FROM wagecheck.scan('2026-04-20 12:00') WHERE hits > 0;
SELECT pg_temp.collect('direct');
DROP EXTENSION wagecheck CASCADE;

-- 2. the same facts as the platform writes them, mirrored; the platform keys its project
-- XM-001 and names enterprises by its own keys or by credit codes in full-width forms
CREATE EXTENSION wagecheck;
CREATE SCHEMA legacy;
CREATE TABLE legacy.qy (qyid text PRIMARY KEY, tyxydm text, qymc text, qylx text, lrsj text);
CREATE TABLE legacy.xm (xmid text PRIMARY KEY, xmbm text, xmmc text, xzqh text, hylb text, zjly text, jsdw text,
                        zbdw text, htje text, htqdrq text, rgfbl text, kgrq text, zt text, ms text, lrsj text);
SELECT wagecheck.attach('legacy.qy', 'enterprise',
    '{"key": "qyid", "credit_code": "tyxydm", "name": "qymc", "at": "lrsj",
      "role": {"column": "qylx", "values": {"建设单位": "owner", "施工总承包": "general_contractor"}}}', mirror => true);
SELECT wagecheck.attach('legacy.xm', 'project',
    '{"key": "xmid", "code": "xmbm", "name": "xmmc", "division": "xzqh", "owner": "jsdw", "contractor": "zbdw",
      "sector": {"column": "hylb", "values": {"房建": "housing"}}, "funding": {"column": "zjly", "values": {"政府投资": "government"}},
      "contract_value": "htje", "contract": "htqdrq", "labour_share": "rgfbl", "start": "kgrq",
      "status": {"column": "zt", "values": {"在建": "under_construction"}}, "at": "lrsj"}', 'alert', mirror => true);
INSERT INTO legacy.qy VALUES ('Q1', '９１３７１３００ＭＡ３Ｃ８Ｑ５Ｎ８Ｃ', '临沂城投建设有限公司', '建设单位', '20260201'),
                             ('Q2', '91371302MA3N0L6GXQ', '沂河建工集团有限公司', '施工总承包', '2026-02-01');
INSERT INTO legacy.xm VALUES ('XM-001', 'LS-2026-017', '兰山区人民医院门诊楼', '３７１３０２', '房建', '政府投资', 'Q1',
                              '91371302MA3N0L6GXQ', '36,000,000.00', '2026年2月20日', '0.22', '20260301', '在建', NULL, '2026-02-01');
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
    ('H1', 'XM-001', '371302198503122131', '91371302MA3N0L6GXQ', '20260301', '20260301', '2026-03-01 08:30'),
    ('H2', 'XM-001', '37130219780521001X', '91371302ma3n0l6gxq', '', '2026-03-01', '2026-03-01 08:40');
INSERT INTO legacy.hmc VALUES ('H3', 'ＸＭ-001', '371302199001011233', '91371302MA3N0L6GXQ', '2026.03.02', '20260302', '2026-03-02 09:30');
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
INSERT INTO legacy.kq VALUES (999, 'XM-001', '371302199001011233', '20260310', '8', '2026-03-10 18:00');
DELETE FROM legacy.kq WHERE kqid = 999;
-- the account, the schedule, the deposit and the bank's movements (1 = 借 out, 2 = 贷 in)
CREATE TABLE legacy.zh (zhid integer PRIMARY KEY, xmid text, khh text, zh text, khrq text, lrsj text);
CREATE TABLE legacy.rgf (xmid text, ny text, yfje text, yfrq text, lrsj text, PRIMARY KEY (xmid, ny));
CREATE TABLE legacy.bzj (bzjid integer PRIMARY KEY, xmid text, xs text, je text, khh text, jcrq text, lrsj text);
CREATE TABLE legacy.yhls (lsh text PRIMARY KEY, zh text, jdbz text, jyje text, dfzh text, dfhm text, zy text, jysj text);
CREATE TABLE legacy.gzb (gzbid text PRIMARY KEY, xmid text, qyxydm text, ny text, zbrq text, lrsj text);
CREATE TABLE legacy.gzmx (gzbid text, xh integer, sfzhm text, cqts text, yfgz text, sfgz text, lrsj text, PRIMARY KEY (gzbid, xh));
CREATE TABLE legacy.ffjl (ffid bigint PRIMARY KEY, gzbid text, xh integer, lsh text, je text, fffs text, kh text, ffsj text);
SELECT wagecheck.attach('legacy.zh', 'wage_account',
    '{"key": "zhid", "project": "xmid", "bank": "khh", "account_no": "zh", "opened": "khrq", "at": "lrsj"}', 'alert', mirror => true);
SELECT wagecheck.attach('legacy.rgf', 'labour_cost',
    '{"key": ["xmid", "ny"], "project": "xmid", "period": "ny", "amount_due": "yfje", "due": "yfrq", "at": "lrsj"}', 'alert', mirror => true);
SELECT wagecheck.attach('legacy.bzj', 'deposit',
    '{"key": "bzjid", "project": "xmid", "form": {"column": "xs", "values": {"保函": "bank_letter", "现金": "cash"}},
      "amount": "je", "bank": "khh", "deposited": "jcrq", "at": "lrsj"}', 'alert', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "counterparty_name": "dfhm",
      "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]},
      "purpose": {"column": "zy", "wage": ["工资*", "#月工资"], "cash": ["取现"]}, "at": "jysj", "known_at": "jysj"}',
    'alert', mirror => true);
SELECT wagecheck.attach('legacy.gzb', 'pay_sheet',
    '{"key": "gzbid", "project": "xmid", "employer": "qyxydm", "period": "ny", "prepared": "zbrq", "at": "lrsj"}', 'alert', mirror => true);
SELECT wagecheck.attach('legacy.gzmx', 'pay_line',
    '{"key": ["gzbid", "xh"], "sheet": "gzbid", "worker": "sfzhm", "days": "cqts", "payable": "yfgz", "net": "sfgz", "at": "lrsj"}',
    'alert', mirror => true);
SELECT wagecheck.attach('legacy.ffjl', 'wage_payment',
    '{"key": "ffid", "line": ["gzbid", "xh"], "txn": "lsh", "amount": "je", "method": "fffs", "card": "kh", "at": "ffsj", "known_at": "ffsj"}',
    'alert', mirror => true);
INSERT INTO legacy.zh VALUES (1, 'XM-001', '农业银行临沂分行', '1523 0101 0400 3100 1', '2026-02-25', '2026-02-25 09:00');
INSERT INTO legacy.rgf VALUES ('XM-001', '202603', '200,000', '20260310', '2026-02-26');
INSERT INTO legacy.bzj VALUES (1, 'XM-001', '保函', '720000', '农业银行临沂分行', '2026-03-05', '2026-03-05 10:00');
INSERT INTO legacy.yhls VALUES ('B1', '15230101040031001', '贷', '150,000.00', '9558801234567890', '临沂城投建设有限公司', '人工费',
                                '2026-03-08 10:00:00');
INSERT INTO legacy.yhls VALUES ('B2', '1523 0101 0400 3100 1', '１', '3000', NULL, NULL, '取现', '20260325 15:00');
INSERT INTO legacy.gzb VALUES ('G1', 'XM-001', '91371302MA3N0L6GXQ', '2026-03', '2026-04-05', '2026-04-05 09:00');
-- 王强's line first keyed at 6,500, corrected before it was paid
INSERT INTO legacy.gzmx VALUES ('G1', 1, '371302198503122131', '15', '6000', '6000', '2026-04-05 09:00'),
                               ('G1', 2, '37130219780521001X', '15', '6500', '6500', '2026-04-05 09:00'),
                               ('G1', 3, '371302199001011233', '0', '0', '0', '2026-04-05 09:00');
UPDATE legacy.gzmx SET yfgz = '6750', sfgz = '6,750.00' WHERE gzbid = 'G1' AND xh = 2;
INSERT INTO legacy.yhls VALUES
    ('B3', '15230101040031001', '1', '6000', '6228 4812 3456 7890 003', '张伟', '3月工资', '2026-04-15 10:00'),
    ('B4', '15230101040031001', '1', '5500', '6228-4812-3456-7890-029', '王强', '工资款', '2026-04-15 10:00');
INSERT INTO legacy.ffjl VALUES (1, 'G1', 1, 'B3', '6000', '专户代发', '6228481234567890003', '2026-04-15 10:00'),
                               (2, 'G1', 2, 'B4', '5500.00', '银行代发', '6228 4812 3456 7890 029', '2026-04-15 10:00');
SELECT count(*) AS rules_hit FROM wagecheck.scan('2026-04-20 12:00') WHERE hits > 0;
SELECT pg_temp.collect('mirrored');
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;

-- the alerts and violations of each side (a scan that finds nothing would prove nothing)
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
