-- Shared building blocks of the catalogue's evaluators: pay days and wages owed,
-- as known at a moment (rows created after it are not seen). Read by (rule.uses):
--   pay dates and terms: wage_pay_date (AC05, DP01, RN04, WP01, WP02, WP03, WP05, WP06),
--     _pay_terms (DP01, RN04, WP01, WP02, WP03, WP05, WP06), _pay_terms_in_use and
--     _pay_dates_passing (RN04, WP01, WP02, WP03), _attendance_pay_passing (RN04, WP01);
--   wages owed: _wages_owed_compute (DP01, WP02, WP03, WP05, WP06), _wages_owed_projects
--     (AC05, DP01, WP02, WP03), _wages_unpaid and _wages_unpaid_summary (WP02, WP03),
--     _wages_late and _wages_late_summary (DP01), _contractor_arrears (DP01),
--     _wages_owed_by_project (AC05), _owed_months_passing (WP02, WP03); wages_owed() and
--     _wages_owed_summary serve the memo of a scan and users (no rule reads them);
--   attendance: attendance_months() and _attendance_months_compute (RN04, WP01).

-- _memo_ready(name, as_of): the scan in progress has computed this building block for this moment.
CREATE OR REPLACE FUNCTION wagecheck._memo_ready(p_name text, p_as_of timestamptz) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
DECLARE
    found boolean;
BEGIN
    IF to_regclass('pg_temp.wc_memo') IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_temp.wc_memo WHERE name = $1 AND as_of = $2)'
       INTO found USING p_name, p_as_of;
    RETURN found;
END
$$;
COMMENT ON FUNCTION wagecheck._memo_ready(text, timestamptz) IS
    'true when the running scan has computed the named building block for the moment (internal)';

CREATE OR REPLACE FUNCTION wagecheck.wage_pay_date(period date, pay_day smallint, pay_month_offset smallint)
    RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT wagecheck.pay_day(m + (least(pay_day, extract(day FROM m + interval '1 month' - interval '1 day')::int) - 1))
      FROM (SELECT (date_trunc('month', period) + make_interval(months => pay_month_offset))::date AS m) x
$$;
COMMENT ON FUNCTION wagecheck.wage_pay_date(date, smallint, smallint) IS
    'pay day of a month''s wages: the agreed day of the same or the next month (clamped to the month''s end), moved earlier to a working day';

-- _pay_terms(as_of): per project and worker, the pay terms of the latest roster entry known then.
-- A SQL-standard body (names bound at creation, no search_path needed) and no SET clause: the
-- planner inlines it into its callers and plans the join with the roster's statistics (a
-- function scan's guess of 1000 rows made it hash the 100,000 rows of the other side).
CREATE OR REPLACE FUNCTION wagecheck._pay_terms(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, roster_id bigint, employer_id bigint,
                   pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT DISTINCT ON (r.project_id, r.worker_id)
           r.project_id, r.worker_id, r.roster_id, r.employer_id, r.pay_day, r.pay_month_offset
      FROM wagecheck.roster r
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
     ORDER BY r.project_id, r.worker_id, r.start_on DESC;
END;
COMMENT ON FUNCTION wagecheck._pay_terms(timestamptz) IS
    'pay day and month offset of each worker on each project (latest roster entry known at the moment)';

-- _pay_terms_in_use(): the distinct pay terms of the roster (one index probe each, through
-- roster_pay_terms) and the default ones (15th of the next month, for a worker without
-- terms): every pay terms a worker's month can have.
CREATE OR REPLACE FUNCTION wagecheck._pay_terms_in_use()
    RETURNS TABLE (pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE used AS (
        (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
          ORDER BY r.pay_day, r.pay_month_offset LIMIT 1)
        UNION ALL
        SELECT n.pay_day, n.pay_month_offset
          FROM used u
         CROSS JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (r.pay_day, r.pay_month_offset) > (u.pay_day, u.pay_month_offset)
                              ORDER BY r.pay_day, r.pay_month_offset LIMIT 1) n
    )
    SELECT used.pay_day, used.pay_month_offset FROM used
    UNION
    SELECT 15::smallint, 1::smallint
$$;
COMMENT ON FUNCTION wagecheck._pay_terms_in_use() IS
    'the distinct pay terms of the roster and the default ones (15th of the next month) (internal)';

-- _pay_dates_passing(from_ts, to_ts): the months and pay terms in use (_pay_terms_in_use)
-- whose pay date passes between the two moments: an evaluator's test
-- pay_date < as_of::date is false as of from_ts and true as of to_ts, i.e. from_ts::date <=
-- pay_date < to_ts::date. For given terms the pay date grows with the month (the nominal day
-- does, and moving it earlier to a working day keeps the order), so each terms' months are
-- walked from the first whose nominal pay day can be on or after from_ts::date until the pay
-- date reaches to_ts::date, however long a run of holidays moves a pay day.
CREATE OR REPLACE FUNCTION wagecheck._pay_dates_passing(from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (period date, pay_day smallint, pay_month_offset smallint, pay_date date)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH RECURSIVE t AS (
        SELECT k.pay_day, k.pay_month_offset,
               (date_trunc('month', from_ts::date) - make_interval(months => k.pay_month_offset))::date AS first_month
          FROM wagecheck._pay_terms_in_use() k
         WHERE from_ts::date < to_ts::date
    ),
    m (period, pay_day, pay_month_offset, pay_date) AS (
        SELECT t.first_month, t.pay_day, t.pay_month_offset,
               wagecheck.wage_pay_date(t.first_month, t.pay_day, t.pay_month_offset)
          FROM t
        UNION ALL
        SELECT (m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset,
               wagecheck.wage_pay_date((m.period + interval '1 month')::date, m.pay_day, m.pay_month_offset)
          FROM m
         WHERE m.pay_date < to_ts::date
    )
    SELECT m.period, m.pay_day, m.pay_month_offset, m.pay_date
      FROM m
     WHERE m.pay_date >= from_ts::date AND m.pay_date < to_ts::date
$$;
COMMENT ON FUNCTION wagecheck._pay_dates_passing(timestamptz, timestamptz) IS
    'the (month, pay day, month offset) of the pay terms in use whose pay date passes between two moments: from_ts::date <= pay date < to_ts::date, where the evaluators'' test pay_date < as_of::date turns true (internal)';

-- _attendance_pay_passing(from_ts, to_ts): the rows of the summary attendance_month (every
-- attendance, whenever known) of the project-months whose pay date may pass between the two
-- moments: a month of _pay_dates_passing, for any project when its terms are the default (a
-- worker without pay terms), else for the projects with a roster entry of those terms. Most
-- days no terms in use pass and nothing is read; a month passing is read through the
-- projects' keys: for the default terms those of attendance_project_month in the month.
CREATE OR REPLACE FUNCTION wagecheck._attendance_pay_passing(from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH c AS MATERIALIZED (     -- months passing for terms in use
        SELECT c.period, c.pay_day, c.pay_month_offset,
               c.pay_day = 15 AND c.pay_month_offset = 1 AS default_terms
          FROM wagecheck._pay_dates_passing(from_ts, to_ts) c
    ),
    anyp AS (                    -- months passing for every project
        SELECT DISTINCT c.period FROM c WHERE c.default_terms
    )
    SELECT a.project_id, a.worker_id, a.period
      FROM anyp m
      JOIN wagecheck.attendance_project_month pm ON pm.period = m.period
     CROSS JOIN LATERAL (SELECT a.project_id, a.worker_id, a.period
                           FROM wagecheck.attendance_month a
                          WHERE a.project_id = pm.project_id AND a.period = pm.period
                         OFFSET 0) a
    UNION ALL
    SELECT a.project_id, a.worker_id, a.period
      FROM (SELECT DISTINCT r.project_id, c.period
              FROM c
              JOIN wagecheck.roster r ON r.pay_day = c.pay_day AND r.pay_month_offset = c.pay_month_offset
             WHERE NOT c.default_terms AND c.period NOT IN (SELECT anyp.period FROM anyp)) k
      JOIN wagecheck.attendance_month a ON a.project_id = k.project_id AND a.period = k.period
$$;
COMMENT ON FUNCTION wagecheck._attendance_pay_passing(timestamptz, timestamptz) IS
    'the attendance months (project, worker, month) whose pay date may pass between two moments, for the pay terms in use on their project (internal)';

-- _wages_owed_compute(as_of): per project, worker and month on a pay sheet, the net
-- wages (effective lines: corrections replace the line they correct), paid, and owed.
CREATE OR REPLACE FUNCTION wagecheck._wages_owed_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- one pass over lines and payments with hash joins: the hash tables should not spill
    SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS (    -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    lp AS (            -- lines known then, whether a correction replaces them, their pay date
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               c.line_id IS NULL AS effective, d.pay_date
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
          LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id AND c.created_at <= as_of
          LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = s.project_id AND t.worker_id = l.worker_id
          JOIN dates d ON d.period = s.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                      AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
         WHERE l.created_at <= as_of
    ),
    py AS (            -- payments per line known then
        SELECT y.line_id, sum(y.amount) AS paid, array_agg(y.paid_at) AS ats, array_agg(y.amount) AS amounts
          FROM wagecheck.wage_payment y
         WHERE y.paid_at <= as_of AND y.created_at <= as_of
         GROUP BY y.line_id
    ),
    pl AS (
        SELECT lp.*, py.paid, b.paid_by
          FROM lp
          LEFT JOIN py ON py.line_id = lp.line_id
          LEFT JOIN LATERAL (SELECT sum(u.a) FILTER (WHERE u.at::date <= lp.pay_date) AS paid_by
                               FROM unnest(py.ats, py.amounts) u(at, a)) b ON true
    )
    SELECT pl.project_id, pl.worker_id, min(pl.employer_id), pl.period, pl.pay_date,
           coalesce(sum(pl.days) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.payable) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.paid), 0), coalesce(sum(pl.paid_by), 0),
           greatest(coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0) - coalesce(sum(pl.paid), 0), 0)
      FROM pl
     GROUP BY pl.project_id, pl.worker_id, pl.period, pl.pay_date
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_compute(timestamptz) IS
    'computes wagecheck.wages_owed (internal)';

-- _attendance_months_compute(as_of): per project, worker and month, the days attended.
CREATE OR REPLACE FUNCTION wagecheck._attendance_months_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    SELECT a.project_id, a.worker_id, date_trunc('month', a.day)::date, count(*)
      FROM wagecheck.attendance a
     WHERE a.day <= as_of::date AND a.created_at <= as_of
     GROUP BY 1, 2, 3
$$;
COMMENT ON FUNCTION wagecheck._attendance_months_compute(timestamptz) IS
    'computes wagecheck.attendance_months (internal)';

-- _wages_owed_summary(as_of): wages_owed from the summary wagecheck.wage_month (exact
-- only when _summary_exact('wages_owed', as_of)); pay dates from the pay terms known then.
-- A SQL-standard body without SET clauses, so that it is inlined: a scan's memo is written
-- straight from its query (callers give it work_mem = 64MB for its hash joins).
CREATE OR REPLACE FUNCTION wagecheck._wages_owed_summary(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH dates AS MATERIALIZED (    -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    )
    SELECT w.project_id, w.worker_id, w.employer_id, w.period, d.pay_date, w.days, w.payable, w.net, w.paid,
           -- payments are in time order: all, none, or those up to the pay date
           CASE WHEN cardinality(w.paid_ats) = 0 OR w.paid_ats[1]::date > d.pay_date THEN 0
                WHEN w.paid_ats[cardinality(w.paid_ats)]::date <= d.pay_date THEN w.paid
                ELSE (SELECT sum(u.a) FROM unnest(w.paid_ats, w.paid_each) u(at, a)
                       WHERE u.at::date <= d.pay_date) END,
           greatest(w.net - w.paid, 0)
      FROM wagecheck.wage_month w
      LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = w.project_id AND t.worker_id = w.worker_id
      JOIN dates d ON d.period = w.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint);
END;
COMMENT ON FUNCTION wagecheck._wages_owed_summary(timestamptz) IS
    'wagecheck.wages_owed read from the summary wagecheck.wage_month (internal)';

-- A scan computes once the building blocks its evaluators share, as temporary tables that
-- live until the end of the scan (pg_temp.wc_memo names them and their moment); the
-- functions below read them when they are there for the moment asked, else read the
-- summary kept at write time when it is exact for the moment, else compute from raw rows.
CREATE OR REPLACE FUNCTION wagecheck.wages_owed(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck
    SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_owed', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_owed';
    ELSIF wagecheck._summary_exact('wages_owed', as_of) THEN
        RAISE DEBUG 'wagecheck: wages_owed as of % from the summary wage_month', as_of;
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_summary(as_of);
    ELSE
        RAISE DEBUG 'wagecheck: wages_owed as of % from the raw rows (rows known after it)', as_of;
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.wages_owed(timestamptz) IS
    'wages per project, worker and month as known at a moment: pay date, days, payable (应发), net (实发), paid, paid by the pay date, owed (corrections replace the line they correct; unknown pay terms: the 15th of the next month)';

-- _wages_owed_projects(as_of, projects): _wages_owed_compute(as_of) for the given projects
-- only, reading their sheets, lines, payments and roster through the indexes on project_id,
-- sheet_id and line_id (the raw rows of a per-project evaluation when the summary is not exact).
CREATE OR REPLACE FUNCTION wagecheck._wages_owed_projects(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH lines AS MATERIALIZED (   -- the projects' lines known then, the pay terms of their worker
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                            WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of) AS effective,
               coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.pay_sheet s ON s.project_id = q.project_id
          JOIN wagecheck.pay_line l ON l.sheet_id = s.sheet_id
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE r.project_id = s.project_id AND r.worker_id = l.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
         WHERE l.created_at <= as_of
    ),
    dates AS MATERIALIZED (        -- as _wages_owed_compute: months with a sheet known then
        SELECT k.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT lines.period, lines.pay_day, lines.pay_month_offset FROM lines) k
         WHERE k.period IN (SELECT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of)
    ),
    pl AS (
        SELECT lines.*, d.pay_date, y.paid, y.paid_by
          FROM lines
          JOIN dates d USING (period, pay_day, pay_month_offset)
          LEFT JOIN LATERAL (SELECT sum(y.amount) AS paid,
                                    sum(y.amount) FILTER (WHERE y.paid_at::date <= d.pay_date) AS paid_by
                               FROM wagecheck.wage_payment y
                              WHERE y.line_id = lines.line_id AND y.paid_at <= as_of
                                AND y.created_at <= as_of) y ON true
    )
    SELECT pl.project_id, pl.worker_id, min(pl.employer_id), pl.period, pl.pay_date,
           coalesce(sum(pl.days) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.payable) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0),
           coalesce(sum(pl.paid), 0), coalesce(sum(pl.paid_by), 0),
           greatest(coalesce(sum(pl.net) FILTER (WHERE pl.effective), 0) - coalesce(sum(pl.paid), 0), 0)
      FROM pl
     GROUP BY pl.project_id, pl.worker_id, pl.period, pl.pay_date
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_projects(timestamptz, bigint[]) IS
    'wagecheck.wages_owed of the given projects only, computed from their raw rows (internal)';

-- _wages_unpaid_summary(as_of, projects): the months of wage_month not fully paid (the partial
-- index wage_month_open: few), with the pay date of the pay terms known then, past it;
-- of the given projects, or all when NULL. Exact only when _summary_exact('wages_owed', as_of).
-- When the roster holds no pay terms but the default ones (15th of the next month), every
-- month has those: the roster is not read per month.
CREATE OR REPLACE FUNCTION wagecheck._wages_unpaid_summary(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH terms AS MATERIALIZED (   -- other pay terms than the default in use
        SELECT EXISTS (SELECT 1 FROM wagecheck._pay_terms_in_use() u
                        WHERE (u.pay_day, u.pay_month_offset) <> (15, 1)) AS other
    ),
    c AS MATERIALIZED (
        SELECT w.*, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM wagecheck.wage_month w
          LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                              WHERE (SELECT terms.other FROM terms)
                                AND r.project_id = w.project_id AND r.worker_id = w.worker_id
                                AND r.created_at <= as_of AND r.start_on <= as_of::date
                              ORDER BY r.start_on DESC LIMIT 1) t ON true
         WHERE w.settled_at IS NULL AND (projects IS NULL OR w.project_id = ANY (projects))
    ),
    dates AS MATERIALIZED (        -- one pay date per (month, terms), not per row
        SELECT k.*, wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT c.period, c.pay_day, c.pay_month_offset FROM c) k
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      JOIN dates d USING (period, pay_day, pay_month_offset)
     WHERE d.pay_date < as_of::date
$$;
COMMENT ON FUNCTION wagecheck._wages_unpaid_summary(timestamptz, bigint[]) IS
    'the months of the summary wage_month still owed past their pay day, of the given projects or all (internal)';

-- _wages_unpaid(as_of, projects): the rows of wages_owed(as_of) with wages owed past their
-- pay day (WP02, WP03), of the given projects or all when NULL: from the few months of the
-- summary not fully paid when it is exact for the moment, else from the raw rows.
CREATE OR REPLACE FUNCTION wagecheck._wages_unpaid(as_of timestamptz, projects bigint[] DEFAULT NULL)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_unpaid_summary(as_of, projects);
    ELSIF projects IS NULL THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of) o
                      WHERE o.owed > 0 AND o.pay_date < as_of::date;
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_projects(as_of, projects) o
                      WHERE o.owed > 0 AND o.pay_date < as_of::date;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_unpaid(timestamptz, bigint[]) IS
    'the rows of wages_owed with wages owed past their pay day, of the given projects or all (internal)';

-- _wages_late_summary(as_of, projects, pay_dates): the months of the projects in wage_month
-- past their pay day and not fully paid by it (with pay_dates: only those whose pay date is
-- one of them). A month settled (settled_at) before the first pay date any pay terms give its
-- month cannot be late: pay terms and dates only for the others.
CREATE OR REPLACE FUNCTION wagecheck._wages_late_summary(as_of timestamptz, projects bigint[],
                                              pay_dates datemultirange DEFAULT NULL)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (        -- per month, the earliest pay date, as the moment it ends
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
           AND (pay_dates IS NULL OR datemultirange(daterange(min(d.pay_date), max(d.pay_date), '[]')) && pay_dates)
    ),
    c AS MATERIALIZED (            -- the projects' months settled after that, or not at all
        SELECT w.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.wage_month w ON w.project_id = q.project_id
          JOIN first f ON f.period = w.period
         WHERE coalesce(w.settled_at, 'infinity') >= f.after
    ),
    terms AS (                     -- the pay terms known then of the projects' workers
        SELECT DISTINCT ON (r.project_id, r.worker_id) r.project_id, r.worker_id, r.pay_day, r.pay_month_offset
          FROM wagecheck.roster r
         WHERE r.project_id = ANY (projects) AND r.created_at <= as_of AND r.start_on <= as_of::date
         ORDER BY r.project_id, r.worker_id, r.start_on DESC
    )
    SELECT c.project_id, c.worker_id, c.employer_id, c.period, d.pay_date, c.days, c.payable, c.net, c.paid,
           (SELECT coalesce(sum(u.a), 0) FROM unnest(c.paid_ats, c.paid_each) u(at, a)
             WHERE u.at::date <= d.pay_date),
           greatest(c.net - c.paid, 0)
      FROM c
      LEFT JOIN terms t ON t.project_id = c.project_id AND t.worker_id = c.worker_id
      JOIN dates d ON d.period = c.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                  AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
     WHERE d.pay_date < as_of::date
       AND coalesce(c.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz
       AND (pay_dates IS NULL OR d.pay_date <@ pay_dates)
$$;
COMMENT ON FUNCTION wagecheck._wages_late_summary(timestamptz, bigint[], datemultirange) IS
    'the months of the given projects in the summary wage_month past their pay day and not fully paid by it, with pay_dates only those paid on one of them (internal)';

-- _wages_late(as_of, projects): the rows of wages_owed(as_of) of the given projects (all when
-- NULL) past their pay day and not fully paid by it: owed, or paid in full only after the pay
-- day (DP01 reads those of a contractor's projects).
CREATE OR REPLACE FUNCTION wagecheck._wages_late(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_late_summary(
            as_of, coalesce(projects, ARRAY(SELECT p.project_id FROM wagecheck.project p)));
    ELSIF projects IS NULL THEN
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of) o
                      WHERE o.pay_date < as_of::date AND o.paid_by_pay_date < o.net;
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_projects(as_of, projects) o
                      WHERE o.pay_date < as_of::date AND o.paid_by_pay_date < o.net;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_late(timestamptz, bigint[]) IS
    'the rows of wages_owed of the given projects (all when NULL) past their pay day and not fully paid by it: owed or paid late (internal)';

-- _contractor_arrears(as_of, contractors): per contractor, the latest pay date of a month of
-- its projects past its pay day and not fully paid by it (DP01's exemptions). From the
-- summary when it is exact for the moment, without reading every month late: per project,
-- the latest month with a month late (months latest first, through wage_month_settled, the
-- first with one); a month late of an earlier month can only have a later pay date when that
-- month's latest pay date (any terms in use) reaches the latest month's earliest, so only
-- those months are asked, each for its pay dates latest first, the first with a month late
-- of those terms. Pay terms are looked up per month asked, not for every month late.
CREATE OR REPLACE FUNCTION wagecheck._contractor_arrears(as_of timestamptz, contractors bigint[])
    RETURNS TABLE (contractor_id bigint, last_arrears date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
DECLARE
    projects bigint[] := ARRAY(SELECT p.project_id FROM wagecheck.project p WHERE p.contractor_id = ANY (contractors));
BEGIN
    IF NOT wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY
        SELECT pr.contractor_id, max(o.pay_date)
          FROM wagecheck._wages_late(as_of, projects) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
         GROUP BY pr.contractor_id;
        RETURN;
    END IF;
    RETURN QUERY
    WITH dates AS MATERIALIZED (   -- pay dates of the few (month, day, offset) combinations
        SELECT m.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(m.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT s.period FROM wagecheck.pay_sheet s WHERE s.created_at <= as_of) m
         CROSS JOIN (SELECT DISTINCT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                     UNION SELECT 15::smallint, 1::smallint) k
    ),
    first AS MATERIALIZED (        -- per month: its earliest pay date (as the moment it ends) and latest
        SELECT d.period, ((min(d.pay_date) + 1)::timestamptz) AS after, min(d.pay_date) AS lo,
               max(d.pay_date) AS hi
          FROM dates d
         GROUP BY d.period
        HAVING min(d.pay_date) < as_of::date
    ),
    latest AS MATERIALIZED (       -- per project, the latest month with a month late: its earliest pay date
        SELECT q.project_id, l.lo
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
         CROSS JOIN LATERAL (
                SELECT f.lo
                  FROM first f
                 WHERE EXISTS (SELECT 1
                                 FROM wagecheck.wage_month w
                                 LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                                     WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                                                       AND r.created_at <= as_of AND r.start_on <= as_of::date
                                                     ORDER BY r.start_on DESC LIMIT 1) t ON true
                                 JOIN dates d ON d.period = w.period AND d.pay_day = coalesce(t.pay_day, 15::smallint)
                                             AND d.pay_month_offset = coalesce(t.pay_month_offset, 1::smallint)
                                WHERE w.project_id = q.project_id AND w.period = f.period
                                  AND coalesce(w.settled_at, 'infinity') >= f.after
                                  AND d.pay_date < as_of::date
                                  AND coalesce(w.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz)
                 ORDER BY f.period DESC
                 LIMIT 1) l
    ),
    by_project AS MATERIALIZED (   -- per project, the latest pay date of a month late
        SELECT lt.project_id, max(x.pay_date) AS last_arrears
          FROM latest lt
          JOIN first f ON f.hi >= lt.lo
         CROSS JOIN LATERAL (
                SELECT d.pay_date
                  FROM dates d
                 WHERE d.period = f.period AND d.pay_date >= lt.lo AND d.pay_date < as_of::date
                   AND EXISTS (SELECT 1
                                 FROM wagecheck.wage_month w
                                 LEFT JOIN LATERAL (SELECT r.pay_day, r.pay_month_offset FROM wagecheck.roster r
                                                     WHERE r.project_id = w.project_id AND r.worker_id = w.worker_id
                                                       AND r.created_at <= as_of AND r.start_on <= as_of::date
                                                     ORDER BY r.start_on DESC LIMIT 1) t ON true
                                WHERE w.project_id = lt.project_id AND w.period = f.period
                                  AND coalesce(w.settled_at, 'infinity') >= (d.pay_date + 1)::timestamptz
                                  AND coalesce(t.pay_day, 15::smallint) = d.pay_day
                                  AND coalesce(t.pay_month_offset, 1::smallint) = d.pay_month_offset)
                 ORDER BY d.pay_date DESC
                 LIMIT 1) x
         GROUP BY lt.project_id
    )
    SELECT pr.contractor_id, max(b.last_arrears)
      FROM by_project b
      JOIN wagecheck.project pr ON pr.project_id = b.project_id
     GROUP BY pr.contractor_id;
END
$$;
COMMENT ON FUNCTION wagecheck._contractor_arrears(timestamptz, bigint[]) IS
    'per contractor, the latest pay date of a month of its projects paid late or owed (internal)';

-- _wages_owed_by_project(as_of, projects): per project of those given, the wages owed (the
-- sum of wages_owed(as_of).owed), where positive: from the months of the summary not fully
-- paid when it is exact for the moment, else from the projects' raw rows (AC05).
CREATE OR REPLACE FUNCTION wagecheck._wages_owed_by_project(as_of timestamptz, projects bigint[])
    RETURNS TABLE (project_id bigint, owed numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._summary_exact('wages_owed', as_of) THEN
        RETURN QUERY SELECT w.project_id, sum(w.net - w.paid)
                       FROM wagecheck.wage_month w
                      WHERE w.settled_at IS NULL AND w.project_id = ANY (projects)
                      GROUP BY w.project_id
                     HAVING sum(w.net - w.paid) > 0;
    ELSE
        RETURN QUERY SELECT o.project_id, sum(o.owed)
                       FROM wagecheck._wages_owed_projects(as_of, projects) o
                      GROUP BY o.project_id
                     HAVING sum(o.owed) > 0;
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_by_project(timestamptz, bigint[]) IS
    'wages owed per project of those given, where positive (internal)';

CREATE OR REPLACE FUNCTION wagecheck.attendance_months(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('attendance_months', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_attendance_months';
    ELSIF wagecheck._summary_exact('attendance_months', as_of) THEN
        RAISE DEBUG 'wagecheck: attendance_months as of % from the summary attendance_month', as_of;
        RETURN QUERY SELECT a.project_id, a.worker_id, a.period, a.days FROM wagecheck.attendance_month a;
    ELSE
        RAISE DEBUG 'wagecheck: attendance_months as of % from the raw rows (rows known after it)', as_of;
        RETURN QUERY SELECT * FROM wagecheck._attendance_months_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attendance_months(timestamptz) IS
    'days attended per project, worker and month, as known at a moment';

-- ---------------------------------------------------------------- months owed by pay terms (WP02, WP03 horizons)

COMMENT ON TYPE wagecheck.pay_term_month IS 'a month and pay terms (pay day, month offset) (internal)';

-- _owed_months_passing(months, as_of): the projects with a month still owed (the partial
-- index of wage_month's open months, wage_month_open) among the given (month, pay terms), where the
-- project uses those terms (the index roster_pay_terms), or they are the default ones (15th of
-- the next month) and the month's worker has no pay terms on the project as of as_of. A
-- superset of the projects with such a month owed for a worker of those terms, found without
-- the pay terms of each month owed.
CREATE OR REPLACE FUNCTION wagecheck._owed_months_passing(months wagecheck.pay_term_month[], as_of timestamptz)
    RETURNS bigint[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT ARRAY(SELECT DISTINCT w.project_id
                   FROM unnest(months) m
                   JOIN wagecheck.wage_month w ON w.period = m.period AND w.settled_at IS NULL
                  WHERE EXISTS (SELECT 1 FROM wagecheck.roster r
                                 WHERE r.pay_day = m.pay_day AND r.pay_month_offset = m.pay_month_offset
                                   AND r.project_id = w.project_id)
                     OR ((m.pay_day, m.pay_month_offset) = (15, 1)
                         AND NOT EXISTS (SELECT 1 FROM wagecheck._pay_terms(as_of) t
                                          WHERE t.project_id = w.project_id AND t.worker_id = w.worker_id))
                  ORDER BY 1)
$$;

COMMENT ON FUNCTION wagecheck._owed_months_passing(wagecheck.pay_term_month[], timestamptz) IS
    'the projects with a month owed among the given (month, pay terms) that use those terms, or the default ones for a worker without terms (internal)';
