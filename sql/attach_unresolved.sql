-- Fail closed: a row of an attached table whose account, worker, card, project,
-- direction, method, amount, sheet or line wagecheck cannot resolve is refused
-- (reject mode) or recorded as a violation (alert mode), never let through
-- unchecked; what a clerk or a bank writes (blanks, hyphens, full-width digits,
-- padding) is normalized first. Every column role of every kind is tried.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
\set VERBOSITY default
SET datestyle = 'ISO, YMD';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2);
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371302198503122131', '张伟', '6228481234567890003');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 1, 2, '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
VALUES (1, '农业银行临沂兰山支行', '15230101040012345', '2026-03-05');
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 2, '2026-04-01', '2026-05-05');

CREATE SCHEMA legacy;
-- bank movements; the account number is char(24): padded with blanks
CREATE TABLE legacy.yhls (lsh text PRIMARY KEY, zh char(24), jdbz text, jyje numeric(16,2),
                          dfzh text, zy text);
-- movements keyed by wagecheck's account id
CREATE TABLE legacy.yhls_id (lsh text PRIMARY KEY, zhid bigint, jyje numeric(16,2));
-- pay-sheet lines by project code, and by wagecheck's sheet id
CREATE TABLE legacy.gzmx (id int PRIMARY KEY, xmbh text, sfzh text, yfgz numeric(12,2));
CREATE TABLE legacy.gzmx_bd (id int PRIMARY KEY, bdid bigint, sfzh text, yfgz numeric(12,2));
-- payments by project and worker, and by wagecheck's pay line
CREATE TABLE legacy.gzff (id int PRIMARY KEY, xmbh text, sfzh text, ffje numeric(12,2), skzh text, ffgs text);
CREATE TABLE legacy.gzff_mx (id int PRIMARY KEY, mxid bigint, ffje numeric(12,2), skzh text);
-- accounts
CREATE TABLE legacy.zhxx (zh text PRIMARY KEY, xmbh text, gsrq date, xhrq date);
INSERT INTO legacy.zhxx VALUES ('15230101040012345', 'LS-2026-017', NULL, NULL), ('X-1', 'NO-SUCH-PROJECT', NULL, NULL);

SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje", "counterparty": "dfzh", "purpose": "zy"}');
SELECT wagecheck.attach('legacy.yhls_id', 'account_txn', '{"id": "lsh", "account": "zhid", "amount": "jyje"}');
SELECT wagecheck.attach('legacy.gzmx', 'pay_line', '{"id": "id", "project": "xmbh", "worker": "sfzh", "payable": "yfgz"}');
SELECT wagecheck.attach('legacy.gzmx_bd', 'pay_line', '{"id": "id", "sheet": "bdid", "worker": "sfzh", "payable": "yfgz"}');
SELECT wagecheck.attach('legacy.gzff', 'wage_payment',
    '{"id": "id", "project": "xmbh", "worker": "sfzh", "amount": "ffje", "card": "skzh", "method": "ffgs"}');
SELECT wagecheck.attach('legacy.gzff_mx', 'wage_payment', '{"id": "id", "line": "mxid", "amount": "ffje", "card": "skzh"}');
SELECT wagecheck.attach('legacy.zhxx', 'wage_account', '{"id": "zh", "project": "xmbh", "closed_on": "xhrq", "notice_on": "gsrq"}');

-- === normalized, then resolved: blanks, hyphens, full-width digits and letters, padding
INSERT INTO legacy.yhls VALUES
    ('n1', '1523 0101 0400 1234 5', 'C', 1000, NULL, '人工费'),
    ('n2', '1523-0101-0400-1234-5', '贷', 1000, NULL, '人工费'),
    ('n3', '１５２３０１０１０４００１２３４５', 'Ｃ', 1000, NULL, '人工费'),
    ('n4', '  15230101040012345', ' c ', 1000, NULL, '人工费'),
    ('n5', '15230101040012345', 'Ｄ', 100, '６２２８ ４８１２ ３４５６ ７８９０ ００３', '工资');
SELECT account_id, balance FROM wagecheck.wage_account;
INSERT INTO legacy.gzmx VALUES
    (1, 'ＬＳ－２０２６－０１７', '３７１３０２１９８５０３１２２１３１', 800),
    (2, ' LS 2026 017 ', '371302-19850312-2131', 800),
    (3, 'ls-2026-017', ' 371302198503122131　', 800);
INSERT INTO legacy.gzff VALUES
    (1, 'LS—2026—017', '371302198503122131', 800, '6228-4812-3456-7890-003', '　银行代发　');
SELECT (SELECT count(*) FROM legacy.yhls) AS movements, (SELECT count(*) FROM legacy.gzmx) AS lines,
       (SELECT count(*) FROM legacy.gzff) AS payments, (SELECT count(*) FROM wagecheck.violation) AS violations;

-- === reject mode: every role with a value wagecheck cannot resolve
-- account_txn: account (unknown, NULL; by id unknown, NULL), direction (unknown, NULL), amount (NULL)
INSERT INTO legacy.yhls VALUES ('r1', '1523 0101 0400 3100 1', 'C', 1000, NULL, '人工费');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls VALUES ('r2', NULL, 'C', 1000, NULL, '人工费');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls_id VALUES ('r3', 99, 1000);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls_id VALUES ('r4', NULL, 1000);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls VALUES ('r5', '15230101040012345', '9', 3000, NULL, '现金');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls VALUES ('r6', '15230101040012345', NULL, 3000, NULL, '现金');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.yhls VALUES ('r7', '15230101040012345', 'D', NULL, NULL, '现金');
\echo :LAST_ERROR_SQLSTATE
-- counterparty: not any worker's card (the outflow rule answers: WP04)
INSERT INTO legacy.yhls VALUES ('r8', '15230101040012345', 'D', 100, '6228 48XX', '工资');
\echo :LAST_ERROR_SQLSTATE
-- pay_line: project (unknown, NULL), sheet (unknown, NULL), worker (no ID, NULL), payable (NULL)
INSERT INTO legacy.gzmx VALUES (10, 'LS-2026-018', '371302198503122131', 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx VALUES (11, NULL, '371302198503122131', 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx_bd VALUES (12, 99, '371302198503122131', 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx_bd VALUES (13, NULL, '371302198503122131', 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx VALUES (14, 'LS-2026-017', '37130219850312213', 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx VALUES (15, 'LS-2026-017', NULL, 800);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzmx VALUES (16, 'LS-2026-017', '371302198503122131', NULL);
\echo :LAST_ERROR_SQLSTATE
-- wage_payment: project, worker, amount, card (no card number), method (a word wagecheck does not know)
INSERT INTO legacy.gzff VALUES (20, '临沂某项目', '371302198503122131', 800, '6228481234567890003', '银行代发');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff VALUES (21, 'LS-2026-017', '张伟', 800, '6228481234567890003', '银行代发');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff VALUES (22, 'LS-2026-017', '371302198503122131', NULL, '6228481234567890003', '银行代发');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff VALUES (23, 'LS-2026-017', '371302198503122131', 800, '6228481234567890004', '银行代发');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff VALUES (24, 'LS-2026-017', '371302198503122131', 800, '6228481234567890003', '支付宝');
\echo :LAST_ERROR_SQLSTATE
-- wage_payment by pay line: line (unknown, NULL)
INSERT INTO legacy.gzff_mx VALUES (25, 999, 800, '6228481234567890003');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy.gzff_mx VALUES (26, NULL, 800, '6228481234567890003');
\echo :LAST_ERROR_SQLSTATE
-- wage_account: a closure of an account of a project wagecheck does not know
UPDATE legacy.zhxx SET gsrq = '2026-01-01', xhrq = '2026-03-01' WHERE zh = 'X-1';
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM legacy.yhls) AS movements, (SELECT count(*) FROM legacy.yhls_id) AS by_id,
       (SELECT count(*) FROM legacy.gzmx) + (SELECT count(*) FROM legacy.gzmx_bd) AS lines,
       (SELECT count(*) FROM legacy.gzff) + (SELECT count(*) FROM legacy.gzff_mx) AS payments,
       (SELECT count(*) FROM legacy.zhxx WHERE xhrq IS NOT NULL) AS closed,
       (SELECT count(*) FROM wagecheck.violation) AS violations;

-- === alert mode: the same rows go in, each recorded with the role, column and value
SELECT count(wagecheck.attach("table", kind, columns, 'alert')) AS attached
  FROM wagecheck.attached WHERE NOT builtin;
SELECT "table", mode FROM wagecheck.attached WHERE NOT builtin ORDER BY 1::text;
INSERT INTO legacy.yhls VALUES
    ('r1', '1523 0101 0400 3100 1', 'C', 1000, NULL, '人工费'),
    ('r2', NULL, 'C', 1000, NULL, '人工费'),
    ('r5', '15230101040012345', '9', 3000, NULL, '现金'),
    ('r6', '15230101040012345', NULL, 3000, NULL, '现金'),
    ('r7', '15230101040012345', 'D', NULL, NULL, '现金');
INSERT INTO legacy.yhls_id VALUES ('r3', 99, 1000), ('r4', NULL, 1000);
INSERT INTO legacy.gzmx VALUES
    (10, 'LS-2026-018', '371302198503122131', 800), (11, NULL, '371302198503122131', 800),
    (14, 'LS-2026-017', '37130219850312213', 800), (15, 'LS-2026-017', NULL, 800),
    (16, 'LS-2026-017', '371302198503122131', NULL);
INSERT INTO legacy.gzmx_bd VALUES (12, 99, '371302198503122131', 800), (13, NULL, '371302198503122131', 800);
INSERT INTO legacy.gzff VALUES
    (20, '临沂某项目', '371302198503122131', 800, '6228481234567890003', '银行代发'),
    (21, 'LS-2026-017', '张伟', 800, '6228481234567890003', '银行代发'),
    (22, 'LS-2026-017', '371302198503122131', NULL, '6228481234567890003', '银行代发'),
    (23, 'LS-2026-017', '371302198503122131', 800, '6228481234567890004', '银行代发'),
    (24, 'LS-2026-017', '371302198503122131', 800, '6228481234567890003', '支付宝');
INSERT INTO legacy.gzff_mx VALUES (25, 999, 800, '6228481234567890003'), (26, NULL, 800, '6228481234567890003');
UPDATE legacy.zhxx SET gsrq = '2026-01-01', xhrq = '2026-03-01' WHERE zh = 'X-1';
SELECT (SELECT count(*) FROM legacy.yhls) AS movements, (SELECT count(*) FROM legacy.yhls_id) AS by_id,
       (SELECT count(*) FROM legacy.gzmx) + (SELECT count(*) FROM legacy.gzmx_bd) AS lines,
       (SELECT count(*) FROM legacy.gzff) + (SELECT count(*) FROM legacy.gzff_mx) AS payments,
       (SELECT count(*) FROM legacy.zhxx WHERE xhrq IS NOT NULL) AS closed;
SELECT rule_code, subject_kind, subject_id, project_id, source, details->>'sqlstate' AS sqlstate,
       details->>'message' AS message
  FROM wagecheck.violation WHERE details->>'sqlstate' = 'WC008' ORDER BY violation_id;
-- every role that can fail to resolve was tried, in both modes
SELECT array_agg(r ORDER BY r) AS roles
  FROM (SELECT DISTINCT substring(details->>'message' FROM 'role "(\w+)"') AS r
          FROM wagecheck.violation WHERE details->>'sqlstate' = 'WC008') AS x;
-- the same rows in wagecheck's own tables are answered by their constraints, as before
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (99, 'in', 1, 'top_up', '2026-04-01 10:00+08');
\echo :LAST_ERROR_SQLSTATE
-- a scan turns the recorded rows into alerts of their rules, with or without a known project
SELECT count(*) > 0 AS scanned FROM wagecheck.scan(now() + interval '1 minute');
SELECT a.rule_code, a.subject_kind, a.subject_id, a.project_id, a.evidence, a.state
  FROM wagecheck.alert a
 WHERE EXISTS (SELECT 1 FROM wagecheck.violation v
                WHERE v.rule_code = a.rule_code AND v.subject_kind = a.subject_kind
                  AND v.subject_id = a.subject_id AND v.details->>'sqlstate' = 'WC008')
 ORDER BY 1, 2, 3;

SET client_min_messages = warning;
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
