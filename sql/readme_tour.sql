CREATE EXTENSION wagecheck;                      -- everything lives in schema wagecheck
SET search_path = public, wagecheck;
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO';

-- 1. Identifiers validate and normalise what clerks type; errors say what is wrong.
SELECT '３７１３０２ １９８５０３１２ ２１３１'::resident_id AS id,
       mask('6228 4812 3456 7890 003'::bank_card) AS card,
       is_valid_credit_code('91310115MA1H8R7C6D') AS valid_code;
SELECT '371302198503122132'::resident_id;        -- 22P02: check character should be 1

-- 2. A project, its owner and contractor, two workers on the real-name roster, a wage account.
INSERT INTO enterprise (enterprise_id, credit_code, name, role) VALUES
  (1, '91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
  (2, '91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                     contract_value, contract_signed_on, labour_share, start_on, status)
VALUES (1, 'LY-2026-031', '北城新区安置房二期', '371302', 'housing', 'government', 1, 2,
        36000000, '2026-02-20', 0.22, '2026-03-01', 'under_construction');
INSERT INTO worker (worker_id, resident_id, name, wage_card) VALUES
  (1, '371302198503122131', '张伟', '6228481234567890003'),
  (2, '371302197805224550', '王强', '6228481234567890029');
INSERT INTO roster (project_id, worker_id, employer_id, contract_signed_on, start_on)
SELECT 1, worker_id, 2, '2026-03-01', '2026-03-01' FROM worker;
INSERT INTO wage_account (account_id, project_id, bank, account_no, opened_on)
VALUES (1, 1, '农业银行临沂分行', '15230101040031001', '2026-03-05');

-- 3. Labour cost comes in, wages go to the workers' own cards; anything else is refused.
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
  (1, 'in', 20000, '9558800001000000001', 'labour_cost', '2026-04-08 10:00'),
  (1, 'out', 6240, '6228481234567890003', 'wage', '2026-04-15 09:00');
INSERT INTO account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at)
VALUES (1, 'out', 9000, '37050168620100009999', 'transfer', '2026-04-16 14:00');   -- WC001 (AC03)
SELECT balance FROM wage_account WHERE account_id = 1;

-- 4. The rule engine evaluates every rule as of now (or any earlier moment, replayably):
--    no guarantee deposit, no notice board, no QR code, no attendance records...
SELECT rule_code, hits, opened FROM scan() WHERE hits > 0 ORDER BY rule_code;
SELECT rule_code, rule_name_zh, unit, state, department_zh FROM supervision_ledger ORDER BY rule_code;

-- 5. Working days and the Spring Festival come from the official calendar.
SELECT add_working_days('2026-09-30', 1) AS next_working_day, spring_festival(2027) AS spring_festival;

-- 6. An existing real-name platform feeds wagecheck's own tables (mirror mode): its attendance
--    table, with its own column names, the project's code as its key, dates and hours as text.
CREATE TABLE public.kq (kqid int PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text);
SELECT attach('public.kq', 'attendance', '{"key": "kqid", "project": "xmbh", "worker": "sfzhm",
               "day": "kqrq", "hours": "gs"}', mirror => true);
INSERT INTO public.kq VALUES (1, 'LY-2026-031', '３７１３０２１９８５０３１２２１３１', '2026年4月10日', '８'),
                             (2, 'LY-2026-031', '371302197805224550', '20260410', '9.5');
SELECT a.day, w.name, a.hours, r.source, r.source_key
  FROM attendance a JOIN worker w USING (worker_id)
  JOIN mirror_ref r ON r.kind = 'attendance'
   AND r.target = jsonb_build_object('project_id', a.project_id, 'worker_id', a.worker_id, 'day', a.day)
 ORDER BY a.worker_id;
-- end of the README's tour: what follows is the regression test's own clean-up.
DROP TABLE public.kq;
DROP EXTENSION wagecheck CASCADE;
