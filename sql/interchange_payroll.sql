-- Payroll orders out (pain.001 of a pay sheet, validated against the shipped schema, refused
-- with reasons) and the bank's answer in (pain.002 with two rejections: recorded, a WP02
-- violation each, the wages still owed).
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
\set pain002 `cat test/regress/xml/pain002_two_rejections.xml`

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor'),
    ('91371311MA3P2K8H07', '兰山劳务服务有限公司', 'labour_company');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on, enforcement_mode) VALUES
    ('LY-001', '北城新区安置房一期', '371302', 'housing', 'government', 1, 2, '2026-03-01', 'reject'),
    ('LY-002', '沂河大桥引线工程', '371311', 'transport', 'soe', 1, 2, '2026-03-01', 'alert'),
    ('LY-003', '罗庄污水管网改造', '371311', 'municipal', 'government', 1, 2, '2026-03-01', 'alert');
INSERT INTO wagecheck.worker (resident_id, name, wage_card, card_bank) VALUES
    ('371302198503122131', '张伟', '6228481234567890003', '中国农业银行'),
    ('371302199001011233', '李娜', '6228481234567890011', NULL),
    ('371302197805224550', '王强', '6228481234567890029', NULL),
    ('371302199511300625', '赵磊', NULL, NULL),
    ('371302198808083516', '刘洋', '6228481234567890045', NULL),
    ('650102199203150026', '阿依古丽·买买提', '6228481234567890060', NULL);
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on) VALUES
    (1, 1, 3, '2026-03-01', '2026-03-01'), (1, 2, 3, '2026-03-01', '2026-03-01'),
    (1, 4, 3, '2026-03-01', '2026-03-01'), (1, 6, 3, '2026-03-01', '2026-03-01'),
    (2, 3, 3, '2026-03-01', '2026-03-01'), (3, 3, 3, '2026-03-01', '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, account_name, opened_on, closure_notice_on, closed_on) VALUES
    (1, '农业银行临沂分行', '372101040012345', '沂河建工集团有限公司农民工工资专用账户', '2026-03-05', NULL, NULL),
    (2, '建设银行临沂分行', '37050168620100001234', NULL, '2026-03-06', NULL, NULL),
    (3, '工商银行临沂分行', '1610002109200012345', NULL, '2026-03-06', '2026-08-01', '2026-09-15');
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES
    (1, 3, '2026-10-01', '2026-11-05'),   -- 1: 赵磊 has no card
    (2, 3, '2026-10-01', '2026-11-05'),   -- 2: 刘洋 is not on LY-002's roster (alert mode let the line in)
    (3, 3, '2026-10-01', '2026-11-05'),   -- 3: LY-003's account is closed
    (1, 3, '2026-11-01', '2026-12-05');   -- 4: in order
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net) VALUES
    (1, 1, 26, 5200, 0, 5200), (1, 4, 22, 4000, 0, 4000),
    (2, 3, 25, 5000, 0, 5000), (2, 5, 20, 4500, 0, 4500),
    (3, 3, 5, 1000, 0, 1000),
    (4, 1, 26, 5200, 0, 5200), (4, 2, 25, 5300, 200, 5100), (4, 6, 24, 4800, 0, 4800),
    (4, 4, 0, 0, 0, 0);       -- nothing to pay: not in the order
SELECT line_id, sheet_id, worker_id, net FROM wagecheck.pay_line ORDER BY line_id;

-- === refused with the reasons
SELECT wagecheck.payroll_order(1);
SELECT wagecheck.payroll_order(2);
SELECT wagecheck.payroll_order(3);
SELECT wagecheck.payroll_order(99);
SELECT * FROM wagecheck._payroll_problems(1);
SELECT count(*) AS orders_after_refusals FROM wagecheck.payment_order;

-- === the order of sheet 4: valid pain.001, one transfer per line in force
SELECT wagecheck.payroll_order(4, '2026-12-15') AS doc \gset
SELECT regexp_replace(:'doc', '<CreDtTm>[^<]*</CreDtTm>', '<CreDtTm>…</CreDtTm>') AS pain001;
SELECT wagecheck.xml_is_valid(:'doc', 'pain.001.001.09') AS valid;
SELECT * FROM XMLTABLE(XMLNAMESPACES('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09' AS p),
        '//p:CdtTrfTxInf' PASSING (:'doc')::xml
        COLUMNS e2e text PATH 'p:PmtId/p:EndToEndId', amount numeric PATH 'p:Amt/p:InstdAmt',
                name text PATH 'p:Cdtr/p:Nm', card text PATH 'p:CdtrAcct/p:Id/p:Othr/p:Id');
SELECT order_id, msg_id, project_id, sheet_id, account_id, lines, total, execute_on FROM wagecheck.payment_order;

-- === the bank's pain.002: lines 7 and 8 rejected
SELECT * FROM wagecheck.xml_validate(:'pain002', 'pain.002.001.10');
SELECT * FROM wagecheck.import_payment_status(:'pain002');
SELECT line_id, status, bank_code, reason_code, reason FROM wagecheck.payment_status ORDER BY line_id;
-- each rejection is a WP02 violation of the worker's month, which the alert engine raises
SELECT rule_code, subject_kind, subject_id, project_id, details->>'period' AS period, details->>'message' AS message
  FROM wagecheck.violation WHERE rule_code = 'WP02' ORDER BY violation_id;
-- the scan raises them as alerts of the worker's month (also before the pay day passes)
SELECT count(*) >= 0 AS scanned FROM wagecheck.scan();
SELECT rule_code, subject_id, period, evidence <> 'rule' AS from_rejection
  FROM wagecheck.alert WHERE rule_code = 'WP02' AND period = '2026-11' AND evidence <> 'rule' ORDER BY subject_id;
-- the same report again records nothing twice
SELECT line_id, status, recorded FROM wagecheck.import_payment_status(:'pain002');
SELECT count(*) AS violations FROM wagecheck.violation WHERE rule_code = 'WP02';
-- the rejected wages are still owed: no payment, so the arrears count them
SELECT worker_id, net, paid, owed FROM wagecheck.project_wages_owed(1) WHERE period = '2026-11-01' ORDER BY worker_id;

-- === reports that do not fit
SELECT * FROM wagecheck.import_payment_status(replace(:'pain002', 'WCPO000000000001', 'WCPO000000000999'));
SELECT * FROM wagecheck.import_payment_status(replace(:'pain002', '<TxSts>RJCT</TxSts>', '<TxSts>NOPE</TxSts>'));
SELECT * FROM wagecheck.import_payment_status(replace(replace(:'pain002', '<OrgnlEndToEndId>6<', '<OrgnlEndToEndId>1<'), 'PSR-', 'PSR2-'));
SELECT * FROM wagecheck.import_payment_status('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>');

-- === who may: the administrators; the others read the orders and statuses of their scope
SET ROLE wagecheck_county;
SELECT wagecheck.payroll_order(4);
SELECT count(*) FROM wagecheck.payment_status;
RESET ROLE;

RESET ROLE;
DROP EXTENSION wagecheck CASCADE;
