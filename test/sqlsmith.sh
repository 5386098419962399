#!/usr/bin/env bash
# sqlsmith.sh: random SQL against wagecheck, bounded and with fixed seeds. Builds database
# wc_sqlsmith from the guided tour's data (every test/demo/*.sql that stays in its own
# database: projects, workers, accounts, alerts, cases), then runs sqlsmith (Debian package
# `sqlsmith`) as two least-privileged login roles, never a superuser: an analyst
# (wagecheck_analyst) and a county officer of 兰山区 (wagecheck_county, scope 371302).
# sqlsmith runs every statement in a transaction it rolls back, so the data stay as loaded.
# Then a NULL sweep as an admin (wagecheck_admin): each column of each table with a C
# trigger set to NULL by an UPDATE and by an INSERT, each rolled back (null_sweep below).
#
# Fails when a server process crashes during a run: the postmaster logs "server process
# (PID n) was terminated by signal ..." (or exited with a code other than 0 and 1) followed
# by the query it was running, which is printed in full; sqlsmith marks the broken
# connection "C". The sweep names each statement that crashed the server and goes on.
# Prints, per role, the queries run, the time taken, the most frequent error messages and
# how many of wagecheck's functions the successful queries reached.
#
# Run by test/run.sh (one counted step) against the throwaway cluster; needs PGHOST/PGPORT,
# WC_BINDIR and the server log tmp/sock/server.log. Settings (environment):
#   WC_SQLSMITH_QUERIES  queries per role (default 8000)
#   WC_SQLSMITH_SEED     seed of the first role; the second uses seed + 1 (default 1)
#   WC_SQLSMITH_SECONDS  time limit per role; reaching it stops the run without failing (default 150)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
queries=${WC_SQLSMITH_QUERIES:-8000}
seed=${WC_SQLSMITH_SEED:-1}
limit=${WC_SQLSMITH_SECONDS:-150}
db=wc_sqlsmith
server_log=tmp/sock/server.log
out=tmp/sqlsmith
psql=("$WC_BINDIR/psql" -X -q -v ON_ERROR_STOP=1)

# setup: recreates the database with the tour's data and the two login roles.
setup() {
  local f
  "${psql[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
      -c "DROP ROLE IF EXISTS wc_sqlsmith_analyst, wc_sqlsmith_county" -c "CREATE DATABASE $db" >/dev/null
  for f in $(grep -L '^\\c' test/demo/[0-9]*.sql); do
    # the tour shows refused statements too: its errors are expected
    "$WC_BINDIR/psql" -X -q -d "$db" -f "$f" >/dev/null 2>&1 || { echo "loading $f failed"; return 1; }
  done
  "${psql[@]}" -d "$db" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE ROLE wc_sqlsmith_analyst LOGIN IN ROLE wagecheck_analyst;
CREATE ROLE wc_sqlsmith_county LOGIN IN ROLE wagecheck_county;
INSERT INTO wagecheck.officer_scope (officer, division_prefix, note)
VALUES ('wc_sqlsmith_county', '371302', '兰山区人社局');
-- wagecheck's operators need its schema on the path; errors are counted by sqlsmith,
-- not logged (a crash is logged by the postmaster whatever these say); track_functions
-- counts the calls of wagecheck's functions.
ALTER ROLE wc_sqlsmith_analyst IN DATABASE $db SET search_path = public, wagecheck;
ALTER ROLE wc_sqlsmith_county IN DATABASE $db SET search_path = public, wagecheck;
ALTER ROLE wc_sqlsmith_analyst IN DATABASE $db SET log_min_messages = fatal;
ALTER ROLE wc_sqlsmith_county IN DATABASE $db SET log_min_messages = fatal;
ALTER ROLE wc_sqlsmith_analyst IN DATABASE $db SET log_min_error_statement = panic;
ALTER ROLE wc_sqlsmith_county IN DATABASE $db SET log_min_error_statement = panic;
ALTER ROLE wc_sqlsmith_analyst IN DATABASE $db SET track_functions = 'all';
ALTER ROLE wc_sqlsmith_county IN DATABASE $db SET track_functions = 'all';
ANALYZE;
SQL
  if [ "$("${psql[@]}" -d "$db" -Atc 'SELECT count(*) FROM wagecheck.case_ledger')" -eq 0 ]; then
    echo "the tour's data did not load (no case in wagecheck.case_ledger)"; return 1
  fi
}

# crashes FROM: prints the postmaster's crash reports in the server log after byte FROM.
crashes() {
  tail -c +"$(($1 + 1))" "$server_log" \
    | grep -aE -A2 'server process \(PID [0-9]+\) (was terminated|exited with exit code [^01])|PANIC:' || true
}

# crashed_query FROM DUMP: the full text of the query the first crashed process after byte
# FROM was running (the server log keeps its first 1023 bytes), found among sqlsmith's
# dump of every query it generated.
crashed_query() {
  local prefix=$out/crash-prefix
  tail -c +"$(($1 + 1))" "$server_log" | awk '
    done { next }
    /Failed process was running: / { sub(/.*Failed process was running: /, ""); q = $0; on = 1; next }
    on && /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] / { done = 1; next }
    on { sub(/^\t/, ""); q = q "\n" $0 }
    END { printf "%s", q }' >"$prefix"
  [ -s "$prefix" ] || return 0
  awk -v RS=';\n' 'NR == FNR { p = $0; next } index($0, p) == 1 { print $0 ";"; exit }' "$prefix" "$2"
}

# smith ROLE SEED: one bounded sqlsmith run as ROLE; fails on a crash.
smith() {
  local role=$1 s=$2 log=$out/$1.log start t0 rc=0 n called total crashed
  start=$(stat -c %s "$server_log")
  "${psql[@]}" -d "$db" -c 'SELECT pg_stat_reset()' >/dev/null
  t0=$(date +%s)
  timeout "$limit" sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$db user=$role" \
      --seed="$s" --max-queries="$queries" --exclude-catalog --verbose --dump-all-queries \
      >"$out/$role.sql" 2>"$log" || rc=$?
  # one character per query: . ok, e error, t timeout, S syntax error, C broken connection
  n=$(grep -aE '^[.etSC]+$' "$log" | tr -d '\n' | wc -c)
  echo "  $role (seed $s): $n queries in $(($(date +%s) - t0)) s, error rate $(grep -a 'error rate' "$log" | tail -n 1 | awk '{print $3}')"
  if [ "$rc" -eq 124 ]; then
    echo "  $role: stopped by the ${limit}s time limit before $queries queries"
  elif [ "$rc" -ne 0 ]; then
    tail -n 20 "$log"; echo "  $role: sqlsmith failed (exit $rc)"; return 1
  fi
  # the most frequent errors of sqlsmith's last report (messages cut at 80 characters)
  awk '/^queries: /{blk=""} /^[0-9]+\t/{blk=blk "    " $0 "\n"} END{printf "%s", blk}' "$log" \
    | sort -t$'\t' -k1,1nr | head -n 8
  sleep 1   # the backends' function counts reach the statistics when they exit
  called=$("${psql[@]}" -d "$db" -Atc "SELECT count(*) FROM pg_stat_user_functions WHERE schemaname = 'wagecheck'")
  total=$("${psql[@]}" -d "$db" -Atc "SELECT count(*) FROM pg_proc WHERE pronamespace = 'wagecheck'::regnamespace")
  echo "  $role: $called of $total wagecheck functions called"
  crashed=$(crashes "$start")
  if [ -n "$crashed" ] || grep -aqE '^[.etS]*C' "$log"; then
    echo "  $role: SERVER CRASH"
    printf '%s\n' "$crashed" | sed 's/^/    /'
    echo "  the query that crashed it, in full (every query of the run: $out/$role.sql):"
    crashed_query "$start" "$out/$role.sql" | sed 's/^/    /'
    return 1
  fi
  rm -f "$out/$role.sql"   # 1-2 kB a query: kept only when there is a crash to read
}

# null_sweep: every column of every table with a C trigger set to NULL, by UPDATE of a row
# and by INSERT of a copy of it, one statement per transaction, rolled back, as an admin
# (wagecheck_admin); sqlsmith seldom writes a NULL into the one column a trigger reads.
# Errors are expected; a crash fails, naming the statement.
null_sweep() {
  local rel start n from line errors=0 total=0 crashed status=0
  start=$(stat -c %s "$server_log")
  "${psql[@]}" -d "$db" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS wc_sqlsmith_admin" \
      -c "CREATE ROLE wc_sqlsmith_admin LOGIN IN ROLE wagecheck_admin" \
      -c "ALTER ROLE wc_sqlsmith_admin IN DATABASE $db SET log_min_messages = fatal" >/dev/null
  local tables="SELECT DISTINCT t.tgrelid::regclass AS rel FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        JOIN pg_language l ON l.oid = p.prolang
       WHERE NOT t.tgisinternal AND l.lanname = 'c' AND p.pronamespace = 'wagecheck'::regnamespace"
  # legacy tables with the enforcing trigger attached belong to their owners
  "${psql[@]}" -d "$db" -Atc "SELECT format('GRANT SELECT, INSERT, UPDATE ON %s TO wc_sqlsmith_admin', rel)
      FROM ($tables) t JOIN pg_class c ON c.oid = t.rel WHERE c.relnamespace <> 'wagecheck'::regnamespace" \
    | "${psql[@]}" -d "$db" >/dev/null
  for rel in $("${psql[@]}" -d "$db" -Atc "$tables"); do
    "${psql[@]}" -d "$db" -Atc "
      WITH c AS (SELECT attname, attnum FROM pg_attribute
                  WHERE attrelid = '$rel'::regclass AND attnum > 0 AND NOT attisdropped
                    AND attgenerated = '' AND attidentity <> 'a')
      SELECT format('BEGIN; UPDATE ONLY %s SET %I = NULL WHERE ctid = (SELECT ctid FROM ONLY %s LIMIT 1); ROLLBACK;',
                    '$rel', attname, '$rel') FROM c
      UNION ALL
      SELECT format('BEGIN; INSERT INTO %s (%s) SELECT %s FROM ONLY %s LIMIT 1; ROLLBACK;', '$rel',
                    (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM c),
                    (SELECT string_agg(CASE WHEN c2.attnum = c.attnum THEN 'NULL' ELSE quote_ident(c2.attname) END,
                                       ', ' ORDER BY c2.attnum) FROM c c2), '$rel') FROM c" >"$out/nulls.sql"
    n=$(wc -l <"$out/nulls.sql")
    total=$((total + n))
    from=1
    while [ "$from" -le "$n" ]; do
      tail -n +"$from" "$out/nulls.sql" >"$out/nulls-run.sql"
      PGOPTIONS="-c statement_timeout=5s" "$WC_BINDIR/psql" -X -q -U wc_sqlsmith_admin -d "$db" \
          -f "$out/nulls-run.sql" >/dev/null 2>"$out/nulls.err" || true
      errors=$((errors + $(grep -c 'ERROR:' "$out/nulls.err" || true)))
      # psql stops when its server process dies: go on after the statement that killed it
      line=$(grep -m1 -E '^psql:[^:]*:[0-9]+: server closed the connection' "$out/nulls.err" \
               | cut -d: -f3 || true)
      [ -n "$line" ] || break
      echo "  NULL sweep: SERVER CRASH: $(sed -n "$((from + line - 1))p" "$out/nulls.sql")"
      status=1
      from=$((from + line))
      for _ in $(seq 1 30); do "$WC_BINDIR/pg_isready" -q && break; sleep 1; done
    done
  done
  echo "  NULL sweep as wc_sqlsmith_admin: $total statements on the tables with C triggers, $errors refused"
  crashed=$(crashes "$start")
  if [ -n "$crashed" ] || [ $status -ne 0 ]; then
    printf '%s\n' "$crashed" | sed 's/^/    /'
    return 1
  fi
}

rm -rf "$out"; mkdir -p "$out"
command -v sqlsmith >/dev/null || { echo "sqlsmith is not installed (make deps)"; exit 1; }
setup
status=0
smith wc_sqlsmith_analyst "$seed" || status=1
smith wc_sqlsmith_county "$((seed + 1))" || status=1
null_sweep || status=1
exit $status
