-- Complaint and case workflow: accept (case opened the same day), reject, withdraw,
-- close out, reopen, reverse a repayment; the analysts' masked view of complaints.

CREATE OR REPLACE FUNCTION wagecheck.complaint_case_same_day() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE filed date;
BEGIN
    IF NEW.status <> 'accepted' THEN
        RETURN NULL;
    END IF;
    SELECT c.filed_on INTO filed FROM wagecheck.case_ledger c WHERE c.complaint_id = NEW.complaint_id;
    IF filed IS DISTINCT FROM NEW.decided_at::date THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s was accepted on %s but no case was opened that day',
                             NEW.complaint_id, NEW.decided_at::date),
            DETAIL = CASE WHEN filed IS NULL THEN wagecheck._msg('No case refers to the complaint.')
                          ELSE wagecheck._msg('Its case was filed on %s.', filed) END,
            HINT = wagecheck._msg('Accept complaints with wagecheck.accept_complaint, which opens the case (立案) the same day.');
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_case_same_day() IS 'deferred constraint trigger: an accepted complaint has its case filed on the day of acceptance';
DROP TRIGGER IF EXISTS complaint_case_same_day ON wagecheck.complaint;
CREATE CONSTRAINT TRIGGER complaint_case_same_day AFTER INSERT OR UPDATE OF status ON wagecheck.complaint
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_case_same_day();

-- _complaint_for_decision: the complaint, locked, still waiting for a decision.
CREATE OR REPLACE FUNCTION wagecheck._complaint_for_decision(p_id bigint, p_at timestamptz) RETURNS wagecheck.complaint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.complaint;
BEGIN
    SELECT * INTO c FROM wagecheck.complaint WHERE complaint_id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('complaint %s does not exist', p_id);
    END IF;
    IF c.status <> 'received' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s was already %s on %s', p_id, c.status, c.decided_at);
    END IF;
    IF p_at < c.received_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s cannot be decided at %s, before it was received (%s)', p_id, p_at, c.received_at);
    END IF;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck._complaint_for_decision(bigint, timestamptz) IS 'internal: locks a complaint that waits for acceptance or rejection';

CREATE OR REPLACE FUNCTION wagecheck.accept_complaint(p_complaint_id bigint, p_officer text,
                                           p_at timestamptz DEFAULT now(),
                                           p_amount_owed numeric DEFAULT NULL,
                                           p_summary text DEFAULT NULL)
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.complaint;
    id bigint;
BEGIN
    IF p_officer IS NULL OR btrim(p_officer) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = wagecheck._msg('the accepting officer must be named');
    END IF;
    c := wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint SET status = 'accepted', decided_at = p_at, decided_by = p_officer
     WHERE complaint_id = p_complaint_id;
    INSERT INTO wagecheck.case_ledger (unit_code, source, complaint_id, project_id, enterprise_id,
                                       workers_affected, amount_owed, summary, filed_on, registered_at)
    VALUES (c.unit_code, 'complaint', c.complaint_id, c.project_id, c.enterprise_id, c.workers_count,
            coalesce(p_amount_owed, c.amount_claimed, 0), coalesce(p_summary, c.summary), p_at::date, p_at)
    RETURNING case_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.accept_complaint(bigint, text, timestamptz, numeric, text) IS 'accepts (受理) a received complaint and opens its case (立案) the same day; returns the case_id';

CREATE OR REPLACE FUNCTION wagecheck.reject_complaint(p_complaint_id bigint, p_officer text, p_reason text,
                                           p_at timestamptz DEFAULT now())
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC052',
            MESSAGE = wagecheck._msg('complaint %s can be rejected only with a reason', p_complaint_id),
            HINT = wagecheck._msg('Say why: not a wage matter, outside the unit''s competence, time-barred (2 years), ...');
    END IF;
    PERFORM wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint
       SET status = 'rejected', decided_at = p_at, decided_by = p_officer, decision_reason = p_reason
     WHERE complaint_id = p_complaint_id;
END $$;
COMMENT ON FUNCTION wagecheck.reject_complaint(bigint, text, text, timestamptz) IS 'rejects (不予受理) a received complaint with a reason';

CREATE OR REPLACE FUNCTION wagecheck.withdraw_complaint(p_complaint_id bigint, p_reason text,
                                             p_at timestamptz DEFAULT now())
    RETURNS void LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.complaint;
    k bigint;
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC052',
            MESSAGE = wagecheck._msg('complaint %s can be withdrawn only with a reason', p_complaint_id);
    END IF;
    SELECT * INTO c FROM wagecheck.complaint WHERE complaint_id = p_complaint_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('complaint %s does not exist', p_complaint_id);
    END IF;
    IF c.status = 'accepted' THEN
        SELECT case_id INTO k FROM wagecheck.case_ledger WHERE complaint_id = p_complaint_id;
        PERFORM wagecheck.close_case(k, 'withdrawn', p_reason, current_user, p_at);
        RETURN;
    END IF;
    PERFORM wagecheck._complaint_for_decision(p_complaint_id, p_at);
    UPDATE wagecheck.complaint SET status = 'withdrawn', decided_at = p_at, decision_reason = p_reason
     WHERE complaint_id = p_complaint_id;
END $$;

CREATE OR REPLACE FUNCTION wagecheck.close_case(p_case_id bigint, p_kind text, p_reason text DEFAULT NULL,
                                     p_by text DEFAULT current_user, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.case_ledger LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.case_ledger;
BEGIN
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = p_case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('case %s does not exist', p_case_id);
    END IF;
    IF c.status = 'closed' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC051',
            MESSAGE = wagecheck._msg('case %s was already closed (%s) at %s', c.case_no, c.close_kind, c.closed_at);
    END IF;
    UPDATE wagecheck.case_ledger
       SET status = 'closed', close_kind = p_kind, close_reason = p_reason, closed_by = p_by, closed_at = p_at
     WHERE case_id = p_case_id
    RETURNING * INTO c;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck.close_case(bigint, text, text, text, timestamptz) IS 'closes a case: as repaid (销号, refused while repayments fall short: WC050) or as police, court, withdrawn, unsubstantiated with a reason (WC052)';
COMMENT ON FUNCTION wagecheck.withdraw_complaint(bigint, text, timestamptz) IS 'records the complainant''s withdrawal: a waiting complaint ends withdrawn; an accepted one closes its case as withdrawn';

CREATE OR REPLACE FUNCTION wagecheck.reopen_case(p_case_id bigint, p_reason text, p_at timestamptz DEFAULT now())
    RETURNS wagecheck.case_ledger LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE c wagecheck.case_ledger;
BEGIN
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = p_case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('case %s does not exist', p_case_id);
    END IF;
    IF c.status <> 'closed' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = wagecheck._msg('case %s is open: there is nothing to reopen', c.case_no);
    END IF;
    IF p_at < c.closed_at THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('case %s cannot be reopened at %s, before it was closed (%s)', c.case_no, p_at, c.closed_at);
    END IF;
    UPDATE wagecheck.case_ledger
       SET status = 'open', close_kind = NULL, close_reason = NULL, closed_by = NULL, closed_at = NULL,
           reopen_count = reopen_count + 1, reopen_reason = p_reason, reopened_at = p_at
     WHERE case_id = p_case_id
    RETURNING * INTO c;
    RETURN c;
END $$;
COMMENT ON FUNCTION wagecheck.reopen_case(bigint, text, timestamptz) IS 'reopens a closed case with a reason (logged in case_event; the closing stays in the history)';

CREATE OR REPLACE FUNCTION wagecheck.reverse_repayment(p_repayment_id bigint, p_note text)
    RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    r wagecheck.case_repayment;
    id bigint;
BEGIN
    SELECT * INTO r FROM wagecheck.case_repayment WHERE repayment_id = p_repayment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = wagecheck._msg('repayment %s does not exist', p_repayment_id);
    END IF;
    INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, reverses_id, note)
    VALUES (r.case_id, -r.amount, r.paid_on, r.repayment_id, p_note)
    RETURNING repayment_id INTO id;
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.reverse_repayment(bigint, text) IS 'cancels a wrongly recorded repayment with a negative row dated like it (only while the case is open)';

-- the case ledger with its deadline and repayments now
CREATE OR REPLACE VIEW wagecheck.case_overview AS
SELECT c.case_id, c.case_no, c.unit_code, c.source, c.project_id, c.enterprise_id, c.division,
       c.sector, c.funding, c.workers_affected, c.amount_owed,
       coalesce(r.repaid, 0) AS repaid,
       greatest(c.amount_owed - coalesce(r.repaid, 0), 0) AS outstanding,
       c.filed_on, wagecheck.case_due_on(c.case_id, now()) AS due_on,
       x.case_id IS NOT NULL AS extended,
       c.status, c.close_kind, c.closed_at, c.reopen_count,
       p.officer AS plan_officer,
       (SELECT string_agg(s.level || ':' || s.deadline_on, ', ' ORDER BY s.level)
          FROM wagecheck.case_supervision s WHERE s.case_id = c.case_id AND s.lifted_on IS NULL) AS supervised,
       c.status = 'open' AND EXISTS (SELECT 1 FROM wagecheck.case_supervision s
                                      WHERE s.case_id = c.case_id AND s.lifted_on IS NULL
                                        AND s.deadline_on < current_date) AS supervision_overdue
  FROM wagecheck.case_ledger c
  LEFT JOIN (SELECT case_id, sum(amount) AS repaid FROM wagecheck.case_repayment GROUP BY case_id) r
         ON r.case_id = c.case_id
  LEFT JOIN wagecheck.case_extension x ON x.case_id = c.case_id
  LEFT JOIN wagecheck.case_plan p ON p.case_id = c.case_id;
COMMENT ON VIEW wagecheck.case_overview IS 'the case ledger with repaid and outstanding amounts, time limit, plan officer, active supervision and whether its supervision deadline has passed with the case still open';

-- complaint_masked runs with its owner's rights and applies its caller's scope: analysts,
-- inspectors and administrators read every complaint, county and sector officers those
-- about the projects of their scope (none about no project); security_barrier keeps a
-- caller's conditions from running on the others.
CREATE OR REPLACE VIEW wagecheck.complaint_masked WITH (security_barrier = true) AS
SELECT complaint_id, unit_code, channel, transferred_from,
       wagecheck.mask_person_name(complainant_name) AS complainant_name,
       wagecheck.mask_phone(complainant_phone) AS complainant_phone,
       left(complainant_id::text, 6) || '************' AS complainant_id,
       workers_count, amount_claimed, project_id, enterprise_id, received_at, accept_due_on,
       status, decided_at, decision_reason
  FROM wagecheck.complaint
 WHERE wagecheck.sees_everything() OR wagecheck.project_in_scope(project_id);
COMMENT ON VIEW wagecheck.complaint_masked IS 'complaints with the complainant''s name and phone masked and of the ID number only the region (no birth date or sequence: nothing rebuilds it), for analysts and, of the projects in their scope, county and sector officers';
