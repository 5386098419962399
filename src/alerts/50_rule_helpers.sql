-- Shared building blocks of the catalogue's evaluators: pay days and wages owed,
-- as known at a moment (rows created after it are not seen).

-- _memo_ready(name, as_of): the scan in progress has computed this building block for this moment.
CREATE FUNCTION wagecheck._memo_ready(p_name text, p_as_of timestamptz) RETURNS boolean
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

CREATE FUNCTION wagecheck.wage_pay_date(period date, pay_day smallint, pay_month_offset smallint)
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
CREATE FUNCTION wagecheck._pay_terms(as_of timestamptz)
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

-- _wages_owed_compute(as_of): per project, worker and month on a pay sheet, the net
-- wages (effective lines: corrections replace the line they correct), paid, and owed.
CREATE FUNCTION wagecheck._wages_owed_compute(as_of timestamptz)
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
CREATE FUNCTION wagecheck._attendance_months_compute(as_of timestamptz)
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
CREATE FUNCTION wagecheck._wages_owed_summary(as_of timestamptz)
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
CREATE FUNCTION wagecheck.wages_owed(as_of timestamptz)
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

-- _wages_late(as_of): the rows of wages_owed(as_of) past their pay day and not all paid: owed,
-- or paid in full only after the pay day (WP02, WP03, DP01 read only those).
CREATE FUNCTION wagecheck._wages_late(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck SET work_mem = '64MB' AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_late', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_late';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck.wages_owed(as_of) o
                      WHERE o.pay_date < as_of::date AND (o.owed > 0 OR o.paid_by_pay_date < o.net);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._wages_late(timestamptz) IS
    'the rows of wages_owed past their pay day with wages owed or paid late (internal)';

CREATE FUNCTION wagecheck.attendance_months(as_of timestamptz)
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
