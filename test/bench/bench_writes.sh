#!/usr/bin/env bash
# bench_writes.sh — what wagecheck's triggers cost a write of its input tables, on the
# generated city (test/bench/gen_city.sql, the 1/10 city by default).
#
# For each input table (attendance, roster, pay_sheet, pay_line, wage_payment, account_txn):
# COPY of a day's rows, COPY of a month's rows, and up to 2,000 single-row INSERTs (a PL/pgSQL
# loop, one statement per row), each in its own transaction rolled back, once with wagecheck's
# triggers and once with them disabled (ALTER TABLE ... DISABLE TRIGGER USER inside the
# transaction: foreign keys, indexes and checks stay). The two alternate; each is run
# WC_BENCH_REPS times (3) and the ratio of the medians is printed, with all projects in reject
# mode and then in alert mode. Targets: COPY ≤ 1.3×, single-row INSERT ≤ 1.5× on every table.
#
# The rows written are the city's own: a copy of the city's database (wc_bench_writes_<scale>)
# holds back the rows of the six tables created in the last 30 days of the city
# (wc_bench.wr_<table>; of the roster, which grows in the first half of the year, its rows of
# the last calendar month with 500 or more: the candidates of outflow_unmatched that only their
# holding back made - wages to their workers paid after them - are left out, as the world has no
# such wages yet when an entry is added); "a month" is all of them, "a day" those of the busiest day of the 30
# (payroll days hold most payments) — before a day's rows, the held-back rows of the same and
# the parent tables created earlier are inserted in the same transaction, untimed, with every
# trigger disabled but the summaries' insert trigger (the summaries hold them, as they would),
# so that lines find their sheets, payments their lines and movements their balance (and
# attendance its months: the day's rows add days to months begun earlier in the window). Rows that reject mode refuses (the city's deliberate defects: cash payments,
# workers off the roster, ...) and the rows that depend on them are left out of the held-back
# sets, so both modes write the same rows.
# Last, the heap tuples a COPY of the month with the triggers writes into each of wagecheck's
# tables per 1,000 input rows (inserted, updated, heap-only, deleted) and their indexes.
# WC_BENCH_SCALE (0.1), WC_BENCH_REPS (3), WC_BENCH_TABLES (all six), WC_BENCH_MODES (reject alert),
# WC_BENCH_INSERTS (2,000: the single-row INSERTs, fewer where a statement costs seconds),
# WC_BENCH_CLOCK (wall; cpu: the backend's CPU time, Linux, which a loaded machine disturbs less),
# WC_BENCH_WRITES (1; 0: no count of the tuples written).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scale=${WC_BENCH_SCALE:-0.1}
reps=${WC_BENCH_REPS:-3}
inserts=${WC_BENCH_INSERTS:-2000}
tables=${WC_BENCH_TABLES:-attendance roster pay_sheet pay_line wage_payment account_txn}
modes=${WC_BENCH_MODES:-reject alert}
city=wc_bench_$(echo "$scale" | tr -c '0-9\n' '_')
db=wc_bench_writes_$(echo "$scale" | tr -c '0-9\n' '_')
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
work=$(cd "$here/../.." && pwd)/tmp/bench_writes
mkdir -p "$work"
cd "$work"

# the generated city, as bench_scan.sh keeps it
if ! $PSQL -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$city'" | grep -q 1 ||
   ! $PSQL -d "$city" -Atc "SELECT 1 FROM wc_bench.generated WHERE scale = $scale" 2>/dev/null | grep -q 1; then
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $city" -c "CREATE DATABASE $city"
  $PSQL -d "$city" -c "CREATE EXTENSION wagecheck" -f "$here/gen_city.sql"
  t0=$(date +%s.%N)
  $PSQL -d "$city" -c "CALL wc_bench.gen_city($scale)"
  t1=$(date +%s.%N)
  $PSQL -d "$city" -c "CREATE TABLE wc_bench.generated AS SELECT $scale::numeric AS scale, $t1 - $t0 AS seconds"
fi

# its copy with the last 30 days held back (made once; bench_scan.sh's held-back rows go back first)
if ! $PSQL -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
   ! $PSQL -d "$db" -Atc "SELECT 1 FROM wc_bench.wr_ready2" 2>/dev/null | grep -q 1; then
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db"
  $PSQL -d postgres -c "CREATE DATABASE $db TEMPLATE $city"
  $PSQL -d "$db" <<'SQL'
SET client_min_messages = warning;
SET session_replication_role = replica;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['enterprise', 'project', 'subcontract', 'roster', 'wage_account', 'guarantee_deposit',
                             'labour_cost_schedule', 'pay_sheet', 'pay_line', 'account_txn', 'wage_payment',
                             'attendance'] LOOP
        IF to_regclass('wc_bench.held_' || t) IS NOT NULL THEN
            EXECUTE format('INSERT INTO wagecheck.%I SELECT * FROM wc_bench.%I', t, 'held_' || t);
            EXECUTE format('DROP TABLE wc_bench.%I', 'held_' || t);
        END IF;
    END LOOP;
END $$;
-- the window: the last 30 days of the city's rows
CREATE TABLE wc_bench.wr_window AS
SELECT m - interval '30 days' AS since, m AS until
  FROM (SELECT max(created_at) AS m FROM wagecheck.attendance) x;
DO $$
DECLARE
    t text;
    since timestamptz := (SELECT w.since FROM wc_bench.wr_window w);
BEGIN
    -- children first, so nothing held back is referenced by what stays
    FOREACH t IN ARRAY ARRAY['wage_payment', 'account_txn', 'pay_line', 'pay_sheet', 'attendance'] LOOP
        EXECUTE format('CREATE TABLE wc_bench.%I (LIKE wagecheck.%I)', 'wr_' || t, t);
        EXECUTE format('WITH d AS (DELETE FROM wagecheck.%I WHERE created_at > $1 RETURNING *) '
                       'INSERT INTO wc_bench.%I SELECT * FROM d', t, 'wr_' || t) USING since;
    END LOOP;
    -- the roster grows in the first half of the year: its rows of the last month holding 500 or more
    CREATE TABLE wc_bench.wr_roster (LIKE wagecheck.roster);
    WITH m AS (SELECT date_trunc('month', created_at) AS m FROM wagecheck.roster
                GROUP BY 1 HAVING count(*) >= 500 ORDER BY 1 DESC LIMIT 1),
         d AS (DELETE FROM wagecheck.roster r USING m
                WHERE r.created_at >= m.m AND r.created_at < m.m + interval '1 month' RETURNING r.*)
    INSERT INTO wc_bench.wr_roster SELECT * FROM d;
    -- what stays must not reference what went (replica mode checks no foreign key)
    INSERT INTO wc_bench.wr_wage_payment
    SELECT y.* FROM wagecheck.wage_payment y
     WHERE y.line_id IN (SELECT line_id FROM wc_bench.wr_pay_line)
        OR y.txn_id IN (SELECT txn_id FROM wc_bench.wr_account_txn);
    DELETE FROM wagecheck.wage_payment y WHERE y.payment_id IN (SELECT payment_id FROM wc_bench.wr_wage_payment);
    INSERT INTO wc_bench.wr_pay_line
    SELECT l.* FROM wagecheck.pay_line l
     WHERE l.sheet_id IN (SELECT sheet_id FROM wc_bench.wr_pay_sheet)
        OR l.corrects_line_id IN (SELECT line_id FROM wc_bench.wr_pay_line);
    DELETE FROM wagecheck.pay_line l WHERE l.line_id IN (SELECT line_id FROM wc_bench.wr_pay_line);
END $$;
SQL
  # the rows reject mode refuses (and those that depend on them) leave the held-back sets:
  # each held-back row inserted alone in created_at order, in reject mode, summaries off
  $PSQL -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE TABLE wc_bench.wr_refused (tbl text, id bigint);
BEGIN;
UPDATE wagecheck.project SET enforcement_mode = 'reject';
ALTER TABLE wagecheck.attendance DISABLE TRIGGER USER;
DO $$
DECLARE
    t text;
    r record;
    k text;
BEGIN
    FOREACH t IN ARRAY ARRAY['roster', 'pay_sheet', 'pay_line', 'account_txn', 'wage_payment'] LOOP
        -- the enforcing triggers fire; the summaries' and the change capture's do not
        FOR r IN SELECT tgname FROM pg_trigger
                  WHERE tgrelid = format('wagecheck.%I', t)::regclass AND NOT tgisinternal
                    AND tgname NOT LIKE 'enforce%' LOOP
            EXECUTE format('ALTER TABLE wagecheck.%I DISABLE TRIGGER %I', t, r.tgname);
        END LOOP;
    END LOOP;
    FOR r IN
        SELECT 'roster' AS t, x.roster_id AS id, x.created_at FROM wc_bench.wr_roster x
        UNION ALL SELECT 'pay_sheet', x.sheet_id, x.created_at FROM wc_bench.wr_pay_sheet x
        UNION ALL SELECT 'pay_line', x.line_id, x.created_at FROM wc_bench.wr_pay_line x
        UNION ALL SELECT 'account_txn', x.txn_id, x.created_at FROM wc_bench.wr_account_txn x
        UNION ALL SELECT 'wage_payment', x.payment_id, x.created_at FROM wc_bench.wr_wage_payment x
        ORDER BY 3, 1, 2
    LOOP
        k := CASE r.t WHEN 'roster' THEN 'roster_id' WHEN 'pay_sheet' THEN 'sheet_id' WHEN 'pay_line' THEN 'line_id'
                      WHEN 'account_txn' THEN 'txn_id' ELSE 'payment_id' END;
        BEGIN
            EXECUTE format('INSERT INTO wagecheck.%I SELECT * FROM wc_bench.%I WHERE %I = $1', r.t, 'wr_' || r.t, k)
              USING r.id;
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO wc_bench.wr_refused VALUES (r.t, r.id);
        END;
    END LOOP;
END $$;
\copy wc_bench.wr_refused TO 'wr_refused.tmp'
ROLLBACK;
\copy wc_bench.wr_refused FROM 'wr_refused.tmp'
DELETE FROM wc_bench.wr_roster x USING wc_bench.wr_refused f WHERE f.tbl = 'roster' AND f.id = x.roster_id;
DELETE FROM wc_bench.wr_pay_sheet x USING wc_bench.wr_refused f WHERE f.tbl = 'pay_sheet' AND f.id = x.sheet_id;
DELETE FROM wc_bench.wr_pay_line x USING wc_bench.wr_refused f WHERE f.tbl = 'pay_line' AND f.id = x.line_id;
DELETE FROM wc_bench.wr_account_txn x USING wc_bench.wr_refused f WHERE f.tbl = 'account_txn' AND f.id = x.txn_id;
DELETE FROM wc_bench.wr_wage_payment x USING wc_bench.wr_refused f WHERE f.tbl = 'wage_payment' AND f.id = x.payment_id;
SELECT 'refused by reject mode, left out: ' || coalesce(string_agg(tbl || ' ' || n, ', '), 'none')
  FROM (SELECT tbl, count(*) AS n FROM wc_bench.wr_refused GROUP BY 1 ORDER BY 1) x \g (format=unaligned tuples_only)
-- The roster's held-back entries are of a month in the first half of the year, and the wages
-- their workers were paid after it stayed: each is now a candidate of outflow_unmatched (a wage
-- to a worker off the roster) that the entry, written again, would settle (about five an
-- entry). In the world the entry comes first: when it is added, no wage to its worker known
-- after its moment exists yet. So the copy's outflow_unmatched leaves those out (and only
-- those: the candidates of wages known before an entry's moment stay, and the entries look them
-- up); the entries written back match those wages again.
DELETE FROM wagecheck.outflow_unmatched o USING wc_bench.wr_roster r, wagecheck.worker k, wagecheck.account_txn x
 WHERE k.worker_id = r.worker_id AND o.project_id = r.project_id AND o.card = k.wage_card::text
   AND x.txn_id = o.txn_id AND greatest(x.created_at, x.booked_at) >= r.created_at;
CREATE TABLE wc_bench.wr_ready2 AS SELECT now() AS at;
VACUUM ANALYZE;
SQL
  rm -f wr_refused.tmp
  echo "bench_writes: held-back city ready"
fi

# The held-back rows in the order they are written, and the tables each one needs first.
order="roster pay_sheet pay_line account_txn wage_payment"
key() { case $1 in roster) echo roster_id;; pay_sheet) echo sheet_id;; pay_line) echo line_id;;
        account_txn) echo txn_id;; wage_payment) echo payment_id;; attendance) echo project_id, worker_id, day;; esac; }
# the busiest day of each table's held-back rows, and the window
declare -A day_from day_to
for t in $tables; do
  read -r f u < <($PSQL -d "$db" -At -F' ' -c "
    SELECT extract(epoch FROM d)::bigint, extract(epoch FROM d + interval '1 day')::bigint
      FROM (SELECT date_trunc('day', created_at) AS d FROM wc_bench.wr_$t GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1) x")
  day_from[$t]=$f; day_to[$t]=$u
done
until=$($PSQL -d "$db" -At -c "SELECT extract(epoch FROM until)::bigint + 1 FROM wc_bench.wr_window")
# (a roster row of the window is created before every other table's day: it is set up with them)

# summary_on T: the statement that turns the summaries' insert trigger of T back on, so the rows
# set up are in the summaries as they would be in production (a payment's month is there)
summary_on() { case $1 in pay_sheet|pay_line|wage_payment) echo "ALTER TABLE wagecheck.$1 ENABLE ALWAYS TRIGGER wage_month_ins;";;
               attendance) echo "ALTER TABLE wagecheck.$1 ENABLE ALWAYS TRIGGER attendance_month_ins;";;
               roster|account_txn) echo "ALTER TABLE wagecheck.$1 ENABLE ALWAYS TRIGGER outflow_unmatched_ins;";; esac; }
# setup T FROM TO: inserts, triggers off but the summaries' insert trigger, the held-back rows
# the rows of T created in [FROM, TO) need first: of the tables before T in $order those
# created before TO, of T those before FROM.
setup() {
  local t=$1 from=$2 to=$3 u sql=""
  # attendance needs no other held-back table: its own rows of the window before the day
  if [ "$t" = attendance ]; then
    [ "$from" = 0 ] && return 0
    echo "ALTER TABLE wagecheck.$t DISABLE TRIGGER USER; $(summary_on "$t")
      INSERT INTO wagecheck.$t SELECT * FROM wc_bench.wr_$t WHERE created_at < to_timestamp($from) ORDER BY created_at, $(key "$t");
      ALTER TABLE wagecheck.$t ENABLE TRIGGER USER;"
    return 0
  fi
  for u in $order; do
    if [ "$u" = "$t" ]; then
      sql="$sql ALTER TABLE wagecheck.$u DISABLE TRIGGER USER; $(summary_on "$u")
        INSERT INTO wagecheck.$u SELECT * FROM wc_bench.wr_$u WHERE created_at < to_timestamp($from) ORDER BY created_at, $(key "$u");
        ALTER TABLE wagecheck.$u ENABLE TRIGGER USER;"
      break
    fi
    sql="$sql ALTER TABLE wagecheck.$u DISABLE TRIGGER USER; $(summary_on "$u")
      INSERT INTO wagecheck.$u SELECT * FROM wc_bench.wr_$u WHERE created_at < to_timestamp($to) ORDER BY created_at, $(key "$u");
      ALTER TABLE wagecheck.$u ENABLE TRIGGER USER;"
  done
  # the movements set up move the accounts' balances as the enforcing trigger would have
  if [ "$t" = account_txn ] || [ "$t" = wage_payment ]; then
    local lim=$to; [ "$t" = account_txn ] && lim=$from
    sql="$sql ALTER TABLE wagecheck.wage_account DISABLE TRIGGER USER;
      UPDATE wagecheck.wage_account a SET balance = a.balance + d.delta
        FROM (SELECT account_id, sum(CASE direction WHEN 'in' THEN amount ELSE -amount END) AS delta
                FROM wc_bench.wr_account_txn WHERE created_at < to_timestamp($lim) GROUP BY 1) d
       WHERE a.account_id = d.account_id;
      ALTER TABLE wagecheck.wage_account ENABLE TRIGGER USER;"
  fi
  echo "$sql"
}
# the COPY files (server side, in the data directory) and the sizes
dd=$($PSQL -d "$db" -At -c "SELECT current_setting('data_directory')")
declare -A rows_day rows_month rows_ins
for t in $tables; do
  for w in day month; do
    if [ $w = day ]; then from=${day_from[$t]}; to=${day_to[$t]}; else from=0; to=$until; fi
    n=$($PSQL -d "$db" -At -c "COPY (SELECT * FROM wc_bench.wr_$t WHERE created_at >= to_timestamp($from) AND created_at < to_timestamp($to)
                                  ORDER BY created_at, $(key "$t")) TO '$dd/bench_writes.$t.$w.copy'" -c "SELECT count(*) FROM wc_bench.wr_$t WHERE created_at >= to_timestamp($from) AND created_at < to_timestamp($to)")
    if [ $w = day ]; then rows_day[$t]=$n; else rows_month[$t]=$n; fi
  done
  rows_ins[$t]=$(( ${rows_month[$t]} < inserts ? ${rows_month[$t]} : inserts ))
done

# trial T WHAT ON: the milliseconds of one write (WHAT: day, month or insert; ON: 1 with the
# triggers, 0 without) in a transaction rolled back.
trial() {
  local t=$1 what=$2 on=$3 s stmt off=""
  if [ "$what" = day ]; then s=$(setup "$t" "${day_from[$t]}" "${day_to[$t]}"); else s=$(setup "$t" 0 "$until"); fi
  [ "$on" = 0 ] && off="ALTER TABLE wagecheck.$t DISABLE TRIGGER USER;"
  if [ "$what" = insert ]; then
    stmt="DO \$\$ DECLARE r wc_bench.wr_$t; BEGIN
            FOR r IN SELECT * FROM wc_bench.wr_$t ORDER BY created_at, $(key "$t") LIMIT $inserts LOOP
              INSERT INTO wagecheck.$t SELECT (r).*;
            END LOOP; END \$\$;"
  else
    stmt="COPY wagecheck.$t FROM '$dd/bench_writes.$t.$what.copy';"
  fi
  $PSQL -d "$db" -At <<SQL
SET client_min_messages = warning;
BEGIN;
$s
$off
SELECT clock_timestamp() AS t0, $cpu AS c0 \gset
$stmt
SELECT CASE WHEN '$clock' = 'cpu' THEN round(($cpu - :c0) / 1e6)
            ELSE round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) END;
ROLLBACK;
SQL
}
# WC_BENCH_CLOCK=cpu: the backend's own CPU time (the kernel's schedstat of its process, in ns:
# not the time it waits for a core on a loaded machine) instead of the wall time
clock=${WC_BENCH_CLOCK:-wall}
cpu="(CASE WHEN '$clock' = 'cpu' THEN split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::bigint ELSE 0 END)"
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); clock: $clock"
printf '%-7s %-13s %-22s %8s %10s %10s %7s\n' mode table write rows with without ratio
for mode in $modes; do
  $PSQL -d "$db" -c "UPDATE wagecheck.project SET enforcement_mode = '$mode' WHERE enforcement_mode <> '$mode'"
  for t in $tables; do
    for what in day month insert; do
      on=(); off=()
      for i in $(seq "$reps"); do     # alternated, the order swapped every round
        if [ $((i % 2)) = 1 ]; then on+=("$(trial "$t" $what 1)"); off+=("$(trial "$t" $what 0)")
        else off+=("$(trial "$t" $what 0)"); on+=("$(trial "$t" $what 1)"); fi
      done
      a=$(median "${on[@]}"); b=$(median "${off[@]}")
      case $what in day) n=${rows_day[$t]}; label="COPY a day";; month) n=${rows_month[$t]}; label="COPY a month";;
                    insert) n=${rows_ins[$t]}; label="single-row INSERTs";; esac
      printf '%-7s %-13s %-22s %8s %10s %10s %7s\n' "$mode" "$t" "$label" "$n" "$a ms" "$b ms" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# What a row costs in writes, whatever the machine: the heap tuples each COPY of a month with
# the triggers writes into wagecheck's tables (pg_stat_get_xact_*: inserted, updated - of which
# heap-only, no index entry written - deleted), per 1,000 rows of the input table, and the
# indexes each table has (a tuple inserted or updated but not heap-only writes an entry into
# each index whose predicate it meets). The input table's own row is the plain write's.
[ "${WC_BENCH_WRITES:-1}" = 0 ] && exit 0
echo
echo "tuples written per 1,000 rows by a COPY of a month with the triggers ($mode mode)"
printf '%-13s %-25s %8s %8s %8s %8s %8s\n' input "written to" inserted updated "(HOT)" deleted indexes
for t in $tables; do
  s=$(setup "$t" 0 "$until")
  $PSQL -d "$db" -At -F' ' <<SQL | while read -r rel i u h d x; do printf '%-13s %-25s %8s %8s %8s %8s %8s\n' "$t" "$rel" "$i" "$u" "$h" "$d" "$x"; done
SET client_min_messages = warning;
BEGIN;
$s
CREATE TEMP TABLE wr_before ON COMMIT DROP AS
SELECT c.oid AS relid, c.relname, pg_stat_get_xact_tuples_inserted(c.oid) AS i, pg_stat_get_xact_tuples_updated(c.oid) AS u,
       pg_stat_get_xact_tuples_hot_updated(c.oid) AS h, pg_stat_get_xact_tuples_deleted(c.oid) AS d
  FROM pg_class c WHERE c.relnamespace = 'wagecheck'::regnamespace AND c.relkind = 'r';
COPY wagecheck.$t FROM '$dd/bench_writes.$t.month.copy';
SELECT b.relname, round(1000.0 * (pg_stat_get_xact_tuples_inserted(b.relid) - b.i) / ${rows_month[$t]}, 1),
       round(1000.0 * (pg_stat_get_xact_tuples_updated(b.relid) - b.u) / ${rows_month[$t]}, 1),
       round(1000.0 * (pg_stat_get_xact_tuples_hot_updated(b.relid) - b.h) / ${rows_month[$t]}, 1),
       round(1000.0 * (pg_stat_get_xact_tuples_deleted(b.relid) - b.d) / ${rows_month[$t]}, 1),
       (SELECT count(*) FROM pg_index x WHERE x.indrelid = b.relid)
  FROM wr_before b
 WHERE pg_stat_get_xact_tuples_inserted(b.relid) + pg_stat_get_xact_tuples_updated(b.relid)
       + pg_stat_get_xact_tuples_deleted(b.relid) > b.i + b.u + b.d
 ORDER BY b.relname <> '$t', b.relname;
ROLLBACK;
SQL
done
