-- Analysts (role wagecheck_analyst, when it exists at installation) read the case
-- area without the complainant's personal data: the masked view, and the complaint
-- table without its name, phone, ID number and free-text summary.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'wagecheck_analyst') THEN
        RETURN;
    END IF;
    REVOKE ALL ON wagecheck.complaint FROM wagecheck_analyst;
    GRANT SELECT (complaint_id, unit_code, channel, transferred_from, workers_count, amount_claimed,
                  project_id, enterprise_id, received_at, accept_due_on, status, decided_at, decided_by,
                  decision_reason, created_at)
        ON wagecheck.complaint TO wagecheck_analyst;
    GRANT SELECT ON wagecheck.complaint_masked, wagecheck.case_unit, wagecheck.case_ledger,
                    wagecheck.case_event, wagecheck.case_plan, wagecheck.case_supervision,
                    wagecheck.case_extension, wagecheck.case_order, wagecheck.case_repayment,
                    wagecheck.case_overview, wagecheck.campaign, wagecheck.campaign_deadline,
                    wagecheck.campaign_progress_county, wagecheck.campaign_progress_sector,
                    wagecheck.opinion_report, wagecheck.dishonest_listing, wagecheck.dishonest_declined
        TO wagecheck_analyst;
END $$;
