#!/usr/bin/env bash
# `make demo`: builds and installs wagecheck into tmp/, starts a throwaway cluster,
# creates database wagecheck_demo and runs the guided tour (test/demo/[0-9]*.sql, in order).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
mkdir -p tmp
make -s -j2 all >tmp/build.log 2>&1 || { cat tmp/build.log; exit 1; }
bash test/tools/cluster.sh install
bash test/tools/cluster.sh start
eval "$(bash test/tools/cluster.sh env)"
psql="$WC_BINDIR/psql -X -q"
$psql -d postgres -c 'DROP DATABASE IF EXISTS wagecheck_demo' -c 'CREATE DATABASE wagecheck_demo'
for f in test/demo/[0-9]*.sql; do
  echo
  echo "################ $(sed -n '1s/^-- *//p' "$f")"
  $psql -d wagecheck_demo --echo-queries -v ON_ERROR_STOP=0 -P pager=off -f "$f" 2>&1
done
echo
echo "The demo cluster is still running. Connect with:"
echo "  $WC_BINDIR/psql -h $PGHOST -p $PGPORT -U postgres wagecheck_demo"
echo "Stop it with: bash test/tools/cluster.sh stop"
