-- Module-level functions.

CREATE OR REPLACE FUNCTION wagecheck.version() RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck.version() IS 'version of the loaded wagecheck library';

CREATE OR REPLACE FUNCTION wagecheck._creating_extension() RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_creating_extension'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._creating_extension() IS
    'true while an extension script runs: marks rule rows shipped with wagecheck (rule.builtin)';
