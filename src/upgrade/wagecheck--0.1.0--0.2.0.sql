-- wagecheck 0.1.0 -> 0.2.0. Every change to src/*/*.sql after the 0.1.0 release is
-- repeated here; test/upgrade.sh compares an upgraded database with a fresh install.
\echo Use "ALTER EXTENSION wagecheck UPDATE TO '0.2.0'" to load this file. \quit
