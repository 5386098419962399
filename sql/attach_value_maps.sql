-- Value maps and time roles of an attached table's mapping: direction codes as
-- the bank writes them, wage purposes as patterns (with defaults covering what
-- banks write), signed amounts, dates and times in text columns, the row's own
-- moment and its knowledge time; the mapping checked when attaching, its
-- errors naming the role and the column.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('LS-2020-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2);
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371302198503122131', '张伟', '6228481234567890003');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 1, 2, '2020-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
VALUES (1, '农业银行临沂兰山支行', '15230101040031001', '2020-03-05');

CREATE SCHEMA legacy;
-- the bank codes 1 = 借 (out), 2 = 贷 (in); its time is text
CREATE TABLE legacy.yhjyls (lsh text PRIMARY KEY, zh text, jdbz text, jyje numeric(16,2),
                            dfzh text, zy text, jysj text, rksj timestamptz);
-- a ledger with signed amounts and no direction column
CREATE TABLE legacy.zhmx (lsh text PRIMARY KEY, zh text, je numeric(16,2), zy text, rq date);

-- === the mapping is checked when attaching: errors name the role and the column
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"column": "jdbz", "in": ["2"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"column": "jdbz", "in": ["1", "2"], "out": ["1"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"column": "jdbz", "up": ["2"], "down": ["1"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"in": ["2"], "out": ["1"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"column": "fx", "in": ["2"], "out": ["1"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "direction": {"column": "jdbz", "in": [["2"]], "out": ["1"]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": "jyje", "purpose": {"column": "zy", "wage": [""]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"account": "zh", "amount": {"column": "jyje", "sign": "minus_is_in"}, "direction": "jdbz"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.zhmx', 'account_txn', '{"account": "zh", "amount": {"column": "je", "sign": "negative"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn', '{"account": "zh", "amount": "jyje", "at": "jyje"}');
\echo :LAST_ERROR_SQLSTATE
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn', '{"account": "zh", "amount": "jyje", "known_at": "sj"}');
\echo :LAST_ERROR_SQLSTATE

-- === codes 1 and 2 are not guessed without a value map
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy"}');
INSERT INTO legacy.yhjyls VALUES ('0', '15230101040031001', '2', 9760.00, NULL, '人工费', '20201201', NULL);
\echo :LAST_ERROR_SQLSTATE

-- === with the bank's value map: 1 = 借 (out), 2 = 贷 (in)
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy", "at": "jysj",
      "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]}}');
SELECT "table", columns FROM wagecheck.attached WHERE NOT builtin;
INSERT INTO legacy.yhjyls VALUES
    ('1', '1523 0101 0400 3100 1', '2', 6760.00, NULL, '人工费', '20201201', NULL),
    ('2', '15230101040031001', '贷', 3000.00, NULL, '人工费', '2020-12-02 09:00:00', NULL);
SELECT account_id, balance FROM wagecheck.wage_account;
-- a cash withdrawal coded 1 is an outflow (AC03), not money coming in
INSERT INTO legacy.yhjyls VALUES ('3', '15230101040031001', '1', 3000.00, NULL, '现金', '2020-12-15 10:00:00', NULL);
\echo :LAST_ERROR_SQLSTATE
-- what banks write for a wage into the worker's own registered card passes (default patterns)
INSERT INTO legacy.yhjyls VALUES
    ('4', '15230101040031001', '1', 100.00, '6228481234567890003', '工资款', '20201215', NULL),
    ('5', '15230101040031001', '1', 100.00, '6228481234567890003', '11月工资', '20201215', NULL),
    ('6', '15230101040031001', '1', 100.00, '6228481234567890003', '2020年11月工资', '20201215', NULL),
    ('7', '15230101040031001', '1', 100.00, '6228481234567890003', '劳务费', '20201215', NULL),
    ('8', '15230101040031001', '1', 100.00, '6228481234567890003', '代发工资', '20201215', NULL),
    ('9', '15230101040031001', '1', 100.00, '6228481234567890003', NULL, '20201215', NULL);
SELECT account_id, balance FROM wagecheck.wage_account;
-- a time that is no time is not a guess either, nor one outside 2000..2099
INSERT INTO legacy.yhjyls VALUES ('10', '15230101040031001', '2', 1.00, NULL, '人工费', '15/12/2020', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhjyls VALUES ('10', '15230101040031001', '2', 1.00, NULL, '人工费', '19991231', NULL);
\echo :LAST_ERROR_SQLSTATE

-- === wage patterns of the mapping replace the defaults
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "at": "jysj",
      "direction": {"column": "jdbz", "in": ["2"], "out": ["1"]},
      "purpose": {"column": "zy", "wage": ["#月工资", "*代发*"], "cash": ["ATM*"]}}');
SELECT columns->'purpose' AS purpose FROM wagecheck.attached WHERE NOT builtin;
INSERT INTO legacy.yhjyls VALUES ('11', '15230101040031001', '1', 100.00, '6228481234567890003', '12月工资', '20201231', NULL);
INSERT INTO legacy.yhjyls VALUES ('12', '15230101040031001', '1', 100.00, '6228481234567890003', '批量代发', '20201231', NULL);
-- 劳务费 is no wage by this mapping, and ATM取款 is cash: AC03
INSERT INTO legacy.yhjyls VALUES ('13', '15230101040031001', '1', 100.00, '6228481234567890003', '劳务费', '20201231', NULL);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhjyls VALUES ('14', '15230101040031001', '1', 100.00, NULL, 'ATM取款', '20201231', NULL);
\echo :LAST_ERROR_SQLSTATE

-- === alert mode: violations keep the row's own time (a back-dated file loaded today)
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy", "at": "jysj",
      "direction": {"column": "jdbz", "in": ["2"], "out": ["1"]}}', 'alert');
INSERT INTO legacy.yhjyls VALUES
    ('20', '15230101040031001', '1', 500.00, NULL, '现金', '2021-01-05 10:00:00', NULL),
    ('21', '15230101040031001', '1', 500.00, NULL, '现金', '２０２１０１０６', NULL),
    ('22', '15230101040031001', '1', 500.00, NULL, '现金', 'sometime', NULL);
SELECT subject_id, rule_code, CASE WHEN occurred_at > '2021-12-31' THEN 'when loaded' ELSE occurred_at::text END AS occurred_at,
       details->>'sqlstate' AS sqlstate
  FROM wagecheck.violation ORDER BY violation_id;
-- a replay as of the facts' dates sees the alerts then, not on the load date
SELECT count(*) > 0 AS scanned FROM wagecheck.scan('2021-01-05 12:00+08', false);
SELECT count(*) > 0 AS scanned FROM wagecheck.scan('2021-01-07 00:00+08', false);
SELECT subject_id, rule_code, opened_at FROM wagecheck.alert WHERE subject_kind = 'account_txn' ORDER BY subject_id;
-- with a knowledge time mapped, the violation is recorded when the row became known
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy", "at": "jysj",
      "known_at": "rksj", "direction": {"column": "jdbz", "in": ["2"], "out": ["1"]}}', 'alert');
INSERT INTO legacy.yhjyls VALUES ('23', '15230101040031001', '1', 500.00, NULL, '现金', '20210105', '2021-02-01 08:00+08');
SELECT subject_id, occurred_at, details->>'at' AS at FROM wagecheck.violation WHERE subject_id = '23';

-- === signed amounts without a direction column; a ledger where minus means money in
SELECT wagecheck.attach('legacy.zhmx', 'account_txn', '{"id": "lsh", "account": "zh", "amount": "je", "purpose": "zy", "at": "rq"}');
SELECT balance AS before FROM wagecheck.wage_account;
INSERT INTO legacy.zhmx VALUES ('m1', '15230101040031001', 1000.00, '人工费', '2021-03-01');
INSERT INTO legacy.zhmx VALUES ('m2', '15230101040031001', -200.00, '现金', '2021-03-02');
\echo :LAST_ERROR_SQLSTATE
SELECT balance AS plus_1000 FROM wagecheck.wage_account;
SELECT wagecheck.attach('legacy.zhmx', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": {"column": "je", "sign": "minus_is_in"}, "purpose": "zy"}');
SELECT columns->'amount' AS amount FROM wagecheck.attached WHERE NOT builtin AND "table" = 'legacy.zhmx'::regclass;
INSERT INTO legacy.zhmx VALUES ('m3', '15230101040031001', -1000.00, '人工费', '2021-03-03');
INSERT INTO legacy.zhmx VALUES ('m4', '15230101040031001', 200.00, '现金', '2021-03-04');
\echo :LAST_ERROR_SQLSTATE
SELECT balance AS plus_another_1000 FROM wagecheck.wage_account;

-- === dates of a closure written as text
CREATE TABLE legacy.zhxx (zh text PRIMARY KEY, xmbh text, gsrq text, xhrq varchar(20));
INSERT INTO legacy.zhxx VALUES ('15230101040031001', 'LS-2020-017', NULL, NULL);
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}');
UPDATE legacy.zhxx SET gsrq = '2021年6月1日', xhrq = '20210615';
\echo :LAST_ERROR_SQLSTATE
UPDATE legacy.zhxx SET gsrq = '2021年6月1日', xhrq = '20210615-ish';
\echo :LAST_ERROR_SQLSTATE

SET client_min_messages = warning;
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
