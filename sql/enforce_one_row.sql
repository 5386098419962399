-- The enforcing trigger judges a statement of one new pay line or payment from index probes
-- (src/enforce/probe.c) and a statement of several from one query: every kind of bad line
-- and payment is judged the same both ways, in reject mode and in alert mode (the error,
-- or the violations recorded). The DEBUG lines say which way a one-row statement was read:
-- by probes, or by the query when a probe cannot answer as the query would (below: a table
-- under forced row security; test/isolation/specs/enforce_one_row.spec: an account closed
-- while the statement waited for it).
CREATE EXTENSION wagecheck;
\i sql/include/rule_fixture.psql
-- P40 with an open account, P41 with its only account closed, P42 without an account
SELECT fx.project(40, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(41, '371302', '2026-01-05', '2025-12-01');
SELECT fx.project(42, '371302', '2026-01-05', '2025-12-01');
-- workers 1 and 4 on both rosters, 2 on none, 3 on P40's without a registered card
SELECT fx.worker(i) FROM generate_series(1, 4) i;
UPDATE wagecheck.worker SET wage_card = NULL WHERE worker_id = 3;
SELECT count(*) FROM (SELECT fx.roster(p, w, '2026-01-05')
                        FROM (VALUES (40, 1), (40, 3), (40, 4), (41, 1), (41, 4), (42, 1)) v(p, w)) r;
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on, closure_notice_on,
                                    closed_on, created_at) VALUES
    (1, 40, '临商银行', 'A-40', '2026-01-05', NULL, NULL, '2026-01-05 10:00'),
    (2, 41, '临商银行', 'A-41', '2026-01-05', '2026-02-01', '2026-03-05', '2026-01-05 10:00');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at) VALUES
    (1, 40, 3, '2026-02-01', '2026-03-01', '2026-03-01 10:00'),
    (2, 41, 3, '2026-02-01', '2026-03-01', '2026-03-01 10:00'),
    (3, 42, 3, '2026-02-01', '2026-03-01', '2026-03-01 10:00');
-- the lines paid below, recorded as a clerk would have before the account closed and the roster changed
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at) VALUES
    (100, 1, 1, 22, 6000, 0, 6000, '2026-03-01 10:00'),
    (101, 1, 2, 22, 6000, 0, 6000, '2026-03-01 10:00'),
    (102, 1, 3, 22, 6000, 0, 6000, '2026-03-01 10:00'),
    (103, 2, 1, 22, 6000, 0, 6000, '2026-03-01 10:00'),
    (104, 1, 4, 22, 6000, 0, 6000, '2026-03-01 10:00'),
    (106, 3, 1, 22, 6000, 0, 6000, '2026-03-01 10:00');
RESET session_replication_role;

-- judge(label, statement): what the statement's rows come to — refused (SQLSTATE, message) or
-- accepted with the violations recorded (each whole, its project, moment, source and details
-- between ⟦ ⟧, compared but not shown) — rolled back after
CREATE FUNCTION fx.judge(label text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    before bigint := (SELECT coalesce(max(violation_id), 0) FROM wagecheck.violation);
    outcome text;
BEGIN
    RAISE NOTICE '%', label;
    BEGIN
        EXECUTE stmt;
        SELECT 'accepted' || coalesce(': ' || string_agg(format('%s %s %s "%s" ⟦%s %s %s %s⟧', v.rule_code,
                                                                v.subject_kind, v.subject_id, v.details->>'message',
                                                                v.project_id, v.occurred_at, v.source, v.details),
                                                         '; ' ORDER BY v.rule_code, v.subject_id), '')
          INTO outcome FROM wagecheck.violation v WHERE v.violation_id > before;
        RAISE EXCEPTION USING ERRCODE = 'P0099', MESSAGE = outcome;
    EXCEPTION
        WHEN SQLSTATE 'P0099' THEN RETURN SQLERRM;
        WHEN OTHERS THEN RETURN 'refused ' || SQLSTATE || ': ' || SQLERRM;
    END;
END
$$;
-- the bad rows (and good ones): alone, and first of two (the second a good row)
CREATE TABLE fx.line_case (kind text, row_values text);
INSERT INTO fx.line_case VALUES
    ('good', '(200, 1, 1, 22, 6000, 200, 5800, NULL::bigint)'),
    ('PS01 does not add up', '(200, 1, 1, 22, 6000, 200, 6000, NULL::bigint)'),
    ('PS01 negative', '(200, 1, 1, 22, -6000, 0, -6000, NULL::bigint)'),
    ('RN01 not on the roster', '(200, 1, 2, 22, 6000, 0, 6000, NULL::bigint)'),
    ('AC05 account closed', '(200, 2, 1, 22, 6000, 0, 6000, NULL::bigint)'),
    ('project without an account', '(200, 3, 1, 22, 6000, 0, 6000, NULL::bigint)'),
    ('correction of the same worker', '(200, 1, 4, 22, 6000, 100, 5900, 104)'),
    ('correction of another worker', '(200, 1, 1, 22, 6000, 100, 5900, 104)');
CREATE TABLE fx.payment_case (kind text, row_values text);
INSERT INTO fx.payment_case VALUES
    ('good', format('(300, 100, 6000, ''account'', %L)', fx.card(1))),
    ('RN01 not on the roster', format('(300, 101, 6000, ''account'', %L)', fx.card(2))),
    ('WP04 cash', '(300, 100, 6000, ''cash'', NULL::text)'),
    ('WP04 another account', format('(300, 100, 6000, ''other_account'', %L)', fx.card(4))),
    ('WP04 another card', format('(300, 100, 6000, ''account'', %L)', fx.card(4))),
    ('WP04 no registered card', format('(300, 102, 6000, ''account'', %L)', fx.card(3))),
    ('AC05 account closed', format('(300, 103, 6000, ''account'', %L)', fx.card(1))),
    ('project without an account', format('(300, 106, 6000, ''account'', %L)', fx.card(1)));
CREATE FUNCTION fx.lines(rows_values text) RETURNS text LANGUAGE sql AS $$
    SELECT 'INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net,'
           ' corrects_line_id, created_at) SELECT v.*, ''2026-03-10 10:00'' FROM (VALUES ' || rows_values || ') v' $$;
CREATE FUNCTION fx.payments(rows_values text) RETURNS text LANGUAGE sql AS $$
    SELECT 'INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, method, card, paid_at, created_at)'
           ' SELECT v.*, ''2026-03-10 10:00'', ''2026-03-10 10:00'' FROM (VALUES ' || rows_values || ') v' $$;
CREATE VIEW fx.judged AS
SELECT 'pay_line' AS tbl, c.kind, one = several AS same, regexp_replace(one, ' ⟦[^⟧]*⟧', '', 'g') AS outcome, one
  FROM fx.line_case c,
       LATERAL (SELECT fx.judge(c.kind || ', one row', fx.lines(c.row_values)) AS one) o,
       LATERAL (SELECT fx.judge(c.kind || ', first of two',
                                fx.lines(c.row_values || ', (201, 1, 1, 22, 6000, 0, 6000, NULL::bigint)')) AS several) s
UNION ALL
SELECT 'wage_payment', c.kind, one = several, regexp_replace(one, ' ⟦[^⟧]*⟧', '', 'g'), one
  FROM fx.payment_case c,
       LATERAL (SELECT fx.judge(c.kind || ', one row', fx.payments(c.row_values)) AS one) o,
       LATERAL (SELECT fx.judge(c.kind || ', first of two',
                                fx.payments(c.row_values || format(', (301, 100, 10, ''account'', %L)', fx.card(1))))
                AS several) s;

-- reject mode
UPDATE wagecheck.project SET enforcement_mode = 'reject';
SET client_min_messages = debug1;
SELECT tbl, kind, same, outcome FROM fx.judged ORDER BY tbl, kind;
RESET client_min_messages;

-- alert mode: the violations are written without a statement
UPDATE wagecheck.project SET enforcement_mode = 'alert';
CREATE TABLE fx.alert_judged AS SELECT * FROM fx.judged WITH NO DATA;
SET client_min_messages = debug1;
INSERT INTO fx.alert_judged SELECT * FROM fx.judged;
RESET client_min_messages;
SELECT tbl, kind, same, outcome FROM fx.alert_judged ORDER BY tbl, kind;
-- and they are the rows the INSERT statement writes (which a trigger on wagecheck.violation
-- leaves to write them)
BEGIN;
CREATE FUNCTION fx.pass() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER pass BEFORE INSERT ON wagecheck.violation FOR EACH ROW EXECUTE FUNCTION fx.pass();
SET LOCAL client_min_messages = debug1;
SELECT regexp_replace(fx.judge('RN01 payment, the violation written by the statement',
                               fx.payments(format('(300, 101, 6000, ''account'', %L)', fx.card(2)))),
                      ' ⟦[^⟧]*⟧', '', 'g') AS outcome;
RESET client_min_messages;
SELECT count(*) AS cases, count(*) FILTER (WHERE j.one = a.one) AS same_as_by_statement,
       count(*) FILTER (WHERE a.one LIKE 'accepted: %') AS with_violations
  FROM fx.judged j JOIN fx.alert_judged a USING (tbl, kind);
ROLLBACK;

-- Statements of several new rows are read by probes too, each sheet, project, worker, roster
-- entry and line once, and each project's accounts locked once in project order: every case
-- first of two, then all the cases in one statement (a line repeated among the payments; of
-- the lines, those that alert mode may let in: a line that does not add up, or corrects
-- another worker's, is refused in both modes), are judged by the probes and by the query
-- (tables under forced row security send a statement to the query), in reject and alert
-- mode, to the same outcome and the same violations.
CREATE FUNCTION fx.renumbered(row_values text, first int, i int) RETURNS text LANGUAGE sql AS $$
    SELECT regexp_replace(row_values, '^\(\d+,', format('(%s,', first + i)) $$;
CREATE VIEW fx.several AS
SELECT 'pay_line' AS tbl, c.kind, fx.lines(c.row_values || ', (201, 1, 1, 22, 6000, 0, 6000, NULL::bigint)') AS stmt
  FROM fx.line_case c
UNION ALL
SELECT 'wage_payment', c.kind, fx.payments(c.row_values || format(', (301, 100, 10, ''account'', %L)', fx.card(1)))
  FROM fx.payment_case c
UNION ALL
SELECT 'pay_line', 'all cases in one statement',
       fx.lines(string_agg(fx.renumbered(c.row_values, 200, n::int), ', ' ORDER BY n))
  FROM fx.line_case c, LATERAL (SELECT count(*) FROM fx.line_case d WHERE d.ctid < c.ctid) x(n)
 WHERE c.kind NOT LIKE 'PS01%' AND c.kind <> 'correction of another worker'
UNION ALL
SELECT 'wage_payment', 'all cases in one statement',
       fx.payments(string_agg(fx.renumbered(c.row_values, 300, n::int), ', ' ORDER BY n))
  FROM fx.payment_case c, LATERAL (SELECT count(*) FROM fx.payment_case d WHERE d.ctid < c.ctid) x(n);
CREATE TABLE fx.several_judged (mode text, tbl text, kind text, probed text, queried text);
CREATE FUNCTION fx.judge_several(m text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wagecheck.project SET enforcement_mode = m;
    INSERT INTO fx.several_judged (mode, tbl, kind, probed) SELECT m, c.tbl, c.kind, fx.judge(c.kind, c.stmt) FROM fx.several c;
    ALTER TABLE wagecheck.pay_sheet FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.pay_line FORCE ROW LEVEL SECURITY;
    UPDATE fx.several_judged j SET queried = fx.judge(c.kind || ' (queried)', c.stmt)
      FROM fx.several c WHERE j.mode = m AND j.tbl = c.tbl AND j.kind = c.kind;
    ALTER TABLE wagecheck.pay_sheet NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.pay_line NO FORCE ROW LEVEL SECURITY;
END
$$;
SET client_min_messages = warning;
SELECT fx.judge_several('reject');
SELECT fx.judge_several('alert');
RESET client_min_messages;
SELECT mode, tbl, kind, probed = queried AS same, regexp_replace(probed, ' ⟦[^⟧]*⟧', '', 'g') AS outcome
  FROM fx.several_judged ORDER BY mode DESC, tbl, kind;
-- which way they were read: by probes; under forced row security by the query
SET client_min_messages = debug1;
SELECT fx.judge(c.kind, c.stmt) IS NOT NULL AS judged FROM fx.several c WHERE c.kind = 'all cases in one statement' ORDER BY c.tbl;
BEGIN;
ALTER TABLE wagecheck.pay_sheet FORCE ROW LEVEL SECURITY;
SELECT fx.judge(c.kind || ', pay_sheet under forced row security', c.stmt) IS NOT NULL AS judged
  FROM fx.several c WHERE c.kind = 'all cases in one statement' ORDER BY c.tbl;
ROLLBACK;
RESET client_min_messages;

-- a correcting line written alone, checked against its corrected line by a probe, goes in
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, corrects_line_id,
                                created_at)
VALUES (210, 1, 4, 22, 6000, 100, 5900, 104, '2026-03-10 10:00');
SELECT line_id, corrects_line_id FROM wagecheck.pay_line WHERE line_id = 210;

-- row security forced on the roster: the query reads it as the policies let the owner of
-- wagecheck's tables read it, so a one-row statement is read by the query too; afterwards
-- (the change rolled back) by probes again
BEGIN;
ALTER TABLE wagecheck.roster FORCE ROW LEVEL SECURITY;
SET LOCAL client_min_messages = debug1;
SELECT fx.judge('good line, roster under forced row security', fx.lines('(220, 1, 1, 22, 6000, 0, 6000, NULL::bigint)'));
ROLLBACK;
SET client_min_messages = debug1;
SELECT fx.judge('good line', fx.lines('(220, 1, 1, 22, 6000, 0, 6000, NULL::bigint)'));
RESET client_min_messages;

-- Updates and deletes are checked row by row: each row's lookups are read by probes too.
-- Every kind of bad change is judged as the queries judge it (the probes refuse tables under
-- forced row security, which the owner of wagecheck's tables, a superuser here, reads whole).
SET session_replication_role = replica;
INSERT INTO wagecheck.wage_payment (payment_id, line_id, amount, method, card, paid_at, created_at) VALUES
    (400, 100, 6000, 'account', fx.card(1), '2026-03-02 10:00', '2026-03-02 10:00'),
    (401, 103, 6000, 'account', fx.card(1), '2026-03-02 10:00', '2026-03-02 10:00');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net, created_at) VALUES
    (105, 2, 4, 22, 6000, 0, 6000, '2026-03-01 10:00');
RESET session_replication_role;
CREATE TABLE fx.change_case (kind text, stmt text);
INSERT INTO fx.change_case VALUES
    ('line: paid line deleted', 'DELETE FROM wagecheck.pay_line WHERE line_id = 100'),
    ('line: paid line changed', 'UPDATE wagecheck.pay_line SET days = 21 WHERE line_id = 100'),
    ('line: unpaid line deleted', 'DELETE FROM wagecheck.pay_line WHERE line_id = 102'),
    ('line: PS01 does not add up', 'UPDATE wagecheck.pay_line SET net = 5000 WHERE line_id = 104'),
    ('line: RN01 worker off the roster', 'UPDATE wagecheck.pay_line SET net = 6100, payable = 6100 WHERE line_id = 101'),
    ('line: RN01 moved to a worker off the roster', 'UPDATE wagecheck.pay_line SET worker_id = 2 WHERE line_id = 104'),
    ('line: AC05 raised after closure', 'UPDATE wagecheck.pay_line SET net = 6100, payable = 6100 WHERE line_id = 105'),
    ('line: lowered after closure', 'UPDATE wagecheck.pay_line SET net = 5900, payable = 5900 WHERE line_id = 105'),
    ('line: moved to a closed project', 'UPDATE wagecheck.pay_line SET sheet_id = 2 WHERE line_id = 104'),
    ('line: corrects another worker''s line', 'UPDATE wagecheck.pay_line SET corrects_line_id = 100 WHERE line_id = 104'),
    ('line: good change', 'UPDATE wagecheck.pay_line SET days = 21 WHERE line_id = 104'),
    ('payment: WP04 another card', format('UPDATE wagecheck.wage_payment SET card = %L WHERE payment_id = 400', fx.card(4))),
    ('payment: WP04 cash', 'UPDATE wagecheck.wage_payment SET method = ''cash'', card = NULL WHERE payment_id = 400'),
    ('payment: RN01 moved to a line off the roster', 'UPDATE wagecheck.wage_payment SET line_id = 101 WHERE payment_id = 400'),
    ('payment: AC05 changed after closure', 'UPDATE wagecheck.wage_payment SET amount = 5000 WHERE payment_id = 401'),
    ('payment: good change', 'UPDATE wagecheck.wage_payment SET paid_at = ''2026-03-03 10:00'' WHERE payment_id = 400');
CREATE TABLE fx.change_judged (mode text, kind text, probed text, queried text);
CREATE FUNCTION fx.judge_changes(m text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wagecheck.project SET enforcement_mode = m;
    INSERT INTO fx.change_judged (mode, kind, probed) SELECT m, c.kind, fx.judge(c.kind, c.stmt) FROM fx.change_case c;
    ALTER TABLE wagecheck.pay_sheet FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.pay_line FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.wage_account FORCE ROW LEVEL SECURITY;
    UPDATE fx.change_judged j SET queried = fx.judge(c.kind || ' (queried)', c.stmt)
      FROM fx.change_case c WHERE j.mode = m AND j.kind = c.kind;
    ALTER TABLE wagecheck.pay_sheet NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.pay_line NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE wagecheck.wage_account NO FORCE ROW LEVEL SECURITY;
END
$$;
SELECT fx.judge_changes('reject');
SELECT fx.judge_changes('alert');
SELECT mode, kind, probed = queried AS same, regexp_replace(probed, ' ⟦[^⟧]*⟧', '', 'g') AS outcome
  FROM fx.change_judged ORDER BY mode DESC, kind;
-- how a changed row's lookups were read: by probes; under forced row security by the queries
SET client_min_messages = debug1;
SELECT fx.judge('payment moved to a line off the roster',
                'UPDATE wagecheck.wage_payment SET line_id = 101 WHERE payment_id = 400') IS NOT NULL AS judged;
BEGIN;
ALTER TABLE wagecheck.pay_line FORCE ROW LEVEL SECURITY;
SELECT fx.judge('payment moved to a line off the roster, pay_line under forced row security',
                'UPDATE wagecheck.wage_payment SET line_id = 101 WHERE payment_id = 400') IS NOT NULL AS judged;
ROLLBACK;
RESET client_min_messages;

-- The change capture of new pay lines and payments judged by probes, and of movements whose
-- accounts were locked and read by key, records the projects the enforcing trigger read for
-- them (it fires first, in the same statement): the same changes as the capture records
-- reading them itself (the enforcing trigger disabled), for one row and for several of several
-- sheets, lines, accounts and projects.
CREATE FUNCTION fx.captured_changes(stmts text[], enforced boolean) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    before bigint := (SELECT coalesce(max(seq), 0) FROM wagecheck.input_change);
    s text;
    changes text[];
BEGIN
    BEGIN
        IF NOT enforced THEN
            ALTER TABLE wagecheck.pay_line DISABLE TRIGGER enforce_insert;
            ALTER TABLE wagecheck.wage_payment DISABLE TRIGGER enforce_insert;
            ALTER TABLE wagecheck.account_txn DISABLE TRIGGER enforce_statement;
        END IF;
        FOREACH s IN ARRAY stmts LOOP
            EXECUTE s;
        END LOOP;
        SELECT array_agg(format('%s %s %s %s', c.table_name, c.op, c.projects, c.moments) ORDER BY c.seq)
          INTO changes FROM wagecheck.input_change c WHERE c.seq > before;
        RAISE EXCEPTION USING ERRCODE = 'P0099';
    EXCEPTION WHEN SQLSTATE 'P0099' THEN
        NULL;	-- (rolled back)
    END;
    RETURN changes;
END
$$;
UPDATE wagecheck.project SET enforcement_mode = 'alert';
CREATE TABLE fx.capture_case (kind text, stmts text[]);
INSERT INTO fx.capture_case VALUES
    ('one line', ARRAY[fx.lines('(230, 1, 1, 22, 6000, 0, 6000, NULL::bigint)')]),
    ('lines of three sheets', ARRAY[fx.lines('(231, 1, 1, 22, 6000, 0, 6000, NULL::bigint), '
                                            '(232, 2, 1, 22, 6000, 0, 6000, NULL::bigint), '
                                            '(233, 3, 1, 22, 6000, 0, 6000, NULL::bigint), '
                                            '(234, 1, 4, 22, 6000, 0, 6000, NULL::bigint)')]),
    ('lines, one correcting', ARRAY[fx.lines('(235, 1, 1, 22, 6000, 0, 6000, NULL::bigint), '
                                            '(236, 1, 3, 22, 6000, 100, 5900, 102)')]),
    ('one payment', ARRAY[fx.payments(format('(330, 100, 10, ''account'', %L)', fx.card(1)))]),
    ('payments of four lines', ARRAY[fx.payments(format('(331, 100, 10, ''account'', %L), (332, 103, 10, ''account'', %L), '
                                                        '(333, 106, 10, ''account'', %L), (334, 104, 10, ''account'', %L), '
                                                        '(335, 100, 10, ''account'', %L)',
                                                        fx.card(1), fx.card(1), fx.card(1), fx.card(4), fx.card(1)))]),
    ('a line, then its payments', ARRAY[fx.lines('(237, 2, 4, 22, 6000, 0, 6000, NULL::bigint)'),
                                        fx.payments(format('(336, 237, 10, ''account'', %L), (337, 104, 10, ''account'', %L)',
                                                           fx.card(4), fx.card(4)))]),
    ('one movement', ARRAY[$m$INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, purpose, booked_at, created_at)
                            VALUES (500, 1, 'in', 90000, 'labour_cost', '2026-03-02 09:00', '2026-03-02 09:00')$m$]),
    ('movements of two accounts', ARRAY[format($m$INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount,
                                                      counterparty_account, purpose, booked_at, created_at)
                                          VALUES (501, 1, 'in', 90000, NULL, 'labour_cost', '2026-03-02 09:00', '2026-03-02 09:00'),
                                                 (502, 2, 'in', 5000, NULL, 'top_up', '2026-03-02 09:00', '2026-03-02 09:00'),
                                                 (503, 1, 'out', 6000, %L, 'wage', '2026-03-02 10:00', '2026-03-02 10:00')$m$,
                                          fx.card(1))]);
SELECT c.kind, e.changes = d.changes AS same, cardinality(e.changes) AS changes
  FROM fx.capture_case c,
       LATERAL (SELECT fx.captured_changes(c.stmts, true) AS changes) e,
       LATERAL (SELECT fx.captured_changes(c.stmts, false) AS changes) d
 ORDER BY c.kind;

-- The change capture appends its rows to wagecheck.input_change without a statement, through
-- the table and its identity's sequence found once in a backend; a change of the table is seen
-- at once: with a trigger on it, the capture writes its rows by its statement (the trigger
-- fires), and without again by itself.
BEGIN;
CREATE TABLE fx.fired (n int);
CREATE FUNCTION fx.fired() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO fx.fired VALUES (1); RETURN NEW; END $$;
CREATE FUNCTION fx.sheet_captured(sheet bigint, project bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    before bigint := (SELECT count(*) FROM wagecheck.input_change);
BEGIN
    INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
    VALUES (sheet, project, 3, '2026-04-01', '2026-05-01', '2026-05-01 10:00');
    RETURN format('changes recorded %s, trigger fired %s', (SELECT count(*) FROM wagecheck.input_change) - before,
                  (SELECT count(*) FROM fx.fired));
END
$$;
SELECT fx.sheet_captured(10, 40);
CREATE TRIGGER fired AFTER INSERT ON wagecheck.input_change FOR EACH ROW EXECUTE FUNCTION fx.fired();
SELECT fx.sheet_captured(11, 41);
DROP TRIGGER fired ON wagecheck.input_change;
SELECT fx.sheet_captured(12, 42);
ROLLBACK;

SET client_min_messages = warning;
DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA fx CASCADE;
