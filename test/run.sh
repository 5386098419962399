#!/usr/bin/env bash
# `make test`: builds wagecheck, runs the plain-C unit tests, a short fuzz run of every
# parser, then pg_regress and pg_isolation_regress against a throwaway cluster in tmp/,
# the dump/restore and upgrade checks, the manual's checks, a bounded sqlsmith run and the
# BI clients.
# Ends with "N passed, N failed"; exits non-zero on any failure.
# Usage: run.sh [all|unit|fuzz|regress|isolation|dump|upgrade|docs|nls|clone|quick|sqlsmith|clients|check-valgrind]
#   unit            test/unit/test_*.c with src/core under ASan/UBSan
#   fuzz            every test/fuzz/fuzz_*.c under libFuzzer, WC_FUZZ_SECONDS each (default 10):
#                   the identifier parsers (resident_id, credit_code, bank_card, division_code),
#                   money (amounts to cents), outflow (the enforcing trigger's words and verdicts),
#                   changeset (the write-capture trigger's spans), caseno (case numbers),
#                   indicator_state (aggregate states), workday (working-day arithmetic),
#                   alert_fsm (the alert lifecycle of alert_transition and scan),
#                   xml_reader and xml_validate (bank statements streamed, schema validation)
#   regress         pg_regress over sql/*.sql
#   isolation       pg_isolation_regress over test/isolation/specs/*.spec
#   dump, upgrade   test/dump_restore.sh, test/upgrade.sh
#   docs            the manual is well-formed, its object index is current, it builds as HTML
#                   and each object of the index links to its section
#   nls             every message of the C code and of the PL/pgSQL code (RAISE through
#                   wagecheck._msg) has a translation in po/*.po
#   clone           the quick tests from a copy of the tree in a 0700 directory (mktemp -d)
#   quick           three regression tests (module, ident_copy, readme_tour)
#   sqlsmith        test/sqlsmith.sh: random SQL as an analyst and a county officer
#                   (WC_SQLSMITH_QUERIES per role, default 8000), then NULL into every column
#                   of every table with a C trigger as an admin; fails on a server crash
#   clients         test/clients/run.sh: pgjdbc and psqlODBC over TCP (127.0.0.1), as an analyst
#                   and a county officer, read every view for BI tools: types, Chinese text,
#                   local times, scope; then psql, pgjdbc and psqlODBC connect with the lines
#                   make demo prints (test/tools/cluster.sh connect)
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
dep_libs() { pkg-config --libs icu-uc icu-i18n libxml-2.0; echo -lm; }

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
    if ! cc -std=gnu11 -Wall -Wextra -Werror $flags -Isrc -Itest/unit $(pkg-config --cflags icu-uc libxml-2.0) \
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
        -Isrc $(pkg-config --cflags icu-uc libxml-2.0) "$t" $(core_sources) $(dep_libs) -o "$bin" 2>tmp/fuzz/build.log; then
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

# start_cluster: installs wagecheck into the private server tree and starts the cluster.
# A cluster that was already running (the demo's) is left running: the tests use
# databases of their own (wc_*), never wagecheck_demo or wagecheck_tour.
start_cluster() {
  bash test/tools/cluster.sh install || { echo "install failed"; exit 1; }
  if bash test/tools/cluster.sh status; then
    echo "  (the cluster was running; it stays running: the tests use their own databases)"
  else
    bash test/tools/cluster.sh start || { echo "cluster start failed"; exit 1; }
    echo "  (the cluster was not running: started for the tests, stopped again at the end)"
    trap 'bash test/tools/cluster.sh stop' EXIT
  fi
  eval "$(bash test/tools/cluster.sh env)"
}

# parse_pg_regress NAME LOG EXPECTED: counts each test line of a pg_regress run; a run
# that reports fewer tests than the EXPECTED number it was given (pg_regress stops early,
# e.g. on a missing expected file) counts as one more failure.
parse_pg_regress() {
  local ok bad names
  ok=$(grep -cE '(\.\.\. ok|^ok [0-9]+ )' "$2")
  # the failed tests by name, so that the summary's last lines say which ones
  names=$(grep -E '(\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ )' "$2" |
          sed -E 's/^(not ok [0-9]+ +- +|test +)//; s/ .*//')
  bad=$(printf '%s' "$names" | grep -c .)
  passed=$((passed + ok)); failed=$((failed + bad))
  [ "$bad" -eq 0 ] || failures+=("$1: $bad ($(echo $names))")
  if [ $((ok + bad)) -lt "$3" ]; then
    tail -n 20 "$2"
    count "$1 (only $((ok + bad)) of $3 tests reported)" fail
  fi
}

# run_regress [TEST...]: pg_regress over the TESTs, or sql/*.sql (each test creates the extension itself).
run_regress() {
  echo "== pg_regress"
  local tests="$*"
  [ -n "$tests" ] || tests=$(ls sql/*.sql 2>/dev/null | xargs -r -n1 basename | sed 's/\.sql$//')
  [ -n "$tests" ] || return 0
  # the server reads files the tests write (COPY FROM), so they go where it can reach
  rm -rf "${WC_RUNDIR:?}/regress" tmp/regress; mkdir -p "$WC_RUNDIR/regress"; ln -sfn "$WC_RUNDIR/regress" tmp/regress
  # shellcheck disable=SC2086
  "$WC_PGXS_DIR/test/regress/pg_regress" --bindir="$WC_BINDIR" --inputdir=. \
      --outputdir="$WC_RUNDIR/regress" --dbname=wc_regress $tests >tmp/regress/run.log 2>&1
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

# run_clients: real BI clients read the views for BI tools (each check counted).
run_clients() {
  echo "== BI clients (pgjdbc, psqlODBC over TCP)"
  local out
  out=$(bash test/clients/run.sh 2>&1)
  printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed'
  count_line "BI clients" "$out"
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
  # the README's tour is the regression test sql/readme_tour.sql, verbatim up to its clean-up
  if awk '/^## A five-minute tour/{t=1} t&&/^```sql/{c=1;next} c&&/^```/{exit} c' README.md \
      | diff -u <(sed "/^-- end of the README's tour/,\$d" sql/readme_tour.sql) - >tmp/readme.diff; then
    count "README tour is sql/readme_tour.sql" ok
  else
    cat tmp/readme.diff; count "README tour is sql/readme_tour.sql" fail
  fi
  # the manual builds as UTF-8 HTML without a warning, and each object of the index links
  # to a section that exists in the built pages
  if out=$(bash test/tools/html.sh tmp/html 2>&1); then
    echo "  html: $out"; count "manual builds as HTML" ok
    local html=tmp/html/wagecheck-objects.html rows target file frag bad=0 n=0
    rows=$(grep -c '^     <row>' contrib-docs/objects.sgml)
    while read -r target; do
      n=$((n + 1)); file=${target%%#*}; frag=${target#"$file"}; frag=${frag#\#}
      if [ ! -s "tmp/html/$file" ] || { [ -n "$frag" ] && ! grep -q "id=\"$frag\"" "tmp/html/$file"; }; then
        echo "  object index: link to a missing section: $target"; bad=$((bad + 1))
      fi
    done < <(grep -oP '<tr><td>[^<]*</td><td><a class="link" href="\K[^"]*' "$html")
    if [ "$n" -eq "$rows" ] && [ "$bad" -eq 0 ] && ! grep -q UNLINKED contrib-docs/objects.sgml \
       && grep -q 'charset=UTF-8' "$html"; then
      echo "  object index: all $rows objects link to their section"; count "object index links to sections" ok
    else
      echo "  object index: $n of $rows objects link to a section, $bad to a missing one"
      grep UNLINKED contrib-docs/objects.sgml | cut -c1-160
      count "object index links to sections" fail
    fi
  else
    printf '%s\n' "$out" | sed 's/^/  /'; count "manual builds as HTML" fail
  fi
  if grep -q UNDOCUMENTED tmp/objects.sgml; then
    grep UNDOCUMENTED tmp/objects.sgml; count "every object has a COMMENT" fail
  fi
}

# run_clone_check: a copy of the work tree in a directory only root may enter (mktemp -d,
# mode 0700, like /root or a Debian home) builds, starts its own cluster and passes a few
# regression tests (ident_copy has the server read a file the test wrote); the cluster it
# started before the tests still runs after them. The copy and its cluster are removed.
run_clone_check() {
  echo "== from a directory postgres cannot enter"
  local dir out
  dir=$(mktemp -d)
  chmod 0700 "$dir"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$dir" -xf -
  out=$(cd "$dir" && make -s -j2 all >build.log 2>&1 && bash test/tools/cluster.sh install \
        && bash test/tools/cluster.sh start && bash test/run.sh quick 2>&1)
  printf '%s\n' "$out" | grep -E '^ |passed' | sed 's/^/  /'
  count_line "0700 checkout: quick tests" "$out"
  if (cd "$dir" && bash test/tools/cluster.sh status); then
    echo "  0700 checkout: the running cluster was left running"; count "0700 checkout: running cluster left running" ok
  else
    [ -s "$dir/build.log" ] && tail -n 20 "$dir/build.log"
    count "0700 checkout: running cluster left running" fail
  fi
  (cd "$dir" && bash test/tools/cluster.sh destroy)
  [ "$(stat -c %a "$dir")" = 700 ] || count "0700 checkout: its directory kept mode 0700" fail
  rm -rf "$dir"
}

# run_nls: every message the C code raises or builds, and every text the PL/pgSQL code
# raises through wagecheck._msg, has a translation in each po/*.po (po/xgettext.sh, which
# also refuses a RAISE whose text bypasses wagecheck._msg; msgmerge without fuzzy
# matching, msgfmt --statistics: nothing untranslated or fuzzy), and every C file that
# raises includes nls.h (wagecheck's text domain).
run_nls() {
  echo "== messages in other languages (po/)"
  local po lang stats files
  mkdir -p tmp/po
  if ! bash po/xgettext.sh tmp/po/wagecheck.pot 2>tmp/po/xgettext.log; then
    cat tmp/po/xgettext.log; count "messages extracted" fail; return
  fi
  for po in po/*.po; do
    lang=$(basename "$po" .po)
    msgmerge --quiet --no-fuzzy-matching "$po" tmp/po/wagecheck.pot -o "tmp/po/$lang.po"
    stats=$(msgfmt -c --statistics -o /dev/null "tmp/po/$lang.po" 2>&1)
    if printf '%s\n' "$stats" | grep -qE '^[0-9]+ translated messages\.$'; then
      echo "  $lang: $stats"; count "messages: $lang translates every message" ok
    else
      echo "  $lang: $stats"
      msgattrib --only-fuzzy "tmp/po/$lang.po" 2>/dev/null | grep '^msgid' | grep -v '^msgid ""$' | head -n 20
      msgattrib --untranslated "tmp/po/$lang.po" 2>/dev/null | grep '^msgid' | head -n 20
      count "messages: $lang translates every message" fail
    fi
  done
  files=$(grep -lE '\b(ereport|errmsg|wc_psprintf)\b|[^a-z_]_\("' $(find src -name '*.c' ! -path 'src/core/*') \
          | xargs grep -L '#include "nls.h"' || true)
  if [ -z "$files" ]; then
    count "messages: every raising C file uses wagecheck's catalogue" ok
  else
    echo "  raising without nls.h (their messages would be looked up in the server's catalogue):" $files
    count "messages: every raising C file uses wagecheck's catalogue" fail
  fi
}

mkdir -p tmp
case "$what" in
  nls) run_nls ;;
  quick) build; start_cluster; run_regress module ident_copy readme_tour ;;
  clone) run_clone_check ;;
  unit) run_unit ;;
  fuzz) run_fuzz ;;
  check-valgrind) run_unit valgrind; build; run_valgrind ;;
  regress) build; start_cluster; run_regress ;;
  isolation) build; start_cluster; run_isolation ;;
  docs) build; start_cluster; run_docs ;;
  dump) build; start_cluster; run_dump_restore ;;
  upgrade) build; start_cluster; run_upgrade ;;
  sqlsmith) build; start_cluster; run_sqlsmith ;;
  clients) build; start_cluster; run_clients ;;
  all) build; run_unit; run_fuzz; run_nls; start_cluster; run_regress; run_isolation; run_dump_restore; run_upgrade
       run_docs; run_sqlsmith; run_clients; run_clone_check ;;
  *) echo "usage: $0 [all|unit|fuzz|regress|isolation|dump|upgrade|docs|nls|clone|quick|sqlsmith|clients|check-valgrind]" >&2; exit 2 ;;
esac

echo
if [ ${#failures[@]} -gt 0 ]; then
  # the start of each regression diff again, where a log's last lines show it
  for f in "${failures[@]}"; do
    case "$f" in
      "pg_regress: "*) d=tmp/regress/regression.diffs ;;
      "pg_isolation_regress: "*) d=tmp/isolation/regression.diffs ;;
      *) continue ;;
    esac
    [ -s "$d" ] && { echo "first lines of $d:"; head -n 16 "$d"; }
  done
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
