-- The calendar: working days, pay days and the Spring Festival deadline
-- Deadlines in the wage rules count working days (工作日): weekends do not count,
-- public holidays do not count, and the weekends swapped into working days (调休) do.
-- wagecheck ships the State Council's arrangements 2020-2026 in wagecheck.holiday.
SELECT day, to_char(day, 'Dy') AS weekday, kind, name
  FROM wagecheck.holiday WHERE day BETWEEN '2026-02-14' AND '2026-02-28' ORDER BY day;

-- A complaint received on Friday 2026-02-13 must be accepted or rejected within 5 working
-- days: the worked Saturday counts, the nine days of Spring Festival do not.
SELECT wagecheck.add_working_days('2026-02-13', 5) AS accept_by,
       wagecheck.working_days_between('2026-02-13', '2026-02-27') AS working_days_elapsed;

-- A case filed on 2026-09-01 must be finished within 60 working days (+30 with approval).
SELECT wagecheck.add_working_days('2026-09-01', 60) AS finish_by,
       wagecheck.add_working_days('2026-09-01', 90) AS finish_by_with_extension;

-- Pay day on the 5th: when the 5th is a holiday or rest day, wages are paid earlier,
-- on the last working day before it (工资支付暂行规定 art. 7, Decree 724 art. 14).
SELECT make_date(2026, m, 5) AS nominal, to_char(make_date(2026, m, 5), 'Dy') AS weekday,
       wagecheck.pay_day(make_date(2026, m, 5)) AS paid_on
  FROM generate_series(1, 12) AS m;

-- The winter campaign's second deadline is "before the Spring Festival": computed from the
-- Chinese calendar, not typed in. ICU alone would say 2027-02-07; the new moon falls at
-- 23:56 Beijing time on 2027-02-06, so the official Spring Festival is 02-06.
SELECT y AS campaign_year, wagecheck.chinese_new_years_eve(y) AS eve,
       wagecheck.spring_festival(y) AS spring_festival,
       wagecheck.add_working_days(wagecheck.spring_festival(y), -1) AS last_working_day_before
  FROM generate_series(2021, 2027) AS y;

-- Other festivals, and any lunar date (the leap sixth month of 2025, 闰六月).
SELECT wagecheck.lantern_festival(2027) AS lantern, wagecheck.dragon_boat_festival(2027) AS dragon_boat,
       wagecheck.mid_autumn_festival(2027) AS mid_autumn,
       wagecheck.lunar_to_gregorian(2025, 6, 15, leap => true) AS leap_6_15_2025;
SELECT * FROM wagecheck.gregorian_to_lunar('2026-11-28');

-- 2027's arrangement is not published yet: wagecheck said so once (the NOTICE above)
-- and takes Saturday and Sunday as the rest days.
SELECT wagecheck.is_working_day('2027-02-08') AS monday_2027_02_08;
-- When the State Council publishes it, add it: the working-day functions see it at once.
BEGIN;
INSERT INTO wagecheck.holiday (day, kind, name)
SELECT d::date, 'off', '春节（示例）'
  FROM generate_series(DATE '2027-02-05', DATE '2027-02-11', '1 day') AS d;
SELECT wagecheck.is_working_day('2027-02-08') AS monday_2027_02_08,
       wagecheck.add_working_days('2027-02-04', 1) AS next_working_day;
ROLLBACK;
