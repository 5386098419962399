-- The supervision ledger (督办台账) of key alerts and the board of open alerts
-- (the departments' table: once/40_views.sql).

COMMENT ON TABLE wagecheck.sector_department IS
    'department that answers for alerts on a project of each sector (行业主管部门); HRSS (人社) for enterprises and anything else';

-- The ledger and the board run with their owner's rights and apply their caller's scope
-- themselves (wagecheck.alert_in_scope, as the policies of the alerts do): an officer sees
-- the alerts of his projects and reads them without rights on the tables they join;
-- security_barrier keeps a caller's own conditions from running before that scope is applied.
CREATE OR REPLACE VIEW wagecheck.supervision_ledger WITH (security_barrier = true) AS
SELECT a.alert_id,
       a.rule_code,
       r.name_zh AS rule_name_zh,
       r.name_en AS rule_name_en,
       coalesce(p.name, e.name, a.subject_kind || ' ' || a.subject_id) AS unit,
       a.subject_kind,
       a.subject_id,
       a.period,
       a.project_id,
       a.division::text AS county,
       a.state,
       a.opened_at,
       a.deadline_on,
       s.scanned_to AS as_of,
       greatest(s.scanned_to::date - a.deadline_on, 0) AS days_overdue,
       CASE WHEN s.scanned_to::date > a.deadline_on
            THEN wagecheck.working_days_between(a.deadline_on, s.scanned_to::date) ELSE 0 END AS working_days_overdue,
       coalesce(d.department_zh, '人力资源和社会保障局') AS department_zh,
       coalesce(d.department_en, 'human resources and social security bureau') AS department_en,
       coalesce(p.sector, 'other') AS sector,
       a.details::text AS details,
       dn.name AS county_name,
       wagecheck.label_zh('state', a.state) AS state_zh,
       wagecheck.label_zh('sector', coalesce(p.sector, 'other')) AS sector_zh,
       a.opened_at AT TIME ZONE tz.zone AS opened_at_local,
       s.scanned_to AT TIME ZONE tz.zone AS as_of_local
  FROM wagecheck.alert a
  JOIN wagecheck.rule r ON r.code = a.rule_code
  LEFT JOIN wagecheck.rule_scan s ON s.code = a.rule_code
  LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
  LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = a.enterprise_id AND p.project_id IS NULL
  LEFT JOIN wagecheck.sector_department d ON d.sector = coalesce(p.sector, 'other')
  LEFT JOIN wagecheck.division dn ON dn.code = wagecheck.division_key(a.division)
 CROSS JOIN (SELECT coalesce(nullif(pg_catalog.current_setting('wagecheck.timezone', true), ''), 'Asia/Shanghai') AS zone) tz
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division));
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county; of the alerts within the caller''s scope (alert_in_scope)';

CREATE OR REPLACE VIEW wagecheck.alert_board WITH (security_barrier = true) AS
SELECT a.division::text AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at,
       min(dn.name) AS county_name,
       wagecheck.label_zh('tier', a.tier) AS tier_zh,
       min(a.opened_at) AT TIME ZONE min(tz.zone) AS oldest_opened_at_local
  FROM wagecheck.alert a
  LEFT JOIN wagecheck.division dn ON dn.code = wagecheck.division_key(a.division)
 CROSS JOIN (SELECT coalesce(nullif(pg_catalog.current_setting('wagecheck.timezone', true), ''), 'Asia/Shanghai') AS zone) tz
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division))
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest; of the alerts within the caller''s scope (alert_in_scope)';

-- Columns, for BI tools: codes and identifiers as text, counts as bigint, no jsonb; the
-- *_local columns are the moments in the time zone wagecheck.timezone (Asia/Shanghai).
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('supervision_ledger', 'alert_id', 'the alert (wagecheck.alert)'),
        ('supervision_ledger', 'rule_code', 'code of the rule that raised it'),
        ('supervision_ledger', 'rule_name_zh', 'the rule''s name in Chinese'),
        ('supervision_ledger', 'rule_name_en', 'the rule''s name in English'),
        ('supervision_ledger', 'unit', 'the unit answering for it: the project''s name, else the enterprise''s, else the subject'),
        ('supervision_ledger', 'subject_kind', 'kind of subject: project, enterprise, worker on a project, case, complaint'),
        ('supervision_ledger', 'subject_id', 'the subject''s key, as text'),
        ('supervision_ledger', 'period', 'the period the alert is about (empty when none)'),
        ('supervision_ledger', 'project_id', 'the project (NULL for an enterprise''s alert)'),
        ('supervision_ledger', 'county', 'county-level division (code as text)'),
        ('supervision_ledger', 'state', 'open, overdue, or rectified (awaiting the officer''s confirmation)'),
        ('supervision_ledger', 'opened_at', 'when the alert opened'),
        ('supervision_ledger', 'deadline_on', 'rectification deadline (整改期限)'),
        ('supervision_ledger', 'as_of', 'moment of the rule''s last scan, as of which the days overdue count'),
        ('supervision_ledger', 'days_overdue', 'calendar days past the deadline as of the last scan'),
        ('supervision_ledger', 'working_days_overdue', 'working days past the deadline as of the last scan'),
        ('supervision_ledger', 'department_zh', 'responsible department in Chinese (sector regulator of the project, HRSS otherwise)'),
        ('supervision_ledger', 'department_en', 'responsible department in English'),
        ('supervision_ledger', 'sector', 'sector of the project (other for enterprises)'),
        ('supervision_ledger', 'details', 'what the rule found, as JSON text'),
        ('supervision_ledger', 'county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
        ('supervision_ledger', 'state_zh', 'state in Chinese: 预警中, 逾期未整改, 已整改待确认'),
        ('supervision_ledger', 'sector_zh', 'sector in Chinese'),
        ('supervision_ledger', 'opened_at_local', 'opened_at in local time (wagecheck.timezone)'),
        ('supervision_ledger', 'as_of_local', 'as_of in local time (wagecheck.timezone)'),
        ('alert_board', 'county', 'county-level division (code as text)'),
        ('alert_board', 'tier', 'G, K or O'),
        ('alert_board', 'live', 'live alerts'),
        ('alert_board', 'overdue', 'of those, overdue (K past the deadline, O past the verify or report deadline)'),
        ('alert_board', 'awaiting_confirmation', 'of those, K alerts rectified and awaiting the officer''s confirmation'),
        ('alert_board', 'oldest_opened_at', 'when the oldest of them opened'),
        ('alert_board', 'county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
        ('alert_board', 'tier_zh', 'tier in Chinese: 一般性指标预警, 关键性指标预警, 舆情信息预警'),
        ('alert_board', 'oldest_opened_at_local', 'oldest_opened_at in local time (wagecheck.timezone)')) v(rel, col, note)
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN wagecheck.%I.%I IS %L', c.rel, c.col, c.note);
    END LOOP;
END
$$;
