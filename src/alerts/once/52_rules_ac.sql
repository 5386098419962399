-- The labour cost paid into the dedicated accounts (AC02): a partial index holding the few
-- inflows of labour cost with what AC02 reads of them (an index-only scan, not a pass over
-- every movement of every account).
CREATE INDEX account_txn_labour_in ON wagecheck.account_txn (account_id) INCLUDE (amount, booked_at, created_at)
    WHERE direction = 'in' AND purpose = 'labour_cost';
