-- Public-opinion reports (舆情), the definitions: guards, pushes to the unit, verify and
-- report (the table: once/40_opinion.sql).

COMMENT ON TABLE wagecheck.opinion_report IS 'public-opinion reports (舆情) on a project or enterprise: verified (核查) within verify_hours and reported upward (上报) within report_hours of receipt (OP01)';
COMMENT ON COLUMN wagecheck.opinion_report.mass_incident IS 'a mass or extreme incident (群体性/极端事件): top priority, and when confirmed a ground for the dishonest list';
COMMENT ON COLUMN wagecheck.opinion_report.unit_code IS 'unit answering for it (default: the unit of the project''s division)';

CREATE OR REPLACE FUNCTION wagecheck.opinion_report_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.enterprise_id IS NULL THEN
            SELECT p.contractor_id INTO NEW.enterprise_id FROM wagecheck.project p WHERE p.project_id = NEW.project_id;
        END IF;
        IF NEW.unit_code IS NULL THEN
            NEW.unit_code := wagecheck.unit_for_division(
                coalesce((SELECT p.division FROM wagecheck.project p WHERE p.project_id = NEW.project_id),
                         (SELECT e.division FROM wagecheck.enterprise e WHERE e.enterprise_id = NEW.enterprise_id)));
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.received_at IS DISTINCT FROM OLD.received_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s: the time of receipt cannot change', OLD.report_id);
    END IF;
    IF OLD.verified_at IS NOT NULL AND (NEW.verified_at, NEW.verified_by, NEW.verification, NEW.mass_incident)
            IS DISTINCT FROM (OLD.verified_at, OLD.verified_by, OLD.verification, OLD.mass_incident) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s was verified at %s: the verification is final', OLD.report_id, OLD.verified_at),
            HINT = wagecheck._msg('Record a new report if the situation changes.');
    END IF;
    IF OLD.reported_at IS NOT NULL AND (NEW.reported_at, NEW.reported_to) IS DISTINCT FROM (OLD.reported_at, OLD.reported_to) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s was reported at %s: the report is final', OLD.report_id, OLD.reported_at);
    END IF;
    IF NEW.reported_at IS NOT NULL AND NEW.verified_at IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s must be verified before it is reported', OLD.report_id),
            HINT = wagecheck._msg('Use wagecheck.verify_opinion_report first (第一时间核查落实, then 第一时间反馈上报).');
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.opinion_report_before() IS 'trigger: fills enterprise and unit; verification and reporting happen once, in that order';
CREATE OR REPLACE TRIGGER opinion_report_before BEFORE INSERT OR UPDATE ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.opinion_report_before();
CREATE OR REPLACE TRIGGER opinion_report_no_delete BEFORE DELETE ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER opinion_report_no_truncate BEFORE TRUNCATE ON wagecheck.opinion_report
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE OR REPLACE FUNCTION wagecheck.opinion_report_pushed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    PERFORM wagecheck.push_lead(NEW.unit_code, 'opinion', NEW.report_id,
        jsonb_build_object('report_id', NEW.report_id, 'kind', NEW.kind, 'mass_incident', NEW.mass_incident,
                           'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id,
                           'received_at', NEW.received_at, 'summary', NEW.summary));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.opinion_report_pushed() IS 'trigger: pushes each new opinion report to its unit at once (outbox + NOTIFY)';
CREATE OR REPLACE TRIGGER opinion_report_pushed AFTER INSERT ON wagecheck.opinion_report
    FOR EACH ROW EXECUTE FUNCTION wagecheck.opinion_report_pushed();

CREATE OR REPLACE FUNCTION wagecheck.verify_opinion_report(p_report_id bigint, p_officer text, p_verification text,
                                                p_mass_incident boolean DEFAULT NULL,
                                                p_at timestamptz DEFAULT now())
    RETURNS wagecheck.opinion_report LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE r wagecheck.opinion_report;
BEGIN
    SELECT * INTO r FROM wagecheck.opinion_report WHERE report_id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('opinion report %s does not exist', p_report_id);
    END IF;
    IF r.verified_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s was already verified at %s', p_report_id, r.verified_at);
    END IF;
    UPDATE wagecheck.opinion_report
       SET verified_at = p_at, verified_by = p_officer, verification = p_verification,
           mass_incident = coalesce(p_mass_incident, mass_incident)
     WHERE report_id = p_report_id RETURNING * INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION wagecheck.verify_opinion_report(bigint, text, text, boolean, timestamptz) IS 'records the verification (核查) of an opinion report: confirmed or unfounded, and whether it is a mass incident';

CREATE OR REPLACE FUNCTION wagecheck.report_opinion_report(p_report_id bigint, p_to text, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.opinion_report LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE r wagecheck.opinion_report;
BEGIN
    SELECT * INTO r FROM wagecheck.opinion_report WHERE report_id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('opinion report %s does not exist', p_report_id);
    END IF;
    IF r.reported_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('opinion report %s was already reported at %s', p_report_id, r.reported_at);
    END IF;
    UPDATE wagecheck.opinion_report SET reported_at = p_at, reported_to = p_to
     WHERE report_id = p_report_id RETURNING * INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION wagecheck.report_opinion_report(bigint, text, timestamptz) IS 'records that a verified opinion report was reported upward (反馈上报) to the named body';
