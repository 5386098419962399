#!/usr/bin/env bash
# bench_attach: a legacy bank-movement table as a real platform has it (pinyin column
# names, codes, account and card numbers written with blanks, times as text) attached
# with wagecheck.attach() in reject mode (value map for the direction codes, the bank's
# time as the row's moment), against the same table without the trigger, in one run:
#   - COPY of $rows movements (10 accounts, 1,000 rostered workers; 20% inflows, 80%
#     wages to the workers' own cards; one row in three writes its account number
#     with blanks, one in four the card);
#   - $single single-row INSERT statements, each its own transaction.
# Prints the timings (best of $rounds, wall clock) and the ratios.
# Then a real-name platform's attendance table (考勤: the project by its legacy key, the
# worker by a resident ID written as clerks do, day and hours as text) attached in mirror
# mode, which writes each statement's rows into wagecheck.attendance and mirror_ref, against
# the same table without the trigger: COPY of $rows days and $single single-row INSERTs.
# Then the same bank movements mirrored into wagecheck.account_txn, and payment records
# (the pay line by the platform's key, one card in four written with blanks) mirrored
# into wagecheck.wage_payment, each against its table alone.
# Targets for a mirrored table: COPY <= 1.5x, single-row <= 2x. Each mirrored kind also has
# its floor (the same rows resolved beforehand and written straight into wagecheck's table,
# through its own keys and triggers, best of as many rounds) and prints mirrored / floor: what
# the mirror itself adds, and the shares of a mirrored write: the legacy row (the table alone),
# the mirror (mirrored - floor) and wagecheck's own row with its keys and triggers (floor - alone).
# WC_BENCH_PART=mirror runs the mirrored table only, =enforce the movements only.
# Run by `make bench` (test/bench/run.sh sets PSQL and the cluster's environment).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
rows=${WC_BENCH_ROWS:-200000}
single=${WC_BENCH_SINGLE:-5000}
rounds=${WC_BENCH_ROUNDS:-3}
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
db=wc_bench_attach
dir="$top/tmp/bench"
mkdir -p "$dir"
chmod a+rx "$top/tmp"
chmod a+rwx "$dir"    # the server writes and reads the data file itself
data="$dir/attach_yhjyls.tsv"
inserts="$dir/attach_inserts.sql"

part=${WC_BENCH_PART:-all}
$PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
$PSQL -d $db <<SQL
CREATE EXTENSION wagecheck;
CREATE FUNCTION pg_temp.rid(body text) RETURNS text LANGUAGE sql AS \$\$
  SELECT body || substr('10X98765432', (sum(substr(body, i, 1)::int * w[i]) % 11)::int + 1, 1)
    FROM generate_series(1, 17) i,
         (SELECT ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2] AS w) k GROUP BY body \$\$;
CREATE FUNCTION pg_temp.luhn(body text) RETURNS text LANGUAGE sql AS \$\$
  SELECT body || ((10 - sum(CASE WHEN i % 2 = 1 THEN (2 * d) / 10 + (2 * d) % 10 ELSE d END) % 10) % 10)::text
    FROM (SELECT i, substr(reverse(body), i, 1)::int AS d FROM generate_series(1, length(body)) i) x \$\$;
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
SELECT 'B-' || p, '基准项目' || p, '371302', 'housing', 'government', 1, 2 FROM generate_series(1, 10) p;
INSERT INTO wagecheck.worker (resident_id, name, wage_card)
SELECT pg_temp.rid('3713021985' || lpad(((i - 1) / 28 % 12 + 1)::text, 2, '0')
                   || lpad(((i - 1) % 28 + 1)::text, 2, '0') || lpad(((i - 1) / 336)::text, 3, '0')),
       '工人' || i, pg_temp.luhn('622848' || lpad(i::text, 12, '0'))
  FROM generate_series(1, 1000) i;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
SELECT (w % 10) + 1, w, 2, '2026-01-01' FROM generate_series(1, 1000) w;
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT p, '农业银行临沂分行', '1523010104' || lpad(p::text, 7, '0'), '2026-01-05' FROM generate_series(1, 10) p;

CREATE SCHEMA legacy;
CREATE TABLE legacy.yhjyls_plain (lsh bigint, zh text, jdbz text, jyje numeric(16,2), dfzh text, dfhm text,
                                  zy text, jysj text);
CREATE TABLE legacy.yhjyls (LIKE legacy.yhjyls_plain);
SELECT wagecheck.attach('legacy.yhjyls', 'account_txn',
    '{"id": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "counterparty_name": "dfhm",
      "purpose": "zy", "at": "jysj", "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]}}');

-- a large labour-cost inflow per account first, then 20% inflows and 80% wages to a worker
-- rostered on the account's project; numbers written as clerks and banks write them
CREATE TEMP TABLE cards AS SELECT w.worker_id, r.project_id, w.wage_card::text AS card, w.name,
       row_number() OVER (PARTITION BY r.project_id ORDER BY w.worker_id) - 1 AS k
  FROM wagecheck.worker w JOIN wagecheck.roster r USING (worker_id);
CREATE INDEX ON cards (project_id, k);
CREATE TEMP VIEW movements AS
  SELECT i AS lsh,
         CASE WHEN i % 3 = 0 THEN regexp_replace(a.account_no, '(....)', '\1 ', 'g') ELSE a.account_no END AS zh,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN '2' ELSE '1' END AS jdbz,
         CASE WHEN i <= 10 THEN 900000000.00 WHEN i % 5 = 0 THEN 3000.00 + i % 997 ELSE 1000.00 + i % 4000 END AS jyje,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN '9558800001000000001'
              WHEN i % 4 = 0 THEN regexp_replace(c.card, '(....)', '\1 ', 'g') ELSE c.card END AS dfzh,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN '临沂城投' ELSE c.name END AS dfhm,
         CASE WHEN i <= 10 OR i % 5 = 0 THEN '人工费' WHEN i % 2 = 0 THEN '代发工资' ELSE (1 + i % 12) || '月工资' END AS zy,
         to_char(timestamp '2026-01-10 09:00' + i * interval '1 second', 'YYYYMMDD HH24:MI:SS') AS jysj
    FROM generate_series(1, $rows + $single) i
    JOIN wagecheck.wage_account a ON a.project_id = (i % 10) + 1
    JOIN cards c ON c.project_id = a.project_id AND c.k = (i / 10) % 100;
COPY (SELECT * FROM movements WHERE lsh <= $rows ORDER BY lsh) TO '$data';
COPY (SELECT format('INSERT INTO :tbl VALUES (%s, %L, %L, %s, %L, %L, %L, %L);', lsh, zh, jdbz, jyje, dfzh, dfhm, zy, jysj)
        FROM movements WHERE lsh > $rows ORDER BY lsh) TO '$inserts';
SQL

# timed TABLE SQL...: wall-clock milliseconds of the statements, the table emptied first
timed() {
  local t=$1; shift
  $PSQL -d $db -c "TRUNCATE $t" -c "CHECKPOINT" >/dev/null
  $PSQL -d $db -At -v ON_ERROR_STOP=1 -v tbl="$t" <<SQL | awk '/^Time: / { w += $2 } END { print w }'
\\timing on
$*
\\timing off
SQL
}
# floor SETUP TIMED: milliseconds of the TIMED statements after the untimed SETUP, in one
# session: the same rows written straight into wagecheck's table, resolved beforehand. Each
# round runs it after the mirrored trials, so that both see the same load.
floor() {
  $PSQL -d $db -At -v ON_ERROR_STOP=1 <<SQL | awk '/^Time: / { w += $2 } END { print w }'
$1
\\timing on
$2
\\timing off
SQL
}
# min A B: the smaller of two millisecond figures
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 < b + 0) ? a : b }'; }
# the single-row statements time as one script: \timing of each summed
single_sql="\\i $inserts"
copy_plain=999999999; copy_att=999999999; one_plain=999999999; one_att=999999999
[ "$part" = mirror ] || for r in $(seq "$rounds"); do
  copy_plain=$(min "$copy_plain" "$(timed legacy.yhjyls_plain "COPY legacy.yhjyls_plain FROM '$data';")")
  copy_att=$(min "$copy_att" "$(timed legacy.yhjyls "COPY legacy.yhjyls FROM '$data';")")
  one_plain=$(min "$one_plain" "$(timed legacy.yhjyls_plain "$single_sql")")
  one_att=$(min "$one_att" "$(timed legacy.yhjyls "$single_sql")")
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$part" = mirror ] || $PSQL -d $db -At <<SQL
SELECT 'rows in the attached table after the last run: ' || count(*) FROM legacy.yhjyls;
SELECT 'violations recorded: ' || count(*) FROM wagecheck.violation;
SQL
[ "$part" = mirror ] || awk -v cp="$copy_plain" -v ca="$copy_att" -v op="$one_plain" -v oa="$one_att" -v n="$rows" -v s="$single" -v r="$rounds" 'BEGIN {
  printf "legacy bank movements, attached (reject mode, value map, text times, dirty numbers) vs alone, best of %d:\n", r
  printf "  COPY of %d rows       alone %8.0f ms   attached %8.0f ms   %.2fx (mirror target <= 1.5x)\n", n, cp, ca, ca / cp
  printf "  %d single-row INSERTs alone %8.0f ms   attached %8.0f ms   %.2fx (mirror target <= 2x)\n", s, op, oa, oa / op
}'
[ "$part" = mirror ] || echo "  load average after the runs: $load (2 cores)"

# mirror mode: attendance of the 1,000 rostered workers, day after day, as the platform
# writes it (one resident ID in four with a full-width X or blanks, hours as text)
if [ "$part" != enforce ]; then
  kqdata="$dir/attach_kq.tsv"
  kqinserts="$dir/attach_kq_inserts.sql"
  $PSQL -d $db <<SQL
CREATE TABLE legacy.kq_plain (kqid bigint PRIMARY KEY, xmbh text, sfzhm text, kqrq text, gs text);
CREATE TABLE legacy.kq (LIKE legacy.kq_plain INCLUDING ALL);
SELECT wagecheck.attach('legacy.kq', 'attendance',
    '{"key": "kqid", "project": "xmbh", "worker": "sfzhm", "day": "kqrq", "hours": "gs"}', mirror => true);
CREATE TEMP VIEW days AS
  SELECT i AS kqid, p.code AS xmbh,
         CASE WHEN i % 4 = 0 THEN regexp_replace(w.resident_id::text, '(......)', '\1 ', 'g') ELSE w.resident_id::text END AS sfzhm,
         to_char(date '2026-01-01' + (i - 1) / 1000, 'YYYYMMDD') AS kqrq, (8 + i % 3)::text AS gs
    FROM generate_series(1, $rows + $single) i
    JOIN wagecheck.worker w ON w.worker_id = (i - 1) % 1000 + 1
    JOIN wagecheck.roster r ON r.worker_id = w.worker_id
    JOIN wagecheck.project p ON p.project_id = r.project_id;
COPY (SELECT * FROM days WHERE kqid <= $rows ORDER BY kqid) TO '$kqdata';
COPY (SELECT format('INSERT INTO :tbl VALUES (%s, %L, %L, %L, %L);', kqid, xmbh, sfzhm, kqrq, gs)
        FROM days WHERE kqid > $rows ORDER BY kqid) TO '$kqinserts';
SQL
  kq_single="\\i $kqinserts"
  mfloor_run() { floor "TRUNCATE legacy.kq; DELETE FROM wagecheck.attendance; CREATE TEMP TABLE raw (LIKE legacy.kq_plain); COPY raw FROM '$kqdata';
    CREATE TEMP TABLE resolved AS SELECT p.project_id, w.worker_id, to_date(r.kqrq, 'YYYYMMDD') AS day, r.gs::numeric AS hours
      FROM raw r JOIN wagecheck.project p ON p.code = r.xmbh JOIN wagecheck.worker w ON w.resident_id::text = replace(r.sfzhm, ' ', '');
    CHECKPOINT;" "INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) SELECT * FROM resolved;"; }
  # the single-row statements' floor: legacy.kq_plain holds their rows after the round's trials
  mfloor1_run() { floor "DELETE FROM wagecheck.attendance;
    COPY (SELECT format('INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours) VALUES (%s, %s, %L, %s);',
                        p.project_id, w.worker_id, to_date(r.kqrq, 'YYYYMMDD'), r.gs::numeric)
            FROM legacy.kq_plain r JOIN wagecheck.project p ON p.code = r.xmbh
            JOIN wagecheck.worker w ON w.resident_id::text = replace(r.sfzhm, ' ', '') ORDER BY r.kqid) TO '$dir/attach_direct.sql';
    CHECKPOINT;" "\\i $dir/attach_direct.sql"; }
  mcopy_plain=999999999; mcopy=999999999; mone_plain=999999999; mone=999999999; mfloor=999999999; mfloor1=999999999
  for r in $(seq "$rounds"); do
    mcopy_plain=$(min "$mcopy_plain" "$(timed legacy.kq_plain "COPY legacy.kq_plain FROM '$kqdata';")")
    mcopy=$(min "$mcopy" "$(timed legacy.kq "COPY legacy.kq FROM '$kqdata';")")
    mone_plain=$(min "$mone_plain" "$(timed legacy.kq_plain "$kq_single")")
    mone=$(min "$mone" "$(timed legacy.kq "$kq_single")")
    [ "$r" != "$rounds" ] || $PSQL -d $db -At <<SQL
SELECT 'attendance days mirrored after the last run: ' || count(*) || ' (legacy rows ' || (SELECT count(*) FROM legacy.kq) || ')'
  FROM wagecheck.attendance;
SQL
    mfloor=$(min "$mfloor" "$(mfloor_run)")
    mfloor1=$(min "$mfloor1" "$(mfloor1_run)")
    $PSQL -d $db -c "DELETE FROM wagecheck.attendance" >/dev/null
  done
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  awk -v cp="$mcopy_plain" -v ca="$mcopy" -v op="$mone_plain" -v oa="$mone" -v fl="$mfloor" -v fl1="$mfloor1" -v n="$rows" -v s="$single" -v r="$rounds" 'BEGIN {
    printf "legacy attendance, mirrored into wagecheck.attendance vs alone, best of %d:\n", r
    printf "  COPY of %d rows       alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 1.5x)\n", n, cp, ca, ca / cp
    printf "  %d single-row INSERTs alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 2x)\n", s, op, oa, oa / op
    printf "  floor: the %d days resolved, inserted straight into wagecheck.attendance %8.0f ms   %.2fx\n", n, fl, fl / cp
    printf "  floor: the %d single-row INSERTs straight into wagecheck.attendance %8.0f ms   %.2fx\n", s, fl1, fl1 / op
    printf "  what the mirror adds: mirrored / floor  COPY %.2fx   single-row %.2fx\n", ca / fl, oa / fl1
    printf "  shares of the mirrored write (legacy row / mirror / wagecheck'"'"'s row and triggers): COPY %.0f%% / %.0f%% / %.0f%%   single-row %.0f%% / %.0f%% / %.0f%%\n", \
      100 * cp / ca, 100 * (ca - fl) / ca, 100 * (fl - cp) / ca, 100 * op / oa, 100 * (oa - fl1) / oa, 100 * (fl1 - op) / oa
  }'
  echo "  load average after the runs: $load (2 cores)"
  [ -n "${WC_BENCH_KEEP:-}" ] || rm -f "$kqdata" "$kqinserts"

  # mirror mode: the bank's movements (the same file as above) mirrored into
  # wagecheck.account_txn, and payment records naming their pay line by the platform's key
  # mirrored into wagecheck.wage_payment. Booked movements and payments cannot be deleted
  # through wagecheck, so each round starts from tables emptied with triggers off.
  ffdata="$dir/attach_ff.tsv"
  ffinserts="$dir/attach_ff_inserts.sql"
  $PSQL -d $db <<SQL
CREATE TABLE legacy.yhjyls_m (LIKE legacy.yhjyls_plain);
SELECT wagecheck.attach('legacy.yhjyls_m', 'account_txn',
    '{"key": "lsh", "account": "zh", "amount": "jyje", "counterparty": "dfzh", "counterparty_name": "dfhm",
      "purpose": "zy", "at": "jysj", "direction": {"column": "jdbz", "in": ["2", "贷"], "out": ["1", "借"]}}', mirror => true);
CREATE TABLE legacy.gzb (gzbid text PRIMARY KEY, xmbh text, qyxydm text, ny text);
CREATE TABLE legacy.gzmx (gzmxid integer PRIMARY KEY, gzbid text, sfzhm text, yfgz numeric);
INSERT INTO legacy.gzb SELECT 'G' || p.project_id, p.code, '91371302MA3N0L6GXQ', '202601' FROM wagecheck.project p;
INSERT INTO legacy.gzmx SELECT w.worker_id, 'G' || r.project_id, w.resident_id::text, 10000000
  FROM wagecheck.worker w JOIN wagecheck.roster r USING (worker_id);
SELECT wagecheck.attach('legacy.gzb', 'pay_sheet', '{"key": "gzbid", "project": "xmbh", "employer": "qyxydm", "period": "ny"}',
                        mirror => true, backfill => true);
SELECT wagecheck.attach('legacy.gzmx', 'pay_line', '{"key": "gzmxid", "sheet": "gzbid", "worker": "sfzhm", "payable": "yfgz"}',
                        mirror => true, backfill => true);
CREATE TABLE legacy.ffjl_plain (ffid bigint, gzmxid text, je text, fffs text, kh text, ffsj text);
CREATE TABLE legacy.ffjl (LIKE legacy.ffjl_plain);
SELECT wagecheck.attach('legacy.ffjl', 'wage_payment',
    '{"key": "ffid", "line": "gzmxid", "amount": "je", "method": "fffs", "card": "kh", "at": "ffsj"}', mirror => true);
CREATE TEMP VIEW payments AS
  SELECT i AS ffid, w.worker_id::text AS gzmxid, (100 + i % 50)::text AS je, '专户代发' AS fffs,
         CASE WHEN i % 4 = 0 THEN regexp_replace(w.wage_card::text, '(....)', '\1 ', 'g') ELSE w.wage_card::text END AS kh,
         to_char(timestamp '2026-02-15 09:00' + i * interval '1 second', 'YYYYMMDD HH24:MI:SS') AS ffsj
    FROM generate_series(1, $rows + $single) i
    JOIN wagecheck.worker w ON w.worker_id = (i - 1) % 1000 + 1;
COPY (SELECT * FROM payments WHERE ffid <= $rows ORDER BY ffid) TO '$ffdata';
COPY (SELECT format('INSERT INTO :tbl VALUES (%s, %L, %L, %L, %L, %L);', ffid, gzmxid, je, fffs, kh, ffsj)
        FROM payments WHERE ffid > $rows ORDER BY ffid) TO '$ffinserts';
SQL
  # fresh TABLE SQL...: like timed, the mirrored rows removed first with triggers off
  fresh() {
    local t=$1; shift
    $PSQL -d $db -c "SET session_replication_role = replica" -c "TRUNCATE $t" \
      -c "DELETE FROM wagecheck.wage_payment" -c "DELETE FROM wagecheck.account_txn" \
      -c "DELETE FROM wagecheck.mirror_ref WHERE kind IN ('account_txn', 'wage_payment')" \
      -c "UPDATE wagecheck.wage_account SET balance = 0" \
      -c "VACUUM wagecheck.wage_payment, wagecheck.account_txn, wagecheck.mirror_ref, wagecheck.wage_account" \
      -c "CHECKPOINT" >/dev/null
    timed_only "$t" "$@"
  }
  timed_only() {
    local t=$1; shift
    $PSQL -d $db -At -v ON_ERROR_STOP=1 -v tbl="$t" <<SQL | awk '/^Time: / { w += $2 } END { print w }'
\\timing on
$*
\\timing off
SQL
  }
  tcopy_plain=999999999; tcopy=999999999; tone_plain=999999999; tone=999999999; tfloor=999999999; tfloor1=999999999
  pcopy_plain=999999999; pcopy=999999999; pone_plain=999999999; pone=999999999; pfloor=999999999; pfloor1=999999999
  reset="SET session_replication_role = replica; DELETE FROM wagecheck.wage_payment; DELETE FROM wagecheck.account_txn;
    DELETE FROM wagecheck.mirror_ref WHERE kind IN ('account_txn', 'wage_payment'); UPDATE wagecheck.wage_account SET balance = 0;
    RESET session_replication_role;
    VACUUM wagecheck.wage_payment, wagecheck.account_txn, wagecheck.mirror_ref, wagecheck.wage_account;"
  tfloor_run() { floor "$reset CREATE TEMP TABLE raw (LIKE legacy.yhjyls_plain); COPY raw FROM '$data';
    CREATE TEMP TABLE resolved AS SELECT a.account_id, CASE r.jdbz WHEN '2' THEN 'in' ELSE 'out' END AS direction, r.jyje,
           replace(r.dfzh, ' ', '') AS dfzh, r.dfhm, CASE r.zy WHEN '人工费' THEN 'labour_cost' ELSE 'wage' END AS purpose,
           to_timestamp(r.jysj, 'YYYYMMDD HH24:MI:SS') AS booked_at
      FROM raw r JOIN wagecheck.wage_account a ON a.account_no = replace(r.zh, ' ', '') ORDER BY r.lsh;
    CHECKPOINT;" "INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name,
                                                  purpose, booked_at) SELECT * FROM resolved;"; }
  tfloor1_run() { floor "$reset
    COPY (SELECT format('INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, counterparty_name,'
                        ' purpose, booked_at) VALUES (%s, %L, %s, %L, %L, %L, %L);', a.account_id,
                        CASE r.jdbz WHEN '2' THEN 'in' ELSE 'out' END, r.jyje, replace(r.dfzh, ' ', ''), r.dfhm,
                        CASE r.zy WHEN '人工费' THEN 'labour_cost' ELSE 'wage' END, to_timestamp(r.jysj, 'YYYYMMDD HH24:MI:SS'))
            FROM legacy.yhjyls_plain r JOIN wagecheck.wage_account a ON a.account_no = replace(r.zh, ' ', '') ORDER BY r.lsh)
      TO '$dir/attach_direct.sql';
    INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
    SELECT account_id, 'in', 900000000, 'labour_cost', '2026-01-10' FROM wagecheck.wage_account;
    CHECKPOINT;" "\\i $dir/attach_direct.sql"; }
  for r in $(seq "$rounds"); do
    tcopy_plain=$(min "$tcopy_plain" "$(timed legacy.yhjyls_plain "COPY legacy.yhjyls_plain FROM '$data';")")
    tcopy=$(min "$tcopy" "$(fresh legacy.yhjyls_m "COPY legacy.yhjyls_m FROM '$data';")")
    tone_plain=$(min "$tone_plain" "$(timed legacy.yhjyls_plain "$single_sql")")
    tone=$(min "$tone" "$(timed_only legacy.yhjyls_m "$single_sql")")
    [ "$r" != "$rounds" ] || $PSQL -d $db -At <<SQL
SELECT 'movements mirrored after the last run: ' || count(*) || ' (legacy rows ' || (SELECT count(*) FROM legacy.yhjyls_m) || ')'
  FROM wagecheck.account_txn;
SQL
    tfloor=$(min "$tfloor" "$(tfloor_run)")
    tfloor1=$(min "$tfloor1" "$(tfloor1_run)")
  done
  pfloor_run() { floor "$reset CREATE TEMP TABLE raw (LIKE legacy.ffjl_plain); COPY raw FROM '$ffdata';
    CREATE TEMP TABLE resolved AS SELECT l.line_id, r.je::numeric AS amount, to_timestamp(r.ffsj, 'YYYYMMDD HH24:MI:SS') AS paid_at,
           'account' AS method, replace(r.kh, ' ', '')::wagecheck.bank_card AS card
      FROM raw r JOIN wagecheck.pay_line l ON l.worker_id = r.gzmxid::bigint ORDER BY r.ffid;
    CHECKPOINT;" "INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card) SELECT * FROM resolved;"; }
  pfloor1_run() { floor "$reset
    COPY (SELECT format('INSERT INTO wagecheck.wage_payment (line_id, amount, paid_at, method, card) VALUES (%s, %s, %L, %L, %L);',
                        l.line_id, r.je::numeric, to_timestamp(r.ffsj, 'YYYYMMDD HH24:MI:SS'), 'account', replace(r.kh, ' ', ''))
            FROM legacy.ffjl_plain r JOIN wagecheck.pay_line l ON l.worker_id = r.gzmxid::bigint ORDER BY r.ffid)
      TO '$dir/attach_direct.sql';
    CHECKPOINT;" "\\i $dir/attach_direct.sql"; }
  for r in $(seq "$rounds"); do
    pcopy_plain=$(min "$pcopy_plain" "$(timed legacy.ffjl_plain "COPY legacy.ffjl_plain FROM '$ffdata';")")
    pcopy=$(min "$pcopy" "$(fresh legacy.ffjl "COPY legacy.ffjl FROM '$ffdata';")")
    pone_plain=$(min "$pone_plain" "$(timed legacy.ffjl_plain "\\i $ffinserts")")
    pone=$(min "$pone" "$(timed_only legacy.ffjl "\\i $ffinserts")")
    [ "$r" != "$rounds" ] || $PSQL -d $db -At <<SQL
SELECT 'payments mirrored after the last run: ' || count(*) || ' (legacy rows ' || (SELECT count(*) FROM legacy.ffjl) || ')'
  FROM wagecheck.wage_payment;
SQL
    pfloor=$(min "$pfloor" "$(pfloor_run)")
    pfloor1=$(min "$pfloor1" "$(pfloor1_run)")
  done
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -f "$dir/attach_direct.sql"
  awk -v tcp="$tcopy_plain" -v tca="$tcopy" -v top="$tone_plain" -v toa="$tone" -v tfl="$tfloor" -v tfl1="$tfloor1" \
      -v pcp="$pcopy_plain" -v pca="$pcopy" -v pop="$pone_plain" -v poa="$pone" -v pfl="$pfloor" -v pfl1="$pfloor1" \
      -v n="$rows" -v s="$single" -v r="$rounds" 'BEGIN {
    printf "legacy bank movements, mirrored into wagecheck.account_txn vs alone, best of %d:\n", r
    printf "  COPY of %d rows       alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 1.5x)\n", n, tcp, tca, tca / tcp
    printf "  %d single-row INSERTs alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 2x)\n", s, top, toa, toa / top
    printf "  floor: the %d movements resolved, inserted straight into wagecheck.account_txn %8.0f ms   %.2fx\n", n, tfl, tfl / tcp
    printf "  floor: the %d single-row INSERTs straight into wagecheck.account_txn %8.0f ms   %.2fx\n", s, tfl1, tfl1 / top
    printf "  what the mirror adds: mirrored / floor  COPY %.2fx   single-row %.2fx\n", tca / tfl, toa / tfl1
    printf "  shares of the mirrored write (legacy row / mirror / wagecheck'"'"'s row and triggers): COPY %.0f%% / %.0f%% / %.0f%%   single-row %.0f%% / %.0f%% / %.0f%%\n", \
      100 * tcp / tca, 100 * (tca - tfl) / tca, 100 * (tfl - tcp) / tca, 100 * top / toa, 100 * (toa - tfl1) / toa, 100 * (tfl1 - top) / toa
    printf "legacy payment records, mirrored into wagecheck.wage_payment vs alone, best of %d:\n", r
    printf "  COPY of %d rows       alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 1.5x)\n", n, pcp, pca, pca / pcp
    printf "  %d single-row INSERTs alone %8.0f ms   mirrored %8.0f ms   %.2fx (target <= 2x)\n", s, pop, poa, poa / pop
    printf "  floor: the %d payments resolved, inserted straight into wagecheck.wage_payment %8.0f ms   %.2fx\n", n, pfl, pfl / pcp
    printf "  floor: the %d single-row INSERTs straight into wagecheck.wage_payment %8.0f ms   %.2fx\n", s, pfl1, pfl1 / pop
    printf "  what the mirror adds: mirrored / floor  COPY %.2fx   single-row %.2fx\n", pca / pfl, poa / pfl1
    printf "  shares of the mirrored write (legacy row / mirror / wagecheck'"'"'s row and triggers): COPY %.0f%% / %.0f%% / %.0f%%   single-row %.0f%% / %.0f%% / %.0f%%\n", \
      100 * pcp / pca, 100 * (pca - pfl) / pca, 100 * (pfl - pcp) / pca, 100 * pop / poa, 100 * (poa - pfl1) / poa, 100 * (pfl1 - pop) / poa
  }'
  echo "  load average after the runs: $load (2 cores)"
  [ -n "${WC_BENCH_KEEP:-}" ] || rm -f "$ffdata" "$ffinserts"
fi
[ -n "${WC_BENCH_KEEP:-}" ] || $PSQL -d postgres -c "DROP DATABASE $db"
[ -n "${WC_BENCH_KEEP:-}" ] || rm -f "$data" "$inserts"
