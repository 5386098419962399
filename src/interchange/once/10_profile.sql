-- Bank statement profiles: how wagecheck.import_bank_statement finds the entries of a
-- bank's XML and what their words mean, as data (a bank is added with a row, not C code).
-- Paths are element local names from the root (entry_path, account_path) or from the entry
-- (the field paths): "a/b", "a/@attr" for an attribute, "a/b|c" for alternatives (the first
-- present wins). Shipped rows (camt.053, camt.054 and a sample domestic layout) are the
-- extension's; a deployment adds its own, which pg_dump keeps.

CREATE TABLE wagecheck.bank_profile (
    name             text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    description      text NOT NULL,
    namespace        text,
    entry_path       text NOT NULL CHECK (entry_path ~ '^[^/@|]+(/[^/@|]+)*$'),
    account_path     text NOT NULL CHECK (account_path ~ '^[^/@|]+(/[^/@|]+)*$'),
    ref_path         text NOT NULL,
    amt_path      text NOT NULL,
    currency_path    text,
    direction_path   text NOT NULL,
    booked_path      text NOT NULL,
    purpose_path     text,
    account_in_path  text,
    account_out_path text,
    name_in_path     text,
    name_out_path    text,
    currency         text CHECK (currency ~ '^[A-Z]{3}$'),
    direction_map    jsonb NOT NULL CHECK (jsonb_typeof(direction_map) = 'object'),
    purpose_map      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(purpose_map) = 'object'),
    shipped          boolean NOT NULL DEFAULT false
);
SELECT pg_catalog.pg_extension_config_dump('wagecheck.bank_profile', 'WHERE NOT shipped');

INSERT INTO wagecheck.bank_profile (name, description, namespace, entry_path, account_path, ref_path,
        amt_path, currency_path, direction_path, booked_path, purpose_path, account_in_path,
        account_out_path, name_in_path, name_out_path, currency, direction_map, purpose_map, shipped)
VALUES
    ('camt.053', 'ISO 20022 bank-to-customer statement (camt.053.001.08), the end-of-day statement of the dedicated account',
     'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08',
     'Document/BkToCstmrStmt/Stmt/Ntry', 'Document/BkToCstmrStmt/Stmt/Acct/Id/Othr/Id',
     'AcctSvcrRef|NtryRef', 'Amt', 'Amt/@Ccy', 'CdtDbtInd', 'BookgDt/DtTm|BookgDt/Dt',
     'NtryDtls/TxDtls/Purp/Cd|BkTxCd/Domn/Fmly/SubFmlyCd',
     'NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/Othr/Id', 'NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/Othr/Id',
     'NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm', 'NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm',
     'CNY', '{"CRDT": "in", "DBIT": "out"}',
     '{"SALA": "wage", "BONU": "wage", "PAYR": "wage", "CWDL": "cash", "CASH": "cash", "RFND": "refund",
       "TRAD": "transfer", "SUPP": "transfer", "INTC": "transfer", "OTHR": "other"}', true),
    ('cn.bank.sample', '银企直连 sample: a domestic bank''s account-detail query answer (CMS/eb/out/rd rows, 借贷标志 1 = 借/out, 2 = 贷/in, amounts in yuan, 摘要 words as purpose); copy it for a real bank',
     NULL,
     'CMS/eb/out/rd', 'CMS/eb/out/AccNo',
     'SerialNo|VouhNo', 'Amount', NULL, 'Drcrf', 'BusiTime|BusiDate', 'Summary',
     'RecipAccNo', 'RecipAccNo', 'RecipName', 'RecipName',
     NULL, '{"1": "out", "2": "in", "借": "out", "贷": "in"}',
     '{"代发工资": "wage", "工资": "wage", "农民工工资": "wage", "取现": "cash", "现金": "cash",
       "人工费": "labour_cost", "人工费用": "labour_cost", "补充资金": "top_up", "退款": "refund"}', true);

-- camt.054: the entries of camt.053 under another message and report element
INSERT INTO wagecheck.bank_profile (name, description, namespace, entry_path, account_path, ref_path,
        amt_path, currency_path, direction_path, booked_path, purpose_path, account_in_path,
        account_out_path, name_in_path, name_out_path, currency, direction_map, purpose_map, shipped)
SELECT 'camt.054', 'ISO 20022 debit/credit notification (camt.054.001.08), one message per movement or a few',
       'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08',
       'Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry', 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Acct/Id/Othr/Id',
       ref_path, amt_path, currency_path, direction_path, booked_path, purpose_path, account_in_path,
       account_out_path, name_in_path, name_out_path, currency, direction_map, purpose_map, true
  FROM wagecheck.bank_profile WHERE name = 'camt.053';

-- the key of idempotency: the bank's entry reference on the account
CREATE INDEX account_txn_bank_ref ON wagecheck.account_txn (account_id, bank_ref) WHERE bank_ref IS NOT NULL;
