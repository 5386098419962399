-- Security regression suite: a login user for every role, connected as that user, tries
-- every way out of its place: attaching the extension's trigger functions to a table of its
-- own, writing outside its scope, rostering a worker of another county to read him, and
-- reading full ID or card numbers (or enough to rebuild an ID) from any column of any
-- relation it can read. The relations and columns come from the catalogs, so new objects
-- are scanned too. The function audits list which functions PUBLIC and each role may run.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_sec_admin, regress_sec_inspector, regress_sec_lanshan, regress_sec_luozhuang,
    regress_sec_housing, regress_sec_analyst, regress_sec_nobody;
RESET client_min_messages;
CREATE ROLE regress_sec_admin LOGIN IN ROLE wagecheck_admin;
CREATE ROLE regress_sec_inspector LOGIN IN ROLE wagecheck_inspector;
CREATE ROLE regress_sec_lanshan LOGIN IN ROLE wagecheck_county;       -- 兰山区 371302
CREATE ROLE regress_sec_luozhuang LOGIN IN ROLE wagecheck_county;     -- 罗庄区 371311
CREATE ROLE regress_sec_housing LOGIN IN ROLE wagecheck_sector;       -- city housing bureau
CREATE ROLE regress_sec_analyst LOGIN IN ROLE wagecheck_analyst;
CREATE ROLE regress_sec_nobody LOGIN;
INSERT INTO wagecheck.officer_scope (officer, division_prefix, sector) VALUES
    ('regress_sec_lanshan', '371302', NULL), ('regress_sec_luozhuang', '371311', NULL),
    ('regress_sec_housing', '3713', 'housing');

-- data: a worker on a 兰山 project, one on a 罗庄 project, one registered in 罗庄 but on no
-- roster yet; wages paid (one to a card not the worker's own, one line for a worker not on
-- the roster: violations naming them); a complaint and its case, with a contact record
UPDATE wagecheck.project SET enforcement_mode = 'alert';
INSERT INTO wagecheck.worker (resident_id, name, phone, wage_card, registered_by) VALUES
    ('371302198503122131', '张伟伟', '13805391234', '6228481234567890003', 'regress_sec_lanshan'),
    ('37131119900101123X', '李娜娜', '13905392345', '6228481234567890011', 'regress_sec_luozhuang'),
    ('371311197805224557', '王强强', '13705393456', '6228481234567890029', 'regress_sec_luozhuang')
RETURNING worker_id, name;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES
    (1, 1, 2, '2020-03-01'), (3, 2, 4, '2020-05-01');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on) VALUES
    (1, 1, '农业银行', '372101040001', '2020-03-05'), (3, 3, '农业银行', '372101040003', '2020-05-05');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
    (1, 'in', 50000, '9558800001000000001', 'labour_cost', '2020-04-08'),
    (1, 'out', 5000, '6228481234567890003', 'wage', '2020-04-15'),
    (3, 'in', 50000, '9558800001000000001', 'labour_cost', '2020-06-08'),
    (3, 'out', 5000, '6228481234567890011', 'wage', '2020-06-15');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on) VALUES
    (1, 1, 2, '2020-04-01', '2020-05-05'), (3, 3, 4, '2020-06-01', '2020-07-05');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, payable, deductions, net) VALUES
    (1, 1, 1, 5000, 0, 5000), (3, 3, 2, 5000, 0, 5000), (4, 1, 2, 100, 0, 100);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, card) VALUES
    (1, 5000, '2020-04-15', '6228481234567890003'), (3, 5000, '2020-06-15', '6228481234567890029');
INSERT INTO wagecheck.complaint (complaint_id, channel, complainant_name, complainant_phone, complainant_id,
                                 workers_count, amount_claimed, project_id, summary, received_at)
VALUES (1, 'visit', '张三丰', '13812345678', '11010519491231002X', 3, 9000, 1, '欠薪三个月', '2020-12-01 09:00');
SELECT wagecheck.accept_complaint(1, '兰山监察员', '2020-12-02 10:00') AS case_id;
INSERT INTO wagecheck.complaint (complaint_id, channel, complainant_name, workers_count, amount_claimed, project_id,
                                 summary, received_at)
VALUES (2, 'hotline_12333', '钱多多', 2, 4000, 3, '欠薪两个月', '2020-12-05 09:00');
INSERT INTO wagecheck.case_contact (case_id, contacted_at, officer, channel, summary)
VALUES (1, '2020-12-03 10:00', '兰山监察员', 'phone', '电话联系张三丰(11010519491231002X, 13812345678)');
SELECT rule_code, count(*) AS violations FROM wagecheck.violation GROUP BY 1 ORDER BY 1;

-- what must stay hidden, and from whom (division: whose officers may see it)
CREATE TABLE public.sec_secret (worker text, division text, kind text, value text);
INSERT INTO public.sec_secret
SELECT 'w' || w.worker_id, CASE w.worker_id WHEN 1 THEN '371302' ELSE '371311' END, k.kind, k.value
  FROM wagecheck.worker w,
       LATERAL (VALUES ('id', w.resident_id::text), ('card', w.wage_card::text), ('name', w.name),
                       ('phone', w.phone), ('region', left(w.resident_id::text, 6)),
                       ('birth', to_char(wagecheck.birth_date(w.resident_id), 'YYYY-MM-DD')),
                       ('birth', to_char(wagecheck.birth_date(w.resident_id), 'YYYYMMDD')),
                       ('tail', right(w.resident_id::text, 4))) k (kind, value)
UNION ALL
SELECT 'c1', '371302', k.kind, k.value
  FROM (VALUES ('id', '11010519491231002X'), ('name', '张三丰'), ('phone', '13812345678')) k (kind, value);
GRANT SELECT ON public.sec_secret TO PUBLIC;

-- sec_try: runs a statement, returns 'ok' or its SQLSTATE and message
CREATE FUNCTION public.sec_try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END $$;

-- sec_attach: every trigger function of the extension the current role could attach to a
-- table of its own (CREATE TRIGGER checks EXECUTE on the function)
CREATE FUNCTION public.sec_attach() RETURNS TABLE (attachable text) LANGUAGE plpgsql AS $$
DECLARE f record; st text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS sec_own (id bigint, project_id bigint, at timestamptz);
    FOR f IN SELECT p.oid::regprocedure AS sig, format('%I.%I', n.nspname, p.proname) AS fn
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'wagecheck' AND p.prorettype = 'trigger'::regtype
              ORDER BY p.oid::regprocedure::text LOOP
        st := public.sec_try(format('CREATE TRIGGER sec_t AFTER INSERT ON pg_temp.sec_own REFERENCING NEW TABLE AS new_rows '
                                    'FOR EACH STATEMENT EXECUTE FUNCTION %s(''none'')', f.fn));
        IF st = 'ok' THEN
            EXECUTE 'DROP TRIGGER sec_t ON pg_temp.sec_own';
            attachable := f.sig::text;
            RETURN NEXT;
        ELSIF st NOT LIKE '42501:%' THEN
            attachable := f.sig::text || ' ' || st;
            RETURN NEXT;
        END IF;
    END LOOP;
END $$;

-- sec_scan: every column the current role may read, of every table and view of the
-- extension, scanned for the secrets of the given divisions (NULL: every secret) of the
-- given kinds (full ID numbers, cards, names, phones); a row holding a worker's region,
-- birth date and sequence together (enough to rebuild his ID); any valid 18-character ID
-- number at all (when every secret is hidden)
CREATE FUNCTION public.sec_scan(hidden text[], kinds text[]) RETURNS TABLE (relation text, finding text, hits bigint)
LANGUAGE plpgsql AS $$
DECLARE rel regclass; cols text; st text; scanned int := 0;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS sec_rows (relation text, t text);
    TRUNCATE sec_rows;
    FOR rel IN SELECT c.oid::regclass FROM pg_class c
                WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                ORDER BY c.relname LOOP
        SELECT string_agg(format('coalesce(x.%I::text, '''')', a.attname), ' || ''|'' || ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
           AND has_column_privilege(rel, a.attnum, 'SELECT');
        CONTINUE WHEN cols IS NULL;
        st := public.sec_try(format('INSERT INTO pg_temp.sec_rows SELECT %L, %s FROM %s x', rel::text, cols, rel));
        IF st <> 'ok' THEN
            relation := rel::text; finding := 'unreadable: ' || st; hits := NULL;
            RETURN NEXT;
        END IF;
        scanned := scanned + 1;
    END LOOP;
    RETURN QUERY
    SELECT r.relation, s.kind, count(DISTINCT r.t)
      FROM pg_temp.sec_rows r JOIN public.sec_secret s ON strpos(r.t, s.value) > 0
     WHERE s.kind = ANY (kinds) AND (hidden IS NULL OR s.division = ANY (hidden))
     GROUP BY 1, 2
    UNION ALL
    SELECT r.relation, 'region, birth date and sequence of ' || b.worker, count(DISTINCT r.t)
      FROM pg_temp.sec_rows r
      JOIN public.sec_secret b ON b.kind = 'birth' AND strpos(r.t, b.value) > 0
      JOIN public.sec_secret g ON g.kind = 'region' AND g.worker = b.worker AND strpos(r.t, g.value) > 0
      JOIN public.sec_secret q ON q.kind = 'tail' AND q.worker = b.worker AND strpos(r.t, q.value) > 0
     WHERE hidden IS NULL OR b.division = ANY (hidden)
     GROUP BY 1, 2
    UNION ALL
    SELECT r.relation, 'valid ID number', count(DISTINCT r.t)
      FROM pg_temp.sec_rows r, regexp_matches(r.t, '(?<![0-9])([1-9][0-9]{16}[0-9X])(?![0-9X])', 'g') m
     WHERE hidden IS NULL AND wagecheck.is_valid_resident_id(m[1])
     GROUP BY 1, 2
     ORDER BY 1, 2;
    IF scanned < 5 THEN
        relation := NULL; finding := 'only ' || scanned || ' relations readable'; hits := NULL;
        RETURN NEXT;
    END IF;
END $$;

-- 1. no role can attach a trigger function of the extension to a table of its own
-- (administrators: only the enforcing trigger, by design)
\c - regress_sec_analyst
SELECT current_user, * FROM public.sec_attach();
\c - regress_sec_lanshan
SELECT current_user, * FROM public.sec_attach();
\c - regress_sec_housing
SELECT current_user, * FROM public.sec_attach();
\c - regress_sec_inspector
SELECT current_user, * FROM public.sec_attach();
\c - regress_sec_admin
SELECT current_user, * FROM public.sec_attach();
\c - regress_sec_nobody
SELECT current_user, * FROM public.sec_attach();
-- ... and the SECURITY DEFINER ones (and the summaries' and capture's triggers that run as the
-- owner by switching to it in C, src/trigowner.c) refuse to run anywhere but on their own
-- tables, even when the owner attaches them to a table of the same name, at any timing
\c - postgres
SET client_min_messages = warning;
CREATE TEMP TABLE sec_guard (fn text, timing text, outcome text);
DO $$
DECLARE f record; timing text; st text;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, format('%I.%I', n.nspname, p.proname) AS fn,
                    (SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                      WHERE t.tgfoid = p.oid ORDER BY 1 LIMIT 1) AS own_table
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'wagecheck' AND p.prorettype = 'trigger'::regtype
                AND (p.prosecdef OR p.oid = ANY ('{wagecheck._attendance_month_sync(), wagecheck._input_changed(), wagecheck._outflow_unmatched_sync(), wagecheck._wage_month_sync()}'::regprocedure[]))
              ORDER BY p.oid::regprocedure::text LOOP
        FOREACH timing IN ARRAY ARRAY['AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT',
                                      'AFTER INSERT ON %I FOR EACH ROW', 'BEFORE INSERT ON %I FOR EACH ROW'] LOOP
            EXECUTE format('CREATE TEMP TABLE %I AS SELECT * FROM wagecheck.%I WITH NO DATA', f.own_table, f.own_table);
            EXECUTE format('CREATE TRIGGER sec_t ' || timing || ' EXECUTE FUNCTION %s(''none'')', f.own_table, f.fn);
            st := public.sec_try(format('INSERT INTO pg_temp.%I DEFAULT VALUES', f.own_table));
            INSERT INTO sec_guard VALUES (f.sig::text, split_part(timing, ' ON', 1) || split_part(timing, '%I', 2),
                                          split_part(st, ':', 1));
            EXECUTE format('DROP TABLE pg_temp.%I', f.own_table);
        END LOOP;
    END LOOP;
END $$;
RESET client_min_messages;
SELECT fn, string_agg(DISTINCT outcome, ', ') AS outcomes, count(*) AS attempts FROM sec_guard GROUP BY 1 ORDER BY 1;
-- they still work where they belong: the summaries and the case history keep up
SELECT (SELECT count(*) FROM wagecheck.input_change) > 0 AS changes_captured,
       (SELECT count(*) FROM wagecheck.case_event WHERE kind = 'contact') AS contact_events,
       (SELECT case_no FROM wagecheck.case_ledger WHERE case_id = 1) AS case_no;

-- 2. scoped officers: nothing outside their scope, and no worker of another county
\c - regress_sec_lanshan
SELECT worker_id, name FROM wagecheck.worker ORDER BY 1;
-- rostering a worker of 罗庄 onto a 兰山 project (to read him) is refused, rostered or not
SELECT public.sec_try($$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
                        VALUES (1, 2, 2, '2020-07-01')$$);
SELECT public.sec_try($$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
                        VALUES (1, 3, 2, '2020-07-01')$$);
SELECT public.sec_try($$UPDATE wagecheck.roster SET worker_id = 2 WHERE project_id = 1$$);
UPDATE wagecheck.worker SET wage_card = '6228481234567890045' WHERE worker_id IN (2, 3);
SELECT worker_id, name, resident_id FROM wagecheck.worker WHERE worker_id IN (2, 3);
-- nor may he ask whom another officer sees
SELECT public.sec_try($$SELECT wagecheck.worker_in_scope(2, 'regress_sec_luozhuang')$$);
SELECT wagecheck.worker_in_scope(1) AS own, wagecheck.worker_in_scope(2) AS other;
-- a worker he registers himself he sees and rosters
INSERT INTO wagecheck.worker (resident_id, name, wage_card) VALUES ('371302199203151242', '赵敏敏', '6228481234567890045')
RETURNING worker_id, name, registered_by;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
SELECT 2, worker_id, 2, '2020-07-01' FROM wagecheck.worker WHERE name = '赵敏敏';
-- ... but not onto a project of 罗庄, nor records of 罗庄's projects
SELECT public.sec_try($$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
                        SELECT 3, worker_id, 4, '2020-07-01' FROM wagecheck.worker WHERE name = '赵敏敏'$$);
SELECT public.sec_try($$INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on)
                        VALUES (3, 4, '2020-07-01', '2020-08-05')$$);
SELECT public.sec_try($$INSERT INTO wagecheck.worker (resident_id, name, registered_by)
                        VALUES ('371302199001011233', '冒名', 'regress_sec_luozhuang')$$);
UPDATE wagecheck.project SET status = 'suspended' WHERE division::text = '371311';
SELECT public.sec_try($$DELETE FROM wagecheck.worker$$);
-- the sector officer (housing, city-wide) sees 兰山's housing workers, not 罗庄's transport one
\c - regress_sec_housing
SELECT worker_id, name FROM wagecheck.worker ORDER BY 1;
SELECT public.sec_try($$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
                        VALUES (2, 3, 2, '2020-07-01')$$);
\c - regress_sec_luozhuang
SELECT worker_id, name, wage_card FROM wagecheck.worker ORDER BY 1;
-- a worker of his roster goes onto another of his projects
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on) VALUES (4, 2, 4, '2020-07-01');

-- 3. personal data: nothing of what is hidden from a role can be read from any column of
-- any relation it can read (an empty result is a pass; the admin's run shows the scan
-- works). Analysts see no one's data; officers no ID, card or phone of a worker outside
-- their scope (a violation on their own project may name a worker paid there without
-- being on its roster: that is theirs to look into)
\c - regress_sec_analyst
SELECT * FROM public.sec_scan(NULL, ARRAY['id', 'card', 'name', 'phone']);
\c - regress_sec_lanshan
SELECT * FROM public.sec_scan(ARRAY['371311'], ARRAY['id', 'card', 'phone']);
\c - regress_sec_luozhuang
SELECT * FROM public.sec_scan(ARRAY['371302'], ARRAY['id', 'card', 'phone']);
\c - regress_sec_housing
SELECT * FROM public.sec_scan(ARRAY['371311'], ARRAY['id', 'card', 'phone']);
\c - regress_sec_nobody
SELECT public.sec_try($$SELECT * FROM wagecheck.worker_masked$$);
\c - regress_sec_admin
SELECT finding, count(DISTINCT relation) > 2 AS admin_reads_it FROM public.sec_scan(NULL, ARRAY['id', 'card'])
 WHERE finding IN ('id', 'card') OR finding LIKE 'region%' GROUP BY 1 ORDER BY 1;
-- analysts read masked views: what is left of a worker, a violation, a case's history
\c - regress_sec_analyst
SELECT worker_id, name, resident_id, birth_year, sex, phone, wage_card FROM wagecheck.worker_masked ORDER BY 1;
SELECT rule_code, details FROM wagecheck.violation_masked ORDER BY violation_id;
SELECT kind FROM wagecheck.case_event_masked ORDER BY event_id;
SELECT public.sec_try($$SELECT details FROM wagecheck.case_event$$);
SELECT public.sec_try($$SELECT summary FROM wagecheck.case_contact$$);

-- 5. alerts, their events and violations, the supervision ledger and board, the indicators:
-- every role reads them without rights on the tables they aggregate, an officer exactly
-- the rows of his scope. What each should see is counted here as the owner, from the scopes.
\c - postgres
SET client_min_messages = warning;
SELECT count(*) > 0 AS rules_scanned FROM wagecheck.scan();
RESET client_min_messages;
SELECT coalesce(p.division::text, a.division::text, '-') AS division, a.tier, count(*) AS alerts
  FROM wagecheck.alert a LEFT JOIN wagecheck.project p USING (project_id)
 GROUP BY 1, 2 ORDER BY 1, 2;
-- each event names its alert's project (the policy of alert_event scopes by it)
SELECT count(*) AS events, count(e.project_id) AS with_project,
       count(*) FILTER (WHERE e.project_id IS NOT DISTINCT FROM a.project_id) AS alerts_project
  FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id);
CREATE TABLE public.sec_expect AS
WITH who (officer) AS (VALUES ('regress_sec_admin'), ('regress_sec_inspector'), ('regress_sec_analyst'),
                              ('regress_sec_lanshan'), ('regress_sec_luozhuang'), ('regress_sec_housing')),
seen AS (   -- the alerts of each officer: every alert for the three roles that see everything
    SELECT w.officer, a.*
      FROM who w JOIN wagecheck.alert a ON w.officer IN ('regress_sec_admin', 'regress_sec_inspector', 'regress_sec_analyst')
        OR EXISTS (SELECT 1 FROM wagecheck.officer_scope s LEFT JOIN wagecheck.project p ON p.project_id = a.project_id
                    WHERE s.officer = w.officer
                      AND starts_with(coalesce(p.division, a.division)::text, s.division_prefix)
                      AND (s.sector IS NULL OR s.sector = p.sector))
)
SELECT w.officer,
       (SELECT count(*) FROM seen x WHERE x.officer = w.officer) AS alerts,
       (SELECT count(*) FROM wagecheck.alert_event e JOIN seen x ON x.alert_id = e.alert_id
         WHERE x.officer = w.officer) AS events,
       (SELECT count(*) FROM seen x WHERE x.officer = w.officer AND x.tier = 'K'
           AND x.state IN ('open', 'overdue', 'rectified')) AS ledger,
       (SELECT count(*) FROM seen x WHERE x.officer = w.officer
           AND x.state IN ('open', 'overdue', 'rectified', 'verify_overdue', 'verified', 'report_overdue')) AS board_live,
       (SELECT count(*) FROM wagecheck.violation v
         WHERE w.officer IN ('regress_sec_admin', 'regress_sec_inspector', 'regress_sec_analyst')
            OR v.project_id IN (SELECT p.project_id FROM wagecheck.project p JOIN wagecheck.officer_scope s
                                    ON s.officer = w.officer AND starts_with(p.division::text, s.division_prefix)
                                   AND (s.sector IS NULL OR s.sector = p.sector))) AS violations,
       (SELECT count(*) FROM wagecheck.project_month_indicators m
         WHERE w.officer IN ('regress_sec_admin', 'regress_sec_inspector', 'regress_sec_analyst')
            OR m.project_id IN (SELECT p.project_id FROM wagecheck.project p JOIN wagecheck.officer_scope s
                                    ON s.officer = w.officer AND starts_with(p.division::text, s.division_prefix)
                                   AND (s.sector IS NULL OR s.sector = p.sector))) AS project_months,
       (SELECT count(*) FROM wagecheck.complaint c
         WHERE w.officer IN ('regress_sec_admin', 'regress_sec_inspector', 'regress_sec_analyst')
            OR c.project_id IN (SELECT p.project_id FROM wagecheck.project p JOIN wagecheck.officer_scope s
                                    ON s.officer = w.officer AND starts_with(p.division::text, s.division_prefix)
                                   AND (s.sector IS NULL OR s.sector = p.sector))) AS complaints
  FROM who w;
GRANT SELECT ON public.sec_expect TO PUBLIC;
SELECT * FROM public.sec_expect ORDER BY officer;
-- sec_counts: what the current role reads, beside what it should (sec_expect)
-- (analysts count the violations in violation_masked, the others in violation)
CREATE FUNCTION public.sec_violations() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', CASE WHEN has_table_privilege('wagecheck.violation', 'SELECT')
                                                   THEN 'wagecheck.violation' ELSE 'wagecheck.violation_masked' END) INTO n;
    RETURN n;
END $$;
CREATE FUNCTION public.sec_counts() RETURNS TABLE (relation text, reads bigint, expected bigint)
LANGUAGE sql AS $$
    SELECT r.relation, r.n, r.e FROM public.sec_expect x, LATERAL (VALUES
        ('alert', (SELECT count(*) FROM wagecheck.alert), x.alerts),
        ('alert_event', (SELECT count(*) FROM wagecheck.alert_event), x.events),
        ('violation', public.sec_violations(), x.violations),
        ('supervision_ledger', (SELECT count(*) FROM wagecheck.supervision_ledger), x.ledger),
        ('alert_board', (SELECT coalesce(sum(live), 0)::bigint FROM wagecheck.alert_board), x.board_live),
        ('project_month_indicators', (SELECT count(*) FROM wagecheck.project_month_indicators), x.project_months),
        ('county_month_indicators', (SELECT coalesce(sum(projects), 0)::bigint FROM wagecheck.county_month_indicators), x.project_months),
        ('sector_month_indicators', (SELECT coalesce(sum(projects), 0)::bigint FROM wagecheck.sector_month_indicators), x.project_months),
        ('city_month_indicators', (SELECT coalesce(sum(projects), 0)::bigint FROM wagecheck.city_month_indicators), x.project_months),
        ('funding_month_indicators', (SELECT coalesce(sum(projects), 0)::bigint FROM wagecheck.funding_month_indicators), x.project_months),
        ('complaint_masked', (SELECT count(*) FROM wagecheck.complaint_masked), x.complaints)
    ) r (relation, n, e)
     WHERE x.officer = current_user
$$;
GRANT EXECUTE ON FUNCTION public.sec_counts() TO PUBLIC;
\c - regress_sec_lanshan
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
SELECT DISTINCT county FROM wagecheck.supervision_ledger UNION SELECT DISTINCT county FROM wagecheck.alert_board ORDER BY 1;
SELECT * FROM public.sec_scan(ARRAY['371311'], ARRAY['id', 'card', 'phone']);
\c - regress_sec_luozhuang
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
SELECT DISTINCT county FROM wagecheck.supervision_ledger UNION SELECT DISTINCT county FROM wagecheck.alert_board ORDER BY 1;
\c - regress_sec_housing
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
SELECT DISTINCT sector FROM wagecheck.supervision_ledger UNION SELECT DISTINCT sector FROM wagecheck.sector_month_indicators ORDER BY 1;
\c - regress_sec_inspector
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
\c - regress_sec_admin
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
-- analysts read every view, with no right on the tables holding cards and ID numbers
\c - regress_sec_analyst
SELECT current_user, relation, reads, expected, reads = expected AS same FROM public.sec_counts();
SELECT has_table_privilege('wagecheck.account_txn', 'SELECT') AS account_txn, has_table_privilege('wagecheck.worker', 'SELECT') AS worker,
       has_table_privilege('wagecheck.wage_payment', 'SELECT') AS wage_payment;
SELECT * FROM public.sec_scan(NULL, ARRAY['id', 'card', 'name', 'phone']);
-- a role without a wagecheck role reads none of it
\c - regress_sec_nobody
SELECT public.sec_try($$SELECT * FROM wagecheck.supervision_ledger$$);
SELECT public.sec_try($$SELECT * FROM wagecheck.county_month_indicators$$);
SELECT public.sec_try($$SELECT * FROM wagecheck.alert$$);
-- officers take their steps on the alerts of their scope only: another county's alert does
-- not exist for them, their own gets as far as the state machine; analysts take none; the
-- step is recorded as the officer's
\c - postgres
SELECT min(a.alert_id) FILTER (WHERE p.division::text = '371311' AND a.tier = 'K' AND a.state = 'open'
                                     AND a.rule_code <> 'CP01') AS lz_k,
       min(a.alert_id) FILTER (WHERE p.division::text = '371302' AND a.tier = 'K' AND a.state = 'open') AS ls_k
  FROM wagecheck.alert a JOIN wagecheck.project p USING (project_id) \gset
\c - regress_sec_lanshan
SELECT regexp_replace(public.sec_try(format('SELECT wagecheck.confirm_rectified(%s, %L)', :lz_k, '已整改')),
                      '[0-9]+', 'N', 'g') AS other_county;
SELECT regexp_replace(public.sec_try(format('SELECT wagecheck.verify_alert(%s, %L)', :ls_k, '已核查')),
                      '[0-9]+', 'N', 'g') AS own_county;
SELECT regexp_replace(public.sec_try(format('SELECT wagecheck._officer_step(%s, %L, %L, now(), %L)', :ls_k, 'confirm', '冒名',
                      'regress_sec_luozhuang')), '[0-9]+', 'N', 'g') AS as_another;
SELECT public.sec_try(format('UPDATE wagecheck.alert SET state = %L WHERE alert_id = %s', 'closed', :ls_k)) AS by_hand;
\c - regress_sec_analyst
SELECT public.sec_try(format('SELECT wagecheck.confirm_rectified(%s, %L)', :ls_k, '已整改')) AS analyst;
\c - regress_sec_luozhuang
SELECT public.sec_try(format('SELECT wagecheck.confirm_rectified(%s, %L)', :lz_k, '已足额支付')) AS own_county;
SELECT actor, action, to_state, note FROM wagecheck.alert_event WHERE alert_id = :lz_k ORDER BY event_id;

-- 4. function audits. Functions PUBLIC may run besides those the types, operators, casts,
-- operator classes and aggregates are made of: the manual's access table lists the same
\c - postgres
WITH type_support (oid) AS (
    SELECT unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze])
      FROM pg_type t WHERE t.typnamespace = 'wagecheck'::regnamespace
    UNION SELECT unnest(ARRAY[o.oprcode, o.oprrest, o.oprjoin]) FROM pg_operator o WHERE o.oprnamespace = 'wagecheck'::regnamespace
    UNION SELECT ap.amproc FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
     WHERE f.opfnamespace = 'wagecheck'::regnamespace
    UNION SELECT c.castfunc FROM pg_cast c JOIN pg_proc p ON p.oid = c.castfunc WHERE p.pronamespace = 'wagecheck'::regnamespace
    UNION SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn])
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid WHERE p.pronamespace = 'wagecheck'::regnamespace
),
allowed (proname) AS (VALUES
    ('is_valid_resident_id'), ('is_valid_credit_code'), ('is_valid_bank_card'), ('is_valid_division_code'),
    ('birth_date'), ('sex'), ('age'), ('region'), ('category'), ('registration_authority'), ('province'),
    ('city'), ('county'), ('level'), ('mask'), ('mask_account'), ('mask_person_name'), ('mask_phone'),
    ('add_working_days'), ('is_working_day'), ('working_days_between'), ('pay_day'), ('wage_pay_date'),
    ('lunar_to_gregorian'), ('gregorian_to_lunar'), ('spring_festival'), ('lunar_new_year'),
    ('lantern_festival'), ('dragon_boat_festival'), ('mid_autumn_festival'), ('chinese_new_years_eve'),
    ('version'), ('case_number'), ('case_number_parts'), ('alert_transition'), ('alert_transitions'),
    -- what the PL/pgSQL functions and triggers raise with, as their callers
    ('_msg'),
    -- what the tables' check constraints call
    ('_finite'), ('_positive_fen'), ('_plausible'))
SELECT p.oid::regprocedure AS public_not_allowed
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
   AND p.oid NOT IN (SELECT oid FROM type_support) AND p.proname NOT IN (SELECT proname FROM allowed)
 ORDER BY 1;
-- what each role may run beyond PUBLIC (the manual's access table)
SELECT r.rolname, string_agg(DISTINCT p.proname, ', ' ORDER BY p.proname) AS functions
  FROM pg_roles r, pg_proc p
 WHERE r.rolname LIKE 'wagecheck\_%' AND p.pronamespace = 'wagecheck'::regnamespace
   AND has_function_privilege(r.oid, p.oid, 'EXECUTE') AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
 GROUP BY 1 ORDER BY 1;
-- every SECURITY DEFINER function pins search_path (pg_temp last) and is closed to PUBLIC
SELECT p.oid::regprocedure AS definer, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') AS public
  FROM pg_proc p
 WHERE p.pronamespace = 'wagecheck'::regnamespace AND p.prosecdef
   AND (NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*pg_temp$')
        OR has_function_privilege('public', p.oid, 'EXECUTE'))
 ORDER BY 1;

DROP FUNCTION public.sec_scan(text[], text[]), public.sec_attach(), public.sec_try(text), public.sec_counts(), public.sec_violations();
DROP TABLE public.sec_secret, public.sec_expect;
DROP EXTENSION wagecheck CASCADE;
DROP OWNED BY regress_sec_admin, regress_sec_inspector, regress_sec_lanshan, regress_sec_luozhuang,
    regress_sec_housing, regress_sec_analyst, regress_sec_nobody;
DROP ROLE regress_sec_admin, regress_sec_inspector, regress_sec_lanshan, regress_sec_luozhuang,
    regress_sec_housing, regress_sec_analyst, regress_sec_nobody;
