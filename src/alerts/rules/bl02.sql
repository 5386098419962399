-- BL02 (K, project): listed enterprise on a new project (失信主体承揽工程).
-- an enterprise on the dishonest list contracting on a project started while it is listed.

-- BL02 (K, project): an enterprise on the dishonest list is contractor or subcontractor on a
-- project started while it was listed. The list is kept by the cases area
-- (wagecheck.dishonest_listing); without it there is nothing to check.
CREATE OR REPLACE FUNCTION wagecheck.eval_bl02(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
BEGIN
    IF to_regclass('wagecheck.dishonest_listing') IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
    WITH parties AS (
        SELECT p.project_id, p.contractor_id AS enterprise_id, 'general_contractor' AS role
          FROM wagecheck.project p WHERE p.created_at <= $1
        UNION ALL
        SELECT s.project_id, s.subcontractor_id, 'subcontractor'
          FROM wagecheck.subcontract s WHERE s.created_at <= $1
    ),
    listed AS (
        SELECT pa.project_id, pa.enterprise_id, pa.role, l.listing_id, l.listed_on
          FROM parties pa
          JOIN wagecheck.project p ON p.project_id = pa.project_id
          JOIN wagecheck.dishonest_listing l ON l.enterprise_id = pa.enterprise_id
         WHERE p.start_on <= $1::date AND l.created_at <= $1
           AND l.listed_on <= p.start_on AND p.start_on < l.ends_on
           AND (l.removed_on IS NULL OR p.start_on < l.removed_on)
    )
    SELECT 'project', p.project_id::text, '', p.project_id, min(listed.enterprise_id), p.division,
           'K', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on,
                              'listed', jsonb_agg(jsonb_build_object('enterprise_id', listed.enterprise_id,
                                                                     'role', listed.role,
                                                                     'listing_id', listed.listing_id,
                                                                     'listed_on', listed.listed_on)
                                                  ORDER BY listed.enterprise_id))
      FROM listed
      JOIN wagecheck.project p ON p.project_id = listed.project_id
     GROUP BY p.project_id, p.division, p.start_on
    $q$ USING as_of;
END
$$;

COMMENT ON FUNCTION wagecheck.eval_bl02(timestamptz) IS
    'BL02: projects started while their general contractor or a subcontractor was on the dishonest list (wagecheck.dishonest_listing)';

-- The catalogue row, last: it names the functions above (_rule_define: written again by
-- every upgrade; enabled and rule_param_override are the user's).
SELECT wagecheck._rule_define('BL02', 'K', 'project', '失信主体承揽工程', 'listed enterprise on a new project',
    description => 'an enterprise on the dishonest list is general contractor or subcontractor on a project started while it is listed (人社部令第45号)',
    params => '{"deadline_wd": 5}',
    evaluator => 'wagecheck.eval_bl02(timestamptz)',
    once => true);
