-- Indicator views for BI tools: one row per project and month, and the same figures
-- rolled up by county, city, sector regulator and funding type.
--
-- Stable contract: columns are only ever added at the end, never renamed or retyped.
-- Figures are "as known now": wages owed count every payment recorded so far; the
-- labour-cost columns are as of the end of the month (or today, for the current month).
-- The views run with the caller's rights (security_invoker), so the row-level security
-- of the base tables decides which projects a county or sector officer sees; they hold
-- no personal data.  security_barrier is not needed: the views filter no rows of their
-- own that a leaky function could reveal, row-level security does that, below them.

-- Months a project has any activity in, with the figures of every indicator.
CREATE OR REPLACE VIEW wagecheck.project_month_indicators WITH (security_invoker = true) AS
WITH current_line AS (          -- pay lines not replaced by a correction
    SELECT l.line_id, l.worker_id, l.payable, l.net, s.project_id, s.period
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id)
), payment AS (
    SELECT cl.project_id, cl.period, cl.worker_id, cl.line_id, p.amount,
           (p.method = 'account' AND p.card IS NOT DISTINCT FROM w.wage_card AND p.card IS NOT NULL) AS own_card_via_account
      FROM wagecheck.wage_payment p
      JOIN current_line cl ON cl.line_id = p.line_id
      JOIN wagecheck.worker w ON w.worker_id = cl.worker_id
), coverage AS (                -- who was rostered, attended, on the pay sheet, paid
    SELECT project_id, period,
           wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) AS c
      FROM (SELECT a.project_id, date_trunc('month', a.day::timestamp)::date AS period, a.worker_id,
                   false AS rostered, true AS attended, false AS on_payroll, false AS paid
              FROM wagecheck.attendance a
            UNION ALL
            SELECT project_id, period, worker_id, false, false, true, false FROM current_line
            UNION ALL
            SELECT project_id, period, worker_id, false, false, false, true FROM payment
            UNION ALL
            SELECT r.project_id, m::date, r.worker_id, true, false, false, false
              FROM wagecheck.roster r,
                   generate_series(date_trunc('month', r.start_on::timestamp),
                                   date_trunc('month', least(coalesce(r.end_on, CURRENT_DATE), CURRENT_DATE)::timestamp),
                                   interval '1 month') m) f
     GROUP BY project_id, period
), worker_month AS (            -- each worker's payable, net (实发) and paid per project-month
    SELECT cl.project_id, cl.period, cl.worker_id, sum(cl.payable) AS payable, sum(cl.net) AS net,
           coalesce(sum(pp.paid), 0) AS paid
      FROM current_line cl
      LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM payment GROUP BY line_id) pp USING (line_id)
     GROUP BY cl.project_id, cl.period, cl.worker_id
), worker_run AS (              -- runs of months owed up to each month, per worker
    SELECT project_id, period, worker_id, payable, net, paid, greatest(net - paid, 0) AS owed,
           wagecheck.owed_agg(period, net, paid)
               OVER (PARTITION BY project_id, worker_id ORDER BY period) AS o
      FROM worker_month
), wages AS (
    SELECT project_id, period, sum(payable) AS payable, sum(net) AS net, sum(paid) AS paid, sum(owed) AS owed,
           count(*) FILTER (WHERE owed > 0) AS workers_owed,
           coalesce(max((o).current_run), 0) AS longest_owed_run,
           min((o).oldest_unpaid) AS oldest_unpaid_period
      FROM worker_run
     GROUP BY project_id, period
), payments AS (
    SELECT project_id, period, count(*) AS payments,
           count(*) FILTER (WHERE own_card_via_account) AS payments_own_card
      FROM payment GROUP BY project_id, period
), months AS (
    SELECT project_id, period FROM coverage
     WHERE (c).attended + (c).on_payroll + (c).paid > 0
    UNION
    SELECT project_id, period FROM wagecheck.labour_cost_schedule
    UNION                       -- the month a period's labour cost falls due
    SELECT project_id, date_trunc('month', due_on::timestamp)::date FROM wagecheck.labour_cost_schedule
), labour_event AS (            -- schedule rows (due) and the owner's payments in (paid)
    SELECT project_id, due_on AS day, amount_due AS due, 0::numeric AS paid
      FROM wagecheck.labour_cost_schedule
    UNION ALL
    SELECT a.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
      FROM wagecheck.account_txn t
      JOIN wagecheck.wage_account a ON a.account_id = t.account_id
     WHERE t.direction = 'in' AND t.purpose = 'labour_cost'
), labour AS (
    SELECT m.project_id, m.period,
           wagecheck.labour_cost_agg(e.day, e.due, e.paid,
               least((m.period + interval '1 month - 1 day')::date, CURRENT_DATE)) AS l
      FROM months m
      JOIN labour_event e ON e.project_id = m.project_id
     GROUP BY m.project_id, m.period
)
SELECT p.project_id, p.code AS project_code, p.name AS project_name,
       p.division, wagecheck.county(p.division) AS county, wagecheck.city(p.division) AS city,
       p.sector, p.funding, m.period,
       s.amount_due AS labour_cost_due_month,
       coalesce((l.l).due, 0.00) AS labour_cost_due,
       coalesce((l.l).paid, 0.00) AS labour_cost_paid,
       coalesce((l.l).shortfall, 0.00) AS labour_cost_shortfall,
       coalesce((l.l).days_overdue, 0) AS labour_cost_days_overdue,
       coalesce(w.payable, 0.00) AS wages_payable,
       coalesce(w.net, 0.00) AS wages_net,
       coalesce(w.paid, 0.00) AS wages_paid,
       coalesce(w.owed, 0.00) AS wages_owed,
       coalesce(w.workers_owed, 0) AS workers_owed,
       coalesce(w.longest_owed_run, 0) AS longest_owed_run,
       w.oldest_unpaid_period,
       CASE WHEN w.oldest_unpaid_period IS NOT NULL
            THEN ((extract(year FROM m.period) - extract(year FROM w.oldest_unpaid_period)) * 12
                  + extract(month FROM m.period) - extract(month FROM w.oldest_unpaid_period))::int
       END AS oldest_unpaid_age_months,
       coalesce((c.c).rostered, 0) AS roster_size,
       coalesce((c.c).attended, 0) AS workers_attended,
       coalesce((c.c).on_payroll, 0) AS workers_on_payroll,
       coalesce((c.c).paid, 0) AS workers_paid,
       coalesce((c.c).attended_paid, 0) AS attendees_paid,
       coalesce((c.c).attended - (c.c).attended_on_payroll, 0) AS attendees_not_on_payroll,
       coalesce((c.c).attended_not_rostered, 0) AS attendees_not_rostered,
       round((c.c).attended_paid::numeric / nullif((c.c).attended, 0), 4) AS share_attendees_paid,
       coalesce(pm.payments, 0) AS payments,
       coalesce(pm.payments_own_card, 0) AS payments_own_card_via_account,
       round(pm.payments_own_card::numeric / nullif(pm.payments, 0), 4) AS share_payments_own_card_via_account,
       round(coalesce(p.contract_value, 0) * coalesce(pg_catalog.current_setting('wagecheck.deposit_rate', true), '0.02')::numeric, 2)
           AS deposit_required,
       coalesce((SELECT sum(d.amount) FROM wagecheck.guarantee_deposit d
                  WHERE d.project_id = p.project_id
                    AND d.deposited_on <= (m.period + interval '1 month - 1 day')::date
                    AND (d.returned_on IS NULL OR d.returned_on > (m.period + interval '1 month - 1 day')::date)
                    AND (d.expires_on IS NULL OR d.expires_on >= (m.period + interval '1 month - 1 day')::date)),
                0.00) AS deposit_in_place
  FROM months m
  JOIN wagecheck.project p ON p.project_id = m.project_id
  LEFT JOIN wagecheck.labour_cost_schedule s ON s.project_id = m.project_id AND s.period = m.period
  LEFT JOIN labour l ON l.project_id = m.project_id AND l.period = m.period
  LEFT JOIN wages w ON w.project_id = m.project_id AND w.period = m.period
  LEFT JOIN coverage c ON c.project_id = m.project_id AND c.period = m.period
  LEFT JOIN payments pm ON pm.project_id = m.project_id AND pm.period = m.period;

COMMENT ON VIEW wagecheck.project_month_indicators IS 'arrears indicators per project and month (months with attendance, a pay sheet, a payment, a labour-cost period or a labour-cost due date): labour cost, wages owed, runs of months owed, roster/attendance/payroll coverage, payments through the dedicated account, guarantee deposit';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_id IS 'project';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_code IS 'project code';
COMMENT ON COLUMN wagecheck.project_month_indicators.project_name IS 'project name';
COMMENT ON COLUMN wagecheck.project_month_indicators.division IS 'division code of the site';
COMMENT ON COLUMN wagecheck.project_month_indicators.county IS 'county-level division (县区) of the site';
COMMENT ON COLUMN wagecheck.project_month_indicators.city IS 'city-level division (市) of the site';
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

-- Roll-ups: one view per dimension, same measures, from one template.  Shares are
-- recomputed from the summed counts (never averaged); maxima stay maxima.
DO $roll$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT * FROM (VALUES
        ('county', 'county (县区, territorial responsibility)'),
        ('city', 'city (市)'),
        ('sector', 'sector regulator (行业主管部门)'),
        ('funding', 'funding type (government investment, state-owned enterprise, other)')) AS v(dim, label)
    LOOP
        EXECUTE format($v$
CREATE OR REPLACE VIEW wagecheck.%2$I WITH (security_invoker = true) AS
SELECT %1$I, period, count(*) AS projects,
       sum(labour_cost_due) AS labour_cost_due, sum(labour_cost_paid) AS labour_cost_paid,
       sum(labour_cost_shortfall) AS labour_cost_shortfall,
       count(*) FILTER (WHERE labour_cost_shortfall > 0) AS projects_with_shortfall,
       max(labour_cost_days_overdue) AS max_labour_cost_days_overdue,
       sum(wages_payable) AS wages_payable, sum(wages_paid) AS wages_paid, sum(wages_owed) AS wages_owed,
       sum(workers_owed) AS workers_owed, count(*) FILTER (WHERE wages_owed > 0) AS projects_owing,
       max(longest_owed_run) AS longest_owed_run, max(oldest_unpaid_age_months) AS oldest_unpaid_age_months,
       sum(roster_size) AS roster_size, sum(workers_attended) AS workers_attended,
       sum(workers_paid) AS workers_paid, sum(attendees_paid) AS attendees_paid,
       round(sum(attendees_paid)::numeric / nullif(sum(workers_attended), 0), 4) AS share_attendees_paid,
       sum(payments) AS payments, sum(payments_own_card_via_account) AS payments_own_card_via_account,
       round(sum(payments_own_card_via_account)::numeric / nullif(sum(payments), 0), 4)
           AS share_payments_own_card_via_account,
       sum(deposit_required) AS deposit_required, sum(deposit_in_place) AS deposit_in_place,
       count(*) FILTER (WHERE deposit_in_place < deposit_required) AS projects_deposit_short
  FROM wagecheck.project_month_indicators
 GROUP BY %1$I, period
$v$, d.dim, d.dim || '_month_indicators');
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
            ('county', 'county-level division (县区)'),
            ('city', 'city-level division (市)'),
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
