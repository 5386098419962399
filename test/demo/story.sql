-- The demo's story, printed by `make demo` after test/demo/[0-9]*.sql built its data:
-- wagecheck_demo_city (a generated Linyi, scanned as of 2024-10-25) and wagecheck_demo
-- (the case ledger and the 2020-21 winter campaign). Labels are the regulation's terms;
-- county names come from demo.division (test/demo/divisions.csv, loaded by run.sh).
-- Read-only: it can be run again at any time.
\set ON_ERROR_STOP 1
\pset footer off
\pset null ''
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
SET search_path = wagecheck, public;

\c wagecheck_demo_city
SET TimeZone = 'Asia/Shanghai';
SET search_path = wagecheck, public;
\echo
\echo '================================================================'
\echo ' 一、全市概况：临沂市（演示数据：2024年，40个在建项目）'
\echo '================================================================'
WITH y AS (
  SELECT sum(wages_payable) AS payable, sum(wages_paid) AS paid, sum(wages_owed) AS owed
    FROM city_month_indicators WHERE period BETWEEN '2024-01-01' AND '2024-10-01'),
     m AS (SELECT * FROM city_month_indicators WHERE period = '2024-10-01')
SELECT v.k AS "指标", v.v AS "数值" FROM (VALUES
  (1, '在建工程建设项目', (SELECT count(*) FROM project WHERE status = 'under_construction')::text || ' 个'),
  (2, '实名制花名册在册农民工', (SELECT count(DISTINCT worker_id) FROM roster)::text || ' 人'),
  (3, '已开立农民工工资专用账户的项目', (SELECT count(DISTINCT project_id) FROM wage_account)::text || ' 个'),
  (4, '1-10月应发工资', to_char((SELECT payable FROM y) / 10000, 'FM999,999,990.0') || ' 万元'),
  (5, '1-10月实发工资', to_char((SELECT paid FROM y) / 10000, 'FM999,999,990.0') || ' 万元'),
  (6, '1-10月欠付工资（至今未付）', to_char((SELECT owed FROM y) / 10000, 'FM999,999,990.0') || ' 万元'),
  (7, '10月人工费用未按时足额拨付', to_char((SELECT labour_cost_shortfall FROM m) / 10000, 'FM999,999,990.0') || ' 万元，涉及 '
                                   || (SELECT projects_with_shortfall FROM m) || ' 个项目'),
  (8, '10月出勤农民工中已发工资的比例', to_char(100 * (SELECT share_attendees_paid FROM m), 'FM990.0') || '%'),
  (9, '当前未消除的预警', (SELECT count(*) FROM alert WHERE state NOT IN ('cleared', 'closed'))::text || ' 条')
) AS v(n, k, v) ORDER BY v.n;

\echo
\echo '================================================================'
\echo ' 二、今日预警看板（2024-10-25 08:00 扫描，按县区、分级）'
\echo '================================================================'
\echo ' 一般性指标预警：应消尽消、动态清零；关键性指标预警：台账督办、限期整改'
SELECT coalesce(d.name, b.county::text) AS "县（市、区）",
       coalesce(sum(b.live) FILTER (WHERE b.tier = 'G'), 0) AS "一般性",
       coalesce(sum(b.live) FILTER (WHERE b.tier = 'K'), 0) AS "关键性",
       coalesce(sum(b.overdue) FILTER (WHERE b.tier = 'K'), 0) AS "其中逾期未整改",
       sum(b.awaiting_confirmation) AS "已整改待确认",
       coalesce(sum(b.live) FILTER (WHERE b.tier = 'O'), 0) AS "舆情"
  FROM alert_board b LEFT JOIN demo.division d ON d.code = b.county::text
 GROUP BY 1, b.county ORDER BY sum(b.overdue) DESC, b.county;

\echo
\echo '================================================================'
\echo ' 三、督办台账：逾期最久的关键性指标预警（每个项目、每项事项一行）'
\echo '================================================================'
SELECT coalesce(d.name, l.county::text) AS "县区",
       l.unit AS "项目/单位",
       l.rule_name_zh AS "预警事项",
       count(*) AS "预警条数",
       count(*) FILTER (WHERE l.state = 'overdue') AS "其中逾期未整改",
       l.department_zh AS "责任部门",
       min(l.deadline_on) AS "整改期限",
       max(l.days_overdue) AS "逾期天数"
  FROM supervision_ledger l LEFT JOIN demo.division d ON d.code = l.county::text
 GROUP BY 1, l.county, l.unit, l.rule_code, l.rule_name_zh, l.department_zh
 ORDER BY max(l.days_overdue) DESC, count(*) FILTER (WHERE l.state = 'overdue') DESC, count(*) DESC, l.county, l.unit, l.rule_code
 LIMIT 10;
\echo ' 各责任部门督办事项：'
SELECT department_zh AS "责任部门", count(*) AS "督办事项",
       count(*) FILTER (WHERE state = 'overdue') AS "逾期未整改",
       count(*) FILTER (WHERE state = 'rectified') AS "已整改待确认"
  FROM supervision_ledger GROUP BY 1 ORDER BY 2 DESC, 1;

\c wagecheck_demo
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
SET search_path = wagecheck, public;
\echo
\echo '================================================================'
\echo ' 四、一个案件：从投诉到销号（兰山区，LSRS-2020-00001）'
\echo '================================================================'
WITH c AS (SELECT l.*, o.due_on FROM case_ledger l JOIN case_overview o USING (case_id)
            WHERE l.case_no = 'LSRS-2020-00001'),
     q AS (SELECT q.* FROM complaint q JOIN c ON c.complaint_id = q.complaint_id)
SELECT to_char(t.at, 'YYYY-MM-DD HH24:MI') AS "时间", t.step AS "环节", t.what AS "经过"
  FROM (
    SELECT received_at AS at, 1 AS o, '投诉举报' AS step,
           '12333热线：' || workers_count || '名农民工反映被欠薪 ' || amount_claimed || ' 元（' || summary || '）' AS what FROM q
    UNION ALL
    SELECT decided_at, 2, '受理', '5个工作日内受理（期限 ' || accept_due_on || '），经办：' || decided_by FROM q
    UNION ALL
    SELECT coalesce((SELECT decided_at FROM q), filed_on::timestamptz), 3, '立案', '当日立案，案件编号 ' || case_no || '，办结期限 ' || due_on FROM c
    UNION ALL
    SELECT coalesce((SELECT decided_at FROM q), filed_on::timestamptz), 4, '一案一策', p.measures || '（目标 ' || p.target_on || '）'
      FROM c JOIN case_plan p USING (case_id)
    UNION ALL
    SELECT k.contacted_at, 5, '联系投诉人', k.summary FROM c JOIN case_contact k USING (case_id)
    UNION ALL
    SELECT s.listed_on::timestamptz, 6, CASE s.level WHEN 'city' THEN '市级挂牌督办' ELSE '县级挂牌督办' END,
           s.reason || '，督办期限 ' || s.deadline_on FROM c JOIN case_supervision s USING (case_id)
    UNION ALL
    SELECT r.paid_on::timestamptz + interval '12 hours', 7, '清偿', coalesce(r.note, '') || '：' || r.amount || ' 元，'
           || r.workers_paid || '人' FROM c JOIN case_repayment r USING (case_id)
    UNION ALL
    -- the tour tried to close the case that evening (test/demo/60_cases.sql); the C trigger refused
    SELECT f.paid_on::timestamptz + interval '17 hours', 8, '申请销号被拒',
           '尚欠 ' || (c.amount_owed - f.repaid) || ' 元：不解决不销账（系统拒绝，SQLSTATE WC050）'
      FROM c, LATERAL (SELECT r.paid_on, sum(r.amount) AS repaid FROM case_repayment r
                        WHERE r.case_id = c.case_id GROUP BY r.paid_on ORDER BY r.paid_on LIMIT 1) f
    UNION ALL
    SELECT e.at, 9, '销号', '全额清偿后销号（' || e.actor || '）'
      FROM c JOIN case_event e USING (case_id) WHERE e.kind = 'closed'
  ) t ORDER BY t.at, t.o;

\echo
\echo '================================================================'
\echo ' 五、2020-21冬季根治欠薪专项行动（两个清零）：截至2021年春节各县区进度'
\echo '================================================================'
\echo ' 政府投资和国有企业项目2020-12-31前清零；其他项目春节前（除夕 2021-02-11）动态清零'
SELECT coalesce(d.name, p.area) AS "县区",
       CASE p.deadline_class WHEN 'government+soe' THEN '政府投资和国企项目' WHEN 'other' THEN '其他项目'
            ELSE p.deadline_class END AS "清零类别",
       p.deadline_on AS "清零时限",
       p.cases_to_clear AS "应清零案件", p.amount_to_clear AS "欠薪金额（元）",
       p.cases_cleared AS "已清零", p.amount_repaid AS "已清偿（元）",
       p.cases_overdue AS "逾期未清零", to_char(100 * p.cleared_share, 'FM990.0') || '%' AS "清零率"
  FROM campaign_progress('2020-21冬季根治欠薪专项行动', '2021-02-12') p
  LEFT JOIN demo.division d ON d.code = p.area
 ORDER BY p.area, p.deadline_on;

\echo
\echo '================================================================'
\echo ' 六、下一步看哪里'
\echo '================================================================'
\echo ' 数据库 wagecheck_demo_city（全市生成数据）：'
\echo '   预警看板        SELECT * FROM wagecheck.alert_board;'
\echo '   督办台账        SELECT * FROM wagecheck.supervision_ledger ORDER BY days_overdue DESC;'
\echo '   县区月度指标    SELECT * FROM wagecheck.county_month_indicators WHERE period = ''2024-10-01'';'
\echo '   项目月度指标    SELECT * FROM wagecheck.project_month_indicators WHERE wages_owed > 0;'
\echo '   预警规则目录    SELECT code, tier, name_zh, params FROM wagecheck.rule ORDER BY code;'
\echo ' 数据库 wagecheck_demo（案件台账、专项行动）：'
\echo '   案件总览        SELECT * FROM wagecheck.case_overview;'
\echo '   专项行动进度    SELECT * FROM wagecheck.campaign_progress(''2020-21冬季根治欠薪专项行动'', ''2021-02-12'');'
\echo ' 完整演示过程（每条语句及其结果）：tmp/demo/tour.log；参考手册：make html，打开 tmp/html/index.html'
