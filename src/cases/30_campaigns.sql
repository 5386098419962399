-- Campaigns ("两个清零"), the definitions: deadlines, the cases of a campaign and its
-- progress per county and sector (tables: once/30_campaigns.sql).

COMMENT ON TABLE wagecheck.campaign IS 'arrears-clearing campaigns (根治欠薪专项行动, e.g. the 2020-21 winter campaign''s 两个清零)';
COMMENT ON COLUMN wagecheck.campaign.ledger_due_on IS 'day the departments hand in their ledgers (e.g. 12-18)';
COMMENT ON TABLE wagecheck.campaign_deadline IS 'deadline of a campaign per funding class of project: a fixed date, or before the Spring Festival of a year';
COMMENT ON COLUMN wagecheck.campaign_deadline.before_spring_festival_of IS 'year Y of "cleared before the Spring Festival of Y": the deadline is the eve, spring_festival(Y) - 1';

CREATE OR REPLACE FUNCTION wagecheck.campaign_deadline_on(p_campaign_id bigint, p_funding text) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT coalesce(d.deadline_on, wagecheck.spring_festival(d.before_spring_festival_of) - 1)
      FROM wagecheck.campaign_deadline d
     WHERE d.campaign_id = p_campaign_id AND d.funding = p_funding $$;
COMMENT ON FUNCTION wagecheck.campaign_deadline_on(bigint, text) IS 'the last day of a campaign for a funding class (the Spring Festival''s eve for "before the Spring Festival")';

CREATE OR REPLACE FUNCTION wagecheck.campaign_deadline_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    d date := coalesce(NEW.deadline_on, wagecheck.spring_festival(NEW.before_spring_festival_of) - 1);
    s date;
BEGIN
    SELECT starts_on INTO s FROM wagecheck.campaign WHERE campaign_id = NEW.campaign_id;
    IF d < s THEN
        RAISE EXCEPTION USING ERRCODE = '23514',
            MESSAGE = wagecheck._msg('the %s deadline %s falls before the campaign starts (%s)', NEW.funding, d, s);
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.campaign_deadline_check() IS 'trigger: a campaign deadline is not before its start';
CREATE OR REPLACE TRIGGER campaign_deadline_check BEFORE INSERT OR UPDATE ON wagecheck.campaign_deadline
    FOR EACH ROW EXECUTE FUNCTION wagecheck.campaign_deadline_check();

-- campaign_cases: every case a campaign must clear, with its state at the end of a day.
-- A case is in scope when its funding class has a deadline, it was filed by the deadline
-- and by the day asked, and it was not already closed when the campaign started.
CREATE OR REPLACE FUNCTION wagecheck.campaign_cases(p_campaign text, p_as_of date)
    RETURNS TABLE (campaign_id bigint, case_id bigint, funding text, deadline_on date, county text,
                   sector text, amount_owed numeric, repaid numeric, open_at_end boolean, overdue boolean)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    WITH k AS (
        SELECT m.campaign_id, m.starts_on,
               ((p_as_of + 1)::timestamp - interval '1 microsecond')::timestamptz AS end_of_day
          FROM wagecheck.campaign m WHERE m.name = p_campaign
    )
    SELECT k.campaign_id, c.case_id, c.funding, dl.d, left(c.division::text, 6), c.sector, c.amount_owed,
           least(wagecheck.case_repaid_at(c.case_id, p_as_of), c.amount_owed),
           o.open_now, o.open_now AND p_as_of > dl.d
      FROM k
      JOIN wagecheck.case_ledger c ON c.filed_on <= p_as_of
      CROSS JOIN LATERAL (SELECT wagecheck.campaign_deadline_on(k.campaign_id, c.funding) AS d) dl
      CROSS JOIN LATERAL (SELECT wagecheck.case_open_at(c.case_id, k.end_of_day) AS open_now) o
     WHERE dl.d IS NOT NULL AND c.filed_on <= dl.d
       AND (c.filed_on >= k.starts_on
            OR wagecheck.case_open_at(c.case_id, (k.starts_on::timestamp - interval '1 microsecond')::timestamptz))
$$;
COMMENT ON FUNCTION wagecheck.campaign_cases(text, date) IS 'the cases a campaign must clear and their state at the end of a day: repaid so far (capped at the amount owed), still open, overdue';

CREATE OR REPLACE FUNCTION wagecheck.campaign_progress(p_campaign text, p_as_of date, p_by text DEFAULT 'county')
    RETURNS TABLE (campaign text, area text, deadline_class text, deadline_on date,
                   cases_to_clear bigint, amount_to_clear numeric, cases_cleared bigint,
                   amount_repaid numeric, cases_overdue bigint, amount_overdue numeric,
                   cleared_share numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF p_by IS NULL OR p_by NOT IN ('county', 'sector') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = wagecheck._msg('progress is by county or by sector, not %s', quote_nullable(p_by));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM wagecheck.campaign m WHERE m.name = p_campaign) THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('no campaign named %s', quote_nullable(p_campaign));
    END IF;
    RETURN QUERY
    WITH classes AS (
        SELECT d.campaign_id, wagecheck.campaign_deadline_on(d.campaign_id, d.funding) AS dl,
               string_agg(d.funding, '+' ORDER BY array_position(ARRAY['government', 'soe', 'other'], d.funding)) AS cls
          FROM wagecheck.campaign_deadline d JOIN wagecheck.campaign m USING (campaign_id)
         WHERE m.name = p_campaign
         GROUP BY 1, 2
    )
    SELECT p_campaign, CASE p_by WHEN 'county' THEN x.county ELSE x.sector END, cl.cls, x.deadline_on,
           count(*), sum(x.amount_owed),
           count(*) FILTER (WHERE NOT x.open_at_end), sum(x.repaid),
           count(*) FILTER (WHERE x.overdue),
           coalesce(sum(x.amount_owed - x.repaid) FILTER (WHERE x.overdue), 0),
           CASE WHEN sum(x.amount_owed) > 0 THEN round(sum(x.repaid) / sum(x.amount_owed), 4) END
      FROM wagecheck.campaign_cases(p_campaign, p_as_of) x
      JOIN classes cl ON cl.campaign_id = x.campaign_id AND cl.dl = x.deadline_on
     GROUP BY 2, 3, 4
     ORDER BY 2, 4;
END $$;
COMMENT ON FUNCTION wagecheck.campaign_progress(text, date, text) IS 'campaign progress at the end of a day, per county (first 6 digits of the division) or per sector regulator, against each deadline: cases and amounts to clear, cleared, repaid, overdue, 清零率 (repaid / owed)';

CREATE OR REPLACE VIEW wagecheck.campaign_progress_county AS
SELECT p.* FROM wagecheck.campaign m
 CROSS JOIN LATERAL wagecheck.campaign_progress(m.name, current_date, 'county') p;
COMMENT ON VIEW wagecheck.campaign_progress_county IS 'progress of every campaign today, per county and deadline (campaign_progress(name, day, ''county'') for another day)';

CREATE OR REPLACE VIEW wagecheck.campaign_progress_sector AS
SELECT p.* FROM wagecheck.campaign m
 CROSS JOIN LATERAL wagecheck.campaign_progress(m.name, current_date, 'sector') p;
COMMENT ON VIEW wagecheck.campaign_progress_sector IS 'progress of every campaign today, per sector regulator and deadline';
