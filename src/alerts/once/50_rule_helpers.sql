-- Finds the pay terms in use (_pay_dates_passing) and the projects using them without reading
-- the roster.
CREATE INDEX roster_pay_terms ON wagecheck.roster (pay_day, pay_month_offset, project_id);
