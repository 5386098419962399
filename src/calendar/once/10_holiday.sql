-- Calendar: the official holiday arrangements and working-day arithmetic.

CREATE TABLE wagecheck.holiday (
    day      date PRIMARY KEY
             CHECK (day BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'),
    kind     text NOT NULL CHECK (kind IN ('off', 'work')),
    name     text NOT NULL,
    shipped  boolean NOT NULL DEFAULT false
);

-- Rows users add (shipped = false) are configuration that pg_dump must keep.
SELECT pg_catalog.pg_extension_config_dump('wagecheck.holiday', 'WHERE NOT shipped');
