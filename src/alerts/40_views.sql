-- The supervision ledger (督办台账) of key alerts and the board of open alerts.

CREATE TABLE wagecheck.sector_department (
    sector        text PRIMARY KEY,
    department_zh text NOT NULL CHECK (department_zh <> ''),
    department_en text NOT NULL CHECK (department_en <> ''),
    shipped       boolean NOT NULL DEFAULT wagecheck._creating_extension()
);
COMMENT ON TABLE wagecheck.sector_department IS
    'department that answers for alerts on a project of each sector (行业主管部门); HRSS (人社) for enterprises and anything else';
INSERT INTO wagecheck.sector_department (sector, department_zh, department_en) VALUES
    ('housing', '住房和城乡建设局', 'housing and urban-rural development bureau'),
    ('transport', '交通运输局', 'transport bureau'),
    ('water', '水利局', 'water resources bureau'),
    ('municipal', '住房和城乡建设局（市政）', 'housing and urban-rural development bureau (municipal works)'),
    ('development_reform', '发展和改革局', 'development and reform bureau'),
    ('other', '人力资源和社会保障局', 'human resources and social security bureau');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.sector_department', 'WHERE NOT shipped');

-- The ledger and the board run with their owner's rights and apply their caller's scope
-- themselves (wagecheck.alert_in_scope, as the policies of the alerts do): an officer sees
-- the alerts of his projects and reads them without rights on the tables they join;
-- security_barrier keeps a caller's own conditions from running before that scope is applied.
CREATE VIEW wagecheck.supervision_ledger WITH (security_barrier = true) AS
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
 WHERE a.tier = 'K' AND a.state IN ('open', 'overdue', 'rectified')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division));
COMMENT ON VIEW wagecheck.supervision_ledger IS
    'supervision ledger (督办台账) of live key alerts: unit, rule, opened, rectification deadline, days overdue as of the rule''s last scan (as_of), responsible department (sector regulator of the project, HRSS otherwise) and county; of the alerts within the caller''s scope (alert_in_scope)';

CREATE VIEW wagecheck.alert_board WITH (security_barrier = true) AS
SELECT a.division AS county,
       a.tier,
       count(*) AS live,
       count(*) FILTER (WHERE a.state IN ('overdue', 'verify_overdue', 'report_overdue')) AS overdue,
       count(*) FILTER (WHERE a.state = 'rectified') AS awaiting_confirmation,
       min(a.opened_at) AS oldest_opened_at
  FROM wagecheck.alert a
 WHERE a.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')
   AND (wagecheck.sees_everything() OR wagecheck.alert_in_scope(a.project_id, a.division))
 GROUP BY a.division, a.tier;
COMMENT ON VIEW wagecheck.alert_board IS
    'board of live alerts by county and tier: how many, how many overdue, how many rectified awaiting confirmation, the oldest; of the alerts within the caller''s scope (alert_in_scope)';
