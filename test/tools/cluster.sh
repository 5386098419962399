#!/usr/bin/env bash
# Throwaway PostgreSQL of this checkout: a private copy of the server tree with wagecheck
# installed into it, and a cluster that listens on a Unix socket and on 127.0.0.1 (for the
# BI client tests).
# Usage: cluster.sh install | start | stop | status | env | psql [ARGS] | connect DB USER | destroy
#
# What the server (run as user postgres, as it refuses root) must reach lives outside the
# checkout, in /var/tmp/wagecheck-<checksum of the checkout's path>/ (mode 0755): the server
# tree pg/, the cluster data/, the socket and server log sock/, and run/ for the files tests
# hand to the server. So the checkout may sit in a directory postgres cannot enter (/root,
# a 0700 home, mktemp -d) and its permissions are never changed. tmp/pg, tmp/data,
# tmp/sock and tmp/run are links to them. Each checkout has its own directory and port,
# so several checkouts can test at once.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp="$top/tmp"
sys_pg_config=${PG_CONFIG_SYSTEM:-/usr/lib/postgresql/15/bin/pg_config}
sum=$(printf '%s' "$top" | cksum | cut -d' ' -f1)
work=${WC_CLUSTER_DIR:-/var/tmp/wagecheck-$sum}
root="$work/pg"                        # private server tree mirrors the system paths below it
data="$work/data"
sock="$work/sock"                      # socket and server log, owned by the cluster owner
run="$work/run"                        # files the tests write for the server to read
port=$(( 50000 + sum % 10000 ))

sys_bindir=$("$sys_pg_config" --bindir)
sys_sharedir=$("$sys_pg_config" --sharedir)
sys_pkglibdir=$("$sys_pg_config" --pkglibdir)
sys_localedir=$("$sys_pg_config" --localedir)
major=$("$sys_pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
bindir="$root$sys_bindir"
sharedir="$root$sys_sharedir"
pkglibdir="$root$sys_pkglibdir"

# run_as_owner CMD...: runs a server command as the cluster owner (postgres refuses root).
run_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")   # from /: the caller's directory may be closed to it
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

# prepare: creates the outside directory (readable by all, writable by us only) and the
# links to it under tmp/; a cluster of the older layout (inside tmp/) is stopped and removed.
prepare() {
  mkdir -p "$tmp"
  local d
  for d in data pg sock; do
    if [ -d "$tmp/$d" ] && [ ! -L "$tmp/$d" ]; then
      if [ "$d" = data ] && [ -s "$tmp/data/postmaster.pid" ]; then
        run_as_owner "$tmp/pg$sys_bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
      fi
      rm -rf "${tmp:?}/$d"
    fi
  done
  mkdir -p -m 0755 "$work"
  if [ "$(stat -c %u "$work")" != "$(id -u)" ]; then
    echo "cluster.sh: $work belongs to another user; set WC_CLUSTER_DIR" >&2; exit 1
  fi
  chmod 0755 "$work"
  mkdir -p "$run"
  chmod 0755 "$run"
  for d in pg data sock run; do
    ln -sfn "$work/$d" "$tmp/$d"
  done
}

# install: refreshes the private server tree and copies the built extension into it.
do_install() {
  prepare
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
  # the server finds message catalogues relative to its binaries: the server's own
  # (postgres-15 and the like) are linked, wagecheck's are installed below by make install
  local mo rel
  for mo in "$sys_localedir"/*/LC_MESSAGES/*-"$major".mo; do
    [ -e "$mo" ] || continue
    rel=${mo#"$sys_localedir"/}
    mkdir -p "$root$sys_localedir/$(dirname "$rel")"
    [ -e "$root$sys_localedir/$rel" ] && [ ! -L "$root$sys_localedir/$rel" ] || ln -sfn "$mo" "$root$sys_localedir/$rel"
  done
  make -C "$top" --no-print-directory -s install \
    DESTDIR="$root" >/dev/null
  chmod -R a+rX "$root"
}

# start: creates the cluster on first use and starts it.
do_start() {
  prepare
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

# status: exit 0 when the cluster runs.
do_status() {
  [ -s "$data/PG_VERSION" ] && run_as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# stop: stops the cluster if it runs.
do_stop() {
  if [ -s "$data/PG_VERSION" ]; then
    run_as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# destroy: stops the cluster and removes the outside directory and the links to it.
do_destroy() {
  do_stop
  rm -rf "$work"
  rm -f "$tmp/pg" "$tmp/data" "$tmp/sock" "$tmp/run"
}

# env: prints the variables a client needs to reach the cluster.
do_env() {
  echo "export PGHOST='$sock' PGPORT='$port' PGUSER=postgres PGDATABASE=postgres"
  echo "export WC_BINDIR='$bindir' WC_PGXS_DIR='$(dirname "$("$sys_pg_config" --pgxs)")/..' WC_RUNDIR='$run' WC_DATADIR='$data'"
}

# psql [ARGS]: psql connected to the cluster (database postgres unless ARGS name one).
do_psql() {
  eval "$(do_env)"
  exec "$bindir/psql" "$@"
}

# connect DB USER: how to reach database DB, ready to paste, one line each: "psql" and the
# psql command (as postgres, on the socket), "jdbc" and a pgjdbc URL, "odbc" and a psqlODBC
# connection string (both as USER, over TCP on 127.0.0.1, which trusts local connections).
# make demo prints them; make test connects with them (test/clients/run.sh).
do_connect() {
  echo "psql $bindir/psql -h $sock -p $port -U postgres $1"
  echo "jdbc jdbc:postgresql://127.0.0.1:$port/$1?user=$2"
  echo "odbc DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=$port;DATABASE=$1;UID=$2"
}

case "${1:-}" in
  install) do_install ;;
  start)   do_start ;;
  stop)    do_stop ;;
  status)  do_status ;;
  env)     do_env ;;
  psql)    shift; do_psql "$@" ;;
  connect) [ $# -eq 3 ] || { echo "usage: $0 connect DB USER" >&2; exit 2; }; do_connect "$2" "$3" ;;
  destroy) do_destroy ;;
  *) echo "usage: $0 install|start|stop|status|env|psql [ARGS]|connect DB USER|destroy" >&2; exit 2 ;;
esac
