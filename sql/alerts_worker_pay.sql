-- The summary worker_pay (per worker, payable over all projects per month and per year)
-- stays equal to a recomputation from wage_month on every kind of write, and WP05/WP06
-- read the summaries only when they are exact for the moment asked: at every moment their
-- hits equal a plain computation from the raw rows (a replay as of an earlier moment too).
-- WP04 reads the summary payment_off_card (kept when a worker's card changes too): its hits
-- equal a plain join of every payment with its worker's card. RN01 reads the pairs (project,
-- worker) on pay sheets from sheet_worker: its hits equal a plain anti-join of every line.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
SELECT fx.project(50, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(51, '371311', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 4) i;
SELECT fx.roster(p, w, '2026-01-05') FROM generate_series(1, 3) w CROSS JOIN (VALUES (50), (51)) v(p);
SELECT fx.roster(50, 4, '2026-02-15');   -- worker 4: on P50's roster from 02-15, never on P51's
-- in this city the yearly limit of WP06 is lowered to 60,000
INSERT INTO wagecheck.rule_param_override VALUES ('WP06', '3713', '{"year_amount": 60000}');

-- fx.stale(): rows where worker_pay differs from a recomputation from wage_month, and
-- rows where wage_month and payment_off_card differ from a recomputation from the raw rows
CREATE FUNCTION fx.stale() RETURNS TABLE (summary text, diff bigint) LANGUAGE sql AS $$
    SELECT 'worker_pay', count(*) FROM (
        (SELECT * FROM wagecheck.worker_pay EXCEPT ALL SELECT * FROM wagecheck._worker_pay_rows())
        UNION ALL
        (SELECT * FROM wagecheck._worker_pay_rows() EXCEPT ALL SELECT * FROM wagecheck.worker_pay)) x
    UNION ALL
    SELECT 'wage_month', count(*) FROM (
        (SELECT * FROM wagecheck.wage_month EXCEPT ALL SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL))
        UNION ALL
        (SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL) EXCEPT ALL SELECT * FROM wagecheck.wage_month)) y
    UNION ALL
    SELECT 'sheet_worker', count(*) FROM (
        (SELECT * FROM wagecheck.sheet_worker EXCEPT ALL SELECT * FROM wagecheck._sheet_worker_rows())
        UNION ALL
        (SELECT * FROM wagecheck._sheet_worker_rows() EXCEPT ALL SELECT * FROM wagecheck.sheet_worker)) v
    UNION ALL
    SELECT 'payment_off_card', count(*) FROM (
        (SELECT * FROM wagecheck.payment_off_card
         EXCEPT ALL SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL))
        UNION ALL
        (SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL)
         EXCEPT ALL SELECT * FROM wagecheck.payment_off_card)) z
$$;
-- fx.wp06_raw(as_of): WP06's hits computed plainly from the raw rows known at as_of
CREATE FUNCTION fx.wp06_raw(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE sql AS $$
    WITH o AS (SELECT * FROM wagecheck._wages_owed_compute(as_of)),
    m AS (SELECT o.worker_id, o.period, sum(o.payable) AS payable, min(o.project_id) AS project_id
            FROM o GROUP BY 1, 2),
    s AS (SELECT m.worker_id, 'month' AS span, to_char(m.period, 'YYYY-MM') AS period, m.payable,
                 m.project_id AS first_project, m.project_id
            FROM m
          UNION ALL
          SELECT m.worker_id, 'year', to_char(m.period, 'YYYY'), sum(m.payable),
                 (array_agg(m.project_id ORDER BY m.period))[1], min(m.project_id)
            FROM m GROUP BY 1, 2, 3)
    SELECT 'worker', s.worker_id::text, s.period, s.project_id, NULL::bigint, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('payable', s.payable, 'limit', l.amount, 'limit_key', s.span || '_amount')
      FROM s
      JOIN wagecheck.project p ON p.project_id = s.first_project
     CROSS JOIN LATERAL (SELECT wagecheck.rule_param('WP06', s.span || '_amount', p.division)::numeric AS amount) l
     WHERE s.payable > l.amount
$$;
-- fx.wp05_raw(as_of): WP05's hits computed plainly from the raw rows known at as_of
CREATE FUNCTION fx.wp05_raw(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE sql AS $$
    SELECT 'worker_on_project', o.project_id || '/' || o.worker_id, to_char(o.period, 'YYYY-MM'),
           o.project_id, o.employer_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('worker_id', o.worker_id, 'days', o.days, 'payable', o.payable,
                              'minimum', wagecheck.rule_param('WP05', 'min_monthly_wage', p.division)::numeric)
      FROM wagecheck._wages_owed_compute(as_of) o
      JOIN wagecheck.project p ON p.project_id = o.project_id
     WHERE o.days >= wagecheck.rule_param('WP05', 'full_month_days', p.division)::numeric
       AND o.payable < wagecheck.rule_param('WP05', 'min_monthly_wage', p.division)::numeric
$$;
-- fx.rn01_raw(as_of): RN01's hits computed plainly from the raw rows known at as_of
CREATE FUNCTION fx.rn01_raw(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE sql AS $$
    SELECT 'pay_line', l.line_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'period', to_char(s.period, 'YYYY-MM'),
                              'sheet_id', s.sheet_id, 'net', l.net)
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
     WHERE l.created_at <= as_of
       AND (s.project_id, l.worker_id) NOT IN (SELECT r.project_id, r.worker_id FROM wagecheck.roster r
                                                WHERE r.created_at <= as_of AND r.start_on <= as_of::date) $$;
-- fx.check(as_of): whether the summaries are exact then, the evaluators' hits, and how many
-- differ from the plain computation (both ways)
CREATE FUNCTION fx.check(as_of timestamptz)
RETURNS TABLE (exact boolean, rule text, hits text, differing bigint) LANGUAGE sql AS $$
    SELECT wagecheck._summary_exact('wages_owed', as_of), 'WP06',
           (SELECT string_agg(h.subject_id || ' ' || h.period || ' P' || h.project_id || ' ' || (h.details ->> 'payable')
                              || '>' || (h.details ->> 'limit'), ', ' ORDER BY h.subject_id, h.period)
              FROM wagecheck.eval_wp06(as_of) h),
           (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_wp06(as_of) EXCEPT ALL SELECT * FROM fx.wp06_raw(as_of))
                                  UNION ALL
                                  (SELECT * FROM fx.wp06_raw(as_of) EXCEPT ALL SELECT * FROM wagecheck.eval_wp06(as_of))) x)
    UNION ALL
    SELECT wagecheck._summary_exact('wages_owed', as_of), 'WP05',
           (SELECT string_agg(h.subject_id || ' ' || h.period || ' ' || (h.details ->> 'days') || 'd '
                              || (h.details ->> 'payable'), ', ' ORDER BY h.subject_id, h.period)
              FROM wagecheck.eval_wp05(as_of) h),
           (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_wp05(as_of) EXCEPT ALL SELECT * FROM fx.wp05_raw(as_of))
                                  UNION ALL
                                  (SELECT * FROM fx.wp05_raw(as_of) EXCEPT ALL SELECT * FROM wagecheck.eval_wp05(as_of))) x)
    UNION ALL
    SELECT NULL, 'RN01',
           (SELECT string_agg(h.subject_id || ' P' || h.project_id || ' W' || (h.details ->> 'worker_id'), ', '
                              ORDER BY h.subject_id::int)
              FROM wagecheck.eval_rn01(as_of) h),
           (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_rn01(as_of) EXCEPT ALL SELECT * FROM fx.rn01_raw(as_of))
                                  UNION ALL
                                  (SELECT * FROM fx.rn01_raw(as_of) EXCEPT ALL SELECT * FROM wagecheck.eval_rn01(as_of))) x)
$$;

-- January on both projects, February on P50. Worker 1: 30,000 on P50 and 25,000 on P51 in
-- January (55,000 over the month's 50,000 across projects), 10,000 in February (65,000 over
-- the city's 60,000 for the year); worker 2: 2,000 for 22 days (below the minimum wage);
-- worker 3: 6,000 a month
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 50, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (2, 51, 3, '2026-01-01', '2026-02-10', '2026-02-10 10:00'),
    (3, 50, 3, '2026-02-01', '2026-03-10', '2026-03-10 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at) VALUES
    (1, 1, 1, 22, 30000, 30000, '2026-02-10 10:00'),
    (2, 2, 1, 22, 25000, 25000, '2026-02-10 10:00'),
    (3, 1, 2, 22, 2000, 2000, '2026-02-10 10:00'),
    (4, 1, 3, 22, 6000, 6000, '2026-02-10 10:00'),
    (5, 3, 1, 20, 10000, 10000, '2026-03-10 10:00'),
    (6, 3, 3, 20, 6000, 6000, '2026-03-10 10:00'),
    (9, 1, 4, 10, 3000, 3000, '2026-02-10 10:00'),     -- worker 4 on P50's and P51's January sheets
    (10, 2, 4, 10, 3000, 3000, '2026-02-10 10:00');
INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card, created_at)
SELECT l.line_id, l.net, s.created_at + interval '2 days', 'account', fx.card(l.worker_id)::wagecheck.bank_card,
       s.created_at + interval '2 days'
  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id);
SELECT * FROM fx.stale();
SELECT * FROM wagecheck.worker_pay ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-03-13 12:00');   -- all known: from the summaries
SELECT * FROM fx.check('2026-03-11 12:00');   -- February's payments not made yet: from the raw rows
SELECT * FROM fx.check('2026-02-11 12:00');   -- January only: no year over its limit

-- a correction lowers worker 1's January on P51 below the month's limit, and his year below
-- the city's
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
VALUES (7, 2, 1, 22, 15000, 15000, 2, '2026-03-20 09:00');
SELECT * FROM fx.stale();
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 1 ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-03-20 12:00');
SELECT * FROM fx.check('2026-03-14 12:00');   -- a replay before the correction: still over

-- updates (in replica mode: paid lines are otherwise kept as written): a line's payable, a
-- line moved to another project's sheet, a sheet's month
SET session_replication_role = replica;
UPDATE wagecheck.pay_line SET payable = 52000 WHERE line_id = 6;
UPDATE wagecheck.pay_line SET sheet_id = 2 WHERE line_id = 4;
UPDATE wagecheck.pay_sheet SET period = '2026-03-01' WHERE sheet_id = 3;
RESET session_replication_role;
SELECT * FROM fx.stale();
SELECT * FROM wagecheck.worker_pay ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-01 12:00');
-- deletions (in replica mode): worker 3's March (its row goes) and the correction (January over again)
SET session_replication_role = replica;
DELETE FROM wagecheck.wage_payment WHERE line_id IN (6, 7);
DELETE FROM wagecheck.pay_line WHERE line_id IN (6, 7);
RESET session_replication_role;
SELECT * FROM fx.stale();
SELECT * FROM wagecheck.worker_pay ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-01 12:00');

-- WP04: a cash payment, one into worker 1's card for worker 3, then worker 3's registered card
-- changes (his earlier payments are no longer to his card), and changes back
CREATE FUNCTION fx.wp04_raw(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit LANGUAGE sql AS $$
    SELECT 'payment', y.payment_id::text, '', s.project_id, s.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', l.worker_id, 'amount', y.amount, 'method', y.method, 'paid_at', y.paid_at,
                              'reason', CASE WHEN y.method = 'cash' THEN 'cash'
                                             WHEN k.wage_card IS NULL THEN 'worker has no registered card'
                                             ELSE 'not the worker''s registered card' END)
      FROM wagecheck.wage_payment y
      JOIN wagecheck.pay_line l ON l.line_id = y.line_id
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
      JOIN wagecheck.project p ON p.project_id = s.project_id
      JOIN wagecheck.worker k ON k.worker_id = l.worker_id
     WHERE y.paid_at <= as_of AND y.created_at <= as_of
       AND (y.method <> 'account' OR y.card::text IS DISTINCT FROM k.wage_card::text) $$;
CREATE FUNCTION fx.wp04(as_of timestamptz) RETURNS TABLE (hits text, differing bigint) LANGUAGE sql AS $$
    SELECT (SELECT string_agg(h.subject_id || ' ' || (h.details ->> 'reason'), ', ' ORDER BY h.subject_id::int)
              FROM wagecheck.eval_wp04(as_of) h),
           (SELECT count(*) FROM ((SELECT * FROM wagecheck.eval_wp04(as_of) EXCEPT ALL SELECT * FROM fx.wp04_raw(as_of))
                                  UNION ALL
                                  (SELECT * FROM fx.wp04_raw(as_of) EXCEPT ALL SELECT * FROM wagecheck.eval_wp04(as_of))) x) $$;
SELECT * FROM fx.wp04('2026-04-01 12:00');
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at) VALUES
    (101, 3, 100, '2026-04-02 10:00', 'cash', NULL, '2026-04-02 10:00'),
    (102, 4, 100, '2026-04-02 10:00', 'account', fx.card(1), '2026-04-02 10:00');
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, payment_id, employer_id, amount, method, reason FROM wagecheck.payment_off_card ORDER BY 1, 2, 3, 4;
SELECT * FROM fx.wp04('2026-04-02 12:00');
SELECT * FROM fx.wp04('2026-04-01 12:00');    -- a replay before them
UPDATE wagecheck.worker SET wage_card = fx.luhn('622202000000000099')::wagecheck.bank_card WHERE worker_id = 3;
SELECT * FROM fx.stale();
SELECT project_id, worker_id, period, payment_id, employer_id, amount, method, reason FROM wagecheck.payment_off_card ORDER BY 1, 2, 3, 4;
SELECT * FROM fx.wp04('2026-04-02 12:00');
UPDATE wagecheck.worker SET wage_card = fx.card(3)::wagecheck.bank_card WHERE worker_id = 3;
SELECT * FROM fx.stale();
SELECT * FROM fx.wp04('2026-04-02 12:00');

-- WP06 by the rows of worker_pay marked high (a sum over 25,000 a month: the limits below
-- are above it, so only those rows are read): worker 2's January crosses 25,000 and back,
-- by a one-row line (by key), a correction (recomputed), a line added and then deleted, and
-- a line added in REPEATABLE READ (the statement, not the keyed path); at each step the
-- marks equal a recomputation and WP06's hits a plain computation
INSERT INTO wagecheck.rule_param_override VALUES ('WP06', '371302', '{"month_amount": 26000}');
SELECT * FROM fx.check('2026-04-02 12:00') WHERE rule = 'WP06';
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (11, 2, 2, 5, 28000, 28000, '2026-04-03 09:00');      -- 30,000: over
SELECT * FROM fx.stale() WHERE diff <> 0;
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 2 ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-03 12:00') WHERE rule = 'WP06';
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, corrects_line_id, created_at)
VALUES (12, 2, 2, 5, 20000, 20000, 11, '2026-04-04 09:00');  -- 22,000: under again
SELECT * FROM fx.stale() WHERE diff <> 0;
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 2 ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-04 12:00') WHERE rule = 'WP06';
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (13, 2, 2, 1, 10000, 10000, '2026-04-05 09:00');      -- 32,000: over
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 2 AND span = 'month' ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-05 12:00') WHERE rule = 'WP06';
SET session_replication_role = replica;
DELETE FROM wagecheck.pay_line WHERE line_id = 13;            -- 22,000: under
RESET session_replication_role;
SELECT * FROM fx.stale() WHERE diff <> 0;
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 2 AND span = 'month' ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-05 12:00') WHERE rule = 'WP06';
BEGIN ISOLATION LEVEL REPEATABLE READ;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (14, 2, 2, 1, 5000, 5000, '2026-04-06 09:00');        -- 27,000: over
COMMIT;
SELECT * FROM fx.stale() WHERE diff <> 0;
SELECT * FROM wagecheck.worker_pay WHERE worker_id = 2 AND span = 'month' ORDER BY 1, 2, 3;
SELECT * FROM fx.check('2026-04-06 12:00') WHERE rule = 'WP06';
DELETE FROM wagecheck.rule_param_override WHERE code = 'WP06' AND division_prefix = '371302';

-- TRUNCATE (in replica mode, as generators do): the lines left unpaid, the sums unchanged;
-- then every line: no sums left
SET session_replication_role = replica;
SET client_min_messages = warning;
TRUNCATE wagecheck.wage_payment CASCADE;
SELECT * FROM fx.stale();
SELECT count(*) AS worker_pay_rows FROM wagecheck.worker_pay;
TRUNCATE wagecheck.pay_line CASCADE;
RESET client_min_messages;
RESET session_replication_role;
SELECT * FROM fx.stale();
SELECT count(*) AS worker_pay_rows FROM wagecheck.worker_pay;

-- with the triggers disabled wage_month goes stale (worker_pay follows it); rebuild_summaries()
-- recomputes both
ALTER TABLE wagecheck.pay_line DISABLE TRIGGER wage_month_ins;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
VALUES (8, 1, 4, 22, 51000, 51000, '2026-02-10 11:00');
ALTER TABLE wagecheck.pay_line ENABLE ALWAYS TRIGGER wage_month_ins;
SELECT * FROM fx.stale();
SELECT wagecheck.rebuild_summaries();
SELECT * FROM fx.stale();
SELECT * FROM fx.check('2026-04-01 12:00');

-- derived data: not dumped with the extension's configuration
SELECT count(*) AS dumped FROM pg_catalog.pg_extension e CROSS JOIN LATERAL unnest(e.extconfig) t(oid)
 WHERE e.extname = 'wagecheck' AND t.oid IN ('wagecheck.worker_pay'::regclass, 'wagecheck.payment_off_card'::regclass);

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
