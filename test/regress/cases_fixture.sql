-- Shared fixture of the case-area tests (sql/cases*.sql, complaints, campaigns,
-- blacklist, opinion): Linyi city and two of its counties, four enterprises, four
-- projects of different funding and sector; and try(sql), which runs a statement
-- and returns 'ok' or 'SQLSTATE: message / detail'.
SET client_min_messages = warning;
SET TimeZone = 'Asia/Shanghai';
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    IF det LIKE 'Failing row contains%' THEN det := NULL; END IF;
    RETURN st || ': ' || msg || coalesce(' / ' || nullif(det, ''), '');
END $$;
INSERT INTO wagecheck.case_unit (unit_code, name, level, division, parent_code) VALUES
    ('LYRS', '临沂市人力资源和社会保障局', 'city', '371300', NULL),
    ('LSRS', '兰山区人力资源和社会保障局', 'county', '371302', 'LYRS'),
    ('LZRS', '罗庄区人力资源和社会保障局', 'county', '371311', 'LYRS');
INSERT INTO wagecheck.enterprise (enterprise_id, credit_code, name, role, legal_rep, division) VALUES
    (1, '913713000000000E5E', '临沂城投集团', 'owner', '王建国', '371300'),
    (2, '913713020000000A1T', '兰山建工有限公司', 'general_contractor', '李四海', '371302'),
    (3, '913713020000000B2Y', '沂蒙劳务有限公司', 'labour_company', '赵六', '371302'),
    (4, '913713110000000C34', '罗庄路桥有限公司', 'general_contractor', '孙七', '371311');
INSERT INTO wagecheck.project (project_id, code, name, division, sector, funding, owner_id, contractor_id,
                               status, start_on) VALUES
    (1, 'LS-01', '兰山安置房', '371302', 'housing', 'government', 1, 2, 'under_construction', '2020-03-01'),
    (2, 'LS-02', '兰山商业综合体', '371302', 'housing', 'other', 1, 2, 'under_construction', '2020-04-01'),
    (3, 'LZ-01', '罗庄疏港公路', '371311', 'transport', 'soe', 1, 4, 'under_construction', '2020-05-01'),
    (4, 'LZ-02', '罗庄水利枢纽', '371311', 'water', 'other', 1, 4, 'under_construction', '2020-06-01');
RESET client_min_messages;
