-- Payroll orders out (pain.001, 总包代发) and the bank's answer in (pain.002).

COMMENT ON TABLE wagecheck.payment_order IS 'each payroll order (pain.001) written by payroll_order: its message id, pay sheet, debtor account, lines and total';
COMMENT ON COLUMN wagecheck.payment_order.msg_id IS 'the message id of the pain.001 (GrpHdr/MsgId, also PmtInfId), which the bank''s pain.002 names as OrgnlMsgId';
COMMENT ON TABLE wagecheck.payment_status IS 'the status a bank reported (pain.002) for each line of a payroll order: accepted, rejected (with the reason) or pending';
COMMENT ON COLUMN wagecheck.payment_status.bank_code IS 'the ISO 20022 transaction status as reported: ACCP, ACSC, ACSP, ACTC, ACWC, PDNG, RJCT';

-- _payroll_problems: why each line of a pay sheet cannot be ordered (not rostered in the
-- period, no registered card), and why the sheet cannot (no open dedicated account, no line).
CREATE OR REPLACE FUNCTION wagecheck._payroll_problems(sheet bigint)
RETURNS TABLE (line_id bigint, problem text)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    WITH s AS (SELECT ps.sheet_id, ps.project_id, ps.period FROM wagecheck.pay_sheet ps WHERE ps.sheet_id = $1),
    l AS (
        SELECT pl.line_id, pl.worker_id, pl.net, w.name, w.wage_card, s.project_id, s.period
          FROM s JOIN wagecheck.pay_line pl ON pl.sheet_id = s.sheet_id
          JOIN wagecheck.worker w ON w.worker_id = pl.worker_id
         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = pl.line_id)
           AND pl.net > 0)
    SELECT l.line_id, format('line %s: worker %s (%s) is not on the roster of the project in %s',
                             l.line_id, l.worker_id, l.name, to_char(l.period, 'YYYY-MM'))
      FROM l
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = l.project_id AND r.worker_id = l.worker_id
                          AND r.start_on < (l.period + interval '1 month')::date
                          AND (r.end_on IS NULL OR r.end_on >= l.period))
    UNION ALL
    SELECT l.line_id, format('line %s: worker %s (%s) has no registered wage card', l.line_id, l.worker_id, l.name)
      FROM l WHERE l.wage_card IS NULL
    UNION ALL
    SELECT NULL, CASE WHEN EXISTS (SELECT 1 FROM wagecheck.wage_account a WHERE a.project_id = s.project_id)
                      THEN 'the dedicated wage account of the project is closed'
                      ELSE 'the project has no dedicated wage account' END
      FROM s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.wage_account a WHERE a.project_id = s.project_id AND a.closed_on IS NULL)
    UNION ALL
    SELECT NULL, 'the pay sheet has no line with net pay to order'
      FROM s WHERE NOT EXISTS (SELECT 1 FROM l)
    ORDER BY 1 NULLS FIRST, 2
$$;
COMMENT ON FUNCTION wagecheck._payroll_problems(bigint) IS 'internal: why a pay sheet, or a line of it, cannot be put in a payroll order';

CREATE OR REPLACE FUNCTION wagecheck.payroll_order(sheet bigint, execute_on date DEFAULT NULL)
RETURNS xml
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    s record;
    problems text;
    errs text;
    o wagecheck.payment_order;
    doc xml;
    ns constant text := 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';
BEGIN
    SELECT ps.sheet_id, ps.project_id, ps.period, p.code, e.name AS employer, c.name AS contractor,
           a.account_id, a.account_no, a.bank, a.account_name
      INTO s
      FROM wagecheck.pay_sheet ps
      JOIN wagecheck.project p ON p.project_id = ps.project_id
      JOIN wagecheck.enterprise e ON e.enterprise_id = ps.employer_id
      JOIN wagecheck.enterprise c ON c.enterprise_id = p.contractor_id
      LEFT JOIN wagecheck.wage_account a ON a.project_id = ps.project_id AND a.closed_on IS NULL
     WHERE ps.sheet_id = sheet;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('pay sheet %s does not exist', sheet);
    END IF;
    SELECT string_agg(problem, E'\n') INTO problems FROM wagecheck._payroll_problems(sheet);
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC080',
            MESSAGE = wagecheck._msg('pay sheet %s of project %s cannot be ordered for payment', sheet, s.code),
            DETAIL = wagecheck._msg('%s', problems),
            HINT = wagecheck._msg('Every line in force must be a rostered worker''s with a registered card, paid from the project''s open dedicated account.');
    END IF;

    INSERT INTO wagecheck.payment_order (project_id, sheet_id, account_id, lines, total, execute_on)
    SELECT s.project_id, sheet, s.account_id, count(*), sum(pl.net), coalesce(execute_on, current_date)
      FROM wagecheck.pay_line pl
     WHERE pl.sheet_id = sheet AND pl.net > 0
       AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = pl.line_id)
    RETURNING * INTO o;

    SELECT xmlelement(name "Document", xmlattributes(ns AS xmlns),
             xmlelement(name "CstmrCdtTrfInitn",
               xmlelement(name "GrpHdr",
                 xmlelement(name "MsgId", o.msg_id),
                 xmlelement(name "CreDtTm", to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                 xmlelement(name "NbOfTxs", o.lines),
                 xmlelement(name "CtrlSum", to_char(o.total, 'FM999999999990.00')),
                 xmlelement(name "InitgPty", xmlelement(name "Nm", s.contractor))),
               xmlelement(name "PmtInf",
                 xmlelement(name "PmtInfId", o.msg_id),
                 xmlelement(name "PmtMtd", 'TRF'),
                 xmlelement(name "NbOfTxs", o.lines),
                 xmlelement(name "CtrlSum", to_char(o.total, 'FM999999999990.00')),
                 xmlelement(name "PmtTpInf", xmlelement(name "CtgyPurp", xmlelement(name "Cd", 'SALA'))),
                 xmlelement(name "ReqdExctnDt", xmlelement(name "Dt", o.execute_on)),
                 xmlelement(name "Dbtr", xmlelement(name "Nm", coalesce(s.account_name, s.contractor))),
                 xmlelement(name "DbtrAcct", xmlelement(name "Id", xmlelement(name "Othr", xmlelement(name "Id", s.account_no)))),
                 xmlelement(name "DbtrAgt", xmlelement(name "FinInstnId", xmlelement(name "Nm", s.bank))),
                 (SELECT xmlagg(
                           xmlelement(name "CdtTrfTxInf",
                             xmlelement(name "PmtId",
                               xmlelement(name "InstrId", pl.line_id),
                               xmlelement(name "EndToEndId", pl.line_id)),
                             xmlelement(name "Amt", xmlelement(name "InstdAmt", xmlattributes('CNY' AS "Ccy"),
                                                               to_char(pl.net, 'FM999999999990.00'))),
                             CASE WHEN w.card_bank IS NOT NULL
                                  THEN xmlelement(name "CdtrAgt", xmlelement(name "FinInstnId", xmlelement(name "Nm", w.card_bank))) END,
                             xmlelement(name "Cdtr", xmlelement(name "Nm", w.name)),
                             xmlelement(name "CdtrAcct", xmlelement(name "Id", xmlelement(name "Othr", xmlelement(name "Id", w.wage_card::text)))),
                             xmlelement(name "Purp", xmlelement(name "Cd", 'SALA')),
                             xmlelement(name "RmtInf", xmlelement(name "Ustrd",
                               format('%s %s 工资 %s', s.code, to_char(s.period, 'YYYY-MM'), s.employer))))
                           ORDER BY pl.line_id)
                    FROM wagecheck.pay_line pl JOIN wagecheck.worker w ON w.worker_id = pl.worker_id
                   WHERE pl.sheet_id = sheet AND pl.net > 0
                     AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = pl.line_id)))))
      INTO doc;

    SELECT string_agg(format('line %s: %s', v.line, v.message), E'\n') INTO errs
      FROM wagecheck.xml_validate(doc::text, 'pain.001.001.09') v;
    IF errs IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC081',
            MESSAGE = wagecheck._msg('the payroll order of pay sheet %s is not valid against pain.001.001.09', sheet),
            DETAIL = wagecheck._msg('%s', errs);
    END IF;
    RETURN doc;
END
$$;
COMMENT ON FUNCTION wagecheck.payroll_order(bigint, date) IS 'the pain.001 credit-transfer initiation of a pay sheet (总包代发): debtor the project''s open dedicated account, one transfer per line in force to the worker''s registered card and name, amount the net, end-to-end id the line; validated against pain.001.001.09 before it is returned and recorded in payment_order; refused (WC080) with the reasons when a line is not rostered, has no card, or the account is closed';

CREATE OR REPLACE FUNCTION wagecheck.import_payment_status(doc text)
RETURNS TABLE (line_id bigint, end_to_end_id text, status text, bank_code text, reason text, recorded boolean)
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
#variable_conflict use_column
DECLARE
    errs text;
    o wagecheck.payment_order;
    x xml;
    rpt record;
BEGIN
    SELECT string_agg(format('line %s: %s', v.line, v.message), E'\n') INTO errs
      FROM wagecheck.xml_validate(doc, 'pain.002.001.10') v;
    IF errs IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC082',
            MESSAGE = wagecheck._msg('the payment status report is not valid against pain.002.001.10'),
            DETAIL = wagecheck._msg('%s', errs);
    END IF;
    -- valid, hence without a document type declaration: safe for the xml type's parser
    x := xmlparse(document doc);
    SELECT * INTO rpt
      FROM XMLTABLE(XMLNAMESPACES('urn:iso:std:iso:20022:tech:xsd:pain.002.001.10' AS p),
                    '/p:Document/p:CstmrPmtStsRpt' PASSING x
                    COLUMNS msg_id text PATH 'p:GrpHdr/p:MsgId',
                            created timestamptz PATH 'p:GrpHdr/p:CreDtTm',
                            orgnl text PATH 'p:OrgnlGrpInfAndSts/p:OrgnlMsgId');
    SELECT * INTO o FROM wagecheck.payment_order po WHERE po.msg_id = rpt.orgnl;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'WC082',
            MESSAGE = wagecheck._msg('the payment status report %s answers no payroll order of wagecheck', rpt.msg_id),
            DETAIL = wagecheck._msg('OrgnlMsgId is "%s".', rpt.orgnl),
            HINT = wagecheck._msg('Import the report the bank sent for an order written by wagecheck.payroll_order.');
    END IF;
    RETURN QUERY
    WITH tx AS (
        SELECT t.*, row_number() OVER () AS n
          FROM XMLTABLE(XMLNAMESPACES('urn:iso:std:iso:20022:tech:xsd:pain.002.001.10' AS p),
                        '/p:Document/p:CstmrPmtStsRpt/p:OrgnlPmtInfAndSts/p:TxInfAndSts' PASSING x
                        COLUMNS e2e text PATH 'p:OrgnlEndToEndId',
                                sts text PATH 'p:TxSts',
                                rsn text PATH 'p:StsRsnInf[1]/p:Rsn/p:Cd|p:StsRsnInf[1]/p:Rsn/p:Prtry',
                                info text PATH 'p:StsRsnInf[1]/p:AddtlInf[1]') t
    ),
    m AS (
        SELECT tx.*, pl.line_id AS lid,
               CASE WHEN tx.sts = 'RJCT' THEN 'rejected' WHEN tx.sts = 'PDNG' THEN 'pending' ELSE 'accepted' END AS st
          FROM tx
          LEFT JOIN wagecheck.pay_line pl
                 ON tx.e2e ~ '^[0-9]{1,18}$' AND pl.line_id = tx.e2e::bigint AND pl.sheet_id = o.sheet_id
    ),
    ins AS (
        INSERT INTO wagecheck.payment_status (project_id, order_id, line_id, report_msg_id, status, bank_code,
                                              reason_code, reason, reported_at)
        SELECT o.project_id, o.order_id, m.lid, rpt.msg_id, m.st, m.sts, m.rsn, m.info, rpt.created
          FROM m WHERE m.lid IS NOT NULL
        ON CONFLICT (report_msg_id, line_id) DO NOTHING
        RETURNING payment_status.line_id
    )
    SELECT m.lid, m.e2e, CASE WHEN m.lid IS NULL THEN 'unknown' ELSE m.st END, m.sts,
           CASE WHEN m.lid IS NULL THEN format('end-to-end id "%s" is no line of pay sheet %s', m.e2e, o.sheet_id)
                ELSE concat_ws(' ', m.rsn, m.info) END,
           EXISTS (SELECT 1 FROM ins WHERE ins.line_id = m.lid)
      FROM m ORDER BY m.n;
END
$$;
COMMENT ON FUNCTION wagecheck.import_payment_status(text) IS 'reads a bank''s pain.002 answer to a payroll order (validated against pain.002.001.10 first) and records each payment as accepted, rejected or pending in payment_status; a rejection records a WP02 violation for the worker''s month, which the alerts and the arrears show; importing the same report again records nothing twice';

-- _payment_rejected (trigger, AFTER INSERT on payment_status): a rejected wage records a
-- WP02 violation for the worker's month on the project, as the owner of the tables (the
-- officers who import the bank's answer write no violation themselves).
CREATE OR REPLACE FUNCTION wagecheck._payment_rejected() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF TG_TABLE_SCHEMA <> 'wagecheck' OR TG_TABLE_NAME <> 'payment_status' OR TG_WHEN <> 'AFTER'
       OR TG_OP <> 'INSERT' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = wagecheck._msg('wagecheck._payment_rejected() fires only after a row is inserted into wagecheck.payment_status');
    END IF;
    IF NEW.status = 'rejected' THEN
        INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, project_id, details, source)
        SELECT 'WP02', 'worker_on_project', ps.project_id || '/' || pl.worker_id, ps.project_id,
               jsonb_build_object('period', to_char(ps.period, 'YYYY-MM'), 'worker_id', pl.worker_id,
                                  'line_id', pl.line_id, 'amount', pl.net,
                                  'message', format('the bank rejected the wage of pay line %s (%s)', pl.line_id,
                                                    concat_ws(' ', NEW.reason_code, NEW.reason)),
                                  'report', NEW.report_msg_id),
               'wagecheck.payment_status'::regclass
          FROM wagecheck.pay_line pl JOIN wagecheck.pay_sheet ps ON ps.sheet_id = pl.sheet_id
         WHERE pl.line_id = NEW.line_id;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._payment_rejected() IS 'trigger: a payment the bank rejected records a WP02 violation for the worker''s month (as the tables'' owner)';
CREATE OR REPLACE TRIGGER payment_rejected AFTER INSERT ON wagecheck.payment_status
    FOR EACH ROW EXECUTE FUNCTION wagecheck._payment_rejected();

GRANT SELECT, INSERT ON wagecheck.payment_order, wagecheck.payment_status TO wagecheck_admin;
-- officers read the orders and statuses of their scope; analysts do not (the reasons a
-- bank gives may name the worker)
GRANT SELECT ON wagecheck.payment_order, wagecheck.payment_status
    TO wagecheck_inspector, wagecheck_sector, wagecheck_county;
DO $$
DECLARE s regclass;
BEGIN
    FOREACH s IN ARRAY ARRAY[pg_catalog.pg_get_serial_sequence('wagecheck.payment_order', 'order_id'),
                             pg_catalog.pg_get_serial_sequence('wagecheck.payment_status', 'status_id')]::regclass[]
    LOOP
        EXECUTE pg_catalog.format('GRANT USAGE ON SEQUENCE %s TO wagecheck_admin', s);
    END LOOP;
END $$;
DROP POLICY IF EXISTS admin_all ON wagecheck.payment_order;
CREATE POLICY admin_all ON wagecheck.payment_order FOR ALL
    USING (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'));
DROP POLICY IF EXISTS admin_all ON wagecheck.payment_status;
CREATE POLICY admin_all ON wagecheck.payment_status FOR ALL
    USING (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'));
DROP POLICY IF EXISTS scope ON wagecheck.payment_order;
CREATE POLICY scope ON wagecheck.payment_order FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id));
DROP POLICY IF EXISTS scope ON wagecheck.payment_status;
CREATE POLICY scope ON wagecheck.payment_status FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id));
