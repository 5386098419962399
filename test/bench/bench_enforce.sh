#!/usr/bin/env bash
# bench_enforce: COPY of 1,000,000 dedicated-account movements (10 accounts, 1,000
# rostered workers; 20% inflows, 80% wages to the workers' own cards) into three
# tables of the same shape, in one run: without any trigger, with wagecheck's
# enforcing C trigger, and with an equivalent PL/pgSQL trigger (same lookups,
# same row-by-row running-balance check under a row lock, balance written once
# per statement through a transition table). Prints the three timings and ratios.
# Targets: C <= 1.3x no trigger; C >= 3x faster than PL/pgSQL.
# A fourth table has a statement trigger that only asks for the transition table
# and does nothing: PostgreSQL's own cost of capturing the rows, the floor under
# any statement-level trigger (the C trigger's own work is the rest).
# Each load is timed twice: wall clock, and the server backend's own CPU time
# (which does not count waiting for a core while others use the shared machine).
# Run by `make bench` (test/bench/run.sh sets PSQL and the cluster's environment).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rows=${WC_BENCH_ROWS:-1000000}
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
db=wc_bench_enforce
dir="$top/tmp/bench"
mkdir -p "$dir"
chmod a+rx "$top/tmp"
chmod a+rwx "$dir"    # the server writes and reads the data file itself
data="$dir/enforce_txn.tsv"

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
$PSQL -d $db <<SQL
CREATE EXTENSION wagecheck;
-- valid identifiers for the fixture: GB 11643 check character and Luhn digit
CREATE FUNCTION pg_temp.rid(body text) RETURNS text LANGUAGE sql AS \$\$
  SELECT body || substr('10X98765432', (sum(substr(body, i, 1)::int * w[i]) % 11)::int + 1, 1)
    FROM generate_series(1, 17) i,
         (SELECT ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2] AS w) k GROUP BY body \$\$;
CREATE FUNCTION pg_temp.luhn(body text) RETURNS text LANGUAGE sql AS \$\$
  SELECT body || ((10 - sum(CASE WHEN i % 2 = 1 THEN (2 * d) / 10 + (2 * d) % 10 ELSE d END) % 10) % 10)::text
    FROM (SELECT i, substr(reverse(body), i, 1)::int AS d FROM generate_series(1, length(body)) i) x \$\$;
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
SELECT 'B-' || p, '基准项目' || p, '371302', 'housing', 'government', 1, 2 FROM generate_series(1, 10) p;
INSERT INTO wagecheck.worker (resident_id, name, wage_card)
SELECT pg_temp.rid('3713021985' || lpad(((i - 1) / 28 % 12 + 1)::text, 2, '0')
                   || lpad(((i - 1) % 28 + 1)::text, 2, '0') || lpad(((i - 1) / 336)::text, 3, '0')),
       '工人' || i, pg_temp.luhn('622848' || lpad(i::text, 12, '0'))
  FROM generate_series(1, 1000) i;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
SELECT (w % 10) + 1, w, 2, '2026-01-01' FROM generate_series(1, 1000) w;
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT p, '农业银行临沂分行', '3721010400' || lpad(p::text, 5, '0'), '2026-01-05' FROM generate_series(1, 10) p;

CREATE SCHEMA bench;
CREATE TABLE bench.txn_plain (LIKE wagecheck.account_txn INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE bench.txn_c (LIKE wagecheck.account_txn INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE bench.txn_capture (LIKE wagecheck.account_txn INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE bench.txn_plpgsql (LIKE wagecheck.account_txn INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

-- named as wagecheck.attach() names it: enforce() refuses other triggers outside schema wagecheck
CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT ON bench.txn_c
    REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce('account_txn', 'project', 'id=txn_id',
        'account=account_id', 'direction=direction', 'amount=amount',
        'counterparty=counterparty_account', 'purpose=purpose');

CREATE FUNCTION bench.nothing() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NULL; END \$\$;
CREATE TRIGGER capture_only AFTER INSERT ON bench.txn_capture
    REFERENCING NEW TABLE AS captured FOR EACH STATEMENT EXECUTE FUNCTION bench.nothing();

-- the PL/pgSQL equivalent keeps its balances in a table of its own
CREATE TABLE bench.pl_balance (account_id bigint PRIMARY KEY, balance numeric(14,2) NOT NULL);
INSERT INTO bench.pl_balance SELECT account_id, balance FROM wagecheck.wage_account;
CREATE FUNCTION bench.enforce_row() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE
    a record;
    w record;
BEGIN
    SELECT wa.project_id, wa.closed_on, p.code, p.enforcement_mode INTO a
      FROM wagecheck.wage_account wa JOIN wagecheck.project p USING (project_id)
     WHERE wa.account_id = NEW.account_id;
    IF NOT FOUND THEN RETURN NEW; END IF;
    IF a.closed_on IS NOT NULL THEN
        RAISE EXCEPTION 'the dedicated wage account of project % is closed', a.code USING ERRCODE = 'WC005';
    END IF;
    IF NEW.direction = 'out' THEN
        IF NEW.purpose <> 'wage' THEN
            RAISE EXCEPTION 'money may leave the account of project % only as wages', a.code USING ERRCODE = 'WC001';
        END IF;
        SELECT wk.worker_id, wk.name,
               EXISTS (SELECT 1 FROM wagecheck.roster r
                        WHERE r.project_id = a.project_id AND r.worker_id = wk.worker_id) AS rostered
          INTO w
          FROM wagecheck.worker wk
         WHERE wk.wage_card OPERATOR(wagecheck.=) CASE WHEN wagecheck.is_valid_bank_card(NEW.counterparty_account)
                                     THEN NEW.counterparty_account::wagecheck.bank_card END
         ORDER BY 3 DESC, 1 LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'wages of project % must go to a registered card', a.code USING ERRCODE = 'WC002';
        ELSIF NOT w.rostered THEN
            RAISE EXCEPTION 'worker % is not on the roster of project %', w.name, a.code USING ERRCODE = 'WC001';
        END IF;
    END IF;
    RETURN NEW;
END \$\$;
CREATE FUNCTION bench.enforce_statement() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE
    r record;
BEGIN
    FOR r IN
        WITH d AS (SELECT account_id, txn_id,
                          CASE direction WHEN 'in' THEN amount ELSE -amount END AS delta FROM new_rows),
             run AS (SELECT account_id, sum(delta) OVER (PARTITION BY account_id ORDER BY txn_id) AS running,
                            delta FROM d)
        SELECT account_id, min(running) AS low, sum(delta) AS total FROM run GROUP BY account_id
    LOOP
        PERFORM 1 FROM bench.pl_balance b WHERE b.account_id = r.account_id FOR UPDATE;
        IF (SELECT balance FROM bench.pl_balance b WHERE b.account_id = r.account_id) + r.low < 0 THEN
            RAISE EXCEPTION 'account % would be overdrawn', r.account_id USING ERRCODE = 'WC003';
        END IF;
        UPDATE bench.pl_balance b SET balance = b.balance + r.total WHERE b.account_id = r.account_id;
    END LOOP;
    RETURN NULL;
END \$\$;
CREATE TRIGGER enforce_row BEFORE INSERT ON bench.txn_plpgsql
    FOR EACH ROW EXECUTE FUNCTION bench.enforce_row();
CREATE TRIGGER enforce_statement AFTER INSERT ON bench.txn_plpgsql
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bench.enforce_statement();

-- the movements: a large labour-cost inflow per account first, then 20% inflows
-- and 80% wages, each to a worker rostered on the account's project
CREATE TEMP TABLE cards AS SELECT w.worker_id, r.project_id, w.wage_card::text AS card,
       row_number() OVER (PARTITION BY r.project_id ORDER BY w.worker_id) - 1 AS k
  FROM wagecheck.worker w JOIN wagecheck.roster r USING (worker_id);
CREATE INDEX ON cards (project_id, k);
COPY (
  SELECT i, a, CASE WHEN i <= 10 OR i % 5 = 0 THEN 'in' ELSE 'out' END,
         CASE WHEN i <= 10 THEN 900000000.00 WHEN i % 5 = 0 THEN 3000.00 + i % 997 ELSE 1000.00 + i % 4000 END,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN '9558800001000000001' ELSE c.card END,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN 'labour_cost' ELSE 'wage' END,
         timestamptz '2026-01-10 09:00+08' + i * interval '1 second'
    FROM generate_series(1, $rows) i
    CROSS JOIN LATERAL (SELECT (i % 10) + 1 AS a) acc
    JOIN cards c ON c.project_id = acc.a AND c.k = (i / 10) % 100
   ORDER BY i
) TO '$data';
SQL

copy_cols="(txn_id, account_id, direction, amount, counterparty_account, purpose, booked_at)"
# timed_copy TABLE: "WALL CPU" milliseconds of one server-side COPY of the data file into an
# emptied TABLE: wall-clock time (psql's \timing) and the backend's own CPU time (Linux
# /proc/self/schedstat of the server process, read by the same session before and after;
# "-" where it cannot be read). On a shared machine the CPU time does not count the time the
# backend waited for a core, so its ratios hold when other work runs; the wall time does not.
timed_copy() {
  $PSQL -d $db -c "TRUNCATE $1" -c "CHECKPOINT" >/dev/null
  $PSQL -d $db -At -v ON_ERROR_STOP=1 <<SQL | awk '/^Time: / { w = $2 } /^cpu / { c = $2 } END { print w, c }'
SELECT coalesce(split_part(pg_read_file('/proc/self/schedstat', 0, 64, true), ' ', 1), '') AS cpu0 \gset
\\timing on
COPY $1 $copy_cols FROM '$data';
\\timing off
SELECT 'cpu ' || CASE WHEN :'cpu0' = '' THEN '-'
       ELSE ((split_part(pg_read_file('/proc/self/schedstat', 0, 64, true), ' ', 1)::bigint - :'cpu0'::bigint) / 1e6)::numeric(12,1)::text END;
SQL
}
# min A B: the smaller of two millisecond figures ("-" when either is).
min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else print (a + 0 < b + 0) ? a : b }'; }
# The machine is shared: no-trigger, capture-only and C runs alternate, best of $rounds each.
rounds=${WC_BENCH_ROUNDS:-3}
plain=999999999; ctrig=999999999; capture=999999999
plain_cpu=999999999; ctrig_cpu=999999999; capture_cpu=999999999
for r in $(seq "$rounds"); do
  read -r w c < <(timed_copy bench.txn_plain); plain=$(min "$plain" "$w"); plain_cpu=$(min "$plain_cpu" "$c")
  read -r w c < <(timed_copy bench.txn_capture); capture=$(min "$capture" "$w"); capture_cpu=$(min "$capture_cpu" "$c")
  read -r w c < <(timed_copy bench.txn_c); ctrig=$(min "$ctrig" "$w"); ctrig_cpu=$(min "$ctrig_cpu" "$c")
done
read -r pl pl_cpu < <(timed_copy bench.txn_plpgsql)
load=$(cut -d' ' -f1-3 /proc/loadavg)

$PSQL -d $db -At <<SQL
SELECT 'rows per table: ' || (SELECT count(*) FROM bench.txn_plain) || ', '
       || (SELECT count(*) FROM bench.txn_c) || ', ' || (SELECT count(*) FROM bench.txn_plpgsql);
SELECT 'balances agree (C trigger after $rounds loads, PL/pgSQL after 1, movements of one load): '
       || bool_and(a.balance = $rounds * m.total AND b.balance = m.total)
  FROM wagecheck.wage_account a
  JOIN bench.pl_balance b USING (account_id)
  JOIN (SELECT account_id, sum(CASE direction WHEN 'in' THEN amount ELSE -amount END) AS total
          FROM bench.txn_c GROUP BY account_id) m USING (account_id);
SQL
awk -v p="$plain" -v c="$ctrig" -v l="$pl" -v t="$capture" -v n="$rows" -v r="$rounds" \
    -v pc="$plain_cpu" -v cc="$ctrig_cpu" -v lc="$pl_cpu" -v tc="$capture_cpu" 'BEGIN {
  printf "COPY of %d movements (no trigger, capture only and C: best of %d):\n", n, r
  printf "  no trigger          %9.0f ms\n", p
  printf "  capture only        %9.0f ms   %.2fx no trigger   (no-op trigger with a transition table)\n", t, t / p
  printf "  C enforcing trigger %9.0f ms   %.2fx no trigger   (target <= 1.30x)\n", c, c / p
  printf "  PL/pgSQL trigger    %9.0f ms   C is %.1fx faster  (target >= 3x)\n", l, l / c
  if (pc != "-" && cc != "-" && tc != "-" && lc != "-") {
    printf "the server backend'"'"'s CPU time of the same loads (not counting waits for a core):\n"
    printf "  no trigger          %9.0f ms\n", pc
    printf "  capture only        %9.0f ms   %.2fx no trigger\n", tc, tc / pc
    printf "  C enforcing trigger %9.0f ms   %.2fx no trigger\n", cc, cc / pc
    printf "  PL/pgSQL trigger    %9.0f ms   C is %.1fx faster\n", lc, lc / cc
  }
}'
echo "  load average after the runs: $load (2 cores)"
[ -n "${WC_BENCH_KEEP:-}" ] || $PSQL -d postgres -c "DROP DATABASE $db"
[ -n "${WC_BENCH_KEEP:-}" ] || rm -f "$data"
