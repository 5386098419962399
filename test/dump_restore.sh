#!/usr/bin/env bash
# dump_restore.sh: pg_dump of a database holding wagecheck data in every table
# (and a legacy table with the enforcing trigger attached) -> fresh database ->
# pg_restore; proves that no row is lost, ids continue, balances are intact and
# the triggers still enforce. Run by test/run.sh (one counted step) against the
# throwaway cluster; needs PGHOST/PGPORT and WC_BINDIR. Prints "ok" or the difference.
#
# A restore replays COPY into tables guarded by the enforcing triggers; the data
# was checked when it was first written, and the balances are dumped with the
# accounts, so the restore runs with session_replication_role = replica (ordinary
# triggers, foreign-key triggers included, do not fire), as documented.
set -uo pipefail
psql="$WC_BINDIR/psql -X -q -v ON_ERROR_STOP=1"
src=wc_dump_src
dst=wc_dump_dst
dump=$(mktemp -d)/wagecheck.dump
chmod -R a+rwx "$(dirname "$dump")"

log=$(dirname "$dump")/log
$psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
      -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null || exit 1
$psql -d $src <<'SQL' >/dev/null || exit 1
CREATE EXTENSION wagecheck;
SET client_min_messages = warning;
INSERT INTO wagecheck.enterprise (credit_code, name, role) VALUES
    ('91371300MA3C8Q5N8C', '临沂城投建设有限公司', 'owner'),
    ('91371302MA3N0L6GXQ', '沂河建工集团有限公司', 'general_contractor'),
    ('91371311MA3P2K8H07', '兰山劳务服务有限公司', 'labour_company');
INSERT INTO wagecheck.project (code, name, division, sector, funding, owner_id, contractor_id, contract_value,
                              contract_signed_on, labour_share, start_on, enforcement_mode) VALUES
    ('LY-001', '北城新区安置房一期', '371302', 'housing', 'government', 1, 2, 52000000, '2026-02-20', 0.22, '2026-03-01', 'reject'),
    ('LY-002', '沂河大桥引线工程', '371311', 'transport', 'soe', 1, 2, 18000000, '2026-02-25', 0.10, '2026-03-01', 'alert');
INSERT INTO wagecheck.subcontract (project_id, contractor_id, subcontractor_id, kind, value, signed_on)
VALUES (1, 2, 3, 'labour', 6000000, '2026-02-28');
INSERT INTO wagecheck.worker (resident_id, name, phone, wage_card, card_bank) VALUES
    ('371302198503122131', '张伟', '13805391234', '6228481234567890003', '农业银行'),
    ('371302199001011233', '李娜', NULL, '6228481234567890011', '农业银行');
INSERT INTO wagecheck.roster (project_id, worker_id, employer_id, contract_signed_on, wage_rate, start_on) VALUES
    (1, 1, 3, '2026-03-01', 260, '2026-03-01'), (1, 2, 3, '2026-03-01', 240, '2026-03-01');
INSERT INTO wagecheck.attendance (project_id, worker_id, day, hours)
SELECT 1, w, d::date, 8 FROM generate_series(1, 2) w, generate_series('2026-03-02'::date, '2026-03-31', '1 day') d;
INSERT INTO wagecheck.wage_account (project_id, bank, account_no, opened_on) VALUES
    (1, '农业银行临沂分行', '372101040012345', '2026-03-05'), (2, '建设银行临沂分行', '37050168620100001234', '2026-03-06');
INSERT INTO wagecheck.labour_cost_schedule (project_id, period, amount_due, due_on) VALUES (1, '2026-03-01', 20000, '2026-04-10');
INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, purpose, booked_at) VALUES
    (1, 'in', 20000, '9558800001000000001', 'labour_cost', '2026-04-08 10:00+08'),
    (1, 'out', 5200, '6228481234567890003', 'wage', '2026-04-15 09:00+08'),
    (2, 'in', 1000, '9558800001000000001', 'labour_cost', '2026-04-08 10:00+08'),
    (2, 'out', 300, NULL, 'cash', '2026-04-15 10:00+08');
INSERT INTO wagecheck.pay_sheet (project_id, employer_id, period, prepared_on) VALUES (1, 3, '2026-03-01', '2026-04-05');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, signed_on) VALUES
    (1, 1, 26, 5200, 0, 5200, '2026-04-06'), (1, 2, 26, 4800, 0, 4800, '2026-04-06');
INSERT INTO wagecheck.pay_line (sheet_id, worker_id, days, payable, deductions, net, corrects_line_id)
VALUES (1, 2, 26, 5000, 0, 5000, 2);
INSERT INTO wagecheck.wage_payment (line_id, txn_id, amount, paid_at, card) VALUES (1, 2, 5200, '2026-04-15 09:00+08', '6228481234567890003');
INSERT INTO wagecheck.guarantee_deposit (project_id, form, amount, bank, deposited_on) VALUES (1, 'bank_letter', 1040000, '农业银行', '2026-03-10');
INSERT INTO wagecheck.officer_scope (officer, division_prefix, sector) VALUES ('lanshan_officer', '371302', NULL);
CREATE SCHEMA legacy;
CREATE TABLE legacy.yhls (lsh text PRIMARY KEY, zh text, jdbz char(1), jyje numeric(16,2), dfzh text, zy text);
SELECT wagecheck.attach('legacy.yhls', 'account_txn', '{"id": "lsh", "account": "zh", "direction": "jdbz",
    "amount": "jyje", "counterparty": "dfzh", "purpose": "zy"}', 'alert');
INSERT INTO legacy.yhls VALUES ('L1', '372101040012345', 'C', 100, NULL, '人工费'), ('L2', '372101040012345', 'D', 50, NULL, '现金');
SQL

# fingerprint DB: one line per table of wagecheck (rows and a digest of their text) and per sequence;
# not the change log of incremental scans (wagecheck.input_change: one row per statement that
# wrote, so a restore writes its own rows; it is not dumped).
fingerprint() {
  $psql -d "$1" -At <<'SQL'
SELECT format('%s %s %s', c.oid::regclass, x.n, x.digest)
  FROM pg_class c
  CROSS JOIN LATERAL (SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text AS n,
                             (xpath('/row/d/text()', query_to_xml(format('SELECT md5(string_agg(t::text, ''|'' ORDER BY t::text)) AS d FROM %s t', c.oid::regclass), false, true, '')))[1]::text AS digest) x
 WHERE c.relnamespace IN ('wagecheck'::regnamespace, 'legacy'::regnamespace) AND c.relkind = 'r'
   AND c.oid <> 'wagecheck.input_change'::regclass
UNION ALL
SELECT format('%s last_value=%s', s.seqrelid::regclass, pg_sequence_last_value(s.seqrelid))
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
 WHERE c.relnamespace IN ('wagecheck'::regnamespace, 'legacy'::regnamespace)
   AND s.seqrelid <> 'wagecheck.input_change_seq_seq'::regclass
UNION ALL
SELECT format('attached %s %s %s', "table", kind, mode) FROM wagecheck.attached
ORDER BY 1;
SQL
}

before=$(fingerprint $src) || exit 1
runuser -u postgres -- "$WC_BINDIR/pg_dump" -h "$PGHOST" -p "$PGPORT" -Fc -f "$dump" $src 2>"$log" \
  || { cat "$log"; exit 1; }
PGOPTIONS='-c session_replication_role=replica' runuser -u postgres -- "$WC_BINDIR/pg_restore" \
    -h "$PGHOST" -p "$PGPORT" --exit-on-error -d $dst "$dump" 2>"$log" || { cat "$log"; exit 1; }
after=$(fingerprint $dst) || exit 1
if [ "$before" != "$after" ]; then
  echo "dump/restore changed the data:"; diff <(echo "$before") <(echo "$after"); exit 1
fi
rows=$(echo "$before" | grep -c ' [1-9][0-9]* ')

# ids continue, balances are intact and the triggers still enforce in the restored database
check=$($psql -d $dst -At 2>"$log" <<'SQL'
SET client_min_messages = warning;
INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at)
VALUES (1, 'in', 1, 'top_up', now()) RETURNING txn_id;
SELECT balance FROM wagecheck.wage_account WHERE account_id = 1;
DO $$ BEGIN
  INSERT INTO wagecheck.account_txn (account_id, direction, amount, purpose, booked_at) VALUES (1, 'out', 1, 'cash', now());
  RAISE EXCEPTION 'cash withdrawal not refused after restore';
EXCEPTION WHEN SQLSTATE 'WC001' THEN NULL;
END $$;
INSERT INTO legacy.yhls VALUES ('L3', '372101040012345', 'D', 20, NULL, '现金');
SELECT count(*) FROM wagecheck.violation WHERE source = 'legacy.yhls'::regclass;
SQL
)
check=$(echo "$check" | tr '\n' ' ')
case "$check" in
  "5 14851.00 2 ") ;;   # next id after the 4 dumped movements; 14850.00 + 1; L2 and L3 recorded
  *) echo "restored database misbehaves: $check"; cat "$log"; exit 1 ;;
esac
$psql -d postgres -c "DROP DATABASE $src" -c "DROP DATABASE $dst"
rm -rf "$(dirname "$dump")"
echo "ok ($(echo "$before" | wc -l) tables, sequences and attachments compared, $rows non-empty tables)"
