-- XML interchange: schema validation against the shipped schemas, safe parsing (no DTD,
-- entity, file or network: XXE and billion laughs refused at once), and bank statements in
-- (camt.053, camt.054, a domestic 银企直连 layout): one row per entry, idempotent, every
-- rule enforced, the payee's name compared with the worker's after ICU normalisation.
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
\set VERBOSITY default
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
\set camt053 `cat test/regress/xml/camt053_20.xml`
\set camt054 `cat test/regress/xml/camt054_alert.xml`
\set cnbank `cat test/regress/xml/cnbank_sample.xml`
\set xxe `cat test/regress/xml/xxe_passwd.xml`
\set lol `cat test/regress/xml/billion_laughs.xml`

INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor'),
    ('91371311MA3P2K8H07', '兰山劳务服务有限公司', 'labour_company');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, start_on, enforcement_mode) VALUES
    ('LY-001', '北城新区安置房一期', '371302', 'housing', 'government', 1, 2, '2026-03-01', 'reject'),
    ('LY-002', '沂河大桥引线工程', '371311', 'transport', 'soe', 1, 2, '2026-03-01', 'alert');
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES
    ('371302198503122131', '张伟', '6228481234567890003'),
    ('371302199001011233', '李娜', '6228481234567890011'),
    ('371302197805224550', '王强', '6228481234567890029'),
    ('371302199511300625', '赵磊', NULL),
    ('371302198808083516', '刘洋', '6228481234567890045'),
    ('650102199203150026', '阿依古丽·买买提', '6228481234567890060');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on) VALUES
    (1, 1, 3, '2026-03-01', '2026-03-01'), (1, 2, 3, '2026-03-01', '2026-03-01'),
    (1, 4, 3, '2026-03-01', '2026-03-01'), (2, 3, 3, '2026-03-01', '2026-03-01'),
    (1, 6, 3, '2026-03-01', '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on) VALUES
    (1, '农业银行临沂分行', '372101040012345', '2026-03-05'),
    (2, '建设银行临沂分行', '37050168620100001234', '2026-03-06');

-- === validation against the shipped schemas
SELECT wagecheck.xml_is_valid(:'camt053', 'camt.053.001.08') AS camt053_valid,
       wagecheck.xml_is_valid(:'camt054', 'camt.054.001.08') AS camt054_valid,
       wagecheck.xml_is_valid(:'camt053', 'camt.054.001.08') AS camt053_as_054;
SELECT * FROM wagecheck.xml_validate(:'camt053', 'camt.053.001.08');
-- one row per error, with line and column where libxml2 knows them
SELECT * FROM wagecheck.xml_validate(
'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>yesterday</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><Othr><Id>1</Id></Othr></Id></Acct>
      <Ntry><Amt Ccy="cny">-1.005</Amt><CdtDbtInd>UP</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BkTxCd/></Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>', 'camt.053.001.08');
-- not well-formed: the parser's errors, with their lines
SELECT * FROM wagecheck.xml_validate(E'<Document>\n<a>\n</Document>', 'camt.053.001.08');
SELECT count(*) AS empty_doc_errors FROM wagecheck.xml_validate('   ', 'camt.053.001.08');
-- schema names are names, not paths
SELECT * FROM wagecheck.xml_validate('<a/>', '../../../../etc/passwd');
-- (the schema directory depends on where PostgreSQL is installed: only its last part is shown)
DO $$
DECLARE st text; msg text; det text; hnt text;
BEGIN
    PERFORM * FROM wagecheck.xml_validate('<a/>', 'no.such.schema');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RAISE NOTICE '% %', st, msg;
    RAISE NOTICE '%', regexp_replace(det, ' /\S*/', ' .../');
    RAISE NOTICE '%', hnt;
END $$;

-- === safe parsing: an XXE document that reads /etc/passwd, and billion laughs
SELECT * FROM wagecheck.xml_validate(:'xxe', 'camt.053.001.08');
SELECT count(*) AS rows_mentioning_passwd FROM wagecheck.xml_validate(:'xxe', 'camt.053.001.08')
 WHERE message ~ '(root|daemon|nologin|/bin/)';
SELECT * FROM wagecheck.import_bank_statement(:'xxe');
SELECT count(*) AS movements_after_xxe FROM wagecheck.account_txn;
-- the declaration after a comment, and an entity without a declaration
SELECT * FROM wagecheck.xml_validate(E'<!-- statement -->\n<!DOCTYPE d SYSTEM "http://example.invalid/d.dtd"><d/>', 'camt.053.001.08');
SELECT * FROM wagecheck.xml_validate('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&xxe;</Document>', 'camt.053.001.08');
-- billion laughs is refused at its document type declaration, before any entity is declared
SELECT * FROM wagecheck.xml_validate(:'lol', 'camt.053.001.08');
SELECT * FROM wagecheck.import_bank_statement(:'lol');
-- size limit
SET wagecheck.xml_max_size = '1MB';
SELECT count(*) FROM wagecheck.xml_validate(repeat(' ', 1100000) || '<a/>', 'camt.053.001.08');
RESET wagecheck.xml_max_size;

-- === camt.053 with 20 entries into LY-001 (reject mode): duplicates, a wrong card, a wrong
-- name, a cash withdrawal, a worker of another project, foreign currency, no reference, an
-- overdraft; the traditional and spaced spelling of 张伟 and the dot variants of 阿依古丽·买买提
-- are the same person
SELECT entry, line, bank_ref, status, txn_id IS NOT NULL AS has_txn, reason
  FROM wagecheck.import_bank_statement(:'camt053') ORDER BY entry;
SELECT direction, amount, counterparty_account, counterparty_name, purpose, booked_at, bank_ref
  FROM wagecheck.account_txn ORDER BY txn_id;
SELECT account_id, balance FROM wagecheck.wage_account ORDER BY 1;
-- the same file again: nothing twice
SELECT status, count(*) FROM wagecheck.import_bank_statement(:'camt053', 'camt.053') GROUP BY 1 ORDER BY 1;
SELECT count(*) AS movements FROM wagecheck.account_txn;

-- === camt.054 into LY-002 (alert mode): the wage to 王强's card under another name goes in
-- and is recorded as a WP04 violation
SELECT entry, bank_ref, account, status, reason FROM wagecheck.import_bank_statement(:'camt054', 'camt.054') ORDER BY entry;
SELECT rule_code, subject_kind, project_id, details->>'sqlstate' AS sqlstate, details->>'message' AS message
  FROM wagecheck.violation ORDER BY violation_id;

-- === a domestic bank's layout (银企直连), described by a profile row
SELECT entry, bank_ref, status, reason FROM wagecheck.import_bank_statement(:'cnbank', 'cn.bank.sample') ORDER BY entry;
SELECT direction, amount, counterparty_name, purpose, booked_at FROM wagecheck.account_txn
 WHERE bank_ref LIKE 'ABC%' ORDER BY txn_id;
-- a bank added as data: the same layout with other element names
INSERT INTO wagecheck.bank_profile (name, description, entry_path, account_path, ref_path, amt_path,
        direction_path, booked_path, purpose_path, account_out_path, name_out_path, direction_map, purpose_map)
VALUES ('test.bank', 'a test bank', 'Stmt/Acct/Txn', 'Stmt/Acct/No', 'Ref', 'Amt', 'Dir', 'Date', 'Use',
        'To/Card', 'To/Name', '{"D": "out", "C": "in"}', '{"PAY": "wage"}');
SELECT entry, line, bank_ref, account, status, reason FROM wagecheck.import_bank_statement(
'<Stmt><Acct><No>372101040012345</No>
  <Txn><Ref>T1</Ref><Amt>10.00</Amt><Dir>D</Dir><Date>2026-11-22</Date><Use>PAY</Use><To><Card>6228481234567890011</Card><Name>李娜</Name></To></Txn>
  <Txn><Ref>T2</Ref><Amt>10.001</Amt><Dir>D</Dir><Date>2026-11-22</Date></Txn>
  <Txn><Ref>T3</Ref><Amt>10.00</Amt><Dir>X</Dir><Date>2026-11-22</Date></Txn>
  <Txn><Ref>T4</Ref><Amt>10.00</Amt><Dir>C</Dir></Txn>
  <Txn><Ref>T5</Ref><Amt>10.00</Amt><Dir>C</Dir><Date>not a date</Date></Txn>
 </Acct>
 <Acct><No>999999</No><Txn><Ref>T6</Ref><Amt>1</Amt><Dir>C</Dir><Date>2026-11-22</Date></Txn></Acct>
</Stmt>', 'test.bank') ORDER BY entry;

-- === errors: unknown profile, wrong namespace, a truncated file (nothing of it goes in)
SELECT * FROM wagecheck.import_bank_statement(:'camt053', 'no.such.profile');
SELECT * FROM wagecheck.import_bank_statement(:'camt054', 'camt.053');
SELECT count(*) AS before FROM wagecheck.account_txn \gset
SELECT * FROM wagecheck.import_bank_statement(replace(left(:'camt054', 1500), 'CCB', 'TRUNC'), 'camt.054');
SELECT count(*) - :before AS added_by_truncated FROM wagecheck.account_txn;
SELECT * FROM wagecheck.import_bank_statement('', 'camt.053');
SELECT * FROM wagecheck.import_bank_statement(NULL);

-- === streamed from a large object (never whole in memory): the camt.053 with new references
-- gives the same results as the text did; it needs SELECT on the large object; a DTD is
-- refused as in text; a large object that does not exist
SELECT lo_from_bytea(4242001, convert_to(replace(:'camt053', '<AcctSvcrRef>', '<AcctSvcrRef>LO-'), 'UTF8')) AS lo \gset
SELECT entry, line, bank_ref, status, txn_id IS NOT NULL AS has_txn, reason
  FROM wagecheck.import_bank_statement(:lo::oid) ORDER BY entry;
SELECT status, count(*) FROM wagecheck.import_bank_statement(:lo::oid, 'camt.053') GROUP BY 1 ORDER BY 1;
SELECT lo_from_bytea(4242002, convert_to(:'xxe', 'UTF8')) AS lo_xxe \gset
SELECT * FROM wagecheck.import_bank_statement(:lo_xxe::oid);
SET ROLE wagecheck_admin;
SELECT count(*) FROM wagecheck.import_bank_statement(:lo::oid);
RESET ROLE;
GRANT SELECT ON LARGE OBJECT :lo TO wagecheck_admin;
SET ROLE wagecheck_admin;
SELECT status, count(*) FROM wagecheck.import_bank_statement(:lo::oid) GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT * FROM wagecheck.import_bank_statement(4294967000::oid);
SELECT lo_unlink(:lo), lo_unlink(:lo_xxe);

-- === who may: importing needs INSERT on account_txn (wagecheck_admin); an analyst is refused
SET ROLE wagecheck_analyst;
SELECT count(*) FROM wagecheck.import_bank_statement(:'camt053');
SELECT wagecheck.xml_is_valid(:'camt053', 'camt.053.001.08');
RESET ROLE;
-- the payee check applies to movements typed in SQL too
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
VALUES (1, 'out', 10, '6228481234567890003', '张 卫', 'wage', '2026-11-23 09:00+08');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name, purpose, booked_at)
VALUES (1, 'out', 10, '6228481234567890003', '張偉', 'wage', '2026-11-23 09:00+08');

RESET ROLE;
DROP EXTENSION wagecheck CASCADE;
