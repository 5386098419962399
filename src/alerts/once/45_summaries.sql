-- Summaries kept at write time for the evaluators' two heavy building blocks:
-- wagecheck.attendance_month (days attended per project, worker and month; per project and
-- month in wagecheck.attendance_project_month) and
-- wagecheck.wage_month (per project, worker and month: effective net, payable, days, and
-- the payments made). Statement-level triggers with transition tables keep them right on
-- every INSERT, UPDATE, DELETE and TRUNCATE of the input tables; they are ENABLE ALWAYS,
-- so loads with session_replication_role = replica (bulk generators, pg_restore) keep
-- them right too. They are derived data: never dumped (a restore rebuilds them through
-- the triggers); wagecheck.rebuild_summaries() recomputes them after the triggers were
-- disabled. Each row records known_to, the latest moment a row it summarizes became
-- known (or was paid): wages_owed(as_of) and attendance_months(as_of) read a summary only
-- when no summarized row is known after as_of, else they compute from the raw rows.
-- Pay dates are not stored: they depend on the roster's pay terms and the holiday
-- calendar as of the moment asked, and are derived when the summary is read.

-- Physical design: every index of a summary is written with each summary row an input row
-- writes, so a summary keeps only the indexes its readers need, none on a column that most
-- writes change where another way to the rows exists; a table whose rows are updated in place
-- again and again and whose updated columns no index holds leaves room on its pages
-- (fillfactor) for the new versions: HOT updates, no index entry written. A pay line adds to
-- its worker's year (and month) in worker_pay and to his months on the project in
-- sheet_worker: both updated in place (worker_pay's index of high sums names a mark that
-- changes only when a sum crosses its bound). A payment's month is not: paid_each and
-- known_to change, which wage_month_open's condition and wage_month_known_to hold (and
-- settled_at, which wage_month_settled holds, when it settles the month, as nearly every
-- payment does): its new version is written to the indexes.
-- attendance_month: only its key. A day's attendance changes days, known_to and last_day of
-- the months attended (updated in place: HOT). The latest known_to and last_day are those of
-- attendance_project_month (its rows hold the maxima of their months' rows: _summary_exact,
-- RN03's horizon read it); the months of a period are found per project of the period there,
-- by the key (_attendance_pay_passing).
CREATE TABLE wagecheck.attendance_month (
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    period     date NOT NULL,
    days       bigint NOT NULL,
    known_to   timestamptz NOT NULL,
    last_day   date NOT NULL,
    PRIMARY KEY (project_id, worker_id, period),
    first_day   date NOT NULL,
    first_known timestamptz NOT NULL,
    extended    boolean NOT NULL DEFAULT true
) WITH (fillfactor = 80);

-- (a row per project and month, updated by every statement of attendance: HOT, no index but
-- its key; read whole for the latest known_to and last_day, a few thousand rows)
CREATE TABLE wagecheck.attendance_project_month (
    project_id bigint NOT NULL,
    period     date NOT NULL,
    workers    bigint NOT NULL,
    known_to   timestamptz NOT NULL,
    last_day   date NOT NULL,
    PRIMARY KEY (project_id, period)
) WITH (fillfactor = 80);

CREATE TABLE wagecheck.wage_month (
    project_id   bigint NOT NULL,
    worker_id    bigint NOT NULL,
    period       date NOT NULL,
    employer_id  bigint,
    days         numeric NOT NULL,
    payable      numeric(14,2) NOT NULL,
    net          numeric(14,2) NOT NULL,
    paid         numeric(14,2) NOT NULL,
    paid_ats     timestamptz[] NOT NULL,
    paid_each    numeric(14,2)[] NOT NULL,
    known_to     timestamptz NOT NULL,
    settled_at   timestamptz,
    PRIMARY KEY (project_id, worker_id, period)
);
-- (the latest known_to from the end of this index; its entries come in time order, at the
-- right end: cheap to add)
CREATE INDEX wage_month_known_to ON wagecheck.wage_month (known_to);
-- WP05's candidates (paid below a bound for at least a number of days): both bounds are
-- checked in the index, no month read that is not one. Only the months paid below 4,000 are
-- in it (a few in a hundred; above every local minimum monthly wage in force, the highest
-- Shanghai's 2,690 since 2023): a month's entry is written only when it is one of them; a
-- bound set above 4,000 reads the whole table.
CREATE INDEX wage_month_payable ON wagecheck.wage_month (payable, days) WHERE payable < 4000;

-- worker_pay: per worker, the sums of wage_month's payable over all projects, per month and
-- per year. Kept by _wage_month_refresh, which adds each key's change (new minus old, taken
-- under the wage_month row lock) to the worker's month and year: additions commute, so two
-- writers of different projects only wait on the row lock of a month they share. Exact
-- whenever wage_month is. Every pay line changes the payable of its worker's month and year:
-- no index holds payable, so that the row is rewritten in place (HOT: room left on the pages,
-- no index entry written). high says whether the sum is over half the catalogue's limits
-- (25,000 a month, 150,000 a year; none in the generated city): it changes only when a sum
-- crosses its bound, and WP06 finds the sums over its limits by the index of those rows
-- (limits set lower read the whole table). Written only by wagecheck (the triggers, the
-- rebuild), which name span 'month' or 'year' and compute high with the sum: no check
-- constraint to prepare for every statement that writes a row.
CREATE TABLE wagecheck.worker_pay (
    worker_id  bigint NOT NULL,
    span       text NOT NULL,
    period     date NOT NULL,
    payable    numeric(14,2) NOT NULL,
    entries    bigint NOT NULL,
    high       boolean NOT NULL,
    PRIMARY KEY (worker_id, span, period)
) WITH (fillfactor = 70);
CREATE INDEX worker_pay_high ON wagecheck.worker_pay (span, worker_id, period) WHERE high;

-- sheet_worker: the workers on each project's pay sheets (any line, whatever its moment),
-- with the number of wage_month rows (months) they have there; kept by _wage_month_refresh
-- by additions like worker_pay. RN01 looks for lines only of the pairs not on the roster.
-- (a worker's row is updated by each month of lines he gets: HOT, room left on the pages;
-- a month's payroll updates most rows of a page in one statement, whose versions cannot be
-- pruned before it ends: half of each page is left free)
CREATE TABLE wagecheck.sheet_worker (
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    months     bigint NOT NULL,
    PRIMARY KEY (project_id, worker_id)
) WITH (fillfactor = 50);

-- payment_off_card: the payments made in cash or into an account other than the worker's
-- registered card (WP04), under the wage_month key of their line, with what WP04 reports.
-- Kept by _wage_month_refresh with the keys it recomputes (a change of a worker's card
-- recomputes the keys of his lines), whatever the payments' moments: WP04 keeps those known
-- at the moment asked. The worker's card is the one registered now, as WP04 compares.
CREATE TABLE wagecheck.payment_off_card (
    project_id  bigint NOT NULL,
    worker_id   bigint NOT NULL,
    period      date NOT NULL,
    payment_id  bigint NOT NULL,
    employer_id bigint NOT NULL,
    amount      numeric(14,2) NOT NULL,
    method      text NOT NULL,
    paid_at     timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (project_id, worker_id, period, payment_id)
);

-- attendance_unpaid: the attendance months (keys of attendance_month) without a wage_month
-- row - a worker who attended a project in a month with no payroll line for it on the
-- project's sheets: RN04's candidates, by month first (RN04 reads the months whose pay
-- date may have passed). Kept by both summaries' triggers (_attendance_unpaid_sync) for
-- the keys whose attendance month or wage month came or went. Exact whenever both are.
CREATE TABLE wagecheck.attendance_unpaid (
    period     date NOT NULL,
    project_id bigint NOT NULL,
    worker_id  bigint NOT NULL,
    PRIMARY KEY (period, project_id, worker_id)
);

-- outflow_unmatched: AC03's candidates - the outflows of dedicated accounts that are not
-- wages, or wages whose account matched no card of a worker on the project's roster known
-- by the time the outflow was booked and recorded (the worker's card as registered now, as
-- AC03 compares). Every other outflow is no AC03 hit at any moment it is known: the roster
-- entry it matched is known then too. A superset of AC03's hits at every moment (a roster
-- entry or a card recorded after an outflow may match it later: AC03 checks its candidates).
-- Kept by triggers (C: src/alerts/outflow.c): an outflow written is judged after locking
-- (FOR SHARE) the account, roster entry and worker of each match, so that a concurrent change
-- of those waits for it and then looks at it again; a roster entry added, moved or deleted, a
-- worker added (a restore loads workers last) or his card changed look again at the wages of
-- the entries' projects to the workers' cards; an account moved to another project, at its
-- outflows. project_id is the project of the outflow's account, card the digits of the
-- account a wage went to (NULL for other outflows, or none): a roster entry added can only
-- match the candidates of its project that are wages to its worker's card, found by both.
CREATE TABLE wagecheck.outflow_unmatched (
    txn_id bigint PRIMARY KEY,
    project_id bigint NOT NULL,
    card text
);
CREATE INDEX outflow_unmatched_project_card ON wagecheck.outflow_unmatched (project_id, card);

-- finds a card by its text (AC03 compares an account's text with the rostered workers' cards)
CREATE INDEX worker_wage_card_text ON wagecheck.worker ((wage_card::text));

-- the months still owed (settled_at NULL: WP02, WP03, AC05, the views' runs owed, read in key
-- order without their rows: settled_at is in the index) and those without any payment yet (the
-- views' attendees unpaid): few, mostly the latest month, in one index (a month's lines come
-- unpaid and unsettled: one entry, not one in each of two indexes)
CREATE INDEX wage_month_open ON wagecheck.wage_month (project_id, worker_id, period) INCLUDE (settled_at)
    WHERE settled_at IS NULL OR cardinality(paid_each) = 0;
-- per project and month, the months by when they were settled (DP01: those settled after the
-- month's first pay date, read without their rows: an index-only scan)
CREATE INDEX wage_month_settled ON wagecheck.wage_month (project_id, period, (coalesce(settled_at, 'infinity'::timestamptz)))
    INCLUDE (worker_id, settled_at);
