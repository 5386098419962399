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

-- The PL/pgSQL code's messages in the session's language: RAISE ... USING MESSAGE =
-- wagecheck._msg('English text with %s', arg, ...), and the same for DETAIL and HINT; the
-- texts are extracted for po/ by po/xgettext.sh. STABLE like format() (it reads
-- lc_messages and the arguments' output functions); not STRICT: a NULL argument is empty
-- text, a NULL format gives NULL. Everyone may run it: the functions and triggers that
-- raise run as their callers, and it only formats text.
CREATE OR REPLACE FUNCTION wagecheck._msg(fmt text) RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_msg'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._msg(text) IS
    'a message of wagecheck''s PL/pgSQL code translated into the session''s language (lc_messages)';
CREATE OR REPLACE FUNCTION wagecheck._msg(fmt text, VARIADIC args "any") RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_msg'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._msg(text, "any") IS
    'a message of wagecheck''s PL/pgSQL code translated into the session''s language, its %s and %N$s replaced by the arguments as format() does';
