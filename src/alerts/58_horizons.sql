-- Project evaluators and date horizons (rule.project_evaluator, rule.horizon) of the
-- time-driven rules that count days from a date of a row: NB01 (board_days after the
-- start), AC01 (open_days after the contract), WP07 (settle_days after leaving), RN03
-- (gap_days without attendance). A forward scan on a later day evaluates such a rule only for
-- the projects whose rows changed and those its horizon names: the projects whose hits may
-- differ between as_of from_ts and to_ts with the same rows, by the passage of time alone -
-- a threshold (a row's date plus the rule's days) or a date of a row falling in
-- (from_ts::date, to_ts::date]. The dates of the rows themselves are also recorded by the
-- change capture (input_change.moments), which names their projects to the scan that passes
-- them; the horizons name them too where it costs nothing more. No hit's details depend on
-- as_of but through such a date (RN03's last day attended: an attendance day passed). The
-- regression test alerts_incremental checks each project evaluator against its evaluator and
-- the hits a later day brings by time alone.

-- NB01: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01_projects(timestamptz, bigint[]) IS
    'NB01 for the given projects only (project evaluator of eval_nb01)';

-- NB01: the day after board_days from the start, or the board's date, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status IN ('under_construction', 'suspended')
           AND (p.start_on + g.days + 1 > w.lo AND p.start_on + g.days + 1 <= w.hi
                OR p.notice_board_on > w.lo AND p.notice_board_on <= w.hi)
         ORDER BY p.project_id)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01_horizon(timestamptz, timestamptz) IS
    'NB01''s horizon: the projects whose board_days run out, or whose notice board is dated, between the two moments';

-- AC01: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('contract_signed_on', p.contract_signed_on, 'open_days', g.days)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.contract_signed_on IS NOT NULL
       AND as_of::date > p.contract_signed_on + g.days
       AND p.status NOT IN ('completed', 'closed')
       AND NOT EXISTS (SELECT 1 FROM wagecheck.wage_account w
                        WHERE w.project_id = p.project_id AND w.opened_on <= as_of::date
                          AND w.created_at <= as_of)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01_projects(timestamptz, bigint[]) IS
    'AC01 for the given projects only (project evaluator of eval_ac01)';

-- AC01: the day after open_days from the contract, or an account's opening, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac01_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('AC01', 'open_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status NOT IN ('completed', 'closed')
           AND p.contract_signed_on + g.days + 1 > w.lo AND p.contract_signed_on + g.days + 1 <= w.hi
        UNION
        SELECT a.project_id
          FROM wagecheck.wage_account a
         CROSS JOIN w
         WHERE a.opened_on > w.lo AND a.opened_on <= w.hi
         ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck.eval_ac01_horizon(timestamptz, timestamptz) IS
    'AC01''s horizon: the projects whose open_days after the contract run out, or whose account opens, between the two moments';

-- WP07: project evaluator.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH q AS MATERIALIZED (
        SELECT p.project_id, p.division
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
    ),
    g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT q.division FROM q) d
    )
    SELECT 'roster', r.roster_id::text, '', r.project_id, r.employer_id, p.division, 'K', NULL::timestamptz,
           jsonb_build_object('worker_id', r.worker_id, 'end_on', r.end_on)
      FROM q p
      JOIN g ON g.division = p.division
      JOIN wagecheck.roster r ON r.project_id = p.project_id
     WHERE r.created_at <= as_of AND r.end_on IS NOT NULL
       AND as_of::date > r.end_on + g.days
       AND (r.settled_on IS NULL OR r.settled_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07_projects(timestamptz, bigint[]) IS
    'WP07 for the given projects only (project evaluator of eval_wp07)';

-- WP07: the day after settle_days from leaving, or a settlement's date, in the window.
CREATE OR REPLACE FUNCTION wagecheck.eval_wp07_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (   -- once per division, not per project
        SELECT d.division, (wagecheck.rule_param('WP07', 'settle_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT ARRAY(
        SELECT DISTINCT r.project_id
          FROM wagecheck.roster r
          JOIN wagecheck.project p ON p.project_id = r.project_id
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE r.end_on + g.days + 1 > w.lo AND r.end_on + g.days + 1 <= w.hi
            OR r.settled_on > w.lo AND r.settled_on <= w.hi
         ORDER BY 1)
$$;
COMMENT ON FUNCTION wagecheck.eval_wp07_horizon(timestamptz, timestamptz) IS
    'WP07''s horizon: the projects on which a worker''s settle_days after leaving run out, or a settlement is dated, between the two moments';

-- RN03: project evaluator. When the summary attendance_month is exact, the projects' last days
-- attended come from their months in attendance_project_month, through its key.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn03_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    q AS MATERIALIZED (
        SELECT p.*
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
         WHERE p.status = 'under_construction' AND p.created_at <= as_of
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT q.division FROM q) d
    ),
    recent AS MATERIALIZED (   -- the projects' last days attended (their months, by key)
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.exact FROM ex) AND m.project_id IN (SELECT q.project_id FROM q)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN (SELECT r.last_day FROM recent r WHERE r.project_id = p.project_id)
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM q p
      JOIN g ON g.division = p.division
     WHERE p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN NOT EXISTS (SELECT 1 FROM recent r
                                  WHERE r.project_id = p.project_id AND r.last_day > as_of::date - g.gap)
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03_projects(timestamptz, bigint[]) IS
    'RN03 for the given projects only (project evaluator of eval_rn03)';

-- RN03: a project's gap opens the day its start, or its last day attended, lies gap_days
-- back (start_on + gap_days - 1, last day + gap_days in the window); it closes on an
-- attendance day (a row's date: named by the change capture). The last day attended comes
-- from the summary attendance_month, read through its index on last_day for the few months
-- that can end a gap in the window; NULL (cannot tell) when the summary holds rows known or
-- dated after to_ts.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    b AS MATERIALIZED (SELECT min(g.gap) AS gmin, max(g.gap) AS gmax FROM g),   -- gaps of every division
    -- projects with a month last attended in (lo - longest gap, hi - shortest gap]: the
    -- only ones whose last day attended can be in (lo - gap, hi - gap]; of those, a project
    -- attended after hi - shortest gap is not (through attendance_month's index on last_day
    -- and its key, not the last day of every candidate project)
    cand AS MATERIALIZED (
        SELECT DISTINCT m.project_id
          FROM wagecheck.attendance_month m CROSS JOIN w CROSS JOIN b
         WHERE m.last_day > w.lo - b.gmax AND m.last_day <= w.hi - b.gmin
    )
    SELECT CASE WHEN wagecheck._summary_exact('attendance_months', to_ts) THEN ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status = 'under_construction'
           AND (p.start_on + g.gap - 1 > w.lo AND p.start_on + g.gap - 1 <= w.hi
                OR p.project_id IN (SELECT cand.project_id FROM cand)
                   AND NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month m
                                    WHERE m.project_id = p.project_id
                                      AND m.last_day > w.hi - (SELECT b.gmin FROM b)))
         ORDER BY p.project_id) END
$$;
COMMENT ON FUNCTION wagecheck.eval_rn03_horizon(timestamptz, timestamptz) IS
    'RN03''s horizon: the projects whose gap_days without attendance (from the start or the last day attended) run out between the two moments; NULL when the summary attendance_month holds rows known or dated after to_ts';

UPDATE wagecheck.rule r SET project_evaluator = d.f, horizon = d.h
  FROM (VALUES
    ('NB01', 'wagecheck.eval_nb01_projects(timestamptz, bigint[])'::regprocedure,
             'wagecheck.eval_nb01_horizon(timestamptz, timestamptz)'::regprocedure),
    ('AC01', 'wagecheck.eval_ac01_projects(timestamptz, bigint[])', 'wagecheck.eval_ac01_horizon(timestamptz, timestamptz)'),
    ('WP07', 'wagecheck.eval_wp07_projects(timestamptz, bigint[])', 'wagecheck.eval_wp07_horizon(timestamptz, timestamptz)'),
    ('RN03', 'wagecheck.eval_rn03_projects(timestamptz, bigint[])', 'wagecheck.eval_rn03_horizon(timestamptz, timestamptz)')
  ) d(code, f, h)
 WHERE r.code = d.code;
