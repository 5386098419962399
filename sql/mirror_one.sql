-- A clerk's one-row INSERT into a mirrored table is written without the statement of many
-- rows when every value of it resolves (the project by its code, the worker by the ID
-- number, dates, numbers and text read as _mirror_sql reads them); it must write exactly
-- what that statement writes, and leave every row it cannot resolve to that statement.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id) VALUES
    ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2),
    ('LS-2026-018', '兰山区第二实验小学', '371302', 'housing', 'government', 1, 2),
    ('LS-2026-019', '兰山区体育中心', '371302', 'housing', 'government', 1, 2);
INSERT INTO wagecheck.worker (resident_id, name) VALUES
    ('371302198503122131', '张伟'), ('37130219780521001X', '王强');

CREATE SCHEMA legacy;
-- attendance without a key of its own: two rows may carry one legacy key
CREATE TABLE legacy.kq (kqid text, xmbh text, sfzhm text, kqrq text, gs text, lrsj text);
SELECT wagecheck.attach('legacy.kq', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs", "at": "lrsj"}', mirror => true);

CREATE TEMP VIEW mirrored AS
  SELECT r.source_key, r.kind, r.project_id, r.target, p.code, w.name, a.day, a.hours,
         CASE WHEN a.created_at > now() - interval '1 hour' THEN 'the write' ELSE to_char(a.created_at, 'YYYY-MM-DD HH24:MI') END AS known
    FROM wagecheck.mirror_ref r
    JOIN wagecheck.attendance a ON r.target = jsonb_build_object('project_id', a.project_id, 'worker_id', a.worker_id, 'day', a.day)
    JOIN wagecheck.project p ON p.project_id = a.project_id JOIN wagecheck.worker w ON w.worker_id = a.worker_id
   WHERE r.source = 'legacy.kq'::regclass;

-- one row a statement: full-width digits and blanks in the ID, a padded key and code, a date
-- written in Chinese, full-width hours, a time, an empty time (the moment of the write), no hours
INSERT INTO legacy.kq VALUES ('K1', 'LS-2026-017', '３７１３０２１９８５０３１２２１３１', '20260302', '8', '2026-03-02 18:00');
INSERT INTO legacy.kq VALUES (' K2 ', ' LS-2026-017 ', '371302 198503 122131', '2026年03月03日', '８.5', NULL);
INSERT INTO legacy.kq VALUES ('K3', 'LS-2026-018', '37130219780521001x', '2026-03-02', NULL, '  ');
SELECT * FROM mirrored ORDER BY source_key;
CREATE TEMP TABLE one AS SELECT * FROM mirrored;

-- what the C path does not resolve goes to the statement, refused as before, nothing written
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-017', '371302199202024567', '20260304', '8', NULL);
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-099', '371302198503122131', '20260304', '8', NULL);
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-017', '371302198503122131', '2026-02-30', '8', NULL);
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-017', '371302198503122131', '20260304', 'eight', NULL);
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-017', '371302198503122131', '20260304', '8', 'yesterday');
INSERT INTO legacy.kq VALUES (NULL, 'LS-2026-017', '371302198503122131', '20260304', '8', NULL);
INSERT INTO legacy.kq VALUES ('K4', '', '371302198503122131', '20260304', '8', NULL);
-- a value wagecheck's table refuses is refused by it, as from the statement
INSERT INTO legacy.kq VALUES ('K4', 'LS-2026-017', '371302198503122131', '20260304', '25', '2026-03-04 18:00');
SELECT count(*) AS legacy_rows, (SELECT count(*) FROM wagecheck.attendance) AS days,
       (SELECT count(*) FROM wagecheck.mirror_ref) AS refs FROM legacy.kq;

-- the same rows in one statement, through the statement of many rows: the same rows written
TRUNCATE legacy.kq;
SELECT count(*) AS days_left FROM wagecheck.attendance;
INSERT INTO legacy.kq VALUES ('K1', 'LS-2026-017', '３７１３０２１９８５０３１２２１３１', '20260302', '8', '2026-03-02 18:00'),
    (' K2 ', ' LS-2026-017 ', '371302 198503 122131', '2026年03月03日', '８.5', NULL),
    ('K3', 'LS-2026-018', '37130219780521001x', '2026-03-02', NULL, '  ');
SELECT (SELECT count(*) FROM one) AS one_row_statements, (SELECT count(*) FROM mirrored) AS one_statement,
       (SELECT count(*) FROM (SELECT * FROM one EXCEPT SELECT * FROM mirrored) d) AS only_one_row,
       (SELECT count(*) FROM (SELECT * FROM mirrored EXCEPT SELECT * FROM one) d) AS only_one_statement;

-- a legacy key mirrored already, written again for another day: its way back now leads to
-- the new day (as ON CONFLICT DO UPDATE), the first day stays
INSERT INTO legacy.kq VALUES ('K1', 'LS-2026-017', '371302198503122131', '20260305', '9', '2026-03-05 18:00');
SELECT * FROM mirrored ORDER BY source_key;
SELECT day, hours FROM wagecheck.attendance ORDER BY day, hours;

-- a column changed under the mapping: the path is built again from the table as it is
ALTER TABLE legacy.kq ALTER COLUMN gs TYPE numeric USING translate(gs, '８', '8')::numeric;
INSERT INTO legacy.kq VALUES ('K6', 'LS-2026-018', '371302198503122131', '20260306', 7.5, NULL);
SELECT day, hours FROM wagecheck.attendance WHERE day = '2026-03-06';

-- a kind with an id of its own: the dedicated account, its id drawn from the sequence
CREATE TABLE legacy.zh (zhid integer PRIMARY KEY, xmid text, khh text, zh text, khrq text, lrsj text);
SELECT wagecheck.attach('legacy.zh', 'wage_account',
    '{"key": "zhid", "project": "xmid", "bank": "khh", "account_no": "zh", "opened": "khrq", "at": "lrsj"}', mirror => true);
INSERT INTO legacy.zh VALUES (1, 'LS-2026-017', ' 农业银行临沂分行 ', '1523 0101 0400 3100 1', '2026-02-25', '2026-02-25 09:00');
INSERT INTO legacy.zh VALUES (2, 'LS-2026-018', '农业银行临沂分行', '15230101040031002', '20260226', NULL),
                             (3, 'LS-2026-019', '农业银行临沂分行', '15230101040031003', '20260227', NULL);
SELECT r.source_key, r.kind, r.project_id = a.project_id AS same_project, a.bank, a.account_no, a.opened_on,
       CASE WHEN a.created_at > now() - interval '1 hour' THEN 'the write' ELSE to_char(a.created_at, 'YYYY-MM-DD HH24:MI') END AS known, r.target = jsonb_build_object('account_id', a.account_id) AS way_back
  FROM wagecheck.mirror_ref r JOIN wagecheck.wage_account a ON a.account_id = (r.target ->> 'account_id')::bigint
 WHERE r.source = 'legacy.zh'::regclass ORDER BY 1;

-- a bank's movements: the account by its number, the direction by a value map, the purpose
-- by the default words, the amount from a numeric column; one row a statement, then the
-- same rows in one statement: the same movements and ways back
UPDATE wagecheck.worker SET wage_card = CASE name WHEN '张伟' THEN '6228481234567890003' ELSE '6228481234567890029' END;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 1, 2, '2026-03-01'), (2, 2, 2, '2026-03-01');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
SELECT account_id, 'in', 1000000, 'labour_cost', '2026-03-01' FROM wagecheck.wage_account;
CREATE TABLE legacy.yhls (lsh bigint, zh text, jdbz text, jyje numeric(16,2), dfzh text, dfhm text, zy text, jysj text);
SELECT wagecheck.attach('legacy.yhls', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "counterparty_name": "dfhm",
      "purpose": "zy", "at": "jysj", "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]}}', mirror => true);
CREATE TEMP VIEW movements AS
  SELECT r.source_key, r.kind, r.project_id, p.code, t.direction, t.amount, t.counterparty_account, t.counterparty_name,
         t.purpose, t.booked_at
    FROM wagecheck.mirror_ref r JOIN wagecheck.account_txn t ON t.txn_id = (r.target ->> 'txn_id')::bigint
    JOIN wagecheck.project p ON p.project_id = r.project_id
   WHERE r.source = 'legacy.yhls'::regclass;
INSERT INTO legacy.yhls VALUES (1, '1523 0101 0400 3100 1', '贷', 5000.00, '9558800001000000001', '临沂城投', '人工费', '20260310 09:00:00');
INSERT INTO legacy.yhls VALUES (2, '15230101040031001', '1', 3000.00, '6228 4812 3456 7890 003', '张伟', '3月工资', '20260315 10:00:00');
INSERT INTO legacy.yhls VALUES (3, '15230101040031002', '借', 2000, '6228481234567890029', '王强', '代发工资', '2026-03-15');
SELECT * FROM movements ORDER BY source_key;
CREATE TEMP TABLE one_txn AS SELECT * FROM movements;
-- an amount below zero, a direction outside the map, an account nobody has: to the statement, refused
INSERT INTO legacy.yhls VALUES (4, '15230101040031001', '1', -3000.00, '6228481234567890003', '张伟', '工资', '20260316');
INSERT INTO legacy.yhls VALUES (4, '15230101040031001', 'C', 3000.00, '6228481234567890003', '张伟', '工资', '20260316');
INSERT INTO legacy.yhls VALUES (4, '15230101040039999', '1', 3000.00, '6228481234567890003', '张伟', '工资', '20260316');
SET session_replication_role = replica;
DELETE FROM wagecheck.account_txn t USING wagecheck.mirror_ref r
 WHERE r.source = 'legacy.yhls'::regclass AND t.txn_id = (r.target ->> 'txn_id')::bigint;
DELETE FROM wagecheck.mirror_ref WHERE source = 'legacy.yhls'::regclass;
TRUNCATE legacy.yhls;
RESET session_replication_role;
INSERT INTO legacy.yhls VALUES (1, '1523 0101 0400 3100 1', '贷', 5000.00, '9558800001000000001', '临沂城投', '人工费', '20260310 09:00:00'),
    (2, '15230101040031001', '1', 3000.00, '6228 4812 3456 7890 003', '张伟', '3月工资', '20260315 10:00:00'),
    (3, '15230101040031002', '借', 2000, '6228481234567890029', '王强', '代发工资', '2026-03-15');
SELECT (SELECT count(*) FROM one_txn) AS one_row_statements, (SELECT count(*) FROM movements) AS one_statement,
       (SELECT count(*) FROM (SELECT * FROM one_txn EXCEPT SELECT * FROM movements) d) AS only_one_row,
       (SELECT count(*) FROM (SELECT * FROM movements EXCEPT SELECT * FROM one_txn) d) AS only_one_statement;

-- payment records naming their pay line by the platform's key (looked up in mirror_ref), a
-- method word and a card written with blanks: one row a statement, then in one statement
CREATE TABLE legacy.gzb (gzbid text PRIMARY KEY, xmbh text, qyxydm text, ny text);
CREATE TABLE legacy.gzmx (gzmxid text PRIMARY KEY, gzbid text, sfzhm text, yfgz numeric);
CREATE TABLE legacy.ffjl (ffid bigint, gzmxid text, je text, fffs text, kh text, ffsj text);
SELECT wagecheck.attach('legacy.gzb', 'pay_sheet', '{"key": "gzbid", "project": "xmbh", "employer": "qyxydm", "period": "ny"}',
                        mirror => true);
SELECT wagecheck.attach('legacy.gzmx', 'pay_line', '{"key": "gzmxid", "sheet": "gzbid", "worker": "sfzhm", "payable": "yfgz"}',
                        mirror => true);
SELECT wagecheck.attach('legacy.ffjl', 'wage_payment',
    '{"key": "ffid", "line": "gzmxid", "amount": "je", "method": "fffs", "card": "kh", "at": "ffsj"}', mirror => true);
INSERT INTO legacy.gzb VALUES ('G1', 'LS-2026-017', '91371302MA3N0L6GXQ', '202603');
INSERT INTO legacy.gzmx VALUES ('L1', 'G1', '371302198503122131', 3000);
CREATE TEMP VIEW payments AS
  SELECT r.source_key, r.kind, p.code, t.amount, t.paid_at, t.method, t.card, l.payable
    FROM wagecheck.mirror_ref r JOIN wagecheck.wage_payment t ON t.payment_id = (r.target ->> 'payment_id')::bigint
    JOIN wagecheck.project p ON p.project_id = r.project_id JOIN wagecheck.pay_line l ON l.line_id = t.line_id
   WHERE r.source = 'legacy.ffjl'::regclass;
INSERT INTO legacy.ffjl VALUES (1, ' L1 ', '1,000.00', '专户代发', '6228 4812 3456 7890 003', '20260410 09:00:00');
INSERT INTO legacy.ffjl VALUES (2, 'L1', '500', NULL, '6228481234567890003', '2026-04-11');
SELECT * FROM payments ORDER BY source_key;
CREATE TEMP TABLE one_payment AS SELECT * FROM payments;
-- a line nobody mirrored, a card that is no card: to the statement, refused
INSERT INTO legacy.ffjl VALUES (3, 'L9', '500', NULL, '6228481234567890003', '2026-04-11');
INSERT INTO legacy.ffjl VALUES (3, 'L1', '500', NULL, '6228481234567890004', '2026-04-11');
SET session_replication_role = replica;
DELETE FROM wagecheck.wage_payment t USING wagecheck.mirror_ref r
 WHERE r.source = 'legacy.ffjl'::regclass AND t.payment_id = (r.target ->> 'payment_id')::bigint;
DELETE FROM wagecheck.mirror_ref WHERE source = 'legacy.ffjl'::regclass;
TRUNCATE legacy.ffjl;
RESET session_replication_role;
INSERT INTO legacy.ffjl VALUES (1, ' L1 ', '1,000.00', '专户代发', '6228 4812 3456 7890 003', '20260410 09:00:00'),
                               (2, 'L1', '500', NULL, '6228481234567890003', '2026-04-11');
SELECT (SELECT count(*) FROM one_payment) AS one_row_statements, (SELECT count(*) FROM payments) AS one_statement,
       (SELECT count(*) FROM (SELECT * FROM one_payment EXCEPT SELECT * FROM payments) d) AS only_one_row,
       (SELECT count(*) FROM (SELECT * FROM payments EXCEPT SELECT * FROM one_payment) d) AS only_one_statement;

SET client_min_messages = warning;
DROP SCHEMA legacy CASCADE;
DROP EXTENSION wagecheck CASCADE;
