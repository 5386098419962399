-- Wages owed and paid late without a scan's memo: wage_month.settled_at (when a month's
-- payments reached its net) finds the months owed (WP02, WP03) and paid late (DP01); the
-- project evaluators of WP02, WP03, AC02 find their evaluators' hits of the projects asked;
-- their date horizons name every project whose hits time alone changes; incremental scans
-- evaluating only the projects changed or named write what full scans do.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
-- projects 60 and 61 of contractor 2, 62 of contractor 4
SELECT fx.project(60, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(61, '371311', '2026-01-05', '2025-12-01');
SELECT fx.project(62, '371312', '2026-01-05', '2025-12-01', contractor => 4);
SELECT fx.worker(i) FROM generate_series(1, 6) i;
SELECT fx.roster(60, w, '2026-01-05') FROM generate_series(1, 3) w;
SELECT fx.roster(61, w, '2026-01-05') FROM generate_series(4, 5) w;
SELECT fx.roster(62, 6, '2026-01-05');
-- worker 3 is paid on the 5th of the same month; worker 6 (no roster terms known until
-- 01-20) on the 10th of the next month
UPDATE wagecheck.roster SET pay_day = 5, pay_month_offset = 0 WHERE worker_id = 3;
UPDATE wagecheck.roster SET pay_day = 10, created_at = '2026-01-20' WHERE worker_id = 6;

-- sheets of January to March, every row known by 04-01
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
SELECT row_number() OVER (ORDER BY p, m), p, 3, m, m + 35, '2026-01-31 10:00'::timestamptz + (m - '2026-01-01') * interval '1 day'
  FROM unnest(ARRAY[60, 61, 62]) p CROSS JOIN unnest(ARRAY['2026-01-01', '2026-02-01', '2026-03-01']::date[]) m;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT row_number() OVER (ORDER BY s.sheet_id, r.worker_id), s.sheet_id, r.worker_id, 20,
       CASE WHEN r.worker_id = 5 AND s.period = '2026-02-01' THEN 0 ELSE 5000 END,
       CASE WHEN r.worker_id = 5 AND s.period = '2026-02-01' THEN 0 ELSE 5000 END, s.created_at
  FROM wagecheck.pay_sheet s JOIN wagecheck.roster r ON r.project_id = s.project_id;
-- worker 2's March line corrected to 4000
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
SELECT 100, l.sheet_id, 2, 16, 4000, 4000, l.line_id, '2026-03-31 11:00'
  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)
 WHERE l.worker_id = 2 AND s.period = '2026-03-01';
-- payments: (worker, month, amount, paid at); what is not listed is owed
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT l.line_id, v.amount, v.at::timestamptz, 'account', fx.card(v.w)::wagecheck.bank_card, v.at::timestamptz
  FROM (VALUES (1, '2026-01-01', 5000, '2026-02-12 10:00'),   -- on time (pay day 02-13)
               (1, '2026-02-01', 5000, '2026-03-13 23:30'),   -- on the pay day itself, late in the evening
               (1, '2026-03-01', 2000, '2026-03-31 10:00'),   -- March: 3000 owed
               (2, '2026-01-01', 3000, '2026-02-12 10:00'),
               (2, '2026-01-01', 2000, '2026-02-20 10:00'),   -- the rest a week late
               (2, '2026-03-01', 4000, '2026-03-31 12:00'),   -- the corrected net, in full
               (3, '2026-01-01', 5000, '2026-01-30 10:00'),   -- pay day 01-05: late
               (3, '2026-02-01', 5000, '2026-02-05 10:00'),   -- on time
               (4, '2026-01-01', 5000, '2026-02-12 10:00'),   -- February and March owed
               (5, '2026-01-01', 6000, '2026-02-12 10:00'),   -- more than the net
               (6, '2026-01-01', 5000, '2026-02-10 10:00'),
               (6, '2026-02-01', 1000, '2026-03-09 10:00'),
               (6, '2026-02-01', 4000, '2026-03-11 10:00')) v(w, m, amount, at)
  JOIN wagecheck.pay_sheet s ON s.period = v.m::date
  JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id AND l.worker_id = v.w AND l.corrects_line_id IS NULL
                           AND NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id);
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (100, 4000, '2026-03-31 12:00', 'account', fx.card(2)::wagecheck.bank_card, '2026-03-31 12:00');
-- labour cost: a schedule per month, paid in short for project 60, not at all for 62
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at) VALUES
    (1, 60, '农业银行', '37001', '2026-01-02', '2026-01-02 10:00'),
    (2, 61, '农业银行', '37002', '2026-01-02', '2026-01-02 10:00'),
    (3, 62, '农业银行', '37003', '2026-01-02', '2026-01-02 10:00');
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on, created_at)
SELECT p, m, 10000, (m + interval '1 month 9 days')::date, '2026-01-02 10:00'
  FROM unnest(ARRAY[60, 61, 62]) p CROSS JOIN unnest(ARRAY['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']::date[]) m;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at, created_at) VALUES
    (1, 'in', 15000, 'labour_cost', '2026-03-05 10:00', '2026-03-05 10:00'),
    (2, 'in', 40000, 'labour_cost', '2026-03-05 10:00', '2026-03-05 10:00');

-- settled_at: when the payments reached the net (-infinity: nothing to pay; NULL: owed)
SELECT w.project_id, w.worker_id, w.period, w.net, w.paid, w.settled_at
  FROM wagecheck.wage_month w ORDER BY 1, 2, 3;

-- the months owed past the pay day (_wages_unpaid) and those paid late or owed
-- (_wages_late) are those of wages_owed: before every row is known (from the raw rows) and
-- after (from the summary), of all projects and of some
CREATE FUNCTION fx.diff(a text, b text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((%1$s EXCEPT ALL %2$s) UNION ALL (%2$s EXCEPT ALL %1$s)) d', a, b) INTO n;
    RETURN n;
END
$$;
SELECT t::date AS day, wagecheck._summary_exact('wages_owed', t) AS exact,
       (SELECT count(*) FROM wagecheck._wages_unpaid(t)) AS unpaid,
       fx.diff(format('SELECT * FROM wagecheck._wages_unpaid(%L)', t),
               format('SELECT * FROM wagecheck.wages_owed(%L) o WHERE o.owed > 0 AND o.pay_date < %L::date', t, t::date)) AS unpaid_differ,
       fx.diff(format('SELECT * FROM wagecheck._wages_unpaid(%L, ''{61,62}'')', t),
               format('SELECT * FROM wagecheck.wages_owed(%L) o WHERE o.owed > 0 AND o.pay_date < %L::date AND o.project_id IN (61, 62)', t, t::date)) AS unpaid_61_62_differ,
       (SELECT count(*) FROM wagecheck._wages_late(t, NULL)) AS late,
       fx.diff(format('SELECT * FROM wagecheck._wages_late(%L, NULL)', t),
               format('SELECT * FROM wagecheck.wages_owed(%L) o WHERE o.paid_by_pay_date < o.net AND o.pay_date < %L::date', t, t::date)) AS late_differ,
       fx.diff(format('SELECT * FROM wagecheck._wages_late(%L, ''{60}'')', t),
               format('SELECT * FROM wagecheck.wages_owed(%L) o WHERE o.paid_by_pay_date < o.net AND o.pay_date < %L::date AND o.project_id = 60', t, t::date)) AS late_60_differ
  FROM unnest(ARRAY['2026-02-14 12:00', '2026-03-14 00:10', '2026-03-20 12:00', '2026-04-02 12:00', '2026-04-16 12:00',
                    '2026-06-30 12:00']::timestamptz[]) t;
-- the months late as of 04-16, with the pay date of each worker's terms
SELECT project_id, worker_id, period, pay_date, net, paid, paid_by_pay_date, owed
  FROM wagecheck._wages_late('2026-04-16 12:00', NULL) ORDER BY 1, 2, 3;
-- a sheet's prepared_on or created_at changing keeps settled_at; a payment deleted clears it
SET session_replication_role = replica;
DELETE FROM wagecheck.wage_payment WHERE line_id = 100;
RESET session_replication_role;
SELECT worker_id, period, net, paid, settled_at FROM wagecheck.wage_month WHERE worker_id = 2 ORDER BY period;
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
VALUES (100, 4000, '2026-03-31 12:00', 'account', fx.card(2)::wagecheck.bank_card, '2026-03-31 12:00');

-- fx.hits(code, t, projects): the hits of a rule's evaluator, or of its project evaluator
-- (wagecheck.eval_<code>_projects)
CREATE FUNCTION fx.hits(code text, t timestamptz, projects bigint[] DEFAULT NULL) RETURNS SETOF wagecheck.rule_hit
LANGUAGE plpgsql AS $$
BEGIN
    IF projects IS NULL THEN
        RETURN QUERY EXECUTE format('SELECT * FROM wagecheck.%I($1)', 'eval_' || lower(code)) USING t;
    ELSE
        RETURN QUERY EXECUTE format('SELECT * FROM wagecheck.%I($1, $2)', 'eval_' || lower(code) || '_projects')
            USING t, projects;
    END IF;
END
$$;
-- each project evaluator (DP01's reads its contractors' other projects' rows too),
-- given every project, finds what its rule's evaluator does; given some, the evaluator's hits
-- of those (every other day from 02-01 to 06-30, at noon)
SELECT c.code, count(*) AS days, sum((SELECT count(*) FROM fx.hits(c.code, t))) AS hits,
       sum((SELECT count(*) FROM ((SELECT * FROM fx.hits(c.code, t) EXCEPT ALL SELECT * FROM fx.hits(c.code, t, '{60,61,62}'))
                                  UNION ALL
                                  (SELECT * FROM fx.hits(c.code, t, '{60,61,62}') EXCEPT ALL SELECT * FROM fx.hits(c.code, t))) d)) AS differing,
       sum((SELECT count(*) FROM ((SELECT * FROM fx.hits(c.code, t) WHERE project_id IN (61, 62)
                                   EXCEPT ALL SELECT * FROM fx.hits(c.code, t, '{61,62}'))
                                  UNION ALL
                                  (SELECT * FROM fx.hits(c.code, t, '{61,62}')
                                   EXCEPT ALL SELECT * FROM fx.hits(c.code, t) WHERE project_id IN (61, 62))) d)) AS differing_61_62
  FROM unnest(ARRAY['WP02', 'WP03', 'AC02', 'DP01']) c(code)
 CROSS JOIN generate_series('2026-02-01 12:00'::timestamptz, '2026-06-30 12:00', '2 days') t
 GROUP BY c.code ORDER BY c.code;

-- date horizons: every project whose hits differ between two moments (the same rows: every
-- row is known by 04-01) is named by the rule's horizon, over windows of one and of ten days
-- (changed: projects whose hits differ; named: projects the horizon names; missed: changed
-- but not named)
CREATE FUNCTION fx.horizon(code text, a timestamptz, b timestamptz) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    h bigint[];
BEGIN
    EXECUTE format('SELECT wagecheck.%I($1, $2)', 'eval_' || lower(code) || '_horizon') INTO h USING a, b;
    RETURN h;
END
$$;
CREATE FUNCTION fx.changed(code text, a timestamptz, b timestamptz) RETURNS bigint[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(DISTINCT d.project_id ORDER BY d.project_id), '{}')
      FROM ((SELECT * FROM fx.hits(code, a) EXCEPT SELECT * FROM fx.hits(code, b))
            UNION ALL (SELECT * FROM fx.hits(code, b) EXCEPT SELECT * FROM fx.hits(code, a))) d
$$;
SELECT c.code, w.days, count(*) AS windows, count(*) FILTER (WHERE x.changed <> '{}') AS windows_changed,
       sum(cardinality(x.changed)) AS changed, sum(cardinality(x.named)) AS named,
       count(*) FILTER (WHERE x.named IS NULL) AS cannot_tell,
       sum(cardinality(ARRAY(SELECT unnest(x.changed) EXCEPT SELECT unnest(x.named)))) AS missed
  FROM unnest(ARRAY['WP02', 'WP03', 'AC02', 'DP01']) c(code)
 CROSS JOIN unnest(ARRAY[1, 10]) w(days)
 CROSS JOIN generate_series('2026-04-01 12:00'::timestamptz, '2026-06-30 12:00', '1 day') a
 CROSS JOIN LATERAL (SELECT fx.changed(c.code, a, a + w.days * interval '1 day') AS changed,
                            fx.horizon(c.code, a, a + w.days * interval '1 day') AS named) x
 GROUP BY c.code, w.days ORDER BY 1, 2;
-- the days each rule's hits change, and what its horizon names for that day
SELECT c.code, a::date + 1 AS day, fx.changed(c.code, a, a + interval '1 day') AS changed,
       fx.horizon(c.code, a, a + interval '1 day') AS named
  FROM unnest(ARRAY['WP02', 'WP03', 'AC02', 'DP01']) c(code)
 CROSS JOIN generate_series('2026-04-01 12:00'::timestamptz, '2026-06-30 12:00', '1 day') a
 WHERE fx.changed(c.code, a, a + interval '1 day') <> '{}' OR fx.horizon(c.code, a, a + interval '1 day') <> '{}'
 ORDER BY 1, 2;
-- not exact: a row is known after to_ts (the summary cannot tell what was owed then): NULL
SELECT wagecheck.eval_wp02_horizon('2026-03-20 12:00', '2026-03-21 12:00') AS wp02,
       wagecheck.eval_wp03_horizon('2026-03-20 12:00', '2026-03-21 12:00') AS wp03,
       wagecheck.eval_dp01_horizon('2026-03-20 12:00', '2026-03-21 12:00') AS dp01;
-- DP01 a year on: with a contract below exempt_below, project 62 is exempt once its
-- contractor's last month late (worker 6's March, pay date 2026-04-10) is over a year old:
-- from 2027-04-11 (named by the horizon that day)
UPDATE wagecheck.project SET contract_value = 1000000 WHERE project_id = 62;
SELECT a::date + 1 AS day, fx.changed('DP01', a, a + interval '1 day') AS changed,
       fx.horizon('DP01', a, a + interval '1 day') AS named
  FROM generate_series('2027-04-07 12:00'::timestamptz, '2027-04-13 12:00', '1 day') a;
UPDATE wagecheck.project SET contract_value = 50000000 WHERE project_id = 62;

-- incremental scans (from 04-02, a day at a time) against full ones: time-driven rules with
-- a horizon are evaluated only for the projects their horizon names (no row changes), the
-- hits of the others carried over, and write what full scans write
SELECT fx.only(ARRAY['WP02', 'WP03', 'AC02']);
CREATE VIEW fx.outcome AS
    SELECT a.rule_code, a.subject_kind, a.subject_id, a.period, a.tier, a.state, a.project_id, a.division,
           a.details, a.evidence, a.opened_at, a.deadline_on, a.due_at, a.escalated_at, a.closed_at,
           a.updated_at, e.at, e.action, e.from_state, e.to_state, e.from_tier, e.to_tier,
           e.deadline_on AS event_deadline, e.due_at AS event_due, e.note
      FROM wagecheck.alert a JOIN wagecheck.alert_event e USING (alert_id);
CREATE TABLE fx.scanned (at timestamptz, same boolean, events int, by_project text, evaluated text);
CREATE FUNCTION fx.compare(t timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fs jsonb;
    fo jsonb;
    inc jsonb;
BEGIN
    BEGIN
        SELECT jsonb_agg(to_jsonb(x) ORDER BY x.rule_code) INTO fs FROM wagecheck.scan(t, incremental => false) x;
        SELECT jsonb_agg(to_jsonb(o) ORDER BY to_jsonb(o)::text) INTO fo FROM fx.outcome o;
        RAISE EXCEPTION 'roll the full scan back' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE 'P0001' THEN
        NULL;
    END;
    SELECT jsonb_agg(to_jsonb(x) ORDER BY x.rule_code) INTO inc FROM wagecheck.scan(t) x;
    INSERT INTO fx.scanned
    SELECT t, inc = fs AND (SELECT jsonb_agg(to_jsonb(o) ORDER BY to_jsonb(o)::text) FROM fx.outcome o) IS NOT DISTINCT FROM fo,
           (SELECT count(*) FROM wagecheck.alert_event e WHERE e.at = t),
           (SELECT string_agg(e.code || ':' || array_to_string(e.projects, ','), ' ' ORDER BY e.code)
              FROM wagecheck.rule_eval_state e WHERE e.projects IS NOT NULL),
           (SELECT string_agg(e.code, ' ' ORDER BY e.code) FROM wagecheck.rule_eval_state e
             WHERE NOT e.carried AND e.projects IS NULL);
END
$$;
SET client_min_messages = warning;
SELECT count(*) FROM (SELECT fx.compare(t) FROM generate_series('2026-04-01 12:00'::timestamptz, '2026-06-30 12:00', '1 day') t) x;
RESET client_min_messages;
SELECT count(*) AS scans, bool_and(same) AS all_same, sum(events) AS events,
       count(*) FILTER (WHERE evaluated IS NOT NULL) AS evaluated_in_full
  FROM fx.scanned;
-- the scans that evaluated a rule (in full: the first; by project: the horizon's)
SELECT at::date AS day, same, events, by_project, evaluated FROM fx.scanned
 WHERE by_project IS NOT NULL OR evaluated IS NOT NULL OR events > 0 ORDER BY at;
SELECT rule_code, subject_id, period, tier, state, opened_at::date AS opened, escalated_at::date AS escalated
  FROM wagecheck.alert ORDER BY 1, 2, 3;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
