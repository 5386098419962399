#!/usr/bin/env bash
# refresh_defs.sh DB [ONCE.sql] — puts this build's definitions into a database that an older
# build created (the generated city is kept between benchmark runs, and regenerating the full
# city takes half an hour): every re-runnable definition of the install script (src/*/*.sql,
# the rules, src/privileges.sql, taken from the assembled upgrade script) runs in it as an
# extension script, through ALTER EXTENSION UPDATE to a version of its own and back, so
# MODULE_PATHNAME and pg_extension_config_dump work and what it creates belongs to the
# extension. ONCE.sql, if given, runs first in the same script: what the database lacks of the
# objects created once (tables, columns, indexes), written for it by hand, as src/updates/
# does for a release. WC_REFRESH_FILES="src/a/x.sql ..." runs only those definition files (a
# view changed while a benchmark reads the tables: the policies' and triggers' definitions
# would wait for it). Needs `make` and the running cluster of this checkout (cluster.sh env).
# The tables' contents are not touched; the summaries stay as the older build wrote them.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=${1:?usage: refresh_defs.sh DB [ONCE.sql]}
once=${2:-}
eval "$(bash "$top/test/tools/cluster.sh" env)"
PSQL=${PSQL:-$WC_BINDIR/psql -X -q -v ON_ERROR_STOP=1}
sys_pg_config=${PG_CONFIG_SYSTEM:-/usr/lib/postgresql/15/bin/pg_config}
extdir="$top/tmp/pg$("$sys_pg_config" --sharedir)/extension"
upgrade=$(ls "$top"/build/wagecheck--*--*.sql | head -1)
[ -f "$upgrade" ] || { echo "refresh_defs.sh: run make first" >&2; exit 1; }
ver=$($PSQL -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'wagecheck'")
[ -n "$ver" ] || { echo "refresh_defs.sh: wagecheck is not installed in $db" >&2; exit 1; }

there="$extdir/wagecheck--$ver--$ver.refresh.sql"
back="$extdir/wagecheck--$ver.refresh--$ver.sql"
trap 'rm -f "$there" "$back"' EXIT
{
  if [ -n "$once" ]; then printf '\n-- ==== %s\n' "$once"; cat "$once"; fi
  if [ -n "${WC_REFRESH_FILES:-}" ]; then
    # only these definition files (no lock on the tables the others' policies and triggers take)
    for f in $WC_REFRESH_FILES; do printf '\n-- ==== %s\n' "$f"; cat "$top/$f"; done
  else
    # the definitions: from src/wagecheck.sql to the hand-written .post.sql part, then privileges
    awk '/^-- ==== src\/wagecheck\.sql$/ { on = 1 } /^-- ==== src\/updates\// && on { on = 0 }
         /^-- ==== src\/privileges\.sql$/ { on = 1 } on' "$upgrade"
  fi
} > "$there"
printf -- '-- back to %s: nothing to do\n' "$ver" > "$back"
chmod 0644 "$there" "$back"
$PSQL -d "$db" -c "ALTER EXTENSION wagecheck UPDATE TO '$ver.refresh'" \
               -c "ALTER EXTENSION wagecheck UPDATE TO '$ver'"
echo "refresh_defs.sh: $db has the definitions of $(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet || echo ' (with changes)')"
