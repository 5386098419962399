-- Ledgers out: the supervision ledger (督办台账), the case ledger (入销号台账) and the
-- dishonest list as XML under the shipped schema wagecheck.ledger.1 and as printable HTML
-- (libxml2's HTML output), each for a scope (division prefix, sector) and an as-of moment,
-- read with the caller's rights (a county officer sees his county only).
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, enterprise_id, workers_affected, amount_owed, filed_on, registered_at) VALUES
    (1, 'LZRS', 'inspection', 3, 4, 12, 60000, '2020-12-20', '2020-12-20 10:00'),
    (2, 'LSRS', 'inspection', 2, 2, 1, 12000, '2020-12-21', '2020-12-21 10:00'),
    (3, 'LSRS', 'inspection', 1, 3, 5, 20000, '2020-12-22', '2020-12-22 10:00'),
    (4, 'LSRS', 'inspection', 1, 2, 2, 8000, '2021-01-23', '2021-01-23 10:00');
INSERT INTO wagecheck.case_repayment (case_id, amount, paid_on, workers_paid)
VALUES (3, 20000, '2021-01-10', 5);
SELECT pg_temp.try($$SELECT wagecheck.close_case(3, 'repaid', '兰山区人社局', NULL, '2021-01-12 16:00')$$);
INSERT INTO wagecheck.case_order (order_id, case_id, enterprise_id, issued_on, due_on, amount, workers, months_owed, max_worker_amount)
VALUES (1, 1, 4, '2021-01-05', '2021-01-15', 60000, 12, 2, 8000);
SELECT wagecheck.list_dishonest(4, '临沂市人社局', '拒不执行限期支付指令，拖欠12名农民工工资60000元', '2021-01-25',
                                ARRAY['孙七（法定代表人）']) AS listing_id;

-- === the case ledger on 2021-01-20 (case 4 not yet registered; case 3 closed out)
SELECT wagecheck.case_ledger_xml(NULL, NULL, '2021-01-20 18:00+08') AS doc \gset
SELECT :'doc';
SELECT wagecheck.xml_is_valid(:'doc', 'wagecheck.ledger.1') AS valid;
-- 兰山区 only, then housing only, then a date before case 3 was closed
SELECT xpath('//l:Row/l:Cell[1]/text()', wagecheck.case_ledger_xml('371302', NULL, '2021-01-20 18:00+08'),
             ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS lanshan,
       xpath('//l:Row/l:Cell[1]/text()', wagecheck.case_ledger_xml(NULL, 'housing', '2021-01-31 18:00+08'),
             ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS housing,
       xpath('//l:Row[3]/l:Cell[9]/text()', wagecheck.case_ledger_xml(NULL, NULL, '2021-01-11 18:00+08'),
             ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS case3_on_jan_11;
-- printable: the same ledger as HTML
SELECT wagecheck.ledger_html(:'doc');

-- === the dishonest list: listed from 2021-01-25 for three years
SELECT wagecheck.dishonest_list_xml(NULL, NULL, '2021-02-01 12:00+08') AS dl \gset
SELECT :'dl';
SELECT wagecheck.xml_is_valid(:'dl', 'wagecheck.ledger.1') AS valid,
       (xpath('count(//l:Row)', wagecheck.dishonest_list_xml(NULL, NULL, '2021-01-24 12:00+08'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']]))[1]::text AS rows_before,
       (xpath('count(//l:Row)', wagecheck.dishonest_list_xml('371302', NULL, '2021-02-01 12:00+08'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']]))[1]::text AS rows_lanshan,
       (xpath('count(//l:Row)', wagecheck.dishonest_list_xml('371311', 'transport', '2021-02-01 12:00+08'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']]))[1]::text AS rows_luozhuang_transport;

-- === the supervision ledger: a key alert (AC03, cash withdrawn) on 罗庄疏港公路 in alert mode
UPDATE wagecheck.project SET enforcement_mode = 'alert' WHERE project_id = 3;
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on) VALUES (3, '工商银行罗庄支行', '1610002109200099999', '2020-05-10');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'in', 10000, 'labour_cost', now() - interval '2 days'), (1, 'out', 3000, 'cash', now() - interval '1 day');
SELECT count(*) >= 0 AS scanned FROM wagecheck.scan();
SELECT wagecheck.supervision_ledger_xml() AS sl \gset
SELECT wagecheck.xml_is_valid(:'sl', 'wagecheck.ledger.1') AS valid,
       xpath('//l:Row/l:Cell[3]/text()', :'sl'::xml, ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS rules,
       xpath('//l:Row/l:Cell[2]/text()', :'sl'::xml, ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS units,
       xpath('//l:Unit/text()', wagecheck.supervision_ledger_xml('371311'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS unit,
       (xpath('count(//l:Row)', wagecheck.supervision_ledger_xml('371302'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']]))[1]::text AS rows_lanshan,
       (xpath('count(//l:Row)', wagecheck.supervision_ledger_xml(NULL, NULL, now() - interval '3 days'), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']]))[1]::text AS rows_3_days_ago;
SELECT wagecheck.ledger_html(:'sl') ~ '<th>预警指标</th>' AS html_has_headings;

-- === row-level security: a 兰山区 officer sees 兰山区's cases only, whatever scope he asks for
CREATE ROLE regress_ledger_lanshan LOGIN IN ROLE wagecheck_county;
INSERT INTO wagecheck.officer_scope (officer, division_prefix) VALUES ('regress_ledger_lanshan', '371302');
SET ROLE regress_ledger_lanshan;
SELECT xpath('//l:Row/l:Cell[1]/text()', wagecheck.case_ledger_xml(NULL, NULL, '2021-02-01'),
             ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS cases_seen,
       xpath('//l:Row/l:Cell[2]/text()', wagecheck.supervision_ledger_xml(), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS alerts_seen,
       xpath('//l:Row/l:Cell[3]/text()', wagecheck.supervision_ledger_xml(), ARRAY[ARRAY['l', 'urn:wagecheck:ledger:1']])::text[] AS rules_seen;
RESET ROLE;

-- === not a ledger
SELECT wagecheck.ledger_html('<Ledger/>');
SELECT wagecheck.ledger_html('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Ledger xmlns="urn:wagecheck:ledger:1">&e;</Ledger>');
-- texts are escaped in the page
SELECT wagecheck.ledger_html('<Ledger xmlns="urn:wagecheck:ledger:1" kind="case"><Title>T &lt;script&gt;</Title><Unit>U</Unit><AsOf>2021-01-01T00:00:00+08:00</AsOf><Scope/><Columns><Col name="a">A</Col></Columns><Row><Cell>&lt;b&gt;x&amp;y</Cell></Row></Ledger>') ~ '&lt;b&gt;x&amp;y' AS escaped;

DELETE FROM wagecheck.officer_scope WHERE officer = 'regress_ledger_lanshan';
DROP EXTENSION wagecheck CASCADE;
DROP ROLE regress_ledger_lanshan;
