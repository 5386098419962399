-- Identifier types in unique btree indexes, hash indexes, hash joins and merge joins.
CREATE EXTENSION wagecheck;
SET search_path = wagecheck, public;

-- 2,000 rows of each type. Resident IDs come in as old 15-digit numbers (the check
-- character is computed on input); for the others the one check character that makes
-- the value valid is picked with is_valid_*.
CREATE TABLE people AS
  SELECT i, ('371302' || to_char(date '1960-01-01' + i * 7, 'YYMMDD') || lpad((i % 1000)::text, 3, '0'))::resident_id AS id
    FROM generate_series(1, 2000) AS i;
CREATE TABLE cards AS
  SELECT i, (SELECT (p || c)::bank_card FROM generate_series(0, 9) AS c WHERE is_valid_bank_card(p || c)) AS card
    FROM generate_series(1, 2000) AS i, LATERAL (SELECT '621700' || lpad(i::text, 12, '0') AS p) AS x;
CREATE TABLE firms AS
  SELECT i, (SELECT (p || c)::credit_code FROM unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) AS c
              WHERE is_valid_credit_code(p || c)) AS code
    FROM generate_series(1, 2000) AS i, LATERAL (SELECT '91371300MA' || lpad(i::text, 7, '0') AS p) AS x;
CREATE TABLE places AS
  SELECT i, ('37' || lpad(i::text, 4, '0'))::division_code AS d FROM generate_series(1, 2000) AS i;
SELECT (SELECT count(DISTINCT id) FROM people) AS people, (SELECT count(DISTINCT card) FROM cards) AS cards,
       (SELECT count(DISTINCT code) FROM firms) AS firms, (SELECT count(DISTINCT d) FROM places) AS places;

CREATE UNIQUE INDEX people_id ON people (id);
CREATE UNIQUE INDEX cards_card ON cards (card);
CREATE UNIQUE INDEX firms_code ON firms (code);
CREATE UNIQUE INDEX places_d ON places (d);
ANALYZE people, cards, firms, places;

-- Equality finds the row through the unique index, whatever form the literal takes.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT i FROM people WHERE id = '371302600108001';
SELECT i, id FROM people WHERE id = '３７１３０２ １９６００１０８ ００１６';
EXPLAIN (COSTS OFF) SELECT i FROM cards WHERE card = '6217 0000 0000 0012 348';
SELECT i, card FROM cards WHERE card = (SELECT card FROM cards WHERE i = 1234);
EXPLAIN (COSTS OFF) SELECT i FROM firms WHERE code = '91371300ma0000042x';
SELECT i, code FROM firms WHERE code = (SELECT code FROM firms WHERE i = 42);
EXPLAIN (COSTS OFF) SELECT i FROM places WHERE d = '３７１３０２';
SELECT i, d FROM places WHERE d = '371302';
-- Ranges use the btree too.
EXPLAIN (COSTS OFF) SELECT count(*) FROM places WHERE d >= '371300' AND d < '371400';
SELECT count(*) FROM places WHERE d >= '371300' AND d < '371400';

-- The unique index sees through the dirty form: the same number typed differently is a duplicate.
INSERT INTO people VALUES (0, '３７１３０２-１９６００１０８-００１６');
INSERT INTO places VALUES (0, '37-13-02');

-- Hash indexes.
CREATE INDEX people_id_hash ON people USING hash (id);
CREATE INDEX firms_code_hash ON firms USING hash (code);
DROP INDEX people_id, firms_code;
EXPLAIN (COSTS OFF) SELECT i FROM people WHERE id = '371302600108001';
SELECT i FROM people WHERE id = '371302600108001';
EXPLAIN (COSTS OFF) SELECT i FROM firms WHERE code = (SELECT code FROM firms f WHERE f.i = 42);
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Hash joins and merge joins.
CREATE TABLE crew AS SELECT id, i % 7 AS project FROM people WHERE i % 3 = 0;
ANALYZE crew;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM people p JOIN crew r ON r.id = p.id;
SELECT count(*) FROM people p JOIN crew r ON r.id = p.id;
SET enable_mergejoin = on;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM people p JOIN crew r ON r.id = p.id;
SELECT count(*) FROM people p JOIN crew r ON r.id = p.id;
RESET enable_hashjoin;
RESET enable_nestloop;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM firms a JOIN firms b ON a.code = b.code;
SELECT count(*) FROM firms a JOIN firms b ON a.code = b.code;
EXPLAIN (COSTS OFF) SELECT count(*) FROM cards a JOIN cards b ON a.card = b.card;
SELECT count(*) FROM cards a JOIN cards b ON a.card = b.card;
EXPLAIN (COSTS OFF) SELECT count(*) FROM places a JOIN places b ON a.d = b.d;
SELECT count(*) FROM places a JOIN places b ON a.d = b.d;
RESET enable_nestloop;
RESET enable_mergejoin;

-- GROUP BY and DISTINCT work with either strategy.
SELECT count(*) FROM (SELECT DISTINCT province(d) FROM places) AS x;
SELECT city(d), count(*) FROM places WHERE d <@ '371300' GROUP BY 1 ORDER BY 1;

DROP TABLE people, cards, firms, places, crew;
DROP EXTENSION wagecheck CASCADE;
