-- scan_plain.sql — the catalogue's rules RN01-04, AC01-05, WP01-07, DP01, NB01, QR01
-- written the straightforward way in plain SQL, for bench_scan.sh to time against
-- wagecheck.scan(). One statement per rule, row by row through correlated subqueries
-- and per-row function calls, as a first implementation would be (DP01 leaves out the
-- clean_years exemption, which the generated city never meets: all its projects start in
-- the generated year); the result is the set
-- of hits (rule, subject, period, level) of each rule as of :'as_of', which the
-- benchmark checks against the engine's alerts. Usage: psql -v as_of='...' -f scan_plain.sql
SET search_path = wc_plain, wagecheck, pg_catalog;
CREATE SCHEMA IF NOT EXISTS wc_plain;
DROP TABLE IF EXISTS wc_plain.hit;
CREATE TABLE wc_plain.hit (rule text, subject_kind text, subject_id text, period text, level text);
\set d '(:''as_of''::timestamptz)::date'
\set t ':''as_of''::timestamptz'

-- RN01: pay lines of workers not on the project's roster
INSERT INTO hit
SELECT 'RN01', 'pay_line', l.line_id::text, '', 'K'
  FROM pay_line l
 WHERE l.created_at <= :t
   AND (SELECT count(*) FROM roster r
         WHERE r.project_id = (SELECT s.project_id FROM pay_sheet s WHERE s.sheet_id = l.sheet_id)
           AND r.worker_id = l.worker_id AND r.created_at <= :t AND r.start_on <= :d) = 0;

-- RN02: active roster entries without a signed contract
INSERT INTO hit
SELECT 'RN02', 'roster', r.roster_id::text, '', 'G'
  FROM roster r
 WHERE r.created_at <= :t AND r.start_on <= :d AND (r.end_on IS NULL OR r.end_on >= :d)
   AND (r.contract_signed_on IS NULL OR r.contract_signed_on > :d);

-- RN03: projects under construction without attendance in the last gap_days days
INSERT INTO hit
SELECT 'RN03', 'project', p.project_id::text, '', 'G'
  FROM project p
 WHERE p.status = 'under_construction' AND p.created_at <= :t
   AND p.start_on <= :d - (rule_param('RN03', 'gap_days', p.division))::int + 1
   AND coalesce((SELECT max(a.day) FROM attendance a
                  WHERE a.project_id = p.project_id AND a.day <= :d AND a.created_at <= :t), '-infinity')
       <= :d - (rule_param('RN03', 'gap_days', p.division))::int;

-- RN04: project-months whose attendees have no pay line after their pay day
INSERT INTO hit
SELECT 'RN04', 'project', project_id::text, to_char(period, 'YYYY-MM'),
       CASE WHEN unpaid::numeric / attendees > (rule_param('RN04', 'k_share', division))::numeric THEN 'K' ELSE 'G' END
  FROM (SELECT w.project_id, w.period, p.division, count(*) AS attendees,
               count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM pay_line l JOIN pay_sheet s ON s.sheet_id = l.sheet_id
                    WHERE s.project_id = w.project_id AND s.period = w.period AND l.worker_id = w.worker_id
                      AND l.created_at <= :t)) AS unpaid
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM attendance a WHERE a.day <= :d AND a.created_at <= :t) w
          JOIN project p ON p.project_id = w.project_id
         WHERE wage_pay_date(w.period,
                   coalesce((SELECT r.pay_day FROM roster r WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                               AND r.created_at <= :t AND r.start_on <= :d ORDER BY r.start_on DESC LIMIT 1), 15::smallint),
                   coalesce((SELECT r.pay_month_offset FROM roster r WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                               AND r.created_at <= :t AND r.start_on <= :d ORDER BY r.start_on DESC LIMIT 1), 1::smallint)) < :d
         GROUP BY w.project_id, w.period, p.division) x
 WHERE unpaid > 0;

-- AC01: no account open_days after the contract
INSERT INTO hit
SELECT 'AC01', 'project', p.project_id::text, '', 'K'
  FROM project p
 WHERE p.created_at <= :t AND p.contract_signed_on IS NOT NULL AND p.status NOT IN ('completed', 'closed')
   AND :d > p.contract_signed_on + (rule_param('AC01', 'open_days', p.division))::int
   AND NOT EXISTS (SELECT 1 FROM wage_account w WHERE w.project_id = p.project_id AND w.opened_on <= :d
                      AND w.created_at <= :t);

-- AC02: schedule periods past due not covered by the labour cost paid in (oldest first)
INSERT INTO hit
SELECT 'AC02', 'project', s.project_id::text, to_char(s.period, 'YYYY-MM'),
       CASE WHEN least(s.amount_due, c.cum_due - c.paid) >= s.amount_due
              OR :d - s.due_on > (rule_param('AC02', 'k_overdue_days', p.division))::int THEN 'K' ELSE 'G' END
  FROM labour_cost_schedule s
  JOIN project p ON p.project_id = s.project_id
 CROSS JOIN LATERAL (
        SELECT (SELECT sum(s2.amount_due) FROM labour_cost_schedule s2
                 WHERE s2.project_id = s.project_id AND s2.period <= s.period AND s2.created_at <= :t) AS cum_due,
               coalesce((SELECT sum(t.amount) FROM account_txn t JOIN wage_account w ON w.account_id = t.account_id
                          WHERE w.project_id = s.project_id AND t.direction = 'in' AND t.purpose = 'labour_cost'
                            AND t.booked_at <= :t AND t.created_at <= :t), 0) AS paid) c
 WHERE s.created_at <= :t AND s.due_on < :d AND least(s.amount_due, c.cum_due - c.paid) > 0;

-- AC03: outflows other than wages to a rostered worker's own card
INSERT INTO hit
SELECT 'AC03', 'account_txn', t.txn_id::text, '', 'K'
  FROM account_txn t
 WHERE t.direction = 'out' AND t.booked_at <= :t AND t.created_at <= :t
   AND (t.purpose <> 'wage'
        OR NOT EXISTS (SELECT 1 FROM roster r JOIN worker k ON k.worker_id = r.worker_id
                        WHERE r.project_id = (SELECT w.project_id FROM wage_account w WHERE w.account_id = t.account_id)
                          AND r.created_at <= :t
                          AND k.wage_card::text = regexp_replace(t.counterparty_account, '[^0-9]', '', 'g')));

-- AC04: labour share below the sector minimum
INSERT INTO hit
SELECT 'AC04', 'project', p.project_id::text, '', 'G'
  FROM project p
 WHERE p.created_at <= :t AND p.status NOT IN ('completed', 'closed')
   AND p.labour_share < (rule_param('AC04', 'min_share', p.division) ->> p.sector)::numeric;

-- AC05: account closing/closed while wages owed, or closed before the notice ended
INSERT INTO hit
SELECT 'AC05', 'project', w.project_id::text, '', 'K'
  FROM wage_account w JOIN project p ON p.project_id = w.project_id
 WHERE w.created_at <= :t AND (w.closure_notice_on <= :d OR w.closed_on <= :d)
   AND ((SELECT coalesce(sum(o.owed), 0) FROM wages_owed(:t) o WHERE o.project_id = w.project_id) > 0
        OR (w.closed_on <= :d AND (w.closure_notice_on IS NULL
            OR w.closed_on < w.closure_notice_on + (rule_param('AC05', 'notice_days', p.division))::int)));

-- WP01: project-months with attendance and no pay sheet after the pay day
INSERT INTO hit
SELECT 'WP01', 'project', m.project_id::text, to_char(m.period, 'YYYY-MM'), 'G'
  FROM (SELECT DISTINCT a.project_id, date_trunc('month', a.day)::date AS period
          FROM attendance a WHERE a.day <= :d AND a.created_at <= :t) m
 WHERE wage_pay_date(m.period,
           coalesce((SELECT min(r.pay_month_offset * 100 + r.pay_day) % 100 FROM roster r
                      WHERE r.project_id = m.project_id AND r.created_at <= :t AND r.start_on <= :d), 15)::smallint,
           coalesce((SELECT min(r.pay_month_offset * 100 + r.pay_day) / 100 FROM roster r
                      WHERE r.project_id = m.project_id AND r.created_at <= :t AND r.start_on <= :d), 1)::smallint) < :d
   AND NOT EXISTS (SELECT 1 FROM pay_sheet s WHERE s.project_id = m.project_id AND s.period = m.period
                      AND s.prepared_on <= :d AND s.created_at <= :t);

-- worker-months: net of the effective lines, paid, pay date (the plain way: one row each,
-- sums by correlated subqueries)
CREATE TEMP TABLE wm AS
SELECT k.project_id, k.worker_id, k.period, p.division,
       (SELECT sum(l.net) FROM pay_line l JOIN pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE s.project_id = k.project_id AND s.period = k.period AND l.worker_id = k.worker_id
           AND l.created_at <= :t
           AND NOT EXISTS (SELECT 1 FROM pay_line c WHERE c.corrects_line_id = l.line_id AND c.created_at <= :t)) AS net,
       (SELECT sum(l.payable) FROM pay_line l JOIN pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE s.project_id = k.project_id AND s.period = k.period AND l.worker_id = k.worker_id
           AND l.created_at <= :t
           AND NOT EXISTS (SELECT 1 FROM pay_line c WHERE c.corrects_line_id = l.line_id AND c.created_at <= :t)) AS payable,
       (SELECT sum(l.days) FROM pay_line l JOIN pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE s.project_id = k.project_id AND s.period = k.period AND l.worker_id = k.worker_id
           AND l.created_at <= :t
           AND NOT EXISTS (SELECT 1 FROM pay_line c WHERE c.corrects_line_id = l.line_id AND c.created_at <= :t)) AS days,
       coalesce((SELECT sum(y.amount) FROM wage_payment y JOIN pay_line l ON l.line_id = y.line_id
                  JOIN pay_sheet s ON s.sheet_id = l.sheet_id
                 WHERE s.project_id = k.project_id AND s.period = k.period AND l.worker_id = k.worker_id
                   AND l.created_at <= :t AND y.paid_at <= :t AND y.created_at <= :t), 0) AS paid,
       wage_pay_date(k.period,
           coalesce((SELECT r.pay_day FROM roster r WHERE r.project_id = k.project_id AND r.worker_id = k.worker_id
                       AND r.created_at <= :t AND r.start_on <= :d ORDER BY r.start_on DESC LIMIT 1), 15::smallint),
           coalesce((SELECT r.pay_month_offset FROM roster r WHERE r.project_id = k.project_id AND r.worker_id = k.worker_id
                       AND r.created_at <= :t AND r.start_on <= :d ORDER BY r.start_on DESC LIMIT 1), 1::smallint)) AS pay_date
  FROM (SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM pay_line l JOIN pay_sheet s ON s.sheet_id = l.sheet_id WHERE l.created_at <= :t) k
  JOIN project p ON p.project_id = k.project_id;

-- WP02: owed after the pay day; K after k_days
INSERT INTO hit
SELECT 'WP02', 'worker_on_project', project_id || '/' || worker_id, to_char(period, 'YYYY-MM'),
       CASE WHEN :d - pay_date > (rule_param('WP02', 'k_days', division))::int THEN 'K' ELSE 'G' END
  FROM wm WHERE coalesce(net, 0) - paid > 0 AND pay_date < :d;

-- WP03: min_months consecutive months owed
INSERT INTO hit
SELECT DISTINCT 'WP03', 'worker_on_project', a.project_id || '/' || a.worker_id, '', 'K'
  FROM wm a
 WHERE coalesce(a.net, 0) - a.paid > 0 AND a.pay_date < :d
   AND (SELECT count(*) FROM wm b
         WHERE b.project_id = a.project_id AND b.worker_id = a.worker_id
           AND b.period BETWEEN a.period AND a.period + make_interval(months => (rule_param('WP03', 'min_months', a.division))::int - 1)
           AND coalesce(b.net, 0) - b.paid > 0 AND b.pay_date < :d)
       >= (rule_param('WP03', 'min_months', a.division))::int;

-- WP04: cash, or not the worker's own card
INSERT INTO hit
SELECT 'WP04', 'payment', y.payment_id::text, '', 'K'
  FROM wage_payment y
 WHERE y.paid_at <= :t AND y.created_at <= :t
   AND (y.method <> 'account' OR y.card IS NULL
        OR y.card IS DISTINCT FROM (SELECT k.wage_card FROM worker k JOIN pay_line l ON l.worker_id = k.worker_id
                                     WHERE l.line_id = y.line_id));

-- WP05: a full month below the minimum wage
INSERT INTO hit
SELECT 'WP05', 'worker_on_project', project_id || '/' || worker_id, to_char(period, 'YYYY-MM'), 'G'
  FROM wm
 WHERE days >= (rule_param('WP05', 'full_month_days', division))::numeric
   AND payable < (rule_param('WP05', 'min_monthly_wage', division))::numeric;

-- WP06: over the monthly or the yearly amount
INSERT INTO hit
SELECT 'WP06', 'worker', worker_id::text, to_char(period, 'YYYY-MM'), 'G'
  FROM (SELECT worker_id, period, sum(payable) AS payable,
               (array_agg(division ORDER BY project_id))[1] AS division
          FROM wm GROUP BY worker_id, period) m
 WHERE payable > (rule_param('WP06', 'month_amount', division))::numeric;
INSERT INTO hit
SELECT 'WP06', 'worker', worker_id::text, y, 'G'
  FROM (SELECT worker_id, to_char(period, 'YYYY') AS y, sum(payable) AS payable,
               (array_agg(division ORDER BY period, project_id))[1] AS division
          FROM wm GROUP BY worker_id, to_char(period, 'YYYY')) m
 WHERE payable > (rule_param('WP06', 'year_amount', division))::numeric;

-- WP07: left without settlement
INSERT INTO hit
SELECT 'WP07', 'roster', r.roster_id::text, '', 'K'
  FROM roster r JOIN project p ON p.project_id = r.project_id
 WHERE r.created_at <= :t AND r.end_on IS NOT NULL
   AND :d > r.end_on + (rule_param('WP07', 'settle_days', p.division))::int
   AND (r.settled_on IS NULL OR r.settled_on > :d);

-- DP01: no deposit after due_wd working days (exemptions as in the engine)
INSERT INTO hit
SELECT 'DP01', 'project', p.project_id::text, '',
       CASE WHEN :d > add_working_days(p.contract_signed_on, (rule_param('DP01', 'due_wd', p.division))::int
                                       + (rule_param('DP01', 'escalate_wd', p.division))::int) THEN 'K' ELSE 'G' END
  FROM project p
 WHERE p.created_at <= :t AND p.contract_signed_on IS NOT NULL AND p.status NOT IN ('completed', 'closed')
   AND :d > add_working_days(p.contract_signed_on, (rule_param('DP01', 'due_wd', p.division))::int)
   AND NOT EXISTS (SELECT 1 FROM guarantee_deposit g
                    WHERE g.project_id = p.project_id AND g.created_at <= :t AND g.deposited_on <= :d
                      AND (g.returned_on IS NULL OR g.returned_on > :d)
                      AND (g.expires_on IS NULL OR g.expires_on >= :d))
   AND NOT (p.contract_value < (rule_param('DP01', 'exempt_below', p.division))::numeric
            AND NOT EXISTS (SELECT 1 FROM wm JOIN project q ON q.project_id = wm.project_id
                             WHERE q.contractor_id = p.contractor_id AND wm.pay_date < :d
                               AND wm.pay_date >= :d - 365
                               AND (SELECT coalesce(sum(y.amount), 0) FROM wage_payment y
                                      JOIN pay_line l ON l.line_id = y.line_id JOIN pay_sheet s ON s.sheet_id = l.sheet_id
                                     WHERE s.project_id = wm.project_id AND s.period = wm.period
                                       AND l.worker_id = wm.worker_id AND y.paid_at::date <= wm.pay_date
                                       AND y.paid_at <= :t AND y.created_at <= :t) < wm.net));

-- NB01 and QR01
INSERT INTO hit
SELECT 'NB01', 'project', p.project_id::text, '', 'G'
  FROM project p
 WHERE p.created_at <= :t AND p.status IN ('under_construction', 'suspended')
   AND :d > p.start_on + (rule_param('NB01', 'board_days', p.division))::int
   AND (p.notice_board_on IS NULL OR p.notice_board_on > :d);
INSERT INTO hit
SELECT 'QR01', 'project', p.project_id::text, '', 'G'
  FROM project p
 WHERE p.created_at <= :t AND p.status IN ('under_construction', 'suspended') AND p.start_on <= :d
   AND coalesce(btrim(p.complaint_qr), '') = '';
