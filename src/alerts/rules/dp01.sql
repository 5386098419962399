-- DP01 (G->K, project): no wage guarantee deposit (未按规定存储工资保证金).
-- no deposit or bank letter due_wd working days after the contract (G), escalate_wd later (K).

-- DP01 (G->K, project): no wage guarantee deposit or bank letter due_wd working days after
-- the contract (G), escalate_wd working days later (K), unless exempt.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS (
        SELECT p.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(p.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    -- months of the contractor's projects with wages not fully paid by their pay day
    arrears AS (
        SELECT a.contractor_id, a.last_arrears
          FROM wagecheck._contractor_arrears(as_of, ARRAY(SELECT DISTINCT cand.contractor_id FROM cand)) a
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               -- small contract and no arrears in the past year
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               -- clean_years without arrears, real-name roster and the dedicated account in place
               ((arrears.last_arrears IS NULL
                 OR arrears.last_arrears < (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.project o2
                             WHERE o2.contractor_id = cand.contractor_id AND o2.created_at <= as_of
                               AND o2.start_on <= (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.wage_account w
                             WHERE w.project_id = cand.project_id AND w.opened_on <= as_of::date
                               AND w.created_at <= as_of)
                AND EXISTS (SELECT 1 FROM wagecheck.roster r
                             WHERE r.project_id = cand.project_id AND r.created_at <= as_of)) AS long_clean
          FROM cand LEFT JOIN arrears ON arrears.contractor_id = cand.contractor_id
    )
    SELECT 'project', j.project_id::text, '', j.project_id, j.contractor_id, j.division,
           CASE WHEN as_of::date > wagecheck.add_working_days(j.contract_signed_on, j.due_wd + j.escalate_wd)
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('contract_signed_on', j.contract_signed_on,
                              'due_on', wagecheck.add_working_days(j.contract_signed_on, j.due_wd),
                              'contract_value', j.contract_value,
                              'deposit_required', round(j.contract_value * j.rate, 2),
                              'last_arrears', j.last_arrears)
      FROM judged j
     WHERE NOT j.small_clean AND NOT j.long_clean
$$;

COMMENT ON FUNCTION wagecheck.eval_dp01(timestamptz) IS
    'DP01: projects without a wage guarantee deposit or bank letter due_wd working days after the contract (K escalate_wd later); exempt: contract below exempt_below with no arrears in a year, or clean_years without arrears with roster and account in place';

-- DP01: the projects without a deposit past its due date. A project's hit depends on the rows
-- of its contractor's other projects (their months paid late, their start), whose changes
-- name only those projects: DP01's peers function (eval_dp01_peers) widens them to every
-- project of their contractors, and a project leaving a contractor (_dp01_project_moved)
-- names the old contractor's projects as changed.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'exempt_below', d.division))::numeric AS exempt_below,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years,
               (wagecheck.rule_param('DP01', 'rate', d.division))::numeric AS rate
          FROM (SELECT DISTINCT q.division FROM q) d
    ),
    cand AS (
        SELECT q.*, x.due_wd, x.escalate_wd, x.exempt_below, x.clean_years, x.rate
          FROM q
          JOIN params x ON x.division = q.division
         WHERE q.created_at <= as_of AND q.contract_signed_on IS NOT NULL
           AND q.status NOT IN ('completed', 'closed')
           AND as_of::date > wagecheck.add_working_days(q.contract_signed_on, x.due_wd)
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = q.project_id AND g.created_at <= as_of
                              AND g.deposited_on <= as_of::date
                              AND (g.returned_on IS NULL OR g.returned_on > as_of::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= as_of::date))
    ),
    arrears AS (
        SELECT a.contractor_id, a.last_arrears
          FROM wagecheck._contractor_arrears(as_of, ARRAY(SELECT DISTINCT cand.contractor_id FROM cand)) a
    ),
    judged AS (
        SELECT cand.*, arrears.last_arrears,
               (cand.contract_value < cand.exempt_below
                AND (arrears.last_arrears IS NULL OR arrears.last_arrears < as_of::date - 365)) AS small_clean,
               ((arrears.last_arrears IS NULL
                 OR arrears.last_arrears < (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.project o2
                             WHERE o2.contractor_id = cand.contractor_id AND o2.created_at <= as_of
                               AND o2.start_on <= (as_of::date - make_interval(years => cand.clean_years))::date)
                AND EXISTS (SELECT 1 FROM wagecheck.wage_account w
                             WHERE w.project_id = cand.project_id AND w.opened_on <= as_of::date
                               AND w.created_at <= as_of)
                AND EXISTS (SELECT 1 FROM wagecheck.roster r
                             WHERE r.project_id = cand.project_id AND r.created_at <= as_of)) AS long_clean
          FROM cand LEFT JOIN arrears ON arrears.contractor_id = cand.contractor_id
    )
    SELECT 'project', j.project_id::text, '', j.project_id, j.contractor_id, j.division,
           CASE WHEN as_of::date > wagecheck.add_working_days(j.contract_signed_on, j.due_wd + j.escalate_wd)
                THEN 'K' ELSE 'G' END,
           NULL::timestamptz,
           jsonb_build_object('contract_signed_on', j.contract_signed_on,
                              'due_on', wagecheck.add_working_days(j.contract_signed_on, j.due_wd),
                              'contract_value', j.contract_value,
                              'deposit_required', round(j.contract_value * j.rate, 2),
                              'last_arrears', j.last_arrears)
      FROM judged j
     WHERE NOT j.small_clean AND NOT j.long_clean
$$;

COMMENT ON FUNCTION wagecheck.eval_dp01_projects(timestamptz, bigint[]) IS
    'DP01 for the given projects only (project evaluator of eval_dp01; it reads the wages of their contractors'' other projects too)';

-- DP01's horizon: of the projects that may lack a deposit past its due date at to_ts, those
-- whose due or escalation day passes between the two moments, and those of a contractor with
-- a month late whose pay date passes, or turns a year or clean_years old, or a project that
-- turns clean_years old (NULL when the summary wage_month is not exact at to_ts).
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH params AS MATERIALIZED (
        SELECT d.division,
               (wagecheck.rule_param('DP01', 'due_wd', d.division))::int AS due_wd,
               (wagecheck.rule_param('DP01', 'escalate_wd', d.division))::int AS escalate_wd,
               (wagecheck.rule_param('DP01', 'clean_years', d.division))::int AS clean_years
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    cand AS MATERIALIZED (
        SELECT p.project_id, p.contractor_id, x.clean_years,
               wagecheck.add_working_days(p.contract_signed_on, x.due_wd) AS due_on,
               wagecheck.add_working_days(p.contract_signed_on, x.due_wd + x.escalate_wd) AS k_on
          FROM wagecheck.project p
          JOIN params x ON x.division = p.division
         WHERE p.created_at <= to_ts AND p.contract_signed_on IS NOT NULL
           AND p.status NOT IN ('completed', 'closed')
           AND NOT EXISTS (SELECT 1 FROM wagecheck.guarantee_deposit g
                            WHERE g.project_id = p.project_id AND g.created_at <= to_ts
                              AND g.deposited_on <= to_ts::date
                              AND (g.returned_on IS NULL OR g.returned_on > to_ts::date)
                              AND (g.expires_on IS NULL OR g.expires_on >= to_ts::date))
    ),
    live AS MATERIALIZED (SELECT * FROM cand WHERE cand.due_on < to_ts::date),
    -- the windows of pay dates whose passing, or turning a year or clean_years old, counts
    win AS MATERIALIZED (
        SELECT from_ts::date AS lo, to_ts::date AS hi
        UNION SELECT from_ts::date - 366, to_ts::date - 365
        UNION SELECT (from_ts::date - make_interval(years => y.c))::date - 1, (to_ts::date - make_interval(years => y.c))::date + 1
          FROM (SELECT DISTINCT live.clean_years AS c FROM live) y
    ),
    late AS MATERIALIZED (   -- the months late of the live projects' contractors, pay date in a window
        SELECT DISTINCT pr.contractor_id
          FROM wagecheck._wages_late_summary(to_ts, ARRAY(SELECT pc.project_id FROM wagecheck.project pc
                                                           WHERE pc.contractor_id IN (SELECT live.contractor_id FROM live)),
                                             (SELECT range_agg(daterange(win.lo, win.hi, '[]')) FROM win)) o
          JOIN wagecheck.project pr ON pr.project_id = o.project_id
    ),
    started AS MATERIALIZED (   -- a project of the contractor turning clean_years old
        SELECT DISTINCT live.contractor_id
          FROM live
          JOIN wagecheck.project o2 ON o2.contractor_id = live.contractor_id
         WHERE o2.start_on BETWEEN (from_ts::date - make_interval(years => live.clean_years))::date - 1
                               AND (to_ts::date - make_interval(years => live.clean_years))::date + 1
    )
    SELECT CASE WHEN wagecheck._summary_exact('wages_owed', to_ts) THEN
           ARRAY(SELECT cand.project_id FROM cand
                  WHERE (cand.due_on >= from_ts::date AND cand.due_on < to_ts::date)
                     OR (cand.k_on >= from_ts::date AND cand.k_on < to_ts::date)
                 UNION
                 SELECT live.project_id FROM live
                  WHERE live.contractor_id IN (SELECT late.contractor_id FROM late)
                     OR live.contractor_id IN (SELECT started.contractor_id FROM started)
                 ORDER BY 1) END
$$;

COMMENT ON FUNCTION wagecheck.eval_dp01_horizon(timestamptz, timestamptz) IS
    'DP01''s date horizon: the projects without a deposit whose due or escalation day falls between the two moments, or whose contractor''s arrears or projects'' age change the exemptions then (NULL: cannot tell, the summary is not exact)';

-- DP01's peers: every project of the contractors of the given projects (their arrears and
-- their projects' start decide the exemptions of all of them), and the given projects.
CREATE OR REPLACE FUNCTION wagecheck.eval_dp01_peers(projects bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT ARRAY(SELECT u FROM unnest(projects) u WHERE u IS NOT NULL
                 UNION
                 SELECT o.project_id
                   FROM wagecheck.project o
                  WHERE o.contractor_id IN (SELECT p.contractor_id FROM wagecheck.project p
                                             WHERE p.project_id = ANY (projects))
                 ORDER BY 1)
$$;

COMMENT ON FUNCTION wagecheck.eval_dp01_peers(bigint[]) IS
    'DP01''s peers: the given projects and every project of their contractors, whose exemptions read the contractor''s arrears and projects';

-- _dp01_project_moved(): trigger (statement level) on project: a project leaving a contractor
-- (contractor changed, project deleted) changes the exemptions of the contractor's remaining
-- projects, which eval_dp01_peers no longer finds through it: records them as changed.
CREATE OR REPLACE FUNCTION wagecheck._dp01_project_moved() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, wagecheck, pg_temp AS
$$
DECLARE
    left_from bigint[];
BEGIN
    -- it writes as the owner: only on the tables it was written for
    IF TG_RELID <> 'wagecheck.project'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck._dp01_project_moved() fires only AFTER each statement on project, not on %s', TG_RELID::regclass),
              ERRCODE = 'trigger_protocol_violated';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT o.contractor_id) INTO left_from
          FROM old_rows o
         WHERE o.contractor_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM new_rows n
                            WHERE n.project_id = o.project_id AND n.contractor_id = o.contractor_id);
    ELSE
        SELECT array_agg(DISTINCT o.contractor_id) INTO left_from
          FROM old_rows o WHERE o.contractor_id IS NOT NULL;
    END IF;
    IF left_from IS NOT NULL THEN
        INSERT INTO wagecheck.input_change (table_name, projects)
        SELECT 'project', ARRAY(SELECT p.project_id FROM wagecheck.project p
                                 WHERE p.contractor_id = ANY (left_from) ORDER BY 1);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION wagecheck._dp01_project_moved() IS
    'trigger: records in wagecheck.input_change the remaining projects of a contractor a project left (contractor changed or project deleted), whose DP01 exemptions change (internal)';

CREATE OR REPLACE TRIGGER dp01_project_moved_upd AFTER UPDATE ON wagecheck.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();

CREATE OR REPLACE TRIGGER dp01_project_moved_del AFTER DELETE ON wagecheck.project REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wagecheck._dp01_project_moved();

ALTER TABLE wagecheck.project ENABLE ALWAYS TRIGGER dp01_project_moved_upd, ENABLE ALWAYS TRIGGER dp01_project_moved_del;

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: working days after the contract
SELECT wagecheck._rule_define('DP01', 'G', 'project', '未按规定存储工资保证金', 'no wage guarantee deposit',
    description => 'no wage guarantee deposit or bank guarantee letter due_wd working days after the contract → G, escalate_wd working days later → K; exempt: contract below exempt_below with no arrears in the past year, or clean_years without arrears with real-name management and the account in place (人社部发〔2021〕65号)',
    params => '{"rate": 0.01, "due_wd": 20, "clean_years": 3, "deadline_wd": 5, "escalate_wd": 10, "exempt_below": 3000000}',
    evaluator => 'wagecheck.eval_dp01(timestamptz)',
    escalates => true,
    project_evaluator => 'wagecheck.eval_dp01_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_dp01_horizon(timestamptz, timestamptz)',
    peers => 'wagecheck.eval_dp01_peers(bigint[])',
    inputs => '{project,guarantee_deposit,wage_account,pay_sheet,pay_line,wage_payment,roster}',
    uses => '{_contractor_arrears,_pay_terms,_wages_late,_wages_late_summary,_wages_owed_compute,_wages_owed_projects,attendance_month,wage_month,wage_pay_date}');
