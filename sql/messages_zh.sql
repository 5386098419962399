-- wagecheck speaks the session's language: with lc_messages = zh_CN.UTF-8 its errors,
-- details and hints come from po/zh_CN.po (text domain wagecheck-15), one of each
-- SQLSTATE class its C code raises; English stays the default (the last statement).
-- Needs the locale zh_CN.UTF-8 (test/tools/deps.sh generates it).
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
SET search_path = wagecheck, public;
INSERT INTO worker (worker_id, resident_id, name, wage_card) VALUES
    (1, '371302198503122131', '张伟', '6228481234567890003');
INSERT INTO roster (project_id, worker_id, employer_id, contract_signed_on, start_on)
VALUES (1, 1, 3, '2020-09-01', '2020-09-01');
INSERT INTO wage_account (account_id, project_id, bank, account_no, opened_on)
VALUES (1, 1, '农业银行临沂分行', '372101040012345', '2020-09-05');
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'in', 20000, '9558800001000000001', 'labour_cost', '2021-01-08 10:00');
INSERT INTO case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES (1, 'LSRS', 'inspection', 1, 1, 11000, '2020-12-28');
INSERT INTO case_repayment (case_id, amount, paid_on) VALUES (1, 6000, '2021-01-08');
CREATE TABLE public.legacy_txn (lsh bigint, zh bigint, jdbz text, jyje numeric, dfzh text);
CREATE TABLE public.some_table (n int);

SET lc_messages = 'zh_CN.UTF-8';
-- 22: data exceptions (identifier input, a date that is no date, a bad parameter)
SELECT '371302198503122132'::resident_id;
\echo SQLSTATE :SQLSTATE
SELECT '9137130200000000A1'::credit_code;
\echo SQLSTATE :SQLSTATE
SELECT age('371302198503122131'::resident_id, 'infinity');
\echo SQLSTATE :SQLSTATE
SELECT lunar_to_gregorian(2025, 7, 1, leap => true);
\echo SQLSTATE :SQLSTATE
SELECT alert_transition('X', 'open', 'clear', 'engine');
\echo SQLSTATE :SQLSTATE
-- 23: integrity (a money column's check, the close-out guard on a NULL status)
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'in', 'NaN', '9558800001000000001', 'labour_cost', '2021-01-09 10:00');
\echo SQLSTATE :SQLSTATE
UPDATE case_ledger SET status = NULL WHERE case_id = 1;
\echo SQLSTATE :SQLSTATE
-- 39: a C trigger fired the wrong way
CREATE TRIGGER wrong AFTER INSERT ON some_table FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce();
INSERT INTO some_table VALUES (1);
\echo SQLSTATE :SQLSTATE
-- 42: attaching with a mapping that does not fit the table
SELECT attach('legacy_txn', 'account_txn', '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "jyje", "counterparty": "nope"}', 'reject');
\echo SQLSTATE :SQLSTATE
SELECT attach('legacy_txn', 'account_txn', '{"id": "lsh", "account": "zh", "direction": "jdbz", "amount": "dfzh", "counterparty": "jyje"}', 'reject');
\echo SQLSTATE :SQLSTATE
-- WC: the wage rules (专用账户 outflow, 不解决不销账, the alert lifecycle, shipped holidays)
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 9000, '37050168620100009999', 'transfer', '2021-01-09 14:00');
\echo SQLSTATE :SQLSTATE
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 3000, '6228480000000000006', 'wage', '2021-01-09 15:00');
\echo SQLSTATE :SQLSTATE
SELECT close_case(1, 'repaid', NULL, '兰山监察员', '2021-01-10 12:00');
\echo SQLSTATE :SQLSTATE
SELECT close_case(1, 'police', NULL, '兰山监察员', '2021-01-10 12:00');
\echo SQLSTATE :SQLSTATE
SELECT alert_transition('K', 'open', 'confirm', 'officer');
\echo SQLSTATE :SQLSTATE
DELETE FROM holiday WHERE day = '2024-02-10';
\echo SQLSTATE :SQLSTATE
UPDATE wage_account SET balance = 1 WHERE account_id = 1;
\echo SQLSTATE :SQLSTATE

-- The PL/pgSQL functions and triggers raise through wagecheck._msg, from the same catalogue:
-- one of each SQLSTATE class, and a warning
-- 22: a campaign's progress by a grouping that does not exist
SELECT * FROM campaign_progress('冬季攻坚', '2021-01-10', 'town');
\echo SQLSTATE :SQLSTATE
SELECT attach('legacy_txn', 'ledger', '{"id": "lsh"}', 'reject');
\echo SQLSTATE :SQLSTATE
-- 23: a lead that was never queued
SELECT lead_delivered(999, '兰山区人社局');
\echo SQLSTATE :SQLSTATE
-- 25: a scan outside READ COMMITTED (its detail too)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM scan();
\echo SQLSTATE :SQLSTATE
ROLLBACK;
-- 39: a PL/pgSQL trigger fired the wrong way
DROP TRIGGER wrong ON some_table;
CREATE TRIGGER wrong_plpgsql AFTER INSERT ON some_table FOR EACH ROW EXECUTE FUNCTION wagecheck.case_logged();
INSERT INTO some_table VALUES (2);
\echo SQLSTATE :SQLSTATE
DROP TRIGGER wrong_plpgsql ON some_table;
-- 42: a rule parameter that does not exist (its hint too), an officer asking for another's scope
SELECT rule_param('AC01', 'no_such_parameter');
\echo SQLSTATE :SQLSTATE
CREATE ROLE regress_zh_county IN ROLE wagecheck_county;
SET SESSION AUTHORIZATION regress_zh_county;
SELECT worker_in_scope(1, 'wagecheck_admin');
\echo SQLSTATE :SQLSTATE
RESET SESSION AUTHORIZATION;
DROP ROLE regress_zh_county;
-- P0: a case, a listing on the dishonest list (失信名单) that do not exist
SELECT close_case(99, 'repaid', NULL, '兰山监察员', '2021-01-10 12:00');
\echo SQLSTATE :SQLSTATE
SELECT remove_dishonest_listing(99, '2021-03-01', '2021-01-10', '2021-01-10', '已清偿');
\echo SQLSTATE :SQLSTATE
-- WC: the case ledger keeps its history (入销号台账)
DELETE FROM case_repayment WHERE case_id = 1;
\echo SQLSTATE :SQLSTATE
-- a warning: a rule scanned as of a moment beyond what the tolerance now allows (its
-- detail names that moment)
UPDATE rule SET enabled = (code = 'AC01');
SET wagecheck.scan_future_tolerance = 7200;
SELECT count(*) >= 0 AS scanned FROM scan(now() + interval '1 hour');
RESET wagecheck.scan_future_tolerance;
\set VERBOSITY terse
SELECT count(*) >= 0 AS scanned FROM scan();
\set VERBOSITY default
SELECT count(*) >= 0 AS undone FROM undo_scan(now());
UPDATE rule SET enabled = true;

-- wagecheck._msg itself: a translation that reorders its arguments (%2$s), a NULL argument
-- (empty), a NULL format (NULL), a text the catalogue lacks (as given), a format its
-- arguments do not fit (22023)
SELECT _msg('a note is required to %s alert %s', 'confirm', 7) AS reordered,
       _msg('case %s does not exist', NULL::bigint) AS null_argument,
       _msg(NULL) IS NULL AS null_format,
       _msg('not in the catalogue: %s', 1) AS untranslated;
SELECT _msg('rule %s has no parameter %s', 'AC01');
\echo SQLSTATE :SQLSTATE

-- English is the default
RESET lc_messages;
SELECT close_case(1, 'repaid', NULL, '兰山监察员', '2021-01-10 12:00');
DROP EXTENSION wagecheck CASCADE;
DROP TABLE public.legacy_txn, public.some_table;
