-- Mirror mode: attached tables that feed wagecheck's own tables (wagecheck.attach(...,
-- mirror => true)). wagecheck.mirror holds each mirrored table's kind and mapping;
-- wagecheck.mirror_ref the way back from a mirrored row to its legacy record.

CREATE TABLE wagecheck.mirror (
    source     regclass PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('enterprise', 'project', 'worker', 'roster', 'attendance', 'pay_sheet', 'pay_line',
                                          'wage_payment', 'wage_account', 'account_txn', 'labour_cost', 'deposit')),
    mode       text NOT NULL CHECK (mode IN ('reject', 'alert')),
    columns    jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'object'),
    backfilled_to text
);

-- source_key and kind compare bytewise (COLLATE "C"): a mirrored COPY inserts one row per
-- legacy row into two btrees on them, and a locale's comparison cost a third of the mirror's time
CREATE TABLE wagecheck.mirror_ref (
    source     regclass NOT NULL,
    source_key text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    project_id bigint,
    target     jsonb NOT NULL,
    PRIMARY KEY (source, source_key)
);
-- from a row of wagecheck's table back to its source (r.target = jsonb_build_object(...)): a hash
-- of the JSON costs a mirrored COPY less than a btree comparing JSON values
CREATE INDEX mirror_ref_target ON wagecheck.mirror_ref USING hash (target);
-- a legacy key named by another mirrored table (a payment's line, a movement's account): only
-- the kinds a role can name (_mirror_sql's lookups), so that a mirrored COPY of attendance or
-- payments does not insert into an index nothing reads
CREATE INDEX mirror_ref_key ON wagecheck.mirror_ref (kind, source_key)
    WHERE kind IN ('enterprise', 'project', 'worker', 'wage_account', 'pay_sheet', 'pay_line', 'account_txn');

SELECT pg_catalog.pg_extension_config_dump('wagecheck.mirror', '');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.mirror_ref', '');
