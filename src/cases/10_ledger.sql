-- Case ledger (台账): handling units, leads pushed to them, complaints, cases with
-- their plan, contacts, supervision, extensions, payment orders and repayments.
-- The ledger never loses a row: DELETE and TRUNCATE are refused (WC053); every
-- change of a case is an event row.

-- ---------------------------------------------------------------- common helpers

CREATE OR REPLACE FUNCTION wagecheck.ledger_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'WC053',
        MESSAGE = wagecheck._msg('rows of %s are never deleted', TG_TABLE_NAME),
        DETAIL = wagecheck._msg('The case ledger keeps its whole history (入销号台账).'),
        HINT = wagecheck._msg('Close, withdraw, reverse or lift the record instead.');
END $$;
COMMENT ON FUNCTION wagecheck.ledger_append_only() IS 'trigger refusing DELETE and TRUNCATE on the case ledger''s tables (WC053)';

CREATE OR REPLACE FUNCTION wagecheck.mask_person_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN length(btrim(name)) <= 1 THEN '*'
                ELSE left(btrim(name), 1) || repeat('*', length(btrim(name)) - 1) END $$;
COMMENT ON FUNCTION wagecheck.mask_person_name(text) IS 'a person''s name with all but the first character masked (张三丰 → 张**)';

CREATE OR REPLACE FUNCTION wagecheck.mask_phone(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN length(d) < 7 THEN repeat('*', length(d))
                ELSE left(d, 3) || repeat('*', length(d) - 7) || right(d, 4) END
      FROM (SELECT regexp_replace(phone, '[^0-9]', '', 'g') AS d) s $$;
COMMENT ON FUNCTION wagecheck.mask_phone(text) IS 'a phone number with the middle digits masked (13812345678 → 138****5678)';
COMMENT ON TABLE wagecheck.case_unit IS 'units that receive complaints, hold cases and supervise them (人社局/劳动保障监察机构 of a province, city or county)';
COMMENT ON COLUMN wagecheck.case_unit.unit_code IS 'short code (2-16 of A-Z, 0-9) that opens each case number: UNIT-YYYY-NNNNN';
COMMENT ON COLUMN wagecheck.case_unit.division IS 'the division the unit answers for (属地管理); leads on projects there are routed to it';

CREATE OR REPLACE FUNCTION wagecheck.unit_for_division(p_division wagecheck.division_code) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT u.unit_code
      FROM wagecheck.case_unit u, LATERAL (SELECT u.division::text AS ud, p_division::text AS d) x
     WHERE x.ud = x.d
        OR (right(x.ud, 2) = '00' AND left(x.ud, 4) = left(x.d, 4))
        OR (right(x.ud, 4) = '0000' AND left(x.ud, 2) = left(x.d, 2))
     ORDER BY (x.ud = x.d) DESC, (right(x.ud, 4) <> '0000') DESC, u.unit_code
     LIMIT 1 $$;
COMMENT ON FUNCTION wagecheck.unit_for_division(wagecheck.division_code) IS 'the unit answering for a division: its county''s unit, else its city''s, else its province''s';
COMMENT ON TABLE wagecheck.case_number_counter IS 'last case number given per unit and year; updated only by the registration trigger';
COMMENT ON TABLE wagecheck.lead_outbox IS 'new leads (complaints, cases, opinion reports) to push to the responsible unit at once (第一时间推送); a mailer or the provincial link reads it and marks rows delivered';
COMMENT ON COLUMN wagecheck.lead_outbox.payload IS 'what the receiving unit needs; personal data in it is masked';

CREATE OR REPLACE FUNCTION wagecheck.push_lead(p_unit text, p_kind text, p_ref bigint, p_payload jsonb) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, wagecheck AS $$
DECLARE id bigint;
BEGIN
    INSERT INTO wagecheck.lead_outbox (unit_code, kind, ref_id, payload)
    VALUES (p_unit, p_kind, p_ref, p_payload) RETURNING outbox_id INTO id;
    PERFORM pg_notify('wagecheck_lead',
        jsonb_build_object('outbox_id', id, 'unit', p_unit, 'kind', p_kind, 'ref', p_ref)::text);
    RETURN id;
END $$;
COMMENT ON FUNCTION wagecheck.push_lead(text, text, bigint, jsonb) IS 'queues a lead in lead_outbox and announces it with NOTIFY wagecheck_lead (JSON: outbox_id, unit, kind, ref)';

CREATE OR REPLACE FUNCTION wagecheck.lead_delivered(p_outbox_id bigint, p_to text) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    UPDATE wagecheck.lead_outbox SET delivered_at = now(), delivered_to = p_to
     WHERE outbox_id = p_outbox_id AND delivered_at IS NULL;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM wagecheck.lead_outbox WHERE outbox_id = p_outbox_id) THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = wagecheck._msg('lead %s was already delivered', p_outbox_id);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = wagecheck._msg('no lead %s in the outbox', p_outbox_id);
    END IF;
END $$;
COMMENT ON FUNCTION wagecheck.lead_delivered(bigint, text) IS 'marks a queued lead delivered (once) to the named receiver';
COMMENT ON TABLE wagecheck.complaint IS 'wage complaints and reports (欠薪投诉举报) by channel; accepted or rejected within 5 WD of receipt (CP01), a case opened the day of acceptance';
COMMENT ON COLUMN wagecheck.complaint.channel IS 'hotline_12333, visit (上门), online, project_qr (项目欠薪投诉二维码), national_platform (全国根治欠薪线索反映平台), letter, transfer (from another unit)';
COMMENT ON COLUMN wagecheck.complaint.complainant_name IS 'personal data: analysts see wagecheck.complaint_masked';
COMMENT ON COLUMN wagecheck.complaint.accept_due_on IS 'last day to accept or reject: receipt date + accept_wd working days (CP01 parameter, default 5)';
COMMENT ON COLUMN wagecheck.complaint.decision_reason IS 'why the complaint was rejected or withdrawn (required then)';

CREATE OR REPLACE FUNCTION wagecheck.complaint_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE div wagecheck.division_code;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'received' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = wagecheck._msg('a complaint is recorded as received, not "%s"', NEW.status),
                HINT = wagecheck._msg('Use wagecheck.accept_complaint or wagecheck.reject_complaint to decide it.');
        END IF;
        -- the deadline is counted from the receipt: refuse an implausible one as its check does
        PERFORM wagecheck._plausible(NEW.received_at, 'complaint', 'received_at');
        SELECT p.division INTO div FROM wagecheck.project p WHERE p.project_id = NEW.project_id;
        IF NEW.unit_code IS NULL AND div IS NOT NULL THEN
            NEW.unit_code := wagecheck.unit_for_division(div);
        END IF;
        IF div IS NULL THEN
            SELECT u.division INTO div FROM wagecheck.case_unit u WHERE u.unit_code = NEW.unit_code;
        END IF;
        NEW.accept_due_on := wagecheck.add_working_days(NEW.received_at::date,
                                 (wagecheck.rule_param('CP01', 'accept_wd', div))::int);
        RETURN NEW;
    END IF;
    IF NEW.unit_code IS DISTINCT FROM OLD.unit_code AND OLD.status <> 'received' THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s was already %s: it can no longer be handed to another unit', OLD.complaint_id, OLD.status),
            HINT = wagecheck._msg('Transfer its case instead: register a case with source ''transfer'' at the other unit.');
    END IF;
    IF NEW.received_at IS DISTINCT FROM OLD.received_at OR NEW.channel IS DISTINCT FROM OLD.channel
       OR NEW.accept_due_on IS DISTINCT FROM OLD.accept_due_on THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s: receipt time, channel and acceptance deadline cannot change', OLD.complaint_id);
    END IF;
    IF OLD.status <> 'received' AND (NEW.status, NEW.decided_at, NEW.decided_by, NEW.decision_reason)
            IS DISTINCT FROM (OLD.status, OLD.decided_at, OLD.decided_by, OLD.decision_reason) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040',
            MESSAGE = wagecheck._msg('complaint %s was already %s on %s', OLD.complaint_id, OLD.status, OLD.decided_at),
            HINT = CASE OLD.status WHEN 'accepted' THEN wagecheck._msg('Work on its case; a withdrawal closes the case as withdrawn.')
                                   ELSE wagecheck._msg('Record a new complaint if the worker complains again.') END;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_before() IS 'trigger: complaints start received; the unit defaults to the one answering for the project''s division; computes the acceptance deadline; only a waiting complaint changes unit; a decision is final';

CREATE OR REPLACE TRIGGER complaint_before BEFORE INSERT OR UPDATE ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_before();
CREATE OR REPLACE TRIGGER complaint_no_delete BEFORE DELETE ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER complaint_no_truncate BEFORE TRUNCATE ON wagecheck.complaint
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

CREATE OR REPLACE FUNCTION wagecheck.complaint_pushed() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.unit_code IS NOT DISTINCT FROM OLD.unit_code THEN
        RETURN NULL;
    END IF;
    PERFORM wagecheck.push_lead(NEW.unit_code, 'complaint', NEW.complaint_id,
        jsonb_build_object('complaint_id', NEW.complaint_id, 'channel', NEW.channel,
                           'handed_over_by', CASE TG_OP WHEN 'UPDATE' THEN OLD.unit_code END,
                           'received_at', NEW.received_at, 'accept_due_on', NEW.accept_due_on,
                           'complainant', wagecheck.mask_person_name(NEW.complainant_name),
                           'phone', wagecheck.mask_phone(NEW.complainant_phone),
                           'workers', NEW.workers_count, 'amount_claimed', NEW.amount_claimed,
                           'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.complaint_pushed() IS 'trigger: pushes each new complaint to its unit (outbox + NOTIFY), and again to the new unit when a waiting complaint is handed over';
CREATE OR REPLACE TRIGGER complaint_pushed AFTER INSERT OR UPDATE OF unit_code ON wagecheck.complaint
    FOR EACH ROW EXECUTE FUNCTION wagecheck.complaint_pushed();
COMMENT ON TABLE wagecheck.case_ledger IS 'wage-arrears cases (欠薪案件台账): registered with a number (入号), closed out (销号) only when repaid or ended another lawful way; never deleted';
COMMENT ON COLUMN wagecheck.case_ledger.case_no IS 'UNIT-YYYY-NNNNN, unique per unit and filing year, allocated at registration';
COMMENT ON COLUMN wagecheck.case_ledger.source IS 'complaint, inspection (检查发现), alert (from the warning platform; alert_ref), transfer (from another unit; transferred_from)';
COMMENT ON COLUMN wagecheck.case_ledger.division IS 'division of the case (the project''s; else the unit''s): county roll-ups use its first 6 digits';
COMMENT ON COLUMN wagecheck.case_ledger.funding IS 'funding of the project (government, soe, other) at registration; decides the campaign deadline';
COMMENT ON COLUMN wagecheck.case_ledger.close_kind IS 'repaid (销号: repayments cover the amount owed), police (移送公安), court (judgment), withdrawn, unsubstantiated';
COMMENT ON COLUMN wagecheck.case_ledger.closed_at IS 'when the case was closed (effective time, may be recorded afterwards)';

CREATE OR REPLACE FUNCTION wagecheck.case_number(unit text, year int, seq int) RETURNS text
    AS 'MODULE_PATHNAME', 'wc_case_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.case_number(text, int, int) IS 'canonical case number UNIT-YYYY-NNNNN of its parts (22023 on a bad part)';

CREATE OR REPLACE FUNCTION wagecheck.case_number_parts(case_no text, OUT unit text, OUT year int, OUT seq int)
    AS 'MODULE_PATHNAME', 'wc_case_number_parts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.case_number_parts(text) IS 'unit, year and sequence of a case number (lower case, blanks and unpadded sequences accepted; 22P02 otherwise)';

CREATE OR REPLACE FUNCTION wagecheck.case_number_assign() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wc_case_number_assign' LANGUAGE C;
COMMENT ON FUNCTION wagecheck.case_number_assign() IS 'C trigger: allocates the next case number of the unit and filing year (or records a given one)';

CREATE OR REPLACE FUNCTION wagecheck.case_closeout_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wc_case_closeout_guard' LANGUAGE C;
COMMENT ON FUNCTION wagecheck.case_closeout_guard() IS 'C trigger: cases register open; close-out as repaid only when repayments cover the amount owed (WC050); other ends need a reason (WC052); closed cases do not change (WC051)';

CREATE OR REPLACE FUNCTION wagecheck.case_defaults() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE p wagecheck.project;
BEGIN
    SELECT * INTO p FROM wagecheck.project WHERE project_id = NEW.project_id;
    IF NEW.enterprise_id IS NULL THEN NEW.enterprise_id := p.contractor_id; END IF;
    IF NEW.division IS NULL THEN
        NEW.division := coalesce(p.division,
                                 (SELECT u.division FROM wagecheck.case_unit u WHERE u.unit_code = NEW.unit_code));
    END IF;
    IF NEW.sector IS NULL THEN NEW.sector := coalesce(p.sector, 'other'); END IF;
    IF NEW.funding IS NULL THEN NEW.funding := coalesce(p.funding, 'other'); END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.case_defaults() IS 'trigger: a case takes enterprise (the general contractor), division, sector and funding from its project unless given';

CREATE OR REPLACE TRIGGER case_10_defaults BEFORE INSERT ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_defaults();
CREATE OR REPLACE TRIGGER case_20_guard BEFORE INSERT OR UPDATE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_closeout_guard();
CREATE OR REPLACE TRIGGER case_30_number BEFORE INSERT ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_number_assign();
CREATE OR REPLACE TRIGGER case_no_delete BEFORE DELETE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER case_no_truncate BEFORE TRUNCATE ON wagecheck.case_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();
COMMENT ON TABLE wagecheck.case_event IS 'history of each case: registered, updated, closed, reopened, plan, contact, supervision, extension, order, repayment (who, when, what)';
COMMENT ON COLUMN wagecheck.case_event.at IS 'effective time of the event (the closing time for closed, the filing date for registered)';
CREATE OR REPLACE TRIGGER case_event_no_delete BEFORE DELETE OR UPDATE ON wagecheck.case_event
    FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only();
CREATE OR REPLACE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON wagecheck.case_event
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only();

-- analysts read the history without the contact log (case_contact is not theirs to read)
CREATE OR REPLACE VIEW wagecheck.case_event_masked AS
SELECT e.event_id, e.case_id, e.at, e.kind, e.actor, e.recorded_at, e.details
  FROM wagecheck.case_event e
 WHERE e.kind NOT IN ('contact', 'contact_changed');
COMMENT ON VIEW wagecheck.case_event_masked IS 'history of each case without the contact log (for analysts)';

CREATE OR REPLACE FUNCTION wagecheck.case_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE changed jsonb;
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.case_ledger'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck.case_logged() fires only AFTER each row on case_ledger, not on %s', TG_RELID::regclass),
              ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, NEW.filed_on::timestamptz, 'registered',
                jsonb_build_object('case_no', NEW.case_no, 'source', NEW.source,
                                   'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected));
        PERFORM wagecheck.push_lead(NEW.unit_code, 'case', NEW.case_id,
            jsonb_build_object('case_id', NEW.case_id, 'case_no', NEW.case_no, 'source', NEW.source,
                               'project_id', NEW.project_id, 'enterprise_id', NEW.enterprise_id,
                               'amount_owed', NEW.amount_owed, 'workers', NEW.workers_affected,
                               'filed_on', NEW.filed_on));
        RETURN NULL;
    END IF;
    IF OLD.status = 'open' AND NEW.status = 'closed' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, actor, details)
        VALUES (NEW.case_id, NEW.closed_at, 'closed', coalesce(NEW.closed_by, current_user),
                jsonb_build_object('close_kind', NEW.close_kind, 'reason', NEW.close_reason));
    ELSIF OLD.status = 'closed' AND NEW.status = 'open' THEN
        INSERT INTO wagecheck.case_event (case_id, at, kind, details)
        VALUES (NEW.case_id, coalesce(NEW.reopened_at, now()), 'reopened',
                jsonb_build_object('reason', NEW.reopen_reason, 'reopen_count', NEW.reopen_count,
                                   'was', jsonb_build_object('close_kind', OLD.close_kind, 'closed_at', OLD.closed_at,
                                                             'reason', OLD.close_reason)));
    ELSE
        SELECT jsonb_object_agg(n.key, jsonb_build_object('from', o.value, 'to', n.value)) INTO changed
          FROM jsonb_each(to_jsonb(NEW)) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed IS NOT NULL THEN
            INSERT INTO wagecheck.case_event (case_id, at, kind, details)
            VALUES (NEW.case_id, now(), 'updated', changed);
        END IF;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.case_logged() IS 'trigger: writes the case_event row of every registration, close-out, reopening and change; pushes new cases to their unit';
CREATE OR REPLACE TRIGGER case_logged AFTER INSERT OR UPDATE ON wagecheck.case_ledger
    FOR EACH ROW EXECUTE FUNCTION wagecheck.case_logged();

CREATE OR REPLACE FUNCTION wagecheck.case_open_at(p_case_id bigint, p_at timestamptz) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT c.filed_on <= p_at::date
           AND coalesce((SELECT e.kind FROM wagecheck.case_event e
                           WHERE e.case_id = c.case_id AND e.kind IN ('closed', 'reopened') AND e.at <= p_at
                           ORDER BY e.at DESC, e.event_id DESC LIMIT 1), 'reopened') = 'reopened'
      FROM wagecheck.case_ledger c WHERE c.case_id = p_case_id $$;
COMMENT ON FUNCTION wagecheck.case_open_at(bigint, timestamptz) IS 'true when the case was filed and not closed at the given time (replays close-outs and reopenings)';
COMMENT ON TABLE wagecheck.case_plan IS 'the one plan of each case (一案一策): responsible officer, measures, target date; revisions are kept in case_event';
COMMENT ON TABLE wagecheck.case_contact IS 'contact log with the complainant (及时与反映人沟通联系)';
COMMENT ON TABLE wagecheck.case_supervision IS 'major cases listed for supervision (挂牌督办) by a city or county unit, with a deadline';
COMMENT ON TABLE wagecheck.case_extension IS 'the one approved extension of a case''s time limit (+30 WD, CS01 parameter extension_wd), approved before the limit ran out';
COMMENT ON TABLE wagecheck.case_order IS 'orders to pay by a deadline (责令限期支付): a missed one is the first condition of the dishonest list (BL01)';
COMMENT ON COLUMN wagecheck.case_order.months_owed IS 'longest run of months owed to one worker covered by the order';
COMMENT ON COLUMN wagecheck.case_order.max_worker_amount IS 'the largest amount the order covers for one worker';
COMMENT ON COLUMN wagecheck.case_order.complied_on IS 'the day the order was fully met; after due_on it is still a missed order';
COMMENT ON TABLE wagecheck.case_repayment IS 'wages repaid under a case (linked to the wage_payment when paid through the dedicated account); a mistake is reversed by a negative row, never edited';
COMMENT ON COLUMN wagecheck.case_repayment.reverses_id IS 'the repayment this negative row reverses (only while the case is open)';

CREATE OR REPLACE FUNCTION wagecheck.case_child_before() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
DECLARE
    c wagecheck.case_ledger;
    orig wagecheck.case_repayment;
    pay_amount numeric;
    pay_at timestamptz;
    pay_project bigint;
BEGIN
    -- lock the case: a close-out and a change to what it depends on are serialised
    SELECT * INTO c FROM wagecheck.case_ledger WHERE case_id = NEW.case_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;   -- the foreign key reports it
    END IF;
    IF TG_TABLE_NAME = 'case_repayment' THEN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = wagecheck._msg('repayment %s of case %s cannot be edited', OLD.repayment_id, c.case_no),
                HINT = wagecheck._msg('Reverse it with wagecheck.reverse_repayment and record the right amount.');
        END IF;
        IF NEW.payment_id IS NOT NULL THEN
            SELECT w.amount, w.paid_at, s.project_id INTO pay_amount, pay_at, pay_project
              FROM wagecheck.wage_payment w
              JOIN wagecheck.pay_line l ON l.line_id = w.line_id
              JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id
             WHERE w.payment_id = NEW.payment_id;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = '23503',
                    MESSAGE = wagecheck._msg('wage payment %s does not exist', NEW.payment_id);
            END IF;
            IF c.project_id IS NOT NULL AND pay_project <> c.project_id THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = wagecheck._msg('wage payment %s was made on project %s, not on project %s of case %s',
                                     NEW.payment_id, pay_project, c.project_id, c.case_no);
            END IF;
            NEW.amount := coalesce(NEW.amount, pay_amount);
            NEW.paid_on := coalesce(NEW.paid_on, pay_at::date);
            IF NEW.amount > pay_amount THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = wagecheck._msg('repayment of %s exceeds wage payment %s of %s', NEW.amount, NEW.payment_id, pay_amount);
            END IF;
        END IF;
        IF NEW.reverses_id IS NOT NULL THEN
            IF c.status = 'closed' THEN
                RAISE EXCEPTION USING ERRCODE = 'WC051',
                    MESSAGE = wagecheck._msg('case %s is closed: its repayments cannot be reversed', c.case_no),
                    HINT = wagecheck._msg('Reopen the case first with wagecheck.reopen_case(case_id, reason).');
            END IF;
            SELECT * INTO orig FROM wagecheck.case_repayment WHERE repayment_id = NEW.reverses_id;
            IF orig.case_id IS DISTINCT FROM NEW.case_id OR orig.amount < 0 OR NEW.amount <> -orig.amount THEN
                RAISE EXCEPTION USING ERRCODE = '23514',
                    MESSAGE = wagecheck._msg('a reversal must cancel exactly one positive repayment of the same case (repayment %s)', NEW.reverses_id);
            END IF;
        END IF;
    ELSIF c.status = 'closed' AND TG_TABLE_NAME IN ('case_plan', 'case_supervision', 'case_extension', 'case_order')
          AND NOT (TG_TABLE_NAME = 'case_order' AND TG_OP = 'UPDATE'
                   AND (to_jsonb(NEW) - 'complied_on') = (to_jsonb(OLD) - 'complied_on')) THEN
        RAISE EXCEPTION USING ERRCODE = 'WC051',
            MESSAGE = wagecheck._msg('case %s is closed: its %s cannot change', c.case_no, replace(TG_TABLE_NAME, 'case_', '')),
            HINT = wagecheck._msg('Reopen the case first with wagecheck.reopen_case(case_id, reason).');
    END IF;
    IF TG_TABLE_NAME = 'case_plan' AND TG_OP = 'UPDATE' THEN
        IF NEW.case_id <> OLD.case_id THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = wagecheck._msg('a plan belongs to its case for good');
        END IF;
        NEW.updated_at := now();
    END IF;
    IF TG_TABLE_NAME = 'case_extension' THEN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION USING ERRCODE = 'WC040',
                MESSAGE = wagecheck._msg('the extension of case %s was approved and cannot change', c.case_no);
        END IF;
        IF TG_OP = 'INSERT' AND NEW.extra_wd IS NULL THEN
            NEW.extra_wd := (wagecheck.rule_param('CS01', 'extension_wd', c.division))::int;
        END IF;
        IF NEW.approved_at::date > wagecheck.case_due_on(c.case_id, NEW.approved_at - interval '1 microsecond') THEN
            RAISE EXCEPTION USING ERRCODE = 'WC054',
                MESSAGE = wagecheck._msg('the time limit of case %s ran out on %s: it can no longer be extended',
                                 c.case_no, wagecheck.case_due_on(c.case_id, NEW.approved_at - interval '1 microsecond')),
                HINT = wagecheck._msg('An extension must be approved before the 60 working days end.');
        END IF;
    END IF;
    IF TG_TABLE_NAME IN ('case_supervision', 'case_order', 'case_contact') AND TG_OP = 'UPDATE'
       AND NEW.case_id <> OLD.case_id THEN
        RAISE EXCEPTION USING ERRCODE = 'WC040', MESSAGE = wagecheck._msg('a %s belongs to its case for good', TG_TABLE_NAME);
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION wagecheck.case_child_before() IS 'trigger on the records of a case: locks the case; refuses changes to closed cases (WC051) except recording an order''s compliance, edits of repayments, late extensions (WC054)';

CREATE OR REPLACE FUNCTION wagecheck.case_child_logged() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, wagecheck AS $$
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> ALL (ARRAY['wagecheck.case_plan', 'wagecheck.case_contact', 'wagecheck.case_supervision',
                              'wagecheck.case_extension', 'wagecheck.case_order', 'wagecheck.case_repayment']::regclass[])
       OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck.case_child_logged() fires only AFTER each row on the records of a case, not on %s',
              TG_RELID::regclass),
              ERRCODE = 'trigger_protocol_violated';
    END IF;
    INSERT INTO wagecheck.case_event (case_id, at, kind, details)
    VALUES (NEW.case_id,
            coalesce((to_jsonb(NEW) ->> 'contacted_at')::timestamptz, now()),
            replace(TG_TABLE_NAME, 'case_', '') || CASE TG_OP WHEN 'UPDATE' THEN '_changed' ELSE '' END,
            CASE TG_OP WHEN 'UPDATE' THEN jsonb_build_object('from', to_jsonb(OLD), 'to', to_jsonb(NEW))
                       ELSE to_jsonb(NEW) END);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION wagecheck.case_child_logged() IS 'trigger: logs plans, contacts, supervision, extensions, orders and repayments in case_event';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['case_plan', 'case_contact', 'case_supervision', 'case_extension',
                             'case_order', 'case_repayment'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT OR UPDATE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.case_child_before()',
                       t || '_before', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.case_child_logged()',
                       t || '_logged', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE ON wagecheck.%I FOR EACH ROW EXECUTE FUNCTION wagecheck.ledger_append_only()',
                       t || '_no_delete', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE TRUNCATE ON wagecheck.%I FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.ledger_append_only()',
                       t || '_no_truncate', t);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION wagecheck.case_due_on(p_case_id bigint, p_as_of timestamptz) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT wagecheck.add_working_days(c.filed_on,
               (wagecheck.rule_param('CS01', 'finish_wd', c.division))::int
               + coalesce((SELECT x.extra_wd FROM wagecheck.case_extension x
                            WHERE x.case_id = c.case_id AND x.approved_at <= p_as_of), 0))
      FROM wagecheck.case_ledger c WHERE c.case_id = p_case_id $$;
COMMENT ON FUNCTION wagecheck.case_due_on(bigint, timestamptz) IS 'last day to finish the case: filing date + 60 WD (CS01 finish_wd), + the approved extension known at p_as_of';

CREATE OR REPLACE FUNCTION wagecheck.case_repaid_at(p_case_id bigint, p_on date) RETURNS numeric
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS $$
    SELECT coalesce(sum(r.amount), 0) FROM wagecheck.case_repayment r
     WHERE r.case_id = p_case_id AND r.paid_on <= p_on $$;

COMMENT ON FUNCTION wagecheck.case_repaid_at(bigint, date) IS 'sum of the repayments of a case paid on or before a day';
