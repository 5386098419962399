-- Running the scan every five minutes with pg_cron. pg_cron lives in one database of the
-- cluster (cron.database_name, here postgres) and starts each job in the database named
-- in cron.job: the schedule is made there, for this database.
CREATE EXTENSION wagecheck;
\set regress_db :DBNAME
\c postgres
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
RESET client_min_messages;
SELECT cron.schedule_in_database('wagecheck-scan-test', '*/5 * * * *',
                                 'SELECT count(*) FROM wagecheck.scan()', :'regress_db') > 0 AS scheduled;
SELECT jobname, schedule, command, database = :'regress_db' AS in_this_database, active
  FROM cron.job WHERE jobname = 'wagecheck-scan-test';
-- scheduling again under the same name replaces the job (a second one would scan twice)
SELECT cron.schedule_in_database('wagecheck-scan-test', '*/10 * * * *',
                                 'SELECT count(*) FROM wagecheck.scan()', :'regress_db') > 0 AS rescheduled;
SELECT count(*) AS jobs, min(schedule) AS schedule FROM cron.job WHERE jobname = 'wagecheck-scan-test';
SELECT cron.unschedule('wagecheck-scan-test');
\c :regress_db
-- the job's command, as pg_cron runs it: its own transaction at READ COMMITTED, as of now()
SELECT count(*) AS rules_scanned FROM wagecheck.scan();
SELECT count(*) = (SELECT count(*) FROM wagecheck.rule WHERE enabled) AS every_rule_has_a_mark
  FROM wagecheck.rule_scan;
DROP EXTENSION wagecheck;
