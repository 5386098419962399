#!/usr/bin/env bash
# bench_ident.sh — input speed of wagecheck.resident_id against plain text: COPY of
# the same 1,000,000 resident ID numbers into a resident_id column and into a text
# column, alternately, in one run; prints the median of each and their ratio. A
# second pair does the same with full-width, lower-case, spaced input (the ICU path).
# Uses $PSQL (exported by test/bench/run.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rows=${WC_BENCH_ROWS:-1000000}
rounds=${WC_BENCH_ROUNDS:-5}
dir="$top/tmp/bench"
mkdir -p "$dir"
chmod a+rx "$top/tmp" "$dir"
# the server writes and reads the data files: the directory belongs to the cluster owner
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
db="$PSQL -d wc_bench"

$PSQL -d postgres -c 'DROP DATABASE IF EXISTS wc_bench' -c 'CREATE DATABASE wc_bench'
$db <<SQL
CREATE EXTENSION wagecheck;
CREATE UNLOGGED TABLE in_text (v text);
CREATE UNLOGGED TABLE in_rid (v wagecheck.resident_id);
-- Valid numbers: old 15-digit numbers converted to 18 by the type itself.
COPY (SELECT (('371302' || to_char(date '1950-01-01' + (i % 18000), 'YYMMDD')
               || lpad((i % 1000)::text, 3, '0'))::wagecheck.resident_id)::text
        FROM generate_series(1, $rows) AS i) TO '$dir/ids_clean.txt';
-- The same numbers as clerks type them: full-width digits, lower-case x, spaces.
COPY (SELECT translate(substr(v, 1, 6) || ' ' || substr(v, 7, 8) || ' ' || substr(v, 15),
                       '0123456789X', '０１２３４５６７８９ｘ')
        FROM pg_read_file('$dir/ids_clean.txt') AS f, regexp_split_to_table(rtrim(f, E'\n'), E'\n') AS v)
  TO '$dir/ids_dirty.txt';
SQL

# copy_ms TABLE FILE: server time of one COPY of FILE into TABLE (emptied first), in ms.
copy_ms() {
  $db -c "TRUNCATE $1" -c '\timing on' -c "COPY $1 FROM '$dir/$2'" \
    | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
}

# median: the middle of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for input in clean dirty; do
  t_text=(); t_rid=()
  for ((r = 0; r < rounds; r++)); do
    t_text+=("$(copy_ms in_text ids_$input.txt)")
    t_rid+=("$(copy_ms in_rid ids_$input.txt)")
  done
  mt=$(printf '%s\n' "${t_text[@]}" | median)
  mr=$(printf '%s\n' "${t_rid[@]}" | median)
  check=$($db -At -c "SELECT count(*) FROM in_rid")
  printf 'COPY %s %s resident IDs (median of %s): text %.0f ms, resident_id %.0f ms, ratio resident_id/text %.2f (%s rows stored)\n' \
    "$rows" "$input" "$rounds" "$mt" "$mr" "$(awk -v a="$mr" -v b="$mt" 'BEGIN {print a / b}')" "$check"
done
$db -At -c "SELECT pg_size_pretty(pg_relation_size('in_text')) || ' as text, ' || pg_size_pretty(pg_relation_size('in_rid')) || ' as resident_id'" \
  | sed 's/^/table size: /'
$PSQL -d postgres -c 'DROP DATABASE wc_bench'
rm -f "$dir"/ids_clean.txt "$dir"/ids_dirty.txt
