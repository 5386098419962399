-- The guards of every money column and business date (the functions they call and what they
-- check: 10_checks.sql): one named constraint per column, created once. The derived tables
-- (their COMMENT says so: kept by triggers from the guarded inputs) have none: a sum of
-- finite amounts is finite, a month or moment taken from a plausible one is plausible, and a
-- guard there would be prepared again by every statement of the triggers that keep them.
ALTER TABLE wagecheck.account_txn
    ADD CONSTRAINT account_txn_amount_positive CHECK (wagecheck._positive_fen(amount, 'account_txn', 'amount')),
    ADD CONSTRAINT account_txn_booked_at_plausible CHECK (wagecheck._plausible(booked_at, 'account_txn', 'booked_at')),
    ADD CONSTRAINT account_txn_created_at_plausible CHECK (wagecheck._plausible(created_at, 'account_txn', 'created_at'));
ALTER TABLE wagecheck.alert
    ADD CONSTRAINT alert_opened_at_plausible CHECK (wagecheck._plausible(opened_at, 'alert', 'opened_at')),
    ADD CONSTRAINT alert_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'alert', 'deadline_on')),
    ADD CONSTRAINT alert_due_at_plausible CHECK (wagecheck._plausible(due_at, 'alert', 'due_at')),
    ADD CONSTRAINT alert_escalated_at_plausible CHECK (wagecheck._plausible(escalated_at, 'alert', 'escalated_at')),
    ADD CONSTRAINT alert_closed_at_plausible CHECK (wagecheck._plausible(closed_at, 'alert', 'closed_at')),
    ADD CONSTRAINT alert_updated_at_plausible CHECK (wagecheck._plausible(updated_at, 'alert', 'updated_at'));
ALTER TABLE wagecheck.alert_event
    ADD CONSTRAINT alert_event_at_plausible CHECK (wagecheck._plausible(at, 'alert_event', 'at')),
    ADD CONSTRAINT alert_event_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'alert_event', 'deadline_on')),
    ADD CONSTRAINT alert_event_due_at_plausible CHECK (wagecheck._plausible(due_at, 'alert_event', 'due_at')),
    ADD CONSTRAINT alert_event_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'alert_event', 'recorded_at'));
ALTER TABLE wagecheck.alert_violation
    ADD CONSTRAINT alert_violation_consumed_at_plausible CHECK (wagecheck._plausible(consumed_at, 'alert_violation', 'consumed_at'));
ALTER TABLE wagecheck.attendance
    ADD CONSTRAINT attendance_day_plausible CHECK (wagecheck._plausible(day, 'attendance', 'day')),
    ADD CONSTRAINT attendance_hours_finite CHECK (wagecheck._finite(hours, 'attendance', 'hours', 'hours')),
    ADD CONSTRAINT attendance_created_at_plausible CHECK (wagecheck._plausible(created_at, 'attendance', 'created_at'));
ALTER TABLE wagecheck.campaign
    ADD CONSTRAINT campaign_starts_on_plausible CHECK (wagecheck._plausible(starts_on, 'campaign', 'starts_on')),
    ADD CONSTRAINT campaign_ledger_due_on_plausible CHECK (wagecheck._plausible(ledger_due_on, 'campaign', 'ledger_due_on'));
ALTER TABLE wagecheck.campaign_deadline
    ADD CONSTRAINT campaign_deadline_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'campaign_deadline', 'deadline_on'));
ALTER TABLE wagecheck.case_contact
    ADD CONSTRAINT case_contact_contacted_at_plausible CHECK (wagecheck._plausible(contacted_at, 'case_contact', 'contacted_at'));
ALTER TABLE wagecheck.case_event
    ADD CONSTRAINT case_event_at_plausible CHECK (wagecheck._plausible(at, 'case_event', 'at')),
    ADD CONSTRAINT case_event_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_event', 'recorded_at'));
ALTER TABLE wagecheck.case_extension
    ADD CONSTRAINT case_extension_approved_at_plausible CHECK (wagecheck._plausible(approved_at, 'case_extension', 'approved_at'));
ALTER TABLE wagecheck.case_ledger
    ADD CONSTRAINT case_ledger_amount_owed_finite CHECK (wagecheck._finite(amount_owed, 'case_ledger', 'amount_owed', 'yuan')),
    ADD CONSTRAINT case_ledger_filed_on_plausible CHECK (wagecheck._plausible(filed_on, 'case_ledger', 'filed_on')),
    ADD CONSTRAINT case_ledger_registered_at_plausible CHECK (wagecheck._plausible(registered_at, 'case_ledger', 'registered_at')),
    ADD CONSTRAINT case_ledger_closed_at_plausible CHECK (wagecheck._plausible(closed_at, 'case_ledger', 'closed_at')),
    ADD CONSTRAINT case_ledger_reopened_at_plausible CHECK (wagecheck._plausible(reopened_at, 'case_ledger', 'reopened_at'));
ALTER TABLE wagecheck.case_order
    ADD CONSTRAINT case_order_issued_on_plausible CHECK (wagecheck._plausible(issued_on, 'case_order', 'issued_on')),
    ADD CONSTRAINT case_order_due_on_plausible CHECK (wagecheck._plausible(due_on, 'case_order', 'due_on')),
    ADD CONSTRAINT case_order_amount_finite CHECK (wagecheck._finite(amount, 'case_order', 'amount', 'yuan')),
    ADD CONSTRAINT case_order_max_worker_amount_finite CHECK (wagecheck._finite(max_worker_amount, 'case_order', 'max_worker_amount', 'yuan')),
    ADD CONSTRAINT case_order_complied_on_plausible CHECK (wagecheck._plausible(complied_on, 'case_order', 'complied_on')),
    ADD CONSTRAINT case_order_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_order', 'recorded_at'));
ALTER TABLE wagecheck.case_plan
    ADD CONSTRAINT case_plan_target_on_plausible CHECK (wagecheck._plausible(target_on, 'case_plan', 'target_on')),
    ADD CONSTRAINT case_plan_created_at_plausible CHECK (wagecheck._plausible(created_at, 'case_plan', 'created_at')),
    ADD CONSTRAINT case_plan_updated_at_plausible CHECK (wagecheck._plausible(updated_at, 'case_plan', 'updated_at'));
ALTER TABLE wagecheck.case_repayment
    ADD CONSTRAINT case_repayment_amount_finite CHECK (wagecheck._finite(amount, 'case_repayment', 'amount', 'yuan')),
    ADD CONSTRAINT case_repayment_paid_on_plausible CHECK (wagecheck._plausible(paid_on, 'case_repayment', 'paid_on')),
    ADD CONSTRAINT case_repayment_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'case_repayment', 'recorded_at'));
ALTER TABLE wagecheck.case_supervision
    ADD CONSTRAINT case_supervision_listed_on_plausible CHECK (wagecheck._plausible(listed_on, 'case_supervision', 'listed_on')),
    ADD CONSTRAINT case_supervision_deadline_on_plausible CHECK (wagecheck._plausible(deadline_on, 'case_supervision', 'deadline_on')),
    ADD CONSTRAINT case_supervision_lifted_on_plausible CHECK (wagecheck._plausible(lifted_on, 'case_supervision', 'lifted_on'));
ALTER TABLE wagecheck.complaint
    ADD CONSTRAINT complaint_amount_claimed_finite CHECK (wagecheck._finite(amount_claimed, 'complaint', 'amount_claimed', 'yuan')),
    ADD CONSTRAINT complaint_received_at_plausible CHECK (wagecheck._plausible(received_at, 'complaint', 'received_at')),
    ADD CONSTRAINT complaint_accept_due_on_plausible CHECK (wagecheck._plausible(accept_due_on, 'complaint', 'accept_due_on')),
    ADD CONSTRAINT complaint_decided_at_plausible CHECK (wagecheck._plausible(decided_at, 'complaint', 'decided_at')),
    ADD CONSTRAINT complaint_created_at_plausible CHECK (wagecheck._plausible(created_at, 'complaint', 'created_at'));
ALTER TABLE wagecheck.dishonest_declined
    ADD CONSTRAINT dishonest_declined_decided_at_plausible CHECK (wagecheck._plausible(decided_at, 'dishonest_declined', 'decided_at'));
ALTER TABLE wagecheck.dishonest_listing
    ADD CONSTRAINT dishonest_listing_listed_on_plausible CHECK (wagecheck._plausible(listed_on, 'dishonest_listing', 'listed_on')),
    ADD CONSTRAINT dishonest_listing_ends_on_plausible CHECK (wagecheck._plausible(ends_on, 'dishonest_listing', 'ends_on')),
    ADD CONSTRAINT dishonest_listing_corrected_on_plausible CHECK (wagecheck._plausible(corrected_on, 'dishonest_listing', 'corrected_on')),
    ADD CONSTRAINT dishonest_listing_pledge_on_plausible CHECK (wagecheck._plausible(pledge_on, 'dishonest_listing', 'pledge_on')),
    ADD CONSTRAINT dishonest_listing_removed_on_plausible CHECK (wagecheck._plausible(removed_on, 'dishonest_listing', 'removed_on')),
    ADD CONSTRAINT dishonest_listing_police_referred_on_plausible CHECK (wagecheck._plausible(police_referred_on, 'dishonest_listing', 'police_referred_on')),
    ADD CONSTRAINT dishonest_listing_published_on_plausible CHECK (wagecheck._plausible(published_on, 'dishonest_listing', 'published_on')),
    ADD CONSTRAINT dishonest_listing_created_at_plausible CHECK (wagecheck._plausible(created_at, 'dishonest_listing', 'created_at'));
ALTER TABLE wagecheck.enterprise
    ADD CONSTRAINT enterprise_created_at_plausible CHECK (wagecheck._plausible(created_at, 'enterprise', 'created_at'));
ALTER TABLE wagecheck.guarantee_deposit
    ADD CONSTRAINT guarantee_deposit_amount_finite CHECK (wagecheck._finite(amount, 'guarantee_deposit', 'amount', 'yuan')),
    ADD CONSTRAINT guarantee_deposit_deposited_on_plausible CHECK (wagecheck._plausible(deposited_on, 'guarantee_deposit', 'deposited_on')),
    ADD CONSTRAINT guarantee_deposit_expires_on_plausible CHECK (wagecheck._plausible(expires_on, 'guarantee_deposit', 'expires_on')),
    ADD CONSTRAINT guarantee_deposit_returned_on_plausible CHECK (wagecheck._plausible(returned_on, 'guarantee_deposit', 'returned_on')),
    ADD CONSTRAINT guarantee_deposit_created_at_plausible CHECK (wagecheck._plausible(created_at, 'guarantee_deposit', 'created_at'));
ALTER TABLE wagecheck.holiday
    ADD CONSTRAINT holiday_day_plausible CHECK (wagecheck._plausible(day, 'holiday', 'day'));
ALTER TABLE wagecheck.labour_cost_schedule
    ADD CONSTRAINT labour_cost_schedule_period_plausible CHECK (wagecheck._plausible(period, 'labour_cost_schedule', 'period')),
    ADD CONSTRAINT labour_cost_schedule_amount_due_finite CHECK (wagecheck._finite(amount_due, 'labour_cost_schedule', 'amount_due', 'yuan')),
    ADD CONSTRAINT labour_cost_schedule_due_on_plausible CHECK (wagecheck._plausible(due_on, 'labour_cost_schedule', 'due_on')),
    ADD CONSTRAINT labour_cost_schedule_created_at_plausible CHECK (wagecheck._plausible(created_at, 'labour_cost_schedule', 'created_at'));
ALTER TABLE wagecheck.lead_outbox
    ADD CONSTRAINT lead_outbox_created_at_plausible CHECK (wagecheck._plausible(created_at, 'lead_outbox', 'created_at')),
    ADD CONSTRAINT lead_outbox_delivered_at_plausible CHECK (wagecheck._plausible(delivered_at, 'lead_outbox', 'delivered_at'));
ALTER TABLE wagecheck.officer_scope
    ADD CONSTRAINT officer_scope_created_at_plausible CHECK (wagecheck._plausible(created_at, 'officer_scope', 'created_at'));
ALTER TABLE wagecheck.opinion_report
    ADD CONSTRAINT opinion_report_received_at_plausible CHECK (wagecheck._plausible(received_at, 'opinion_report', 'received_at')),
    ADD CONSTRAINT opinion_report_verified_at_plausible CHECK (wagecheck._plausible(verified_at, 'opinion_report', 'verified_at')),
    ADD CONSTRAINT opinion_report_reported_at_plausible CHECK (wagecheck._plausible(reported_at, 'opinion_report', 'reported_at')),
    ADD CONSTRAINT opinion_report_created_at_plausible CHECK (wagecheck._plausible(created_at, 'opinion_report', 'created_at'));
ALTER TABLE wagecheck.pay_line
    ADD CONSTRAINT pay_line_days_finite CHECK (wagecheck._finite(days, 'pay_line', 'days', 'days')),
    ADD CONSTRAINT pay_line_payable_finite CHECK (wagecheck._finite(payable, 'pay_line', 'payable', 'yuan')),
    ADD CONSTRAINT pay_line_deductions_finite CHECK (wagecheck._finite(deductions, 'pay_line', 'deductions', 'yuan')),
    ADD CONSTRAINT pay_line_net_finite CHECK (wagecheck._finite(net, 'pay_line', 'net', 'yuan')),
    ADD CONSTRAINT pay_line_signed_on_plausible CHECK (wagecheck._plausible(signed_on, 'pay_line', 'signed_on')),
    ADD CONSTRAINT pay_line_created_at_plausible CHECK (wagecheck._plausible(created_at, 'pay_line', 'created_at'));
ALTER TABLE wagecheck.pay_sheet
    ADD CONSTRAINT pay_sheet_period_plausible CHECK (wagecheck._plausible(period, 'pay_sheet', 'period')),
    ADD CONSTRAINT pay_sheet_prepared_on_plausible CHECK (wagecheck._plausible(prepared_on, 'pay_sheet', 'prepared_on')),
    ADD CONSTRAINT pay_sheet_created_at_plausible CHECK (wagecheck._plausible(created_at, 'pay_sheet', 'created_at'));
ALTER TABLE wagecheck.payment_order
    ADD CONSTRAINT payment_order_total_finite CHECK (wagecheck._finite(total, 'payment_order', 'total', 'yuan')),
    ADD CONSTRAINT payment_order_execute_on_plausible CHECK (wagecheck._plausible(execute_on, 'payment_order', 'execute_on')),
    ADD CONSTRAINT payment_order_created_at_plausible CHECK (wagecheck._plausible(created_at, 'payment_order', 'created_at'));
ALTER TABLE wagecheck.payment_status
    ADD CONSTRAINT payment_status_reported_at_plausible CHECK (wagecheck._plausible(reported_at, 'payment_status', 'reported_at')),
    ADD CONSTRAINT payment_status_recorded_at_plausible CHECK (wagecheck._plausible(recorded_at, 'payment_status', 'recorded_at'));
ALTER TABLE wagecheck.project
    ADD CONSTRAINT project_contract_value_finite CHECK (wagecheck._finite(contract_value, 'project', 'contract_value', 'yuan')),
    ADD CONSTRAINT project_contract_signed_on_plausible CHECK (wagecheck._plausible(contract_signed_on, 'project', 'contract_signed_on')),
    ADD CONSTRAINT project_labour_share_finite CHECK (wagecheck._finite(labour_share, 'project', 'labour_share', '')),
    ADD CONSTRAINT project_start_on_plausible CHECK (wagecheck._plausible(start_on, 'project', 'start_on')),
    ADD CONSTRAINT project_planned_end_on_plausible CHECK (wagecheck._plausible(planned_end_on, 'project', 'planned_end_on')),
    ADD CONSTRAINT project_completed_on_plausible CHECK (wagecheck._plausible(completed_on, 'project', 'completed_on')),
    ADD CONSTRAINT project_notice_board_on_plausible CHECK (wagecheck._plausible(notice_board_on, 'project', 'notice_board_on')),
    ADD CONSTRAINT project_created_at_plausible CHECK (wagecheck._plausible(created_at, 'project', 'created_at'));
ALTER TABLE wagecheck.roster
    ADD CONSTRAINT roster_contract_signed_on_plausible CHECK (wagecheck._plausible(contract_signed_on, 'roster', 'contract_signed_on')),
    ADD CONSTRAINT roster_wage_rate_finite CHECK (wagecheck._finite(wage_rate, 'roster', 'wage_rate', 'yuan')),
    ADD CONSTRAINT roster_start_on_plausible CHECK (wagecheck._plausible(start_on, 'roster', 'start_on')),
    ADD CONSTRAINT roster_end_on_plausible CHECK (wagecheck._plausible(end_on, 'roster', 'end_on')),
    ADD CONSTRAINT roster_settled_on_plausible CHECK (wagecheck._plausible(settled_on, 'roster', 'settled_on')),
    ADD CONSTRAINT roster_created_at_plausible CHECK (wagecheck._plausible(created_at, 'roster', 'created_at'));
ALTER TABLE wagecheck.rule_eval_state
    ADD CONSTRAINT rule_eval_state_evaluated_to_plausible CHECK (wagecheck._plausible(evaluated_to, 'rule_eval_state', 'evaluated_to')),
    ADD CONSTRAINT rule_eval_state_at_plausible CHECK (wagecheck._plausible(at, 'rule_eval_state', 'at'));
ALTER TABLE wagecheck.rule_scan
    ADD CONSTRAINT rule_scan_scanned_to_plausible CHECK (CASE WHEN scanned_to = '-infinity' THEN true ELSE wagecheck._plausible(scanned_to, 'rule_scan', 'scanned_to') END),
    ADD CONSTRAINT rule_scan_scanned_at_plausible CHECK (wagecheck._plausible(scanned_at, 'rule_scan', 'scanned_at'));
ALTER TABLE wagecheck.subcontract
    ADD CONSTRAINT subcontract_value_finite CHECK (wagecheck._finite(value, 'subcontract', 'value', 'yuan')),
    ADD CONSTRAINT subcontract_signed_on_plausible CHECK (wagecheck._plausible(signed_on, 'subcontract', 'signed_on')),
    ADD CONSTRAINT subcontract_created_at_plausible CHECK (wagecheck._plausible(created_at, 'subcontract', 'created_at'));
ALTER TABLE wagecheck.violation
    ADD CONSTRAINT violation_occurred_at_plausible CHECK (wagecheck._plausible(occurred_at, 'violation', 'occurred_at'));
ALTER TABLE wagecheck.wage_account
    ADD CONSTRAINT wage_account_opened_on_plausible CHECK (wagecheck._plausible(opened_on, 'wage_account', 'opened_on')),
    ADD CONSTRAINT wage_account_registered_on_plausible CHECK (wagecheck._plausible(registered_on, 'wage_account', 'registered_on')),
    ADD CONSTRAINT wage_account_closure_notice_on_plausible CHECK (wagecheck._plausible(closure_notice_on, 'wage_account', 'closure_notice_on')),
    ADD CONSTRAINT wage_account_closed_on_plausible CHECK (wagecheck._plausible(closed_on, 'wage_account', 'closed_on')),
    ADD CONSTRAINT wage_account_balance_finite CHECK (wagecheck._finite(balance, 'wage_account', 'balance', 'yuan')),
    ADD CONSTRAINT wage_account_created_at_plausible CHECK (wagecheck._plausible(created_at, 'wage_account', 'created_at'));
ALTER TABLE wagecheck.wage_payment
    ADD CONSTRAINT wage_payment_amount_positive CHECK (wagecheck._positive_fen(amount, 'wage_payment', 'amount')),
    ADD CONSTRAINT wage_payment_paid_at_plausible CHECK (wagecheck._plausible(paid_at, 'wage_payment', 'paid_at')),
    ADD CONSTRAINT wage_payment_created_at_plausible CHECK (wagecheck._plausible(created_at, 'wage_payment', 'created_at'));
ALTER TABLE wagecheck.worker
    ADD CONSTRAINT worker_registered_at_plausible CHECK (wagecheck._plausible(registered_at, 'worker', 'registered_at'));
