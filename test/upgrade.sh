#!/usr/bin/env bash
# upgrade.sh: every released version, upgraded step by step with ALTER EXTENSION ... UPDATE,
# must end exactly where a fresh CREATE EXTENSION of the current version starts: the same
# pg_dump (schema, comments, grants, policies, and the rows of every configuration table
# registered with pg_extension_config_dump) and the same set of extension member objects.
# Run by test/run.sh (one counted step per released version); needs PGHOST/PGPORT and
# WC_BINDIR. Prints "ok ..." or the difference.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
psql="$WC_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$top/wagecheck.control")
work=$(mktemp -d)
chmod a+rwx "$work"
status=0

# snapshot DB FILE: what must match. pg_dump leaves out the extension's member objects
# (test/upgrade_snapshot.sql reads their definitions from the catalogs) but dumps the rows
# of its configuration tables, which must match too.
snapshot() {
  $psql -d "$1" -At -f "$top/test/upgrade_snapshot.sql" >"$2.catalog" || { echo "snapshot of $1 failed"; exit 1; }
  "$WC_BINDIR/pg_dump" --no-owner --data-only -d "$1" 2>/dev/null \
    | grep -vE '^(--|SET |SELECT pg_catalog.set_config|\\restrict|\\unrestrict)' | grep -v '^$' >"$2.data"
}

$psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS wc_upgrade_fresh" \
      -c "CREATE DATABASE wc_upgrade_fresh" >/dev/null || exit 1
$psql -d wc_upgrade_fresh -c "SET client_min_messages = warning" -c "CREATE EXTENSION wagecheck" >/dev/null || exit 1
snapshot wc_upgrade_fresh "$work/fresh"

for script in "$top"/src/released/wagecheck--*.sql; do
  from=$(basename "$script" .sql); from=${from#wagecheck--}
  case "$from" in *--*) continue ;; esac     # a frozen upgrade script, not a version
  [ "$from" = "$current" ] && continue
  db=wc_upgrade_from_$(echo "$from" | tr . _)
  $psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
        -c "CREATE DATABASE $db" >/dev/null || exit 1
  if ! $psql -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION wagecheck VERSION '$from'" \
         -c "ALTER EXTENSION wagecheck UPDATE" >"$work/$from.log" 2>&1; then
    echo "upgrade from $from failed:"; cat "$work/$from.log"; status=1; continue
  fi
  got=$($psql -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'wagecheck'")
  if [ "$got" != "$current" ]; then
    echo "upgrade from $from ends at version $got, not $current"; status=1; continue
  fi
  snapshot "$db" "$work/up-$from"
  same=1
  for part in catalog data; do
    if ! diff -u "$work/fresh.$part" "$work/up-$from.$part" >"$work/$from.$part.diff"; then
      echo "upgrade from $from differs from a fresh $current install ($part; - fresh, + upgraded):"
      head -n 60 "$work/$from.$part.diff"; same=0
    fi
  done
  if [ $same -eq 1 ]; then
    echo "ok $from -> $current: $(wc -l <"$work/fresh.catalog") catalog facts and $(wc -l <"$work/fresh.data") lines of configuration data identical"
  else
    status=1
  fi
  $psql -d postgres -c "DROP DATABASE $db" >/dev/null

  # What the user set in the rule catalogue is kept: the upgrade writes the catalogue's rows
  # again (INSERT ... ON CONFLICT) but leaves a rule's enabled and its overrides alone.
  $psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
        -c "CREATE DATABASE $db" >/dev/null || exit 1
  kept=$($psql -d "$db" -At -c "SET client_min_messages = warning" \
           -c "CREATE EXTENSION wagecheck VERSION '$from'" \
           -c "UPDATE wagecheck.rule SET enabled = false WHERE code = 'WP02'" \
           -c "INSERT INTO wagecheck.rule_param_override VALUES ('WP02', '3713', '{\"k_days\": 20}')" \
           -c "ALTER EXTENSION wagecheck UPDATE" \
           -c "SELECT r.enabled::text || ' ' || o.params::text FROM wagecheck.rule r
                 JOIN wagecheck.rule_param_override o USING (code) WHERE r.code = 'WP02'" 2>&1)
  if [ "$kept" = 'false {"k_days": 20}' ]; then
    echo "ok $from -> $current: a rule disabled and a parameter overridden before the upgrade stay so"
  else
    echo "upgrade from $from lost what the user set in the rule catalogue: $kept"; status=1
  fi
  $psql -d postgres -c "DROP DATABASE $db" >/dev/null
done
$psql -d postgres -c "DROP DATABASE wc_upgrade_fresh" >/dev/null
rm -rf "$work"
exit $status
