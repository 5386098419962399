#!/usr/bin/env bash
# bench_workers.sh — what wage_month_workers costs a registration: the AFTER INSERT trigger
# on wagecheck.worker that recomputes the months of pay lines written before their worker (a
# load in replica mode) looks for each new worker's lines in pay_line's index on worker_id.
# 2,000 single-row INSERTs and a COPY of 20,000 workers, each with the trigger and with it
# disabled (the worker's other triggers, checks and indexes on), alternated, rolled back;
# pay_line holds 200,000 lines of 50,000 other workers, so the probe reads an index of a
# city's size. Prints the median of WC_BENCH_REPS (default 5) runs of each and the ratios.
# WC_BENCH_CLOCK=cpu times the backend's own CPU time (Linux), wall clock otherwise.
# Run by `make bench` (test/bench/run.sh sets PSQL and the cluster's environment).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
reps=${WC_BENCH_REPS:-5}
clock=${WC_BENCH_CLOCK:-wall}
db=wc_bench_workers
dir="$top/tmp/bench"
mkdir -p "$dir"
chmod a+rx "$top/tmp"
chmod a+rwx "$dir"    # the server reads the data file itself
data="$dir/workers.copy"

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
$PSQL -d $db -c "CREATE EXTENSION wagecheck" -f "$top/test/bench/gen_city.sql" >/dev/null
$PSQL -d $db <<SQL
SET client_min_messages = warning;
-- 22,000 new workers with valid identifiers (ids 100,001 on), and 200,000 lines of workers
-- 1 to 50,000 on 40 sheets, loaded as a restore loads them (no foreign key checked)
CREATE TABLE wc_bench.new_worker AS
SELECT 100000 + w AS worker_id,
       wc_bench.rid('371302' || to_char(date '1960-01-01' + w / 1000, 'YYYYMMDD') || lpad((w % 1000)::text, 3, '0'))
           ::wagecheck.resident_id AS resident_id,
       '工人' || w AS name, wc_bench.luhn('622848' || lpad(w::text, 12, '0'))::wagecheck.bank_card AS wage_card
  FROM generate_series(1, 22000) w;
SET session_replication_role = replica;
INSERT INTO wagecheck.pay_sheet (sheet_id, project_id, employer_id, period, prepared_on, created_at)
SELECT s, s, 1, date '2024-01-01' + (s % 12) * interval '1 month', '2024-02-05', '2024-02-05'
  FROM generate_series(1, 40) s;
INSERT INTO wagecheck.pay_line (line_id, sheet_id, worker_id, days, payable, net, created_at)
SELECT l, 1 + l % 40, 1 + l % 50000, 20, 5000, 5000, '2024-02-05' FROM generate_series(1, 200000) l;
RESET session_replication_role;
ANALYZE;
COPY (SELECT * FROM wc_bench.new_worker OFFSET 2000) TO '$data';
SQL

now="(CASE WHEN '$clock' = 'cpu' THEN split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::bigint / 1000000 ELSE (extract(epoch FROM clock_timestamp()) * 1000)::bigint END)"
# run ON KIND: the milliseconds of one run (ON 1: with the trigger; KIND single or copy)
run() {
  local off=""
  [ "$1" = 0 ] && off="ALTER TABLE wagecheck.worker DISABLE TRIGGER wage_month_workers;"
  if [ "$2" = single ]; then
    body="DO \$\$ DECLARE r record; BEGIN
            FOR r IN SELECT * FROM wc_bench.new_worker ORDER BY worker_id LIMIT 2000 LOOP
              INSERT INTO wagecheck.worker (worker_id, resident_id, name, wage_card)
              VALUES (r.worker_id, r.resident_id, r.name, r.wage_card);
            END LOOP; END \$\$;"
  else
    body="COPY wagecheck.worker (worker_id, resident_id, name, wage_card) FROM '$data';"
  fi
  $PSQL -d $db -At <<SQL | tail -n 1
SET client_min_messages = warning;
BEGIN;
$off
SELECT $now AS t0 \gset
$body
SELECT $now - :t0;
ROLLBACK;
SQL
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); clock: $clock"
printf '%-24s %8s %12s %12s %8s\n' write rows with without ratio
for kind in single copy; do
  with=(); without=()
  for r in $(seq "$reps"); do
    if [ $((r % 2)) = 1 ]; then with+=("$(run 1 $kind)"); without+=("$(run 0 $kind)")
    else without+=("$(run 0 $kind)"); with+=("$(run 1 $kind)"); fi
  done
  w=$(median "${with[@]}"); o=$(median "${without[@]}")
  printf '%-24s %8s %9s ms %9s ms %7sx\n' "$([ $kind = single ] && echo 'single-row INSERTs' || echo COPY)" \
    "$([ $kind = single ] && echo 2000 || echo 20000)" "$w" "$o" "$(awk -v a="$w" -v b="$o" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
$PSQL -d postgres -c "DROP DATABASE $db"
