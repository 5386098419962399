-- pg_dump keeps the holiday rows users added (and only those); the shipped rows come
-- back with CREATE EXTENSION, so a dump restores into a fresh database without conflict.
\set orig_db :DBNAME
CREATE DATABASE wc_calendar_dump;
CREATE DATABASE wc_calendar_restore;
\c wc_calendar_dump
CREATE EXTENSION wagecheck;
INSERT INTO wagecheck.holiday (day, kind, name) VALUES
    ('2027-01-01', 'off', '元旦'), ('2027-02-06', 'off', '春节'), ('2027-02-20', 'work', '春节');
SELECT count(*) FILTER (WHERE shipped) AS shipped, count(*) FILTER (WHERE NOT shipped) AS added
  FROM wagecheck.holiday;
-- (pg_dump's warnings about other areas' tables are not this test's subject)
\! "${WC_BINDIR:-$(pg_config --bindir)}/pg_dump" -Fc -f tmp/regress/wc_calendar_dump.pgc wc_calendar_dump 2>/dev/null
\! "${WC_BINDIR:-$(pg_config --bindir)}/pg_restore" -d wc_calendar_restore tmp/regress/wc_calendar_dump.pgc
\c wc_calendar_restore
SELECT count(*) FILTER (WHERE shipped) AS shipped, count(*) FILTER (WHERE NOT shipped) AS added
  FROM wagecheck.holiday;
SELECT day, kind, name, shipped FROM wagecheck.holiday WHERE day >= '2027-01-01' ORDER BY day;
SELECT wagecheck.is_working_day('2027-02-20') AS worked_saturday,
       wagecheck.is_working_day('2024-02-12') AS shipped_holiday;
\c :orig_db
DROP DATABASE wc_calendar_dump;
DROP DATABASE wc_calendar_restore;
