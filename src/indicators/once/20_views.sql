-- What the views for BI tools read through, created once: indexes on the summaries and
-- tables they read.

-- (The workers on a month's pay sheets without any payment yet, few: the views look only at
-- those for attendance, attendees paid = attendees on the sheets minus those unpaid, through
-- wage_month_open, src/alerts/once/45_summaries.sql.)

-- A project's deposits, found per project and month.
CREATE INDEX guarantee_deposit_project ON wagecheck.guarantee_deposit (project_id);
