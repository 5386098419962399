-- rule_uses: a rule reads nothing but what its catalogue row declares: the tables of its
-- inputs and the building blocks of its uses (summaries and shared functions). PL/pgSQL and
-- SQL functions record no dependency on what they read, so each rule's evaluator, project
-- evaluator, horizon and peers function is run as a role that may read only those tables and
-- execute every function of the schema but the building blocks other rules declare: reading
-- anything else fails with 42501, which is reported. Rules without inputs (read anything,
-- evaluated at every scan) are not probed.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
-- a few rows in the tables the rules read, so that the statements run per row run
SELECT fx.project(30, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 3) i;
SELECT fx.roster(30, w, '2026-01-05') FROM generate_series(1, 3) w;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 30, w, d, 8, d + time '18:00'
  FROM generate_series(1, 3) w, generate_series('2026-02-02'::date, '2026-02-06', '1 day') d;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 30, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (1, 1, 1, 5, 2000, 2000, '2026-03-10 10:00'), (2, 1, 2, 5, 2000, 2000, '2026-03-10 10:00');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (1, 2000, '2026-03-12 10:00', 'cash', NULL, '2026-03-12 10:00');

CREATE ROLE wc_rule_probe BYPASSRLS;   -- every row is read, whatever the policies
GRANT USAGE ON SCHEMA wagecheck TO wc_rule_probe;

-- probe(code, withheld): runs the rule's functions as wc_rule_probe, allowed its inputs and
-- uses less `withheld`; returns what was refused. Everything it grants is rolled back.
CREATE FUNCTION pg_temp.probe(p_code text, p_withheld text DEFAULT NULL)
    RETURNS TABLE (code text, fn text, refused text) LANGUAGE plpgsql AS $$
DECLARE
    r wagecheck.rule;
    x text;
    f regprocedure;
    calls text[][];
    found jsonb := '[]';
    msg text;
BEGIN
    SELECT * INTO r FROM wagecheck.rule WHERE rule.code = p_code;
    BEGIN
        -- every function of the schema may run, but the building blocks any rule declares
        -- are withheld, bar those of this rule; its inputs are readable, and the parameters
        FOR f, x IN SELECT p.oid::regprocedure, p.proname FROM pg_proc p
                     WHERE p.pronamespace = 'wagecheck'::regnamespace LOOP
            IF x IN (SELECT u FROM wagecheck.rule, unnest(uses) u)
               AND x <> ALL (array_remove(coalesce(r.uses, '{}'), p_withheld)) THEN
                EXECUTE format('REVOKE EXECUTE ON ROUTINE %s FROM PUBLIC', f);
            ELSE
                EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO wc_rule_probe', f);
            END IF;
        END LOOP;
        FOREACH x IN ARRAY array_remove(r.inputs || coalesce(r.uses, '{}'), p_withheld) LOOP
            IF to_regclass(format('wagecheck.%I', x)) IS NOT NULL THEN
                EXECUTE format('GRANT SELECT ON wagecheck.%I TO wc_rule_probe', x);
            END IF;
        END LOOP;
        GRANT SELECT ON wagecheck.rule, wagecheck.rule_param_override TO wc_rule_probe;
        calls := ARRAY[
            ['evaluator', format('SELECT count(*) FROM %s($1)', r.evaluator::regproc)],
            ['project evaluator', CASE WHEN r.project_evaluator IS NOT NULL
                THEN format('SELECT count(*) FROM %s($1, ARRAY[30::bigint])', r.project_evaluator::regproc) END],
            ['horizon', CASE WHEN r.horizon IS NOT NULL
                THEN format('SELECT %s($1 - interval ''400 days'', $1)', r.horizon::regproc) END],
            ['peers', CASE WHEN r.peers IS NOT NULL
                THEN format('SELECT %s(ARRAY[30::bigint])', r.peers::regproc) END]];
        SET LOCAL ROLE wc_rule_probe;
        -- now, when the summaries are exact, and a moment before the last rows were known,
        -- when the rules read the raw rows instead (a replay)
        FOREACH x IN ARRAY ARRAY['now', 'replay'] LOOP
            FOR i IN 1 .. 4 LOOP
                CONTINUE WHEN calls[i][2] IS NULL;
                BEGIN
                    EXECUTE calls[i][2] USING CASE x WHEN 'now' THEN now() ELSE '2026-02-04 12:00+08' END;
                EXCEPTION WHEN insufficient_privilege THEN
                    found := found || jsonb_build_object('fn', calls[i][1] || ', ' || x, 'refused', SQLERRM);
                END;
            END LOOP;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'WCP01', MESSAGE = found::text;
    EXCEPTION WHEN SQLSTATE 'WCP01' THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
    END;
    RETURN QUERY SELECT p_code, e ->> 'fn', e ->> 'refused' FROM jsonb_array_elements(msg::jsonb) e;
END
$$;

-- the probe sees what the functions read only if they run as their caller: no rule's function
-- and no building block is SECURITY DEFINER
SELECT r.code, f.oid::regprocedure AS security_definer
  FROM wagecheck.rule r
  JOIN pg_proc f ON f.oid IN (r.evaluator, r.project_evaluator, r.horizon, r.peers)
                 OR (f.pronamespace = 'wagecheck'::regnamespace AND f.proname = ANY (r.uses))
 WHERE f.prosecdef ORDER BY 1, 2;
-- every rule with inputs, allowed what it declares: nothing refused
SELECT count(*) AS rules_probed FROM wagecheck.rule WHERE inputs IS NOT NULL;
SELECT p.* FROM wagecheck.rule r, pg_temp.probe(r.code) p WHERE r.inputs IS NOT NULL ORDER BY 1, 2;
-- a run with a building block or an input withheld is refused: the probe can fail
SELECT * FROM pg_temp.probe('WP04', 'payment_off_card');
SELECT * FROM pg_temp.probe('WP02', '_wages_unpaid');
SELECT * FROM pg_temp.probe('AC01', 'wage_account');
-- nothing was left granted or revoked
SELECT has_table_privilege('wc_rule_probe', 'wagecheck.wage_account', 'SELECT') AS probe_reads_input,
       has_function_privilege('wc_rule_probe', 'wagecheck.eval_wp02(timestamptz)', 'EXECUTE') AS probe_runs_evaluator,
       (SELECT bool_and(has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p
         WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.proname = 'wage_pay_date') AS public_runs_pay_date;

DROP FUNCTION pg_temp.probe(text, text);
REVOKE USAGE ON SCHEMA wagecheck FROM wc_rule_probe;
DROP ROLE wc_rule_probe;
SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
