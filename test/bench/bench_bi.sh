#!/usr/bin/env bash
# bench_bi.sh — the views for BI tools on the generated city, each for a one-month slice
# (a county, the city, a sector) and a 12-month trend of the city, side by side with the
# plain-SQL aggregation over raw rows (bi_plain.sql: 0.1.0's definitions) and with a plain
# SELECT of the per-month summary rows of the same slice (wage_month and attendance_month,
# kept at write time, which the views read). Run by `make bench`, or alone with PSQL set.
# WC_BENCH_SCALE (default 0.1), WC_BENCH_RUNS (default 3: best of). Prints each timing, the
# ratios plain/view and view/summary, and whether view and plain SQL give the same figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scale=${WC_BENCH_SCALE:-0.1}
runs=${WC_BENCH_RUNS:-3}
db=wc_bench_$(echo "$scale" | tr -c '0-9\n' '_')
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
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
$PSQL -d "$db" -f "$here/bi_plain.sql" -c "VACUUM ANALYZE"
month=$($PSQL -d "$db" -Atc "SELECT max(period) - interval '5 months' FROM wagecheck.wage_month" | cut -c1-10)
county=$($PSQL -d "$db" -Atc "SELECT division::text FROM wagecheck.project GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
echo "city: scale $scale; slice month $month, county $county, sector housing"

# best_of SQL: best wall time in ms of $runs runs of SQL (every row fetched).
best_of() {
  local best="" t0 t1 ms i
  for i in $(seq "$runs"); do
    t0=$(date +%s%N)
    $PSQL -d "$db" -Atc "$1" >/dev/null
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
# same VIEW_SQL PLAIN_SQL: do the view and the plain SQL give the same figures (EXCEPT ALL both ways)?
same() {
  $PSQL -d "$db" -Atc "SELECT CASE WHEN NOT EXISTS (($1) EXCEPT ALL ($2)) AND NOT EXISTS (($2) EXCEPT ALL ($1))
                                   THEN 'yes' ELSE 'NO' END"
}

cols="period, projects, labour_cost_due, labour_cost_paid, labour_cost_shortfall, wages_payable, wages_paid"
cols="$cols, wages_owed, workers_owed, projects_owing, longest_owed_run, roster_size, workers_attended, workers_paid"
cols="$cols, payments, deposit_required, deposit_in_place"
printf '%-28s %9s %9s %9s %12s %13s %s\n' slice "view ms" "plain ms" "summ. ms" "plain/view" "view/summary" "same"
while IFS='|' read -r name view plain summary; do
  v=$(best_of "$view"); p=$(best_of "$plain"); s=$(best_of "$summary")
  printf '%-28s %9s %9s %9s %11sx %12sx %s\n' "$name" "$v" "$p" "$s" \
    "$(awk -v a="$p" -v b="$v" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')" \
    "$(awk -v a="$v" -v b="$s" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')" "$(same "$view" "$plain")"
done <<SQL
county, one month|SELECT county::text, $cols FROM wagecheck.county_month_indicators WHERE county::text = '$county' AND period = '$month'|SELECT county::text, $cols FROM wc_bench_plain.county_month_indicators WHERE county::text = '$county' AND period = '$month'|SELECT w.project_id, worker_id, payable, net, paid FROM wagecheck.wage_month w JOIN wagecheck.project p USING (project_id) WHERE p.division::text = '$county' AND w.period = '$month' UNION ALL SELECT a.project_id, worker_id, days, NULL, NULL FROM wagecheck.attendance_month a JOIN wagecheck.project p USING (project_id) WHERE p.division::text = '$county' AND a.period = '$month'
city, one month|SELECT city::text, $cols FROM wagecheck.city_month_indicators WHERE period = '$month'|SELECT city::text, $cols FROM wc_bench_plain.city_month_indicators WHERE period = '$month'|SELECT project_id, worker_id, payable, net, paid FROM wagecheck.wage_month WHERE period = '$month' UNION ALL SELECT project_id, worker_id, days, NULL, NULL FROM wagecheck.attendance_month WHERE period = '$month'
sector housing, one month|SELECT sector, $cols FROM wagecheck.sector_month_indicators WHERE sector = 'housing' AND period = '$month'|SELECT sector, $cols FROM wc_bench_plain.sector_month_indicators WHERE sector = 'housing' AND period = '$month'|SELECT w.project_id, worker_id, payable, net, paid FROM wagecheck.wage_month w JOIN wagecheck.project p USING (project_id) WHERE p.sector = 'housing' AND w.period = '$month' UNION ALL SELECT a.project_id, worker_id, days, NULL, NULL FROM wagecheck.attendance_month a JOIN wagecheck.project p USING (project_id) WHERE p.sector = 'housing' AND a.period = '$month'
city, 12-month trend|SELECT city::text, $cols FROM wagecheck.city_month_indicators|SELECT city::text, $cols FROM wc_bench_plain.city_month_indicators|SELECT project_id, worker_id, payable, net, paid FROM wagecheck.wage_month UNION ALL SELECT project_id, worker_id, days, NULL, NULL FROM wagecheck.attendance_month
SQL
