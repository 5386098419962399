-- Every role of every kind that can be mirrored, given a value that names nothing (or left
-- empty when required): in reject mode the row is refused naming the role and the value,
-- in alert mode it is left out and recorded as one violation naming them. Each kind's row
-- of good values is mirrored whole (and rolled back).
CREATE EXTENSION wagecheck;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, enforcement_mode)
VALUES ('LS-2026-017', '兰山区人民医院门诊楼', '371302', 'housing', 'government', 1, 2, 'alert');
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES ('371302198503122131', '张伟', '6228481234567890003');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (1, 1, 2, '2026-03-01');
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on) VALUES (1, '农业银行', '15230101040031001', '2026-02-25');
-- the rows other kinds name by their legacy keys: a pay sheet G1, its line L1, a movement T1
CREATE SCHEMA legacy;
CREATE TABLE legacy.ref_sheet (k text PRIMARY KEY, p text, e text, m text);
CREATE TABLE legacy.ref_line (k text PRIMARY KEY, s text, w text, a text);
CREATE TABLE legacy.ref_txn (k text PRIMARY KEY, acct text, d text, a text);
SELECT wagecheck.attach('legacy.ref_sheet', 'pay_sheet', '{"key": "k", "project": "p", "employer": "e", "period": "m"}', mirror => true);
SELECT wagecheck.attach('legacy.ref_line', 'pay_line', '{"key": "k", "sheet": "s", "worker": "w", "payable": "a"}', mirror => true);
SELECT wagecheck.attach('legacy.ref_txn', 'account_txn', '{"key": "k", "account": "acct", "direction": "d", "amount": "a"}', mirror => true);
INSERT INTO legacy.ref_sheet VALUES ('G1', 'LS-2026-017', '91371302MA3N0L6GXQ', '202603');
INSERT INTO legacy.ref_line VALUES ('L1', 'G1', '371302198503122131', '6000');
INSERT INTO legacy.ref_txn VALUES ('T1', '15230101040031001', 'in', '100000');

-- a good value for every role, and one that names nothing ('' = empty; NULL: every value
-- of the role is read as something, as free text is)
CREATE TABLE public.good_bad (kind text, role text, good text, bad text);
INSERT INTO public.good_bad
SELECT k.kind, r.role,
       CASE r.how
            WHEN 'text' THEN CASE WHEN r.role = 'code' THEN 'LS-2026-099' ELSE '某值' END
            WHEN 'ident' THEN CASE WHEN r.role = 'account_no' THEN '1523 0101 0400 3100 9' ELSE '138 0539 0001' END
            WHEN 'resident_id' THEN '371302199001011233'
            WHEN 'bank_card' THEN '6228 4812 3456 7890 003'
            WHEN 'credit_code' THEN '９１３５０１００Ｍ０００１００Ｙ４３'
            WHEN 'division' THEN '３７１３０２'
            WHEN 'date' THEN '2026年3月2日'
            WHEN 'month' THEN '2026-05'
            WHEN 'time' THEN '20260302 10:00'
            WHEN 'numeric' THEN CASE WHEN r.role = 'labour_share' THEN '0.2' ELSE '８' END
            WHEN 'money' THEN CASE WHEN r.role = 'deductions' THEN '0' ELSE '1,000.00' END
            WHEN 'direction' THEN '贷'
            WHEN 'purpose' THEN '人工费'
            WHEN 'method' THEN '专户代发'
            WHEN 'project' THEN 'LS-2026-017'
            WHEN 'worker' THEN '371302198503122131'
            WHEN 'employer' THEN '91371302MA3N0L6GXQ'
            WHEN 'account' THEN '15230101040031001'
            WHEN 'sheet' THEN 'G1'
            WHEN 'line' THEN 'L1'
            WHEN 'txn' THEN 'T1'
            ELSE split_part(substr(r.how, 8), ',', 1) END,
       CASE r.how
            WHEN 'text' THEN CASE WHEN r.required THEN '' END
            WHEN 'ident' THEN CASE WHEN r.required THEN '' END
            WHEN 'purpose' THEN NULL
            WHEN 'resident_id' THEN '371302 1985 0312 2130'
            WHEN 'bank_card' THEN '6228 4812 3456 7890 004'
            WHEN 'credit_code' THEN '91371300MA3C8Q5N8X'
            WHEN 'division' THEN '37１３0'
            WHEN 'date' THEN '2026-02-30'
            WHEN 'month' THEN '202613'
            WHEN 'time' THEN '昨天'
            WHEN 'numeric' THEN 'eight'
            WHEN 'money' THEN '十元'
            WHEN 'direction' THEN 'sideways'
            WHEN 'method' THEN '托人带去'
            WHEN 'project' THEN 'LS-2099-001'
            WHEN 'worker' THEN '371302199202024567'
            WHEN 'employer' THEN '91371302MA3N0L6GXX'
            WHEN 'account' THEN '1523 0101 0400 3109 9'
            WHEN 'sheet' THEN 'G9'
            WHEN 'line' THEN 'L9'
            WHEN 'txn' THEN 'T9'
            ELSE 'unknown' END
  FROM wagecheck._mirror_kinds() k CROSS JOIN LATERAL wagecheck._mirror_roles(k.kind) r;
SELECT kind, count(*) AS roles, count(bad) AS with_bad_values FROM public.good_bad GROUP BY 1 ORDER BY 1;

-- try KIND MODE: a table of the kind with a column per role, attached in the mode; the good
-- row, then for each role the good row with that role's bad value, each rolled back
CREATE FUNCTION pg_temp.try(k text, md text) RETURNS TABLE (role text, outcome text) LANGUAGE plpgsql AS $$
DECLARE
    g record;
    cols text;
    st text;
    msg text;
BEGIN
    EXECUTE format('CREATE TABLE legacy.%I (k integer PRIMARY KEY, %s)', 't_' || k || '_' || md,
                   (SELECT string_agg(format('%I text', gb.role), ', ') FROM public.good_bad gb WHERE gb.kind = k));
    PERFORM wagecheck.attach(format('legacy.%I', 't_' || k || '_' || md)::regclass, k,
                             (SELECT jsonb_object_agg(gb.role, gb.role) FROM public.good_bad gb WHERE gb.kind = k)
                             || '{"key": "k"}', md, mirror => true);
    cols := (SELECT string_agg(format('%I', gb.role), ', ') FROM public.good_bad gb WHERE gb.kind = k);
    FOR g IN SELECT NULL::text AS role UNION ALL
             (SELECT gb.role FROM public.good_bad gb WHERE gb.kind = k AND gb.bad IS NOT NULL ORDER BY gb.role) LOOP
        BEGIN
            EXECUTE format('INSERT INTO legacy.%I (k, %s) SELECT 7, %s', 't_' || k || '_' || md, cols,
                           (SELECT string_agg(quote_literal(CASE WHEN gb.role = g.role THEN gb.bad ELSE gb.good END), ', ')
                              FROM public.good_bad gb WHERE gb.kind = k));
            role := coalesce(g.role, '(all good)');
            outcome := format('mirrored %s, violations %s', (SELECT count(*) FROM wagecheck.mirror_ref r WHERE r.source::text = 'legacy.t_' || k || '_' || md),
                              (SELECT string_agg(v.rule_code || ': ' || (v.details ->> 'message'), '; ')
                                 FROM wagecheck.violation v WHERE v.source::text = 'legacy.t_' || k || '_' || md));
            RAISE EXCEPTION 'roll back' USING ERRCODE = 'WCZZZ';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            IF st <> 'WCZZZ' THEN
                role := coalesce(g.role, '(all good)');
                outcome := st || ': ' || msg;
            END IF;
            RETURN NEXT;
        END;
    END LOOP;
    PERFORM wagecheck.detach(format('legacy.%I', 't_' || k || '_' || md)::regclass);
END $$;

SELECT k.kind, t.role, t.outcome FROM wagecheck._mirror_kinds() k CROSS JOIN LATERAL pg_temp.try(k.kind, 'reject') t;
SELECT k.kind, t.role, t.outcome FROM wagecheck._mirror_kinds() k CROSS JOIN LATERAL pg_temp.try(k.kind, 'alert') t;
DROP SCHEMA legacy CASCADE;
DROP TABLE public.good_bad;
DROP EXTENSION wagecheck CASCADE;
