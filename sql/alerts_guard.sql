-- Guards of the scan: a moment in the future is refused (it would move every rule there and
-- make every later scan a replay that writes nothing); wagecheck.scan_future_tolerance; the
-- warning of a database a future scan already froze, and the way back, wagecheck.undo_scan.
-- (Two scans at once, and writers during a scan: test/isolation/specs/scan_lock.spec.)
CREATE EXTENSION wagecheck;
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY terse
-- the test's own objects live in schema guard (dropped at the end)
CREATE SCHEMA guard;
SET search_path = guard, public;
-- err(sql): runs a statement and shows the SQLSTATE and message of its error
CREATE FUNCTION err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- err_full(sql): the same with detail and hint, the moments in them replaced by <moment>
CREATE FUNCTION err_full(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    d text;
    h text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN SQLSTATE || ': ' || SQLERRM || E'\nDETAIL: '
           || regexp_replace(d, '[0-9]{4,6}-[0-9]{2}-[0-9]{2} [0-9:.]+\+08', '<moment>', 'g')
           || E'\nHINT: ' || h;
END $$;

-- fixture: a hit of rule `rule` for `subject` holds from `since` until `until`
CREATE TABLE fx (rule text, subject text, since timestamptz, until timestamptz);
CREATE FUNCTION eval_zz01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = guard AS $$
    SELECT 'project', subject, '', NULL::bigint, NULL::bigint, '371302'::wagecheck.division_code,
           NULL, NULL::timestamptz, '{}'::jsonb
      FROM fx WHERE rule = 'ZZ01' AND since <= as_of AND (until IS NULL OR as_of < until) $$;
CREATE FUNCTION eval_zz02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE SET search_path = guard AS $$
    SELECT 'project', subject, '', NULL::bigint, NULL::bigint, '371302'::wagecheck.division_code,
           NULL, NULL::timestamptz, '{}'::jsonb
      FROM fx WHERE rule = 'ZZ02' AND since <= as_of AND (until IS NULL OR as_of < until) $$;
UPDATE wagecheck.rule SET enabled = false;
INSERT INTO wagecheck.rule (code, tier, subject_kind, name_zh, name_en, evaluator) VALUES
  ('ZZ01', 'K', 'project', '测试关键', 'test key', 'eval_zz01(timestamptz)'),
  ('ZZ02', 'G', 'project', '测试一般', 'test general', 'eval_zz02(timestamptz)');
INSERT INTO fx VALUES
  ('ZZ01', 'p1', '2026-03-02 08:00', NULL),                          -- K: deadline 03-10, overdue after
  ('ZZ02', 'p2', '2026-03-02 08:00', now() + interval '100 days'),   -- G: gone in 100 days
  ('ZZ02', 'p3', now() + interval '200 days', NULL);                 -- G: in 200 days
CREATE VIEW board AS
  SELECT rule_code, subject_id, tier, state, evidence, deadline_on, opened_at, updated_at, escalated_at, closed_at
    FROM wagecheck.alert ORDER BY rule_code, subject_id, alert_id;

SELECT * FROM wagecheck.scan('2026-03-03 12:00');
SELECT * FROM board;

-- === a moment in the future is refused, with the moment asked, now() and the tolerance
SELECT err_full($$SELECT * FROM wagecheck.scan('9999-12-31')$$);
-- the last day a timestamptz holds: the same error, not 'date out of range for timestamp'
SELECT err_full($$SELECT * FROM wagecheck.scan('294276-12-31')$$);
SELECT err($$SELECT * FROM wagecheck.scan(now() + interval '6 minutes')$$);
-- within the tolerance (5 minutes by default): a clock a little ahead of the server's
SHOW wagecheck.scan_future_tolerance;
BEGIN;
SELECT rule_code, replay FROM wagecheck.scan(now() + interval '4 minutes');
ROLLBACK;
-- a replay of a past moment is no forward scan and still runs
SELECT rule_code, hits, opened, replay FROM wagecheck.scan('2026-03-02 12:00');
-- the tolerance is a superuser's setting and scan() runs for the owner only: an admin can
-- neither widen the one nor call the other
CREATE ROLE regress_wc_guard_clerk IN ROLE wagecheck_admin;
GRANT USAGE ON SCHEMA guard TO regress_wc_guard_clerk;
SET ROLE regress_wc_guard_clerk;
SELECT err($$SET wagecheck.scan_future_tolerance = '10d'$$);
SELECT err($$SELECT * FROM wagecheck.scan(now() + interval '1 day')$$);
RESET ROLE;
SELECT err($$SET wagecheck.scan_future_tolerance = '3651d'$$);

-- === a database a future scan froze: made here as before the guard, with a wide tolerance
-- (the calendar's notices of years without holiday data depend on the day the test runs)
SET client_min_messages = warning;
INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, occurred_at)
VALUES ('ZZ01', 'project', 'v1', now() - interval '1 day');
SET wagecheck.scan_future_tolerance = '3650d';
SELECT * FROM wagecheck.scan(now() + interval '400 days');
RESET wagecheck.scan_future_tolerance;
SELECT rule_code, subject_id, state, opened_at > now() AS opened_ahead, updated_at > now() AS changed_ahead
  FROM board;
-- every scan now is a replay that writes nothing, and says why
SELECT * FROM wagecheck.scan();
SELECT count(*) AS events_ahead FROM wagecheck.alert_event WHERE at > now();
-- the alerts the future scan opened cannot be deleted by hand
SELECT err($$DELETE FROM wagecheck.alert WHERE opened_at > now()$$);

-- === the way back: wagecheck.undo_scan(now())
-- only moments from now() on, up to what a scan accepts: history is never undone
SELECT err($$SELECT * FROM wagecheck.undo_scan(NULL)$$);
SELECT err($$SELECT * FROM wagecheck.undo_scan('infinity')$$);
SELECT err_full($$SELECT * FROM wagecheck.undo_scan(now() - interval '1 day')$$);
SELECT err($$SELECT * FROM wagecheck.undo_scan(now() + interval '1 day')$$);
-- only the extension's owner (or a superuser): not even wagecheck_admin
SET ROLE regress_wc_guard_clerk;
SELECT err_full($$SELECT * FROM wagecheck.undo_scan(now())$$);
RESET ROLE;
SELECT rule_code, scanned_to > now() AS was_ahead, alerts_removed, events_removed, alerts_restored,
       violations_released
  FROM wagecheck.undo_scan(now());
-- the alerts as they stood before the future scan: its alert (v1) gone, p1 open again with
-- its deadline, p2 open; nothing dated ahead; the violation free again
SELECT * FROM board;
SELECT count(*) AS events_ahead FROM wagecheck.alert_event WHERE at > now();
SELECT count(*) AS consumed_violations FROM wagecheck.alert_violation;
SELECT code, scanned_to <= now() AS mark_back FROM wagecheck.rule_scan WHERE code LIKE 'ZZ%' ORDER BY code;
SELECT count(*) AS eval_states FROM wagecheck.rule_eval_state WHERE code LIKE 'ZZ%';
-- the refusal of deletes is back in force
SELECT tgenabled FROM pg_trigger WHERE tgname = 'alert_kept' AND tgrelid = 'wagecheck.alert'::regclass;
SELECT err($$DELETE FROM wagecheck.alert$$);
-- nothing left to undo
SELECT count(*) AS undone FROM wagecheck.undo_scan(now());
-- the next scan goes forward again: p1 overdue (its deadline long past), v1 opens from its
-- violation, p3 stays out (not due for 200 days), no warning
SELECT * FROM wagecheck.scan();
SELECT rule_code, subject_id, tier, state, evidence, opened_at > '2026-03-04' AS opened_now,
       escalated_at IS NOT NULL AS escalated
  FROM board;
SELECT a.subject_id, e.action, e.to_state FROM wagecheck.alert_event e JOIN wagecheck.alert a USING (alert_id)
 ORDER BY a.subject_id, e.event_id;

DROP EXTENSION wagecheck CASCADE;
DROP SCHEMA guard CASCADE;
DROP ROLE regress_wc_guard_clerk;
