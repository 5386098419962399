#!/usr/bin/env bash
# `make test`: builds wagecheck, runs the plain-C unit tests, a short fuzz run of every
# parser, then pg_regress and pg_isolation_regress against a throwaway cluster in tmp/,
# the dump/restore and upgrade checks, the manual's checks and a bounded sqlsmith run.
# Ends with "N passed, N failed"; exits non-zero on any failure.
# Usage: run.sh [all|unit|fuzz|regress|isolation|dump|upgrade|docs|sqlsmith|check-valgrind]
#   unit            test/unit/test_*.c with src/core under ASan/UBSan
#   fuzz            every test/fuzz/fuzz_*.c under libFuzzer, WC_FUZZ_SECONDS each (default 10):
#                   the identifier parsers (resident_id, credit_code, bank_card, division_code),
#                   money (amounts to cents), outflow (the enforcing trigger's words and verdicts),
#                   changeset (the write-capture trigger's spans), caseno (case numbers),
#                   indicator_state (aggregate states), workday (working-day arithmetic),
#                   alert_fsm (the alert lifecycle of alert_transition and scan)
#   regress         pg_regress over sql/*.sql
#   isolation       pg_isolation_regress over test/isolation/specs/*.spec
#   dump, upgrade   test/dump_restore.sh, test/upgrade.sh
#   docs            the manual is well-formed and its object index is current
#   sqlsmith        test/sqlsmith.sh: random SQL as an analyst and a county officer
#                   (WC_SQLSMITH_QUERIES per role, default 8000), then NULL into every column
#                   of every table with a C trigger as an admin; fails on a server crash
#   check-valgrind  not in `all` (slow): the unit tests under valgrind, then pg_regress with
#                   the server under valgrind (test/valgrind.sh; WC_VALGRIND_TESTS for a subset)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
what=${1:-all}
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
fuzz_seconds=${WC_FUZZ_SECONDS:-10}
passed=0
failed=0
failures=()

# count NAME OK: adds one result to the summary.
count() {
  if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

# count_line NAME OUTPUT: adds the "N passed, N failed" totals found in OUTPUT.
count_line() {
  local line p f
  line=$(printf '%s\n' "$2" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  if [ -z "$line" ]; then count "$1" fail; return; fi
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -eq 0 ] || failures+=("$1")
}

core_sources() { ls src/core/*.c 2>/dev/null; }
dep_libs() { pkg-config --libs icu-uc icu-i18n; echo -lm; }

# build: compiles the extension (warnings are errors).
build() {
  echo "== build"
  make -s -j2 all >tmp/build.log 2>&1 || { cat tmp/build.log; echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
}

# run_unit [valgrind]: every test/unit/test_*.c linked with src/core, under ASan/UBSan or valgrind.
run_unit() {
  echo "== unit tests (plain C, no server)"
  local t bin out flags runner=()
  if [ "${1:-}" = valgrind ]; then
    flags="-O1 -g"; runner=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
  else
    flags="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
  fi
  mkdir -p tmp/unit
  for t in test/unit/test_*.c; do
    [ -e "$t" ] || continue
    bin=tmp/unit/$(basename "$t" .c)
    # shellcheck disable=SC2046
    if ! cc -std=gnu11 -Wall -Wextra -Werror $flags -Isrc -Itest/unit $(pkg-config --cflags icu-uc) \
        "$t" $(core_sources) $(dep_libs) -o "$bin" 2>tmp/unit/build.log; then
      cat tmp/unit/build.log; count "$t (build)" fail; continue
    fi
    out=$("${runner[@]}" "$bin" 2>&1); local rc=$?
    printf '%s\n' "$out" | grep -E 'FAIL|passed' | sed 's/^/  /'
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -qE '^[0-9]+ passed, [1-9]'; then
      printf '%s\n' "$out" | tail -n 30; count "$t (exit $rc)" fail
    fi
    count_line "$t" "$out"
  done
}

# run_fuzz: each test/fuzz/fuzz_*.c under libFuzzer with ASan/UBSan for a few seconds.
run_fuzz() {
  echo "== fuzz (libFuzzer, ${fuzz_seconds}s per target)"
  local t name bin log runs corpus
  mkdir -p tmp/fuzz
  for t in test/fuzz/fuzz_*.c; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .c)
    bin=tmp/fuzz/$name
    # shellcheck disable=SC2046
    if ! clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -Isrc $(pkg-config --cflags icu-uc) "$t" $(core_sources) $(dep_libs) -o "$bin" 2>tmp/fuzz/build.log; then
      cat tmp/fuzz/build.log; count "$name (build)" fail; continue
    fi
    corpus=tmp/fuzz/corpus-$name
    mkdir -p "$corpus"
    [ -d "test/fuzz/seeds/${name#fuzz_}" ] && cp -n test/fuzz/seeds/"${name#fuzz_}"/* "$corpus"/ 2>/dev/null
    log=tmp/fuzz/$name.log
    if "$bin" -max_total_time="$fuzz_seconds" -print_final_stats=1 -artifact_prefix=tmp/fuzz/ \
        "$corpus" >"$log" 2>&1; then
      runs=$(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}')
      echo "  $name: ok, ${runs:-?} executions"
      count "$name" ok
    else
      tail -n 40 "$log"; count "$name" fail
    fi
  done
}

# start_cluster: installs wagecheck into the private server tree and starts it.
start_cluster() {
  bash test/tools/cluster.sh install || { echo "install failed"; exit 1; }
  bash test/tools/cluster.sh start || { echo "cluster start failed"; exit 1; }
  eval "$(bash test/tools/cluster.sh env)"
  trap 'bash test/tools/cluster.sh stop' EXIT
}

# parse_pg_regress NAME LOG EXPECTED: counts each test line of a pg_regress run; a run
# that reports fewer tests than the EXPECTED number it was given (pg_regress stops early,
# e.g. on a missing expected file) counts as one more failure.
parse_pg_regress() {
  local ok bad
  ok=$(grep -cE '(\.\.\. ok|^ok [0-9]+ )' "$2")
  bad=$(grep -cE '(\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ )' "$2")
  passed=$((passed + ok)); failed=$((failed + bad))
  [ "$bad" -eq 0 ] || failures+=("$1: $bad")
  if [ $((ok + bad)) -lt "$3" ]; then
    tail -n 20 "$2"
    count "$1 (only $((ok + bad)) of $3 tests reported)" fail
  fi
}

# run_regress: pg_regress over sql/*.sql (each test creates the extension itself).
run_regress() {
  echo "== pg_regress"
  local tests
  tests=$(ls sql/*.sql 2>/dev/null | xargs -r -n1 basename | sed 's/\.sql$//')
  [ -n "$tests" ] || return 0
  rm -rf tmp/regress; mkdir -p tmp/regress
  # shellcheck disable=SC2086
  "$WC_PGXS_DIR/test/regress/pg_regress" --bindir="$WC_BINDIR" --inputdir=. \
      --outputdir=tmp/regress --dbname=wc_regress $tests >tmp/regress/run.log 2>&1
  sed 's/^/  /' tmp/regress/run.log | grep -E 'ok|FAIL|failed'
  parse_pg_regress pg_regress tmp/regress/run.log "$(echo $tests | wc -w)"
  [ -s tmp/regress/regression.diffs ] && cat tmp/regress/regression.diffs
}

# run_isolation: pg_isolation_regress over test/isolation/specs/*.spec.
run_isolation() {
  echo "== pg_isolation_regress"
  local specs
  specs=$(ls test/isolation/specs/*.spec 2>/dev/null | xargs -r -n1 basename | sed 's/\.spec$//')
  [ -n "$specs" ] || return 0
  rm -rf tmp/isolation; mkdir -p tmp/isolation
  # shellcheck disable=SC2086
  "$WC_PGXS_DIR/test/isolation/pg_isolation_regress" --bindir="$WC_BINDIR" \
      --inputdir=test/isolation --outputdir=tmp/isolation --dbname=wc_isolation $specs \
      >tmp/isolation/run.log 2>&1
  sed 's/^/  /' tmp/isolation/run.log | grep -E 'ok|FAIL|failed'
  parse_pg_regress pg_isolation_regress tmp/isolation/run.log "$(echo $specs | wc -w)"
  [ -s tmp/isolation/regression.diffs ] && cat tmp/isolation/regression.diffs
}

# run_dump_restore: pg_dump -> fresh database -> pg_restore keeps every row, id and check (one step).
run_dump_restore() {
  echo "== pg_dump / pg_restore round trip"
  local out
  if out=$(bash test/dump_restore.sh 2>&1); then
    echo "  $out"; count dump_restore ok
  else
    printf '%s\n' "$out" | sed 's/^/  /'; count dump_restore fail
  fi
}

# run_upgrade: each released version upgraded to the current one equals a fresh install (one step).
run_upgrade() {
  echo "== upgrade from released versions"
  local out
  if out=$(bash test/upgrade.sh 2>&1); then
    printf '%s\n' "$out" | sed 's/^/  /'; count upgrade ok
  else
    printf '%s\n' "$out" | sed 's/^/  /'; count upgrade fail
  fi
}

# run_sqlsmith: random SQL from sqlsmith and NULLs into the C triggers' tables; a server crash fails it (one step).
run_sqlsmith() {
  echo "== sqlsmith (random SQL as least-privileged roles) and a NULL sweep of the C triggers"
  if bash test/sqlsmith.sh; then
    count sqlsmith ok
  else
    count sqlsmith fail
  fi
}

# run_valgrind: pg_regress with the server under valgrind; an error in wagecheck's code fails it (one step).
run_valgrind() {
  echo "== pg_regress with the server under valgrind"
  if bash test/valgrind.sh; then
    count "pg_regress under valgrind" ok
  else
    count "pg_regress under valgrind" fail
  fi
}

# run_docs: the manual is well-formed DocBook and its object index matches the installed objects.
run_docs() {
  echo "== reference manual"
  if xmllint --noent --noout contrib-docs/wagecheck.sgml 2>tmp/docs.log; then
    count "docs well-formed" ok
  else
    cat tmp/docs.log; count "docs well-formed" fail
  fi
  if bash test/tools/objects-doc.sh tmp/objects.sgml && diff -u contrib-docs/objects.sgml tmp/objects.sgml; then
    echo "  object index: $(grep -c '^     <row>' tmp/objects.sgml) objects, all commented and listed"
    count "docs object index" ok
  else
    echo "  contrib-docs/objects.sgml is stale or an object lacks a COMMENT: run 'make docs'"
    count "docs object index" fail
  fi
  # the README's tour is the regression test sql/readme_tour.sql, verbatim
  if awk '/^## A five-minute tour/{t=1} t&&/^```sql/{c=1;next} c&&/^```/{exit} c' README.md \
      | diff -u sql/readme_tour.sql - >tmp/readme.diff; then
    count "README tour is sql/readme_tour.sql" ok
  else
    cat tmp/readme.diff; count "README tour is sql/readme_tour.sql" fail
  fi
  if grep -q UNDOCUMENTED tmp/objects.sgml; then
    grep UNDOCUMENTED tmp/objects.sgml; count "every object has a COMMENT" fail
  fi
}

mkdir -p tmp
case "$what" in
  unit) run_unit ;;
  fuzz) run_fuzz ;;
  check-valgrind) run_unit valgrind; build; run_valgrind ;;
  regress) build; start_cluster; run_regress ;;
  isolation) build; start_cluster; run_isolation ;;
  docs) build; start_cluster; run_docs ;;
  dump) build; start_cluster; run_dump_restore ;;
  upgrade) build; start_cluster; run_upgrade ;;
  sqlsmith) build; start_cluster; run_sqlsmith ;;
  all) build; run_unit; run_fuzz; start_cluster; run_regress; run_isolation; run_dump_restore; run_upgrade; run_docs
       run_sqlsmith ;;
  *) echo "usage: $0 [all|unit|fuzz|regress|isolation|dump|upgrade|docs|sqlsmith|check-valgrind]" >&2; exit 2 ;;
esac

echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
