#!/usr/bin/env bash
# `make bench`: builds, installs into tmp/, starts the throwaway cluster and runs every
# test/bench/bench_*.sh (each prints its timings and ratios). Not part of `make test`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
mkdir -p tmp
make -s -j2 all >tmp/build.log 2>&1 || { cat tmp/build.log; exit 1; }
bash test/tools/cluster.sh install
bash test/tools/cluster.sh start
eval "$(bash test/tools/cluster.sh env)"
export PSQL="$WC_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
for b in "${@:-test/bench/bench_*.sh}"; do
  for f in $b; do
    [ -e "$f" ] || continue
    echo "== $f"
    bash "$f"
  done
done
