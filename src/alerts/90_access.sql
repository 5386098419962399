-- Who sees and handles which alerts: every role reads the alerts, their events and the
-- violations they consumed within its scope (row-level security through
-- wagecheck.alert_in_scope, the test of wagecheck.project_in_scope by the alert's project);
-- inspectors, analysts and administrators see every alert. Only wagecheck's functions
-- write alerts: scan() as its owner; officers take their steps (confirm_rectified,
-- verify_alert, report_alert) on the alerts of their scope.

-- alert_id_in_scope: is the alert (by id) within the officer's scope? For the tables that
-- name an alert and no project: its events and the violations it consumed.
CREATE OR REPLACE FUNCTION wagecheck.alert_id_in_scope(alert bigint, officer name DEFAULT current_user) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, wagecheck, pg_temp
AS $$
    SELECT coalesce((SELECT wagecheck.alert_in_scope(a.project_id, a.division, officer)
                       FROM wagecheck.alert a WHERE a.alert_id = alert), false)
$$;
COMMENT ON FUNCTION wagecheck.alert_id_in_scope(bigint, name) IS 'true when the alert is within the scope of the officer (the current role unless named; only a role the session may act as), as alert_in_scope judges it by the alert''s project or division; false for no alert';

ALTER TABLE wagecheck.alert ENABLE ROW LEVEL SECURITY;
ALTER TABLE wagecheck.alert_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE wagecheck.alert_violation ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS scope ON wagecheck.alert;
CREATE POLICY scope ON wagecheck.alert FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.alert_in_scope(project_id, division));
-- an event names its alert's project (an enterprise's alert none: its alert's division decides)
DROP POLICY IF EXISTS scope ON wagecheck.alert_event;
CREATE POLICY scope ON wagecheck.alert_event FOR SELECT
    USING (wagecheck.sees_everything()
           OR CASE WHEN project_id IS NOT NULL THEN wagecheck.project_in_scope(project_id)
                   ELSE wagecheck.alert_id_in_scope(alert_id) END);
DROP POLICY IF EXISTS scope ON wagecheck.alert_violation;
CREATE POLICY scope ON wagecheck.alert_violation FOR SELECT
    USING (wagecheck.sees_everything() OR wagecheck.alert_id_in_scope(alert_id));

-- read by every role within its scope; written by no role (scan() and the officers' steps
-- write them as the owner)
GRANT SELECT ON wagecheck.alert, wagecheck.alert_event, wagecheck.alert_violation,
    wagecheck.rule_scan, wagecheck.sector_department, wagecheck.supervision_ledger, wagecheck.alert_board
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;
