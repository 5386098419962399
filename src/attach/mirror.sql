-- Mirror mode: the statements that keep wagecheck's own tables in step with an attached
-- legacy table, and the C trigger that runs them once per statement.

COMMENT ON TABLE wagecheck.mirror IS 'tables attached in mirror mode: the kind of wagecheck table each feeds, its mode and its column mapping {role: column}';
COMMENT ON TABLE wagecheck.mirror_ref IS 'the way back from a mirrored row to its legacy record: source table and key, kind, project, and the row''s key in wagecheck''s table (target, as JSON)';

CREATE OR REPLACE FUNCTION wagecheck.mirror() RETURNS trigger
    AS 'MODULE_PATHNAME', 'wagecheck_mirror'
    LANGUAGE C;
COMMENT ON FUNCTION wagecheck.mirror() IS 'mirroring trigger (C): AFTER each INSERT, UPDATE, DELETE or TRUNCATE statement of a table attached with mirror => true, writes its rows into wagecheck''s table of its kind';

CREATE OR REPLACE FUNCTION wagecheck._mirror_text(v text, compact boolean) RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_mirror_text'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._mirror_text(text, boolean) IS 'text as a clerk wrote it made comparable (full-width forms, padding; compact: no blanks or hyphens, upper case); NULL when empty';

CREATE OR REPLACE FUNCTION wagecheck._mirror_moment(v text) RETURNS timestamp
    AS 'MODULE_PATHNAME', 'wagecheck_mirror_moment'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._mirror_moment(text) IS 'a date or date and time written as text (20201215, 2020-12-15 10:00, 2020年12月15日) as a timestamp; NULL when it reads as none';

CREATE OR REPLACE FUNCTION wagecheck._mirror_refuse(tbl regclass, key text, role text, value text, what text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'wagecheck_mirror_refuse'
    LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._mirror_refuse(regclass, text, text, text, text) IS 'raises the refusal of a row of a mirrored table whose value of a role (empty: none) names nothing, what saying what it should name';

CREATE OR REPLACE FUNCTION wagecheck._mirror_word(role text, v text, a text[], b text[]) RETURNS text
    AS 'MODULE_PATHNAME', 'wagecheck_mirror_word'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION wagecheck._mirror_word(text, text, text[], text[]) IS 'a word of a bank or payroll file as wagecheck''s own: a direction (a, b: the in and out patterns of a value map, NULL the defaults), a purpose (a, b: wage and cash patterns) or a payment method; NULL when it reads as none';

-- _mirror_kinds: the kinds that can be mirrored, wagecheck's table each feeds, its id column
-- (drawn from its sequence) or the columns of its natural key, and the rule a row that cannot
-- be mirrored is recorded under in alert mode
CREATE OR REPLACE FUNCTION wagecheck._mirror_kinds()
    RETURNS TABLE (kind text, target text, id_column text, key_columns text[], rule_code text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT * FROM (VALUES
        ('enterprise', 'enterprise', 'enterprise_id', NULL::text[], 'RN01'),
        ('project', 'project', 'project_id', NULL, 'RN01'),
        ('worker', 'worker', 'worker_id', NULL, 'RN01'),
        ('roster', 'roster', 'roster_id', NULL, 'RN01'),
        ('attendance', 'attendance', NULL, '{project_id,worker_id,day}', 'RN01'),
        ('pay_sheet', 'pay_sheet', 'sheet_id', NULL, 'PS01'),
        ('pay_line', 'pay_line', 'line_id', NULL, 'PS01'),
        ('wage_payment', 'wage_payment', 'payment_id', NULL, 'WP04'),
        ('wage_account', 'wage_account', 'account_id', NULL, 'AC05'),
        ('account_txn', 'account_txn', 'txn_id', NULL, 'AC03'),
        ('labour_cost', 'labour_cost_schedule', NULL, '{project_id,period}', 'AC02'),
        ('deposit', 'guarantee_deposit', 'deposit_id', NULL, 'DP01')
    ) AS k(kind, target, id_column, key_columns, rule_code)
$$;
COMMENT ON FUNCTION wagecheck._mirror_kinds() IS 'the kinds that can be mirrored: wagecheck''s table each feeds, its id column or natural key, the rule an unresolvable row is recorded under in alert mode';

-- _mirror_roles: the roles of each kind that can be mirrored, the column each feeds, how
-- its value is read, whether it is required, and the value of the column when the role
-- is not mapped or its value is empty (an expression on the statement's rows s; MODE: the
-- mode the table is attached in)
CREATE OR REPLACE FUNCTION wagecheck._mirror_roles(kind text)
    RETURNS TABLE (role text, target text, how text, required boolean, fallback text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT r.role, r.target, r.how, r.required, r.fallback
      FROM (VALUES
        ('enterprise', 1, 'credit_code', 'credit_code', 'credit_code', true, NULL),
        ('enterprise', 2, 'name', 'name', 'text', true, NULL),
        ('enterprise', 3, 'role', 'role', 'choice:owner,general_contractor,subcontractor,labour_company', false, '''general_contractor'''),
        ('enterprise', 4, 'legal_rep', 'legal_rep', 'text', false, NULL),
        ('enterprise', 5, 'division', 'division', 'division', false, NULL),
        ('enterprise', 6, 'at', 'created_at', 'time', false, NULL),
        ('project', 1, 'code', 'code', 'text', true, NULL),
        ('project', 2, 'name', 'name', 'text', true, NULL),
        ('project', 3, 'division', 'division', 'division', true, NULL),
        ('project', 4, 'sector', 'sector', 'choice:housing,transport,water,municipal,development_reform,other', true, NULL),
        ('project', 5, 'funding', 'funding', 'choice:government,soe,other', true, NULL),
        ('project', 6, 'owner', 'owner_id', 'employer', true, NULL),
        ('project', 7, 'contractor', 'contractor_id', 'employer', true, NULL),
        ('project', 8, 'contract_value', 'contract_value', 'money', false, NULL),
        ('project', 9, 'contract', 'contract_signed_on', 'date', false, NULL),
        ('project', 10, 'labour_share', 'labour_share', 'numeric', false, NULL),
        ('project', 11, 'start', 'start_on', 'date', false, NULL),
        ('project', 12, 'planned_end', 'planned_end_on', 'date', false, NULL),
        ('project', 13, 'completed', 'completed_on', 'date', false, NULL),
        ('project', 14, 'status', 'status', 'choice:planned,under_construction,suspended,completed,closed', false, '''planned'''),
        ('project', 15, 'notice_board', 'notice_board_on', 'date', false, NULL),
        ('project', 16, 'enforcement_mode', 'enforcement_mode', 'choice:reject,alert', false, 'MODE'),
        ('project', 17, 'at', 'created_at', 'time', false, NULL),
        ('worker', 1, 'resident_id', 'resident_id', 'resident_id', true, NULL),
        ('worker', 2, 'name', 'name', 'text', true, NULL),
        ('worker', 3, 'phone', 'phone', 'ident', false, NULL),
        ('worker', 4, 'wage_card', 'wage_card', 'bank_card', false, NULL),
        ('worker', 5, 'card_bank', 'card_bank', 'text', false, NULL),
        ('worker', 6, 'at', 'registered_at', 'time', false, NULL),
        ('roster', 1, 'project', 'project_id', 'project', true, NULL),
        ('roster', 2, 'worker', 'worker_id', 'worker', true, NULL),
        ('roster', 3, 'employer', 'employer_id', 'employer', true, NULL),
        ('roster', 4, 'trade', 'trade', 'text', false, NULL),
        ('roster', 5, 'contract', 'contract_signed_on', 'date', false, NULL),
        ('roster', 6, 'start', 'start_on', 'date', true, NULL),
        ('roster', 7, 'end', 'end_on', 'date', false, NULL),
        ('roster', 8, 'wage_rate', 'wage_rate', 'numeric', false, NULL),
        ('roster', 9, 'at', 'created_at', 'time', false, NULL),
        ('attendance', 1, 'project', 'project_id', 'project', true, NULL),
        ('attendance', 2, 'worker', 'worker_id', 'worker', true, NULL),
        ('attendance', 3, 'day', 'day', 'date', true, NULL),
        ('attendance', 4, 'hours', 'hours', 'numeric', false, NULL),
        ('attendance', 5, 'at', 'created_at', 'time', false, NULL),
        ('pay_sheet', 1, 'project', 'project_id', 'project', true, NULL),
        ('pay_sheet', 2, 'employer', 'employer_id', 'employer', true, NULL),
        ('pay_sheet', 3, 'period', 'period', 'month', true, NULL),
        ('pay_sheet', 4, 'prepared', 'prepared_on', 'date', false, 's.v_period'),
        ('pay_sheet', 5, 'at', 'created_at', 'time', false, NULL),
        ('pay_line', 1, 'sheet', 'sheet_id', 'sheet', true, NULL),
        ('pay_line', 2, 'worker', 'worker_id', 'worker', true, NULL),
        ('pay_line', 3, 'days', 'days', 'numeric', false, NULL),
        ('pay_line', 4, 'payable', 'payable', 'money', true, NULL),
        ('pay_line', 5, 'deductions', 'deductions', 'money', false, '0'),
        ('pay_line', 6, 'net', 'net', 'money', false, 's.v_payable - coalesce(s.v_deductions, 0)'),
        ('pay_line', 7, 'signed', 'signed_on', 'date', false, NULL),
        ('pay_line', 8, 'corrects', 'corrects_line_id', 'line', false, NULL),
        ('pay_line', 9, 'at', 'created_at', 'time', false, NULL),
        ('wage_payment', 1, 'line', 'line_id', 'line', true, NULL),
        ('wage_payment', 2, 'txn', 'txn_id', 'txn', false, NULL),
        ('wage_payment', 3, 'amount', 'amount', 'money', true, NULL),
        ('wage_payment', 4, 'method', 'method', 'method', false, '''account'''),
        ('wage_payment', 5, 'card', 'card', 'bank_card', false, NULL),
        ('wage_payment', 6, 'at', 'paid_at', 'time', false, NULL),
        ('wage_payment', 7, 'known_at', 'created_at', 'time', false, NULL),
        ('wage_account', 1, 'project', 'project_id', 'project', true, NULL),
        ('wage_account', 2, 'bank', 'bank', 'text', true, NULL),
        ('wage_account', 3, 'account_no', 'account_no', 'ident', true, NULL),
        ('wage_account', 4, 'account_name', 'account_name', 'text', false, NULL),
        ('wage_account', 5, 'opened', 'opened_on', 'date', true, NULL),
        ('wage_account', 6, 'registered', 'registered_on', 'date', false, NULL),
        ('wage_account', 7, 'notice_on', 'closure_notice_on', 'date', false, NULL),
        ('wage_account', 8, 'closed_on', 'closed_on', 'date', false, NULL),
        ('wage_account', 9, 'at', 'created_at', 'time', false, NULL),
        ('account_txn', 1, 'account', 'account_id', 'account', true, NULL),
        ('account_txn', 2, 'direction', 'direction', 'direction', true, NULL),
        ('account_txn', 3, 'amount', 'amount', 'money', true, NULL),
        ('account_txn', 4, 'counterparty', 'counterparty_account', 'ident', false, NULL),
        ('account_txn', 5, 'counterparty_name', 'counterparty_name', 'text', false, NULL),
        ('account_txn', 6, 'purpose', 'purpose', 'purpose', false, '''other'''),
        ('account_txn', 7, 'bank_ref', 'bank_ref', 'text', false, NULL),
        ('account_txn', 8, 'at', 'booked_at', 'time', false, NULL),
        ('account_txn', 9, 'known_at', 'created_at', 'time', false, NULL),
        ('labour_cost', 1, 'project', 'project_id', 'project', true, NULL),
        ('labour_cost', 2, 'period', 'period', 'month', true, NULL),
        ('labour_cost', 3, 'amount_due', 'amount_due', 'money', true, NULL),
        ('labour_cost', 4, 'due', 'due_on', 'date', true, NULL),
        ('labour_cost', 5, 'at', 'created_at', 'time', false, NULL),
        ('deposit', 1, 'project', 'project_id', 'project', true, NULL),
        ('deposit', 2, 'form', 'form', 'choice:cash,bank_letter', true, NULL),
        ('deposit', 3, 'amount', 'amount', 'money', true, NULL),
        ('deposit', 4, 'bank', 'bank', 'text', false, NULL),
        ('deposit', 5, 'deposited', 'deposited_on', 'date', true, NULL),
        ('deposit', 6, 'expires', 'expires_on', 'date', false, NULL),
        ('deposit', 7, 'returned', 'returned_on', 'date', false, NULL),
        ('deposit', 8, 'at', 'created_at', 'time', false, NULL)
      ) AS r(kind, n, role, target, how, required, fallback)
     WHERE r.kind = _mirror_roles.kind
     ORDER BY r.n
$$;
COMMENT ON FUNCTION wagecheck._mirror_roles(text) IS 'the column roles of a kind that can be mirrored: the column of wagecheck''s table each feeds, how it is read, whether it is required, its value when not mapped or empty';

-- _mirror_key: the expressions of a mirrored table's key (one column, or a JSON array of
-- columns) on the row alias a: the key as mirror_ref keeps it (the columns' values made
-- comparable, joined by '|'), the rows' order, and their comparison to a high-water mark
-- (hwm, kept as text: a JSON array for a key of several columns)
CREATE OR REPLACE FUNCTION wagecheck._mirror_key(tbl regclass, key jsonb, a text, hwm text,
                                                 OUT expr text, OUT ord text, OUT after text, OUT last text)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    cols text[];
    c text;
    i integer := 0;
    parts text[] := '{}';
    typs text[] := '{}';
    t text;
BEGIN
    cols := CASE jsonb_typeof(key) WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(key))
                                   ELSE ARRAY[key #>> '{}'] END;
    FOREACH c IN ARRAY cols LOOP
        i := i + 1;
        SELECT pg_catalog.format_type(at.atttypid, at.atttypmod) INTO t FROM pg_catalog.pg_attribute at
         WHERE at.attrelid = tbl AND at.attname = c AND NOT at.attisdropped;
        typs := typs || t;
        parts := parts || CASE WHEN t IN ('integer', 'bigint', 'smallint') THEN format('%s.%I::text', a, c)
                               ELSE format('wagecheck._mirror_text(%s.%I::text, false)', a, c) END;
    END LOOP;
    IF i = 1 THEN
        expr := parts[1];
        ord := format('%s.%I', a, cols[1]);
        after := format('%s.%I > %s::%s', a, cols[1], hwm, typs[1]);
        last := format('%s.%I::text', a, cols[1]);
    ELSE
        expr := format('CASE WHEN %s THEN %s END',
                       (SELECT string_agg(format('%s IS NOT NULL', p), ' AND ') FROM unnest(parts) p),
                       array_to_string(parts, ' || ''|'' || '));
        ord := (SELECT string_agg(format('%s.%I', a, x), ', ') FROM unnest(cols) x);
        after := format('(%s) > (%s)', ord,
                        (SELECT string_agg(format('(%s::jsonb ->> %s)::%s', hwm, n - 1, typs[n]), ', ')
                           FROM generate_series(1, i) n));
        last := format('jsonb_build_array(%s)::text', ord);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck._mirror_key(regclass, jsonb, text, text) IS 'the expressions of a mirrored table''s key, of one column or several: as mirror_ref keeps it, the rows'' order, their comparison to a backfill''s high-water mark, and the mark of a row';

-- _mirror_sql: the statements of one event of a mirrored table, run by wagecheck.mirror()
-- with $1 = the table. In reject mode a row with a value that resolves to nothing is refused
-- by the writing statement itself, naming the value; in alert mode the first statement
-- records such rows as violations and the writes leave them out ('' in reject mode). NULL
-- when the table is not mirrored.
CREATE OR REPLACE FUNCTION wagecheck._mirror_sql(tbl regclass, event text) RETURNS text[]
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    m wagecheck.mirror;
    kd record;
    r record;
    map jsonb;
    col text;
    typ regtype;
    raw text;
    val text;
    x text;
    t text;
    mt text;
    sgn text;
    keyx record;
    s_cols text := '';
    checks text := '';
    oks text := 'true';
    ins_cols text := '';
    ins_vals text := '';
    upd_cols text := '';
    upd_vals text := '';
    fb text;
    tgt text;
    idcol text;
    target text;
    match text;
    proj text;
    at_expr text := 'NULL::timestamptz';
    s_new text;
    s_ok text;
    ins text;
    del text;
    viol text := '';
    refuse text := '';
    lbl text;
    n integer := 0;
    lcols text[];
    lk_names text[] := '{}';
    lk_exprs text[] := '{}';
    lk_dcols text[] := '{}';
    joins text := '';
    pre text;
    src text;
    proj_join text := '';
    proj_col text;
    i integer;
    s_news text[];
    inss text[];
BEGIN
    SELECT * INTO m FROM wagecheck.mirror WHERE source = tbl;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO kd FROM wagecheck._mirror_kinds() k WHERE k.kind = m.kind;
    tgt := 'wagecheck.' || quote_ident(kd.target);
    idcol := kd.id_column;
    keyx := wagecheck._mirror_key(tbl, m.columns -> 'key', 'n', '$2::text');
    s_cols := format('%s AS k', keyx.expr);
    checks := '(0, ''key'', s.k, s.k IS NULL, ''key'')';
    refuse := ' WHEN s.k IS NULL THEN wagecheck._mirror_refuse($1::regclass, '''', ''key'', '''', ''key'')';
    oks := 's.k IS NOT NULL';
    FOR r IN SELECT * FROM wagecheck._mirror_roles(m.kind) LOOP
        n := n + 1;
        map := m.columns -> r.role;
        col := CASE jsonb_typeof(map) WHEN 'string' THEN map #>> '{}' WHEN 'object' THEN map ->> 'column'
                                      WHEN 'array' THEN map ->> 0 END;
        sgn := m.columns #>> ARRAY[r.role, 'sign'];
        fb := CASE r.fallback WHEN 'MODE' THEN quote_literal(m.mode) ELSE r.fallback END;
        IF col IS NULL AND r.role = 'direction' AND m.columns #>> '{amount,sign}' IS NOT NULL THEN
            -- a signed amount and no direction column: the sign is the direction
            col := m.columns #>> '{amount,column}';
            mt := format('replace(replace(wagecheck._mirror_text(n.%I::text, false), %L, %L), %L, %L)', col, ' ', '', ',', '');
            raw := format('nullif(btrim(n.%I::text), %L)', col, '');
            val := format('CASE WHEN %s ~ %L THEN CASE WHEN %s::numeric < 0 THEN %L WHEN %s::numeric > 0 THEN %L END END',
                          mt, '^[+-]?[0-9]+([.][0-9]+)?$', mt,
                          CASE m.columns #>> '{amount,sign}' WHEN 'minus_is_out' THEN 'out' ELSE 'in' END, mt,
                          CASE m.columns #>> '{amount,sign}' WHEN 'minus_is_out' THEN 'in' ELSE 'out' END);
        ELSIF col IS NULL THEN
            IF r.how = 'time' THEN
                ins_cols := ins_cols || format(', %I', r.target);
                ins_vals := ins_vals || ', now()';
            ELSIF fb IS NOT NULL AND fb NOT LIKE 's.%' THEN
                ins_cols := ins_cols || format(', %I', r.target);
                ins_vals := ins_vals || ', ' || fb;
            ELSIF fb IS NOT NULL THEN
                -- a value computed from other roles (a pay line's net, a sheet's date)
                ins_cols := ins_cols || format(', %I', r.target);
                ins_vals := ins_vals || ', ' || fb;
                upd_cols := upd_cols || format(', %I', r.target);
                upd_vals := upd_vals || ', ' || fb;
            END IF;
            CONTINUE;
        ELSE
            SELECT a.atttypid::regtype INTO typ FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = tbl AND a.attname = col AND NOT a.attisdropped;
            raw := format('nullif(btrim(n.%I::text), %L)', col, '');
            x := format('wagecheck._mirror_text(n.%I::text, true)', col);
            t := format('wagecheck._mirror_text(n.%I::text, false)', col);
            mt := format('replace(replace(%s, %L, %L), %L, %L)', t, ' ', '', ',', '');
            IF jsonb_typeof(map) = 'array' THEN
                -- a reference by a key of several columns, as the mirrored table it names keeps it
                t := (wagecheck._mirror_key(tbl, map, 'n', 'NULL')).expr;
                x := t;
                raw := t;
            END IF;
            IF r.how IN ('project', 'worker', 'employer', 'account', 'sheet', 'line', 'txn') THEN
                -- a reference is looked up once per distinct value of the statement (the CTE
                -- l_<role>, on the alias d), then joined to the rows by the columns' text; the
                -- kinds looked up in mirror_ref are those of its partial index mirror_ref_key
                lcols := CASE WHEN jsonb_typeof(map) = 'array'
                              THEN ARRAY(SELECT DISTINCT e FROM jsonb_array_elements_text(map) e) ELSE ARRAY[col] END;
                t := CASE WHEN jsonb_typeof(map) = 'array' THEN (wagecheck._mirror_key(tbl, map, 'd', 'NULL')).expr
                          ELSE format('wagecheck._mirror_text(d.%I::text, false)', col) END;
                x := CASE WHEN jsonb_typeof(map) = 'array' THEN t
                          ELSE format('wagecheck._mirror_text(d.%I::text, true)', col) END;
            END IF;
            val := CASE
                WHEN r.how = 'text' THEN t
                WHEN r.how = 'ident' THEN x
                WHEN r.how = 'resident_id' THEN format('CASE WHEN wagecheck.is_valid_resident_id(%s) THEN %s::wagecheck.resident_id END', x, x)
                WHEN r.how = 'bank_card' THEN format('CASE WHEN wagecheck.is_valid_bank_card(%s) THEN %s::wagecheck.bank_card END', x, x)
                WHEN r.how = 'credit_code' THEN format('CASE WHEN wagecheck.is_valid_credit_code(%s) THEN %s::wagecheck.credit_code END', x, x)
                WHEN r.how = 'division' THEN format('CASE WHEN wagecheck.is_valid_division_code(%s) THEN %s::wagecheck.division_code END', x, x)
                WHEN r.how = 'date' THEN CASE WHEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
                                      THEN format('n.%I::date', col)
                                      ELSE format('wagecheck._mirror_moment(n.%I::text)::date', col) END
                WHEN r.how = 'month' THEN CASE WHEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
                                      THEN format('date_trunc(%L, n.%I)::date', 'month', col)
                                      ELSE format('CASE WHEN %s ~ %L THEN make_date(substr(%s, 1, 4)::integer, right(%s, 2)::integer, 1)'
                                                  ' ELSE date_trunc(%L, wagecheck._mirror_moment(n.%I::text))::date END',
                                                  x, '^[0-9]{4}(0[1-9]|1[0-2])$', x, x, 'month', col) END
                WHEN r.how = 'time' THEN CASE WHEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
                                      THEN format('n.%I::timestamptz', col)
                                      ELSE format('wagecheck._mirror_moment(n.%I::text)::timestamptz', col) END
                WHEN r.how IN ('numeric', 'money') AND typ IN ('numeric'::regtype, 'integer'::regtype, 'bigint'::regtype,
                                                      'smallint'::regtype, 'real'::regtype, 'double precision'::regtype) THEN
                    CASE WHEN sgn IS NOT NULL THEN format('abs(n.%I::numeric)', col)
                         ELSE format('CASE WHEN n.%I >= 0 THEN n.%I::numeric END', col, col) END
                WHEN r.how = 'numeric' THEN format('CASE WHEN %s ~ %L THEN %s::numeric END', x, '^[+]?[0-9]+([.][0-9]+)?$', x)
                WHEN r.how = 'money' AND sgn IS NOT NULL THEN
                    format('CASE WHEN %s ~ %L THEN abs(%s::numeric) END', mt, '^[+-]?[0-9]+([.][0-9]+)?$', mt)
                WHEN r.how = 'money' THEN format('CASE WHEN %s ~ %L THEN %s::numeric END', mt, '^[+]?[0-9]+([.][0-9]+)?$', mt)
                WHEN r.how LIKE 'choice:%' THEN
                    format('(SELECT c.w FROM (SELECT lower(coalesce(%L::jsonb ->> %s, %s)) AS w) c WHERE c.w = ANY (%L::text[]))',
                           coalesce(map -> 'values', '{}'), t, t, string_to_array(substr(r.how, 8), ','))
                WHEN r.how IN ('direction', 'purpose') THEN NULL
                WHEN r.how = 'method' THEN format('wagecheck._mirror_word(%L, n.%I::text, NULL, NULL)', 'method', col)
                WHEN r.how = 'project' THEN format('coalesce((SELECT p.project_id FROM wagecheck.project p WHERE p.code = %s),'
                                                   ' (SELECT rf.project_id FROM wagecheck.mirror_ref rf WHERE rf.kind = %L AND rf.source_key = %s ORDER BY rf.source LIMIT 1))',
                                                   t, 'project', t)
                WHEN r.how = 'worker' THEN format('coalesce((SELECT w.worker_id FROM wagecheck.worker w WHERE w.resident_id OPERATOR(wagecheck.=) '
                                                  'CASE WHEN wagecheck.is_valid_resident_id(%s) THEN %s::wagecheck.resident_id END),'
                                                  ' (SELECT (rf.target ->> %L)::bigint FROM wagecheck.mirror_ref rf WHERE rf.kind = %L AND rf.source_key = %s ORDER BY rf.source LIMIT 1))',
                                                  x, x, 'worker_id', 'worker', t)
                WHEN r.how = 'employer' THEN format('coalesce((SELECT e.enterprise_id FROM wagecheck.enterprise e WHERE e.credit_code OPERATOR(wagecheck.=) '
                                                    'CASE WHEN wagecheck.is_valid_credit_code(%s) THEN %s::wagecheck.credit_code END),'
                                                    ' (SELECT (rf.target ->> %L)::bigint FROM wagecheck.mirror_ref rf WHERE rf.kind = %L AND rf.source_key = %s ORDER BY rf.source LIMIT 1))',
                                                    x, x, 'enterprise_id', 'enterprise', t)
                WHEN r.how = 'account' THEN format('coalesce((SELECT a.account_id FROM wagecheck.wage_account a WHERE a.account_no = %s),'
                                                   ' (SELECT (rf.target ->> %L)::bigint FROM wagecheck.mirror_ref rf WHERE rf.kind = %L AND rf.source_key = %s ORDER BY rf.source LIMIT 1))',
                                                   x, 'account_id', 'wage_account', t)
                WHEN r.how IN ('sheet', 'line', 'txn') THEN
                    format('(SELECT (rf.target ->> %L)::bigint FROM wagecheck.mirror_ref rf WHERE rf.kind = %L AND rf.source_key = %s ORDER BY rf.source LIMIT 1)',
                           CASE r.how WHEN 'sheet' THEN 'sheet_id' WHEN 'line' THEN 'line_id' ELSE 'txn_id' END,
                           CASE r.how WHEN 'sheet' THEN 'pay_sheet' WHEN 'line' THEN 'pay_line' ELSE 'account_txn' END, t)
            END;
            IF r.how IN ('direction', 'purpose') THEN
                -- the patterns of a value map ({"column": c, "in": [...], "out": [...]}); none: the defaults
                val := format('wagecheck._mirror_word(%L, n.%I::text, %L::text[], %L::text[])', r.how, col,
                              (SELECT array_agg(e) FROM jsonb_array_elements_text(
                                  CASE jsonb_typeof(map -> CASE r.how WHEN 'direction' THEN 'in' ELSE 'wage' END)
                                       WHEN 'array' THEN map -> CASE r.how WHEN 'direction' THEN 'in' ELSE 'wage' END
                                       WHEN 'string' THEN jsonb_build_array(map -> CASE r.how WHEN 'direction' THEN 'in' ELSE 'wage' END)
                                  END) AS e),
                              (SELECT array_agg(e) FROM jsonb_array_elements_text(
                                  CASE jsonb_typeof(map -> CASE r.how WHEN 'direction' THEN 'out' ELSE 'cash' END)
                                       WHEN 'array' THEN map -> CASE r.how WHEN 'direction' THEN 'out' ELSE 'cash' END
                                       WHEN 'string' THEN jsonb_build_array(map -> CASE r.how WHEN 'direction' THEN 'out' ELSE 'cash' END)
                                  END) AS e));
            END IF;
            IF lcols IS NOT NULL THEN
                lk_names := lk_names || format('%I (%s, id)', 'l_' || r.role,
                                               (SELECT string_agg(format('k%s', o), ', ' ORDER BY o)
                                                  FROM unnest(lcols) WITH ORDINALITY AS u(c, o)));
                lk_exprs := lk_exprs || val;
                lk_dcols := lk_dcols || (SELECT string_agg(format('n.%I::text AS %I', c, c), ', ' ORDER BY o)
                                           FROM unnest(lcols) WITH ORDINALITY AS u(c, o));
                joins := joins || format(' LEFT JOIN %I ON %s', 'l_' || r.role,
                                         (SELECT string_agg(format('%I.k%s = n.%I::text', 'l_' || r.role, o, c), ' AND ' ORDER BY o)
                                            FROM unnest(lcols) WITH ORDINALITY AS u(c, o)));
                val := format('%I.id', 'l_' || r.role);
                lcols := NULL;
            END IF;
        END IF;
        s_cols := s_cols || format(', %s AS %I, %s AS %I', raw, 'r_' || r.role, val, 'v_' || r.role);
        lbl := CASE WHEN r.how = 'resident_id' THEN 'resident ID' WHEN r.how = 'bank_card' THEN 'bank card'
                                        WHEN r.how = 'credit_code' THEN 'credit code' WHEN r.how = 'division' THEN 'division code'
                                        WHEN r.how = 'date' THEN 'date' WHEN r.how = 'month' THEN 'month'
                                        WHEN r.how = 'time' THEN 'date or time'
                                        WHEN r.how = 'numeric' THEN 'number' WHEN r.how = 'money' THEN 'amount of money'
                                        WHEN r.how LIKE 'choice:%' THEN 'one of ' || replace(substr(r.how, 8), ',', ', ')
                                        WHEN r.how = 'direction' THEN 'direction (in or out)'
                                        WHEN r.how = 'purpose' THEN 'purpose' WHEN r.how = 'method' THEN 'payment method'
                                        WHEN r.how = 'project' THEN 'project (by its code or mirrored key)'
                                        WHEN r.how = 'worker' THEN 'worker (by the resident ID or mirrored key)'
                                        WHEN r.how = 'employer' THEN 'enterprise (by the credit code or mirrored key)'
                                        WHEN r.how = 'account' THEN 'dedicated account (by its number or mirrored key)'
                                        WHEN r.how = 'sheet' THEN 'pay sheet (by its mirrored key)'
                                        WHEN r.how = 'line' THEN 'pay line (by its mirrored key)'
                                        WHEN r.how = 'txn' THEN 'account movement (by its mirrored key)' ELSE 'value' END;
        checks := checks || format(', (%s, %L, s.%I, s.%I IS NULL AND %s, %L)', n, r.role, 'r_' || r.role, 'v_' || r.role,
                                   CASE WHEN r.required THEN 'true' ELSE format('s.%I IS NOT NULL', 'r_' || r.role) END, lbl);
        refuse := refuse || format(' WHEN s.%I IS NULL AND %s THEN wagecheck._mirror_refuse($1::regclass, coalesce(s.k, %L), %L, coalesce(s.%I, %L), %L)',
                                   'v_' || r.role,
                                   CASE WHEN r.required THEN 'true' ELSE format('s.%I IS NOT NULL', 'r_' || r.role) END,
                                   '', r.role, 'r_' || r.role, '', lbl);
        oks := oks || format(' AND NOT (s.%I IS NULL AND %s)', 'v_' || r.role,
                             CASE WHEN r.required THEN 'true' ELSE format('s.%I IS NOT NULL', 'r_' || r.role) END);
        ins_cols := ins_cols || format(', %I', r.target);
        upd_cols := upd_cols || format(', %I', r.target);
        IF r.how = 'time' THEN
            -- a time mapped but empty is the moment of the write, as wagecheck's own column defaults
            ins_vals := ins_vals || format(', coalesce(s.%I, now())', 'v_' || r.role);
            upd_vals := upd_vals || format(', coalesce(s.%I, tt.%I)', 'v_' || r.role, r.target);
        ELSIF fb IS NOT NULL THEN
            ins_vals := ins_vals || format(', coalesce(s.%I, %s)', 'v_' || r.role, fb);
            upd_vals := upd_vals || format(', coalesce(s.%I, %s)', 'v_' || r.role, fb);
        ELSE
            ins_vals := ins_vals || format(', s.%I', 'v_' || r.role);
            upd_vals := upd_vals || format(', s.%I', 'v_' || r.role);
        END IF;
        IF r.role = 'at' THEN
            at_expr := 's.v_at';
        END IF;
    END LOOP;
    -- a value computed from a role that is not mapped (a pay line's net without deductions) reads it as NULL
    FOR r IN SELECT ro.role FROM wagecheck._mirror_roles(m.kind) ro WHERE NOT m.columns ? ro.role
                AND NOT (ro.role = 'direction' AND m.columns #>> '{amount,sign}' IS NOT NULL) LOOP
        ins_vals := regexp_replace(ins_vals, format('s\.v_%s\M', r.role), 'NULL', 'g');
        upd_vals := regexp_replace(upd_vals, format('s\.v_%s\M', r.role), 'NULL', 'g');
    END LOOP;
    -- required roles are required by attach(); a missing one here means the mapping was edited
    FOR r IN SELECT * FROM wagecheck._mirror_roles(m.kind) ro WHERE ro.required AND NOT m.columns ? ro.role
                AND NOT (ro.role = 'direction' AND m.columns #>> '{amount,sign}' IS NOT NULL) LOOP
        checks := checks || format(', (99, %L, NULL::text, true, %L)', r.role, 'value');
        refuse := refuse || format(' WHEN true THEN wagecheck._mirror_refuse($1::regclass, coalesce(s.k, %L), %L, %L, %L)', '', r.role, '', 'value');
        oks := 'false';
    END LOOP;
    -- the new rows' ids are drawn in s, so the way back is written from s without
    -- joining the inserted rows to the statement's (one pass, no join to plan)
    IF idcol IS NOT NULL THEN
        target := format('jsonb_build_object(%L, s.new_id)', idcol);
        match := format('tt.%I = (r.target ->> %L)::bigint', idcol, idcol);
    ELSE
        target := format('jsonb_build_object(%s)',
                         (SELECT string_agg(format('%L, s.%I', u.c, 'v_' || ro.role), ', ' ORDER BY u.o)
                            FROM unnest(kd.key_columns) WITH ORDINALITY AS u(c, o)
                            JOIN wagecheck._mirror_roles(m.kind) ro ON ro.target = u.c));
        match := (SELECT string_agg(format('tt.%I = (r.target ->> %L)::%s', c, c,
                                           CASE WHEN c LIKE '%\_id' THEN 'bigint' ELSE 'date' END), ' AND ')
                    FROM unnest(kd.key_columns) AS c);
    END IF;
    proj := CASE m.kind WHEN 'worker' THEN 'NULL::bigint' WHEN 'enterprise' THEN 'NULL::bigint'
                        WHEN 'project' THEN 's.new_id'
                        WHEN 'pay_line' THEN '(SELECT ps.project_id FROM wagecheck.pay_sheet ps WHERE ps.sheet_id = s.v_sheet)'
                        WHEN 'wage_payment' THEN '(SELECT ps.project_id FROM wagecheck.pay_line pl JOIN wagecheck.pay_sheet ps'
                                                 ' ON ps.sheet_id = pl.sheet_id WHERE pl.line_id = s.v_line)'
                        WHEN 'account_txn' THEN '(SELECT a.project_id FROM wagecheck.wage_account a WHERE a.account_id = s.v_account)'
                        ELSE 's.v_project' END;
    -- mirror_ref's project joined to the written rows (a hash join for a COPY), not a lookup per row
    proj_col := proj;
    IF m.kind = 'pay_line' THEN
        proj_join := ' LEFT JOIN wagecheck.pay_sheet ps ON ps.sheet_id = s.v_sheet';
        proj_col := 'ps.project_id';
    ELSIF m.kind = 'wage_payment' THEN
        proj_join := ' LEFT JOIN wagecheck.pay_line pl ON pl.line_id = s.v_line'
                     ' LEFT JOIN wagecheck.pay_sheet ps ON ps.sheet_id = pl.sheet_id';
        proj_col := 'ps.project_id';
    ELSIF m.kind = 'account_txn' THEN
        proj_join := ' LEFT JOIN wagecheck.wage_account pa ON pa.account_id = s.v_account';
        proj_col := 'pa.project_id';
    END IF;
    -- the statement's rows (n) with their references joined: for an insert the new rows; for an
    -- update's insert those not mirrored yet; for a backfill the next $3 by key after the
    -- high-water mark $2, less those mirrored since (by the trigger, or a backfill interrupted
    -- after its commit), read once
    FOR i IN 1 .. CASE WHEN event = 'update' THEN 2 ELSE 1 END LOOP
        pre := NULL;
        src := 'wagecheck_new';
        IF event = 'backfill' THEN
            pre := format('n0 AS MATERIALIZED (SELECT * FROM (SELECT * FROM %s n WHERE $2::text IS NULL OR %s'
                          ' ORDER BY %s LIMIT $3) n WHERE NOT EXISTS (SELECT FROM wagecheck.mirror_ref r'
                          ' WHERE r.source = $1::regclass AND r.source_key = %s))',
                          tbl, keyx.after, keyx.ord, keyx.expr);
            src := 'n0';
        ELSIF i = 2 THEN
            src := format('(SELECT * FROM wagecheck_new n WHERE NOT EXISTS (SELECT FROM wagecheck.mirror_ref r'
                          ' WHERE r.source = $1::regclass AND r.source_key = %s))', keyx.expr);
        END IF;
        pre := concat_ws(', ', pre,
                         (SELECT string_agg(format('%s AS (SELECT d.*, %s FROM (SELECT DISTINCT %s FROM %s n) d)',
                                                   l.name, l.expr, l.dcols, src), ', ')
                            FROM unnest(lk_names, lk_exprs, lk_dcols) AS l(name, expr, dcols)));
        s_news[i] := CASE WHEN pre <> '' THEN 'WITH ' || pre || ' ' ELSE '' END
                     || format('SELECT %s FROM %s n%s', s_cols, src, joins);
    END LOOP;
    s_new := s_news[1];
    IF m.mode = 'alert' THEN
        -- rows that cannot be mirrored are recorded as violations and left out
        viol := format('WITH s AS (%s) INSERT INTO wagecheck.violation (rule_code, subject_kind, subject_id, project_id,'
                       ' occurred_at, details, source)'
                       ' SELECT DISTINCT ON (s.k) %L, %L, coalesce(s.k, %L), %s, coalesce(%s, now()),'
                       ' jsonb_build_object(%L, CASE WHEN u.raw IS NULL THEN format(%L, coalesce(s.k, %L), $1::regclass, u.role)'
                       ' ELSE format(%L, coalesce(s.k, %L), $1::regclass, u.raw, u.role, u.label) END, %L, %L), $1::regclass'
                       ' FROM s CROSS JOIN LATERAL (VALUES %s) AS u(n, role, raw, bad, label) WHERE u.bad ORDER BY s.k, u.n',
                       s_new, kd.rule_code, m.kind, '', CASE m.kind WHEN 'project' THEN 'NULL::bigint' ELSE proj END, at_expr,
                       'message', 'wagecheck cannot mirror the row %s of %s: its role "%s" is empty', '(null)',
                       'wagecheck cannot mirror the row %s of %s: "%s" (role "%s") reads as no %s', '(null)',
                       'sqlstate', 'WC008', checks);
    END IF;
    FOR i IN 1 .. array_length(s_news, 1) LOOP
        IF m.mode = 'alert' THEN
            s_ok := format('SELECT * FROM (%s) s WHERE %s', s_news[i], oks);
        ELSE
            -- a row with a value that names nothing is refused as the rows are read, in the one
            -- pass that writes them (OFFSET 0: each value is computed once, not again in the test)
            s_ok := format('SELECT * FROM (%s OFFSET 0) s WHERE CASE%s ELSE true END', s_news[i], refuse);
        END IF;
        inss[i] := format('WITH s AS (%s), t AS (INSERT INTO %s (%s) SELECT %s FROM s)'
                          ' INSERT INTO wagecheck.mirror_ref (source, source_key, kind, project_id, target)'
                          ' SELECT $1::regclass, s.k, %L, %s, %s FROM s%s'
                          ' ON CONFLICT (source, source_key) DO UPDATE'
                          ' SET kind = EXCLUDED.kind, project_id = EXCLUDED.project_id, target = EXCLUDED.target',
                          CASE WHEN idcol IS NULL THEN s_ok
                               ELSE format('SELECT nextval(%L::regclass) AS new_id, s0.* FROM (%s) s0',
                                           pg_catalog.pg_get_serial_sequence(tgt, idcol), s_ok) END,
                          tgt, CASE WHEN idcol IS NULL THEN '' ELSE quote_ident(idcol) || ', ' END || substr(ins_cols, 3),
                          CASE WHEN idcol IS NULL THEN '' ELSE 's.new_id, ' END || substr(ins_vals, 3),
                          m.kind, proj_col, target, proj_join);
    END LOOP;
    ins := inss[1];
    s_ok := CASE WHEN m.mode = 'alert' THEN format('SELECT * FROM (%s) s WHERE %s', s_new, oks)
                 ELSE format('SELECT * FROM (%s OFFSET 0) s WHERE CASE%s ELSE true END', s_new, refuse) END;
    del := format('WITH r AS (DELETE FROM wagecheck.mirror_ref r USING wagecheck_old n'
                  ' WHERE r.source = $1::regclass AND r.source_key = %s RETURNING r.target)'
                  ' DELETE FROM %s tt USING r WHERE %s', keyx.expr, tgt, match);
    IF event IN ('insert', 'backfill') THEN
        RETURN ARRAY[viol, ins];
    ELSIF event = 'update' THEN
        IF idcol IS NULL THEN
            RETURN ARRAY[viol, del, ins];
        END IF;
        -- the rows mirrored before are updated; a row not mirrored yet (attached without
        -- backfill, or before its batch) is mirrored now
        RETURN ARRAY[viol,
                     format('WITH s AS (%s) UPDATE %s tt SET (%s) = ROW(%s) FROM s JOIN wagecheck.mirror_ref r'
                            ' ON r.source = $1::regclass AND r.source_key = s.k WHERE %s',
                            s_ok, tgt, substr(upd_cols, 3), substr(upd_vals, 3), match),
                     inss[2]];
    ELSIF event = 'delete' THEN
        RETURN ARRAY[del];
    ELSIF event = 'truncate' THEN
        RETURN ARRAY[format('WITH r AS (DELETE FROM wagecheck.mirror_ref r WHERE r.source = $1::regclass RETURNING r.target)'
                                    ' DELETE FROM %s tt USING r WHERE %s', tgt, match)];
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._mirror_sql(regclass, text) IS 'the statements wagecheck.mirror() runs for an event (insert, update, delete, truncate) of a mirrored table, or mirror_backfill for a batch (backfill): a check query, in alert mode the recording of the rows that cannot be mirrored as violations, then the writes; NULL when the table is not mirrored';

-- mirror_backfill: the rows a table held before it was attached in mirror mode, loaded in
-- batches in the order of its key. A procedure without SET clauses, so that CALLed on its own
-- it commits each batch with its high-water mark (wagecheck.mirror.backfilled_to): called
-- again after an interruption it goes on from there. With commit_each => false (attach(...,
-- backfill => true)) the batches commit with the caller's transaction.
CREATE OR REPLACE PROCEDURE wagecheck.mirror_backfill(tbl regclass, batch integer DEFAULT 10000,
                                                     commit_each boolean DEFAULT true)
    LANGUAGE plpgsql
AS $$
DECLARE
    stmts text[];
    hwm text;
    next_hwm text;
    key jsonb;
    keyx record;
    done bigint := 0;
    n bigint;
BEGIN
    SELECT m.backfilled_to, m.columns -> 'key' INTO hwm, key FROM wagecheck.mirror m WHERE m.source = tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('%s is not attached in mirror mode', tbl),
            ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF batch IS NULL OR batch < 1 THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('a backfill batch is one row or more, not %s', batch),
            ERRCODE = 'invalid_parameter_value';
    END IF;
    stmts := wagecheck._mirror_sql(tbl, 'backfill');
    keyx := wagecheck._mirror_key(tbl, key, 'b', '$1::text');
    LOOP
        -- the key of the last row of the next batch: the high-water mark once it is mirrored
        EXECUTE pg_catalog.format('SELECT x.m FROM (SELECT %s AS m, row_number() OVER (ORDER BY %s) AS i'
                                  ' FROM (SELECT * FROM %s b WHERE $1::text IS NULL OR %s ORDER BY %s LIMIT $2) b) x'
                                  ' ORDER BY x.i DESC LIMIT 1', keyx.last, keyx.ord, tbl, keyx.after, keyx.ord)
            INTO next_hwm USING hwm, batch;
        EXIT WHEN next_hwm IS NULL;
        IF stmts[1] <> '' THEN
            EXECUTE stmts[1] USING tbl::oid, hwm, batch;
        END IF;
        EXECUTE stmts[2] USING tbl::oid, hwm, batch;
        GET DIAGNOSTICS n = ROW_COUNT;
        done := done + n;
        hwm := next_hwm;
        UPDATE wagecheck.mirror SET backfilled_to = hwm WHERE source = tbl;
        RAISE NOTICE USING MESSAGE = wagecheck._msg('backfill of %s: %s rows mirrored, up to key %s', tbl, done, hwm);
        IF commit_each THEN
            COMMIT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON PROCEDURE wagecheck.mirror_backfill(regclass, integer, boolean) IS 'loads the rows a mirrored table held before it was attached, in batches by key with a NOTICE each; CALLed alone it commits each batch and resumes from its high-water mark (wagecheck.mirror.backfilled_to)';
