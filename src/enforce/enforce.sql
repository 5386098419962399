-- Enforcing triggers: the rules that can be checked as a row arrives, in C.

CREATE OR REPLACE FUNCTION wagecheck.enforce() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_enforce'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.enforce() IS 'enforcing trigger (C): arguments kind, mode (project|reject|alert), then role=column pairs; BEFORE each row it checks, AFTER each statement it checks the new rows of its transition table (when it has one) and writes account balances';

CREATE OR REPLACE FUNCTION wagecheck.check_mapping(tbl regclass, args text[]) RETURNS void
    AS 'MODULE_PATHNAME', 'wagecheck_check_mapping'
    LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION wagecheck.check_mapping(regclass, text[]) IS 'raises the error the enforcing trigger would raise for this mapping (kind, mode, role=column...) on this table; returns nothing when it fits';

CREATE OR REPLACE FUNCTION wagecheck.project_wages_owed(project bigint)
RETURNS TABLE (sheet_id bigint, worker_id bigint, period date, net numeric, paid numeric, owed numeric)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT l.sheet_id, l.worker_id, s.period, n.net, coalesce(sum(p.amount), 0),
           greatest(n.net - coalesce(sum(p.amount), 0), 0)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      LEFT JOIN wagecheck.wage_payment p ON p.line_id = l.line_id
      CROSS JOIN LATERAL (
          SELECT coalesce(sum(e.net), 0) AS net
            FROM wagecheck.pay_line e
           WHERE e.sheet_id = l.sheet_id AND e.worker_id = l.worker_id
             AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = e.line_id)) n
     WHERE s.project_id = $1
     GROUP BY l.sheet_id, l.worker_id, s.period, n.net
$$;
COMMENT ON FUNCTION wagecheck.project_wages_owed(bigint) IS 'per pay sheet and worker of a project: net pay of the lines in force (not corrected), paid, and still owed';

-- wagecheck's own tables, mapped like any attached table; mode "project" follows
-- project.enforcement_mode. New movements are checked by the statement-level call
-- over the transition table (so COPY keeps its multi-row inserts); the row-level
-- call refuses changes to booked movements.
CREATE OR REPLACE TRIGGER enforce_row BEFORE UPDATE OR DELETE ON wagecheck.account_txn
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('account_txn', 'project', 'id=txn_id',
        'account=account_id', 'direction=direction', 'amount=amount',
        'counterparty=counterparty_account', 'counterparty_name=counterparty_name', 'purpose=purpose',
        'at=created_at');
CREATE OR REPLACE TRIGGER enforce_statement AFTER INSERT ON wagecheck.account_txn
    REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('account_txn', 'project', 'id=txn_id',
        'account=account_id', 'direction=direction', 'amount=amount',
        'counterparty=counterparty_account', 'counterparty_name=counterparty_name', 'purpose=purpose',
        'at=created_at');

-- Pay lines and payments likewise: new rows are checked by the statement-level call over
-- the transition table (the lines, rosters and cards they need read in one query); updates
-- and deletes row by row, the statement-level call after them forgetting what they cached.
CREATE OR REPLACE TRIGGER enforce_row BEFORE UPDATE OR DELETE ON wagecheck.pay_line
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('pay_line', 'project', 'id=line_id',
        'sheet=sheet_id', 'worker=worker_id', 'payable=payable', 'deductions=deductions', 'net=net',
        'corrects=corrects_line_id', 'at=created_at');
CREATE OR REPLACE TRIGGER enforce_statement AFTER UPDATE OR DELETE ON wagecheck.pay_line
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('pay_line', 'project', 'id=line_id',
        'sheet=sheet_id', 'worker=worker_id', 'payable=payable', 'deductions=deductions', 'net=net',
        'corrects=corrects_line_id', 'at=created_at');
CREATE OR REPLACE TRIGGER enforce_insert AFTER INSERT ON wagecheck.pay_line
    REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('pay_line', 'project', 'id=line_id',
        'sheet=sheet_id', 'worker=worker_id', 'payable=payable', 'deductions=deductions', 'net=net',
        'corrects=corrects_line_id', 'at=created_at');

CREATE OR REPLACE TRIGGER enforce_row BEFORE UPDATE ON wagecheck.wage_payment
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('wage_payment', 'project', 'id=payment_id',
        'line=line_id', 'amount=amount', 'method=method', 'card=card', 'at=created_at');
-- (the statement-level calls forget what the rows' checks cached: whether a project's
-- accounts are closed is asked once per project and statement)
CREATE OR REPLACE TRIGGER enforce_statement AFTER UPDATE ON wagecheck.wage_payment
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('wage_payment', 'project', 'id=payment_id',
        'line=line_id', 'amount=amount', 'method=method', 'card=card', 'at=created_at');
CREATE OR REPLACE TRIGGER enforce_insert AFTER INSERT ON wagecheck.wage_payment
    REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('wage_payment', 'project', 'id=payment_id',
        'line=line_id', 'amount=amount', 'method=method', 'card=card', 'at=created_at');

CREATE OR REPLACE TRIGGER enforce_row BEFORE UPDATE ON wagecheck.wage_account
    FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce('wage_account', 'project', 'id=account_id',
        'project=project_id', 'closed_on=closed_on', 'notice_on=closure_notice_on', 'balance=balance');
