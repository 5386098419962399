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
CREATE FUNCTION wagecheck._pay_terms(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, roster_id bigint, employer_id bigint,
                   pay_day smallint, pay_month_offset smallint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT DISTINCT ON (r.project_id, r.worker_id)
           r.project_id, r.worker_id, r.roster_id, r.employer_id, r.pay_day, r.pay_month_offset
      FROM wagecheck.roster r
     WHERE r.created_at <= as_of AND r.start_on <= as_of::date
     ORDER BY r.project_id, r.worker_id, r.start_on DESC
$$;
COMMENT ON FUNCTION wagecheck._pay_terms(timestamptz) IS
    'pay day and month offset of each worker on each project (latest roster entry known at the moment)';

-- _wages_owed_compute(as_of): per project, worker and month on a pay sheet, the net
-- wages (effective lines: corrections replace the line they correct), paid, and owed.
CREATE FUNCTION wagecheck._wages_owed_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    -- whole-city hash joins and aggregates: a nested loop is never the right plan here,
    -- and the hash tables should not spill to disk
    SET search_path = pg_catalog, wagecheck SET enable_nestloop = off SET work_mem = '64MB' AS
$$
    WITH lines AS (
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               c.line_id IS NULL AS effective
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
          LEFT JOIN wagecheck.pay_line c ON c.corrects_line_id = l.line_id AND c.created_at <= as_of
         WHERE l.created_at <= as_of
    ),
    terms AS (
        SELECT k.project_id, k.worker_id, k.period, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM (SELECT DISTINCT lines.project_id, lines.worker_id, lines.period FROM lines) k
          LEFT JOIN wagecheck._pay_terms(as_of) t ON t.project_id = k.project_id AND t.worker_id = k.worker_id
    ),
    -- pay dates for the few distinct (month, day, offset) combinations
    dates AS (
        SELECT d.period, d.pay_day, d.pay_month_offset,
               wagecheck.wage_pay_date(d.period, d.pay_day, d.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT terms.period, terms.pay_day, terms.pay_month_offset FROM terms) d
    ),
    lp AS (
        SELECT lines.*, dates.pay_date
          FROM lines
          JOIN terms ON terms.project_id = lines.project_id AND terms.worker_id = lines.worker_id
                    AND terms.period = lines.period
          JOIN dates ON dates.period = terms.period AND dates.pay_day = terms.pay_day
                    AND dates.pay_month_offset = terms.pay_month_offset
    ),
    py AS (
        SELECT lp.line_id, sum(y.amount) AS paid,
               sum(y.amount) FILTER (WHERE y.paid_at::date <= lp.pay_date) AS paid_by
          FROM lp
          JOIN wagecheck.wage_payment y ON y.line_id = lp.line_id
         WHERE y.paid_at <= as_of AND y.created_at <= as_of
         GROUP BY lp.line_id
    )
    SELECT lp.project_id, lp.worker_id, min(lp.employer_id), lp.period, lp.pay_date,
           coalesce(sum(lp.days) FILTER (WHERE lp.effective), 0),
           coalesce(sum(lp.payable) FILTER (WHERE lp.effective), 0),
           coalesce(sum(lp.net) FILTER (WHERE lp.effective), 0),
           coalesce(sum(py.paid), 0), coalesce(sum(py.paid_by), 0),
           greatest(coalesce(sum(lp.net) FILTER (WHERE lp.effective), 0) - coalesce(sum(py.paid), 0), 0)
      FROM lp
      LEFT JOIN py ON py.line_id = lp.line_id
     GROUP BY lp.project_id, lp.worker_id, lp.period, lp.pay_date
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

-- A scan computes once the building blocks its evaluators share, as temporary tables that
-- live until the end of the scan (pg_temp.wc_memo names them and their moment); the
-- functions below read them when they are there for the moment asked, else compute.
CREATE FUNCTION wagecheck.wages_owed(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, employer_id bigint, period date,
                   pay_date date, days numeric, payable numeric, net numeric, paid numeric,
                   paid_by_pay_date numeric, owed numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('wages_owed', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_wages_owed';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._wages_owed_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.wages_owed(timestamptz) IS
    'wages per project, worker and month as known at a moment: pay date, days, payable (应发), net (实发), paid, paid by the pay date, owed (corrections replace the line they correct; unknown pay terms: the 15th of the next month)';

CREATE FUNCTION wagecheck.attendance_months(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF wagecheck._memo_ready('attendance_months', as_of) THEN
        RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.wc_memo_attendance_months';
    ELSE
        RETURN QUERY SELECT * FROM wagecheck._attendance_months_compute(as_of);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attendance_months(timestamptz) IS
    'days attended per project, worker and month, as known at a moment';
