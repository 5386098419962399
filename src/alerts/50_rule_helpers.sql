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
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH lines AS (
        SELECT s.project_id, l.worker_id, s.employer_id, s.period, l.line_id, l.days, l.payable, l.net,
               NOT EXISTS (SELECT 1 FROM wagecheck.pay_line c
                            WHERE c.corrects_line_id = l.line_id AND c.created_at <= as_of) AS effective
          FROM wagecheck.pay_line l
          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
         WHERE l.created_at <= as_of
    ),
    pays AS (
        SELECT p.line_id, p.amount, p.paid_at
          FROM wagecheck.wage_payment p
         WHERE p.paid_at <= as_of AND p.created_at <= as_of
    ),
    per AS (
        SELECT ln.project_id, ln.worker_id, min(ln.employer_id) AS employer_id, ln.period,
               sum(ln.days) FILTER (WHERE ln.effective) AS days,
               sum(ln.payable) FILTER (WHERE ln.effective) AS payable,
               sum(ln.net) FILTER (WHERE ln.effective) AS net
          FROM lines ln
         GROUP BY ln.project_id, ln.worker_id, ln.period
    ),
    terms AS (
        SELECT per.*, coalesce(t.pay_day, 15::smallint) AS pay_day,
               coalesce(t.pay_month_offset, 1::smallint) AS pay_month_offset
          FROM per
          LEFT JOIN wagecheck._pay_terms(as_of) t
                 ON t.project_id = per.project_id AND t.worker_id = per.worker_id
    ),
    -- pay dates for the few distinct (month, day, offset) combinations
    dates AS (
        SELECT k.period, k.pay_day, k.pay_month_offset,
               wagecheck.wage_pay_date(k.period, k.pay_day, k.pay_month_offset) AS pay_date
          FROM (SELECT DISTINCT terms.period, terms.pay_day, terms.pay_month_offset FROM terms) k
    ),
    owed AS (
        SELECT terms.project_id, terms.worker_id, terms.employer_id, terms.period, dates.pay_date,
               terms.days, terms.payable, terms.net
          FROM terms
          JOIN dates ON dates.period = terms.period AND dates.pay_day = terms.pay_day
                    AND dates.pay_month_offset = terms.pay_month_offset
    ),
    paid AS (
        SELECT ln.project_id, ln.worker_id, ln.period, sum(py.amount) AS paid,
               sum(py.amount) FILTER (WHERE py.paid_at::date <= o.pay_date) AS paid_by
          FROM lines ln
          JOIN pays py ON py.line_id = ln.line_id
          JOIN owed o ON o.project_id = ln.project_id AND o.worker_id = ln.worker_id AND o.period = ln.period
         GROUP BY ln.project_id, ln.worker_id, ln.period
    )
    SELECT o.project_id, o.worker_id, o.employer_id, o.period, o.pay_date,
           coalesce(o.days, 0), coalesce(o.payable, 0), coalesce(o.net, 0),
           coalesce(paid.paid, 0), coalesce(paid.paid_by, 0),
           greatest(coalesce(o.net, 0) - coalesce(paid.paid, 0), 0)
      FROM owed o
      LEFT JOIN paid ON paid.project_id = o.project_id AND paid.worker_id = o.worker_id
                    AND paid.period = o.period
$$;
COMMENT ON FUNCTION wagecheck._wages_owed_compute(timestamptz) IS
    'computes wagecheck.wages_owed (internal)';

-- _attendance_months_compute(as_of): per project, worker and month, the days attended.
CREATE FUNCTION wagecheck._attendance_months_compute(as_of timestamptz)
    RETURNS TABLE (project_id bigint, worker_id bigint, period date, days bigint)
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
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
