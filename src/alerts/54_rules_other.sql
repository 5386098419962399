-- Deposit, site and listing rules: DP01, NB01, QR01, BL02.

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

-- NB01 (G, project): no rights notice board recorded board_days after work started.
CREATE OR REPLACE FUNCTION wagecheck.eval_nb01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    WITH g AS MATERIALIZED (   -- once per division, not per row
        SELECT d.division, (wagecheck.rule_param('NB01', 'board_days', d.division))::int AS days
          FROM (SELECT DISTINCT p.division FROM wagecheck.project p) d
    )
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
      JOIN g ON g.division = p.division
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND as_of::date > p.start_on + g.days
       AND (p.notice_board_on IS NULL OR p.notice_board_on > as_of::date)
$$;
COMMENT ON FUNCTION wagecheck.eval_nb01(timestamptz) IS
    'NB01: projects under construction with no rights notice board (维权信息告示牌) recorded board_days after work started';

-- QR01 (G, project): no complaint QR code registered for a project whose work has started.
CREATE OR REPLACE FUNCTION wagecheck.eval_qr01(as_of timestamptz) RETURNS SETOF wagecheck.rule_hit
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, wagecheck AS
$$
    SELECT 'project', p.project_id::text, '', p.project_id, p.contractor_id, p.division, 'G', NULL::timestamptz,
           jsonb_build_object('start_on', p.start_on)
      FROM wagecheck.project p
     WHERE p.created_at <= as_of AND p.status IN ('under_construction', 'suspended')
       AND p.start_on <= as_of::date
       AND coalesce(btrim(p.complaint_qr), '') = ''
$$;
COMMENT ON FUNCTION wagecheck.eval_qr01(timestamptz) IS
    'QR01: projects under construction with no complaint QR code (欠薪投诉二维码) registered';

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

INSERT INTO wagecheck.rule (code, tier, escalates, once, subject_kind, name_zh, name_en, description, params, evaluator) VALUES
('DP01', 'G', true, false, 'project', '未按规定存储工资保证金', 'no wage guarantee deposit',
 'no wage guarantee deposit or bank guarantee letter due_wd working days after the contract → G, escalate_wd working days later → K; exempt: contract below exempt_below with no arrears in the past year, or clean_years without arrears with real-name management and the account in place (人社部发〔2021〕65号)',
 '{"due_wd": 20, "escalate_wd": 10, "exempt_below": 3000000, "clean_years": 3, "rate": 0.01, "deadline_wd": 5}',
 'wagecheck.eval_dp01(timestamptz)'),
('NB01', 'G', false, false, 'project', '未设置维权信息告示牌', 'no rights notice board',
 'no rights notice board recorded board_days after work started (Decree 724 art. 34)',
 '{"board_days": 7}', 'wagecheck.eval_nb01(timestamptz)'),
('QR01', 'G', false, false, 'project', '未设置欠薪投诉二维码', 'no complaint QR code',
 'no wage-complaint QR code registered for a project under construction',
 '{}', 'wagecheck.eval_qr01(timestamptz)'),
('BL02', 'K', false, true, 'project', '失信主体承揽工程', 'listed enterprise on a new project',
 'an enterprise on the dishonest list is general contractor or subcontractor on a project started while it is listed (人社部令第45号)',
 '{"deadline_wd": 5}', 'wagecheck.eval_bl02(timestamptz)')
ON CONFLICT (code) DO UPDATE SET
    tier = EXCLUDED.tier,
    escalates = EXCLUDED.escalates,
    once = EXCLUDED.once,
    subject_kind = EXCLUDED.subject_kind,
    name_zh = EXCLUDED.name_zh,
    name_en = EXCLUDED.name_en,
    description = EXCLUDED.description,
    params = EXCLUDED.params,
    evaluator = EXCLUDED.evaluator;
