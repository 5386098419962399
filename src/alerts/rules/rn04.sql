-- RN04 (G->K, project_month): attendance without payroll after the pay day (有考勤无工资发放记录).
-- workers who attended a month with no payroll line after their pay day (K: over k_share of them).

-- _rn04_months(as_of, projects): per project and month (of the given projects, all when
-- NULL) with a worker who attended without a payroll line past his pay date: the attendees
-- past their pay date and those of them without a line, from the summaries (exact only when
-- attendance_month and wage_month both are for as_of). The months come from the keys of
-- attendance_unpaid (the attendance months without a wage month, by month first): a month
-- whose earliest pay date (pay terms of any roster entry, or the default) has not passed is
-- not read. In a month whose latest pay date has passed too, every attendee's has: its rows
-- are counted without their pay terms and its attendees are the project's workers of the
-- month (attendance_project_month); in the others each worker's pay terms known then decide.
CREATE OR REPLACE FUNCTION wagecheck._rn04_months(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, period date, attendees bigint, unpaid bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE months AS (                  -- the months with attendees without a line: one index probe each
        (SELECT u.period FROM wagecheck.attendance_unpaid u ORDER BY u.period LIMIT 1)
        UNION ALL
        SELECT n.period
          FROM months m
         CROSS JOIN LATERAL (SELECT u.period FROM wagecheck.attendance_unpaid u
                              WHERE u.period > m.period ORDER BY u.period LIMIT 1) n
    ),
    dates AS MATERIALIZED (      -- their pay dates for every pay terms in use
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM months m
         CROSS JOIN wagecheck._pay_terms_in_use() k
    ),
    passed AS MATERIALIZED (     -- the months with a pay date passed: whether every one has
        SELECT d.period, max(d.pay_date) < as_of::date AS all_passed
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    unpaid AS (
        SELECT u.project_id, u.period, count(*) AS unpaid
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
         WHERE m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
         GROUP BY 1, 2
        UNION ALL
        SELECT u.project_id, u.period, count(*)
          FROM passed m
          JOIN wagecheck.attendance_unpaid u ON u.period = m.period
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = u.project_id AND r.worker_id = u.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
          JOIN dates d ON d.period = u.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE NOT m.all_passed AND (projects IS NULL OR u.project_id = ANY (projects))
           AND d.pay_date < as_of::date
         GROUP BY 1, 2
    )
    SELECT x.project_id, x.period,
           CASE WHEN m.all_passed
                THEN (SELECT h.workers FROM wagecheck.attendance_project_month h
                       WHERE h.project_id = x.project_id AND h.period = x.period)
                ELSE (SELECT count(*)
                        FROM wagecheck.attendance_month a
                        LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                            WHERE r.project_id = a.project_id AND r.worker_id = a.worker_id
                                              AND r.created_at <= as_of AND r.start_on <= as_of::date
                                            ORDER BY r.start_on DESC LIMIT 1) t ON true
                        JOIN dates d ON d.period = a.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                                    AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
                       WHERE a.project_id = x.project_id AND a.period = x.period
                         AND d.pay_date < as_of::date) END,
           x.unpaid
      FROM unpaid x
      JOIN passed m ON m.period = x.period
$$;

COMMENT ON FUNCTION wagecheck._rn04_months(timestamptz, bigint[]) IS
    'RN04''s project-months with attendees without a payroll line past their pay date, of the given projects or all, from the summaries attendance_unpaid and attendance_project_month (internal)';

-- RN04 (G->K, project-month): attendees of a month without a payroll line after their pay day.
-- When the summaries attendance_month and wage_month are exact for as_of the project-months
-- come from them (_rn04_months); else from attendance_months(as_of) and the pay lines known
-- then, counted per project, month and pay terms first, so that a pay date is computed once
-- per distinct (month, terms).
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT att.project_id, att.period, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset,
               count(*) AS attendees, count(*) FILTER (WHERE lines.worker_id IS NULL) AS unpaid
          FROM wagecheck.attendance_months(as_of) att
          LEFT JOIN wagecheck._pay_terms(as_of) t
                 ON t.project_id = att.project_id AND t.worker_id = att.worker_id
          LEFT JOIN lines ON lines.project_id = att.project_id AND lines.worker_id = att.worker_id
                         AND lines.period = att.period
         WHERE NOT (SELECT ex.exact FROM ex)
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT c.project_id, c.period, c.attendees, c.unpaid
          FROM wagecheck._rn04_months(as_of, NULL) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;

COMMENT ON FUNCTION wagecheck.eval_rn04(timestamptz) IS
    'RN04: project-months whose attendees have no payroll line after their pay day; level K when more than k_share of them';

-- RN04 for the given projects only (project evaluator): eval_rn04 reading the projects' rows
-- only - their attendance months without a wage month and their workers per month (_rn04_months),
-- or their attendance rows and the lines of their sheets when a summary is not exact.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of)
               AND wagecheck._summary_exact('wages_owed', as_of) AS exact
    ),
    lines AS (             -- the lines known then of the projects' sheets (summaries not exact)
        SELECT DISTINCT s.project_id, l.worker_id, s.period
          FROM wagecheck.pay_sheet s
          JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
         WHERE NOT (SELECT ex.exact FROM ex) AND s.project_id = ANY (projects) AND l.created_at <= as_of
    ),
    g AS MATERIALIZED (    -- per project, month and pay terms: attendees, and those without a line
        SELECT m.project_id, m.period, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset,
               count(*) AS attendees, count(*) FILTER (WHERE lines.worker_id IS NULL) AS unpaid
          FROM (SELECT DISTINCT a.project_id, a.worker_id, date_trunc('month', a.day)::date AS period
                  FROM wagecheck.attendance a
                 WHERE NOT (SELECT ex.exact FROM ex) AND a.project_id = ANY (projects)
                   AND a.day <= as_of::date AND a.created_at <= as_of) m
          LEFT JOIN (SELECT * FROM wagecheck._pay_terms(as_of) t WHERE t.project_id = ANY (projects)) t
                 ON t.project_id = m.project_id AND t.worker_id = m.worker_id
          LEFT JOIN lines ON lines.project_id = m.project_id AND lines.worker_id = m.worker_id
                         AND lines.period = m.period
         GROUP BY 1, 2, 3, 4
    ),
    dates AS MATERIALIZED (    -- one pay date per distinct (month, terms)
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT g.period, g.pay_day, g.pay_month_offset FROM g) k
    ),
    pm AS MATERIALIZED (
        SELECT c.project_id, c.period, c.attendees, c.unpaid
          FROM wagecheck._rn04_months(as_of, coalesce(projects, '{}')) c
         WHERE (SELECT ex.exact FROM ex)
        UNION ALL
        SELECT g.project_id, g.period, sum(g.attendees)::bigint AS attendees, sum(g.unpaid)::bigint AS unpaid
          FROM g
          JOIN dates USING (period, pay_day, pay_month_offset)
         WHERE dates.pay_date < as_of::date
         GROUP BY g.project_id, g.period
    ),
    hit AS (
        SELECT pm.*, p.contractor_id, p.division
          FROM pm
          JOIN wagecheck.project p ON p.project_id = pm.project_id
         WHERE pm.unpaid > 0
    ),
    params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN04', 'k_share', d.division))::numeric AS k_share
          FROM (SELECT DISTINCT hit.division FROM hit) d
    )
    SELECT 'project', hit.project_id::text, to_char(hit.period, 'YYYY-MM'), hit.project_id, hit.contractor_id,
           hit.division,
           CASE WHEN hit.unpaid::numeric / hit.attendees > params.k_share THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('attendees', hit.attendees, 'without_payroll', hit.unpaid,
                              'share', round(hit.unpaid::numeric / hit.attendees, 4))
      FROM hit
      JOIN params ON params.division = hit.division
$$;

COMMENT ON FUNCTION wagecheck.eval_rn04_projects(timestamptz, bigint[]) IS
    'RN04 for the given projects only (project evaluator of eval_rn04)';

-- RN04's horizon: what time alone changes in eval_rn04 is which (month, pay terms) have their
-- pay date before as_of::date (every other date it reads is a row's own, which the change
-- capture records). A project-month moves when one of its (month, terms) passes and it has an
-- attendee without a payroll line (else it is no hit, before or after). The projects: those
-- with a month passing for terms in use (_attendance_pay_passing) and an attendance month of
-- it without a wage_month row known by to_ts (a line known in between is a change the capture
-- records). A superset: attendance not yet known, another worker's terms, a month whose
-- payment is recorded later count as possibly moving.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn04_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT coalesce(array_agg(DISTINCT a.project_id ORDER BY a.project_id), '{}')
      FROM wagecheck._attendance_pay_passing(from_ts, to_ts) a
     WHERE NOT EXISTS (SELECT 1 FROM wagecheck.wage_month w
                        WHERE w.project_id = a.project_id AND w.worker_id = a.worker_id
                          AND w.period = a.period AND w.known_to <= to_ts)
$$;

COMMENT ON FUNCTION wagecheck.eval_rn04_horizon(timestamptz, timestamptz) IS
    'RN04''s horizon: the projects whose hits may change between two moments by time alone (a month''s pay date passing while a worker attending it has no payroll line)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- RN04 and WP01 read of attendance only which workers attended which months: the changes of the
-- summary attendance_month (a day's attendance of months already attended is none)
-- time-driven: after the pay day
SELECT wagecheck._rule_define('RN04', 'G', 'project_month', '有考勤无工资发放记录', 'attendance without payroll after the pay day',
    description => 'workers with attendance in a month but no payroll line after their pay day: any → G; more than k_share of the month''s attendees → K',
    params => '{"k_share": 0.10, "deadline_wd": 5}',
    evaluator => 'wagecheck.eval_rn04(timestamptz)',
    escalates => true,
    project_evaluator => 'wagecheck.eval_rn04_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_rn04_horizon(timestamptz, timestamptz)',
    inputs => '{attendance_month,pay_sheet,pay_line,roster,project}',
    uses => '{_attendance_months_compute,_attendance_pay_passing,_pay_dates_passing,_pay_terms,_pay_terms_in_use,attendance,attendance_month,attendance_months,attendance_project_month,attendance_unpaid,wage_month,wage_pay_date}');
