-- XML interchange (libxml2): schema validation and bank statements in.

COMMENT ON TABLE wagecheck.bank_profile IS 'how import_bank_statement reads a bank''s XML: where the entries and the account are, the field paths and the value maps of direction and purpose (one row per layout)';
COMMENT ON COLUMN wagecheck.bank_profile.namespace IS 'namespace the root element must have; NULL for a layout without one';
COMMENT ON COLUMN wagecheck.bank_profile.entry_path IS 'path of local names from the root to each entry, e.g. Document/BkToCstmrStmt/Stmt/Ntry';
COMMENT ON COLUMN wagecheck.bank_profile.account_path IS 'path from the root to the account number the following entries belong to';
COMMENT ON COLUMN wagecheck.bank_profile.ref_path IS 'path (from the entry) of the bank''s entry reference, the key that keeps an import from adding an entry twice';
COMMENT ON COLUMN wagecheck.bank_profile.currency IS 'currency every entry must be in (when the entry says); NULL: not checked';
COMMENT ON COLUMN wagecheck.bank_profile.direction_map IS 'the bank''s direction words to in or out, e.g. {"CRDT": "in", "DBIT": "out"}';
COMMENT ON COLUMN wagecheck.bank_profile.purpose_map IS 'the bank''s purpose codes to account_txn.purpose; "*" for any other; unmapped inflows are labour_cost, outflows other';
COMMENT ON COLUMN wagecheck.bank_profile.shipped IS 'true for the profiles installed with wagecheck; pg_dump saves the others';

CREATE OR REPLACE FUNCTION wagecheck.xml_validate(doc text, schema text)
RETURNS TABLE (line integer, col integer, message text)
    AS 'MODULE_PATHNAME', 'wagecheck_xml_validate'
    LANGUAGE C STRICT STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.xml_validate(text, text) IS 'schema validation: one row per error of the document (line, column, libxml2''s message) against a schema of wagecheck.xml_schema_dir (camt.053.001.08, camt.054.001.08, pain.001.001.09, pain.002.001.10, wagecheck.ledger.1); no row when valid; no DTD, entity or network is ever read';

CREATE OR REPLACE FUNCTION wagecheck.xml_is_valid(doc text, schema text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_xml_is_valid'
    LANGUAGE C STRICT STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.xml_is_valid(text, text) IS 'true if the document is valid against the named schema (see xml_validate)';

CREATE OR REPLACE FUNCTION wagecheck.import_bank_statement(doc text, profile text DEFAULT 'camt.053')
RETURNS TABLE (entry bigint, line integer, bank_ref text, account text, status text, txn_id bigint, reason text)
    AS 'MODULE_PATHNAME', 'wagecheck_import_bank_statement'
    LANGUAGE C STRICT VOLATILE
    SET search_path = pg_catalog, wagecheck;
COMMENT ON FUNCTION wagecheck.import_bank_statement(text, text) IS 'reads a bank statement (profile camt.053, camt.054 or a row of bank_profile) as a stream into account_txn, where every rule is enforced: one row per entry, inserted, duplicate (same bank reference on the account) or refused with the reason; one bad entry costs only itself';

CREATE OR REPLACE FUNCTION wagecheck.import_bank_statement(doc oid, profile text DEFAULT 'camt.053')
RETURNS TABLE (entry bigint, line integer, bank_ref text, account text, status text, txn_id bigint, reason text)
    AS 'MODULE_PATHNAME', 'wagecheck_import_bank_statement_lo'
    LANGUAGE C STRICT VOLATILE
    SET search_path = pg_catalog, wagecheck;
COMMENT ON FUNCTION wagecheck.import_bank_statement(oid, text) IS 'import_bank_statement of a statement stored as a large object (needs SELECT on it), read 64 kB at a time: the document is never held in memory, so its size is not limited by wagecheck.xml_max_size; encoded as its XML declaration says (UTF-8 by default)';

-- the profiles: kept by the administrators, read by everyone who reads (no personal data)
GRANT SELECT, INSERT, UPDATE, DELETE ON wagecheck.bank_profile TO wagecheck_admin;
GRANT SELECT ON wagecheck.bank_profile TO wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;
