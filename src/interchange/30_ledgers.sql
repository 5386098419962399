-- Ledgers out: the supervision ledger (督办台账), the case ledger (入销号台账) and the
-- dishonest list for the credit platform as XML (schema wagecheck.ledger.1) and as
-- printable HTML (ledger_html). Each takes a scope (division prefix, sector) and an as-of
-- moment, and reads with the caller's rights: row-level security and the views' scope
-- decide which rows a department sees.

-- _ledger_doc: the ledger document of rows given as a JSON array of arrays of text.
CREATE OR REPLACE FUNCTION wagecheck._ledger_doc(kind text, title text, division_prefix text, sector text,
                                                 as_of timestamptz, cols text[], heads text[], nums int[],
                                                 rows jsonb)
RETURNS xml
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT xmlelement(name "Ledger", xmlattributes('urn:wagecheck:ledger:1' AS xmlns, kind AS kind),
             xmlelement(name "Title", title),
             xmlelement(name "Unit", coalesce((SELECT d.name FROM wagecheck.division d WHERE d.code = division_prefix),
                                              CASE WHEN division_prefix IS NULL THEN '全部地区' ELSE division_prefix END)),
             xmlelement(name "AsOf", to_char(as_of, 'YYYY-MM-DD"T"HH24:MI:SS') || to_char(as_of, 'TZH:TZM')),
             xmlelement(name "Scope", concat_ws('；',
                 '区划 ' || coalesce(division_prefix || '*', '全部'),
                 '行业 ' || coalesce(wagecheck.label_zh('sector', sector), '全部'))),
             xmlelement(name "Columns",
               (SELECT xmlagg(xmlelement(name "Col", xmlattributes(c.name AS name), c.head) ORDER BY c.i)
                  FROM unnest(cols, heads) WITH ORDINALITY c(name, head, i))),
             (SELECT xmlagg(xmlelement(name "Row",
                       (SELECT xmlagg(xmlelement(name "Cell",
                                        xmlattributes(CASE WHEN v.i = ANY (nums) THEN 'true' END AS num),
                                        v.val) ORDER BY v.i)
                          FROM jsonb_array_elements_text(r.row) WITH ORDINALITY v(val, i)))
                     ORDER BY r.n)
                FROM jsonb_array_elements(rows) WITH ORDINALITY r(row, n)))
$$;
COMMENT ON FUNCTION wagecheck._ledger_doc(text, text, text, text, timestamptz, text[], text[], int[], jsonb) IS
    'internal: a ledger document (urn:wagecheck:ledger:1) of the given columns and rows';

CREATE OR REPLACE FUNCTION wagecheck.supervision_ledger_xml(division_prefix text DEFAULT NULL, sector text DEFAULT NULL,
                                                            as_of timestamptz DEFAULT now())
RETURNS xml
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT wagecheck._ledger_doc('supervision', '农民工工资关键性指标预警督办台账', $1, $2, $3,
        ARRAY['alert', 'unit', 'rule', 'period', 'county', 'sector', 'state', 'opened', 'deadline', 'overdue', 'department'],
        ARRAY['预警编号', '单位（项目）', '预警指标', '所属期', '县区', '行业', '状态', '预警时间', '整改期限', '逾期天数', '责任部门'],
        ARRAY[1, 10],
        coalesce((SELECT jsonb_agg(jsonb_build_array(l.alert_id::text, l.unit, l.rule_code || ' ' || l.rule_name_zh,
                                                     l.period, coalesce(l.county_name, l.county), l.sector_zh, l.state_zh,
                                                     to_char(l.opened_at, 'YYYY-MM-DD HH24:MI'), l.deadline_on::text,
                                                     greatest($3::date - l.deadline_on, 0)::text, l.department_zh)
                                   ORDER BY l.deadline_on, l.alert_id)
                    FROM wagecheck.supervision_ledger l
                   WHERE l.opened_at <= $3
                     AND ($1 IS NULL OR l.county LIKE $1 || '%')
                     AND ($2 IS NULL OR l.sector = $2)), '[]'))
$$;
COMMENT ON FUNCTION wagecheck.supervision_ledger_xml(text, text, timestamptz) IS
    'the supervision ledger (督办台账) of live key alerts as XML (schema wagecheck.ledger.1), for a division prefix and sector (NULL: all the caller sees), the alerts opened by as_of and days overdue counted to it; read with the caller''s rights and scope';

CREATE OR REPLACE FUNCTION wagecheck.case_ledger_xml(division_prefix text DEFAULT NULL, sector text DEFAULT NULL,
                                                     as_of timestamptz DEFAULT now())
RETURNS xml
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT wagecheck._ledger_doc('case', '农民工工资案件入销号台账', $1, $2, $3,
        ARRAY['case_no', 'source', 'unit', 'county', 'sector', 'workers', 'amount', 'filed', 'state', 'closed', 'close_kind'],
        ARRAY['案件编号', '线索来源', '单位（项目）', '县区', '行业', '涉及人数', '欠薪金额（元）', '入账日期', '状态', '销号日期', '销号方式'],
        ARRAY[6, 7],
        coalesce((SELECT jsonb_agg(jsonb_build_array(c.case_no,
                                     CASE c.source WHEN 'complaint' THEN '投诉' WHEN 'inspection' THEN '检查'
                                                   WHEN 'alert' THEN '预警' ELSE '移送' END,
                                     coalesce(p.name, e.name, ''), coalesce(wagecheck.division_name(c.division), c.division::text),
                                     wagecheck.label_zh('sector', c.sector), c.workers_affected::text,
                                     to_char(c.amount_owed, 'FM999999999990.00'), c.filed_on::text,
                                     CASE WHEN c.closed_at IS NOT NULL AND c.closed_at <= $3 THEN '已销号' ELSE '在办' END,
                                     CASE WHEN c.closed_at <= $3 THEN to_char(c.closed_at, 'YYYY-MM-DD') END,
                                     CASE WHEN c.closed_at <= $3 THEN
                                          CASE c.close_kind WHEN 'repaid' THEN '已清偿' WHEN 'police' THEN '移送公安'
                                                            WHEN 'court' THEN '移送法院' WHEN 'withdrawn' THEN '撤诉'
                                                            WHEN 'unsubstantiated' THEN '查无实据' END END)
                                   ORDER BY c.filed_on, c.case_no)
                    FROM wagecheck.case_ledger c
                    LEFT JOIN wagecheck.project p ON p.project_id = c.project_id
                    LEFT JOIN wagecheck.enterprise e ON e.enterprise_id = c.enterprise_id
                   WHERE c.registered_at <= $3
                     AND ($1 IS NULL OR c.division::text LIKE $1 || '%')
                     AND ($2 IS NULL OR c.sector = $2)), '[]'))
$$;
COMMENT ON FUNCTION wagecheck.case_ledger_xml(text, text, timestamptz) IS
    'the case ledger (入销号台账) as XML (schema wagecheck.ledger.1): every case registered by as_of in the division prefix and sector, open (在办) or closed out (已销号) as of then; read with the caller''s rights and scope';

CREATE OR REPLACE FUNCTION wagecheck.dishonest_list_xml(division_prefix text DEFAULT NULL, sector text DEFAULT NULL,
                                                        as_of timestamptz DEFAULT now())
RETURNS xml
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT wagecheck._ledger_doc('dishonest', '拖欠农民工工资失信联合惩戒对象名单', $1, $2, $3,
        ARRAY['name', 'credit_code', 'legal_rep', 'reason', 'listed', 'ends', 'decided_by'],
        ARRAY['单位名称', '统一社会信用代码', '法定代表人', '列入事由', '列入日期', '届满日期', '作出决定部门'],
        ARRAY[]::int[],
        coalesce((SELECT jsonb_agg(jsonb_build_array(e.name, e.credit_code::text, l.legal_rep, l.reason,
                                                     l.listed_on::text, l.ends_on::text, l.decided_by)
                                   ORDER BY l.listed_on, l.listing_id)
                    FROM wagecheck.dishonest_listing l
                    JOIN wagecheck.enterprise e ON e.enterprise_id = l.enterprise_id
                   WHERE l.listed_on <= $3::date AND l.ends_on > $3::date
                     AND (l.removed_on IS NULL OR l.removed_on > $3::date)
                     AND ($1 IS NULL OR e.division::text LIKE $1 || '%'
                          OR EXISTS (SELECT 1 FROM wagecheck.project p
                                      WHERE (p.contractor_id = e.enterprise_id OR p.owner_id = e.enterprise_id)
                                        AND p.division::text LIKE $1 || '%'))
                     AND ($2 IS NULL OR EXISTS (SELECT 1 FROM wagecheck.project p
                                                 WHERE (p.contractor_id = e.enterprise_id OR p.owner_id = e.enterprise_id)
                                                   AND p.sector = $2))), '[]'))
$$;
COMMENT ON FUNCTION wagecheck.dishonest_list_xml(text, text, timestamptz) IS
    'the dishonest list (失信联合惩戒对象名单) for the credit platform as XML (schema wagecheck.ledger.1): the units listed on as_of, in the division prefix and sector (of the unit or its projects); read with the caller''s rights';

CREATE OR REPLACE FUNCTION wagecheck.ledger_html(doc text) RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_ledger_html'
    LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.ledger_html(text) IS
    'a ledger (supervision_ledger_xml, case_ledger_xml, dishonest_list_xml) as a printable HTML page built with libxml2: Chinese headings, the unit, the as-of time, a table whose header repeats on each printed page, the count and the lines for signatures and the seal';
