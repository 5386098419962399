-- Change capture for incremental scans. Statement-level triggers on every table an
-- evaluator reads append one row per statement to wagecheck.input_change (insert-only:
-- writers never wait on each other for it): the table, the writing transaction, and the
-- moments of the written rows (their date and time columns). A rule whose declared inputs
-- (rule.inputs) have no change since its last evaluation - none written by a transaction
-- its last scan could not see, and no written row dated between that scan's moment and
-- this one - and whose result cannot change by the passage of time alone
-- (rule.time_driven false) has the same hits as then: a forward scan carries them over
-- from its live alerts instead of evaluating the rule (see scan()). Each change also names
-- the projects whose rows it wrote (input_change.projects): a rule with a project evaluator
-- (rule.project_evaluator) is evaluated for those projects only, the hits of the others
-- carried over.

CREATE TABLE wagecheck.input_change (
    table_name text NOT NULL,
    xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    moments    tstzmultirange,
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    projects   bigint[],
    op         "char" CHECK (op IN ('i', 'u', 'd', 't'))
);
CREATE INDEX input_change_table ON wagecheck.input_change (table_name);

CREATE TABLE wagecheck.rule_eval_state (
    code         text PRIMARY KEY REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    snapshot     pg_snapshot NOT NULL,
    scan_xid     xid8 NOT NULL,
    seen_seq     bigint NOT NULL,
    evaluated_to timestamptz NOT NULL,
    carried      boolean NOT NULL,
    at           timestamptz NOT NULL,
    time_zone    text NOT NULL,
    projects     bigint[]
);

CREATE TABLE wagecheck.rule_kept_hit (
    code       text NOT NULL REFERENCES wagecheck.rule ON UPDATE CASCADE ON DELETE CASCADE,
    alert_id   bigint NOT NULL REFERENCES wagecheck.alert ON DELETE CASCADE,
    project_id bigint,
    PRIMARY KEY (code, alert_id)
);
