-- 0.1.0 -> 0.2.0, after the definitions: the summaries new in 0.2.0 computed from the rows.
SELECT wagecheck.rebuild_summaries();
