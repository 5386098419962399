-- What each rule of the catalogue reads, and whether time alone changes its result
-- (rule.inputs, rule.time_driven): a forward scan carries the hits of a rule that is not
-- time-driven over while none of its inputs changed (46_changes.sql). A rule compares
-- dates of its rows with as_of (created_at, booked_at, paid_at, start_on, ...) - such a
-- row is recorded with its moments, so the scan that passes one evaluates the rule - but
-- time-driven rules also count from as_of: a deadline, a pay day, a gap of days.
UPDATE wagecheck.rule r SET inputs = d.inputs, time_driven = d.time_driven
  FROM (VALUES
    ('RN01', '{pay_line,pay_sheet,project,roster}'::text[], false),
    ('RN02', '{roster,project}', false),
    ('RN03', '{project,attendance,attendance_month}', true),     -- no attendance for gap_days up to as_of
    -- RN04 and WP01 read of attendance only which workers attended which months: the changes
    -- of the summary attendance_month (a day's attendance of months already attended is none)
    ('RN04', '{attendance_month,pay_sheet,pay_line,roster,project}', true),   -- after the pay day
    ('AC01', '{project,wage_account}', true),                    -- open_days after the contract
    ('AC02', '{labour_cost_schedule,account_txn,wage_account,project}', true),   -- K after k_overdue_days
    ('AC03', '{account_txn,wage_account,project,roster,worker}', false),
    ('AC04', '{project}', false),
    ('AC05', '{wage_account,project,pay_sheet,pay_line,wage_payment,roster}', false),
    ('AC06', '{account_txn,wage_account,project}', false),
    ('PS01', '{pay_line,pay_sheet,project}', false),
    ('WP01', '{attendance_month,pay_sheet,roster,project}', true),   -- after the pay day
    ('WP02', '{pay_sheet,pay_line,wage_payment,roster,project}', true),  -- after the pay day, K k_days later
    ('WP03', '{pay_sheet,pay_line,wage_payment,roster,project}', true),  -- months owed after their pay day
    ('WP04', '{wage_payment,pay_line,pay_sheet,project,worker}', false),
    -- WP05 and WP06 read only the days and payable of wages_owed: its rows and those columns
    -- come from the sheets and lines alone (payments and pay terms give paid and pay_date)
    ('WP05', '{pay_sheet,pay_line,project}', false),
    ('WP06', '{pay_sheet,pay_line,project}', false),
    ('WP07', '{roster,project}', true),                          -- settle_days after leaving
    ('DP01', '{project,guarantee_deposit,wage_account,pay_sheet,pay_line,wage_payment,roster}', true),  -- working days after the contract
    ('NB01', '{project}', true),                                 -- board_days after the start
    ('QR01', '{project}', false)
  ) d(code, inputs, time_driven)
 WHERE r.code = d.code;

-- New attendance can only end a gap without attendance (RN03), never open one: a forward
-- scan evaluates RN03 for the projects of new attendance rows only where it has a live alert.
UPDATE wagecheck.rule SET clears_on = '{attendance,attendance_month}' WHERE code = 'RN03';
