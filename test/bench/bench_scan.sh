#!/usr/bin/env bash
# bench_scan.sh — wagecheck.scan() over the generated city (test/bench/gen_city.sql) against
# a straightforward plain-SQL implementation of the same rules (scan_plain.sql) and against
# one sequential pass over the input tables; then a scan after one more day of data.
# Targets on the city-year (WC_BENCH_SCALE=1): scan ≥ 5× faster than plain SQL, ≤ 2× one
# sequential pass; the next day's scan ≤ 1 s. WC_BENCH_SCALE (default 0.1: the 1/10 city),
# WC_BENCH_RUNS (default 3: best of), WC_BENCH_PLAIN=0 to leave the plain SQL out,
# WC_BENCH_CLOCK (wall; cpu: the backend's CPU time, no parallel workers: a loaded machine
# disturbs it less). Prints
# timings, ratios and data sizes, and checks that the engine and the plain SQL find the same hits.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scale=${WC_BENCH_SCALE:-0.1}
runs=${WC_BENCH_RUNS:-3}
db=wc_bench_$(echo "$scale" | tr -c '0-9\n' '_')
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
as_of='2024-12-30 20:00:00+08'        # the full scan; the next day's scan is as of 12-31 20:00
next='2024-12-31 20:00:00+08'
rules="'RN01','RN02','RN03','RN04','AC01','AC02','AC03','AC04','AC05','WP01','WP02','WP03','WP04','WP05','WP06','WP07','DP01','NB01','QR01'"

if [ ! -f "$here/gen_city.sql" ]; then
  echo "bench_scan: test/bench/gen_city.sql (the city generator) is missing"; exit 1
fi
# The generated city is kept between runs in its own database (same scale, same seed: same data).
if ! $PSQL -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
   ! $PSQL -d "$db" -Atc "SELECT 1 FROM wc_bench.generated WHERE scale = $scale" 2>/dev/null | grep -q 1; then
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  $PSQL -d "$db" -c "CREATE EXTENSION wagecheck" -f "$here/gen_city.sql"
  t0=$(date +%s.%N)
  $PSQL -d "$db" -c "CALL wc_bench.gen_city($scale)"
  t1=$(date +%s.%N)
  $PSQL -d "$db" -c "CREATE TABLE wc_bench.generated AS SELECT $scale::numeric AS scale, $t1 - $t0 AS seconds"
fi

# "One more day" as it happens: the database holds what was known at the full scan's moment
# (rows created later are held back in wc_bench.held_<table>); after the full scan the rows
# known by the next day's moment arrive (inserted like the generator does, in replica mode,
# so the summaries' ENABLE ALWAYS triggers do their work), and the next day's scan runs.
held="enterprise project subcontract roster wage_account guarantee_deposit labour_cost_schedule
      pay_sheet pay_line account_txn wage_payment attendance"
# arrive UNTIL: moves the held-back rows known by UNTIL (all when 'infinity') into wagecheck.
arrive() {
  local sql="SET session_replication_role = replica; SET client_min_messages = warning;" t
  for t in $held; do
    sql="$sql CREATE TABLE IF NOT EXISTS wc_bench.held_$t (LIKE wagecheck.$t);
         INSERT INTO wagecheck.$t SELECT * FROM wc_bench.held_$t WHERE created_at <= '$1' ORDER BY created_at;
         DELETE FROM wc_bench.held_$t WHERE created_at <= '$1';"
  done
  $PSQL -d "$db" -c "BEGIN; $sql COMMIT;"
}
# hold_back AFTER: moves the rows created after AFTER out of wagecheck.
hold_back() {
  local sql="SET session_replication_role = replica; SET client_min_messages = warning;" t
  for t in $held; do
    sql="$sql CREATE TABLE IF NOT EXISTS wc_bench.held_$t (LIKE wagecheck.$t);
         WITH d AS (DELETE FROM wagecheck.$t WHERE created_at > '$1' RETURNING *)
         INSERT INTO wc_bench.held_$t SELECT * FROM d;"
  done
  $PSQL -d "$db" -c "BEGIN; $sql COMMIT;"
}
arrive infinity          # a previous run's held-back rows
hold_back "$as_of"
# the database now holds what was known at the full scan's moment: the change log of the
# rows moved out and back (whose moments would stay in reach of the next day) is forgotten
$PSQL -d "$db" -c "TRUNCATE wagecheck.input_change"
$PSQL -d "$db" -c "VACUUM ANALYZE"
$PSQL -d "$db" -At -c "SET TimeZone = 'Asia/Shanghai'; SELECT 'summaries exact at the full scan''s moment: wages ' || wagecheck._summary_exact('wages_owed', '$as_of') || ', attendance ' || wagecheck._summary_exact('attendance_months', '$as_of')"

# ms SQL...: runs the statements in one session and prints the elapsed milliseconds, or with
# WC_BENCH_CLOCK=cpu the backend's own CPU time (its schedstat, Linux; superuser), with no
# parallel workers, whose CPU it would not count.
clock=${WC_BENCH_CLOCK:-wall}
cpu_ns="split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::bigint"
ms() {
  local t0 t1 out
  if [ "$clock" = cpu ]; then
    out=$($PSQL -d "$db" -At -c "SET max_parallel_workers_per_gather = 0" -c "SELECT 'wc_cpu ' || $cpu_ns" "$@" \
            -c "SELECT 'wc_cpu ' || $cpu_ns" | grep '^wc_cpu ' | cut -d' ' -f2)
    echo $(( ($(echo "$out" | tail -n 1) - $(echo "$out" | head -n 1)) / 1000000 ))
    return
  fi
  t0=$(date +%s%N)
  $PSQL -d "$db" "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
# best CMD...: the best of $runs timings of `ms CMD...`.
best() {
  local b= t i
  for i in $(seq "$runs"); do
    t=$(ms "$@")
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  echo "$b"
}
reset_alerts="SET client_min_messages = warning; TRUNCATE wagecheck.alert_violation, wagecheck.rule_kept_hit, wagecheck.alert_event, wagecheck.alert, wagecheck.rule_scan; UPDATE wagecheck.rule SET enabled = code IN ($rules)"

echo "-- data (scale $scale):"
$PSQL -d "$db" -At -F ' ' <<SQL
SELECT format('%-22s %12s rows %10s', c.relname, to_char(c.reltuples::bigint, 'FM999,999,999'),
              pg_size_pretty(pg_total_relation_size(c.oid)))
  FROM pg_class c
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind = 'r'
   AND c.relname IN ('project', 'enterprise', 'subcontract', 'worker', 'roster', 'attendance', 'wage_account',
                     'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line', 'wage_payment',
                     'guarantee_deposit', 'violation')
 ORDER BY c.reltuples DESC;
SELECT format('%-22s %12s rows %10s', 'total', to_char(sum(c.reltuples)::bigint, 'FM999,999,999'),
              pg_size_pretty(sum(pg_total_relation_size(c.oid))))
  FROM pg_class c
 WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind = 'r'
   AND c.relname IN ('project', 'enterprise', 'subcontract', 'worker', 'roster', 'attendance', 'wage_account',
                     'account_txn', 'labour_cost_schedule', 'pay_sheet', 'pay_line', 'wage_payment',
                     'guarantee_deposit', 'violation');
SQL

# one sequential pass over every input table
seqpass="SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off; SET max_parallel_workers_per_gather = 0;"
for t in project enterprise subcontract worker roster attendance wage_account account_txn labour_cost_schedule \
         pay_sheet pay_line wage_payment guarantee_deposit violation; do
  seqpass="$seqpass SELECT count(*) FROM wagecheck.$t;"
done
t_seq=$(best -c "$seqpass")

# the full scan: every rule, no alert yet (all of them open)
t_scan=
for i in $(seq "$runs"); do
  $PSQL -d "$db" -c "$reset_alerts"
  t=$(ms -c "SET TimeZone = 'Asia/Shanghai'; SELECT count(*) FROM wagecheck.scan('$as_of')")
  if [ -z "$t_scan" ] || [ "$t" -lt "$t_scan" ]; then t_scan=$t; fi
done
# again at the same moment: nothing changes
t_again=$(ms -c "SET TimeZone = 'Asia/Shanghai'; SELECT count(*) FROM wagecheck.scan('$as_of')")
$PSQL -d "$db" -At -F ' ' -c "SELECT 'alerts after the scan: ' || sum(n) || ' (' || string_agg(n || ' ' || tier, ', ' ORDER BY tier) || ')' FROM (SELECT tier, count(*) AS n FROM wagecheck.alert GROUP BY tier) x"

# the plain-SQL implementation (WC_BENCH_PLAIN=0 skips it: 13 minutes on the full city)
if [ "${WC_BENCH_PLAIN:-1}" = 0 ]; then
  t_plain=0
  echo "plain SQL left out (WC_BENCH_PLAIN=0): no hit comparison"
else
t_plain=$(best -c "SET TimeZone = 'Asia/Shanghai'" -v as_of="$as_of" -f "$here/scan_plain.sql")
# same hits? the engine's live alerts after a scan from nothing are its hits (K ones not rectified)
$PSQL -d "$db" -At -F ' ' <<SQL
SET TimeZone = 'Asia/Shanghai';
WITH ours AS (SELECT rule_code AS rule, subject_kind, subject_id, period, tier AS level FROM wagecheck.alert
               WHERE state IN ('open', 'overdue')),
     plain AS (SELECT DISTINCT rule, subject_kind, subject_id, period, level FROM wc_plain.hit),
     diff AS ((SELECT * FROM ours EXCEPT SELECT * FROM plain) UNION ALL (SELECT * FROM plain EXCEPT SELECT * FROM ours))
SELECT 'hits: engine ' || (SELECT count(*) FROM ours) || ', plain SQL ' || (SELECT count(*) FROM plain)
       || ', differing ' || (SELECT count(*) FROM diff);
SELECT 'hits by rule: ' || string_agg(rule || ' ' || n, ', ' ORDER BY rule)
  FROM (SELECT rule, count(*) AS n FROM wc_plain.hit GROUP BY rule) x;
SQL
fi

# the next day: the day's rows arrive, then the same rules as of one day later
t0=$(date +%s%N); arrive "$next"; t1=$(date +%s%N); t_load=$(( (t1 - t0) / 1000000 ))
$PSQL -d "$db" -At -c "SET TimeZone = 'Asia/Shanghai'; SELECT 'the next day''s rows: ' || (SELECT count(*) FROM wagecheck.attendance WHERE created_at > '$as_of') || ' attendance, ' || (SELECT count(*) FROM wagecheck.pay_line WHERE created_at > '$as_of') || ' pay lines, ' || (SELECT count(*) FROM wagecheck.wage_payment WHERE created_at > '$as_of') || ' payments, ' || (SELECT count(*) FROM wagecheck.account_txn WHERE created_at > '$as_of') || ' account movements; summaries exact: wages ' || wagecheck._summary_exact('wages_owed', '$next') || ', attendance ' || wagecheck._summary_exact('attendance_months', '$next')"
t_day=$(ms -c "SET TimeZone = 'Asia/Shanghai'; SELECT count(*) FROM wagecheck.scan('$next')")
$PSQL -d "$db" -At -c "SELECT 'events of the next day''s scan: ' || count(*) FROM wagecheck.alert_event WHERE at = '$next'"

echo "-- timings (best of $runs, ms, $clock clock): one sequential pass $t_seq, scan() $t_scan, scan() again $t_again, plain SQL $t_plain, loading the next day's rows $t_load (wall), next day's scan $t_day"
awk -v s="$t_scan" -v p="$t_plain" -v q="$t_seq" -v d="$t_day" 'BEGIN {
  if (p > 0) printf "-- plain SQL / scan(): %.1fx (target >= 5)\n", p / s;
  printf "-- scan() / one sequential pass: %.2fx (target <= 2)\n", s / q;
  printf "-- next day'"'"'s scan: %.2f s (target <= 1)\n", d / 1000 }'
