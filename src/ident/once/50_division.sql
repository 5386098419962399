-- GB/T 2260 names of administrative divisions, for the names beside the codes in the views
-- for BI tools. Shipped rows (every province, prefecture and county, 51_division_data.sql,
-- generated from divisions-cn.csv) are the extension's; a deployment adds its own (new or
-- renamed divisions), which pg_dump keeps.

CREATE TABLE wagecheck.division (
    code    text PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$'),
    name    text NOT NULL CHECK (btrim(name) <> ''),
    level   text NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent  text,
    shipped boolean NOT NULL DEFAULT false,
    CHECK (level = CASE length(code) WHEN 2 THEN 'province' WHEN 4 THEN 'prefecture' ELSE 'county' END),
    CHECK (parent IS NOT DISTINCT FROM CASE WHEN length(code) > 2 THEN left(code, length(code) - 2) END)
);
COMMENT ON TABLE wagecheck.division IS 'GB/T 2260 administrative divisions (行政区划) by code prefix: 2 digits a province, 4 a prefecture (city), 6 a county or district; names for the views for BI tools';
COMMENT ON COLUMN wagecheck.division.code IS 'code prefix: 2 digits (province), 4 (prefecture) or 6 (county), as in officer_scope.division_prefix';
COMMENT ON COLUMN wagecheck.division.name IS 'official name, e.g. 山东省, 临沂市, 兰山区';
COMMENT ON COLUMN wagecheck.division.level IS 'province, prefecture or county (by the length of the code)';
COMMENT ON COLUMN wagecheck.division.parent IS 'code of the division above (the code without its last two digits); NULL for a province';
COMMENT ON COLUMN wagecheck.division.shipped IS 'true for the divisions installed with wagecheck; rows added by a deployment are false and are the ones pg_dump saves';
SELECT pg_catalog.pg_extension_config_dump('wagecheck.division', 'WHERE NOT shipped');
