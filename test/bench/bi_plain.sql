-- The baseline of bench_bi.sh: the plain-SQL aggregation over raw rows that the indicator
-- views for BI tools were defined as in 0.1.0 (project_month_indicators and its roll-ups,
-- without scope, names or labels), in schema wc_bench_plain; read as the superuser. One
-- change from 0.1.0, which the views share: every payment against a line of the month
-- counts, also one against a line a correction replaced later (0.1.0 counted only payments
-- against the lines in force, so a line corrected after it was paid showed as owed again),
-- and a worker with a line on the month's sheets is on its payroll; payable and net are
-- those of the lines in force. sql/indicators_views.sql compares the views with it too.
SET search_path = public, wagecheck;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS wc_bench_plain CASCADE;
CREATE SCHEMA wc_bench_plain;
CREATE VIEW wc_bench_plain.project_month_indicators AS
WITH line AS (                  -- pay lines, in force unless a correction replaced them
    SELECT l.line_id, l.worker_id, l.payable, l.net, s.project_id, s.period,
           NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = l.line_id) AS in_force
      FROM wagecheck.pay_line l
      JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
), payment AS (
    SELECT cl.project_id, cl.period, cl.worker_id, cl.line_id, p.amount,
           (p.method = 'account' AND p.card IS NOT DISTINCT FROM w.wage_card AND p.card IS NOT NULL) AS own_card_via_account
      FROM wagecheck.wage_payment p
      JOIN line cl ON cl.line_id = p.line_id
      JOIN wagecheck.worker w ON w.worker_id = cl.worker_id
), coverage AS (                -- who was rostered, attended, on the pay sheet, paid
    SELECT project_id, period,
           wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) AS c
      FROM (SELECT a.project_id, date_trunc('month', a.day::timestamp)::date AS period, a.worker_id,
                   false AS rostered, true AS attended, false AS on_payroll, false AS paid
              FROM wagecheck.attendance a
            UNION ALL
            SELECT project_id, period, worker_id, false, false, true, false FROM line
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
    SELECT cl.project_id, cl.period, cl.worker_id,
           coalesce(sum(cl.payable) FILTER (WHERE cl.in_force), 0) AS payable,
           coalesce(sum(cl.net) FILTER (WHERE cl.in_force), 0) AS net,
           coalesce(sum(pp.paid), 0) AS paid
      FROM line cl
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
CREATE VIEW wc_bench_plain.%2$I AS
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
  FROM wc_bench_plain.project_month_indicators
 GROUP BY %1$I, period
$v$, d.dim, d.dim || '_month_indicators');
            END LOOP;
END
$roll$;

