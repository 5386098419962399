-- Attaching wagecheck's enforcing trigger to existing (legacy) tables.

CREATE OR REPLACE FUNCTION wagecheck._trigger_args(args bytea) RETURNS text[]
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, wagecheck
AS $$
    SELECT coalesce(array_agg(convert_from(substring(args FROM z.st + 1 FOR z.en - z.st),
                                           current_setting('server_encoding')) ORDER BY z.en), '{}')
      FROM (SELECT i AS en, coalesce(lag(i) OVER (ORDER BY i) + 1, 0) AS st
              FROM generate_series(0, length(args) - 1) AS i
             WHERE get_byte(args, i) = 0) AS z
$$;
COMMENT ON FUNCTION wagecheck._trigger_args(bytea) IS 'the arguments of a trigger (pg_trigger.tgargs) as a text array';


CREATE OR REPLACE FUNCTION wagecheck.detach(tbl regclass, keep_rows boolean DEFAULT true) RETURNS boolean
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    t name;
    dropped boolean := false;
    stmts text[];
BEGIN
    FOR t IN
        SELECT tg.tgname FROM pg_catalog.pg_trigger tg
         WHERE tg.tgrelid = tbl AND NOT tg.tgisinternal
           AND ((tg.tgfoid = 'wagecheck.enforce()'::regprocedure
                 AND tg.tgname IN ('wagecheck_enforce_row', 'wagecheck_enforce_statement'))
                OR (tg.tgfoid = 'wagecheck.mirror()'::regprocedure
                    AND tg.tgname IN ('wagecheck_mirror_insert', 'wagecheck_mirror_update',
                                      'wagecheck_mirror_delete', 'wagecheck_mirror_truncate')))
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t, tbl);
        dropped := true;
    END LOOP;
    IF EXISTS (SELECT FROM wagecheck.mirror WHERE source = tbl) THEN
        IF NOT keep_rows THEN
            -- what a TRUNCATE of the table would do to the mirrored rows
            stmts := wagecheck._mirror_sql(tbl, 'truncate');
            EXECUTE stmts[1] USING tbl::oid;
        END IF;
        DELETE FROM wagecheck.mirror WHERE source = tbl;
        dropped := true;
    END IF;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION wagecheck.detach(regclass, boolean) IS 'removes the enforcing or mirroring trigger that wagecheck.attach() installed on a table; a mirrored table''s rows in wagecheck''s tables are kept (with their mirror_ref) or, keep_rows => false, deleted; true if there was one';

CREATE OR REPLACE FUNCTION wagecheck.attach(tbl regclass, kind text, columns jsonb, mode text DEFAULT 'reject',
                                            mirror boolean DEFAULT false, backfill boolean DEFAULT false)
    RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    args text[];
    quoted text;
    r record;
BEGIN
    IF NOT EXISTS (SELECT FROM wagecheck._mirror_kinds() k WHERE k.kind = attach.kind) THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('cannot attach wagecheck to a table of kind "%s"', kind),
            ERRCODE = 'invalid_parameter_value',
                  HINT = wagecheck._msg('Kinds are account_txn, pay_line, wage_payment and wage_account (enforced in place, or mirrored); enterprise, project, worker, roster, attendance, pay_sheet, labour_cost and deposit with mirror => true.');
    END IF;
    IF backfill AND NOT mirror THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('backfill => true loads a table attached with mirror => true'),
            ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT mirror AND kind NOT IN ('account_txn', 'pay_line', 'wage_payment', 'wage_account') THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('a table of kind "%s" can be attached only with mirror => %s', kind, NOT mirror),
            ERRCODE = 'feature_not_supported',
                  HINT = wagecheck._msg('Kinds enterprise, project, worker, roster, attendance, pay_sheet, labour_cost and deposit are mirrored into wagecheck''s tables; account_txn, pay_line, wage_payment and wage_account are enforced in place or mirrored.');
    END IF;
    IF mode NOT IN ('reject', 'alert') THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('unknown enforcement mode "%s"', mode),
            ERRCODE = 'invalid_parameter_value', HINT = wagecheck._msg('Modes are reject and alert.');
    END IF;
    IF jsonb_typeof(columns) <> 'object' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('the column mapping must be a JSON object of role: column name'),
            ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kind = 'wage_account' AND columns ? 'balance' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('an attached table of accounts keeps its own balance: do not map "balance"'),
            ERRCODE = 'invalid_parameter_value',
                  DETAIL = wagecheck._msg('wagecheck derives balances from movements only in wagecheck.wage_account.');
    END IF;
    IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = tbl) <> 'r' THEN
        RAISE EXCEPTION USING MESSAGE = wagecheck._msg('%s is not an ordinary table', tbl),
            ERRCODE = 'wrong_object_type';
    END IF;
    IF mirror THEN
        -- {role: column}, {role: {"column": column, option: ...}} (value maps), "key": column or [columns]
        FOR r IN SELECT e.key, e.value, ro.how,
                        CASE jsonb_typeof(e.value) WHEN 'string' THEN ARRAY[e.value #>> '{}']
                             WHEN 'object' THEN ARRAY[e.value ->> 'column']
                             WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e.value)) END AS cols
                   FROM jsonb_each(columns) e
                   LEFT JOIN wagecheck._mirror_roles(kind) ro ON ro.role = e.key
                  ORDER BY e.key LOOP
            IF (r.key <> 'key' AND r.how IS NULL)
               OR jsonb_typeof(r.value) NOT IN ('string', 'object', 'array')
               OR (jsonb_typeof(r.value) = 'array' AND ((r.key <> 'key' AND r.how NOT IN ('project', 'worker', 'employer', 'account', 'sheet', 'line', 'txn'))
                       OR jsonb_array_length(r.value) = 0
                       OR EXISTS (SELECT FROM jsonb_array_elements(r.value) x WHERE jsonb_typeof(x) <> 'string')))
               OR (jsonb_typeof(r.value) = 'object' AND (r.key = 'key' OR jsonb_typeof(r.value -> 'column') IS DISTINCT FROM 'string'))
               OR EXISTS (SELECT FROM unnest(r.cols) c
                           WHERE c IS NULL OR NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                                                           WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
                                                             AND a.attname = c)) THEN
                RAISE EXCEPTION USING MESSAGE = wagecheck._msg('column role "%s" of kind "%s" cannot be mapped to %s', r.key, kind, r.value),
                    ERRCODE = 'invalid_parameter_value',
                          HINT = wagecheck._msg('Roles of kind %s are key, %s, each naming a column of %s.', kind,
                                                (SELECT string_agg(m.role, ', ') FROM wagecheck._mirror_roles(kind) m), tbl);
            END IF;
            -- the options of a value map: direction in/out, purpose wage/cash (patterns),
            -- an amount's sign, the values of a role with a closed list of values
            IF jsonb_typeof(r.value) = 'object' AND EXISTS (
                   SELECT FROM jsonb_each(r.value) o
                    WHERE o.key <> 'column'
                      AND NOT (r.how = 'direction' AND o.key IN ('in', 'out') AND jsonb_typeof(o.value) IN ('string', 'array'))
                      AND NOT (r.how = 'purpose' AND o.key IN ('wage', 'cash') AND jsonb_typeof(o.value) IN ('string', 'array'))
                      AND NOT (r.how = 'money' AND o.key = 'sign' AND o.value #>> '{}' IN ('minus_is_out', 'minus_is_in')
                               AND jsonb_typeof(o.value) = 'string')
                      AND NOT (r.how LIKE 'choice:%' AND o.key = 'values' AND jsonb_typeof(o.value) = 'object'
                               AND NOT EXISTS (SELECT FROM jsonb_each(o.value) v
                                                WHERE jsonb_typeof(v.value) <> 'string'
                                                   OR NOT (v.value #>> '{}') = ANY (string_to_array(substr(r.how, 8), ','))))) THEN
                RAISE EXCEPTION USING MESSAGE = wagecheck._msg('the value map of role "%s" of kind "%s" (column %s) has an option wagecheck does not know: %s',
                                                               r.key, kind, r.value ->> 'column', r.value),
                    ERRCODE = 'invalid_parameter_value',
                          HINT = wagecheck._msg('Options are "in" and "out" for direction, "wage" and "cash" for purpose (patterns), "sign" (minus_is_out or minus_is_in) for an amount, and "values" {"legacy word": "wagecheck''s word"} for a role of listed values.');
            END IF;
            IF r.how IN ('direction', 'purpose') AND jsonb_typeof(r.value) = 'object' THEN
                -- the patterns are checked by the function that reads them
                PERFORM wagecheck._mirror_word(r.how, '',
                    ARRAY(SELECT jsonb_array_elements_text(CASE jsonb_typeof(x.v) WHEN 'array' THEN x.v ELSE jsonb_build_array(x.v) END)
                            FROM (SELECT r.value -> CASE r.how WHEN 'direction' THEN 'in' ELSE 'wage' END AS v) x WHERE x.v IS NOT NULL),
                    ARRAY(SELECT jsonb_array_elements_text(CASE jsonb_typeof(x.v) WHEN 'array' THEN x.v ELSE jsonb_build_array(x.v) END)
                            FROM (SELECT r.value -> CASE r.how WHEN 'direction' THEN 'out' ELSE 'cash' END AS v) x WHERE x.v IS NOT NULL));
                IF r.how = 'direction' AND NOT (r.value ? 'in' AND r.value ? 'out') AND (r.value ? 'in' OR r.value ? 'out') THEN
                    RAISE EXCEPTION USING MESSAGE = wagecheck._msg('the value map of role "direction" of %s needs both "in" and "out"', tbl),
                        ERRCODE = 'invalid_parameter_value';
                END IF;
            END IF;
        END LOOP;
        IF columns #>> '{amount,sign}' IS NOT NULL AND columns ? 'direction' THEN
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('the sign of role "amount" of %s applies only without a "direction" column', tbl),
                ERRCODE = 'invalid_parameter_value';
        END IF;
        FOR r IN SELECT m.role FROM wagecheck._mirror_roles(kind) m
                  WHERE m.required AND NOT columns ? m.role
                    AND NOT (m.role = 'direction' AND columns #>> '{amount,sign}' IS NOT NULL)
                 UNION ALL SELECT 'key' WHERE NOT columns ? 'key' LOOP
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('a mirrored table of kind "%s" must map the role "%s"', kind, r.role),
                ERRCODE = 'invalid_parameter_value';
        END LOOP;
        PERFORM wagecheck.detach(tbl);
        INSERT INTO wagecheck.mirror (source, kind, mode, columns) VALUES (tbl, kind, mode, columns);
        EXECUTE format('CREATE TRIGGER wagecheck_mirror_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS wagecheck_new'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.mirror()', tbl);
        EXECUTE format('CREATE TRIGGER wagecheck_mirror_update AFTER UPDATE ON %s'
                       ' REFERENCING OLD TABLE AS wagecheck_old NEW TABLE AS wagecheck_new'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.mirror()', tbl);
        EXECUTE format('CREATE TRIGGER wagecheck_mirror_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS wagecheck_old'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.mirror()', tbl);
        EXECUTE format('CREATE TRIGGER wagecheck_mirror_truncate AFTER TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.mirror()', tbl);
        IF backfill THEN
            CALL wagecheck.mirror_backfill(tbl, 10000, false);
        END IF;
        RETURN;
    END IF;
    -- {role: column} or {role: {"column": column, option: value or [values]}} as trigger
    -- arguments role=column and role.option=value, one a value; C checks what they say
    args := ARRAY[kind, mode];
    FOR r IN SELECT key, value FROM jsonb_each(columns) ORDER BY key LOOP
        IF jsonb_typeof(r.value) NOT IN ('string', 'object')
           OR (jsonb_typeof(r.value) = 'object'
               AND EXISTS (SELECT 1 FROM jsonb_each(r.value) AS o(k, v)
                            CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(o.v) WHEN 'array' THEN o.v
                                                                    ELSE jsonb_build_array(o.v) END) AS e(x)
                            WHERE jsonb_typeof(e.x) NOT IN ('string', 'number')
                               OR (o.k = 'column' AND jsonb_typeof(o.v) <> 'string'))) THEN
            RAISE EXCEPTION USING MESSAGE = wagecheck._msg('column role "%s" must name a column as a JSON string, or be a value map {"column": name, option: value or [values]} of strings', r.key),
                ERRCODE = 'invalid_parameter_value';
        END IF;
        IF jsonb_typeof(r.value) = 'string' THEN
            args := args || (r.key || '=' || (r.value #>> '{}'));
        ELSE
            args := args || ARRAY(SELECT r.key || '=' || (r.value ->> 'column') WHERE r.value ? 'column')
                         || ARRAY(SELECT r.key || '.' || o.k || '=' || (e.x #>> '{}')
                                    FROM jsonb_each(r.value) WITH ORDINALITY AS o(k, v, n)
                                   CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(o.v) WHEN 'array' THEN o.v
                                                                           ELSE jsonb_build_array(o.v) END)
                                         WITH ORDINALITY AS e(x, m)
                                   WHERE o.k <> 'column' ORDER BY o.k, e.m);
        END IF;
    END LOOP;
    -- the same check the trigger makes, so a bad mapping fails here, not at the first row
    PERFORM wagecheck.check_mapping(tbl, args);
    PERFORM wagecheck.detach(tbl);
    SELECT string_agg(quote_literal(a), ', ' ORDER BY n) INTO quoted
      FROM unnest(args) WITH ORDINALITY AS u(a, n);
    IF kind = 'account_txn' THEN
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS wagecheck_new FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    ELSIF kind = 'wage_account' THEN
        -- a closure is an update of the account row; nothing is remembered across rows
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_row BEFORE UPDATE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    ELSE
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_row BEFORE INSERT OR UPDATE ON %s'
                       ' FOR EACH ROW EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
        EXECUTE format('CREATE TRIGGER wagecheck_enforce_statement AFTER INSERT OR UPDATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wagecheck.enforce(%s)', tbl, quoted);
    END IF;
END
$$;
COMMENT ON FUNCTION wagecheck.attach(regclass, text, jsonb, text, boolean, boolean) IS 'installs wagecheck''s enforcing C trigger on an existing table: kind account_txn, pay_line, wage_payment or wage_account, a mapping {role: column or {"column": column, value map}}, mode reject or alert; with mirror => true (kinds worker, roster, attendance) its rows feed wagecheck''s table of the kind, and with backfill => true the rows already there are loaded; attaching again replaces it';

CREATE OR REPLACE VIEW wagecheck.attached AS
SELECT e.* FROM (
SELECT DISTINCT ON (tg.tgrelid)
       tg.tgrelid::regclass AS "table",
       a.args[1] AS kind,
       a.args[2] AS mode,
       -- role=column, and role.option=value of value maps, back into the mapping attach() took
       (SELECT jsonb_object_agg(o.role, CASE WHEN o.opts IS NULL THEN to_jsonb(o.col)
                                             ELSE jsonb_build_object('column', o.col) || o.opts END)
          FROM (SELECT e.role, max(e.vals #>> '{}') FILTER (WHERE e.opt IS NULL) AS col,
                       jsonb_object_agg(e.opt, e.vals) FILTER (WHERE e.opt IS NOT NULL) AS opts
                  FROM (SELECT split_part(p.key, '.', 1) AS role, nullif(split_part(p.key, '.', 2), '') AS opt,
                               CASE WHEN p.key ~ '\.(in|out|wage|cash)$' THEN jsonb_agg(p.val ORDER BY p.n)
                                    ELSE to_jsonb(min(p.val)) END AS vals
                          FROM (SELECT split_part(m, '=', 1) AS key, substr(m, strpos(m, '=') + 1) AS val, n
                                  FROM unnest(a.args[3:]) WITH ORDINALITY AS u(m, n)) AS p
                         GROUP BY p.key) AS e
                 GROUP BY e.role) AS o) AS columns,
       c.relnamespace = 'wagecheck'::regnamespace AS builtin
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  CROSS JOIN LATERAL (SELECT wagecheck._trigger_args(tg.tgargs) AS args) AS a
 WHERE tg.tgfoid = 'wagecheck.enforce()'::regprocedure AND NOT tg.tgisinternal
 ORDER BY tg.tgrelid, tg.tgname) AS e
UNION ALL
-- tables mirrored into wagecheck's tables
SELECT m.source, m.kind, m.mode, m.columns, false FROM wagecheck.mirror m;
COMMENT ON VIEW wagecheck.attached IS 'tables guarded by wagecheck''s enforcing trigger: kind, mode (project = the project''s enforcement_mode), column mapping; builtin = wagecheck''s own tables; mirrored tables (attach(..., mirror => true)) with their kind and mapping';
