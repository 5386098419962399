-- Who may see what, the definitions: comments on the roles, scope functions, row-level
-- security policies, grants and the analysts' masked views (tables: once/access.sql).
COMMENT ON ROLE wagecheck_admin IS 'wagecheck: administers the supervision data and officers'' scopes; sees and writes everything';
COMMENT ON ROLE wagecheck_inspector IS 'wagecheck: labour inspector of HRSS (人社局): reads every division and sector';
COMMENT ON ROLE wagecheck_sector IS 'wagecheck: officer of a sector regulator (行业主管部门): reads, records and corrects (never deletes) the facts of the projects of the sectors and divisions in wagecheck.officer_scope';
COMMENT ON ROLE wagecheck_county IS 'wagecheck: officer of a county or district (属地): reads, records and corrects (never deletes) the facts of the projects of the divisions in wagecheck.officer_scope';
COMMENT ON ROLE wagecheck_analyst IS 'wagecheck: analyst: reads everything without personal data (ID and card numbers masked)';
COMMENT ON TABLE wagecheck.officer_scope IS 'what each officer (a login role) may see: projects whose division starts with division_prefix (2 digits province, 4 city, 6 county; empty = all) and, when sector is set, of that sector only';
COMMENT ON COLUMN wagecheck.officer_scope.officer IS 'login role of the officer (member of wagecheck_sector or wagecheck_county)';

-- sees_everything: admin, inspector and analyst roles see every row.
CREATE OR REPLACE FUNCTION wagecheck.sees_everything() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT pg_has_role(current_user, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(current_user, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(current_user, 'wagecheck_analyst', 'MEMBER')
$$;
COMMENT ON FUNCTION wagecheck.sees_everything() IS 'true when the current role is (a member of) wagecheck_admin, wagecheck_inspector or wagecheck_analyst';

-- in_scope: is a project of this division and sector within the current officer's scope?
CREATE OR REPLACE FUNCTION wagecheck.in_scope(division wagecheck.division_code, sector text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT wagecheck.sees_everything()
        OR EXISTS (SELECT 1 FROM wagecheck.officer_scope s
                    WHERE s.officer = current_user
                      AND starts_with(division::text, s.division_prefix)
                      AND (s.sector IS NULL OR s.sector = $2))
$$;
COMMENT ON FUNCTION wagecheck.in_scope(wagecheck.division_code, text) IS 'true when a project of this division and sector is within the current role''s scope (wagecheck.officer_scope)';

-- worker_in_scope: may the officer (by default the current role) see this worker, and so
-- put him on a roster? Yes for the roles that see everything, for the officer who
-- registered him, and for the officers of the projects whose rosters name him. It reads
-- as the owner (no row-level security of its own to recurse into), for the officer the
-- session acts as: asking about another role is refused.
CREATE OR REPLACE FUNCTION wagecheck.worker_in_scope(worker bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF worker_in_scope.officer <> session_user AND NOT pg_has_role(session_user, worker_in_scope.officer, 'MEMBER') THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('permission denied to ask which workers %s sees', worker_in_scope.officer),
              ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(worker_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(worker_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(worker_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR EXISTS (SELECT 1 FROM wagecheck.worker w
                    WHERE w.worker_id = worker_in_scope.worker AND w.registered_by = worker_in_scope.officer)
        OR EXISTS (SELECT 1
                     FROM wagecheck.roster r
                     JOIN wagecheck.project p ON p.project_id = r.project_id
                     JOIN wagecheck.officer_scope s ON s.officer = worker_in_scope.officer
                                                    AND starts_with(p.division::text, s.division_prefix)
                                                    AND (s.sector IS NULL OR s.sector = p.sector)
                    WHERE r.worker_id = worker_in_scope.worker);
END
$$;
COMMENT ON FUNCTION wagecheck.worker_in_scope(bigint, name) IS 'true when the officer (the current role unless named; only a role the session may act as) may see the worker: roles that see everything, the officer who registered him, officers of the projects whose rosters name him';

-- project_in_scope: is the project within the officer's scope (by default the current
-- role)? The one test of a project's scope that the policies of the alerts and violations
-- and the owner-rights views (the boards, the ledger, the indicators) call, row by row:
-- it reads the project as the owner (no row-level security to recurse into, and a view
-- that runs with its owner's rights still applies its caller's scope), for the officer
-- the session acts as; asking about another role is refused, as worker_in_scope does.
CREATE OR REPLACE FUNCTION wagecheck.project_in_scope(project bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF project_in_scope.officer IS NULL
       OR (project_in_scope.officer <> session_user
           AND NOT pg_has_role(session_user, project_in_scope.officer, 'MEMBER')) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('permission denied to ask which projects %s sees', coalesce(project_in_scope.officer, 'NULL')),
              ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(project_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(project_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(project_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR EXISTS (SELECT 1
                     FROM wagecheck.project p
                     JOIN wagecheck.officer_scope s ON s.officer = project_in_scope.officer
                                                    AND starts_with(p.division::text, s.division_prefix)
                                                    AND (s.sector IS NULL OR s.sector = p.sector)
                    WHERE p.project_id = project_in_scope.project);
END
$$;
COMMENT ON FUNCTION wagecheck.project_in_scope(bigint, name) IS 'true when the project is within the scope of the officer (the current role unless named; only a role the session may act as): roles that see everything, officers whose wagecheck.officer_scope covers its division and sector; false for no project';

-- alert_in_scope: is an alert of this project (or, without a project, of this division:
-- an enterprise's) within the officer's scope? Alerts of no project are seen by the
-- officers whose scope names no sector, within its divisions.
CREATE OR REPLACE FUNCTION wagecheck.alert_in_scope(project bigint, division wagecheck.division_code,
                                         officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
BEGIN
    IF alert_in_scope.project IS NOT NULL THEN
        RETURN wagecheck.project_in_scope(alert_in_scope.project, alert_in_scope.officer);
    END IF;
    IF alert_in_scope.officer IS NULL
       OR (alert_in_scope.officer <> session_user
           AND NOT pg_has_role(session_user, alert_in_scope.officer, 'MEMBER')) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('permission denied to ask which alerts %s sees', coalesce(alert_in_scope.officer, 'NULL')),
              ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN pg_has_role(alert_in_scope.officer, 'wagecheck_admin', 'MEMBER')
        OR pg_has_role(alert_in_scope.officer, 'wagecheck_inspector', 'MEMBER')
        OR pg_has_role(alert_in_scope.officer, 'wagecheck_analyst', 'MEMBER')
        OR (alert_in_scope.division IS NOT NULL
            AND EXISTS (SELECT 1 FROM wagecheck.officer_scope s
                         WHERE s.officer = alert_in_scope.officer AND s.sector IS NULL
                           AND starts_with(alert_in_scope.division::text, s.division_prefix)));
END
$$;
COMMENT ON FUNCTION wagecheck.alert_in_scope(bigint, wagecheck.division_code, name) IS 'true when an alert of this project, or of no project and this division, is within the scope of the officer (the current role unless named; only a role the session may act as): project_in_scope for a project; without one, officers whose scope names no sector and covers the division';

ALTER TABLE wagecheck.officer_scope ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_scope ON wagecheck.officer_scope;
CREATE POLICY own_scope ON wagecheck.officer_scope FOR SELECT
    USING (officer = current_user OR wagecheck.sees_everything());
DROP POLICY IF EXISTS admin_all ON wagecheck.officer_scope;
CREATE POLICY admin_all ON wagecheck.officer_scope FOR ALL
    USING (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, 'wagecheck_admin', 'MEMBER'));

-- Row-level security: a project is visible within scope; every other table follows its project.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['project', 'subcontract', 'worker', 'roster', 'attendance', 'wage_account',
                             'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line',
                             'wage_payment', 'guarantee_deposit', 'violation']
    LOOP
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS admin_all ON wagecheck.%I', t);
        EXECUTE format('CREATE POLICY admin_all ON wagecheck.%I FOR ALL'
                       ' USING (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER''))'
                       ' WITH CHECK (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER''))', t);
    END LOOP;
END
$$;
DROP POLICY IF EXISTS scope ON wagecheck.project;
CREATE POLICY scope ON wagecheck.project FOR ALL
    USING (wagecheck.in_scope(division, sector)) WITH CHECK (wagecheck.in_scope(division, sector));
DROP POLICY IF EXISTS scope ON wagecheck.subcontract;
CREATE POLICY scope ON wagecheck.subcontract FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.roster;
CREATE POLICY scope ON wagecheck.roster FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.worker;
CREATE POLICY scope ON wagecheck.worker FOR SELECT
    USING (wagecheck.sees_everything() OR registered_by = current_user OR wagecheck.worker_in_scope(worker_id));
DROP POLICY IF EXISTS scope ON wagecheck.attendance;
CREATE POLICY scope ON wagecheck.attendance FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.wage_account;
CREATE POLICY scope ON wagecheck.wage_account FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.account_txn;
CREATE POLICY scope ON wagecheck.account_txn FOR SELECT
    USING (account_id IN (SELECT account_id FROM wagecheck.wage_account));
DROP POLICY IF EXISTS scope ON wagecheck.labour_cost_schedule;
CREATE POLICY scope ON wagecheck.labour_cost_schedule FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.pay_sheet;
CREATE POLICY scope ON wagecheck.pay_sheet FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.pay_line;
CREATE POLICY scope ON wagecheck.pay_line FOR SELECT
    USING (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
DROP POLICY IF EXISTS scope ON wagecheck.wage_payment;
CREATE POLICY scope ON wagecheck.wage_payment FOR SELECT
    USING (line_id IN (SELECT line_id FROM wagecheck.pay_line));
DROP POLICY IF EXISTS scope ON wagecheck.guarantee_deposit;
CREATE POLICY scope ON wagecheck.guarantee_deposit FOR SELECT
    USING (project_id IN (SELECT project_id FROM wagecheck.project));
DROP POLICY IF EXISTS scope ON wagecheck.violation;
CREATE POLICY scope ON wagecheck.violation FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id));

-- Privileges.
GRANT USAGE ON SCHEMA wagecheck TO wagecheck_admin, wagecheck_inspector, wagecheck_sector,
    wagecheck_county, wagecheck_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract,
    wagecheck.worker, wagecheck.roster, wagecheck.attendance, wagecheck.wage_account, wagecheck.account_txn,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment,
    wagecheck.guarantee_deposit, wagecheck.officer_scope TO wagecheck_admin;
GRANT SELECT ON wagecheck.violation TO wagecheck_admin;
-- mirror mode: the administrator attaches and detaches; an inspector goes from a mirrored row back to its source
GRANT SELECT, INSERT, UPDATE, DELETE ON wagecheck.mirror, wagecheck.mirror_ref TO wagecheck_admin;
GRANT SELECT ON wagecheck.mirror_ref TO wagecheck_inspector;
-- the ids of the tables above (named, so that running this again grants nothing more)
DO $$
DECLARE s regclass;
BEGIN
    FOR s IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
                AND d.refobjid = ANY (ARRAY['wagecheck.enterprise', 'wagecheck.project', 'wagecheck.subcontract',
                        'wagecheck.worker', 'wagecheck.roster', 'wagecheck.attendance', 'wagecheck.wage_account',
                        'wagecheck.account_txn', 'wagecheck.labour_cost_schedule', 'wagecheck.pay_sheet',
                        'wagecheck.pay_line', 'wagecheck.wage_payment', 'wagecheck.guarantee_deposit',
                        'wagecheck.violation', 'wagecheck.officer_scope']::regclass[])
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO wagecheck_admin', s);
    END LOOP;
END $$;
GRANT SELECT ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract, wagecheck.worker,
    wagecheck.roster, wagecheck.attendance, wagecheck.wage_account, wagecheck.account_txn,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment,
    wagecheck.guarantee_deposit, wagecheck.violation, wagecheck.officer_scope
    TO wagecheck_inspector, wagecheck_sector, wagecheck_county;
-- regulators keep their projects' site facts current
GRANT UPDATE (status, notice_board_on, complaint_qr, completed_on) ON wagecheck.project
    TO wagecheck_sector, wagecheck_county;
-- analysts: everything without personal data
GRANT SELECT ON wagecheck.enterprise, wagecheck.project, wagecheck.subcontract, wagecheck.roster,
    wagecheck.attendance, wagecheck.wage_account, wagecheck.labour_cost_schedule, wagecheck.pay_sheet,
    wagecheck.pay_line, wagecheck.guarantee_deposit, wagecheck.officer_scope TO wagecheck_analyst;

-- Officers of a county (属地) or a sector regulator record and correct the facts of the
-- projects in their scope (wagecheck.officer_scope) and nowhere else: projects,
-- subcontracts, workers and rosters, attendance, dedicated accounts (not their balance),
-- labour-cost schedules, pay sheets and lines, wage payments, deposits. Nothing is deleted
-- (ledgers are kept 3 years: only an administrator deletes) and payments are not edited
-- (a wrong payment is answered by a correcting pay line). Account movements come from the
-- bank's feed and violations from the enforcing trigger: officers write neither, nor their
-- own scope, nor a project's enforcement mode. Inspectors and analysts only read.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['subcontract', 'attendance', 'wage_account', 'labour_cost_schedule',
                             'pay_sheet', 'guarantee_deposit']
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS officer_insert ON wagecheck.%I', t);
        EXECUTE format('CREATE POLICY officer_insert ON wagecheck.%I FOR INSERT TO wagecheck_county, wagecheck_sector'
                       ' WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project))', t);
        EXECUTE format('DROP POLICY IF EXISTS officer_update ON wagecheck.%I', t);
        EXECUTE format('CREATE POLICY officer_update ON wagecheck.%I FOR UPDATE TO wagecheck_county, wagecheck_sector'
                       ' USING (project_id IN (SELECT project_id FROM wagecheck.project))'
                       ' WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project))', t);
    END LOOP;
END
$$;
-- a roster entry links a worker to a project: an officer links only workers he already
-- sees (registered by him, or on a roster in his scope) to projects in his scope
DROP POLICY IF EXISTS officer_insert ON wagecheck.roster;
CREATE POLICY officer_insert ON wagecheck.roster FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project) AND wagecheck.worker_in_scope(worker_id));
DROP POLICY IF EXISTS officer_update ON wagecheck.roster;
CREATE POLICY officer_update ON wagecheck.roster FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (project_id IN (SELECT project_id FROM wagecheck.project))
    WITH CHECK (project_id IN (SELECT project_id FROM wagecheck.project) AND wagecheck.worker_in_scope(worker_id));
DROP POLICY IF EXISTS officer_insert ON wagecheck.pay_line;
CREATE POLICY officer_insert ON wagecheck.pay_line FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
DROP POLICY IF EXISTS officer_update ON wagecheck.pay_line;
CREATE POLICY officer_update ON wagecheck.pay_line FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet))
    WITH CHECK (sheet_id IN (SELECT sheet_id FROM wagecheck.pay_sheet));
DROP POLICY IF EXISTS officer_insert ON wagecheck.wage_payment;
CREATE POLICY officer_insert ON wagecheck.wage_payment FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (line_id IN (SELECT line_id FROM wagecheck.pay_line));
-- a worker is registered by real name (by the officer himself: registered_by) before any
-- roster names him; his record is then kept by that officer and the officers of the
-- projects whose roster he is on. A worker already registered by another officer is not
-- registered again (his ID number is unique): an administrator puts him on the roster.
DROP POLICY IF EXISTS officer_insert ON wagecheck.worker;
CREATE POLICY officer_insert ON wagecheck.worker FOR INSERT TO wagecheck_county, wagecheck_sector
    WITH CHECK (registered_by = current_user);
DROP POLICY IF EXISTS officer_update ON wagecheck.worker;
CREATE POLICY officer_update ON wagecheck.worker FOR UPDATE TO wagecheck_county, wagecheck_sector
    USING (registered_by = current_user OR wagecheck.worker_in_scope(worker_id))
    WITH CHECK (registered_by = current_user OR wagecheck.worker_in_scope(worker_id));

GRANT INSERT (code, name, division, sector, funding, owner_id, contractor_id, contract_value,
              contract_signed_on, labour_share, start_on, planned_end_on, completed_on, status,
              notice_board_on, complaint_qr),
      UPDATE (name, division, sector, funding, owner_id, contractor_id, contract_value,
              contract_signed_on, labour_share, start_on, planned_end_on)
    ON wagecheck.project TO wagecheck_sector, wagecheck_county;
GRANT INSERT (credit_code, name, role, legal_rep, division) ON wagecheck.enterprise
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT, UPDATE ON wagecheck.subcontract, wagecheck.roster, wagecheck.attendance,
    wagecheck.labour_cost_schedule, wagecheck.pay_sheet, wagecheck.guarantee_deposit
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT (project_id, bank, account_no, account_name, opened_on, registered_on, closure_notice_on, closed_on),
      UPDATE (bank, account_name, registered_on, closure_notice_on, closed_on)
    ON wagecheck.wage_account TO wagecheck_sector, wagecheck_county;
GRANT INSERT (sheet_id, worker_id, days, payable, deductions, net, signed_on, corrects_line_id),
      UPDATE (days, payable, deductions, net, signed_on)
    ON wagecheck.pay_line TO wagecheck_sector, wagecheck_county;
GRANT INSERT (line_id, txn_id, amount, paid_at, method, card) ON wagecheck.wage_payment
    TO wagecheck_sector, wagecheck_county;
GRANT INSERT (resident_id, name, phone, wage_card, card_bank),
      UPDATE (name, phone, wage_card, card_bank)
    ON wagecheck.worker TO wagecheck_sector, wagecheck_county;

-- Attaching the enforcing trigger is an administrator's act: the trigger checks (and
-- records violations) as the owner of wagecheck's tables, so not everyone who can
-- create a table may install it (CREATE TRIGGER needs EXECUTE on the function, which
-- src/privileges.sql grants to wagecheck_admin alone).

-- mask_account: any account or card number as text, first 4 and last 4 characters kept.
CREATE OR REPLACE FUNCTION wagecheck.mask_account(account text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE WHEN wagecheck.is_valid_bank_card(account) THEN wagecheck.mask(account::wagecheck.bank_card)
                WHEN length(account) <= 8 THEN repeat('*', length(account))
                ELSE left(account, 4) || repeat('*', length(account) - 8) || right(account, 4) END
$$;
COMMENT ON FUNCTION wagecheck.mask_account(text) IS 'an account or card number with all but its first and last 4 characters hidden';

-- No combination of its columns rebuilds an ID number: of the number only the region (the
-- first 6 digits) is shown, of the birth date only the year, of the sequence only the sex.
CREATE OR REPLACE VIEW wagecheck.worker_masked AS
SELECT w.worker_id, left(w.name, 1) || repeat('*', length(w.name) - 1) AS name,
       left(w.resident_id::text, 6) || '************' AS resident_id,
       extract(year FROM wagecheck.birth_date(w.resident_id))::integer AS birth_year,
       wagecheck.sex(w.resident_id) AS sex,
       CASE WHEN w.phone IS NULL THEN NULL ELSE left(w.phone, 3) || '****' || right(w.phone, 4) END AS phone,
       wagecheck.mask(w.wage_card) AS wage_card, w.card_bank, w.registered_at
  FROM wagecheck.worker w;
COMMENT ON VIEW wagecheck.worker_masked IS 'workers without personal data (for analysts): name masked, of the ID number only the region, year of birth and sex, phone and card masked';
CREATE OR REPLACE VIEW wagecheck.account_txn_masked AS
SELECT t.txn_id, t.account_id, t.direction, t.amount, wagecheck.mask_account(t.counterparty_account) AS counterparty_account,
       t.counterparty_name, t.purpose, t.booked_at, t.created_at
  FROM wagecheck.account_txn t;
COMMENT ON VIEW wagecheck.account_txn_masked IS 'dedicated-account movements with the counterparty account masked (for analysts)';
CREATE OR REPLACE VIEW wagecheck.wage_payment_masked AS
SELECT p.payment_id, p.line_id, p.txn_id, p.amount, p.paid_at, p.method, wagecheck.mask(p.card) AS card, p.created_at
  FROM wagecheck.wage_payment p;
COMMENT ON VIEW wagecheck.wage_payment_masked IS 'wage payments with the card masked (for analysts)';
-- the message and detail of a violation name the worker and his card: only the amount and
-- the SQLSTATE are kept (the rule's code names what was violated)
CREATE OR REPLACE VIEW wagecheck.violation_masked AS
SELECT v.violation_id, v.rule_code, v.subject_kind, v.subject_id, v.project_id, v.occurred_at,
       jsonb_strip_nulls(jsonb_build_object('amount', v.details -> 'amount', 'sqlstate', v.details -> 'sqlstate')) AS details,
       v.source
  FROM wagecheck.violation v;
COMMENT ON VIEW wagecheck.violation_masked IS 'recorded violations without personal data (for analysts): of the details only amount and sqlstate';
GRANT SELECT ON wagecheck.worker_masked, wagecheck.account_txn_masked, wagecheck.wage_payment_masked,
    wagecheck.violation_masked TO wagecheck_analyst, wagecheck_admin, wagecheck_inspector;


-- Division names (GB/T 2260): every role reads them; administrators add the divisions the
-- shipped rows lack and correct those they added, never the shipped ones (row-level
-- security: their policy sees only rows with shipped false and writes only such rows).
ALTER TABLE wagecheck.division ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS read_all ON wagecheck.division;
CREATE POLICY read_all ON wagecheck.division FOR SELECT USING (true);
DROP POLICY IF EXISTS admin_added ON wagecheck.division;
CREATE POLICY admin_added ON wagecheck.division FOR ALL TO wagecheck_admin
    USING (NOT shipped) WITH CHECK (NOT shipped);
GRANT SELECT ON wagecheck.division
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;
GRANT INSERT, UPDATE, DELETE ON wagecheck.division TO wagecheck_admin;
