-- What the views for BI tools read through, created once: indexes on the summaries and
-- tables they read.

-- The workers on a month's pay sheets without any payment yet (few: the latest month, and
-- arrears): the views look only at those for attendance (attendees paid = attendees on the
-- sheets minus those unpaid), not at every worker of the month.
CREATE INDEX wage_month_unpaid ON wagecheck.wage_month (project_id, period, worker_id)
    WHERE cardinality(paid_each) = 0;

-- A project's deposits, found per project and month.
CREATE INDEX guarantee_deposit_project ON wagecheck.guarantee_deposit (project_id);
