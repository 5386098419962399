-- Analysts (wagecheck_analyst) see complaints without the complainant's personal data.
-- The role is created here when the access area has not created it.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wagecheck_analyst') THEN
        CREATE ROLE wagecheck_analyst NOLOGIN;
        PERFORM set_config('wc_test.created_role', 'yes', false);
    END IF;
END $$;
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
INSERT INTO wagecheck.complaint (complaint_id, channel, complainant_name, complainant_phone, complainant_id,
                                 workers_count, amount_claimed, project_id, summary, received_at)
VALUES (1, 'visit', '张三丰', '13812345678', '11010519491231002X', 3, 9000, 1, '张三丰等3人', '2021-01-04 09:00');
GRANT USAGE ON SCHEMA wagecheck TO wagecheck_analyst;
SET ROLE wagecheck_analyst;
SELECT complaint_id, complainant_name, complainant_phone, complainant_id, workers_count
  FROM wagecheck.complaint_masked;
SELECT complaint_id, channel, workers_count, amount_claimed, status FROM wagecheck.complaint;
SELECT pg_temp.try($$SELECT complainant_name FROM wagecheck.complaint$$);
SELECT pg_temp.try($$SELECT complainant_id FROM wagecheck.complaint$$);
SELECT pg_temp.try($$SELECT summary FROM wagecheck.complaint$$);
SELECT pg_temp.try($$SELECT * FROM wagecheck.complaint$$);
SELECT pg_temp.try($$SELECT payload FROM wagecheck.lead_outbox$$);
RESET ROLE;
REVOKE USAGE ON SCHEMA wagecheck FROM wagecheck_analyst;
DROP EXTENSION wagecheck CASCADE;
-- the role goes again if this test created it
DO $$ BEGIN
    IF current_setting('wc_test.created_role', true) = 'yes' THEN
        DROP ROLE wagecheck_analyst;
    END IF;
END $$;
