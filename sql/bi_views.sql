-- Views for BI tools as clients see them: codes and identifiers as text, counts as
-- bigint or integer, no jsonb or custom type; names of divisions (GB/T 2260, shipped in
-- wagecheck.division) beside the codes, Chinese labels beside states, tiers, sectors and
-- funding types; local-time columns in wagecheck.timezone beside the timestamptz ones.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
RESET client_min_messages;

-- every column of every view for BI tools has a type a JDBC or ODBC client maps to a plain
-- SQL type (none of wagecheck's types, no jsonb, no json, no arrays); counts are never numeric
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'wagecheck'::regnamespace
   AND c.relname IN ('project_month_indicators', 'county_month_indicators', 'city_month_indicators',
                     'sector_month_indicators', 'funding_month_indicators', 'supervision_ledger', 'alert_board')
   AND (format_type(a.atttypid, NULL) NOT IN ('text', 'bigint', 'integer', 'numeric', 'date',
                                              'timestamp with time zone', 'timestamp without time zone')
        OR (format_type(a.atttypid, NULL) = 'numeric'
            AND a.attname ~ '^(projects|workers|payments|roster|attendees|live|overdue|awaiting)'))
 ORDER BY 1, 2;
-- ... and each column is commented
SELECT c.relname, count(*) AS columns, count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'wagecheck'::regnamespace
   AND c.relname IN ('project_month_indicators', 'county_month_indicators', 'city_month_indicators',
                     'sector_month_indicators', 'funding_month_indicators', 'supervision_ledger', 'alert_board')
 GROUP BY 1 ORDER BY 1;

-- the divisions shipped: every province and prefecture, every county (Shandong's among them)
SELECT level, count(*) AS divisions, count(*) FILTER (WHERE code LIKE '37%') AS shandong,
       count(*) FILTER (WHERE shipped) AS shipped
  FROM wagecheck.division GROUP BY 1 ORDER BY 2;
SELECT code, name FROM wagecheck.division WHERE parent = '3713' ORDER BY code;
SELECT wagecheck.division_name('370000') AS province, wagecheck.division_name('371300') AS city,
       wagecheck.division_name('371302') AS county, wagecheck.division_name('371399') AS unknown;
-- a deployment's own rows are configuration pg_dump keeps; the shipped ones are not dumped
SELECT e.extconfig::regclass[] @> ARRAY['wagecheck.division'::regclass] AS dumped,
       e.extcondition[array_position(e.extconfig, 'wagecheck.division'::regclass)] AS condition
  FROM pg_extension e WHERE e.extname = 'wagecheck';
-- an administrator adds a division and corrects his own, never a shipped one
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_bi_admin;
RESET client_min_messages;
CREATE ROLE regress_bi_admin IN ROLE wagecheck_admin;
SET ROLE regress_bi_admin;
INSERT INTO wagecheck.division (code, name, level, parent) VALUES ('371399', '临沂高新技术产业开发区', 'county', '3713');
UPDATE wagecheck.division SET name = '临沂高新区' WHERE code = '371399' RETURNING code, name, shipped;
UPDATE wagecheck.division SET name = '兰山' WHERE code = '371302' RETURNING code;
DELETE FROM wagecheck.division WHERE code = '3713' RETURNING code;
SELECT pg_temp.try($$INSERT INTO wagecheck.division (code, name, level, parent, shipped) VALUES ('371398', 'x', 'county', '3713', true)$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.division (code, name, level, parent) VALUES ('371397', 'x', 'prefecture', '3713')$$);
RESET ROLE;
SELECT wagecheck.division_name('371399') AS added, wagecheck.division_name('371302') AS shipped;

-- labels
SELECT k, c, wagecheck.label_zh(k, c)
  FROM (VALUES ('tier', 'G'), ('tier', 'K'), ('tier', 'O'), ('state', 'overdue'), ('state', 'rectified'),
               ('sector', 'housing'), ('funding', 'soe'), ('funding', 'nothing')) v(k, c);

-- figures with names: a labour-cost schedule per project, and the alerts of a scan
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES
    (1, '2020-04-01', 60000, '2020-04-10'), (2, '2020-05-01', 30000, '2020-05-10'),
    (3, '2020-06-01', 50000, '2020-06-10'), (4, '2020-07-01', 40000, '2020-07-10');
SELECT project_code, division, county, county_name, city, city_name, sector, sector_zh, funding, funding_zh, period
  FROM wagecheck.project_month_indicators ORDER BY project_code;
SELECT county, county_name, period, projects, labour_cost_due FROM wagecheck.county_month_indicators ORDER BY 1, 3;
SELECT city, city_name, projects FROM wagecheck.city_month_indicators ORDER BY 1, 3;
SELECT sector, sector_zh, sum(projects) AS projects FROM wagecheck.sector_month_indicators GROUP BY 1, 2 ORDER BY 1;
SELECT funding, funding_zh, sum(projects) AS projects FROM wagecheck.funding_month_indicators GROUP BY 1, 2 ORDER BY 1;
SET client_min_messages = warning;
SELECT count(*) > 0 AS scanned FROM wagecheck.scan();
RESET client_min_messages;
SELECT county, county_name, tier, tier_zh, live FROM wagecheck.alert_board ORDER BY 1, 3;
SELECT DISTINCT county, county_name, state, state_zh, sector, sector_zh FROM wagecheck.supervision_ledger ORDER BY 1, 5;
-- local times: in wagecheck.timezone (Asia/Shanghai unless set), whatever the session's TimeZone
SET TimeZone = 'UTC';
SHOW wagecheck.timezone;
SELECT count(*) AS ledger_rows,
       bool_and(opened_at_local = opened_at AT TIME ZONE 'Asia/Shanghai') AS opened_local,
       bool_and(as_of_local = as_of AT TIME ZONE 'Asia/Shanghai') AS as_of_local,
       bool_and(opened_at_local <> opened_at AT TIME ZONE 'UTC') AS not_session_zone
  FROM wagecheck.supervision_ledger;
SELECT bool_and(oldest_opened_at_local = oldest_opened_at AT TIME ZONE 'Asia/Shanghai') AS board_local
  FROM wagecheck.alert_board;
SET wagecheck.timezone = 'Asia/Urumqi';
SELECT bool_and(opened_at_local = opened_at AT TIME ZONE 'Asia/Urumqi') AS urumqi FROM wagecheck.supervision_ledger;
SELECT pg_temp.try($$SET wagecheck.timezone = 'Asia/Nowhere'$$);
SELECT pg_temp.try($$SET wagecheck.timezone = ''$$);
RESET wagecheck.timezone;
RESET TimeZone;

DROP EXTENSION wagecheck CASCADE;
DROP ROLE regress_bi_admin;
