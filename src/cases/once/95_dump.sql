-- The case area's tables hold user data: pg_dump keeps their rows and the state of
-- their identity sequences.
DO $$
DECLARE
    tabs regclass[] := ARRAY['wagecheck.case_unit', 'wagecheck.case_number_counter', 'wagecheck.lead_outbox',
        'wagecheck.complaint', 'wagecheck.case_ledger', 'wagecheck.case_event', 'wagecheck.case_plan',
        'wagecheck.case_contact', 'wagecheck.case_supervision', 'wagecheck.case_extension',
        'wagecheck.case_order', 'wagecheck.case_repayment', 'wagecheck.campaign', 'wagecheck.campaign_deadline',
        'wagecheck.opinion_report', 'wagecheck.dishonest_listing', 'wagecheck.dishonest_declined']::regclass[];
    r regclass;
BEGIN
    FOREACH r IN ARRAY tabs LOOP
        PERFORM pg_catalog.pg_extension_config_dump(r, '');
    END LOOP;
    FOR r IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_class c ON c.oid = d.objid
              WHERE d.classid = 'pg_catalog.pg_class'::regclass AND c.relkind = 'S'
                AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ANY (tabs)
                AND d.deptype IN ('a', 'i') LOOP
        PERFORM pg_catalog.pg_extension_config_dump(r, '');
    END LOOP;
END $$;
