-- Incremental scans against full evaluation (the differential test): data arrives day by
-- day and a scan runs at noon and in the evening. Each scan is first run with
-- incremental => false (every rule evaluated in full) and its outcome (alerts, events, the
-- counts it returns) kept, then rolled back; then the incremental scan runs from the same
-- state, carrying over the hits of rules whose inputs did not change (and that time alone
-- does not change, or does only from day to day and it is still the same day). The two
-- outcomes must be identical at every scan - so the whole history is what full scans alone
-- would have written. Rules with a project evaluator are evaluated, after a day's writes,
-- only for the projects the writes touched (their other hits carried over): the writes
-- below touch one project while the other has live alerts, delete a payment, correct
-- lines, move a worker to the other project, change a worker's card, close an alert of a
-- once rule (whose hit stays a hit). Time-driven rules with a project evaluator and a horizon
-- (NB01, AC01, WP07, RN03) are evaluated on a new day only for the projects whose rows changed
-- and those whose hits the passage of the days may change (project 52 below).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.only(ARRAY['RN01', 'RN02', 'RN03', 'RN04', 'AC01', 'AC03', 'AC04', 'AC05', 'AC06', 'PS01',
                     'WP01', 'WP02', 'WP03', 'WP04', 'WP05', 'WP06', 'WP07', 'NB01', 'QR01']);
SELECT fx.project(50, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(51, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 7) i;
SELECT fx.roster(50, w, '2026-01-05') FROM generate_series(1, 3) w;
SELECT fx.roster(51, w, '2026-01-05') FROM generate_series(4, 6) w;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 50, '农业银行', '37001', '2026-01-02', '2026-01-02 10:00'),
    (2, 51, '农业银行', '37002', '2026-01-02', '2026-01-02 10:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at) VALUES
    (1, 'in', 10000, 'labour_cost', '2026-02-01 10:00', '2026-02-01 10:00'),
    (2, 'in', 10000, 'labour_cost', '2026-02-01 10:00', '2026-02-01 10:00');
-- February's attendance, known day by day
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT r.project_id, r.worker_id, d, 8, d + time '18:00'
  FROM wagecheck.roster r CROSS JOIN generate_series('2026-02-02'::date, '2026-03-08', '1 day') d
 WHERE extract(isodow FROM d) < 6;

-- time-driven rules with a horizon (NB01, AC01, WP07, RN03) hit project 52 on days of the
-- run by time alone: it starts on 03-02 with no notice board (NB01 after 7 days: 03-10), its
-- contract of 02-10 has no account (AC01 after 30 days: 03-13), worker 7 works there from
-- 03-02 to 03-06 and leaves unsettled (WP07 after 5 days in its county: 03-12; RN03 7 days
-- after his last day: 03-13)
SELECT fx.project(52, '371312', '2026-03-02', '2026-02-10');
UPDATE wagecheck.project SET notice_board_on = NULL WHERE project_id = 52;
SELECT fx.roster(52, 7, '2026-03-02', end_on => '2026-03-06');
INSERT INTO wagecheck.rule_param_override VALUES ('WP07', '371312', '{"settle_days": 5}');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
SELECT 52, 7, d, 8, d + time '18:00' FROM generate_series('2026-03-02'::date, '2026-03-06', '1 day') d;

-- what arrives each day, before the evening's scan (besides the day's attendance)
CREATE TABLE fx.arrival (day date, n int, stmt text);
INSERT INTO fx.arrival VALUES
-- February's pay sheets: worker 3's line does not add up (PS01), worker 5 is not on
-- project 50's roster (RN01), worker 4 below the minimum wage (WP05), worker 6 over the
-- month's limit (WP06)
('2026-03-10', 1, $s$INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 50, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00'), (2, 51, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00')$s$),
('2026-03-10', 2, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at) VALUES
    (1, 1, 1, 20, 6000, 0, 6000, '2026-03-10 10:00'), (2, 1, 2, 20, 6000, 0, 6000, '2026-03-10 10:00'),
    (3, 1, 3, 20, 5500, 0, 5000, '2026-03-10 10:00'), (4, 1, 5, 20, 5000, 0, 5000, '2026-03-10 10:00'),
    (5, 2, 4, 22, 2000, 0, 2000, '2026-03-10 10:00'), (6, 2, 6, 22, 60000, 0, 60000, '2026-03-10 10:00')$s$),
-- payments: worker 2's in cash, recorded today but made on 03-12 (WP04 that evening, with no
-- new row then); worker 5 enters project 50's roster from 03-13 (RN01 cleared by the date alone)
('2026-03-11', 1, $s$INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at) VALUES
    (1, 1, 6000, '2026-03-11 10:00', 'account', fx.card(1)::wagecheck.bank_card, '2026-03-11 10:00'),
    (2, 2, 6000, '2026-03-12 10:00', 'cash', NULL, '2026-03-11 11:00'),
    (3, 5, 2000, '2026-03-11 10:00', 'account', fx.card(4)::wagecheck.bank_card, '2026-03-11 10:00')$s$),
('2026-03-11', 2, $s$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
    VALUES (50, 5, 3, '2026-03-13', '2026-03-13', '2026-03-11 12:00')$s$),
-- project 51's account pays worker 1, who is not on its roster (AC03)
('2026-03-12', 1, $s$INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at, created_at)
    VALUES (2, 'out', 3000, fx.card(1), 'wage', '2026-03-12 10:00', '2026-03-12 10:00')$s$),
-- worker 3's line corrected (PS01 rectified); project 50's account overdrawn by a wage (AC06)
('2026-03-13', 1, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id, created_at)
    VALUES (7, 1, 3, 20, 5500, 500, 5000, 3, '2026-03-13 09:00')$s$),
('2026-03-13', 2, $s$INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at, created_at)
    VALUES (1, 'out', 15000, fx.card(3), 'wage', '2026-03-13 10:00', '2026-03-13 10:00')$s$),
-- the officer confirms that AC03's transfer was rectified (closed: still a hit of AC03)
('2026-03-13', 3, $s$SELECT wagecheck.confirm_rectified(a.alert_id, '已退回专户', '2026-03-13 13:00')
    FROM wagecheck.alert a WHERE a.rule_code = 'AC03'$s$),
-- labour cost paid in: the balance is back above zero
('2026-03-14', 1, $s$INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
    VALUES (1, 'in', 20000, 'labour_cost', '2026-03-14 10:00', '2026-03-14 10:00')$s$),
-- the cash payment was recorded by mistake: deleted (WP04 rectified)
('2026-03-14', 2, $s$DELETE FROM wagecheck.wage_payment WHERE payment_id = 2$s$),
-- a lower minimum wage for the county of project 51: WP05 cleared by a parameter
('2026-03-15', 1, $s$INSERT INTO wagecheck.rule_param_override VALUES ('WP05', '371311', '{"min_monthly_wage": 1900}')$s$),
-- worker 3 moves: leaves project 50 today, on project 51's roster from tomorrow without a
-- labour contract (RN02 the next day)
('2026-03-15', 2, $s$UPDATE wagecheck.roster SET end_on = '2026-03-15' WHERE project_id = 50 AND worker_id = 3$s$),
('2026-03-15', 3, $s$INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on, created_at)
    VALUES (51, 3, 3, NULL, '2026-03-16', '2026-03-15 12:00')$s$),
-- worker 6's line corrected below the limit (WP06 cleared)
('2026-03-16', 1, $s$INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id, created_at)
    VALUES (8, 2, 6, 22, 40000, 0, 40000, 6, '2026-03-16 09:00')$s$),
-- worker 1 registers another card: his payment went to the old one (WP04)
('2026-03-16', 2, $s$UPDATE wagecheck.worker SET wage_card = fx.card(101)::wagecheck.bank_card WHERE worker_id = 1$s$),
-- project 51's contract turns out to give labour too small a share (AC04)
('2026-03-17', 1, $s$UPDATE wagecheck.project SET labour_share = 0.05 WHERE project_id = 51$s$),
-- project 51's account is put under closure notice while wages are owed (AC05)
('2026-03-17', 2, $s$UPDATE wagecheck.wage_account SET closure_notice_on = '2026-03-17' WHERE account_id = 2$s$);

-- fx.outcome: the alerts and their events, without ids
CREATE VIEW fx.outcome AS
    SELECT a.rule_code, a.subject_kind, a.subject_id, a.period, a.tier, a.state, a.project_id, a.division,
           a.details, a.evidence, a.opened_at, a.deadline_on, a.due_at, a.escalated_at, a.closed_at,
           a.updated_at, e.at, e.action, e.from_state, e.to_state, e.from_tier, e.to_tier,
           e.deadline_on AS event_deadline, e.due_at AS event_due, e.note
      FROM wagecheck.alert a JOIN wagecheck.alert_event e USING (alert_id);
CREATE TABLE fx.evening (at timestamptz, full_scan jsonb, full_outcome jsonb, scan jsonb, outcome jsonb,
                         carried text, by_project text, evaluated text);
-- fx.compare(at): scans as of the moment in full (kept, rolled back), then incrementally
CREATE FUNCTION fx.compare(t timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fs jsonb;
    fo jsonb;
BEGIN
    BEGIN
        SELECT jsonb_agg(to_jsonb(s) ORDER BY s.rule_code) INTO fs
          FROM wagecheck.scan(t, incremental => false) s;
        SELECT jsonb_agg(to_jsonb(o) ORDER BY to_jsonb(o)::text) INTO fo FROM fx.outcome o;
        RAISE EXCEPTION 'roll the full scan back' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE 'P0001' THEN
        NULL;
    END;
    INSERT INTO fx.evening (at, full_scan, full_outcome, scan)
    SELECT t, fs, fo, jsonb_agg(to_jsonb(s) ORDER BY s.rule_code) FROM wagecheck.scan(t) s;
    UPDATE fx.evening
       SET outcome = (SELECT jsonb_agg(to_jsonb(o) ORDER BY to_jsonb(o)::text) FROM fx.outcome o),
           carried = (SELECT string_agg(e.code, ' ' ORDER BY e.code) FROM wagecheck.rule_eval_state e WHERE e.carried),
           by_project = (SELECT string_agg(e.code || ':' || array_to_string(e.projects, ','), ' ' ORDER BY e.code)
                           FROM wagecheck.rule_eval_state e WHERE e.projects IS NOT NULL),
           evaluated = (SELECT string_agg(e.code, ' ' ORDER BY e.code) FROM wagecheck.rule_eval_state e
                         WHERE NOT e.carried AND e.projects IS NULL)
     WHERE at = t;
END
$$;
-- fx.run(): every day from 03-09 to 03-18: a scan at noon, before the day's rows are loaded
-- (a new day: time-driven rules are evaluated, those with a horizon only for the projects it
-- names and those whose rows changed), then the day's rows (some of them dated
-- before noon: late arrivals), then a scan in the evening (the same day: a time-driven rule
-- none of whose inputs changed is carried over)
CREATE FUNCTION fx.run() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d date;
    a record;
BEGIN
    FOR d IN SELECT generate_series('2026-03-09'::date, '2026-03-18', '1 day')::date LOOP
        PERFORM fx.compare(d + time '12:00');
        -- loaded as a bulk loader does (replica mode: no enforcing trigger refuses a
        -- defect; the summaries' and the change capture's triggers fire all the same)
        PERFORM set_config('session_replication_role', 'replica', false);
        FOR a IN SELECT * FROM fx.arrival WHERE day = d ORDER BY n LOOP
            EXECUTE a.stmt;
        END LOOP;
        IF extract(isodow FROM d) < 6 THEN
            INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
            SELECT r.project_id, r.worker_id, d, 8, d + time '18:00'
              FROM wagecheck.roster r
             WHERE r.start_on <= d AND (r.end_on IS NULL OR r.end_on >= d) AND r.worker_id <> 5;
        END IF;
        PERFORM set_config('session_replication_role', 'origin', false);
        PERFORM fx.compare(d + time '20:00');
    END LOOP;
END
$$;

SET client_min_messages = warning;
SELECT fx.run();
RESET client_min_messages;

-- every scan: the incremental scan returned and wrote what the full scan did; which
-- rules it carried over, which it evaluated for some projects (RN01:50: RN01 evaluated for
-- project 50, its hits on project 51 carried over), and which in full
SELECT to_char(at, 'MM-DD HH24:MI') AS at, scan = full_scan AS same_counts, outcome IS NOT DISTINCT FROM full_outcome AS same_alerts_and_events,
       jsonb_array_length(coalesce(outcome, '[]')) AS alert_events, carried, by_project, evaluated
  FROM fx.evening ORDER BY at;
-- what happened
SELECT rule_code, subject_kind || ':' || subject_id AS subject, period, at::date AS day, action, to_state, to_tier
  FROM fx.outcome ORDER BY rule_code, subject, period, at, action;
-- each project evaluator, given every project, finds what its rule's evaluator does (at
-- noon and in the evening of the days above; hits: the evaluator's, differing: in one only)
CREATE FUNCTION fx.by_project_differs(t timestamptz)
RETURNS TABLE (code text, hits bigint, differing bigint) LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT ru.code, ru.evaluator, ru.project_evaluator FROM wagecheck.rule ru
              WHERE ru.project_evaluator IS NOT NULL ORDER BY ru.code LOOP
        code := r.code;
        EXECUTE format('SELECT (SELECT count(*) FROM %1$s($1)), '
                       '(SELECT count(*) FROM ((SELECT * FROM %1$s($1) EXCEPT ALL SELECT * FROM %2$s($1, $2)) '
                       'UNION ALL (SELECT * FROM %2$s($1, $2) EXCEPT ALL SELECT * FROM %1$s($1))) d)',
                       r.evaluator::regproc, r.project_evaluator::regproc)
           INTO hits, differing
          USING t, ARRAY(SELECT p.project_id FROM wagecheck.project p);
        RETURN NEXT;
    END LOOP;
END
$$;
SELECT d.code, sum(d.hits) AS hits, sum(d.differing) AS differing
  FROM generate_series('2026-03-09 12:00'::timestamptz, '2026-03-18 20:00', '8 hours') t
 CROSS JOIN LATERAL fx.by_project_differs(t) d
 GROUP BY d.code ORDER BY d.code;

-- the same evening again, incrementally: nothing changed, every rule that may be is carried
-- over; in full: nothing is
SELECT count(*) AS rules, sum(opened + escalated + cleared + rectified) AS changes
  FROM wagecheck.scan('2026-03-18 20:00');
SELECT string_agg(code, ' ' ORDER BY code) FILTER (WHERE carried) AS carried,
       string_agg(code || ':' || array_to_string(projects, ','), ' ' ORDER BY code) FILTER (WHERE projects IS NOT NULL) AS by_project,
       string_agg(code, ' ' ORDER BY code) FILTER (WHERE NOT carried AND projects IS NULL) AS evaluated
  FROM wagecheck.rule_eval_state;
SELECT count(*) AS rules, sum(opened + escalated + cleared + rectified) AS changes
  FROM wagecheck.scan('2026-03-18 20:00', incremental => false);
SELECT count(*) FILTER (WHERE carried) AS carried FROM wagecheck.rule_eval_state;
-- the horizons as of the days of the run, seen now: RN03's cannot tell (NULL: the summary
-- attendance_month holds days after the window); a horizon's signature is checked
SELECT to_char(t, 'MM-DD') AS day, wagecheck.eval_nb01_horizon(t - interval '1 day', t) AS nb01,
       wagecheck.eval_ac01_horizon(t - interval '1 day', t) AS ac01,
       wagecheck.eval_wp07_horizon(t - interval '1 day', t) AS wp07,
       wagecheck.eval_rn03_horizon(t - interval '1 day', t) AS rn03
  FROM generate_series('2026-03-10 12:00'::timestamptz, '2026-03-13 12:00', '1 day') t;
\set VERBOSITY verbose
UPDATE wagecheck.rule SET horizon = 'wagecheck.eval_nb01_projects(timestamptz, bigint[])' WHERE code = 'NB01';
\set VERBOSITY default
-- time-driven rules count days in the session's time zone: the same moment, the same day,
-- but another time zone evaluates those with a horizon for the projects their horizon names
-- over both days (none) and those whose rows changed (none: the attendance dated 03-18 adds
-- a day to months already attended, which RN04 and WP01 do not read, and can only end RN03's
-- gaps, of which neither project has one); the data-driven ones are carried over, but for
-- project 51, whose account's closure notice is dated the day before (a date counts for its
-- whole day in any time zone: UTC-12 to UTC+14)
SET TimeZone = 'America/Denver';
SELECT count(*) AS rules, sum(opened + escalated + cleared + rectified) AS changes
  FROM wagecheck.scan('2026-03-18 20:00 PST8PDT');
SELECT string_agg(code, ' ' ORDER BY code) FILTER (WHERE carried) AS carried,
       string_agg(code || ':' || array_to_string(projects, ','), ' ' ORDER BY code) FILTER (WHERE projects IS NOT NULL) AS by_project,
       string_agg(code, ' ' ORDER BY code) FILTER (WHERE NOT carried AND projects IS NULL) AS evaluated
  FROM wagecheck.rule_eval_state;
RESET TimeZone;
-- a change to any rule's parameters is a change of every rule's inputs
UPDATE wagecheck.rule SET params = params WHERE code = 'QR01';
SELECT count(*) AS rules FROM wagecheck.scan('2026-03-18 20:00');
SELECT count(*) FILTER (WHERE carried) AS carried FROM wagecheck.rule_eval_state;

-- a K alert outside the projects evaluated goes overdue all the same: a cash payment of
-- project 51 is recorded; WP04 is evaluated for project 51 only, and payment 1's alert
-- (project 50, deadline 03-23, not planned while nothing can change it) goes overdue
SET session_replication_role = replica;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (4, 5, 100, '2026-03-24 10:00', 'cash', NULL, '2026-03-24 10:00');
RESET session_replication_role;
SELECT fx.compare('2026-03-24 12:00');
SELECT to_char(at, 'MM-DD HH24:MI') AS at, scan = full_scan AS same_counts,
       outcome IS NOT DISTINCT FROM full_outcome AS same_alerts_and_events, by_project
  FROM fx.evening WHERE at = '2026-03-24 12:00';
SELECT rule_code, subject_kind || ':' || subject_id AS subject, at::date AS day, action, to_state, deadline_on
  FROM fx.outcome WHERE rule_code = 'WP04' ORDER BY 1, 2, 3, 4;

-- a horizon that cannot tell evaluates its rule in full: a day of worker 7 on project 52 is
-- recorded on 03-25 but known only from 03-27, so the summary attendance_month holds a row
-- not known on 03-25 and RN03's horizon is NULL; the scan of 03-25 evaluates RN03 in full
-- (project 52's gap stays open: the day is not known yet; projects 50 and 51, last attended
-- on 03-18, reach theirs)
SET session_replication_role = replica;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (52, 7, '2026-03-25', 8, '2026-03-27 18:00');
RESET session_replication_role;
SELECT wagecheck.eval_rn03_horizon('2026-03-24 12:00', '2026-03-25 12:00') AS rn03_horizon;
SELECT fx.compare('2026-03-25 12:00');
SELECT scan = full_scan AS same_counts, outcome IS NOT DISTINCT FROM full_outcome AS same_alerts_and_events,
       by_project, evaluated
  FROM fx.evening WHERE at = '2026-03-25 12:00';
SELECT subject_id AS project, state, opened_at::date AS opened FROM wagecheck.alert WHERE rule_code = 'RN03' ORDER BY 1;
-- a K alert goes overdue on a day its rule is carried over: nothing WP04 reads changed since,
-- so of its alerts only payment 4's (project 51, deadline 03-31, past it on 04-01) is planned;
-- the others' hits are counted, not planned
SELECT fx.compare('2026-04-01 12:00');
SELECT to_char(at, 'MM-DD HH24:MI') AS at, scan = full_scan AS same_counts,
       outcome IS NOT DISTINCT FROM full_outcome AS same_alerts_and_events,
       ' ' || carried || ' ' LIKE '% WP04 %' AS wp04_carried
  FROM fx.evening WHERE at = '2026-04-01 12:00';
SELECT rule_code, subject_kind || ':' || subject_id AS subject, at::date AS day, action, to_state, deadline_on
  FROM fx.outcome WHERE rule_code = 'WP04' AND at >= '2026-03-24' ORDER BY 1, 2, 3, 4;
-- what the scan returned for WP04: its two live alerts are hits
SELECT s ->> 'hits' AS hits, s ->> 'escalated' AS escalated
  FROM fx.evening, jsonb_array_elements(scan) s
 WHERE at = '2026-04-01 12:00' AND s ->> 'rule_code' = 'WP04';

-- what the change capture records per statement: the moments of the new rows' dates and
-- times (a moment: the hour that holds it; a date: from 15 h before its midnight in UTC to
-- 39 h after) and the projects of the new and old rows
TRUNCATE wagecheck.input_change;
SET session_replication_role = replica;
-- a correcting line on project 51's sheet for a line of project 50
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id, created_at)
VALUES (9, 2, 6, 22, 40000, 0, 40000, 1, '2026-03-19 09:30+08');
-- worker 3: on both projects' rosters, a line on project 50's sheet
UPDATE wagecheck.worker SET phone = '13800000003' WHERE worker_id = 3;
-- a new worker: on no roster yet, no line
SELECT fx.worker(9);
-- a payment on a line of project 51's sheet, deleted (no moments)
DELETE FROM wagecheck.wage_payment WHERE payment_id = 3;
-- a movement of project 50's account
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
VALUES (1, 'in', 100, 'labour_cost', '2026-03-19 10:15+08', '2026-03-19 10:16+08');
-- attendance of two days on both projects
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
VALUES (50, 1, '2026-03-19', 8, '2026-03-19 18:00+08'), (51, 4, '2026-03-20', 8, '2026-03-20 18:00+08');
-- an enterprise: not limited to projects
UPDATE wagecheck.enterprise SET legal_rep = '张三' WHERE enterprise_id = 4;
-- statements that write no row record nothing; TRUNCATE is a change of every project
DELETE FROM wagecheck.attendance WHERE false;
UPDATE wagecheck.roster SET end_on = NULL WHERE false;
TRUNCATE wagecheck.guarantee_deposit;
RESET session_replication_role;
SELECT table_name, op, moments, projects FROM wagecheck.input_change ORDER BY seq;

-- the summary attendance_month records (as table attendance_month) the projects whose months
-- may now exist at other moments: RN04 and WP01 read of attendance only which workers
-- attended which months. A day of a month already attended, known after the month's rows
-- and dated after its first day, records none; a new month, a row known before the month's
-- latest known one or dated before its first day, and every update or delete record theirs.
BEGIN;
TRUNCATE wagecheck.input_change;
SET LOCAL session_replication_role = replica;
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)   -- none
VALUES (50, 1, '2026-03-23', 8, '2026-03-23 18:00+08');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)   -- April: 50
VALUES (50, 1, '2026-04-01', 8, '2026-04-01 18:00+08'), (50, 1, '2026-04-02', 8, '2026-04-02 18:00+08');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)   -- known early: 51
VALUES (51, 4, '2026-03-24', 8, '2026-03-19 08:00+08');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)   -- dated early: 50
VALUES (50, 2, '2026-02-01', 8, '2026-03-24 18:00+08');
UPDATE wagecheck.attendance SET hours = 9 WHERE project_id = 51 AND worker_id = 4 AND day = '2026-03-24';
DELETE FROM wagecheck.attendance WHERE project_id = 50 AND worker_id = 1 AND day >= '2026-04-01';
SELECT table_name, op, moments, projects FROM wagecheck.input_change
 WHERE table_name IN ('attendance', 'attendance_month') ORDER BY seq;
-- the bounds of the months written, recomputed from the rows left after a delete
SELECT project_id, worker_id, period, days, first_day, last_day, first_known, known_to
  FROM wagecheck.attendance_month
 WHERE (project_id, worker_id) IN ((50, 1), (50, 2), (51, 4)) AND period >= '2026-02-01'
 ORDER BY 1, 2, 3;
ROLLBACK;

-- a statement whose projects and moments statements before it in its transaction recorded
-- already (same table and operation) records nothing: a scan reads those whenever it would
-- read it. Not after a subtransaction holding some of them rolled back, nor once the
-- transaction holds the scan lock (a scan in it reads only the changes recorded after it).
BEGIN;
TRUNCATE wagecheck.input_change;
SET LOCAL session_replication_role = replica;
INSERT INTO wagecheck.attendance VALUES (50, 1, '2026-04-06', 8, '2026-04-06 18:00+08');  -- both
INSERT INTO wagecheck.attendance VALUES (50, 2, '2026-04-06', 8, '2026-04-06 18:10+08');  -- none
INSERT INTO wagecheck.attendance VALUES (51, 4, '2026-04-06', 8, '2026-04-06 18:20+08');  -- both: 51
INSERT INTO wagecheck.attendance VALUES (50, 1, '2026-04-07', 8, '2026-04-07 18:00+08');  -- attendance: new moments
INSERT INTO wagecheck.attendance VALUES (50, 4, '2026-04-07', 8, '2026-04-06 18:00+08');  -- attendance_month: new moments
INSERT INTO wagecheck.attendance VALUES (50, 4, '2026-04-06', 8, '2026-04-06 18:00+08');  -- attendance_month: dated early
INSERT INTO wagecheck.attendance VALUES (50, 3, '2026-04-06', 8, '2026-04-06 18:30+08'),
                                        (51, 5, '2026-04-06', 8, '2026-04-06 18:30+08');  -- attendance: none
UPDATE wagecheck.attendance SET hours = 9 WHERE project_id = 50 AND day = '2026-04-06';  -- both: an update
UPDATE wagecheck.attendance SET hours = 7 WHERE project_id = 50 AND day = '2026-04-06';  -- attendance_month only
SAVEPOINT s;
INSERT INTO wagecheck.attendance VALUES (50, 5, '2026-04-08', 8, '2026-04-08 18:00+08');  -- both, rolled back
ROLLBACK TO SAVEPOINT s;
INSERT INTO wagecheck.attendance VALUES (50, 6, '2026-04-06', 8, '2026-04-06 18:40+08');  -- both again
SELECT pg_advisory_xact_lock(95946671341902);                         -- as a scan takes it
INSERT INTO wagecheck.attendance VALUES (50, 7, '2026-04-06', 8, '2026-04-06 18:50+08');  -- both
SELECT table_name, op, moments, projects FROM wagecheck.input_change
 WHERE table_name IN ('attendance', 'attendance_month') ORDER BY seq;
ROLLBACK;

-- so do statements of pay lines, payments and movements, their projects read through
-- their sheets, corrected lines, lines and accounts
BEGIN;
TRUNCATE wagecheck.input_change;
SET LOCAL session_replication_role = replica;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (20, 2, 4, 20, 30000, 0, 30000, '2026-04-06 09:10+08');                      -- 51
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (21, 2, 5, 20, 30000, 0, 30000, '2026-04-06 09:20+08');                      -- none
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id, created_at)
VALUES (22, 2, 6, 22, 40000, 0, 40000, 2, '2026-04-06 09:30+08');                   -- 50 and 51
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id, created_at)
VALUES (23, 2, 6, 22, 40000, 0, 40000, 4, '2026-04-06 09:40+08');                   -- none
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (20, 20, 30000, '2026-04-06 10:00+08', 'account', fx.card(4)::wagecheck.bank_card, '2026-04-06 10:05+08');  -- 51
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (21, 21, 30000, '2026-04-06 10:10+08', 'account', fx.card(5)::wagecheck.bank_card, '2026-04-06 10:15+08');  -- none
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
VALUES (1, 'in', 100, 'labour_cost', '2026-04-06 10:15+08', '2026-04-06 10:16+08');  -- 50
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
VALUES (1, 'in', 100, 'labour_cost', '2026-04-06 10:25+08', '2026-04-06 10:26+08');  -- none
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at)
VALUES (1, 'in', 100, 'labour_cost', '2026-04-08 10:25+08', '2026-04-08 10:26+08');  -- 50: new moments
SELECT table_name, op, moments, projects FROM wagecheck.input_change ORDER BY seq;
ROLLBACK;

-- DP01 by project: a project's hit reads its contractor's arrears on all its projects, so the
-- projects whose rows changed are widened to every project of their contractors (rule.peers),
-- and a project leaving a contractor names that contractor's remaining projects. Projects 60
-- and 61 of contractor 4, below exempt_below, without a deposit: exempt while contractor 4 has
-- no arrears. Worker 9's February on project 60 (pay date 03-13) is unpaid: both are hits.
SELECT fx.only(ARRAY['DP01']);
SELECT fx.worker(9);
SELECT fx.project(60, '371302', '2026-01-05', '2026-01-05', contractor => 4, value => 1000000);
SELECT fx.project(61, '371311', '2026-01-05', '2026-01-05', contractor => 4, value => 1000000);
SELECT fx.roster(60, 9, '2026-01-05');
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (60, 60, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at)
VALUES (60, 60, 9, 20, 5000, 0, 5000, '2026-03-10 10:00');
RESET session_replication_role;
SELECT fx.compare('2026-04-13 12:00');
-- a payment made on 03-12 (before the pay date) is recorded: contractor 4 has no arrears,
-- projects 60 and 61 are exempt (61 found through its peer 60)
SET session_replication_role = replica;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
VALUES (60, 60, 5000, '2026-03-12 10:00', 'account', fx.card(9)::wagecheck.bank_card, '2026-04-13 15:00');
RESET session_replication_role;
SELECT wagecheck.eval_dp01_peers('{60}') AS peers_of_60, wagecheck.eval_dp01_peers('{}') AS peers_of_none;
SELECT fx.compare('2026-04-13 20:00');
-- the payment was recorded by mistake: deleted, arrears again (the next day: with the horizon)
SET session_replication_role = replica;
DELETE FROM wagecheck.wage_payment WHERE payment_id = 60;
RESET session_replication_role;
SELECT fx.compare('2026-04-14 12:00');
-- project 60 moves to contractor 2: contractor 4's project 61 is exempt again (named by the
-- move), project 60 is judged by contractor 2's arrears
UPDATE wagecheck.project SET contractor_id = 2 WHERE project_id = 60;
SELECT table_name, projects FROM wagecheck.input_change WHERE table_name = 'project' ORDER BY seq DESC LIMIT 2;
SELECT fx.compare('2026-04-14 20:00');
-- a project deleted: its contractor's other projects are named
SET session_replication_role = replica;
DELETE FROM wagecheck.roster WHERE project_id = 60;
DELETE FROM wagecheck.pay_line WHERE line_id = 60;
DELETE FROM wagecheck.pay_sheet WHERE sheet_id = 60;
RESET session_replication_role;
DELETE FROM wagecheck.project WHERE project_id = 60;
SELECT table_name, projects FROM wagecheck.input_change WHERE table_name = 'project' ORDER BY seq DESC LIMIT 2;
SELECT fx.compare('2026-04-15 12:00');
SELECT to_char(at, 'MM-DD HH24:MI') AS at, scan = full_scan AS same_counts,
       outcome IS NOT DISTINCT FROM full_outcome AS same_alerts_and_events, by_project, evaluated
  FROM fx.evening WHERE at >= '2026-04-13 12:00' ORDER BY at;
SELECT subject_id AS project, at::date AS day, to_char(at, 'HH24:MI') AS at, action, to_state
  FROM fx.outcome WHERE rule_code = 'DP01' AND project_id IN (60, 61) ORDER BY 2, 3, 1;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
