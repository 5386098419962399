-- Who may do what in the case area (roles of the access area):
--  wagecheck_admin, wagecheck_inspector (labour inspection): record and decide complaints,
--    register, work and close cases, opinion reports, the dishonest list;
--  wagecheck_county, wagecheck_sector: read the cases (and their records) of the projects in
--    their scope (wagecheck.officer_scope), row-level security as on the domain tables;
--  wagecheck_analyst: everything without the complainant's personal data.
-- The ledger's own bookkeeping (case numbers, the event log, the outbox) and the close-out
-- guard's count of repayments run as the owner of the tables, like foreign-key checks, so
-- writers need no privileges on them and row-level security cannot blind the guard.

-- pg_temp last: a caller's temporary table can never stand in for one of wagecheck's.
ALTER FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_logged() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_child_logged() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_number_assign() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
ALTER FUNCTION wagecheck.case_closeout_guard() SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp;
-- EXECUTE on push_lead: wagecheck_admin and wagecheck_inspector (src/privileges.sql)

-- deadlines and thresholds are rule parameters: whoever records or reads cases computes them
GRANT SELECT ON wagecheck.rule, wagecheck.rule_param_override
    TO wagecheck_admin, wagecheck_inspector, wagecheck_county, wagecheck_sector, wagecheck_analyst;

GRANT SELECT, INSERT, UPDATE ON wagecheck.complaint, wagecheck.case_ledger, wagecheck.case_plan,
    wagecheck.case_contact, wagecheck.case_supervision, wagecheck.case_extension, wagecheck.case_order,
    wagecheck.case_repayment, wagecheck.campaign, wagecheck.campaign_deadline, wagecheck.opinion_report,
    wagecheck.dishonest_listing, wagecheck.dishonest_declined
    TO wagecheck_admin, wagecheck_inspector;
GRANT SELECT, INSERT, UPDATE ON wagecheck.case_unit TO wagecheck_admin;
GRANT SELECT, UPDATE ON wagecheck.lead_outbox TO wagecheck_admin;
GRANT SELECT ON wagecheck.case_unit, wagecheck.case_event, wagecheck.lead_outbox, wagecheck.case_number_counter,
    wagecheck.case_overview, wagecheck.complaint_masked, wagecheck.case_event_masked, wagecheck.campaign_progress_county,
    wagecheck.campaign_progress_sector
    TO wagecheck_admin, wagecheck_inspector;
GRANT SELECT ON wagecheck.case_unit, wagecheck.case_ledger, wagecheck.case_event, wagecheck.case_plan,
    wagecheck.case_supervision, wagecheck.case_extension, wagecheck.case_order, wagecheck.case_repayment,
    wagecheck.case_overview, wagecheck.campaign, wagecheck.campaign_deadline, wagecheck.campaign_progress_county,
    wagecheck.campaign_progress_sector, wagecheck.opinion_report, wagecheck.dishonest_listing
    TO wagecheck_county, wagecheck_sector;
DO $$
DECLARE s regclass;
BEGIN
    FOR s IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'i'
                AND d.refobjid IN ('wagecheck.complaint'::regclass, 'wagecheck.case_ledger'::regclass,
                                   'wagecheck.case_contact'::regclass, 'wagecheck.case_supervision'::regclass,
                                   'wagecheck.case_order'::regclass, 'wagecheck.case_repayment'::regclass,
                                   'wagecheck.campaign'::regclass, 'wagecheck.opinion_report'::regclass,
                                   'wagecheck.dishonest_listing'::regclass, 'wagecheck.dishonest_declined'::regclass)
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO wagecheck_admin, wagecheck_inspector', s);
    END LOOP;
END $$;

-- analysts: the masked complaints, the complaint table without name, phone, ID number and summary
REVOKE ALL ON wagecheck.complaint FROM wagecheck_analyst;
GRANT SELECT (complaint_id, unit_code, channel, transferred_from, workers_count, amount_claimed,
              project_id, enterprise_id, received_at, accept_due_on, status, decided_at, decided_by,
              decision_reason, created_at)
    ON wagecheck.complaint TO wagecheck_analyst;
GRANT SELECT ON wagecheck.complaint_masked, wagecheck.case_unit, wagecheck.case_ledger,
                wagecheck.case_event_masked, wagecheck.case_plan, wagecheck.case_supervision,
                wagecheck.case_extension, wagecheck.case_order, wagecheck.case_repayment,
                wagecheck.case_overview, wagecheck.campaign, wagecheck.campaign_deadline,
                wagecheck.campaign_progress_county, wagecheck.campaign_progress_sector,
                wagecheck.opinion_report, wagecheck.dishonest_listing, wagecheck.dishonest_declined
    TO wagecheck_analyst;

-- row-level security: writers see and change every case; scoped officers read theirs
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_ledger', 'case_plan', 'case_contact', 'case_supervision', 'case_extension',
                             'case_order', 'case_repayment', 'case_event', 'opinion_report'] LOOP
        EXECUTE format('ALTER TABLE wagecheck.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS writers ON wagecheck.%I', t);
        EXECUTE format('CREATE POLICY writers ON wagecheck.%I FOR ALL'
                       ' USING (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER'')'
                       '     OR pg_has_role(current_user, ''wagecheck_inspector'', ''MEMBER''))'
                       ' WITH CHECK (pg_has_role(current_user, ''wagecheck_admin'', ''MEMBER'')'
                       '     OR pg_has_role(current_user, ''wagecheck_inspector'', ''MEMBER''))', t);
        IF t NOT IN ('case_ledger', 'opinion_report') THEN
            EXECUTE format('DROP POLICY IF EXISTS scope ON wagecheck.%I', t);
            EXECUTE format('CREATE POLICY scope ON wagecheck.%I FOR SELECT'
                           ' USING (case_id IN (SELECT case_id FROM wagecheck.case_ledger))', t);
        END IF;
    END LOOP;
END $$;
DROP POLICY IF EXISTS scope ON wagecheck.case_ledger;
CREATE POLICY scope ON wagecheck.case_ledger FOR SELECT USING (wagecheck.in_scope(division, sector));
DROP POLICY IF EXISTS scope ON wagecheck.opinion_report;
CREATE POLICY scope ON wagecheck.opinion_report FOR SELECT
    USING (wagecheck.sees_everything() OR project_id IN (SELECT project_id FROM wagecheck.project));
ALTER VIEW wagecheck.case_overview SET (security_invoker = true);
ALTER VIEW wagecheck.campaign_progress_county SET (security_invoker = true);
ALTER VIEW wagecheck.campaign_progress_sector SET (security_invoker = true);
