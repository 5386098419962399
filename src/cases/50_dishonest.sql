-- Dishonest list (失信联合惩戒对象名单), the definitions: guards, candidates, listing,
-- declining and removal (tables: once/50_dishonest.sql).

COMMENT ON TABLE wagecheck.dishonest_listing IS 'enterprises on the dishonest list (失信联合惩戒): unit, legal representative, responsible persons, reason, listed_on to ends_on (listing_years), early removal, police referral; BL02 reads (enterprise_id, listed_on, ends_on, removed_on)';
COMMENT ON COLUMN wagecheck.dishonest_listing.order_ids IS 'the missed orders to pay (case_order) the listing rests on';
COMMENT ON COLUMN wagecheck.dishonest_listing.report_ids IS 'the confirmed mass-incident reports (opinion_report) the listing rests on';
COMMENT ON COLUMN wagecheck.dishonest_listing.ends_on IS 'first day off the list: listed_on + listing_years (BL01 parameter, default 3)';
COMMENT ON COLUMN wagecheck.dishonest_listing.corrected_on IS 'day the enterprise corrected the violation (repaid in full)';
COMMENT ON COLUMN wagecheck.dishonest_listing.pledge_on IS 'day of the written credit-repair pledge (信用承诺书)';
COMMENT ON COLUMN wagecheck.dishonest_listing.published_on IS 'day pushed to the credit platform (信用中国（山东临沂）)';

CREATE OR REPLACE FUNCTION wagecheck.dishonest_listed(p_enterprise_id bigint, p_on date) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                    WHERE l.enterprise_id = p_enterprise_id AND l.listed_on <= p_on AND p_on < l.ends_on
                      AND (l.removed_on IS NULL OR p_on < l.removed_on)) $$;
COMMENT ON FUNCTION wagecheck.dishonest_listed(bigint, date) IS 'true when the enterprise is on the dishonest list on that day';
COMMENT ON TABLE wagecheck.dishonest_declined IS 'BL01 proposals an officer decided not to list, with the orders they covered (a new missed order proposes again)';

CREATE OR REPLACE FUNCTION wagecheck.dishonest_listing_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    e wagecheck.enterprise;
    unpaid bigint[];
    months int;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- the end is counted from the listing: refuse an implausible one as its check does
        PERFORM wagecheck._plausible(NEW.listed_on, 'dishonest_listing', 'listed_on');
        SELECT * INTO e FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id;
        NEW.legal_rep := coalesce(NEW.legal_rep, e.legal_rep);
        IF NEW.ends_on IS NULL THEN
            NEW.ends_on := NEW.listed_on
                + make_interval(years => (wagecheck.rule_param('BL01', 'listing_years', e.division))::int);
        END IF;
        PERFORM 1 FROM wagecheck.enterprise WHERE enterprise_id = NEW.enterprise_id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                    WHERE l.enterprise_id = NEW.enterprise_id
                      AND daterange(l.listed_on, coalesce(l.removed_on, l.ends_on))
                          && daterange(NEW.listed_on, NEW.ends_on)) THEN
            RAISE EXCEPTION USING ERRCODE = '23P01',
                MESSAGE = wagecheck._msg('enterprise %s is already on the dishonest list for part of %s to %s',
                                 NEW.enterprise_id, NEW.listed_on, NEW.ends_on);
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.enterprise_id, NEW.legal_rep, NEW.reason, NEW.listed_on, NEW.ends_on, NEW.decided_by,
        NEW.order_ids, NEW.report_ids, NEW.created_at)
       IS DISTINCT FROM (OLD.enterprise_id, OLD.legal_rep, OLD.reason, OLD.listed_on, OLD.ends_on,
                         OLD.decided_by, OLD.order_ids, OLD.report_ids, OLD.created_at) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('listing %s: the decision (unit, legal representative, reason, basis, dates) cannot change', OLD.listing_id),
            HINT = wagecheck._msg('Remove the listing early if the law allows, or record a new listing.');
    END IF;
    IF OLD.removed_on IS NOT NULL AND (NEW.removed_on, NEW.removal_reason, NEW.corrected_on, NEW.pledge_on)
            IS DISTINCT FROM (OLD.removed_on, OLD.removal_reason, OLD.corrected_on, OLD.pledge_on) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('listing %s was removed on %s: the removal is final', OLD.listing_id, OLD.removed_on);
    END IF;
    IF OLD.police_referred_on IS NOT NULL
       AND (NEW.police_referred_on, NEW.police_ref) IS DISTINCT FROM (OLD.police_referred_on, OLD.police_ref) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('listing %s was referred to the police on %s: the referral is final', OLD.listing_id, OLD.police_referred_on);
    END IF;
    IF OLD.removed_on IS NULL AND NEW.removed_on IS NOT NULL THEN
        SELECT e2.division INTO e.division FROM wagecheck.enterprise e2 WHERE e2.enterprise_id = NEW.enterprise_id;
        months := (wagecheck.rule_param('BL01', 'removal_months', e.division))::int;
        SELECT array_agg(o.order_id ORDER BY o.order_id) INTO unpaid
          FROM wagecheck.case_order o
         WHERE o.enterprise_id = NEW.enterprise_id AND o.issued_on <= NEW.removed_on
           AND (o.complied_on IS NULL OR o.complied_on > NEW.removed_on);
        IF unpaid IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = wagecheck._msg('listing %s cannot be removed early: wages are not repaid', OLD.listing_id),
                DETAIL = wagecheck._msg('Orders to pay not yet met: %s.', array_to_string(unpaid, ', ')),
                HINT = wagecheck._msg('Record complied_on on each order once the wages are paid.');
        END IF;
        IF NEW.corrected_on IS NULL OR NEW.removed_on < NEW.corrected_on + make_interval(months => months) THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = wagecheck._msg('listing %s cannot be removed early: %s months must pass after the correction', OLD.listing_id, months),
                DETAIL = CASE WHEN NEW.corrected_on IS NULL THEN wagecheck._msg('No correction date is recorded.')
                              ELSE wagecheck._msg('Corrected on %s: removal possible from %s.', NEW.corrected_on,
                                          (NEW.corrected_on + make_interval(months => months))::date) END;
        END IF;
        IF NEW.pledge_on IS NULL OR NEW.pledge_on > NEW.removed_on THEN
            RAISE EXCEPTION USING ERRCODE = 'WC060',
                MESSAGE = wagecheck._msg('listing %s cannot be removed early without a written credit-repair pledge signed by the removal day', OLD.listing_id),
                HINT = wagecheck._msg('Record pledge_on, the day the pledge (信用承诺书) was signed.');
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.dishonest_listing_guard() IS 'trigger: fills legal representative and end date; one listing at a time; the decision is final; early removal only when repaid, 6 months after correction, with a pledge (WC060)';
CREATE OR REPLACE TRIGGER dishonest_listing_guard BEFORE INSERT OR UPDATE ON wagecheck.dishonest_listing
    FOR EACH ROW EXECUTE FUNCTION wagecheck.dishonest_listing_guard();
CREATE OR REPLACE TRIGGER dishonest_listing_no_delete BEFORE DELETE ON wagecheck.dishonest_listing
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER dishonest_listing_no_truncate BEFORE TRUNCATE ON wagecheck.dishonest_listing
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER dishonest_declined_no_delete BEFORE DELETE OR UPDATE ON wagecheck.dishonest_declined
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER dishonest_declined_no_truncate BEFORE TRUNCATE ON wagecheck.dishonest_declined
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

-- dishonest_candidates: the enterprises meeting the criteria as of a moment (BL01's condition).
CREATE OR REPLACE FUNCTION wagecheck.dishonest_candidates(p_as_of timestamptz)
    RETURNS TABLE (enterprise_id bigint, division wagecheck.division_code, project_id bigint,
                   order_ids bigint[], report_ids bigint[], amount numeric, workers int,
                   by_threshold boolean, by_mass_incident boolean)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    WITH missed AS (
        SELECT o.order_id, o.enterprise_id, o.amount, o.workers, c.division, c.project_id,
               (o.months_owed >= (wagecheck.rule_param('BL01', 'one_worker_months', c.division))::int
                AND o.max_worker_amount >= (wagecheck.rule_param('BL01', 'one_worker_amount', c.division))::numeric)
               OR (o.workers >= (wagecheck.rule_param('BL01', 'workers', c.division))::int
                   AND o.amount >= (wagecheck.rule_param('BL01', 'total_amount', c.division))::numeric) AS big,
               (SELECT array_agg(r.report_id ORDER BY r.report_id) FROM wagecheck.opinion_report r
                 WHERE r.mass_incident AND r.verification = 'confirmed' AND r.verified_at <= p_as_of
                   AND (r.enterprise_id = o.enterprise_id OR r.project_id = c.project_id)) AS mass
          FROM wagecheck.case_order o
          JOIN wagecheck.case_ledger c ON c.case_id = o.case_id
         WHERE o.issued_on <= p_as_of::date AND o.due_on < p_as_of::date
           AND (o.complied_on IS NULL OR o.complied_on > o.due_on)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_declined d
                            WHERE o.order_id = ANY (d.order_ids) AND d.decided_at <= p_as_of)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                            WHERE o.order_id = ANY (l.order_ids) AND l.listed_on <= p_as_of::date)
    )
    SELECT m.enterprise_id, (array_agg(m.division ORDER BY m.amount DESC))[1],
           (array_agg(m.project_id ORDER BY m.amount DESC))[1],
           array_agg(m.order_id ORDER BY m.order_id),
           (SELECT array_agg(DISTINCT x ORDER BY x) FROM missed m2, unnest(m2.mass) x
             WHERE m2.enterprise_id = m.enterprise_id),
           sum(m.amount), max(m.workers), bool_or(m.big), bool_or(m.mass IS NOT NULL)
      FROM missed m
     WHERE (m.big OR m.mass IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM wagecheck.dishonest_listing l
                        WHERE l.enterprise_id = m.enterprise_id AND l.listed_on <= p_as_of::date AND p_as_of::date < l.ends_on
                          AND (l.removed_on IS NULL OR p_as_of::date < l.removed_on))
     GROUP BY m.enterprise_id
$$;
COMMENT ON FUNCTION wagecheck.dishonest_candidates(timestamptz) IS 'enterprises meeting the dishonest-list criteria as of a moment: a missed order to pay (not yet listed or declined) at the provincial threshold, or with a confirmed mass incident';

CREATE OR REPLACE FUNCTION wagecheck.decline_dishonest_listing(p_enterprise_id bigint, p_officer text, p_reason text,
                                                    p_at timestamptz DEFAULT now())
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    ids bigint[];
    id bigint;
BEGIN
    SELECT d.order_ids INTO ids FROM wagecheck.dishonest_candidates(p_at) d WHERE d.enterprise_id = p_enterprise_id;
    IF ids IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('enterprise %s is not proposed for the dishonest list at %s', p_enterprise_id, p_at);
    END IF;
    INSERT INTO wagecheck.dishonest_declined (enterprise_id, order_ids, decided_by, decided_at, reason)
    VALUES (p_enterprise_id, ids, p_officer, p_at, p_reason) RETURNING declined_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.decline_dishonest_listing(bigint, text, text, timestamptz) IS 'an officer decides not to list a proposed enterprise (for the orders proposed now)';

CREATE OR REPLACE FUNCTION wagecheck.list_dishonest(p_enterprise_id bigint, p_officer text, p_reason text,
                                         p_listed_on date DEFAULT current_date,
                                         p_responsible_persons text[] DEFAULT '{}')
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    d record;
    id bigint;
BEGIN
    SELECT * INTO d FROM wagecheck.dishonest_candidates((p_listed_on + 1)::timestamptz) c
     WHERE c.enterprise_id = p_enterprise_id;
    INSERT INTO wagecheck.dishonest_listing (enterprise_id, responsible_persons, reason, order_ids, report_ids,
                                             decided_by, listed_on)
    VALUES (p_enterprise_id, coalesce(p_responsible_persons, '{}'), p_reason, coalesce(d.order_ids, '{}'),
            coalesce(d.report_ids, '{}'), p_officer, p_listed_on)
    RETURNING listing_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.list_dishonest(bigint, text, text, date, text[]) IS 'an officer lists an enterprise on the dishonest list, resting on the orders and incidents BL01 proposes on the listing day';

CREATE OR REPLACE FUNCTION wagecheck.remove_dishonest_listing(p_listing_id bigint, p_removed_on date, p_corrected_on date,
                                                   p_pledge_on date, p_reason text)
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    UPDATE wagecheck.dishonest_listing
       SET removed_on = p_removed_on, corrected_on = p_corrected_on, pledge_on = p_pledge_on,
           removal_reason = p_reason
     WHERE listing_id = p_listing_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('listing %s does not exist', p_listing_id);
    END IF;
END $$;
COMMENT ON FUNCTION wagecheck.remove_dishonest_listing(bigint, date, date, date, text) IS 'early removal from the dishonest list (信用修复): refused (WC060) unless repaid, removal_months after the correction, with a pledge';
