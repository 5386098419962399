#!/usr/bin/env bash
# Regenerates src/calendar/once/20_holiday_data.sql from src/calendar/holidays-cn.csv
# (date,kind,name: the State Council's arrangements). Run after editing the CSV.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
{
  echo "-- Calendar: the official holiday arrangements shipped with wagecheck."
  echo "-- Generated from src/calendar/holidays-cn.csv by src/calendar/gen-holiday-data.sh; do not edit."
  echo "INSERT INTO wagecheck.holiday (day, kind, name, shipped) VALUES"
  tail -n +2 "$dir/holidays-cn.csv" | tr -d '\r' | awk -F, '
    NF != 3 || $1 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ || ($2 != "off" && $2 != "work") || $3 ~ /'\''/ {
      print "bad line: " $0 > "/dev/stderr"; exit 1 }
    { printf "%s    ('\''%s'\'', '\''%s'\'', '\''%s'\'', true)", (NR > 1 ? ",\n" : ""), $1, $2, $3 }
    END { print ";" }'
} > "$dir/once/20_holiday_data.sql"
