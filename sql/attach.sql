-- Attaching the enforcing trigger to tables of an existing government system
-- (pinyin column names, Chinese comments, text-typed dirty ID numbers).
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2);
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371302198503122131', '张伟', '6228481234567890003'),
    ('37130219780521001X', '王强', '6228481234567890029');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 1, 2, '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
VALUES (1, '农业银行临沂兰山支行', '15230101040012345', '2026-03-05');

-- the legacy system: bank movements (银行流水) and pay details (工资明细)
CREATE SCHEMA legacy;
CREATE TABLE legacy.yhls (
    lsh  text PRIMARY KEY,
    zh   varchar(32) NOT NULL,
    jdbz char(1) NOT NULL,
    jyje numeric(16,2) NOT NULL,
    dfzh varchar(32),
    dfhm text,
    zy   text,
    jysj timestamp NOT NULL
);
COMMENT ON TABLE legacy.yhls IS '农民工工资专户银行流水';
COMMENT ON COLUMN legacy.yhls.lsh IS '流水号';
COMMENT ON COLUMN legacy.yhls.zh IS '账号';
COMMENT ON COLUMN legacy.yhls.jdbz IS '借贷标志（D借 C贷）';
COMMENT ON COLUMN legacy.yhls.jyje IS '交易金额';
COMMENT ON COLUMN legacy.yhls.dfzh IS '对方账号';
COMMENT ON COLUMN legacy.yhls.dfhm IS '对方户名';
COMMENT ON COLUMN legacy.yhls.zy IS '摘要';
COMMENT ON COLUMN legacy.yhls.jysj IS '交易时间';
CREATE TABLE legacy.gzmx (
    id   serial PRIMARY KEY,
    xmbh text,
    sfzh text,
    xm   text,
    yfgz numeric(12,2),
    kkje numeric(12,2),
    sfgz numeric(12,2),
    gzyf text
);
COMMENT ON TABLE legacy.gzmx IS '农民工工资发放明细';
COMMENT ON COLUMN legacy.gzmx.xmbh IS '项目编号';
COMMENT ON COLUMN legacy.gzmx.sfzh IS '身份证号（原样录入，可能含空格、全角、小写x）';
COMMENT ON COLUMN legacy.gzmx.xm IS '姓名';
COMMENT ON COLUMN legacy.gzmx.yfgz IS '应发工资';
COMMENT ON COLUMN legacy.gzmx.kkje IS '扣款金额';
COMMENT ON COLUMN legacy.gzmx.sfgz IS '实发工资';
COMMENT ON COLUMN legacy.gzmx.gzyf IS '工资月份';

-- === the mapping is checked when attaching
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": "zh", "amount": "je"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": "zh", "amount": "dfhm"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": "zh", "amount": "jyje", "sfzh": "dfzh"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"amount": "jyje"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'payroll', '{"account": "zh", "amount": "jyje"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": "zh", "amount": "jyje"}', 'warn');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": "zh", "amount": "jyje"}', 'alert');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"account": 7, "amount": "jyje"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.gzmx', 'pay_line', '{"worker": "sfzh", "payable": "yfgz"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.gzmx', 'pay_line', '{"project": "xmbh", "worker": "yfgz", "payable": "yfgz"}');
\echo :LAST_ERROR_SQLSTATE

-- === bank movements, reject mode
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje",
      "counterparty": "dfzh", "counterparty_name": "dfhm", "purpose": "zy"}');
SELECT "table", kind, mode, columns FROM wagecheck.attached WHERE NOT builtin;
INSERT INTO legacy.yhls VALUES
    ('20260408-0001', '15230101040012345', 'C', 80000.00, '9558800001000000001', '临沂城投', '人工费', '2026-04-08 10:00'),
    ('20260415-0001', '15230101040012345', 'D', 5200.00, '6228 4812 3456 7890 003', '张伟', '代发工资', '2026-04-15 09:00');
SELECT account_id, balance FROM wagecheck.wage_account;
-- fail closed: a movement of an account wagecheck does not know is refused, never waved through
INSERT INTO legacy.yhls VALUES
    ('20260415-0002', '99990000000000001', 'D', 100000.00, '6222000000000000000', '某公司', '货款', '2026-04-15 09:05');
\echo :LAST_ERROR_SQLSTATE
-- cash withdrawal and a wage to a worker not on this project's roster: refused
INSERT INTO legacy.yhls VALUES
    ('20260415-0003', '15230101040012345', 'D', 3000.00, NULL, NULL, '现金', '2026-04-15 10:00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls VALUES
    ('20260415-0004', '15230101040012345', 'D', 4800.00, '6228481234567890029', '王强', '代发工资', '2026-04-15 10:05');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS movements FROM legacy.yhls;

-- === the same feed in alert mode: one bad row does not stop the nightly file
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje",
      "counterparty": "dfzh", "counterparty_name": "dfhm", "purpose": "zy"}', 'alert');
COPY legacy.yhls FROM stdin;
20260515-0001	15230101040012345	C	20000.00	9558800001000000001	临沂城投	人工费	2026-05-08 10:00
20260515-0002	15230101040012345	D	3000.00	\N	\N	现金	2026-05-15 10:00
20260515-0003	15230101040012345	D	6100.00	6228481234567890003	张伟	代发工资	2026-05-15 10:05
\.
SELECT account_id, balance FROM wagecheck.wage_account;
SELECT rule_code, subject_kind, subject_id, project_id, details->>'amount' AS amount, source
  FROM wagecheck.violation ORDER BY violation_id;

-- === pay details with dirty ID numbers, alert mode (an ID that is no ID, a project wagecheck does not know: recorded)
SELECT wagecheck.attach('legacy.gzmx', 'pay_line',
    '{"id": "id", "project": "xmbh", "worker": "sfzh", "payable": "yfgz", "deductions": "kkje", "net": "sfgz"}',
    'alert');
INSERT INTO legacy.gzmx (xmbh, sfzh, xm, yfgz, kkje, sfgz, gzyf) VALUES
    ('LS-2026-017', ' 3713 0219 8503 1221 31 ', '张伟', 5200, 0, 5200, '2026-04'),
    ('LS-2026-017', '３７１３０２１９８５０３１２２１３１', '张伟', 300, 0, 300, '2026-04'),
    ('LS-2026-017', '37130219780521001x', '王强', 4800, 0, 4800, '2026-04'),
    ('LS-2026-017', '37130219850312213', '张伟?', 100, 0, 100, '2026-04'),
    ('LS-2026-017', '371302198503122131', '张伟', 5200, 200, 5200, '2026-04'),
    ('OTHER-SYSTEM-1', 'garbage', 'x', 1, 0, 1, '2026-04');
SELECT count(*) AS lines FROM legacy.gzmx;
SELECT rule_code, subject_id, details->>'worker' AS worker, details->>'amount' AS amount
  FROM wagecheck.violation WHERE subject_kind = 'pay_line' ORDER BY violation_id;
-- reject mode: the unrostered worker's line is refused
SELECT wagecheck.attach('legacy.gzmx', 'pay_line',
    '{"id": "id", "project": "xmbh", "worker": "sfzh", "payable": "yfgz", "deductions": "kkje", "net": "sfgz"}');
INSERT INTO legacy.gzmx (xmbh, sfzh, xm, yfgz, kkje, sfgz, gzyf)
VALUES ('LS-2026-017', '37130219780521001X', '王强', 4800, 0, 4800, '2026-05');
\echo :LAST_ERROR_SQLSTATE

-- === wage payments of the legacy system (工资发放记录): real name and the worker's own card
CREATE TABLE legacy.gzff (
    ffid serial PRIMARY KEY,
    xmbh text NOT NULL,
    sfzh text,
    xm   text,
    ffje numeric(12,2) NOT NULL,
    skzh varchar(40),
    ffgs text,
    ffrq date
);
COMMENT ON TABLE legacy.gzff IS '农民工工资发放记录';
COMMENT ON COLUMN legacy.gzff.xmbh IS '项目编号';
COMMENT ON COLUMN legacy.gzff.sfzh IS '身份证号（原样录入）';
COMMENT ON COLUMN legacy.gzff.xm IS '姓名';
COMMENT ON COLUMN legacy.gzff.ffje IS '发放金额';
COMMENT ON COLUMN legacy.gzff.skzh IS '收款账号';
COMMENT ON COLUMN legacy.gzff.ffgs IS '发放方式（银行代发、现金……）';
COMMENT ON COLUMN legacy.gzff.ffrq IS '发放日期';
-- the mapping is checked: a card, and either a pay line or both project and worker
SELECT wagecheck.attach('legacy.gzff', 'wage_payment', '{"id": "ffid", "project": "xmbh", "worker": "sfzh", "amount": "ffje"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.gzff', 'wage_payment', '{"id": "ffid", "worker": "sfzh", "amount": "ffje", "card": "skzh"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.gzff', 'wage_payment', '{"id": "ffid", "project": "xmbh", "worker": "sfzh", "amount": "ffje", "card": "ffrq"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.gzff', 'wage_payment',
    '{"id": "ffid", "project": "xmbh", "worker": "sfzh", "amount": "ffje", "card": "skzh", "method": "ffgs"}');
-- reject mode: his own card (written with blanks) passes; a project wagecheck does not know is refused
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq) VALUES
    ('LS-2026-017', ' 3713 0219 8503 1221 31 ', '张伟', 5200, '6228 4812 3456 7890 003', '银行代发', '2026-05-15');
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq) VALUES
    ('OTHER-SYSTEM-1', 'garbage', 'x', 1, NULL, '现金', '2026-05-15');
\echo :LAST_ERROR_SQLSTATE
-- 王强 is registered by real name but not on this project's roster (RN01)
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq)
VALUES ('LS-2026-017', '37130219780521001x', '王强', 4800, '6228481234567890029', '银行代发', '2026-05-15');
\echo :LAST_ERROR_SQLSTATE
-- 张伟's wages into another worker's card, and in cash (WP04)
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq)
VALUES ('LS-2026-017', '371302198503122131', '张伟', 5200, '6228481234567890029', '银行代发', '2026-05-15');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq)
VALUES ('LS-2026-017', '371302198503122131', '张伟', 5200, NULL, '现金', '2026-05-15');
\echo :LAST_ERROR_SQLSTATE
-- a method word wagecheck does not know is not a guess: the row is refused
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq)
VALUES ('LS-2026-017', '371302198503122131', '张伟', 5200, '6228481234567890003', '微信', '2026-05-15');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS payments FROM legacy.gzff;
-- alert mode: every row goes in, each violation is recorded
SELECT wagecheck.attach('legacy.gzff', 'wage_payment',
    '{"id": "ffid", "project": "xmbh", "worker": "sfzh", "amount": "ffje", "card": "skzh", "method": "ffgs"}',
    'alert');
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq) VALUES
    ('LS-2026-017', '37130219780521001X', '王强', 4800, '6228481234567890029', '银行代发', '2026-06-15'),
    ('LS-2026-017', '371302198503122131', '张伟', 5200, '6228 4812 3456 7890 029', '银行代发', '2026-06-15'),
    ('LS-2026-017', '371302198503122131', '张伟', 300, NULL, '现金', '2026-06-15'),
    ('LS-2026-017', '371302199001011233', '李娜', 100, '6228481234567890011', 'account', '2026-06-15'),
    ('LS-2026-017', '371302198503122131', '张伟', 5200, '6228481234567890003', '专户代发', '2026-06-15');
SELECT count(*) AS payments FROM legacy.gzff;
SELECT rule_code, subject_id, details->>'worker' AS worker, details->>'amount' AS amount,
       details->>'detail' AS detail
  FROM wagecheck.violation WHERE subject_kind = 'payment' ORDER BY violation_id;

-- === dedicated accounts of the legacy system (专户信息): closure (AC05)
CREATE TABLE legacy.zhxx (
    zh   varchar(32) PRIMARY KEY,
    xmbh text NOT NULL,
    khyh text,
    khrq date,
    gsrq date,
    xhrq date,
    ye   numeric(16,2)
);
COMMENT ON TABLE legacy.zhxx IS '农民工工资专用账户信息';
COMMENT ON COLUMN legacy.zhxx.zh IS '账号';
COMMENT ON COLUMN legacy.zhxx.xmbh IS '项目编号';
COMMENT ON COLUMN legacy.zhxx.khyh IS '开户银行';
COMMENT ON COLUMN legacy.zhxx.khrq IS '开户日期';
COMMENT ON COLUMN legacy.zhxx.gsrq IS '销户公示日期';
COMMENT ON COLUMN legacy.zhxx.xhrq IS '销户日期';
COMMENT ON COLUMN legacy.zhxx.ye IS '余额';
INSERT INTO legacy.zhxx VALUES
    ('15230101040012345', 'LS-2026-017', '农业银行临沂兰山支行', '2026-03-05', NULL, NULL, 80000.00),
    ('15230101040067890', 'LS-2026-017', '建设银行临沂兰山支行', '2026-03-06', NULL, NULL, 0.00);
-- the legacy system keeps its own balance: not a role of an attached table; dates must be dates
SELECT wagecheck.attach('legacy.zhxx', 'wage_account',
    '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq", "balance": "ye"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "ye", "notice_on": "gsrq"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}');
UPDATE legacy.zhxx SET ye = 70000.00 WHERE zh = '15230101040012345';
-- closing without a public notice, then before the 30-day notice has run: refused
UPDATE legacy.zhxx SET xhrq = '2026-06-30' WHERE zh = '15230101040012345';
\echo :LAST_ERROR_SQLSTATE
UPDATE legacy.zhxx SET gsrq = '2026-06-20' WHERE zh = '15230101040012345';
UPDATE legacy.zhxx SET xhrq = '2026-07-10' WHERE zh = '15230101040012345';
\echo :LAST_ERROR_SQLSTATE
-- wages owed on the project (wagecheck's pay ledger): refused after the notice too
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 2, '2026-06-01', '2026-07-05');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (1, 1, 3000, 0, 3000);
UPDATE legacy.zhxx SET xhrq = '2026-07-20' WHERE zh = '15230101040012345';
\echo :LAST_ERROR_SQLSTATE
-- paid: the account closes
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card) VALUES (1, 3000, '2026-07-15', '6228481234567890003');
UPDATE legacy.zhxx SET xhrq = '2026-07-20' WHERE zh = '15230101040012345';
-- alert mode: a closure without notice goes through and is recorded
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}', 'alert');
UPDATE legacy.zhxx SET xhrq = '2026-07-01' WHERE zh = '15230101040067890';
SELECT zh, gsrq, xhrq, ye FROM legacy.zhxx ORDER BY zh;
SELECT rule_code, subject_kind, subject_id, details->>'message' AS message
  FROM wagecheck.violation WHERE rule_code = 'AC05' ORDER BY violation_id;
SELECT "table", kind, mode, columns FROM wagecheck.attached
 WHERE kind IN ('wage_payment', 'wage_account') AND NOT builtin ORDER BY "table"::text;

-- === every account of LS-2026-017 in the legacy system is now closed (wagecheck's own
-- account row 1 is still open): no new wages are recorded or paid on the project, and
-- its account takes no movements (AC05)
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (1, 1, 800, 0, 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card) VALUES (1, 100, '2026-07-25', '6228481234567890003');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx (xmbh, sfzh, xm, yfgz, kkje, sfgz, gzyf)
VALUES (' LS-2026-017 ', '371302198503122131', '张伟', 800, 0, 800, '2026-07');
\echo :LAST_ERROR_SQLSTATE
-- nor does its account take movements (wagecheck's own row of it is still open)
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 100, '6228481234567890003', 'wage', '2026-07-25 09:00+08');
\echo :LAST_ERROR_SQLSTATE
-- nor does an update raise the wages owed on it: a larger net is refused; a smaller one, or
-- a change of what is not money (the month as written), goes through
UPDATE legacy.gzmx SET yfgz = 5300, sfgz = 5300 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE legacy.gzmx SET yfgz = 5100, sfgz = 5100 WHERE id = 1;
UPDATE legacy.gzmx SET gzyf = '2026年4月' WHERE id = 1;
SELECT id, yfgz, sfgz, gzyf FROM legacy.gzmx WHERE id = 1;
SELECT count(*) AS lines FROM wagecheck.pay_line;
SELECT count(*) AS payments FROM wagecheck.wage_payment;
-- alert mode: the rows go in, each recorded as AC05 (legacy.gzff and legacy.yhls are attached in alert mode)
INSERT INTO legacy.yhls VALUES
    ('20260725-0001', '15230101040012345', 'D', 800.00, '6228481234567890003', '张伟', '代发工资', '2026-07-25 09:00');
INSERT INTO legacy.gzff (xmbh, sfzh, xm, ffje, skzh, ffgs, ffrq)
VALUES ('LS-2026-017', '371302198503122131', '张伟', 800, '6228481234567890003', '银行代发', '2026-07-25');
UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = 1;
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (1, 1, 800, 0, 800);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card)
SELECT max(line_id), 800, '2026-07-26', '6228481234567890003' FROM wagecheck.pay_line;
-- a legacy payment's amount changed after closure is recorded too; its date changed is not
UPDATE legacy.gzff SET ffje = 5300 WHERE ffid = 1;
UPDATE legacy.gzff SET ffrq = '2026-05-16' WHERE ffid = 1;
SELECT rule_code, subject_kind, source, details->>'worker' AS worker, details->>'amount' AS amount,
       details->>'sqlstate' AS sqlstate, details->>'message' AS message, details->>'detail' AS detail
  FROM wagecheck.violation WHERE rule_code = 'AC05' AND subject_kind IN ('account_txn', 'pay_line', 'payment')
 ORDER BY violation_id;
-- reopened in the legacy system: wages are recorded again, in reject mode too
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 1;
UPDATE legacy.zhxx SET xhrq = NULL WHERE zh = '15230101040067890';
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, payable, deductions, net) VALUES (1, 1, 500, 0, 500);
SELECT count(*) AS lines FROM wagecheck.pay_line;

-- === column positions are cached per backend and dropped when the table changes
ALTER TABLE legacy.yhls RENAME COLUMN jyje TO je;
INSERT INTO legacy.yhls VALUES
    ('20260601-0001', '15230101040012345', 'C', 1000.00, NULL, NULL, '人工费', '2026-06-01 10:00');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE legacy.yhls RENAME COLUMN je TO jyje;
INSERT INTO legacy.yhls VALUES
    ('20260601-0001', '15230101040012345', 'C', 1000.00, NULL, NULL, '人工费', '2026-06-01 10:00');
SELECT account_id, balance FROM wagecheck.wage_account;

-- === identifiers reaching dynamic SQL are quoted
CREATE TABLE legacy."流水 ""2026""; DROP TABLE legacy.gzmx; --" (lsh text, zh text, jyje numeric);
SELECT wagecheck.attach('legacy."流水 ""2026""; DROP TABLE legacy.gzmx; --"', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje"}', 'alert');
SELECT "table", kind, mode FROM wagecheck.attached WHERE NOT builtin ORDER BY "table"::text;
SELECT to_regclass('legacy.gzmx') IS NOT NULL AS gzmx_still_there;

-- === detach
SELECT wagecheck.detach('legacy.yhls'), wagecheck.detach('legacy.yhls');
INSERT INTO legacy.yhls VALUES
    ('20260602-0001', '15230101040012345', 'D', 99999.00, NULL, NULL, '现金', '2026-06-02 10:00');
SELECT "table" FROM wagecheck.attached WHERE NOT builtin ORDER BY "table"::text;

SET client_min_messages = warning;
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
