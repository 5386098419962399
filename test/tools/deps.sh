#!/usr/bin/env bash
# Installs the Debian packages wagecheck needs to build and test, naming each one it adds.
set -euo pipefail

packages=(
  gcc make pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-15-cron
  libicu-dev libxml2-dev libxml2-utils
  xsltproc docbook-xsl
  gettext locales
  clang libclang-rt-14-dev
  sqlsmith valgrind
  libpostgresql-jdbc-java default-jdk-headless odbc-postgresql unixodbc python3-pyodbc
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# the locale the test of Chinese messages runs in (lc_messages = zh_CN.UTF-8)
need_locale() { ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; }

if [ ${#missing[@]} -eq 0 ] && ! need_locale; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if need_locale; then
    echo "wagecheck: the locale zh_CN.UTF-8 is missing (the test of Chinese messages needs it); as root: locale-gen" >&2
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "wagecheck: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "wagecheck: installing missing build dependencies: ${missing[*]}"
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
fi
if need_locale; then
  sed -i -E 's/^# *(zh_CN\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  grep -qx 'zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
  locale-gen >/dev/null
  echo "wagecheck: generated the locale zh_CN.UTF-8"
fi
