-- The supervision ledger (督办台账) of key alerts and the board of open alerts
-- (the departments' table: once/40_views.sql).

COMMENT ON TABLE wagecheck.sector_department IS
    'department that answers for alerts on a project of each sector (行业主管部门); HRSS (人社) for enterprises and anything else';

CREATE OR REPLACE VIEW wagecheck.supervision_ledger AS
SELECT a.alert_id,
       a.rule_code,
       r.name_zh AS rule_name_zh,
       r.name_en AS rule_name_en,
       coalesce(p.name, e.name, a.subject_kind || ' ' || a.subject_id) AS unit,
       a.subject_kind,
       a.subject_id,
       a.period,
       a.project_id,
       a.division AS county,
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
       a.details
  FROM wagecheck.alert a
  JOIN wagecheck.rule r ON r.code = a.rule_code
  LEFT JOIN wagecheck.rule_scan s ON s.code = a.rule_code
  LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
  LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = a.enterprise_id AND p.project_id IS NULL
  LEFT JOIN wagecheck.sector_department d ON d.sector = coalesce(p.sector, 'other')
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified');
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county';

CREATE OR REPLACE VIEW wagecheck.alert_board AS
SELECT a.division AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at
  FROM wagecheck.alert a
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest';
