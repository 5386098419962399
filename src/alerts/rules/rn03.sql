-- RN03 (G, project): attendance not kept current (考勤数据未及时更新).
-- a project under construction with no attendance record for gap_days consecutive calendar days.

-- RN03 (G, project): under construction, no attendance record for gap_days days. When the
-- summary attendance_month is exact for as_of (every attendance row known and dated by then)
-- the project's last day attended is the latest of its months' last days (in the summary
-- attendance_project_month); else it comes from the attendance rows known then.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn03(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH ex AS MATERIALIZED (
        SELECT wagecheck._summary_exact('attendance_months', as_of) AS exact
    ),
    g AS MATERIALIZED (   -- gap_days once per division, not per row
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    last AS MATERIALIZED (
        SELECT m.project_id, max(m.last_day) AS last_day
          FROM wagecheck.attendance_project_month m
         WHERE (SELECT ex.exact FROM ex)
         GROUP BY m.project_id
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('gap_days', g.gap, 'last_attendance',
                              CASE WHEN (SELECT ex.exact FROM ex)
                                   THEN l.last_day
                                   ELSE (SELECT max(a.day) FROM wagecheck.attendance a
                                          WHERE a.project_id = p.project_id AND a.day <= as_of::date
                                            AND a.created_at <= as_of) END)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
      LEFT JOIN last l ON l.project_id = p.project_id    -- one row per project (hashed)
     WHERE p.status = 'under_construction' AND p.created_at <= as_of
       AND p.start_on <= as_of::date - g.gap + 1
       AND CASE WHEN (SELECT ex.exact FROM ex)
                THEN l.last_day IS NULL OR l.last_day <= as_of::date - g.gap
                ELSE NOT EXISTS (SELECT 1 FROM wagecheck.attendance a
                                  WHERE a.project_id = p.project_id
                                    AND a.day > as_of::date - g.gap AND a.day <= as_of::date
                                    AND a.created_at <= as_of) END
$$;

COMMENT ON FUNCTION wagecheck.eval_rn03(timestamptz) IS
    'RN03: projects under construction with no attendance in the gap_days days up to as_of (data not kept current)';

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
-- attendance day (a row's date: named by the change capture). The last day attended is the
-- latest of the project's months in the summary attendance_project_month (a row per project
-- and month: read whole, as eval_rn03 reads it); NULL (cannot tell) when the summary holds
-- rows known or dated after to_ts.
CREATE OR REPLACE FUNCTION wagecheck.eval_rn03_horizon(from_ts timestamptz, to_ts timestamptz) RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH w AS MATERIALIZED (SELECT from_ts::date AS lo, to_ts::date AS hi),   -- the days (lo, hi]
    g AS MATERIALIZED (
        SELECT d.division, (wagecheck.rule_param('RN03', 'gap_days', d.division))::int AS gap
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    ),
    b AS MATERIALIZED (SELECT min(g.gap) AS gmin, max(g.gap) AS gmax FROM g),   -- gaps of every division
    -- projects last attended in (lo - longest gap, hi - shortest gap]: the only ones whose last
    -- day attended can be in (lo - gap, hi - gap]
    cand AS MATERIALIZED (
        SELECT l.project_id
          FROM (SELECT m.project_id, max(m.last_day) AS last_day
                  FROM wagecheck.attendance_project_month m
                 GROUP BY m.project_id) l
         CROSS JOIN w CROSS JOIN b
         WHERE l.last_day > w.lo - b.gmax AND l.last_day <= w.hi - b.gmin
    )
    SELECT CASE WHEN wagecheck._summary_exact('attendance_months', to_ts) THEN ARRAY(
        SELECT p.project_id
          FROM wagecheck.project p
          JOIN g ON g.division = p.division
         CROSS JOIN w
         WHERE p.status = 'under_construction'
           AND (p.start_on + g.gap - 1 > w.lo AND p.start_on + g.gap - 1 <= w.hi
                OR p.project_id IN (SELECT cand.project_id FROM cand))
         ORDER BY p.project_id) END
$$;

COMMENT ON FUNCTION wagecheck.eval_rn03_horizon(timestamptz, timestamptz) IS
    'RN03''s horizon: the projects whose gap_days without attendance (from the start or the last day attended) run out between the two moments; NULL when the summary attendance_month holds rows known or dated after to_ts';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
-- time-driven: no attendance for gap_days up to as_of
-- clears_on: new attendance can only end a gap without attendance, never open one: a forward scan
-- evaluates RN03 for the projects of new attendance rows only where it has a live alert
SELECT wagecheck._rule_define('RN03', 'G', 'project', '考勤数据未及时更新', 'attendance not kept current',
    description => 'a project under construction with no attendance record for gap_days consecutive calendar days (应录必录、实时更新)',
    params => '{"gap_days": 7}',
    evaluator => 'wagecheck.eval_rn03(timestamptz)',
    project_evaluator => 'wagecheck.eval_rn03_projects(timestamptz, bigint[])',
    horizon => 'wagecheck.eval_rn03_horizon(timestamptz, timestamptz)',
    inputs => '{project,attendance,attendance_month}',
    clears_on => '{attendance,attendance_month}',
    uses => '{attendance_month,attendance_project_month,wage_month}');
