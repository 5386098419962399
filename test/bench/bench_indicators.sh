#!/usr/bin/env bash
# bench_indicators.sh — wagecheck's indicator aggregates against the plain-SQL equivalent
# (window functions, gaps-and-islands, count of distinct flags) on the generated city.
# Run by `make bench` (which starts the throwaway cluster and sets PSQL), or alone with
# PSQL set.  WC_BENCH_SCALE (default 0.1: the 1/10 city), WC_BENCH_RUNS (default 3: best of).
# Prints each timing, the ratio plain/ours, and checks that both give the same answer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scale=${WC_BENCH_SCALE:-0.1}
runs=${WC_BENCH_RUNS:-3}
db=wc_bench_$(echo "$scale" | tr -c '0-9\n' '_')
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
# JIT compilation (hundreds of ms per query here, from cost estimates) would swamp both sides.
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"

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
$PSQL -d "$db" -At -F ' ' -c "SELECT 'city: scale ' || scale || ', generated in ' || round(seconds::numeric, 1) || ' s' FROM wc_bench.generated" \
  -c "SELECT relname || ' ' || n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'wagecheck' AND n_live_tup > 0 ORDER BY n_live_tup DESC"

# Inputs of each indicator, materialised once so that both sides read the same rows.
$PSQL -d "$db" <<'SQL'
DROP TABLE IF EXISTS wc_bench.in_owed, wc_bench.in_labour, wc_bench.in_cov;
CREATE TABLE wc_bench.in_owed AS     -- worker-months: net pay (实发) and paid per project
SELECT s.project_id, l.worker_id, s.period, sum(l.net) AS payable, coalesce(sum(p.paid), 0) AS paid
  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)
  LEFT JOIN (SELECT line_id, sum(amount) AS paid FROM wagecheck.wage_payment GROUP BY 1) p USING (line_id)
 GROUP BY 1, 2, 3;
CREATE TABLE wc_bench.in_labour AS   -- schedule rows and the owner's payments in
SELECT project_id, due_on AS day, amount_due AS due, 0::numeric AS paid FROM wagecheck.labour_cost_schedule
UNION ALL
SELECT a.project_id, (t.booked_at AT TIME ZONE 'Asia/Shanghai')::date, 0, t.amount
  FROM wagecheck.account_txn t JOIN wagecheck.wage_account a USING (account_id)
 WHERE t.direction = 'in' AND t.purpose = 'labour_cost';
CREATE TABLE wc_bench.in_cov AS      -- one row per attendance day, pay line and payment
SELECT project_id, date_trunc('month', day)::date AS period, worker_id,
       false AS rostered, true AS attended, false AS on_payroll, false AS paid FROM wagecheck.attendance
UNION ALL
SELECT s.project_id, s.period, l.worker_id, false, false, true, false
  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)
UNION ALL
SELECT s.project_id, s.period, l.worker_id, false, false, false, true
  FROM wagecheck.wage_payment p JOIN wagecheck.pay_line l USING (line_id) JOIN wagecheck.pay_sheet s USING (sheet_id);
VACUUM ANALYZE wc_bench.in_owed, wc_bench.in_labour, wc_bench.in_cov;
SQL

# The three pairs: ours and plain SQL give the same rows (checked below).
read -r -d '' owed_ours <<'SQL' || true
SELECT project_id, worker_id, (o).owed, (o).months_owed, (o).longest_run, (o).oldest_unpaid
  FROM (SELECT project_id, worker_id, wagecheck.owed_agg(period, payable, paid) o
          FROM wc_bench.in_owed GROUP BY 1, 2) s
SQL
read -r -d '' owed_plain <<'SQL' || true
WITH m AS (
  SELECT project_id, worker_id, period, greatest(payable - paid, 0) AS owed,
         (extract(year FROM period) * 12 + extract(month FROM period))::int
           - row_number() OVER (PARTITION BY project_id, worker_id, payable > paid ORDER BY period)::int AS island
    FROM wc_bench.in_owed
), runs AS (
  SELECT project_id, worker_id, max(len) AS longest
    FROM (SELECT project_id, worker_id, count(*) AS len FROM m WHERE owed > 0
           GROUP BY project_id, worker_id, island) r
   GROUP BY project_id, worker_id
), totals AS (
  SELECT project_id, worker_id, sum(owed)::numeric(20,2) AS owed, count(*) FILTER (WHERE owed > 0)::int AS months_owed,
         min(period) FILTER (WHERE owed > 0) AS oldest_unpaid
    FROM m GROUP BY project_id, worker_id
)
SELECT t.project_id, t.worker_id, t.owed, t.months_owed, coalesce(r.longest, 0)::int, t.oldest_unpaid
  FROM totals t LEFT JOIN runs r USING (project_id, worker_id)
SQL
read -r -d '' labour_ours <<'SQL' || true
SELECT project_id, d, (l).shortfall, (l).days_overdue
  FROM (SELECT project_id, d, wagecheck.labour_cost_agg(day, due, paid, d) l
          FROM wc_bench.in_labour, generate_series(date '2024-01-31', '2024-12-31', interval '1 month') g,
               LATERAL (SELECT g::date AS d) x
         GROUP BY 1, 2) s
SQL
read -r -d '' labour_plain <<'SQL' || true
WITH asof AS (SELECT g::date AS d FROM generate_series(date '2024-01-31', '2024-12-31', interval '1 month') g),
paid AS (SELECT project_id, d, coalesce(sum(paid) FILTER (WHERE day <= d), 0) AS paid
           FROM wc_bench.in_labour, asof GROUP BY 1, 2),
dues AS (SELECT i.project_id, a.d, i.day, sum(i.due) OVER (PARTITION BY i.project_id, a.d ORDER BY i.day) AS cum
           FROM wc_bench.in_labour i, asof a WHERE i.due > 0 AND i.day <= a.d)
SELECT p.project_id, p.d, greatest(coalesce(max(x.cum), 0) - p.paid, 0),
       coalesce(p.d - min(x.day) FILTER (WHERE x.cum > p.paid), 0)
  FROM paid p LEFT JOIN dues x USING (project_id, d)
 GROUP BY p.project_id, p.d, p.paid
SQL
read -r -d '' cov_ours <<'SQL' || true
SELECT project_id, period, (c).attended, (c).on_payroll, (c).paid, (c).attended_on_payroll, (c).attended_paid
  FROM (SELECT project_id, period, wagecheck.coverage_agg(worker_id, rostered, attended, on_payroll, paid) c
          FROM wc_bench.in_cov GROUP BY 1, 2) s
SQL
read -r -d '' cov_plain <<'SQL' || true
SELECT project_id, period, count(*) FILTER (WHERE a), count(*) FILTER (WHERE o), count(*) FILTER (WHERE p),
       count(*) FILTER (WHERE a AND o), count(*) FILTER (WHERE a AND p)
  FROM (SELECT project_id, period, worker_id, bool_or(attended) a, bool_or(on_payroll) o, bool_or(paid) p
          FROM wc_bench.in_cov GROUP BY 1, 2, 3) w
 GROUP BY 1, 2
SQL

# best_of SQL: best wall time in ms of $runs runs of SQL.  Every column of every row is
# hashed (a bare count(*) would let the planner skip computing unused columns).
best_of() {
  local best="" t0 t1 ms
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    $PSQL -d "$db" -Atc "SELECT count(*), sum(hashtext(q::text)) FROM ($1) q" >/dev/null
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

printf '%-34s %10s %10s %8s %s\n' indicator "ours ms" "plain ms" ratio "same result"
for name in owed labour cov; do
  ours_sql=${name}_ours
  plain_sql=${name}_plain
  same=$($PSQL -d "$db" -Atc "SELECT NOT EXISTS ((${!ours_sql}) EXCEPT ALL (${!plain_sql}))
                                 AND NOT EXISTS ((${!plain_sql}) EXCEPT ALL (${!ours_sql}))")
  rows=$($PSQL -d "$db" -Atc "SELECT count(*) FROM (${!ours_sql}) q")
  ours=$(best_of "${!ours_sql}")
  plain=$(best_of "${!plain_sql}")
  case $name in
    owed) label="owed + longest run per worker" ;;
    labour) label="labour cost, 12 month-ends" ;;
    cov) label="attendance vs payroll per proj-month" ;;
  esac
  printf '%-34s %10s %10s %7sx %s (%s rows)\n' "$label" "$ours" "$plain" \
    "$(awk -v a="$plain" -v b="$ours" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')" "$same" "$rows"
  [ "$same" = t ] || { echo "results differ for $name" >&2; exit 1; }
done
