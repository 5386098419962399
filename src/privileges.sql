
-- Who may run which function: the access table of the manual (contrib-docs/enforce.sgml,
-- "Function privileges"), applied last, over every function of the extension. Each
-- function first loses EXECUTE for PUBLIC and the five roles, then gets exactly the
-- grants listed here, so an install and an upgrade end with the same privileges, and a
-- function added later runs for its owner only until it is listed.
--  PUBLIC: the identifier types' input, output, operators, casts and index support, the
--    aggregates, what the tables' check constraints call (they run as the writing role),
--    functions of their arguments alone (identifiers, calendar, masks), and the messages
--    of the PL/pgSQL code (_msg);
--  the five roles: what row-level security, views and defaults of tables they read call;
--  the four roles that handle alerts (not analysts): the officers' steps on the alerts
--    of their scope (confirm_rectified, verify_alert, report_alert);
--  wagecheck_admin and wagecheck_inspector: recording and deciding complaints and cases;
--  wagecheck_admin: attaching the enforcing trigger to other tables, importing bank statements;
--  the five roles: validating XML against the shipped schemas;
--  nobody else: the rule engine (scan() and its evaluators, run by the owner, as the
--    scheduled scan is), the summaries, and every trigger function (a trigger fires
--    without EXECUTE; CREATE TRIGGER needs it, so nobody can attach them elsewhere).
DO $$
DECLARE
    f regprocedure;
    grantees text;
BEGIN
    FOR f, grantees IN
        WITH access (name, grantees) AS (VALUES
            -- identifiers
            ('is_valid_resident_id', 'PUBLIC'), ('is_valid_credit_code', 'PUBLIC'),
            ('is_valid_bank_card', 'PUBLIC'), ('is_valid_division_code', 'PUBLIC'),
            ('birth_date', 'PUBLIC'), ('sex', 'PUBLIC'), ('age', 'PUBLIC'), ('region', 'PUBLIC'),
            ('category', 'PUBLIC'), ('registration_authority', 'PUBLIC'), ('province', 'PUBLIC'),
            ('city', 'PUBLIC'), ('county', 'PUBLIC'), ('level', 'PUBLIC'),
            ('mask', 'PUBLIC'), ('mask_account', 'PUBLIC'), ('mask_person_name', 'PUBLIC'),
            ('mask_phone', 'PUBLIC'),
            -- calendar
            ('add_working_days', 'PUBLIC'), ('is_working_day', 'PUBLIC'), ('working_days_between', 'PUBLIC'),
            ('pay_day', 'PUBLIC'), ('wage_pay_date', 'PUBLIC'), ('lunar_to_gregorian', 'PUBLIC'),
            ('gregorian_to_lunar', 'PUBLIC'), ('spring_festival', 'PUBLIC'), ('lunar_new_year', 'PUBLIC'),
            ('lantern_festival', 'PUBLIC'), ('dragon_boat_festival', 'PUBLIC'),
            ('mid_autumn_festival', 'PUBLIC'), ('chinese_new_years_eve', 'PUBLIC'),
            -- formats and constants
            ('version', 'PUBLIC'), ('case_number', 'PUBLIC'), ('case_number_parts', 'PUBLIC'),
            ('alert_transition', 'PUBLIC'), ('alert_transitions', 'PUBLIC'),
            -- the PL/pgSQL code's messages in the session's language (its functions and
            -- triggers run as their callers; it formats text and reads nothing)
            ('_msg', 'PUBLIC'),
            -- row-level security, rule parameters, the case area's views and defaults
            ('sees_everything', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('worker_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('project_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alert_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alert_id_in_scope', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('alerts_as_of', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('division_key', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('division_name', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('label_zh', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('rule_param', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('unit_for_division', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_due_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_open_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_repaid_at', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_deadline_on', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_cases', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('campaign_progress', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('dishonest_listed', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            -- the officers' steps on the alerts of their scope
            ('confirm_rectified', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('verify_alert', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('report_alert', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            ('_officer_step', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county'),
            -- complaints, cases, opinion reports, the dishonest list
            ('accept_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('reject_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('withdraw_complaint', 'wagecheck_admin, wagecheck_inspector'),
            ('_complaint_for_decision', 'wagecheck_admin, wagecheck_inspector'),
            ('close_case', 'wagecheck_admin, wagecheck_inspector'),
            ('reopen_case', 'wagecheck_admin, wagecheck_inspector'),
            ('reverse_repayment', 'wagecheck_admin, wagecheck_inspector'),
            ('push_lead', 'wagecheck_admin, wagecheck_inspector'),
            ('report_opinion_report', 'wagecheck_admin, wagecheck_inspector'),
            ('verify_opinion_report', 'wagecheck_admin, wagecheck_inspector'),
            ('dishonest_candidates', 'wagecheck_admin, wagecheck_inspector'),
            ('list_dishonest', 'wagecheck_admin, wagecheck_inspector'),
            ('decline_dishonest_listing', 'wagecheck_admin, wagecheck_inspector'),
            ('remove_dishonest_listing', 'wagecheck_admin, wagecheck_inspector'),
            -- the outbox's reader, attaching the enforcing trigger to other tables
            ('lead_delivered', 'wagecheck_admin'),
            ('attach', 'wagecheck_admin'), ('detach', 'wagecheck_admin'), ('check_mapping', 'wagecheck_admin'),
            ('enforce', 'wagecheck_admin'), ('_trigger_args', 'wagecheck_admin'),
            ('mirror', 'wagecheck_admin'), ('_mirror_sql', 'wagecheck_admin'), ('_mirror_roles', 'wagecheck_admin'),
            ('_mirror_kinds', 'wagecheck_admin'), ('_mirror_key', 'wagecheck_admin'), ('_mirror_word', 'wagecheck_admin'),
            ('_mirror_refuse', 'wagecheck_admin'),
            ('mirror_backfill', 'wagecheck_admin'),
            -- XML interchange: validation against the shipped schemas by everyone who reads;
            -- bank statements in by those who write the dedicated accounts' movements
            ('xml_validate', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('xml_is_valid', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('import_bank_statement', 'wagecheck_admin'),
            ('payroll_order', 'wagecheck_admin'), ('import_payment_status', 'wagecheck_admin'),
            ('_payroll_problems', 'wagecheck_admin'),
            -- ledgers out: every role that reads them, with its own scope
            ('supervision_ledger_xml', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('case_ledger_xml', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('dishonest_list_xml', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('_ledger_doc', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst'),
            ('ledger_html', 'wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst')
        ),
        -- what the types, operators, casts, operator classes and aggregates are made of
        type_support (oid) AS (
            SELECT unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze])
              FROM pg_catalog.pg_type t WHERE t.typnamespace = 'wagecheck'::regnamespace
            UNION SELECT unnest(ARRAY[o.oprcode, o.oprrest, o.oprjoin])
              FROM pg_catalog.pg_operator o WHERE o.oprnamespace = 'wagecheck'::regnamespace
            UNION SELECT ap.amproc
              FROM pg_catalog.pg_amproc ap JOIN pg_catalog.pg_opfamily f ON f.oid = ap.amprocfamily
             WHERE f.opfnamespace = 'wagecheck'::regnamespace
            UNION SELECT c.castfunc
              FROM pg_catalog.pg_cast c JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc
             WHERE p.pronamespace = 'wagecheck'::regnamespace
            UNION SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn])
              FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
             WHERE p.pronamespace = 'wagecheck'::regnamespace
            -- what the tables' check constraints call: they run as the role that writes the row
            UNION SELECT d.refobjid
              FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_constraint c ON c.oid = d.objid
             WHERE d.classid = 'pg_catalog.pg_constraint'::regclass
               AND d.refclassid = 'pg_catalog.pg_proc'::regclass
               AND c.contype = 'c' AND c.connamespace = 'wagecheck'::regnamespace
        )
        SELECT p.oid::regprocedure,
               CASE WHEN p.oid IN (SELECT oid FROM type_support) THEN 'PUBLIC' ELSE a.grantees END
          FROM pg_catalog.pg_proc p LEFT JOIN access a ON a.name = p.proname
         WHERE p.pronamespace = 'wagecheck'::regnamespace
         ORDER BY p.oid::regprocedure::text
    LOOP
        EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC, wagecheck_admin, wagecheck_inspector, '
                       'wagecheck_sector, wagecheck_county, wagecheck_analyst', f);
        IF grantees IS NOT NULL THEN
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO %s', f, grantees);
        END IF;
    END LOOP;
END
$$;
