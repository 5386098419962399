-- Module-level functions.

CREATE FUNCTION wagecheck.version() RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.version() IS 'version of the loaded wagecheck library';
