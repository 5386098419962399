-- Mirror mode for every kind a real-name and payroll platform holds: enterprises, projects
-- (the platform's own project key), workers, roster, dedicated accounts, bank movements
-- (direction codes and purposes by value maps, signed amounts), pay sheets and pay lines
-- (a key of two columns), wage payments naming their line by that key, labour-cost
-- schedules and deposits. Unresolvable values are refused naming the value (reject) or
-- recorded as violations and left out (alert); rows that break a rule in an alert-mode
-- project are written and recorded by wagecheck's own triggers.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
CREATE SCHEMA legacy;

-- 企业 (enterprises): the kind of enterprise in the platform's words, by a value map
CREATE TABLE legacy.qy (qyid text PRIMARY KEY, tyxydm text, qymc text, qylx text, xzqh text);
-- 项目 (projects): the platform's key XM-001 is not wagecheck's code; the owner by its legacy key
CREATE TABLE legacy.xm (xmid text PRIMARY KEY, xmbm text, xmmc text, xzqh text, hylb text, zjly text,
                        jsdw text, zbdw text, kgrq text, ms text);
CREATE TABLE legacy.ryxx (ryid integer PRIMARY KEY, sfzhm text, xm text, gzkh text);
CREATE TABLE legacy.hmc (hmcid text PRIMARY KEY, xmid text, ryid text, qyid text, htqdrq text, jcrq text);
-- 专户 (dedicated accounts), 银行流水 (bank movements: 1 = 借 out, 2 = 贷 in)
CREATE TABLE legacy.zh (zhid integer PRIMARY KEY, xmid text, khh text, zh text, khrq text);
CREATE TABLE legacy.yhls (lsh text PRIMARY KEY, zh text, jdbz text, jyje text, dfzh text, dfhm text, zy text, jysj text);
-- 工资表 and 工资明细 (a line keyed by its sheet and its number), 发放记录 (payments)
CREATE TABLE legacy.gzb (gzbid text PRIMARY KEY, xmid text, qyxydm text, ny text, zbrq text);
CREATE TABLE legacy.gzmx (gzbid text, xh integer, sfzhm text, cqts text, yfgz text, kk text, sfgz text,
                          PRIMARY KEY (gzbid, xh));
CREATE TABLE legacy.ffjl (ffid bigint PRIMARY KEY, gzbid text, xh integer, je numeric, fffs text, kh text, ffsj text);
-- 人工费拨付计划 (labour-cost schedule), 保证金 (deposits)
CREATE TABLE legacy.rgf (xmid text, ny text, yfje text, yfrq text, PRIMARY KEY (xmid, ny));
CREATE TABLE legacy.bzj (bzjid integer PRIMARY KEY, xmid text, xs text, je text, jcrq text);

-- mappings are checked when attaching: unknown options, a value map's missing half, a sign
-- beside a direction, a reference of several columns where one is wanted, a missing role
SELECT wagecheck.attach('legacy.qy', 'enterprise',
    '{"key": "qyid", "credit_code": "tyxydm", "name": "qymc", "role": {"column": "qylx", "values": {"建设单位": "builder"}}}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "direction": {"column": "jdbz", "in": ["2"]}}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": {"column": "jyje", "sign": "minus_is_out"}, "direction": "jdbz"}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": {"column": "jyje", "sign": "minus_is_up"}}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "direction": "jdbz", "purpose": ["zy", "dfhm"]}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"key": "lsh", "account": "zh", "amount": "jyje"}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "direction": "jdbz", "purpose": {"column": "zy", "wage": ""}}', mirror => true);
SELECT wagecheck.attach('legacy.bzj', 'deposit', '{"key": "bzjid", "project": "xmid"}', mirror => true);

SELECT wagecheck.attach('legacy.qy', 'enterprise',
    '{"key": "qyid", "credit_code": "tyxydm", "name": "qymc", "division": "xzqh",
      "role": {"column": "qylx", "values": {"建设单位": "owner", "施工总承包": "general_contractor", "劳务分包": "labour_company"}}}',
    mirror => true);
SELECT wagecheck.attach('legacy.xm', 'project',
    '{"key": "xmid", "code": "xmbm", "name": "xmmc", "division": "xzqh",
      "sector": {"column": "hylb", "values": {"房建": "housing", "市政": "municipal"}},
      "funding": {"column": "zjly", "values": {"政府投资": "government", "国有": "soe"}},
      "owner": "jsdw", "contractor": "zbdw", "start": "kgrq",
      "enforcement_mode": {"column": "ms", "values": {"拦截": "reject", "预警": "alert"}}}', mirror => true);
SELECT wagecheck.attach('legacy.ryxx', 'worker', '{"key": "ryid", "resident_id": "sfzhm", "name": "xm", "wage_card": "gzkh"}', mirror => true);
SELECT wagecheck.attach('legacy.hmc', 'roster',
    '{"key": "hmcid", "project": "xmid", "worker": "ryid", "employer": "qyid", "contract": "htqdrq", "start": "jcrq"}', mirror => true);
SELECT wagecheck.attach('legacy.zh', 'wage_account',
    '{"key": "zhid", "project": "xmid", "bank": "khh", "account_no": "zh", "opened": "khrq"}', mirror => true);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "counterparty_name": "dfhm", "at": "jysj",
      "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]},
      "purpose": {"column": "zy", "wage": ["工资*", "*月工资", "代发*"], "cash": ["取现", "现金*"]}}', mirror => true);
SELECT wagecheck.attach('legacy.gzb', 'pay_sheet',
    '{"key": "gzbid", "project": "xmid", "employer": "qyxydm", "period": "ny", "prepared": "zbrq"}', mirror => true);
SELECT wagecheck.attach('legacy.gzmx', 'pay_line',
    '{"key": ["gzbid", "xh"], "sheet": "gzbid", "worker": "sfzhm", "days": "cqts", "payable": "yfgz", "deductions": "kk", "net": "sfgz"}',
    mirror => true);
SELECT wagecheck.attach('legacy.ffjl', 'wage_payment',
    '{"key": "ffid", "line": ["gzbid", "xh"], "amount": "je", "method": "fffs", "card": "kh", "at": "ffsj"}', mirror => true);
SELECT wagecheck.attach('legacy.rgf', 'labour_cost',
    '{"key": ["xmid", "ny"], "project": "xmid", "period": "ny", "amount_due": "yfje", "due": "yfrq"}', mirror => true);
SELECT wagecheck.attach('legacy.bzj', 'deposit',
    '{"key": "bzjid", "project": "xmid", "form": {"column": "xs", "values": {"现金": "cash", "保函": "bank_letter"}},
      "amount": "je", "deposited": "jcrq"}', mirror => true);
SELECT "table", kind, mode FROM wagecheck.attached ORDER BY "table"::text;

-- the platform's master data: enterprises, a project named by its legacy key and its owner's
INSERT INTO legacy.qy VALUES
    ('QY1', '９１３７１３００ＭＡ３Ｃ８Ｑ５Ｎ８Ｃ', '临沂城投建设有限公司', '建设单位', '371300'),
    ('QY2', '91371302MA3N0L6GXQ', '沂河建工集团有限公司', '施工总承包', '371302');
INSERT INTO legacy.xm VALUES
    ('XM-001', 'LS-2026-017', '兰山区人民医院门诊楼', '371302', '房建', '政府投资', 'QY1', '91371302MA3N0L6GXQ', '2026-03-01', '拦截'),
    ('XM-002', 'LS-2026-018', '沂河路拓宽', '371302', '市政', '国有', 'QY1', 'QY2', '20260301', '预警');
SELECT e.enterprise_id, e.credit_code, e.role, e.division FROM wagecheck.enterprise e ORDER BY 1;
SELECT project_id, code, sector, funding, owner_id, contractor_id, start_on, enforcement_mode FROM wagecheck.project ORDER BY 1;
-- a sector the map does not know, an owner that names nothing: refused, naming the value
INSERT INTO legacy.xm VALUES ('XM-003', 'LS-2026-019', '某项目', '371302', '水利', '国有', 'QY1', 'QY2', NULL, NULL);
INSERT INTO legacy.xm VALUES ('XM-003', 'LS-2026-019', '某项目', '371302', '房建', '国有', 'QY9', 'QY2', NULL, NULL);

INSERT INTO legacy.ryxx VALUES (1, '371302198503122131', '张伟', '6228 4812 3456 7890 003'),
                               (2, '37130219780521001X', '王强', '6228481234567890029');
-- the roster names the project, the worker and the employer by the platform's keys
INSERT INTO legacy.hmc VALUES ('H1', 'XM-001', '1', 'QY2', '20260301', '20260301'),
                              ('H2', 'XM-001', '2', 'QY2', '20260301', '20260301'),
                              ('H3', 'XM-002', '1', 'QY2', '20260301', '20260301');
SELECT roster_id, project_id, worker_id, employer_id, start_on FROM wagecheck.roster ORDER BY 1;

-- accounts, with the account number written in groups; the movements name it so
INSERT INTO legacy.zh VALUES (1, 'XM-001', '农业银行临沂分行', '1523 0101 0400 3100 1', '2026-02-25'),
                             (2, 'XM-002', '农业银行临沂分行', '1523-0101-0400-3100-2', '2026-02-25');
SELECT account_id, project_id, account_no, opened_on FROM wagecheck.wage_account ORDER BY 1;
INSERT INTO legacy.yhls VALUES
    ('L1', '15230101040031001', '贷', '100,000.00', '9558801234567890', '临沂城投建设有限公司', '人工费', '2026-03-05 10:00:00'),
    ('L2', '1523 0101 0400 3100 1', '１', '6000', '6228481234567890003', '张伟', '工资款', '20260315 09:00'),
    ('L3', '15230101040031001', '1', '5500.50', '6228 4812 3456 7890 029', '王强', '3月工资', '2026年3月15日');
SELECT txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at FROM wagecheck.account_txn ORDER BY 1;
SELECT balance FROM wagecheck.wage_account WHERE account_id = 1;
-- a direction code the map does not know, an account that is nobody's, an amount that is no amount
INSERT INTO legacy.yhls VALUES ('L4', '15230101040031001', '3', '10', NULL, NULL, NULL, '2026-03-16');
INSERT INTO legacy.yhls VALUES ('L4', '15230101040031009', '2', '10', NULL, NULL, NULL, '2026-03-16');
INSERT INTO legacy.yhls VALUES ('L4', '15230101040031001', '2', '十元', NULL, NULL, NULL, '2026-03-16');
-- a cash withdrawal in a reject-mode project: wagecheck's own trigger refuses it (AC03)
INSERT INTO legacy.yhls VALUES ('L4', '15230101040031001', '借', '3000', NULL, NULL, '取现', '2026-03-16');
SELECT count(*) AS movements FROM wagecheck.account_txn;

-- a second bank feed of signed amounts (minus is out) and no direction column
CREATE TABLE legacy.yhls2 (lsh integer PRIMARY KEY, zh text, je text, dfzh text, zy text, jysj text);
SELECT wagecheck.attach('legacy.yhls2', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": {"column": "je", "sign": "minus_is_out"}, "counterparty": "dfzh",
      "purpose": "zy", "at": "jysj"}', mirror => true);
INSERT INTO legacy.yhls2 VALUES (1, '15230101040031002', '+20000', NULL, '人工费', '2026-03-06'),
                                (2, '15230101040031002', '-1000.00', '6228481234567890003', '工资', '2026-03-15');
INSERT INTO legacy.yhls2 VALUES (3, '15230101040031002', '0', NULL, NULL, '2026-03-16');
SELECT account_id, direction, amount, purpose FROM wagecheck.account_txn WHERE account_id = 2 ORDER BY txn_id;

-- pay sheets by month written as text, pay lines keyed by sheet and number
INSERT INTO legacy.gzb VALUES ('G1', 'XM-001', '91371302MA3N0L6GXQ', '202603', '2026-04-05');
INSERT INTO legacy.gzmx VALUES ('G1', 1, '371302198503122131', '15', '6000', '0', '6000'),
                               ('G1', 2, '37130219780521001X', '15', '5800.50', '300', '5500.50');
SELECT sheet_id, project_id, employer_id, period, prepared_on FROM wagecheck.pay_sheet;
SELECT line_id, sheet_id, worker_id, days, payable, deductions, net FROM wagecheck.pay_line ORDER BY 1;
SELECT source_key, kind, project_id, target FROM wagecheck.mirror_ref WHERE source = 'legacy.gzmx'::regclass ORDER BY 1;
-- a month that is none, a sheet that was never mirrored
INSERT INTO legacy.gzb VALUES ('G2', 'XM-001', '91371302MA3N0L6GXQ', '202613', NULL);
INSERT INTO legacy.gzmx VALUES ('G9', 1, '371302198503122131', '1', '100', '0', '100');
-- a line corrected before it is paid follows its two-column key
UPDATE legacy.gzmx SET kk = '200', sfgz = '5600.50' WHERE gzbid = 'G1' AND xh = 2;
SELECT line_id, deductions, net FROM wagecheck.pay_line WHERE line_id = 2;
-- payments name their line by the two columns of its key
INSERT INTO legacy.ffjl VALUES (1, 'G1', 1, 6000, '专户代发', '6228481234567890003', '2026-04-15 10:00'),
                               (2, 'G1', 2, 5500.50, '银行代发', '6228481234567890029', '2026-04-15 10:00');
SELECT payment_id, line_id, amount, method, card, paid_at FROM wagecheck.wage_payment ORDER BY 1;
INSERT INTO legacy.ffjl VALUES (3, 'G1', 3, 10, NULL, '6228481234567890029', '2026-04-15');
INSERT INTO legacy.ffjl VALUES (3, 'G1', 2, 10, '托人带去', '6228481234567890029', '2026-04-15');
-- once paid, a line is kept as written (wagecheck's own rule): the legacy update is refused
UPDATE legacy.gzmx SET kk = '0', sfgz = '5800.50' WHERE gzbid = 'G1' AND xh = 2;
-- a payment and its line removed follow their keys
DELETE FROM legacy.ffjl WHERE ffid = 2;
DELETE FROM legacy.gzmx WHERE gzbid = 'G1' AND xh = 2;
SELECT count(*) AS lines, (SELECT count(*) FROM wagecheck.mirror_ref WHERE source = 'legacy.gzmx'::regclass) AS refs
  FROM wagecheck.pay_line;

-- labour-cost schedule (a key of two columns, a month as text) and deposits
INSERT INTO legacy.rgf VALUES ('XM-001', '2026-03', '100000', '20260310'), ('XM-001', '202604', '100000', '20260410');
SELECT project_id, period, amount_due, due_on FROM wagecheck.labour_cost_schedule ORDER BY 2;
UPDATE legacy.rgf SET yfje = '120000' WHERE ny = '202604';
SELECT period, amount_due FROM wagecheck.labour_cost_schedule ORDER BY 1;
INSERT INTO legacy.bzj VALUES (1, 'XM-001', '保函', '500000', '2026-03-01');
INSERT INTO legacy.bzj VALUES (2, 'XM-001', '支票', '500000', '2026-03-01');
SELECT project_id, form, amount, deposited_on FROM wagecheck.guarantee_deposit;
TRUNCATE legacy.rgf;
SELECT count(*) AS schedules FROM wagecheck.labour_cost_schedule;

-- alert mode: a bank feed attached in alert mode records the rows it cannot mirror as
-- violations (the rule of the kind, the row's own time) and mirrors the others; a cash
-- withdrawal in the alert-mode project XM-002 is written and recorded by wagecheck's trigger
CREATE TABLE legacy.yhls3 (lsh text PRIMARY KEY, zh text, jdbz text, jyje text, zy text, jysj text);
SELECT wagecheck.attach('legacy.yhls3', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "direction": "jdbz", "purpose": "zy", "at": "jysj", "known_at": "jysj"}',
    'alert', mirror => true);
INSERT INTO legacy.yhls3 VALUES ('A1', '15230101040031002', 'out', '500', '取现', '2026-03-20 11:00'),
                                ('A2', '15230101040031099', 'out', '500', '工资', '2026-03-20 12:00'),
                                ('A3', '15230101040031002', 'sideways', '500', '工资', '2026-03-20 13:00');
SELECT lsh, t.direction, t.amount, t.purpose FROM legacy.yhls3 l
  JOIN wagecheck.mirror_ref r ON r.source = 'legacy.yhls3'::regclass AND r.source_key = l.lsh
  JOIN wagecheck.account_txn t ON t.txn_id = (r.target ->> 'txn_id')::bigint ORDER BY 1;
SELECT rule_code, subject_kind, subject_id, project_id, occurred_at, details ->> 'message' AS message, source
  FROM wagecheck.violation ORDER BY violation_id;

-- backfill of a table keyed by two columns, in batches, resumable
CREATE TABLE legacy.gzmx2 (gzbid text, xh integer, sfzhm text, yfgz text, PRIMARY KEY (gzbid, xh));
INSERT INTO legacy.gzmx2 VALUES ('G1', 10, '371302198503122131', '1'), ('G1', 11, '371302198503122131', '2'),
                                ('G1', 9, '371302198503122131', '3');
SELECT wagecheck.attach('legacy.gzmx2', 'pay_line', '{"key": ["gzbid", "xh"], "sheet": "gzbid", "worker": "sfzhm", "payable": "yfgz"}',
                        mirror => true);
CALL wagecheck.mirror_backfill('legacy.gzmx2', 2);
SELECT backfilled_to FROM wagecheck.mirror WHERE source = 'legacy.gzmx2'::regclass;
SELECT r.source_key, l.payable, l.net FROM wagecheck.mirror_ref r JOIN wagecheck.pay_line l ON l.line_id = (r.target ->> 'line_id')::bigint
 WHERE r.source = 'legacy.gzmx2'::regclass ORDER BY l.payable;
CALL wagecheck.mirror_backfill('legacy.gzmx2', 2);

-- an officer goes from an alert's movement back to the bank's record
SELECT r.source, r.source_key, l.zy, l.jysj FROM wagecheck.mirror_ref r JOIN legacy.yhls3 l ON l.lsh = r.source_key
 WHERE r.kind = 'account_txn' AND r.source = 'legacy.yhls3'::regclass;
-- booked movements are kept as written (wagecheck's own rule): detaching cannot remove them
SELECT wagecheck.detach('legacy.yhls3', keep_rows => false);
SELECT wagecheck.detach('legacy.yhls3');
SELECT count(*) AS movements, (SELECT count(*) FROM wagecheck.mirror_ref WHERE source = 'legacy.yhls3'::regclass) AS refs
  FROM wagecheck.account_txn;
-- a deposit's mirrored rows go when detached with keep_rows => false
SELECT wagecheck.detach('legacy.bzj', keep_rows => false);
SELECT count(*) AS deposits FROM wagecheck.guarantee_deposit;

DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
