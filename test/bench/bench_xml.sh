#!/usr/bin/env bash
# bench_xml: wagecheck.import_bank_statement (streamed with libxml2's push parser, in C)
# against the same import written in plain SQL with XMLTABLE (one INSERT and a result per
# entry), in one run, for camt.053 statements of 100,000 and 500,000 entries (20% inflows
# from the owner, 80% wages to the rostered workers' own cards under their names). Each
# import runs in a fresh session into an account of its own, under the enforcing trigger;
# prints wall time, the backend's CPU time, its peak resident memory (VmHWM) and the peak of
# its private memory (RssAnon), and the ratios. The trigger that keeps the summary of
# unmatched outflows is disabled for both (see the setup: its cost is the same for both, and
# larger) unless WC_BENCH_OUTFLOW=on keeps it. Targets: C >= 3x faster, and flat memory (the C import's
# private peak minus the document does not grow with the entries). A third import of the same size reads the
# statement from a large object (import_bank_statement(oid)): its private peak holds no
# document at all.
# Run by `make bench` (test/bench/run.sh sets PSQL and the cluster's environment), or
# alone: bash test/bench/bench_xml.sh [ENTRIES...] (default 100000 500000).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
PSQL=${PSQL:-psql -X -q -v ON_ERROR_STOP=1}
db=wc_bench_xml
dir="$top/tmp/bench"
mkdir -p "$dir"
chmod a+rx "$top/tmp"
chmod a+rwx "$dir"    # the server reads the statements itself (pg_read_file)
sizes=("${@:-100000}")
[ $# -gt 0 ] || sizes=(100000 500000)

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
outflow=${WC_BENCH_OUTFLOW:-off}
$PSQL -d $db <<'SQL'
CREATE EXTENSION wagecheck;
CREATE FUNCTION pg_temp.rid(body text) RETURNS text LANGUAGE sql AS $$
  SELECT body || substr('10X98765432', (sum(substr(body, i, 1)::int * w[i]) % 11)::int + 1, 1)
    FROM generate_series(1, 17) i,
         (SELECT ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2] AS w) k GROUP BY body $$;
CREATE FUNCTION pg_temp.luhn(body text) RETURNS text LANGUAGE sql AS $$
  SELECT body || ((10 - sum(CASE WHEN i % 2 = 1 THEN (2 * d) / 10 + (2 * d) % 10 ELSE d END) % 10) % 10)::text
    FROM (SELECT i, substr(reverse(body), i, 1)::int AS d FROM generate_series(1, length(body)) i) x $$;
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor');
-- one project and account per import (C and SQL, per size)
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id)
SELECT 'X-' || p, '基准项目' || p, '371302', 'housing', 'government', 1, 2 FROM generate_series(1, 8) p;
INSERT INTO wagecheck.worker (resident_id, name, wage_card)
SELECT pg_temp.rid('3713021985' || lpad(((i - 1) / 28 % 12 + 1)::text, 2, '0')
                   || lpad(((i - 1) % 28 + 1)::text, 2, '0') || lpad(((i - 1) / 336)::text, 3, '0')),
       '工人' || i, pg_temp.luhn('622848' || lpad(i::text, 12, '0'))
  FROM generate_series(1, 1000) i;
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, start_on)
SELECT p, w, 2, '2026-01-01' FROM generate_series(1, 1000) w, generate_series(1, 8) p;
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on)
SELECT p, '农业银行临沂分行', '3721010400' || lpad(p::text, 5, '0'), '2026-01-05' FROM generate_series(1, 8) p;


-- the same import in plain SQL, as a user would write it (RETURN QUERY: a set-returning SQL
-- function cannot hold an INSERT whose table has transition-table triggers): XMLTABLE over the parsed document,
-- the profile's maps written out, the entries the account already has left out, one INSERT,
-- and a result per entry (inserted, duplicate or refused) like import_bank_statement's
CREATE SCHEMA bench;
CREATE FUNCTION bench.import_sql(doc text) RETURNS TABLE (entry bigint, bank_ref text, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH d AS (SELECT xmlparse(document doc) AS x),
    acct AS (
        SELECT a.account_id
          FROM d, XMLTABLE(XMLNAMESPACES('urn:iso:std:iso:20022:tech:xsd:camt.053.001.08' AS c),
                           '/c:Document/c:BkToCstmrStmt/c:Stmt' PASSING d.x
                           COLUMNS no text PATH 'c:Acct/c:Id/c:Othr/c:Id') s
          JOIN wagecheck.wage_account a ON a.account_no = s.no),
    e AS (
        SELECT n.*
          FROM d, XMLTABLE(XMLNAMESPACES('urn:iso:std:iso:20022:tech:xsd:camt.053.001.08' AS c),
                           '/c:Document/c:BkToCstmrStmt/c:Stmt/c:Ntry' PASSING d.x
                           COLUMNS ord FOR ORDINALITY,
                                   ref text PATH 'c:AcctSvcrRef', amt numeric PATH 'c:Amt',
                                   ccy text PATH 'c:Amt/@Ccy', ind text PATH 'c:CdtDbtInd',
                                   booked text PATH 'c:BookgDt/c:DtTm', purp text PATH 'c:NtryDtls/c:TxDtls/c:Purp/c:Cd',
                                   dacct text PATH 'c:NtryDtls/c:TxDtls/c:RltdPties/c:DbtrAcct/c:Id/c:Othr/c:Id',
                                   cacct text PATH 'c:NtryDtls/c:TxDtls/c:RltdPties/c:CdtrAcct/c:Id/c:Othr/c:Id',
                                   dname text PATH 'c:NtryDtls/c:TxDtls/c:RltdPties/c:Dbtr/c:Pty/c:Nm',
                                   cname text PATH 'c:NtryDtls/c:TxDtls/c:RltdPties/c:Cdtr/c:Pty/c:Nm') n),
    ins AS (
        INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account,
                                           counterparty_name, purpose, booked_at, bank_ref)
        SELECT acct.account_id, CASE e.ind WHEN 'CRDT' THEN 'in' ELSE 'out' END, e.amt,
               CASE e.ind WHEN 'CRDT' THEN e.dacct ELSE e.cacct END,
               CASE e.ind WHEN 'CRDT' THEN e.dname ELSE e.cname END,
               CASE WHEN e.purp = 'SALA' THEN 'wage' WHEN e.ind = 'CRDT' THEN 'labour_cost' ELSE 'other' END,
               e.booked::timestamptz, e.ref
          FROM e CROSS JOIN acct
         WHERE e.ccy = 'CNY'
           AND NOT EXISTS (SELECT 1 FROM wagecheck.account_txn t
                            WHERE t.account_id = acct.account_id AND t.bank_ref = e.ref)
         ORDER BY e.ord
        RETURNING bank_ref)
    SELECT e.ord::bigint, e.ref,
           CASE WHEN i.bank_ref IS NOT NULL THEN 'inserted' WHEN e.ccy IS DISTINCT FROM 'CNY' THEN 'refused'
                ELSE 'duplicate' END::text
      FROM e LEFT JOIN ins i ON i.bank_ref = e.ref
     ORDER BY e.ord;
END
$$;
SQL
# the summary of unmatched outflows (alerts' outflow_unmatched_ins) is kept by a statement
# trigger: the same for both imports, so it is left out of both unless WC_BENCH_OUTFLOW=on
[ "$outflow" = on ] || $PSQL -d $db -c "ALTER TABLE wagecheck.account_txn DISABLE TRIGGER outflow_unmatched_ins"
echo "bench_xml: the trigger keeping outflow_unmatched is $outflow"

# gen N ACCOUNT FILE: a camt.053 of N entries on ACCOUNT.
gen() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
n, acct, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def luhn(body):
    s = 0
    for i, d in enumerate(reversed(body)):
        d = int(d)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        s += d
    return body + str((10 - s % 10) % 10)
cards = [luhn('622848' + str(i).zfill(12)) for i in range(1, 1001)]
out = open(path, 'w', encoding='utf-8')
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
          '<BkToCstmrStmt><GrpHdr><MsgId>BENCH-%s</MsgId><CreDtTm>2026-11-30T18:00:00+08:00</CreDtTm></GrpHdr>'
          '<Stmt><Id>%s-BENCH</Id><Acct><Id><Othr><Id>%s</Id></Othr></Id></Acct>\n' % (acct, acct, acct))
for i in range(n):
    day = 1 + i * 28 // n
    t = '2026-11-%02dT%02d:%02d:%02d+08:00' % (day, 8 + i % 10, i // 60 % 60, i % 60)
    if i % 5 == 0:
        body = ('<Amt Ccy="CNY">50000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                '<BookgDt><DtTm>%s</DtTm></BookgDt><AcctSvcrRef>B%09d</AcctSvcrRef>'
                '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>'
                '<NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>临沂城投建设有限公司</Nm></Pty></Dbtr>'
                '<DbtrAcct><Id><Othr><Id>9558800001000000001</Id></Othr></Id></DbtrAcct></RltdPties></TxDtls></NtryDtls>') % (t, i)
    else:
        w = i % 1000
        body = ('<Amt Ccy="CNY">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                '<BookgDt><DtTm>%s</DtTm></BookgDt><AcctSvcrRef>B%09d</AcctSvcrRef>'
                '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>SALA</SubFmlyCd></Fmly></Domn></BkTxCd>'
                '<NtryDtls><TxDtls><RltdPties><Cdtr><Pty><Nm>工人%d</Nm></Pty></Cdtr>'
                '<CdtrAcct><Id><Othr><Id>%s</Id></Othr></Id></CdtrAcct></RltdPties><Purp><Cd>SALA</Cd></Purp></TxDtls></NtryDtls>') % (t, i, w + 1, cards[w])
    out.write('<Ntry>' + body + '</Ntry>\n')
out.write('</Stmt></BkToCstmrStmt></Document>\n')
PY
  chmod a+r "$3"
}

# run LABEL SQL: one fresh session; prints "LABEL wall_ms cpu_ms peak_kB anon_peak_kB result":
# wall time, the backend's CPU time (user + system, from /proc: what the shared machine's load
# does not stretch), its peak resident memory (VmHWM: with the shared buffers it touched) and
# the peak of its private memory (RssAnon, sampled every 20 ms: the document, the parse, the
# batches).
run() {
  $PSQL -d $db -At <<SQL | tr '\n' ' '
SELECT pg_backend_pid() AS pid \gset
\setenv WC_BENCH_PID :pid
\setenv WC_BENCH_DIR $dir
\! (while [ -e /proc/\$WC_BENCH_PID/status ]; do awk '/RssAnon/ {print \$2}' /proc/\$WC_BENCH_PID/status; sleep 0.02; done) > \$WC_BENCH_DIR/anon.\$WC_BENCH_PID 2>/dev/null &
\! awk '{print \$14 + \$15}' /proc/\$WC_BENCH_PID/stat > \$WC_BENCH_DIR/cpu.\$WC_BENCH_PID
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT ($2) AS result \gset
SELECT round((extract(epoch FROM clock_timestamp()) - :t0) * 1000) AS ms \gset
\echo $1 :ms
\! echo \$(( (\$(awk '{print \$14 + \$15}' /proc/\$WC_BENCH_PID/stat) - \$(cat \$WC_BENCH_DIR/cpu.\$WC_BENCH_PID)) * 1000 / \$(getconf CLK_TCK) ))
\! awk '/VmHWM/ {print \$2}' /proc/\$WC_BENCH_PID/status
\! sort -n \$WC_BENCH_DIR/anon.\$WC_BENCH_PID | tail -1
\echo :result
SQL
  echo
  rm -f "$dir"/anon.* "$dir"/cpu.*
}

# the reader alone, without the server: its peak beside the document's
cc -O2 -I"$top/src" $(pkg-config --cflags libxml-2.0) "$top/test/bench/xml_reader_mem.c" "$top/src/core/xmlio.c" \
   $(pkg-config --libs libxml-2.0) -o "$dir/xml_reader_mem"

printf '%-8s %-5s %10s %10s %10s %10s %10s\n' entries how wall_ms cpu_ms peak_MB anon_MB rows
acct=0
for n in "${sizes[@]}"; do
  acct=$((acct + 1)); a_c=$(printf '3721010400%05d' $acct)
  acct=$((acct + 1)); a_s=$(printf '3721010400%05d' $acct)
  acct=$((acct + 1)); a_l=$(printf '3721010400%05d' $acct)
  f_c="$dir/camt053_${n}_c.xml"; f_s="$dir/camt053_${n}_sql.xml"; f_l="$dir/camt053_${n}_lo.xml"
  gen "$n" "$a_c" "$f_c"; gen "$n" "$a_s" "$f_s"; gen "$n" "$a_l" "$f_l"
  kb=$(( $(stat -c %s "$f_c") / 1024 ))
  read -r _ c_ms c_cpu c_kb c_anon c_rows < <(run C "SELECT count(*) FILTER (WHERE status = 'inserted') FROM wagecheck.import_bank_statement(pg_read_file('$f_c'))")
  read -r _ s_ms s_cpu s_kb s_anon s_rows < <(run SQL "SELECT count(*) FILTER (WHERE status = 'inserted') FROM bench.import_sql(pg_read_file('$f_s'))")
  # the same import streamed from a large object: the document is never whole in memory
  lo=$($PSQL -d $db -Atc "SELECT lo_import('$f_l')")
  read -r _ l_ms l_cpu l_kb l_anon l_rows < <(run LO "SELECT count(*) FILTER (WHERE status = 'inserted') FROM wagecheck.import_bank_statement($lo::oid)")
  $PSQL -d $db -Atc "SELECT lo_unlink($lo)" >/dev/null
  printf '%-8s %-5s %10s %10s %10s %10s %10s\n' "$n" C "$c_ms" "$c_cpu" $((c_kb / 1024)) $((c_anon / 1024)) "$c_rows"
  printf '%-8s %-5s %10s %10s %10s %10s %10s\n' "$n" LO "$l_ms" "$l_cpu" $((l_kb / 1024)) $((l_anon / 1024)) "$l_rows"
  printf '%-8s %-5s %10s %10s %10s %10s %10s\n' "$n" SQL "$s_ms" "$s_cpu" $((s_kb / 1024)) $((s_anon / 1024)) "$s_rows"
  echo "  document $((kb / 1024)) MB; SQL / C: wall $(awk -v a="$s_ms" -v b="$c_ms" 'BEGIN { printf "%.2f", a / b }')x," \
       "CPU $(awk -v a="$s_cpu" -v b="$c_cpu" 'BEGIN { printf "%.2f", a / b }')x;" \
       "private peak minus the document: C $(( (c_anon - kb) / 1024 )) MB, SQL $(( (s_anon - kb) / 1024 )) MB;" \
       "from a large object: SQL / LO wall $(awk -v a="$s_ms" -v b="$l_ms" 'BEGIN { printf "%.2f", a / b }')x, private peak $((l_anon / 1024)) MB (no document);" \
       "VmHWM C $((c_kb / 1024)) MB, SQL $((s_kb / 1024)) MB"
  read -r r_n r_kb r_before r_after < <("$dir/xml_reader_mem" "$f_c")
  echo "  the reader alone (no server): $r_n entries, document $((r_kb / 1024)) MB, peak $((r_before / 1024)) MB" \
       "with the document loaded, $((r_after / 1024)) MB after reading it"
  # idempotent: the same file again adds nothing
  read -r _ r_ms r_cpu r_kb r_anon r_rows < <(run C "SELECT count(*) FILTER (WHERE status = 'inserted') FROM wagecheck.import_bank_statement(pg_read_file('$f_c'))")
  echo "  again: $r_rows inserted in $r_ms ms"
  rm -f "$f_c" "$f_s" "$f_l"
done
[ -n "${WC_BENCH_KEEP:-}" ] || $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db"
