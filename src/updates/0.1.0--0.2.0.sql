-- 0.1.0 -> 0.2.0: what CREATE OR REPLACE cannot do. make puts this first in
-- build/wagecheck--0.1.0--0.2.0.sql, then every definition of src/ (src/*/*.sql and
-- src/*/rules/*.sql), then 0.1.0--0.2.0.post.sql, then src/privileges.sql. A line `\ir FILE`
-- stands for that create-once file (relative to this folder), so a table new in this version
-- is written once, in its own file.

-- ==== functions whose signature or result changed: dropped, created again by the definitions
DROP FUNCTION wagecheck._scan_plan(text, timestamptz, boolean);
DROP FUNCTION wagecheck._memo_build(timestamptz);
DROP FUNCTION wagecheck.scan(timestamptz);
DROP FUNCTION wagecheck.attach(regclass, text, jsonb, text);
DROP FUNCTION wagecheck.detach(regclass);

-- ==== the rule catalogue: what each rule reads (inputs, clears_on, uses), whether time
-- alone changes its result, its project evaluator, date horizon and peers
ALTER TABLE wagecheck.rule
    ADD COLUMN inputs text[] CHECK (cardinality(inputs) > 0),
    ADD COLUMN time_driven boolean NOT NULL DEFAULT true,
    ADD COLUMN project_evaluator regprocedure,
    ADD COLUMN horizon regprocedure,
    ADD COLUMN peers regprocedure,
    ADD COLUMN clears_on text[],
    ADD CONSTRAINT rule_clears_on_inputs CHECK (clears_on <@ inputs),
    ADD COLUMN uses text[];

-- ==== alerts: no foreign keys on rule_code and alert_id (triggers guard them), no index on
-- division or project; indexes of the alerts a scan must plan
ALTER TABLE wagecheck.alert DROP CONSTRAINT alert_rule_code_fkey;
ALTER TABLE wagecheck.alert_event DROP CONSTRAINT alert_event_alert_id_fkey;
-- an alert's events name its project, as every fact table does (the alert's project now)
ALTER TABLE wagecheck.alert_event ADD COLUMN project_id bigint;
UPDATE wagecheck.alert_event e SET project_id = a.project_id
  FROM wagecheck.alert a WHERE a.alert_id = e.alert_id AND a.project_id IS NOT NULL;
DROP INDEX wagecheck.alert_division_live, wagecheck.alert_project;
CREATE INDEX alert_k_open ON wagecheck.alert (rule_code, deadline_on) WHERE tier = 'K' AND state = 'open';
CREATE INDEX alert_rule_unquiet ON wagecheck.alert (rule_code)
    WHERE evidence <> 'rule'
          OR NOT (state IN ('cleared', 'closed', 'reported') OR (tier = 'G' AND state = 'open')
                  OR (tier = 'K' AND state IN ('open', 'overdue')));

-- ==== who registered a worker (his officer sees him: worker_in_scope and the worker policies);
-- the analysts' masked views show less: worker_masked loses columns, case_event is read
-- through case_event_masked only
ALTER TABLE wagecheck.worker ADD COLUMN registered_by name NOT NULL DEFAULT current_user;
DROP VIEW wagecheck.worker_masked;
REVOKE SELECT ON wagecheck.case_event FROM wagecheck_analyst;

-- ==== value guards (their named checks are added by 0.1.0--0.2.0.post.sql, after the functions
-- they call): the unnamed amount > 0 checks give way to them; the range checks of hours, days
-- and labour share are renamed to run after their guard (checks run in name order)
ALTER TABLE wagecheck.account_txn DROP CONSTRAINT account_txn_amount_check;
ALTER TABLE wagecheck.wage_payment DROP CONSTRAINT wage_payment_amount_check;
ALTER TABLE wagecheck.project RENAME CONSTRAINT project_labour_share_check TO project_labour_share_range;
ALTER TABLE wagecheck.attendance RENAME CONSTRAINT attendance_hours_check TO attendance_hours_range;
ALTER TABLE wagecheck.pay_line RENAME CONSTRAINT pay_line_days_check TO pay_line_days_range;

-- ==== new: summaries kept at write time (filled by 0.1.0--0.2.0.post.sql)
\ir ../alerts/once/45_summaries.sql

-- ==== new: change capture and carried-over hits of incremental scans
\ir ../alerts/once/46_changes.sql

-- ==== new: indexes and a type of the rules' building blocks
\ir ../alerts/once/50_rule_helpers.sql

-- ==== new: the result types of the aggregates the views for BI tools use, and indexes the views for BI tools read through
\ir ../indicators/once/12_view_aggregates.sql
\ir ../indicators/once/20_views.sql

-- ==== scoped alerts: an officer's step names the officer (signature changed)
DROP FUNCTION wagecheck._officer_step(bigint, text, text, timestamptz);

-- ==== views for BI tools: codes as text, names and Chinese labels beside them, owner-rights
-- views applying the caller's scope; their columns changed, so the definitions create them again
DROP VIEW wagecheck.county_month_indicators, wagecheck.city_month_indicators,
          wagecheck.sector_month_indicators, wagecheck.funding_month_indicators;
DROP VIEW wagecheck.project_month_indicators;
DROP VIEW wagecheck.supervision_ledger, wagecheck.alert_board;

-- ==== new: GB/T 2260 division names
\ir ../ident/once/50_division.sql
\ir ../ident/once/51_division_data.sql

-- ==== new: mirror mode, attached tables that feed wagecheck's own tables
\ir ../attach/once/10_mirror.sql

-- ==== new: XML interchange, the bank statement profiles and the index of bank references
\ir ../interchange/once/10_profile.sql
\ir ../interchange/once/20_payroll.sql

-- ==== the accounts' pages leave room for the balances' new versions (src/schema/once/schema.sql)
ALTER TABLE wagecheck.wage_account SET (fillfactor = 20);
CREATE INDEX wage_account_project ON wagecheck.wage_account (project_id);
