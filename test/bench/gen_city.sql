-- gen_city.sql — deterministic generator of a city-year of wage-supervision data for
-- the benchmarks (not part of the extension).  Load it with psql into a database that
-- has wagecheck installed, then:
--     CALL wc_bench.gen_city(1.0);      -- full size: 2,000 projects, 100,000 workers
--     CALL wc_bench.gen_city(0.1);      -- 1/10 size for quick runs
-- Arguments: scale (projects and workers scale with it), seed (same seed = same data,
-- byte for byte), year (the twelve months generated; 2024 by default).
--
-- The city is Linyi (临沂市, 3713xx) with its twelve counties.  Every row is a
-- function of (seed, its keys) through hashint8extended, never of random() or of row
-- order, so the data are identical whatever the plan.  created_at / booked_at /
-- paid_at are set to when each fact became known, so replaying "as of" a day of the
-- year sees only what was known then.
--
-- Realistic defects (rates are of projects, workers or rows, chosen by hash):
--   arrears: 6% of projects leave 1-4 consecutive months part-paid or unpaid for a
--     share of their workers (WP02, WP03); 4% of payments are 5-40 days late
--   labour cost: 10% of projects pay it 5-60 days late, 4% pay 80% of it, 1% stop
--     paying it for the last quarter (AC02)
--   real name: 0.5% of workers work and are paid without a roster entry (RN01);
--     2% of roster entries have no labour contract (RN02); 1% of worker-months with
--     attendance get no pay line (RN04); 2% of projects have no pay sheet in one month (WP01)
--   payments: 0.2% in cash, 0.1% to a card that is not the worker's (WP04); projects
--     without a dedicated account pay from another account
--   accounts and deposits: 3% of projects have no dedicated account (AC01), 5% opened
--     it late; 10% have no guarantee deposit (DP01); 5% no notice board (NB01), 3% no QR (QR01)
--
-- Loading runs with session_replication_role = replica: enforcing and foreign-key
-- triggers do not fire (the defects above would be rejected, and 25M foreign-key
-- checks would dominate the run).  Balances of the dedicated accounts are computed
-- at the end; contractors' top-ups keep every running balance non-negative.

CREATE SCHEMA IF NOT EXISTS wc_bench;

-- Uniform [0,1) number from a key and a salt: order-independent and repeatable.
CREATE OR REPLACE FUNCTION wc_bench.h(k bigint, salt bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (pg_catalog.hashint8extended(k, salt) & 16777215)::float8 / 16777216 $$;

-- Appends the GB 11643 check character to 17 digits.
CREATE OR REPLACE FUNCTION wc_bench.rid(body text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT body || substr('10X98765432', (SELECT sum(substr(body, i::int, 1)::int * w)::int
                                                  FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[])
                                                       WITH ORDINALITY AS t(w, i)) % 11 + 1, 1) $$;

-- Appends the GB 32100 check character to 17 characters.
CREATE OR REPLACE FUNCTION wc_bench.ccode(body text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT body || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                   (31 - (SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(body, i::int, 1)) - 1) * w)::int
                            FROM unnest('{1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28}'::int[])
                                 WITH ORDINALITY AS t(w, i)) % 31) % 31 + 1, 1) $$;

-- Appends the Luhn check digit.
CREATE OR REPLACE FUNCTION wc_bench.luhn(body text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT body || ((10 - (SELECT sum(CASE WHEN (length(body) - i) % 2 = 0
                                                 THEN (2 * d) - CASE WHEN d > 4 THEN 9 ELSE 0 END ELSE d END)::int
                                  FROM (SELECT substr(body, i::int, 1)::int, i
                                          FROM generate_series(1, length(body)) i) s(d, i)) % 10) % 10)::text $$;

-- Money from a [0,1) number: lo + (hi - lo) * u, rounded to the yuan.
CREATE OR REPLACE FUNCTION wc_bench.yuan(u float8, lo numeric, hi numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT round(lo + (hi - lo) * u::numeric) $$;

CREATE OR REPLACE PROCEDURE wc_bench.gen_city(scale numeric DEFAULT 1, seed bigint DEFAULT 20240101,
                                             year int DEFAULT 2024)
LANGUAGE plpgsql
SET search_path = pg_catalog, wagecheck, wc_bench
AS $proc$
DECLARE
    n_proj   int := greatest(10, round(2000 * scale)::int);
    n_work   int := greatest(100, round(100000 * scale)::int);
    n_owner  int := greatest(5, round(600 * scale)::int);
    n_gc     int := greatest(5, round(300 * scale)::int);
    n_sub    int := greatest(10, round(800 * scale)::int);
    y0       date := make_date(year, 1, 1);
    sf       date := wagecheck.spring_festival(year);
    t0       timestamptz := clock_timestamp();
    caller_messages text := current_setting('client_min_messages');
    counties text[] := '{371302,371311,371312,371321,371322,371323,371324,371325,371326,371327,371328,371329}';
    sectors  text[] := '{housing,housing,housing,housing,housing,housing,housing,housing,housing,municipal,municipal,municipal,municipal,transport,transport,transport,water,water,development_reform,other}';
BEGIN
    IF n_work > 240000 THEN    -- resident IDs are unique by (county, sequence, 700-day birth band)
        RAISE EXCEPTION 'gen_city: scale % too large', scale USING HINT = 'Use a scale of at most 2.4.';
    END IF;
    SET LOCAL session_replication_role = replica;
    SET LOCAL synchronous_commit = off;
    SET LOCAL client_min_messages = warning;
    DROP TABLE IF EXISTS g_proj, g_eng, g_wm, g_line, g_pay;
    PERFORM set_config('client_min_messages', caller_messages, true);   -- the caller's level again
    RAISE NOTICE 'gen_city: scale %, seed %, year %: % projects, % workers', scale, seed, year, n_proj, n_work;
    TRUNCATE wagecheck.wage_payment, wagecheck.pay_line, wagecheck.pay_sheet, wagecheck.account_txn,
             wagecheck.wage_account, wagecheck.labour_cost_schedule, wagecheck.attendance, wagecheck.roster,
             wagecheck.guarantee_deposit, wagecheck.subcontract, wagecheck.worker, wagecheck.project,
             wagecheck.enterprise, wagecheck.violation CASCADE;   -- and what references them (cases, ...)

    -- enterprises: owners, general contractors, labour companies
    INSERT INTO wagecheck.enterprise (enterprise_id, credit_code, name, role, legal_rep, division, created_at)
    SELECT e, wc_bench.ccode('91' || counties[1 + (e % 12)] || lpad((7000000 + e)::text, 9, '0')),
           CASE WHEN e <= n_owner THEN '临沂建设业主' || e || '号'
                WHEN e <= n_owner + n_gc THEN '临沂建工总承包' || e || '号'
                ELSE '临沂劳务' || e || '号' END,
           CASE WHEN e <= n_owner THEN 'owner' WHEN e <= n_owner + n_gc THEN 'general_contractor'
                ELSE 'labour_company' END,
           '法人' || e, counties[1 + (e % 12)]::division_code, y0 - 400 + (e % 300)
      FROM generate_series(1, n_owner + n_gc + n_sub) e;

    -- projects: county, sector, funding, months active in the year
    CREATE TEMP TABLE g_proj AS
    SELECT p,
           counties[1 + floor(h(p, seed + 1) * 12)::int] AS division,
           sectors[1 + floor(h(p, seed + 2) * 20)::int] AS sector,
           CASE WHEN h(p, seed + 3) < 0.30 THEN 'government' WHEN h(p, seed + 3) < 0.55 THEN 'soe' ELSE 'other' END AS funding,
           1 + floor(h(p, seed + 4) * n_owner)::int AS owner_id,
           n_owner + 1 + floor(h(p, seed + 5) * n_gc)::int AS gc_id,
           CASE WHEN h(p, seed + 6) < 0.7 THEN 1 ELSE 1 + floor(h(p, seed + 7) * 6)::int END AS m0,
           CASE WHEN h(p, seed + 8) < 0.8 THEN 12 ELSE 9 + floor(h(p, seed + 9) * 4)::int END AS m1,
           1 + floor(h(p, seed + 10) * 3)::int AS n_subs,
           10 + h(p, seed + 11) * 90 AS weight,
           h(p, seed + 12) < 0.06 AS arrears,
           1 + floor(h(p, seed + 13) * 9)::int AS arrears_m0,
           1 + floor(h(p, seed + 14) * 4)::int AS arrears_len,
           h(p, seed + 15) < 0.10 AS lc_late,
           h(p, seed + 16) < 0.04 AS lc_short,
           h(p, seed + 17) < 0.01 AS lc_stop,
           CASE WHEN h(p, seed + 18) < 0.02 THEN 1 + floor(h(p, seed + 19) * 11)::int END AS no_sheet_month,
           h(p, seed + 20) < 0.03 AS no_account,
           h(p, seed + 21) < 0.05 AS account_late,
           h(p, seed + 22) < 0.10 AS no_deposit
      FROM generate_series(1, n_proj) p;

    INSERT INTO wagecheck.project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                                   contract_value, contract_signed_on, labour_share, start_on, planned_end_on,
                                   status, notice_board_on, complaint_qr, enforcement_mode, created_at)
    SELECT p, 'LY' || year || lpad(p::text, 5, '0'), '临沂项目' || p || '号', division::division_code, sector, funding,
           owner_id, gc_id, wc_bench.yuan(h(p, seed + 30), 3e6, 3e8),
           make_date(year, m0, 1) - 30 - (p % 60), 0.20,
           make_date(year, m0, 1), make_date(year + 1, 6, 30),
           'under_construction',
           CASE WHEN h(p, seed + 31) >= 0.05 THEN make_date(year, m0, 1) + (p % 5) END,
           CASE WHEN h(p, seed + 32) >= 0.03 THEN 'https://12333.linyi.example/qr/' || p END,
           CASE WHEN h(p, seed + 33) < 0.3 THEN 'alert' ELSE 'reject' END,
           make_date(year, m0, 1) - 30 - (p % 60)
      FROM g_proj;

    -- labour subcontracts: 1-3 labour companies per project
    INSERT INTO wagecheck.subcontract (project_id, contractor_id, subcontractor_id, kind, value, signed_on, created_at)
    SELECT p, gc_id, n_owner + n_gc + 1 + ((p * 7 + j * 131) % n_sub), 'labour',
           wc_bench.yuan(h(p * 4 + j, seed + 40), 1e6, 2e7), make_date(year, m0, 1) - 20, make_date(year, m0, 1) - 20
      FROM g_proj, generate_series(0, n_subs - 1) j ORDER BY p, j;

    -- workers: valid resident IDs (born 1965-2003 in a Linyi county), wage cards (Luhn)
    INSERT INTO wagecheck.worker (worker_id, resident_id, name, phone, wage_card, card_bank, registered_at)
    SELECT w,
           wc_bench.rid(counties[1 + (w % 12)] ||
                        -- (county, sequence, birth-date band) = (w % 12, w / 12 % 1000, w / 12000): unique
                        to_char(date '1965-01-01' + (w / 12000) * 700 + floor(h(w, seed + 50) * 700)::int,
                                'YYYYMMDD') ||
                        lpad(((w / 12) % 1000)::text, 3, '0'))::resident_id,
           '工人' || w, '13' || lpad((w * 7919 % 1000000000)::text, 9, '0'),
           wc_bench.luhn('621700' || lpad(w::text, 12, '0'))::bank_card,
           '中国建设银行临沂分行', y0 - 60 + (w % 50)
      FROM generate_series(1, n_work) w;
    RAISE NOTICE 'gen_city: % enterprises, % projects, % workers in %', n_owner + n_gc + n_sub, n_proj, n_work,
        clock_timestamp() - t0;

    -- engagements: projects get consecutive ranges of workers in proportion to their weight;
    -- 20% of workers join late or leave early
    CREATE TEMP TABLE g_eng AS
    WITH c AS (
        SELECT p, sum(weight) OVER (ORDER BY p) AS cum, sum(weight) OVER () AS tot FROM g_proj
    ), r AS (
        SELECT p, floor((cum - g.weight) / tot * n_work)::int + 1 AS w_first, floor(cum / tot * n_work)::int AS w_last
          FROM c JOIN g_proj g USING (p)
    )
    SELECT g.p, w,
           n_owner + n_gc + 1 + ((g.p * 7 + (w % g.n_subs) * 131) % n_sub) AS employer_id,
           greatest(make_date(year, g.m0, 1),
                    CASE WHEN h(w, seed + 60) < 0.1 THEN make_date(year, g.m0, 1) + floor(h(w, seed + 61) * 150)::int
                         ELSE make_date(year, g.m0, 1) END) AS start_on,
           least((make_date(year, g.m1, 1) + interval '1 month - 1 day')::date,
                 CASE WHEN h(w, seed + 62) < 0.1 THEN make_date(year, 12, 31) - floor(h(w, seed + 63) * 150)::int
                      ELSE make_date(year, 12, 31) END) AS end_on,
           wc_bench.yuan(h(w, seed + 64), 180, 420) AS rate,
           h(w, seed + 65) < 0.005 AS no_roster,
           h(w, seed + 66) < 0.02 AS no_contract
      FROM r JOIN g_proj g USING (p), generate_series(r.w_first, r.w_last) w
     WHERE r.w_last >= r.w_first
     ORDER BY g.p, w;	-- attendance below is generated in this order: (project, worker, day)
    DELETE FROM g_eng WHERE end_on < start_on;

    INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, trade, contract_signed_on, wage_basis,
                                  wage_rate, pay_day, pay_month_offset, start_on, end_on, settled_on, created_at)
    SELECT p, w, employer_id, (ARRAY['钢筋工','木工','泥瓦工','架子工','电工','普工'])[1 + w % 6],
           CASE WHEN NOT no_contract THEN start_on - 1 END, 'daily', rate, 15, 1, start_on,
           CASE WHEN end_on < make_date(year, 12, 31) THEN end_on END,
           CASE WHEN end_on < make_date(year, 12, 31) AND h(w, seed + 67) >= 0.1 THEN end_on + 10 END,
           start_on - 1
      FROM g_eng WHERE NOT no_roster ORDER BY p, w;

    -- daily attendance: Monday-Saturday, not in the Spring Festival break, 12% absence
    INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours, created_at)
    SELECT e.p, e.w, d::date, 8 + floor(h(e.w * 1000 + (d::date - y0), seed + 70) * 4)::int,
           d + interval '18 hours'
      FROM g_eng e, generate_series(e.start_on, e.end_on, interval '1 day') d
     WHERE extract(isodow FROM d) < 7
       AND NOT (d::date BETWEEN sf - 5 AND sf + 7)
       AND h(e.w * 1000 + (d::date - y0), seed + 71) >= 0.12;
    RAISE NOTICE 'gen_city: rosters and attendance in %', clock_timestamp() - t0;

    -- dedicated accounts (3% missing; 5% opened late)
    INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, account_name, opened_on,
                                        registered_on, created_at)
    SELECT p, p, '中国建设银行临沂分行', '3705016' || lpad(p::text, 12, '0'), '临沂项目' || p || '号农民工工资专用账户',
           make_date(year, m0, 1) - 30 - (p % 60) + CASE WHEN account_late THEN 45 ELSE 10 END,
           make_date(year, m0, 1) - 30 - (p % 60) + CASE WHEN account_late THEN 50 ELSE 15 END,
           make_date(year, m0, 1) - 30 - (p % 60) + CASE WHEN account_late THEN 45 ELSE 10 END
      FROM g_proj WHERE NOT no_account;

    -- guarantee deposits: 2% of contract value, a fifth as bank letters (10% missing)
    INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, bank, deposited_on, expires_on, created_at)
    SELECT g.p, CASE WHEN g.p % 5 = 0 THEN 'bank_letter' ELSE 'cash' END, round(pr.contract_value * 0.02, 2),
           '中国建设银行临沂分行', pr.contract_signed_on + 20, pr.contract_signed_on + 750, pr.contract_signed_on + 20
      FROM g_proj g JOIN wagecheck.project pr ON pr.project_id = g.p WHERE NOT g.no_deposit ORDER BY g.p;

    -- worker-months: days attended, payable
    CREATE TEMP TABLE g_wm AS
    SELECT a.project_id AS p, a.worker_id AS w, date_trunc('month', a.day)::date AS period, count(*) AS days
      FROM wagecheck.attendance a GROUP BY 1, 2, 3;

    -- pay sheets per project, employer and month (2% of projects skip one month)
    INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
    SELECT row_number() OVER (ORDER BY p, period, employer_id), p, employer_id, period,
           (period + interval '1 month 4 days')::date, period + interval '1 month 4 days 10 hours'
      FROM (SELECT DISTINCT wm.p, e.employer_id, wm.period
              FROM g_wm wm JOIN g_eng e ON e.p = wm.p AND e.w = wm.w JOIN g_proj g ON g.p = wm.p
             WHERE g.no_sheet_month IS DISTINCT FROM extract(month FROM wm.period)::int
               AND wm.period < make_date(year, 12, 1)) s;	-- December is paid next year

    -- pay lines: days x daily rate; 1% of worker-months left off the sheet
    CREATE TEMP TABLE g_line AS
    SELECT row_number() OVER (ORDER BY s.sheet_id, wm.w) AS line_id, s.sheet_id, wm.p, wm.w, wm.period, wm.days,
           wm.days * e.rate AS payable,
           CASE WHEN h(wm.w * 100 + extract(month FROM wm.period)::int, seed + 80) < 0.05 THEN 50 ELSE 0 END AS deductions,
           g.arrears AND extract(month FROM wm.period)::int BETWEEN g.arrears_m0 AND g.arrears_m0 + g.arrears_len - 1
                     AND h(wm.w, seed + 81) < 0.6 AS in_arrears
      FROM g_wm wm
      JOIN g_eng e ON e.p = wm.p AND e.w = wm.w
      JOIN g_proj g ON g.p = wm.p
      JOIN wagecheck.pay_sheet s ON s.project_id = wm.p AND s.employer_id = e.employer_id AND s.period = wm.period
     WHERE h(wm.w * 100 + extract(month FROM wm.period)::int, seed + 82) >= 0.01;

    INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, signed_on, created_at)
    SELECT line_id, sheet_id, w, days, payable, deductions, payable - deductions,
           (period + interval '1 month 6 days')::date, period + interval '1 month 4 days 11 hours'
      FROM g_line ORDER BY line_id;
    RAISE NOTICE 'gen_city: pay sheets and lines in %', clock_timestamp() - t0;

    -- payments on the 15th of the next month (4% late by 5-40 days); in arrears: half paid,
    -- or nothing (a third of them); 0.2% in cash, 0.1% to another card
    CREATE TEMP TABLE g_pay AS
    SELECT l.line_id, l.p, l.w,
           CASE WHEN l.in_arrears AND h(l.line_id, seed + 90) < 0.33 THEN 0
                WHEN l.in_arrears THEN round((l.payable - l.deductions) / 2, 2)
                ELSE l.payable - l.deductions END AS amount,
           (l.period + interval '1 month 14 days 9 hours')
             + CASE WHEN h(l.line_id, seed + 91) < 0.04 THEN (5 + floor(h(l.line_id, seed + 92) * 36)::int) * interval '1 day'
                    ELSE interval '0' END AS paid_at,
           CASE WHEN h(l.line_id, seed + 93) < 0.002 THEN 'cash'
                WHEN h(l.line_id, seed + 93) < 0.003 THEN 'other_card' ELSE 'account' END AS method
      FROM g_line l;
    DELETE FROM g_pay WHERE amount <= 0;
    -- in arrears months nothing is paid before the pay day; the late 4% stay late
    INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                       purpose, booked_at, bank_ref, created_at)
    SELECT pay.line_id, a.account_id, 'out', pay.amount,
           CASE WHEN pay.method = 'other_card' THEN wc_bench.luhn('622848' || lpad((pay.w + 7)::text, 12, '0'))
                ELSE wk.wage_card::text END,
           wk.name, 'wage', pay.paid_at, 'W' || pay.line_id, pay.paid_at
      FROM g_pay pay JOIN wagecheck.wage_account a ON a.project_id = pay.p
      JOIN wagecheck.worker wk ON wk.worker_id = pay.w
     WHERE pay.method <> 'cash'
     ORDER BY pay.line_id;
    INSERT INTO wagecheck.wage_payment (payment_id, line_id, txn_id, amount, paid_at, method, card, created_at)
    SELECT pay.line_id, pay.line_id, t.txn_id, pay.amount, pay.paid_at,
           CASE WHEN pay.method = 'cash' THEN 'cash' WHEN t.txn_id IS NULL THEN 'other_account' ELSE 'account' END,
           CASE WHEN pay.method <> 'cash' THEN coalesce(t.counterparty_account, wk.wage_card::text)::bank_card END,
           pay.paid_at
      FROM g_pay pay JOIN wagecheck.worker wk ON wk.worker_id = pay.w
      LEFT JOIN wagecheck.account_txn t ON t.txn_id = pay.line_id
     ORDER BY pay.line_id;
    RAISE NOTICE 'gen_city: payments in %', clock_timestamp() - t0;

    -- labour-cost schedule: each month's payable plus 5%, due on the 10th of the next month
    INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on, created_at)
    SELECT wm.p, wm.period, round(sum(wm.days * e.rate) * 1.05, 2), (wm.period + interval '1 month 9 days')::date,
           wm.period - 20
      FROM g_wm wm JOIN g_eng e ON e.p = wm.p AND e.w = wm.w
     GROUP BY wm.p, wm.period;

    -- the owner's labour-cost payments: 0-5 days early; late, short or stopped for some projects
    INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                       purpose, booked_at, bank_ref, created_at)
    SELECT 500000000 + row_number() OVER (ORDER BY s.project_id, s.period), a.account_id, 'in',
           CASE WHEN g.lc_short THEN round(s.amount_due * 0.8, 2) ELSE s.amount_due END,
           '3705010' || lpad(g.owner_id::text, 12, '0'), '临沂建设业主' || g.owner_id || '号', 'labour_cost',
           ts, 'L' || s.project_id || '-' || to_char(s.period, 'YYYYMM'), ts
      FROM wagecheck.labour_cost_schedule s
      JOIN g_proj g ON g.p = s.project_id
      JOIN wagecheck.wage_account a ON a.project_id = s.project_id
      CROSS JOIN LATERAL (SELECT s.due_on + interval '10 hours'
                                 + CASE WHEN g.lc_late THEN (5 + floor(h(s.project_id * 100 + extract(month FROM s.period)::int, seed + 100) * 56)::int)
                                        ELSE -floor(h(s.project_id * 100 + extract(month FROM s.period)::int, seed + 101) * 6)::int END
                                   * interval '1 day') AS x(ts)
     WHERE s.amount_due > 0
       AND NOT (g.lc_stop AND s.period >= make_date(year, 9, 1));

    -- contractors' top-ups so that no running balance goes below zero; then the balances
    INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, counterparty_name,
                                       purpose, booked_at, bank_ref, created_at)
    SELECT 900000000 + account_id, account_id, 'in', -low, '3705020' || lpad(account_id::text, 12, '0'),
           '总承包垫付', 'top_up', opened_on + interval '9 hours', 'T' || account_id, opened_on + interval '9 hours'
      FROM (SELECT account_id, opened_on, min(running) AS low
              FROM (SELECT t.account_id, a.opened_on,
                           sum(CASE WHEN t.direction = 'in' THEN t.amount ELSE -t.amount END)
                             OVER (PARTITION BY t.account_id ORDER BY t.booked_at, t.txn_id) AS running
                      FROM wagecheck.account_txn t JOIN wagecheck.wage_account a USING (account_id)) r
             GROUP BY account_id, opened_on) x
     WHERE low < 0;
    UPDATE wagecheck.wage_account a SET balance = b.bal
      FROM (SELECT account_id, sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) AS bal
              FROM wagecheck.account_txn GROUP BY account_id) b
     WHERE b.account_id = a.account_id;

    -- identity sequences continue after the generated ids
    PERFORM setval(pg_get_serial_sequence('wagecheck.' || t, c), greatest(1, m))
       FROM (VALUES ('enterprise', 'enterprise_id', (SELECT max(enterprise_id) FROM wagecheck.enterprise)),
                    ('project', 'project_id', (SELECT max(project_id) FROM wagecheck.project)),
                    ('subcontract', 'subcontract_id', (SELECT max(subcontract_id) FROM wagecheck.subcontract)),
                    ('worker', 'worker_id', (SELECT max(worker_id) FROM wagecheck.worker)),
                    ('roster', 'roster_id', (SELECT max(roster_id) FROM wagecheck.roster)),
                    ('wage_account', 'account_id', (SELECT max(account_id) FROM wagecheck.wage_account)),
                    ('account_txn', 'txn_id', (SELECT max(txn_id) FROM wagecheck.account_txn)),
                    ('pay_sheet', 'sheet_id', (SELECT max(sheet_id) FROM wagecheck.pay_sheet)),
                    ('pay_line', 'line_id', (SELECT max(line_id) FROM wagecheck.pay_line)),
                    ('wage_payment', 'payment_id', (SELECT max(payment_id) FROM wagecheck.wage_payment)),
                    ('guarantee_deposit', 'deposit_id', (SELECT max(deposit_id) FROM wagecheck.guarantee_deposit)))
            v(t, c, m);
    DROP TABLE g_proj, g_eng, g_wm, g_line, g_pay;
    ANALYZE wagecheck.enterprise, wagecheck.project, wagecheck.subcontract, wagecheck.worker, wagecheck.roster,
            wagecheck.attendance, wagecheck.wage_account, wagecheck.account_txn, wagecheck.labour_cost_schedule,
            wagecheck.pay_sheet, wagecheck.pay_line, wagecheck.wage_payment, wagecheck.guarantee_deposit;
    RAISE NOTICE 'gen_city: done in %', clock_timestamp() - t0;
END
$proc$;
COMMENT ON PROCEDURE wc_bench.gen_city(numeric, bigint, int) IS
    'benchmark data: a deterministic city-year (2,000 projects, 100,000 workers at scale 1) with realistic defects; replaces all wagecheck domain data';
