#!/usr/bin/env bash
# valgrind.sh: pg_regress with the server under valgrind (memcheck). Starts the throwaway
# cluster's postmaster (tmp/data) under valgrind, so that every backend it forks is checked,
# runs pg_regress over a subset of sql/*.sql (below; WC_VALGRIND_TESTS names others, or
# "all"), stops the server and reads valgrind's reports (one file per process,
# tmp/valgrind/vg.PID.log, each report followed by the suppression that would hide it).
#
# Fails on any valgrind error (invalid read or write, use of uninitialised memory, bad
# free, ...) with a frame in wagecheck's code (a source file under src/ or wagecheck.so),
# and on a server crash. Errors of the server alone are listed as notes, not failures; the
# suppressions PostgreSQL itself needs (padding bytes written to files, its invalidation
# queue, its regex cache) are in test/tools/valgrind.supp. pg_regress differences are
# listed, not counted: tests that depend on timing may differ under valgrind's slowdown.
#
# Limitation: Debian's postgres is not built with USE_VALGRIND, so memory contexts do not
# tell valgrind which chunks of their blocks are allocated: reads and writes past a
# palloc'd chunk that stay inside the context's block, and use after pfree, are not seen;
# reads past malloc'd blocks, uninitialised values reaching a branch or a system call, and
# bad frees are. A server built with USE_VALGRIND catches the rest with this same script.
#
# Not part of `make test` (it takes tens of minutes); `make check-valgrind` runs it after
# the unit tests. Prints "valgrind: N errors in wagecheck code, N in the server alone".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# the server writes its reports and reads the tests' files: they live where it can reach
# (the cluster's directory outside the checkout, see test/tools/cluster.sh), linked as tmp/valgrind
eval "$(bash test/tools/cluster.sh env)"
out=$WC_RUNDIR/valgrind
supp=$top/test/tools/valgrind.supp
# The default subset: one test per area with C code (identifier types and their binary
# input, the enforcing triggers, attached legacy tables, parallel aggregates, working days,
# the lunar calendar, the case ledger's triggers, the alert engine, XML interchange: bank
# statements, payroll orders and ledgers through libxml2). Each takes 1-3 minutes
# under valgrind on 2 cores; WC_VALGRIND_TESTS=all runs the whole suite (48 tests, hours).
subset="ident_resident_id ident_copy enforce attach indicators_parallel calendar_workday calendar_lunar cases rule_op interchange interchange_ledgers"
tests=${WC_VALGRIND_TESTS:-$subset}
if [ "$tests" = all ]; then
  tests=$(ls sql/*.sql | xargs -n1 basename | sed 's/\.sql$//' | tr '\n' ' ')
fi

# run_as_owner CMD...: runs a server command as the cluster owner (postgres refuses root).
run_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# start_server: the cluster's postmaster under valgrind; waits until it accepts connections.
start_server() {
  local i
  run_as_owner valgrind --quiet --trace-children=yes --leak-check=no --track-origins=yes \
      --num-callers=30 --fullpath-after= --read-var-info=no --error-limit=no \
      --suppressions="$supp" --gen-suppressions=all --log-file="$out/vg.%p.log" \
      "$WC_BINDIR/postgres" -D "$WC_DATADIR" -c jit=off -c log_min_messages=warning \
      >"$out/server.log" 2>&1 &
  for i in $(seq 1 300); do
    if "$WC_BINDIR/pg_isready" -q; then return 0; fi
    sleep 1
  done
  cat "$out/server.log"; echo "the server did not start under valgrind"; return 1
}

# stop_server: a fast shutdown, waiting for every process (valgrind writes its reports at exit).
stop_server() {
  run_as_owner "$WC_BINDIR/pg_ctl" -D "$WC_DATADIR" -m fast -w -t 600 stop >/dev/null 2>&1 || true
}

# errors WHERE: prints valgrind's error reports, each a block of lines; WHERE is "ours"
# (reports with a frame in wagecheck's code) or "server" (the rest).
errors() {
  awk -v want="$1" -v src="$top/src/" '
    function flush() {
      if (blk != "") {
        ours = index(blk, src) > 0 || index(blk, "wagecheck.so") > 0
        if ((want == "ours") == ours) printf "%s\n", blk
      }
      blk = ""
    }
    /^==[0-9]+== (Invalid |Conditional jump|Use of uninitialised|Syscall param|Source and destination overlap|Mismatched free|Argument .* of function)/ { flush(); blk = $0; next }
    /^==[0-9]+== *$/ { flush(); next }
    /^==[0-9]+== / { if (blk != "") blk = blk "\n" $0; next }
    { flush() }
    END { flush() }
  ' "$out"/vg.*.log
}

command -v valgrind >/dev/null || { echo "valgrind is not installed (make deps)"; exit 1; }
bash test/tools/cluster.sh install
bash test/tools/cluster.sh start       # creates the cluster on first use
rm -rf "$out"; mkdir -p "$out/regress"
chmod a+rwx "$out" "$out/regress"
mkdir -p tmp; ln -sfn "$out" tmp/valgrind
eval "$(bash test/tools/cluster.sh env)"
bash test/tools/cluster.sh stop
trap stop_server EXIT

t0=$(date +%s)
start_server
echo "  server under valgrind; pg_regress over $(echo "$tests" | wc -w) tests"
rc=0
# shellcheck disable=SC2086
"$WC_PGXS_DIR/test/regress/pg_regress" --bindir="$WC_BINDIR" --inputdir=. \
    --outputdir="$out/regress" --dbname=wc_valgrind $tests >"$out/regress/run.log" 2>&1 || rc=$?
stop_server
trap - EXIT
echo "  pg_regress: $(grep -cE '(\.\.\. ok|^ok [0-9]+ )' "$out/regress/run.log") ok," \
     "$(grep -cE '(\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ )' "$out/regress/run.log") differ" \
     "(exit $rc) in $(( ($(date +%s) - t0) / 60 )) min $(( ($(date +%s) - t0) % 60 )) s"
grep -E 'FAILED|failed|^not ok' "$out/regress/run.log" | sed 's/^/    /' || true

status=0
ours=$(errors ours | grep -cE '^==[0-9]+== [A-Z]' || true)
server=$(errors server | grep -cE '^==[0-9]+== [A-Z]' || true)
if [ "$server" -gt 0 ]; then
  echo "  server-only reports (not failures; add a suppression to test/tools/valgrind.supp if harmless):"
  errors server | grep -E '^==[0-9]+== [A-Z]' | sed -E 's/^==[0-9]+== //' | sort | uniq -c | sed 's/^/    /'
fi
if [ "$ours" -gt 0 ]; then
  echo "  reports with a frame in wagecheck's code (full reports and suppressions in $out/vg.*.log):"
  errors ours | sed 's/^/    /'
  status=1
fi
if grep -aE 'server process \(PID [0-9]+\) (was terminated|exited with exit code [^01])|PANIC:' "$out/server.log"; then
  echo "  a server process crashed under valgrind"; status=1
fi
echo "valgrind: $ours errors in wagecheck code, $server in the server alone"
exit $status
