-- AC05 (K, project): dedicated account closed too early (专用账户违规销户).
-- the account closed or closing while wages are owed, or before notice_days of notice ended.

-- AC05 (K, project): account closed or closing while wages are owed, or closed before the
-- public notice ended.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac05(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH closing AS (
        SELECT w.*, p.division, p.contractor_id,
               (wagecheck.rule_param('AC05', 'notice_days', p.division))::int AS notice_days
          FROM wagecheck.wage_account w
          JOIN wagecheck.project p ON p.project_id = w.project_id
         WHERE w.created_at <= as_of
           AND (w.closure_notice_on <= as_of::date OR w.closed_on <= as_of::date)
    ),
    owed AS (
        SELECT o.project_id, o.owed
          FROM wagecheck._wages_owed_by_project(as_of, ARRAY(SELECT closing.project_id FROM closing)) o
    )
    SELECT 'project', c.project_id::text, '', c.project_id, c.contractor_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', c.account_id, 'closure_notice_on', c.closure_notice_on,
                              'closed_on', c.closed_on, 'wages_owed', coalesce(owed.owed, 0),
                              'notice_ends_on', c.closure_notice_on + c.notice_days)
      FROM closing c
      LEFT JOIN owed ON owed.project_id = c.project_id
     WHERE owed.owed > 0
        OR (c.closed_on <= as_of::date
            AND (c.closure_notice_on IS NULL OR c.closed_on < c.closure_notice_on + c.notice_days))
$$;

COMMENT ON FUNCTION wagecheck.eval_ac05(timestamptz) IS
    'AC05: dedicated accounts closed or under closure notice while wages are owed, or closed before notice_days of public notice';

-- AC05: the projects' accounts closed or closing while wages are owed, or closed before the notice ended.
CREATE OR REPLACE FUNCTION wagecheck.eval_ac05_projects(as_of timestamptz, projects bigint[]) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH closing AS MATERIALIZED (
        SELECT w.*, p.division, p.contractor_id,
               (wagecheck.rule_param('AC05', 'notice_days', p.division))::int AS notice_days
          FROM (SELECT DISTINCT u FROM unnest(projects) u) q(project_id)
          JOIN wagecheck.project p ON p.project_id = q.project_id
          JOIN wagecheck.wage_account w ON w.project_id = p.project_id
         WHERE w.created_at <= as_of
           AND (w.closure_notice_on <= as_of::date OR w.closed_on <= as_of::date)
    ),
    owed AS (
        SELECT o.project_id, o.owed
          FROM wagecheck._wages_owed_by_project(as_of, ARRAY(SELECT closing.project_id FROM closing)) o
    )
    SELECT 'project', c.project_id::text, '', c.project_id, c.contractor_id, c.division, 'K', NULL::timestamptz,
           jsonb_build_object('account_id', c.account_id, 'closure_notice_on', c.closure_notice_on,
                              'closed_on', c.closed_on, 'wages_owed', coalesce(owed.owed, 0),
                              'notice_ends_on', c.closure_notice_on + c.notice_days)
      FROM closing c
      LEFT JOIN owed ON owed.project_id = c.project_id
     WHERE owed.owed > 0
        OR (c.closed_on <= as_of::date
            AND (c.closure_notice_on IS NULL OR c.closed_on < c.closure_notice_on + c.notice_days))
$$;

COMMENT ON FUNCTION wagecheck.eval_ac05_projects(timestamptz, bigint[]) IS
    'AC05 for the given projects only (project evaluator of eval_ac05)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('AC05', 'K', 'project', '专用账户违规销户', 'dedicated account closed too early',
    description => 'the account is closed or under closure while wages are owed, or was closed before notice_days of public notice ended (Decree 724 art. 27)',
    params => '{"deadline_wd": 5, "notice_days": 30}',
    evaluator => 'wagecheck.eval_ac05(timestamptz)',
    once => true,
    project_evaluator => 'wagecheck.eval_ac05_projects(timestamptz, bigint[])',
    inputs => '{wage_account,project,pay_sheet,pay_line,wage_payment,roster}',
    time_driven => false,
    uses => '{_wages_owed_by_project,_wages_owed_projects,attendance_month,wage_month,wage_pay_date}');
