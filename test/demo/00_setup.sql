-- Setting up: the extension in a fresh database
CREATE EXTENSION wagecheck;
SELECT wagecheck.version() AS wagecheck_version;
