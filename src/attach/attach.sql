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


CREATE OR REPLACE FUNCTION wagecheck.detach(tbl regclass) RETURNS boolean
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    t name;
    dropped boolean := false;
BEGIN
    FOR t IN
        SELECT tg.tgname FROM pg_catalog.pg_trigger tg
         WHERE tg.tgrelid = tbl AND NOT tg.tgisinternal
           AND tg.tgfoid = 'wagecheck.enforce()'::regprocedure
           AND tg.tgname IN ('wagecheck_enforce_row', 'wagecheck_enforce_statement')
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t, tbl);
        dropped := true;
    END LOOP;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION wagecheck.detach(regclass) IS 'removes the enforcing trigger that wagecheck.attach() installed on a table; true if there was one';

CREATE OR REPLACE FUNCTION wagecheck.attach(tbl regclass, kind text, columns jsonb, mode text DEFAULT 'reject')
    RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, wagecheck
AS $$
DECLARE
    args text[];
    quoted text;
    r record;
BEGIN
    IF kind NOT IN ('account_txn', 'pay_line', 'wage_payment', 'wage_account') THEN
        RAISE EXCEPTION 'cannot attach wagecheck to a table of kind "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Kinds are account_txn, pay_line, wage_payment and wage_account.';
    END IF;
    IF mode NOT IN ('reject', 'alert') THEN
        RAISE EXCEPTION 'unknown enforcement mode "%"', mode
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Modes are reject and alert.';
    END IF;
    IF jsonb_typeof(columns) <> 'object' THEN
        RAISE EXCEPTION 'the column mapping must be a JSON object of role: column name'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kind = 'wage_account' AND columns ? 'balance' THEN
        RAISE EXCEPTION 'an attached table of accounts keeps its own balance: do not map "balance"'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'wagecheck derives balances from movements only in wagecheck.wage_account.';
    END IF;
    IF (SELECT relkind FROM pg_catalog.pg_class WHERE oid = tbl) <> 'r' THEN
        RAISE EXCEPTION '% is not an ordinary table', tbl
            USING ERRCODE = 'wrong_object_type';
    END IF;
    args := ARRAY[kind, mode];
    FOR r IN SELECT key, value FROM jsonb_each(columns) ORDER BY key LOOP
        IF jsonb_typeof(r.value) <> 'string' THEN
            RAISE EXCEPTION 'column role "%" must name a column as a JSON string', r.key
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        args := args || (r.key || '=' || (r.value #>> '{}'));
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
COMMENT ON FUNCTION wagecheck.attach(regclass, text, jsonb, text) IS 'installs wagecheck''s enforcing C trigger on an existing table: kind account_txn, pay_line, wage_payment or wage_account, a mapping {role: column}, mode reject or alert; attaching again replaces it';

CREATE OR REPLACE VIEW wagecheck.attached AS
SELECT DISTINCT ON (tg.tgrelid)
       tg.tgrelid::regclass AS "table",
       a.args[1] AS kind,
       a.args[2] AS mode,
       (SELECT jsonb_object_agg(split_part(m, '=', 1), substr(m, strpos(m, '=') + 1))
          FROM unnest(a.args[3:]) AS m) AS columns,
       c.relnamespace = 'wagecheck'::regnamespace AS builtin
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  CROSS JOIN LATERAL (SELECT wagecheck._trigger_args(tg.tgargs) AS args) AS a
 WHERE tg.tgfoid = 'wagecheck.enforce()'::regprocedure AND NOT tg.tgisinternal
 ORDER BY tg.tgrelid, tg.tgname;
COMMENT ON VIEW wagecheck.attached IS 'tables guarded by wagecheck''s enforcing trigger: kind, mode (project = the project''s enforcement_mode), column mapping; builtin = wagecheck''s own tables';
