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

-- _mirror_roles: the roles of each kind that can be mirrored, the column each feeds, how
-- its value is read, and whether it is required
CREATE OR REPLACE FUNCTION wagecheck._mirror_roles(kind text)
    RETURNS TABLE (role text, target text, how text, required boolean)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT r.role, r.target, r.how, r.required
      FROM (VALUES
        ('worker', 1, 'resident_id', 'resident_id', 'resident_id', true),
        ('worker', 2, 'name', 'name', 'text', true),
        ('worker', 3, 'phone', 'phone', 'ident', false),
        ('worker', 4, 'wage_card', 'wage_card', 'bank_card', false),
        ('worker', 5, 'card_bank', 'card_bank', 'text', false),
        ('worker', 6, 'at', 'registered_at', 'time', false),
        ('roster', 1, 'project', 'project_id', 'project', true),
        ('roster', 2, 'worker', 'worker_id', 'worker', true),
        ('roster', 3, 'employer', 'employer_id', 'employer', true),
        ('roster', 4, 'trade', 'trade', 'text', false),
        ('roster', 5, 'contract', 'contract_signed_on', 'date', false),
        ('roster', 6, 'start', 'start_on', 'date', true),
        ('roster', 7, 'end', 'end_on', 'date', false),
        ('roster', 8, 'wage_rate', 'wage_rate', 'numeric', false),
        ('roster', 9, 'at', 'created_at', 'time', false),
        ('attendance', 1, 'project', 'project_id', 'project', true),
        ('attendance', 2, 'worker', 'worker_id', 'worker', true),
        ('attendance', 3, 'day', 'day', 'date', true),
        ('attendance', 4, 'hours', 'hours', 'numeric', false),
        ('attendance', 5, 'at', 'created_at', 'time', false)
      ) AS r(kind, n, role, target, how, required)
     WHERE r.kind = _mirror_roles.kind
     ORDER BY r.n
$$;
COMMENT ON FUNCTION wagecheck._mirror_roles(text) IS 'the column roles of a kind that can be mirrored: the column of wagecheck''s table each feeds, how it is read, whether it is required';

-- _mirror_sql: the statements of one event of a mirrored table, run by wagecheck.mirror()
-- with $1 = the table: first a check query (role, value, key, what the value should name, of the
-- first value that resolves to nothing; '' when none), then the writes. NULL when the table is not mirrored.
CREATE OR REPLACE FUNCTION wagecheck._mirror_sql(tbl regclass, event text) RETURNS text[]
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    m wagecheck.mirror;
    r record;
    col text;
    typ regtype;
    raw text;
    val text;
    x text;
    s_cols text := '';
    checks text := '';
    ins_cols text := '';
    ins_vals text := '';
    upd_cols text := '';
    upd_vals text := '';
    tgt text;
    idcol text;
    target text;
    match text;
    proj text;
    s_new text;
    ins text;
    del text;
    chk text;
BEGIN
    SELECT * INTO m FROM wagecheck.mirror WHERE source = tbl;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    s_cols := format('nullif(btrim(n.%I::text), %L) AS k', m.columns ->> 'key', '');
    checks := '(''key'', s.k, s.k IS NULL, ''key'')';
    FOR r IN SELECT * FROM wagecheck._mirror_roles(m.kind) LOOP
        col := m.columns ->> r.role;
        IF col IS NULL THEN
            IF r.how = 'time' THEN
                ins_cols := ins_cols || format(', %I', r.target);
                ins_vals := ins_vals || ', now()';
            END IF;
            CONTINUE;
        END IF;
        SELECT a.atttypid::regtype INTO typ FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = tbl AND a.attname = col AND NOT a.attisdropped;
        raw := format('nullif(btrim(n.%I::text), %L)', col, '');
        x := format('wagecheck._mirror_text(n.%I::text, true)', col);
        val := CASE r.how
            WHEN 'text' THEN format('wagecheck._mirror_text(n.%I::text, false)', col)
            WHEN 'ident' THEN x
            WHEN 'resident_id' THEN format('CASE WHEN wagecheck.is_valid_resident_id(%s) THEN %s::wagecheck.resident_id END', x, x)
            WHEN 'bank_card' THEN format('CASE WHEN wagecheck.is_valid_bank_card(%s) THEN %s::wagecheck.bank_card END', x, x)
            WHEN 'date' THEN CASE WHEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
                                  THEN format('n.%I::date', col)
                                  ELSE format('wagecheck._mirror_moment(n.%I::text)::date', col) END
            WHEN 'time' THEN CASE WHEN typ IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype)
                                  THEN format('n.%I::timestamptz', col)
                                  ELSE format('wagecheck._mirror_moment(n.%I::text)::timestamptz', col) END
            WHEN 'numeric' THEN CASE WHEN typ IN ('numeric'::regtype, 'integer'::regtype, 'bigint'::regtype,
                                                  'smallint'::regtype, 'real'::regtype, 'double precision'::regtype)
                                     THEN format('n.%I::numeric', col)
                                     ELSE format('CASE WHEN %s ~ %L THEN %s::numeric END', x, '^[+]?[0-9]+([.][0-9]+)?$', x) END
            WHEN 'project' THEN format('(SELECT p.project_id FROM wagecheck.project p WHERE p.code = wagecheck._mirror_text(n.%I::text, false))', col)
            WHEN 'worker' THEN format('(SELECT w.worker_id FROM wagecheck.worker w WHERE w.resident_id OPERATOR(wagecheck.=) '
                                      'CASE WHEN wagecheck.is_valid_resident_id(%s) THEN %s::wagecheck.resident_id END)', x, x)
            WHEN 'employer' THEN format('(SELECT e.enterprise_id FROM wagecheck.enterprise e WHERE e.credit_code OPERATOR(wagecheck.=) '
                                        'CASE WHEN wagecheck.is_valid_credit_code(%s) THEN %s::wagecheck.credit_code END)', x, x)
        END;
        s_cols := s_cols || format(', %s AS %I, %s AS %I', raw, 'r_' || r.role, val, 'v_' || r.role);
        checks := checks || format(', (%L, s.%I, s.%I IS NULL AND %s, %L)', r.role, 'r_' || r.role, 'v_' || r.role,
                                   CASE WHEN r.required THEN 'true' ELSE format('s.%I IS NOT NULL', 'r_' || r.role) END,
                                   CASE r.how WHEN 'resident_id' THEN 'resident ID' WHEN 'bank_card' THEN 'bank card'
                                              WHEN 'date' THEN 'date' WHEN 'time' THEN 'date or time'
                                              WHEN 'numeric' THEN 'number' WHEN 'project' THEN 'project (by its code)'
                                              WHEN 'worker' THEN 'worker (by the resident ID)'
                                              WHEN 'employer' THEN 'enterprise (by the credit code)' ELSE 'value' END);
        ins_cols := ins_cols || format(', %I', r.target);
        upd_cols := upd_cols || format(', %I', r.target);
        IF r.how = 'time' THEN
            -- a time mapped but empty is the moment of the write, as wagecheck's own column defaults
            ins_vals := ins_vals || format(', coalesce(s.%I, now())', 'v_' || r.role);
            upd_vals := upd_vals || format(', coalesce(s.%I, tt.%I)', 'v_' || r.role, r.target);
        ELSE
            ins_vals := ins_vals || format(', s.%I', 'v_' || r.role);
            upd_vals := upd_vals || format(', s.%I', 'v_' || r.role);
        END IF;
    END LOOP;
    -- required roles are required by attach(); a missing one here means the mapping was edited
    FOR r IN SELECT * FROM wagecheck._mirror_roles(m.kind) WHERE required AND NOT m.columns ? role LOOP
        checks := checks || format(', (%L, NULL::text, true, %L)', r.role, 'value');
    END LOOP;
    tgt := CASE m.kind WHEN 'worker' THEN 'wagecheck.worker' WHEN 'roster' THEN 'wagecheck.roster'
                       ELSE 'wagecheck.attendance' END;
    -- the new rows' ids are drawn in s, so the way back is written from s without
    -- joining the inserted rows to the statement's (one pass, no join to plan)
    idcol := CASE m.kind WHEN 'worker' THEN 'worker_id' WHEN 'roster' THEN 'roster_id' END;
    target := CASE m.kind WHEN 'worker' THEN 'jsonb_build_object(''worker_id'', s.new_id)'
                          WHEN 'roster' THEN 'jsonb_build_object(''roster_id'', s.new_id)'
                          ELSE 'jsonb_build_object(''project_id'', s.v_project, ''worker_id'', s.v_worker, ''day'', s.v_day)' END;
    proj := CASE m.kind WHEN 'worker' THEN 'NULL::bigint' ELSE 's.v_project' END;
    match := CASE m.kind WHEN 'worker' THEN 'tt.worker_id = (r.target ->> ''worker_id'')::bigint'
                         WHEN 'roster' THEN 'tt.roster_id = (r.target ->> ''roster_id'')::bigint'
                         ELSE 'tt.project_id = (r.target ->> ''project_id'')::bigint AND tt.worker_id = (r.target ->> ''worker_id'')::bigint'
                              ' AND tt.day = (r.target ->> ''day'')::date' END;
    IF event = 'backfill' THEN
        -- the rows already in the table: the next $3 by key after the high-water mark $2,
        -- less those mirrored since (by the trigger, or a backfill interrupted after its commit)
        SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO col FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = tbl AND a.attname = m.columns ->> 'key' AND NOT a.attisdropped;
        s_new := format('SELECT %s FROM (SELECT * FROM %s b WHERE $2::text IS NULL OR b.%I > $2::text::%s'
                        ' ORDER BY b.%I LIMIT $3) n WHERE NOT EXISTS (SELECT FROM wagecheck.mirror_ref r'
                        ' WHERE r.source = $1::regclass AND r.source_key = nullif(btrim(n.%I::text), %L))',
                        s_cols, tbl, m.columns ->> 'key', col, m.columns ->> 'key', m.columns ->> 'key', '');
    ELSE
        s_new := format('SELECT %s FROM wagecheck_new n', s_cols);
    END IF;
    chk := format('WITH s AS (%s) SELECT u.role, u.raw, s.k, u.label FROM s CROSS JOIN LATERAL (VALUES %s) AS u(role, raw, bad, label)'
                  ' WHERE u.bad LIMIT 1', s_new, checks);
    ins := format('WITH s AS (%s), t AS (INSERT INTO %s (%s) SELECT %s FROM s)'
                  ' INSERT INTO wagecheck.mirror_ref (source, source_key, kind, project_id, target)'
                  ' SELECT $1::regclass, s.k, %L, %s, %s FROM s'
                  ' ON CONFLICT (source, source_key) DO UPDATE'
                  ' SET kind = EXCLUDED.kind, project_id = EXCLUDED.project_id, target = EXCLUDED.target',
                  CASE WHEN idcol IS NULL THEN s_new
                       ELSE replace(s_new, 'SELECT nullif(', format('SELECT nextval(%L::regclass) AS new_id, nullif(',
                                    pg_catalog.pg_get_serial_sequence(tgt, idcol))) END,
                  tgt, CASE WHEN idcol IS NULL THEN '' ELSE idcol || ', ' END || substr(ins_cols, 3),
                  CASE WHEN idcol IS NULL THEN '' ELSE 's.new_id, ' END || substr(ins_vals, 3),
                  m.kind, proj, target);
    del := format('WITH r AS (DELETE FROM wagecheck.mirror_ref r USING wagecheck_old n'
                  ' WHERE r.source = $1::regclass AND r.source_key = nullif(btrim(n.%I::text), %L) RETURNING r.target)'
                  ' DELETE FROM %s tt USING r WHERE %s', m.columns ->> 'key', '', tgt, match);
    IF event IN ('insert', 'backfill') THEN
        RETURN ARRAY[chk, ins];
    ELSIF event = 'update' THEN
        IF m.kind = 'attendance' THEN
            RETURN ARRAY[chk, del, ins];
        END IF;
        -- the rows mirrored before are updated; a row not mirrored yet (attached without
        -- backfill, or before its batch) is mirrored now
        RETURN ARRAY[chk, format('WITH s AS (%s) UPDATE %s tt SET (%s) = ROW(%s) FROM s JOIN wagecheck.mirror_ref r'
                                 ' ON r.source = $1::regclass AND r.source_key = s.k WHERE %s',
                                 s_new, tgt, substr(upd_cols, 3), substr(upd_vals, 3), match),
                     replace(ins, 'FROM wagecheck_new n)',
                             format('FROM wagecheck_new n WHERE NOT EXISTS (SELECT FROM wagecheck.mirror_ref r'
                                    ' WHERE r.source = $1::regclass AND r.source_key = nullif(btrim(n.%I::text), %L)))',
                                    m.columns ->> 'key', ''))];
    ELSIF event = 'delete' THEN
        RETURN ARRAY['', del];
    ELSIF event = 'truncate' THEN
        RETURN ARRAY['', format('WITH r AS (DELETE FROM wagecheck.mirror_ref r WHERE r.source = $1::regclass RETURNING r.target)'
                                ' DELETE FROM %s tt USING r WHERE %s', tgt, match)];
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION wagecheck._mirror_sql(regclass, text) IS 'the statements wagecheck.mirror() runs for an event (insert, update, delete, truncate) of a mirrored table, or mirror_backfill for a batch (backfill): a check query, then the writes; NULL when the table is not mirrored';

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
    key text;
    bad record;
    done bigint := 0;
    n bigint;
BEGIN
    SELECT m.backfilled_to, m.columns ->> 'key' INTO hwm, key FROM wagecheck.mirror m WHERE m.source = tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('%s is not attached in mirror mode', tbl),
            ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF batch IS NULL OR batch < 1 THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('a backfill batch is one row or more, not %s', batch),
            ERRCODE = 'invalid_parameter_value';
    END IF;
    stmts := wagecheck._mirror_sql(tbl, 'backfill');
    LOOP
        EXECUTE pg_catalog.format('SELECT max(b.%I)::text FROM (SELECT b.%I FROM %s b WHERE $1::text IS NULL OR b.%I > $1::text::%s'
                                  ' ORDER BY b.%I LIMIT $2) b', key, key, tbl, key,
                                  (SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
                                    WHERE a.attrelid = tbl AND a.attname = key), key)
            INTO next_hwm USING hwm, batch;
        EXIT WHEN next_hwm IS NULL;
        EXECUTE stmts[1] INTO bad USING tbl::oid, hwm, batch;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('wagecheck cannot mirror the row %s of %s: "%s" (role "%s") reads as no %s',
                                                           bad.k, tbl, bad.raw, bad.role, bad.label),
                ERRCODE = 'invalid_parameter_value';
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
