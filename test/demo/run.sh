#!/usr/bin/env bash
# `make demo`: builds and installs wagecheck, starts this checkout's cluster (see
# test/tools/cluster.sh), builds the demo's databases quietly with test/demo/[0-9]*.sql
# (every statement and its result go to tmp/demo/tour.log) and tells their story
# (test/demo/story.sql). The demo lives in databases wagecheck_demo and
# wagecheck_demo_city, rebuilt by each run; nothing else on the cluster is touched.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
mkdir -p tmp/demo
echo "正在构建 wagecheck 并启动演示集群（约一至两分钟）……"
make -s -j2 all >tmp/build.log 2>&1 || { cat tmp/build.log; exit 1; }
bash test/tools/cluster.sh install
bash test/tools/cluster.sh start
eval "$(bash test/tools/cluster.sh env)"
psql="$WC_BINDIR/psql -X -q -P pager=off"
$psql -d postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS wagecheck_demo' \
      -c 'CREATE DATABASE wagecheck_demo'
log=tmp/demo/tour.log
: >"$log"
for f in test/demo/[0-9]*.sql; do
  echo "################ $(sed -n '1s/^-- *//p' "$f")" >>"$log"
  # the tour shows refused statements on purpose: errors are part of the log, not failures
  $psql -d wagecheck_demo --echo-queries -v ON_ERROR_STOP=0 -f "$f" >>"$log" 2>&1
done
# county names for the story: a demo-only table (the extension has no table of names)
for db in wagecheck_demo wagecheck_demo_city; do
  $psql -d "$db" -v ON_ERROR_STOP=1 >>"$log" 2>&1 <<'SQL' || { tail -n 20 "$log"; exit 1; }
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS demo;
DROP TABLE IF EXISTS demo.division;
CREATE TABLE demo.division (code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, parent text);
\copy demo.division FROM 'test/demo/divisions.csv' (FORMAT csv, HEADER)
SQL
done
# the demo is for reading: new sessions are read-only, so that nothing pasted into it (the
# README's tour belongs in wagecheck_tour) changes it; SET default_transaction_read_only = off
# to experiment anyway. The next `make demo` rebuilds both databases.
for db in wagecheck_demo wagecheck_demo_city; do
  $psql -d postgres -c "ALTER DATABASE $db SET default_transaction_read_only = on"
done
$psql -d wagecheck_demo -v ON_ERROR_STOP=1 -f test/demo/story.sql
# a login for BI tools: an analyst (wagecheck_analyst reads every view for BI tools, changes nothing)
$psql -d postgres -v ON_ERROR_STOP=1 >>"$log" 2>&1 <<'SQL' || { tail -n 20 "$log"; exit 1; }
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo_analyst') AS missing \gset
\if :missing
CREATE ROLE demo_analyst LOGIN IN ROLE wagecheck_analyst;
\endif
SQL
echo
echo "演示数据库仍在运行（make stop 停止，make start 再启动）。连接方式（可直接粘贴）："
bash test/tools/cluster.sh connect wagecheck_demo_city demo_analyst \
  | sed -e 's/^psql /  psql： /' -e 's/^jdbc /  JDBC： /' -e 's/^odbc /  ODBC： /'
echo "  （案件台账与专项行动在 wagecheck_demo；README 的五分钟导览请在 wagecheck_tour 中运行）"
echo "BI 工具（FineBI、Tableau、Excel 等）用上面的 JDBC、ODBC 经 TCP 连接 127.0.0.1:$PGPORT，以只读的分析员"
echo "demo_analyst 登录（本机信任认证）。ODBC 也可用 DSN：在 odbc.ini 写 [wagecheck_demo]、Driver = PostgreSQL Unicode、"
echo "  Servername = 127.0.0.1、Port = $PGPORT、Database = wagecheck_demo_city、Username = demo_analyst，"
echo "  再用 isql wagecheck_demo 或在 BI 工具中选 DSN wagecheck_demo"
echo "  视图：wagecheck.county_month_indicators、city_month_indicators、sector_month_indicators、alert_board、supervision_ledger 等"
