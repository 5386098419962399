-- The trigger and the rules agree: every kind of bad movement and payment is
-- classified the same by reject mode (the SQLSTATE refused with), alert mode
-- (the violation recorded) and the evaluators (eval_ac03, eval_wp04): one wrong
-- wage, one alert per rule. Violations keep the row's own time (created_at on
-- wagecheck's tables), and a closure refusal names every ground at once.
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
\set SHOW_CONTEXT never
SELECT fx.only(ARRAY['AC03', 'WP04']);
SELECT fx.project(40, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(41, '371302', '2026-01-05', '2025-12-01');
SELECT fx.worker(i) FROM generate_series(1, 2) i;
SELECT fx.roster(40, 1, '2026-01-05');
SELECT fx.roster(41, 2, '2026-01-05');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, created_at)
VALUES (1, 40, '临商银行', 'A-40', '2026-01-05', '2026-01-05 10:00');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at, created_at)
VALUES (1, 'in', 1000000, '8888', 'labour_cost', '2026-02-01 10:00', '2026-02-01 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
VALUES (1, 40, 3, '2026-01-01', '2026-02-05', '2026-02-05 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, payable, net, created_at)
VALUES (1, 1, 1, 500000, 500000, '2026-02-05 10:00');

-- agree_rule: the rule a SQLSTATE of the enforcing trigger stands for
CREATE FUNCTION fx.agree_rule(state text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE state WHEN 'WC001' THEN 'AC03' WHEN 'WC002' THEN 'WP04' WHEN 'WC010' THEN 'RN01'
                      WHEN 'WC003' THEN 'AC06' ELSE state END $$;

-- fx.agree_seen(kind, id): the rules a subject's violations and the evaluators name ('none': none)
CREATE FUNCTION fx.agree_seen(kind text, id bigint, OUT alert text, OUT evaluator text) LANGUAGE sql AS $$
    SELECT coalesce((SELECT string_agg(v.rule_code, ',' ORDER BY v.rule_code) FROM wagecheck.violation v
                      WHERE v.subject_kind = kind AND v.subject_id = id::text), 'none'),
           coalesce((SELECT string_agg(h.rule, ',' ORDER BY h.rule)
                       FROM (SELECT 'AC03' AS rule, e.subject_kind, e.subject_id FROM wagecheck.eval_ac03(now()) e
                             UNION ALL
                             SELECT 'WP04', e.subject_kind, e.subject_id FROM wagecheck.eval_wp04(now()) e) h
                      WHERE h.subject_kind = kind AND h.subject_id = id::text), 'none') $$;

-- fx.agree_movement(id, counterparty, purpose): an outflow of 100 of project 40's account,
-- written in reject mode (rolled back), then in alert mode; what each mode and the evaluators say
CREATE FUNCTION fx.agree_movement(id bigint, cp text, purpose text)
RETURNS TABLE (reject text, alert text, evaluator text) LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 40;
    BEGIN
        INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose,
                                           booked_at, created_at)
        VALUES (id, 1, 'out', 100, cp, purpose, '2026-03-02 10:00', '2026-03-02 10:00');
        RAISE EXCEPTION 'accepted' USING ERRCODE = 'P0001';
    EXCEPTION WHEN OTHERS THEN
        st := CASE SQLSTATE WHEN 'P0001' THEN 'none' ELSE fx.agree_rule(SQLSTATE) END;
    END;
    UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = 40;
    INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose,
                                       booked_at, created_at)
    VALUES (id, 1, 'out', 100, cp, purpose, '2026-03-02 10:00', '2026-03-02 10:00');
    RETURN QUERY SELECT st, a.alert, a.evaluator FROM fx.agree_seen('account_txn', id) a;
END
$$;

-- fx.agree_payment(id, card, method): a payment of 100 against line 1 (worker 1, project 40)
CREATE FUNCTION fx.agree_payment(id bigint, card text, method text)
RETURNS TABLE (reject text, alert text, evaluator text) LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 40;
    BEGIN
        INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
        VALUES (id, 1, 100, '2026-03-02 10:00', method, card::wagecheck.bank_card, '2026-03-02 10:00');
        RAISE EXCEPTION 'accepted' USING ERRCODE = 'P0001';
    EXCEPTION WHEN OTHERS THEN
        st := CASE SQLSTATE WHEN 'P0001' THEN 'none' ELSE fx.agree_rule(SQLSTATE) END;
    END;
    UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = 40;
    INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, paid_at, method, card, created_at)
    VALUES (id, 1, 100, '2026-03-02 10:00', method, card::wagecheck.bank_card, '2026-03-02 10:00');
    RETURN QUERY SELECT st, a.alert, a.evaluator FROM fx.agree_seen('payment', id) a;
END
$$;

-- === every kind of bad movement: AC03 in all three, never WP04 on a movement
CREATE TEMP TABLE agree AS
SELECT c.what, a.*
  FROM (VALUES (11, 'wage into his own registered card', fx.card(1), 'wage'),
               (12, 'wage into a card that is nobody''s', '6222020000000009990', 'wage'),
               (13, 'wage into the card of another project''s worker', fx.card(2), 'wage'),
               (14, 'wage with no receiving account (cash)', NULL, 'wage'),
               (15, 'cash withdrawal', NULL, 'cash'),
               (16, 'transfer to another account', '8888', 'transfer'),
               (17, 'refund to his own card', fx.card(1), 'refund'),
               (18, 'labour cost paid out', '8888', 'labour_cost')) AS c(id, what, cp, purpose)
 CROSS JOIN LATERAL fx.agree_movement(c.id, c.cp, c.purpose) AS a
 ORDER BY c.id;
-- === every kind of bad payment: WP04 in all three
INSERT INTO agree
SELECT c.what, a.*
  FROM (VALUES (21, 'paid into his own registered card', fx.card(1), 'account'),
               (22, 'paid into another worker''s card', fx.card(2), 'account'),
               (23, 'paid into no card', NULL, 'account'),
               (24, 'paid in cash', NULL, 'cash'),
               (25, 'paid from another account', fx.card(1), 'other_account')) AS c(id, what, card, method)
 CROSS JOIN LATERAL fx.agree_payment(c.id, c.card, c.method) AS a;
SELECT * FROM agree;
SELECT count(*) AS cases, count(*) FILTER (WHERE reject <> alert OR alert <> evaluator) AS disagreeing FROM agree;

-- === one wrong wage, one alert per rule: the movement opens AC03, its payment record WP04
SELECT rule_code, hits, opened FROM fx.scan('2026-03-03 10:00') ORDER BY 1;
SELECT rule_code, subject, count(*) AS alerts FROM fx.board WHERE subject IN ('account_txn:12', 'payment:22')
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS subjects_with_two_alerts_of_one_rule
  FROM (SELECT rule_code, subject_kind, subject_id FROM wagecheck.alert
         GROUP BY 1, 2, 3 HAVING count(*) > 1) d;

-- === violations keep the row's own time: created_at on wagecheck's tables
SELECT DISTINCT occurred_at FROM wagecheck.violation;

-- === a closure refused names every ground in one message: no notice, and wages owed
UPDATE wagecheck.project SET enforcement_mode = 'reject' WHERE project_id = 40;
UPDATE wagecheck.wage_account SET closed_on = '2026-03-10' WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE wagecheck.wage_account SET closure_notice_on = '2026-03-01' WHERE account_id = 1;
UPDATE wagecheck.wage_account SET closed_on = '2026-03-10' WHERE account_id = 1;
\echo :LAST_ERROR_SQLSTATE
-- in alert mode, one violation with every ground
UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = 40;
UPDATE wagecheck.wage_account SET closed_on = '2026-03-10' WHERE account_id = 1;
SELECT rule_code, subject_kind, details->>'message' AS message, details->>'amount' AS owed
  FROM wagecheck.violation WHERE rule_code = 'AC05';

DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
