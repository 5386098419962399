#!/usr/bin/env bash
# clients/run.sh: real BI clients against the throwaway cluster, over TCP on 127.0.0.1 (the
# cluster's port): pgjdbc (BiJdbc.java, Debian libpostgresql-jdbc-java, run by the JDK's
# single-file launcher) and psqlODBC (bi_odbc.py: odbc-postgresql, unixodbc, python3-pyodbc),
# each as an analyst and as a county officer of 兰山区 (scope 371302): every view, with the
# number of rows each must read (counted as the superuser: all, or those of 371302),
# on database wc_clients built from the case tests' fixture, a labour-cost schedule per
# project and a scan. Needs PGHOST/PGPORT and WC_BINDIR (test/tools/cluster.sh env).
# Then the connection lines make demo prints, used as they are.
# Ends with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
psql=("$WC_BINDIR/psql" -X -q -v ON_ERROR_STOP=1)
jar=/usr/share/java/postgresql.jar
if [ ! -r "$jar" ] || ! command -v java >/dev/null || ! /usr/bin/python3 -c 'import pyodbc' 2>/dev/null; then
  echo "pgjdbc, java or pyodbc missing (test/tools/deps.sh installs them)"; echo "0 passed, 1 failed"; exit 1
fi
if [ "$("${psql[@]}" -d postgres -Atc "SHOW listen_addresses")" != "127.0.0.1" ]; then
  echo "the test cluster does not listen on 127.0.0.1 (made before test/tools/cluster.sh asked it to):"
  echo "run 'bash test/tools/cluster.sh stop && rm -rf tmp/data' once"; echo "0 passed, 1 failed"; exit 1
fi
"${psql[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS wc_clients" \
    -c "DROP ROLE IF EXISTS wc_client_analyst, wc_client_lanshan" -c "CREATE DATABASE wc_clients" >/dev/null || exit 1
"${psql[@]}" -d wc_clients >/dev/null <<'SQL' || exit 1
CREATE EXTENSION wagecheck;
\i test/regress/cases_fixture.sql
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES
    (1, '2020-04-01', 60000, '2020-04-10'), (2, '2020-05-01', 30000, '2020-05-10'),
    (3, '2020-06-01', 50000, '2020-06-10'), (4, '2020-07-01', 40000, '2020-07-10');
SELECT count(*) FROM wagecheck.scan();
CREATE ROLE wc_client_analyst LOGIN IN ROLE wagecheck_analyst;
CREATE ROLE wc_client_lanshan LOGIN IN ROLE wagecheck_county;
INSERT INTO wagecheck.officer_scope (officer, division_prefix) VALUES ('wc_client_lanshan', '371302');
SQL
# the rows each role must read of each view, counted as the superuser: all of them for the
# analyst; for the officer, those of his county (the roll-ups: the months of his county's projects)
expected() {
  "${psql[@]}" -d wc_clients -At -v c="$1" <<'SQL'
WITH p AS (SELECT * FROM wagecheck.project_month_indicators WHERE :'c' = 'all' OR county = :'c')
SELECT string_agg(v || '=' || n, ',') FROM (VALUES
  ('project_month_indicators', (SELECT count(*) FROM p)),
  ('county_month_indicators', (SELECT count(DISTINCT (county, period)) FROM p)),
  ('city_month_indicators', (SELECT count(DISTINCT (city, period)) FROM p)),
  ('sector_month_indicators', (SELECT count(DISTINCT (sector, period)) FROM p)),
  ('funding_month_indicators', (SELECT count(DISTINCT (funding, period)) FROM p)),
  ('supervision_ledger', (SELECT count(*) FROM wagecheck.supervision_ledger WHERE :'c' = 'all' OR county = :'c')),
  ('alert_board', (SELECT count(*) FROM wagecheck.alert_board WHERE :'c' = 'all' OR county = :'c'))) v(v, n);
SQL
}
url="jdbc:postgresql://127.0.0.1:$PGPORT/wc_clients"
passed=0; failed=0
for run in "pgjdbc wc_client_analyst all" "pgjdbc wc_client_lanshan 371302" \
           "psqlODBC wc_client_analyst all" "psqlODBC wc_client_lanshan 371302"; do
  set -- $run
  echo "  $1 as $2"
  if [ "$1" = pgjdbc ]; then
    out=$(java -Duser.timezone=UTC -cp "$jar" test/clients/BiJdbc.java "$url" "$2" "$3" "$(expected "$3")" 2>&1)
  else
    out=$(TZ=UTC /usr/bin/python3 test/clients/bi_odbc.py "$PGPORT" wc_clients "$2" "$3" "$(expected "$3")" 2>&1)
  fi
  printf '%s\n' "$out" | sed 's/^/  /'
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); continue; fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
done
# the connection lines make demo prints (test/tools/cluster.sh connect), used as they are:
# psql (as postgres), pgjdbc and psqlODBC (as the analyst) see the same alert board
echo "  the connection lines make demo prints (psql, JDBC URL, ODBC DSN)"
conn=$(bash test/tools/cluster.sh connect wc_clients wc_client_analyst)
sql="SELECT current_user, (SELECT count(*) FROM wagecheck.alert_board)"
want="postgres $("${psql[@]}" -d wc_clients -Atc "SELECT count(*) FROM wagecheck.alert_board")"
for kind in psql jdbc odbc; do
  line=$(printf '%s\n' "$conn" | sed -n "s/^$kind //p")
  case $kind in
    psql) got=$(eval "$line -X -At -F ' ' -c \"\$sql\"" 2>&1) ;;
    jdbc) got=$(java -cp "$jar" test/clients/Connect.java "$line" 2>&1); want=${want/#postgres/wc_client_analyst} ;;
    odbc) got=$(/usr/bin/python3 -c 'import sys, pyodbc; r = pyodbc.connect(sys.argv[1]).cursor().execute(sys.argv[2]).fetchone(); print(r[0], r[1])' "$line" "$sql" 2>&1) ;;
  esac
  if [ "$got" = "$want" ]; then
    echo "    ok   $kind: $got"; passed=$((passed + 1))
  else
    echo "    FAIL $kind: $line: got \"$got\", want \"$want\""; failed=$((failed + 1))
  fi
done
"${psql[@]}" -d postgres -c "DROP DATABASE wc_clients" -c "DROP ROLE wc_client_analyst, wc_client_lanshan" >/dev/null
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
