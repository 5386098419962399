-- Repayments recorded against a case from the wage payments that made them: a
-- payment through the dedicated account into the worker's own card, linked once.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
-- the worker, rostered on project 1 by the labour company, paid through the project's account
INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card) VALUES
    (1, '371302198503122131', '张伟', '6228481234567890003'),
    (2, '371302199001011233', '李娜', '6228481234567890011');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, start_on) VALUES
    (1, 1, 3, '2020-09-01', '2020-09-01'), (1, 2, 3, '2020-09-01', '2020-09-01');
INSERT INTO wagecheck.wage_account (account_id, project_id, bank, account_no, opened_on)
VALUES (1, 1, '农业银行临沂分行', '372101040012345', '2020-09-05');
INSERT INTO wagecheck.account_txn (txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
    (1, 1, 'in', 20000, '9558800001000000001', 'labour_cost', '2021-01-08 10:00'),
    (2, 1, 'out', 6000, '6228481234567890003', 'wage', '2021-01-10 09:00'),
    (3, 1, 'out', 5000, '6228481234567890011', 'wage', '2021-01-10 09:01');
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on)
VALUES (1, 1, 3, '2020-11-01', '2020-12-05');
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, deductions, net) VALUES
    (1, 1, 1, 25, 6000, 0, 6000), (2, 1, 2, 22, 5000, 0, 5000);
INSERT INTO wagecheck.wage_payment (payment_id, line_id, txn_id, amount, paid_at, method, card) VALUES
    (1, 1, 2, 6000, '2021-01-10 09:00', 'account', '6228481234567890003'),
    (2, 2, 3, 5000, '2021-01-10 09:01', 'account', '6228481234567890011');

INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES (1, 'LSRS', 'inspection', 1, 2, 11000, '2020-12-28');
-- amount and day come from the payment
INSERT INTO wagecheck.case_repayment (case_id, payment_id, workers_paid) VALUES (1, 1, 1);
SELECT case_id, amount, paid_on, payment_id FROM wagecheck.case_repayment;
-- a payment backs one repayment, for at most its amount
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, payment_id) VALUES (1, 1)$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, payment_id, amount) VALUES (1, 2, 5000.01)$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, payment_id) VALUES (1, 99)$$);
INSERT INTO wagecheck.case_ledger (case_id, unit_code, source, project_id, workers_affected, amount_owed, filed_on)
VALUES (2, 'LSRS', 'inspection', 2, 1, 5000, '2020-12-28');
SELECT pg_temp.try($$INSERT INTO wagecheck.case_repayment (case_id, payment_id) VALUES (2, 2)$$);
SELECT pg_temp.try($$SELECT wagecheck.close_case(1, 'repaid', NULL, 'x', '2021-01-10 12:00')$$);
INSERT INTO wagecheck.case_repayment (case_id, payment_id, workers_paid) VALUES (1, 2, 1);
SELECT case_no, status, close_kind FROM wagecheck.close_case(1, 'repaid', NULL, '兰山监察员', '2021-01-10 12:00');
SELECT case_no, amount_owed, repaid, outstanding FROM wagecheck.case_overview ORDER BY case_id;
DROP EXTENSION wagecheck CASCADE;
