#!/usr/bin/env bash
# Regenerates src/ident/once/51_division_data.sql from src/ident/divisions-cn.csv
# (code,name,level,parent: GB/T 2260 divisions, 2-digit provinces, 4-digit prefectures,
# 6-digit counties). Run after editing the CSV.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
{
  echo "-- GB/T 2260 administrative divisions shipped with wagecheck: every province, prefecture and county."
  echo "-- Generated from src/ident/divisions-cn.csv by src/ident/gen-division-data.sh; do not edit."
  echo "INSERT INTO wagecheck.division (code, name, level, parent, shipped) VALUES"
  tail -n +2 "$dir/divisions-cn.csv" | tr -d '\r' | awk -F, '
    NF != 4 || $1 !~ /^[0-9][0-9]([0-9][0-9]([0-9][0-9])?)?$/ || $2 == "" || $2 ~ /'\''/ \
      || ($3 != "province" && $3 != "prefecture" && $3 != "county") {
      print "bad line: " $0 > "/dev/stderr"; exit 1 }
    { printf "%s    ('\''%s'\'', '\''%s'\'', '\''%s'\'', %s, true)", (NR > 1 ? ",\n" : ""), $1, $2, $3,
             ($4 == "" ? "NULL" : "'\''" $4 "'\''") }
    END { print ";" }'
} > "$dir/once/51_division_data.sql"
