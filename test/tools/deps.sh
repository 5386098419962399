#!/usr/bin/env bash
# Installs the Debian packages wagecheck needs to build and test, naming each one it adds.
set -euo pipefail

packages=(
  gcc make pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-15-cron
  libicu-dev libxml2-dev libxml2-utils
  clang libclang-rt-14-dev
  sqlsmith valgrind
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "wagecheck: installing missing build dependencies: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "wagecheck: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# the server package must not start a system cluster: wagecheck uses its own throwaway one
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "wagecheck: installed ${missing[*]}"
