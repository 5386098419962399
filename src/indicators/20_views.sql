-- Indicator views for BI tools: one row per project and month, and the same figures
-- rolled up by county, city, sector regulator and funding type.
--
-- Stable contract: columns are only ever added at the end, never renamed or retyped (0.2.0
-- retyped codes to text and summed counts to bigint once, for BI clients: JDBC and ODBC
-- map neither wagecheck's types nor numeric counts to what BI tools expect).
-- Figures are "as known now": wages owed count every payment recorded so far; the
-- labour-cost columns are as of the end of the month (or today, for the current month).
-- The views hold no personal data and run with their owner's rights: an analyst or an
-- officer reads them without rights on the tables they aggregate (account movements,
-- payments, workers' cards). project_month_indicators applies its caller's scope itself,
-- project by project (wagecheck.project_in_scope, the test the policies of the alerts use;
-- current_user is the caller's role inside a view), and is a security_barrier view, so a
-- caller's own conditions never run on the rows of projects outside his scope; the
-- roll-ups read it, and so see what their caller may see.
--
-- They read the summaries kept at write time (src/alerts/once/45_summaries.sql), never the
-- raw rows of attendance, pay lines and payments: wage_month (one row per project, worker
-- and month with a line on the month's pay sheets: payable and net of the lines in force,
-- every payment against the month's lines), attendance_project_month (workers attended),
-- attendance_unpaid (attendees without a line), payment_off_card (payments not through the
-- dedicated account into the worker's own card); the months owed are wage_month's unsettled
-- rows (net above paid, through their partial index), few. The small tables (schedule,
-- labour-cost inflows through their partial index, deposits, roster) are read as they are.
-- Each measure is a subquery grouped by project and month and joined on both: a month, county
-- or sector asked for reaches each of them, and a measure no column asked for is not computed.
-- wage_month's rows are summed by one C aggregate (wage_month_agg: one call per row, exact in
-- cents, hashed); the measures over time are computed once per project and looked up for each
-- month with width_bucket: the roster's size from each month it changes (roster_months_agg),
-- the labour cost due and paid in by each day a due or a payment falls on (arrays of running
-- sums). Those carry county and sector too, so that a slice of either reaches them.
-- test/bench/bi_plain.sql is the same figures in plain SQL over the raw rows
-- (bench_bi.sh compares them; sql/indicators_views.sql too, on corrections and every kind of
-- payment).

-- Months a project has any activity in, with the figures of every indicator.
CREATE OR REPLACE VIEW wagecheck.project_month_indicators WITH (security_barrier = true) AS
WITH proj AS NOT MATERIALIZED ( -- what a slice names: each measure below carries county and sector
    SELECT p.project_id, wagecheck.county(p.division)::text AS county, p.sector FROM wagecheck.project p
), months AS NOT MATERIALIZED ( -- attendance, a line on the pay sheets, a labour-cost period or due date
    SELECT a.project_id, a.period FROM wagecheck.attendance_project_month a WHERE a.workers > 0
    UNION                       -- months with pay sheets and no attendance (few) that have a line
    SELECT s.project_id, s.period FROM wagecheck.pay_sheet s
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.attendance_project_month a
                        WHERE a.project_id = s.project_id AND a.period = s.period AND a.workers > 0)
       AND EXISTS (SELECT 1 FROM wagecheck.wage_month w WHERE w.project_id = s.project_id AND w.period = s.period)
    UNION
    SELECT s.project_id, s.period FROM wagecheck.labour_cost_schedule s
    UNION                       -- the month a period's labour cost falls due
    SELECT s.project_id, date_trunc('month', s.due_on::timestamp)::date FROM wagecheck.labour_cost_schedule s
), wages AS (                   -- the month's pay sheets, worker by worker (wage_month), summed in one
    -- call per row (wage_month_agg: payable, net, paid, owed, workers owed, on the sheets, paid, payments)
    SELECT pr.project_id, w.period, wagecheck.county(pr.division)::text AS county, pr.sector,
           wagecheck.wage_month_agg(w.payable, w.net, w.paid, cardinality(w.paid_each)) AS s
      FROM wagecheck.wage_month w
      JOIN wagecheck.project pr ON pr.project_id = w.project_id
     GROUP BY pr.project_id, w.period
), unpaid_attended AS (         -- on the month's pay sheets, paid nothing yet, and attended (few)
    SELECT pr.project_id, w.period, wagecheck.county(pr.division)::text AS county, pr.sector, count(*) AS workers
      FROM wagecheck.wage_month w
      JOIN wagecheck.project pr ON pr.project_id = w.project_id
     WHERE cardinality(w.paid_each) = 0
       AND EXISTS (SELECT 1 FROM wagecheck.attendance_month a
                    WHERE a.project_id = w.project_id AND a.worker_id = w.worker_id AND a.period = w.period)
     GROUP BY pr.project_id, w.period
), owed_run AS (                -- runs of consecutive months owed, from the months owed only
    SELECT o.project_id, o.period, max(o.run) AS longest_owed_run
      FROM (SELECT i.project_id, i.period,
                   row_number() OVER (PARTITION BY i.project_id, i.worker_id, i.island ORDER BY i.period) AS run
              FROM (SELECT u.project_id, u.worker_id, u.period,
                           (extract(year FROM u.period) * 12 + extract(month FROM u.period))::int
                           - row_number() OVER (PARTITION BY u.project_id, u.worker_id ORDER BY u.period) AS island
                      FROM wagecheck.wage_month u WHERE u.settled_at IS NULL) i) o
     GROUP BY o.project_id, o.period
), oldest AS (                  -- oldest month owed, up to the month, to a worker on its pay sheets
    SELECT w.project_id, w.period, min(f.first_owed) AS oldest_unpaid_period
      FROM (SELECT u.project_id, u.worker_id, min(u.period) AS first_owed
              FROM wagecheck.wage_month u WHERE u.settled_at IS NULL
             GROUP BY u.project_id, u.worker_id) f
      JOIN wagecheck.wage_month w ON w.project_id = f.project_id AND w.worker_id = f.worker_id
                                 AND w.period >= f.first_owed
     GROUP BY w.project_id, w.period
), not_on_payroll AS (          -- attendees without a line on the month's pay sheets
    SELECT u.project_id, u.period, count(*) AS workers FROM wagecheck.attendance_unpaid u
     GROUP BY u.project_id, u.period
), off_card AS (                -- payments not through the account into the worker's own card
    SELECT c.project_id, c.period, count(*) AS payments FROM wagecheck.payment_off_card c
     GROUP BY c.project_id, c.period
), rostered AS (                -- workers on the roster per project, from each month the number changes
    SELECT pr.project_id, pr.county, pr.sector,
           wagecheck.roster_months_agg(r.worker_id, r.start_on, r.end_on, CURRENT_DATE) AS sizes
      FROM wagecheck.roster r
      JOIN proj pr ON pr.project_id = r.project_id
     GROUP BY pr.project_id, pr.county, pr.sector
), not_rostered AS (            -- attendees with no roster entry in force during the month
    SELECT pr.project_id, a.period, wagecheck.county(pr.division)::text AS county, pr.sector, count(*) AS workers
      FROM wagecheck.attendance_month a
      JOIN wagecheck.project pr ON pr.project_id = a.project_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = a.project_id AND r.worker_id = a.worker_id
                          AND date_trunc('month', r.start_on::timestamp) <= a.period
                          AND date_trunc('month', least(coalesce(r.end_on, CURRENT_DATE), CURRENT_DATE)::timestamp) >= a.period)
     GROUP BY pr.project_id, a.period
), labour AS (                  -- per project, the days a due or a payment falls on (ascending) and the labour
    -- cost due and paid in by each: a month's figures are those of the last day up to its as-of day
    SELECT c.project_id, c.county, c.sector, array_agg(c.day ORDER BY c.day) AS days,
           array_agg(c.due ORDER BY c.day) AS due, array_agg(c.paid ORDER BY c.day) AS paid
      FROM (SELECT d.project_id, d.county, d.sector, d.day, sum(d.due) OVER k AS due, sum(d.paid) OVER k AS paid
      FROM (SELECT e.project_id, e.county, e.sector, e.day, sum(e.due) AS due, sum(e.paid) AS paid
              FROM (SELECT s.project_id, pr.county, pr.sector, s.due_on AS day, s.amount_due AS due, 0.00 AS paid
                      FROM wagecheck.labour_cost_schedule s
                      JOIN proj pr ON pr.project_id = s.project_id
                    UNION ALL       -- the owner's payments in
                    SELECT a.project_id, pr.county, pr.sector, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date,
                           0.00, t.amount
                      FROM wagecheck.account_txn t
                      JOIN wagecheck.wage_account a ON a.account_id = t.account_id
                      JOIN proj pr ON pr.project_id = a.project_id
                     WHERE t.direction = 'in' AND t.purpose = 'labour_cost') e
             GROUP BY e.project_id, e.county, e.sector, e.day) d
    WINDOW k AS (PARTITION BY d.project_id, d.county, d.sector ORDER BY d.day)) c
     GROUP BY c.project_id, c.county, c.sector
)
SELECT p.project_id, p.code AS project_code, p.name AS project_name,
       p.division::text AS division, wagecheck.county(p.division)::text AS county,
       wagecheck.city(p.division)::text AS city,
       p.sector, p.funding, m.period,
       s.amount_due AS labour_cost_due_month,
       coalesce(lc.due, 0.00) AS labour_cost_due,
       coalesce(lc.paid, 0.00) AS labour_cost_paid,
       coalesce(greatest(lc.due - lc.paid, 0.00), 0.00) AS labour_cost_shortfall,
       CASE WHEN lc.due > lc.paid        -- payments settle the oldest dues first: the oldest left uncovered
            THEN m.as_of - (SELECT min(c.day)
                              FROM (SELECT d.due_on AS day,
                                           sum(d.amount_due) OVER (ORDER BY d.due_on) AS due_by
                                      FROM wagecheck.labour_cost_schedule d
                                     WHERE d.project_id = m.project_id) c
                             WHERE c.day <= m.as_of AND c.due_by > lc.paid)
            ELSE 0 END AS labour_cost_days_overdue,
       coalesce((w.s).payable, 0.00) AS wages_payable,
       coalesce((w.s).net, 0.00) AS wages_net,
       coalesce((w.s).paid, 0.00) AS wages_paid,
       coalesce((w.s).owed, 0.00) AS wages_owed,
       coalesce((w.s).workers_owed, 0) AS workers_owed,
       coalesce(r.longest_owed_run, 0)::int AS longest_owed_run,
       o.oldest_unpaid_period,
       CASE WHEN o.oldest_unpaid_period IS NOT NULL
            THEN ((extract(year FROM m.period) - extract(year FROM o.oldest_unpaid_period)) * 12
                  + extract(month FROM m.period) - extract(month FROM o.oldest_unpaid_period))::int
       END AS oldest_unpaid_age_months,
       coalesce((ro.sizes).workers[width_bucket(m.period, (ro.sizes).months)], 0)::bigint AS roster_size,
       coalesce(a.workers, 0)::bigint AS workers_attended,
       coalesce((w.s).workers, 0)::bigint AS workers_on_payroll,
       coalesce((w.s).workers_paid, 0)::bigint AS workers_paid,
       (coalesce(a.workers, 0) - coalesce(np.workers, 0) - coalesce(ua.workers, 0))::bigint AS attendees_paid,
       coalesce(np.workers, 0)::bigint AS attendees_not_on_payroll,
       coalesce(nr.workers, 0)::bigint AS attendees_not_rostered,
       round((coalesce(a.workers, 0) - coalesce(np.workers, 0) - coalesce(ua.workers, 0))::numeric
             / nullif(a.workers, 0), 4) AS share_attendees_paid,
       coalesce((w.s).payments, 0)::bigint AS payments,
       (coalesce((w.s).payments, 0) - coalesce(oc.payments, 0))::bigint AS payments_own_card_via_account,
       round(((w.s).payments - coalesce(oc.payments, 0))::numeric / nullif((w.s).payments, 0), 4)
           AS share_payments_own_card_via_account,
       round(coalesce(p.contract_value, 0) * coalesce(pg_catalog.current_setting('wagecheck.deposit_rate', true), '0.02')::numeric, 2)
           AS deposit_required,
       coalesce((SELECT sum(d.amount) FROM wagecheck.guarantee_deposit d
                  WHERE d.project_id = p.project_id
                    AND d.deposited_on <= (m.period + interval '1 month - 1 day')::date
                    AND (d.returned_on IS NULL OR d.returned_on > (m.period + interval '1 month - 1 day')::date)
                    AND (d.expires_on IS NULL OR d.expires_on >= (m.period + interval '1 month - 1 day')::date)),
                0.00) AS deposit_in_place,
       dc.name AS county_name, dt.name AS city_name,
       wagecheck.label_zh('sector', p.sector) AS sector_zh, wagecheck.label_zh('funding', p.funding) AS funding_zh
  FROM (SELECT mm.project_id, mm.period,   -- labour cost counts as of the month's end, or today
               least((mm.period + interval '1 month - 1 day')::date, CURRENT_DATE) AS as_of
          FROM months mm) m
  JOIN wagecheck.project p ON p.project_id = m.project_id
  LEFT JOIN wagecheck.division dc ON dc.code = wagecheck.division_key(wagecheck.county(p.division))
  LEFT JOIN wagecheck.division dt ON dt.code = wagecheck.division_key(wagecheck.city(p.division))
  LEFT JOIN wagecheck.labour_cost_schedule s ON s.project_id = m.project_id AND s.period = m.period
  -- the measures whose tables are large carry county and sector: a slice of either reaches them
  LEFT JOIN labour l ON l.project_id = m.project_id
                    AND l.county = wagecheck.county(p.division)::text AND l.sector = p.sector
  LEFT JOIN LATERAL (SELECT l.due[b.k] AS due, l.paid[b.k] AS paid   -- as of the month's as-of day
                       FROM (SELECT width_bucket(m.as_of, l.days)) b(k)) lc ON true
  LEFT JOIN wages w ON w.project_id = m.project_id AND w.period = m.period
                   AND w.county = wagecheck.county(p.division)::text AND w.sector = p.sector
  LEFT JOIN unpaid_attended ua ON ua.project_id = m.project_id AND ua.period = m.period
                              AND ua.county = wagecheck.county(p.division)::text AND ua.sector = p.sector
  LEFT JOIN owed_run r ON r.project_id = m.project_id AND r.period = m.period
  LEFT JOIN oldest o ON o.project_id = m.project_id AND o.period = m.period
  LEFT JOIN wagecheck.attendance_project_month a ON a.project_id = m.project_id AND a.period = m.period
  LEFT JOIN not_on_payroll np ON np.project_id = m.project_id AND np.period = m.period
  LEFT JOIN off_card oc ON oc.project_id = m.project_id AND oc.period = m.period
  LEFT JOIN rostered ro ON ro.project_id = m.project_id
                       AND ro.county = wagecheck.county(p.division)::text AND ro.sector = p.sector
  LEFT JOIN not_rostered nr ON nr.project_id = m.project_id AND nr.period = m.period
                           AND nr.county = wagecheck.county(p.division)::text AND nr.sector = p.sector
 WHERE wagecheck.sees_everything() OR wagecheck.project_in_scope(p.project_id);

COMMENT ON VIEW wagecheck.project_month_indicators IS 'arrears indicators per project and month (months with attendance, a pay sheet, a payment, a labour-cost period or a labour-cost due date): labour cost, wages owed, runs of months owed, roster/attendance/payroll coverage, payments through the dedicated account, guarantee deposit; of the projects within the caller''s scope (project_in_scope)';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_id IS 'project';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_code IS 'project code';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_name IS 'project name';
COMMENT ON COLUMN wagecheck.project_month_indicators.division IS 'division code of the site (6 digits, as text)';
COMMENT ON COLUMN wagecheck.project_month_indicators.county IS 'county-level division (县区) of the site (code as text)';
COMMENT ON COLUMN wagecheck.project_month_indicators.city IS 'city-level division (市) of the site (code as text, e.g. 371300)';
COMMENT ON COLUMN wagecheck.project_month_indicators.sector IS 'sector regulator (行业主管部门)';
COMMENT ON COLUMN wagecheck.project_month_indicators.funding IS 'funding type: government, soe, other';
COMMENT ON COLUMN wagecheck.project_month_indicators.period IS 'month (first day)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due_month IS 'labour cost scheduled for this period (NULL: no schedule row)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_due IS 'labour cost due on or before the end of the month (or today), all periods';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_paid IS 'labour cost paid into the dedicated account by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_shortfall IS 'labour cost due and not covered by then, oldest dues settled first (AC02)';
COMMENT ON COLUMN wagecheck.project_month_indicators.labour_cost_days_overdue IS 'days the oldest uncovered due had been overdue by then';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_payable IS 'wages payable on this month''s pay sheets (corrected lines replaced by their corrections)';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_net IS 'wages to be paid out (实发: payable minus withholdings) on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_paid IS 'payments recorded so far against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.wages_owed IS 'sum over workers of net minus paid where positive (withholdings are not owed)';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_owed IS 'workers with wages owed for this month';
COMMENT ON COLUMN wagecheck.project_month_indicators.longest_owed_run IS 'longest run of consecutive months owed ending with this month, among the project''s workers (WP03)';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_period IS 'oldest month, up to this one, still owed to one of the project''s workers';
COMMENT ON COLUMN wagecheck.project_month_indicators.oldest_unpaid_age_months IS 'months from oldest_unpaid_period to this month (0: this month)';
COMMENT ON COLUMN wagecheck.project_month_indicators.roster_size IS 'workers on the real-name roster during the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_attended IS 'workers with attendance in the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_on_payroll IS 'workers on this month''s pay sheets';
COMMENT ON COLUMN wagecheck.project_month_indicators.workers_paid IS 'workers with a payment against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_paid IS 'workers who attended and were paid';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_on_payroll IS 'workers who attended but are on no pay sheet of the month (RN04, WP01)';
COMMENT ON COLUMN wagecheck.project_month_indicators.attendees_not_rostered IS 'workers who attended without being on the roster (real-name gap)';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_attendees_paid IS 'attendees_paid / workers_attended (NULL without attendance)';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments IS 'payments against this month''s pay lines';
COMMENT ON COLUMN wagecheck.project_month_indicators.payments_own_card_via_account IS 'of those, made through the dedicated account into the worker''s own registered card';
COMMENT ON COLUMN wagecheck.project_month_indicators.share_payments_own_card_via_account IS 'payments_own_card_via_account / payments (NULL without payments)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_required IS 'guarantee deposit required: contract value times wagecheck.deposit_rate (exemptions not applied)';
COMMENT ON COLUMN wagecheck.project_month_indicators.deposit_in_place IS 'deposits and bank letters in force at the end of the month';
COMMENT ON COLUMN wagecheck.project_month_indicators.county_name IS 'name of the county (GB/T 2260, wagecheck.division)';
COMMENT ON COLUMN wagecheck.project_month_indicators.city_name IS 'name of the city (GB/T 2260, wagecheck.division)';
COMMENT ON COLUMN wagecheck.project_month_indicators.sector_zh IS 'sector in Chinese (label_zh)';
COMMENT ON COLUMN wagecheck.project_month_indicators.funding_zh IS 'funding type in Chinese: 政府投资, 国有企业投资, 其他投资';

-- Roll-ups: one view per dimension, same measures, from one template.  Shares are
-- recomputed from the summed counts (never averaged); maxima stay maxima.
DO $roll$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT * FROM (VALUES
        ('county', 'county (县区, territorial responsibility)', 'county_name'),
        ('city', 'city (市)', 'city_name'),
        ('sector', 'sector regulator (行业主管部门)', 'sector_zh'),
        ('funding', 'funding type (government investment, state-owned enterprise, other)', 'funding_zh'))
          AS v(dim, label, name)
    LOOP
        EXECUTE format($v$
CREATE OR REPLACE VIEW wagecheck.%2$I AS
SELECT %1$I, period, count(*) AS projects,
       sum(labour_cost_due) AS labour_cost_due, sum(labour_cost_paid) AS labour_cost_paid,
       sum(labour_cost_shortfall) AS labour_cost_shortfall,
       count(*) FILTER (WHERE labour_cost_shortfall > 0) AS projects_with_shortfall,
       max(labour_cost_days_overdue) AS max_labour_cost_days_overdue,
       sum(wages_payable) AS wages_payable, sum(wages_paid) AS wages_paid, sum(wages_owed) AS wages_owed,
       sum(workers_owed)::bigint AS workers_owed, count(*) FILTER (WHERE wages_owed > 0) AS projects_owing,
       max(longest_owed_run) AS longest_owed_run, max(oldest_unpaid_age_months) AS oldest_unpaid_age_months,
       sum(roster_size)::bigint AS roster_size, sum(workers_attended)::bigint AS workers_attended,
       sum(workers_paid)::bigint AS workers_paid, sum(attendees_paid)::bigint AS attendees_paid,
       round(sum(attendees_paid)::numeric / nullif(sum(workers_attended), 0), 4) AS share_attendees_paid,
       sum(payments)::bigint AS payments, sum(payments_own_card_via_account)::bigint AS payments_own_card_via_account,
       round(sum(payments_own_card_via_account)::numeric / nullif(sum(payments), 0), 4)
           AS share_payments_own_card_via_account,
       sum(deposit_required) AS deposit_required, sum(deposit_in_place) AS deposit_in_place,
       count(*) FILTER (WHERE deposit_in_place < deposit_required) AS projects_deposit_short,
       min(%3$I) AS %3$I
  FROM wagecheck.project_month_indicators
 GROUP BY %1$I, period
$v$, d.dim, d.dim || '_month_indicators', d.name);
        EXECUTE format('COMMENT ON VIEW wagecheck.%I IS %L', d.dim || '_month_indicators',
                       'project_month_indicators rolled up by ' || d.label || ' and month');
    END LOOP;
END
$roll$;

-- Column comments shared by the four roll-ups.
DO $$
DECLARE
    v text;
    c record;
BEGIN
    FOREACH v IN ARRAY ARRAY['county_month_indicators', 'city_month_indicators',
                             'sector_month_indicators', 'funding_month_indicators'] LOOP
        FOR c IN SELECT * FROM (VALUES
            ('county', 'county-level division (县区), code as text'),
            ('city', 'city-level division (市), code as text'),
            ('county_name', 'name of the county (GB/T 2260, wagecheck.division)'),
            ('city_name', 'name of the city (GB/T 2260, wagecheck.division)'),
            ('sector_zh', 'sector in Chinese (label_zh)'),
            ('funding_zh', 'funding type in Chinese: 政府投资, 国有企业投资, 其他投资'),
            ('sector', 'sector regulator (行业主管部门)'),
            ('funding', 'funding type: government, soe, other'),
            ('period', 'month (first day)'),
            ('projects', 'projects with activity in the month'),
            ('labour_cost_due', 'labour cost due by the end of the month (or today)'),
            ('labour_cost_paid', 'labour cost paid into the dedicated accounts by then'),
            ('labour_cost_shortfall', 'labour cost due and not covered by then'),
            ('projects_with_shortfall', 'projects with a labour-cost shortfall'),
            ('max_labour_cost_days_overdue', 'longest labour-cost delay of any project, in days'),
            ('wages_payable', 'wages payable on the month''s pay sheets'),
            ('wages_paid', 'payments recorded against them so far'),
            ('wages_owed', 'wages owed for the month'),
            ('workers_owed', 'worker-projects owed wages for the month'),
            ('projects_owing', 'projects owing wages for the month'),
            ('longest_owed_run', 'longest run of consecutive months owed to a worker, ending with the month'),
            ('oldest_unpaid_age_months', 'age in months of the oldest month still owed'),
            ('roster_size', 'roster entries active in the month'),
            ('workers_attended', 'worker-projects with attendance'),
            ('workers_paid', 'worker-projects paid for the month'),
            ('attendees_paid', 'worker-projects that attended and were paid'),
            ('share_attendees_paid', 'attendees_paid / workers_attended'),
            ('payments', 'payments against the month''s pay lines'),
            ('payments_own_card_via_account', 'of those, through the dedicated account into the worker''s own card'),
            ('share_payments_own_card_via_account', 'payments_own_card_via_account / payments'),
            ('deposit_required', 'guarantee deposits required (contract value times wagecheck.deposit_rate)'),
            ('deposit_in_place', 'guarantee deposits and bank letters in force at the end of the month'),
            ('projects_deposit_short', 'projects whose deposit in place is below the one required')) d(col, note)
        LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = pg_catalog.format('wagecheck.%I', v)::regclass AND attname = c.col) THEN
                EXECUTE pg_catalog.format('COMMENT ON COLUMN wagecheck.%I.%I IS %L', v, c.col, c.note);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- every role reads the indicators, of the projects in its scope
GRANT SELECT ON wagecheck.project_month_indicators, wagecheck.county_month_indicators,
    wagecheck.city_month_indicators, wagecheck.sector_month_indicators, wagecheck.funding_month_indicators
    TO wagecheck_admin, wagecheck_inspector, wagecheck_sector, wagecheck_county, wagecheck_analyst;
