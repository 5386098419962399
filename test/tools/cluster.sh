#!/usr/bin/env bash
# Throwaway PostgreSQL under tmp/: a private copy of the server tree with wagecheck
# installed into it, and a cluster that listens on a Unix socket in tmp/ and on 127.0.0.1 (for the BI client tests).
# Usage: cluster.sh install | start | stop | env
# Nothing outside the work tree is written, so several checkouts can test at once.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp="$top/tmp"
sys_pg_config=${PG_CONFIG_SYSTEM:-/usr/lib/postgresql/15/bin/pg_config}
root="$tmp/pg"                         # private server tree mirrors the system paths below it
data="$tmp/data"
sock="$tmp/sock"                      # socket and server log, owned by the cluster owner
port=$(( 50000 + $(printf '%s' "$top" | cksum | cut -d' ' -f1) % 10000 ))

sys_bindir=$("$sys_pg_config" --bindir)
sys_sharedir=$("$sys_pg_config" --sharedir)
sys_pkglibdir=$("$sys_pg_config" --pkglibdir)
bindir="$root$sys_bindir"
sharedir="$root$sys_sharedir"
pkglibdir="$root$sys_pkglibdir"

# run_as_owner CMD...: runs a server command as the cluster owner (postgres refuses root).
run_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# mirror_dir SRC DST: DST gets a symlink to every entry of SRC.
mirror_dir() {
  mkdir -p "$2"
  local e
  for e in "$1"/*; do
    ln -sfn "$e" "$2/$(basename "$e")"
  done
}

# install: refreshes the private server tree and copies the built extension into it.
do_install() {
  if [ ! -x "$bindir/postgres" ] || [ "$sys_bindir/postgres" -nt "$bindir/postgres" ]; then
    rm -rf "$root"
    mkdir -p "$bindir"
    cp -a "$sys_bindir"/. "$bindir"/        # copied, not linked: the server locates share/ and lib/ from its own path
    mirror_dir "$sys_pkglibdir" "$pkglibdir"
    rm "$pkglibdir/bitcode"                 # extensions install their JIT bitcode here
    mirror_dir "$sys_pkglibdir/bitcode" "$pkglibdir/bitcode"
    mirror_dir "$sys_sharedir" "$sharedir"
    rm "$sharedir/extension"
    mirror_dir "$sys_sharedir/extension" "$sharedir/extension"
  fi
  make -C "$top" --no-print-directory -s install \
    DESTDIR="$root" >/dev/null
  chmod -R a+rX "$root"
}

# start: creates the cluster on first use and starts it.
do_start() {
  mkdir -p "$tmp"
  chmod a+rx "$tmp"
  if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data"
    mkdir -p "$data" "$sock"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$sock"; fi
    run_as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
      || { cat "$tmp/initdb.log"; exit 1; }
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
port = $port
fsync = off
max_prepared_transactions = 10
max_worker_processes = 16
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
log_min_messages = warning
CONF
  fi
  if run_as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    return 0
  fi
  run_as_owner "$bindir/pg_ctl" -D "$data" -l "$sock/server.log" -w -t 60 start >/dev/null \
    || { cat "$sock/server.log"; exit 1; }
}

# stop: stops the cluster if it runs.
do_stop() {
  if [ -s "$data/PG_VERSION" ]; then
    run_as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# env: prints the variables a client needs to reach the cluster.
do_env() {
  echo "export PGHOST='$sock' PGPORT='$port' PGUSER=postgres PGDATABASE=postgres"
  echo "export WC_BINDIR='$bindir' WC_PGXS_DIR='$(dirname "$("$sys_pg_config" --pgxs)")/..'"
}

case "${1:-}" in
  install) do_install ;;
  start)   do_start ;;
  stop)    do_stop ;;
  env)     do_env ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
