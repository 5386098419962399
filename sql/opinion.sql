-- Public-opinion reports (舆情): recorded against a project or enterprise, pushed at
-- once, verified then reported upward, OP01 in hours; the record is final.
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql

INSERT INTO wagecheck.opinion_report (report_id, project_id, enterprise_id, kind, mass_incident, summary, source,
                                      workers_involved, received_at) VALUES
    (1, 1, NULL, 'online_post', false, '抖音视频：兰山安置房工地工人讨薪', 'douyin', 6, '2021-01-10 09:00'),
    (2, NULL, 4, 'gathering', true, '20余名工人聚集罗庄区政府门口讨薪', '110指令', 23, '2021-01-12 14:00'),
    (3, 3, NULL, 'media', false, '临沂日报：疏港公路欠薪', 'newspaper', NULL, '2021-01-13 08:00'),
    (4, 2, NULL, 'petition', false, '工人赴市信访局上访', 'letters office', 4, '2021-01-14 10:00');
SELECT report_id, project_id, enterprise_id, unit_code, kind, mass_incident FROM wagecheck.opinion_report ORDER BY 1;
SELECT unit_code, kind, ref_id, payload ->> 'mass_incident' AS mass FROM wagecheck.lead_outbox ORDER BY outbox_id;
SELECT pg_temp.try($$INSERT INTO wagecheck.opinion_report (kind, summary) VALUES ('media', 'no subject')$$);
SELECT pg_temp.try($$INSERT INTO wagecheck.opinion_report (project_id, kind, summary) VALUES (1, 'rumour', 'x')$$);

-- OP01: verify within 2 hours, report within 24 hours of receipt
SELECT as_of, h.subject_id, h.level, h.due_at, as_of > h.due_at AS verify_late,
       as_of > (h.details ->> 'report_due')::timestamptz AS report_late
  FROM unnest(ARRAY['2021-01-10 10:30', '2021-01-10 11:30']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_op01(as_of) h ON true ORDER BY 1, 2;
SELECT report_id, verified_at, verification, mass_incident
  FROM wagecheck.verify_opinion_report(1, '兰山区人社局值班员', 'confirmed', false, '2021-01-10 11:45');
SELECT pg_temp.try($$SELECT wagecheck.verify_opinion_report(1, 'x', 'unfounded')$$);
SELECT pg_temp.try($$SELECT wagecheck.report_opinion_report(3, '市领导小组办公室')$$);
SELECT pg_temp.try($$UPDATE wagecheck.opinion_report SET reported_at = '2021-01-13 09:00', reported_to = 'x' WHERE report_id = 3$$);
SELECT pg_temp.try($$SELECT wagecheck.verify_opinion_report(3, 'x', 'maybe')$$);
SELECT pg_temp.try($$SELECT wagecheck.verify_opinion_report(3, 'x', 'confirmed', NULL, '2021-01-13 07:00')$$);
SELECT as_of, h.subject_id, r.verified_at <= as_of AS verified, r.verified_at > h.due_at AS verified_late,
       as_of > (h.details ->> 'report_due')::timestamptz AS report_late, h.details ->> 'report_due' AS report_due
  FROM unnest(ARRAY['2021-01-10 12:00', '2021-01-11 10:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_op01(as_of) h ON true
  LEFT JOIN wagecheck.opinion_report r ON r.report_id = h.subject_id::bigint ORDER BY 1, 2;
SELECT report_id, reported_at, reported_to FROM wagecheck.report_opinion_report(1, '临沂市根治欠薪领导小组办公室', '2021-01-11 10:30');
SELECT pg_temp.try($$SELECT wagecheck.report_opinion_report(1, 'again')$$);
SELECT pg_temp.try($$SELECT wagecheck.report_opinion_report(99, 'x')$$);
-- the mass incident: verified in time, reported in time
SELECT report_id, verification, mass_incident FROM wagecheck.verify_opinion_report(2, '罗庄区人社局', 'confirmed', true, '2021-01-12 15:10');
SELECT report_id FROM wagecheck.report_opinion_report(2, '市委政法委、市人社局', '2021-01-12 16:00');
-- verification and reporting are final
SELECT pg_temp.try($$UPDATE wagecheck.opinion_report SET mass_incident = false WHERE report_id = 2$$);
SELECT pg_temp.try($$UPDATE wagecheck.opinion_report SET reported_to = '别处' WHERE report_id = 2$$);
SELECT pg_temp.try($$UPDATE wagecheck.opinion_report SET received_at = '2021-01-12 15:00' WHERE report_id = 2$$);
SELECT pg_temp.try($$DELETE FROM wagecheck.opinion_report WHERE report_id = 4$$);
-- a report still waiting can be marked a mass incident before verification
UPDATE wagecheck.opinion_report SET mass_incident = true WHERE report_id = 4;
SELECT as_of, h.subject_id, h.project_id, h.enterprise_id, h.division, h.details ->> 'mass_incident' AS mass
  FROM unnest(ARRAY['2021-01-12 15:00', '2021-01-14 12:00']::timestamptz[]) as_of
  LEFT JOIN LATERAL wagecheck.eval_op01(as_of) h ON true ORDER BY 1, 2;

DROP EXTENSION wagecheck CASCADE;
