-- The inspector's morning: scanning the generated city, the alert board by county and the supervision ledger
-- The city built by the indicators part of the tour (wagecheck_demo_city: 40 projects,
-- 2,000 workers, a year of 2024) is scanned as the monitoring platform would, twice:
-- on 2024-10-15 and, ten days later with nothing fixed, on 2024-10-25.
\c wagecheck_demo_city
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';

-- What the first scan raised, rule by rule
SELECT s.rule_code, r.tier, r.name_zh, s.hits, s.opened
  FROM wagecheck.scan('2024-10-15 08:00') s JOIN wagecheck.rule r ON r.code = s.rule_code
 WHERE s.hits > 0 ORDER BY s.rule_code;

-- Ten days later: the 5-working-day deadlines of key alerts have passed, general alerts clear themselves
SELECT sum(opened) AS opened, sum(escalated) AS escalated_or_overdue, sum(cleared) AS cleared
  FROM wagecheck.scan('2024-10-25 08:00');

-- The board of open alerts by county (县区) and tier
SELECT county, tier, live, overdue FROM wagecheck.alert_board ORDER BY county, tier;

-- The supervision ledger (督办台账): the ten most overdue key alerts and who answers for them
SELECT rule_code, rule_name_zh, unit, period, state, deadline_on, days_overdue, department_zh, county
  FROM wagecheck.supervision_ledger
 ORDER BY days_overdue DESC, county, rule_code, unit, period
 LIMIT 10;

-- Key alerts per responsible department
SELECT department_zh, count(*) AS key_alerts, count(*) FILTER (WHERE state = 'overdue') AS overdue
  FROM wagecheck.supervision_ledger GROUP BY department_zh ORDER BY key_alerts DESC, department_zh;
