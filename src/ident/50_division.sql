-- Functions over wagecheck.division (the table and its shipped rows: once/50_division.sql,
-- once/51_division_data.sql).

-- division_key: the row of wagecheck.division a six-digit code names: 370000 the province
-- (37), 371300 the prefecture (3713), any other the county.
CREATE OR REPLACE FUNCTION wagecheck.division_key(code wagecheck.division_code) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT CASE WHEN right(code::text, 4) = '0000' THEN left(code::text, 2)
                WHEN right(code::text, 2) = '00' THEN left(code::text, 4)
                ELSE code::text END
$$;
COMMENT ON FUNCTION wagecheck.division_key(wagecheck.division_code) IS 'the code prefix of wagecheck.division a six-digit division code names: 370000 -> 37, 371300 -> 3713, 371302 -> 371302';

-- division_name: the name of a division (NULL when wagecheck.division has none).
CREATE OR REPLACE FUNCTION wagecheck.division_name(code wagecheck.division_code) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT d.name FROM wagecheck.division d WHERE d.code = wagecheck.division_key(division_name.code)
$$;
COMMENT ON FUNCTION wagecheck.division_name(wagecheck.division_code) IS 'the GB/T 2260 name of a division (370000 山东省, 371300 临沂市, 371302 兰山区) from wagecheck.division; NULL when it has none';
